package org.jamwire.audio.builtin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jamwire.audio.AudioBackend;
import org.jamwire.audio.AudioBackendException;
import org.jamwire.audio.AudioProcessor;
import org.jamwire.audio.AudioSpec;

/**
 * An audio backend that needs no audio server: a clock thread calls the processor once per period
 * at a given rate, feeding it a test signal and metering what it plays. It makes JamWire runnable on
 * a bare machine and lets tests drive the engine; a clock rate apart from the nominal rate
 * simulates two machines' drifting audio clocks. Called on the control thread.
 */
public final class BuiltinBackend implements AudioBackend {

    private final int sampleRate;
    private final int bufferSize;
    private final double clockRate;
    private final TestSignal.Kind signal;
    private final Map<String, BuiltinSession> sessions = new ConcurrentHashMap<>();

    /**
     * Creates a backend.
     *
     * @param sampleRate the nominal rate reported to the link and the peer
     * @param bufferSize frames per period
     * @param clockRate the rate the clock really runs at
     * @param signal the test signal played into the send channels
     */
    public BuiltinBackend(int sampleRate, int bufferSize, double clockRate, TestSignal.Kind signal) {
        if (sampleRate <= 0 || bufferSize <= 0 || bufferSize > 8192 || clockRate <= 0) {
            throw new IllegalArgumentException("the built-in backend needs a positive rate and 1 to 8192 frames");
        }
        this.sampleRate = sampleRate;
        this.bufferSize = bufferSize;
        this.clockRate = clockRate;
        this.signal = signal;
    }

    @Override
    public String name() {
        return "the built-in audio backend";
    }

    @Override
    public BuiltinSession open(AudioSpec spec, AudioProcessor processor) throws AudioBackendException {
        final BuiltinSession s = new BuiltinSession(spec, processor, sampleRate, bufferSize, clockRate,
                new TestSignal(signal, spec.sendChannels(), sampleRate), sessions::remove);
        if (sessions.putIfAbsent(spec.clientName(), s) != null) {
            throw new AudioBackendException("an audio client named '" + spec.clientName()
                    + "' is already open; give this link another name with -J/--clientname");
        }
        return s;
    }

    /** The open session named {@code clientName}, or null; for meters and tests. */
    public BuiltinSession session(String clientName) {
        return sessions.get(clientName);
    }
}

package org.jamwire.testing;

import java.time.Duration;
import java.util.Arrays;
import org.jamwire.audio.AudioBackend;
import org.jamwire.audio.AudioBackendException;
import org.jamwire.audio.AudioSession;
import org.jamwire.audio.AudioSpec;
import org.jamwire.audio.builtin.BuiltinBackend;
import org.jamwire.audio.builtin.BuiltinSession;
import org.jamwire.audio.builtin.TestSignal;

/**
 * The built-in backend for one link, playing the test signal ({@link JackSignalClient#sample}) into
 * its send channels and recording what it plays, for {@link AudioJudge}: the built-in counterpart of
 * a {@link JackSignalClient} connected to a link's ports. The recording fills on the backend's
 * clock thread; the test thread reads it.
 */
public final class SignalBackend implements AudioBackend {

    private final BuiltinBackend builtin;
    private final int period;
    private final float[][] recorded;
    private final int capacity;
    private volatile long frames;
    private volatile BuiltinSession session;
    private long sent;

    /**
     * @param rate the nominal sample rate
     * @param period frames per period
     * @param clockRate the rate the backend's clock really runs at
     * @param channels channels recorded (the first ones the link plays)
     * @param capacity frames recorded per channel; recording stops when they are full
     */
    public SignalBackend(int rate, int period, double clockRate, int channels, int capacity) {
        this.builtin = new BuiltinBackend(rate, period, clockRate, TestSignal.Kind.SILENCE);
        this.period = period;
        this.recorded = new float[channels][capacity];
        this.capacity = capacity;
    }

    @Override
    public String name() {
        return builtin.name();
    }

    @Override
    public AudioSession open(AudioSpec spec, org.jamwire.audio.AudioProcessor processor) throws AudioBackendException {
        final BuiltinSession s = builtin.open(spec, (in, out, n) -> {
            for (int c = 0; c < in.length; c++) {
                for (int i = 0; i < n; i++) {
                    in[c][i] = JackSignalClient.sample(c + 1, sent + i);
                }
            }
            sent += n;
            processor.process(in, out, n);
            final long at = frames;
            if (at + n <= capacity) {
                for (int c = 0; c < recorded.length && c < out.length; c++) {
                    System.arraycopy(out[c], 0, recorded[c], (int) at, n);
                }
            }
            frames = at + n;
        });
        session = s;
        return s;
    }

    /** Frames played so far (recorded while there was room). */
    public long frames() {
        return frames;
    }

    /** Xruns of the backend's clock so far: periods it started more than a period late. */
    public long xruns() {
        final BuiltinSession s = session;
        return s == null ? 0 : s.xruns();
    }

    /** Frames per period. */
    public int period() {
        return period;
    }

    /** Waits until {@code count} frames have been played. */
    public void awaitFrames(long count, Duration timeout) {
        Deadlines.await(timeout, () -> frames >= count, () -> "played " + frames + " of " + count + " frames");
    }

    /** What channel {@code channel} (from 1) played, from the start. */
    public float[] recording(int channel) {
        return Arrays.copyOf(recorded[channel - 1], (int) Math.min(frames, capacity));
    }
}

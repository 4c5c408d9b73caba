package org.jamwire.link;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jamwire.engine.EchoFinder;
import org.jamwire.engine.LatencyProbe;
import org.jamwire.engine.StreamFormat;

/**
 * Runs a link's latency tests, one at a time: arms the audio thread's {@link LatencyProbe} with a
 * burst and a capture long enough for the timeout, correlates the capture as it fills, and stops as
 * soon as a clear echo has come back, or at the timeout. Called on control threads; the waiting
 * thread polls once a period.
 */
final class LatencyTest {

    private static final long MIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final LatencyProbe probe;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final StreamFormat format;

    /** A test on {@code probe}, the half the audio thread runs. */
    LatencyTest(StreamFormat format, LatencyProbe probe) {
        this.format = format;
        this.probe = probe;
    }

    /**
     * Measures the round trip on {@code channel} (from 1).
     *
     * @param state the link's state: the test needs it {@code CONNECTED} before and after
     */
    Latency run(int channel, Duration timeout, Supplier<Link.State> state) throws LatencyException {
        final int channels = Math.min(format.sendChannels(), format.receiveChannels());
        if (channel < 1 || channel > channels) {
            throw new IllegalArgumentException("channel " + channel + ": use 1 to " + channels
                    + ", a channel the link both sends and receives");
        }
        if (state.get() != Link.State.CONNECTED) {
            throw notStreaming(state.get());
        }
        if (!busy.compareAndSet(false, true)) {
            throw new LatencyException(LatencyException.Reason.BUSY,
                    "a latency test is already running on this link: wait for its answer and ask again");
        }
        try {
            final EchoFinder finder = new EchoFinder();
            final LatencyProbe.Run run = new LatencyProbe.Run(channel - 1, EchoFinder.burst(), captureFrames(timeout));
            final long deadline = System.nanoTime() + timeout.toNanos();
            final long poll = Math.max(MIN_POLL_NANOS, Math.min(MAX_POLL_NANOS,
                    TimeUnit.SECONDS.toNanos(format.bufferSize()) / format.sampleRate()));
            probe.arm(run);
            try {
                while (!finder.settled(EchoFinder.MIN_CONFIDENCE) && !run.full() && System.nanoTime() - deadline < 0
                        && state.get() == Link.State.CONNECTED) {
                    LockSupport.parkNanos(poll);
                    finder.scan(run.capture(), run.captured());
                }
            } finally {
                probe.disarm(run);
            }
            finder.scan(run.capture(), run.captured());
            final Link.State after = state.get();
            if (after != Link.State.CONNECTED) {
                throw notStreaming(after);
            }
            if (finder.confidence() < EchoFinder.MIN_CONFIDENCE) {
                throw noEcho(channel, timeout, finder);
            }
            final int frames = finder.peakLag();
            return new Latency(frames, frames * 1000.0 / format.sampleRate(), format.sampleRate(),
                    format.bufferSize(), channel, finder.confidence());
        } finally {
            busy.set(false);
        }
    }

    /** The timeout's worth of frames and two periods more, so that the capture outlasts the wait. */
    private int captureFrames(Duration timeout) {
        final long frames = timeout.toNanos() * format.sampleRate() / TimeUnit.SECONDS.toNanos(1)
                + 2L * format.bufferSize();
        return (int) Math.max(EchoFinder.BURST_FRAMES + format.bufferSize(), frames);
    }

    private static LatencyException notStreaming(Link.State state) {
        final String now = switch (state) {
            case WAITING_FOR_PEER -> "waiting for its peer";
            case AUDIO_LOST -> "waiting for its audio server to come back";
            case CONNECTED -> "connected";
            case STOPPED -> "stopped";
            case FAILED -> "failed";
        };
        return new LatencyException(LatencyException.Reason.NOT_STREAMING, "the link is " + now
                + ": a latency test needs it connected and streaming with its peer; start the other end,"
                + " or wait until the link is connected");
    }

    private static LatencyException noEcho(int channel, Duration timeout, EchoFinder finder) {
        final String best = finder.peakLag() < 0 ? "" : String.format(Locale.ROOT,
                " (the best match was %.1f times the next, %.0f needed)", finder.confidence(),
                EchoFinder.MIN_CONFIDENCE);
        return new LatencyException(LatencyException.Reason.NO_ECHO, "no echo of the test burst came back on"
                + " channel " + channel + " within " + timeout.toMillis() + " ms" + best + ": loop the far end's"
                + " receive ports to its send ports (on the far machine, jack_connect NAME:receive_" + channel
                + " NAME:send_" + channel + ", NAME being its link's JACK client), check that its link is"
                + " streaming back, or allow a longer timeoutMs");
    }
}

package org.jamwire.jack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.jamwire.audio.AudioProcessor;
import org.jamwire.audio.AudioSpec;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.JackSignalClient;
import org.junit.jupiter.api.Tag;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.jamwire.engine.Counters;
import org.jamwire.engine.EchoFinder;
import org.jamwire.engine.LatencyProbe;
import org.jamwire.engine.LinkCounter;
import org.jamwire.engine.StreamFormat;
import org.jamwire.engine.UnderrunPolicy;
import org.jamwire.link.AudioPipeline;
import org.jamwire.net.LinkSocket;
import org.jamwire.net.PeerStatus;
import org.junit.jupiter.api.Test;

/**
 * Runs the real process callback on a fast dummy server (192 kHz, 32 frames: 6,000 periods a
 * second), with a link's real audio pipeline (engine, the packet loop's sends and receives, latency
 * probe, level meters, callback timing) on the JACK thread, and reads the JACK thread's allocation counter from inside the processor. The test
 * thread runs latency tests through the engine's own loopback all along, as a control thread
 * would: armed and idle periods are both measured.
 */
@Tag("integration")
class JackAllocationTest {

    private static final int CHANNELS = 8;
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 10_000;
    private static final int CONTROL = 1_000;

    @Test
    void the_jack_thread_allocates_nothing_per_period() throws Exception {
        final EngineLoopback loopback = new EngineLoopback();
        final MeasuringProcessor processor = new MeasuringProcessor(loopback);
        try (JackServer server = JackServer.start(192_000, 32);
                JackSession session = new JackBackend(server.name())
                        .open(new AudioSpec("alloc", CHANNELS, CHANNELS, false), processor);
                JackSignalClient signal = JackSignalClient.open(server, "signal", CHANNELS, CHANNELS, 0)) {
            session.start();
            for (int c = 1; c <= CHANNELS; c++) {
                signal.connect(signal.output(c), "alloc:send_" + c);
                signal.connect("alloc:receive_" + c, signal.input(c));
            }
            final long started = System.nanoTime();
            int probesMeasured = 0;
            while (!processor.done) {
                final long from = session.periods();
                final EchoFinder echo = loopback.measureLatency(session);
                if (from > WARM_UP && session.periods() < WARM_UP + MEASURED) {
                    probesMeasured++;
                    assertTrue(echo.confidence() >= EchoFinder.MIN_CONFIDENCE, "confidence " + echo.confidence());
                    // A packet comes back in the period it is sent and waits 3 more in the queue of 4,
                    // give or take a period that a late cycle moves it by.
                    assertTrue(Math.abs(echo.peakLag() - 3 * 32) <= 32, "round trip of " + echo.peakLag() + " frames");
                }
                final long idleUntil = session.periods() + 50;
                Deadlines.await(Duration.ofSeconds(10), () -> session.periods() >= idleUntil || processor.done,
                        () -> "idle periods");
            }
            System.out.printf("JACK thread: reading the counter %d B; %d periods x %d+%d channels: %d B;"
                            + " %d periods allocating on purpose: %d B; %d latency tests within them; %.1f s, %d xruns%n",
                    processor.counterCost, MEASURED, CHANNELS, CHANNELS, processor.measured, CONTROL, processor.control,
                    probesMeasured, (System.nanoTime() - started) / 1e9, session.xruns());

            assertEquals(0, processor.counterCost, "reading the allocation counter allocates");
            assertEquals(0, processor.measured, "bytes allocated on the JACK thread in " + MEASURED + " periods");
            assertTrue(processor.control >= 16L * CONTROL,
                    "the counter missed deliberate allocations: " + processor.control + " B");
            assertTrue(processor.peak > 0.1f, "no signal reached the send ports: peak " + processor.peak);
            assertEquals(0, session.processorFailures());
            assertTrue(probesMeasured >= 10, "only " + probesMeasured + " latency tests in the measured periods");
            assertTrue(loopback.counters.get(LinkCounter.PACKETS_SENT) > WARM_UP, "the engine sent packets");
            assertTrue(loopback.counters.get(LinkCounter.PACKETS_RECEIVED) > WARM_UP,
                    "the JACK thread received packets: " + loopback.counters.snapshot());
            assertTrue(loopback.counters.get(LinkCounter.CALLBACK_MAX_US) > 0, "the longest callback was published");
        } finally {
            loopback.close();
        }
    }

    /**
     * A link's real pipeline ({@link AudioPipeline}) on the JACK thread, over a non-blocking
     * loopback socket whose peer is itself: each period takes what waits, runs the engine, sends
     * the engine's datagram at once and takes what has arrived before the engine drains, so that
     * encode, send, receive, decode and play all run in every measured period.
     */
    private static final class EngineLoopback implements AutoCloseable {
        final Counters counters = new Counters();
        final StreamFormat format = new StreamFormat(192_000, 32, 24, CHANNELS, CHANNELS, 2, 4,
                UnderrunPolicy.PREDICT);
        final LinkSocket socket;
        final AudioPipeline pipeline;
        final LatencyProbe probe;

        EngineLoopback() throws IOException {
            socket = LinkSocket.open(new InetSocketAddress("127.0.0.1", 0));
            pipeline = new AudioPipeline(socket, new InetSocketAddress("127.0.0.1", socket.localPort()), format,
                    counters, new PeerStatus(), () -> 0L);
            probe = pipeline.probe();
        }

        /** One period on the JACK thread, as a link's audio thread runs it. */
        void period(float[][] inputs, float[][] outputs, int frames) {
            pipeline.process(inputs, outputs, frames);
        }

        /** A latency test on channel 1 through the loopback, run on the test thread. */
        EchoFinder measureLatency(JackSession session) {
            final LatencyProbe.Run run = new LatencyProbe.Run(0, EchoFinder.burst(), 2 * EchoFinder.BURST_FRAMES);
            final EchoFinder echo = new EchoFinder();
            probe.arm(run);
            Deadlines.await(Duration.ofSeconds(10), run::full, () -> "a full capture at period " + session.periods());
            probe.disarm(run);
            echo.scan(run.capture(), run.captured());
            return echo;
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /**
     * Gain, a cross-feed and a peak meter on every channel, and the allocation counter read every
     * {@value #MARK_EVERY} periods up to the end of the measured window. Called on the JACK process
     * thread.
     *
     * <p>The counter is read all along, not only at the window's edges: a branch first taken at an
     * edge makes the compiled callback deoptimise there, and deoptimisation recreates, on this
     * thread, the objects that escape analysis had removed from the compiled code. At the window's
     * end that was counted as the callback's allocation (a few hundred bytes, now and then).
     */
    private static final class MeasuringProcessor implements AudioProcessor {
        private final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private final float[] peaks = new float[CHANNELS];
        private final EngineLoopback loopback;
        private final float[][] engineOutputs = new float[CHANNELS][8192];
        private static final int MARK_EVERY = 1_000;
        private final long[] marks = new long[(WARM_UP + MEASURED) / MARK_EVERY + 1];
        private final long[] markCosts = new long[marks.length];
        private long cycle;
        private float gain = 0.5f;
        private long counterCost;
        private long measured;
        private long control;
        float peak;
        volatile Object escape;
        volatile boolean done;

        MeasuringProcessor(EngineLoopback loopback) {
            this.loopback = loopback;
        }

        @Override
        public void process(float[][] inputs, float[][] outputs, int frames) {
            loopback.period(inputs, engineOutputs, frames);
            for (int c = 0; c < outputs.length; c++) {
                final float[] in = inputs[c];
                final float[] neighbour = inputs[(c + 1) % inputs.length];
                final float[] out = outputs[c];
                float channelPeak = peaks[c];
                for (int i = 0; i < frames; i++) {
                    gain += (0.9f - gain) * 0.001f;
                    out[i] = in[i] * gain + neighbour[i] * 0.25f;
                    channelPeak = Math.max(channelPeak, Math.abs(in[i]));
                }
                peaks[c] = channelPeak;
            }
            cycle++;
            if (cycle % MARK_EVERY == 0 && cycle <= WARM_UP + MEASURED) {
                final long first = threads.getCurrentThreadAllocatedBytes();
                final long second = threads.getCurrentThreadAllocatedBytes();
                marks[(int) (cycle / MARK_EVERY)] = second;
                markCosts[(int) (cycle / MARK_EVERY)] = second - first;
            } else if (cycle > WARM_UP + MEASURED && cycle <= WARM_UP + MEASURED + CONTROL) {
                escape = new float[2];
                if (cycle == WARM_UP + MEASURED + CONTROL) {
                    final int from = WARM_UP / MARK_EVERY;
                    final int to = (WARM_UP + MEASURED) / MARK_EVERY;
                    for (int m = from; m <= to; m++) {
                        counterCost = Math.max(counterCost, markCosts[m]);
                    }
                    measured = marks[to] - marks[from];
                    control = threads.getCurrentThreadAllocatedBytes() - marks[to];
                    for (final float p : peaks) {
                        peak = Math.max(peak, p);
                    }
                    done = true;
                }
            }
        }
    }
}

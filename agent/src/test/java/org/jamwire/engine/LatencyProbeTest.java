package org.jamwire.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The latency probe's two halves against a simulated far end: a delay line that returns, some
 * frames later, what the probe sent on its channel, damaged as a network and a receive queue can
 * damage it. The probe runs period by period on the test thread, as the audio thread runs it.
 */
class LatencyProbeTest {

    private static final int PERIOD = 128;
    private static final int CHANNELS = 2;

    /** What the far end does to the returning audio of the probed channel. */
    private interface Damage {
        /** Returns the frame played at {@code t}, given the echo {@code echo} of what was sent. */
        float apply(long t, float[] sent, long echoStart);
    }

    /**
     * This end's audio thread with the probe in place of a link's engine: the channel sent at
     * frame {@code t} comes back at {@code t + delay}, through {@code damage}.
     */
    private static final class Simulation {
        final LatencyProbe probe = new LatencyProbe();
        final float[][] inputs = new float[CHANNELS][PERIOD];
        final float[][] outputs = new float[CHANNELS][PERIOD];
        final float[] sent = new float[1 << 20];
        final int channel;
        final int delay;
        final Damage damage;
        long t;

        Simulation(int channel, int delay, Damage damage) {
            this.channel = channel;
            this.delay = delay;
            this.damage = damage;
        }

        void period() {
            for (int c = 0; c < CHANNELS; c++) {
                for (int i = 0; i < PERIOD; i++) {
                    inputs[c][i] = (float) (0.8 * Math.sin(0.03 * (t + i) * (c + 1)));
                }
            }
            probe.replaceSend(inputs, PERIOD);
            for (int i = 0; i < PERIOD; i++) {
                sent[(int) (t + i)] = inputs[channel][i];
            }
            for (int c = 0; c < CHANNELS; c++) {
                for (int i = 0; i < PERIOD; i++) {
                    final long at = t + i;
                    outputs[c][i] = c == channel ? damage.apply(at, sent, at - delay)
                            : 0.25f * (float) Math.sin(0.01 * at);
                }
            }
            probe.capturePlayed(outputs, PERIOD);
            t += PERIOD;
        }

        /** Runs idle periods, then a test with a capture of {@code frames}, to its end. */
        EchoFinder measure(int idlePeriods, int frames) {
            for (int p = 0; p < idlePeriods; p++) {
                period();
            }
            final LatencyProbe.Run run = new LatencyProbe.Run(channel, EchoFinder.burst(), frames);
            probe.arm(run);
            final EchoFinder finder = new EchoFinder();
            while (!run.full()) {
                period();
                finder.scan(run.capture(), run.captured());
            }
            probe.disarm(run);
            return finder;
        }
    }

    private static float clean(long t, float[] sent, long echoStart) {
        return echoStart < 0 ? 0f : sent[(int) echoStart];
    }

    @Test
    void finds_the_round_trip_to_the_frame() {
        for (int delay : new int[] {PERIOD, 1000, 4 * PERIOD + 37, 9_601}) {
            final Simulation s = new Simulation(0, delay, LatencyProbeTest::clean);
            final EchoFinder f = s.measure(50, 12_000);
            assertEquals(delay, f.peakLag(), "delay " + delay);
            assertTrue(f.confidence() > 8, "confidence " + f.confidence());
            assertTrue(f.settled(EchoFinder.MIN_CONFIDENCE));
        }
    }

    @Test
    void finds_it_through_a_lost_period_a_frame_of_drift_correction_and_music() {
        final Random noise = new Random(7);
        final int delay = 3_000;
        // From the run's first frame at 50 periods: period 3 of the burst lost (played as zeros),
        // one frame dropped by drift correction in period 6, and the far end's own music on top.
        final long start = 50L * PERIOD;
        final Simulation s = new Simulation(1, delay, (t, sent, echo) -> {
            final long intoBurst = t - start - delay;
            if (echo < 0) {
                return 0f;
            }
            if (intoBurst >= 3 * PERIOD && intoBurst < 4 * PERIOD) {
                return 0f;
            }
            final long shifted = intoBurst >= 6 * PERIOD ? echo + 1 : echo;
            return sent[(int) shifted] + (float) (0.5 * Math.sin(0.02 * t) + 0.05 * noise.nextGaussian());
        });
        final EchoFinder f = s.measure(50, 8_000);
        assertEquals(delay, f.peakLag());
        assertTrue(f.confidence() >= EchoFinder.MIN_CONFIDENCE, "confidence " + f.confidence());
    }

    @Test
    void no_echo_is_not_confident() {
        final Random noise = new Random(3);
        final Simulation music = new Simulation(0, 0, (t, sent, echo) -> (float) (0.7 * Math.sin(0.05 * t)
                + 0.2 * noise.nextGaussian()));
        assertTrue(music.measure(10, 48_000).confidence() < 2, "music and noise");
        final Simulation silence = new Simulation(0, 0, (t, sent, echo) -> 0f);
        final EchoFinder f = silence.measure(10, 4_800);
        assertEquals(0, f.confidence());
        assertTrue(!f.settled(EchoFinder.MIN_CONFIDENCE));
    }

    @Test
    void sends_the_burst_then_silence_on_its_channel_only_and_mutes_what_that_channel_plays() {
        final Simulation s = new Simulation(1, 500, LatencyProbeTest::clean);
        s.measure(3, 4_000);
        final long start = 3L * PERIOD;
        final float[] burst = EchoFinder.burst();
        assertArrayEquals(burst, Arrays.copyOfRange(s.sent, (int) start, (int) start + burst.length));
        for (int i = (int) start + burst.length; i < start + 4_000; i++) {
            assertEquals(0f, s.sent[i], "silence after the burst at " + i);
        }
        // Disarmed: the channel sends its own audio again, and plays what comes back once the
        // silence after the burst has made its round trip.
        for (int p = 0; p < 10; p++) {
            s.period();
        }
        assertEquals((float) (0.8 * Math.sin(0.03 * (s.t - 1) * 2)), s.inputs[1][PERIOD - 1]);
        assertEquals(s.sent[(int) s.t - 1 - 500], s.outputs[1][PERIOD - 1]);
        assertTrue(Math.abs(s.outputs[1][PERIOD - 1]) > 0);
        final LatencyProbe.Run run = new LatencyProbe.Run(1, EchoFinder.burst(), 2_000);
        s.probe.arm(run);
        s.period();
        for (int i = 0; i < PERIOD; i++) {
            assertEquals(0f, s.outputs[1][i], "muted at " + i);
            assertEquals(0.25f * (float) Math.sin(0.01 * (s.t - PERIOD + i)), s.outputs[0][i], "other channel");
        }
    }

    @Test
    void a_run_armed_in_the_middle_of_a_period_starts_at_the_next() {
        final LatencyProbe probe = new LatencyProbe();
        final float[][] in = new float[1][PERIOD];
        final float[][] out = new float[1][PERIOD];
        Arrays.fill(in[0], 0.3f);
        probe.replaceSend(in, PERIOD);
        final LatencyProbe.Run run = new LatencyProbe.Run(0, EchoFinder.burst(), 2_000);
        probe.arm(run);
        probe.capturePlayed(out, PERIOD);
        assertEquals(0, run.captured());
        assertEquals(0.3f, in[0][0]);
        probe.replaceSend(in, PERIOD);
        probe.capturePlayed(out, PERIOD);
        assertEquals(PERIOD, run.captured());
        assertEquals(EchoFinder.burst()[0], in[0][0]);
    }

    @Test
    void the_burst_is_a_maximum_length_sequence() {
        final float[] b = EchoFinder.burst();
        assertEquals(1023, b.length);
        int positive = 0;
        for (float v : b) {
            assertEquals(EchoFinder.AMPLITUDE, Math.abs(v));
            positive += v > 0 ? 1 : 0;
        }
        assertEquals(512, positive);
        // Its circular autocorrelation is N at lag 0 and -1 at every other lag.
        for (int lag = 1; lag < b.length; lag++) {
            double sum = 0;
            for (int i = 0; i < b.length; i++) {
                sum += Math.signum(b[i]) * Math.signum(b[(i + lag) % b.length]);
            }
            assertEquals(-1, sum, "lag " + lag);
        }
    }

    @Test
    void the_audio_thread_half_allocates_nothing_armed_or_idle() {
        final com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final LatencyProbe probe = new LatencyProbe();
        final float[][] in = new float[CHANNELS][PERIOD];
        final float[][] out = new float[CHANNELS][PERIOD];
        // Runs made beforehand, as a control thread makes them: each covers 100 periods.
        final LatencyProbe.Run[] runs = new LatencyProbe.Run[400];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = new LatencyProbe.Run(i % CHANNELS, EchoFinder.burst(), 100 * PERIOD);
        }
        periods(probe, runs, 0, 200, in, out);
        final long before = mx.getThreadAllocatedBytes(thread);
        final int captured = periods(probe, runs, 200, runs.length, in, out);
        final long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertEquals(0, allocated, "bytes allocated in " + (runs.length - 200) * 200 + " periods");
        assertEquals((runs.length - 200) * 100 * PERIOD, captured, "frames captured by the measured runs");
    }

    /** For each run: 100 periods armed, to a full capture, and 100 idle. Returns the frames captured. */
    private static int periods(LatencyProbe probe, LatencyProbe.Run[] runs, int from, int to, float[][] in,
            float[][] out) {
        int captured = 0;
        for (int r = from; r < to; r++) {
            probe.arm(runs[r]);
            for (int p = 0; p < 100; p++) {
                probe.replaceSend(in, PERIOD);
                System.arraycopy(in[0], 0, out[1], 0, PERIOD);
                probe.capturePlayed(out, PERIOD);
            }
            captured += runs[r].captured();
            probe.disarm(runs[r]);
            for (int p = 0; p < 100; p++) {
                probe.replaceSend(in, PERIOD);
                probe.capturePlayed(out, PERIOD);
            }
        }
        return captured;
    }
}

package org.jamwire.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** How the {@link ReceiveQueue} conceals lost packets and underruns, on the test thread. */
class ReceiveQueueConcealmentTest {

    private static final int F = TestStream.FRAMES;
    /** The largest frame-to-frame step allowed where real audio resumes after a concealment. */
    private static final double MAX_STEP = 0.05;

    @Test
    void resuming_real_audio_after_a_lost_packet_makes_no_step_above_0_05() {
        // A 0.5 amplitude 440 Hz tone steps by at most 2π·440/48000·0.5 = 0.029 a frame on its own.
        final TestStream tone = TestStream.tones(60, 0.5, 440);
        final int delay = tone.delay(tone.play(queue(UnderrunPolicy.PREDICT, new Counters()), new boolean[60]));
        int lostPeriod = 30;
        while (Math.abs(tone.clean[(lostPeriod + 1) * F]) < 0.4) {
            lostPeriod++;
        }
        final boolean[] lost = new boolean[60];
        lost[lostPeriod] = true;
        for (UnderrunPolicy policy : UnderrunPolicy.values()) {
            final float[] played = tone.play(queue(policy, new Counters()), lost);
            final int resume = (lostPeriod + 1 + delay) * F;
            double step = 0;
            for (int i = resume; i < resume + F; i++) {
                step = Math.max(step, Math.abs(played[i] - played[i - 1]));
            }
            System.out.printf("PLC resume step %-8s %.4f%n", policy, step);
            assertTrue(step <= MAX_STEP, policy + ": step of " + step + " resuming real audio");
            assertEquals(tone.clean[resume - delay * F + F], played[resume + F], policy + ": real audio after the fade");
        }
        // Without the crossfade, silence would have stepped straight to the tone's level here.
        assertTrue(Math.abs(tone.clean[(lostPeriod + 1) * F]) > MAX_STEP);
    }

    @Test
    void a_lost_packet_is_queued_as_concealed_frames_and_counted() {
        final TestStream tone = TestStream.tones(40, 0.5, 440);
        final boolean[] lost = new boolean[40];
        lost[20] = true;
        lost[25] = true;
        lost[30] = true;
        final int delay = tone.delay(tone.play(queue(UnderrunPolicy.PREDICT, new Counters()), new boolean[40]));
        final Counters counters = new Counters();
        final float[] played = tone.play(queue(UnderrunPolicy.PREDICT, counters), lost);
        assertEquals(tone.clean[36 * F], played[(36 + delay) * F], "in step with the signal after the gaps");
        assertEquals(3 * F, counters.get(LinkCounter.CONCEALED));
        assertEquals(0, counters.get(LinkCounter.UNDERRUNS));
        assertTrue(tone.snr(played, delay, 20, lost) > 20, "gaps predicted, not silent");
    }

    @Test
    void an_underrun_is_concealed_and_still_counted() {
        final TestStream tone = TestStream.tones(40, 0.5, 440);
        final Counters counters = new Counters();
        final ReceiveQueue q = queue(UnderrunPolicy.PREDICT, counters);
        final ByteBuffer packet = ByteBuffer.allocate(F * 4);
        final float[][] out = new float[1][F];
        for (int p = 0; p < 20; p++) {
            tone.encode(p, packet);
            q.push(packet, 0, TestStream.BITS, F, 1, p);
            q.pull(out, F);
        }
        // The queue holds two periods before each pull: one plays what is left, three have nothing.
        for (int p = 0; p < 4; p++) {
            q.pull(out, F);
        }
        assertEquals(3, counters.get(LinkCounter.UNDERRUNS), "one per period played with nothing queued");
        double sum = 0;
        for (float v : out[0]) {
            sum += v * v;
        }
        assertTrue(Math.sqrt(sum / F) > 0.3, "a period of the underrun is concealed at full level");
        assertTrue(counters.get(LinkCounter.CONCEALED) >= 3 * F);
    }

    @Test
    void push_and_pull_with_losses_and_outages_allocate_nothing() {
        final com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (UnderrunPolicy policy : UnderrunPolicy.values()) {
            final Driver d = new Driver(policy);
            d.run(20_000);
            final long before = mx.getCurrentThreadAllocatedBytes();
            d.run(20_000);
            final long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            assertEquals(0, allocated, policy + ": bytes allocated over 20000 periods");
            assertTrue(d.counters.get(LinkCounter.UNDERRUNS) > 100, policy + ": outages exercised");
            assertTrue(d.counters.get(LinkCounter.DRIFT_CORRECTIONS) > 100, policy + ": resampling exercised");
            assertTrue(d.counters.get(LinkCounter.CONCEALED) > 100 * F, policy + ": concealment exercised");
        }
    }

    private static ReceiveQueue queue(UnderrunPolicy policy, Counters counters) {
        return new ReceiveQueue(1, F, 2, TestStream.RATE, policy, counters);
    }

    /**
     * Eight channels of tone, with random single losses, bursts and 40-period outages, from a peer
     * whose clock runs 1000 ppm fast, so that the queue resamples.
     */
    private static final class Driver {
        final Counters counters = new Counters();
        final ReceiveQueue queue;
        final ByteBuffer packet = ByteBuffer.allocate(8 * F * 4);
        final float[][] in = new float[8][F];
        final float[][] out = new float[8][F];
        long random = 0x9E3779B97F4A7C15L;
        int seq;
        long pulls;
        int outage;

        Driver(UnderrunPolicy policy) {
            queue = new ReceiveQueue(8, F, 2, TestStream.RATE, policy, counters);
            for (int c = 0; c < 8; c++) {
                for (int i = 0; i < F; i++) {
                    in[c][i] = (float) (0.4 * Math.sin(2 * Math.PI * (c + 1) * 3 * i / F));
                }
            }
            org.jamwire.protocol.SampleCodec.encode(in, 8, F, 24, packet, 0);
        }

        void run(int periods) {
            for (int p = 0; p < periods; p++) {
                random ^= random << 13;
                random ^= random >>> 7;
                random ^= random << 17;
                final int dice = (int) ((random >>> 33) % 1000);
                if (outage > 0) {
                    outage--;
                } else if (dice < 3) {
                    outage = 40;
                } else if (dice >= 30) {
                    // The queue caps a gap at its overflow length, as after a long outage.
                    queue.push(packet, 0, 24, F, 8, seq & 0xFFFF, Math.round(seq * (F * 1e6 / 48_048)));
                }
                seq++;
                queue.pull(out, F, Math.round(pulls++ * (F * 1e6 / TestStream.RATE)));
            }
        }
    }
}

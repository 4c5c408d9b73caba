package org.jamwire.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Packets placed by sequence number: a reordered packet fills its gap if it is not played yet. */
class ReceiveQueueReorderTest {

    private static final int F = TestStream.FRAMES;
    private static final int PERIODS = 60;

    private final TestStream tone = TestStream.tones(PERIODS, 0.4, 440, 1250);
    private final Counters counters = new Counters();
    private final ReceiveQueue queue = new ReceiveQueue(1, F, 3, TestStream.RATE, UnderrunPolicy.ZEROS,
            false, counters);
    private final ByteBuffer packet = ByteBuffer.allocate(F * 4);
    private final float[][] out = new float[1][F];
    private final float[] played = new float[PERIODS * F];

    private void push(int p) {
        tone.encode(p, packet);
        queue.push(packet, 0, TestStream.BITS, F, 1, p & 0xFFFF);
    }

    private void pull(int p) {
        queue.pull(out, F);
        System.arraycopy(out[0], 0, played, p * F, F);
    }

    @Test
    void a_packet_arriving_after_its_successor_is_played_in_its_place() {
        for (int p = 0; p < PERIODS; p++) {
            if (p % 10 == 5) {
                // Period p's packet is held back and arrives just after p + 1's.
                pull(p);
                continue;
            }
            push(p);
            if (p % 10 == 6) {
                push(p - 1);
            }
            pull(p);
        }
        final int delay = tone.delay(played);
        assertEquals(2, delay, "played the whole signal bit-exact, two periods behind");
        for (int i = 0; i < (PERIODS - delay) * F; i++) {
            assertEquals(tone.clean[i], played[i + delay * F], "sample " + i);
        }
        assertEquals(0, counters.get(LinkCounter.CONCEALED));
        assertEquals(0, counters.get(LinkCounter.PACKETS_LATE));
        assertEquals(0, counters.get(LinkCounter.UNDERRUNS));
    }

    @Test
    void a_packet_arriving_after_its_place_was_played_is_late_and_dropped() {
        for (int p = 0; p < 10; p++) {
            if (p != 4) {
                push(p);
            }
            pull(p);
        }
        final long concealed = counters.get(LinkCounter.CONCEALED);
        assertEquals(F, concealed, "period 4 was concealed");
        push(4);
        assertEquals(1, counters.get(LinkCounter.PACKETS_LATE));
        for (int p = 10; p < 20; p++) {
            push(p);
            pull(p);
        }
        assertEquals(concealed, counters.get(LinkCounter.CONCEALED), "nothing played twice or skipped");
        assertEquals(0, counters.get(LinkCounter.UNDERRUNS));
    }

    @Test
    void a_packet_older_than_a_restart_is_not_put_back() {
        for (int p = 0; p < 5; p++) {
            push(p);
            pull(p);
        }
        tone.encode(20, packet);
        queue.push(packet, 0, TestStream.BITS, F, 1, 20 | ReceiveQueue.RESTART);
        push(19);
        assertEquals(1, counters.get(LinkCounter.PACKETS_LATE));
    }

    @Test
    void a_lost_packet_is_interpolated_and_the_audio_after_it_plays_untouched() {
        final ReceiveQueue predicting = new ReceiveQueue(1, F, 3, TestStream.RATE, UnderrunPolicy.PREDICT,
                false, counters);
        final TestStream tones = TestStream.tones(PERIODS, 0.3, 440, 660);
        for (int p = 0; p < PERIODS; p++) {
            if (p != 40) {
                tones.encode(p, packet);
                predicting.push(packet, 0, TestStream.BITS, F, 1, p);
            }
            predicting.pull(out, F);
            System.arraycopy(out[0], 0, played, p * F, F);
        }
        assertEquals(F, counters.get(LinkCounter.CONCEALED));
        final int delay = 2;
        double noise = 0;
        double signal = 0;
        for (int i = 0; i < (PERIODS - delay) * F; i++) {
            final float expected = tones.clean[i];
            final float got = played[i + delay * F];
            if (i / F == 40) {
                noise += (got - expected) * (got - expected);
                signal += expected * expected;
            } else {
                assertEquals(expected, got, "sample " + i + ", period " + i / F);
            }
        }
        final double snr = 10 * Math.log10(signal / noise);
        assertTrue(snr > 30, "the lost period came back at " + snr + " dB SNR");
    }
}

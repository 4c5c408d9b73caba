package org.jamwire.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * This end's audio server stands still (an xrun that skips time) while the peer keeps sending:
 * what arrived meanwhile is a surplus for good, skipped right after the stall, with it. A server
 * that catches up instead, running its missed periods back to back, loses nothing. When the peer's
 * server skips time instead, the queue is left short, and steps back once its packets come late.
 */
class ReceiveQueueStallTest {

    private static final int F = TestStream.FRAMES;
    private static final long PERIOD_MICROS = 1_000_000L * F / TestStream.RATE;
    private static final int PERIODS = 500;

    private final TestStream tone = TestStream.tones(PERIODS, 0.4, 440, 1250);
    private final Counters counters = new Counters();
    private final ReceiveQueue queue = new ReceiveQueue(1, F, 3, TestStream.RATE, UnderrunPolicy.ZEROS,
            false, counters);
    private final ByteBuffer packet = ByteBuffer.allocate(F * 4);
    private final float[][] out = new float[1][F];
    private long now = 1_000_000;

    private void push(int p) {
        tone.encode(p, packet);
        queue.push(packet, 0, TestStream.BITS, F, 1, p & 0xFFFF);
    }

    private void pull() {
        queue.pull(out, F, now);
    }

    /** Plays {@code periods} periods on time, each with its packet, from sequence {@code from}; returns the next. */
    private int stream(int from, int periods) {
        for (int p = from; p < from + periods; p++) {
            push(p);
            pull();
            now += PERIOD_MICROS;
        }
        return from + periods;
    }

    @Test
    void a_surplus_left_by_a_stall_goes_within_a_few_periods_of_it() {
        int sent = stream(0, 100);
        final int steady = queue.level();
        // Three periods of this end's time skipped; the peer's three packets arrive meanwhile.
        for (int i = 0; i < 3; i++) {
            push(sent++);
            now += PERIOD_MICROS;
        }
        stream(sent, SurplusWatch.AFTER_STALL_PERIODS + 1);
        assertEquals(3, counters.get(LinkCounter.OVERFLOWS), "the three periods the stall left over");
        assertEquals(steady, queue.level(), "back at the queue's length");
    }

    @Test
    void packets_straddling_their_turn_after_the_peer_skipped_time_step_back_once_and_glitch_no_more() {
        int sent = stream(0, 100);
        // The peer's audio server skips two periods: nothing comes for them, and from then on its
        // packets are due just as they arrive.
        for (int i = 0; i < 2; i++) {
            pull();
            now += PERIOD_MICROS;
        }
        // They come by turns just before and just after their turn, never two late in a row.
        for (int i = 0; i < 200; i++) {
            if (i % 2 == 0) {
                push(sent++);
                pull();
            } else {
                pull();
                push(sent++);
            }
            now += PERIOD_MICROS;
        }
        final String seen = counters.get(LinkCounter.PACKETS_LATE) + " late, "
                + counters.get(LinkCounter.STEP_BACKS) + " step backs, " + counters.get(LinkCounter.UNDERRUNS)
                + " underruns";
        assertEquals(1, counters.get(LinkCounter.STEP_BACKS), seen);
        assertTrue(counters.get(LinkCounter.PACKETS_LATE) <= ReceiveQueue.LATE_IN_ROW, seen);
    }

    @Test
    void a_server_that_catches_up_loses_nothing() {
        int sent = stream(0, 100);
        // Three periods late, then the missed periods run back to back.
        for (int i = 0; i < 3; i++) {
            push(sent++);
        }
        now += 3 * PERIOD_MICROS;
        for (int i = 0; i < 3; i++) {
            pull();
            now += 10;
        }
        stream(sent, 300);
        assertEquals(0, counters.get(LinkCounter.OVERFLOWS));
        assertEquals(0, counters.get(LinkCounter.CONCEALED));
    }
}

package org.jamwire.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    private final SequenceTracker tracker = new SequenceTracker();

    private int accept(int... seqs) {
        return tracker.accept(seqs, seqs.length);
    }

    @Test
    void delivers_the_first_datagram() {
        assertEquals(0, accept(100));
        assertEquals(0, tracker.lost());
    }

    @Test
    void delivers_consecutive_packets_without_loss() {
        accept(1);
        assertEquals(0, accept(2));
        assertEquals(0, tracker.lost());
    }

    @Test
    void counts_a_gap_as_lost() {
        accept(1);
        assertEquals(0, accept(4));
        assertEquals(2, tracker.lost());
    }

    @Test
    void drops_a_repeat_of_the_last_packet_as_duplicate() {
        accept(7);
        assertEquals(SequenceTracker.DUPLICATE, accept(7));
    }

    @Test
    void drops_an_older_packet_as_late() {
        accept(7);
        accept(8);
        assertEquals(SequenceTracker.LATE, accept(6));
    }

    @Test
    void follows_sequence_wrap() {
        accept(65535);
        assertEquals(0, accept(0));
        assertEquals(0, tracker.lost());
    }

    @Test
    void revives_a_lost_packet_from_a_redundant_copy() {
        accept(10);
        assertEquals(1, accept(12, 11, 10));
        assertEquals(0, tracker.lost());
    }

    @Test
    void revives_what_it_can_and_counts_the_rest_lost() {
        accept(10);
        assertEquals(1, accept(15, 14));
        assertEquals(3, tracker.lost());
    }

    @Test
    void ignores_unfilled_redundant_slots() {
        accept(0);
        assertEquals(0, accept(1, 0, 0));
        assertEquals(0, tracker.lost());
    }

    @Test
    void resyncs_after_repeated_jumps_beyond_the_gap_limit() {
        accept(100);
        for (int i = 1; i < SequenceTracker.RESYNC_AFTER; i++) {
            assertEquals(SequenceTracker.LATE, accept(30000 + i));
        }
        assertEquals(0, accept(30000 + SequenceTracker.RESYNC_AFTER));
        assertEquals(0, accept(30001 + SequenceTracker.RESYNC_AFTER));
        assertEquals(0, tracker.lost());
    }
}

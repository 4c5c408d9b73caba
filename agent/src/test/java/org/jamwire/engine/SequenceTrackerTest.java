package org.jamwire.engine;

import static org.jamwire.engine.SequenceTracker.DUPLICATE;
import static org.jamwire.engine.SequenceTracker.NEWER;
import static org.jamwire.engine.SequenceTracker.REORDERED;
import static org.jamwire.engine.SequenceTracker.RESTART;
import static org.jamwire.engine.SequenceTracker.STALE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    private final SequenceTracker tracker = new SequenceTracker();

    private int accept(int... seqs) {
        return tracker.accept(seqs, seqs.length);
    }

    /** The copy indexes delivered by the last accept, oldest first. */
    private int[] delivered() {
        final int[] d = new int[tracker.deliveries()];
        for (int k = 0; k < d.length; k++) {
            d[k] = tracker.delivery(k);
        }
        return d;
    }

    @Test
    void delivers_the_first_datagram_as_a_restart() {
        assertEquals(RESTART, accept(100));
        assertArrayEquals(new int[] {0}, delivered());
        assertEquals(0, tracker.lost());
    }

    @Test
    void delivers_consecutive_packets_without_loss() {
        accept(1);
        assertEquals(NEWER, accept(2));
        assertArrayEquals(new int[] {0}, delivered());
        assertEquals(0, tracker.lost());
    }

    @Test
    void counts_a_gap_as_lost() {
        accept(1);
        assertEquals(NEWER, accept(4));
        assertEquals(2, tracker.lost());
    }

    @Test
    void drops_a_repeat_of_the_last_packet_as_duplicate() {
        accept(7);
        assertEquals(DUPLICATE, accept(7));
        assertEquals(0, tracker.deliveries());
    }

    @Test
    void a_reordered_packet_fills_its_gap_once() {
        accept(7);
        accept(9);
        assertEquals(1, tracker.lost());
        assertEquals(REORDERED, accept(8));
        assertArrayEquals(new int[] {0}, delivered());
        assertEquals(DUPLICATE, accept(8), "its second copy");
        assertEquals(NEWER, accept(10));
        assertEquals(0, tracker.lost());
    }

    @Test
    void a_packet_from_before_the_first_one_is_stale() {
        accept(7);
        accept(8);
        assertEquals(STALE, accept(6));
    }

    @Test
    void a_packet_beyond_the_window_is_stale() {
        accept(0);
        accept(1);
        accept(1 + SequenceTracker.WINDOW);
        assertEquals(REORDERED, accept(2 + 1), "inside the window");
        assertEquals(STALE, accept(1));
    }

    @Test
    void a_reordered_datagram_delivers_only_its_missing_copies_oldest_first() {
        accept(10);
        accept(11, 10);
        assertEquals(NEWER, accept(16, 15));
        assertEquals(3, tracker.lost());
        assertEquals(1, tracker.revived());
        // 13 and 12 missing, 14 too: a late datagram carrying 14 and 13 brings both.
        assertEquals(REORDERED, accept(14, 13));
        assertArrayEquals(new int[] {1, 0}, delivered());
        assertEquals(REORDERED, accept(13, 12));
        assertArrayEquals(new int[] {1}, delivered());
        assertEquals(DUPLICATE, accept(13, 12));
    }

    @Test
    void follows_sequence_wrap() {
        accept(65535);
        assertEquals(NEWER, accept(0));
        assertEquals(0, tracker.lost());
        accept(2);
        assertEquals(REORDERED, accept(1));
    }

    @Test
    void revives_a_lost_packet_from_a_redundant_copy() {
        accept(10);
        assertEquals(NEWER, accept(12, 11, 10));
        assertArrayEquals(new int[] {1, 0}, delivered());
        assertEquals(0, tracker.lost());
        assertEquals(1, tracker.revived());
    }

    @Test
    void revives_what_it_can_and_counts_the_rest_lost() {
        accept(10);
        assertEquals(NEWER, accept(15, 14));
        assertEquals(3, tracker.lost());
        assertEquals(1, tracker.revived());
    }

    @Test
    void ignores_unfilled_redundant_slots() {
        accept(0);
        assertEquals(NEWER, accept(1, 0, 0));
        assertArrayEquals(new int[] {0}, delivered());
        assertEquals(0, tracker.lost());
    }

    @Test
    void a_gap_larger_than_the_window_loses_its_old_end_for_good() {
        accept(0);
        assertEquals(NEWER, accept(100));
        assertEquals(99, tracker.lost());
        assertEquals(STALE, accept(30));
        assertEquals(REORDERED, accept(40));
    }

    @Test
    void resyncs_after_repeated_jumps_beyond_the_gap_limit() {
        accept(100);
        for (int i = 1; i < SequenceTracker.RESYNC_AFTER; i++) {
            assertEquals(STALE, accept(30000 + i));
        }
        assertEquals(RESTART, accept(30000 + SequenceTracker.RESYNC_AFTER));
        assertEquals(NEWER, accept(30001 + SequenceTracker.RESYNC_AFTER));
        assertEquals(0, tracker.lost());
    }

    @Test
    void a_peer_restarting_its_sequence_soon_after_starting_is_followed() {
        for (int s = 0; s < 30; s++) {
            accept(s);
        }
        for (int s = 0; s < SequenceTracker.RESYNC_AFTER - 1; s++) {
            assertEquals(DUPLICATE, accept(s));
        }
        assertEquals(RESTART, accept(SequenceTracker.RESYNC_AFTER - 1));
        assertEquals(NEWER, accept(SequenceTracker.RESYNC_AFTER));
    }

    @Test
    void reordered_packets_do_not_count_towards_a_resync() {
        accept(0);
        accept(20);
        for (int s = 1; s < 20; s++) {
            assertEquals(REORDERED, accept(s));
        }
        assertEquals(NEWER, accept(21));
    }
}

package org.jamwire.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PacketRingTest {

    @Test
    void rounds_capacity_up_to_a_power_of_two() {
        assertEquals(8, new PacketRing(5, 4).capacity());
        assertEquals(4, new PacketRing(4, 4).capacity());
    }

    @Test
    void delivers_slots_in_order_with_length_and_tag() {
        final PacketRing ring = new PacketRing(4, 8);
        for (int i = 0; i < 3; i++) {
            final int s = ring.claim();
            ring.buffer(s).put(0, (byte) i);
            ring.commit(s, i + 1, 10 * i);
        }
        for (int i = 0; i < 3; i++) {
            final int s = ring.peek();
            assertEquals(i, ring.buffer(s).get(0));
            assertEquals(i + 1, ring.length(s));
            assertEquals(10 * i, ring.tag(s));
            ring.release();
        }
        assertEquals(PacketRing.NONE, ring.peek());
    }

    @Test
    void refuses_a_claim_when_full() {
        final PacketRing ring = new PacketRing(2, 8);
        ring.commit(ring.claim(), 1);
        ring.commit(ring.claim(), 1);
        assertEquals(PacketRing.NONE, ring.claim());
        ring.peek();
        ring.release();
        assertEquals(true, ring.claim() != PacketRing.NONE);
    }

    @Test
    void carries_every_item_across_threads_in_order() throws Exception {
        final PacketRing ring = new PacketRing(8, 8);
        final int n = 50_000;
        final Thread producer = new Thread(() -> {
            for (int i = 0; i < n; ) {
                final int s = ring.claim();
                if (s == PacketRing.NONE) {
                    Thread.yield();
                    continue;
                }
                ring.buffer(s).putInt(0, i);
                ring.commit(s, 4);
                i++;
            }
        });
        producer.start();
        for (int expected = 0; expected < n; ) {
            final int s = ring.peek();
            if (s == PacketRing.NONE) {
                Thread.yield();
                continue;
            }
            assertEquals(expected, ring.buffer(s).getInt(0));
            ring.release();
            expected++;
        }
        producer.join();
    }
}

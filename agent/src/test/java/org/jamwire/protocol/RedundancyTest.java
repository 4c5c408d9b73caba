package org.jamwire.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RedundancyTest {

    @Test
    void places_packets_newest_first_at_whole_strides() {
        assertEquals(0, Redundancy.packetOffset(0, 272));
        assertEquals(544, Redundancy.packetOffset(2, 272));
    }

    @Test
    void reads_the_stride_from_a_header() {
        final ByteBuffer b = ByteBuffer.allocate(16);
        PacketHeader.write(b, 0, 0, 0, 64, 3, 24, 1, 2);
        assertEquals(16 + 64 * 2 * 3, Redundancy.stride(b, 0));
    }

    @Test
    void has_no_stride_for_an_unsupported_resolution() {
        final ByteBuffer b = ByteBuffer.allocate(16);
        PacketHeader.write(b, 0, 0, 0, 64, 3, 7, 2, 2);
        assertEquals(-1, Redundancy.stride(b, 0));
    }

    @Test
    void shifts_packets_one_slot_older_dropping_the_oldest() {
        final ByteBuffer b = ByteBuffer.wrap(new byte[] {9, 1, 1, 2, 2, 3, 3, 9});
        Redundancy.shiftOlder(b, 1, 2, 3);
        assertArrayEquals(new byte[] {9, 1, 1, 1, 1, 2, 2, 9}, b.array());
    }
}

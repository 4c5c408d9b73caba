package org.jamwire.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatagramCheckTest {

    private static final int AT = 3;

    /** A buffer holding one header at {@link #AT} and room for {@code length} bytes. */
    private static ByteBuffer datagram(int frames, int bits, int receive, int send, int length) {
        final ByteBuffer b = ByteBuffer.allocate(AT + Math.max(length, PacketHeader.LENGTH));
        PacketHeader.write(b, AT, 1L, 9, frames, 3, bits, receive, send);
        return b;
    }

    private static int check(int frames, int bits, int receive, int send, int length) {
        return DatagramCheck.check(datagram(frames, bits, receive, send, length), AT, length);
    }

    @Test
    void accepts_one_whole_packet() {
        assertEquals(DatagramCheck.OK, check(64, 16, 2, 2, 16 + 256));
    }

    @Test
    void accepts_every_supported_resolution() {
        assertEquals(DatagramCheck.OK, check(32, 8, 1, 1, 16 + 32));
        assertEquals(DatagramCheck.OK, check(32, 24, 1, 1, 16 + 96));
        assertEquals(DatagramCheck.OK, check(32, 32, 1, 1, 16 + 128));
    }

    @Test
    void accepts_up_to_16_redundant_copies() {
        assertEquals(DatagramCheck.OK, check(64, 16, 2, 2, 3 * 272));
        assertEquals(DatagramCheck.OK, check(64, 16, 2, 2, 16 * 272));
    }

    @Test
    void accepts_a_bare_header_from_a_receive_only_peer() {
        assertEquals(DatagramCheck.OK, check(64, 16, 2, 0, 16));
    }

    @Test
    void accepts_redundant_bare_headers() {
        assertEquals(DatagramCheck.OK, check(64, 16, 2, 0, 32));
    }

    @Test
    void accepts_the_largest_period() {
        assertEquals(DatagramCheck.OK, check(8192, 8, 1, 1, 16 + 8192));
    }

    @Test
    void reports_a_datagram_shorter_than_a_header() {
        assertEquals(DatagramCheck.TOO_SHORT, check(64, 16, 2, 2, 15));
        assertEquals(DatagramCheck.TOO_SHORT, check(64, 16, 2, 2, 0));
    }

    @Test
    void reports_the_exit_packet_as_stop() {
        final ByteBuffer b = ByteBuffer.allocate(AT + 63);
        StopPacket.write(b, AT);
        assertEquals(DatagramCheck.STOP, DatagramCheck.check(b, AT, 63));
    }

    @Test
    void reports_other_63_byte_datagrams_as_control() {
        assertEquals(DatagramCheck.CONTROL, check(64, 16, 2, 2, 63));
    }

    @Test
    void reports_control_even_when_63_bytes_would_be_a_whole_packet() {
        // 16 + 47 frames x 1 channel x 1 byte = 63: jacktrip still never plays it.
        assertEquals(DatagramCheck.CONTROL, check(47, 8, 1, 1, 63));
    }

    @Test
    void reports_an_unsupported_bit_resolution() {
        assertEquals(DatagramCheck.BAD_BIT_RESOLUTION, check(64, 2, 2, 2, 16 + 256));
        assertEquals(DatagramCheck.BAD_BIT_RESOLUTION, check(64, 0, 2, 2, 16));
    }

    @Test
    void reports_a_zero_buffer_size() {
        assertEquals(DatagramCheck.BAD_BUFFER_SIZE, check(0, 16, 2, 2, 16));
    }

    @Test
    void reports_a_buffer_size_over_8192_frames() {
        assertEquals(DatagramCheck.BAD_BUFFER_SIZE, check(8193, 8, 1, 1, 16 + 8193));
    }

    @Test
    void reports_a_header_with_no_channels_either_way() {
        assertEquals(DatagramCheck.BAD_CHANNELS, check(64, 16, 0, 0, 16));
    }

    @Test
    void reports_a_partial_packet() {
        assertEquals(DatagramCheck.LENGTH_MISMATCH, check(64, 16, 2, 2, 16 + 255));
        assertEquals(DatagramCheck.LENGTH_MISMATCH, check(64, 16, 2, 2, 16 + 257));
    }

    @Test
    void reports_a_payload_sized_for_other_channel_counts() {
        assertEquals(DatagramCheck.LENGTH_MISMATCH, check(64, 16, 2, 1, 16 + 256));
    }

    @Test
    void reports_more_than_16_copies() {
        assertEquals(DatagramCheck.LENGTH_MISMATCH, check(64, 16, 2, 2, 17 * 272));
    }

    @Test
    void counts_copies_in_a_redundant_datagram() {
        assertEquals(1, DatagramCheck.copies(datagram(64, 16, 2, 2, 272), AT, 272));
        assertEquals(3, DatagramCheck.copies(datagram(64, 16, 2, 2, 816), AT, 816));
    }

    @Test
    void counts_no_copies_in_an_invalid_datagram() {
        assertEquals(0, DatagramCheck.copies(datagram(64, 16, 2, 2, 300), AT, 300));
        assertEquals(0, DatagramCheck.copies(datagram(64, 16, 2, 2, 63), AT, 63));
    }

    @Test
    void describes_every_code_distinctly() {
        final Set<String> seen = new HashSet<>();
        for (int code = DatagramCheck.OK; code <= DatagramCheck.LENGTH_MISMATCH; code++) {
            assertTrue(seen.add(DatagramCheck.describe(code)), "code " + code);
        }
    }

    @Test
    void explains_a_length_mismatch_with_the_numbers() {
        final ByteBuffer b = datagram(64, 16, 2, 2, 300);
        assertEquals("datagram length is not 1 to 16 whole packets of the size its header announces"
                + " (300 bytes; header says 64 frames x 2 channels x 16 bits = 272 bytes per packet)",
                DatagramCheck.explain(b, AT, 300));
    }

    @Test
    void explains_a_bad_resolution_with_the_value() {
        final ByteBuffer b = datagram(64, 12, 2, 2, 16);
        assertEquals("bit resolution in header byte 13 is not 8, 16, 24 or 32 (got 12)",
                DatagramCheck.explain(b, AT, 16));
    }
}

package org.jamwire.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PacketHeaderTest {

    private static final int AT = 5;

    private static ByteBuffer stereoHeader(ByteOrder order) {
        final ByteBuffer b = ByteBuffer.allocate(AT + PacketHeader.LENGTH).order(order);
        PacketHeader.write(b, AT, 0x0102030405060708L, 0xBEEF, 64, 3, 16, 2, 2);
        return b;
    }

    private static byte[] headerBytes(ByteBuffer b) {
        return Arrays.copyOfRange(b.array(), AT, AT + PacketHeader.LENGTH);
    }

    @Test
    void writes_little_endian_fields_at_the_documented_offsets() {
        final byte[] expected = {
            0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, // timestamp
            (byte) 0xEF, (byte) 0xBE, // sequence
            0x40, 0x00, // buffer size 64
            3, 16, 2, 0 // rate code, bits, incoming, outgoing
        };
        assertArrayEquals(expected, headerBytes(stereoHeader(ByteOrder.BIG_ENDIAN)));
    }

    @Test
    void writes_the_same_bytes_whatever_the_buffer_order() {
        assertArrayEquals(headerBytes(stereoHeader(ByteOrder.BIG_ENDIAN)),
                headerBytes(stereoHeader(ByteOrder.LITTLE_ENDIAN)));
    }

    @Test
    void leaves_the_buffer_order_and_position_alone() {
        final ByteBuffer b = stereoHeader(ByteOrder.BIG_ENDIAN);
        PacketHeader.sequence(b, AT);
        assertEquals(ByteOrder.BIG_ENDIAN, b.order());
        assertEquals(0, b.position());
    }

    @Test
    void reads_back_every_field() {
        final ByteBuffer b = stereoHeader(ByteOrder.BIG_ENDIAN);
        assertEquals(0x0102030405060708L, PacketHeader.timestamp(b, AT));
        assertEquals(0xBEEF, PacketHeader.sequence(b, AT));
        assertEquals(64, PacketHeader.bufferSize(b, AT));
        assertEquals(3, PacketHeader.sampleRateCode(b, AT));
        assertEquals(16, PacketHeader.bitResolution(b, AT));
        assertEquals(2, PacketHeader.incomingChannels(b, AT));
        assertEquals(0, PacketHeader.outgoingChannelsByte(b, AT));
        assertEquals(2, PacketHeader.payloadChannels(b, AT));
    }

    @Test
    void reads_a_timestamp_with_the_top_bit_set() {
        final ByteBuffer b = ByteBuffer.allocate(PacketHeader.LENGTH);
        PacketHeader.write(b, 0, -2L, 0, 64, 3, 16, 2, 2);
        assertEquals(-2L, PacketHeader.timestamp(b, 0));
    }

    @Test
    void wraps_the_sequence_number_to_sixteen_bits() {
        final ByteBuffer b = ByteBuffer.allocate(PacketHeader.LENGTH);
        PacketHeader.write(b, 0, 0, 65536 + 7, 64, 3, 16, 2, 2);
        assertEquals(7, PacketHeader.sequence(b, 0));
        PacketHeader.write(b, 0, 0, 65535, 64, 3, 16, 2, 2);
        assertEquals(65535, PacketHeader.sequence(b, 0));
    }

    @Test
    void encodes_equal_channel_counts_as_outgoing_zero() {
        final ByteBuffer b = ByteBuffer.allocate(PacketHeader.LENGTH);
        PacketHeader.write(b, 0, 0, 0, 64, 3, 16, 3, 3);
        assertEquals(3, b.get(14));
        assertEquals(0, b.get(15));
        assertEquals(3, PacketHeader.payloadChannels(b, 0));
    }

    @Test
    void encodes_zero_send_channels_as_outgoing_255() {
        final ByteBuffer b = ByteBuffer.allocate(PacketHeader.LENGTH);
        PacketHeader.write(b, 0, 0, 0, 64, 3, 16, 2, 0);
        assertEquals(2, b.get(14));
        assertEquals(255, b.get(15) & 0xFF);
        assertEquals(0, PacketHeader.payloadChannels(b, 0));
    }

    @Test
    void encodes_fewer_send_than_receive_channels_literally() {
        final ByteBuffer b = ByteBuffer.allocate(PacketHeader.LENGTH);
        PacketHeader.write(b, 0, 0, 0, 64, 3, 16, 2, 1);
        assertEquals(2, b.get(14));
        assertEquals(1, b.get(15));
        assertEquals(1, PacketHeader.payloadChannels(b, 0));
    }

    @Test
    void encodes_more_send_than_receive_channels_literally() {
        final ByteBuffer b = ByteBuffer.allocate(PacketHeader.LENGTH);
        PacketHeader.write(b, 0, 0, 0, 64, 3, 16, 1, 2);
        assertEquals(1, b.get(14));
        assertEquals(2, b.get(15));
        assertEquals(2, PacketHeader.payloadChannels(b, 0));
    }

    @Test
    void encodes_no_channels_either_way_as_zero_zero() {
        assertEquals(0, PacketHeader.outgoingByte(0, 0));
    }

    @Test
    void computes_payload_and_packet_lengths() {
        assertEquals(64 * 2 * 3, PacketHeader.payloadLength(64, 2, 24));
        assertEquals(16 + 64 * 2 * 2, PacketHeader.packetLength(64, 2, 16));
        assertEquals(16, PacketHeader.packetLength(64, 0, 32));
    }
}

package org.jamwire.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class StopPacketTest {

    @Test
    void writes_63_bytes_of_ff_and_nothing_else() {
        final ByteBuffer b = ByteBuffer.allocate(3 + 63 + 3);
        StopPacket.write(b, 3);
        for (int i = 0; i < b.capacity(); i++) {
            assertEquals(i >= 3 && i < 66 ? (byte) 0xFF : 0, b.get(i), "byte " + i);
        }
    }

    @Test
    void recognises_what_it_writes() {
        final ByteBuffer b = ByteBuffer.allocate(70);
        StopPacket.write(b, 7);
        assertTrue(StopPacket.isStop(b, 7, 63));
    }

    @Test
    void rejects_a_63_byte_datagram_with_one_byte_off() {
        final ByteBuffer b = ByteBuffer.allocate(63);
        StopPacket.write(b, 0);
        b.put(62, (byte) 0xFE);
        assertFalse(StopPacket.isStop(b, 0, 63));
    }

    @Test
    void rejects_other_lengths_of_ff() {
        final ByteBuffer b = ByteBuffer.allocate(64);
        StopPacket.write(b, 0);
        b.put(63, (byte) 0xFF);
        assertFalse(StopPacket.isStop(b, 0, 64));
        assertFalse(StopPacket.isStop(b, 0, 62));
    }

    @Test
    void treats_every_63_byte_datagram_as_control() {
        assertTrue(StopPacket.isControl(63));
        assertFalse(StopPacket.isControl(62));
        assertFalse(StopPacket.isControl(64));
    }
}

package org.jamwire.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcapTest {

    private static final byte[] PAYLOAD = {1, 2, 3, 4, 5};

    /** Builds a pcap file whose every record is {@code linkHeader} + IPv4 + UDP 4474 -> 4464. */
    private static byte[] pcap(ByteOrder order, int linkType, byte[] linkHeader, int ipProtocol) {
        final ByteBuffer ip = ByteBuffer.allocate(20 + 8 + PAYLOAD.length); // big-endian, as on the wire
        ip.put(0, (byte) 0x45).putShort(2, (short) ip.capacity()).put(8, (byte) 64);
        ip.put(9, (byte) ipProtocol);
        ip.putShort(20, (short) 4474).putShort(22, (short) 4464);
        ip.putShort(24, (short) (8 + PAYLOAD.length));
        ip.position(28);
        ip.put(PAYLOAD);
        final int frameLength = linkHeader.length + ip.capacity();
        final ByteBuffer file = ByteBuffer.allocate(24 + 16 + frameLength).order(order);
        file.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(65535).putInt(linkType);
        file.putInt(0).putInt(0).putInt(frameLength).putInt(frameLength);
        file.put(linkHeader).put(ip.array());
        return file.array();
    }

    private static void assertOneDatagram(List<Pcap.Udp> udp) {
        assertEquals(1, udp.size());
        assertEquals(4474, udp.get(0).srcPort());
        assertEquals(4464, udp.get(0).dstPort());
        assertArrayEquals(PAYLOAD, udp.get(0).payload());
    }

    @Test
    void reads_ethernet_frames() {
        final byte[] ethernet = new byte[14];
        ethernet[12] = 0x08;
        assertOneDatagram(Pcap.read(pcap(ByteOrder.LITTLE_ENDIAN, Pcap.DLT_EN10MB, ethernet, 17)));
    }

    @Test
    void reads_ethernet_frames_with_a_vlan_tag() {
        final byte[] ethernet = new byte[18];
        ethernet[12] = (byte) 0x81;
        ethernet[16] = 0x08;
        assertOneDatagram(Pcap.read(pcap(ByteOrder.LITTLE_ENDIAN, Pcap.DLT_EN10MB, ethernet, 17)));
    }

    @Test
    void reads_bsd_loopback_frames_in_either_byte_order() {
        final byte[] littleEndianInet = {2, 0, 0, 0};
        final byte[] bigEndianInet = {0, 0, 0, 2};
        assertOneDatagram(Pcap.read(pcap(ByteOrder.LITTLE_ENDIAN, Pcap.DLT_NULL, littleEndianInet, 17)));
        assertOneDatagram(Pcap.read(pcap(ByteOrder.BIG_ENDIAN, Pcap.DLT_NULL, bigEndianInet, 17)));
    }

    @Test
    void reads_raw_ip_frames() {
        assertOneDatagram(Pcap.read(pcap(ByteOrder.LITTLE_ENDIAN, Pcap.DLT_RAW, new byte[0], 17)));
    }

    @Test
    void reads_linux_cooked_frames() {
        final byte[] sll = new byte[16];
        sll[14] = 0x08;
        assertOneDatagram(Pcap.read(pcap(ByteOrder.LITTLE_ENDIAN, Pcap.DLT_LINUX_SLL, sll, 17)));
    }

    @Test
    void reads_big_endian_files() {
        assertOneDatagram(Pcap.read(pcap(ByteOrder.BIG_ENDIAN, Pcap.DLT_RAW, new byte[0], 17)));
    }

    @Test
    void skips_tcp() {
        assertTrue(Pcap.read(pcap(ByteOrder.LITTLE_ENDIAN, Pcap.DLT_RAW, new byte[0], 6)).isEmpty());
    }

    @Test
    void rejects_files_that_are_not_classic_pcap() {
        final ByteArrayOutputStream pcapng = new ByteArrayOutputStream();
        pcapng.writeBytes(new byte[] {0x0A, 0x0D, 0x0D, 0x0A});
        pcapng.writeBytes(new byte[20]);
        assertThrows(IllegalArgumentException.class, () -> Pcap.read(pcapng.toByteArray()));
    }

    @Test
    void reads_the_captured_hub_session_skipping_its_tcp_handshake() {
        assertEquals(4, Pcap.readResource("/captures/hub.pcap").size());
    }
}

package org.jamwire.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the IPv4/UDP datagrams out of a classic pcap file, for golden tests against packets
 * captured from a real jacktrip. Test code only; runs on the test thread.
 */
public final class Pcap {

    /** BSD loopback: a 4-byte address family in the capturing host's byte order. */
    public static final int DLT_NULL = 0;
    /** Ethernet II, optionally with 802.1Q tags. */
    public static final int DLT_EN10MB = 1;
    /** Raw IP, no link header. */
    public static final int DLT_RAW = 101;
    /** Linux "cooked" capture, a 16-byte pseudo header. */
    public static final int DLT_LINUX_SLL = 113;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int IPPROTO_UDP = 17;
    private static final int UDP_HEADER = 8;

    /**
     * One UDP datagram.
     *
     * @param srcPort UDP source port
     * @param dstPort UDP destination port
     * @param payload the UDP payload
     */
    public record Udp(int srcPort, int dstPort, byte[] payload) {

        /** Returns a copy of the payload in a buffer positioned at 0. */
        public ByteBuffer buffer() {
            return ByteBuffer.wrap(payload.clone());
        }

        /** Returns the payload length. */
        public int length() {
            return payload.length;
        }
    }

    private Pcap() {}

    /** Reads the UDP datagrams of a pcap on the test class path, such as "/captures/p2p.pcap". */
    public static List<Udp> readResource(String name) {
        try (InputStream in = Pcap.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no such test resource: " + name);
            }
            return read(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the IPv4 UDP datagrams of a classic pcap file; other records are skipped. */
    public static List<Udp> read(byte[] file) {
        final ByteBuffer b = ByteBuffer.wrap(file);
        b.order(ByteOrder.LITTLE_ENDIAN);
        final int magic = b.getInt(0);
        if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
            b.order(ByteOrder.BIG_ENDIAN);
        } else if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            throw new IllegalArgumentException(
                    "not a classic pcap file (magic " + Integer.toHexString(magic) + ")");
        }
        final int linkType = b.getInt(20) & 0xFFFF;
        final List<Udp> out = new ArrayList<>();
        int at = 24;
        while (at + 16 <= file.length) {
            final int captured = b.getInt(at + 8);
            final int start = at + 16;
            at = start + captured;
            if (at > file.length) {
                throw new IllegalArgumentException("truncated pcap record at byte " + start);
            }
            final int ip = ipv4Start(b, start, captured, linkType);
            if (ip >= 0) {
                udp(file, ip, start + captured, out);
            }
        }
        return out;
    }

    /** Returns where the IPv4 header starts in a frame, or -1 if the frame is not IPv4. */
    private static int ipv4Start(ByteBuffer b, int frame, int length, int linkType) {
        switch (linkType) {
            case DLT_NULL:
                // The family is in the capturing host's order; AF_INET is 2 everywhere.
                final int family = length >= 4 ? b.getInt(frame) : -1;
                return family == 2 || Integer.reverseBytes(family) == 2 ? frame + 4 : -1;
            case DLT_EN10MB: {
                int typeAt = frame + 12;
                while (length >= typeAt - frame + 2 && be16(b, typeAt) == ETHERTYPE_VLAN) {
                    typeAt += 4;
                }
                final boolean ipv4 = length >= typeAt - frame + 2 && be16(b, typeAt) == ETHERTYPE_IPV4;
                return ipv4 ? typeAt + 2 : -1;
            }
            case DLT_RAW:
                return length >= 1 && (b.get(frame) & 0xF0) == 0x40 ? frame : -1;
            case DLT_LINUX_SLL:
                return length >= 16 && be16(b, frame + 14) == ETHERTYPE_IPV4 ? frame + 16 : -1;
            default:
                throw new IllegalArgumentException("unsupported pcap link type " + linkType);
        }
    }

    private static void udp(byte[] file, int ip, int frameEnd, List<Udp> out) {
        final ByteBuffer b = ByteBuffer.wrap(file);
        if (frameEnd - ip < 20 || (file[ip] & 0xF0) != 0x40 || (file[ip + 9] & 0xFF) != IPPROTO_UDP) {
            return;
        }
        if ((be16(b, ip + 6) & 0x3FFF) != 0) {
            return; // a fragment; loopback captures never fragment, so no reassembly here
        }
        final int udp = ip + (file[ip] & 0x0F) * 4;
        final int udpLength = be16(b, udp + 4);
        if (udpLength < UDP_HEADER || udp + udpLength > frameEnd) {
            throw new IllegalArgumentException("UDP datagram truncated by the capture at byte " + udp);
        }
        out.add(new Udp(be16(b, udp), be16(b, udp + 2),
                Arrays.copyOfRange(file, udp + UDP_HEADER, udp + udpLength)));
    }

    private static int be16(ByteBuffer b, int at) {
        return (b.get(at) & 0xFF) << 8 | (b.get(at + 1) & 0xFF);
    }
}

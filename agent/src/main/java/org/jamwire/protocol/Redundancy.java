package org.jamwire.protocol;

import java.nio.ByteBuffer;

/**
 * Layout of a redundant datagram ({@code -r R}): R whole packets, newest first, all with the
 * first packet's stride; slots not yet filled at start-up are all zero. Called from the network
 * packet loop and the JACK process callback.
 */
public final class Redundancy {

    /** The most copies a datagram may carry; more is treated as a malformed datagram. */
    public static final int MAX_COPIES = 16;

    private Redundancy() {}

    /** Returns the offset of packet {@code index} (0 = newest) from the datagram start. */
    public static int packetOffset(int index, int stride) {
        return index * stride;
    }

    /**
     * Returns the stride, header plus payload, announced by the header at {@code off}, or -1 when
     * its bit resolution is not supported.
     */
    public static int stride(ByteBuffer b, int off) {
        final int bits = PacketHeader.bitResolution(b, off);
        if (!SampleCodec.isSupported(bits)) {
            return -1;
        }
        return PacketHeader.packetLength(
                PacketHeader.bufferSize(b, off), PacketHeader.payloadChannels(b, off), bits);
    }

    /**
     * Shifts the packets of an outgoing datagram one slot older, dropping the oldest, so the newest
     * packet can be written at slot 0. The region must hold {@code copies·stride} bytes.
     */
    public static void shiftOlder(ByteBuffer b, int off, int stride, int copies) {
        for (int i = off + (copies - 1) * stride - 1; i >= off; i--) {
            b.put(i + stride, b.get(i));
        }
    }
}

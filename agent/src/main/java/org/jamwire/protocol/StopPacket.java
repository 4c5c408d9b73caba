package org.jamwire.protocol;

import java.nio.ByteBuffer;

/**
 * JackTrip's exit packet: 63 bytes of 0xFF, sent twice when a peer stops. Written by the network
 * packet loop on shutdown and recognised there on receipt.
 *
 * <p>jacktrip treats every 63-byte datagram as control and never as audio, so a 63-byte datagram
 * that is not all 0xFF must be ignored rather than decoded.
 */
public final class StopPacket {

    /** Length of the exit packet, and of every control datagram. */
    public static final int LENGTH = 63;

    /** jacktrip sends the exit packet this many times, in case one is lost. */
    public static final int REPEATS = 2;

    private StopPacket() {}

    /** Returns whether the datagram is an exit packet: exactly 63 bytes, all 0xFF. */
    public static boolean isStop(ByteBuffer b, int off, int len) {
        if (len != LENGTH) {
            return false;
        }
        for (int i = off, end = off + LENGTH; i < end; i++) {
            if (b.get(i) != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** Returns whether a datagram of this length is control, never audio. */
    public static boolean isControl(int len) {
        return len == LENGTH;
    }

    /** Writes an exit packet at {@code off}; the datagram to send is {@link #LENGTH} bytes. */
    public static void write(ByteBuffer b, int off) {
        for (int i = off, end = off + LENGTH; i < end; i++) {
            b.put(i, (byte) 0xFF);
        }
    }
}

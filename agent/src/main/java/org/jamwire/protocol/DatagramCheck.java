package org.jamwire.protocol;

import java.nio.ByteBuffer;

/**
 * Classifies a received UDP datagram before anything reads its payload, returning a result code
 * instead of throwing. {@link #check} and {@link #copies} run on the network packet loop; {@link
 * #describe} and {@link #explain} build messages on the control thread.
 *
 * <p>Only the first header is checked: per jacktrip, every packet in a redundant datagram has the
 * first one's stride, and the older slots are all zero until the sender has sent R periods.
 */
public final class DatagramCheck {

    /** An audio datagram of one or more whole packets. */
    public static final int OK = 0;
    /** Shorter than a header. */
    public static final int TOO_SHORT = 1;
    /** The exit packet: the peer has stopped. */
    public static final int STOP = 2;
    /** 63 bytes but not all 0xFF: control that jacktrip ignores, never audio. */
    public static final int CONTROL = 3;
    /** Byte 13 is not 8, 16, 24 or 32. */
    public static final int BAD_BIT_RESOLUTION = 4;
    /** Bytes 10-11 give 0 frames or more than {@link #MAX_FRAMES}. */
    public static final int BAD_BUFFER_SIZE = 5;
    /** The header announces no channels in either direction, which describes no link at all. */
    public static final int BAD_CHANNELS = 6;
    /** The length is not 1 to {@link Redundancy#MAX_COPIES} times the announced stride. */
    public static final int LENGTH_MISMATCH = 7;

    /** The largest period we accept; JACK's own maximum is 8192 frames. */
    public static final int MAX_FRAMES = 8192;

    private DatagramCheck() {}

    /**
     * Returns one of the result codes for the {@code len}-byte datagram at {@code off}, which must
     * lie within {@code b}'s limit.
     */
    public static int check(ByteBuffer b, int off, int len) {
        if (StopPacket.isControl(len)) {
            return StopPacket.isStop(b, off, len) ? STOP : CONTROL;
        }
        if (len < PacketHeader.LENGTH) {
            return TOO_SHORT;
        }
        if (!SampleCodec.isSupported(PacketHeader.bitResolution(b, off))) {
            return BAD_BIT_RESOLUTION;
        }
        final int frames = PacketHeader.bufferSize(b, off);
        if (frames == 0 || frames > MAX_FRAMES) {
            return BAD_BUFFER_SIZE;
        }
        // Zero payload channels alone is fine: a receive-only peer sends bare headers (byte 15 =
        // 255), and a hub needs them to learn its send channel count from byte 14.
        if (PacketHeader.payloadChannels(b, off) == 0
                && PacketHeader.incomingChannels(b, off) == 0) {
            return BAD_CHANNELS;
        }
        final int stride = Redundancy.stride(b, off);
        if (len % stride != 0 || len / stride > Redundancy.MAX_COPIES) {
            return LENGTH_MISMATCH;
        }
        return OK;
    }

    /** Returns how many packets (the sender's redundancy R) the datagram holds, or 0 if not OK. */
    public static int copies(ByteBuffer b, int off, int len) {
        return check(b, off, len) == OK ? len / Redundancy.stride(b, off) : 0;
    }

    /** Returns a sentence saying what a result code means; allocates. */
    public static String describe(int code) {
        return Text.describe(code);
    }

    /** Returns {@link #describe} plus the offending values of this datagram; allocates. */
    public static String explain(ByteBuffer b, int off, int len) {
        return Text.explain(b, off, len);
    }

    /**
     * The messages, in a class of their own: a class the packet loop runs holds no string constant,
     * which the JIT would resolve, and allocate, on that thread (see {@code RealTimeConstantsTest}).
     */
    private static final class Text {
        static String describe(int code) {
            switch (code) {
                case OK:
                    return "valid audio datagram";
                case TOO_SHORT:
                    return "datagram is shorter than the " + PacketHeader.LENGTH + "-byte JackTrip header";
                case STOP:
                    return "exit packet (63 bytes of 0xFF): the peer has stopped";
                case CONTROL:
                    return "63-byte control datagram that is not an exit packet; ignored, never audio";
                case BAD_BIT_RESOLUTION:
                    return "bit resolution in header byte 13 is not 8, 16, 24 or 32";
                case BAD_BUFFER_SIZE:
                    return "buffer size in header bytes 10-11 is 0 or more than " + MAX_FRAMES + " frames";
                case BAD_CHANNELS:
                    return "header bytes 14-15 announce no channels in either direction";
                case LENGTH_MISMATCH:
                    return "datagram length is not 1 to " + Redundancy.MAX_COPIES
                            + " whole packets of the size its header announces";
                default:
                    return "unknown check result " + code;
            }
        }

        static String explain(ByteBuffer b, int off, int len) {
            final int code = check(b, off, len);
            final String what = describe(code);
            switch (code) {
                case TOO_SHORT:
                    return what + " (" + len + " bytes)";
                case BAD_BIT_RESOLUTION:
                    return what + " (got " + PacketHeader.bitResolution(b, off) + ")";
                case BAD_BUFFER_SIZE:
                    return what + " (got " + PacketHeader.bufferSize(b, off) + ")";
                case BAD_CHANNELS:
                    return what + " (bytes 14/15 = " + PacketHeader.incomingChannels(b, off) + "/"
                            + PacketHeader.outgoingChannelsByte(b, off) + ")";
                case LENGTH_MISMATCH:
                    return what + " (" + len + " bytes; header says " + PacketHeader.bufferSize(b, off)
                            + " frames x " + PacketHeader.payloadChannels(b, off) + " channels x "
                            + PacketHeader.bitResolution(b, off) + " bits = " + Redundancy.stride(b, off)
                            + " bytes per packet)";
                default:
                    return what;
            }
        }
    }
}

package org.jamwire.protocol;

import java.nio.ByteBuffer;

/**
 * The 16-byte JackTrip audio header, read and written in place at an absolute offset. Called from
 * the JACK process callback (write) and the network packet loop (read).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1   byte
 * +---------------------------------------------------------------+
 * |                   timestamp, µs since epoch (u64)             |  0
 * |                                                               |
 * +-------------------------------+-------------------------------+
 * |        sequence (u16)         |   buffer size, frames (u16)   |  8
 * +---------------+---------------+---------------+---------------+
 * | rate code (u8)| bits (u8)     | incoming (u8) | outgoing (u8) |  12
 * +---------------+---------------+---------------+---------------+
 * |  payload: planar samples, channel 1 frames 0..N-1, channel 2 ... |  16
 * </pre>
 *
 * <p>All fields are little-endian because jacktrip copies its C struct raw. "Incoming" is the
 * sender's receive channel count; "outgoing" is 0 for "same as incoming", 255 for "sends none",
 * else the payload channel count.
 */
public final class PacketHeader {

    /** Microseconds since the Unix epoch, u64; no receiver uses it. */
    public static final int TIMESTAMP_OFFSET = 0;
    /** Sequence number, u16, +1 per period, wrapping. */
    public static final int SEQUENCE_OFFSET = 8;
    /** Frames per channel in the payload, u16. */
    public static final int BUFFER_SIZE_OFFSET = 10;
    /** Sample rate code, u8; see {@link SampleRateCode}. */
    public static final int SAMPLE_RATE_OFFSET = 12;
    /** Bits per sample, u8: 8, 16, 24 or 32. */
    public static final int BIT_RESOLUTION_OFFSET = 13;
    /** The sender's receive channel count, u8. */
    public static final int INCOMING_CHANNELS_OFFSET = 14;
    /** The sender's send channel count in jacktrip's encoding, u8. */
    public static final int OUTGOING_CHANNELS_OFFSET = 15;
    /** Header length; the payload starts here. */
    public static final int LENGTH = 16;

    /** Byte 15 value meaning "the payload has as many channels as byte 14". */
    public static final int OUTGOING_SAME_AS_INCOMING = 0;
    /** Byte 15 value meaning "the sender sends no channels". */
    public static final int OUTGOING_NONE = 255;

    private PacketHeader() {}

    /** Returns the sender's timestamp in microseconds. */
    public static long timestamp(ByteBuffer b, int off) {
        return LittleEndian.i64(b, off + TIMESTAMP_OFFSET);
    }

    /** Returns the sequence number, 0..65535. */
    public static int sequence(ByteBuffer b, int off) {
        return LittleEndian.u16(b, off + SEQUENCE_OFFSET);
    }

    /** Returns the frames per channel, 0..65535. */
    public static int bufferSize(ByteBuffer b, int off) {
        return LittleEndian.u16(b, off + BUFFER_SIZE_OFFSET);
    }

    /** Returns the raw sample rate code, 0..255. */
    public static int sampleRateCode(ByteBuffer b, int off) {
        return LittleEndian.u8(b, off + SAMPLE_RATE_OFFSET);
    }

    /** Returns the bits per sample as sent, 0..255. */
    public static int bitResolution(ByteBuffer b, int off) {
        return LittleEndian.u8(b, off + BIT_RESOLUTION_OFFSET);
    }

    /** Returns byte 14, the sender's receive channel count. */
    public static int incomingChannels(ByteBuffer b, int off) {
        return LittleEndian.u8(b, off + INCOMING_CHANNELS_OFFSET);
    }

    /** Returns byte 15 as sent; use {@link #payloadChannels} for the channel count. */
    public static int outgoingChannelsByte(ByteBuffer b, int off) {
        return LittleEndian.u8(b, off + OUTGOING_CHANNELS_OFFSET);
    }

    /** Returns the number of channels in this packet's payload, decoding byte 15. */
    public static int payloadChannels(ByteBuffer b, int off) {
        final int outgoing = outgoingChannelsByte(b, off);
        if (outgoing == OUTGOING_SAME_AS_INCOMING) {
            return incomingChannels(b, off);
        }
        return outgoing == OUTGOING_NONE ? 0 : outgoing;
    }

    /**
     * Writes a header. Integer fields are truncated to their wire width; channel counts must be
     * 0..254 because 255 is reserved on the wire.
     *
     * @param receiveChannels channels this sender plays from the network (byte 14)
     * @param sendChannels channels in this packet's payload; byte 15 is encoded from it as jacktrip
     *     does
     */
    public static void write(
            ByteBuffer b,
            int off,
            long timestampMicros,
            int seq,
            int bufferSize,
            int rateCode,
            int bits,
            int receiveChannels,
            int sendChannels) {
        LittleEndian.put64(b, off + TIMESTAMP_OFFSET, timestampMicros);
        LittleEndian.put16(b, off + SEQUENCE_OFFSET, seq);
        LittleEndian.put16(b, off + BUFFER_SIZE_OFFSET, bufferSize);
        LittleEndian.put8(b, off + SAMPLE_RATE_OFFSET, rateCode);
        LittleEndian.put8(b, off + BIT_RESOLUTION_OFFSET, bits);
        LittleEndian.put8(b, off + INCOMING_CHANNELS_OFFSET, receiveChannels);
        LittleEndian.put8(
                b, off + OUTGOING_CHANNELS_OFFSET, outgoingByte(receiveChannels, sendChannels));
    }

    /** Returns byte 15 for the given channel counts, as jacktrip encodes it. */
    public static int outgoingByte(int receiveChannels, int sendChannels) {
        if (sendChannels == receiveChannels) {
            return OUTGOING_SAME_AS_INCOMING;
        }
        return sendChannels == 0 ? OUTGOING_NONE : sendChannels;
    }

    /** Returns the payload bytes for one packet; {@code bits} must be 8, 16, 24 or 32. */
    public static int payloadLength(int frames, int channels, int bits) {
        return frames * channels * SampleCodec.bytesPerSample(bits);
    }

    /** Returns header plus payload bytes for one packet, the stride of a redundant datagram. */
    public static int packetLength(int frames, int channels, int bits) {
        return LENGTH + payloadLength(frames, channels, bits);
    }
}

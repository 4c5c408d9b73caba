package org.jamwire.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts float samples to and from JackTrip's planar payload at 8, 16, 24 or 32 bits. Encoding
 * runs on the JACK process callback, decoding on the JACK process callback or the network packet
 * loop; neither allocates.
 *
 * <p>Integer formats match jacktrip byte for byte, including its asymmetric scaling (encode by
 * 127 or 32767, decode by 128 or 32768): a jacktrip receiver must hear exactly what it would hear
 * from jacktrip. So a round trip has a gain of 127/128 (8 bit) or 32767/32768 (16 bit), and its
 * error is at most (|x| + 0.5) / 128 or / 32768, which is within one step only for |x| ≤ 0.5.
 * NaN encodes as 0 in the integer formats, as Java's float-to-int conversion does.
 *
 * <ul>
 *   <li>8: int8 = clamp(round(x·127), ±127); decode v/128.
 *   <li>16: int16 LE = clamp(round(x·32767), ±32767); decode v/32768. Rounding is C's
 *       {@code std::round}, half away from zero, which differs from {@link Math#round} at −0.5.
 *   <li>24: int16 LE q = floor(x·32768), then u8 r = floor((x·32768 − q)·256); decode
 *       (q + r/256)/32768. jacktrip does not clamp, so +1.0 wraps to −1.0 there; we clamp x to
 *       [−1, 1 − 2⁻²⁴] first, so 1.0 and above encode as the largest code, 1 − 2⁻²³. Inside that
 *       range the bytes equal jacktrip's. Decoding truncates towards −∞ by less than 2⁻²³.
 *   <li>32: IEEE float32 LE, bit-exact. jacktrip 1.7.0 to 2.7.2 sends the low four bytes of the
 *       sample widened to a double instead (issue #1469), which is garbage; we send real floats,
 *       which jacktrip's decoder reads correctly.
 * </ul>
 */
public final class SampleCodec {

    private static final float SCALE_DOWN_8 = 1f / 128f;
    private static final float SCALE_DOWN_16 = 1f / 32768f;
    private static final float SCALE_DOWN_24 = 1f / 8388608f;
    /** Largest input the 24-bit scheme can hold without its int16 overflowing. */
    private static final float MAX_24_INPUT = Math.nextDown(1f);

    private SampleCodec() {}

    /** Returns whether {@code bits} is a resolution JackTrip sends: 8, 16, 24 or 32. */
    public static boolean isSupported(int bits) {
        return bits == 8 || bits == 16 || bits == 24 || bits == 32;
    }

    /**
     * Returns the bytes one sample takes on the wire.
     *
     * @throws IllegalArgumentException if {@code bits} is not supported; the control thread checks
     *     resolutions first, so this (allocating) path means a programming error
     */
    public static int bytesPerSample(int bits) {
        if (!isSupported(bits)) {
            throw Refused.bits(bits);
        }
        return bits >> 3;
    }

    /**
     * Encodes a period into a planar payload: channel c's samples go to {@code payloadOffset +
     * c·frames·bytesPerSample}. A channel missing from {@code channels}, or shorter than {@code
     * frames}, is padded with silence, so a period can be sent while ports are being set up.
     */
    public static void encode(float[][] channels, int channelCount, int frames, int bits,
            ByteBuffer dst, int payloadOffset) {
        final int bytes = bytesPerSample(bits);
        for (int c = 0; c < channelCount; c++) {
            final float[] src = channels != null && c < channels.length ? channels[c] : null;
            final int present = src == null ? 0 : Math.min(frames, src.length);
            final int at = payloadOffset + c * frames * bytes;
            encodeSamples(src, 0, present, bits, dst, at);
            for (int i = at + present * bytes, end = at + frames * bytes; i < end; i++) {
                dst.put(i, (byte) 0);
            }
        }
    }

    /**
     * Encodes {@code frames} samples from {@code src[srcOffset..]} as channel {@code channel} of a
     * planar payload holding {@code frames} frames per channel.
     */
    public static void encodeChannel(float[] src, int srcOffset, int frames, int bits, int channel,
            ByteBuffer dst, int payloadOffset) {
        final int at = payloadOffset + channel * frames * bytesPerSample(bits);
        encodeSamples(src, srcOffset, frames, bits, dst, at);
    }

    /**
     * Decodes channel {@code channel} of a planar payload holding {@code frames} frames per channel
     * into {@code dst[dstOffset..dstOffset+frames)}.
     */
    public static void decodeChannel(ByteBuffer src, int payloadOffset, int frames, int bits,
            int channel, float[] dst, int dstOffset) {
        final int bytes = bytesPerSample(bits);
        int at = payloadOffset + channel * frames * bytes;
        final int end = dstOffset + frames;
        switch (bits) {
            case 8:
                for (int i = dstOffset; i < end; i++, at++) {
                    dst[i] = src.get(at) * SCALE_DOWN_8;
                }
                break;
            case 16:
                for (int i = dstOffset; i < end; i++, at += 2) {
                    dst[i] = LittleEndian.s16(src, at) * SCALE_DOWN_16;
                }
                break;
            case 24:
                for (int i = dstOffset; i < end; i++, at += 3) {
                    // q·256 + r is a 24-bit integer, so this float is exact, as in jacktrip.
                    final int packed = LittleEndian.s16(src, at) << 8 | LittleEndian.u8(src, at + 2);
                    dst[i] = packed * SCALE_DOWN_24;
                }
                break;
            default:
                for (int i = dstOffset; i < end; i++, at += 4) {
                    final float v = Float.intBitsToFloat(LittleEndian.i32(src, at));
                    // NaN and infinities, which no sound is, become silence: played on, they would
                    // poison every filter after this one. v - v is 0 for every finite v.
                    dst[i] = v - v == 0f ? v : 0f;
                }
                break;
        }
    }

    /** Encodes one sample as jacktrip's 8-bit code. */
    static int encode8(float x) {
        return (int) clamp(roundHalfAway(x * 127.0), 127.0);
    }

    /**
     * Encodes one sample as jacktrip's 16-bit code, without a branch: clamping before rounding
     * gives the same code as after, and truncating {@code v ± 0.5} (exact, see
     * {@link #roundHalfAway}) rounds half away from zero; NaN still converts to 0.
     */
    static int encode16(float x) {
        final double v = clamp(x * 32767.0, 32767.0);
        return (int) (v + Math.copySign(0.5, v));
    }

    /** Encodes one sample as jacktrip's 24-bit scheme, packed as q·256 + r. */
    static int encode24(float x) {
        final double scaled = Math.max(-1f, Math.min(MAX_24_INPUT, x)) * 32768.0;
        final double q = Math.floor(scaled);
        final int r = (int) Math.floor((scaled - q) * 256.0);
        return (int) q << 8 | r;
    }

    private static void encodeSamples(
            float[] src, int from, int count, int bits, ByteBuffer dst, int at) {
        final int end = from + count;
        switch (bits) {
            case 8:
                for (int i = from; i < end; i++, at++) {
                    LittleEndian.put8(dst, at, encode8(src[i]));
                }
                break;
            case 16:
                encode16Samples(src, from, end, dst, at);
                break;
            case 24:
                for (int i = from; i < end; i++, at += 3) {
                    final int packed = encode24(src[i]);
                    LittleEndian.put16(dst, at, packed >> 8);
                    LittleEndian.put8(dst, at + 2, packed);
                }
                break;
            default:
                for (int i = from; i < end; i++, at += 4) {
                    LittleEndian.put32(dst, at, Float.floatToRawIntBits(src[i]));
                }
                break;
        }
    }

    /**
     * The common case in a loop of its own, which the JIT compiles tighter: one two-byte store per
     * sample, swapped when the buffer writes big-endian.
     */
    private static void encode16Samples(float[] src, int from, int end, ByteBuffer dst, int at) {
        if (dst.order() == ByteOrder.LITTLE_ENDIAN) {
            for (int i = from; i < end; i++, at += 2) {
                dst.putShort(at, (short) encode16(src[i]));
            }
        } else {
            for (int i = from; i < end; i++, at += 2) {
                dst.putShort(at, Short.reverseBytes((short) encode16(src[i])));
            }
        }
    }

    /** C's {@code std::round}; the argument is a float times a small integer, so + 0.5 is exact. */
    private static double roundHalfAway(double v) {
        return v < 0 ? -Math.floor(0.5 - v) : Math.floor(v + 0.5);
    }

    /** Clamps to ±limit; NaN passes through and later converts to 0. */
    private static double clamp(double v, double limit) {
        return v > limit ? limit : v < -limit ? -limit : v;
    }

    /** Messages, in a class of their own: the audio thread's classes hold no string constants. */
    private static final class Refused {
        static IllegalArgumentException bits(int bits) {
            return new IllegalArgumentException("unsupported bit resolution: " + bits);
        }
    }
}

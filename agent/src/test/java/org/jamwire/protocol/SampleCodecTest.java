package org.jamwire.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SampleCodecTest {

    private static final int RANDOM_SAMPLES = 100_000;
    private static final double TWO_POW_MINUS_23 = 0x1p-23;

    /** Encodes one sample and returns its wire bytes. */
    private static byte[] bytesOf(float x, int bits) {
        final int n = SampleCodec.bytesPerSample(bits);
        final ByteBuffer b = ByteBuffer.allocate(n);
        SampleCodec.encode(new float[][] {{x}}, 1, 1, bits, b, 0);
        return b.array();
    }

    private static float roundTrip(float x, int bits) {
        final ByteBuffer b = ByteBuffer.wrap(bytesOf(x, bits));
        final float[] out = new float[1];
        SampleCodec.decodeChannel(b, 0, 1, bits, 0, out, 0);
        return out[0];
    }

    private static byte[] bytes(int... v) {
        final byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    /** Uniform samples in [-limit, limit). */
    private static float[] randomSamples(long seed, double limit) {
        final SplittableRandom random = new SplittableRandom(seed);
        final float[] x = new float[RANDOM_SAMPLES];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-limit, limit);
        }
        return x;
    }

    @Test
    void a_32_bit_nan_or_infinity_from_the_wire_plays_as_silence_and_every_finite_float_exactly() {
        final float[] sent = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.5f, -1.25f,
            Float.MAX_VALUE, -Float.MIN_VALUE, Float.intBitsToFloat(0x7fc12345)};
        final ByteBuffer b = ByteBuffer.allocate(4 * sent.length);
        for (int i = 0; i < sent.length; i++) {
            b.putInt(4 * i, Integer.reverseBytes(Float.floatToRawIntBits(sent[i])));
        }
        final float[] played = new float[sent.length];
        SampleCodec.decodeChannel(b, 0, sent.length, 32, 0, played, 0);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0.5f, -1.25f, Float.MAX_VALUE, -Float.MIN_VALUE, 0f}, played);
    }

    @Test
    void encodes_8_bit_as_jacktrip() {
        assertArrayEquals(bytes(0x00), bytesOf(0f, 8));
        assertArrayEquals(bytes(0x7F), bytesOf(1f, 8));
        assertArrayEquals(bytes(0x81), bytesOf(-1f, 8));
        assertArrayEquals(bytes(38), bytesOf(0.3f, 8)); // 38.1
        assertArrayEquals(bytes(-38), bytesOf(-0.3f, 8));
        assertArrayEquals(bytes(95), bytesOf(0.75f, 8)); // 95.25, not 96
    }

    @Test
    void encodes_16_bit_as_jacktrip() {
        assertArrayEquals(bytes(0x20, 0x00), bytesOf(1f / 1024, 16)); // captured
        assertArrayEquals(bytes(0xF0, 0xFF), bytesOf(-1f / 2048, 16)); // captured
        assertArrayEquals(bytes(0xFF, 0x7F), bytesOf(1f, 16));
        assertArrayEquals(bytes(0x01, 0x80), bytesOf(-1f, 16));
        assertArrayEquals(bytes(0xFF, 0x5F), bytesOf(0.75f, 16)); // 24575.25, not 24576
    }

    @Test
    void rounds_half_away_from_zero_like_c() {
        assertArrayEquals(bytes(64), bytesOf(0.5f, 8)); // 63.5
        assertArrayEquals(bytes(-64), bytesOf(-0.5f, 8)); // -63.5; Math.round would give -63
        assertArrayEquals(bytes(0x00, 0x40), bytesOf(0.5f, 16)); // 16383.5
        assertArrayEquals(bytes(0x00, 0xC0), bytesOf(-0.5f, 16));
    }

    @Test
    void encodes_24_bit_as_jacktrip() {
        assertArrayEquals(bytes(0x66, 0x26, 0x66), bytesOf(0.3f, 24)); // captured
        assertArrayEquals(bytes(0x99, 0xD9, 0x99), bytesOf(-0.3f, 24)); // captured
        assertArrayEquals(bytes(0x20, 0x00, 0x00), bytesOf(1f / 1024, 24));
        assertArrayEquals(bytes(0x00, 0x80, 0x00), bytesOf(-1f, 24));
    }

    @Test
    void encodes_32_bit_as_ieee_float_little_endian() {
        assertArrayEquals(bytes(0x9A, 0x99, 0x99, 0x3E), bytesOf(0.3f, 32));
        assertArrayEquals(bytes(0x00, 0x00, 0x80, 0xBF), bytesOf(-1f, 32));
    }

    @Test
    void clamps_8_bit_to_plus_minus_127() {
        assertArrayEquals(bytes(127), bytesOf(1.5f, 8));
        assertArrayEquals(bytes(-127), bytesOf(-7f, 8));
        assertArrayEquals(bytes(127), bytesOf(Float.POSITIVE_INFINITY, 8));
    }

    @Test
    void clamps_16_bit_to_plus_minus_32767() {
        assertArrayEquals(bytes(0xFF, 0x7F), bytesOf(1.001f, 16));
        assertArrayEquals(bytes(0x01, 0x80), bytesOf(-3f, 16));
        assertArrayEquals(bytes(0x01, 0x80), bytesOf(Float.NEGATIVE_INFINITY, 16));
    }

    @Test
    void clamps_24_bit_so_full_scale_does_not_wrap() {
        assertArrayEquals(bytes(0xFF, 0x7F, 0xFF), bytesOf(1f, 24));
        assertArrayEquals(bytes(0xFF, 0x7F, 0xFF), bytesOf(5f, 24));
        assertArrayEquals(bytes(0x00, 0x80, 0x00), bytesOf(-5f, 24));
        assertEquals(1 - TWO_POW_MINUS_23, roundTrip(1f, 24));
    }

    @Test
    void encodes_nan_as_silence_in_integer_formats() {
        assertArrayEquals(bytes(0), bytesOf(Float.NaN, 8));
        assertArrayEquals(bytes(0, 0), bytesOf(Float.NaN, 16));
        assertArrayEquals(bytes(0, 0, 0), bytesOf(Float.NaN, 24));
    }

    @Test
    void round_trips_8_bit_within_one_step_below_half_scale() {
        for (float x : randomSamples(8, 0.5)) {
            assertEquals(x, roundTrip(x, 8), 1.0 / 128, "x=" + x);
        }
    }

    @Test
    void round_trips_8_bit_within_one_and_a_half_steps_at_full_scale() {
        for (float x : randomSamples(9, 1.0)) {
            assertEquals(x, roundTrip(x, 8), (Math.abs(x) + 0.5) / 128, "x=" + x);
        }
    }

    @Test
    void decodes_8_bit_full_scale_with_jacktrips_127_over_128_gain() {
        assertEquals(127f / 128, roundTrip(1f, 8));
        assertEquals(-127f / 128, roundTrip(-1f, 8));
    }

    @Test
    void round_trips_16_bit_within_one_lsb_below_half_scale() {
        for (float x : randomSamples(16, 0.5)) {
            assertEquals(x, roundTrip(x, 16), 1.0 / 32768, "x=" + x);
        }
    }

    @Test
    void round_trips_16_bit_within_one_and_a_half_lsb_at_full_scale() {
        for (float x : randomSamples(17, 1.0)) {
            assertEquals(x, roundTrip(x, 16), (Math.abs(x) + 0.5) / 32768, "x=" + x);
        }
    }

    @Test
    void round_trips_24_bit_truncating_by_less_than_two_to_the_minus_23() {
        for (float x : randomSamples(24, 1.0)) {
            final float y = roundTrip(x, 24);
            assertTrue(y <= x && x - y < TWO_POW_MINUS_23, "x=" + x + " y=" + y);
        }
    }

    @Test
    void round_trips_32_bit_bit_exactly() {
        final SplittableRandom random = new SplittableRandom(32);
        for (int i = 0; i < RANDOM_SAMPLES; i++) {
            final float x = Float.intBitsToFloat(random.nextInt());
            if (!Float.isNaN(x)) {
                assertEquals(Float.floatToRawIntBits(x), Float.floatToRawIntBits(roundTrip(x, 32)));
            }
        }
    }

    @Test
    void lays_channels_out_planar() {
        final float[][] in = {{1f / 1024, 2f / 1024, 3f / 1024}, {-1f / 2048, -2f / 2048, -3f / 2048}};
        final ByteBuffer b = ByteBuffer.allocate(2 + 12);
        SampleCodec.encode(in, 2, 3, 16, b, 2);
        assertArrayEquals(bytes(0, 0, 0x20, 0, 0x40, 0, 0x60, 0, 0xF0, 0xFF, 0xE0, 0xFF, 0xD0, 0xFF),
                b.array());
    }

    @Test
    void decodes_one_channel_into_the_destination_range_only() {
        final ByteBuffer b = ByteBuffer.wrap(bytes(0, 0x40, 0, 0x20, 0, 0xC0, 0, 0xE0));
        final float[] out = {9f, 9f, 9f, 9f};
        SampleCodec.decodeChannel(b, 0, 2, 16, 1, out, 1);
        assertArrayEquals(new float[] {9f, -0.5f, -0.25f, 9f}, out);
    }

    @Test
    void encodes_a_channel_from_an_offset_into_its_planar_slot() {
        final ByteBuffer b = ByteBuffer.allocate(6);
        SampleCodec.encodeChannel(new float[] {7f, 0.5f, -0.5f}, 1, 2, 8, 1, b, 2);
        assertArrayEquals(bytes(0, 0, 0, 0, 64, -64), b.array());
    }

    @Test
    void pads_channels_missing_from_the_array_with_silence() {
        final ByteBuffer b = ByteBuffer.wrap(bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        SampleCodec.encode(new float[][] {{0.5f, 0.5f}}, 2, 2, 24, b, 0);
        assertArrayEquals(bytes(0, 0x40, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0), b.array());
    }

    @Test
    void pads_a_short_channel_with_silence() {
        final ByteBuffer b = ByteBuffer.wrap(bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        SampleCodec.encode(new float[][] {{-1f}, null}, 2, 3, 16, b, 0);
        assertArrayEquals(bytes(0x01, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), b.array());
    }

    @Test
    void encodes_nothing_past_the_channel_count() {
        final ByteBuffer b = ByteBuffer.allocate(4);
        Arrays.fill(b.array(), (byte) 7);
        SampleCodec.encode(new float[][] {{1f}, {1f}, {1f}}, 1, 1, 16, b, 0);
        assertArrayEquals(bytes(0xFF, 0x7F, 7, 7), b.array());
    }

    @Test
    void sizes_samples_by_resolution() {
        assertEquals(1, SampleCodec.bytesPerSample(8));
        assertEquals(2, SampleCodec.bytesPerSample(16));
        assertEquals(3, SampleCodec.bytesPerSample(24));
        assertEquals(4, SampleCodec.bytesPerSample(32));
    }

    @Test
    void rejects_unsupported_resolutions() {
        assertThrows(IllegalArgumentException.class, () -> SampleCodec.bytesPerSample(12));
        assertThrows(IllegalArgumentException.class,
                () -> SampleCodec.encode(new float[][] {{0f}}, 1, 1, 4, ByteBuffer.allocate(4), 0));
    }
}

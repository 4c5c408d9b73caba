package org.jamwire.audio.builtin;

import java.util.Arrays;
import java.util.Locale;

/**
 * Test signals the built-in backend plays into its send channels, each distinct per channel so that
 * a wrong channel mapping shows. Called on the clock thread; allocation-free.
 */
public final class TestSignal {

    /** The signals by name, as the command line spells them. */
    public enum Kind {
        /** A sine per channel: channel c (from 0) at 220 Hz times (c + 1), amplitude 0.5. */
        SINE,
        /** jacktrip's capture ramp: sample i of each period = (i + 1) / 1024 times (c + 1), wrapped to [-1, 1). */
        RAMP,
        /** Zeros. */
        SILENCE
    }

    private static final int TABLE_BITS = 12;
    private static final float[] SINE_TABLE = new float[1 << TABLE_BITS];
    private static final double AMPLITUDE = 0.5;

    static {
        for (int i = 0; i < SINE_TABLE.length; i++) {
            SINE_TABLE[i] = (float) (AMPLITUDE * Math.sin(2 * Math.PI * i / SINE_TABLE.length));
        }
    }

    private final Kind kind;
    private final long[] phase;
    private final long[] increment;

    /** Creates a generator for {@code channels} channels at {@code sampleRate}. */
    public TestSignal(Kind kind, int channels, int sampleRate) {
        this.kind = kind;
        this.phase = new long[channels];
        this.increment = new long[channels];
        for (int c = 0; c < channels; c++) {
            increment[c] = (long) (frequency(c) / sampleRate * (1L << 32));
        }
    }

    /** Parses a signal name: sine, ramp or silence. */
    public static Kind parse(String name) {
        return Kind.valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The sine frequency of channel {@code c} (from 0). */
    public static double frequency(int c) {
        return 220.0 * (c + 1);
    }

    /** Fills {@code frames} samples of each channel. */
    public void fill(float[][] out, int frames) {
        for (int c = 0; c < out.length && c < phase.length; c++) {
            final float[] o = out[c];
            switch (kind) {
                case SINE -> {
                    long p = phase[c];
                    final long inc = increment[c];
                    for (int i = 0; i < frames; i++) {
                        o[i] = SINE_TABLE[(int) ((p >>> (32 - TABLE_BITS)) & (SINE_TABLE.length - 1))];
                        p += inc;
                    }
                    phase[c] = p;
                }
                case RAMP -> {
                    for (int i = 0; i < frames; i++) {
                        final float v = (i + 1) / 1024f * (c + 1);
                        o[i] = v - 2f * (float) Math.floor((v + 1f) / 2f);
                    }
                }
                case SILENCE -> Arrays.fill(o, 0, frames, 0f);
                default -> throw new IllegalStateException();
            }
        }
    }
}

package org.jamwire.engine;

import java.util.Arrays;

/**
 * The last {@value #FRAMES} frames a {@link Concealer} played, per channel, real or made up: what a
 * concealment continues from. JACK thread only; allocation-free.
 */
final class PlayedHistory {

    /** Frames kept per channel. */
    static final int FRAMES = 2048;

    private static final int MASK = FRAMES - 1;

    private final float[][] frames;
    private long written;

    PlayedHistory(int channels) {
        this.frames = new float[channels][FRAMES];
    }

    /** Frames played since the start: the position one past the newest frame kept. */
    long written() {
        return written;
    }

    /** Channel {@code c}'s frame at {@code pos}, one of the last {@value #FRAMES} written. */
    float at(int c, long pos) {
        return frames[c][(int) (pos & MASK)];
    }

    /** Keeps {@code out[c][offset..offset+n)} of every channel it has, and moves on by {@code n}. */
    void record(float[][] out, int offset, int n) {
        for (int c = 0; c < frames.length; c++) {
            final float[] h = frames[c];
            if (c >= out.length) {
                continue;
            }
            final float[] o = out[c];
            for (int i = Math.max(0, n - FRAMES); i < n; i++) {
                h[(int) ((written + i) & MASK)] = o[offset + i];
            }
        }
        written += n;
    }

    /** Silences every channel's history. */
    void clear() {
        for (float[] h : frames) {
            Arrays.fill(h, 0f);
        }
    }
}

package org.jamwire.engine;

/**
 * REPEAT's concealment: the last period played, per channel, looped, its end blended over half a
 * period into the audio that preceded it so the loop has no seam; the step from the last real
 * frame into the loop remains. Also what PREDICT falls back to when a model blows up. Called by
 * the {@link Concealer} on the JACK thread; allocation-free.
 */
final class RepeatLoop {

    private final PlayedHistory history;
    private final float[][] wave;
    private final int length;
    private int phase;

    RepeatLoop(PlayedHistory history, int channels, int periodFrames) {
        this.history = history;
        this.length = Math.max(1, Math.min(periodFrames, PlayedHistory.FRAMES / 2));
        this.wave = new float[channels][length];
    }

    /** A concealment starts: the loop plays from its start. */
    void restart() {
        phase = 0;
    }

    /**
     * Copies the last period played into channel {@code c}'s loop, its second half blended into the
     * audio that preceded the period, so that the loop's end leads into its start without a step.
     */
    void take(int c) {
        final float[] w = wave[c];
        final long start = history.written() - length;
        for (int i = 0; i < length; i++) {
            w[i] = history.at(c, start + i);
        }
        final int seam = length / 2;
        for (int j = 0; j < seam; j++) {
            final float mix = (j + 1f) / (seam + 1f);
            final int i = length - seam + j;
            w[i] += mix * (history.at(c, start - seam + j) - w[i]);
        }
    }

    /** Puts channel {@code c}'s next {@code len} looped frames into {@code out}. */
    void fill(int c, float[] out, int len) {
        for (int i = 0; i < len; i++) {
            out[i] = wave[c][(phase + i) % length];
        }
    }

    /** Moves the loop on by {@code len} frames, for every channel. */
    void advance(int len) {
        phase = (phase + len) % length;
    }
}

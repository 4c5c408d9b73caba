package org.jamwire.engine;

/**
 * Finds the echo of a latency test's burst in what came back, by cross-correlation with the burst.
 * The burst is a maximum-length sequence of {@value #BURST_FRAMES} frames: noise-like, so its
 * correlation with itself has one sharp peak and sidelobes about {@value #BURST_FRAMES}^½ below it,
 * and a lost or concealed period, a frame stretched by drift correction or music on the channel
 * only lowers the peak instead of moving it. Called on a control thread, as the capture fills: each
 * {@link #scan} correlates the lags whose frames have all arrived, keeping only the best peak and
 * the best value away from it, so that it needs no memory beyond the capture itself.
 */
public final class EchoFinder {

    /** Order of the sequence: 2^10 - 1 frames. */
    private static final int ORDER = 10;
    /** Frames in the burst. */
    public static final int BURST_FRAMES = (1 << ORDER) - 1;
    /** Amplitude of the burst, -6 dBFS: loud against music, clear of any clipping on the way. */
    public static final float AMPLITUDE = 0.5f;
    /**
     * Lags on either side of the peak left out of the "next best": a frame gained or lost by drift
     * correction within the burst splits the peak over two neighbouring lags.
     */
    public static final int EXCLUSION = 32;
    /**
     * The least confidence a result needs: noise or music alone reach about 1.1; a clean echo
     * reaches 14 to 25, and one that lost a period and a frame to drift correction, under music,
     * about 5.
     */
    public static final double MIN_CONFIDENCE = 4;
    /** The confidence reported when nothing away from the peak correlates at all. */
    public static final double MAX_CONFIDENCE = 1000;

    private static final float[] SEQUENCE = sequence();

    private final float[] ring = new float[EXCLUSION + 1];
    private int lags;
    private double best;
    private int bestLag = -1;
    private double beforeBest;
    private double afterBest;
    private double prefixMax;

    /** The burst as sent: the sequence at {@link #AMPLITUDE}. A new array; the caller may keep it. */
    public static float[] burst() {
        final float[] b = new float[BURST_FRAMES];
        for (int i = 0; i < b.length; i++) {
            b[i] = SEQUENCE[i] * AMPLITUDE;
        }
        return b;
    }

    /** The sequence as ±1, from a 10-bit Fibonacci shift register with taps 10 and 7 (x^10 + x^7 + 1). */
    private static float[] sequence() {
        final float[] s = new float[BURST_FRAMES];
        int state = 1;
        for (int i = 0; i < s.length; i++) {
            s[i] = (state & 1) == 0 ? -1f : 1f;
            final int feedback = (state ^ (state >> 3)) & 1;
            state = (state >> 1) | (feedback << (ORDER - 1));
        }
        return s;
    }

    /**
     * Correlates every new lag whose burst-length window lies within the first {@code available}
     * frames of {@code capture}.
     */
    public void scan(float[] capture, int available) {
        for (int k = lags; k + BURST_FRAMES <= available; k++) {
            add(k, Math.abs(correlate(capture, k)));
        }
        lags = Math.max(lags, available - BURST_FRAMES + 1);
    }

    private static double correlate(float[] x, int k) {
        final float[] s = SEQUENCE;
        double a = 0;
        double b = 0;
        double c = 0;
        double d = 0;
        int i = 0;
        for (; i + 3 < s.length; i += 4) {
            a += s[i] * x[k + i];
            b += s[i + 1] * x[k + i + 1];
            c += s[i + 2] * x[k + i + 2];
            d += s[i + 3] * x[k + i + 3];
        }
        for (; i < s.length; i++) {
            a += s[i] * x[k + i];
        }
        return a + b + c + d;
    }

    /**
     * Takes lag {@code k}'s value. The best value at least {@link #EXCLUSION} lags before the peak
     * is the running maximum as it stood when the peak was found; the best after it is gathered
     * from then on. The last {@code EXCLUSION + 1} values wait in a ring before joining the
     * running maximum.
     */
    private void add(int k, double v) {
        final int slot = k % ring.length;
        if (k >= ring.length) {
            prefixMax = Math.max(prefixMax, ring[slot]);
        }
        ring[slot] = (float) v;
        if (v > best) {
            best = v;
            bestLag = k;
            beforeBest = prefixMax;
            afterBest = 0;
        } else if (k > bestLag + EXCLUSION) {
            afterBest = Math.max(afterBest, v);
        }
    }

    /** Lags correlated so far. */
    public int lags() {
        return lags;
    }

    /** The lag of the strongest correlation so far, in frames, or -1 before any. */
    public int peakLag() {
        return bestLag;
    }

    /**
     * The strongest correlation over the strongest one at least {@link #EXCLUSION} lags away from
     * it, at most {@link #MAX_CONFIDENCE}; 0 before any lag or when nothing correlates.
     */
    public double confidence() {
        if (!(best > 0)) {
            return 0;
        }
        final double next = Math.max(beforeBest, afterBest);
        return next > 0 ? Math.min(MAX_CONFIDENCE, best / next) : MAX_CONFIDENCE;
    }

    /**
     * True once the peak reaches {@code minConfidence} and a whole burst's length of lags after it
     * has been correlated too, so that a later, stronger peak would have shown.
     */
    public boolean settled(double minConfidence) {
        return bestLag >= 0 && lags >= bestLag + BURST_FRAMES && confidence() >= minConfidence;
    }
}

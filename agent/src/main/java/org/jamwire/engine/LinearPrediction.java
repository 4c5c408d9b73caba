package org.jamwire.engine;

/**
 * PREDICT's models, per channel: fitted with Burg's method to the last played frames when a
 * concealment starts and run on past the gap, or, for a gap whose following audio has arrived,
 * run into it from both sides. Sized to the fit's budget (see {@link #fitOrder}). Called by the
 * {@link Concealer} on the JACK thread; allocation-free.
 */
final class LinearPrediction {

    /** Highest model order. */
    static final int ORDER = 32;
    /** Most frames a model is fitted to. */
    static final int WINDOW = 1024;
    /**
     * Multiply-adds per frame of the local period that starting a concealment may spend fitting
     * models, all channels together; interpolating may spend as much again running them. Burg's
     * method costs about 5 × order × frames. The full model fits for 1 channel at 64 frames and 2
     * at 128. Measured on this project's 2-core machine (median, noise in every channel):
     * interpolating a gap took 145 µs for 8 channels at 64 frames (996 µs unbounded), 182 µs for
     * 16 (2455 µs), 228 µs for 2 channels at 64 frames and 448 µs for 2 at 128, about a sixth of
     * the period at most.
     */
    static final int FIT_MACS_PER_FRAME = 4000;
    /** Lowest ratio of window to order: a model needs many times its order in frames to settle. */
    private static final int FRAMES_PER_ORDER = 16;
    private static final float BLOW_UP = 2f;

    private final PlayedHistory history;
    private final int channels;
    private final double[][] coefficients;
    private final double[][] state;
    private final int[] order;
    private final boolean[] predicting;
    private final float[] limit;
    private final int fitOrder;
    private final int fitWindow;
    private final int fitAhead;
    private final int maxInterpolation;
    /** Channels below this have a model fitted to the history as it was at {@link #fittedAt}. */
    private int fitted;
    private long fittedAt = -1;
    private final BurgFit burg = new BurgFit(WINDOW);
    private final double[] block = new double[ORDER + WINDOW];
    private final double[] work;
    private final double[] backCoefficients = new double[ORDER + 1];
    private final double[] backWork;
    private final double[] forwardWork;

    /**
     * @param chunk the most frames {@link #predict} is asked for at once
     * @param holdFrames the longest outage at full level: the longest gap interpolated
     */
    LinearPrediction(PlayedHistory history, int channels, int periodFrames, int holdFrames, int chunk) {
        this.history = history;
        this.channels = channels;
        this.coefficients = new double[channels][ORDER + 1];
        this.state = new double[channels][ORDER];
        this.order = new int[channels];
        this.predicting = new boolean[channels];
        this.limit = new float[channels];
        this.work = new double[ORDER + chunk];
        this.backWork = new double[ORDER + holdFrames];
        this.forwardWork = new double[ORDER + holdFrames];
        final long budget = channelBudget(channels, periodFrames);
        this.fitOrder = fitOrder(channels, periodFrames);
        this.fitWindow = fitWindow(channels, periodFrames);
        this.fitAhead = fitWindow / 2;
        // Running both models over the gap costs 2 × order a frame: as much again as the fit.
        this.maxInterpolation = (int) Math.min(holdFrames, Math.max(periodFrames, budget / (2L * fitOrder)));
    }

    /** Multiply-adds each channel may spend on a fit. */
    private static long channelBudget(int channels, int periodFrames) {
        return (long) FIT_MACS_PER_FRAME * Math.max(1, periodFrames) / Math.max(1, channels);
    }

    /** Frames a model of order {@code p} may be fitted to within {@code budget}, forward and backward. */
    private static int framesFor(long budget, int p) {
        // Forward over the window, backward over half of it: 5p × 1.5 × window.
        return (int) Math.min(WINDOW, budget * 2 / (15L * p));
    }

    /**
     * The model order fitted for {@code channels} channels at {@code periodFrames}: the highest of
     * 32, 24, 16, 12, 8, 6, 4 and 2 whose window within the budget is still
     * {@value #FRAMES_PER_ORDER} times the order; 2 if none is.
     */
    static int fitOrder(int channels, int periodFrames) {
        final long budget = channelBudget(channels, periodFrames);
        for (final int p : new int[] {32, 24, 16, 12, 8, 6, 4}) {
            if (framesFor(budget, p) >= FRAMES_PER_ORDER * p) {
                return p;
            }
        }
        return 2;
    }

    /** The frames a model is fitted to, with {@link #fitOrder}: at least 4 times the order. */
    static int fitWindow(int channels, int periodFrames) {
        final int p = fitOrder(channels, periodFrames);
        return Math.max(4 * p, framesFor(channelBudget(channels, periodFrames), p));
    }

    /** Frames after a gap that {@link #interpolate} uses: half the window. */
    int ahead() {
        return fitAhead;
    }

    /** The longest gap {@link #interpolate} fills. */
    int maxInterpolation() {
        return maxInterpolation;
    }

    /** See {@link Concealer#interpolate}; the caller has checked that the policy predicts. */
    boolean interpolate(float[][] next, int nextFrames, float[][] gap, int n) {
        if (n < 1 || n > maxInterpolation || nextFrames < 2 * fitOrder) {
            return false;
        }
        final int ahead = Math.min(nextFrames, fitAhead);
        fitted = 0;
        for (int c = 0; c < channels && c < gap.length; c++) {
            // Forward, from what was played; kept for a concealment that starts here instead.
            final float peak = fitForward(c);
            fitted = c + 1;
            fittedAt = history.written();
            System.arraycopy(state[c], 0, forwardWork, 0, ORDER);
            // Backward, from what follows, reversed.
            float nextPeak = 0;
            for (int i = 0; i < ahead; i++) {
                final float v = next[c][ahead - 1 - i];
                block[ORDER + i] = v;
                nextPeak = Math.max(nextPeak, Math.abs(v));
            }
            final int q = burg.fit(block, ORDER, ahead, backCoefficients, fitOrder);
            System.arraycopy(block, ahead, backWork, 0, ORDER);
            final float bound = BLOW_UP * Math.max(peak, nextPeak);
            final int p = order[c];
            if (!run(coefficients[c], p, forwardWork, n, bound) || !run(backCoefficients, q, backWork, n, bound)) {
                return false;
            }
            final float[] g = gap[c];
            final int from = n - crossfade(n);
            for (int i = 0; i < n; i++) {
                final double forward = forwardWork[ORDER + i];
                if (i < from) {
                    g[i] = (float) forward;
                    continue;
                }
                final double w = 0.5 - 0.5 * Math.cos(Math.PI * (i - from + 1) / (n - from + 1));
                final double backward = backWork[ORDER + n - 1 - i];
                g[i] = (float) (forward + w * (backward - forward));
            }
        }
        return true;
    }

    /**
     * Frames at the end of an {@code n}-frame gap over which the forward model hands over to the
     * backward one: the second half, at least 64 frames. The forward model, fitted to twice as much
     * audio, is the better one where it starts; handing over across the whole gap cost 10 dB on a
     * tone, over the last half it gained 7 dB against crossfading after the gap.
     */
    static int crossfade(int n) {
        return Math.min(n, Math.max(64, n / 2));
    }

    /** Runs a model of order {@code p} on {@code n} frames past the {@value #ORDER} in {@code w}. */
    private static boolean run(double[] a, int p, double[] w, int n, float bound) {
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int j = 1; j <= p; j++) {
                acc -= a[j] * w[ORDER + i - j];
            }
            // Also false for NaN, and for anything no float can hold.
            if (!(Math.abs(acc) <= bound && Math.abs(acc) <= Float.MAX_VALUE)) {
                return false;
            }
            w[ORDER + i] = acc;
        }
        return true;
    }

    /**
     * A concealment starts: every channel predicts if {@code predict}, from a model fitted now to
     * the history, or the one an interpolation just fitted to this same history.
     */
    void start(boolean predict) {
        final int reuse = fittedAt == history.written() ? fitted : 0;
        for (int c = 0; c < channels; c++) {
            predicting[c] = predict;
            if (predict && c >= reuse) {
                fitForward(c);
            }
        }
        fittedAt = -1;
    }

    /** Whether channel {@code c} still predicts: its model has not blown up in this outage. */
    boolean predicting(int c) {
        return predicting[c];
    }

    /** Forgets the models fitted, e.g. when the history was cleared. */
    void reset() {
        fittedAt = -1;
    }

    /**
     * Fits channel {@code c}'s forward model to its last {@link #fitWindow} played frames: sets its
     * coefficients, order, state (the last {@value #ORDER} frames) and blow-up limit. Returns the
     * window's peak.
     */
    private float fitForward(int c) {
        final long written = history.written();
        float peak = 0;
        for (int i = 0; i < fitWindow; i++) {
            final float v = history.at(c, written - fitWindow + i);
            block[ORDER + i] = v;
            peak = Math.max(peak, Math.abs(v));
        }
        // The state runs past the window's start when the window is shorter than the order's room.
        for (int i = 0; i < ORDER; i++) {
            block[i] = history.at(c, written - fitWindow - ORDER + i);
        }
        order[c] = burg.fit(block, ORDER, fitWindow, coefficients[c], fitOrder);
        System.arraycopy(block, fitWindow, state[c], 0, ORDER);
        limit[c] = BLOW_UP * peak;
        return peak;
    }

    /**
     * Runs channel {@code c}'s model on for {@code len} frames into {@code out}; gives up on it, for
     * the rest of the outage, if it blows up.
     */
    void predict(int c, float[] out, int len) {
        final double[] a = coefficients[c];
        final int p = order[c];
        System.arraycopy(state[c], 0, work, 0, ORDER);
        for (int i = 0; i < len; i++) {
            double acc = 0;
            for (int j = 1; j <= p; j++) {
                acc -= a[j] * work[ORDER + i - j];
            }
            final float v = (float) acc;
            // Also gives up on NaN, and on an infinity (which a limit of huge samples would let by).
            if (!(Math.abs(v) <= limit[c] && Math.abs(v) <= Float.MAX_VALUE)) {
                predicting[c] = false;
                return;
            }
            work[ORDER + i] = acc;
            out[i] = v;
        }
        System.arraycopy(work, len, state[c], 0, ORDER);
    }
}

package org.jamwire.engine;

import java.util.Arrays;

/**
 * Makes up audio for frames that did not arrive, per channel, following an {@link UnderrunPolicy},
 * from a history of the frames last played. Called by the {@link ReceiveQueue} on the JACK thread
 * only: {@link #conceal} for missing frames, {@link #play} for real ones. Allocation-free, no clock.
 *
 * <p>PREDICT fits a model with Burg's method to the last played frames when a concealment starts,
 * then runs the model on past the gap: at most order {@value #ORDER} over {@value #WINDOW} frames
 * (21 ms at 48 kHz). Order 32 holds up to 16 spectral peaks at about 32 multiply-adds a frame;
 * jacktrip fits order L-1 to only L = 2 packets. A 1024-frame window resolved a 440 Hz tone to
 * 50 dB SNR over the lost periods where 512 frames gave 34 dB. A prediction that leaves twice the
 * block's peak level is taken as unstable and the channel falls back to REPEAT for the rest of the
 * outage.
 *
 * <p>The fit runs on the audio thread inside one period, for every channel at once, so its cost is
 * held to {@value #FIT_MACS_PER_FRAME} multiply-adds per frame of the period, shared by the
 * channels: with few channels the full model fits; with many, or short periods, the order and
 * window shrink together (see {@link #fitOrder}). Unbounded, 8 channels at 64 frames took 0.64 ms
 * to start a concealment and 1.0 ms to interpolate (1.3 ms at the 99th percentile), most of the
 * 1.33 ms period: a lost packet risked an xrun, and the xrun more lost periods.
 *
 * <p>When the audio after a gap has already arrived, which it usually has for a lost packet (the
 * queue holds later packets when the gap comes to be played), PREDICT {@link #interpolate
 * interpolates} instead: it also runs a model fitted to the audio after the gap backwards into
 * it and hands over to it, so the audio after the gap plays untouched.
 *
 * <p>REPEAT loops the last period played, its end blended over half a period into the audio that
 * preceded it so the loop has no seam; the step from the last real frame into the loop remains.
 *
 * <p>Every policy holds full level for {@value #HOLD_MS} ms of an outage and then fades to silence
 * over another {@value #FADE_MS} ms, so a long dropout goes quiet instead of buzzing. When real audio
 * resumes, the first {@code fadeFrames} of it are crossfaded (raised cosine) from the concealment,
 * which keeps running underneath, into the real signal.
 */
public final class Concealer {

    /** Frames of played audio kept per channel. */
    public static final int HISTORY = 2048;
    /** Highest model order of PREDICT. */
    public static final int ORDER = 32;
    /** Most frames PREDICT fits its model to. */
    public static final int WINDOW = 1024;
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
    /** Milliseconds an outage is concealed at full level. */
    public static final int HOLD_MS = 20;
    /** Milliseconds over which a longer outage then fades to silence. */
    public static final int FADE_MS = 20;

    private static final int CHUNK = 256;
    private static final int MASK = HISTORY - 1;
    private static final float BLOW_UP = 2f;

    private final UnderrunPolicy policy;
    private final int channels;
    private final int fadeFrames;
    private final int holdFrames;
    private final int fadeOutFrames;
    private final int waveLength;
    private final float[][] history;
    private final float[][] wave;
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
    private final double[] work = new double[ORDER + CHUNK];
    private final float[] generated = new float[CHUNK];
    private final double[] backCoefficients = new double[ORDER + 1];
    private final double[] backWork;
    private final double[] forwardWork;
    private long written;
    private boolean concealing;
    private int fadePos;
    private int outage;
    private int wavePhase;

    /**
     * Creates a concealer with silent history.
     *
     * @param policy what to play for missing frames
     * @param channels channels played
     * @param periodFrames frames per local period: REPEAT's loop length and the crossfade length
     * @param sampleRate frames per second, to time the fade to silence
     */
    public Concealer(UnderrunPolicy policy, int channels, int periodFrames, int sampleRate) {
        this.policy = policy;
        this.channels = channels;
        this.fadeFrames = Math.max(1, periodFrames);
        this.waveLength = Math.max(1, Math.min(periodFrames, HISTORY / 2));
        this.holdFrames = (int) ((long) sampleRate * HOLD_MS / 1000);
        this.fadeOutFrames = Math.max(1, (int) ((long) sampleRate * FADE_MS / 1000));
        this.history = new float[channels][HISTORY];
        this.wave = new float[channels][waveLength];
        this.coefficients = new double[channels][ORDER + 1];
        this.state = new double[channels][ORDER];
        this.order = new int[channels];
        this.predicting = new boolean[channels];
        this.limit = new float[channels];
        this.backWork = new double[ORDER + holdFrames];
        this.forwardWork = new double[ORDER + holdFrames];
        final long budget = channelBudget(channels, periodFrames);
        this.fitOrder = fitOrder(channels, periodFrames);
        this.fitWindow = fitWindow(channels, periodFrames);
        this.fitAhead = fitWindow / 2;
        // Running both models over the gap costs 2 × order a frame: as much again as the fit.
        this.maxInterpolation = (int) Math.min(holdFrames, Math.max(periodFrames, budget / (2L * fitOrder)));
        fadePos = fadeFrames;
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
     * The model order PREDICT fits for {@code channels} channels at {@code periodFrames}: the highest
     * of 32, 24, 16, 12, 8, 6, 4 and 2 whose window within the budget is still
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

    /** The frames PREDICT fits its model to, with {@link #fitOrder}: at least 4 times the order. */
    static int fitWindow(int channels, int periodFrames) {
        final int p = fitOrder(channels, periodFrames);
        return Math.max(4 * p, framesFor(channelBudget(channels, periodFrames), p));
    }

    /** Frames after a gap that {@link #interpolate} uses: half the window. */
    public int ahead() {
        return fitAhead;
    }

    /**
     * True when a gap starting now could be {@link #interpolate interpolated}: the policy is
     * PREDICT and no concealment is under way (the history ends where the gap starts).
     */
    public boolean mayInterpolate() {
        return policy == UnderrunPolicy.PREDICT && !concealing;
    }

    /**
     * The longest gap {@link #interpolate} fills: the outage held at full level, or less where
     * running the models over it would take more than the fit's budget (never less than a period).
     */
    public int maxInterpolation() {
        return maxInterpolation;
    }

    /**
     * Fills a gap whose following audio has already arrived, for PREDICT: a model fitted to the
     * audio played before the gap runs forward into it, a model fitted to the audio after it
     * (time-reversed) runs backward into it, and the first hands over to the second (raised
     * cosine) over the gap's second half (see {@link #crossfade}). The result joins both neighbours without a step, so the audio after the gap plays
     * untouched. Call when the gap is about to be played, with the history up to its start.
     *
     * @param next per channel, the audio that follows the gap
     * @param nextFrames frames of {@code next}, at least twice the model order; the first
     *     {@link #ahead()} are used
     * @param gap where to write the gap's frames, per channel
     * @param n the gap's length, at most {@link #maxInterpolation()}
     * @return false, writing nothing usable, when the policy is not PREDICT, the gap or the audio
     *     after it has the wrong length, or a model blows up; then conceal as usual
     */
    public boolean interpolate(float[][] next, int nextFrames, float[][] gap, int n) {
        if (!mayInterpolate() || n < 1 || n > maxInterpolation || nextFrames < 2 * fitOrder) {
            return false;
        }
        final int ahead = Math.min(nextFrames, fitAhead);
        fitted = 0;
        for (int c = 0; c < channels && c < gap.length; c++) {
            // Forward, from what was played; kept for a concealment that starts here instead.
            final float peak = fitForward(c);
            fitted = c + 1;
            fittedAt = written;
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
     * Fills {@code out[c][offset..offset+n)} of every channel with made-up audio and remembers it.
     *
     * @return frames filled before the concealment had faded to silence
     */
    public int conceal(float[][] out, int offset, int n) {
        if (!concealing) {
            start();
        }
        final int live = Math.max(0, Math.min(n, holdFrames + fadeOutFrames - outage));
        for (int done = 0; done < n; ) {
            final int len = Math.min(CHUNK, n - done);
            for (int c = 0; c < channels && c < out.length; c++) {
                generate(c, len);
                System.arraycopy(generated, 0, out[c], offset + done, len);
            }
            advance(len);
            done += len;
        }
        record(out, offset, n);
        return live;
    }

    /**
     * Marks a splice: the audio played next does not follow what was played last (the queue
     * skipped ahead). Like a concealment of no length, so that the next real frames are
     * crossfaded from what would have followed into what does.
     */
    public void splice() {
        if (!concealing) {
            start();
        }
    }

    /**
     * Takes note of real frames in {@code out[c][offset..offset+n)}; the first frames after a
     * concealment are crossfaded in place from the concealment into them.
     */
    public void play(float[][] out, int offset, int n) {
        if (concealing) {
            concealing = false;
            fadePos = 0;
        }
        for (int done = 0; done < n && fadePos < fadeFrames; ) {
            final int len = Math.min(Math.min(CHUNK, n - done), fadeFrames - fadePos);
            for (int c = 0; c < channels && c < out.length; c++) {
                generate(c, len);
                final float[] o = out[c];
                for (int i = 0; i < len; i++) {
                    final double w = 0.5 - 0.5 * Math.cos(Math.PI * (fadePos + i + 1) / (fadeFrames + 1));
                    final int at = offset + done + i;
                    o[at] = (float) (generated[i] + w * (o[at] - generated[i]));
                }
            }
            advance(len);
            fadePos += len;
            done += len;
        }
        record(out, offset, n);
    }

    /** Forgets the history and any concealment under way, e.g. when a new peer is adopted. */
    public void reset() {
        for (int c = 0; c < channels; c++) {
            Arrays.fill(history[c], 0f);
        }
        concealing = false;
        fadePos = fadeFrames;
        outage = 0;
        fittedAt = -1;
    }

    private void start() {
        concealing = true;
        fadePos = fadeFrames;
        outage = 0;
        wavePhase = 0;
        if (policy == UnderrunPolicy.ZEROS) {
            return;
        }
        // Models an interpolation just fitted to this same history are reused, not fitted again.
        final int reuse = fittedAt == written ? fitted : 0;
        for (int c = 0; c < channels; c++) {
            takeWave(c);
            predicting[c] = policy == UnderrunPolicy.PREDICT;
            if (predicting[c] && c >= reuse) {
                fitForward(c);
            }
        }
        fittedAt = -1;
    }

    /**
     * Fits channel {@code c}'s forward model to its last {@link #fitWindow} played frames: sets its
     * coefficients, order, state (the last {@value #ORDER} frames) and blow-up limit. Returns the
     * window's peak.
     */
    private float fitForward(int c) {
        final float[] h = history[c];
        float peak = 0;
        for (int i = 0; i < fitWindow; i++) {
            final float v = h[(int) ((written - fitWindow + i) & MASK)];
            block[ORDER + i] = v;
            peak = Math.max(peak, Math.abs(v));
        }
        // The state runs past the window's start when the window is shorter than the order's room.
        for (int i = 0; i < ORDER; i++) {
            block[i] = h[(int) ((written - fitWindow - ORDER + i) & MASK)];
        }
        order[c] = burg.fit(block, ORDER, fitWindow, coefficients[c], fitOrder);
        System.arraycopy(block, fitWindow, state[c], 0, ORDER);
        limit[c] = BLOW_UP * peak;
        return peak;
    }

    /**
     * Copies the last period played into channel {@code c}'s loop, its second half blended into the
     * audio that preceded the period, so that the loop's end leads into its start without a step.
     */
    private void takeWave(int c) {
        final float[] h = history[c];
        final float[] w = wave[c];
        final long start = written - waveLength;
        for (int i = 0; i < waveLength; i++) {
            w[i] = h[(int) ((start + i) & MASK)];
        }
        final int seam = waveLength / 2;
        for (int j = 0; j < seam; j++) {
            final float mix = (j + 1f) / (seam + 1f);
            final int i = waveLength - seam + j;
            w[i] += mix * (h[(int) ((start - seam + j) & MASK)] - w[i]);
        }
    }

    /** Puts the next {@code len} concealed frames of channel {@code c} into {@link #generated}. */
    private void generate(int c, int len) {
        if (policy == UnderrunPolicy.ZEROS || outage >= holdFrames + fadeOutFrames) {
            Arrays.fill(generated, 0, len, 0f);
            return;
        }
        if (predicting[c]) {
            predict(c, len);
        }
        if (!predicting[c]) {
            for (int i = 0; i < len; i++) {
                generated[i] = wave[c][(wavePhase + i) % waveLength];
            }
        }
        for (int i = 0; i < len; i++) {
            generated[i] *= gain(outage + i);
        }
    }

    /** Runs channel {@code c}'s model on for {@code len} frames; gives up on it if it blows up. */
    private void predict(int c, int len) {
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
            generated[i] = v;
        }
        System.arraycopy(work, len, state[c], 0, ORDER);
    }

    private float gain(int frame) {
        if (frame < holdFrames) {
            return 1f;
        }
        final int into = frame - holdFrames;
        if (into >= fadeOutFrames) {
            return 0f;
        }
        return (float) (0.5 + 0.5 * Math.cos(Math.PI * into / fadeOutFrames));
    }

    private void advance(int len) {
        wavePhase = (wavePhase + len) % waveLength;
        outage = (int) Math.min((long) outage + len, Integer.MAX_VALUE);
    }

    private void record(float[][] out, int offset, int n) {
        for (int c = 0; c < channels; c++) {
            final float[] h = history[c];
            if (c >= out.length) {
                continue;
            }
            final float[] o = out[c];
            for (int i = Math.max(0, n - HISTORY); i < n; i++) {
                h[(int) ((written + i) & MASK)] = o[offset + i];
            }
        }
        written += n;
    }
}

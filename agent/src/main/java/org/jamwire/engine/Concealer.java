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
 * outage (see {@link LinearPrediction}).
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
 * preceded it so the loop has no seam (see {@link RepeatLoop}).
 *
 * <p>Every policy holds full level for {@value #HOLD_MS} ms of an outage and then fades to silence
 * over another {@value #FADE_MS} ms, so a long dropout goes quiet instead of buzzing. When real audio
 * resumes, the first {@code fadeFrames} of it are crossfaded (raised cosine) from the concealment,
 * which keeps running underneath, into the real signal.
 */
public final class Concealer {

    /** Frames of played audio kept per channel. */
    public static final int HISTORY = PlayedHistory.FRAMES;
    /** Highest model order of PREDICT. */
    public static final int ORDER = LinearPrediction.ORDER;
    /** Most frames PREDICT fits its model to. */
    public static final int WINDOW = LinearPrediction.WINDOW;
    /** Multiply-adds per frame of the local period that fitting may spend: see {@link LinearPrediction}. */
    static final int FIT_MACS_PER_FRAME = LinearPrediction.FIT_MACS_PER_FRAME;
    /** Milliseconds an outage is concealed at full level. */
    public static final int HOLD_MS = 20;
    /** Milliseconds over which a longer outage then fades to silence. */
    public static final int FADE_MS = 20;

    private static final int CHUNK = 256;

    private final UnderrunPolicy policy;
    private final int channels;
    private final int fadeFrames;
    private final int holdFrames;
    private final int fadeOutFrames;
    private final PlayedHistory history;
    private final RepeatLoop loop;
    private final LinearPrediction prediction;
    private final float[] generated = new float[CHUNK];
    private boolean concealing;
    private int fadePos;
    private int outage;

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
        this.holdFrames = (int) ((long) sampleRate * HOLD_MS / 1000);
        this.fadeOutFrames = Math.max(1, (int) ((long) sampleRate * FADE_MS / 1000));
        this.history = new PlayedHistory(channels);
        this.loop = new RepeatLoop(history, channels, periodFrames);
        this.prediction = new LinearPrediction(history, channels, periodFrames, holdFrames, CHUNK);
        fadePos = fadeFrames;
    }

    /**
     * The model order PREDICT fits for {@code channels} channels at {@code periodFrames}: see
     * {@link LinearPrediction#fitOrder}.
     */
    static int fitOrder(int channels, int periodFrames) {
        return LinearPrediction.fitOrder(channels, periodFrames);
    }

    /** The frames PREDICT fits its model to, with {@link #fitOrder}: at least 4 times the order. */
    static int fitWindow(int channels, int periodFrames) {
        return LinearPrediction.fitWindow(channels, periodFrames);
    }

    /** Frames after a gap that {@link #interpolate} uses: half the window. */
    public int ahead() {
        return prediction.ahead();
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
        return prediction.maxInterpolation();
    }

    /**
     * Fills a gap whose following audio has already arrived, for PREDICT: a model fitted to the
     * audio played before the gap runs forward into it, a model fitted to the audio after it
     * (time-reversed) runs backward into it, and the first hands over to the second (raised
     * cosine) over the gap's second half (see {@link LinearPrediction#crossfade}). The result
     * joins both neighbours without a step, so the audio after the gap plays untouched. Call when
     * the gap is about to be played, with the history up to its start.
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
        return mayInterpolate() && prediction.interpolate(next, nextFrames, gap, n);
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
        history.record(out, offset, n);
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
        history.record(out, offset, n);
    }

    /** Forgets the history and any concealment under way, e.g. when a new peer is adopted. */
    public void reset() {
        history.clear();
        concealing = false;
        fadePos = fadeFrames;
        outage = 0;
        prediction.reset();
    }

    private void start() {
        concealing = true;
        fadePos = fadeFrames;
        outage = 0;
        loop.restart();
        if (policy == UnderrunPolicy.ZEROS) {
            return;
        }
        for (int c = 0; c < channels; c++) {
            loop.take(c);
        }
        prediction.start(policy == UnderrunPolicy.PREDICT);
    }

    /** Puts the next {@code len} concealed frames of channel {@code c} into {@link #generated}. */
    private void generate(int c, int len) {
        if (policy == UnderrunPolicy.ZEROS || outage >= holdFrames + fadeOutFrames) {
            Arrays.fill(generated, 0, len, 0f);
            return;
        }
        if (prediction.predicting(c)) {
            prediction.predict(c, generated, len);
        }
        if (!prediction.predicting(c)) {
            loop.fill(c, generated, len);
        }
        for (int i = 0; i < len; i++) {
            generated[i] *= gain(outage + i);
        }
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
        loop.advance(len);
        outage = (int) Math.min((long) outage + len, Integer.MAX_VALUE);
    }
}

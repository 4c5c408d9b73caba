package org.jamwire.engine;

/**
 * Plays a {@link ReceiveQueue}'s stream at the rate its {@link DriftEstimator} believes the peer's
 * clock runs against this end's: six-point Lagrange interpolation (inaudible), with a gentle pull
 * of the level towards the queue's middle. JACK thread only; allocation-free.
 */
final class DriftCorrection {

    /** Interpolation points of the resampler, and how many frames it reads before a position. */
    private static final int TAPS = 6;
    private static final int TAPS_BEFORE = 2;
    /**
     * How strongly a drift-corrected queue's level is pulled towards its middle: the fraction of
     * the error removed per second, as a rate, and the most it may add, in ppm.
     */
    private static final double LEVEL_PULL_PER_SECOND = 1.0 / 30;
    private static final double LEVEL_PULL_MAX_PPM = 100;

    private final DriftEstimator drift;
    private final FrameRing ring;
    private final Counters counters;
    private final int channels;
    private final int localFrames;
    private final int sampleRate;
    private final float[] scratch = new float[FrameRing.MAX_PEER_FRAMES];
    /** The level before each period, smoothed over about a second, while drift is corrected. */
    private double smoothedLevel = Double.NaN;
    private final double levelSmoothing;

    DriftCorrection(FrameRing ring, Counters counters, int localFrames, int sampleRate) {
        this.drift = new DriftEstimator(sampleRate);
        this.ring = ring;
        this.counters = counters;
        this.channels = ring.channels();
        this.localFrames = localFrames;
        this.sampleRate = sampleRate;
        this.levelSmoothing = Math.min(1.0, (double) localFrames / sampleRate);
    }

    /** The estimate followed, which also takes the peer's timestamps. */
    DriftEstimator estimator() {
        return drift;
    }

    /** This end began playing frame {@code played} of its own count at {@code nowMicros}. */
    void periodBegan(long played, long nowMicros) {
        drift.local(played, nowMicros);
        counters.set(LinkCounter.DRIFT_PPM, Math.round(drift.ppm()));
    }

    /** Whether a drift is believed, so that {@link #resample} is due. */
    boolean active() {
        return drift.believed();
    }

    /**
     * Plays the queue's channels into {@code outputs} at the corrected rate, if every frame it reads
     * has arrived, and moves the schedule on by the frames consumed; otherwise plays nothing and
     * returns false.
     */
    boolean resample(float[][] outputs, int frames, int targetFrames) {
        final double consumed = frames * (1 + ratePpm(targetFrames) * 1e-6);
        final double end = ring.phase + consumed;
        final long first = ring.readPos - TAPS_BEFORE;
        final int span = (int) Math.ceil(end) + TAPS;
        if (first < ring.floorPos || first + span > ring.writePos || span > scratch.length
                || !ring.isWhole(first, span)) {
            return false;
        }
        final double step = consumed / frames;
        for (int c = 0; c < channels && c < outputs.length; c++) {
            ring.copyOut(c, first, scratch, 0, span);
            final float[] out = outputs[c];
            for (int i = 0; i < frames; i++) {
                final double x = ring.phase + i * step;
                final int k = (int) x;
                final double t = x - k;
                out[i] = (float) lagrange(scratch, k, t);
            }
        }
        final long whole = (long) Math.floor(end);
        ring.readPos += whole;
        ring.phase = end - whole;
        return true;
    }

    /** Forgets the smoothed level: the schedule moved. */
    void relearn() {
        smoothedLevel = Double.NaN;
    }

    /** Forgets both clocks, e.g. when a new peer is adopted. */
    void reset() {
        relearn();
        drift.reset();
    }

    /** The drift plus a pull of the level towards the queue's middle, in ppm. */
    private double ratePpm(int targetFrames) {
        final double middle = targetFrames - localFrames / 2.0;
        final double level = ring.writePos - ring.readPos - ring.phase;
        smoothedLevel = Double.isNaN(smoothedLevel) ? level : smoothedLevel + (level - smoothedLevel) * levelSmoothing;
        final double pull = (smoothedLevel - middle) / sampleRate * LEVEL_PULL_PER_SECOND * 1e6;
        return drift.ppm() + Math.max(-LEVEL_PULL_MAX_PPM, Math.min(LEVEL_PULL_MAX_PPM, pull));
    }

    /** Six-point Lagrange interpolation at {@code t} past sample {@code k + TAPS_BEFORE} of {@code s}. */
    private static double lagrange(float[] s, int k, double t) {
        final double am2 = t + 2;
        final double am1 = t + 1;
        final double a0 = t;
        final double a1 = t - 1;
        final double a2 = t - 2;
        final double a3 = t - 3;
        final double c0 = -am1 * a0 * a1 * a2 * a3 / 120;
        final double c1 = am2 * a0 * a1 * a2 * a3 / 24;
        final double c2 = -am2 * am1 * a1 * a2 * a3 / 12;
        final double c3 = am2 * am1 * a0 * a2 * a3 / 12;
        final double c4 = -am2 * am1 * a0 * a1 * a3 / 24;
        final double c5 = am2 * am1 * a0 * a1 * a2 / 120;
        return c0 * s[k] + c1 * s[k + 1] + c2 * s[k + 2] + c3 * s[k + 3] + c4 * s[k + 4] + c5 * s[k + 5];
    }
}

package org.jamwire.engine;

/**
 * Measures how fast the peer's audio clock runs against this end's, from two clocks that each
 * audio stream carries with it: the peer's packets say when it sent them (the header's
 * timestamp, from its system clock) and how many frames it had sent (the sequence number); this
 * end knows when each of its periods began (its own system clock) and how many frames it has
 * played. Each side's frames against its own system clock give that side's audio clock rate;
 * with system clocks that agree in rate (one machine, or machines kept by NTP), the difference
 * of the two rates is the drift between the audio clocks.
 *
 * <p>Neither the network nor the queue enters: jitter, loss and queue changes cannot look like
 * drift. Each side's clock is followed by its lower envelope (the earliest a period began within
 * a quarter of a second: scheduling only ever delays), and its rate comes from the changes of
 * that envelope from one block to the next, over the last {@value #BLOCKS} blocks (32 s). An xrun
 * moves a clock's envelope once, by up to its length, and stays there: it only ever adds to that
 * block's change, a step. So the rate is the median of the changes without a step, those within
 * {@value #STEP_MICROS} µs a second of the lowest (its tenth percentile), and a step is never taken
 * for a slope, even when most seconds hold one (a loaded machine can xrun several times a second).
 * The scatter of those changes (their median absolute deviation) sets how uncertain the estimate
 * is, and the drift is reported only when it stands clear of that uncertainty
 * ({@value #DEADBAND_SIGMAS} standard errors) and of {@value #FLOOR_PPM} ppm, over at least
 * {@value #MIN_BLOCKS} changes (ten seconds) after the first {@value #WARM_UP_BLOCKS} blocks;
 * until then it is 0, exactly, and nothing is corrected. A drift believed is let go when its
 * estimate falls within {@value #RELEASE_SIGMAS} standard errors. Two
 * ends on one clock therefore measure no drift, however many xruns either has.
 *
 * <p>A load that grows over tens of seconds delays every period of a block a little more than the
 * last, and moves an envelope as a slope would. But what load can move is bounded: a period begun
 * later than about a period is an xrun (a step), so lateness moves the two envelopes apart by less
 * than the longer of the two periods, whatever it does; a drift moves them apart without end. A
 * drift is therefore believed only once the envelopes, steps left out, have moved apart since the
 * clocks were followed by more than that ({@value #LATENESS_PERIODS} of the longer period, and
 * {@value #LATENESS_MARGIN_MICROS} µs), in the direction of the estimate: a clock that drifts by
 * 100 ppm at 128 frames is believed after about 40 s, by which time the queue has slipped by less
 * than two periods.
 *
 * <p>Runs on the JACK thread; allocation-free. Time is a parameter.
 */
final class DriftEstimator {

    /**
     * Length of a block over which a clock's lower envelope is taken, in microseconds: a quarter
     * of a second, so that even a machine that xruns twice a second leaves most blocks without a
     * step.
     */
    static final long BLOCK_MICROS = 250_000;
    /** Block-to-block changes kept per clock: the window of the estimate, 32 s. */
    static final int BLOCKS = 128;
    /**
     * Changes needed on each clock before a drift is believed: ten seconds. With a second's worth,
     * a link on one clock (a relay test on one machine) believed a drift within seconds of starting
     * and resampled its whole stream from then on.
     */
    static final int MIN_BLOCKS = 40;
    /**
     * Blocks left out when a clock is followed afresh: the first two seconds of a stream (threads
     * starting, code being compiled) delay its periods by less and less, which looks like a rate.
     */
    static final int WARM_UP_BLOCKS = 8;
    /**
     * Standard errors within which a believed drift is let go again: well inside the
     * {@value #DEADBAND_SIGMAS} needed to believe it, so that a real drift is not corrected on
     * and off, while one that was never there is not corrected for good.
     */
    static final double RELEASE_SIGMAS = 2;
    /** Standard errors by which a drift must stand clear of zero to be believed. */
    static final double DEADBAND_SIGMAS = 5;
    /** Drift too small to act on, in ppm: a period slips in about 45 minutes at 128 frames. */
    static final double FLOOR_PPM = 1;
    /** A rate beyond any audio clock's: timestamps that give it are not a clock (e.g. all zero). */
    static final double MAX_PPM = 2500;
    /**
     * How far above the slope a second's change may be and still be taken for the slope, in
     * microseconds: beyond it the clock fell behind within that second (a step). Audio clocks
     * disagree by 200 ppm at most (two crystals of 100); a second's envelope moves by far less
     * than this without a step.
     */
    static final double STEP_MICROS = 200;
    /**
     * Changes without a step needed for an estimate, a third of the window: fewer, and there is
     * none. The changes kept lie within {@value #STEP_MICROS} µs a second of each other, so their
     * scatter says little of how far the few kept may sit from the slope: with 25 kept, on one
     * clock on a loaded machine (periods 0.5 to 3 ms late for a second at a time, and small
     * xruns), a drift of 88 ppm was believed, and the stream resampled.
     */
    static final int MIN_KEPT = BLOCKS / 3;
    /** How many of the longer period the envelopes may move apart through lateness alone. */
    static final double LATENESS_PERIODS = 1.25;
    /** And by how many microseconds more: scheduling noise at both ends. */
    static final double LATENESS_MARGIN_MICROS = 500;
    private static final double BLOCKS_PER_SECOND = 1e6 / BLOCK_MICROS;

    private final Track remote;
    private final Track local;
    private boolean believed;
    private double ppm;

    /** @param sampleRate the nominal rate of both ends, in Hz */
    DriftEstimator(int sampleRate) {
        this.remote = new Track(sampleRate);
        this.local = new Track(sampleRate);
    }

    /** The peer sent frame {@code frame} of its stream (a queue position) at {@code micros}, its clock. */
    void remote(long frame, long micros) {
        if (remote.observe(frame, micros)) {
            update();
        }
    }

    /** This end began playing frame {@code frame} of its own count at {@code micros}, its clock. */
    void local(long frame, long micros) {
        if (local.observe(frame, micros)) {
            update();
        }
    }

    /** The peer's stream started again (new sequence): its clock is followed afresh. */
    void remoteRestart() {
        remote.reset();
        local.restartNet();
        update();
    }

    /** Forgets everything, e.g. when a new peer is adopted. */
    void reset() {
        remote.reset();
        local.reset();
        believed = false;
        ppm = 0;
    }

    /**
     * The drift believed, in ppm: positive when the peer's clock is faster, so that this end must
     * play its audio faster to keep pace. 0 until a drift stands clear of the measured noise.
     */
    double ppm() {
        return believed ? ppm : 0;
    }

    /** Whether a drift has been believed since the last reset. */
    boolean believed() {
        return believed;
    }

    private void update() {
        if (remote.count < MIN_BLOCKS || local.count < MIN_BLOCKS) {
            return;
        }
        final double r = remote.ppm() - local.ppm();
        // Not Math.hypot: on this path it has been seen to allocate (72 bytes, on the JACK thread).
        final double rse = remote.standardError();
        final double lse = local.standardError();
        final double se = Math.sqrt(rse * rse + lse * lse);
        if (Math.abs(r) > MAX_PPM) {
            ppm = 0;
            return;
        }
        ppm = r;
        // How far the envelopes moved apart, steps left out: as r (the peer's clock ahead) when positive.
        final double moved = local.net - remote.net;
        final double lateness = LATENESS_PERIODS * Math.max(local.periodMicros(), remote.periodMicros())
                + LATENESS_MARGIN_MICROS;
        // A believed drift stays corrected while its estimate moves, until the estimate falls well
        // inside the noise: the correction does not switch on and off at the deadband's edge.
        if (!believed && Math.abs(r) > Math.max(FLOOR_PPM, DEADBAND_SIGMAS * se) && Math.abs(moved) > lateness
                && (moved > 0) == (r > 0)) {
            believed = true;
        } else if (believed && Math.abs(r) < Math.max(FLOOR_PPM, RELEASE_SIGMAS * se)) {
            believed = false;
        }
    }

    /** One clock: frames counted against microseconds of a system clock. */
    private static final class Track {
        private final double microsPerFrame;
        private final double[] changes = new double[BLOCKS];
        private final double[] sorted = new double[BLOCKS];
        private int head;
        private int count;
        /** Block-to-block changes seen since the clock was followed afresh, kept or not. */
        private int closed;
        private boolean started;
        private long originFrame;
        private long originMicros;
        private long blockEnd;
        private long blockIndex;
        private double blockMin;
        private double lastMin;
        private long lastBlock;
        private double median;
        private double deviation;
        /** The changes the estimate was taken from: those without a step. */
        private int kept;
        /** The tenth percentile of the changes: a change more than a step above it holds a step. */
        private double anchor;
        /** How far the envelope moved since the clock was followed, steps left out, in microseconds. */
        private double net;
        private long lastFrame;
        /** The fewest frames between two observations: this clock's period (0 before two). */
        private long periodFrames;

        Track(int sampleRate) {
            this.microsPerFrame = 1e6 / sampleRate;
            reset();
        }

        /** Counts the envelope's movement from here on. */
        void restartNet() {
            net = 0;
        }

        /** This clock's period in microseconds, 0 before it is known. */
        double periodMicros() {
            return periodFrames * microsPerFrame;
        }

        void reset() {
            started = false;
            net = 0;
            periodFrames = 0;
            count = 0;
            closed = 0;
            head = 0;
            lastMin = Double.NaN;
            blockMin = Double.POSITIVE_INFINITY;
            median = 0;
            deviation = 0;
            kept = 0;
        }

        /** Takes one observation; returns true when it closed a block and the estimate moved. */
        boolean observe(long frame, long micros) {
            if (!started) {
                started = true;
                originFrame = frame;
                originMicros = micros;
                blockEnd = micros + BLOCK_MICROS;
                blockIndex = 0;
            } else if (frame > lastFrame && (periodFrames == 0 || frame - lastFrame < periodFrames)) {
                periodFrames = frame - lastFrame;
            }
            lastFrame = frame;
            // How far behind its frame count this clock's time runs: falls as the audio clock runs fast.
            final double offset = (micros - originMicros) - (frame - originFrame) * microsPerFrame;
            boolean moved = false;
            if (micros >= blockEnd) {
                final long blocks = (micros - blockEnd) / BLOCK_MICROS + 1;
                moved = closeBlock();
                blockEnd += blocks * BLOCK_MICROS;
                blockIndex += blocks;
            }
            if (offset < blockMin) {
                blockMin = offset;
            }
            return moved;
        }

        private boolean closeBlock() {
            if (blockMin == Double.POSITIVE_INFINITY) {
                return false;
            }
            boolean moved = false;
            if (!Double.isNaN(lastMin) && ++closed > WARM_UP_BLOCKS) {
                // Microseconds per second of change: ppm, falling when the audio clock is fast.
                final double change = (blockMin - lastMin) / (blockIndex - lastBlock) * BLOCKS_PER_SECOND;
                changes[head] = change;
                head = (head + 1) % BLOCKS;
                if (count < BLOCKS) {
                    count++;
                }
                summarize();
                // Its movement counts unless it holds a step (an xrun's, which no drift makes).
                if (change <= anchor + STEP_MICROS) {
                    net += change * (blockIndex - lastBlock) / BLOCKS_PER_SECOND;
                }
                moved = true;
            }
            lastMin = blockMin;
            lastBlock = blockIndex;
            blockMin = Double.POSITIVE_INFINITY;
            return moved;
        }

        private void summarize() {
            System.arraycopy(changes, 0, sorted, 0, count);
            sort(sorted, count);
            // A clock that fell behind (an xrun, or a period started late for good) only ever adds
            // to a change, by a step; a slope moves every change alike. The changes without a step
            // are the ones nearest the lowest: those within STEP_MICROS of the tenth percentile
            // (the lowest itself may be a blip). Their median is the slope, however many seconds
            // held a step.
            anchor = sorted[count / 10];
            int from = 0;
            while (sorted[from] < anchor - STEP_MICROS) {
                from++;
            }
            int to = count / 10;
            while (to + 1 < count && sorted[to + 1] <= anchor + STEP_MICROS) {
                to++;
            }
            kept = to - from + 1;
            if (kept < MIN_KEPT) {
                median = 0;
                deviation = Double.POSITIVE_INFINITY;
                return;
            }
            median = middle(sorted, from, kept);
            for (int i = 0; i < kept; i++) {
                sorted[i] = Math.abs(sorted[from + i] - median);
            }
            sort(sorted, kept);
            deviation = middle(sorted, 0, kept);
        }

        /** This clock's audio rate above nominal, in ppm. */
        double ppm() {
            return -median;
        }

        /** The standard error of {@link #ppm}: the scatter of the changes kept, as a median's error. */
        double standardError() {
            return 1.2533 * 1.4826 * deviation / Math.sqrt(kept);
        }

        private static double middle(double[] a, int from, int n) {
            return (n & 1) == 1 ? a[from + n / 2] : 0.5 * (a[from + n / 2 - 1] + a[from + n / 2]);
        }

        private static void sort(double[] a, int n) {
            for (int i = 1; i < n; i++) {
                final double v = a[i];
                int j = i - 1;
                while (j >= 0 && a[j] > v) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
        }
    }
}

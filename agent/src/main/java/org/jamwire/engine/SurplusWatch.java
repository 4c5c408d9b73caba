package org.jamwire.engine;

/**
 * Tells a fixed-length {@link ReceiveQueue} when this end's clock fell behind the peer's stream for
 * good, not for a burst: when the queue has held a whole period more than its length at every
 * period for {@value #SURPLUS_SECONDS} s, or for {@value #AFTER_STALL_PERIODS} periods right after
 * this end stood still (its audio server skipped time), that much is to be skipped (a quarter of
 * that window in the first {@value #SETTLING_SECONDS} s of playback). The window starts at the
 * first period with a surplus, so a surplus goes one window after it appears. JACK thread only.
 */
final class SurplusWatch {

    /** Seconds the queue must hold a surplus period throughout before it is skipped. */
    static final double SURPLUS_SECONDS = 1.0;
    /**
     * Periods a surplus must last, just after this end stood still for two periods or more (its
     * audio server skipped time: an xrun), to be skipped then: what the peer sent meanwhile is a
     * surplus for good, and goes with the xrun's own glitch. A server that catches up instead runs
     * its next periods back to back, and the surplus is gone within them.
     */
    static final int AFTER_STALL_PERIODS = 4;
    /** Seconds after playback starts in which a surplus is looked for over a quarter of that. */
    static final double SETTLING_SECONDS = 2.0;

    private final int localFrames;
    private final int sampleRate;
    private final int surplusWindow;
    /** The window while playback settles in: a start-up surplus goes before most listeners notice. */
    private final int settlingWindow;
    private final int settlingPeriods;
    private long playedSinceStart;
    private int surplusPeriods;
    private long surplusMin = Long.MAX_VALUE;
    /** Periods left in which a surplus need last only {@link #AFTER_STALL_PERIODS}. */
    private int afterStall;
    /** When the last period began, in microseconds, or {@link Long#MIN_VALUE}. */
    private long lastPullMicros = Long.MIN_VALUE;

    SurplusWatch(int localFrames, int sampleRate) {
        this.localFrames = localFrames;
        this.sampleRate = sampleRate;
        this.surplusWindow = Math.max(8, (int) Math.round(SURPLUS_SECONDS * sampleRate / localFrames));
        this.settlingWindow = Math.max(4, surplusWindow / 4);
        this.settlingPeriods = (int) Math.round(SETTLING_SECONDS * sampleRate / localFrames);
    }

    /** A period of {@code frames} began at {@code nowMicros} ({@link Long#MIN_VALUE} if unknown). */
    void periodBegan(long nowMicros, int frames) {
        if (nowMicros == Long.MIN_VALUE) {
            return;
        }
        if (lastPullMicros != Long.MIN_VALUE && (nowMicros - lastPullMicros) * sampleRate >= 2_000_000L * frames) {
            afterStall = 2 * AFTER_STALL_PERIODS;
        }
        lastPullMicros = nowMicros;
    }

    /** Playback started: the settling window applies. */
    void playbackStarted() {
        playedSinceStart = 0;
    }

    /** Forgets the surplus seen so far: the level moved for another reason. */
    void relearn() {
        surplusPeriods = 0;
        surplusMin = Long.MAX_VALUE;
    }

    /**
     * Takes this period's {@code level} against {@code targetFrames}, and returns the frames to
     * skip now (whole periods), or 0. A queue that is not {@code watched} (an automatic one, or one
     * between frames while resampling) has no surplus.
     */
    long surplus(long level, int targetFrames, boolean watched) {
        int window = playedSinceStart++ < settlingPeriods ? settlingWindow : surplusWindow;
        if (afterStall > 0) {
            afterStall--;
            window = Math.min(window, AFTER_STALL_PERIODS);
        }
        if (!watched || level - targetFrames < localFrames) {
            relearn();
            return 0;
        }
        surplusMin = Math.min(surplusMin, level);
        if (++surplusPeriods < window) {
            return 0;
        }
        final long surplus = surplusMin - targetFrames;
        relearn();
        return surplus / localFrames * localFrames;
    }
}

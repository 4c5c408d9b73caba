package org.jamwire.engine;

/**
 * Moves an automatic {@link ReceiveQueue}'s length ({@code -q auto}) as its {@link QueueSizer}
 * says, where it costs least: it lengthens by holding a period at a gap, which would be concealed
 * anyway, and shortens by skipping at the next gap, or after {@value #FORCE_SHRINK_SECONDS} s
 * without one. JACK thread only; allocation-free.
 */
final class AutoLength {

    /**
     * Seconds an automatic queue waits for a gap to skip (which costs nothing: it would be
     * concealed anyway) before it skips audio to shorten itself.
     */
    static final double FORCE_SHRINK_SECONDS = 1.0;

    private final QueueSizer sizer;
    private final FrameRing ring;
    private final Counters counters;
    private final int localFrames;
    private final int forceShrinkAfter;
    /**
     * Periods an automatic queue may play off, and the periods left before it does so even if no
     * gap comes to skip; periods it should lengthen by, at the next gaps it comes to.
     */
    private int growPeriods;
    private int shrinkPeriods;
    private int shrinkWait;

    AutoLength(QueueSizer sizer, FrameRing ring, Counters counters, int localFrames, int sampleRate) {
        this.sizer = sizer;
        this.ring = ring;
        this.counters = counters;
        this.localFrames = localFrames;
        this.forceShrinkAfter = Math.max(1, (int) Math.round(FORCE_SHRINK_SECONDS * sampleRate / localFrames));
    }

    /**
     * Ends a period for the sizer; when its window closes, takes its verdict on the lag ({@code
     * lag}: frames played before this period less the next frame to play, as the sizer's transits
     * count them) and returns true: the target may have moved.
     */
    boolean period(long lag) {
        if (!sizer.period()) {
            return false;
        }
        final long change = sizer.change(lag);
        final int periods = change < 0 ? (int) (-change / localFrames) : 0;
        if (shrinkPeriods == 0 && periods > 0) {
            shrinkWait = forceShrinkAfter;
        }
        shrinkPeriods = periods;
        growPeriods = change > 0 ? (int) ((change + localFrames - 1) / localFrames) : 0;
        return true;
    }

    /**
     * True when this period is to be held, not passed, to lengthen the queue where its sizer found
     * it too short: at a gap, so a packet that is only late can still fill it.
     */
    boolean grow() {
        if (growPeriods == 0 || ring.phase != 0 || !ring.atGap()) {
            return false;
        }
        growPeriods--;
        counters.increment(LinkCounter.QUEUE_GROWS);
        return true;
    }

    /**
     * Shortens the queue by the periods its sizer found too many, all at once, at the first gap
     * the schedule comes to or when the wait is over; only audio that has arrived is skipped, and
     * a period is kept to play after it. Returns true when it skipped, so that what follows is
     * crossfaded in.
     */
    boolean shrink(int frames) {
        if (shrinkPeriods == 0 || ring.phase != 0) {
            return false;
        }
        final boolean gap = ring.atGap();
        if (!gap && --shrinkWait > 0) {
            return false;
        }
        // At a gap, the gap itself may go.
        final long queued = ring.level() / frames - (gap ? 0 : 1);
        final long periods = Math.min(shrinkPeriods, queued);
        if (periods <= 0) {
            return false;
        }
        shrinkPeriods = 0;
        counters.increment(LinkCounter.QUEUE_SHRINKS);
        ring.readPos += periods * frames;
        if (ring.aheadFrom >= 0 && ring.aheadFrom < ring.readPos) {
            // What was skipped is not made up, so a late packet for it is no reason to step back.
            ring.aheadFrom = ring.readPos;
        }
        return true;
    }

    /** Drops any change under way: the schedule moved for another reason. */
    void cancel() {
        shrinkPeriods = 0;
        growPeriods = 0;
    }
}

package org.jamwire.engine;

/**
 * The moves of a {@link ReceiveQueue}'s schedule, by whole periods and only when the stream itself
 * moved: a step back when packets keep coming after their place, with periods held while the queue
 * fills again, and a skip of audio the queue holds beyond its length. Each move is counted, and
 * whatever was learnt from the level before it starts afresh. JACK thread only; allocation-free.
 */
final class Slips {

    private final FrameRing ring;
    private final Playout playout;
    private final SurplusWatch surplus;
    /** Null for a fixed queue. */
    private final AutoLength auto;
    /** Null for a queue that does not follow drift. */
    private final DriftCorrection correction;
    private final Counters counters;
    private final int localFrames;
    /** Periods still to be concealed without moving on, while the queue fills after a step back. */
    private int holdPeriods;

    Slips(FrameRing ring, Playout playout, SurplusWatch surplus, AutoLength auto, DriftCorrection correction,
            Counters counters, int localFrames) {
        this.ring = ring;
        this.playout = playout;
        this.surplus = surplus;
        this.auto = auto;
        this.correction = correction;
        this.counters = counters;
        this.localFrames = localFrames;
    }

    /**
     * Packets keep arriving after their place was played: the peer's stream fell behind the
     * schedule. Plays on from the first frame made up since, so the late audio is heard and what
     * was concealed becomes delay, and holds until the queue holds {@code refillTo} frames again
     * (0 for an automatic queue: it has grown by what it concealed, and its sizer decides whether
     * that was too much).
     */
    void stepBack(int refillTo) {
        if (ring.aheadFrom < 0 || ring.aheadFrom > ring.readPos) {
            return;
        }
        ring.readPos = ring.aheadFrom;
        ring.phase = 0;
        ring.aheadFrom = -1;
        if (auto != null) {
            auto.cancel();
        }
        final long missingFrames = refillTo - ring.level();
        holdPeriods = refillTo > 0 && missingFrames > 0 ? (int) ((missingFrames + localFrames - 1) / localFrames) : 0;
        counters.increment(LinkCounter.STEP_BACKS);
        relearn();
    }

    /** True, and one period fewer to go, while the schedule holds after a step back. */
    boolean holding() {
        if (holdPeriods == 0) {
            return false;
        }
        holdPeriods--;
        return true;
    }

    /**
     * Drops queued audio up to {@code pos}: the oldest goes, the schedule moves on, and the audio
     * after is crossfaded in.
     */
    void skipTo(long pos) {
        if (pos <= ring.readPos) {
            return;
        }
        // Counted in periods (or parts of one) skipped: each is audio the listener does not hear.
        counters.add(LinkCounter.OVERFLOWS, (pos - ring.readPos + localFrames - 1) / localFrames);
        ring.readPos = pos;
        ring.phase = 0;
        playout.splice();
        if (ring.readPos > ring.writePos) {
            ring.writePos = ring.readPos;
        }
        relearn();
    }

    /** Forgets what was learnt from the level: the schedule moved, or playback starts. */
    void relearn() {
        if (correction != null) {
            correction.relearn();
        }
        surplus.relearn();
    }

    /** Drops any move under way, e.g. when a new peer is adopted. */
    void clear() {
        holdPeriods = 0;
        if (auto != null) {
            auto.cancel();
        }
    }
}

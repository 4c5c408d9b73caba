package org.jamwire.engine;

/**
 * Chooses the receive queue's target for {@code -q auto}: the smallest that stays glitch-free.
 * It watches each packet's margin: how many frames were still to play before its place when it
 * arrived (0: it is played in the very next period). An underrun, or a packet that arrives after
 * its place was played, means the target is too small: it grows by one period at once. When no
 * packet's margin was under a quarter period for several windows of two seconds in a row, that
 * much of the queue was never needed: the queue plays off the smallest margin and its target
 * shrinks by as much. Lost packets have no margin, so
 * loss alone neither grows nor shrinks the queue. A shrink that an underrun soon follows doubles the
 * number of quiet windows needed before the next one (up to a minute), and one that holds halves
 * it again, so a link whose jitter sits on a period boundary does not swing back and forth. Runs on the JACK thread; allocation-free.
 */
final class QueueSizer {

    /** Seconds per observation window. */
    static final double WINDOW_SECONDS = 2.0;
    /** Quiet windows needed before the first shrink. */
    static final int FIRST_HOLD = 3;
    /** Most quiet windows ever needed before a shrink. */
    static final int MAX_HOLD = 30;
    /** The largest target, in seconds of audio. */
    static final double MAX_SECONDS = 0.1;
    /** The target a link starts with, in periods. */
    static final int START_PERIODS = 2;

    private final int frames;
    /** The least spare margin worth shrinking for. */
    private final int minShrink;
    private final int maxTarget;
    private final int windowPeriods;
    private int target;
    private int windowMin = Integer.MAX_VALUE;
    private int arrivals;
    private int observed;
    private int quietWindows;
    /** The smallest margin over the current run of quiet windows. */
    private int quietMin = Integer.MAX_VALUE;
    private int hold = FIRST_HOLD;
    /** Windows since the last shrink, or -1 once it proved safe (or there was none). */
    private int sinceShrink = -1;

    /**
     * @param frames frames per local period
     * @param sampleRate local sample rate in Hz
     */
    QueueSizer(int frames, int sampleRate) {
        this.frames = frames;
        this.minShrink = Math.max(8, frames / 4);
        this.maxTarget = maxPeriods(frames, sampleRate) * frames;
        this.windowPeriods = Math.max(1, (int) Math.round(WINDOW_SECONDS * sampleRate / frames));
        this.target = Math.min(START_PERIODS * frames, maxTarget);
    }

    /** The most periods an automatic queue will hold at this period size and rate. */
    static int maxPeriods(int frames, int sampleRate) {
        return Math.max(START_PERIODS, (int) Math.ceil(MAX_SECONDS * sampleRate / frames));
    }

    /** The largest target in frames. */
    int maxTarget() {
        return maxTarget;
    }

    /** The target in frames. */
    int target() {
        return target;
    }

    /** Takes the margin of a packet that arrived in time, while the queue plays. */
    void arrival(int margin) {
        windowMin = Math.min(windowMin, margin);
        arrivals++;
    }

    /**
     * Counts a period played. Returns the frames the target has just shrunk by, which the queue
     * should now play off, or 0.
     */
    int period() {
        if (++observed < windowPeriods) {
            return 0;
        }
        // Most of a window's packets must have arrived for its margins to speak for the link.
        final boolean spare = arrivals > windowPeriods / 2 && windowMin >= minShrink;
        quietMin = spare ? Math.min(quietMin, windowMin) : Integer.MAX_VALUE;
        newWindow();
        if (sinceShrink >= 0 && ++sinceShrink > 2 * hold) {
            // The last shrink held: the next may come sooner again.
            sinceShrink = -1;
            hold = Math.max(FIRST_HOLD, hold / 2);
        }
        quietWindows = spare ? quietWindows + 1 : 0;
        if (quietWindows < hold) {
            return 0;
        }
        // Every packet of the quiet windows would still have been in time with this much less
        // queued. The level can stand above the target (a refill ends with what arrived at once),
        // so the whole of it is played off, and the target follows down to one period.
        final int by = quietMin;
        quietWindows = 0;
        quietMin = Integer.MAX_VALUE;
        target = Math.max(frames, target - by);
        sinceShrink = 0;
        return by;
    }

    private void newWindow() {
        observed = 0;
        arrivals = 0;
        windowMin = Integer.MAX_VALUE;
    }

    /**
     * The queue was too short: it ran dry, or a packet arrived after its place was played. The
     * target grows by a period, unless it is at its largest; returns whether it grew.
     */
    boolean grow() {
        if (sinceShrink >= 0) {
            hold = Math.min(MAX_HOLD, hold * 2);
            sinceShrink = -1;
        }
        quietWindows = 0;
        quietMin = Integer.MAX_VALUE;
        newWindow();
        if (target + frames > maxTarget) {
            return false;
        }
        target += frames;
        return true;
    }
}

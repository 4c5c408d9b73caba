package org.jamwire.engine;

import java.util.Arrays;

/**
 * Chooses how far an automatic queue ({@code -q auto}) plays behind the stream: just far enough
 * that all but the latest {@value #LATE_SHARE_PERCENT} % of packets arrive in time, from the
 * packets' own arrivals over the last {@value #WINDOWS} windows of {@value #WINDOW_SECONDS} s.
 *
 * <p>Each packet's transit is this end's frame count when it arrived less the packet's place in
 * the stream: a constant (the clocks' offset and the network's least delay) plus whatever delayed
 * this packet more than the fastest. Neither the queue's state nor its resizing enters, so the
 * measure does not chase itself. The spread of transits above the least of their window, at the
 * chosen share over all windows, is the delay the queue must add; the schedule's lag (frames
 * played less the next frame to play) is moved to the least transit of the last second plus that
 * spread, and no further. Spreads are taken within windows so that a step in the transit (an xrun
 * at either end moves it for good) moves the floor, not the spread. Lost packets have no transit,
 * so loss alone never moves it. With redundancy a packet's transit is that of its first copy to
 * arrive: a lost datagram's packet, revived from the next datagram, arrives a period later than
 * its own would have, and where that happens to more than the late share of packets the lag
 * covers it, which is what lets redundancy revive them in time.
 *
 * <p>A spread that rises shows in the next window (half a second) and the lag grows at once; a
 * spread that falls leaves the last {@value #WINDOWS} windows (ten seconds) before the lag
 * shrinks. Runs on the JACK thread; allocation-free.
 */
final class QueueSizer {

    /** Seconds per window. */
    static final double WINDOW_SECONDS = 0.5;
    /** Windows the spread is taken over: ten seconds. */
    static final int WINDOWS = 20;
    /** Packets, in percent, that may arrive after their place: the lag grows to cover the rest. */
    static final double LATE_SHARE_PERCENT = 0.05;
    /**
     * The share, in percent, that the lag must still cover with half a period to spare before it
     * shrinks: less than {@link #LATE_SHARE_PERCENT}, so that a spread on the edge of a period
     * neither grows nor shrinks the lag back and forth.
     */
    static final double KEEP_SHARE_PERCENT = 0.01;
    /** The largest delay an automatic queue adds by default, in seconds. */
    static final double MAX_SECONDS = 0.1;
    /** The length a link starts with, in periods, before the first window has measured anything. */
    static final int START_PERIODS = 2;

    private final int frames;
    private final int maxTarget;
    private final int windowPeriods;
    private final int bucketFrames;
    private final int buckets;
    /** Per window: its least and greatest transit, its histogram of transits above the least, and its arrivals. */
    private final long[] windowMin = new long[WINDOWS];
    private final long[] windowMax = new long[WINDOWS];
    private final int[][] histograms;
    private final int[] arrivals = new int[WINDOWS];
    private final int[] merged;
    private int current;
    private int filled;
    private int observed;
    private int target;
    /** The least transit over the windows, and the spreads above it that the lag must cover. */
    private long least = Long.MIN_VALUE;
    private long growSpread;
    private long keepSpread;

    /**
     * @param frames frames per local period
     * @param sampleRate local sample rate in Hz
     * @param maxMillis the most delay the queue may add, in milliseconds (0: {@value #MAX_SECONDS} s)
     */
    QueueSizer(int frames, int sampleRate, int maxMillis) {
        this.frames = frames;
        final double most = maxMillis > 0 ? maxMillis / 1000.0 : MAX_SECONDS;
        this.maxTarget = Math.max(frames, (int) Math.ceil(most * sampleRate / frames) * frames);
        this.windowPeriods = Math.max(1, (int) Math.round(WINDOW_SECONDS * sampleRate / frames));
        // A quarter period: transits of packets as long as the period fall on bucket edges.
        this.bucketFrames = Math.max(1, frames / 4);
        this.buckets = maxTarget / bucketFrames + 2;
        this.histograms = new int[WINDOWS][buckets];
        this.merged = new int[buckets];
        this.target = Math.min(START_PERIODS * frames, maxTarget);
        restart();
    }

    /** The most periods an automatic queue holds at this period size and cap. */
    static int maxPeriods(int frames, int sampleRate, int maxMillis) {
        final double most = maxMillis > 0 ? maxMillis / 1000.0 : MAX_SECONDS;
        return Math.max(START_PERIODS, (int) Math.ceil(most * sampleRate / frames));
    }

    /** The largest target in frames. */
    int maxTarget() {
        return maxTarget;
    }

    /** The queue length aimed at, in frames: a period plus the spread that all but the late share stay within. */
    int target() {
        return target;
    }

    /**
     * How far to move a lag of {@code lag} frames: up to cover all but {@value #LATE_SHARE_PERCENT}
     * % of the transits seen, or down to where it still covers all but {@value #KEEP_SHARE_PERCENT}
     * % with half a period to spare; 0 otherwise, and before anything was measured.
     */
    long change(long lag) {
        if (least == Long.MIN_VALUE) {
            return 0;
        }
        final long grown = least + growSpread;
        final long kept = least + keepSpread;
        return grown > lag ? grown - lag : kept < lag - frames / 2 ? kept - lag : 0;
    }

    /** Forgets every arrival: the stream started again, so transits start from another constant. */
    void restart() {
        for (int w = 0; w < WINDOWS; w++) {
            windowMin[w] = Long.MAX_VALUE;
            windowMax[w] = Long.MIN_VALUE;
            arrivals[w] = 0;
            Arrays.fill(histograms[w], 0);
        }
        current = 0;
        filled = 0;
        observed = 0;
        least = Long.MIN_VALUE;
    }

    /** Takes the transit of a packet that arrived (not one revived from redundancy). */
    void arrival(long transit) {
        final int[] h = histograms[current];
        if (transit < windowMin[current]) {
            // The window's floor moves down: what it holds moves up by as much.
            if (windowMin[current] != Long.MAX_VALUE) {
                shiftUp(h, windowMin[current] - transit);
            }
            windowMin[current] = transit;
        }
        h[bucket(transit - windowMin[current])]++;
        windowMax[current] = Math.max(windowMax[current], transit);
        arrivals[current]++;
    }

    /**
     * Counts a period played. At the end of each window, measures the spread of transits; returns
     * true when it did, so that the queue asks for the {@link #change} to its lag.
     */
    boolean period() {
        if (++observed < windowPeriods) {
            return false;
        }
        observed = 0;
        final boolean any = arrivals[current] > 0;
        current = (current + 1) % WINDOWS;
        if (filled < WINDOWS) {
            filled++;
        }
        windowMin[current] = Long.MAX_VALUE;
        windowMax[current] = Long.MIN_VALUE;
        arrivals[current] = 0;
        Arrays.fill(histograms[current], 0);
        return any && measure();
    }

    private boolean measure() {
        long most = 0;
        long total = 0;
        Arrays.fill(merged, 0);
        for (int w = 0; w < WINDOWS; w++) {
            if (arrivals[w] == 0) {
                continue;
            }
            most = Math.max(most, windowMax[w] - windowMin[w]);
            total += arrivals[w];
            final int[] h = histograms[w];
            for (int b = 0; b < buckets; b++) {
                merged[b] += h[b];
            }
        }
        // The floor now: the least transit of the last two windows closed.
        final int last = (current + WINDOWS - 1) % WINDOWS;
        final int before = (current + WINDOWS - 2) % WINDOWS;
        final long floor = Math.min(windowMin[last], arrivals[before] > 0 ? windowMin[before] : Long.MAX_VALUE);
        if (total == 0 || floor == Long.MAX_VALUE) {
            return false;
        }
        least = floor;
        growSpread = spread(total, LATE_SHARE_PERCENT, most);
        keepSpread = spread(total, KEEP_SHARE_PERCENT, most);
        target = (int) (frames + growSpread);
        return true;
    }

    /**
     * The spread above their window's least transit that all but {@code percent} % of {@code total}
     * arrivals stayed within: the lower edge of its bucket (exact for packets a period long, whose transits
     * fall on edges), at most the greatest spread seen and the queue's largest.
     */
    private long spread(long total, double percent, long greatest) {
        final long allowed = (long) Math.floor(total * percent / 100);
        long above = 0;
        int b = buckets - 1;
        while (b > 0 && above + merged[b] <= allowed) {
            above += merged[b];
            b--;
        }
        return Math.min(Math.min((long) b * bucketFrames, greatest), maxTarget - frames);
    }

    private int bucket(long aboveMin) {
        return (int) Math.min(buckets - 1, Math.max(0, aboveMin / bucketFrames));
    }

    private void shiftUp(int[] h, long by) {
        final int shift = (int) Math.min(buckets, by / bucketFrames);
        if (shift <= 0) {
            return;
        }
        for (int b = buckets - 1; b >= 0; b--) {
            final int to = Math.min(buckets - 1, b + shift);
            if (to != b) {
                h[to] += h[b];
                h[b] = 0;
            }
        }
    }
}

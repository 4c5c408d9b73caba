package org.jamwire.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how long this JVM's ordinary (not realtime) threads were kept from running: a thread
 * of ordinary priority asks to wake every millisecond and records each wake-up that came
 * {@value #STALL_MILLIS} ms or more late. A link's packet loop and the test relay run at that
 * priority, so while this thread stood still, they could not forward or take in packets either,
 * and packets arrived late for reasons no program could mend: the machine's, like an xrun.
 * Started and stopped on the test thread.
 */
public final class StallWatch implements AutoCloseable {

    /** A wake-up at least this late counts as a stall. */
    public static final long STALL_MILLIS = 2;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Thread thread;
    private final List<long[]> stalls = new ArrayList<>();
    private volatile boolean running = true;

    private StallWatch() {
        thread = new Thread(this::watch, "stall watch");
        thread.setDaemon(true);
    }

    /** Starts watching. */
    public static StallWatch start() {
        final StallWatch w = new StallWatch();
        w.thread.start();
        return w;
    }

    private void watch() {
        long due = System.nanoTime() + TICK_NANOS;
        while (running) {
            LockSupport.parkNanos(due - System.nanoTime());
            final long now = System.nanoTime();
            final long late = now - due;
            if (late >= TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
                synchronized (stalls) {
                    stalls.add(new long[] {due, late});
                }
            }
            due = Math.max(due + TICK_NANOS, now);
        }
    }

    /** The stalls since {@link #start()}, each {start, length} in {@link System#nanoTime()}'s nanoseconds. */
    public List<long[]> stalls() {
        synchronized (stalls) {
            return List.copyOf(stalls);
        }
    }

    /**
     * Periods of {@code frames} at {@code rate} Hz that the stalls could have made late: each
     * stall's length in periods, rounded up, plus one.
     */
    public long periodsAtRisk(int frames, int rate) {
        final double periodNanos = frames * 1e9 / rate;
        long periods = 0;
        for (long[] s : stalls()) {
            periods += (long) Math.ceil(s[1] / periodNanos) + 1;
        }
        return periods;
    }

    /** One line, e.g. {@code 2 stalls of ordinary threads: 45.1 ms, 3.2 ms}. */
    public String describe() {
        final List<long[]> s = stalls();
        final StringBuilder b = new StringBuilder().append(s.size()).append(s.size() == 1 ? " stall" : " stalls")
                .append(" of ordinary threads (").append(STALL_MILLIS).append(" ms or longer)");
        for (int i = 0; i < s.size(); i++) {
            b.append(i == 0 ? ": " : ", ").append(String.format(java.util.Locale.ROOT, "%.1f ms", s.get(i)[1] / 1e6));
        }
        return b.toString();
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }
}

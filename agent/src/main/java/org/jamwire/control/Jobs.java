package org.jamwire.control;

import java.util.concurrent.locks.LockSupport;

/**
 * Where the agent's own threads start: a long job (a pair's start, a provisioning) on a daemon
 * thread named for it, and a task repeated at a fixed rate until closed. The faces hand their work
 * here rather than starting threads. Called on HTTP and control threads.
 */
public final class Jobs {

    private Jobs() {
    }

    /** Runs {@code work} once on a daemon thread named {@code jamwire-NAME}. */
    public static void start(String name, Runnable work) {
        final Thread t = new Thread(work, "jamwire-" + name);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Runs {@code tick} every {@code periodNanos} on a daemon thread named {@code jamwire-NAME} until
     * the returned handle is closed. A late tick is not made up for; one that throws does not end
     * the others.
     */
    public static Repeating repeat(String name, long periodNanos, Runnable tick) {
        final Repeating r = new Repeating(periodNanos, tick);
        r.thread = new Thread(r::run, "jamwire-" + name);
        r.thread.setDaemon(true);
        r.thread.start();
        return r;
    }

    /** A task repeated on its thread until closed. */
    public static final class Repeating implements AutoCloseable {
        private final long periodNanos;
        private final Runnable tick;
        private volatile boolean running = true;
        private Thread thread;

        private Repeating(long periodNanos, Runnable tick) {
            this.periodNanos = periodNanos;
            this.tick = tick;
        }

        private void run() {
            long next = System.nanoTime();
            while (running) {
                next += periodNanos;
                final long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    next = System.nanoTime();
                }
                if (!running) {
                    return;
                }
                try {
                    tick.run();
                } catch (RuntimeException e) {
                    // A failed tick must not end the others; the next one starts afresh.
                }
            }
        }

        /** Stops repeating; a tick under way finishes. */
        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}

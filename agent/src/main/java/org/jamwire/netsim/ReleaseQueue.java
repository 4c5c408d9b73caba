package org.jamwire.netsim;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Datagrams waiting for their release time, and the release thread that sends each when its time
 * comes. Ordered by release time on {@link System#nanoTime()}'s scale, then by the order they were
 * scheduled in, so with the same decisions the same datagrams leave in the same order. The receive
 * threads call {@link #schedule}; the control thread calls {@link #start}, {@link #stop} and
 * {@link #drain}.
 */
final class ReleaseQueue {

    /** Sends one datagram (all its copies) and returns it to the pool; on the release thread. */
    @FunctionalInterface
    interface Sender {
        void send(Datagram d);
    }

    private static final Comparator<Datagram> ORDER = (a, b) -> {
        final int byTime = Long.compare(a.releaseNanos - b.releaseNanos, 0);
        return byTime != 0 ? byTime : Long.compare(a.serial, b.serial);
    };

    private final PriorityQueue<Datagram> queue = new PriorityQueue<>(1024, ORDER);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Sender sender;
    private final Thread thread;
    private long nextSerial;
    private int pendingCopies;
    private boolean running = true;

    ReleaseQueue(String threadName, Sender sender) {
        this.sender = sender;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues {@code d} to leave at {@code d.releaseNanos}, after anything queued for that time. */
    void schedule(Datagram d) {
        lock.lock();
        try {
            d.serial = nextSerial++;
            queue.add(d);
            pendingCopies += d.copies;
            if (queue.peek() == d) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Copies queued and not yet sent. */
    int pendingCopies() {
        lock.lock();
        try {
            return pendingCopies;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the release thread and waits for it; what is still queued stays queued. */
    void stop() {
        lock.lock();
        try {
            running = false;
            changed.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Empties the queue into {@code discard}; call after {@link #stop}. */
    void drain(Consumer<Datagram> discard) {
        lock.lock();
        try {
            for (Datagram d = queue.poll(); d != null; d = queue.poll()) {
                pendingCopies -= d.copies;
                discard.accept(d);
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        lock.lock();
        try {
            while (running) {
                final Datagram head = queue.peek();
                if (head == null) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                final long wait = head.releaseNanos - System.nanoTime();
                if (wait > 0) {
                    awaitNanos(wait);
                    continue;
                }
                queue.poll();
                final int copies = head.copies;
                lock.unlock();
                try {
                    sender.send(head);
                } finally {
                    lock.lock();
                    pendingCopies -= copies;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void awaitNanos(long nanos) {
        try {
            changed.awaitNanos(nanos);
        } catch (InterruptedException e) {
            running = false;
            Thread.currentThread().interrupt();
        }
    }
}

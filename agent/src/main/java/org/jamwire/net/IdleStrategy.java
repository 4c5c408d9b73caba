package org.jamwire.net;

import java.util.concurrent.locks.LockSupport;

/**
 * How the packet loop waits when a pass found no work: a couple of yields, then parks that double
 * from {@code minParkNanos} to {@code maxParkNanos}. Any work resets it. The maximum park bounds
 * the delay added to a datagram, so it stays a small fraction of an audio period. Used on the packet
 * loop only.
 */
public final class IdleStrategy {

    private static final int YIELDS = 2;
    private final long minParkNanos;
    private final long maxParkNanos;
    private int yields;
    private long parkNanos;

    /** Creates a strategy parking between the two bounds. */
    public IdleStrategy(long minParkNanos, long maxParkNanos) {
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        reset();
    }

    /** Waits according to how much work the last pass did. */
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
            return;
        }
        if (yields < YIELDS) {
            yields++;
            Thread.yield();
            return;
        }
        LockSupport.parkNanos(parkNanos);
        parkNanos = Math.min(parkNanos << 1, maxParkNanos);
    }

    private void reset() {
        yields = 0;
        parkNanos = minParkNanos;
    }
}

package org.jamwire.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition with a deadline instead of sleeping for a fixed time. Test thread. */
public final class Deadlines {

    private static final long POLL_MILLIS = 2;

    private Deadlines() {}

    /**
     * Polls {@code condition} until it holds or {@code timeout} passes.
     *
     * @return the time it took
     * @throws AssertionError with {@code description} if the deadline passes first
     */
    public static Duration await(Duration timeout, BooleanSupplier condition, Supplier<String> description) {
        final long start = System.nanoTime();
        final long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + description.get());
            }
            pause();
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** A short pause between two polls. */
    public static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}

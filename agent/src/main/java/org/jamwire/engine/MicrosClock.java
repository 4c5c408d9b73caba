package org.jamwire.engine;

/**
 * Wall-clock microseconds for the packet header's timestamp, injected so that the engine never
 * reads a clock itself and tests can fix the value. Called on the JACK thread; must not allocate.
 */
@FunctionalInterface
public interface MicrosClock {

    /**
     * The system clock: microseconds since the Unix epoch, as jacktrip sends, to the microsecond.
     * Read from the monotonic clock, which runs at the system clock's rate (NTP slews both) but
     * never steps, from the wall-clock time it had when the class was loaded.
     */
    MicrosClock SYSTEM = Epoch::micros;

    /** Microseconds since the Unix epoch. */
    long micros();

    /** The wall-clock time of one monotonic reading, taken once. */
    final class Epoch {
        private static final long EPOCH_MICROS = System.currentTimeMillis() * 1000L;
        private static final long EPOCH_NANOS = System.nanoTime();

        private Epoch() {}

        static long micros() {
            return EPOCH_MICROS + (System.nanoTime() - EPOCH_NANOS) / 1000L;
        }
    }
}

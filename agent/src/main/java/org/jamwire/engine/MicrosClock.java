package org.jamwire.engine;

/**
 * Wall-clock microseconds for the packet header's timestamp, injected so that the engine never
 * reads a clock itself and tests can fix the value. Called on the JACK thread; must not allocate.
 */
@FunctionalInterface
public interface MicrosClock {

    /** The system clock: microseconds since the Unix epoch, as jacktrip sends. */
    MicrosClock SYSTEM = () -> System.currentTimeMillis() * 1000L;

    /** Microseconds since the Unix epoch. */
    long micros();
}

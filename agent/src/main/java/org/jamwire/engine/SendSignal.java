package org.jamwire.engine;

/**
 * How the audio thread tells the sender that a datagram is queued. Implementations must not
 * allocate, lock or block: the audio thread calls {@link #ring()} once per period.
 */
@FunctionalInterface
public interface SendSignal {

    /** Wakes the sender. */
    void ring();
}

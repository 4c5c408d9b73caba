package org.jamwire.engine;

/**
 * What the audio thread does once a datagram is queued: a link sends it there and then, on the
 * audio thread, through a non-blocking socket. Implementations must not allocate or block, and may
 * take only locks that no other thread takes while audio runs: the audio thread calls
 * {@link #ring()} once per period.
 */
@FunctionalInterface
public interface SendSignal {

    /** Sends, or hands on, what the audio thread queued. */
    void ring();
}

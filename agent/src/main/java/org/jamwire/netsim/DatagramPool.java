package org.jamwire.netsim;

import java.util.ArrayDeque;

/**
 * Preallocated {@link Datagram}s, so that relaying does not allocate per datagram. A datagram
 * bigger than a slot grows that slot once and keeps it; when every slot is in flight (long delays
 * at high rates) the pool makes another and keeps it too. Taken on the receive threads, given back
 * on the release thread; synchronized, as the relay is a test tool and not the real-time path.
 */
final class DatagramPool {

    /** Slots made up front. */
    static final int INITIAL_SLOTS = 256;
    /**
     * Bytes per slot up front: enough for 2 channels of 16-bit samples at 256 frames, or at 128
     * frames with redundancy 3.
     */
    static final int INITIAL_CAPACITY = 2048;

    private final ArrayDeque<Datagram> free = new ArrayDeque<>(INITIAL_SLOTS * 2);
    private int made;

    DatagramPool() {
        for (int i = 0; i < INITIAL_SLOTS; i++) {
            free.push(new Datagram(INITIAL_CAPACITY));
        }
        made = INITIAL_SLOTS;
    }

    synchronized Datagram take() {
        final Datagram d = free.poll();
        if (d != null) {
            return d;
        }
        made++;
        return new Datagram(INITIAL_CAPACITY);
    }

    synchronized void give(Datagram d) {
        free.push(d);
    }

    /** Slots made so far, the initial ones included. */
    synchronized int made() {
        return made;
    }
}

package org.jamwire.netsim;

import java.nio.ByteBuffer;

/**
 * One datagram on its way through the relay: a pooled buffer and where and when it goes. Filled on
 * a receive thread, handed to the release thread through the {@link ReleaseQueue}'s lock, and
 * returned to the {@link DatagramPool} after sending; only one thread touches it at a time.
 */
final class Datagram {

    ByteBuffer data;
    int length;
    Direction direction;
    int index;
    int copies;
    long releaseNanos;
    long serial;

    Datagram(int capacity) {
        data = ByteBuffer.allocateDirect(capacity);
    }

    /** Copies {@code src}'s bytes from 0 to its position, growing the buffer if they do not fit. */
    void fill(ByteBuffer src) {
        final int len = src.position();
        if (data.capacity() < len) {
            data = ByteBuffer.allocateDirect(Math.max(len, 2 * data.capacity()));
        }
        data.clear();
        src.flip();
        data.put(src);
        length = len;
    }

    /** The buffer ready to send: position 0, limit the length. */
    ByteBuffer payload() {
        data.limit(length).position(0);
        return data;
    }
}

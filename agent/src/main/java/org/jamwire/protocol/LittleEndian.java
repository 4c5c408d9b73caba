package org.jamwire.protocol;

import java.nio.ByteBuffer;

/**
 * Little-endian access at absolute offsets, whatever order the buffer is set to. Called from the
 * JACK process callback and the network packet loop.
 */
final class LittleEndian {

    private LittleEndian() {}

    static int u8(ByteBuffer b, int at) {
        return b.get(at) & 0xFF;
    }

    static int u16(ByteBuffer b, int at) {
        return (b.get(at) & 0xFF) | (b.get(at + 1) & 0xFF) << 8;
    }

    static int s16(ByteBuffer b, int at) {
        return (b.get(at) & 0xFF) | b.get(at + 1) << 8;
    }

    static int i32(ByteBuffer b, int at) {
        return (b.get(at) & 0xFF)
                | (b.get(at + 1) & 0xFF) << 8
                | (b.get(at + 2) & 0xFF) << 16
                | b.get(at + 3) << 24;
    }

    static long i64(ByteBuffer b, int at) {
        return (i32(b, at) & 0xFFFF_FFFFL) | (long) i32(b, at + 4) << 32;
    }

    static void put8(ByteBuffer b, int at, int v) {
        b.put(at, (byte) v);
    }

    static void put16(ByteBuffer b, int at, int v) {
        b.put(at, (byte) v);
        b.put(at + 1, (byte) (v >> 8));
    }

    static void put32(ByteBuffer b, int at, int v) {
        b.put(at, (byte) v);
        b.put(at + 1, (byte) (v >> 8));
        b.put(at + 2, (byte) (v >> 16));
        b.put(at + 3, (byte) (v >> 24));
    }

    static void put64(ByteBuffer b, int at, long v) {
        put32(b, at, (int) v);
        put32(b, at + 4, (int) (v >>> 32));
    }
}

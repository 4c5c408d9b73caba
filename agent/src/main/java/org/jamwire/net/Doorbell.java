package org.jamwire.net;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import org.jamwire.engine.SendSignal;

/**
 * Wakes the sender thread from the audio thread with a Linux eventfd: ringing is one
 * {@code write(2)} of 8 bytes, which takes no lock, never blocks (the counter cannot realistically
 * reach its limit) and, through JNA's direct mapping with primitive arguments, allocates nothing.
 * The sender blocks in {@code read(2)} until rung, so an idle link costs no CPU and a queued
 * datagram leaves at once. {@link #ring()} is called on the audio thread, {@link #await()} on the
 * sender thread, the rest on the control thread.
 */
public final class Doorbell implements SendSignal, AutoCloseable {

    static {
        Native.register(Doorbell.class, Platform.C_LIBRARY_NAME);
    }

    private static native int eventfd(int initval, int flags);

    private static native long write(int fd, long buf, long count);

    private static native long read(int fd, long buf, long count);

    private static native int close(int fd);

    private final int fd;
    private final Memory one = new Memory(8);
    private final Memory sink = new Memory(8);
    private final long oneAddress;
    private final long sinkAddress;
    private volatile boolean closed;

    /** Opens the eventfd. */
    public Doorbell() {
        fd = eventfd(0, 0);
        if (fd < 0) {
            throw new IllegalStateException("cannot create an eventfd for the sender thread (errno "
                    + Native.getLastError() + ")");
        }
        one.setLong(0, 1L);
        oneAddress = Pointer.nativeValue(one);
        sinkAddress = Pointer.nativeValue(sink);
    }

    @Override
    public void ring() {
        write(fd, oneAddress, 8);
    }

    /** Blocks until rung at least once since the last call. */
    public void await() {
        read(fd, sinkAddress, 8);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            close(fd);
        }
    }
}

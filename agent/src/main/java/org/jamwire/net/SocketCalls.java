package org.jamwire.net;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The C library's socket calls, bound by JNA direct mapping with {@code long} addresses, for a
 * 64-bit Linux: {@code size_t}, {@code ssize_t} and pointers are all 64 bits wide there. A call
 * creates no Java object; {@code errno} after a call is {@link Native#getLastError()}.
 *
 * <p>The audio thread sends and receives through these, not through the JDK's datagram channel:
 * the channel takes a lock for every send and receive, and its classes are compiled, and their
 * string constants resolved, on whichever thread makes them hot (see {@link LinkSocket}).
 */
final class SocketCalls {

    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int IPPROTO_IP = 0;
    static final int IP_TOS = 1;
    static final int MSG_DONTWAIT = 0x40;
    static final int POLLIN = 0x1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;
    /** {@code struct sockaddr_in}: family, port, address, padding. */
    static final int SOCKADDR_IN_BYTES = 16;
    /** {@code struct pollfd}: fd, events, revents. */
    static final int POLLFD_BYTES = 8;

    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private SocketCalls() {}

    static native int socket(int domain, int type, int protocol);

    static native int setsockopt(int fd, int level, int name, long value, int length);

    static native int bind(int fd, long address, int length);

    static native int getsockname(int fd, long address, long lengthAddress);

    static native long sendto(int fd, long buffer, long length, int flags, long address, int addressLength);

    static native long recvfrom(int fd, long buffer, long length, int flags, long address, long lengthAddress);

    static native int poll(long fds, long count, int timeoutMillis);

    static native int close(int fd);
}

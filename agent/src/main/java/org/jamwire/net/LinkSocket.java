package org.jamwire.net;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A link's UDP socket (IPv4): bound, non-blocking, with expedited TOS and 1 MiB buffers. Opened
 * and closed on a control thread; sent and received on by one thread at a time, the audio thread
 * while an audio client runs and the control thread otherwise, and closed only once neither does.
 *
 * <p>It calls the C library's socket functions itself ({@link SocketCalls}), on native buffers it
 * allocates when it opens. Sending and receiving never wait, take no lock, and create no object
 * once the peer's address has been seen: a datagram is copied between the caller's buffer and the
 * native one, and the sender of a datagram is the same {@link InetSocketAddress} as long as it
 * does not change. The JDK's datagram channel, which this replaces, takes a lock for every send
 * and receive, and resolved its classes' string constants on the audio thread whenever the JIT
 * first compiled one of their methods there.
 */
public final class LinkSocket implements AutoCloseable {

    private static final int TOS_EXPEDITED = 0xB8;
    private static final int BUFFER_BYTES = 1 << 20;
    /** The largest UDP payload over IPv4, and the size of each native datagram buffer. */
    private static final int MAX_PAYLOAD = 65_507;
    /** Thrown, always the same one, when a receive fails for another reason than nothing waiting. */
    private static final IOException RECEIVE_ERROR = new ReceiveError();
    /** How many destinations a socket remembers: the peer, and a stranger or two told our format. */
    private static final int DESTINATIONS = 4;

    /* Offsets in the native memory: two datagram buffers, then sockaddrs, a socklen_t and a pollfd. */
    private static final int TX = 0;
    private static final int RX = MAX_PAYLOAD;
    private static final int TO = 2 * MAX_PAYLOAD;
    private static final int FROM = TO + SocketCalls.SOCKADDR_IN_BYTES;
    private static final int FROM_LENGTH = FROM + SocketCalls.SOCKADDR_IN_BYTES;
    private static final int POLL = FROM_LENGTH + 8;
    private static final int SCRATCH_BYTES = POLL + SocketCalls.POLLFD_BYTES - TO;

    private final int fd;
    private int localPort;
    /** Kept so that the native memory lives as long as the socket. */
    private final Memory memory;
    private final long base;
    private final ByteBuffer txView;
    private final ByteBuffer rxView;
    /** The sockaddrs, socklen_t and pollfd, seen in network byte order (ports, addresses)... */
    private final ByteBuffer wire;
    /** ... and in the machine's (family, lengths, poll fields); both start at {@link #TO}. */
    private final ByteBuffer host;
    /** Destinations seen lately, by identity, with their address bits and port: a send looks no further. */
    private final SocketAddress[] destinations = new SocketAddress[DESTINATIONS];
    private final int[] destinationBits = new int[DESTINATIONS];
    private final int[] destinationPorts = new int[DESTINATIONS];
    private int nextDestination;
    private InetSocketAddress lastFrom;
    /** The peer's address, whose datagrams return this very object; port -1 for none. */
    private InetSocketAddress pinnedSender;
    private int pinnedAddress;
    private int pinnedPort = -1;
    private int lastFromAddress;
    private int lastFromPort = -1;
    private volatile int lastError;
    private volatile boolean closed;

    private LinkSocket(int fd) {
        this.fd = fd;
        this.memory = new Memory(TO + SCRATCH_BYTES);
        this.base = Pointer.nativeValue(memory);
        this.txView = memory.getByteBuffer(TX, MAX_PAYLOAD);
        this.rxView = memory.getByteBuffer(RX, MAX_PAYLOAD);
        this.wire = memory.getByteBuffer(TO, SCRATCH_BYTES).order(ByteOrder.BIG_ENDIAN);
        this.host = memory.getByteBuffer(TO, SCRATCH_BYTES).order(ByteOrder.nativeOrder());
    }

    /**
     * Opens a socket bound to {@code local} (an IPv4 address, or the wildcard) with a link's options.
     *
     * @throws BindException when the port is taken or the address is not this machine's
     * @throws IOException when the socket cannot be opened
     */
    public static LinkSocket open(InetSocketAddress local) throws IOException {
        if (Native.LONG_SIZE != 8 || Native.POINTER_SIZE != 8) {
            throw Refused.platform();
        }
        final InetAddress address = local.getAddress();
        if (address == null || !(address instanceof Inet4Address || address.isAnyLocalAddress())) {
            throw Refused.address(local);
        }
        final int fd = SocketCalls.socket(SocketCalls.AF_INET,
                SocketCalls.SOCK_DGRAM | SocketCalls.SOCK_NONBLOCK | SocketCalls.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Refused.call(Refused.SOCKET, Native.getLastError());
        }
        try (Memory option = new Memory(4)) {
            final long value = Pointer.nativeValue(option);
            // Best effort, as in jacktrip: some systems refuse TOS changes.
            option.setInt(0, TOS_EXPEDITED);
            SocketCalls.setsockopt(fd, SocketCalls.IPPROTO_IP, SocketCalls.IP_TOS, value, 4);
            option.setInt(0, BUFFER_BYTES);
            for (final int name : new int[] {SocketCalls.SO_RCVBUF, SocketCalls.SO_SNDBUF}) {
                if (SocketCalls.setsockopt(fd, SocketCalls.SOL_SOCKET, name, value, 4) != 0) {
                    throw Refused.call(Refused.SETSOCKOPT, Native.getLastError());
                }
            }
            final LinkSocket socket = new LinkSocket(fd);
            socket.bind(address.isAnyLocalAddress() ? 0 : addressBits((Inet4Address) address), local.getPort());
            return socket;
        } catch (IOException | RuntimeException e) {
            SocketCalls.close(fd);
            throw e;
        }
    }

    private void bind(int address, int port) throws IOException {
        writeSockaddr(0, address, port);
        if (SocketCalls.bind(fd, base + TO, SocketCalls.SOCKADDR_IN_BYTES) != 0) {
            final int errno = Native.getLastError();
            throw errno == SocketCalls.EADDRINUSE || errno == SocketCalls.EADDRNOTAVAIL
                    || errno == SocketCalls.EACCES ? Refused.bind(errno, port) : Refused.call(Refused.BIND, errno);
        }
        host.putInt(FROM_LENGTH - TO, SocketCalls.SOCKADDR_IN_BYTES);
        if (SocketCalls.getsockname(fd, base + FROM, base + FROM_LENGTH) != 0) {
            throw Refused.call(Refused.GETSOCKNAME, Native.getLastError());
        }
        localPort = wire.getShort(FROM - TO + 2) & 0xFFFF;
    }

    /** The local UDP port. */
    public int localPort() {
        return localPort;
    }

    /**
     * Sends one datagram from its position to its limit, consuming it; false when the socket
     * refused it, the destination is not an IPv4 address, or the datagram is too long for UDP.
     */
    public boolean send(ByteBuffer datagram, SocketAddress destination) {
        if (!address(destination)) {
            return false;
        }
        final int length = datagram.remaining();
        if (length > MAX_PAYLOAD) {
            return false;
        }
        txView.clear();
        txView.put(datagram);
        final long sent = SocketCalls.sendto(fd, base + TX, length, SocketCalls.MSG_DONTWAIT, base + TO,
                SocketCalls.SOCKADDR_IN_BYTES);
        if (sent != length) {
            lastError = sent < 0 ? Native.getLastError() : 0;
            return false;
        }
        return true;
    }

    /**
     * Writes the destination's sockaddr. A destination among the last few, the same object, costs
     * no call; another allocates its address's bytes once. False if it is not an IPv4 address.
     */
    private boolean address(SocketAddress destination) {
        for (int i = 0; i < DESTINATIONS; i++) {
            if (destinations[i] == destination && destination != null) {
                writeSockaddr(0, destinationBits[i], destinationPorts[i]);
                return true;
            }
        }
        if (!(destination instanceof InetSocketAddress isa) || !(isa.getAddress() instanceof Inet4Address a)) {
            return false;
        }
        final int slot = nextDestination;
        nextDestination = (slot + 1) % DESTINATIONS;
        destinations[slot] = destination;
        destinationBits[slot] = addressBits(a);
        destinationPorts[slot] = isa.getPort();
        writeSockaddr(0, destinationBits[slot], destinationPorts[slot]);
        return true;
    }

    /**
     * Reads the next waiting datagram into {@code into}, from its position: as much of it as fits,
     * as a datagram channel does. Returns its source, or null when none waits or the socket is
     * closed.
     *
     * @throws IOException when the socket reports a receive error (always the same exception;
     *     {@link #lastError()} says which)
     */
    public SocketAddress receive(ByteBuffer into) throws IOException {
        final int room = Math.min(into.remaining(), MAX_PAYLOAD);
        host.putInt(FROM_LENGTH - TO, SocketCalls.SOCKADDR_IN_BYTES);
        final long got = SocketCalls.recvfrom(fd, base + RX, room, SocketCalls.MSG_DONTWAIT, base + FROM,
                base + FROM_LENGTH);
        if (got < 0) {
            final int errno = Native.getLastError();
            if (errno == SocketCalls.EAGAIN || errno == SocketCalls.EINTR || closed) {
                return null;
            }
            lastError = errno;
            throw RECEIVE_ERROR;
        }
        rxView.clear().limit((int) got);
        into.put(rxView);
        return sender();
    }

    /**
     * Makes {@link #receive} return {@code sender} itself for every datagram from its address, so
     * that the peer is known by identity: a datagram from anywhere else returns another object.
     * Called by the thread that receives, or before it starts; a sender just returned by
     * {@link #receive} costs no call into the JDK.
     */
    public void pinSender(InetSocketAddress sender) {
        if (sender == lastFrom) {
            pinnedAddress = lastFromAddress;
            pinnedPort = lastFromPort;
        } else if (sender.getAddress() instanceof Inet4Address a) {
            pinnedAddress = addressBits(a);
            pinnedPort = sender.getPort();
        } else {
            pinnedPort = -1;
        }
        pinnedSender = sender;
    }

    /**
     * The sender of the datagram just received: the pinned peer's object, else the last other
     * sender's object while it stays the same; a new one allocated when it changes.
     */
    private InetSocketAddress sender() throws IOException {
        final int port = wire.getShort(FROM - TO + 2) & 0xFFFF;
        final int address = wire.getInt(FROM - TO + 4);
        if (port == pinnedPort && address == pinnedAddress) {
            return pinnedSender;
        }
        if (port != lastFromPort || address != lastFromAddress) {
            final byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8),
                (byte) address};
            try {
                lastFrom = new InetSocketAddress(InetAddress.getByAddress(bytes), port);
            } catch (UnknownHostException e) {
                throw new IOException(e);
            }
            lastFromAddress = address;
            lastFromPort = port;
        }
        return lastFrom;
    }

    /**
     * Waits up to {@code millis} for a datagram to arrive; true when one waits. For a control
     * thread before any audio runs (a hub's slot, until its client's first datagram).
     */
    public boolean awaitDatagram(int millis) {
        host.putInt(POLL - TO, fd).putShort(POLL - TO + 4, (short) SocketCalls.POLLIN).putShort(POLL - TO + 6,
                (short) 0);
        return SocketCalls.poll(base + POLL, 1, millis) > 0
                && (host.getShort(POLL - TO + 6) & SocketCalls.POLLIN) != 0;
    }

    /** {@code errno} of the last send or receive that failed; 0 for a datagram sent in part. */
    public int lastError() {
        return lastError;
    }

    /**
     * Closes the socket, once; the native buffers go with the object. Call when no other thread
     * uses the socket: its file descriptor's number may be given to the next file opened.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            SocketCalls.close(fd);
        }
    }

    /** Writes a sockaddr_in at {@code at} bytes past {@link #TO}. */
    private void writeSockaddr(int at, int address, int port) {
        host.putShort(at, (short) SocketCalls.AF_INET);
        wire.putShort(at + 2, (short) port).putInt(at + 4, address).putLong(at + 8, 0L);
    }

    private static int addressBits(Inet4Address address) {
        final byte[] b = address.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    /** The one receive error, without a stack trace: it is thrown on the audio thread. */
    private static final class ReceiveError extends IOException {
        private static final long serialVersionUID = 1L;

        ReceiveError() {
            super(Refused.receiveMessage());
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** Messages, in a class of their own: the audio thread's classes hold no string constants. */
    private static final class Refused {
        static String receiveMessage() {
            return "the UDP socket reported a receive error (see LinkSocket.lastError())";
        }

        static IOException platform() {
            return new IOException("JamWire's UDP sockets need a 64-bit Linux; this is " + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch"));
        }

        static IOException address(InetSocketAddress local) {
            return new IOException("a link's UDP socket binds an IPv4 address or the wildcard, not " + local);
        }

        static final int SOCKET = 0;
        static final int SETSOCKOPT = 1;
        static final int BIND = 2;
        static final int GETSOCKNAME = 3;

        static IOException call(int function, int errno) {
            final String name = new String[] {"socket", "setsockopt", "bind", "getsockname"}[function];
            return new IOException(name + "() failed: errno " + errno);
        }

        static BindException bind(int errno, int port) {
            return new BindException((errno == SocketCalls.EADDRINUSE ? "Address already in use"
                    : errno == SocketCalls.EACCES ? "Permission denied" : "Cannot assign requested address")
                    + " (UDP port " + port + ", errno " + errno + ")");
        }
    }
}

package org.jamwire.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * A link's UDP socket: bound, non-blocking, with expedited TOS and 1 MiB buffers. Opened and closed
 * on a control thread; sent and received on by one thread at a time, the audio thread while an audio
 * client runs and the control thread otherwise. Sending and receiving never wait and allocate
 * nothing; the only locks are the socket's own.
 */
public final class LinkSocket implements AutoCloseable {

    private static final int TOS_EXPEDITED = 0xB8;
    private static final int BUFFER_BYTES = 1 << 20;

    private final DatagramChannel channel;
    private final int localPort;

    /**
     * Takes over a channel already bound; it must be non-blocking, since the audio thread uses it.
     *
     * @throws IOException when the channel is closed or unbound
     */
    public LinkSocket(DatagramChannel channel) throws IOException {
        this.channel = channel;
        final SocketAddress local = channel.getLocalAddress();
        if (local == null) {
            throw Refused.unbound();
        }
        // Read once, so that no control thread takes the socket's locks while the audio thread uses it.
        this.localPort = ((InetSocketAddress) local).getPort();
    }

    /**
     * Opens a socket bound to {@code local} with a link's options.
     *
     * @throws java.net.BindException when the port is taken
     * @throws IOException when the socket cannot be opened
     */
    public static LinkSocket open(InetSocketAddress local) throws IOException {
        final DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            try {
                ch.setOption(StandardSocketOptions.IP_TOS, TOS_EXPEDITED);
            } catch (IOException | UnsupportedOperationException e) {
                // Best effort, as in jacktrip: some systems refuse TOS changes.
            }
            ch.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER_BYTES);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER_BYTES);
            ch.bind(local);
            // The audio thread sends and receives: neither may ever wait.
            ch.configureBlocking(false);
            return new LinkSocket(ch);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /**
     * The channel itself, for a control thread that waits on it with a selector before any audio
     * runs (a hub's slot, until its client's first datagram).
     */
    public DatagramChannel channel() {
        return channel;
    }

    /** The local UDP port. */
    public int localPort() {
        return localPort;
    }

    /** Sends one datagram from its position to its limit; false when the socket refused it. */
    public boolean send(ByteBuffer datagram, SocketAddress to) {
        try {
            channel.send(datagram, to);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads the next waiting datagram into {@code into}; returns its source, or null when none waits
     * or the socket is closed.
     *
     * @throws IOException when the socket reports a receive error
     */
    public SocketAddress receive(ByteBuffer into) throws IOException {
        try {
            return channel.receive(into);
        } catch (ClosedChannelException e) {
            return null;
        }
    }

    /** Closes the socket; closing has nothing left to report. */
    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(DatagramChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Closing a datagram socket has nothing left to report.
        }
    }

    /** Messages, in a class of their own: the audio thread's classes hold no string constants. */
    private static final class Refused {
        static IOException unbound() {
            return new IOException("the socket is not bound");
        }
    }
}

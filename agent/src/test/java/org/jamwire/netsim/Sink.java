package org.jamwire.netsim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A UDP socket on loopback with a thread that receives everything sent to it and notes the
 * sequence number, length, source and arrival time of each datagram. Read on the test thread.
 */
final class Sink implements AutoCloseable {

    /** One datagram received. */
    record Got(int sequence, int length, SocketAddress from, long nanos) {
    }

    private final DatagramChannel channel;
    private final Thread thread;
    private final List<Got> got = new ArrayList<>();

    private Sink(DatagramChannel channel) {
        this.channel = channel;
        this.thread = new Thread(this::run, "sink-" + address().getPort());
        thread.setDaemon(true);
        thread.start();
    }

    static Sink open() throws IOException {
        final DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        ch.bind(new InetSocketAddress("127.0.0.1", 0));
        return new Sink(ch);
    }

    InetSocketAddress address() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends from this sink's own socket, as a server answering would. */
    void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        channel.send(datagram, to);
    }

    synchronized int count() {
        return got.size();
    }

    synchronized List<Got> got() {
        return List.copyOf(got);
    }

    synchronized List<Integer> sequences() {
        return got.stream().map(Got::sequence).toList();
    }

    synchronized long bytes() {
        return got.stream().mapToLong(Got::length).sum();
    }

    private void run() {
        final ByteBuffer rx = ByteBuffer.allocate(65536);
        while (channel.isOpen()) {
            rx.clear();
            try {
                final SocketAddress from = channel.receive(rx);
                final long now = System.nanoTime();
                final int length = rx.position();
                synchronized (this) {
                    got.add(new Got(RelayRecord.sequenceOf(rx, length), length, from, now));
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // A stray ICMP error: keep receiving.
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.jamwire.netsim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A UDP relay between the client and the server of a P2P link that impairs each direction on its
 * own. The client sends to the relay's client-facing port; the relay forwards from a second,
 * server-facing socket to the server, which adopts that socket as its peer; what the server sends
 * back goes to whichever address last sent from the client side. Its control methods are called
 * on a control thread; it runs a receive thread per socket and one release thread.
 */
public final class Relay implements AutoCloseable {

    private static final int MAX_DATAGRAM = 65507;
    private static final int SOCKET_BUFFER = 1 << 20;

    private final InetSocketAddress server;
    private final int localPort;
    private final int serverFacingPort;
    private final DatagramChannel clientSide;
    private final DatagramChannel serverSide;
    private final Map<Direction, Impairment> impairments = new EnumMap<>(Direction.class);
    private final Map<Direction, Impairer> impairers = new EnumMap<>(Direction.class);
    private final RelayRecord record = new RelayRecord();
    private final DatagramPool pool = new DatagramPool();
    private final ReleaseQueue queue;
    private final AtomicReferenceArray<Datagram> held =
            new AtomicReferenceArray<>(Direction.values().length);
    private final Thread toServer;
    private final Thread toClient;
    private volatile InetSocketAddress client;
    private volatile boolean running = true;
    private boolean stopped;

    private Relay(InetSocketAddress server, DatagramChannel clientSide, DatagramChannel serverSide,
            Impairment toServerImpairment, Impairment toClientImpairment) {
        this.server = server;
        this.clientSide = clientSide;
        this.serverSide = serverSide;
        this.localPort = port(clientSide);
        this.serverFacingPort = port(serverSide);
        impairments.put(Direction.TO_SERVER, toServerImpairment);
        impairments.put(Direction.TO_CLIENT, toClientImpairment);
        for (Direction d : Direction.values()) {
            impairers.put(d, new Impairer(impairments.get(d), d));
        }
        final String name = "jamwire-netsim-" + localPort();
        this.queue = new ReleaseQueue(name + "-release", this::send);
        this.toServer = receiver(name, Direction.TO_SERVER);
        this.toClient = receiver(name, Direction.TO_CLIENT);
    }

    /**
     * Binds the client-facing port and an ephemeral server-facing one and starts relaying.
     *
     * @param listenPort the client-facing UDP port, 0 for any free one
     * @param server where the client's datagrams go
     * @param toServerImpairment what happens to datagrams from the client to the server
     * @param toClientImpairment what happens to datagrams from the server to the client
     * @throws IOException when a port cannot be bound
     * @throws IllegalArgumentException when {@code server} is unresolved
     */
    public static Relay start(int listenPort, InetSocketAddress server,
            Impairment toServerImpairment, Impairment toClientImpairment) throws IOException {
        if (server.isUnresolved()) {
            throw new IllegalArgumentException("server: " + server + " is unresolved: resolve it"
                    + " first, so that datagrams from it can be recognised");
        }
        final DatagramChannel clientSide = open(listenPort);
        final DatagramChannel serverSide;
        try {
            serverSide = open(0);
        } catch (IOException e) {
            clientSide.close();
            throw e;
        }
        final Relay relay = new Relay(server, clientSide, serverSide, toServerImpairment,
                toClientImpairment);
        relay.queue.start();
        relay.toServer.start();
        relay.toClient.start();
        return relay;
    }

    /** As {@link #start(int, InetSocketAddress, Impairment, Impairment)}, the same both ways. */
    public static Relay start(int listenPort, InetSocketAddress server, Impairment both)
            throws IOException {
        return start(listenPort, server, both, both);
    }

    /** The client-facing UDP port, which clients send to. */
    public int localPort() {
        return localPort;
    }

    /** The server-facing UDP port, which the server sees as its peer's. */
    public int serverFacingPort() {
        return serverFacingPort;
    }

    /** Where datagrams from the client go. */
    public InetSocketAddress server() {
        return server;
    }

    /** The address the client side last sent from, or null before anything arrived. */
    public InetSocketAddress client() {
        return client;
    }

    /** The impairment of one direction, as the relay started. */
    public Impairment impairment(Direction d) {
        return impairments.get(d);
    }

    /**
     * Impairs direction {@code d} as {@code next} says from its next datagram on, e.g. with
     * another jitter mid-stream; its random choices go on from where they were.
     */
    public void retune(Direction d, Impairment next) {
        impairers.get(d).retune(next);
    }

    /** What the relay did to every datagram so far. */
    public RelayRecord record() {
        return record;
    }

    /** Copies decided on but not yet sent: waiting for their release time, or held back. */
    public int pending() {
        int copies = queue.pendingCopies();
        for (int i = 0; i < held.length(); i++) {
            final Datagram d = held.get(i);
            copies += d == null ? 0 : d.copies;
        }
        return copies;
    }

    /** Copies waiting in the release queue, not counting held ones; for tests. */
    int queued() {
        return queue.pendingCopies();
    }

    /**
     * Stops relaying and closes both ports. Datagrams still waiting or held are not sent; the
     * record counts them as discarded. Idempotent.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        running = false;
        queue.stop();
        closeQuietly(clientSide);
        closeQuietly(serverSide);
        join(toServer);
        join(toClient);
        queue.drain(this::discard);
        for (int i = 0; i < held.length(); i++) {
            final Datagram d = held.getAndSet(i, null);
            if (d != null) {
                discard(d);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private Thread receiver(String name, Direction d) {
        final Thread t = new Thread(() -> receiveLoop(d), name + "-" + d.label());
        t.setDaemon(true);
        return t;
    }

    private void receiveLoop(Direction d) {
        final DatagramChannel from = d == Direction.TO_SERVER ? clientSide : serverSide;
        final Impairer impairer = impairers.get(d);
        final ByteBuffer rx = ByteBuffer.allocateDirect(MAX_DATAGRAM + 1);
        while (running) {
            rx.clear();
            final SocketAddress source;
            try {
                source = from.receive(rx);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // An ICMP error from an earlier send surfaces here; the socket is still usable.
                continue;
            }
            final long now = System.nanoTime();
            if (d == Direction.TO_SERVER) {
                client = (InetSocketAddress) source;
            } else if (!server.equals(source) || client == null) {
                record.noteIgnored(d);
                continue;
            }
            final RelayRecord.Event e = impairer.decide(
                    RelayRecord.sequenceOf(rx, rx.position()), rx.position(), now);
            record.noteArrival(d, e);
            if (e.forwarded()) {
                forward(d, e, rx, now);
            }
        }
    }

    private void forward(Direction d, RelayRecord.Event e, ByteBuffer rx, long now) {
        final Datagram datagram = pool.take();
        datagram.fill(rx);
        datagram.direction = d;
        datagram.index = e.index();
        datagram.copies = e.copies();
        datagram.releaseNanos = now + TimeUnit.MICROSECONDS.toNanos(e.delayMicros());
        if (e.reordered()) {
            held.set(d.ordinal(), datagram);
            return;
        }
        queue.schedule(datagram);
        final Datagram h = held.get(d.ordinal());
        if (h != null) {
            if (h.releaseNanos - datagram.releaseNanos < 0) {
                h.releaseNanos = datagram.releaseNanos;
            }
            // Queued before it leaves the held slot, so pending() never misses it.
            queue.schedule(h);
            held.set(d.ordinal(), null);
        }
    }

    private void send(Datagram d) {
        final boolean toServerSide = d.direction == Direction.TO_SERVER;
        final DatagramChannel via = toServerSide ? serverSide : clientSide;
        final InetSocketAddress to = toServerSide ? server : client;
        for (int i = 0; i < d.copies; i++) {
            try {
                via.send(d.payload(), to);
                record.noteSent(d.direction, d.index, d.length);
            } catch (IOException e) {
                record.noteSendError(d.direction);
            }
        }
        pool.give(d);
    }

    private void discard(Datagram d) {
        record.noteDiscarded(d.direction, d.copies);
        pool.give(d);
    }

    private static DatagramChannel open(int port) throws IOException {
        final DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
            ch.bind(new InetSocketAddress(port));
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    private static int port(DatagramChannel ch) {
        try {
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        } catch (IOException | NullPointerException e) {
            return -1;
        }
    }

    private static void closeQuietly(DatagramChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Nothing left to report about a socket being closed.
        }
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.jamwire.hub;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.jamwire.link.Backends;
import org.jamwire.link.Link;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkEvent;
import org.jamwire.link.LinkException;
import org.jamwire.net.LinkSocket;
import org.jamwire.net.PacketLoop;
import org.jamwire.protocol.DatagramCheck;
import org.jamwire.protocol.PacketHeader;

/**
 * One hub client's slot: its UDP port, bound when the handshake gives it out, and, once the client's
 * first datagram has said how many channels it sends and hears, a link on that port with a JACK
 * client of its own, made by the same {@link Link} as a P2P server's. The slot is freed when no
 * datagram comes for {@value #IDLE_SECONDS} s (before or after the first) or the client sends the
 * stop packet. Its thread is a control thread; the audio runs on the link's own.
 */
final class HubWorker {

    /** jacktrip frees a worker after this long without a datagram. */
    static final int IDLE_SECONDS = 10;

    private final HubServer hub;
    private final int id;
    private final int port;
    private final String name;
    private final InetAddress clientAddress;
    private final int announcedPort;
    private final LinkSocket socket;
    private final Instant joined = Instant.now();
    private final Thread thread;
    private volatile Link link;
    private volatile boolean stopping;
    private volatile boolean abandoned;

    HubWorker(HubServer hub, int id, int port, String name, InetAddress clientAddress, int announcedPort,
            LinkSocket socket) {
        this.hub = hub;
        this.id = id;
        this.port = port;
        this.name = name;
        this.clientAddress = clientAddress;
        this.announcedPort = announcedPort;
        this.socket = socket;
        this.thread = new Thread(this::run, "jamwire-hub-worker-" + id);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    int id() {
        return id;
    }

    int port() {
        return port;
    }

    String name() {
        return name;
    }

    InetAddress clientAddress() {
        return clientAddress;
    }

    int announcedPort() {
        return announcedPort;
    }

    /** When the slot was given out. */
    Instant joined() {
        return joined;
    }

    /** The running link, or null before the first datagram and after the end. */
    Link link() {
        return link;
    }

    /** Stops the slot; {@code silently} skips the stop packet (the client has reconnected). */
    void stop(boolean silently) {
        stopping = true;
        abandoned = silently;
        final Link l = link;
        if (l != null) {
            if (silently) {
                l.abandon();
            } else {
                l.stop();
            }
        }
        socket.close();
        thread.interrupt();
    }

    /** Waits for the slot's thread to end. */
    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    private void run() {
        try {
            final InetSocketAddress peer;
            final long firstNanos;
            final int sendChannels;
            final int receiveChannels;
            try (Selector selector = Selector.open()) {
                socket.channel().register(selector, SelectionKey.OP_READ);
                final ByteBuffer rx = ByteBuffer.allocate(PacketLoop.MAX_DATAGRAM + 1);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(IDLE_SECONDS);
                InetSocketAddress from = null;
                while (from == null) {
                    final long left = deadline - System.nanoTime();
                    if (left <= 0 || stopping) {
                        hub.report(this, stopping ? null : "no datagram came in " + IDLE_SECONDS + " s; slot freed");
                        return;
                    }
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    selector.selectedKeys().clear();
                    rx.clear();
                    final InetSocketAddress source = (InetSocketAddress) socket.channel().receive(rx);
                    if (source == null) {
                        continue;
                    }
                    rx.flip();
                    if (!source.getAddress().equals(clientAddress) && !bothLoopback(source.getAddress())) {
                        hub.countForeign();
                        continue;
                    }
                    final int code = DatagramCheck.check(rx, 0, rx.limit());
                    if (code == DatagramCheck.STOP) {
                        hub.report(this, "the client stopped before streaming; slot freed");
                        return;
                    }
                    if (code != DatagramCheck.OK) {
                        hub.countMalformed();
                        continue;
                    }
                    from = source;
                }
                peer = from;
                firstNanos = System.nanoTime();
                // jacktrip's rule: the hub sends what the client receives (byte 14) and hears what it sends.
                sendChannels = PacketHeader.incomingChannels(rx, 0);
                receiveChannels = PacketHeader.payloadChannels(rx, 0);
                socket.channel().keyFor(selector).cancel();
                selector.selectNow();
            }
            if (sendChannels + receiveChannels == 0) {
                hub.report(this, "the client sends and receives no channels; slot freed");
                return;
            }
            final LinkConfig config = hub.workerConfig(port, name, sendChannels, receiveChannels);
            final Link started;
            try {
                started = Link.start(config, socket, peer, Backends.forConfig(config), this::onLinkEvent);
            } catch (LinkException e) {
                hub.report(this, "cannot start: " + e.getMessage());
                return;
            }
            link = started;
            if (stopping) {
                if (abandoned) {
                    started.abandon();
                } else {
                    started.stop();
                }
                return;
            }
            hub.streaming(this, started, peer);
            // The link's own supervisor ends it: idle, stop packet, mismatch or the hub's stop. Its idle
            // clock starts at the first datagram it receives itself; the client's first was the
            // worker's, so a client silent since that one is timed out here.
            boolean timedOut = false;
            while (!started.awaitStop(100, TimeUnit.MILLISECONDS)) {
                if (!timedOut && started.state() == Link.State.WAITING_FOR_PEER
                        && System.nanoTime() - firstNanos > TimeUnit.SECONDS.toNanos(IDLE_SECONDS)) {
                    timedOut = true;
                    hub.report(this, "no datagram came in " + IDLE_SECONDS + " s after the first; slot freed ("
                            + started.describeAudio() + "; " + started.stats().statLine().strip() + ")");
                    started.stop();
                }
            }
        } catch (IOException e) {
            if (!stopping) {
                hub.report(this, "UDP port " + port + " failed: " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            socket.close();
            link = null;
            hub.released(this);
        }
    }

    /** A client on this machine may reach the hub's TCP port on one loopback address and send from another. */
    private static boolean bothLoopback(InetAddress a) {
        return a.isLoopbackAddress();
    }

    private void onLinkEvent(LinkEvent e) {
        if (e.kind() == LinkEvent.Kind.STOPPED || e.kind() == LinkEvent.Kind.STATS
                || e.kind() == LinkEvent.Kind.LISTENING) {
            return;
        }
        hub.report(this, e.message());
    }
}

package org.jamwire.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jamwire.net.HubHandshakeClient;
import org.jamwire.protocol.PacketHeader;
import org.jamwire.protocol.SampleRateCode;
import org.jamwire.protocol.StopPacket;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.Program;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How a real {@code jamwire -S} hub frees and reuses its slots, seen as a user sees it: the JACK
 * ports each client gets on the hub's JACK server (dummy driver) and the lines the hub prints.
 * The clients are scripted in the test: a TCP handshake, then JackTrip datagrams from a fixed UDP
 * port, paced like a client's, and whatever the hub sends back is kept, stop packets counted.
 */
@Tag("integration")
class HubSlotsTest {

    private static final int RATE = 48_000;
    private static final int PERIOD = 256;
    private static final int BITS = 16;
    private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(PERIOD) / RATE;
    private static final AtomicInteger PORTS = new AtomicInteger(27_100);
    /** jacktrip's idle limit, and how far either side of it a slot may go in a loaded test run. */
    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final Duration IDLE_EARLIEST = Duration.ofSeconds(9);
    private static final Duration IDLE_LATEST = Duration.ofSeconds(13);

    private static JackServer h;

    private final List<ScriptedClient> clients = new ArrayList<>();
    private Program hub;
    private int tcp;
    private int udpBase;
    private int clientPorts;

    @BeforeAll
    static void startServer() {
        h = JackServer.start(RATE, PERIOD, 2, 2);
    }

    @AfterAll
    static void stopServer() {
        h.close();
    }

    @BeforeEach
    void startHub() throws IOException {
        tcp = PORTS.getAndAdd(20);
        udpBase = tcp + 1;
        clientPorts = tcp + 10;
        hub = Program.jamwire(h.name(), "-S", "-B", Integer.toString(tcp), "-U", Integer.toString(udpBase));
        hub.awaitOutput("listening on TCP port " + tcp, Duration.ofSeconds(15));
    }

    @AfterEach
    void stopHub() {
        for (ScriptedClient c : clients) {
            c.close();
        }
        hub.close();
    }

    @Test
    void a_client_gone_silent_or_never_heard_from_is_freed_about_ten_seconds_after_its_last_word() throws Exception {
        // One streams for half a second, one sends a single datagram, and one never sends after its
        // handshake: all three then vanish, at once, so their ten seconds run side by side.
        final ScriptedClient streamed = client("quiet", clientPorts);
        final ScriptedClient once = client("once", clientPorts + 1);
        final ScriptedClient mute = client("mute", clientPorts + 2);
        streamed.handshake();
        once.handshake();
        assertEquals(udpBase + 2, mute.handshake(), "the third slot");
        final long muteAnswered = System.nanoTime();
        once.send(1);
        streamed.send(100);
        final long streamedLast = streamed.lastSendNanos();
        final long onceLast = once.lastSendNanos();
        hub.awaitOutput("(mute): connected from", Duration.ofSeconds(2));
        awaitPorts("quiet", true, Duration.ofSeconds(5));
        awaitPorts("once", true, Duration.ofSeconds(5));
        // In the order they are due, so that each is seen as soon as it goes.
        final long left = IDLE_LATEST.toNanos() - (System.nanoTime() - muteAnswered);
        hub.awaitOutput("(mute): left; slot 2 is free", Duration.ofNanos(Math.max(0, left)));
        final Duration muteFreed = Duration.ofNanos(System.nanoTime() - muteAnswered);
        final Duration onceFreed = awaitGone("once", onceLast);
        final Duration streamedFreed = awaitGone("quiet", streamedLast);
        hub.awaitOutput("(quiet): left; slot 0 is free", Duration.ofSeconds(2));
        hub.awaitOutput("(once): left; slot 1 is free", Duration.ofSeconds(2));
        System.out.printf("slots freed %d ms (streamed) and %d ms (one datagram) after the last datagram, %d ms"
                + " (never sent) after the handshake%n", streamedFreed.toMillis(), onceFreed.toMillis(),
                muteFreed.toMillis());
        assertWithinIdleLimit("a client that streamed, then vanished", streamedFreed);
        assertWithinIdleLimit("a client that sent one datagram, then vanished", onceFreed);
        assertTrue(hub.output().contains("(mute): no datagram came in 10 s; slot freed"), hub.output());
        assertWithinIdleLimit("a slot that never heard from its client", muteFreed);
        assertFalse(hasPorts("mute"), h.lsp().toString());
        assertEquals(udpBase, client("next", clientPorts + 3).handshake(), "slot 0 is given out again");
    }

    @Test
    void the_stop_packet_frees_a_slot_at_once() throws Exception {
        final ScriptedClient c = client("leaving", clientPorts);
        c.handshake();
        c.startStreaming();
        awaitPorts("leaving", true, Duration.ofSeconds(5));
        c.stopStreaming();
        final long stopped = System.nanoTime();
        c.sendStop();
        Deadlines.await(Duration.ofSeconds(5), () -> !hasPorts("leaving"), () -> "ports gone: " + h.lsp());
        final Duration freed = Duration.ofNanos(System.nanoTime() - stopped);
        hub.awaitOutput("(leaving): left; slot 0 is free", Duration.ofSeconds(2));
        System.out.printf("slot freed %d ms after the stop packet%n", freed.toMillis());
        assertTrue(freed.compareTo(Duration.ofSeconds(1)) <= 0, "freed after " + freed + "\n" + hub.output());

        // Before its first audio datagram too: the slot goes without ever opening JACK ports.
        final ScriptedClient early = client("early", clientPorts + 1);
        assertEquals(udpBase, early.handshake(), "slot 0 again");
        final long asked = System.nanoTime();
        early.sendStop();
        hub.awaitOutput("(early): left; slot 0 is free", Duration.ofSeconds(5));
        final Duration earlyFreed = Duration.ofNanos(System.nanoTime() - asked);
        System.out.printf("waiting slot freed %d ms after the stop packet%n", earlyFreed.toMillis());
        assertTrue(earlyFreed.compareTo(Duration.ofSeconds(1)) <= 0, "freed after " + earlyFreed);
        assertFalse(hasPorts("early"), h.lsp().toString());
    }

    @Test
    void a_client_back_from_the_same_address_and_port_replaces_its_slot() throws Exception {
        final ScriptedClient first = client("first", clientPorts);
        final int firstPort = first.handshake();
        first.startStreaming();
        awaitPorts("first", true, Duration.ofSeconds(5));
        hub.awaitOutput("(first): streaming with", Duration.ofSeconds(5));

        // The same UDP port, a new handshake (a client restarted with another name), still streaming.
        final ScriptedClient again = first.renamed("again");
        final long stopsBefore = first.stopPackets();
        final long receivedBefore = first.received();
        final int againPort = again.handshake();
        assertEquals(firstPort, againPort, "the replacing client gets the replaced slot's port\n" + hub.output());
        awaitPorts("again", true, Duration.ofSeconds(5));
        awaitPorts("first", false, Duration.ofSeconds(5));
        hub.awaitOutput("(first): replaced by a new connection", Duration.ofSeconds(2));
        // The new worker streams back to the client, and has sent it no stop packet meanwhile.
        Deadlines.await(Duration.ofSeconds(5), () -> first.received() > receivedBefore + 100,
                () -> "audio from the new slot: " + first.received() + "\n" + hub.output());
        assertEquals(stopsBefore, first.stopPackets(), "stop packets to the client that came back\n" + hub.output());
        assertEquals(List.of("again"), jackClients(), "one slot in use");
        hub.awaitOutput("(first): left; its new connection took its place", Duration.ofSeconds(2));
        assertFalse(hub.output().contains("(first): left; slot 0 is free"),
                "the replaced client is not said to have freed the slot its successor holds\n" + hub.output());
        assertFalse(hub.output().contains("hub client 1 "), "no second slot was given out\n" + hub.output());

        // Another UDP port on the same address is another client.
        final ScriptedClient other = client("other", clientPorts + 1);
        assertEquals(udpBase + 1, other.handshake(), "a new slot for another port");
        other.startStreaming();
        awaitPorts("other", true, Duration.ofSeconds(5));
        assertEquals(List.of("again", "other"), jackClients(), "two slots in use");
        assertEquals(stopsBefore, first.stopPackets(), "stop packets to the client that came back");
    }

    private ScriptedClient client(String name, int udpPort) throws IOException {
        final ScriptedClient c = new ScriptedClient(name, udpPort, tcp, null);
        clients.add(c);
        return c;
    }

    private static void assertWithinIdleLimit(String what, Duration freed) {
        assertTrue(freed.compareTo(IDLE_EARLIEST) >= 0 && freed.compareTo(IDLE_LATEST) <= 0,
                what + ": freed after " + freed + ", not about " + IDLE);
    }

    /** Waits until the client's JACK ports are gone, for at most the idle limit; the time since {@code since}. */
    private Duration awaitGone(String name, long since) {
        final long left = IDLE_LATEST.toNanos() + TimeUnit.SECONDS.toNanos(1) - (System.nanoTime() - since);
        Deadlines.await(Duration.ofNanos(Math.max(0, left)), () -> !hasPorts(name),
                () -> name + "'s ports gone: " + h.lsp() + "\n" + hub.output());
        return Duration.ofNanos(System.nanoTime() - since);
    }

    private void awaitPorts(String name, boolean present, Duration timeout) {
        Deadlines.await(timeout, () -> hasPorts(name) == present,
                () -> name + "'s ports " + (present ? "there" : "gone") + ": " + ports() + "\n" + hub.output());
    }

    private static boolean hasPorts(String name) {
        return ports().stream().anyMatch(p -> p.startsWith(name + ":"));
    }

    /**
     * The JACK server's ports. A jack_lsp that fails lists none, which must not pass for ports gone:
     * a listing counts only with the system ports in it.
     */
    private static List<String> ports() {
        final List<List<String>> listing = new ArrayList<>(List.of(List.of()));
        Deadlines.await(Duration.ofSeconds(5), () -> {
            listing.set(0, h.lsp());
            return listing.get(0).contains("system:capture_1");
        }, () -> "a jack_lsp listing of " + h);
        return listing.get(0);
    }

    /** The hub's JACK clients, by name, without the system ports. */
    private static List<String> jackClients() {
        return ports().stream().map(p -> p.substring(0, p.indexOf(':'))).filter(n -> !n.equals("system"))
                .distinct().sorted().toList();
    }

    /**
     * A hub client made of the protocol's pieces: one channel each way at the hub's rate, 16 bits.
     * The test thread sends; a thread of its own receives and counts what the hub sends back.
     */
    private static final class ScriptedClient implements AutoCloseable {

        private final String name;
        private final int udpPort;
        private final int tcpPort;
        private final DatagramChannel channel;
        private final boolean ownsChannel;
        private final ScriptedClient shared;
        private final AtomicLong received = new AtomicLong();
        private final AtomicLong stopPackets = new AtomicLong();
        private final ByteBuffer tx = ByteBuffer.allocate(PacketHeader.packetLength(PERIOD, 1, BITS));
        private volatile InetSocketAddress hub;
        private volatile long lastSendNanos;
        private volatile boolean streaming;
        private Thread sender;
        private int seq;

        ScriptedClient(String name, int udpPort, int tcpPort, ScriptedClient shared) throws IOException {
            this.name = name;
            this.udpPort = udpPort;
            this.tcpPort = tcpPort;
            this.shared = shared;
            this.ownsChannel = shared == null;
            if (ownsChannel) {
                channel = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", udpPort));
                final Thread receiver = new Thread(this::receive, "scripted-" + name);
                receiver.setDaemon(true);
                receiver.start();
            } else {
                channel = shared.channel;
            }
        }

        /** The same UDP socket under a new handshake and name. */
        ScriptedClient renamed(String newName) throws IOException {
            return new ScriptedClient(newName, udpPort, tcpPort, this);
        }

        /** Asks the hub for a slot; its UDP port, which datagrams go to from now on. */
        int handshake() throws Exception {
            final int port = HubHandshakeClient.requestPort(new InetSocketAddress("127.0.0.1", tcpPort), udpPort, name,
                    Duration.ofSeconds(5));
            hub = new InetSocketAddress("127.0.0.1", port);
            if (shared != null) {
                shared.retarget(this);
            }
            return port;
        }

        private void retarget(ScriptedClient successor) {
            hub = successor.hub;
        }

        /** Sends {@code n} audio datagrams, a period apart. */
        void send(int n) throws IOException {
            final long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                LockSupport.parkNanos(start + i * PERIOD_NANOS - System.nanoTime());
                sendOne();
            }
        }

        private synchronized void sendOne() throws IOException {
            tx.clear();
            PacketHeader.write(tx, 0, System.nanoTime() / 1000, seq++, PERIOD, SampleRateCode.codeFor(RATE), BITS, 1, 1);
            // The payload stays silent.
            tx.limit(tx.capacity()).position(0);
            channel.send(tx, hub);
            lastSendNanos = System.nanoTime();
        }

        /** Streams until {@link #stopStreaming}, on a thread of its own. */
        void startStreaming() {
            streaming = true;
            sender = new Thread(() -> {
                final long start = System.nanoTime();
                for (long i = 0; streaming; i++) {
                    LockSupport.parkNanos(start + i * PERIOD_NANOS - System.nanoTime());
                    try {
                        sendOne();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "scripted-send-" + name);
            sender.setDaemon(true);
            sender.start();
        }

        void stopStreaming() throws InterruptedException {
            streaming = false;
            if (sender != null) {
                sender.join(2000);
            }
        }

        /** Sends the stop packet as jacktrip does: twice. */
        void sendStop() throws IOException {
            final ByteBuffer stop = ByteBuffer.allocate(StopPacket.LENGTH);
            StopPacket.write(stop, 0);
            for (int i = 0; i < StopPacket.REPEATS; i++) {
                stop.position(0).limit(StopPacket.LENGTH);
                channel.send(stop, hub);
            }
        }

        long lastSendNanos() {
            return lastSendNanos;
        }

        long received() {
            return received.get();
        }

        long stopPackets() {
            return stopPackets.get();
        }

        private void receive() {
            final ByteBuffer rx = ByteBuffer.allocate(2048);
            try {
                while (true) {
                    rx.clear();
                    channel.receive(rx);
                    rx.flip();
                    if (StopPacket.isStop(rx, 0, rx.limit())) {
                        stopPackets.incrementAndGet();
                    } else {
                        received.incrementAndGet();
                    }
                }
            } catch (ClosedChannelException e) {
                // Closed by the test.
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            streaming = false;
            if (ownsChannel) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // Nothing left to do with it.
                }
            }
        }
    }
}

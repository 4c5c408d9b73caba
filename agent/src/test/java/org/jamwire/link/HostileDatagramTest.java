package org.jamwire.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jamwire.audio.AudioBackend;
import org.jamwire.audio.builtin.BuiltinBackend;
import org.jamwire.audio.builtin.TestSignal;
import org.jamwire.engine.LinkCounter;
import org.jamwire.net.LinkSocket;
import org.jamwire.protocol.PacketHeader;
import org.jamwire.protocol.SampleRateCode;
import org.jamwire.protocol.StopPacket;
import org.jamwire.testing.Deadlines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A waiting server against datagrams from strangers: one in another format changes nothing, and
 * with {@code --peer} only the pinned address can become the peer. Built-in backend on loopback;
 * the stranger is a plain socket, on 127.0.0.2 where it needs an address of its own.
 */
class HostileDatagramTest {

    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<LinkEvent> events = new CopyOnWriteArrayList<>();
    private final List<DatagramChannel> sockets = new ArrayList<>();

    @AfterEach
    void stopAll() throws IOException {
        links.forEach(Link::stop);
        for (DatagramChannel c : sockets) {
            c.close();
        }
    }

    private Link start(LinkConfig c) throws LinkException {
        final Link l = Link.start(c, backend(), events::add);
        links.add(l);
        return l;
    }

    private static AudioBackend backend() {
        return new BuiltinBackend(48000, 128, 48000, TestSignal.Kind.RAMP);
    }

    private static LinkConfig.Builder server() {
        return LinkConfig.builder(Role.SERVER, null).channels(2).bindPort(0)
                .backend(LinkConfig.BackendKind.BUILTIN).clientName("server");
    }

    private static LinkConfig.Builder client(Link server) {
        return LinkConfig.builder(Role.CLIENT, "127.0.0.1").channels(2).bindPort(0).peerPort(server.localPort())
                .backend(LinkConfig.BackendKind.BUILTIN).clientName("client");
    }

    private DatagramChannel stranger(String address) throws IOException {
        final DatagramChannel c = DatagramChannel.open();
        sockets.add(c);
        c.bind(new InetSocketAddress(address, 0));
        c.configureBlocking(false);
        return c;
    }

    /** A bare 16-byte header, as a receive-only peer sends: 128 frames, 2 channels in, none out. */
    private static ByteBuffer header(int rateCode, int bits) {
        final ByteBuffer b = ByteBuffer.allocate(PacketHeader.LENGTH);
        PacketHeader.write(b, 0, 0L, 0, 128, rateCode, bits, 2, 0);
        return b;
    }

    /** A whole 2-channel, 16-bit, 48 kHz packet of silence, as a real peer's first one. */
    private static ByteBuffer audio() {
        final ByteBuffer b = ByteBuffer.allocate(PacketHeader.packetLength(128, 2, 16));
        PacketHeader.write(b, 0, 0L, 0, 128, SampleRateCode.SR48, 16, 2, 2);
        return b;
    }

    /** Every datagram waiting on a non-blocking socket, by length. */
    private static List<Integer> drain(DatagramChannel c) throws IOException {
        final List<Integer> lengths = new ArrayList<>();
        final ByteBuffer b = ByteBuffer.allocate(70_000);
        for (b.clear(); c.receive(b) != null; b.clear()) {
            lengths.add(b.position());
        }
        return lengths;
    }

    private static InetSocketAddress at(Link l) {
        return new InetSocketAddress("127.0.0.1", l.localPort());
    }

    @Test
    void a_header_with_another_rate_from_a_stranger_leaves_a_waiting_server_waiting() throws Exception {
        final Link s = start(server().build());
        final DatagramChannel x = stranger("127.0.0.1");
        // Sample-rate code 7 ("other", as 192 kHz) against this server's 48 kHz: the exact datagram that stopped it.
        x.send(header(SampleRateCode.OTHER, 16), at(s));
        x.send(header(SampleRateCode.OTHER, 16), at(s));
        Deadlines.await(Duration.ofSeconds(5), () -> s.stats().get(LinkCounter.DROPPED_MISMATCH) == 2,
                () -> "both datagrams counted: " + s.stats().statLine());
        assertEquals(Link.State.WAITING_FOR_PEER, s.state(), events::toString);
        assertEquals(null, s.stats().peer());

        final Link c = start(client(s).build());
        Deadlines.await(Duration.ofSeconds(5), () -> s.state() == Link.State.CONNECTED
                && c.state() == Link.State.CONNECTED, () -> "the real client connected: " + events);
        assertEquals(c.localPort(), s.stats().peer().getPort());
        Deadlines.await(Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.kind() == LinkEvent.Kind.WARNING
                && e.message().contains(" from 127.0.0.1:" + x.socket().getLocalPort() + " dropped")
                && e.message().contains("other (code 7)")), events::toString);
        // At most one notice of this end's format went back, never a stop packet, never audio after it.
        final List<Integer> back = drain(x);
        assertTrue(back.size() <= 1, "the stranger got " + back);
        assertTrue(!back.contains(StopPacket.LENGTH), "the stranger got a stop packet: " + back);
    }

    @Test
    void a_stranger_sending_first_to_a_pinned_server_is_not_adopted_and_gets_no_audio() throws Exception {
        final Link s = start(server().pin(new LinkConfig.PeerPin("127.0.0.1", 0)).build());
        final DatagramChannel x = stranger("127.0.0.2");
        for (int i = 0; i < 3; i++) {
            x.send(audio(), at(s));
        }
        Deadlines.await(Duration.ofSeconds(5), () -> s.stats().get(LinkCounter.DROPPED_FOREIGN) == 3,
                () -> "the stranger's datagrams counted as foreign: " + s.stats().statLine());
        assertEquals(Link.State.WAITING_FOR_PEER, s.state());
        Deadlines.await(Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.kind() == LinkEvent.Kind.WARNING
                && e.message().contains("127.0.0.2") && e.message().contains("--peer")), events::toString);

        final Link c = start(client(s).build());
        Deadlines.await(Duration.ofSeconds(5), () -> s.state() == Link.State.CONNECTED
                && s.stats().get(LinkCounter.DATAGRAMS_SENT) > 50, () -> "the real client connected: " + events);
        assertEquals(c.localPort(), s.stats().peer().getPort());
        assertEquals(List.of(), drain(x), "the stranger received datagrams");
    }

    @Test
    void a_server_pinned_to_a_port_takes_only_that_port() throws Exception {
        final LinkSocket own = Link.bind(0);
        final int clientPort = own.localPort();
        final Link s = start(server().pin(LinkConfig.PeerPin.parse("127.0.0.1:" + clientPort)).build());
        final DatagramChannel x = stranger("127.0.0.1");
        x.send(audio(), at(s));
        Deadlines.await(Duration.ofSeconds(5), () -> s.stats().get(LinkCounter.DROPPED_FOREIGN) == 1,
                () -> "the other port counted as foreign: " + s.stats().statLine());
        final Link c = Link.start(client(s).bindPort(clientPort).build(), own, at(s), backend(), events::add);
        links.add(c);
        Deadlines.await(Duration.ofSeconds(5), () -> s.state() == Link.State.CONNECTED, () -> "connected: " + events);
        assertEquals(clientPort, s.stats().peer().getPort());
        assertNotEquals(x.socket().getLocalPort(), s.stats().peer().getPort());
        assertEquals(List.of(), drain(x), "the other port received datagrams");
    }

    @Test
    void reads_a_pin_as_host_host_and_port_or_bracketed_ipv6_and_names_what_is_wrong() {
        assertEquals(new LinkConfig.PeerPin("lab-2", 0), LinkConfig.PeerPin.parse("lab-2"));
        assertEquals(new LinkConfig.PeerPin("10.0.0.2", 4464), LinkConfig.PeerPin.parse("10.0.0.2:4464"));
        assertEquals(new LinkConfig.PeerPin("::1", 4464), LinkConfig.PeerPin.parse("[::1]:4464"));
        assertEquals(new LinkConfig.PeerPin("fe80::1", 0), LinkConfig.PeerPin.parse("fe80::1"));
        assertEquals("[::1]:4464", LinkConfig.PeerPin.parse("[::1]:4464").toString());
        for (String bad : List.of("", "h:", "h:0", "h:70000", "h:x", "[::1", "[::1]x")) {
            final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> LinkConfig.PeerPin.parse(bad), bad);
            assertTrue(!e.getMessage().isBlank(), bad);
        }
    }
}

package org.jamwire.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jamwire.jack.JackBackend;
import org.jamwire.link.Link;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkEvent;
import org.jamwire.link.Role;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.Program;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A 44100 Hz end against a 48000 Hz end, on two JACK servers: both ends say so, naming both rates,
 * and stop cleanly; nothing crashes. The 44100 Hz end runs in this JVM, the other as a process.
 */
@Tag("integration")
class SampleRateMismatchTest {

    private static JackServer slow;
    private static JackServer fast;

    @BeforeAll
    static void startServers() {
        slow = JackServer.start(44_100, 128, 2, 2);
        fast = JackServer.start(48_000, 128, 2, 2);
    }

    @AfterAll
    static void stopServers() {
        slow.close();
        fast.close();
    }

    @Test
    void jamwire_ends_both_report_the_mismatch_and_stop() throws Exception {
        final List<LinkEvent> events = new CopyOnWriteArrayList<>();
        try (Link near = Link.start(server(25_464), new JackBackend(slow.name()), events::add);
             Program far = Program.jamwire(fast.name(), "-c", "127.0.0.1", "-P", "25464", "-B", "25465", "-D",
                     "-J", "far", "--jack-server", fast.name())) {
            assertTrue(far.awaitExit(Duration.ofSeconds(20)), "the 48000 Hz end did not stop: " + far.output());
            nearWarnsAndWaits(near, events);
            assertEquals(1, far.exitValue(), far.output());
            assertTrue(far.output().contains("sample rate mismatch: this end runs at 48000 Hz, the peer at 44100 Hz"),
                    far.output());
        }
        assertTrue(slow.isRunning() && fast.isRunning(), "a JACK server went down");
    }

    @Test
    void a_jacktrip_peer_is_told_and_both_stop() throws Exception {
        final List<LinkEvent> events = new CopyOnWriteArrayList<>();
        try (Link near = Link.start(server(25_474), new JackBackend(slow.name()), events::add);
             Program far = Program.jacktrip(fast.name(), "-c", "127.0.0.1", "-P", "25474", "-B", "25475", "-D",
                     "-J", "far")) {
            assertTrue(far.awaitExit(Duration.ofSeconds(20)), "jacktrip did not stop: " + far.output());
            nearWarnsAndWaits(near, events);
            assertTrue(far.output().toLowerCase().contains("sampling rate") || far.output().contains("Peer Stopped"),
                    far.output());
        }
    }

    @Test
    void a_server_pinned_to_the_client_fails_naming_both_rates_and_both_stop() throws Exception {
        final List<LinkEvent> events = new CopyOnWriteArrayList<>();
        try (Link near = Link.start(server(25_484).toBuilder().pin(new LinkConfig.PeerPin("127.0.0.1", 25_485)).build(),
                new JackBackend(slow.name()), events::add);
             Program far = Program.jamwire(fast.name(), "-c", "127.0.0.1", "-P", "25484", "-B", "25485", "-D",
                     "-J", "far", "--jack-server", fast.name())) {
            assertTrue(near.awaitStop(20, TimeUnit.SECONDS), "the 44100 Hz end did not stop: " + events);
            assertEquals(Link.State.FAILED, near.state());
            assertTrue(near.failure().contains("44100 Hz") && near.failure().contains("48000 Hz"), near.failure());
            assertTrue(far.awaitExit(Duration.ofSeconds(20)), "the 48000 Hz end did not stop: " + far.output());
            assertEquals(1, far.exitValue(), far.output());
        }
    }

    /**
     * An unpinned server cannot tell a client in another format from anyone else's datagram: it
     * says what came, naming both rates, and goes on waiting for a client in its own format.
     */
    private static void nearWarnsAndWaits(Link near, List<LinkEvent> events) {
        Deadlines.await(Duration.ofSeconds(10), () -> events.stream().anyMatch(e -> e.kind() == LinkEvent.Kind.WARNING
                && e.message().contains("still waiting for a peer") && e.message().contains("44100 Hz")
                && e.message().contains("48000 Hz")), events::toString);
        assertEquals(Link.State.WAITING_FOR_PEER, near.state(), events::toString);
    }

    private static LinkConfig server(int port) {
        return LinkConfig.builder(Role.SERVER, null).bindPort(port).clientName("near").autoConnect(false)
                .jackServerName(slow.name()).build();
    }
}

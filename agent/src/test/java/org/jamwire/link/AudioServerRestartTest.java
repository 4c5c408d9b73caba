package org.jamwire.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jamwire.audio.builtin.BuiltinBackend;
import org.jamwire.audio.builtin.TestSignal;
import org.jamwire.engine.LinkCounter;
import org.jamwire.jack.JackBackend;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A link whose JACK server dies notices within a second, says so, keeps its socket and peer, and
 * streams again within ten seconds of the server coming back. The peer runs on the built-in
 * backend in this JVM, so it needs no JACK server of its own.
 */
@Tag("integration")
class AudioServerRestartTest {

    private static final int RATE = 48_000;
    private static final int FRAMES = 256;

    @Test
    void notices_a_dead_jack_server_within_a_second_and_resumes_when_it_is_back() throws Exception {
        final List<LinkEvent> events = new CopyOnWriteArrayList<>();
        final JackServer jack = JackServer.start(RATE, FRAMES);
        JackServer again = null;
        try (Link link = Link.start(LinkConfig.builder(Role.SERVER, null).bindPort(0).clientName("restart")
                        .autoConnect(false).jackServerName(jack.name()).build(), new JackBackend(jack.name()),
                     events::add);
             Link peer = Link.start(LinkConfig.builder(Role.CLIENT, "127.0.0.1").bindPort(0)
                     .peerPort(link.localPort()).clientName("peer").backend(LinkConfig.BackendKind.BUILTIN).build(),
                     new BuiltinBackend(RATE, FRAMES, RATE, TestSignal.Kind.SINE), e -> { })) {
            Deadlines.await(Duration.ofSeconds(10), () -> peer.stats().get(LinkCounter.PACKETS_RECEIVED) > 50,
                    () -> "the peer receiving from the JACK end: " + events);

            final long killed = System.nanoTime();
            jack.kill();
            final Duration noticed = Deadlines.await(Duration.ofSeconds(1),
                    () -> events.stream().anyMatch(e -> e.kind() == LinkEvent.Kind.AUDIO_LOST),
                    () -> "the link noticing: " + events);
            assertEquals(Link.State.AUDIO_LOST, link.state());
            System.out.printf("JACK server killed: noticed after %d ms%n", (System.nanoTime() - killed) / 1_000_000);

            again = JackServer.startNamed(jack.name(), RATE, FRAMES, 2, 2);
            final long back = System.nanoTime();
            final Duration resumed = Deadlines.await(Duration.ofSeconds(10),
                    () -> events.stream().anyMatch(e -> e.kind() == LinkEvent.Kind.AUDIO_BACK),
                    () -> "the link resuming: " + events);
            final long before = peer.stats().get(LinkCounter.PACKETS_RECEIVED);
            Deadlines.await(Duration.ofSeconds(5), () -> peer.stats().get(LinkCounter.PACKETS_RECEIVED) > before + 50,
                    () -> "the peer receiving again: " + events);
            System.out.printf("JACK server back: streaming again after %d ms%n", (System.nanoTime() - back) / 1_000_000);
            assertTrue(noticed.toMillis() <= 1000 && resumed.toMillis() <= 10_000);
            assertEquals(Link.State.CONNECTED, link.state());
        } finally {
            if (again != null) {
                again.close();
            }
            jack.close();
        }
    }
}

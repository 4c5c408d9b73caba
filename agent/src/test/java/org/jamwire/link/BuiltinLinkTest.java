package org.jamwire.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jamwire.audio.builtin.BuiltinBackend;
import org.jamwire.audio.builtin.BuiltinSession;
import org.jamwire.audio.builtin.Recording;
import org.jamwire.audio.builtin.TestSignal;
import org.jamwire.engine.LinkCounter;
import org.jamwire.testing.Deadlines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two links on loopback with the built-in backend: the whole engine, no audio server. */
class BuiltinLinkTest {

    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<LinkEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() {
        links.forEach(Link::stop);
    }

    private Link start(LinkConfig c, BuiltinBackend backend) throws LinkException {
        final Link l = Link.start(c, backend, events::add);
        links.add(l);
        return l;
    }

    private static LinkConfig.Builder server(int channels, int bits) {
        return LinkConfig.builder(Role.SERVER, null).channels(channels).bitResolution(bits).bindPort(0)
                .backend(LinkConfig.BackendKind.BUILTIN).queue(2).clientName("server");
    }

    private static LinkConfig.Builder client(Link server, int channels, int bits) {
        return LinkConfig.builder(Role.CLIENT, "127.0.0.1").channels(channels).bitResolution(bits).bindPort(0)
                .peerPort(server.localPort()).backend(LinkConfig.BackendKind.BUILTIN).queue(2).clientName("client");
    }

    private static BuiltinBackend ramp(int rate) {
        return new BuiltinBackend(rate, 128, rate, TestSignal.Kind.RAMP);
    }

    @Test
    void streams_the_ramp_both_ways_at_16_bit() throws Exception {
        final BuiltinBackend a = ramp(48000);
        final BuiltinBackend b = ramp(48000);
        final Link s = start(server(2, 16).build(), a);
        final Link c = start(client(s, 2, 16).build(), b);
        Deadlines.await(Duration.ofSeconds(5), () -> s.state() == Link.State.CONNECTED && c.state() == Link.State.CONNECTED, () -> "both ends connected" + ": " + events.toString());
        Deadlines.await(Duration.ofSeconds(5), () -> s.stats().get(LinkCounter.PACKETS_RECEIVED) > 50 && c.stats().get(LinkCounter.PACKETS_RECEIVED) > 50, () -> "both ends playing");
        assertRamp(s, a.session("server"), 2, 1.0 / 32768);
        assertRamp(c, b.session("client"), 2, 1.0 / 32768);
        assertEquals(0, s.stats().get(LinkCounter.DROPPED_MALFORMED));
    }

    @Test
    void a_stopping_client_stops_the_server_with_the_stop_packet() throws Exception {
        final Link s = start(server(1, 16).build(), ramp(48000));
        final Link c = start(client(s, 1, 16).build(), ramp(48000));
        Deadlines.await(Duration.ofSeconds(5), () -> s.state() == Link.State.CONNECTED, () -> "server connected");
        c.stop();
        assertTrue(s.awaitStop(5, TimeUnit.SECONDS), "server did not stop");
        assertEquals(Link.State.STOPPED, s.state());
        assertTrue(events.stream().anyMatch(e -> e.kind() == LinkEvent.Kind.PEER_STOPPED), events::toString);
    }

    @Test
    void a_sample_rate_mismatch_fails_both_ends_naming_both_rates() throws Exception {
        final Link s = start(server(2, 16).build(), ramp(44100));
        final Link c = start(client(s, 2, 16).build(), ramp(48000));
        assertTrue(s.awaitStop(5, TimeUnit.SECONDS), "server did not stop");
        assertTrue(c.awaitStop(5, TimeUnit.SECONDS), "client did not stop");
        assertEquals(Link.State.FAILED, s.state());
        assertEquals(Link.State.FAILED, c.state());
        for (Link l : List.of(s, c)) {
            assertTrue(l.failure().contains("44100 Hz") && l.failure().contains("48000 Hz"), l.failure());
        }
    }

    @Test
    void refuses_a_buffer_size_other_than_the_one_required() {
        final LinkException e = org.junit.jupiter.api.Assertions.assertThrows(LinkException.class,
                () -> start(server(2, 16).expectedBufferSize(64).build(), ramp(48000)));
        assertTrue(e.getMessage().contains("64") && e.getMessage().contains("128"), e.getMessage());
    }

    /**
     * Records the receiving end and checks every sample. A recording during which either end counted
     * an underrun or an xrun (scheduling on a loaded 2-core machine) is taken again, up to 5 times.
     */
    private static void assertRamp(Link link, BuiltinSession session, int channels, double tolerance)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            final long glitches = glitches(link);
            final Recording r = session.record(128 * 50);
            assertTrue(r.await(5, TimeUnit.SECONDS), "recording did not fill");
            if (glitches(link) != glitches && attempt < 5) {
                continue;
            }
            try {
                assertRampSamples(r, channels, tolerance);
                return;
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; " + link.stats().statLine(), e);
            }
        }
    }

    private static long glitches(Link link) {
        final LinkStats st = link.stats();
        return st.get(LinkCounter.UNDERRUNS) + st.get(LinkCounter.OVERFLOWS) + st.xruns();
    }

    private static void assertRampSamples(Recording r, int channels, double tolerance) {
        for (int ch = 0; ch < channels; ch++) {
            final float[] x = r.channel(ch);
            for (int i = 0; i < x.length; i++) {
                final double expected = (i % 128 + 1) / 1024.0 * (ch + 1);
                if (Math.abs(x[i] - expected) > tolerance) {
                    throw new AssertionError("channel " + (ch + 1) + " frame " + i + ": expected " + expected
                            + " got " + x[i]);
                }
            }
        }
    }
}

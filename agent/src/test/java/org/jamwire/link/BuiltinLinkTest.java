package org.jamwire.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jamwire.audio.AudioBackend;
import org.jamwire.audio.AudioBackendException;
import org.jamwire.audio.AudioProcessor;
import org.jamwire.audio.AudioSession;
import org.jamwire.audio.AudioSpec;
import org.jamwire.audio.builtin.BuiltinBackend;
import org.jamwire.audio.builtin.BuiltinSession;
import org.jamwire.audio.builtin.TestSignal;
import org.jamwire.engine.LinkCounter;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.SignalBackend;
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

    private Link start(LinkConfig c, AudioBackend backend) throws LinkException {
        final Link l = Link.start(c, backend, events::add);
        links.add(l);
        return l;
    }

    /**
     * Queue 4: both ends' clocks are threads of this JVM, which on a loaded 2-core machine wake up
     * a few milliseconds late now and then without falling a whole period behind (no xrun to
     * count), and these tests check what is played, not how little delay covers that.
     */
    private static final int QUEUE = 4;
    /**
     * Where the judging of what is played starts, in frames of the server's clock: after the first
     * two seconds of playback, in which the queue trims a surplus that a sender's first, slower
     * periods leave behind (SurplusWatch.SETTLING_SECONDS), plus the half second playback may take
     * to begin. From there on, only a counted xrun may cost a period.
     */
    private static final int JUDGED_FROM = 3 * 48000;
    /** Two seconds judged. */
    private static final int RECORDED = JUDGED_FROM + 2 * 48000;

    private static LinkConfig.Builder server(int channels, int bits) {
        return LinkConfig.builder(Role.SERVER, null).channels(channels).bitResolution(bits).bindPort(0)
                .backend(LinkConfig.BackendKind.BUILTIN).queue(QUEUE).clientName("server");
    }

    private static LinkConfig.Builder client(Link server, int channels, int bits) {
        return LinkConfig.builder(Role.CLIENT, "127.0.0.1").channels(channels).bitResolution(bits).bindPort(0)
                .peerPort(server.localPort()).backend(LinkConfig.BackendKind.BUILTIN).queue(QUEUE)
                .clientName("client");
    }

    /** How a test backend opens its sessions. */
    private interface Opener {
        AudioSession open(AudioSpec spec, AudioProcessor processor)
                throws AudioBackendException;
    }

    /** A backend named {@code name} whose sessions {@code opener} opens. */
    private static AudioBackend backend(String name, Opener opener) {
        return new AudioBackend() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public AudioSession open(AudioSpec spec,
                    AudioProcessor processor) throws AudioBackendException {
                return opener.open(spec, processor);
            }
        };
    }

    private static BuiltinBackend ramp(int rate) {
        return new BuiltinBackend(rate, 128, rate, TestSignal.Kind.RAMP);
    }

    @Test
    void streams_the_signal_both_ways_sample_exact_at_16_bit() throws Exception {
        final SignalBackend a = new SignalBackend(48000, 128, 48000, 2, RECORDED);
        final SignalBackend b = new SignalBackend(48000, 128, 48000, 2, RECORDED);
        final Link s = start(server(2, 16).build(), a);
        final Link c = start(client(s, 2, 16).build(), b);
        Deadlines.await(Duration.ofSeconds(5), () -> s.state() == Link.State.CONNECTED && c.state() == Link.State.CONNECTED, () -> "both ends connected" + ": " + events.toString());
        a.awaitFrames(RECORDED, Duration.ofSeconds(15));
        b.awaitFrames(RECORDED, Duration.ofSeconds(15));
        final long xruns = a.xruns() + b.xruns();
        final String context = "server " + s.stats().statLine() + "\nclient " + c.stats().statLine();
        for (int ch = 1; ch <= 2; ch++) {
            AudioJudge.of(a.recording(ch), JUDGED_FROM, ch, 16, 128).assertAccounted("client → server channel " + ch,
                    xruns, AudioJudge.JAMWIRE_PER_XRUN, context);
            AudioJudge.of(b.recording(ch), JUDGED_FROM, ch, 16, 128).assertAccounted("server → client channel " + ch,
                    xruns, AudioJudge.JAMWIRE_PER_XRUN, context);
        }
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
    void a_sample_rate_mismatch_fails_the_client_and_the_waiting_server_says_so_and_waits() throws Exception {
        final Link s = start(server(2, 16).build(), ramp(44100));
        final Link c = start(client(s, 2, 16).build(), ramp(48000));
        assertTrue(c.awaitStop(5, TimeUnit.SECONDS), "client did not stop");
        assertEquals(Link.State.FAILED, c.state());
        assertTrue(c.failure().contains("44100 Hz") && c.failure().contains("48000 Hz"), c.failure());
        // A datagram in another format may come from anyone: the server is told of it, and waits on.
        Deadlines.await(Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.kind() == LinkEvent.Kind.WARNING
                && e.message().contains("dropped, still waiting for a peer") && e.message().contains("44100 Hz")
                && e.message().contains("48000 Hz")), events::toString);
        assertEquals(Link.State.WAITING_FOR_PEER, s.state());
        assertTrue(s.stats().get(LinkCounter.DROPPED_MISMATCH) > 0);
    }

    @Test
    void a_sample_rate_mismatch_of_a_pinned_peer_fails_both_ends_naming_both_rates() throws Exception {
        final Link s = start(server(2, 16).pin(new LinkConfig.PeerPin("127.0.0.1", 0)).build(), ramp(44100));
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
    void a_bit_depth_mismatch_of_a_pinned_peer_fails_both_ends_naming_both_depths() throws Exception {
        final Link s = start(server(2, 16).pin(new LinkConfig.PeerPin("127.0.0.1", 0)).build(), ramp(48000));
        final Link c = start(client(s, 2, 24).build(), ramp(48000));
        assertTrue(s.awaitStop(5, TimeUnit.SECONDS), "server did not stop");
        assertTrue(c.awaitStop(5, TimeUnit.SECONDS), "client did not stop");
        assertEquals(Link.State.FAILED, s.state());
        assertEquals(Link.State.FAILED, c.state());
        assertTrue(s.failure().contains("this end uses 16-bit samples, the peer 24-bit"), s.failure());
        assertTrue(c.failure().contains("this end uses 24-bit samples, the peer 16-bit"), c.failure());
    }

    @Test
    void refuses_datagrams_larger_than_udp_can_carry_and_says_how_many_channels_fit() {
        final LinkException e = org.junit.jupiter.api.Assertions.assertThrows(LinkException.class,
                () -> start(server(200, 24).build(), ramp(48000)));
        assertEquals("200 channels of 24-bit audio at 128 frames per period make 76816-byte datagrams,"
                + " over the 65507 bytes UDP can carry: use at most 170 channels at these settings, or"
                + " a smaller period, fewer bits", e.getMessage());
        final LinkException r = org.junit.jupiter.api.Assertions.assertThrows(LinkException.class,
                () -> start(server(100, 16).redundancy(3).build(), ramp(48000)));
        assertTrue(r.getMessage().contains("with redundancy 3") && r.getMessage().contains("at most 85 channels")
                && r.getMessage().endsWith("or less redundancy"), r.getMessage());
    }

    @Test
    void carries_255_channels_of_16_bits_at_128_frames_the_most_that_fit() throws Exception {
        final Link s = start(server(255, 16).build(), ramp(48000));
        final Link c = start(client(s, 255, 16).build(), ramp(48000));
        Deadlines.await(Duration.ofSeconds(5), () -> s.stats().get(LinkCounter.PACKETS_RECEIVED) > 50
                && c.stats().get(LinkCounter.PACKETS_RECEIVED) > 50, () -> "both ends streaming: " + events);
        assertEquals(0, c.stats().get(LinkCounter.SEND_ERRORS));
    }

    @Test
    void refuses_a_buffer_size_other_than_the_one_required() {
        final LinkException e = org.junit.jupiter.api.Assertions.assertThrows(LinkException.class,
                () -> start(server(2, 16).expectedBufferSize(64).build(), ramp(48000)));
        assertTrue(e.getMessage().contains("64") && e.getMessage().contains("128"), e.getMessage());
    }

    @Test
    void streams_with_a_peer_of_another_buffer_size_and_warns_as_jacktrip_does() throws Exception {
        final BuiltinBackend big = new BuiltinBackend(48000, 256, 48000, TestSignal.Kind.RAMP);
        final BuiltinBackend small = new BuiltinBackend(48000, 128, 48000, TestSignal.Kind.RAMP);
        final Link s = start(server(2, 16).build(), big);
        final Link c = start(client(s, 2, 16).build(), small);
        Deadlines.await(Duration.ofSeconds(5), () -> s.stats().get(LinkCounter.PACKETS_RECEIVED) > 100
                && c.stats().get(LinkCounter.PACKETS_RECEIVED) > 50, () -> "both ends receiving: " + events);
        assertTrue(events.stream().anyMatch(e -> e.kind() == LinkEvent.Kind.WARNING
                && e.message().contains("128-frame packets") && e.message().contains("256 frames")), events::toString);
        assertEquals(Link.State.CONNECTED, s.state());
        assertEquals(Link.State.CONNECTED, c.state());
    }

    @Test
    void plays_the_channels_both_ends_have_and_leaves_the_rest_silent() throws Exception {
        final SignalBackend a = new SignalBackend(48000, 128, 48000, 4, RECORDED);
        final SignalBackend b = new SignalBackend(48000, 128, 48000, 2, RECORDED);
        final Link s = start(server(4, 16).build(), a);
        final Link c = start(client(s, 2, 16).build(), b);
        a.awaitFrames(RECORDED, Duration.ofSeconds(15));
        final String context = "server " + s.stats().statLine() + "\nclient " + c.stats().statLine();
        for (int ch = 1; ch <= 2; ch++) {
            AudioJudge.of(a.recording(ch), JUDGED_FROM, ch, 16, 128).assertAccounted("client → server channel " + ch,
                    a.xruns() + b.xruns(), AudioJudge.JAMWIRE_PER_XRUN, context);
        }
        for (int ch = 3; ch <= 4; ch++) {
            for (float v : a.recording(ch)) {
                assertEquals(0f, v, "channel " + ch + " has no sender and must be silent");
            }
        }
        assertTrue(events.stream().anyMatch(e -> e.kind() == LinkEvent.Kind.WARNING
                && e.message().contains("the peer sends 2 channels")), events::toString);
    }

    @Test
    void runs_four_links_at_once_on_the_old_manuals_ports() throws Exception {
        final BuiltinBackend backend = ramp(48000);
        final List<Link> servers = new java.util.ArrayList<>();
        for (int offset = 0; offset <= 30; offset += 10) {
            servers.add(start(server(2, 16).bindPort(LinkConfig.DEFAULT_PORT + offset).clientName("s" + offset)
                    .build(), backend));
        }
        for (Link s : servers) {
            start(client(s, 2, 16).clientName("c" + s.localPort()).build(), backend);
        }
        Deadlines.await(Duration.ofSeconds(10), () -> servers.stream().allMatch(
                l -> l.stats().get(LinkCounter.PACKETS_RECEIVED) > 100), () -> "all four servers receiving");
        assertEquals(List.of(4464, 4474, 4484, 4494), servers.stream().map(Link::localPort).toList());
        for (Link l : links) {
            assertEquals(0, l.stats().get(LinkCounter.DROPPED_FOREIGN), l.stats().statLine());
        }
    }

    @Test
    void says_when_its_audio_processing_fails_and_goes_on() throws Exception {
        final BuiltinBackend builtin = ramp(48000);
        final int[] periods = new int[1];
        // The link's processor throws in every 50th period, as a fault in the engine would.
        final AudioBackend failing = backend("failing", (spec, processor) -> builtin.open(spec, (in, out, n) -> {
            if (++periods[0] % 50 == 0) {
                throw new IllegalStateException("fault in period " + periods[0]);
            }
            processor.process(in, out, n);
        }));
        final Link s = start(server(1, 16).build(), failing);
        Deadlines.await(Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.kind() == LinkEvent.Kind.WARNING
                && e.message().startsWith("the link failed in ") && e.message().contains("IllegalStateException: fault in period")),
                () -> "a warning naming the fault: " + events);
        final int before = periods[0];
        Deadlines.await(Duration.ofSeconds(5), () -> periods[0] > before + 100, () -> "periods go on");
        assertTrue(s.describeAudio().matches("\\d+ audio periods, [1-9]\\d* failed, \\d+ xruns"), s.describeAudio());
    }

    @Test
    void says_when_the_audio_server_never_runs_its_client() throws Exception {
        final BuiltinBackend builtin = ramp(48000);
        // A session whose server never calls it: opened, but its clock never started.
        final AudioBackend stuck = backend("stuck", (spec, processor) -> {
            final BuiltinSession session = builtin.open(spec, processor);
            return new AudioSession() {
                public int sampleRate() { return session.sampleRate(); }
                public int bufferSize() { return session.bufferSize(); }
                public String clientName() { return session.clientName(); }
                public long xruns() { return session.xruns(); }
                public long periods() { return session.periods(); }
                public long processorFailures() { return session.processorFailures(); }
                public Throwable lastProcessorFailure() { return session.lastProcessorFailure(); }
                public boolean isAlive() { return session.isAlive(); }
                public void start() { }
                public void close() { session.close(); }
            };
        });
        final Link s = start(server(1, 16).build(), stuck);
        Deadlines.await(Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.kind() == LinkEvent.Kind.WARNING
                && e.message().startsWith("the audio server has not run this link's client in 2 s")),
                () -> "a warning that audio never ran: " + events);
        assertEquals("0 audio periods, 0 failed, 0 xruns", s.describeAudio());
    }
}

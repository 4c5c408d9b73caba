package org.jamwire.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jamwire.audio.AudioBackend;
import org.jamwire.audio.AudioBackendException;
import org.jamwire.audio.AudioProcessor;
import org.jamwire.audio.AudioSession;
import org.jamwire.audio.AudioSpec;
import org.jamwire.audio.builtin.BuiltinBackend;
import org.jamwire.audio.builtin.TestSignal;
import org.jamwire.engine.UnderrunPolicy;
import org.jamwire.link.Link;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.Role;
import org.jamwire.net.HubHandshakeClient;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A JamWire hub on a JACK server (dummy driver) with three JamWire hub clients on the built-in
 * backend, each sending a tone of its own frequency: which tones each client hears shows how the
 * patch mode routed them. Tones are found by their power at their exact frequency (Goertzel) over
 * the last second heard, so a mix of several is told apart.
 */
@Tag("integration")
class HubPatchModesTest {

    private static final int RATE = 48_000;
    private static final int PERIOD = 256;
    private static final int[] TONES = {300, 500, 700};
    private static final double AMPLITUDE = 0.2;
    private static final AtomicInteger PORTS = new AtomicInteger(25_700);

    private static JackServer h;

    @BeforeAll
    static void startServer() {
        h = JackServer.start(RATE, PERIOD, 2, 2);
    }

    @AfterAll
    static void stopServer() {
        h.close();
    }

    @ParameterizedTest
    @EnumSource(value = PatchMode.class, names = {"CLIENT_ECHO", "CLIENT_FAN_OUT_IN", "FULL_MIX", "SERVER_TO_CLIENTS"})
    void each_client_hears_what_the_patch_mode_routes_to_it(PatchMode mode) throws Exception {
        final int tcp = PORTS.getAndAdd(10);
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final LinkConfig worker = LinkConfig.builder(Role.SERVER, null).underrunPolicy(UnderrunPolicy.ZEROS)
                .jackServerName(h.name()).build();
        final List<Link> links = new ArrayList<>();
        final List<ToneBackend> ends = new ArrayList<>();
        try (HubServer hub = HubServer.start(new HubConfig(tcp, tcp + 1, 8, mode, false, false, worker),
                e -> events.add(e.client() + " " + e.name() + ": " + e.message()))) {
            for (int i = 0; i < TONES.length; i++) {
                final int udp = tcp + 5 + i;
                final int port = HubHandshakeClient.requestPort(new InetSocketAddress("127.0.0.1", tcp), udp,
                        "c" + (i + 1), Duration.ofSeconds(5));
                final ToneBackend end = new ToneBackend(TONES[i]);
                ends.add(end);
                links.add(Link.start(LinkConfig.builder(Role.CLIENT, "127.0.0.1").channels(1).bindPort(udp)
                        .peerPort(port).clientName("end" + (i + 1)).backend(LinkConfig.BackendKind.BUILTIN)
                        .underrunPolicy(UnderrunPolicy.ZEROS).build(), end, e -> { }));
            }
            Deadlines.await(Duration.ofSeconds(15), () -> streaming(hub) == TONES.length,
                    () -> "three clients streaming: " + events);
            if (mode == PatchMode.SERVER_TO_CLIENTS) {
                for (int i = 1; i <= TONES.length; i++) {
                    final String c = "c" + i;
                    Deadlines.await(Duration.ofSeconds(10), () -> h.connections(c + ":receive_1").contains("system:playback_1")
                            && h.connections(c + ":send_1").contains("system:capture_1"),
                            () -> c + " to the system ports: " + h.connections(c + ":receive_1") + " "
                                    + h.connections(c + ":send_1"));
                }
            }
            for (int i = 0; i < TONES.length; i++) {
                final ToneBackend end = ends.get(i);
                final boolean[] expected = new boolean[TONES.length];
                for (int j = 0; j < TONES.length; j++) {
                    expected[j] = hears(mode, i, j);
                }
                final int listener = i;
                // Wait until every tone it should hear is there, then nothing it should not hear may be.
                Deadlines.await(Duration.ofSeconds(15), () -> {
                    for (int j = 0; j < TONES.length; j++) {
                        if (expected[j] && end.level(TONES[j]) < AMPLITUDE / 2) {
                            return false;
                        }
                    }
                    return true;
                }, () -> "client " + (listener + 1) + " in mode " + mode + " hears " + end.describe() + "; " + events);
                for (int j = 0; j < TONES.length; j++) {
                    if (!expected[j]) {
                        assertTrue(end.level(TONES[j]) < AMPLITUDE / 20, "client " + (i + 1) + " in mode " + mode
                                + " must not hear client " + (j + 1) + ": " + end.describe());
                    }
                }
            }
            assertEquals(TONES.length, hub.clients().size());
        } finally {
            for (Link l : links) {
                l.stop();
            }
        }
    }

    /** Whether client {@code listener} hears client {@code source} in {@code mode}, from 0. */
    private static boolean hears(PatchMode mode, int listener, int source) {
        return switch (mode) {
            case CLIENT_ECHO -> listener == source;
            case CLIENT_FAN_OUT_IN -> listener != source;
            case FULL_MIX -> true;
            default -> false;
        };
    }

    private static int streaming(HubServer hub) {
        int n = 0;
        for (HubServer.ClientView v : hub.clients()) {
            if (v.stats() != null && v.stats().state() == Link.State.CONNECTED) {
                n++;
            }
        }
        return n;
    }

    /** The built-in backend, sending one tone on channel 1 and keeping the last second it plays. */
    private static final class ToneBackend implements AudioBackend {
        private final BuiltinBackend builtin = new BuiltinBackend(RATE, PERIOD, RATE, TestSignal.Kind.SILENCE);
        private final int frequency;
        private final float[] heard = new float[RATE];
        private volatile long written;
        private long sent;

        ToneBackend(int frequency) {
            this.frequency = frequency;
        }

        @Override
        public String name() {
            return "tone";
        }

        @Override
        public AudioSession open(AudioSpec spec, AudioProcessor processor) throws AudioBackendException {
            return builtin.open(spec, (in, out, n) -> {
                for (int f = 0; f < n; f++) {
                    in[0][f] = (float) (AMPLITUDE * Math.sin(2 * Math.PI * frequency * (sent + f) / RATE));
                }
                sent += n;
                processor.process(in, out, n);
                long w = written;
                for (int f = 0; f < n; f++) {
                    heard[(int) (w++ % heard.length)] = out[0][f];
                }
                written = w;
            });
        }

        /** The amplitude of {@code hz} in the last second heard (Goertzel over a whole number of cycles). */
        double level(int hz) {
            if (written < heard.length) {
                return 0;
            }
            final double w = 2 * Math.PI * hz / RATE;
            final double coeff = 2 * Math.cos(w);
            double s1 = 0;
            double s2 = 0;
            final long end = written;
            for (long k = end - heard.length; k < end; k++) {
                final double s = heard[(int) (k % heard.length)] + coeff * s1 - s2;
                s2 = s1;
                s1 = s;
            }
            final double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
            return 2 * Math.sqrt(Math.max(0, power)) / heard.length;
        }

        String describe() {
            final StringBuilder b = new StringBuilder();
            for (int t : TONES) {
                b.append(t).append(" Hz: ").append(String.format("%.3f", level(t))).append("; ");
            }
            return b.toString();
        }
    }
}

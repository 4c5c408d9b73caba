package org.jamwire.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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
import org.jamwire.testing.JackSignalClient;
import org.jamwire.testing.Program;
import org.jamwire.testing.Tones;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real {@code jamwire -S -p MODE} hub on a JACK server (dummy driver) with three clients, each
 * sending a tone of its own frequency: which tones each client hears shows how the patch mode routed
 * them. Tones are found by their power at their exact frequency (Goertzel) over a second heard, so
 * a mix of several is told apart.
 *
 * <p>Modes 0, 1, 2 and 4 are checked with three {@code jacktrip -C} clients (1.7) sharing a second
 * JACK server under names of their own ({@code -J}); this JVM plays each one's tone into its send
 * port there and records what its receive port plays. With the dummy driver the hub's capture
 * ports are silent, so mode 0 is checked by the hub's JACK connections, and by every client hearing
 * none of the tones. Three JamWire hub clients on the built-in backend are checked in mode 4, where
 * every path through the hub is heard.
 */
@Tag("integration")
@Tag("quiet")
class HubPatchModesTest {

    private static final int RATE = 48_000;
    private static final int PERIOD = 256;
    private static final int[] TONES = {300, 500, 700};
    private static final double AMPLITUDE = 0.2;
    /** A tone a client hears is at least this loud; one it does not hear is below {@link #SILENT}. */
    private static final double HEARD = AMPLITUDE / 2;
    private static final double SILENT = AMPLITUDE / 20;
    private static final int RECORD_FRAMES = 40 * RATE;
    private static final AtomicInteger PORTS = new AtomicInteger(25_700);

    private static JackServer h;
    private static JackServer c;

    @BeforeAll
    static void startServers() {
        h = JackServer.start(RATE, PERIOD, 2, 2);
        c = JackServer.start(RATE, PERIOD, 2, 2);
    }

    @AfterAll
    static void stopServers() {
        if (c != null) {
            c.close();
        }
        if (h != null) {
            h.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = PatchMode.class, names = {"SERVER_TO_CLIENTS", "CLIENT_ECHO", "CLIENT_FAN_OUT_IN", "FULL_MIX"})
    void jacktrip_clients_hear_what_the_patch_mode_routes_to_them(PatchMode mode) throws Exception {
        final int tcp = PORTS.getAndAdd(10);
        awaitNoClientsLeft();
        final List<Program> clients = new ArrayList<>();
        try (Program hub = startHub(mode, tcp);
                JackSignalClient tones = JackSignalClient.open(c, "tones", TONES.length, TONES.length, RECORD_FRAMES,
                        (channel, frame) -> Tones.sample(AMPLITUDE, TONES[channel - 1], RATE, frame))) {
            try {
                for (int n = 1; n <= TONES.length; n++) {
                    clients.add(Program.jacktrip(c.name(), "-C", "127.0.0.1", "-P", Integer.toString(tcp),
                            "-B", Integer.toString(tcp + 4 + n), "-K", "c" + n, "-J", "jt" + n, "-n", "1",
                            "-q", "4", "-D"));
                }
                final Supplier<String> context = () -> {
                    final StringBuilder b = new StringBuilder("\nhub:\n").append(hub.output());
                    for (int n = 1; n <= clients.size(); n++) {
                        b.append("jacktrip ").append(n).append(":\n").append(clients.get(n - 1).output());
                    }
                    return b.toString();
                };
                final List<Ear> ears = new ArrayList<>();
                for (int n = 1; n <= TONES.length; n++) {
                    final String hubPort = "c" + n + ":receive_1";
                    final String jt = "jt" + n;
                    Deadlines.await(Duration.ofSeconds(20), () -> h.lsp().contains(hubPort)
                            && c.lsp().contains(jt + ":receive_1"), () -> "jacktrip client " + jt + "'s ports: hub "
                            + h.lsp() + ", client " + c.lsp() + context.get());
                    tones.connect(tones.output(n), jt + ":send_1");
                    tones.connect(jt + ":receive_1", tones.input(n));
                    final int channel = n;
                    ears.add(new Ear() {
                        @Override
                        public long frames() {
                            return tones.frames();
                        }

                        @Override
                        public float[] last(int count) {
                            return tones.recent(channel, count);
                        }
                    });
                }
                if (mode == PatchMode.SERVER_TO_CLIENTS) {
                    for (int n = 1; n <= TONES.length; n++) {
                        final String name = "c" + n;
                        Deadlines.await(Duration.ofSeconds(10), () -> patchedToSystem(name),
                                () -> name + " to the system ports: " + h.connections(name + ":receive_1") + " "
                                        + h.connections(name + ":send_1") + context.get());
                    }
                }
                judge("jacktrip", mode, ears, context);
                if (mode == PatchMode.SERVER_TO_CLIENTS) {
                    for (int n = 1; n <= TONES.length; n++) {
                        final String name = "c" + n;
                        assertTrue(patchedToSystem(name), name + " still only to the system ports: "
                                + h.connections(name + ":receive_1") + " " + h.connections(name + ":send_1"));
                    }
                }
            } finally {
                for (Program p : clients) {
                    p.close();
                }
            }
        }
    }

    @Test
    void jamwire_hub_clients_hear_every_client_in_full_mix() throws Exception {
        final PatchMode mode = PatchMode.FULL_MIX;
        final int tcp = PORTS.getAndAdd(10);
        awaitNoClientsLeft();
        final List<Link> links = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        try (Program hub = startHub(mode, tcp)) {
            try {
                final List<Ear> ears = new ArrayList<>();
                for (int n = 1; n <= TONES.length; n++) {
                    final int udp = tcp + 4 + n;
                    final int port = HubHandshakeClient.requestPort(new InetSocketAddress("127.0.0.1", tcp), udp,
                            "c" + n, Duration.ofSeconds(5));
                    final ToneBackend end = new ToneBackend(TONES[n - 1]);
                    ears.add(end);
                    final int client = n;
                    links.add(Link.start(LinkConfig.builder(Role.CLIENT, "127.0.0.1").channels(1).bindPort(udp)
                            .peerPort(port).clientName("end" + n).backend(LinkConfig.BackendKind.BUILTIN)
                            .underrunPolicy(UnderrunPolicy.ZEROS).build(), end, e -> {
                                synchronized (events) {
                                    events.add(client + ": " + e);
                                }
                            }));
                }
                judge("JamWire", mode, ears, () -> {
                    synchronized (events) {
                        return "\nclients: " + events + "\nhub:\n" + hub.output();
                    }
                });
            } finally {
                for (Link l : links) {
                    l.stop();
                }
            }
        }
    }

    /** Starts {@code jamwire -S} on the hub's JACK server, listening on {@code tcp}, slots from {@code tcp + 1}. */
    private static Program startHub(PatchMode mode, int tcp) throws IOException {
        final Program hub = Program.jamwire(h.name(), "-S", "-p", Integer.toString(mode.number()),
                "-B", Integer.toString(tcp), "-U", Integer.toString(tcp + 1));
        try {
            hub.awaitOutput("listening on TCP port " + tcp, Duration.ofSeconds(15));
            return hub;
        } catch (RuntimeException | Error e) {
            hub.close();
            throw e;
        }
    }

    /**
     * Waits until the clients of an earlier test have left both JACK servers, so that the names
     * they had are free again (JACK would give a new client of the same name another one).
     */
    private static void awaitNoClientsLeft() {
        for (int n = 1; n <= TONES.length; n++) {
            final String hubPort = "c" + n + ":receive_1";
            final String clientPort = "jt" + n + ":receive_1";
            Deadlines.await(Duration.ofSeconds(10), () -> JackServer.portGone(h.name(), hubPort)
                    && JackServer.portGone(c.name(), clientPort), () -> "earlier clients gone: hub " + h.lsp()
                    + ", client " + c.lsp());
        }
    }

    /** Whether hub client {@code name} is connected to the system ports and nothing else (mode 0). */
    private static boolean patchedToSystem(String name) {
        return h.connections(name + ":receive_1").equals(Set.of("system:playback_1"))
                && h.connections(name + ":send_1").equals(Set.of("system:capture_1"));
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

    /**
     * Waits until every client hears every tone {@code mode} routes to it, then over the next
     * whole second heard asserts that each of those is loud and every other tone is absent.
     */
    private static void judge(String kind, PatchMode mode, List<Ear> ears, Supplier<String> context) {
        final long[] checked = new long[ears.size()];
        Deadlines.await(Duration.ofSeconds(20), () -> {
            // Looked at again only every tenth of a second heard: each look reads seconds of audio.
            for (int i = 0; i < ears.size(); i++) {
                if (ears.get(i).frames() < checked[i] + RATE / 10) {
                    return false;
                }
            }
            for (int i = 0; i < ears.size(); i++) {
                checked[i] = ears.get(i).frames();
                final float[] heard = ears.get(i).last(RATE);
                for (int j = 0; j < TONES.length; j++) {
                    if (hears(mode, i, j) && (heard.length < RATE || Tones.level(heard, TONES[j], RATE) < HEARD)) {
                        return false;
                    }
                }
            }
            return true;
        }, () -> kind + " clients, mode " + mode.number() + ": every client to hear its tones; they hear "
                + describe(levels(ears)) + context.get());
        final long[] from = new long[ears.size()];
        for (int i = 0; i < ears.size(); i++) {
            from[i] = ears.get(i).frames();
        }
        Deadlines.await(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < ears.size(); i++) {
                if (ears.get(i).frames() < from[i] + RATE) {
                    return false;
                }
            }
            return true;
        }, () -> "a second more heard" + context.get());
        final double[][] levels = levels(ears);
        System.out.println(kind + " clients, mode " + mode.number() + ": " + describe(levels));
        for (int i = 0; i < ears.size(); i++) {
            for (int j = 0; j < TONES.length; j++) {
                final String what = kind + " clients, mode " + mode.number() + ": client " + (i + 1)
                        + (hears(mode, i, j) ? " hears" : " does not hear") + " client " + (j + 1) + " ("
                        + TONES[j] + " Hz); " + describe(levels);
                if (hears(mode, i, j)) {
                    assertTrue(levels[i][j] >= HEARD, what + context.get());
                } else {
                    assertTrue(levels[i][j] < SILENT, what + context.get());
                }
            }
        }
        assertEquals(TONES.length, ears.size());
    }

    /** Each client's level of each tone over the last second it heard. */
    private static double[][] levels(List<Ear> ears) {
        final double[][] levels = new double[ears.size()][TONES.length];
        for (int i = 0; i < ears.size(); i++) {
            final float[] heard = ears.get(i).last(RATE);
            for (int j = 0; j < TONES.length; j++) {
                levels[i][j] = heard.length < RATE ? 0 : Tones.level(heard, TONES[j], RATE);
            }
        }
        return levels;
    }

    private static String describe(double[][] levels) {
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < levels.length; i++) {
            b.append("client ").append(i + 1).append(" [");
            for (int j = 0; j < TONES.length; j++) {
                b.append(j == 0 ? "" : ", ").append(TONES[j]).append(" Hz ")
                        .append(String.format("%.3f", levels[i][j]));
            }
            b.append("] ");
        }
        return b.toString();
    }

    /** What one client plays out. */
    private interface Ear {
        /** Frames heard so far. */
        long frames();

        /** The last {@code count} frames heard (fewer while fewer were). */
        float[] last(int count);
    }

    /** The built-in backend, sending one tone on channel 1 and keeping the last seconds it plays. */
    private static final class ToneBackend implements AudioBackend, Ear {
        private final BuiltinBackend builtin = new BuiltinBackend(RATE, PERIOD, RATE, TestSignal.Kind.SILENCE);
        private final int frequency;
        private final float[] heard = new float[4 * RATE];
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
                    in[0][f] = Tones.sample(AMPLITUDE, frequency, RATE, sent + f);
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

        @Override
        public long frames() {
            return written;
        }

        @Override
        public float[] last(int count) {
            final long end = written;
            final int n = (int) Math.min(count, end);
            final float[] last = new float[n];
            for (int k = 0; k < n; k++) {
                last[k] = heard[(int) ((end - n + k) % heard.length)];
            }
            return last;
        }
    }
}

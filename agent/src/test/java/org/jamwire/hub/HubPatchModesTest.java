package org.jamwire.hub;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.jamwire.audio.builtin.BuiltinSession;
import org.jamwire.audio.builtin.TestSignal;
import org.jamwire.link.Link;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.Role;
import org.jamwire.net.HubHandshakeClient;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.JackSignalClient;
import org.jamwire.testing.JacktripStats;
import org.jamwire.testing.Program;
import org.jamwire.testing.QuietMachine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real {@code jamwire -S -p MODE} hub on a JACK server (dummy driver) with three clients that
 * take turns: each in its own slot of {@value #SLOT_SECONDS} s plays its own signal (noise, see
 * {@link JackSignalClient#sample}) while the others play silence. Who hears whom shows in the
 * slots: a client the mode routes the source to must play that source's signal sample for sample
 * in the slot (judged by {@link AudioJudge}, but for what the JACK servers' counted xruns cost),
 * and any other client exact silence. One source at a time, so a mix never needs taking apart.
 *
 * <p>Modes 0, 1, 2 and 4 are checked with three {@code jacktrip -C} clients (1.7) sharing a second
 * JACK server under names of their own ({@code -J}); this JVM plays each one's turns into its send
 * port there and records what its receive port plays. With the dummy driver the hub's capture
 * ports are silent, so mode 0 is checked by the hub's JACK connections, and by every client hearing
 * silence. Three JamWire hub clients on the built-in backend are checked in mode 4, where every
 * path through the hub is heard.
 */
@Tag("integration")
@Tag("quiet")
class HubPatchModesTest {

    private static final int RATE = 48_000;
    private static final int PERIOD = 256;
    private static final int CLIENTS = 3;
    /** Each source's turn; the first {@value #UNJUDGED_SECONDS} s of it are not judged. */
    private static final double SLOT_SECONDS = 1.5;
    /**
     * The start of a turn that is not judged: longer than any path's delay through the hub, and
     * than a concealment fading out after the turn before.
     */
    private static final double UNJUDGED_SECONDS = 0.5;
    private static final int SLOT = (int) (SLOT_SECONDS * RATE);
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

    /**
     * When the turns begin, on a frame count that each player sets once every path is set up;
     * until then everyone plays silence.
     */
    private static final class Turns {
        private volatile long origin = Long.MAX_VALUE;

        /** Source {@code n}'s (from 1) sample at its frame {@code frame}: its signal in its turn, else silence. */
        float sample(int n, long frame) {
            final long since = frame - origin;
            return since >= 0 && since / SLOT == n - 1 ? JackSignalClient.sample(n, frame) : 0f;
        }

        /** Begins the turns a moment after frame {@code now}. */
        void begin(long now) {
            origin = now + RATE / 4;
        }

        long origin() {
            return origin;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = PatchMode.class, names = {"SERVER_TO_CLIENTS", "CLIENT_ECHO", "CLIENT_FAN_OUT_IN", "FULL_MIX"})
    void jacktrip_clients_hear_what_the_patch_mode_routes_to_them(PatchMode mode) throws Exception {
        final int tcp = PORTS.getAndAdd(10);
        awaitNoClientsLeft();
        final List<Program> clients = new ArrayList<>();
        final Turns turns = new Turns();
        try (Program hub = startHub(mode, tcp);
                JackSignalClient players = JackSignalClient.open(c, "turns", CLIENTS, CLIENTS, RECORD_FRAMES,
                        turns::sample)) {
            try {
                for (int n = 1; n <= CLIENTS; n++) {
                    clients.add(Program.jacktrip(c.name(), "-C", "127.0.0.1", "-P", Integer.toString(tcp),
                            "-B", Integer.toString(tcp + 4 + n), "-K", "c" + n, "-J", "jt" + n, "-n", "1",
                            "-q", "4", "-D", "-I", "1"));
                }
                final Supplier<String> context = () -> {
                    final StringBuilder b = new StringBuilder("\nhub:\n").append(hub.output())
                            .append("the hub's jackd, last lines:\n").append(tail(h.output()));
                    for (int n = 1; n <= clients.size(); n++) {
                        b.append("jacktrip ").append(n).append(":\n").append(clients.get(n - 1).output());
                    }
                    return b.toString();
                };
                awaitHubClientsOpen(hub, context);
                for (int n = 1; n <= CLIENTS; n++) {
                    final String hubPort = "c" + n + ":receive_1";
                    final String jt = "jt" + n;
                    Deadlines.await(Duration.ofSeconds(20), () -> h.lsp().contains(hubPort)
                            && c.lsp().contains(jt + ":receive_1"), () -> "jacktrip client " + jt + "'s ports: hub "
                            + h.lsp() + ", client " + c.lsp() + context.get());
                    players.connect(players.output(n), jt + ":send_1");
                    players.connect(jt + ":receive_1", players.input(n));
                }
                awaitPatched(mode, context);
                // A hub client that jackd does not run is reported by the hub after 2 s: its threads are
                // dumped then, while the stuck one still exists (the slot is freed after 10 s).
                final Path threads = Path.of("target", "failsafe-reports", "HubPatchModesTest-hub-threads-mode-"
                        + mode.number() + ".txt");
                for (int n = 1; n <= CLIENTS; n++) {
                    final Program client = clients.get(n - 1);
                    final int index = n;
                    Deadlines.await(Duration.ofSeconds(10), () -> heardHub(client) || hub.output().contains(
                            "has not run this link's client"), () -> "the hub's first datagram at jacktrip client "
                            + index + context.get() + hub.dumpThreads(threads));
                    if (!heardHub(client)) {
                        throw new AssertionError("the hub's first datagram at jacktrip client " + index
                                + ": the hub says jackd does not run one of its clients" + context.get()
                                + hub.dumpThreads(threads));
                    }
                }
                final List<Ear> ears = new ArrayList<>();
                for (int n = 1; n <= CLIENTS; n++) {
                    final int channel = n;
                    ears.add(new Ear() {
                        @Override
                        public long frames() {
                            return players.frames();
                        }

                        @Override
                        public float[] recording() {
                            return players.recording(channel);
                        }

                        @Override
                        public long origin() {
                            return turns.origin();
                        }
                    });
                }
                QuietMachine.await();
                turns.begin(players.frames());
                judge("jacktrip", mode, ears, AudioJudge.JAMWIRE_PER_XRUN + AudioJudge.JACKTRIP_PER_XRUN, context,
                        clients);
                if (mode == PatchMode.SERVER_TO_CLIENTS) {
                    for (int n = 1; n <= CLIENTS; n++) {
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
                final List<TurnBackend> ends = new ArrayList<>();
                for (int n = 1; n <= CLIENTS; n++) {
                    final int udp = tcp + 4 + n;
                    final int port = HubHandshakeClient.requestPort(new InetSocketAddress("127.0.0.1", tcp), udp,
                            "c" + n, Duration.ofSeconds(5));
                    final TurnBackend end = new TurnBackend(n);
                    ends.add(end);
                    final int client = n;
                    links.add(Link.start(LinkConfig.builder(Role.CLIENT, "127.0.0.1").channels(1).bindPort(udp)
                            .peerPort(port).clientName("end" + n).backend(LinkConfig.BackendKind.BUILTIN)
                            .build(), end, e -> {
                                synchronized (events) {
                                    events.add(client + ": " + e);
                                }
                            }));
                }
                final Supplier<String> context = () -> {
                    synchronized (events) {
                        return "\nclients: " + events + "\nhub:\n" + hub.output()
                                + "the hub's jackd, last lines:\n" + tail(h.output());
                    }
                };
                awaitHubClientsOpen(hub, context);
                for (int n = 1; n <= CLIENTS; n++) {
                    final String hubPort = "c" + n + ":receive_1";
                    Deadlines.await(Duration.ofSeconds(20), () -> h.lsp().contains(hubPort),
                            () -> "hub client " + hubPort + context.get());
                }
                awaitPatched(mode, context);
                QuietMachine.await();
                // The built-in clocks run at one rate from different starts: each begins its turns
                // at its own frame count, at one moment.
                for (TurnBackend end : ends) {
                    end.begin();
                }
                long clockXruns = 0;
                for (TurnBackend end : ends) {
                    clockXruns += end.xruns();
                }
                final long before = clockXruns;
                judge("JamWire", mode, new ArrayList<>(ends), AudioJudge.JAMWIRE_PER_XRUN, () -> {
                    long now = 0;
                    for (TurnBackend end : ends) {
                        now += end.xruns();
                    }
                    return context.get() + "\nbuilt-in clock xruns while judged: " + (now - before);
                }, List.of());
            } finally {
                for (Link l : links) {
                    l.stop();
                }
            }
        }
    }

    /**
     * Waits until the hub says it has opened a JACK client for each client, from its own output,
     * before this test asks the hub's server anything. Asking runs {@code jack_lsp}, a JACK client
     * that comes and goes. In some full runs one of the hub's clients was never run by the server
     * ("client = c1 was not finished, state = Triggered" every cycle, 0 periods), most likely
     * because such a short-lived client went while the hub opened that one: libjack keeps one
     * table of clients per process, and the hub runs several clients in one. That is the hub's to
     * solve, and it now says when it happens; this test checks the patch modes, so it leaves the
     * hub's server alone while the hub opens its clients.
     */
    private static void awaitHubClientsOpen(Program hub, Supplier<String> context) {
        for (int n = 1; n <= CLIENTS; n++) {
            final String name = "c" + n;
            Deadlines.await(Duration.ofSeconds(20), () -> hub.output().contains("as JACK client " + name + " ("),
                    () -> "the hub to open JACK client " + name + context.get());
        }
    }

    /** Whether a jacktrip client has had its first datagram from the hub. */
    private static boolean heardHub(Program client) {
        return client.output().contains("Received Connection from Peer!");
    }

    /** The last lines of a JACK server's output: what it said of its clients lately. */
    private static String tail(String output) {
        final List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())) + "\n";
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
        for (int n = 1; n <= CLIENTS; n++) {
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

    /** Whether client {@code listener} hears client {@code source} in {@code mode}, both from 1. */
    private static boolean hears(PatchMode mode, int listener, int source) {
        return switch (mode) {
            case CLIENT_ECHO -> listener == source;
            case CLIENT_FAN_OUT_IN -> listener != source;
            case FULL_MIX -> true;
            default -> false;
        };
    }

    /** Waits until the hub has made the connections its mode asks for. */
    private static void awaitPatched(PatchMode mode, Supplier<String> context) {
        for (int n = 1; n <= CLIENTS; n++) {
            final int listener = n;
            Deadlines.await(Duration.ofSeconds(10), () -> {
                if (mode == PatchMode.SERVER_TO_CLIENTS) {
                    return patchedToSystem("c" + listener);
                }
                final Set<String> feeding = h.connections("c" + listener + ":send_1");
                for (int source = 1; source <= CLIENTS; source++) {
                    if (hears(mode, listener, source) != feeding.contains("c" + source + ":receive_1")) {
                        return false;
                    }
                }
                return true;
            }, () -> "the hub's connections to c" + listener + ":send_1: " + h.connections("c" + listener
                    + ":send_1") + context.get());
        }
    }

    /**
     * Records every client through all the turns, then judges each client's recording in each
     * turn: the source's signal, exactly but for what the JACK servers' xruns in the meantime
     * cost ({@code perXrun} periods each), and what a jacktrip client's jitter buffer counted for
     * what it played, where the mode routes it; silence elsewhere.
     *
     * @param jacktrips the jacktrip clients, in order, run with {@code -I 1}; empty for others
     */
    private static void judge(String kind, PatchMode mode, List<? extends Ear> ears, int perXrun,
            Supplier<String> context, List<Program> jacktrips) {
        final long xrunsBefore = h.xruns() + c.xruns();
        final long[] jacktripBefore = new long[CLIENTS];
        for (int i = 0; i < jacktrips.size(); i++) {
            jacktripBefore[i] = JacktripStats.receiveEvents(jacktrips.get(i).output());
        }
        for (Ear ear : ears) {
            final long end = ear.origin() + (long) CLIENTS * SLOT;
            Deadlines.await(Duration.ofSeconds(30), () -> ear.frames() >= end, () -> "the turns played" + context.get());
        }
        final long xruns = h.xruns() + c.xruns() - xrunsBefore;
        final long[] jacktripEvents = new long[CLIENTS];
        for (int i = 0; i < jacktrips.size(); i++) {
            JacktripStats.awaitNext(jacktrips.get(i), context);
            jacktripEvents[i] = JacktripStats.receiveEvents(jacktrips.get(i).output()) - jacktripBefore[i];
        }
        for (int listener = 1; listener <= CLIENTS; listener++) {
            final float[] heard = ears.get(listener - 1).recording();
            for (int source = 1; source <= CLIENTS; source++) {
                final int from = (int) (ears.get(listener - 1).origin() + (long) (source - 1) * SLOT
                        + (long) (UNJUDGED_SECONDS * RATE));
                final int to = (int) (ears.get(listener - 1).origin() + (long) source * SLOT);
                final String what = kind + " clients, mode " + mode.number() + ": client " + listener
                        + (hears(mode, listener, source) ? " hears" : " does not hear") + " client " + source;
                final float[] turn = Arrays.copyOfRange(heard, from / PERIOD * PERIOD, to);
                if (hears(mode, listener, source)) {
                    final AudioJudge.Judgement j = AudioJudge.of(turn, 0, AudioJudge.wire(source, 16), PERIOD, PERIOD, 0);
                    System.out.println(what + " (" + xruns + " xruns): " + j.summary().lines().findFirst().orElse(""));
                    final long causes = xruns + jacktripEvents[listener - 1];
                    j.assertAccounted(what, causes, perXrun, xruns + " xruns while the turns played, "
                            + jacktripEvents[listener - 1] + " events counted by the client" + context.get());
                } else {
                    for (int i = 0; i < turn.length; i++) {
                        if (turn[i] != 0f) {
                            throw new AssertionError(what + ", but plays " + turn[i] + " at frame " + i
                                    + " of its turn" + context.get());
                        }
                    }
                }
            }
        }
    }

    /** What one client plays out, on the frame count its turns are set on. */
    private interface Ear {
        /** Frames played so far. */
        long frames();

        /** Everything played, from frame 0. */
        float[] recording();

        /** The frame at which the turns began. */
        long origin();
    }

    /** The built-in backend, playing source {@code n}'s turns on channel 1 and recording what it plays. */
    private static final class TurnBackend implements AudioBackend, Ear {
        private final BuiltinBackend builtin = new BuiltinBackend(RATE, PERIOD, RATE, TestSignal.Kind.SILENCE);
        private final int source;
        private final Turns turns = new Turns();
        private final float[] heard = new float[RECORD_FRAMES];
        private volatile long written;
        private volatile BuiltinSession session;
        private long sent;

        TurnBackend(int source) {
            this.source = source;
        }

        void begin() {
            turns.begin(sent);
        }

        long xruns() {
            final BuiltinSession s = session;
            return s == null ? 0 : s.xruns();
        }

        @Override
        public String name() {
            return "turns";
        }

        @Override
        public AudioSession open(AudioSpec spec, AudioProcessor processor) throws AudioBackendException {
            final BuiltinSession s = builtin.open(spec, (in, out, n) -> {
                for (int f = 0; f < n; f++) {
                    in[0][f] = turns.sample(source, sent + f);
                }
                sent += n;
                processor.process(in, out, n);
                final long w = written;
                if (w + n <= heard.length) {
                    System.arraycopy(out[0], 0, heard, (int) w, n);
                }
                written = w + n;
            });
            session = s;
            return s;
        }

        @Override
        public long frames() {
            return written;
        }

        @Override
        public float[] recording() {
            return Arrays.copyOf(heard, (int) Math.min(written, heard.length));
        }

        @Override
        public long origin() {
            // Played and sent frames are counted on one clock, from the same period.
            return turns.origin();
        }
    }
}

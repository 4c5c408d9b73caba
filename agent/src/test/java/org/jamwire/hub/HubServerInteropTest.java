package org.jamwire.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.Role;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.JackSignalClient;
import org.jamwire.testing.JacktripStats;
import org.jamwire.testing.Program;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Four real {@code jacktrip -C} clients (1.7), each on a JACK server of its own, connect to a JamWire
 * hub in this JVM. Each client's JACK server loops what it hears back to what it sends, so a
 * distinct signal played into each client's ports at the hub crosses to that client and back
 * through the hub; it must come back intact on that client's ports only. Patch mode 5: the probe
 * makes the hub's connections itself.
 */
@Tag("integration")
class HubServerInteropTest {

    private static final int RATE = 48_000;
    private static final int PERIOD = 256;
    private static final int CLIENTS = 4;
    private static final int RECORD_FRAMES = 4 * RATE;
    private static final int JUDGE_FROM = 2 * RATE;
    private static final int TCP_PORT = 25_564;
    private static final int UDP_BASE = 25_570;
    private static final int CLIENT_UDP = 25_580;

    @Test
    void four_jacktrip_clients_stream_through_a_jamwire_hub() throws Exception {
        final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<JackServer> servers = new ArrayList<>();
        final List<Program> clients = new ArrayList<>();
        try (JackServer h = JackServer.start(RATE, PERIOD, 2, 2)) {
            // The hub's workers run with the defaults (prediction, drift correction).
            final LinkConfig worker = LinkConfig.builder(Role.SERVER, null).autoConnect(false)
                    .jackServerName(h.name()).build();
            try (HubServer hub = HubServer.start(new HubConfig(TCP_PORT, UDP_BASE, 16, PatchMode.NONE, false, false,
                    worker), e -> events.add(e.client() + " " + e.name() + ": " + e.message()))) {
                for (int i = 1; i <= CLIENTS; i++) {
                    final JackServer c = JackServer.start(RATE, PERIOD, 2, 2);
                    servers.add(c);
                    clients.add(Program.jacktrip(c.name(), "-C", "127.0.0.1", "-P", Integer.toString(TCP_PORT),
                            "-B", Integer.toString(CLIENT_UDP + i), "-K", "jt" + i, "-J", "jt", "-n", "2", "-q", "4",
                            "-D", "-I", "1"));
                }
                for (int i = 1; i <= CLIENTS; i++) {
                    final int n = i;
                    final JackServer c = servers.get(i - 1);
                    Deadlines.await(Duration.ofSeconds(20), () -> h.lsp().contains("jt" + n + ":receive_2")
                            && c.lsp().contains("jt:receive_2"), () -> "client " + n + "'s ports: hub " + h.lsp()
                            + ", client " + c.lsp() + "\n" + events + "\n" + clients.get(n - 1).output());
                    for (int k = 1; k <= 2; k++) {
                        final String from = "jt:receive_" + k;
                        final String to = "jt:send_" + k;
                        Deadlines.await(Duration.ofSeconds(10), () -> c.connect(from, to)
                                || c.connections(from).contains(to), () -> "loop " + from + " > " + to + " on " + c);
                    }
                }
                final Set<String> names = new TreeSet<>();
                final Set<Integer> ports = new TreeSet<>();
                for (HubServer.ClientView v : hub.clients()) {
                    names.add(v.jackName());
                    ports.add(v.udpPort());
                }
                assertEquals(Set.of("jt1", "jt2", "jt3", "jt4"), names, events.toString());
                assertEquals(Set.of(UDP_BASE, UDP_BASE + 1, UDP_BASE + 2, UDP_BASE + 3), ports, events.toString());
                try (JackSignalClient probe = JackSignalClient.open(h, "probe", 2 * CLIENTS, 2 * CLIENTS,
                        RECORD_FRAMES)) {
                    for (int i = 1; i <= CLIENTS; i++) {
                        for (int k = 1; k <= 2; k++) {
                            final int ch = 2 * (i - 1) + k;
                            probe.connect(probe.output(ch), "jt" + i + ":send_" + k);
                            probe.connect("jt" + i + ":receive_" + k, probe.input(ch));
                        }
                    }
                    final long xrunsBefore = xruns(h, servers);
                    final long[] jacktripBefore = new long[CLIENTS];
                    for (int i = 0; i < CLIENTS; i++) {
                        jacktripBefore[i] = JacktripStats.receiveEvents(clients.get(i).output());
                    }
                    probe.awaitRecording(Duration.ofSeconds(30));
                    final long xruns = xruns(h, servers) - xrunsBefore;
                    // What each jacktrip client's jitter buffer counted meanwhile excuses what it
                    // played back, as xruns do (-I 1: a line a second).
                    final long[] jacktripEvents = new long[CLIENTS];
                    for (int i = 0; i < CLIENTS; i++) {
                        JacktripStats.awaitNext(clients.get(i));
                        jacktripEvents[i] = JacktripStats.receiveEvents(clients.get(i).output()) - jacktripBefore[i];
                    }
                    // What every end counted, so that a lost period can be traced to the side that lost it:
                    // the hub's worker for each client, and each jacktrip client's last statistics.
                    final StringBuilder said = new StringBuilder("events: " + events);
                    for (HubServer.ClientView v : hub.clients()) {
                        said.append("\nhub's worker for ").append(v.jackName()).append(": ")
                                .append(v.stats() == null ? "no stats" : v.stats().statLine());
                    }
                    for (int i = 0; i < CLIENTS; i++) {
                        said.append("\njt").append(i + 1).append(" last said: ")
                                .append(JacktripStats.lastLine(clients.get(i).output()));
                    }
                    said.append("\n").append(xruns).append(" xruns on the five servers");
                    final String context = said.toString();
                    // Through a worker and a jacktrip client both ways: 16 bits twice, which gives the
                    // same samples as once.
                    for (int ch = 1; ch <= 2 * CLIENTS; ch++) {
                        AudioJudge.of(probe.recording(ch), JUDGE_FROM, ch, 16, PERIOD).assertAccounted(
                                "hub → jt" + ((ch + 1) / 2) + " → hub, channel " + ch, xruns + jacktripEvents[(ch - 1) / 2],
                                AudioJudge.JAMWIRE_PER_XRUN + AudioJudge.JACKTRIP_PER_XRUN, context);
                    }
                }
            }
        } finally {
            for (Program p : clients) {
                p.close();
            }
            for (JackServer s : servers) {
                s.close();
            }
        }
    }

    private static long xruns(JackServer h, List<JackServer> servers) {
        long n = h.xruns();
        for (JackServer s : servers) {
            n += s.xruns();
        }
        return n;
    }
}

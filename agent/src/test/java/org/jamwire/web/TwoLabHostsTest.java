package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.JackSignalClient;
import org.jamwire.testing.LabHosts;
import org.jamwire.testing.Program;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two lab hosts in network namespaces on one lab network, each with a real sshd, a JACK server of
 * its own and a JamWire agent, and a coordinator on this machine that reaches them over ssh. The
 * coordinator refuses a pair whose sample rates differ before anything starts; starts the agent
 * of the host that has none; pairs the two; and relays both hosts' live feeds. A test signal goes
 * from host A to host B, is looped back there from the link's receive ports to its send ports, and
 * comes back to A intact, while the relayed meters of both ends move. The coordinator chooses the
 * ports: a second pair on the same hosts runs beside the first without the user giving any, and
 * ports given that disagree or are held are refused before anything starts.
 */
@Tag("integration")
class TwoLabHostsTest {

    private static final int RATE = 48_000;
    private static final int PERIOD = 256;
    private static final int CHANNELS = 2;
    private static final int RECORD_FRAMES = 4 * RATE;

    @TempDir
    Path dir;

    @Test
    void the_coordinator_pairs_two_lab_hosts_and_relays_both_ends() throws Exception {
        final List<String> path = SshServer.jamwireOnPath(dir.resolve("bin"));
        final Path tokenA = dir.resolve("a/token");
        final Path tokenB = dir.resolve("b/token");
        try (LabHosts lab = LabHosts.create(2);
             JackServer jackA = JackServer.start(RATE, PERIOD, CHANNELS, CHANNELS);
             JackServer jackB = JackServer.start(RATE, PERIOD, CHANNELS, CHANNELS);
             JackServer jackB44 = JackServer.start(44_100, PERIOD, CHANNELS, CHANNELS);
             SshServer sshA = SshServer.start(dir.resolve("sshd-a"), lab.host(0).address(), lab.host(0).on(List.of()),
                     path);
             SshServer sshB = SshServer.start(dir.resolve("sshd-b"), lab.host(1).address(), lab.host(1).on(List.of()),
                     path);
             // Host A's agent runs already, on its own loopback, as a lab host's service would.
             Program agentA = Program.launcher(jackA.name(), lab.host(0).on(List.of()), "agent", "--port", "8464",
                     "--token-file", tokenA.toString(), "--jack-server", jackA.name());
             AgentServer coordinator = AgentServer.start(AgentSettings.defaults(0, dir.resolve("coordinator/token"),
                     "jamwire-no-jack-" + ProcessHandle.current().pid()))) {
            agentA.awaitOutput("Open the web UI", Duration.ofSeconds(60));
            final AgentClient api = new AgentClient(coordinator.port(), coordinator.token().value());
            addAndTrust(api, "lab-a", lab.host(0).address(), sshA, jackA.name(), tokenA);
            // Host B is first registered with the JACK server that runs at 44.1 kHz.
            addAndTrust(api, "lab-b", lab.host(1).address(), sshB, jackB44.name(), tokenB);

            // No port: the coordinator chooses them, free on each host.
            final String pair = pairRequest("pairfar");
            final JsonNode refused = api.awaitPairEnd(api.post("/api/lab/pairs", pair).json().get("id").asText());
            assertEquals("failed", refused.get("state").asText(), refused.toString());
            final JsonNode check = refused.get("steps").get(2);
            assertEquals("FAILED", check.get("state").asText(), refused.toString());
            assertTrue(check.get("detail").asText().contains("44100") && check.get("detail").asText().contains("48000"),
                    "the fix names both rates: " + check);
            assertEquals("PENDING", refused.get("steps").get(3).get("state").asText(),
                    "nothing started on lab-a: " + refused);

            // Host B again, now with its 48 kHz server, and an agent the coordinator starts there.
            assertEquals(204, api.delete("/api/lab/peers/lab-b").status());
            assertEquals(201, api.post("/api/lab/peers", peer("lab-b", lab.host(1).address(), sshB, jackB.name(),
                    tokenB)).status());
            final AgentClient.Response started = api.post("/api/lab/peers/lab-b/agent", "");
            assertEquals(200, started.status(), started.body());
            assertTrue(started.json().get("report").get("agentRunning").asBoolean(), started.body());

            final String id = api.post("/api/lab/pairs", pair).json().get("id").asText();
            final JsonNode running = api.awaitPairEnd(id);
            assertEquals("running", running.get("state").asText(), running.toString());
            assertEquals(4464, running.get("port").asInt(), "the first link port, free on lab-a: " + running);
            assertEquals(4474, running.get("clientPort").asInt(), "another than the server's: " + running);
            assertEquals("agent", running.get("peerProgram").asText(), running.toString());
            // The server takes its peer only from host B, as host A sees it.
            assertTrue(running.get("steps").toString().contains("takes its peer from " + lab.host(1).address() + " only"),
                    running.toString());
            final String serverLink = running.get("serverLink").asText();
            final String clientLink = running.get("clientLink").asText();

            final Set<String> moving = ConcurrentHashMap.newKeySet();
            try (AgentClient.Feed feed = api.feed("http://127.0.0.1:" + coordinator.port())) {
                feed.send("{\"type\": \"auth\", \"token\": \"" + coordinator.token().value() + "\"}");
                feed.send("{\"type\": \"subscribe\", \"topics\": [\"peer:lab-a\", \"peer:lab-b\"]}");

                // Loop host B: what its end of the link receives, it sends back.
                JackServer.awaitPort(jackB.name(), "pairfar:send_" + CHANNELS, Duration.ofSeconds(30));
                for (int c = 1; c <= CHANNELS; c++) {
                    JackServer.connect(jackB.name(), "pairfar:receive_" + c, "pairfar:send_" + c);
                }
                JackServer.awaitPort(jackA.name(), "JackTrip:send_" + CHANNELS, Duration.ofSeconds(30));
                try (JackSignalClient probe = JackSignalClient.open(jackA, "pairprobe", CHANNELS, CHANNELS,
                        RECORD_FRAMES)) {
                    final long xrunsBefore = jackA.xruns() + jackB.xruns();
                    for (int c = 1; c <= CHANNELS; c++) {
                        probe.connect(probe.output(c), "JackTrip:send_" + c);
                        probe.connect("JackTrip:receive_" + c, probe.input(c));
                    }
                    // Both ends' meters, relayed from both hosts' agents, show the signal going and coming.
                    final List<JsonNode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
                    try {
                        feed.await(m -> {
                            if (seen.size() < 30 && !"meters".equals(m.path("type").asText())
                                    || "meters".equals(m.path("type").asText()) && seen.size() < 40) {
                                seen.add(m);
                            }
                            if ("meters".equals(m.path("type").asText()) && loud(m)) {
                                moving.add(m.path("peer").asText() + "/" + m.path("link").asText());
                            }
                            return moving.containsAll(Set.of("lab-a/" + serverLink, "lab-b/" + clientLink));
                        }, Duration.ofSeconds(30), "meters of both ends moving");
                    } catch (AssertionError e) {
                        throw new AssertionError(e.getMessage() + ": moving " + moving + ", messages " + seen, e);
                    }

                    probe.awaitRecording(Duration.ofSeconds(60));
                    final String context = "xruns A=" + jackA.xruns() + " B=" + jackB.xruns() + "\npair: "
                            + api.get("/api/lab/pairs/" + id).body();
                    // Through both links, which run with the defaults: exact but for what the xruns cost.
                    final long xruns = jackA.xruns() + jackB.xruns() - xrunsBefore;
                    for (int c = 1; c <= CHANNELS; c++) {
                        AudioJudge.of(probe.recording(c), 2 * RATE, c, 16, PERIOD).assertAccounted(
                                "lab-a → lab-b → lab-a, channel " + c, xruns, AudioJudge.JAMWIRE_PER_XRUN, context);
                    }
                }
            }
            final String second = secondPair(api, lab, running, tokenA, tokenB);

            // The latency test: the coordinator loops lab-a's end and measures the round trip at lab-b's.
            final AgentClient.Response latency = api.post("/api/lab/pairs/" + id + "/latency", "");
            assertEquals(200, latency.status(), latency.body());
            final JsonNode l = latency.json();
            assertEquals(RATE, l.get("sampleRate").asInt(), l.toString());
            // At least a period at each end, and less than a fifth of a second with queues of 4 periods.
            assertTrue(l.get("frames").asInt() >= 2 * PERIOD && l.get("frames").asInt() < RATE / 5, l.toString());
            assertEquals(1000.0 * l.get("frames").asInt() / RATE, l.get("ms").asDouble(), 0.01, l.toString());
            assertEquals(l, api.get("/api/lab/pairs/" + id).json().get("latency"), "the pair keeps the last result");
            assertFalse(connected(jackA, "JackTrip:receive_1", "JackTrip:send_1"), "the loop is undone");

            assertEquals("stopped", api.delete("/api/lab/pairs/" + second).json().get("state").asText());
            final JsonNode stopped = api.delete("/api/lab/pairs/" + id).json();
            assertEquals("stopped", stopped.get("state").asText(), stopped.toString());
            assertFalse(stopped.get("serverRunning").asBoolean(), stopped.toString());
            Deadlines.await(Duration.ofSeconds(20), () -> JackServer.portGone(jackA.name(), "JackTrip:send_1")
                    && JackServer.portGone(jackB.name(), "pairfar:send_1"),
                    () -> "both ends' JACK ports gone: A " + JackServer.lspOf(jackA.name()) + ", B "
                            + JackServer.lspOf(jackB.name()));
        }
    }

    /**
     * Ports the user gives that disagree, or that the running pair holds, are refused before anything
     * starts; a second pair on the same two hosts, with no port given, takes the ports the first left
     * free, and audio arrives both ways on both pairs, as each host's agent counts it.
     *
     * @return the second pair's id
     */
    private static String secondPair(AgentClient api, LabHosts lab, JsonNode first, Path tokenA, Path tokenB)
            throws Exception {
        final int taken = first.get("port").asInt();
        final int pairs = api.get("/api/lab/pairs").json().size();
        final AgentClient.Response mismatch = api.post("/api/lab/pairs", "{\"peer\": \"lab-a\", \"client\":"
                + " \"lab-b\", \"port\": 4484, \"options\": {\"portoffset\": 10}}");
        assertEquals(400, mismatch.status(), mismatch.body());
        assertEquals("options.portoffset", mismatch.json().get("field").asText(), mismatch.body());
        assertTrue(mismatch.json().get("message").asText().contains("send to UDP port 4474, but port 4484 has the"
                + " server bind UDP port 4484"), mismatch.body());
        assertEquals(pairs, api.get("/api/lab/pairs").json().size(), "no pair was made of it");

        final JsonNode held = api.awaitPairEnd(api.post("/api/lab/pairs", "{\"peer\": \"lab-a\", \"client\": \"lab-b\","
                + " \"port\": " + taken + ", \"options\": {\"numchannels\": " + CHANNELS + "}}").json().get("id")
                .asText());
        assertEquals("failed", held.get("state").asText(), held.toString());
        final JsonNode check = held.get("steps").get(2);
        assertEquals("FAILED", check.get("state").asText(), held.toString());
        assertTrue(check.get("detail").asText().startsWith("UDP port " + taken + " (port " + taken + ") on lab-a is"
                + " held by pair " + first.get("id").asText() + ": leave it out"), check.toString());
        assertEquals("PENDING", held.get("steps").get(3).get("state").asText(), "nothing started: " + held);

        final JsonNode running = api.awaitPairEnd(api.post("/api/lab/pairs", pairRequest("pairfar2")).json().get("id")
                .asText());
        assertEquals("running", running.get("state").asText(), running.toString());
        assertEquals(4474, running.get("port").asInt(), "the next port free on lab-a: " + running);
        assertEquals(4464, running.get("clientPort").asInt(), "the port free on lab-b: " + running);
        for (JsonNode pair : List.of(first, running)) {
            final String server = pair.get("serverLink").asText();
            final String client = pair.get("clientLink").asText();
            Deadlines.await(Duration.ofSeconds(20), () -> received(lab.host(0), tokenA, server) > 0
                    && received(lab.host(1), tokenB, client) > 0, () -> "audio both ways on pair " + pair.get("id")
                            + ": lab-a's " + server + " received " + received(lab.host(0), tokenA, server)
                            + ", lab-b's " + client + " " + received(lab.host(1), tokenB, client));
        }
        return running.get("id").asText();
    }

    private static String pairRequest(String clientName) {
        return "{\"peer\": \"lab-a\", \"client\": \"lab-b\", \"options\": {\"numchannels\": " + CHANNELS
                + ", \"nojackportsconnect\": true, \"clientname\": \"" + clientName + "\", \"queue\": 4}}";
    }

    /** A link's packets received, read from the agent on {@code host} as a user there would, with curl. */
    private static long received(LabHosts.Host host, Path token, String link) {
        try {
            final Process p = new ProcessBuilder(host.on(List.of("curl", "-sS", "--max-time", "5", "-H",
                    "Authorization: Bearer " + Files.readString(token).strip(), "http://127.0.0.1:8464/api/links/"
                            + link + "/counters"))).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return AgentClient.JSON.readTree(out).path("pkts_in").asLong(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean connected(JackServer jack, String from, String to) {
        return jack.connections(from).contains(to);
    }

    /** Whether a meters message shows sound both sent and received on its first channel. */
    private static boolean loud(JsonNode m) {
        return m.path("send").path("peak").path(0).asDouble(-200) > -40
                && m.path("receive").path("peak").path(0).asDouble(-200) > -40;
    }

    private static String peer(String name, String host, SshServer sshd, String jack, Path token) {
        return "{\"name\": \"" + name + "\", \"host\": \"" + host + "\", \"port\": " + sshd.port() + ", \"user\": \""
                + System.getProperty("user.name") + "\", \"key\": \"" + sshd.userKey() + "\", \"jackServer\": \""
                + jack + "\", \"agentToken\": \"" + token + "\"}";
    }

    private static void addAndTrust(AgentClient api, String name, String host, SshServer sshd, String jack, Path token)
            throws Exception {
        assertEquals(201, api.post("/api/lab/peers", peer(name, host, sshd, jack, token)).status());
        final JsonNode unknown = api.post("/api/lab/peers/" + name + "/probe", "").json();
        assertEquals("unknown_host_key", unknown.get("error").asText(), unknown.toString());
        assertEquals(204, api.post("/api/lab/peers/" + name + "/trust", "{\"fingerprint\": \""
                + unknown.get("fingerprint").asText() + "\"}").status());
    }

}

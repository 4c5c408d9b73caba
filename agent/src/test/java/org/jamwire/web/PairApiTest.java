package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.FreePorts;
import org.jamwire.testing.LabHosts;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pair started from the API as one job: the server runs on the peer over a real sshd (JamWire's
 * own launcher on the peer's PATH), the client here; both stream, and stopping the pair stops both.
 * A pair between two lab hosts whose audio cannot get through one's firewall (an nftables rule in
 * its network namespace) never shows "running", and fails naming the silent direction. Both ends
 * use the built-in backend, so no JACK server is needed.
 */
@Tag("integration")
class PairApiTest {

    @TempDir
    Path dir;

    @Test
    void starts_a_server_on_the_peer_and_a_client_here_and_stops_both() throws Exception {
        try (SshServer sshd = SshServer.start(dir.resolve("sshd"), "127.0.0.1", List.of(),
                SshServer.jamwireOnPath(dir.resolve("bin")));
             AgentServer agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("agent/token"),
                     "jamwire-none-" + ProcessHandle.current().pid()))) {
            final AgentClient api = new AgentClient(agent.port(), agent.token().value());
            assertEquals(201, api.post("/api/lab/peers", "{\"name\": \"studio-b\", \"host\": \"127.0.0.1\", \"port\": "
                    + sshd.port() + ", \"user\": \"" + System.getProperty("user.name") + "\", \"key\": \""
                    + sshd.userKey() + "\"}").status());
            assertEquals(204, api.post("/api/lab/peers/studio-b/trust", "{\"fingerprint\": \"" + sshd.hostFingerprint()
                    + "\"}").status());

            final int port = FreePorts.udp();
            final AgentClient.Response started = api.post("/api/lab/pairs", "{\"peer\": \"studio-b\", \"port\": " + port
                    + ", \"options\": {\"backend\": \"builtin\", \"numchannels\": 2, \"bindport\": "
                    + FreePorts.udp() + "}}");
            assertEquals(202, started.status(), started.body());
            final String id = started.json().get("id").asText();
            assertEquals(port, started.json().get("port").asInt(), "the port given is the server's");
            final JsonNode[] job = {api.awaitPairEnd(id)};
            assertEquals("running", job[0].get("state").asText(), job[0].toString());
            assertEquals("jamwire", job[0].get("peerProgram").asText());
            assertTrue(job[0].get("steps").toString().contains("takes its peer from 127.0.0.1 only"), job[0].toString());
            assertEquals("studio-b", job[0].get("peer").asText());
            assertEquals(port, job[0].get("port").asInt());
            final JsonNode audio = job[0].get("steps").get(job[0].get("steps").size() - 1);
            assertEquals("wait for audio both ways", audio.get("name").asText());
            assertTrue(audio.get("detail").asText().startsWith("audio arrives both ways: at studio-b on UDP port "
                    + port + ", at this machine on UDP port " + job[0].get("clientPort").asInt()), audio.toString());
            final String link = job[0].get("localLink").asText();
            Deadlines.await(Duration.ofSeconds(20), () -> api.get("/api/links/" + link + "/counters").json()
                    .get("pkts_in").asLong() > 200, () -> "audio from the peer's server");

            final JsonNode stopped = api.delete("/api/lab/pairs/" + id).json();
            assertFalse(stopped.get("serverRunning").asBoolean(), stopped.toString());
            assertEquals("stopped", stopped.get("state").asText());
            assertEquals("stopped", api.get("/api/links/" + link).json().get("state").asText());
        }
    }

    @Test
    void a_link_test_measures_the_path_to_the_peers_echo_and_keeps_it() throws Exception {
        try (SshServer sshd = SshServer.start(dir.resolve("sshd2"), "127.0.0.1", List.of(),
                SshServer.jamwireOnPath(dir.resolve("bin2")));
             AgentServer agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("agent2/token"),
                     "jamwire-none-" + ProcessHandle.current().pid()))) {
            final AgentClient api = new AgentClient(agent.port(), agent.token().value());
            api.post("/api/lab/peers", "{\"name\": \"studio-c\", \"host\": \"127.0.0.1\", \"port\": " + sshd.port()
                    + ", \"user\": \"" + System.getProperty("user.name") + "\", \"key\": \"" + sshd.userKey() + "\"}");
            api.post("/api/lab/peers/studio-c/trust", "{\"fingerprint\": \"" + sshd.hostFingerprint() + "\"}");
            final int port = FreePorts.udp();
            final AgentClient.Response r = api.post("/api/lab/peers/studio-c/linktest", "{\"seconds\": 2, \"port\": " + port
                    + ", \"options\": {\"backend\": \"builtin\", \"numchannels\": 8}}");
            assertEquals(200, r.status(), r.body());
            final JsonNode result = r.json().get("result");
            assertEquals(2 * 48_000 / 128, result.get("sent").asInt());
            assertEquals(16 + 8 * 128 * 2, result.get("datagramBytes").asInt());
            assertTrue(result.get("received").asInt() >= result.get("sent").asInt() * 0.95, result.toString());
            assertTrue(result.get("recommendedQueue").asInt() >= 2);
            assertTrue(result.get("rttMinMs").asDouble() > 0);
            assertEquals(1, api.get("/api/lab/peers/studio-c/linktests").json().size());
            assertTrue(Files.readString(dir.resolve("agent2/linktests.jsonl")).contains("studio-c"));

            // With no port, a link holding the first lab port there does not stop the test: it takes the next.
            try (DatagramChannel held = holdIfFree(4464)) {
                final AgentClient.Response free = api.post("/api/lab/peers/studio-c/linktest",
                        "{\"seconds\": 1, \"options\": {\"backend\": \"builtin\"}}");
                assertEquals(200, free.status(), free.body());
                assertTrue(free.json().get("result").get("received").asInt() > 0, free.body());
                assertTrue(held == null || held.isOpen(), "4464 stayed held through the test");
            }
        }
    }

    @Test
    void a_pair_whose_audio_cannot_arrive_never_runs_and_names_the_silent_direction() throws Exception {
        final List<String> path = SshServer.jamwireOnPath(dir.resolve("bin3"));
        try (LabHosts lab = LabHosts.create(2);
             SshServer sshA = SshServer.start(dir.resolve("sshd-a"), lab.host(0).address(), lab.host(0).on(List.of()),
                     path);
             SshServer sshB = SshServer.start(dir.resolve("sshd-b"), lab.host(1).address(), lab.host(1).on(List.of()),
                     path);
             AgentServer agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("agent3/token"),
                     "jamwire-none-" + ProcessHandle.current().pid()))) {
            final AgentClient api = new AgentClient(agent.port(), agent.token().value());
            addAndTrust(api, "lab-a", lab.host(0).address(), sshA);
            addAndTrust(api, "lab-b", lab.host(1).address(), sshB);
            // lab-b's firewall drops every datagram to the link ports, as a host whose firewall was never opened.
            run(lab.host(1).on(List.of("nft", "add", "table", "inet", "jwtest")));
            run(lab.host(1).on(List.of("nft", "add chain inet jwtest input { type filter hook input priority 0;"
                    + " policy accept; }")));
            run(lab.host(1).on(List.of("nft", "add", "rule", "inet", "jwtest", "input", "udp", "dport", "4464-4494",
                    "drop")));

            final AgentClient.Response started = api.post("/api/lab/pairs", "{\"peer\": \"lab-a\", \"client\":"
                    + " \"lab-b\", \"options\": {\"backend\": \"builtin\"}}");
            assertEquals(202, started.status(), started.body());
            assertTrue(started.json().get("port").isNull(), "no port before the check chooses it: " + started.body());
            final String id = started.json().get("id").asText();
            final Set<String> states = ConcurrentHashMap.newKeySet();
            final JsonNode[] job = new JsonNode[1];
            Deadlines.await(Duration.ofSeconds(90), () -> {
                job[0] = api.get("/api/lab/pairs/" + id).json();
                states.add(job[0].get("state").asText());
                return !"starting".equals(job[0].get("state").asText());
            }, () -> "the pair: " + job[0]);
            assertEquals(Set.of("starting", "failed"), states, "never running: " + job[0]);
            final JsonNode steps = job[0].get("steps");
            final JsonNode audio = steps.get(steps.size() - 1);
            assertEquals("wait for audio both ways", audio.get("name").asText(), job[0].toString());
            assertEquals("FAILED", audio.get("state").asText(), job[0].toString());
            final int serverPort = job[0].get("port").asInt();
            final int clientPort = job[0].get("clientPort").asInt();
            // The server heard lab-b, but what it answered never got through lab-b's firewall.
            final String why = audio.get("detail").asText();
            assertTrue(why.startsWith("no audio from lab-a to lab-b: the server on lab-a heard the client, but nothing"
                    + " it sent reached the client on lab-b, UDP port " + clientPort + ", within 15 s: let UDP port "
                    + clientPort + " in through lab-b's firewall: JamWire's lab_network role opens it"), why);
            assertTrue(why.contains("--limit lab-b"), why);
            assertTrue(steps.get(3).get("detail").asText().contains("--bindport " + serverPort), job[0].toString());
            assertTrue(steps.get(5).get("detail").asText().contains("--peerport " + serverPort)
                    && steps.get(5).get("detail").asText().contains("--bindport " + clientPort), job[0].toString());
            assertFalse(job[0].get("serverRunning").asBoolean(), "the ends are stopped: " + job[0]);
            assertEquals(409, api.post("/api/lab/pairs/" + id + "/latency", "").status());
        }
    }

    private static void addAndTrust(AgentClient api, String name, String host, SshServer sshd) throws Exception {
        assertEquals(201, api.post("/api/lab/peers", "{\"name\": \"" + name + "\", \"host\": \"" + host
                + "\", \"port\": " + sshd.port() + ", \"user\": \"" + System.getProperty("user.name") + "\", \"key\":"
                + " \"" + sshd.userKey() + "\"}").status());
        assertEquals(204, api.post("/api/lab/peers/" + name + "/trust", "{\"fingerprint\": \"" + sshd.hostFingerprint()
                + "\"}").status());
    }

    private static void run(List<String> command) throws Exception {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }

    /** UDP port {@code port} bound here, or null when something else holds it already. */
    private static DatagramChannel holdIfFree(int port) throws IOException {
        final DatagramChannel ch = DatagramChannel.open();
        try {
            return ch.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            ch.close();
            return null;
        }
    }
}

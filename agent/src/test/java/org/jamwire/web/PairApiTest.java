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
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pair started from the API as one job: the server runs on the peer over a real sshd (JamWire's
 * own launcher on the peer's PATH), the client here; both stream, and stopping the pair stops both.
 * Both ends use the built-in backend, so no JACK server is needed.
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

            final int port = AgentApiTest.freeUdpPort();
            final AgentClient.Response started = api.post("/api/lab/pairs", "{\"peer\": \"studio-b\", \"port\": " + port
                    + ", \"options\": {\"backend\": \"builtin\", \"numchannels\": 2, \"bindport\": "
                    + AgentApiTest.freeUdpPort() + "}}");
            assertEquals(202, started.status(), started.body());
            final String id = started.json().get("id").asText();
            final JsonNode[] job = new JsonNode[1];
            Deadlines.await(Duration.ofSeconds(60), () -> {
                job[0] = api.get("/api/lab/pairs/" + id).json();
                return job[0].get("localLink").isTextual() || job[0].toString().contains("FAILED");
            }, () -> "the pair's steps: " + job[0]);
            assertFalse(job[0].toString().contains("FAILED"), job[0].toString());
            assertEquals("jamwire", job[0].get("peerProgram").asText());
            assertTrue(job[0].get("steps").toString().contains("takes its peer from 127.0.0.1 only"), job[0].toString());
            assertEquals("studio-b", job[0].get("peer").asText());
            assertEquals(port, job[0].get("port").asInt());
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
            final int port = AgentApiTest.freeUdpPort();
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

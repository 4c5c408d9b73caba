package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.FreePorts;
import org.jamwire.testing.JackServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a real JACK server (dummy driver): its state and ports over the API, connecting
 * and disconnecting ports, a JACK link started from the API, and JACK lost and back on the feed.
 */
@Tag("integration")
class AgentJackTest {

    private static final int RATE = 48_000;
    private static final int FRAMES = 256;

    @TempDir
    Path dir;

    private static boolean connected(AgentClient api, String source, String destination) {
        for (JsonNode p : api.get("/api/jack/ports").json()) {
            if (p.get("name").asText().equals(source)) {
                return p.get("connections").toString().contains("\"" + destination + "\"");
            }
        }
        throw new AssertionError("no port " + source);
    }

    @Test
    void shows_jack_and_its_ports_connects_them_and_runs_a_jack_link() throws Exception {
        try (JackServer jack = JackServer.start(RATE, FRAMES, 2, 2);
             AgentServer agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("token"), jack.name()))) {
            final AgentClient api = new AgentClient(agent.port(), agent.token().value());
            final JsonNode state = api.get("/api/jack").json();
            assertEquals("running", state.get("state").asText(), state.toString());
            assertEquals(RATE, state.get("sampleRate").asInt());
            assertEquals(FRAMES, state.get("bufferSize").asInt());
            assertEquals(jack.name(), state.get("server").asText());
            final JsonNode ports = api.get("/api/jack/ports").json();
            assertTrue(ports.toString().contains("\"system:capture_1\"") && ports.toString().contains("\"system:playback_2\""),
                    ports.toString());

            assertEquals(201, api.post("/api/jack/connections",
                    "{\"source\": \"system:capture_1\", \"destination\": \"system:playback_2\"}").status());
            assertTrue(connected(api, "system:capture_1", "system:playback_2"));
            assertEquals(jack.connections("system:capture_1"), java.util.Set.of("system:playback_2"));
            assertEquals(204, api.delete("/api/jack/connections?source=system:capture_1&destination=system:playback_2")
                    .status());
            assertFalse(connected(api, "system:capture_1", "system:playback_2"));
            assertEquals(404, api.delete("/api/jack/connections?source=system:capture_1&destination=system:playback_2")
                    .status());

            final AgentClient.Response wrongWay = api.post("/api/jack/connections",
                    "{\"source\": \"system:playback_1\", \"destination\": \"system:capture_1\"}");
            assertEquals(400, wrongWay.status());
            assertEquals("source", wrongWay.json().get("field").asText());
            final AgentClient.Response missing = api.post("/api/jack/connections",
                    "{\"source\": \"system:capture_1\", \"destination\": \"nobody:here\"}");
            assertEquals(400, missing.status());
            assertEquals("destination", missing.json().get("field").asText());

            final AgentClient.Response link = api.post("/api/links", "{\"mode\": \"server\", \"options\": {\"bindport\": "
                    + FreePorts.udp() + ", \"clientname\": \"agent-link\", \"buffersize\": " + FRAMES + "}}");
            assertEquals(201, link.status(), link.body());
            Deadlines.await(Duration.ofSeconds(5), () -> api.get("/api/jack/ports").json().toString()
                    .contains("\"agent-link:send_1\""), () -> "the link's ports in the port list");
            // The ports appear before the link connects them, and the port list is read every 250 ms.
            Deadlines.await(Duration.ofSeconds(5), () -> connected(api, "system:capture_1", "agent-link:send_1"),
                    () -> "auto-connected like the command line: " + api.get("/api/jack/ports").body());
            final AgentClient.Response wrongSize = api.post("/api/links", "{\"mode\": \"server\", \"options\": {\"bindport\": "
                    + FreePorts.udp() + ", \"buffersize\": 64}}");
            assertEquals(503, wrongSize.status(), wrongSize.body());
            assertTrue(wrongSize.json().get("message").asText().contains("64"), wrongSize.body());
        }
    }

    @Test
    void the_feed_tells_when_jack_goes_and_comes_back() throws Exception {
        final JackServer jack = JackServer.start(RATE, FRAMES, 2, 2);
        JackServer again = null;
        try (AgentServer agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("token"), jack.name()))) {
            final AgentClient api = new AgentClient(agent.port(), agent.token().value());
            try (AgentClient.Feed feed = api.feed(api.origin())) {
                feed.send("{\"type\": \"auth\", \"token\": \"" + agent.token().value() + "\"}");
                feed.await(m -> m.get("type").asText().equals("hello"), Duration.ofSeconds(5), "hello");
                feed.send("{\"type\": \"subscribe\", \"topics\": [\"jack\", \"events\"]}");
                feed.await(m -> m.get("type").asText().equals("jack")
                        && m.get("jack").get("state").asText().equals("running"), Duration.ofSeconds(5), "JACK running");
                jack.kill();
                feed.await(m -> m.get("type").asText().equals("event") && m.get("kind").asText().equals("jack_lost"),
                        Duration.ofSeconds(5), "jack_lost");
                feed.await(m -> m.get("type").asText().equals("jack")
                        && m.get("jack").get("state").asText().equals("unavailable"), Duration.ofSeconds(5),
                        "JACK unavailable");
                assertEquals(503, api.post("/api/jack/connections",
                        "{\"source\": \"system:capture_1\", \"destination\": \"system:playback_1\"}").status());
                again = JackServer.startNamed(jack.name(), RATE, FRAMES, 2, 2);
                feed.await(m -> m.get("type").asText().equals("event") && m.get("kind").asText().equals("jack_back"),
                        Duration.ofSeconds(10), "jack_back");
                feed.await(m -> m.get("type").asText().equals("jack")
                        && m.get("jack").get("state").asText().equals("running"), Duration.ofSeconds(5), "JACK running again");
            }
        } finally {
            jack.close();
            if (again != null) {
                again.close();
            }
        }
    }
}

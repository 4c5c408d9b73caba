package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jamwire.testing.FreePorts;

/** The live feed: what a subscribed socket is sent, how often, and only what changed. */
class LiveFeedTest {

    @TempDir
    static Path dir;
    private static AgentServer agent;
    private static AgentClient api;
    private static String serverId;

    @BeforeAll
    static void start() throws Exception {
        agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("token"), "jamwire-none-" + ProcessHandle.current().pid()));
        api = new AgentClient(agent.port(), agent.token().value());
        final int port = FreePorts.udp();
        serverId = api.post("/api/links", "{\"mode\": \"server\", \"options\": {\"backend\": \"builtin\", \"bindport\": "
                + port + ", \"numchannels\": 4, \"clientname\": \"feed-server\"}}").json().get("id").asText();
        api.post("/api/links", "{\"mode\": \"client\", \"host\": \"127.0.0.1\", \"options\": {\"backend\": \"builtin\","
                + " \"bindport\": " + FreePorts.udp() + ", \"peerport\": " + port
                + ", \"numchannels\": 4, \"clientname\": \"feed-client\"}}");
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    private static AgentClient.Feed subscribed(String topics, int rateHz) throws Exception {
        final AgentClient.Feed feed = api.feed(api.origin());
        feed.send("{\"type\": \"auth\", \"token\": \"" + agent.token().value() + "\"}");
        feed.await(m -> m.get("type").asText().equals("hello"), Duration.ofSeconds(5), "hello");
        feed.send("{\"type\": \"subscribe\", \"topics\": [" + topics + "], \"rateHz\": " + rateHz + "}");
        return feed;
    }

    @Test
    void counters_come_whole_first_and_then_only_as_changes() throws Exception {
        try (AgentClient.Feed feed = subscribed("\"counters:" + serverId + "\"", 25)) {
            final JsonNode first = feed.await(m -> m.get("type").asText().equals("counters"), Duration.ofSeconds(5),
                    "counters");
            assertEquals(serverId, first.get("link").asText());
            assertTrue(first.get("values").has("foreign") && first.get("values").has("queue_ms"), first.toString());
            final JsonNode later = feed.await(m -> m.get("type").asText().equals("counters")
                    && m.get("values").has("pkts_in"), Duration.ofSeconds(5), "a change of counters");
            assertFalse(later.get("values").has("foreign"), "an unchanged counter was sent again: " + later);
        }
    }

    @Test
    void meters_move_with_the_test_signal() throws Exception {
        try (AgentClient.Feed feed = subscribed("\"meters:*\"", 25)) {
            final JsonNode m = feed.await(x -> x.get("type").asText().equals("meters")
                    && x.get("link").asText().equals(serverId)
                    && x.get("receive").get("rms").get(0).asDouble() > -60, Duration.ofSeconds(10),
                    "meters of received audio");
            assertEquals(4, m.get("send").get("peak").size());
            assertTrue(m.get("send").get("rms").get(0).asDouble() > -60, m.toString());
        }
    }

    @Test
    void a_socket_is_sent_no_more_often_than_its_rate() throws Exception {
        try (AgentClient.Feed feed = subscribed("\"counters:*\", \"meters:*\"", 5)) {
            feed.await(m -> m.get("type").asText().equals("counters"), Duration.ofSeconds(5), "counters");
            feed.messages.clear();
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            final List<JsonNode> seen = new ArrayList<>();
            while (System.nanoTime() < end) {
                final JsonNode m = feed.messages.poll(50, TimeUnit.MILLISECONDS);
                if (m != null && m.get("type").asText().equals("counters") && m.get("link").asText().equals(serverId)) {
                    seen.add(m);
                }
            }
            // 5 per second for 2 s, with one tick of slack at either end.
            assertTrue(seen.size() >= 8 && seen.size() <= 12, seen.size() + " counter updates in 2 s at 5 Hz");
        }
    }

    @Test
    void a_socket_gets_only_what_it_subscribed_to() throws Exception {
        try (AgentClient.Feed feed = subscribed("\"links\"", 25)) {
            feed.await(m -> m.get("type").asText().equals("links"), Duration.ofSeconds(5), "the link list");
            final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < end) {
                final JsonNode m = feed.messages.poll(50, TimeUnit.MILLISECONDS);
                assertTrue(m == null || m.get("type").asText().equals("links"), String.valueOf(m));
            }
        }
    }

    @Test
    void link_events_reach_subscribers() throws Exception {
        try (AgentClient.Feed feed = subscribed("\"events\"", 25)) {
            final int port = FreePorts.udp();
            final String id = api.post("/api/links", "{\"mode\": \"server\", \"options\": {\"backend\": \"builtin\","
                    + " \"bindport\": " + port + ", \"clientname\": \"feed-events\"}}").json().get("id").asText();
            final JsonNode started = feed.await(m -> m.get("type").asText().equals("event")
                    && m.get("kind").asText().equals("listening"), Duration.ofSeconds(5), "the listening event");
            assertEquals(id, started.get("link").asText());
            api.delete("/api/links/" + id);
            feed.await(m -> m.get("type").asText().equals("event") && m.get("kind").asText().equals("stopped")
                    && m.get("link").asText().equals(id), Duration.ofSeconds(5), "the stopped event");
        }
    }
}

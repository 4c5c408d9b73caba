package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jamwire.control.AgentMetrics;
import org.jamwire.engine.LinkCounter;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics}: the agent's token or its scrape token reads it, and the scrape token reads
 * nothing else; two links streaming to each other through the agent show their counters there,
 * labelled by link, peer and direction, with the values the API gives.
 */
class AgentMetricsTest {

    @TempDir
    static Path dir;
    private static AgentServer agent;
    private static AgentClient api;
    private static String scrapeToken;

    @BeforeAll
    static void start() throws Exception {
        agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("token"), "jamwire-none-"
                + ProcessHandle.current().pid()).withScrapeTokenFile(dir.resolve("scrape-token")));
        api = new AgentClient(agent.port(), agent.token().value());
        scrapeToken = Files.readString(dir.resolve("scrape-token")).trim();
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @Test
    void the_scrape_token_is_created_for_its_owner_only_and_reads_the_metrics_and_nothing_else() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("scrape-token"))));
        final AgentClient scraper = new AgentClient(agent.port(), scrapeToken);
        final AgentClient.Response page = scraper.get("/metrics");
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains("# TYPE jamwire_jack_xruns_total counter"), page.body());
        assertEquals(401, scraper.get("/api/links").status(), "the scrape token opens the API");
        assertEquals(200, api.get("/metrics").status(), "the agent's own token");
        final AgentClient.Response none = api.request("GET", "/metrics", null, List.of("Authorization: "));
        assertEquals(401, none.status(), none.body());
        assertTrue(none.body().contains("credentials_file"), "the refusal says how to give it: " + none.body());
        final AgentClient.Response wrong = new AgentClient(agent.port(), "f".repeat(64)).get("/metrics");
        assertEquals(401, wrong.status(), wrong.body());
    }

    @Test
    void every_link_counter_has_a_metric_of_its_own() {
        final Map<String, LinkCounter> names = new HashMap<>();
        for (LinkCounter c : LinkCounter.values()) {
            final String name = AgentMetrics.name("link", c);
            assertTrue(name.matches("jamwire_link_[a-z_]+") && !name.endsWith("_total"), name);
            assertEquals(null, names.put(name, c), "two counters named " + name);
        }
    }

    @Test
    void two_links_streaming_show_their_counters_by_link_peer_and_direction() throws Exception {
        final int serverPort = FreePorts.udp();
        final String server = api.post("/api/links", "{\"mode\": \"server\", \"options\": {\"backend\":"
                + " \"builtin\", \"bindport\": " + serverPort + ", \"clientname\": \"m-server\"}}").json().get("id")
                .asText();
        final int clientPort = FreePorts.udp();
        final String client = api.post("/api/links", "{\"mode\": \"client\", \"host\": \"127.0.0.1\", \"options\":"
                + " {\"backend\": \"builtin\", \"bindport\": " + clientPort + ", \"peerport\": " + serverPort
                + ", \"clientname\": \"m-client\"}}").json().get("id").asText();
        try {
            Deadlines.await(Duration.ofSeconds(10), () -> api.get("/api/links/" + server + "/counters").json()
                    .get("pkts_in").asLong() > 100, () -> "the server receiving");
            final String text = api.get("/metrics").body();
            final String serverPeer = "127.0.0.1:" + clientPort;
            final double received = value(text, "jamwire_link_packets_received_total", Map.of("link", server,
                    "peer", serverPeer, "direction", "receive"));
            final double sent = value(text, "jamwire_link_packets_sent_total", Map.of("link", client, "peer",
                    "127.0.0.1:" + serverPort, "direction", "send"));
            assertTrue(received > 100 && sent > 100, received + " received, " + sent + " sent:\n" + text);
            // Read after the page: counters only grow, so the API's are at least the page's.
            assertTrue(api.get("/api/links/" + server + "/counters").json().get("pkts_in").asLong() >= received);
            assertEquals(api.get("/api/links/" + server + "/counters").json().get("target_frames").asDouble(),
                    value(text, "jamwire_link_queue_target_frames", Map.of("link", server, "peer", serverPeer,
                            "direction", "receive")), text);
            assertTrue(text.contains("# TYPE jamwire_link_queue_level_frames gauge"), text);
            assertTrue(text.contains("# TYPE jamwire_link_packets_lost gauge"), "lost can go down again: " + text);
            assertEquals(1.0, value(text, "jamwire_link_info", Map.of("link", server, "mode", "server", "state",
                    "connected", "peer", serverPeer)), text);
            assertEquals(2.0, value(text, "jamwire_links", Map.of("state", "connected")), text);
            assertTrue(text.contains("jvm_memory_used_bytes"), "the JVM's own: " + text);
        } finally {
            api.delete("/api/links/" + client);
            api.delete("/api/links/" + server);
        }
    }

    /** The value of the one sample of {@code name} with exactly these labels. */
    private static double value(String text, String name, Map<String, String> labels) {
        final Pattern sample = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        final Matcher m = sample.matcher(text);
        Double found = null;
        while (m.find()) {
            final Map<String, String> got = new HashMap<>();
            for (String pair : m.group(1).split(",")) {
                final int eq = pair.indexOf('=');
                got.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
            }
            if (got.equals(labels)) {
                assertFalse(found != null, "two samples of " + name + " " + labels);
                found = Double.valueOf(m.group(2));
            }
        }
        assertTrue(found != null, "no sample of " + name + " " + labels + " in:\n" + text);
        return found;
    }

}

package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jamwire.netsim.Impairment;
import org.jamwire.netsim.Relay;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.FreePorts;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.PrometheusServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus scrapes two agents with the job in packaging/prometheus/jamwire.yml, as
 * written but for its targets and token file (one scrape token for both, as the job says). The
 * first agent runs a P2P server (built-in backend) and a hub server on a JACK server (dummy driver)
 * with a hub client of its own; the second runs the P2P client, whose packets reach the server
 * through a relay that drops 5 % of them. Prometheus stores every link's and the hub client's
 * counters under their labels, and a PromQL query for the server's lost packets answers what the
 * API says; a job with a wrong token is refused, every query of
 * packaging/grafana/jamwire-dashboard.json finds series, and promtool finds nothing to fix in the
 * exposition.
 */
@Tag("integration")
class PrometheusScrapeTest {

    @TempDir
    Path dir;

    @Test
    void prometheus_scrapes_two_agents_with_the_packaged_job_and_every_dashboard_query_finds_series()
            throws Exception {
        final Path scrapeToken = dir.resolve("agent/scrape-token");
        final Path otherScrapeToken = dir.resolve("other/scrape-token");
        final int serverPort = FreePorts.udp();
        try (JackServer jack = JackServer.start(48_000, 256, 2, 2);
             AgentServer agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("agent/token"),
                     jack.name()).withScrapeTokenFile(scrapeToken));
             Relay lossy = Relay.start(0, new InetSocketAddress("127.0.0.1", serverPort),
                     Impairment.none().withLoss(0.05).withSeed(5))) {
            // The lab's one scrape token, written where the second agent's config names it.
            Files.createDirectories(otherScrapeToken.getParent(), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Files.writeString(otherScrapeToken, Files.readString(scrapeToken));
            Files.setPosixFilePermissions(otherScrapeToken, PosixFilePermissions.fromString("rw-------"));
            try (AgentServer other = AgentServer.start(AgentSettings.defaults(0, dir.resolve("other/token"),
                    jack.name()).withScrapeTokenFile(otherScrapeToken))) {
                scrape(jack, agent, other, lossy, serverPort, scrapeToken);
            }
        }
    }

    private void scrape(JackServer jack, AgentServer agent, AgentServer other, Relay lossy, int serverPort,
            Path scrapeToken) throws Exception {
        final Path packaging = Path.of(System.getProperty("jamwire.packaging", "../packaging"));
        final AgentClient api = new AgentClient(agent.port(), agent.token().value());
        final AgentClient otherApi = new AgentClient(other.port(), other.token().value());
        {
            final String server = started(api, "{\"mode\": \"server\", \"options\": {\"backend\": \"builtin\","
                    + " \"bindport\": " + serverPort + ", \"clientname\": \"p-server\"}}");
            started(otherApi, "{\"mode\": \"client\", \"host\": \"127.0.0.1\", \"options\": {\"backend\":"
                    + " \"builtin\", \"bindport\": " + FreePorts.udp() + ", \"peerport\": " + lossy.localPort()
                    + ", \"clientname\": \"p-client\"}}");
            final int tcp = FreePorts.tcp();
            final String hub = started(api, "{\"mode\": \"hubserver\", \"options\": {\"bindport\": " + tcp
                    + ", \"udpbaseport\": " + FreePorts.udp() + "}}");
            started(api, "{\"mode\": \"hubclient\", \"host\": \"127.0.0.1\", \"options\": {\"backend\": \"builtin\","
                    + " \"peerport\": " + tcp + ", \"bindport\": " + FreePorts.udp() + ", \"clientname\": \"ensemble\","
                    + " \"remotename\": \"ensemble\"}}");

            // The packaged job as a user adapts it: this agent's address, and a copy of its scrape token.
            final Path credentials = Files.writeString(dir.resolve("prometheus-token"),
                    Files.readString(scrapeToken), StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
            final Path wrong = Files.writeString(dir.resolve("wrong-token"), "0".repeat(64) + "\n");
            final String job = Files.readString(packaging.resolve("prometheus/jamwire.yml"));
            assertTrue(job.contains("scrape_interval: 5s") && job.contains("studio-b.lab:8464"), job);
            final String config = job.replace("scrape_interval: 5s", "scrape_interval: 1s")
                    .replace("/etc/prometheus/jamwire-scrape-token", credentials.toString())
                    .replace("studio-a.lab:8464", "127.0.0.1:" + agent.port())
                    .replace("studio-b.lab:8464", "127.0.0.1:" + other.port())
                    + "  - job_name: wrong-token\n    scrape_interval: 1s\n    authorization:\n"
                    + "      credentials_file: " + wrong + "\n    static_configs:\n      - targets: ['127.0.0.1:"
                    + agent.port() + "']\n";
            try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"), config)) {
                // Three links receive: the P2P server and client, and the hub client (a link of its own).
                Deadlines.await(Duration.ofSeconds(30), () -> prometheus.query("up").size() == 3
                        && !prometheus.query("jamwire_hub_client_packets_received_total > 0").isEmpty()
                        && prometheus.query("rate(jamwire_link_packets_received_total[10s]) > 0").size() == 3,
                        () -> "three targets scraped, three links and the hub's client receiving: "
                                + prometheus.targets()
                                + "\nlinks: " + prometheus.query("jamwire_link_packets_received_total")
                                + "\nhub clients: " + prometheus.query("jamwire_hub_client_packets_received_total")
                                + "\nagent's links: " + api.get("/api/links").body());
                assertEquals(List.of("1", "1"), prometheus.query("up{job=\"jamwire\"}").stream()
                        .map(r -> r.path("value").get(1).asText()).toList(), prometheus.targets().toString());
                assertEquals("0", value(prometheus.query("up{job=\"wrong-token\"}")));
                final String refusal = prometheus.targets().stream().filter(t -> t.path("labels").path("job").asText()
                        .equals("wrong-token")).findFirst().orElseThrow().path("lastError").asText();
                assertTrue(refusal.contains("401"), refusal);

                // Link ids are each agent's own: the instance tells the agents apart.
                final String here = "instance=\"127.0.0.1:" + agent.port() + "\"";
                final List<JsonNode> received = prometheus.query("jamwire_link_packets_received_total{link=\""
                        + server + "\",direction=\"receive\"," + here + "}");
                assertEquals(1, received.size(), received.toString());
                assertTrue(received.get(0).path("metric").path("peer").asText().startsWith("127.0.0.1:"),
                        received.toString());
                final List<JsonNode> hubClients = prometheus.query("jamwire_hub_clients{link=\"" + hub + "\","
                        + here + "}");
                assertEquals("1", value(hubClients), hubClients.toString());
                final List<JsonNode> client = prometheus.query("jamwire_hub_client_packets_received_total");
                assertEquals("ensemble", client.get(0).path("metric").path("client").asText(), client.toString());
                assertEquals(jack.name(), prometheus.query("jamwire_jack_up == 1").get(0).path("metric")
                        .path("server").asText());

                // Every panel of the packaged dashboard shows something for this agent.
                final JsonNode dashboard = AgentClient.JSON.readTree(packaging.resolve("grafana/jamwire-dashboard.json")
                        .toFile());
                final List<String> empty = new ArrayList<>();
                int queries = 0;
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        final String expr = target.path("expr").asText().replace("$instance", ".*");
                        queries++;
                        if (prometheus.query(expr).isEmpty()) {
                            empty.add(panel.path("title").asText() + ": " + expr);
                        }
                    }
                }
                assertTrue(queries >= 10, queries + " queries");
                assertTrue(empty.isEmpty(), "dashboard queries without series: " + empty);

                // The relay stops: the server's count of lost packets stays where it is, and a
                // PromQL query for it answers what the agent's API gives.
                lossy.stop();
                final long[] lost = {-1};
                Deadlines.await(Duration.ofSeconds(15), () -> {
                    final long before = api.get("/api/links/" + server + "/counters").json().get("lost").asLong();
                    final List<JsonNode> stored = prometheus.query("jamwire_link_packets_lost{link=\"" + server + "\","
                            + here + "}");
                    final long after = api.get("/api/links/" + server + "/counters").json().get("lost").asLong();
                    lost[0] = after;
                    return before > 0 && before == after && stored.size() == 1
                            && Double.parseDouble(stored.get(0).path("value").get(1).asText()) == after;
                }, () -> "Prometheus' lost packets as the API's: " + prometheus.query("jamwire_link_packets_lost")
                        + " and " + api.get("/api/links/" + server + "/counters").body());
                System.out.println("lost packets through the relay, in Prometheus as in the API: " + lost[0]);
            }

            // promtool, from the same package, checks the exposition as Prometheus' own linter.
            final Path page = Files.writeString(dir.resolve("metrics.txt"), api.get("/metrics").body());
            final Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(page.toFile())
                    .redirectErrorStream(true).start();
            final String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, promtool.exitValue(), "promtool check metrics:\n" + verdict);
        }
    }

    private static String started(AgentClient api, String body) {
        final AgentClient.Response r = api.post("/api/links", body);
        assertEquals(201, r.status(), body + " -> " + r.body());
        return r.json().get("id").asText();
    }

    /** The value of the only series in a query's result. */
    private static String value(List<JsonNode> result) {
        assertEquals(1, result.size(), result.toString());
        return result.get(0).path("value").get(1).asText();
    }


}

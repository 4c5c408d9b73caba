package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.jamwire.testing.LabHosts;
import org.jamwire.testing.Program;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator provisions a lab host through its API: an agent started from the built jar on
 * this machine, and a peer in a network namespace reached over a real sshd. The namespace shares
 * this machine's filesystem, so the agent's provision.json puts the roles' files under a root of the
 * test's and leaves packages, accounts and services alone, as ProvisionTest does. A host whose key
 * is not trusted yet is refused before anything runs; once trusted, a run converges (its lines and
 * events arrive over the live feed, and say that the host has no firewall to open), a second
 * changes nothing, and the token written to the peer is
 * in no line and no event. Needs root and ansible-playbook; outside CI it is skipped without.
 */
@Tag("integration")
@Tag("concurrent")
class ProvisionFromAgentTest {

    private static final String PEER = "lab-prov";
    /** How long one provisioning may take: about a minute on an idle machine, several on a busy shared one. */
    private static final Duration PROVISION_LIMIT = Duration.ofMinutes(6);

    @TempDir
    Path dir;

    @Test
    void the_coordinator_provisions_a_trusted_lab_host_and_streams_the_run() throws Exception {
        final boolean ansible = Files.isExecutable(Path.of("/usr/bin/ansible-playbook"));
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(ansible, "ansible-playbook is not installed: run scripts/install-test-deps");
        }
        SshServer.assumeUsable();
        final Path root = Files.createDirectories(dir.resolve("root"));
        final Path agentDir = Files.createDirectories(dir.resolve("agent"));
        writeSettings(agentDir.resolve("provision.json"), root);
        final int port = SshServer.freePort();
        final long started = System.nanoTime();
        try (LabHosts lab = LabHosts.create(1);
             SshServer sshd = SshServer.start(dir.resolve("sshd"), lab.host(0).address(), lab.host(0).on(List.of()));
             Program agent = Program.jamwire("jamwire-no-jack-" + ProcessHandle.current().pid(), "agent", "--port",
                     Integer.toString(port), "--token-file", agentDir.resolve("token").toString())) {
            agent.awaitOutput("Open the web UI", Duration.ofSeconds(60));
            final String token = Files.readString(agentDir.resolve("token")).strip();
            final AgentClient api = new AgentClient(port, token);
            final String body = "{\"name\": \"" + PEER + "\", \"host\": \"" + sshd.address() + "\", \"port\": "
                    + sshd.port() + ", \"user\": \"" + System.getProperty("user.name") + "\", \"key\": \""
                    + sshd.userKey() + "\"}";
            assertEquals(201, api.post("/api/lab/peers", body).status());

            // Not trusted yet: refused, and nothing ran.
            final AgentClient.Response untrusted = api.post("/api/lab/peers/" + PEER + "/provision", "");
            assertEquals(409, untrusted.status(), untrusted.body());
            assertEquals("unknown_host_key", untrusted.json().get("error").asText(), untrusted.body());
            assertTrue(untrusted.json().get("message").asText().contains("trust it first"), untrusted.body());
            assertEquals(0, api.get("/api/lab/provisions").json().size(), "a job was started for an untrusted host");
            final AgentClient.Response trusted = api.post("/api/lab/peers/" + PEER + "/trust", "{\"fingerprint\": \""
                    + untrusted.json().get("fingerprint").asText() + "\"}");
            assertEquals(204, trusted.status(), trusted.body());

            final AgentClient.Response bad = api.post("/api/lab/peers/" + PEER + "/provision", "{\"check\": \"yes\"}");
            assertEquals(400, bad.status(), bad.body());
            assertEquals("check", bad.json().get("field").asText(), bad.body());
            final AgentClient.Response prefix = api.post("/api/lab/peers/" + PEER + "/provision",
                    "{\"root\": \"/tmp\"}");
            assertEquals(400, prefix.status(), "the browser may not choose where files go: " + prefix.body());

            try (AgentClient.Feed feed = api.feed(api.origin())) {
                feed.send("{\"type\": \"auth\", \"token\": \"" + token + "\"}");
                feed.send("{\"type\": \"subscribe\", \"topics\": [\"events\", \"provisions\"], \"rateHz\": 10}");
                feed.await(m -> "hello".equals(m.path("type").asText()), Duration.ofSeconds(5), "hello");

                final Run first = provision(api, feed, true);
                assertEquals("done", first.job.get("state").asText(), first.describe());
                assertEquals(0, first.job.get("exit").asInt(), first.describe());
                assertEquals(0, first.job.get("recap").get("failed").asInt(), first.describe());
                assertTrue(first.job.get("recap").get("changed").asInt() > 0, first.describe());
                assertTrue(first.lines.contains("TASK [jamwire_agent : Install the agent's jar]"), first.describe());
                // A host with neither nftables nor ufw: the run says so, and goes on.
                assertTrue(first.lines.stream().anyMatch(l -> l.contains("No firewall opened on ")), first.describe());
                assertTrue(first.lines.stream().anyMatch(l -> l.startsWith("PLAY RECAP")), first.describe());
                assertEquals(first.job.get("lines"), AgentClient.JSON.valueToTree(first.lines.subList(
                        first.lines.size() - first.job.get("lines").size(), first.lines.size())),
                        "the feed brought the lines the job keeps");
                assertTrue(first.job.get("tasksTotal").asInt() > 10, first.describe());
                assertTrue(first.job.get("tasksStarted").asInt() > first.job.get("tasksTotal").asInt() / 2
                        && first.job.get("tasksStarted").asInt() <= first.job.get("tasksTotal").asInt(),
                        "progress counts the listed tasks only, never past their total: " + first.describe());
                assertTrue(first.events.size() >= 2 && first.events.get(first.events.size() - 1).contains(": done"),
                        "a provision event at the start and the end: " + first.events);

                final Path tokenFile = root.resolve("var/lib/jamwire/token");
                final String peerToken = Files.readString(tokenFile).strip();
                assertTrue(peerToken.matches("[0-9a-f]{64}"), "the token written to the peer");
                assertTrue(Files.isRegularFile(root.resolve("opt/jamwire/jamwire.jar")), "the jar was installed");
                final JsonNode peer = api.get("/api/lab/peers").json().get(0);
                assertEquals(tokenFile.toString(), peer.get("agentToken").asText(), peer.toString());

                final Run second = provision(api, feed, false);
                assertEquals("done", second.job.get("state").asText(), second.describe());
                assertEquals(0, second.job.get("recap").get("changed").asInt(), second.describe());
                assertEquals(peerToken, Files.readString(tokenFile).strip(), "the peer's token was kept");

                for (Run run : List.of(first, second)) {
                    assertFalse(String.join("\n", run.lines).contains(peerToken), "the token is in a line");
                    assertFalse(run.events.toString().contains(peerToken), "the token is in an event");
                    assertFalse(run.job.toString().contains(peerToken), "the token is in the job");
                }
            }
            System.out.printf("ProvisionFromAgentTest: %.1f s%n", (System.nanoTime() - started) / 1e9);
        }
    }

    /** A run's job as the API shows it at the end, its lines and events as the feed brought them. */
    private record Run(JsonNode job, List<String> lines, List<String> events) {
        String describe() {
            final List<String> tail = lines.subList(Math.max(0, lines.size() - 40), lines.size());
            return job.path("state") + " exit " + job.path("exit") + " recap " + job.path("recap") + " error "
                    + job.path("error") + "\n" + String.join("\n", tail);
        }
    }

    /** Provisions the peer through the API and follows the job on the feed until it ends. */
    private static Run provision(AgentClient api, AgentClient.Feed feed, boolean tryTwice) throws Exception {
        final AgentClient.Response started = api.post("/api/lab/peers/" + PEER + "/provision", "{\"check\": false}");
        assertEquals(202, started.status(), started.body());
        final String id = started.json().get("id").asText();
        if (tryTwice) {
            final AgentClient.Response again = api.post("/api/lab/peers/" + PEER + "/provision", "");
            assertEquals(409, again.status(), "a second provisioning while one runs: " + again.body());
        }
        final TreeMap<Long, String> lines = new TreeMap<>();
        final List<String> events = new ArrayList<>();
        final boolean[] ended = new boolean[1];
        feed.await(m -> {
            if ("event".equals(m.path("type").asText()) && "provision".equals(m.path("kind").asText())
                    && m.path("message").asText().startsWith(id + ": ")) {
                events.add(m.path("message").asText());
            }
            if ("provision".equals(m.path("type").asText()) && id.equals(m.path("id").asText())) {
                long n = m.path("from").asLong();
                for (JsonNode l : m.path("lines")) {
                    lines.put(n++, l.asText());
                }
                ended[0] = !"running".equals(m.path("state").asText());
            }
            return ended[0] && events.size() >= 2;
        }, PROVISION_LIMIT, "the end of provisioning " + id + " on the feed (lines so far: " + lines.size() + ")");
        assertEquals(lines.size(), lines.lastKey() + 1, "the feed skipped lines");
        return new Run(api.get("/api/lab/provisions/" + id).json(), new ArrayList<>(lines.values()), events);
    }

    private static void writeSettings(Path file, Path root) throws Exception {
        final ObjectNode s = AgentClient.JSON.createObjectNode();
        for (String role : List.of("jack_realtime", "jamwire_agent", "jack_service", "lab_network")) {
            s.put(role + "_root", root.toString());
        }
        s.put("jack_realtime_install_packages", false);
        s.put("jack_realtime_manage_accounts", false);
        s.put("jamwire_agent_install_packages", false);
        s.put("jamwire_agent_manage_user", false);
        s.put("jamwire_agent_manage_service", false);
        s.put("jack_service_manage_service", false);
        s.put("jamwire_agent_user", "root");
        s.put("jamwire_agent_group", "root");
        s.put("jamwire_agent_port", SshServer.freePort());
        s.put("jacktrip_enabled", false);
        s.put("ansible_python_interpreter", "/usr/bin/python3");
        s.put("ansible_remote_tmp", Files.createDirectories(root.resolveSibling("remote-tmp")).toString());
        Files.writeString(file, AgentClient.JSON.writeValueAsString(s));
    }
}

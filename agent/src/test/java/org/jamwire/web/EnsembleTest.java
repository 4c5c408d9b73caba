package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.LabHosts;
import org.jamwire.testing.Program;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ensemble of four lab hosts, each a network namespace with its own sshd and JACK server: a hub
 * and two members with JamWire agents, and a member with only jacktrip. One API call starts it: the
 * coordinator on this machine connects to all four, starts the hub through its host's agent, then
 * each member (two through their agents, one as {@code jacktrip -C} in an ssh channel), and calls it
 * running once every member hears the hub. The hub patches the members as its mode 2 says, each
 * member's end runs on its own JACK server, and stop removes every end. (The test's JVM joins no
 * JACK server: libjack serves one server per process, and this test has four.)
 */
@Tag("integration")
class EnsembleTest {

    private static final int RATE = 48_000;
    private static final int PERIOD = 256;
    private static final int MEMBERS = 3;
    private static final String[] NAMES = {"lab-hub", "lab-a", "lab-b", "lab-c"};

    @TempDir
    Path dir;

    @Test
    void one_call_starts_a_hub_and_three_members_who_hear_each_other() throws Exception {
        final List<String> path = SshServer.jamwireOnPath(dir.resolve("bin"));
        final List<AutoCloseable> open = new ArrayList<>();
        try (LabHosts lab = LabHosts.create(4);
                AgentServer coordinator = AgentServer.start(AgentSettings.defaults(0, dir.resolve("coordinator/token"),
                        "jamwire-no-jack-" + ProcessHandle.current().pid()))) {
            try {
                run(lab, coordinator, path, open);
            } finally {
                for (int i = open.size() - 1; i >= 0; i--) {
                    open.get(i).close();
                }
            }
        }
    }

    private void run(LabHosts lab, AgentServer coordinator, List<String> path, List<AutoCloseable> open)
            throws Exception {
        final AgentClient api = new AgentClient(coordinator.port(), coordinator.token().value());
        final List<JackServer> jacks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            final JackServer jack = JackServer.start(RATE, PERIOD, 1, 1);
            open.add(jack);
            jacks.add(jack);
            // lab-c has jacktrip only: no jamwire on its PATH, and no agent.
            final SshServer sshd = SshServer.start(dir.resolve("sshd-" + i), lab.host(i).address(),
                    lab.host(i).on(List.of()), i == 3 ? List.of() : path);
            open.add(sshd);
            final Path token = dir.resolve("token-" + i);
            if (i < 3) {
                final Program agent = Program.launcher(jack.name(), lab.host(i).on(List.of()), "agent", "--port",
                        "8464", "--token-file", token.toString(), "--jack-server", jack.name());
                open.add(agent);
                agent.awaitOutput("Open the web UI", Duration.ofSeconds(60));
            }
            assertEquals(201, api.post("/api/lab/peers", "{\"name\": \"" + NAMES[i] + "\", \"host\": \""
                    + lab.host(i).address() + "\", \"port\": " + sshd.port() + ", \"user\": \""
                    + System.getProperty("user.name") + "\", \"key\": \"" + sshd.userKey() + "\", \"jackServer\":"
                    + " \"" + jack.name() + "\", \"agentToken\": \"" + token + "\"}").status());
            assertEquals(204, api.post("/api/lab/peers/" + NAMES[i] + "/trust", "{\"fingerprint\": \""
                    + sshd.hostFingerprint() + "\"}").status());
        }

        final String members = "[{\"peer\": \"lab-a\", \"channels\": 1, \"queue\": 4}, {\"peer\": \"lab-b\","
                + " \"channels\": 1, \"queue\": 4}, {\"peer\": \"lab-c\", \"channels\": 1, \"queue\": 4}]";
        final AgentClient.Response started = api.post("/api/lab/ensembles", "{\"name\": \"band\", \"hub\":"
                + " \"lab-hub\", \"patch\": 2, \"members\": " + members + "}");
        assertEquals(202, started.status(), started.body());
        final JsonNode[] run = new JsonNode[1];
        Deadlines.await(Duration.ofSeconds(120), () -> {
            run[0] = api.get("/api/lab/ensembles/band").json().get("run");
            return !"starting".equals(run[0].get("state").asText());
        }, () -> "the ensemble: " + run[0]);
        assertEquals("running", run[0].get("state").asText(), run[0].toString());
        final JsonNode started3 = run[0].get("members");
        assertEquals(List.of("agent", "agent", "jacktrip"), List.of(started3.get(0).get("program").asText(),
                started3.get(1).get("program").asText(), started3.get(2).get("program").asText()), run[0].toString());
        assertEquals(1, api.get("/api/lab/ensembles").json().size());

        // The hub's machine has a JACK client per member, named after it, patched as mode 2 says:
        // each member's send port is fed by every other member's receive port, and not by its own.
        final JackServer hub = jacks.get(0);
        for (int listener = 1; listener <= MEMBERS; listener++) {
            final String send = NAMES[listener] + ":send_1";
            final int l = listener;
            Deadlines.await(Duration.ofSeconds(20), () -> {
                final Set<String> feeding = hub.connections(send);
                for (int source = 1; source <= MEMBERS; source++) {
                    if ((source != l) != feeding.contains(NAMES[source] + ":receive_1")) {
                        return false;
                    }
                }
                return true;
            }, () -> "the hub's connections to " + send + ": " + hub.connections(send) + "; its ports: "
                    + hub.lsp());
        }
        // Every member's end runs on its own JACK server, and each hears the hub.
        for (int n = 1; n <= MEMBERS; n++) {
            awaitLinkPort(jacks.get(n), () -> "");
        }
        assertTrue(memberOutput(api, 2).contains("Received Connection from Peer"), memberOutput(api, 2));
        for (int n = 0; n < 2; n++) {
            final String link = run[0].get("members").get(n).get("link").asText();
            assertTrue(link.matches("l[0-9]+"), run[0].toString());
        }

        final JsonNode stopped = api.post("/api/lab/ensembles/band/stop", "").json();
        assertEquals("stopped", stopped.get("run").get("state").asText(), stopped.toString());
        // The hub's agent keeps its hub link: the job stops it, so its members' clients go too.
        Deadlines.await(Duration.ofSeconds(20), () -> jacks.stream().allMatch(j -> j.lsp().stream()
                .noneMatch(p -> p.endsWith(":send_1") && !p.startsWith("system:"))),
                () -> "every member's link, and the hub's clients, gone: " + jacks.stream().map(JackServer::lsp)
                        .toList());
        assertEquals(1, api.get("/api/lab/ensembles").json().size(), "the definition stays saved");
    }

    /** The JACK client of the member's hub client on {@code jack}: the one with a send port. */
    private static String awaitLinkPort(JackServer jack, Supplier<String> context) {
        final String[] found = new String[1];
        Deadlines.await(Duration.ofSeconds(20), () -> {
            for (String p : jack.lsp()) {
                if (p.endsWith(":send_1") && !p.startsWith("system:")) {
                    found[0] = p.substring(0, p.length() - ":send_1".length());
                    return true;
                }
            }
            return false;
        }, () -> "a hub client's ports on " + jack.name() + ": " + jack.lsp() + context.get());
        return found[0];
    }

    private static String memberOutput(AgentClient api, int member) {
        return api.get("/api/lab/ensembles/band").json().get("run").get("members").get(member).get("output").asText();
    }
}

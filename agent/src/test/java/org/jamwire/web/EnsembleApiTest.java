package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ensemble endpoints without any machine to reach: every field of a definition is checked and
 * named when wrong, a definition is saved and kept across agents, and a start that cannot reach
 * the hub's machine fails at that step with nothing left running.
 */
class EnsembleApiTest {

    private static final String MEMBERS = "[{\"peer\": \"lab-a\", \"channels\": 2, \"queue\": \"auto\"},"
            + " {\"peer\": \"lab-b\"}]";

    @TempDir
    Path dir;

    @Test
    void definitions_are_checked_saved_started_and_forgotten() throws Exception {
        try (AgentServer agent = start()) {
            final AgentClient api = new AgentClient(agent.port(), agent.token().value());
            // A port nothing listens on: the hub's machine cannot be reached.
            final int closed = FreePorts.tcp();
            Files.writeString(dir.resolve("key"), "not a key: never read, since ssh never connects");
            for (String name : new String[] {"lab-hub", "lab-a", "lab-b"}) {
                final AgentClient.Response added = api.post("/api/lab/peers", "{\"name\": \"" + name + "\", \"host\":"
                        + " \"127.0.0.1\", \"port\": " + closed + ", \"user\": \"nobody\", \"key\": \""
                        + dir.resolve("key") + "\"}");
                assertEquals(201, added.status(), added.body());
            }
            refused(api, "{\"name\": \"a b\", \"hub\": \"lab-hub\", \"members\": " + MEMBERS + "}", "name");
            refused(api, "{\"name\": \"band\", \"members\": " + MEMBERS + "}", "hub");
            refused(api, "{\"name\": \"band\", \"hub\": \"nowhere\", \"members\": " + MEMBERS + "}", "hub");
            refused(api, "{\"name\": \"band\", \"hub\": \"lab-hub\", \"patch\": 7, \"members\": " + MEMBERS + "}",
                    "patch");
            refused(api, "{\"name\": \"band\", \"hub\": \"lab-hub\", \"members\": {}}", "members");
            refused(api, "{\"name\": \"band\", \"hub\": \"lab-hub\", \"members\": [\"lab-a\"]}", "members[0]");
            refused(api, "{\"name\": \"band\", \"hub\": \"lab-hub\", \"members\": [{\"peer\": \"lab-a\", \"ch\": 2}]}",
                    "members[0].ch");
            refused(api, "{\"name\": \"band\", \"hub\": \"lab-hub\", \"members\": [{\"peer\": \"lab-c\"}]}",
                    "members[0].peer");
            refused(api, "{\"name\": \"band\", \"hub\": \"lab-hub\", \"members\": [{\"peer\": \"lab-hub\"}]}",
                    "members[0].peer");
            refused(api, "{\"name\": \"band\", \"hub\": \"lab-hub\", \"members\": [{\"peer\": \"lab-a\", \"channels\":"
                    + " 65}]}", "members[0].channels");
            refused(api, "{\"name\": \"band\", \"hub\": \"lab-hub\", \"members\": [{\"peer\": \"lab-a\", \"queue\":"
                    + " \"0\"}]}", "members[0].queue");
            refused(api, "{\"name\": \"band\", \"hub\": \"lab-hub\", \"members\": " + MEMBERS + ", \"start\": 1}",
                    "start");
            refused(api, "{\"name\": \"band\", \"hub\": \"lab-hub\", \"members\": " + MEMBERS + ", \"extra\": 1}",
                    "extra");
            assertEquals(0, api.get("/api/lab/ensembles").json().size(), "nothing refused was saved");

            final AgentClient.Response saved = api.post("/api/lab/ensembles", "{\"name\": \"band\", \"hub\":"
                    + " \"lab-hub\", \"members\": " + MEMBERS + ", \"start\": false}");
            assertEquals(201, saved.status(), saved.body());
            assertEquals(2, saved.json().get("patch").asInt(), "each member hears the others by default");
            assertEquals("4", saved.json().get("members").get(1).get("queue").asText(), saved.body());
            assertEquals(2, saved.json().get("members").get(1).get("channels").asInt(), saved.body());
            assertTrue(saved.json().get("run").isNull(), saved.body());
            assertTrue(Files.readString(dir.resolve("agent/ensembles.json")).contains("\"lab-a\""));
        }
        try (AgentServer agent = start()) {
            final AgentClient api = new AgentClient(agent.port(), agent.token().value());
            assertEquals("band", api.get("/api/lab/ensembles").json().get(0).get("name").asText(),
                    "the definition outlives its agent");
            final AgentClient.Response started = api.post("/api/lab/ensembles/band/start", "");
            assertEquals(202, started.status(), started.body());
            final JsonNode[] run = new JsonNode[1];
            Deadlines.await(Duration.ofSeconds(30), () -> {
                run[0] = api.get("/api/lab/ensembles/band").json().get("run");
                return !"starting".equals(run[0].get("state").asText());
            }, () -> "the run: " + run[0]);
            assertEquals("failed", run[0].get("state").asText(), run[0].toString());
            final JsonNode first = run[0].get("steps").get(0);
            assertEquals("connect to lab-hub", first.get("name").asText());
            assertEquals("FAILED", first.get("state").asText(), run[0].toString());
            assertEquals("PENDING", run[0].get("steps").get(1).get("state").asText(), run[0].toString());
            assertEquals(0, run[0].get("members").size(), "nothing started: " + run[0]);

            // A latency test needs a running ensemble and a member named in its body.
            final AgentClient.Response notRunning = api.post("/api/lab/ensembles/band/latency",
                    "{\"member\": \"lab-a\"}");
            assertEquals(409, notRunning.status(), notRunning.body());
            assertTrue(notRunning.body().contains("the ensemble band is failed: a latency test needs it running"),
                    notRunning.body());
            final AgentClient.Response noMember = api.post("/api/lab/ensembles/band/latency", "{\"peer\": \"x\"}");
            assertEquals(400, noMember.status(), noMember.body());
            assertEquals(404, api.post("/api/lab/ensembles/other/latency", "{\"member\": \"lab-a\"}").status());

            assertEquals(404, api.post("/api/lab/ensembles/other/start", "").status());
            assertEquals(404, api.post("/api/lab/ensembles/other/stop", "").status());
            assertEquals(404, api.get("/api/lab/ensembles/other").status());
            assertEquals(204, api.delete("/api/lab/ensembles/band").status());
            assertEquals(404, api.delete("/api/lab/ensembles/band").status());
            assertEquals(0, api.get("/api/lab/ensembles").json().size());
        }
    }

    private AgentServer start() throws Exception {
        return AgentServer.start(AgentSettings.defaults(0, dir.resolve("agent/token"), "jamwire-no-jack-"
                + ProcessHandle.current().pid()));
    }

    private static void refused(AgentClient api, String body, String field) {
        final AgentClient.Response r = api.post("/api/lab/ensembles", body);
        assertEquals(400, r.status(), body + " → " + r.body());
        assertEquals(field, r.json().get("field").asText(), body + " → " + r.body());
    }
}

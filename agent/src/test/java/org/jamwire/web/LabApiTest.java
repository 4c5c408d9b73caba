package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab endpoints against a real sshd and two real JACK servers: this agent's at 48 kHz and the
 * peer's at 44.1 kHz. A peer's unknown host key is shown and must be confirmed, a changed one is
 * refused, and the pre-flight catches the rate mismatch before anything starts.
 */
@Tag("integration")
class LabApiTest {

    @TempDir
    Path dir;

    @Test
    void adds_a_peer_confirms_its_key_probes_it_and_refuses_a_rate_mismatch() throws Exception {
        // The ssh sessions get a home of the test's own: no ~/jackd.env of this machine's makes the peer's
        // jackd look like the JACK service, and no ~/.bashrc (bash reads it for ssh commands) slows them.
        try (SshServer sshd = SshServer.start(dir.resolve("sshd"), "127.0.0.1", List.of(),
                List.of("SetEnv HOME=" + dir));
             JackServer here = JackServer.start(48_000, 256);
             JackServer there = JackServer.start(44_100, 256);
             AgentServer agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("agent/token"), here.name()))) {
            final AgentClient api = new AgentClient(agent.port(), agent.token().value());
            final String user = System.getProperty("user.name");

            final AgentClient.Response bad = api.post("/api/lab/peers", "{\"name\": \"b\", \"host\": \"127.0.0.1\","
                    + " \"user\": \"x; rm -rf /\", \"key\": \"" + sshd.userKey() + "\"}");
            assertEquals(400, bad.status(), bad.body());
            assertEquals("user", bad.json().get("field").asText());

            final AgentClient.Response added = api.post("/api/lab/peers", "{\"name\": \"studio-b\", \"host\": \"127.0.0.1\","
                    + " \"port\": " + sshd.port() + ", \"user\": \"" + user + "\", \"key\": \"" + sshd.userKey()
                    + "\", \"jackServer\": \"" + there.name() + "\"}");
            assertEquals(201, added.status(), added.body());
            assertTrue(Files.readString(dir.resolve("agent/peers.json")).contains("studio-b"));

            final AgentClient.Response unknown = api.post("/api/lab/peers/studio-b/probe", "");
            assertEquals(409, unknown.status(), unknown.body());
            assertEquals("unknown_host_key", unknown.json().get("error").asText());
            assertEquals(sshd.hostFingerprint(), unknown.json().get("fingerprint").asText());

            assertEquals(409, api.post("/api/lab/peers/studio-b/trust",
                    "{\"fingerprint\": \"SHA256:" + "A".repeat(43) + "\"}").status());
            assertEquals(400, api.post("/api/lab/peers/studio-b/trust", "{\"fingerprint\": \"yes\"}").status());
            assertEquals(204, api.post("/api/lab/peers/studio-b/trust",
                    "{\"fingerprint\": \"" + sshd.hostFingerprint() + "\"}").status());

            final AgentClient.Response probed = api.post("/api/lab/peers/studio-b/probe", "");
            assertEquals(200, probed.status(), probed.body());
            final JsonNode report = probed.json().get("report");
            assertEquals(44_100, report.get("sampleRate").asInt(), probed.body());
            assertEquals(256, report.get("bufferSize").asInt());
            assertTrue(report.get("jackService").isNull(), "no ~/jackd.env: a hand-started jackd");
            assertEquals("known", probed.json().get("hostKey").asText());

            final AgentClient.Response pre = api.post("/api/lab/preflight",
                    "{\"peer\": \"studio-b\", \"options\": {\"numchannels\": 2}}");
            assertEquals(200, pre.status(), pre.body());
            assertFalse(pre.json().get("ok").asBoolean());
            assertTrue(pre.json().get("fixes").get(0).asText().contains("48000 Hz"), pre.body());

            // "Make them match": the peer's JACK restarts at this machine's rate, and the pre-flight passes.
            try {
                final AgentClient.Response matched = api.post("/api/lab/peers/studio-b/match-jack", "");
                assertEquals(200, matched.status(), matched.body());
                assertEquals(48_000, matched.json().get("report").get("sampleRate").asInt(), matched.body());
                assertEquals("restarted jackd by its own command line at 48000 Hz, 256 frames (it was started by"
                        + " hand, not as the JACK service)", matched.json().get("restarted").asText());
                assertTrue(api.post("/api/lab/preflight", "{\"peer\": \"studio-b\", \"options\": {\"numchannels\": 2}}")
                        .json().get("ok").asBoolean());
            } finally {
                // The restarted jackd is not the fixture's own process.
                ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(there.name())
                        && p.info().commandLine().orElse("").contains("jackd")).forEach(ProcessHandle::destroy);
            }

            // The host's key changes (a reinstall, or someone in the middle): refused, and the record stays.
            final Path knownHosts = dir.resolve("agent/known_hosts");
            final String recorded = Files.readString(knownHosts);
            final String[] parts = recorded.trim().split(" ");
            Files.writeString(knownHosts, parts[0] + " " + parts[1] + " "
                    + "AAAAC3NzaC1lZDI1NTE5AAAAIB0xuN3HF2oJ8jWS0kOg7qAbJqmr7XvRYGjR3oP5Ir3N\n");
            final String tampered = Files.readString(knownHosts);
            final AgentClient.Response changed = api.post("/api/lab/peers/studio-b/probe", "");
            assertEquals(409, changed.status(), changed.body());
            assertEquals("changed_host_key", changed.json().get("error").asText());
            assertTrue(changed.json().get("message").asText().contains("CHANGED"));
            assertEquals(tampered, Files.readString(knownHosts));

            assertEquals(204, api.delete("/api/lab/peers/studio-b").status());
            assertEquals(404, api.post("/api/lab/peers/studio-b/probe", "").status());
        }
    }
}

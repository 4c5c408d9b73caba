package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jamwire.testing.FreePorts;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.LabHosts;
import org.jamwire.testing.PipeWireServer;
import org.jamwire.testing.Program;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab host (a network namespace with its own sshd) whose JACK programs run on PipeWire: a real
 * headless PipeWire daemon, which the host's ssh sessions reach through their runtime directory as
 * a systemd login's would. The coordinator, on jackd at 128 frames, probes it as PipeWire with its
 * graph's rate and quantum, its pre-flight names the quantum's mismatch and how PipeWire sets it,
 * and "make them match" forces the quantum in the graph's settings, restarting nothing. Then, with
 * the host's agent run through PipeWire's libjack (as {@code pw-jack} runs it), a pair between it
 * and this machine's jackd starts and streams both ways.
 */
@Tag("integration")
class PipeWirePeerTest {

    private static final int RATE = 48_000;

    @TempDir
    Path dir;

    @Test
    void a_pipewire_peer_is_probed_as_pipewire_made_to_match_and_then_streams_with_jackd() throws Exception {
        try (LabHosts lab = LabHosts.create(1);
             JackServer jack = JackServer.start(RATE, 128);
             PipeWireServer pw = PipeWireServer.start(RATE, 256)) {
            final String runtime = pw.env().get("XDG_RUNTIME_DIR");
            try (SshServer sshd = SshServer.start(dir.resolve("sshd"), lab.host(0).address(), lab.host(0).on(List.of()),
                    List.of("SetEnv XDG_RUNTIME_DIR=" + runtime + " PIPEWIRE_RUNTIME_DIR=" + runtime));
                 AgentServer coordinator = AgentServer.start(AgentSettings.defaults(FreePorts.tcp(),
                         dir.resolve("coordinator/token"), jack.name()))) {
                final AgentClient api = new AgentClient(coordinator.port(), coordinator.token().value());
                final Path token = dir.resolve("pw-host-token");
                assertEquals(201, api.post("/api/lab/peers", "{\"name\": \"pw-host\", \"host\": \""
                        + lab.host(0).address() + "\", \"port\": " + sshd.port() + ", \"user\": \""
                        + System.getProperty("user.name") + "\", \"key\": \"" + sshd.userKey() + "\", \"agentToken\":"
                        + " \"" + token + "\"}").status());
                assertEquals(204, api.post("/api/lab/peers/pw-host/trust", "{\"fingerprint\": \""
                        + sshd.hostFingerprint() + "\"}").status());

                final AgentClient.Response probed = api.post("/api/lab/peers/pw-host/probe", "{}");
                assertEquals(200, probed.status(), probed.body());
                final JsonNode report = probed.json().path("report");
                assertEquals(256, report.path("pipeWire").path("quantum").asInt(), report.toString());
                assertTrue(report.path("jackRunning").asBoolean(), report.toString());
                assertEquals(RATE, report.path("sampleRate").asInt(), report.toString());
                assertEquals(256, report.path("bufferSize").asInt(), report.toString());

                // The pre-flight against this machine's 128 frames names the fix the PipeWire way.
                final AgentClient.Response check = api.post("/api/lab/preflight", "{\"peer\": \"pw-host\"}");
                assertEquals(200, check.status(), check.body());
                assertFalse(check.json().path("ok").asBoolean(), check.body());
                assertTrue(check.body().contains("set pw-host's PipeWire graph to a quantum of 128 frames (pw-metadata -n"
                        + " settings 0 clock.force-quantum 128"), check.body());

                // Make them match: the graph's quantum is forced, and PipeWire keeps running.
                final AgentClient.Response matched = api.post("/api/lab/peers/pw-host/match-jack",
                        "{\"sampleRate\": 48000, \"bufferSize\": 128}");
                assertEquals(200, matched.status(), matched.body());
                assertTrue(matched.json().path("restarted").asText().startsWith("forced PipeWire's graph to 48000 Hz"
                        + " and a quantum of 128 frames"), matched.body());
                assertEquals(128, matched.json().path("report").path("bufferSize").asInt(), matched.body());
                assertEquals(128, pw.bufferSize(), "the graph's quantum as a JACK program there sees it");
                assertTrue(api.post("/api/lab/preflight", "{\"peer\": \"pw-host\"}").json().path("ok").asBoolean(),
                        "the pre-flight after matching");

                // The host's agent, on PipeWire's libjack, runs the pair's server end there.
                try (Program agent = Program.launcher("default", lab.host(0).on(pw.envPrefix()), "agent", "--port",
                        "8464", "--token-file", token.toString())) {
                    agent.awaitOutput("Open the web UI", Duration.ofSeconds(60));
                    final String id = api.post("/api/lab/pairs", "{\"peer\": \"pw-host\", \"client\": \"here\","
                            + " \"options\": {\"numchannels\": 2, \"nojackportsconnect\": true, \"queue\": 4}}")
                            .json().get("id").asText();
                    final JsonNode running = api.awaitPairEnd(id);
                    assertEquals("running", running.path("state").asText(), running + "\n" + agent.output());
                    assertEquals("agent", running.path("peerProgram").asText(), running.toString());
                    // Its JACK client is on the PipeWire graph, and audio arrived both ways.
                    assertTrue(pw.lsp().stream().anyMatch(p -> p.endsWith(":receive_2")), "the server end's ports on"
                            + " PipeWire: " + pw.lsp());
                    assertEquals("stopped", api.delete("/api/lab/pairs/" + id).json().path("state").asText());
                }
            }
        }
    }
}

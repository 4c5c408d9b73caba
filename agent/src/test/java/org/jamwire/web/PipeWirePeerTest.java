package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.jamwire.testing.FreePorts;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.LabHosts;
import org.jamwire.testing.PipeWireServer;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab host (a network namespace with its own sshd) whose JACK programs run on PipeWire: a real
 * headless PipeWire daemon, which the host's ssh sessions reach through their runtime directory as
 * a systemd login's would. The coordinator, on jackd at 128 frames, probes it as PipeWire with its
 * graph's rate and quantum, its pre-flight names the quantum's mismatch and how PipeWire sets it,
 * and "make them match" forces the quantum in the graph's settings, restarting nothing.
 */
@Tag("integration")
class PipeWirePeerTest {

    private static final int RATE = 48_000;

    @TempDir
    Path dir;

    @Test
    void a_pipewire_peer_is_probed_as_pipewire_and_its_quantum_made_to_match() throws Exception {
        try (LabHosts lab = LabHosts.create(1);
             JackServer jack = JackServer.start(RATE, 128);
             PipeWireServer pw = PipeWireServer.start(RATE, 256)) {
            final String runtime = pw.env().get("XDG_RUNTIME_DIR");
            try (SshServer sshd = SshServer.start(dir.resolve("sshd"), lab.host(0).address(), lab.host(0).on(List.of()),
                    List.of("SetEnv XDG_RUNTIME_DIR=" + runtime + " PIPEWIRE_RUNTIME_DIR=" + runtime));
                 AgentServer coordinator = AgentServer.start(AgentSettings.defaults(FreePorts.tcp(),
                         dir.resolve("coordinator/token"), jack.name()))) {
                final AgentClient api = new AgentClient(coordinator.port(), coordinator.token().value());
                assertEquals(201, api.post("/api/lab/peers", "{\"name\": \"pw-host\", \"host\": \""
                        + lab.host(0).address() + "\", \"port\": " + sshd.port() + ", \"user\": \""
                        + System.getProperty("user.name") + "\", \"key\": \"" + sshd.userKey() + "\"}").status());
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
            }
        }
    }
}

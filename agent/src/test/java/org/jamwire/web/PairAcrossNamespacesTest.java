package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.JackSignalClient;
import org.jamwire.testing.LabHost;
import org.jamwire.testing.SignalCheck;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator pairs this machine with a lab host in a network namespace, reached over a veth
 * link, a real sshd and a JACK server of its own: a test signal goes from here to the host, is
 * looped back there from the link's receive ports to its send ports, and comes back intact.
 */
@Tag("integration")
class PairAcrossNamespacesTest {

    private static final int RATE = 48_000;
    private static final int PERIOD = 256;
    private static final int CHANNELS = 2;
    private static final int RECORD_FRAMES = 4 * RATE;

    @TempDir
    Path dir;

    @Test
    void a_test_signal_goes_to_the_lab_host_and_back_intact() throws Exception {
        final Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("jamwire"), Path.of(System.getProperty("jamwire.launcher")).toAbsolutePath());
        try (LabHost host = LabHost.create();
             JackServer here = JackServer.start(RATE, PERIOD, CHANNELS, CHANNELS);
             JackServer there = JackServer.start(RATE, PERIOD, CHANNELS, CHANNELS);
             SshServer sshd = SshServer.start(dir.resolve("sshd"), host.address(), host.on(List.of()),
                     List.of("SetEnv PATH=" + bin + ":/usr/local/bin:/usr/bin:/bin"));
             AgentServer agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("agent/token"), here.name()))) {
            final AgentClient api = new AgentClient(agent.port(), agent.token().value());
            assertEquals(201, api.post("/api/lab/peers", "{\"name\": \"lab-b\", \"host\": \"" + host.address()
                    + "\", \"port\": " + sshd.port() + ", \"user\": \"" + System.getProperty("user.name") + "\", \"key\": \""
                    + sshd.userKey() + "\", \"jackServer\": \"" + there.name() + "\"}").status());
            final JsonNode unknown = api.post("/api/lab/peers/lab-b/probe", "").json();
            assertEquals("unknown_host_key", unknown.get("error").asText());
            assertEquals(204, api.post("/api/lab/peers/lab-b/trust", "{\"fingerprint\": \""
                    + unknown.get("fingerprint").asText() + "\"}").status());

            final JsonNode job = api.post("/api/lab/pairs", "{\"peer\": \"lab-b\", \"port\": 4464, \"options\": {"
                    + "\"numchannels\": " + CHANNELS + ", \"nojackportsconnect\": true, \"clientname\": \"pairnear\","
                    + " \"queue\": 4}}").json();
            final String id = job.get("id").asText();
            final JsonNode[] state = new JsonNode[1];
            Deadlines.await(Duration.ofSeconds(90), () -> {
                state[0] = api.get("/api/lab/pairs/" + id).json();
                return state[0].get("localLink").isTextual() || state[0].toString().contains("FAILED");
            }, () -> "the pair: " + state[0]);
            assertFalse(state[0].toString().contains("FAILED"), state[0].toString());

            // Loop the far end: what it receives, it sends back.
            JackServer.awaitPort(there.name(), "JackTrip:send_" + CHANNELS, Duration.ofSeconds(30));
            for (int c = 1; c <= CHANNELS; c++) {
                jackConnect(there.name(), "JackTrip:receive_" + c, "JackTrip:send_" + c);
            }
            try (JackSignalClient probe = JackSignalClient.open(here, "pairprobe", CHANNELS, CHANNELS, RECORD_FRAMES)) {
                for (int c = 1; c <= CHANNELS; c++) {
                    probe.connect(probe.output(c), "pairnear:send_" + c);
                    probe.connect("pairnear:receive_" + c, probe.input(c));
                }
                probe.awaitFrames(RECORD_FRAMES, Duration.ofSeconds(60));
                final String context = "xruns here=" + here.xruns() + " there=" + there.xruns() + "\npair: "
                        + api.get("/api/lab/pairs/" + id).body();
                for (int c = 1; c <= CHANNELS; c++) {
                    SignalCheck.of(probe.recording(c), 2 * RATE, c, PERIOD, 1.0 / 32768)
                            .assertStreaming("here → lab host → here, channel " + c, context);
                }
            }
            final JsonNode stopped = api.delete("/api/lab/pairs/" + id).json();
            assertFalse(stopped.get("serverRunning").asBoolean(), stopped.toString());
        }
    }

    private static void jackConnect(String server, String from, String to) throws Exception {
        final ProcessBuilder b = new ProcessBuilder("jack_connect", from, to).redirectErrorStream(true);
        b.environment().put("JACK_DEFAULT_SERVER", server);
        b.environment().put("JACK_NO_START_SERVER", "1");
        final Process p = b.start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "jack_connect " + from + " " + to + ": " + out);
    }
}

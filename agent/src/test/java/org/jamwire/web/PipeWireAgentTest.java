package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.FreePorts;
import org.jamwire.testing.PipeWireServer;
import org.jamwire.testing.Program;
import org.jamwire.testing.SignalProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on PipeWire's JACK (a real headless PipeWire daemon, its libjack as {@code pw-jack}
 * gives it): its JACK view says PipeWire, with the graph's rate, its quantum as the period, and its
 * ports, and follows a quantum the settings force; and a link that asks for another period than the
 * graph's says how PipeWire sets it.
 */
@Tag("integration")
class PipeWireAgentTest {

    private static final int RATE = 48_000;
    private static final int QUANTUM = 256;

    @TempDir
    Path dir;

    @Test
    void the_agent_shows_pipewire_with_its_rate_quantum_and_ports_and_follows_a_forced_quantum() throws Exception {
        final int port = FreePorts.tcp();
        try (PipeWireServer pw = PipeWireServer.start(RATE, QUANTUM);
             Program agent = Program.jamwire("default", pw.env(), "agent", "--port", Integer.toString(port),
                     "--token-file", dir.resolve("token").toString())) {
            agent.awaitOutput("Open the web UI", Duration.ofSeconds(60));
            final AgentClient api = new AgentClient(port, Files.readString(dir.resolve("token")).strip());
            final JsonNode[] jack = new JsonNode[1];
            Deadlines.await(Duration.ofSeconds(20), () -> {
                jack[0] = api.get("/api/jack").json();
                return "running".equals(jack[0].path("state").asText());
            }, () -> "the agent's JACK view: " + jack[0] + "\n" + agent.output());
            assertTrue(jack[0].path("audioServer").asText().matches("PipeWire [0-9.]+"), jack[0].toString());
            assertEquals(RATE, jack[0].path("sampleRate").asInt(), jack[0].toString());
            assertEquals(QUANTUM, jack[0].path("bufferSize").asInt(), jack[0].toString());

            // A JACK program on the graph: its ports are in the view.
            final Path file = dir.resolve("probe.f32");
            try (SignalProbe probe = SignalProbe.startOnLingering(pw.envPrefix(), System.getProperty("java.class.path"),
                    file, "default", "pwprobe", 1, 1, RATE, List.of())) {
                probe.awaitReady(Duration.ofSeconds(30));
                final String[] ports = new String[1];
                Deadlines.await(Duration.ofSeconds(20), () -> {
                    ports[0] = api.get("/api/jack/ports").body();
                    return ports[0].contains("\"pwprobe:out_1\"") && ports[0].contains("\"pwprobe:in_1\"");
                }, () -> "the probe's ports in the agent's view: " + ports[0]);

                // The settings force another quantum: the view follows.
                pw.setting("clock.force-quantum", "128");
                Deadlines.await(Duration.ofSeconds(20), () -> {
                    jack[0] = api.get("/api/jack").json();
                    return jack[0].path("bufferSize").asInt() == 128;
                }, () -> "the view after forcing a quantum of 128: " + jack[0]);
                probe.awaitRecorded(Duration.ofSeconds(30));
                probe.endPlaying();
            }
        }
    }

    @Test
    void a_link_that_needs_another_period_says_how_pipewire_sets_its_quantum() throws Exception {
        try (PipeWireServer pw = PipeWireServer.start(RATE, QUANTUM);
             Program link = Program.jamwire("default", pw.env(), "-s", "-z", "64", "-B", "24620")) {
            assertTrue(link.awaitExit(Duration.ofSeconds(60)), link.output());
            assertTrue(link.output().contains("-z 64 does not match jack's buffer size of " + QUANTUM + " frames: this"
                    + " JACK is PipeWire"), link.output());
            assertTrue(link.output().contains("pw-metadata -n settings 0 clock.force-quantum 64"), link.output());
        }
    }
}

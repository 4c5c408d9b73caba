package org.jamwire.pipewire;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.JackSignalClient;
import org.jamwire.testing.JacktripStats;
import org.jamwire.testing.PipeWireServer;
import org.jamwire.testing.Program;
import org.jamwire.testing.SignalProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JamWire on PipeWire's JACK: a real PipeWire daemon, headless, driven by its dummy driver (no
 * session manager, no device), its JACK programs run through PipeWire's libjack as {@code pw-jack}
 * runs them. A link between a PipeWire graph and a jackd server, and one between JamWire on one
 * PipeWire graph and jacktrip on another, each carry a signal both ways, judged sample by sample
 * against what was sent.
 */
@Tag("integration")
@Tag("quiet")
class PipeWireLinkTest {

    private static final int RATE = 48_000;
    private static final int PERIOD = 256;
    private static final int CHANNELS = 2;
    private static final int RECORD_FRAMES = 4 * RATE;
    private static final int JUDGE_FROM = 2 * RATE;

    @TempDir
    Path dir;

    @Test
    void a_link_between_a_pipewire_graph_and_a_jackd_server_carries_a_signal_both_ways() throws Exception {
        try (PipeWireServer pw = PipeWireServer.start(RATE, PERIOD);
             JackServer jack = JackServer.start(RATE, PERIOD, 2, 2);
             Program server = Program.jamwire("default", pw.env(), "-s", "-q", "4", "-B", "24600", "-P", "24600",
                     "-J", "pwend", "-D", "-I", "1");
             Program client = Program.jamwire(jack.name(), "-c", "127.0.0.1", "-q", "4", "-B", "24601", "-P",
                     "24600", "-J", "jackend", "-D", "--jack-server", jack.name())) {
            Deadlines.await(Duration.ofSeconds(30), () -> pw.lsp().contains("pwend:receive_" + CHANNELS),
                    () -> "the PipeWire end's ports: " + pw.lsp() + "\n" + server.output() + pw.output());
            Deadlines.await(Duration.ofSeconds(30), () -> jack.lsp().contains("jackend:receive_" + CHANNELS),
                    () -> "the jackd end's ports: " + jack.lsp() + "\n" + client.output());
            final long xrunsBefore = jack.xruns();
            try (SignalProbe onPipeWire = probe(pw, "pwprobe", "pwend");
                 JackSignalClient onJack = JackSignalClient.open(jack, "jackprobe", CHANNELS, CHANNELS,
                         RECORD_FRAMES)) {
                for (int c = 1; c <= CHANNELS; c++) {
                    onJack.connect(onJack.output(c), "jackend:send_" + c);
                    onJack.connect("jackend:receive_" + c, onJack.input(c));
                }
                onPipeWire.awaitReady(Duration.ofSeconds(30));
                onPipeWire.awaitRecorded(Duration.ofSeconds(60));
                onJack.awaitRecording(Duration.ofSeconds(30));
                onPipeWire.endPlaying();
                final float[][] atPipeWire = onPipeWire.recording(Duration.ofSeconds(30));
                // The probe on PipeWire counts the graph's xruns from its start: every one counts.
                final long xruns = jack.xruns() - xrunsBefore + onPipeWire.xrunsWhileRecording();
                System.out.println("PipeWire and jackd: " + xruns + " xruns and stalls while recording");
                final String context = xruns + " xruns on jackd and PipeWire\nPipeWire end:\n" + server.output()
                        + "\njackd end:\n" + client.output() + "\nprobe on PipeWire:\n" + onPipeWire.output();
                for (int c = 1; c <= CHANNELS; c++) {
                    AudioJudge.of(atPipeWire[c - 1], JUDGE_FROM, c, 16, PERIOD).assertAccounted(
                            "jackd → PipeWire channel " + c, xruns, AudioJudge.JAMWIRE_PER_XRUN, context);
                    AudioJudge.of(onJack.recording(c), JUDGE_FROM, c, 16, PERIOD).assertAccounted(
                            "PipeWire → jackd channel " + c, xruns, AudioJudge.JAMWIRE_PER_XRUN, context);
                }
            }
        }
    }

    @Test
    void jamwire_on_one_pipewire_graph_and_jacktrip_on_another_carry_a_signal_both_ways() throws Exception {
        try (PipeWireServer near = PipeWireServer.start(RATE, PERIOD);
             PipeWireServer far = PipeWireServer.start(RATE, PERIOD);
             // Queues of 8 periods (43 ms): jacktrip sends from a thread of its own, which a loaded
             // machine may wake late without any xrun or stall in either graph.
             Program jacktrip = Program.jacktrip("default", far.env(), "-s", "-q", "8", "-B", "24610", "-J",
                     "jacktrip", "-D", "-I", "1");
             Program jamwire = Program.jamwire("default", near.env(), "-c", "127.0.0.1", "-q", "8", "-B", "24611",
                     "-P", "24610", "-J", "jamwire", "-D", "-I", "1")) {
            Deadlines.await(Duration.ofSeconds(30), () -> far.lsp().contains("jacktrip:receive_" + CHANNELS),
                    () -> "jacktrip's ports: " + far.lsp() + "\n" + jacktrip.output() + far.output());
            Deadlines.await(Duration.ofSeconds(30), () -> near.lsp().contains("jamwire:receive_" + CHANNELS),
                    () -> "JamWire's ports: " + near.lsp() + "\n" + jamwire.output() + near.output());
            try (SignalProbe atJacktrip = probe(far, "farprobe", "jacktrip");
                 SignalProbe atJamwire = probe(near, "nearprobe", "jamwire")) {
                atJacktrip.awaitReady(Duration.ofSeconds(30));
                atJamwire.awaitReady(Duration.ofSeconds(30));
                final long eventsBefore = JacktripStats.receiveEvents(jacktrip.output());
                // Each plays on until both have recorded.
                atJacktrip.awaitRecorded(Duration.ofSeconds(60));
                atJamwire.awaitRecorded(Duration.ofSeconds(60));
                atJacktrip.endPlaying();
                atJamwire.endPlaying();
                final float[][] heardByJacktrip = atJacktrip.recording(Duration.ofSeconds(30));
                final float[][] heardByJamwire = atJamwire.recording(Duration.ofSeconds(30));
                JacktripStats.awaitNext(jacktrip);
                final long events = JacktripStats.receiveEvents(jacktrip.output()) - eventsBefore;
                final long xruns = atJacktrip.xrunsWhileRecording() + atJamwire.xrunsWhileRecording();
                System.out.println("two PipeWire graphs: " + xruns + " xruns and stalls while recording, " + events
                        + " events counted by jacktrip");
                final String context = events + " events counted by jacktrip, " + xruns + " xruns on the two PipeWire"
                        + " graphs\njacktrip:\n" + jacktrip.output()
                        + "\nJamWire:\n" + jamwire.output() + "\npipewire (jacktrip's):\n" + far.output()
                        + "\npipewire (JamWire's):\n" + near.output();
                for (int c = 1; c <= CHANNELS; c++) {
                    AudioJudge.of(heardByJacktrip[c - 1], JUDGE_FROM, c, 16, PERIOD).assertAccounted(
                            "JamWire → jacktrip channel " + c, xruns + events, AudioJudge.JACKTRIP_PER_XRUN, context);
                    AudioJudge.of(heardByJamwire[c - 1], JUDGE_FROM, c, 16, PERIOD).assertAccounted(
                            "jacktrip → JamWire channel " + c, xruns, AudioJudge.JAMWIRE_PER_XRUN, context);
                }
            }
        }
    }

    /**
     * A probe on {@code pw}'s graph (a process of its own, on PipeWire's libjack) that plays a signal
     * into the JACK client {@code end}'s send ports and records its receive ports.
     */
    private SignalProbe probe(PipeWireServer pw, String name, String end) throws Exception {
        final List<String> connections = new ArrayList<>();
        for (int c = 1; c <= CHANNELS; c++) {
            connections.add(name + ":out_" + c + ">" + end + ":send_" + c);
            connections.add(end + ":receive_" + c + ">" + name + ":in_" + c);
        }
        final Path file = Files.createTempFile(dir, name, ".f32");
        return SignalProbe.startOnLingering(pw.envPrefix(), System.getProperty("java.class.path"), file, "default",
                name, CHANNELS, CHANNELS, RECORD_FRAMES, connections);
    }
}

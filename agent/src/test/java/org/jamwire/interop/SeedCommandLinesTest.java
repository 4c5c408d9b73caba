package org.jamwire.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.JackSignalClient;
import org.jamwire.testing.LabHosts;
import org.jamwire.testing.Program;
import org.jamwire.testing.SignalProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The old manual's two command lines, verbatim, through the {@code ./jamwire} launcher, on two lab
 * hosts (network namespaces, so both ends bind port 4464 as on two machines) with JACK at 64
 * frames: they connect, stream 8 channels both ways, and Ctrl-C on one end stops both.
 */
@Tag("integration")
@Tag("quiet")
class SeedCommandLinesTest {

    private static final int RATE = 48_000;
    private static final int PERIOD = 64;
    private static final int RECORD_FRAMES = 4 * RATE;

    @Test
    void the_old_manuals_command_lines_connect_and_stream() throws Exception {
        try (LabHosts lab = LabHosts.create(2);
             JackServer jackA = JackServer.start(RATE, PERIOD, 8, 8);
             JackServer jackB = JackServer.start(RATE, PERIOD, 8, 8);
             Program server = Program.launcher(jackB.name(), lab.host(1).on(List.of()),
                     "-j", "-z", "64", "-b", "2", "-q", "2", "-a", "8", "-r")) {
            Deadlines.await(Duration.ofSeconds(60), () -> jackB.lsp().contains("JackTrip:receive_8"),
                    () -> "the server's ports: " + server.output());
            try (Program client = Program.launcher(jackA.name(), lab.host(0).on(List.of()),
                    "-j", "-z", "64", "-b", "2", "-q", "2", "-a", "8", "-t", lab.host(1).address())) {
                final String clientName = lab.host(1).address();
                Deadlines.await(Duration.ofSeconds(60), () -> jackA.lsp().contains(clientName + ":receive_8"),
                        () -> "the client's ports: " + client.output());
                Deadlines.await(Duration.ofSeconds(20),
                        () -> jackA.connections(clientName + ":send_8").contains("system:capture_8"),
                        () -> "the client's ports connected to the system's: " + jackA.lsp("-c"));
                final List<String> farConnections = new ArrayList<>();
                for (int c = 1; c <= 8; c++) {
                    farConnections.add("seedprobe:out_" + c + ">JackTrip:send_" + c);
                    farConnections.add("JackTrip:receive_" + c + ">seedprobe:in_" + c);
                }
                try (SignalProbe farProbe = SignalProbe.start(jackB.name(), "seedprobe", 8, 8, RECORD_FRAMES,
                            farConnections);
                     JackSignalClient nearProbe = JackSignalClient.open(jackA, "seedprobe", 8, 8, RECORD_FRAMES)) {
                    for (int c = 1; c <= 8; c++) {
                        nearProbe.connect(nearProbe.output(c), clientName + ":send_" + c);
                        nearProbe.connect(clientName + ":receive_" + c, nearProbe.input(c));
                    }
                    farProbe.awaitReady(Duration.ofSeconds(30));
                    final long xrunsBefore = jackA.xruns() + jackB.xruns();
                    final float[][] atServer = farProbe.recording(Duration.ofSeconds(60));
                    nearProbe.awaitRecording(Duration.ofSeconds(30));
                    final String context = "xruns A=" + jackA.xruns() + " B=" + jackB.xruns() + "\nserver:\n"
                            + server.output() + "\nclient:\n" + client.output();
                    // Sample-exact with the defaults, but for what the xruns counted while recording cost.
                    final long xruns = jackA.xruns() + jackB.xruns() - xrunsBefore;
                    for (int c = 1; c <= 8; c++) {
                        AudioJudge.of(atServer[c - 1], 2 * RATE, c, 16, PERIOD).assertAccounted(
                                "client → server channel " + c, xruns, AudioJudge.JAMWIRE_PER_XRUN, context);
                        AudioJudge.of(nearProbe.recording(c), 2 * RATE, c, 16, PERIOD).assertAccounted(
                                "server → client channel " + c, xruns, AudioJudge.JAMWIRE_PER_XRUN, context);
                    }
                }
                client.interrupt();
                assertTrue(client.awaitExit(Duration.ofSeconds(10)), "client did not stop: " + client.output());
                assertEquals(130, client.exitValue(), client.output());
                assertTrue(server.awaitExit(Duration.ofSeconds(10)), "server did not stop: " + server.output());
                assertEquals(0, server.exitValue(), server.output());
                assertTrue(server.output().contains("the peer stopped the link"), server.output());
            }
        }
    }
}

package org.jamwire.hub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.JackSignalClient;
import org.jamwire.testing.Program;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.SignalProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code jamwire -C} against a real {@code jacktrip -S} (1.7): the TCP handshake gets a worker port,
 * and a distinct test signal crosses each way intact. The hub and its probe run on JACK server B,
 * the JamWire client on server A with a probe in this JVM (libjack serves one server per process).
 */
@Tag("integration")
class HubClientInteropTest {

    private static final int RATE = 48_000;
    // 256 frames: two servers, two ends and two probes on 2 cores xrun often at 128.
    private static final int PERIOD = 256;
    static final int RECORD_FRAMES = 4 * RATE;
    private static final int JUDGE_FROM = 2 * RATE;
    private static final int TCP_PORT = 25_464;
    private static final int UDP_BASE = 25_470;
    private static final int CLIENT_UDP = 25_466;

    @Test
    void jamwire_hub_client_streams_both_ways_through_a_jacktrip_hub() throws Exception {
        try (JackServer a = JackServer.start(RATE, PERIOD, 2, 2);
             JackServer b = JackServer.start(RATE, PERIOD, 2, 2);
             Program hub = Program.jacktrip(b.name(), "-S", "-B", Integer.toString(TCP_PORT), "-U",
                     Integer.toString(UDP_BASE), "-p", "5", "-n", "2", "-q", "4");
             Program client = Program.jamwire(a.name(), "-C", "127.0.0.1", "-P", Integer.toString(TCP_PORT),
                     "-B", Integer.toString(CLIENT_UDP), "-K", "jamwire1", "-J", "near", "-D", "-n", "2",
                     "-q", "4")) {
            final String context = "hub:\n" + hub.output() + "\nclient:\n" + client.output();
            client.awaitOutput("gave UDP port " + UDP_BASE + " to 'jamwire1'", Duration.ofSeconds(20));
            // The worker's JACK client appears once the first datagram has come, named by -K.
            assertBothWays(a, b, "jamwire1", () -> hub.output() + "\n" + client.output(), client::output, context,
                    AudioJudge.JACKTRIP_PER_XRUN);
        }
    }

    /**
     * Signals both ways through a hub link: the hub's probe on server {@code b} plays signals 3 and
     * 4 to the worker {@code worker}, the client's probe on server {@code a} plays 1 and 2 to the
     * client's ports {@code near}; each end must receive the other's exactly, but for what the xruns
     * counted while recording cost (see {@link AudioJudge}). The hub is JamWire or jacktrip; the
     * client is JamWire.
     *
     * @param hubPerXrun periods of the signal the hub's receiver may lose for each xrun
     */
    static void assertBothWays(JackServer a, JackServer b, String worker, Supplier<String> portsContext,
            Supplier<String> clientOutput, String context, int hubPerXrun) throws Exception {
        Deadlines.await(Duration.ofSeconds(20), () -> b.lsp().contains(worker + ":receive_2"),
                () -> "the worker's ports on " + b + ": " + b.lsp() + "\n" + portsContext.get());
        Deadlines.await(Duration.ofSeconds(20), () -> a.lsp().contains("near:receive_2"),
                () -> "the client's ports on " + a + ": " + a.lsp() + "\n" + clientOutput.get());
        final List<String> hubConnections = new ArrayList<>(List.of(
                "hubprobe:out_3>" + worker + ":send_1", "hubprobe:out_4>" + worker + ":send_2",
                worker + ":receive_1>hubprobe:in_1", worker + ":receive_2>hubprobe:in_2"));
        try (SignalProbe hubProbe = SignalProbe.start(b.name(), "hubprobe", 4, 2, RECORD_FRAMES, hubConnections);
             JackSignalClient nearProbe = JackSignalClient.open(a, "nearprobe", 2, 2, RECORD_FRAMES)) {
            nearProbe.connect(nearProbe.output(1), "near:send_1");
            nearProbe.connect(nearProbe.output(2), "near:send_2");
            nearProbe.connect("near:receive_1", nearProbe.input(1));
            nearProbe.connect("near:receive_2", nearProbe.input(2));
            hubProbe.awaitReady(Duration.ofSeconds(30));
            final long xrunsBefore = a.xruns() + b.xruns();
            final float[][] atHub = hubProbe.recording(Duration.ofSeconds(60));
            nearProbe.awaitRecording(Duration.ofSeconds(30));
            final long xruns = a.xruns() + b.xruns() - xrunsBefore;
            for (int c = 1; c <= 2; c++) {
                AudioJudge.of(atHub[c - 1], JUDGE_FROM, c, 16, PERIOD)
                        .assertAccounted("client → hub channel " + c, xruns, hubPerXrun, context);
                AudioJudge.of(nearProbe.recording(c), JUDGE_FROM, c + 2, 16, PERIOD)
                        .assertAccounted("hub → client channel " + c, xruns, AudioJudge.JAMWIRE_PER_XRUN, context);
            }
        }
    }
}

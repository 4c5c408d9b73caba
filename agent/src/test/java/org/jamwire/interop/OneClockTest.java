package org.jamwire.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jamwire.engine.LinkCounter;
import org.jamwire.jack.JackBackend;
import org.jamwire.link.Link;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.Role;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.JackSignalClient;
import org.jamwire.testing.Program;
import org.jamwire.testing.QuietMachine;
import org.jamwire.testing.SignalProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two JACK servers (dummy driver) at the same rate share this machine's clock: there is no drift
 * between them, only xruns and scheduling noise. A JamWire link between them with every option at
 * its default (prediction, drift correction on) must play every sample as sent, both ways, but
 * for the periods a counted xrun cost, and must never correct for drift. The old manual's settings
 * (64 frames, queue 2, redundancy 2, 8 channels) and 128 frames with queue 4, 2 and 8 channels.
 * The near end runs in this JVM, the far end is JamWire's jar on the other server.
 */
@Tag("integration")
@Tag("quiet")
class OneClockTest {

    private static final int RATE = 48_000;
    private static final int SECONDS = 12;
    private static final int WARM_UP = 2;
    private static final Pattern DRIFT_FIX = Pattern.compile("drift_fix=([0-9]+)");

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(64, 2, 2, 8), Arguments.of(128, 4, 1, 2), Arguments.of(128, 4, 1, 8));
    }

    @ParameterizedTest(name = "{0} frames, queue {1}, redundancy {2}, {3} channels")
    @MethodSource("cases")
    void plays_every_sample_as_sent_and_never_corrects_drift(int period, int queue, int redundancy, int channels)
            throws Exception {
        final int port = 26_464 + 10 * period + channels;
        final int frames = (WARM_UP + SECONDS) * RATE;
        try (JackServer a = JackServer.start(RATE, period, 2, 2);
             JackServer b = JackServer.start(RATE, period, 2, 2)) {
            final LinkConfig near = LinkConfig.builder(Role.SERVER, null).channels(channels).queue(queue)
                    .redundancy(redundancy).bindPort(port).clientName("near").autoConnect(false)
                    .jackServerName(a.name()).build();
            try (Link link = Link.start(near, new JackBackend(a.name()), e -> { });
                 Program far = Program.jamwire(b.name(), "-c", "127.0.0.1", "-n", Integer.toString(channels),
                         "-q", Integer.toString(queue), "--redundancy", Integer.toString(redundancy), "-B",
                         Integer.toString(port + 1), "-P", Integer.toString(port), "-J", "far", "-D", "-I", "1",
                         "--jack-server", b.name())) {
                Deadlines.await(Duration.ofSeconds(30), () -> b.lsp().contains("far:receive_" + channels),
                        () -> "the far end's ports: " + far.output());
                final List<String> farConnections = new ArrayList<>();
                for (int c = 1; c <= channels; c++) {
                    farConnections.add("farprobe:out_" + c + ">far:send_" + c);
                    farConnections.add("far:receive_" + c + ">farprobe:in_" + c);
                }
                QuietMachine.await();
                try (SignalProbe farProbe = SignalProbe.start(b.name(), "farprobe", channels, channels, frames,
                            farConnections);
                     JackSignalClient nearProbe = JackSignalClient.open(a, "nearprobe", channels, channels, frames)) {
                    for (int c = 1; c <= channels; c++) {
                        nearProbe.connect(nearProbe.output(c), "near:send_" + c);
                        nearProbe.connect("near:receive_" + c, nearProbe.input(c));
                    }
                    farProbe.awaitReady(Duration.ofSeconds(30));
                    final long xrunsBefore = a.xruns() + b.xruns();
                    final float[][] atFar = farProbe.recording(Duration.ofSeconds(SECONDS + 40));
                    nearProbe.awaitRecording(Duration.ofSeconds(30));
                    final long xruns = a.xruns() + b.xruns() - xrunsBefore;
                    final String context = "xruns here " + a.xruns() + ", there " + b.xruns() + "\nnear: "
                            + link.stats().statLine() + "\nfar:\n" + far.output();
                    for (int c = 1; c <= channels; c++) {
                        AudioJudge.of(atFar[c - 1], WARM_UP * RATE, c, 16, period).assertAccounted(
                                "near → far channel " + c, xruns, AudioJudge.JAMWIRE_PER_XRUN, context);
                        AudioJudge.of(nearProbe.recording(c), WARM_UP * RATE, c, 16, period).assertAccounted(
                                "far → near channel " + c, xruns, AudioJudge.JAMWIRE_PER_XRUN, context);
                    }
                    assertEquals(0, link.stats().get(LinkCounter.DRIFT_CORRECTIONS), "near end: " + context);
                    assertEquals(0, link.stats().get(LinkCounter.DRIFT_PPM), "near end: " + context);
                    final Matcher m = DRIFT_FIX.matcher(far.output());
                    long farFixes = -1;
                    while (m.find()) {
                        farFixes = Long.parseLong(m.group(1));
                    }
                    assertEquals(0, farFixes, "far end's last statistics line: " + context);
                }
            }
        }
    }
}

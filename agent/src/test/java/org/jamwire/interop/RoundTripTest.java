package org.jamwire.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jamwire.engine.LinkCounter;
import org.jamwire.link.Link;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.Role;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.JackSignalClient;
import org.jamwire.testing.JacktripStats;
import org.jamwire.testing.Program;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.SignalProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A known signal crosses a link between two JACK servers (dummy driver) in both directions at once
 * and arrives on the right channels within the format's resolution. The near end runs in this JVM
 * on server A; the far end (JamWire's jar or a real jacktrip 1.7) runs as a process on server B,
 * where a probe process plays and records (libjack serves one server per process).
 */
@Tag("integration")
class RoundTripTest {

    private static final int RATE = 48_000;
    // 256 frames: at 128, two servers, two ends and two probes on 2 cores xrun several times a second.
    private static final int PERIOD = 256;
    private static final int RECORD_FRAMES = 3 * RATE;
    private static final int JUDGE_FROM = 2 * RATE;
    private static final AtomicInteger PORTS = new AtomicInteger(24_464);

    private static JackServer a;
    private static JackServer b;

    /** Which program runs at each end. */
    enum Pairing {
        JAMWIRE_SERVER_JAMWIRE_CLIENT, JAMWIRE_SERVER_JACKTRIP_CLIENT, JACKTRIP_SERVER_JAMWIRE_CLIENT
    }

    @BeforeAll
    static void startServers() {
        a = JackServer.start(RATE, PERIOD, 2, 2);
        b = JackServer.start(RATE, PERIOD, 2, 2);
    }

    @AfterAll
    static void stopServers() {
        a.close();
        b.close();
    }

    static Stream<Arguments> cases() {
        final List<Arguments> cases = new ArrayList<>();
        for (Pairing p : Pairing.values()) {
            // Every depth, each with another channel layout: one channel out and two back, three out
            // and one back (each end's channels mapped in both directions), and 8 each way at 16 bits
            // with three copies per datagram.
            cases.add(Arguments.of(p, 2, 2, 16, 1));
            cases.add(Arguments.of(p, 1, 2, 8, 1));
            cases.add(Arguments.of(p, 3, 1, 24, 1));
            cases.add(Arguments.of(p, 8, 8, 16, 3));
        }
        cases.add(Arguments.of(Pairing.JAMWIRE_SERVER_JAMWIRE_CLIENT, 2, 2, 32, 1));
        cases.add(Arguments.of(Pairing.JAMWIRE_SERVER_JAMWIRE_CLIENT, 8, 8, 32, 2));
        return cases.stream();
    }

    /**
     * @param nearSends channels the near end sends (and the far end receives)
     * @param nearReceives channels the near end receives (and the far end sends)
     * @param redundancy packets per datagram, both ends
     */
    @ParameterizedTest(name = "{0}: near sends {1}, receives {2}, {3}-bit, redundancy {4}")
    @MethodSource("cases")
    void signal_arrives_on_the_right_channels_within_resolution(Pairing pairing, int nearSends, int nearReceives,
            int bits, int redundancy) throws Exception {
        final int serverPort = PORTS.getAndAdd(2);
        final int clientPort = serverPort + 1;
        final boolean nearIsServer = pairing != Pairing.JACKTRIP_SERVER_JAMWIRE_CLIENT;
        // JamWire's ends run with the defaults (concealment by prediction, drift correction on): on
        // one clock they must play every sample as sent.
        final LinkConfig near = LinkConfig.builder(nearIsServer ? Role.SERVER : Role.CLIENT, nearIsServer ? null : "127.0.0.1")
                .sendChannels(nearSends).receiveChannels(nearReceives).bitResolution(bits).queue(4)
                .redundancy(redundancy)
                .bindPort(nearIsServer ? serverPort : clientPort).peerPort(serverPort).clientName("near")
                .autoConnect(false).jackServerName(a.name()).build();
        final List<String> farArgs = new ArrayList<>(List.of(nearIsServer ? "-c" : "-s"));
        if (nearIsServer) {
            farArgs.add("127.0.0.1");
        }
        farArgs.addAll(List.of("--sendchannels", Integer.toString(nearReceives), "--receivechannels",
                Integer.toString(nearSends), "-q", "4", "-B", Integer.toString(nearIsServer ? clientPort : serverPort),
                "-P", Integer.toString(serverPort), "-J", "far", "-D"));
        final boolean farIsJacktrip = pairing != Pairing.JAMWIRE_SERVER_JAMWIRE_CLIENT;
        if (farIsJacktrip) {
            // -I 1: its statistics say when its jitter buffer played silence or dropped audio.
            farArgs.addAll(List.of("-b", Integer.toString(bits), "-r", Integer.toString(redundancy), "-I", "1"));
        } else {
            farArgs.addAll(List.of("--bitres", Integer.toString(bits), "--redundancy", Integer.toString(redundancy),
                    "--jack-server", b.name()));
        }

        Link link = null;
        Program far = null;
        try {
            if (nearIsServer) {
                link = Link.start(near, new org.jamwire.jack.JackBackend(a.name()), e -> { });
            }
            far = farIsJacktrip ? Program.jacktrip(b.name(), farArgs.toArray(String[]::new))
                    : Program.jamwire(b.name(), farArgs.toArray(String[]::new));
            if (!nearIsServer) {
                final Program started = far;
                Deadlines.await(Duration.ofSeconds(20), () -> b.lsp().contains("far:receive_1"),
                        () -> "the far end's ports on " + b + ":\n" + started.output());
                link = Link.start(near, new org.jamwire.jack.JackBackend(a.name()), e -> { });
            }
            // Names unique to the case: a probe of an earlier case may linger on the server for a moment.
            final String probe = "probe" + serverPort;
            final List<String> farConnections = new ArrayList<>();
            for (int c = 1; c <= nearReceives; c++) {
                farConnections.add(probe + ":out_" + c + ">far:send_" + c);
            }
            for (int c = 1; c <= nearSends; c++) {
                farConnections.add("far:receive_" + c + ">" + probe + ":in_" + c);
            }
            // Xruns from here on excuse a lost period: an xrun can leave a surplus in the receiving
            // end's queue, which is skipped once it has lasted 1 s of periods, so an xrun while the
            // probes start (more than 2 s before the judged audio) is counted too.
            final long xrunsBefore = a.xruns() + b.xruns();
            try (SignalProbe farProbe = SignalProbe.start(b.name(), probe, nearReceives, nearSends, RECORD_FRAMES,
                        farConnections);
                 JackSignalClient nearProbe = JackSignalClient.open(a, probe, nearSends, nearReceives, RECORD_FRAMES)) {
                for (int c = 1; c <= nearSends; c++) {
                    nearProbe.connect(nearProbe.output(c), "near:send_" + c);
                }
                for (int c = 1; c <= nearReceives; c++) {
                    nearProbe.connect("near:receive_" + c, nearProbe.input(c));
                }
                farProbe.awaitReady(Duration.ofSeconds(30));
                final long farEventsBefore = JacktripStats.receiveEvents(far.output());
                final float[][] farRecording = farProbe.recording(Duration.ofSeconds(60));
                nearProbe.awaitRecording(Duration.ofSeconds(30));
                final long xruns = a.xruns() + b.xruns() - xrunsBefore;
                if (System.getProperty("roundtrip.dump") != null) {
                    try (java.io.DataOutputStream o = new java.io.DataOutputStream(new java.io.FileOutputStream(
                            System.getProperty("roundtrip.dump") + "-" + pairing + "-" + bits + ".f32"))) {
                        for (float v : farRecording[0]) {
                            o.writeFloat(v);
                        }
                    }
                }
                assertEquals(0, link.stats().get(LinkCounter.DROPPED_MALFORMED), link.stats().statLine());
                final String context = pairing + " " + nearSends + "/" + nearReceives + " " + bits + "-bit, redundancy "
                        + redundancy + "; near: " + link.stats().statLine() + "; xruns A="
                        + a.xruns() + " B=" + b.xruns() + "; far output:\n" + far.output();
                final int farPerXrun = farIsJacktrip ? AudioJudge.JACKTRIP_PER_XRUN : AudioJudge.JAMWIRE_PER_XRUN;
                // What jacktrip's own jitter buffer counted while recording (a burst its receiving
                // thread read late overfills it without any xrun) excuses what it played, as xruns
                // do.
                if (farIsJacktrip) {
                    JacktripStats.awaitNext(far);
                }
                final long farEvents = farIsJacktrip ? JacktripStats.receiveEvents(far.output()) - farEventsBefore : 0;
                for (int c = 1; c <= nearSends; c++) {
                    AudioJudge.of(farRecording[c - 1], JUDGE_FROM, c, bits, PERIOD)
                            .assertAccounted("near → far channel " + c, xruns + farEvents, farPerXrun, context);
                }
                for (int c = 1; c <= nearReceives; c++) {
                    AudioJudge.of(nearProbe.recording(c), JUDGE_FROM, c, bits, PERIOD)
                            .assertAccounted("far → near channel " + c, xruns, AudioJudge.JAMWIRE_PER_XRUN, context);
                }
            }
        } finally {
            if (link != null) {
                link.stop();
            }
            if (far != null) {
                far.close();
            }
        }
    }
}

package org.jamwire.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.jamwire.engine.LinkCounter;
import org.jamwire.engine.ReceiveQueue;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.SignalBackend;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A link on a clean loopback network, both ways for 20 s after warm-up: nothing may be lost,
 * late, duplicated or dropped, and nothing concealed, under- or overrun but for what a counted
 * xrun of an audio clock explains; and every sample played at each end is the other end's signal,
 * judged by {@link AudioJudge}. Both ends run on the built-in backend, whose clock threads (like
 * the network threads) run under SCHED_FIFO where allowed.
 */
@Tag("integration")
@Tag("quiet")
class CleanLoopbackTest {

    /** What the network does: none of it may happen on a clean loopback link. */
    private static final LinkCounter[] MUST_STAY_ZERO = {LinkCounter.PACKETS_LOST, LinkCounter.PACKETS_REORDERED,
        LinkCounter.PACKETS_STALE, LinkCounter.PACKETS_DUPLICATE, LinkCounter.DROPPED_MALFORMED,
        LinkCounter.DROPPED_FOREIGN, LinkCounter.SEND_QUEUE_FULL, LinkCounter.RECEIVE_QUEUE_FULL};
    private static final int RATE = 48_000;
    private static final int SECONDS = 20;
    /** Seconds before the measured ones: the link starts and both queues fill. */
    private static final int WARM_UP = 5;

    @Test
    void a_clean_link_counts_no_loss_glitch_or_drop_and_plays_every_sample_over_20_seconds() {
        final int capacity = (WARM_UP + SECONDS + 1) * RATE;
        final SignalBackend serverAudio = new SignalBackend(RATE, 128, RATE, 1, capacity);
        final SignalBackend clientAudio = new SignalBackend(RATE, 128, RATE, 1, capacity);
        try (Link server = Link.start(LinkConfig.builder(Role.SERVER, null).bindPort(0).clientName("s")
                        .backend(LinkConfig.BackendKind.BUILTIN).build(), serverAudio, e -> { });
             Link client = Link.start(LinkConfig.builder(Role.CLIENT, "127.0.0.1").bindPort(0)
                     .peerPort(server.localPort()).clientName("c").backend(LinkConfig.BackendKind.BUILTIN).build(),
                     clientAudio, e -> { })) {
            serverAudio.awaitFrames((long) WARM_UP * RATE, Duration.ofSeconds(20));
            clientAudio.awaitFrames((long) WARM_UP * RATE, Duration.ofSeconds(20));
            final Map<LinkCounter, Long> serverBefore = server.stats().counters();
            final Map<LinkCounter, Long> clientBefore = client.stats().counters();
            final long xrunsBefore = server.stats().xruns() + client.stats().xruns();
            serverAudio.awaitFrames((long) (WARM_UP + SECONDS) * RATE, Duration.ofSeconds(SECONDS + 20));
            clientAudio.awaitFrames((long) (WARM_UP + SECONDS) * RATE, Duration.ofSeconds(20));
            final LinkStats s = server.stats();
            final LinkStats c = client.stats();
            System.out.println("clean loopback, " + SECONDS + " s:\n  server " + s.statLine() + "\n  client " + c.statLine());
            for (LinkCounter k : MUST_STAY_ZERO) {
                assertEquals(0, s.get(k) - serverBefore.get(k), "server " + k + ": " + s.statLine());
                assertEquals(0, c.get(k) - clientBefore.get(k), "client " + k + ": " + c.statLine());
            }
            final long xruns = s.xruns() + c.xruns() - xrunsBefore;
            final long concealed = s.get(LinkCounter.CONCEALED) - serverBefore.get(LinkCounter.CONCEALED)
                    + c.get(LinkCounter.CONCEALED) - clientBefore.get(LinkCounter.CONCEALED);
            final String both = "server " + s.statLine() + "\nclient " + c.statLine();
            // An xrun at one end leaves the other end's packets late for two periods at most before
            // it steps back, and then holds until its queue is full again.
            assertTrue(concealed <= xruns * (server.config().queue() + ReceiveQueue.LATE_IN_ROW) * 128L,
                    concealed + " frames concealed with " + xruns + " xruns\n" + both);
            // Judged from a second after the xruns are first counted: an xrun just before that
            // costs its period a few periods later, when the surplus it left is skipped.
            AudioJudge.of(serverAudio.recording(1), (WARM_UP + 1) * RATE, 1, 16, 128).assertAccounted("client → server",
                    xruns, AudioJudge.JAMWIRE_PER_XRUN, both);
            AudioJudge.of(clientAudio.recording(1), (WARM_UP + 1) * RATE, 1, 16, 128).assertAccounted("server → client",
                    xruns, AudioJudge.JAMWIRE_PER_XRUN, both);
        } catch (LinkException e) {
            throw new AssertionError(e);
        }
    }
}

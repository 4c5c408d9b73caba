package org.jamwire.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.jamwire.audio.builtin.BuiltinBackend;
import org.jamwire.audio.builtin.TestSignal;
import org.jamwire.engine.LinkCounter;
import org.jamwire.testing.Deadlines;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A link on a clean loopback network, both ways for 60 s after warm-up: nothing may be lost,
 * late, duplicated or dropped, and nothing concealed, under- or overrun but for what a counted
 * xrun of an audio clock explains. Both ends run on the built-in backend, whose
 * clock threads (like the network threads) run under SCHED_FIFO where allowed.
 */
@Tag("integration")
class CleanLoopbackTest {

    /** What the network does: none of it may happen on a clean loopback link. */
    private static final LinkCounter[] MUST_STAY_ZERO = {LinkCounter.PACKETS_LOST, LinkCounter.PACKETS_REORDERED,
        LinkCounter.PACKETS_LATE, LinkCounter.PACKETS_STALE,
        LinkCounter.PACKETS_DUPLICATE, LinkCounter.DROPPED_MALFORMED, LinkCounter.DROPPED_FOREIGN,
        LinkCounter.SEND_QUEUE_FULL, LinkCounter.RECEIVE_QUEUE_FULL};
    /**
     * What the audio clocks do: zero too, unless a clock itself ran late by a whole period (an
     * xrun, counted by the backend), which skips a period at one end; each such xrun may cost an
     * underrun or an overflow at the other end, and the periods concealed while the queue refills.
     */
    private static final LinkCounter[] GLITCHES = {LinkCounter.UNDERRUNS, LinkCounter.OVERFLOWS};

    @Test
    void a_clean_link_counts_no_loss_glitch_or_drop_over_60_seconds() {
        final BuiltinBackend backend = new BuiltinBackend(48_000, 128, 48_000, TestSignal.Kind.SINE);
        try (Link server = Link.start(LinkConfig.builder(Role.SERVER, null).bindPort(0).clientName("s")
                        .backend(LinkConfig.BackendKind.BUILTIN).build(), backend, e -> { });
             Link client = Link.start(LinkConfig.builder(Role.CLIENT, "127.0.0.1").bindPort(0)
                     .peerPort(server.localPort()).clientName("c").backend(LinkConfig.BackendKind.BUILTIN).build(),
                     backend, e -> { })) {
            Deadlines.await(Duration.ofSeconds(10), () -> server.stats().get(LinkCounter.PACKETS_RECEIVED) > 1000
                    && client.stats().get(LinkCounter.PACKETS_RECEIVED) > 1000, () -> "both ends streaming");
            final Map<LinkCounter, Long> serverBefore = server.stats().counters();
            final Map<LinkCounter, Long> clientBefore = client.stats().counters();
            final long xrunsBefore = server.stats().xruns() + client.stats().xruns();
            final long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < end) {
                LockSupport.parkNanos(end - System.nanoTime());
            }
            final LinkStats s = server.stats();
            final LinkStats c = client.stats();
            System.out.println("clean loopback, 60 s:\n  server " + s.statLine() + "\n  client " + c.statLine());
            for (LinkCounter k : MUST_STAY_ZERO) {
                assertEquals(0, s.get(k) - serverBefore.get(k), "server " + k + ": " + s.statLine());
                assertEquals(0, c.get(k) - clientBefore.get(k), "client " + k + ": " + c.statLine());
            }
            final long xruns = s.xruns() + c.xruns() - xrunsBefore;
            long glitches = 0;
            for (LinkCounter k : GLITCHES) {
                glitches += s.get(k) - serverBefore.get(k) + c.get(k) - clientBefore.get(k);
            }
            final long concealed = s.get(LinkCounter.CONCEALED) - serverBefore.get(LinkCounter.CONCEALED)
                    + c.get(LinkCounter.CONCEALED) - clientBefore.get(LinkCounter.CONCEALED);
            final String both = "server " + s.statLine() + "\nclient " + c.statLine();
            assertTrue(glitches <= 2 * xruns, glitches + " underruns and overflows with " + xruns + " xruns\n" + both);
            assertTrue(concealed <= xruns * (server.config().queue() + 2) * 128L,
                    concealed + " frames concealed with " + xruns + " xruns\n" + both);
        } catch (LinkException e) {
            throw new AssertionError(e);
        }
    }
}

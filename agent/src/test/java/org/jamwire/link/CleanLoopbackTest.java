package org.jamwire.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * late, duplicated, concealed, under- or overrun. Both ends run on the built-in backend, whose
 * clock threads (like the network threads) run under SCHED_FIFO where allowed.
 */
@Tag("integration")
class CleanLoopbackTest {

    private static final LinkCounter[] MUST_STAY_ZERO = {LinkCounter.PACKETS_LOST, LinkCounter.PACKETS_OUT_OF_ORDER,
        LinkCounter.PACKETS_DUPLICATE, LinkCounter.UNDERRUNS, LinkCounter.OVERFLOWS, LinkCounter.CONCEALED,
        LinkCounter.DROPPED_MALFORMED, LinkCounter.DROPPED_FOREIGN, LinkCounter.SEND_QUEUE_FULL,
        LinkCounter.RECEIVE_QUEUE_FULL};

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
        } catch (LinkException e) {
            throw new AssertionError(e);
        }
    }
}

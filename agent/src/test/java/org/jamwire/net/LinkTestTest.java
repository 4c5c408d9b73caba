package org.jamwire.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LinkTestTest {

    private static final long PERIOD = 2_666_667; // 128 frames at 48 kHz

    @Test
    void a_clean_fast_path_needs_the_shortest_queue_and_no_redundancy() {
        final long[] rtt = new long[1000];
        java.util.Arrays.fill(rtt, 300_000);
        final LinkTest.Result r = LinkTest.summarize(rtt, 1000, 1000, 528, PERIOD);
        assertEquals(0.0, r.lossPercent());
        assertEquals(2, r.recommendedQueue());
        assertEquals(1, r.recommendedRedundancy());
        assertEquals(0.3, r.rttMinMs());
    }

    @Test
    void jitter_and_loss_raise_the_queue_and_the_redundancy() {
        final long[] rtt = new long[1000];
        for (int i = 0; i < rtt.length; i++) {
            rtt[i] = i % 40 == 0 ? -1 : 1_000_000 + (i % 100) * 200_000; // up to 20.8 ms, 2.5% lost
        }
        final LinkTest.Result r = LinkTest.summarize(rtt, 1000, 975, 528, PERIOD);
        assertEquals(2.5, r.lossPercent());
        assertEquals(3, r.recommendedRedundancy());
        // Half of (20.8 - 1.0) ms is 9.9 ms of jitter: 4 periods of 2.67 ms, and one more.
        assertEquals(5, r.recommendedQueue(), r.toString());
    }

    @Test
    void an_echo_and_a_sender_on_loopback_lose_nothing() throws Exception {
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        final Thread echo = new Thread(() -> {
            try {
                LinkTest.echo(0, 3, port::complete);
            } catch (java.io.IOException e) {
                port.completeExceptionally(e);
            }
        });
        echo.start();
        final LinkTest.Result r = LinkTest.run(new InetSocketAddress("127.0.0.1", port.get()), 528, PERIOD, 1);
        assertEquals(r.sent(), r.received(), r.toString());
        echo.join();
    }
}

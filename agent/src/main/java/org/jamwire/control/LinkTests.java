package org.jamwire.control;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.IntConsumer;
import org.jamwire.net.LinkTest;

/**
 * The old manual's iperf step, for every face: datagrams of a link's size sent at its rate to an
 * echo on the far machine, and what came back. Runs on the calling control thread.
 */
public final class LinkTests {

    private LinkTests() {
    }

    /**
     * What a test found.
     *
     * @param sent datagrams sent
     * @param received echoes received back
     * @param lossPercent datagrams lost, either way, in percent
     * @param rttMinMs the fastest round trip in ms
     * @param rttMedianMs the median round trip
     * @param rtt99Ms the 99th percentile round trip
     * @param jitterMs half the difference between the 99th percentile and the fastest round trip
     * @param recommendedQueue packets of queue that rides out that jitter, at least 2
     * @param recommendedRedundancy copies per packet for the loss seen: 1, 2 or 3
     * @param datagramBytes the size tested
     * @param packetsPerSecond the rate tested
     */
    public record Result(long sent, long received, double lossPercent, double rttMinMs, double rttMedianMs,
            double rtt99Ms, double jitterMs, int recommendedQueue, int recommendedRedundancy, int datagramBytes,
            double packetsPerSecond) {
    }

    /**
     * Sends {@code seconds} of datagrams of {@code bytes} every {@code periodNanos} to the echo at
     * {@code host}:{@code port} and measures what comes back.
     *
     * @throws IOException when the socket cannot be opened or the address is unreachable
     * @throws IllegalArgumentException when the size is outside what a datagram can be
     */
    public static Result run(String host, int port, int bytes, long periodNanos, double seconds) throws IOException {
        final LinkTest.Result r = LinkTest.run(new InetSocketAddress(host, port), bytes, periodNanos, seconds);
        return new Result(r.sent(), r.received(), r.lossPercent(), r.rttMinMs(), r.rttMedianMs(), r.rtt99Ms(),
                r.jitterMs(), r.recommendedQueue(), r.recommendedRedundancy(), r.datagramBytes(),
                r.packetsPerSecond());
    }

    /**
     * Echoes test datagrams on UDP {@code port} (0 for any) for {@code seconds}.
     *
     * @param ready called once the port is bound, with it
     * @return datagrams echoed
     */
    public static long echo(int port, double seconds, IntConsumer ready) throws IOException {
        return LinkTest.echo(port, seconds, ready);
    }
}

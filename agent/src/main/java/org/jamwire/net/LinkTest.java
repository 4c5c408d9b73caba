package org.jamwire.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The old manual's iperf step, built in: datagrams of a link's real size sent at its real rate to
 * an echo on the far machine ({@link #echo}), and their round trips measured. Reports loss,
 * round-trip time and jitter, and recommends a queue length and redundancy for the link. Runs on
 * the calling control thread; the echo on a thread of the far machine's command.
 */
public final class LinkTest {

    /** The first bytes of every test datagram: a stray packet is never taken for one. */
    static final int MAGIC = 0x4A574C54; // "JWLT"
    /** Magic, sequence number and send time. */
    static final int HEADER = 4 + 8 + 8;
    private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /**
     * What a test found.
     *
     * @param sent datagrams sent
     * @param received echoes received back
     * @param lossPercent datagrams lost, either way, in percent
     * @param rttMinMs the fastest round trip in ms
     * @param rttMedianMs the median round trip
     * @param rtt99Ms the 99th percentile round trip
     * @param jitterMs the spread of one-way delay the receive queue has to ride out: half the
     *     difference between the 99th percentile and the fastest round trip
     * @param recommendedQueue packets of queue that rides out that jitter, at least 2
     * @param recommendedRedundancy copies per packet for the loss seen: 1, 2 or 3
     * @param datagramBytes the size tested
     * @param packetsPerSecond the rate tested
     */
    public record Result(long sent, long received, double lossPercent, double rttMinMs, double rttMedianMs,
            double rtt99Ms, double jitterMs, int recommendedQueue, int recommendedRedundancy, int datagramBytes,
            double packetsPerSecond) {
    }

    private LinkTest() {
    }

    /**
     * Sends {@code seconds} of datagrams of {@code bytes} every {@code periodNanos} to {@code echo}
     * and measures what comes back.
     *
     * @throws IOException when the socket cannot be opened or the address is unreachable
     */
    public static Result run(InetSocketAddress echo, int bytes, long periodNanos, double seconds) throws IOException {
        if (bytes < HEADER || bytes > 65_507) {
            throw new IllegalArgumentException("datagram size " + bytes + " is outside " + HEADER + " to 65507 bytes");
        }
        final int count = (int) Math.max(1, Math.round(seconds * 1e9 / periodNanos));
        final long[] rtt = new long[count];
        Arrays.fill(rtt, -1);
        final ByteBuffer out = ByteBuffer.allocate(bytes);
        final ByteBuffer in = ByteBuffer.allocate(65_536);
        long received = 0;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.setOption(StandardSocketOptions.IP_TOS, 0xB8);
            ch.connect(echo);
            ch.configureBlocking(false);
            final long start = System.nanoTime();
            int next = 0;
            final long end = start + count * periodNanos + GRACE_NANOS + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < end && (next < count || received < next)) {
                final long now = System.nanoTime();
                if (next < count && now >= start + next * periodNanos) {
                    out.clear();
                    out.putInt(MAGIC).putLong(next).putLong(now);
                    out.position(bytes).flip();
                    try {
                        ch.write(out);
                    } catch (IOException refused) {
                        // An ICMP refusal from an earlier datagram: the echo is not there yet, count it as lost.
                    }
                    next++;
                }
                in.clear();
                try {
                    while (ch.read(in) > 0) {
                        in.flip();
                        if (in.remaining() >= HEADER && in.getInt() == MAGIC) {
                            final long seq = in.getLong();
                            final long sentAt = in.getLong();
                            if (seq >= 0 && seq < count && rtt[(int) seq] < 0) {
                                rtt[(int) seq] = System.nanoTime() - sentAt;
                                received++;
                            }
                        }
                        in.clear();
                    }
                } catch (IOException refused) {
                    // As above.
                }
                LockSupport.parkNanos(Math.min(periodNanos / 4, 200_000));
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("timed out", e);
        }
        return summarize(rtt, count, received, bytes, periodNanos);
    }

    /** The figures and recommendations from the round trips measured (-1 for lost). */
    static Result summarize(long[] rtt, int sent, long received, int bytes, long periodNanos) {
        final long[] got = Arrays.stream(rtt).filter(r -> r >= 0).sorted().toArray();
        final double loss = sent == 0 ? 0 : 100.0 * (sent - received) / sent;
        if (got.length == 0) {
            return new Result(sent, received, loss, 0, 0, 0, 0, 0, 0, bytes, 1e9 / periodNanos);
        }
        final double min = got[0] / 1e6;
        final double median = got[got.length / 2] / 1e6;
        final double p99 = got[Math.min(got.length - 1, (int) Math.ceil(got.length * 0.99) - 1)] / 1e6;
        final double jitter = (p99 - min) / 2;
        final double periodMs = periodNanos / 1e6;
        final int queue = Math.max(2, 1 + (int) Math.ceil(jitter / periodMs));
        final int redundancy = loss < 0.1 ? 1 : loss < 2 ? 2 : 3;
        return new Result(sent, received, round2(loss), round2(min), round2(median), round2(p99), round2(jitter), queue,
                redundancy, bytes, Math.round(1e9 / periodNanos * 10) / 10.0);
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /**
     * Echoes test datagrams back to whoever sent them, on {@code port}, for {@code seconds}. Only
     * datagrams that start with the test's magic are echoed, each once, to its sender.
     *
     * @param ready called once the port is bound, with it
     * @return datagrams echoed
     */
    public static long echo(int port, double seconds, java.util.function.IntConsumer ready) throws IOException {
        long echoed = 0;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(port));
            ch.configureBlocking(false);
            ready.accept(((InetSocketAddress) ch.getLocalAddress()).getPort());
            final ByteBuffer buf = ByteBuffer.allocate(65_536);
            final long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                buf.clear();
                final var from = ch.receive(buf);
                if (from == null) {
                    LockSupport.parkNanos(100_000);
                    continue;
                }
                buf.flip();
                if (buf.remaining() >= HEADER && buf.getInt(0) == MAGIC) {
                    ch.send(buf, from);
                    echoed++;
                }
            }
        }
        return echoed;
    }
}

package org.jamwire.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.jamwire.engine.Counters;
import org.jamwire.engine.LinkCounter;
import org.jamwire.engine.LinkEngine;
import org.jamwire.engine.PacketRing;
import org.jamwire.engine.StreamFormat;
import org.jamwire.engine.UnderrunPolicy;
import org.jamwire.protocol.PacketHeader;
import org.jamwire.protocol.SampleRateCode;
import org.junit.jupiter.api.Test;

/**
 * A waiting server tells a stranger in another format its own format at most once a second, by
 * the clock the packet loop is given: here a fake one the test moves by hand. On loopback a
 * datagram is in the receiver's queue once the send returns, so what the stranger can read right
 * after a pass is all the loop sent it.
 */
class StrangerNoticeTest {

    private static final int FRAMES = 64;

    @Test
    void tells_a_stranger_this_ends_format_at_most_once_a_second_of_its_clock() throws Exception {
        final StreamFormat f = new StreamFormat(48000, FRAMES, 16, 2, 2, 1, 2, UnderrunPolicy.PREDICT);
        final long[] micros = {1_000_000};
        final Counters counters = new Counters();
        try (LinkSocket server = LinkSocket.open(new InetSocketAddress("127.0.0.1", 0));
             DatagramChannel stranger = DatagramChannel.open(StandardProtocolFamily.INET)) {
            stranger.bind(new InetSocketAddress("127.0.0.1", 0)).configureBlocking(false);
            final PacketRing outgoing = new PacketRing(16, f.datagramLength());
            final PacketRing incoming = new PacketRing(64, PacketLoop.MAX_DATAGRAM + 1);
            final LinkEngine engine = new LinkEngine(f, outgoing, incoming, counters, () -> micros[0], () -> { });
            final PacketLoop loop = new PacketLoop(server, null, f, outgoing, incoming, counters, new PeerStatus(),
                    engine, () -> micros[0]);
            final InetSocketAddress to = new InetSocketAddress("127.0.0.1", server.localPort());

            stranger.send(at44k(), to);
            loop.doWork();
            assertEquals(1, waiting(stranger), "notices after the first datagram");

            micros[0] += PacketLoop.STRANGER_NOTICE_MICROS - 1;
            stranger.send(at44k(), to);
            loop.doWork();
            assertEquals(0, waiting(stranger), "notices within the second");

            micros[0] += 1;
            stranger.send(at44k(), to);
            loop.doWork();
            assertEquals(1, waiting(stranger), "notices once the second is over");
            assertEquals(3, counters.get(LinkCounter.DROPPED_MISMATCH));
        }
    }

    /** A whole 2-channel, 16-bit packet at 44.1 kHz, where this end runs 48 kHz. */
    private static ByteBuffer at44k() {
        final ByteBuffer b = ByteBuffer.allocate(PacketHeader.packetLength(FRAMES, 2, 16));
        PacketHeader.write(b, 0, 0L, 0, FRAMES, SampleRateCode.SR44, 16, 2, 2);
        return b;
    }

    private static int waiting(DatagramChannel c) throws Exception {
        int n = 0;
        final ByteBuffer b = ByteBuffer.allocate(70_000);
        for (b.clear(); c.receive(b) != null; b.clear()) {
            n++;
        }
        return n;
    }
}

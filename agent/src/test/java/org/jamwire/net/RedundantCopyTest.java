package org.jamwire.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * A redundant datagram whose newest copy is valid but whose older copy's header claims a longer
 * packet: only the newest header is checked on arrival, and decoding the older copy by its own
 * header read past its end on the audio thread (found by fuzzing). The older copy is now left out
 * and counted; the newest plays.
 */
class RedundantCopyTest {

    @Test
    void an_older_copy_that_claims_more_than_its_slot_is_left_out_and_counted() throws Exception {
        final StreamFormat f = new StreamFormat(48000, 64, 16, 4, 4, 2, 2, UnderrunPolicy.PREDICT);
        try (DatagramChannel server = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel peer = DatagramChannel.open(StandardProtocolFamily.INET)) {
            server.bind(new InetSocketAddress("127.0.0.1", 0)).configureBlocking(false);
            peer.bind(new InetSocketAddress("127.0.0.1", 0));
            final PacketRing outgoing = new PacketRing(16, f.datagramLength());
            final PacketRing incoming = new PacketRing(64, PacketLoop.MAX_DATAGRAM + 1);
            final Counters counters = new Counters();
            final PacketLoop[] self = new PacketLoop[1];
            final LinkEngine engine = new LinkEngine(f, outgoing, incoming, counters, () -> 0L,
                    () -> self[0].sendQueued());
            final PacketLoop loop = new PacketLoop(new LinkSocket(server), null, f, outgoing, incoming, counters,
                    new PeerStatus(), engine, () -> 0L);
            self[0] = loop;
            final float[][] in = new float[4][64];
            final float[][] out = new float[4][64];
            final int stride = PacketHeader.packetLength(64, 4, 16);
            for (int seq = 0; seq < 8; seq++) {
                if (seq == 4) {
                    continue; // lost: the next datagram's older copy is the only one of it
                }
                final ByteBuffer d = ByteBuffer.allocate(2 * stride);
                PacketHeader.write(d, 0, 0L, seq, 64, SampleRateCode.SR48, 16, 4, 4);
                for (int i = 0; i < 4 * 64; i++) {
                    d.putShort(PacketHeader.LENGTH + 2 * i, (short) (1000 * (seq + 1)));
                }
                // The older copy says 8192 frames of 32-bit samples: its third channel starts past
                // the end of the largest datagram.
                PacketHeader.write(d, stride, 0L, seq - 1, 8192, SampleRateCode.SR48, 32, 4, 4);
                peer.send(d.clear(), server.getLocalAddress());
                while (loop.receiveWaiting(8) > 0) {
                    // take it
                }
                engine.process(in, out, 64);
            }
            assertEquals(7, counters.get(LinkCounter.DROPPED_MALFORMED), counters.toString());
            assertEquals(7, counters.get(LinkCounter.PACKETS_RECEIVED));
            assertEquals(0, counters.get(LinkCounter.PACKETS_REVIVED));
            for (int i = 0; i < 4; i++) {
                engine.process(in, out, 64);
            }
            boolean heard = false;
            for (float s : out[0]) {
                assertTrue(Float.isFinite(s));
                heard |= s != 0f;
            }
            assertTrue(heard, "the newest copies play");
        }
    }
}

package org.jamwire.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.jamwire.engine.Counters;
import org.jamwire.engine.LinkCounter;
import org.jamwire.engine.LinkEngine;
import org.jamwire.engine.MicrosClock;
import org.jamwire.engine.PacketRing;
import org.jamwire.engine.StreamFormat;
import org.jamwire.engine.UnderrunPolicy;
import org.jamwire.protocol.StopPacket;
import org.junit.jupiter.api.Test;

/**
 * Drives both real-time halves of two linked ends (the audio-thread engine and the packet loop, over
 * real loopback sockets) through many thousands of periods on one thread and proves that the thread
 * allocated nothing once warmed up, garbage datagrams included.
 */
class RealTimePathAllocationTest {

    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;

    /** One end: engine, rings and packet loop over a loopback socket. */
    private static final class End {
        final DatagramChannel channel;
        final Counters counters = new Counters();
        final PeerStatus status = new PeerStatus();
        final LinkEngine engine;
        final PacketLoop loop;
        final float[][] in;
        final float[][] out;

        End(StreamFormat f, InetSocketAddress peer) throws Exception {
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            channel.configureBlocking(false);
            final PacketRing outgoing = new PacketRing(16, f.datagramLength());
            final PacketRing incoming = new PacketRing(64, PacketLoop.MAX_DATAGRAM + 1);
            // As in a link, the engine's signal sends the datagram at once, on the same thread.
            final PacketLoop[] self = new PacketLoop[1];
            engine = new LinkEngine(f, outgoing, incoming, counters, () -> 42L, () -> self[0].sendQueued());
            loop = new PacketLoop(channel, peer, f, outgoing, incoming, counters, status, engine);
            self[0] = loop;
            in = new float[f.sendChannels()][f.bufferSize()];
            out = new float[f.receiveChannels()][f.bufferSize()];
            for (int c = 0; c < in.length; c++) {
                for (int i = 0; i < in[c].length; i++) {
                    in[c][i] = (float) Math.sin(0.01 * (i + 1) * (c + 1));
                }
            }
        }

        int port() throws Exception {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        }

        void period() {
            engine.process(in, out, in.length > 0 ? in[0].length : out[0].length);
            loop.doWork();
        }
    }

    @Test
    void engine_and_packet_loop_allocate_nothing_per_period() throws Exception {
        final StreamFormat f = new StreamFormat(48000, 128, 24, 8, 8, 2, 2, UnderrunPolicy.PREDICT);
        final End server = new End(f, null);
        final End client = new End(f, new InetSocketAddress("127.0.0.1", server.port()));
        // Garbage from the peer's own address: short, control-sized and malformed datagrams.
        final ByteBuffer[] garbage = {ByteBuffer.allocateDirect(5), ByteBuffer.allocateDirect(StopPacket.LENGTH),
            ByteBuffer.allocateDirect(700)};
        garbage[2].put(13, (byte) 16).put(10, (byte) 128);
        final InetSocketAddress serverAddress = new InetSocketAddress("127.0.0.1", server.port());
        final com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();

        run(server, client, WARM_UP, garbage, serverAddress);
        final long before = mx.getThreadAllocatedBytes(threadId);
        run(server, client, MEASURED, garbage, serverAddress);
        final long allocated = mx.getThreadAllocatedBytes(threadId) - before;

        assertEquals(0, allocated, "bytes allocated over " + MEASURED + " periods");
        assertTrue(server.counters.get(LinkCounter.DROPPED_SHORT) >= MEASURED / 100, "short datagrams counted");
        assertTrue(server.counters.get(LinkCounter.DROPPED_CONTROL) >= MEASURED / 100, "control datagrams counted");
        assertTrue(server.counters.get(LinkCounter.DROPPED_MALFORMED) >= MEASURED / 100, "malformed counted");
        assertTrue(server.counters.get(LinkCounter.PACKETS_RECEIVED) > MEASURED, "server received audio");
        assertTrue(client.counters.get(LinkCounter.PACKETS_RECEIVED) > MEASURED, "client received audio");
        server.channel.close();
        client.channel.close();
    }

    private static void run(End a, End b, int periods, ByteBuffer[] garbage, InetSocketAddress to)
            throws Exception {
        for (int i = 0; i < periods; i++) {
            if (i % 100 == 0) {
                for (ByteBuffer g : garbage) {
                    b.channel.send(g.clear(), to);
                }
            }
            b.period();
            a.period();
            a.loop.doWork();
            b.loop.doWork();
        }
    }
}

package org.jamwire.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.jamwire.engine.Counters;
import org.jamwire.engine.LinkCounter;
import org.jamwire.engine.StreamFormat;
import org.jamwire.engine.UnderrunPolicy;
import org.jamwire.link.AudioPipeline;
import org.jamwire.protocol.StopPacket;
import org.junit.jupiter.api.Test;

/**
 * Drives the real audio-thread pipeline of two linked ends ({@link AudioPipeline}: the engine, the
 * packet loop over real loopback sockets, the latency probe, the level meters and the callback's
 * timing) through many thousands of periods on one thread and proves that the thread allocated
 * nothing once warmed up, garbage datagrams included.
 */
class RealTimePathAllocationTest {

    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;

    /** One end: a link's pipeline over a loopback socket. */
    private static final class End {
        final LinkSocket socket;
        final Counters counters = new Counters();
        final PeerStatus status = new PeerStatus();
        final AudioPipeline pipeline;
        final float[][] in;
        final float[][] out;

        End(StreamFormat f, InetSocketAddress peer) throws Exception {
            socket = LinkSocket.open(new InetSocketAddress("127.0.0.1", 0));
            pipeline = new AudioPipeline(socket, peer, f, counters, status, () -> 42L);
            in = new float[f.sendChannels()][f.bufferSize()];
            out = new float[f.receiveChannels()][f.bufferSize()];
            for (int c = 0; c < in.length; c++) {
                for (int i = 0; i < in[c].length; i++) {
                    in[c][i] = (float) Math.sin(0.01 * (i + 1) * (c + 1));
                }
            }
        }

        int port() {
            return socket.localPort();
        }

        void period() {
            pipeline.process(in, out, in.length > 0 ? in[0].length : out[0].length);
        }
    }

    @Test
    void the_audio_thread_pipeline_allocates_nothing_per_period() throws Exception {
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
        assertTrue(server.counters.get(LinkCounter.CALLBACK_MAX_US) > 0, "the longest callback was published");
        server.socket.close();
        client.socket.close();
    }

    private static void run(End a, End b, int periods, ByteBuffer[] garbage, InetSocketAddress to)
            throws Exception {
        for (int i = 0; i < periods; i++) {
            if (i % 100 == 0) {
                for (ByteBuffer g : garbage) {
                    b.socket.channel().send(g.clear(), to);
                }
            }
            b.period();
            a.period();
        }
    }
}

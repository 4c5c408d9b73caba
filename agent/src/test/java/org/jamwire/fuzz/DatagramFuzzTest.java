package org.jamwire.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.jamwire.engine.Counters;
import org.jamwire.engine.LinkEngine;
import org.jamwire.engine.MicrosClock;
import org.jamwire.engine.PacketRing;
import org.jamwire.engine.ReceiveQueue;
import org.jamwire.engine.StreamFormat;
import org.jamwire.engine.UnderrunPolicy;
import org.jamwire.net.LinkSocket;
import org.jamwire.net.PacketLoop;
import org.jamwire.net.PeerStatus;
import org.jamwire.protocol.DatagramCheck;
import org.jamwire.protocol.PacketHeader;
import org.jamwire.protocol.SampleRateCode;
import org.jamwire.protocol.StopPacket;

/**
 * A waiting server's whole receive path (packet loop, sequence tracking, receive queue, concealment
 * and playout) against any sequence of datagrams from two senders, interleaved with audio periods.
 * Nothing is ever thrown; every played sample is a finite number; and the server's state follows
 * the rule the link keeps: it adopts as its peer the first sender of a datagram that passes the
 * check in its own rate and bit depth, never anyone else, and only that peer can stop it or make it
 * fail for a mismatch.
 */
class DatagramFuzzTest {

    private static final int[] FRAMES = {32, 64, 128, 256};
    private static final int[] BITS = {8, 16, 24, 32};

    @FuzzTest(maxDuration = "10s")
    void datagrams_and_periods(FuzzedDataProvider data) throws IOException {
        final int frames = data.pickValue(FRAMES);
        final int bits = data.pickValue(BITS);
        final int channels = data.consumeInt(1, 4);
        final int redundancy = data.consumeInt(1, 3);
        final int queue = data.consumeBoolean() ? ReceiveQueue.AUTO : data.consumeInt(1, 8);
        final StreamFormat f = new StreamFormat(48000, frames, bits, channels, channels, redundancy, queue,
                data.pickValue(UnderrunPolicy.values()));
        try (DatagramChannel server = open(); DatagramChannel a = open(); DatagramChannel b = open()) {
            final PacketRing outgoing = new PacketRing(16, f.datagramLength());
            final PacketRing incoming = new PacketRing(64, PacketLoop.MAX_DATAGRAM + 1);
            final PeerStatus status = new PeerStatus();
            final Counters counters = new Counters();
            final PacketLoop[] self = new PacketLoop[1];
            final long[] now = {0};
            final LinkEngine engine = new LinkEngine(f, outgoing, incoming, counters, () -> now[0],
                    () -> self[0].sendQueued());
            final PacketLoop loop = new PacketLoop(new LinkSocket(server), null, f, outgoing, incoming, counters, status,
                    engine, MicrosClock.SYSTEM);
            self[0] = loop;
            final float[][] in = new float[channels][frames];
            final float[][] out = new float[channels][frames];
            final InetSocketAddress to = (InetSocketAddress) server.getLocalAddress();
            InetSocketAddress adopted = null;
            int seq = 0;
            final int steps = data.consumeInt(1, 64);
            for (int step = 0; step < steps && data.remainingBytes() > 0; step++) {
                final int kind = data.consumeInt(0, 3);
                final DatagramChannel from = data.consumeBoolean() ? a : b;
                final ByteBuffer d;
                if (kind == 0) {
                    // Audio, then play a period and check what came out.
                    now[0] += 1000L * frames / 48;
                    engine.process(in, out, frames);
                    loop.doWork();
                    for (float[] ch : out) {
                        for (float s : ch) {
                            assertTrue(Float.isFinite(s), "a played sample is " + s);
                        }
                    }
                    continue;
                } else if (kind == 1) {
                    d = ByteBuffer.wrap(data.consumeBytes(data.consumeInt(0, 2000)));
                } else if (kind == 2) {
                    d = almostValid(data, seq++, frames, bits, channels);
                } else {
                    d = ByteBuffer.allocate(StopPacket.LENGTH);
                    StopPacket.write(d, 0);
                    if (data.consumeBoolean()) {
                        d.put(data.consumeInt(0, StopPacket.LENGTH - 1), data.consumeByte());
                    }
                }
                final boolean fits = fits(d, f);
                final InetSocketAddress sender = (InetSocketAddress) from.getLocalAddress();
                final ByteBuffer wire = d.duplicate();
                wire.position(0);
                from.send(wire, to);
                while (loop.receiveWaiting(64) > 0) {
                    // until what was sent has been taken
                }
                if (adopted == null && fits) {
                    adopted = sender;
                }
                assertEquals(adopted, status.peer(), "the adopted peer");
                if (status.mismatch() || status.peerStopped()) {
                    assertTrue(adopted != null, "a stranger changed a waiting server's state");
                }
            }
        }
    }

    /** Whether the server would take {@code d}: it passes the check in the server's rate and depth. */
    private static boolean fits(ByteBuffer d, StreamFormat f) {
        final int len = d.limit();
        return DatagramCheck.check(d, 0, len) == DatagramCheck.OK
                && PacketHeader.sampleRateCode(d, 0) == f.rateCode() && PacketHeader.bitResolution(d, 0) == f.bits();
    }

    /** A datagram with a header close to a real one: some fields right, some drawn from the input. */
    private static ByteBuffer almostValid(FuzzedDataProvider data, int seq, int frames, int bits, int channels) {
        final int f = data.consumeBoolean() ? frames : data.consumeInt(0, 9000);
        final int b = data.consumeBoolean() ? bits : data.consumeInt(0, 40);
        final int rate = data.consumeBoolean() ? SampleRateCode.SR48 : data.consumeInt(0, 255);
        final int ch = data.consumeBoolean() ? channels : data.consumeInt(0, 255);
        final int in = data.consumeBoolean() ? channels : data.consumeInt(0, 255);
        final int copies = data.consumeInt(1, 3);
        final int stride = PacketHeader.LENGTH + (b == 8 || b == 16 || b == 24 || b == 32
                ? Math.min(f, 9000) * Math.min(ch, 255) * (b / 8) : 0);
        final int len = data.consumeBoolean() ? Math.min(copies * stride, 60_000) : data.consumeInt(0, 4000);
        final ByteBuffer d = ByteBuffer.allocate(Math.max(len, PacketHeader.LENGTH));
        for (int k = 0; k < copies && (k + 1) * stride <= d.capacity(); k++) {
            PacketHeader.write(d, k * stride, 0L, (seq - k) & 0xFFFF, f & 0xFFFF, rate, b & 0xFF, in, ch);
        }
        if (data.consumeBoolean()) {
            final byte[] noise = data.consumeBytes(64);
            for (int i = 0; i < noise.length && i < d.capacity(); i++) {
                d.put(data.consumeInt(0, d.capacity() - 1), noise[i]);
            }
        }
        d.limit(len);
        return d;
    }

    private static DatagramChannel open() throws IOException {
        final DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
        c.bind(new InetSocketAddress("127.0.0.1", 0));
        c.configureBlocking(false);
        c.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
        return c;
    }
}

package org.jamwire.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jamwire.engine.LinkCounter;
import org.jamwire.protocol.PacketHeader;
import org.jamwire.protocol.SampleCodec;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackSignalClient;
import org.jamwire.testing.SignalBackend;
import org.junit.jupiter.api.Test;

/**
 * A live stream keeps flowing while datagrams of every bad kind arrive, from the peer's own address
 * and from a third one: each is counted under its own counter and dropped, and the audio played is
 * still the peer's signal.
 */
class GarbageDuringStreamTest {

    private static final int FRAMES = 128;

    @Test
    void counts_and_drops_every_kind_of_garbage_while_audio_keeps_flowing() throws Exception {
        final SignalBackend backend = new SignalBackend(48000, FRAMES, 48000, 2, 30 * 48000);
        try (Link server = Link.start(LinkConfig.builder(Role.SERVER, null).bindPort(0).clientName("s")
                        .channels(2).backend(LinkConfig.BackendKind.BUILTIN).build(), backend, e -> { });
             DatagramChannel peer = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel third = DatagramChannel.open(StandardProtocolFamily.INET)) {
            final InetSocketAddress to = new InetSocketAddress("127.0.0.1", server.localPort());
            peer.bind(new InetSocketAddress("127.0.0.1", 0));
            final Random random = new Random(7);
            final ByteBuffer audio = ByteBuffer.allocate(PacketHeader.packetLength(FRAMES, 2, 16));
            final float[][] signal = new float[2][FRAMES];
            final long period = TimeUnit.SECONDS.toNanos(1) * FRAMES / 48000;
            final CompletableFuture<Void> streaming = CompletableFuture.runAsync(() -> {
                long deadline = System.nanoTime();
                int garbageRounds = 0;
                try {
                    for (int seq = 0; seq < 2000; seq++) {
                        for (int c = 0; c < 2; c++) {
                            for (int i = 0; i < FRAMES; i++) {
                                signal[c][i] = JackSignalClient.sample(c + 1, (long) seq * FRAMES + i);
                            }
                        }
                        PacketHeader.write(audio, 0, 0L, seq, FRAMES, 3, 16, 2, 2);
                        SampleCodec.encode(signal, 2, FRAMES, 16, audio, PacketHeader.LENGTH);
                        peer.send(audio.clear(), to);
                        if (seq >= 200 && seq % 10 == 0 && garbageRounds < 100) {
                            garbageRounds++;
                            sendGarbage(peer, third, to, random);
                        }
                        deadline += period;
                        LockSupport.parkNanos(deadline - System.nanoTime());
                    }
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            Deadlines.await(Duration.ofSeconds(10), () -> server.stats().get(LinkCounter.DROPPED_FOREIGN) >= 20, () -> "garbage arriving");
            assertSignal(server, backend);
            streaming.get(30, TimeUnit.SECONDS);
            // The sender has handed its last datagram to the kernel; the link's receive thread may
            // not have read it yet.
            Deadlines.await(Duration.ofSeconds(5), () -> server.stats().get(LinkCounter.DROPPED_FOREIGN) == 100
                    && server.stats().get(LinkCounter.PACKETS_RECEIVED) == 2000,
                    () -> "every datagram, good and bad, counted: " + server.stats().statLine());
            final LinkStats st = server.stats();
            assertEquals(100, st.get(LinkCounter.DROPPED_SHORT), st.statLine());
            assertEquals(300, st.get(LinkCounter.DROPPED_MALFORMED), st.statLine());
            assertEquals(100, st.get(LinkCounter.DROPPED_CONTROL), st.statLine());
            assertEquals(100, st.get(LinkCounter.DROPPED_FOREIGN), st.statLine());
            assertEquals(2000, st.get(LinkCounter.PACKETS_RECEIVED), st.statLine());
            assertEquals(Link.State.CONNECTED, server.state());
        }
    }

    /** Five bad datagrams from the peer's address, one from a third address. */
    private static void sendGarbage(DatagramChannel peer, DatagramChannel third, InetSocketAddress to, Random random)
            throws Exception {
        peer.send(ByteBuffer.wrap(new byte[7]), to); // shorter than a header
        final ByteBuffer wrongLength = ByteBuffer.allocate(PacketHeader.packetLength(FRAMES, 2, 16) - 3);
        PacketHeader.write(wrongLength, 0, 0L, 1, FRAMES, 3, 16, 2, 2);
        peer.send(wrongLength, to); // payload shorter than the header says
        final ByteBuffer disagrees = ByteBuffer.allocate(PacketHeader.packetLength(FRAMES, 2, 16));
        PacketHeader.write(disagrees, 0, 0L, 1, FRAMES, 3, 12, 2, 2);
        peer.send(disagrees, to); // a bit depth no peer uses
        final byte[] noise = new byte[100 + random.nextInt(900)];
        random.nextBytes(noise);
        noise[13] = 16; // plausible bit depth, so only the length can give it away
        peer.send(ByteBuffer.wrap(noise), to);
        final byte[] control = new byte[63];
        control[0] = 1;
        peer.send(ByteBuffer.wrap(control), to); // control-sized but not the stop packet
        final ByteBuffer valid = ByteBuffer.allocate(PacketHeader.packetLength(FRAMES, 2, 16));
        PacketHeader.write(valid, 0, 0L, 1, FRAMES, 3, 16, 2, 2);
        third.send(valid, to); // a well-formed packet from a stranger
    }

    /**
     * While garbage arrives, every frame played is the peer's signal, sample for sample, but for
     * what the link's counted underruns, late packets and queue corrections cost (the sender here
     * is a plain thread, not an audio clock, so its packets can come late or in a burst) and the
     * backend's xruns.
     */
    private static void assertSignal(Link server, SignalBackend audio) throws Exception {
        final LinkStats before = server.stats();
        final long from = audio.frames() / FRAMES * FRAMES;
        audio.awaitFrames(from + FRAMES * 400L, Duration.ofSeconds(10));
        final LinkStats after = server.stats();
        final long causes = after.get(LinkCounter.UNDERRUNS) - before.get(LinkCounter.UNDERRUNS)
                + after.get(LinkCounter.PACKETS_LATE) - before.get(LinkCounter.PACKETS_LATE)
                + after.get(LinkCounter.OVERFLOWS) - before.get(LinkCounter.OVERFLOWS)
                + after.get(LinkCounter.STEP_BACKS) - before.get(LinkCounter.STEP_BACKS)
                + after.xruns() - before.xruns();
        for (int c = 1; c <= 2; c++) {
            final float[] played = java.util.Arrays.copyOf(audio.recording(c), (int) from + FRAMES * 400);
            AudioJudge.of(played, (int) from, c, 16, FRAMES).assertAccounted("channel " + c + " while garbage arrives",
                    causes, AudioJudge.JAMWIRE_PER_XRUN, after.statLine());
        }
    }
}

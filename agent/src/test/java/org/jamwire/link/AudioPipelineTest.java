package org.jamwire.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.jamwire.engine.Counters;
import org.jamwire.engine.LinkCounter;
import org.jamwire.engine.StreamFormat;
import org.jamwire.engine.UnderrunPolicy;
import org.jamwire.net.LinkSocket;
import org.jamwire.net.PeerStatus;
import org.junit.jupiter.api.Test;

/** The audio-thread pipeline's own measurement: the longest callback, published once a second of audio. */
class AudioPipelineTest {

    private static final int RATE = 48_000;
    private static final int FRAMES = 128;

    @Test
    void publishes_the_longest_callback_once_a_full_second_of_audio_has_run() throws Exception {
        final StreamFormat f = new StreamFormat(RATE, FRAMES, 16, 2, 2, 1, 2, UnderrunPolicy.PREDICT);
        final Counters counters = new Counters();
        try (LinkSocket socket = LinkSocket.open(new InetSocketAddress("127.0.0.1", 0))) {
            final AudioPipeline pipeline = new AudioPipeline(socket,
                    new InetSocketAddress("127.0.0.1", socket.localPort()), f, counters, new PeerStatus(), () -> 0L);
            final float[][] in = new float[2][FRAMES];
            final float[][] out = new float[2][FRAMES];
            final int periodsPerSecond = RATE / FRAMES;
            for (int i = 1; i < periodsPerSecond; i++) {
                pipeline.process(in, out, FRAMES);
            }
            assertEquals(0, counters.get(LinkCounter.CALLBACK_MAX_US), "published before the second was full");
            pipeline.process(in, out, FRAMES);
            final long first = counters.get(LinkCounter.CALLBACK_MAX_US);
            assertTrue(first > 0, "the longest callback of the first second: " + first + " us");
            assertTrue(first < 1_000_000, "a callback longer than the second it ran in: " + first + " us");
            assertTrue(counters.get(LinkCounter.PACKETS_SENT) >= periodsPerSecond, "the callbacks sent their packets");
        }
    }
}

package org.jamwire.engine;

import java.nio.ByteBuffer;
import java.util.Random;
import org.jamwire.protocol.SampleCodec;

/**
 * A test signal streamed through a {@link ReceiveQueue} one period at a time on the test thread,
 * as the JACK thread would: packets pushed (some lost), then one period pulled. 32-bit float packets
 * make the lossless path bit-exact.
 */
final class TestStream {

    static final int RATE = 48_000;
    static final int FRAMES = 128;
    static final int BITS = 32;

    final float[] clean;
    final int periods;

    private TestStream(float[] clean) {
        this.clean = clean;
        this.periods = clean.length / FRAMES;
    }

    /** A sum of sines, {@code amplitude} each, starting at phase zero. */
    static TestStream tones(int periods, double amplitude, double... hertz) {
        final float[] s = new float[periods * FRAMES];
        for (int i = 0; i < s.length; i++) {
            double v = 0;
            for (double f : hertz) {
                v += amplitude * Math.sin(2 * Math.PI * f * i / RATE);
            }
            s[i] = (float) v;
        }
        return new TestStream(s);
    }

    /** Which periods are lost: each with probability {@code loss}, none of the first {@code spared}. */
    static boolean[] randomLosses(int periods, double loss, long seed, int spared) {
        final Random r = new Random(seed);
        final boolean[] lost = new boolean[periods];
        for (int p = spared; p < periods; p++) {
            lost[p] = r.nextDouble() < loss;
        }
        return lost;
    }

    /** Encodes period {@code p} into {@code packet} at offset 0. */
    void encode(int p, ByteBuffer packet) {
        SampleCodec.encodeChannel(clean, p * FRAMES, FRAMES, BITS, 0, packet, 0);
    }

    /** Streams every period through {@code queue}, skipping lost ones; returns what was played. */
    float[] play(ReceiveQueue queue, boolean[] lost) {
        final ByteBuffer packet = ByteBuffer.allocate(FRAMES * 4);
        final float[][] out = new float[1][FRAMES];
        final float[] played = new float[clean.length];
        for (int p = 0; p < periods; p++) {
            if (!lost[p]) {
                encode(p, packet);
                queue.push(packet, 0, BITS, FRAMES, 1, p & 0xFFFF);
            }
            queue.pull(out, FRAMES);
            System.arraycopy(out[0], 0, played, p * FRAMES, FRAMES);
        }
        return played;
    }

    /** The delay in periods at which {@code played} equals the signal over its last half, or -1. */
    int delay(float[] played) {
        for (int d = 0; d < periods / 2; d++) {
            boolean same = true;
            for (int i = clean.length / 2; i < clean.length && same; i++) {
                same = played[i] == clean[i - d * FRAMES];
            }
            if (same) {
                return d;
            }
        }
        return -1;
    }

    /**
     * SNR in dB of {@code played}, delayed {@code delay} periods, against the clean signal over the
     * periods from {@code from} that {@code only} selects (every period if null).
     */
    double snr(float[] played, int delay, int from, boolean[] only) {
        double signal = 0;
        double noise = 0;
        for (int p = from; p + delay < periods; p++) {
            if (only != null && !only[p]) {
                continue;
            }
            for (int i = p * FRAMES; i < (p + 1) * FRAMES; i++) {
                final double s = clean[i];
                final double e = played[i + delay * FRAMES] - s;
                signal += s * s;
                noise += e * e;
            }
        }
        return 10 * Math.log10(signal / noise);
    }
}

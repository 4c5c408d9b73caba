package org.jamwire.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The {@link Concealer} on its own, fed periods by hand as the receive queue would. */
class ConcealerTest {

    private static final int RATE = 48_000;
    private static final int FRAMES = 128;

    private static float[][] tonePeriod(int p, double hz, double amplitude) {
        final float[][] out = new float[1][FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            out[0][i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * (p * FRAMES + i) / RATE));
        }
        return out;
    }

    @Test
    void prediction_continues_a_pure_tone() {
        final Concealer c = new Concealer(UnderrunPolicy.PREDICT, 1, FRAMES, RATE);
        for (int p = 0; p < 20; p++) {
            c.play(tonePeriod(p, 440, 0.5), 0, FRAMES);
        }
        final float[][] out = new float[1][FRAMES];
        c.conceal(out, 0, FRAMES);
        final float[][] want = tonePeriod(20, 440, 0.5);
        double err = 0;
        for (int i = 0; i < FRAMES; i++) {
            System.out.println(i + " " + out[0][i] + " " + want[0][i]);
            err = Math.max(err, Math.abs(out[0][i] - want[0][i]));
        }
        assertTrue(err < 0.01, "largest error " + err);
    }
}

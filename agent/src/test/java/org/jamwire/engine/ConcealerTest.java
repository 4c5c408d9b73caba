package org.jamwire.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
            err = Math.max(err, Math.abs(out[0][i] - want[0][i]));
        }
        assertTrue(err < 0.01, "largest error " + err);
    }

    @Test
    void a_silent_history_is_concealed_with_silence() {
        for (UnderrunPolicy policy : UnderrunPolicy.values()) {
            final Concealer c = new Concealer(policy, 2, FRAMES, RATE);
            final float[][] out = {new float[FRAMES], new float[FRAMES]};
            out[0][5] = 1f;
            c.conceal(out, 0, FRAMES);
            assertArrayEquals(new float[FRAMES], out[0], policy.name());
            assertArrayEquals(new float[FRAMES], out[1], policy.name());
        }
    }

    @Test
    void a_long_outage_is_concealed_for_20_ms_then_fades_to_silence_by_40_ms() {
        for (UnderrunPolicy policy : UnderrunPolicy.values()) {
            final Concealer c = new Concealer(policy, 1, FRAMES, RATE);
            for (int p = 0; p < 20; p++) {
                c.play(tonePeriod(p, 440, 0.5), 0, FRAMES);
            }
            final int frames = 40 * FRAMES;
            final float[][] out = new float[1][frames];
            final int live = c.conceal(out, 0, frames);
            final int hold = RATE * Concealer.HOLD_MS / 1000;
            final int silentFrom = hold + RATE * Concealer.FADE_MS / 1000;
            assertEquals(silentFrom, live, policy + ": frames before silence");
            for (int i = silentFrom; i < frames; i++) {
                assertTrue(out[0][i] == 0f, policy + ": frame " + i + " after 40 ms is " + out[0][i]);
            }
            if (policy != UnderrunPolicy.ZEROS) {
                assertTrue(rms(out[0], 0, hold) > 0.3, policy + ": full level for the first 20 ms");
                assertTrue(rms(out[0], hold, silentFrom) < rms(out[0], 0, hold), policy + ": fading");
            }
        }
    }

    private static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += x[i] * x[i];
        }
        return Math.sqrt(s / (to - from));
    }
}

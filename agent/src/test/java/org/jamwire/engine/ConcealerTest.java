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

    @Test
    void the_fit_fits_the_full_model_for_few_channels_and_shrinks_within_its_budget_for_many() {
        assertEquals(Concealer.ORDER, Concealer.fitOrder(1, 64));
        assertEquals(Concealer.WINDOW, Concealer.fitWindow(1, 64));
        assertEquals(Concealer.ORDER, Concealer.fitOrder(2, 128));
        assertEquals(Concealer.WINDOW, Concealer.fitWindow(2, 128));
        assertEquals(16, Concealer.fitOrder(8, 64));
        for (int frames : new int[] {16, 32, 64, 128, 256, 512, 1024, 2048}) {
            for (int channels = 1; channels <= 256; channels *= 2) {
                final int p = Concealer.fitOrder(channels, frames);
                final int w = Concealer.fitWindow(channels, frames);
                final String at = channels + " channels at " + frames + " frames: order " + p + ", window " + w;
                assertTrue(p >= 2 && p <= Concealer.ORDER && w >= 4 * p && w <= Concealer.WINDOW, at);
                // Forward over the window and backward over half of it, 5 multiply-adds per frame and order.
                final long cost = (long) channels * 5 * p * (w + w / 2);
                final long budget = (long) Concealer.FIT_MACS_PER_FRAME * frames;
                assertTrue(cost <= budget || p == 2, at + " costs " + cost + " of " + budget);
                final Concealer c = new Concealer(UnderrunPolicy.PREDICT, channels, frames, RATE);
                final long run = (long) channels * 2 * p * c.maxInterpolation();
                assertTrue(run <= budget || c.maxInterpolation() == frames, at + ": running "
                        + c.maxInterpolation() + " frames costs " + run + " of " + budget);
            }
        }
    }

    @Test
    void eight_channels_at_64_frames_still_continue_their_tones() {
        final int frames = 64;
        final int channels = 8;
        final Concealer c = new Concealer(UnderrunPolicy.PREDICT, channels, frames, RATE);
        final float[][] period = new float[channels][frames];
        for (int p = 0; p <= 40; p++) {
            for (int ch = 0; ch < channels; ch++) {
                for (int i = 0; i < frames; i++) {
                    period[ch][i] = (float) tone(ch, p * frames + i);
                }
            }
            if (p < 40) {
                c.play(period, 0, frames);
            }
        }
        final float[][] out = new float[channels][frames];
        c.conceal(out, 0, frames);
        for (int ch = 0; ch < channels; ch++) {
            double err = 0;
            double sig = 0;
            for (int i = 0; i < frames; i++) {
                err += Math.pow(out[ch][i] - period[ch][i], 2);
                sig += Math.pow(period[ch][i], 2);
            }
            final double snr = 10 * Math.log10(sig / err);
            assertTrue(snr > 40, "channel " + ch + ": " + snr + " dB");
        }
    }

    /** Channel {@code ch}'s signal: a tone of its own. */
    private static double tone(int ch, int frame) {
        return 0.5 * Math.sin(2 * Math.PI * 110 * (ch + 2) * frame / RATE + ch);
    }

    private static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += x[i] * x[i];
        }
        return Math.sqrt(s / (to - from));
    }
}

package org.jamwire.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The {@link DriftEstimator} on its own, on one clock: both ends' periods begin on the same
 * system clock, late by scheduling noise and, at this end's start, by a lateness that falls
 * steadily as it warms up. That fall looks like a rate for as long as it lasts.
 */
class DriftEstimatorTest {

    private static final int RATE = 48_000;
    private static final int FRAMES = 128;
    private static final double PERIOD_MICROS = 1e6 * FRAMES / RATE;

    private final Random random = new Random(3);
    private final DriftEstimator drift = new DriftEstimator(RATE);
    private long period;
    private boolean everBelieved;

    /**
     * Runs {@code seconds} of periods at both ends, each begun late by up to 100 µs of noise; this
     * end's also by a lateness that falls from {@code rampMicros} to 0 over the first
     * {@code rampSeconds} (it started after the peer, which was warm already).
     */
    private void run(double seconds, double rampMicros, double rampSeconds) {
        for (final long end = period + Math.round(seconds * 1e6 / PERIOD_MICROS); period < end; period++) {
            final double t = period * PERIOD_MICROS / 1e6;
            final double ramp = t < rampSeconds ? rampMicros * (1 - t / rampSeconds) : 0;
            final long frame = period * FRAMES;
            drift.local(frame, Math.round(period * PERIOD_MICROS + ramp + random.nextDouble() * 100));
            drift.remote(frame, Math.round(period * PERIOD_MICROS + random.nextDouble() * 100));
            everBelieved |= drift.believed();
        }
    }

    @Test
    void a_warm_up_of_a_few_seconds_is_not_taken_for_drift() {
        // 100 µs a second for 5 s: a 100 ppm slope, as the first seconds of a stream can show.
        run(120, 500, 5);
        assertFalse(everBelieved, "believed " + drift.ppm() + " ppm on one clock");
        assertEquals(0, drift.ppm());
    }

    @Test
    void a_drift_believed_on_a_long_warm_up_is_let_go_once_the_clocks_agree() {
        // 100 ppm for 15 s: long enough to be believed; then the clocks agree for good.
        run(15, 1500, 15);
        assertTrue(drift.believed(), "a steady slope over 10 s is believed as drift");
        run(60, 0, 0);
        assertFalse(drift.believed(), "still corrected by " + drift.ppm() + " ppm a minute after the clocks agreed");
        assertEquals(0, drift.ppm());
    }
}

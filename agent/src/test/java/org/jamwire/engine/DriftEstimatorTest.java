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
    private double remoteMicros;
    private boolean everBelieved;
    private double believedAt = -1;

    /**
     * Runs {@code seconds} of periods at both ends, each begun late by up to 100 µs of noise; this
     * end's also by a lateness that falls from {@code rampMicros} to 0 over the first
     * {@code rampSeconds} (it started after the peer, which was warm already).
     */
    private void run(double seconds, double rampMicros, double rampSeconds) {
        run(seconds, rampMicros, rampSeconds, 0);
    }

    /** As above, the peer's audio clock running {@code peerPpm} fast meanwhile. */
    private void run(double seconds, double rampMicros, double rampSeconds, double peerPpm) {
        for (final long end = period + Math.round(seconds * 1e6 / PERIOD_MICROS); period < end; period++) {
            final double t = period * PERIOD_MICROS / 1e6;
            final double ramp = t < rampSeconds ? rampMicros * (1 - t / rampSeconds) : 0;
            final long frame = period * FRAMES;
            drift.local(frame, Math.round(period * PERIOD_MICROS + ramp + random.nextDouble() * 100));
            drift.remote(frame, Math.round(remoteMicros + random.nextDouble() * 100));
            remoteMicros += PERIOD_MICROS / (1 + peerPpm * 1e-6);
            if (drift.believed() && believedAt < 0) {
                believedAt = t;
            }
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
    void a_long_warm_up_is_not_drift_a_real_one_is_believed_once_lateness_cannot_explain_it_and_let_go() {
        // 100 µs a second for 15 s: a slope for longer than an estimate needs, but 1.5 ms in all,
        // less than lateness can move a clock by without an xrun (1.25 periods and 0.5 ms: 3.8 ms).
        run(30, 1500, 15);
        assertFalse(everBelieved, "believed " + drift.ppm() + " ppm on one clock");
        // Then the peer's clock runs 100 ppm fast: believed once the clocks have moved apart by
        // 3.8 ms, 38 s on, and measured as it is.
        run(90, 0, 0, 100);
        assertTrue(drift.believed(), "a drift of 100 ppm for 90 s");
        assertTrue(believedAt > 30 + 36 && believedAt < 30 + 60, "believed " + (believedAt - 30) + " s into the drift");
        assertEquals(100, drift.ppm(), 5);
        // The clocks agree again for good: let go.
        run(60, 0, 0);
        assertFalse(drift.believed(), "still corrected by " + drift.ppm() + " ppm a minute after the clocks agreed");
        assertEquals(0, drift.ppm());
    }
}

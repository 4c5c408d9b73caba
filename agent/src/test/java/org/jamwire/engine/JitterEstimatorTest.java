package org.jamwire.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JitterEstimatorTest {

    private static final long PERIOD = 2_666_667;

    @Test
    void packets_arriving_exactly_one_period_apart_have_no_jitter() {
        final JitterEstimator j = new JitterEstimator();
        for (int seq = 0; seq < 1000; seq++) {
            j.arrival(seq * PERIOD, seq, PERIOD);
        }
        assertEquals(0, j.jitterMicros());
    }

    @Test
    void converges_to_the_mean_deviation_of_arrivals() {
        final JitterEstimator j = new JitterEstimator();
        // Every other packet 500 us late: consecutive spacings deviate by 500 us each time.
        for (int seq = 0; seq < 2000; seq++) {
            j.arrival(seq * PERIOD + (seq % 2) * 500_000L, seq, PERIOD);
        }
        assertTrue(Math.abs(j.jitterMicros() - 500) <= 5, "jitter " + j.jitterMicros() + " us");
    }

    @Test
    void a_lost_packet_is_not_jitter() {
        final JitterEstimator j = new JitterEstimator();
        for (int seq = 0; seq < 1000; seq++) {
            if (seq % 10 != 5) {
                j.arrival(seq * PERIOD, seq, PERIOD);
            }
        }
        assertEquals(0, j.jitterMicros());
    }

    @Test
    void ignores_a_packet_older_than_the_last_and_follows_wrap() {
        final JitterEstimator j = new JitterEstimator();
        j.arrival(0, 65535, PERIOD);
        j.arrival(PERIOD, 0, PERIOD);
        j.arrival(PERIOD + 10, 65534, PERIOD);
        j.arrival(2 * PERIOD, 1, PERIOD);
        assertEquals(0, j.jitterMicros());
    }
}

package org.jamwire.netsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The impairment's ranges, defaults and description. */
class ImpairmentTest {

    private static String rejected(Executable build) {
        return assertThrows(IllegalArgumentException.class, build).getMessage();
    }

    @Test
    void a_probability_out_of_range_is_rejected_naming_the_field_and_the_range() {
        assertEquals("loss: 1.5 is not allowed: use a probability from 0 to 1",
                rejected(() -> Impairment.none().withLoss(1.5)));
        assertEquals("duplicate: -0.1 is not allowed: use a probability from 0 to 1",
                rejected(() -> Impairment.none().withDuplicate(-0.1)));
        assertEquals("reorder: NaN is not allowed: use a probability from 0 to 1",
                rejected(() -> Impairment.none().withReorder(Double.NaN)));
        assertEquals("burstProbability: 2.0 is not allowed: use a probability from 0 to 1",
                rejected(() -> Impairment.none().withBurst(2, 3)));
    }

    @Test
    void a_burst_shorter_than_one_datagram_is_rejected() {
        assertEquals("burstLength: 0.5 is not allowed: use 1 to 1000000 datagrams",
                rejected(() -> Impairment.none().withBurst(0.1, 0.5)));
    }

    @Test
    void a_delay_or_jitter_out_of_range_is_rejected() {
        assertEquals("delayMicros: -1 is not allowed: use 0 to 60000000 microseconds (60 s)",
                rejected(() -> Impairment.none().withDelay(-1, 0)));
        assertEquals("jitterMicros: 60000001 is not allowed: use 0 to 60000000 microseconds (60 s)",
                rejected(() -> Impairment.none().withDelay(0, 60_000_001)));
    }

    @Test
    void a_rate_limit_needs_a_bucket() {
        assertEquals("rateBucketBytes: 0 is not allowed: use 1 to 2147483647 bytes with a rate"
                + " limit, 0 to 2147483647 without", rejected(() -> Impairment.none().withRate(8000, 0)));
        assertEquals("rateBitsPerSecond: -8 is not allowed: use 0 (no limit) to 100000000000"
                + " bits/s", rejected(() -> Impairment.none().withRate(-8, 100)));
    }

    @Test
    void the_default_bucket_holds_20_ms_of_traffic_and_at_least_1500_bytes() {
        assertEquals(25_000, Impairment.none().withRate(10_000_000).rateBucketBytes());
        assertEquals(1500, Impairment.none().withRate(64_000).rateBucketBytes());
    }

    @Test
    void none_changes_nothing_and_says_so() {
        assertTrue(Impairment.none().isNone());
        assertEquals("none, seed 1", Impairment.none().describe());
    }

    @Test
    void describe_lists_each_impairment() {
        assertEquals("loss 2%, bursts 0.5% of mean length 3, duplicate 1%, reorder 1.5%, delay 20 ms"
                + " +/- 5 ms, rate 1000 kbit/s (bucket 2500 bytes), seed 7",
                Impairment.none().withLoss(0.02).withBurst(0.005, 3).withDuplicate(0.01)
                        .withReorder(0.015).withDelay(20_000, 5_000).withRate(1_000_000)
                        .withSeed(7).describe());
    }

    @Test
    void the_stationary_burst_loss_follows_the_gilbert_model() {
        assertEquals(0.01 / (0.01 + 0.25), Impairment.none().withBurst(0.01, 4).burstLossFraction(),
                1e-12);
    }
}

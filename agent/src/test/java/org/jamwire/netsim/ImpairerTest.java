package org.jamwire.netsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decisions alone, driven by hand with an injected clock: statistics and exact cases. */
class ImpairerTest {

    private static List<RelayRecord.Event> run(Impairment impairment, int count) {
        final Impairer impairer = new Impairer(impairment, Direction.TO_SERVER);
        final List<RelayRecord.Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(impairer.decide(i, 80, 0));
        }
        return events;
    }

    @Test
    void random_loss_stays_within_binomial_bounds_for_every_seed() {
        for (long seed = 1; seed <= 20; seed++) {
            final long lost = run(Impairment.none().withLoss(0.02).withSeed(seed), 20_000).stream()
                    .filter(e -> e.fate() == Fate.DROPPED_RANDOM).count();
            // Mean 400, standard deviation 19.8: 5 deviations either side.
            assertTrue(lost >= 301 && lost <= 499, "seed " + seed + ": " + lost);
        }
    }

    @Test
    void bursts_last_their_mean_length_and_lose_the_stationary_fraction() {
        final Impairment impairment = Impairment.none().withBurst(0.01, 4).withSeed(3);
        final List<RelayRecord.Event> events = run(impairment, 200_000);
        int bursts = 0;
        int lost = 0;
        boolean inBurst = false;
        for (RelayRecord.Event e : events) {
            final boolean burst = e.fate() == Fate.DROPPED_BURST;
            bursts += burst && !inBurst ? 1 : 0;
            lost += burst ? 1 : 0;
            inBurst = burst;
        }
        // Stationary loss 0.01 / (0.01 + 1/4) = 3.85%: 7692 of 200000. About 1900 bursts of
        // geometric length (standard deviation 3.5) give a mean within 0.4 of 4 by 5 errors.
        assertEquals(impairment.burstLossFraction() * events.size(), lost, 0.1 * 7692);
        assertEquals(4.0, (double) lost / bursts, 0.4);
    }

    @Test
    void a_datagram_is_never_reordered_while_another_is_held() {
        final List<RelayRecord.Event> events = run(Impairment.none().withReorder(0.5), 10_000);
        for (int i = 1; i < events.size(); i++) {
            assertFalse(events.get(i - 1).reordered() && events.get(i).reordered(), "#" + i);
        }
        final long reordered = events.stream().filter(RelayRecord.Event::reordered).count();
        // Held half the time it could be, and it can be one time in (1 + 0.5): a third overall.
        assertEquals(10_000 / 3.0, reordered, 250);
    }

    @Test
    void jitter_is_uniform_around_the_mean_and_never_below_zero() {
        final List<RelayRecord.Event> events =
                run(Impairment.none().withDelay(1000, 3000), 10_000);
        long zero = 0;
        for (RelayRecord.Event e : events) {
            assertTrue(e.delayMicros() >= 0 && e.delayMicros() <= 4000, e.describe());
            zero += e.delayMicros() == 0 ? 1 : 0;
        }
        // Offsets below -1000 µs are a third of [-3000, 3000) and all clamp to 0.
        assertEquals(10_000 / 3.0, zero, 250);
    }

    @Test
    void the_token_bucket_starts_full_and_refills_at_the_rate() {
        // 8000 bit/s is 1000 bytes a second; the bucket holds 1000 bytes.
        final Impairer impairer = new Impairer(Impairment.none().withRate(8000, 1000),
                Direction.TO_SERVER);
        assertEquals(Fate.FORWARDED, impairer.decide(0, 600, 0).fate());
        assertEquals(Fate.FORWARDED, impairer.decide(1, 400, 0).fate());
        assertEquals(Fate.DROPPED_RATE, impairer.decide(2, 1, 0).fate());
        assertEquals(Fate.DROPPED_RATE, impairer.decide(3, 500, 499_000_000L).fate());
        assertEquals(Fate.FORWARDED, impairer.decide(4, 500, 500_000_000L).fate());
        // Ten idle seconds refill only up to the bucket.
        assertEquals(Fate.DROPPED_RATE, impairer.decide(5, 1001, 10_500_000_000L).fate());
        assertEquals(Fate.FORWARDED, impairer.decide(6, 1000, 10_500_000_000L).fate());
    }

    @Test
    void the_two_directions_draw_different_streams_from_one_seed() {
        final Impairment impairment = Impairment.none().withLoss(0.5);
        final Impairer toServer = new Impairer(impairment, Direction.TO_SERVER);
        final Impairer toClient = new Impairer(impairment, Direction.TO_CLIENT);
        final List<Fate> a = new ArrayList<>();
        final List<Fate> b = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            a.add(toServer.decide(i, 80, 0).fate());
            b.add(toClient.decide(i, 80, 0).fate());
        }
        assertFalse(a.equals(b));
    }

    @Test
    void a_datagrams_fate_depends_on_its_index_not_on_the_fates_before_it() {
        // With loss added, the duplicates that survive are the same ones as without loss.
        final List<RelayRecord.Event> plain = run(Impairment.none().withDuplicate(0.1), 5000);
        final List<RelayRecord.Event> lossy =
                run(Impairment.none().withDuplicate(0.1).withLoss(0.3), 5000);
        for (int i = 0; i < plain.size(); i++) {
            if (lossy.get(i).forwarded()) {
                assertEquals(plain.get(i).duplicated(), lossy.get(i).duplicated(), "#" + i);
            }
        }
    }
}

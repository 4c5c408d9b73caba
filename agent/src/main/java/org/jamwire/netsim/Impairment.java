package org.jamwire.netsim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link Relay} does to the datagrams going one way, and the seed of its random choices.
 * Immutable; built on the control thread, e.g. {@code Impairment.none().withLoss(0.02)}.
 *
 * <p>Each arriving datagram meets these in order, and the first that applies decides:
 * <ol>
 *   <li><b>Burst loss</b>, a two-state Gilbert model: in the good state a burst starts with
 *       probability {@code burstProbability}, and that datagram is the burst's first loss; in the
 *       burst every datagram is lost, and after each one the burst ends with probability
 *       {@code 1 / burstLength}. Burst lengths are geometric with mean {@code burstLength}, and in
 *       the long run a fraction {@link #burstLossFraction()} of datagrams is lost to bursts.</li>
 *   <li><b>Random loss</b>: each remaining datagram is lost with probability {@code loss}.</li>
 *   <li><b>Rate limit</b>, a token bucket policing the datagrams' UDP payload: it refills at
 *       {@code rateBitsPerSecond}, holds at most {@code rateBucketBytes} and starts full; a
 *       datagram for which it holds too few bytes is dropped, not queued, so the limit adds no
 *       delay. It polices arrivals, before duplication. It is the one decision that depends on
 *       time as well as the seed.</li>
 * </ol>
 * A datagram that survives is then sent twice with probability {@code duplicate}, the copy right
 * after it; held back with probability {@code reorder} and sent right after the next datagram
 * that is forwarded (never while another is held); and delayed by {@code delayMicros} plus a
 * uniform offset in [-{@code jitterMicros}, +{@code jitterMicros}), clamped at 0. Datagrams
 * leave in order of release time, so jitter wider than the gap between datagrams reorders them,
 * as on a real network; the record only counts the reorders it made on purpose.
 *
 * <p>Every datagram draws the same five random numbers whatever happens to it, so the fate of the
 * n-th datagram depends only on the seed and n (and, with a rate limit, on arrival times).
 *
 * @param loss probability of random loss, 0 to 1
 * @param burstProbability probability that a burst of losses starts at a datagram, 0 to 1
 * @param burstLength mean datagrams per burst, 1 to 1,000,000
 * @param duplicate probability of sending a datagram twice, 0 to 1
 * @param reorder probability of holding a datagram back until after the next one, 0 to 1
 * @param delayMicros mean delay, 0 to 60 s in microseconds
 * @param jitterMicros half-width of the uniform delay variation, 0 to 60 s in microseconds
 * @param rateBitsPerSecond rate limit, 0 for none, up to 100 Gbit/s
 * @param rateBucketBytes token bucket depth: the largest burst that passes at once, and the
 *     largest datagram that can pass at all; 1 to 2^31-1 with a rate limit, ignored without
 * @param seed seed of the random choices; each direction derives its own generator from it
 */
public record Impairment(double loss, double burstProbability, double burstLength, double duplicate,
        double reorder, long delayMicros, long jitterMicros, long rateBitsPerSecond,
        int rateBucketBytes, long seed) {

    /** The longest delay or jitter, in microseconds: 60 s. */
    public static final long MAX_DELAY_MICROS = 60_000_000L;
    /** The highest rate limit: 100 Gbit/s. */
    public static final long MAX_RATE = 100_000_000_000L;
    /** The longest mean burst. */
    public static final double MAX_BURST_LENGTH = 1_000_000;
    /** The seed of {@link #none()}. */
    public static final long DEFAULT_SEED = 1;
    /** Traffic the default token bucket holds at the limited rate, in microseconds: 20 ms. */
    public static final long DEFAULT_BUCKET_MICROS = 20_000;
    /** The smallest default token bucket: one Ethernet frame's payload. */
    public static final int MIN_DEFAULT_BUCKET_BYTES = 1500;

    /** Checks every field against its range, naming the field and the range when one is out. */
    public Impairment {
        probability("loss", loss);
        probability("burstProbability", burstProbability);
        if (!(burstLength >= 1 && burstLength <= MAX_BURST_LENGTH)) {
            throw outOfRange("burstLength", burstLength, "1 to 1000000 datagrams");
        }
        probability("duplicate", duplicate);
        probability("reorder", reorder);
        micros("delayMicros", delayMicros);
        micros("jitterMicros", jitterMicros);
        if (rateBitsPerSecond < 0 || rateBitsPerSecond > MAX_RATE) {
            throw outOfRange("rateBitsPerSecond", rateBitsPerSecond,
                    "0 (no limit) to " + MAX_RATE + " bits/s");
        }
        if (rateBucketBytes < 0 || (rateBitsPerSecond > 0 && rateBucketBytes == 0)) {
            throw outOfRange("rateBucketBytes", rateBucketBytes,
                    "1 to " + Integer.MAX_VALUE + " bytes with a rate limit, 0 to "
                            + Integer.MAX_VALUE + " without");
        }
    }

    /** Nothing impaired: every datagram forwarded at once, once, in order; seed 1. */
    public static Impairment none() {
        return new Impairment(0, 0, 1, 0, 0, 0, 0, 0, 0, DEFAULT_SEED);
    }

    /** This with random loss of probability {@code p}. */
    public Impairment withLoss(double p) {
        return new Impairment(p, burstProbability, burstLength, duplicate, reorder, delayMicros,
                jitterMicros, rateBitsPerSecond, rateBucketBytes, seed);
    }

    /** This with bursts starting with probability {@code p}, {@code meanLength} datagrams long. */
    public Impairment withBurst(double p, double meanLength) {
        return new Impairment(loss, p, meanLength, duplicate, reorder, delayMicros, jitterMicros,
                rateBitsPerSecond, rateBucketBytes, seed);
    }

    /** This with duplication of probability {@code p}. */
    public Impairment withDuplicate(double p) {
        return new Impairment(loss, burstProbability, burstLength, p, reorder, delayMicros,
                jitterMicros, rateBitsPerSecond, rateBucketBytes, seed);
    }

    /** This with reordering of probability {@code p}. */
    public Impairment withReorder(double p) {
        return new Impairment(loss, burstProbability, burstLength, duplicate, p, delayMicros,
                jitterMicros, rateBitsPerSecond, rateBucketBytes, seed);
    }

    /** This with a mean delay and a jitter, in microseconds. */
    public Impairment withDelay(long meanMicros, long jitter) {
        return new Impairment(loss, burstProbability, burstLength, duplicate, reorder, meanMicros,
                jitter, rateBitsPerSecond, rateBucketBytes, seed);
    }

    /**
     * This with a rate limit and the default bucket: {@value #DEFAULT_BUCKET_MICROS} µs of traffic
     * at that rate, but at least {@value #MIN_DEFAULT_BUCKET_BYTES} bytes.
     */
    public Impairment withRate(long bitsPerSecond) {
        final long bytes = bitsPerSecond / 8 * DEFAULT_BUCKET_MICROS / 1_000_000;
        return withRate(bitsPerSecond, (int) Math.min(Integer.MAX_VALUE,
                Math.max(MIN_DEFAULT_BUCKET_BYTES, bytes)));
    }

    /** This with a rate limit and a bucket of {@code bucketBytes}. */
    public Impairment withRate(long bitsPerSecond, int bucketBytes) {
        return new Impairment(loss, burstProbability, burstLength, duplicate, reorder, delayMicros,
                jitterMicros, bitsPerSecond, bucketBytes, seed);
    }

    /** This with another seed. */
    public Impairment withSeed(long newSeed) {
        return new Impairment(loss, burstProbability, burstLength, duplicate, reorder, delayMicros,
                jitterMicros, rateBitsPerSecond, rateBucketBytes, newSeed);
    }

    /** The long-run fraction of datagrams lost to bursts: p / (p + 1 / burstLength). */
    public double burstLossFraction() {
        return burstProbability == 0 ? 0 : burstProbability / (burstProbability + 1 / burstLength);
    }

    /** True when this changes nothing, whatever the seed. */
    public boolean isNone() {
        return describeEffects().isEmpty();
    }

    /** The impairments in words, e.g. {@code loss 2%, delay 20 ms +/- 5 ms, seed 1}. */
    public String describe() {
        final List<String> parts = describeEffects();
        if (parts.isEmpty()) {
            parts.add("none");
        }
        parts.add("seed " + seed);
        return String.join(", ", parts);
    }

    private List<String> describeEffects() {
        final List<String> parts = new ArrayList<>();
        if (loss > 0) {
            parts.add("loss " + percent(loss));
        }
        if (burstProbability > 0) {
            parts.add("bursts " + percent(burstProbability) + " of mean length "
                    + number(burstLength));
        }
        if (duplicate > 0) {
            parts.add("duplicate " + percent(duplicate));
        }
        if (reorder > 0) {
            parts.add("reorder " + percent(reorder));
        }
        if (delayMicros > 0 || jitterMicros > 0) {
            parts.add("delay " + number(delayMicros / 1000.0) + " ms +/- "
                    + number(jitterMicros / 1000.0) + " ms");
        }
        if (rateBitsPerSecond > 0) {
            parts.add("rate " + number(rateBitsPerSecond / 1000.0) + " kbit/s (bucket "
                    + rateBucketBytes + " bytes)");
        }
        return parts;
    }

    private static String percent(double p) {
        return number(p * 100) + "%";
    }

    private static String number(double v) {
        final String s = String.format(Locale.ROOT, "%.4f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static void probability(String field, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw outOfRange(field, p, "a probability from 0 to 1");
        }
    }

    private static void micros(String field, long v) {
        if (v < 0 || v > MAX_DELAY_MICROS) {
            throw outOfRange(field, v, "0 to " + MAX_DELAY_MICROS + " microseconds (60 s)");
        }
    }

    private static IllegalArgumentException outOfRange(String field, Object value, String range) {
        return new IllegalArgumentException(field + ": " + value + " is not allowed: use " + range);
    }
}

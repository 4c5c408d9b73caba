package org.jamwire.netsim;

import java.util.SplittableRandom;

/**
 * Decides the fate of each datagram going one way through the relay, following the rules that
 * {@link Impairment} documents, and returns it as the record's {@link RelayRecord.Event}. Pure
 * apart from its own state: the arrival time is a parameter, so tests drive it with any clock.
 * Called only on that direction's receive thread.
 */
final class Impairer {

    private static final double NANOS_PER_SECOND = 1e9;

    private volatile Impairment impairment;
    private final SplittableRandom random;
    private volatile double bytesPerNano;
    private volatile double burstEnd;
    private int nextIndex;
    private boolean inBurst;
    private boolean holding;
    private double tokens;
    private long refilledNanos;
    private boolean refilledOnce;

    Impairer(Impairment impairment, Direction direction) {
        this.impairment = impairment;
        this.random = new SplittableRandom(direction.seed(impairment.seed()));
        this.bytesPerNano = impairment.rateBitsPerSecond() / 8.0 / NANOS_PER_SECOND;
        this.burstEnd = 1 / impairment.burstLength();
        this.tokens = impairment.rateBucketBytes();
    }

    /**
     * Follows {@code next} from the next datagram on, e.g. another jitter mid-stream; the random
     * sequence goes on as it was. Called on a control thread; the receive thread sees it at its
     * next datagram.
     */
    void retune(Impairment next) {
        bytesPerNano = next.rateBitsPerSecond() / 8.0 / NANOS_PER_SECOND;
        burstEnd = 1 / next.burstLength();
        impairment = next;
    }

    /**
     * The fate of the next datagram to arrive.
     *
     * @param sequence its JackTrip sequence number, or -1 when it is not an audio datagram
     * @param length its UDP payload in bytes
     * @param nowNanos when it arrived, on {@link System#nanoTime()}'s scale
     */
    RelayRecord.Event decide(int sequence, int length, long nowNanos) {
        final Impairment impairment = this.impairment;
        final double burstDraw = random.nextDouble();
        final double lossDraw = random.nextDouble();
        final double duplicateDraw = random.nextDouble();
        final double reorderDraw = random.nextDouble();
        final double jitterDraw = random.nextDouble();
        final int index = nextIndex++;
        inBurst = inBurst ? burstDraw >= burstEnd : burstDraw < impairment.burstProbability();
        final Fate fate;
        if (inBurst) {
            fate = Fate.DROPPED_BURST;
        } else if (lossDraw < impairment.loss()) {
            fate = Fate.DROPPED_RANDOM;
        } else if (!takeTokens(length, nowNanos)) {
            fate = Fate.DROPPED_RATE;
        } else {
            fate = Fate.FORWARDED;
        }
        if (fate.dropped()) {
            return new RelayRecord.Event(index, sequence, length, nowNanos, fate, false, false, 0);
        }
        final boolean duplicated = duplicateDraw < impairment.duplicate();
        final boolean reordered = !holding && reorderDraw < impairment.reorder();
        // A forwarded datagram that is not held itself releases the one held before it.
        holding = reordered;
        final double offset = (2 * jitterDraw - 1) * impairment.jitterMicros();
        final long delay = Math.max(0, Math.round(impairment.delayMicros() + offset));
        return new RelayRecord.Event(index, sequence, length, nowNanos, fate, duplicated, reordered,
                delay);
    }

    private boolean takeTokens(int length, long nowNanos) {
        if (impairment.rateBitsPerSecond() == 0) {
            return true;
        }
        if (refilledOnce) {
            final long elapsed = nowNanos - refilledNanos;
            tokens = Math.min(impairment.rateBucketBytes(), tokens + elapsed * bytesPerNano);
        }
        refilledOnce = true;
        refilledNanos = nowNanos;
        if (tokens < length) {
            return false;
        }
        tokens -= length;
        return true;
    }
}

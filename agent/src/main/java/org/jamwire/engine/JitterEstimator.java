package org.jamwire.engine;

/**
 * Estimates the peer's packet jitter as RTP does (RFC 3550, section 6.4.1): for each new packet,
 * the difference between how far apart two packets arrived and how far apart they were sent
 * (their sequence distance times the period), smoothed with gain 1/16. Time is a parameter.
 * Runs wherever the packet loop runs (the audio thread in a link); allocation-free.
 */
public final class JitterEstimator {

    private static final double GAIN = 1.0 / 16;
    private long lastArrival = -1;
    private int lastSeq;
    private double jitterNanos;

    /**
     * Takes one packet's arrival.
     *
     * @param arrivalNanos when it arrived, from a monotonic clock
     * @param seq its 16-bit sequence number
     * @param periodNanos the sender's period, in nanoseconds
     */
    public void arrival(long arrivalNanos, int seq, long periodNanos) {
        if (lastArrival >= 0) {
            final int sent = (short) (seq - lastSeq);
            if (sent <= 0) {
                return;
            }
            final long deviation = (arrivalNanos - lastArrival) - sent * periodNanos;
            jitterNanos += (Math.abs(deviation) - jitterNanos) * GAIN;
        }
        lastArrival = arrivalNanos;
        lastSeq = seq;
    }

    /** The current estimate, in microseconds. */
    public long jitterMicros() {
        return Math.round(jitterNanos / 1000);
    }

    /** Forgets everything, e.g. when a new peer is adopted. */
    public void reset() {
        lastArrival = -1;
        jitterNanos = 0;
    }
}

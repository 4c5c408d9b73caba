package org.jamwire.netsim;

/** What a {@link Relay} decided for one arriving datagram. Immutable. */
public enum Fate {
    /** Sent on: at once or after its delay, perhaps twice, perhaps after the next one. */
    FORWARDED("forwarded"),
    /** Dropped by the independent random loss. */
    DROPPED_RANDOM("dropped (random)"),
    /** Dropped because the burst-loss model was in its losing state. */
    DROPPED_BURST("dropped (burst)"),
    /** Dropped because the token bucket of the rate limit held too few bytes. */
    DROPPED_RATE("dropped (rate)");

    private final String label;

    Fate(String label) {
        this.label = label;
    }

    /** True for every fate but {@link #FORWARDED}. */
    public boolean dropped() {
        return this != FORWARDED;
    }

    /** How summaries say it, e.g. {@code dropped (burst)}. */
    public String label() {
        return label;
    }
}

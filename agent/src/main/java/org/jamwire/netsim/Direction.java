package org.jamwire.netsim;

/** The two ways through a {@link Relay}, each impaired on its own. Immutable. */
public enum Direction {
    /** From the client, through the relay's client-facing port, to the server. */
    TO_SERVER("to-server", 0L),
    /** From the server, through the relay's server-facing port, back to the client. */
    TO_CLIENT("to-client", 0x9E3779B97F4A7C15L);

    private final String label;
    private final long seedSalt;

    Direction(String label, long seedSalt) {
        this.label = label;
        this.seedSalt = seedSalt;
    }

    /** The name in summaries and on the command line, e.g. {@code to-server}. */
    public String label() {
        return label;
    }

    /** The seed this direction's generator starts from, so the two ways draw different streams. */
    long seed(long impairmentSeed) {
        return impairmentSeed ^ seedSalt;
    }
}

package org.jamwire.hub;

/**
 * How a hub connects its clients' JACK ports, as jacktrip's {@code -p}. Client N's
 * {@code receive_k} port carries what N sends; its {@code send_k} port is what N hears.
 */
public enum PatchMode {
    /** 0: each client to the hub machine's system ports (capture to send_k, receive_k to playback). */
    SERVER_TO_CLIENTS(0, "each client to and from the hub's system ports"),
    /** 1: each client hears itself: receive_k to its own send_k. */
    CLIENT_ECHO(1, "each client hears itself"),
    /** 2: each client hears every other client, not itself. */
    CLIENT_FAN_OUT_IN(2, "each client hears every other client, not itself"),
    /** 3: jacktrip's TU Berlin matrix for hard-wired addresses; JamWire patches nothing. */
    RESERVED_MATRIX(3, "reserved (jacktrip's TU Berlin matrix); JamWire patches nothing"),
    /** 4: each client hears every client, itself included. */
    FULL_MIX(4, "each client hears every client, itself included"),
    /** 5: nothing is connected. */
    NONE(5, "no ports are connected");

    private final int number;
    private final String meaning;

    PatchMode(int number, String meaning) {
        this.number = number;
        this.meaning = meaning;
    }

    /** jacktrip's number for the mode. */
    public int number() {
        return number;
    }

    /** What the mode does, for the help. */
    public String meaning() {
        return meaning;
    }

    /** The mode with jacktrip's number {@code n}. */
    public static PatchMode of(int n) {
        for (PatchMode m : values()) {
            if (m.number == n) {
                return m;
            }
        }
        throw new IllegalArgumentException("hub patch mode " + n + " is not 0 to 5");
    }
}

package org.jamwire.options;

import java.util.List;

/**
 * A short flag that the old JackTrip manual and jacktrip 1.7 use for different things. JamWire
 * keeps the old manual's meaning, so the manual's command lines work as printed, and offers a
 * long option for jacktrip's meaning where it supports it.
 *
 * @param flag the flag and its value as the old manual uses it, e.g. {@code -b N}
 * @param here what it does in JamWire (the old manual's meaning)
 * @param jacktrip what it does in jacktrip 1.7
 * @param jacktripHere the JamWire option with jacktrip's meaning, or null when unsupported
 */
record SeedFlag(String flag, String here, String jacktrip, String jacktripHere) {

    /** Every flag whose meaning differs, in alphabetical order. */
    static final List<SeedFlag> ALL = List.of(
            new SeedFlag("-a N", "N channels each way, as -n N",
                    "assumed number of hub clients for its limiter", null),
            new SeedFlag("-b N", "redundancy N, as --redundancy N", "bit resolution", "--bitres N"),
            new SeedFlag("-j", "JACK audio, as --backend jack", "JamLink mode", null),
            new SeedFlag("-r", "wait for a client, as -s", "redundancy", "--redundancy N"),
            new SeedFlag("-t HOST", "connect to HOST, as -c HOST",
                    "quit after 10 seconds without data", "--timeout"),
            new SeedFlag("-z N", "buffer size N frames, as --buffersize N", "zeros on underrun",
                    null));

    /** The flag alone, e.g. {@code -b}. */
    String name() {
        final int space = flag.indexOf(' ');
        return space < 0 ? flag : flag.substring(0, space);
    }

    /** A sentence for error messages saying both meanings. */
    String hint() {
        final String theirs = jacktripHere == null
                ? "is not supported"
                : "is " + jacktripHere + " here";
        return "in the old manual " + flag + " means " + here + "; jacktrip's " + name() + " ("
                + jacktrip + ") " + theirs;
    }

    /** The flag with this name, or null. */
    static SeedFlag named(String name) {
        for (SeedFlag f : ALL) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }
}

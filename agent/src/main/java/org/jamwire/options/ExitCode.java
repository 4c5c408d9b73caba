package org.jamwire.options;

import java.util.List;

/**
 * The exit codes of {@code jamwire}. The command line returns {@link #USAGE} itself; what runs a
 * link, hub, demo or relay returns the others. The help lists {@link #ALL}.
 */
public final class ExitCode {

    /**
     * Ended as asked: help or version printed, a demo's or relay's time ran out, or the peer
     * stopped.
     */
    public static final int OK = 0;
    /** Failed: the message on stderr says why. */
    public static final int FAILED = 1;
    /** The command line is wrong: the message names the option. */
    public static final int USAGE = 2;
    /** Stopped with Ctrl-C (SIGINT), as 128 + 2. */
    public static final int INTERRUPTED = 130;

    /**
     * One exit code and what it means, as the help says it.
     *
     * @param code the exit status
     * @param meaning when it is returned
     */
    record Entry(int code, String meaning) {
    }

    /** Every exit code, for the help. */
    static final List<Entry> ALL = List.of(
            new Entry(OK, "ended normally: help or version printed, the --seconds of a demo or"
                    + " a relay ran out, or the peer said it stopped"),
            new Entry(FAILED, "failed, with the reason on stderr: e.g. the audio backend or the"
                    + " UDP port could not be opened, the peer's sample rate or bit resolution"
                    + " differs, JACK's buffer size is not -z's, or --timeout ran out"),
            new Entry(USAGE, "the command line is wrong; the message names the option"),
            new Entry(INTERRUPTED, "stopped with Ctrl-C"));

    private ExitCode() {
    }
}

package org.jamwire.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Explains an option that a command does not take: an option of another command, a jacktrip
 * option that JamWire does not support, a value glued to a short option, or a typing mistake
 * with the closest known option. Called on the control thread.
 */
final class UnknownOption {

    /**
     * A jacktrip 1.7 option that JamWire does not take.
     *
     * @param names its names, separated by spaces
     * @param what what it does in jacktrip
     * @param hub true for jacktrip's hub mode, where JamWire runs P2P links instead
     */
    record JacktripOnly(String names, String what, boolean hub) {

        List<String> nameList() {
            return Arrays.asList(names.split(" "));
        }

        String label() {
            return String.join("/", nameList());
        }
    }

    /** jacktrip 1.7's options that JamWire rejects, apart from those in {@link SeedFlag#ALL}. */
    static final List<JacktripOnly> JACKTRIP_ONLY = List.of(
            new JacktripOnly("-S --jacktripserver", "hub server mode", true),
            new JacktripOnly("-C --pingtoserver", "hub client mode", true),
            new JacktripOnly("-U --udpbaseport", "hub UDP base port", true),
            new JacktripOnly("-K --remotename", "hub client name", true),
            new JacktripOnly("-p --hubpatch", "hub patching", true),
            new JacktripOnly("-i --includeserver", "hub patching", true),
            new JacktripOnly("-u --upmix", "hub upmixing", true),
            new JacktripOnly("--appendthreadid", "hub client names", true),
            new JacktripOnly("-A --auth", "hub authentication", true),
            new JacktripOnly("--certfile", "hub authentication", true),
            new JacktripOnly("--keyfile", "hub authentication", true),
            new JacktripOnly("--credsfile", "hub authentication", true),
            new JacktripOnly("--username", "hub authentication", true),
            new JacktripOnly("--password", "hub authentication", true),
            new JacktripOnly("-l --loopback", "loopback mode", false),
            new JacktripOnly("--jamlink", "JamLink mode", false),
            new JacktripOnly("--zerounderrun", "zeros on underrun", false),
            new JacktripOnly("-L --localaddress", "local address", false),
            new JacktripOnly("--bufstrategy", "jitter buffer strategies", false),
            new JacktripOnly("--broadcast", "broadcast ports", false),
            new JacktripOnly("--udprt", "real-time network thread", false),
            new JacktripOnly("-f --effects", "effects", false),
            new JacktripOnly("-O --overflowlimiting", "limiters", false),
            new JacktripOnly("--assumednumclients", "limiter setting", false),
            new JacktripOnly("-G --iostatlog", "stat log file", false),
            new JacktripOnly("-x --examine-audio-delay", "audio delay report", false),
            new JacktripOnly("-V --verbose", "verbose mode", false),
            new JacktripOnly("--simloss", "network simulation", false),
            new JacktripOnly("--simjitter", "network simulation", false));

    private final OptionTable table;
    private final OptionTable other;
    private final String otherScope;

    /**
     * Explains names missing from {@code table}. A name found in {@code other} is reported as
     * belonging to {@code otherScope}, e.g. "'jamwire demo'".
     */
    UnknownOption(OptionTable table, OptionTable other, String otherScope) {
        this.table = table;
        this.other = other;
        this.otherScope = otherScope;
    }

    /** The error for {@code arg}, whose option name is {@code name}. */
    UsageException explain(String arg, String name) {
        final OptionSpec elsewhere = other.find(name);
        if (elsewhere != null) {
            return new UsageException(elsewhere.label(name) + " only applies to " + otherScope);
        }
        for (JacktripOnly j : JACKTRIP_ONLY) {
            if (j.nameList().contains(name)) {
                return new UsageException(j.label() + ": jacktrip's " + j.what()
                        + " is not supported" + (j.hub()
                                ? "; JamWire runs P2P links (-s, or -c HOST)" : ""));
            }
        }
        final String sameIgnoringDashes = closest(name, 0);
        if (sameIgnoringDashes != null) {
            return unknown(arg, "'" + sameIgnoringDashes + "'");
        }
        final String glued = gluedValue(arg);
        if (glued != null) {
            return unknown(arg, "'" + glued + "'");
        }
        final String core = core(name);
        final int tolerance = core.length() <= 1 ? 0 : core.length() <= 3 ? 1
                : core.length() <= 6 ? 2 : 3;
        final String near = closest(name, tolerance);
        return unknown(arg, near == null ? null : "'" + near + "'");
    }

    private static UsageException unknown(String arg, String suggestion) {
        return new UsageException("unknown option '" + arg + "'"
                + (suggestion == null ? "" : ": did you mean " + suggestion + "?"));
    }

    /** "-n 2" for "-n2" or "-n=2", when -n takes a value; else null. */
    private String gluedValue(String arg) {
        if (arg.length() < 3 || arg.charAt(1) == '-') {
            return null;
        }
        final OptionSpec spec = table.find(arg.substring(0, 2));
        if (spec == null || !spec.takesValue()) {
            return null;
        }
        final String rest = arg.substring(2);
        return arg.substring(0, 2) + " " + (rest.startsWith("=") ? rest.substring(1) : rest);
    }

    /** The known name nearest to {@code name} (dashes and case aside), within the tolerance. */
    private String closest(String name, int tolerance) {
        final String core = core(name);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : table.names()) {
            final int d = distance(core, core(candidate));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= tolerance ? best : null;
    }

    private static String core(String name) {
        int i = 0;
        while (i < name.length() && name.charAt(i) == '-') {
            i++;
        }
        return name.substring(i).toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            final int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

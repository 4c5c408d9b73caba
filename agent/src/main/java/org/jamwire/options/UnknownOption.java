package org.jamwire.options;

import java.util.ArrayList;
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
     * @param instead what to do in JamWire instead, or null when there is nothing
     */
    record JacktripOnly(String names, String what, String instead) {

        List<String> nameList() {
            return Arrays.asList(names.split(" "));
        }

        String label() {
            return String.join("/", nameList());
        }
    }

    /**
     * Another command whose options a command line may have mixed up with this one's.
     *
     * @param table that command's options
     * @param scope how a message names that command, e.g. "'jamwire demo'"
     */
    record Elsewhere(OptionTable table, String scope) {
    }

    private static final String NETSIM = "run 'jamwire netsim' between the two ends instead";

    /** jacktrip 1.7's options that JamWire rejects, apart from those in {@link SeedFlag#ALL}. */
    static final List<JacktripOnly> JACKTRIP_ONLY = List.of(
            new JacktripOnly("--appendthreadid", "hub client names", null),
            new JacktripOnly("--password", "password on the command line",
                    "other users can read a command line: with -A, give --password-file FILE, or set "
                            + HubLoginOptions.PASSWORD_VARIABLE + ", or type it when asked"),
            new JacktripOnly("-l --loopback", "loopback mode", null),
            new JacktripOnly("--jamlink", "JamLink mode", null),
            new JacktripOnly("--zerounderrun", "zeros on underrun", null),
            new JacktripOnly("-L --localaddress", "local address", null),
            new JacktripOnly("--bufstrategy", "jitter buffer strategies", null),
            new JacktripOnly("--broadcast", "broadcast ports", null),
            new JacktripOnly("--udprt", "real-time network thread", null),
            new JacktripOnly("-f --effects", "effects", null),
            new JacktripOnly("-O --overflowlimiting", "limiters", null),
            new JacktripOnly("--assumednumclients", "limiter setting", null),
            new JacktripOnly("-G --iostatlog", "stat log file", null),
            new JacktripOnly("-x --examine-audio-delay", "audio delay report", null),
            new JacktripOnly("-V --verbose", "verbose mode", null),
            new JacktripOnly("--simloss", "network simulation", NETSIM),
            new JacktripOnly("--simjitter", "network simulation", NETSIM));

    private final OptionTable table;
    private final String here;
    private final List<Elsewhere> elsewhere;

    /**
     * Explains names missing from {@code table}, the options of the command that {@code here}
     * names (null for a link). A name found {@code elsewhere} is reported as belonging there.
     */
    UnknownOption(OptionTable table, String here, List<Elsewhere> elsewhere) {
        this.table = table;
        this.here = here;
        this.elsewhere = List.copyOf(elsewhere);
    }

    /** The error for {@code arg}, whose option name is {@code name}. */
    UsageException explain(String arg, String name) {
        final UsageException misplaced = misplaced(name);
        if (misplaced != null) {
            return misplaced;
        }
        for (JacktripOnly j : JACKTRIP_ONLY) {
            if (j.nameList().contains(name)) {
                return new UsageException(j.label() + ": jacktrip's " + j.what()
                        + " is not supported" + (j.instead() != null ? "; " + j.instead() : ""));
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

    /** "NAME only applies to A and B, not to HERE" when other commands take the name; else null. */
    private UsageException misplaced(String name) {
        OptionSpec spec = null;
        final List<String> scopes = new ArrayList<>();
        for (Elsewhere e : elsewhere) {
            final OptionSpec found = e.table().find(name);
            if (found != null) {
                spec = spec == null ? found : spec;
                scopes.add(e.scope());
            }
        }
        if (spec == null) {
            return null;
        }
        return new UsageException(spec.label(name) + " only applies to "
                + String.join(" and ", scopes)
                + (here == null ? "" : ", not to " + here));
    }

    private static UsageException unknown(String arg, String suggestion) {
        return new UsageException("unknown option '" + Given.shown(arg) + "'"
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

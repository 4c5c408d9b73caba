package org.jamwire.options;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jamwire.hub.PatchMode;
import org.jamwire.link.Role;
import org.jamwire.options.OptionSpec.Section;

/**
 * A link described the way the agent's API takes it (a mode, a host and options keyed by long name)
 * turned into the command line it stands for and parsed by the same parser, so that the API accepts
 * exactly what {@code jamwire -s}/{@code -c}/{@code -S}/{@code -C} accepts and refuses it with the
 * same messages. Called on HTTP threads; holds no state.
 */
public final class LinkArguments {

    /**
     * One link option, for building a form.
     *
     * @param key the long name without {@code --}, the key in a request's options
     * @param names every name, short ones first
     * @param valueName the value's placeholder, or null for a flag
     * @param defaultText the default, as the help says it
     * @param allowed the values allowed, as the help says it, or null for a flag
     * @param description what it does
     * @param section the help's heading for it
     * @param flag whether it takes no value
     * @param choices the values of an option that takes one of a fixed set, or null
     * @param choiceMeanings what each choice does, for an option whose values need saying (the hub's
     *     patch modes), or null
     * @param modes the request modes the option is allowed with
     */
    public record OptionInfo(String key, List<String> names, String valueName, String defaultText, String allowed,
            String description, String section, boolean flag, List<String> choices, Map<String, String> choiceMeanings,
            List<String> modes) {
    }

    /** The modes a request may ask for, as the command line's -s, -c, -S and -C. */
    public static final List<String> MODES = List.of("server", "client", "hubserver", "hubclient");

    /**
     * A request that cannot become a link.
     *
     * @param field {@code mode}, {@code host}, {@code options.KEY} or {@code options}
     * @param rule what is allowed
     * @param message the whole problem, as the command line would print it
     */
    public record Problem(String field, String rule, String message) {
    }

    /** Thrown with a {@link Problem}. */
    public static final class InvalidLink extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Problem problem;

        public InvalidLink(Problem problem) {
            super(problem.message());
            this.problem = problem;
        }

        /** What is wrong. */
        public Problem problem() {
            return problem;
        }
    }

    /** Options that the request's mode and host stand for, or that do nothing in a request. */
    private static final Set<String> NOT_IN_REQUESTS = Set.of("server", "client", "jacktripserver", "pingtoserver",
            "jack", "help", "version");
    private static final Map<String, List<String>> CHOICES = Map.of(
            "bitres", List.of(LinkDefaults.BIT_RESOLUTIONS),
            "underrun", List.of(LinkDefaults.UNDERRUN_POLICIES),
            "backend", List.of(LinkDefaults.BACKENDS),
            "signal", List.of(LinkDefaults.SIGNALS),
            "hubpatch", List.of("0", "1", "2", "3", "4", "5"));
    /** Options of one end of a hub only; the parser refuses them elsewhere with its own message. */
    private static final Map<String, List<String>> ONLY_IN = Map.of(
            "remotename", List.of("hubclient"),
            "udpbaseport", List.of("hubserver"),
            "hubpatch", List.of("hubserver"),
            "includeserver", List.of("hubserver"),
            "upmix", List.of("hubserver"));
    private static final Pattern LONG_NAME = Pattern.compile("--([a-z][a-z-]*)");
    private static final String NOT_ALLOWED = " is not allowed: ";

    private LinkArguments() {
    }

    /** Every option a request may give, in the help's order. */
    public static List<OptionInfo> options() {
        final List<OptionInfo> list = new ArrayList<>();
        for (OptionSpec o : LinkOptions.TABLE.options()) {
            final String key = o.longName().substring(2);
            if (o.section() == Section.MODE || NOT_IN_REQUESTS.contains(key)) {
                continue;
            }
            list.add(new OptionInfo(key, o.names(), o.valueName(), o.defaultText(), o.rangeText(), o.description(),
                    o.section().title, !o.takesValue(), CHOICES.get(key),
                    "hubpatch".equals(key) ? patchMeanings() : null, modes(o, key)));
        }
        return list;
    }

    /**
     * The modes that take an option: those listed for it, else, for a hub option described as being
     * for one end of a hub ("Hub server: ...", "Hub client: ..."), that end, else all four.
     */
    private static List<String> modes(OptionSpec o, String key) {
        final List<String> listed = ONLY_IN.get(key);
        if (listed != null) {
            return listed;
        }
        if (o.section() == Section.HUB && o.description().startsWith("Hub server")) {
            return List.of("hubserver");
        }
        if (o.section() == Section.HUB && o.description().startsWith("Hub client")) {
            return List.of("hubclient");
        }
        return MODES;
    }

    private static Map<String, String> patchMeanings() {
        final Map<String, String> m = new LinkedHashMap<>();
        for (PatchMode p : PatchMode.values()) {
            m.put(String.valueOf(p.number()), p.meaning());
        }
        return m;
    }

    /**
     * The command-line arguments a request stands for.
     *
     * @param mode {@code server}, {@code client}, {@code hubserver} or {@code hubclient}
     * @param host the host a client or hub client connects to; must be null or empty for a server
     * @param options option values keyed by long name: a String or a whole number for an option
     *     with a value, {@code true} or {@code false} for a flag
     * @throws InvalidLink naming the field that is wrong
     */
    public static List<String> arguments(String mode, String host, Map<String, ?> options) throws InvalidLink {
        final List<String> args = new ArrayList<>();
        if ("server".equals(mode) || "hubserver".equals(mode)) {
            final boolean hub = "hubserver".equals(mode);
            if (host != null && !host.isEmpty()) {
                throw invalid("host", "give no host for a " + (hub ? "hub server" : "server"), "host: a "
                        + (hub ? "hub server waits for its clients" : "server waits for its client")
                        + " and connects to no host; leave host out, or use mode " + (hub ? "hubclient" : "client"));
            }
            args.add(hub ? "--jacktripserver" : "--server");
        } else if ("client".equals(mode) || "hubclient".equals(mode)) {
            final boolean hub = "hubclient".equals(mode);
            if (host == null || host.isEmpty()) {
                throw invalid("host", "give a host name or IP address", "host: a " + (hub ? "hub client needs the"
                        + " hub" : "client needs the host") + " to connect to");
            }
            args.add(hub ? "--pingtoserver" : "--client");
            args.add(host);
        } else {
            throw invalid("mode", "use server, client, hubserver or hubclient",
                    "mode: '" + Given.shown(mode) + "' is not allowed:"
                    + " use server (wait for a client), client (connect to host), hubserver (a hub, as -S) or"
                    + " hubclient (connect to the hub on host, as -C)");
        }
        if (options != null) {
            for (Map.Entry<String, ?> e : options.entrySet()) {
                addOption(args, e.getKey(), e.getValue());
            }
        }
        return args;
    }

    private static void addOption(List<String> args, String key, Object value) throws InvalidLink {
        final OptionSpec spec = LinkOptions.TABLE.find("--" + key);
        final String field = "options." + key;
        if (spec == null || NOT_IN_REQUESTS.contains(key)) {
            throw invalid(field, "use a key listed by GET /api/link-options",
                    field + ": there is no link option '" + key + "'");
        }
        if (!spec.takesValue()) {
            if (!(value instanceof Boolean)) {
                throw invalid(field, "use true or false", field + ": is a flag: use true or false");
            }
            if ((Boolean) value) {
                args.add("--" + key);
            }
            return;
        }
        final String text;
        if (value instanceof String s) {
            text = s;
        } else if (value instanceof Integer || value instanceof Long) {
            text = value.toString();
        } else {
            throw invalid(field, spec.rangeText(), field + ": give a value (" + spec.rangeText() + ")");
        }
        args.add("--" + key);
        args.add(text);
    }

    /**
     * Parses the arguments into the link they describe.
     *
     * @throws InvalidLink naming the option at fault, with the parser's own message
     */
    public static Command.Run parse(List<String> args) throws InvalidLink {
        try {
            return CommandLine.parseLink(List.copyOf(args));
        } catch (UsageException e) {
            throw new InvalidLink(problemOf(e.problem()));
        }
    }

    /**
     * Parses the arguments into the P2P link, hub client or hub server they describe.
     *
     * @throws InvalidLink naming the option at fault, with the parser's own message
     */
    public static Command parseAny(List<String> args) throws InvalidLink {
        try {
            return CommandLine.parseLinkOrHub(List.copyOf(args));
        } catch (UsageException e) {
            throw new InvalidLink(problemOf(e.problem()));
        }
    }

    /** The field and rule a parser message is about: its first long option name, and what follows "is not allowed". */
    static Problem problemOf(String message) {
        final int colon = message.indexOf(": ");
        final Matcher m = LONG_NAME.matcher(colon < 0 ? message : message.substring(0, colon));
        final String name = m.find() ? m.group(1) : null;
        // The mode's host is the request's own field, not an option.
        final String field = name == null ? "options"
                : name.equals("client") || name.equals("pingtoserver") ? "host" : "options." + name;
        final int rule = message.indexOf(NOT_ALLOWED);
        return new Problem(field, rule < 0 ? message : message.substring(rule + NOT_ALLOWED.length()), message);
    }

    /** The arguments as one would type them, quoted for a POSIX shell where needed. */
    public static String commandLine(List<String> args) {
        final StringBuilder s = new StringBuilder("jamwire");
        for (String a : args) {
            s.append(' ');
            if (a.matches("[A-Za-z0-9_./:=@%+,-]+")) {
                s.append(a);
            } else {
                s.append('\'').append(a.replace("'", "'\\''")).append('\'');
            }
        }
        return s.toString();
    }

    private static InvalidLink invalid(String field, String rule, String message) {
        return new InvalidLink(new Problem(field, rule, message));
    }

    /** The lower-case name of a link's mode, as requests give it. */
    public static String modeName(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }
}

package org.jamwire.options;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code jamwire}'s command line. Without a command word it describes one P2P link, in
 * jacktrip's terms or the old JackTrip manual's; a first word that is not an option names a
 * command, such as {@code demo} or {@code netsim}. Called on the control thread; holds no state.
 */
public final class CommandLine {

    /** Parses the arguments after a command word. */
    @FunctionalInterface
    private interface Subcommand {
        Command parse(List<String> args) throws UsageException;
    }

    private static final String A_LINK = "a link (jamwire -s or jamwire -c HOST)";
    private static final Map<String, Subcommand> SUBCOMMANDS = subcommands();

    private CommandLine() {
    }

    private static Map<String, Subcommand> subcommands() {
        final Map<String, Subcommand> m = new LinkedHashMap<>();
        m.put("demo", CommandLine::parseDemo);
        m.put("netsim", CommandLine::parseNetsim);
        m.put("agent", CommandLine::parseAgent);
        m.put("linktest", CommandLine::parseLinkTest);
        return m;
    }

    /** The command names, in the order the help lists them. */
    static List<String> subcommandNames() {
        return List.copyOf(SUBCOMMANDS.keySet());
    }

    /**
     * What the arguments ask for. No arguments, or {@code -h}/{@code --help} anywhere, is
     * {@link Command.Help}; otherwise {@code -v}/{@code --version} anywhere is
     * {@link Command.Version}.
     *
     * @throws UsageException naming the first option that is wrong, or the unknown command
     */
    public static Command parse(String[] args) throws UsageException {
        final List<String> list = Arrays.asList(args.clone());
        if (list.isEmpty()) {
            return help();
        }
        final String first = list.get(0);
        if (!ArgumentScanner.looksLikeOption(first)) {
            final Subcommand sub = SUBCOMMANDS.get(first);
            if (sub == null) {
                throw unknownCommand(first);
            }
            final List<String> rest = list.subList(1, list.size());
            if (first.equals("agent") && (rest.contains("-h") || rest.contains("--help"))) {
                return new Command.Help(HelpText.renderAgent());
            }
            final Command early = helpOrVersion(rest);
            return early != null ? early : sub.parse(rest);
        }
        final Command early = helpOrVersion(list);
        return early != null ? early : parseLinkOrHub(list);
    }

    /** The help text. */
    static Command.Help help() {
        return new Command.Help(HelpText.render());
    }

    private static Command helpOrVersion(List<String> args) {
        if (args.contains("-h") || args.contains("--help")) {
            return help();
        }
        if (args.contains("-v") || args.contains("--version")) {
            return new Command.Version();
        }
        return null;
    }

    /** Parses a P2P link's arguments, with no command word and no help or version option. */
    static Command.Run parseLink(List<String> args) throws UsageException {
        return LinkCommand.toRun(linkScanner().scan(args));
    }

    /** Parses a P2P link's or a hub's arguments, with no command word and no help or version option. */
    static Command parseLinkOrHub(List<String> args) throws UsageException {
        return LinkCommand.toCommand(linkScanner().scan(args));
    }

    private static ArgumentScanner linkScanner() {
        return new ArgumentScanner(LinkOptions.TABLE,
                new UnknownOption(LinkOptions.TABLE, null, List.of(
                        new UnknownOption.Elsewhere(DemoOptions.TABLE, "'jamwire demo'"),
                        new UnknownOption.Elsewhere(NetsimOptions.TABLE, "'jamwire netsim'"))));
    }

    private static Command parseDemo(List<String> args) throws UsageException {
        final ArgumentScanner scanner = new ArgumentScanner(DemoOptions.TABLE,
                new UnknownOption(DemoOptions.TABLE, "'jamwire demo'", List.of(
                        new UnknownOption.Elsewhere(LinkOptions.TABLE, A_LINK),
                        new UnknownOption.Elsewhere(NetsimOptions.TABLE, "'jamwire netsim'"))));
        return DemoOptions.toDemo(scanner.scan(args));
    }

    private static Command parseNetsim(List<String> args) throws UsageException {
        final ArgumentScanner scanner = new ArgumentScanner(NetsimOptions.TABLE,
                new UnknownOption(NetsimOptions.TABLE, "'jamwire netsim'", List.of(
                        new UnknownOption.Elsewhere(LinkOptions.TABLE, A_LINK),
                        new UnknownOption.Elsewhere(DemoOptions.TABLE, "'jamwire demo'"))));
        return NetsimOptions.toNetsim(scanner.scan(args));
    }

    private static Command parseAgent(List<String> args) throws UsageException {
        final ArgumentScanner scanner = new ArgumentScanner(AgentOptions.TABLE,
                new UnknownOption(AgentOptions.TABLE, "'jamwire agent'", List.of(
                        new UnknownOption.Elsewhere(LinkOptions.TABLE, A_LINK + " (the agent starts links through"
                                + " its API and web UI)"),
                        new UnknownOption.Elsewhere(DemoOptions.TABLE, "'jamwire demo'"))));
        return AgentOptions.toAgent(scanner.scan(args));
    }

    private static Command parseLinkTest(List<String> args) throws UsageException {
        final ArgumentScanner scanner = new ArgumentScanner(LinkTestOptions.TABLE,
                new UnknownOption(LinkTestOptions.TABLE, "'jamwire linktest'", List.of(
                        new UnknownOption.Elsewhere(LinkOptions.TABLE, A_LINK),
                        new UnknownOption.Elsewhere(NetsimOptions.TABLE, "'jamwire netsim'"))));
        return LinkTestOptions.toLinkTest(scanner.scan(args));
    }

    private static UsageException unknownCommand(String word) {
        String nearest = null;
        for (String name : SUBCOMMANDS.keySet()) {
            if (UnknownOption.distance(word, name) <= 2) {
                nearest = name;
            }
        }
        return new UsageException("unknown command '" + word + "'"
                + (nearest != null ? ": did you mean '" + nearest + "'?" : "")
                + " (the commands are: " + String.join(", ", SUBCOMMANDS.keySet())
                + "; without a command, jamwire runs a link: -s waits for a client, -c HOST"
                + " connects to HOST)");
    }
}

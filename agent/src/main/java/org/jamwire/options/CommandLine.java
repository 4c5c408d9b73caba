package org.jamwire.options;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jamwire.options.UnknownOption.Elsewhere;

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

    private static final Elsewhere LINK = new Elsewhere(LinkOptions.TABLE, "a link (jamwire -s or jamwire -c HOST)");
    private static final Elsewhere DEMO = new Elsewhere(DemoOptions.TABLE, "'jamwire demo'");
    private static final Elsewhere NETSIM = new Elsewhere(NetsimOptions.TABLE, "'jamwire netsim'");
    private static final Map<String, Subcommand> SUBCOMMANDS = subcommands();

    private CommandLine() {
    }

    private static Map<String, Subcommand> subcommands() {
        final Map<String, Subcommand> m = new LinkedHashMap<>();
        m.put("demo", CommandLine::parseDemo);
        m.put("netsim", CommandLine::parseNetsim);
        m.put("agent", CommandLine::parseAgent);
        m.put("linktest", CommandLine::parseLinkTest);
        m.put("lab", CommandLine::parseLab);
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
            if (first.equals("lab") && (rest.contains("-h") || rest.contains("--help"))) {
                return new Command.Help(HelpText.renderLab());
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
        return LinkCommand.toRun(scan(args, LinkOptions.TABLE, null, DEMO, NETSIM));
    }

    /** Parses a P2P link's or a hub's arguments, with no command word and no help or version option. */
    static Command parseLinkOrHub(List<String> args) throws UsageException {
        return LinkCommand.toCommand(scan(args, LinkOptions.TABLE, null, DEMO, NETSIM));
    }

    private static Command parseDemo(List<String> args) throws UsageException {
        return DemoOptions.toDemo(scan(args, DemoOptions.TABLE, DEMO.scope(), LINK, NETSIM));
    }

    private static Command parseNetsim(List<String> args) throws UsageException {
        return NetsimOptions.toNetsim(scan(args, NetsimOptions.TABLE, NETSIM.scope(), LINK, DEMO));
    }

    private static Command parseAgent(List<String> args) throws UsageException {
        final Elsewhere link = new Elsewhere(LinkOptions.TABLE, LINK.scope() + " (the agent starts links through"
                + " its API and web UI)");
        return AgentOptions.toAgent(scan(args, AgentOptions.TABLE, "'jamwire agent'", link, DEMO));
    }

    private static Command parseLinkTest(List<String> args) throws UsageException {
        return LinkTestOptions.toLinkTest(scan(args, LinkTestOptions.TABLE, "'jamwire linktest'", LINK, NETSIM));
    }

    private static Command parseLab(List<String> args) throws UsageException {
        final Elsewhere agent = new Elsewhere(AgentOptions.TABLE, "'jamwire agent'");
        return LabOptions.parse(args, List.of(LINK, agent));
    }

    /**
     * The values of a command's options; {@code here} names the command (null for a link), and a name
     * found in {@code elsewhere} is reported as belonging there.
     */
    private static OptionValues scan(List<String> args, OptionTable table, String here, Elsewhere... elsewhere)
            throws UsageException {
        return new ArgumentScanner(table, here, List.of(elsewhere)).scan(args);
    }

    private static UsageException unknownCommand(String word) {
        String nearest = null;
        for (String name : SUBCOMMANDS.keySet()) {
            // Two slips in a short word leave little of it: 'hub' is not a misspelt 'lab'.
            if (UnknownOption.distance(word, name) <= (word.startsWith(name.substring(0, 1)) ? 2 : 1)) {
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

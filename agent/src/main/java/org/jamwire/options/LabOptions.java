package org.jamwire.options;

import static org.jamwire.options.OptionTable.valued;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jamwire.options.OptionSpec.Section;

/**
 * The command line of {@code jamwire lab trust INVENTORY}: the inventory file, where the keys go and
 * the fingerprints accepted without asking. Called on the control thread.
 */
final class LabOptions {

    /** A fingerprint as {@code ssh-keygen -lf} prints it: SHA256 and 43 characters of unpadded base64. */
    static final String FINGERPRINT = "SHA256:[A-Za-z0-9+/]{43}";

    static final OptionSpec KNOWN_HOSTS = valued(Section.LAB, "--known-hosts", "FILE",
            "the file ssh itself uses: ~/.ssh/known_hosts, or what ssh's config or the inventory's"
                    + " -o UserKnownHostsFile= names", "a file path",
            "known_hosts file where the keys are recorded for ssh, which ansible-playbook runs.",
            (v, g) -> v.knownHosts.set(g, path(g)));

    static final OptionSpec AGENT_KNOWN_HOSTS = valued(Section.LAB, "--agent-known-hosts", "FILE",
            "known_hosts beside the agent's token file (~/.config/jamwire/known_hosts, or beside the tokenFile"
                    + " that ~/.config/jamwire/agent.json names)", "a file path",
            "The agent's known_hosts, which its coordinator checks every ssh connection against.",
            (v, g) -> v.agentKnownHosts.set(g, path(g)));

    static final OptionSpec YES_IF_FINGERPRINT = valued(Section.LAB, "--yes-if-fingerprint", "FINGERPRINTS",
            "none: ask on the terminal", "fingerprints as ssh-keygen -lf prints them (SHA256:...), separated by"
            + " commas",
            "Record a host's key without asking when its fingerprint is one of these. Without a terminal to ask"
                    + " on, a key whose fingerprint is not given is not recorded.",
            (v, g) -> {
                final List<String> fingerprints = Arrays.asList(g.raw().split(",", -1));
                for (String f : fingerprints) {
                    if (!f.matches(FINGERPRINT)) {
                        throw g.notAllowed("give fingerprints as ssh-keygen -lf prints them, e.g. SHA256: and 43"
                                + " letters, digits, + or /, separated by commas");
                    }
                }
                v.fingerprints.set(g, List.copyOf(fingerprints));
            });

    static final OptionTable TABLE = new OptionTable(List.of(KNOWN_HOSTS, AGENT_KNOWN_HOSTS, YES_IF_FINGERPRINT,
            LinkOptions.HELP, LinkOptions.VERSION));

    private static final String HERE = "'jamwire lab trust'";
    private static final String USAGE = "jamwire lab trust INVENTORY records the host keys of the inventory's"
            + " lab group for ssh and for the agent, e.g. jamwire lab trust ~/jamwire-lab/inventory.yml";

    private LabOptions() {
    }

    private static String path(Given g) throws UsageException {
        if (g.raw().isBlank() || g.raw().indexOf('\0') >= 0) {
            throw g.notAllowed("give a file path");
        }
        return g.raw();
    }

    /**
     * The command that {@code args}, the words after {@code jamwire lab}, ask for.
     *
     * @param elsewhere other commands' options, named as theirs when given here
     */
    static Command parse(List<String> args, List<UnknownOption.Elsewhere> elsewhere) throws UsageException {
        if (args.isEmpty() || !args.get(0).equals("trust")) {
            throw new UsageException("'jamwire lab' needs what to do" + (args.isEmpty() ? ""
                    : " ('" + Given.shown(args.get(0)) + "' is not something it does)") + ": " + USAGE);
        }
        String inventory = null;
        final List<String> options = new ArrayList<>();
        final List<String> rest = args.subList(1, args.size());
        for (int i = 0; i < rest.size(); i++) {
            final String arg = rest.get(i);
            if (ArgumentScanner.looksLikeOption(arg)) {
                if (TABLE.find(arg.replaceFirst("=.*", "")) == null) {
                    new ArgumentScanner(TABLE, HERE, elsewhere).scan(List.of(arg)); // says what it is
                }
                options.add(arg);
                final OptionSpec spec = TABLE.find(arg);
                if (spec != null && spec.takesValue() && i + 1 < rest.size()) {
                    options.add(rest.get(++i));
                }
            } else if (inventory == null) {
                if (arg.isBlank() || arg.indexOf('\0') >= 0) {
                    throw new UsageException("INVENTORY: give the inventory's file path: " + USAGE);
                }
                inventory = arg;
            } else {
                throw new UsageException("unexpected argument '" + Given.shown(arg) + "': jamwire lab trust takes"
                        + " one inventory file, and '" + Given.shown(inventory) + "' came first");
            }
        }
        if (inventory == null) {
            throw new UsageException("jamwire lab trust needs the inventory file: " + USAGE);
        }
        final OptionValues v = new ArgumentScanner(TABLE, HERE, elsewhere).scan(options);
        return new Command.LabTrust(inventory, v.knownHosts.orElse(null), v.agentKnownHosts.orElse(null),
                v.fingerprints.orElse(List.of()));
    }
}

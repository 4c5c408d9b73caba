package org.jamwire.app;

import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jamwire.coordinator.InventoryHosts;
import org.jamwire.coordinator.LabTrust;
import org.jamwire.coordinator.SshSession;
import org.jamwire.options.Command;
import org.jamwire.options.ExitCode;
import org.jamwire.options.UsageException;

/**
 * Runs {@code jamwire lab trust INVENTORY} on the terminal: for every host of the inventory's lab
 * group, prints the key ssh would meet there as {@code ssh-keygen -lf} prints it, asks once whether
 * to record it, and records it for ssh and for the agent ({@link LabTrust}). Without a terminal only
 * fingerprints given on the command line are accepted. Runs on the main thread.
 */
final class LabTrustConsole {

    /** Asks the user a question on the terminal. */
    @FunctionalInterface
    interface Terminal {
        /** The answer to {@code prompt}, or null at the end of input. */
        String ask(String prompt);
    }


    private final PrintStream out;
    private final PrintStream err;
    private final Terminal terminal;

    /** @param terminal where to ask, or null when there is no terminal */
    LabTrustConsole(PrintStream out, PrintStream err, Terminal terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** This process's terminal (stdin and stdout both one), or null. */
    static Terminal systemTerminal() {
        final Console console = System.console();
        return console == null ? null : prompt -> console.readLine("%s", prompt);
    }

    int run(Command.LabTrust command) {
        final Path agentFile;
        try {
            agentFile = command.agentKnownHosts() != null ? path(command.agentKnownHosts())
                    : AgentConfig.defaultTokenFile().toAbsolutePath().getParent().resolve("known_hosts");
        } catch (UsageException e) {
            err.println("jamwire: " + e.problem() + " (or name the agent's known_hosts with --agent-known-hosts)");
            return ExitCode.USAGE;
        }
        final Path inventory = path(command.inventory());
        final List<InventoryHosts.Host> hosts;
        try {
            hosts = InventoryHosts.read(inventory);
        } catch (InventoryHosts.Unusable e) {
            err.println("jamwire: " + e.getMessage());
            return ExitCode.FAILED;
        }
        final LabTrust trust = new LabTrust(command.knownHosts() == null ? null : path(command.knownHosts()),
                agentFile, SshSession.Timeouts.defaults());
        out.println("Host keys of the " + hosts.size() + " host(s) in group '" + InventoryHosts.GROUP + "' of "
                + inventory + ", for ssh and for the agent (" + agentFile + "):");
        final List<String> missing = new ArrayList<>();
        for (InventoryHosts.Host host : hosts) {
            out.println();
            out.println(host.name() + " (" + host.address() + ", port " + host.port() + "):");
            final boolean[] shown = new boolean[1];
            final LabTrust.Result result;
            try {
                result = trust.trust(host, offer -> {
                    shown[0] = true;
                    return confirm(offer, command.fingerprints());
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCode.INTERRUPTED;
            }
            if (!shown[0] && result.line() != null) {
                out.println("  " + result.line());
            }
            out.println("  " + result.message());
            switch (result.outcome()) {
                case RECORDED, ALREADY_RECORDED -> {
                    // Nothing more to say.
                }
                case DECLINED -> missing.add(host.name() + " (not accepted)");
                case REFUSED -> missing.add(host.name() + " (refused)");
                case FAILED -> missing.add(host.name() + " (failed)");
            }
        }
        out.flush();
        if (!missing.isEmpty()) {
            err.println("jamwire: no key recorded for " + String.join(", ", missing) + "; ssh and the agent refuse a"
                    + " host until its key is recorded");
            return ExitCode.FAILED;
        }
        out.println();
        out.println("Every host's key is recorded for ssh and for the agent.");
        return ExitCode.OK;
    }

    private boolean confirm(LabTrust.Offer offer, List<String> accepted) {
        final String fingerprint = offer.key().fingerprint();
        out.println("  " + offer.line());
        out.println("  Compare it with what `ssh-keygen -lf " + offer.key().hostKeyFile() + "` prints on "
                + offer.host().name() + ".");
        if (accepted.contains(fingerprint)) {
            out.println("  Accepted: its fingerprint was given with --yes-if-fingerprint.");
            return true;
        }
        if (terminal == null) {
            out.println("  There is no terminal to ask on: once you have compared it, run this again with"
                    + " --yes-if-fingerprint " + fingerprint);
            return false;
        }
        final List<String> where = new ArrayList<>();
        if (!offer.inOpenSsh()) {
            where.add("ssh (" + offer.openSsh().recordIn() + ")");
        }
        if (!offer.inAgent()) {
            where.add("the agent (" + offer.agentFile() + ")");
        }
        final String answer = terminal.ask("  Record it for " + String.join(" and ", where) + "? [y/N] ");
        return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
    }

    /** A path as given, with a leading {@code ~/} (which no shell expands after '=') made the home directory. */
    private static Path path(String given) {
        return Path.of(given.startsWith("~/") ? System.getProperty("user.home") + given.substring(1) : given);
    }
}

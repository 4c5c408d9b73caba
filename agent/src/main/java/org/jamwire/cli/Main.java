package org.jamwire.cli;

import java.io.PrintStream;
import org.jamwire.options.BuildInfo;
import org.jamwire.options.Command;
import org.jamwire.options.CommandLine;
import org.jamwire.options.ExitCode;
import org.jamwire.options.UsageException;

/**
 * The {@code jamwire} command: parses the command line, prints help, version, warnings and usage
 * errors, and hands links, demos and relays to a {@link LinkRunner}. Runs on the main thread.
 */
public final class Main {

    private final LinkRunner runner;
    private final PrintStream out;
    private final PrintStream err;

    /** A command that runs links with {@code runner} and prints to {@code out} and {@code err}. */
    public Main(LinkRunner runner, PrintStream out, PrintStream err) {
        this.runner = runner;
        this.out = out;
        this.err = err;
    }

    /** Runs the command line and returns the process's {@link ExitCode}. */
    public int run(String[] args) {
        final Command command;
        try {
            command = CommandLine.parse(args);
        } catch (UsageException e) {
            err.println("jamwire: " + e.problem());
            err.println(UsageException.HELP_HINT);
            return ExitCode.USAGE;
        }
        if (command instanceof Command.Help help) {
            out.print(help.text());
            return ExitCode.OK;
        }
        if (command instanceof Command.Version) {
            out.println("JamWire " + BuildInfo.version());
            return ExitCode.OK;
        }
        if (command instanceof Command.Run run) {
            for (String warning : run.warnings()) {
                err.println("jamwire: warning: " + warning);
            }
            return runner.runLink(run);
        }
        if (command instanceof Command.HubClient hub) {
            for (String warning : hub.warnings()) {
                err.println("jamwire: warning: " + warning);
            }
            return runner.runHubClient(hub);
        }
        if (command instanceof Command.HubServer hub) {
            for (String warning : hub.warnings()) {
                err.println("jamwire: warning: " + warning);
            }
            return runner.runHubServer(hub);
        }
        if (command instanceof Command.LinkTest test) {
            return runner.runLinkTest(test);
        }
        if (command instanceof Command.Agent agent) {
            return runner.runAgent(agent);
        }
        if (command instanceof Command.LabTrust trust) {
            return runner.runLabTrust(trust);
        }
        if (command instanceof Command.Netsim netsim) {
            return runner.runNetsim(netsim);
        }
        return runner.runDemo((Command.Demo) command);
    }
}

package org.jamwire.app;

import org.jamwire.cli.ConsoleLinkRunner;
import org.jamwire.cli.Main;

/**
 * The entry point of the {@code jamwire} jar: wires the command line to the console runner,
 * {@code jamwire agent} to the web agent and {@code jamwire lab trust} to the coordinator's host-key
 * recording. Main thread.
 */
public final class JamWire {

    private JamWire() {
    }

    /** Runs the command line and ends the process with its exit code. */
    public static void main(String[] args) {
        final int code = new Main(new ConsoleLinkRunner(System.out, System.err,
                agent -> new AgentConsole(System.out, System.err).run(agent),
                trust -> new LabTrustConsole(System.out, System.err, LabTrustConsole.systemTerminal()).run(trust)),
                System.out, System.err).run(args);
        System.out.flush();
        System.err.flush();
        // Every link has stopped and released its JACK client by now. Halting skips the native
        // libraries' exit-time destructors, one of which (libjack, jackd2 1.9.21) was seen to abort
        // with "double free or corruption" after a cleanly closed client, turning exit code 0 into 134.
        Runtime.getRuntime().halt(code);
    }
}

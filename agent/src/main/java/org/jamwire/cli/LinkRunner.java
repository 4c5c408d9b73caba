package org.jamwire.cli;

import org.jamwire.options.Command;
import org.jamwire.options.ExitCode;

/**
 * Runs what the command line asked for: the control layer implements it, {@link Main} calls it
 * on the main thread. Each method blocks until the link or demo has stopped and returns an
 * {@link ExitCode}; the help documents those codes, so an implementation must keep to them.
 */
public interface LinkRunner {

    /**
     * Runs one P2P link until it stops: Ctrl-C, an exit packet from the peer, {@code --timeout},
     * or a failure (reported on stderr).
     *
     * @param run the link, already validated by the parser, and its warnings
     * @return {@link ExitCode#OK}, {@link ExitCode#FAILED} or {@link ExitCode#INTERRUPTED}
     */
    int runLink(Command.Run run);

    /**
     * Runs a hub client: asks the hub for a UDP port, then runs the link to it until it stops, as
     * {@link #runLink}.
     *
     * @return {@link ExitCode#OK}, {@link ExitCode#FAILED} or {@link ExitCode#INTERRUPTED}
     */
    int runHubClient(Command.HubClient hub);

    /**
     * Runs a hub server until Ctrl-C or a failure to start.
     *
     * @return {@link ExitCode#OK}, {@link ExitCode#FAILED} or {@link ExitCode#INTERRUPTED}
     */
    int runHubServer(Command.HubServer hub);

    /**
     * Runs {@code jamwire demo}: the demo's server and client ends streaming to each other over
     * loopback, printing live figures, for {@link Command.Demo#seconds()} or until Ctrl-C.
     *
     * @param demo the demo's settings; {@link Command.Demo#serverConfig(int)} and
     *     {@link Command.Demo#clientConfig(int, int)} give the two ends' configs
     * @return {@link ExitCode#OK}, {@link ExitCode#FAILED} or {@link ExitCode#INTERRUPTED}
     */
    int runDemo(Command.Demo demo);

    /**
     * Runs {@code jamwire netsim}: a relay between a client and a server that impairs what passes,
     * printing each direction's counts every second and a summary at the end, for
     * {@link Command.Netsim#seconds()} or until Ctrl-C.
     *
     * @param netsim the relay's settings
     * @return {@link ExitCode#OK}, {@link ExitCode#FAILED} or {@link ExitCode#INTERRUPTED}
     */
    int runNetsim(Command.Netsim netsim);

    /**
     * Runs {@code jamwire agent} until Ctrl-C or SIGTERM.
     *
     * @param agent the agent's settings from the command line
     * @return {@link ExitCode#OK}, {@link ExitCode#FAILED} or {@link ExitCode#INTERRUPTED}
     */
    int runAgent(Command.Agent agent);

    /**
     * Runs {@code jamwire linktest}: echoes for its seconds, or measures against an echo and
     * prints the figures and recommendations.
     *
     * @return {@link ExitCode#OK} or {@link ExitCode#FAILED}
     */
    int runLinkTest(Command.LinkTest test);

    /**
     * Runs {@code jamwire lab trust}: records the lab's host keys for ssh and the agent, asking on
     * the terminal for each.
     *
     * @return {@link ExitCode#OK} when every host's key is recorded, else {@link ExitCode#FAILED}
     *     (or {@link ExitCode#USAGE} for a wrong setting)
     */
    int runLabTrust(Command.LabTrust trust);
}

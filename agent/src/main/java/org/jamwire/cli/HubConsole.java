package org.jamwire.cli;

import java.io.PrintStream;
import org.jamwire.hub.HubConfig;

/** Runs a hub server for the command line. Main thread. */
final class HubConsole {

    private HubConsole() {
    }

    static int run(HubConfig config, PrintStream out, PrintStream err) {
        err.println("jamwire: -S: the hub server is not there yet");
        return ExitCode.FAILED;
    }
}

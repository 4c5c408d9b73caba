package org.jamwire.cli;

import java.io.PrintStream;
import org.jamwire.link.LinkConfig;

/**
 * Stands in for the real {@link LinkRunner} until the control layer provides one: prints what
 * was parsed and fails, so that nothing looks as if it streamed. Called on the main thread.
 */
final class UnwiredLinkRunner implements LinkRunner {

    private final PrintStream out;
    private final PrintStream err;

    UnwiredLinkRunner(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public int runLink(LinkConfig config) {
        return notWired(config.toString());
    }

    @Override
    public int runDemo(Command.Demo demo) {
        return notWired(demo.toString());
    }

    private int notWired(String parsed) {
        out.println(parsed);
        err.println("jamwire: this build can parse the command line but cannot run links yet;"
                + " above is what it parsed");
        return ExitCode.FAILED;
    }
}

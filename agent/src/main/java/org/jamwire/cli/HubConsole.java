package org.jamwire.cli;

import org.jamwire.options.ExitCode;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jamwire.hub.HubConfig;
import org.jamwire.hub.HubEvent;
import org.jamwire.hub.HubServer;
import org.jamwire.link.LinkException;

/**
 * Runs a hub server for the command line until Ctrl-C, printing its events to stderr, one line each.
 * Main thread; events arrive on the hub's control threads.
 */
final class HubConsole {

    private HubConsole() {
    }

    static int run(HubConfig config, PrintStream out, PrintStream err) {
        final HubServer hub;
        try {
            hub = HubServer.start(config, e -> print(err, e));
        } catch (LinkException e) {
            err.println("jamwire: " + e.getMessage());
            return ExitCode.FAILED;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        final Interrupt interrupt = Interrupt.install(() -> {
            hub.close();
            stopped.countDown();
        });
        try {
            while (!stopped.await(1, TimeUnit.SECONDS)) {
                // The hub's events say everything worth saying while it runs.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            hub.close();
        }
        interrupt.done();
        return interrupt.fired() ? ExitCode.INTERRUPTED : ExitCode.OK;
    }

    private static void print(PrintStream err, HubEvent e) {
        if (e.client() < 0) {
            err.println("jamwire: hub: " + e.message());
        } else {
            err.println("jamwire: hub client " + e.client() + " (" + e.name() + "): " + e.message());
        }
    }
}

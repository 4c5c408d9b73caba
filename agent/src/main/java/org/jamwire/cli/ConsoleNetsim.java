package org.jamwire.cli;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import org.jamwire.control.NetsimRelay;
import org.jamwire.options.Command;
import org.jamwire.options.ExitCode;

/**
 * Runs {@code jamwire netsim} for the command line: starts the relay, prints each direction's
 * counts every second to stdout and the relay's summary when it ends, and stops it on Ctrl-C.
 * Runs on the main thread; the shutdown hook runs on the JVM's.
 */
final class ConsoleNetsim {

    private final PrintStream out;
    private final PrintStream err;

    ConsoleNetsim(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Relays until the time is up or Ctrl-C; returns the {@link ExitCode}. */
    int run(Command.Netsim netsim) {
        final NetsimRelay relay;
        try {
            relay = NetsimRelay.start(netsim);
        } catch (NetsimRelay.Refused e) {
            err.println("jamwire: " + e.getMessage());
            return ExitCode.FAILED;
        }
        final Interrupt interrupt = Interrupt.install(relay::stop);
        relay.startLines().forEach(out::println);
        final long start = System.nanoTime();
        final long end = netsim.seconds() == 0 ? Long.MAX_VALUE
                : start + TimeUnit.SECONDS.toNanos(netsim.seconds());
        int step = 0;
        try {
            while (end - System.nanoTime() > 0) {
                long wait = Math.min(TimeUnit.SECONDS.toNanos(1), end - System.nanoTime());
                if (step < netsim.jitterSteps().size()) {
                    final long untilStep = start + seconds(netsim.jitterSteps().get(step)) - System.nanoTime();
                    wait = Math.min(wait, Math.max(0, untilStep));
                }
                if (interrupt.await(wait, TimeUnit.NANOSECONDS)) {
                    break;
                }
                while (step < netsim.jitterSteps().size()
                        && System.nanoTime() - start >= seconds(netsim.jitterSteps().get(step))) {
                    out.println(relay.retune(netsim.jitterSteps().get(step++)));
                }
                relay.countLines(System.nanoTime() - start).forEach(out::println);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        relay.stop();
        out.print(relay.summary());
        interrupt.done();
        return interrupt.fired() ? ExitCode.INTERRUPTED : ExitCode.OK;
    }

    private static long seconds(Command.JitterStep step) {
        return Math.round(step.seconds() * 1e9);
    }
}

package org.jamwire.cli;

import org.jamwire.options.Command;
import org.jamwire.options.ExitCode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jamwire.netsim.Direction;
import org.jamwire.netsim.Impairment;
import org.jamwire.netsim.Relay;
import org.jamwire.netsim.RelayRecord;

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
        final InetSocketAddress server;
        try {
            server = new InetSocketAddress(InetAddress.getByName(netsim.serverHost()),
                    netsim.serverPort());
        } catch (UnknownHostException e) {
            err.println("jamwire: cannot resolve --to host '" + netsim.serverHost()
                    + "': check the name, or give an IP address");
            return ExitCode.FAILED;
        }
        final Relay relay;
        try {
            relay = Relay.start(netsim.listenPort(), server, netsim.toServer(), netsim.toClient());
        } catch (BindException e) {
            err.println("jamwire: UDP port " + netsim.listenPort() + " is already in use: pick"
                    + " another with --listen");
            return ExitCode.FAILED;
        } catch (IOException | IllegalArgumentException e) {
            err.println("jamwire: cannot start the relay: " + e.getMessage());
            return ExitCode.FAILED;
        }
        final Interrupt interrupt = Interrupt.install(relay::stop);
        printStart(netsim, relay);
        final long start = System.nanoTime();
        final long end = netsim.seconds() == 0 ? Long.MAX_VALUE
                : start + TimeUnit.SECONDS.toNanos(netsim.seconds());
        int step = 0;
        try {
            while (end - System.nanoTime() > 0) {
                long wait = Math.min(TimeUnit.SECONDS.toNanos(1), end - System.nanoTime());
                if (step < netsim.jitterSteps().size()) {
                    wait = Math.min(wait, Math.max(0, start + seconds(netsim.jitterSteps().get(step)) - System.nanoTime()));
                }
                if (interrupt.await(wait, TimeUnit.NANOSECONDS)) {
                    break;
                }
                while (step < netsim.jitterSteps().size()
                        && System.nanoTime() - start >= seconds(netsim.jitterSteps().get(step))) {
                    retune(netsim, relay, netsim.jitterSteps().get(step++));
                }
                printCounts(relay.record(), System.nanoTime() - start);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        relay.stop();
        out.print(relay.record().summary());
        interrupt.done();
        return interrupt.fired() ? ExitCode.INTERRUPTED : ExitCode.OK;
    }

    private static long seconds(Command.JitterStep step) {
        return Math.round(step.seconds() * 1e9);
    }

    /** Gives each impaired direction the step's jitter, and says so. */
    private void retune(Command.Netsim netsim, Relay relay, Command.JitterStep step) {
        final long jitterMicros = Math.round(step.jitterMs() * 1000);
        for (Direction d : Direction.values()) {
            final Impairment was = d == Direction.TO_SERVER ? netsim.toServer() : netsim.toClient();
            if (!was.equals(Impairment.none().withSeed(was.seed()))) {
                relay.retune(d, was.withDelay(was.delayMicros(), jitterMicros));
            }
        }
        out.println(String.format(Locale.ROOT, "netsim: at %.1f s the jitter is now %s ms", step.seconds(),
                step.jitterMs()));
    }

    private void printStart(Command.Netsim netsim, Relay relay) {
        out.println("netsim: relaying UDP port " + relay.localPort() + " to "
                + netsim.serverHost() + ":" + netsim.serverPort() + ", from UDP port "
                + relay.serverFacingPort() + "; " + (netsim.seconds() == 0 ? "Ctrl-C stops"
                        : "stops after " + netsim.seconds() + " s (Ctrl-C stops sooner)"));
        for (Direction d : Direction.values()) {
            out.println("netsim: " + d.label() + ": " + relay.impairment(d).describe());
        }
    }

    private void printCounts(RelayRecord record, long elapsedNanos) {
        final String time = String.format(Locale.ROOT, "%6.1fs", elapsedNanos / 1e9);
        for (Direction d : Direction.values()) {
            out.println(time + " " + record.line(d));
        }
    }
}

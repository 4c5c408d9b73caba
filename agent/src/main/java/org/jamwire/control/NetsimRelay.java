package org.jamwire.control;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jamwire.netsim.Direction;
import org.jamwire.netsim.Impairment;
import org.jamwire.netsim.Relay;
import org.jamwire.options.Command;

/**
 * {@code jamwire netsim}'s relay as a face runs it: started from the command, retuned at its jitter
 * steps, and described in lines a person reads. The relay runs on threads of its own; this is
 * called on the control (main) thread.
 */
public final class NetsimRelay implements AutoCloseable {

    /** The relay could not start; the message says why and what to do. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final Command.Netsim netsim;
    private final Relay relay;

    private NetsimRelay(Command.Netsim netsim, Relay relay) {
        this.netsim = netsim;
        this.relay = relay;
    }

    /**
     * Starts relaying as the command says.
     *
     * @throws Refused when the server's host does not resolve or the port is taken
     */
    public static NetsimRelay start(Command.Netsim netsim) throws Refused {
        final InetSocketAddress server;
        try {
            server = new InetSocketAddress(InetAddress.getByName(netsim.serverHost()), netsim.serverPort());
        } catch (UnknownHostException e) {
            throw new Refused("cannot resolve --to host '" + netsim.serverHost()
                    + "': check the name, or give an IP address");
        }
        try {
            return new NetsimRelay(netsim, Relay.start(netsim.listenPort(), server, netsim.toServer(),
                    netsim.toClient()));
        } catch (BindException e) {
            throw new Refused("UDP port " + netsim.listenPort() + " is already in use: pick another with --listen");
        } catch (IOException | IllegalArgumentException e) {
            throw new Refused("cannot start the relay: " + e.getMessage());
        }
    }

    /** Where it relays, and what it does to each direction. */
    public List<String> startLines() {
        final List<String> lines = new ArrayList<>();
        lines.add("netsim: relaying UDP port " + relay.localPort() + " to " + netsim.serverHost() + ":"
                + netsim.serverPort() + ", from UDP port " + relay.serverFacingPort() + "; "
                + (netsim.seconds() == 0 ? "Ctrl-C stops"
                        : "stops after " + netsim.seconds() + " s (Ctrl-C stops sooner)"));
        for (Direction d : Direction.values()) {
            lines.add("netsim: " + d.label() + ": " + relay.impairment(d).describe());
        }
        return lines;
    }

    /** Each direction's counts so far, as lines stamped with the time since the start. */
    public List<String> countLines(long elapsedNanos) {
        final String time = String.format(Locale.ROOT, "%6.1fs", elapsedNanos / 1e9);
        final List<String> lines = new ArrayList<>();
        for (Direction d : Direction.values()) {
            lines.add(time + " " + relay.record().line(d));
        }
        return lines;
    }

    /** Gives each impaired direction the step's jitter; returns the line that says so. */
    public String retune(Command.JitterStep step) {
        final long jitterMicros = Math.round(step.jitterMs() * 1000);
        for (Direction d : Direction.values()) {
            final Impairment was = d == Direction.TO_SERVER ? netsim.toServer() : netsim.toClient();
            if (!was.equals(Impairment.none().withSeed(was.seed()))) {
                relay.retune(d, was.withDelay(was.delayMicros(), jitterMicros));
            }
        }
        return String.format(Locale.ROOT, "netsim: at %.1f s the jitter is now %s ms", step.seconds(), step.jitterMs());
    }

    /** What the relay did, for the end of the run. */
    public String summary() {
        return relay.record().summary();
    }

    /** Stops relaying. */
    public void stop() {
        relay.stop();
    }

    @Override
    public void close() {
        stop();
    }
}

package org.jamwire.options;

import static org.jamwire.options.OptionTable.valued;

import java.util.ArrayList;
import java.util.List;
import org.jamwire.netsim.Impairment;
import org.jamwire.options.OptionSpec.Section;
import org.jamwire.options.OptionValues.HostPort;

/**
 * The options of {@code jamwire netsim}, a relay that impairs a link's traffic, and how they
 * become a {@link Command.Netsim}. Called on the control thread.
 */
final class NetsimOptions {

    static final int DEFAULT_LISTEN = 4465;
    static final double DEFAULT_BURST_LENGTH = 3;
    static final int MAX_DELAY_MS = (int) (Impairment.MAX_DELAY_MICROS / 1000);
    static final int MAX_RATE_KBITS = (int) (Impairment.MAX_RATE / 1000);
    static final String[] DIRECTIONS = {"both", "to-server", "to-client"};

    static final OptionSpec TO = valued(Section.NETSIM, "--to", "HOST:PORT", "none; required",
            "a host name or IPv4 address, ':' and a port from 1 to 65535",
            "The server to relay to. The relay forwards what a client sends to its --listen port"
                    + " there, from a port of its own that the server takes for the client's, and"
                    + " sends the server's answers back to the client.",
            (v, g) -> v.relayTo.set(g, g.hostPort()));

    static final OptionSpec LISTEN = valued(Section.NETSIM, "--listen", "PORT",
            String.valueOf(DEFAULT_LISTEN), "0 to 65535; 0 picks a free port",
            "UDP port the relay receives clients on: point the client's -P at it.",
            (v, g) -> v.listenPort.set(g, g.whole(0, 65535)));

    static final OptionSpec LOSS = percent("--loss",
            "Chance in percent that each datagram is lost, independently of the others.",
            (v, p) -> v.loss.set(p.given(), p.value()));

    static final OptionSpec BURST = percent("--burst",
            "Chance in percent, at each datagram, that a burst of losses starts (a two-state"
                    + " Gilbert model): a burst loses every datagram and lasts --burst-length"
                    + " datagrams on average.",
            (v, p) -> v.burst.set(p.given(), p.value()));

    static final OptionSpec BURST_LENGTH = valued(Section.NETSIM, "--burst-length", "N", "3",
            "1 to 1000, decimals allowed",
            "Mean length of a burst of losses, in datagrams: each lost datagram ends the burst"
                    + " with chance 1/N. Only with --burst.",
            (v, g) -> v.burstLength.set(g, g.decimal(1, 1000, "a number")));

    static final OptionSpec DUPLICATE = percent("--duplicate",
            "Chance in percent that a datagram is sent twice, the copy right after it.",
            (v, p) -> v.duplicate.set(p.given(), p.value()));

    static final OptionSpec REORDER = percent("--reorder",
            "Chance in percent that a datagram is held back and sent right after the next one.",
            (v, p) -> v.reorder.set(p.given(), p.value()));

    static final OptionSpec DELAY = valued(Section.NETSIM, "--delay", "MS", "0",
            "0 to " + MAX_DELAY_MS + ", decimals allowed",
            "Delay added to every datagram, in milliseconds.",
            (v, g) -> v.delayMs.set(g, g.decimal(0, MAX_DELAY_MS, "a number of milliseconds")));

    static final OptionSpec JITTER = valued(Section.NETSIM, "--jitter", "MS", "0",
            "0 to " + MAX_DELAY_MS + ", decimals allowed",
            "Each datagram's delay varies evenly by up to this many milliseconds either way of"
                    + " --delay, never below 0. Jitter wider than the gap between datagrams"
                    + " reorders them, as on a real network.",
            (v, g) -> v.jitterMs.set(g, g.decimal(0, MAX_DELAY_MS, "a number of milliseconds")));

    static final OptionSpec JITTER_STEPS = valued(Section.NETSIM, "--jitter-steps", "S:MS,...", "none",
            "times in seconds (after the relay starts, increasing) with a jitter in milliseconds",
            "Changes --jitter mid-stream: at each S seconds after the relay starts, the jitter becomes"
                    + " MS milliseconds, e.g. --jitter 1 --jitter-steps 30:10,60:1 steps from 1 ms to"
                    + " 10 ms and back.",
            (v, g) -> v.jitterSteps.set(g, jitterSteps(g)));

    static final OptionSpec RATE = valued(Section.NETSIM, "--rate", "KBITS", "off: no limit",
            "1 to " + MAX_RATE_KBITS,
            "Bandwidth limit in kbit/s: a token bucket holding 20 ms of traffic (at least 1500"
                    + " bytes) lets datagrams through, and drops those over the limit.",
            (v, g) -> v.rateKbits.set(g, g.whole(1, MAX_RATE_KBITS)));

    static final OptionSpec DIRECTION = valued(Section.NETSIM, "--direction", "WAY", "both",
            "both, to-server or to-client",
            "Which way the impairments apply; the other way passes untouched. Each way draws its"
                    + " own random choices.",
            (v, g) -> v.direction.set(g, g.choice(DIRECTIONS)));

    static final OptionSpec SEED = valued(Section.NETSIM, "--seed", "N",
            String.valueOf(Impairment.DEFAULT_SEED), "0 to 2147483647",
            "Seed of the random choices: the same seed and the same traffic give the same losses,"
                    + " copies, reorders and delays.",
            (v, g) -> v.seed.set(g, g.whole(0, Integer.MAX_VALUE)));

    static final OptionSpec SECONDS = valued(Section.NETSIM, "--seconds", "N", "0", "0 to 86400",
            "How long to relay; 0 relays until Ctrl-C.",
            (v, g) -> v.seconds.set(g, g.whole(0, 86400)));

    static final OptionTable TABLE = new OptionTable(List.of(TO, LISTEN, LOSS, BURST, BURST_LENGTH,
            DUPLICATE, REORDER, DELAY, JITTER, JITTER_STEPS, RATE, DIRECTION, SEED, SECONDS, LinkOptions.HELP,
            LinkOptions.VERSION));

    private NetsimOptions() {
    }

    /** A percentage as given: the option and the value as a probability. */
    private record Percent(Given given, double value) {
    }

    /** Stores a percentage. */
    @FunctionalInterface
    private interface PercentHandler {
        void apply(OptionValues values, Percent percent) throws UsageException;
    }

    private static OptionSpec percent(String name, String description, PercentHandler handler) {
        return valued(Section.NETSIM, name, "PCT", "0", "0 to 100, decimals allowed",
                description,
                (v, g) -> handler.apply(v,
                        new Percent(g, g.decimal(0, 100, "a percentage") / 100)));
    }

    /** The relay the values describe, with defaults filled in, or an error naming the option. */
    static Command.Netsim toNetsim(OptionValues v) throws UsageException {
        final HostPort to = v.relayTo.orElse(null);
        if (to == null) {
            throw new UsageException("--to: say where the server is, e.g. --to 192.0.2.10:4464;"
                    + " the relay forwards what clients send it there");
        }
        if (v.burstLength.isSet() && !v.burst.isSet()) {
            final Given given = v.burstLength.givenBy();
            throw new UsageException(given.label() + ": '" + Given.shown(given.raw()) + "' only applies with"
                    + " --burst");
        }
        final long seed = v.seed.orElse((int) Impairment.DEFAULT_SEED);
        Impairment impairment = Impairment.none()
                .withLoss(v.loss.orElse(0.0))
                .withDuplicate(v.duplicate.orElse(0.0))
                .withReorder(v.reorder.orElse(0.0))
                .withDelay(micros(v.delayMs.orElse(0.0)), micros(v.jitterMs.orElse(0.0)))
                .withSeed(seed);
        if (v.burst.isSet()) {
            impairment = impairment.withBurst(v.burst.orElse(0.0),
                    v.burstLength.orElse(DEFAULT_BURST_LENGTH));
        }
        if (v.rateKbits.isSet()) {
            impairment = impairment.withRate(v.rateKbits.orElse(0) * 1000L);
        }
        final Impairment untouched = Impairment.none().withSeed(seed);
        final String way = v.direction.orElse("both");
        return new Command.Netsim(v.listenPort.orElse(DEFAULT_LISTEN), to.host(), to.port(),
                way.equals("to-client") ? untouched : impairment,
                way.equals("to-server") ? untouched : impairment,
                v.seconds.orElse(0), v.jitterSteps.orElse(List.of()));
    }

    /** {@code S:MS,...} as steps, each time after the one before and each value in range. */
    private static List<Command.JitterStep> jitterSteps(Given g) throws UsageException {
        final List<Command.JitterStep> steps = new ArrayList<>();
        double last = -1;
        for (String part : g.raw().split(",", -1)) {
            final String[] sm = part.split(":", -1);
            final double seconds;
            final double ms;
            try {
                if (sm.length != 2) {
                    throw new NumberFormatException();
                }
                seconds = Double.parseDouble(sm[0].trim());
                ms = Double.parseDouble(sm[1].trim());
            } catch (NumberFormatException e) {
                throw g.notAllowed("give SECONDS:MS pairs separated by commas, e.g. 30:10,60:1; '" + part
                        + "' is not one");
            }
            if (!(seconds > last && seconds <= 86400)) {
                throw g.notAllowed("the times must increase and stay within 86400 s; " + part + " does not");
            }
            if (!(ms >= 0 && ms <= MAX_DELAY_MS)) {
                throw g.notAllowed("a jitter is 0 to " + MAX_DELAY_MS + " ms; " + part + " is not");
            }
            last = seconds;
            steps.add(new Command.JitterStep(seconds, ms));
        }
        return steps;
    }

    private static long micros(double ms) {
        return Math.round(ms * 1000);
    }
}

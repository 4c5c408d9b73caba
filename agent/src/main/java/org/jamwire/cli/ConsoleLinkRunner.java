package org.jamwire.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.jamwire.control.AgentEvent;
import org.jamwire.control.Demo;
import org.jamwire.control.EventBus;
import org.jamwire.control.HubLogins;
import org.jamwire.control.LinkManager;
import org.jamwire.control.LinkTests;
import org.jamwire.control.LinkView;
import org.jamwire.options.Command;
import org.jamwire.options.ExitCode;
import org.jamwire.options.UsageException;

/**
 * Runs links for the command line through the control layer: prints their events to stderr and
 * their {@code -I} lines and the demo's live figures to stdout, and stops them with the stop packet
 * on Ctrl-C; hands {@code jamwire netsim} to {@link ConsoleNetsim}. Runs on the main thread; the
 * shutdown hook runs on the JVM's, events arrive on the links' threads.
 */
public final class ConsoleLinkRunner implements LinkRunner {

    private final PrintStream out;
    private final PrintStream err;
    private final ToIntFunction<Command.Agent> agents;
    private final ToIntFunction<Command.LabTrust> labTrust;

    /**
     * @param agents runs {@code jamwire agent}, which the web layer serves: the launcher passes it
     *     in, so that this package need not know the web layer
     * @param labTrust runs {@code jamwire lab trust}, which reaches the lab over ssh: passed in by the
     *     launcher for the same reason
     */
    public ConsoleLinkRunner(PrintStream out, PrintStream err, ToIntFunction<Command.Agent> agents,
            ToIntFunction<Command.LabTrust> labTrust) {
        this.out = out;
        this.err = err;
        this.agents = agents;
        this.labTrust = labTrust;
    }

    @Override
    public int runLink(Command.Run run) {
        return runUntilStopped(run, null, false);
    }

    @Override
    public int runHubClient(Command.HubClient hub) {
        final HubLogins.Source login = hub.login() == null ? null
                : () -> new HubLoginReader(System.getenv(), System.console(), System.in, err).read(hub.login());
        return runUntilStopped(hub, login, false);
    }

    @Override
    public int runHubServer(Command.HubServer hub) {
        return runUntilStopped(hub, null, true);
    }

    /** Runs one link or hub until it stops: Ctrl-C, the peer's stop packet, a timeout or a failure. */
    private int runUntilStopped(Command command, HubLogins.Source login, boolean hub) {
        final AtomicInteger exit = new AtomicInteger(ExitCode.OK);
        final EventBus bus = new EventBus();
        bus.listen(e -> report(e, exit, hub));
        try (LinkManager links = LinkManager.forTerminal(bus)) {
            final LinkView link;
            try {
                link = links.start(command, login);
            } catch (LinkManager.StartFailed e) {
                err.println("jamwire: " + e.getMessage());
                return ExitCode.FAILED;
            } catch (UsageException e) {
                err.println("jamwire: " + e.getMessage());
                return ExitCode.USAGE;
            }
            final Interrupt interrupt = Interrupt.install(() -> links.stopSoon(link.id()));
            try {
                while (!links.awaitStop(link.id(), 1, TimeUnit.SECONDS)) {
                    // The link's own events say everything worth saying while it runs.
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                links.stopSoon(link.id());
            }
            interrupt.done();
            if (interrupt.fired()) {
                return ExitCode.INTERRUPTED;
            }
            return "failed".equals(links.view(link.id(), false).state()) ? ExitCode.FAILED : exit.get();
        }
    }

    @Override
    public int runLabTrust(Command.LabTrust trust) {
        return labTrust.applyAsInt(trust);
    }

    @Override
    public int runLinkTest(Command.LinkTest test) {
        try {
            if (test.echo()) {
                final long echoed = LinkTests.echo(test.port(), test.seconds() + 5.0, port -> {
                    out.println("linktest: echoing on UDP port " + port + " for " + (test.seconds() + 5) + " s");
                    out.flush();
                });
                out.println("linktest: echoed " + echoed + " datagrams");
                return ExitCode.OK;
            }
            out.println("linktest: sending " + test.datagramBytes() + "-byte datagrams (" + test.channels()
                    + " channels, " + test.bitResolution() + "-bit, " + test.bufferSize() + " frames at "
                    + test.sampleRate() + " Hz) to " + test.host() + ":" + test.port() + " for " + test.seconds()
                    + " s");
            final LinkTests.Result r = LinkTests.run(test.host(), test.port(), test.datagramBytes(),
                    test.periodNanos(), test.seconds());
            out.println(LinkTestReport.text(r));
            return r.received() == 0 ? ExitCode.FAILED : ExitCode.OK;
        } catch (IOException | IllegalArgumentException e) {
            err.println("jamwire: linktest: " + e.getMessage());
            return ExitCode.FAILED;
        }
    }

    @Override
    public int runAgent(Command.Agent agent) {
        return agents.applyAsInt(agent);
    }

    @Override
    public int runNetsim(Command.Netsim netsim) {
        return new ConsoleNetsim(out, err).run(netsim);
    }

    @Override
    public int runDemo(Command.Demo demo) {
        final AtomicInteger exit = new AtomicInteger(ExitCode.OK);
        final EventBus bus = new EventBus();
        bus.listen(e -> report(e, exit, false));
        final Demo running;
        try {
            running = Demo.start(demo, bus);
        } catch (LinkManager.StartFailed e) {
            err.println("jamwire: " + e.getMessage());
            return ExitCode.FAILED;
        }
        final Interrupt interrupt = Interrupt.install(running::close);
        out.println("demo: two JamWire ends on this machine streaming " + demo.channels() + " channels of "
                + demo.signal() + " to each other over UDP loopback; " + (demo.seconds() == 0 ? "Ctrl-C stops"
                : "stops after " + demo.seconds() + " s (Ctrl-C stops sooner)"));
        out.println(DemoFigures.HEADER);
        final long end = demo.seconds() == 0 ? Long.MAX_VALUE
                : System.nanoTime() + TimeUnit.SECONDS.toNanos(demo.seconds());
        try {
            while (System.nanoTime() < end && running.running()) {
                if (interrupt.await(1, TimeUnit.SECONDS)) {
                    break;
                }
                running.ends().forEach(e -> out.println(DemoFigures.line(e)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.close();
        interrupt.done();
        if (interrupt.fired()) {
            return ExitCode.INTERRUPTED;
        }
        return running.failed() ? ExitCode.FAILED : exit.get();
    }

    /**
     * Prints an event: {@code -I} lines to stdout, the rest to stderr, a hub's with the client they
     * are about. A start's own outcome is the caller's to print.
     */
    private void report(AgentEvent e, AtomicInteger exit, boolean hub) {
        switch (e.kind()) {
            case "link_started", "failed" -> {
            }
            case "stats" -> out.println(e.message());
            case "timeout", "mismatch" -> {
                exit.set(ExitCode.FAILED);
                err.println("jamwire: " + e.message());
            }
            default -> err.println(!hub ? "jamwire: " + e.message()
                    : e.client() == null ? "jamwire: hub: " + e.message()
                    : "jamwire: hub client " + e.client().slot() + " (" + e.client().name() + "): " + e.detail());
        }
    }

    /** The demo's live figures, one line per end per second. */
    static final class DemoFigures {
        static final String HEADER = String.format("%7s %-6s %-9s %7s %7s %5s %5s %9s %11s %9s  %s", "time", "end",
                "state", "sent", "recv", "lost", "late", "underrun", "queue", "queued", "received level per channel");

        private DemoFigures() {
        }

        static String line(Demo.End end) {
            final LinkView v = end.link();
            final StringBuilder levels = new StringBuilder();
            final List<Double> rms = end.playedRms();
            for (int c = 0; c < rms.size() && c < 8; c++) {
                levels.append(String.format(" %6.1f", rms.get(c)));
            }
            if (rms.size() > 8) {
                levels.append(" …");
            }
            final long level = v.counters().get("level_frames");
            final double queueMs = 1000.0 * level / v.format().sampleRate();
            return String.format("%6.1fs %-6s %-9s %7d %7d %5d %5d %9d %5d/%-5d %6.2f ms %s dBFS",
                    v.uptimeSeconds(), end.name(), v.state(), v.counters().get("pkts_out"),
                    v.counters().get("pkts_in"), v.counters().get("lost"), v.counters().get("late"),
                    v.counters().get("underrun"), level, v.counters().get("target_frames"), queueMs, levels);
        }
    }
}

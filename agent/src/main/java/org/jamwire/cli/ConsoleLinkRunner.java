package org.jamwire.cli;

import org.jamwire.options.Command;
import org.jamwire.options.ExitCode;
import org.jamwire.options.UsageException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.jamwire.audio.builtin.BuiltinBackend;
import org.jamwire.audio.builtin.BuiltinSession;
import org.jamwire.audio.builtin.Meters;
import org.jamwire.engine.LinkCounter;
import org.jamwire.link.Backends;
import org.jamwire.link.Link;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkEvent;
import org.jamwire.link.LinkException;
import org.jamwire.link.LinkStats;
import org.jamwire.net.HubException;
import org.jamwire.net.HubHandshakeClient;
import org.jamwire.net.HubLogin;

/**
 * Runs links for the command line: prints their events to stderr and their {@code -I} lines and
 * the demo's live figures to stdout, and stops them with the stop packet on Ctrl-C; hands
 * {@code jamwire netsim} to {@link ConsoleNetsim}. Runs on the main thread; the shutdown hook
 * runs on the JVM's.
 */
public final class ConsoleLinkRunner implements LinkRunner {

    /** How long a hub client retries a hub that refuses the connection, as jacktrip. */
    private static final java.time.Duration HUB_RETRY = java.time.Duration.ofSeconds(30);

    private final PrintStream out;
    private final PrintStream err;
    private final ToIntFunction<Command.Agent> agents;

    /**
     * @param agents runs {@code jamwire agent}, which the web layer serves: the launcher passes it
     *     in, so that this package need not know the web layer
     */
    public ConsoleLinkRunner(PrintStream out, PrintStream err, ToIntFunction<Command.Agent> agents) {
        this.out = out;
        this.err = err;
        this.agents = agents;
    }

    @Override
    public int runLink(LinkConfig config) {
        final AtomicInteger exit = new AtomicInteger(ExitCode.OK);
        final Link link;
        try {
            link = Link.start(config, Backends.forConfig(config), e -> report(e, exit));
        } catch (LinkException e) {
            err.println("jamwire: " + e.getMessage());
            return ExitCode.FAILED;
        }
        final Interrupt interrupt = Interrupt.install(link::stop);
        try {
            while (!link.awaitStop(1, TimeUnit.SECONDS)) {
                // The link's own events say everything worth saying while it runs.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            link.stop();
        }
        interrupt.done();
        if (interrupt.fired()) {
            return ExitCode.INTERRUPTED;
        }
        return link.state() == Link.State.FAILED ? ExitCode.FAILED : exit.get();
    }

    @Override
    public int runHubClient(Command.HubClient hub) {
        final LinkConfig config = hub.config();
        final java.net.InetSocketAddress tcp = new java.net.InetSocketAddress(config.peerHost(), config.peerPort());
        if (tcp.isUnresolved()) {
            err.println("jamwire: cannot resolve hub host '" + config.peerHost()
                    + "': check the name, or give an IP address");
            return ExitCode.FAILED;
        }
        HubLogin login = null;
        if (hub.login() != null) {
            try {
                login = new HubLoginReader(System.getenv(), System.console(), System.in, err).read(hub.login());
            } catch (UsageException e) {
                err.println("jamwire: " + e.getMessage());
                return ExitCode.USAGE;
            }
        }
        final int port;
        try {
            port = HubHandshakeClient.requestPort(tcp, config.bindPort(), hub.remoteName(), HUB_RETRY, login);
        } catch (HubException e) {
            err.println("jamwire: " + e.getMessage());
            return ExitCode.FAILED;
        } finally {
            if (login != null) {
                login.wipe();
            }
        }
        err.println("jamwire: the hub at " + config.peerHost() + ":" + config.peerPort() + " gave UDP port " + port
                + (hub.remoteName().isEmpty() ? "" : " to '" + hub.remoteName() + "'"));
        return runLink(config.toBuilder().peerPort(port).build());
    }

    @Override
    public int runHubServer(Command.HubServer hub) {
        return HubConsole.run(hub.config(), out, err);
    }

    @Override
    public int runLinkTest(Command.LinkTest test) {
        try {
            if (test.echo()) {
                final long echoed = org.jamwire.net.LinkTest.echo(test.port(), test.seconds() + 5.0,
                        port -> {
                            out.println("linktest: echoing on UDP port " + port + " for " + (test.seconds() + 5) + " s");
                            out.flush();
                        });
                out.println("linktest: echoed " + echoed + " datagrams");
                return ExitCode.OK;
            }
            out.println("linktest: sending " + test.datagramBytes() + "-byte datagrams (" + test.channels()
                    + " channels, " + test.bitResolution() + "-bit, " + test.bufferSize() + " frames at "
                    + test.sampleRate() + " Hz) to " + test.host() + ":" + test.port() + " for " + test.seconds() + " s");
            final org.jamwire.net.LinkTest.Result r = org.jamwire.net.LinkTest.run(
                    new java.net.InetSocketAddress(test.host(), test.port()), test.datagramBytes(), test.periodNanos(),
                    test.seconds());
            out.println(LinkTestReport.text(r));
            return r.received() == 0 ? ExitCode.FAILED : ExitCode.OK;
        } catch (java.io.IOException | IllegalArgumentException e) {
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
        final List<Link> links = new ArrayList<>();
        final AtomicInteger exit = new AtomicInteger(ExitCode.OK);
        // Both ends share one built-in backend: it keeps their sessions apart by client name.
        final BuiltinBackend audio = (BuiltinBackend) Backends.forConfig(demo.serverConfig(0));
        try {
            final Link server = Link.start(demo.serverConfig(0), audio, e -> report(e, exit));
            links.add(server);
            links.add(Link.start(demo.clientConfig(0, server.localPort()), audio, e -> report(e, exit)));
        } catch (LinkException e) {
            err.println("jamwire: " + e.getMessage());
            links.forEach(Link::stop);
            return ExitCode.FAILED;
        }
        final Interrupt interrupt = Interrupt.install(() -> links.forEach(Link::stop));
        out.println("demo: two JamWire ends on this machine streaming " + demo.channels() + " channels of "
                + demo.signal() + " to each other over UDP loopback; " + (demo.seconds() == 0 ? "Ctrl-C stops"
                : "stops after " + demo.seconds() + " s (Ctrl-C stops sooner)"));
        out.println(DemoFigures.HEADER);
        final long end = demo.seconds() == 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(demo.seconds());
        try {
            while (System.nanoTime() < end && links.stream().allMatch(l -> l.state() != Link.State.STOPPED
                    && l.state() != Link.State.FAILED)) {
                if (interrupt.await(1, TimeUnit.SECONDS)) {
                    break;
                }
                out.println(DemoFigures.line("server", links.get(0), receiveMeters(audio, links.get(0))));
                out.println(DemoFigures.line("client", links.get(1), receiveMeters(audio, links.get(1))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        links.forEach(Link::stop);
        interrupt.done();
        if (interrupt.fired()) {
            return ExitCode.INTERRUPTED;
        }
        return links.stream().anyMatch(l -> l.state() == Link.State.FAILED) ? ExitCode.FAILED : exit.get();
    }

    private static Meters receiveMeters(BuiltinBackend backend, Link link) {
        final BuiltinSession s = backend.session(link.clientName());
        return s == null ? new Meters(0) : s.receiveMeters();
    }

    private void report(LinkEvent e, AtomicInteger exit) {
        switch (e.kind()) {
            case STATS -> out.println(e.message());
            case TIMEOUT, MISMATCH -> {
                exit.set(ExitCode.FAILED);
                err.println("jamwire: " + e.message());
            }
            default -> err.println("jamwire: " + e.message());
        }
    }

    /** The demo's live figures, one line per end per second. */
    static final class DemoFigures {
        static final String HEADER = String.format("%7s %-6s %-9s %7s %7s %5s %5s %9s %11s %9s  %s", "time", "end",
                "state", "sent", "recv", "lost", "late", "underrun", "queue", "queued", "received level per channel");

        private DemoFigures() {
        }

        static String line(String end, Link link, Meters meters) {
            final LinkStats s = link.stats();
            final StringBuilder levels = new StringBuilder();
            for (int c = 0; c < meters.channels() && c < 8; c++) {
                levels.append(String.format(" %6.1f", dbfs(meters.rms(c))));
            }
            if (meters.channels() > 8) {
                levels.append(" …");
            }
            final double queueMs = 1000.0 * s.get(LinkCounter.QUEUE_LEVEL) / s.format().sampleRate();
            return String.format("%6.1fs %-6s %-9s %7d %7d %5d %5d %9d %5d/%-5d %6.2f ms %s dBFS",
                    s.uptime().toMillis() / 1000.0, end, s.state().name().toLowerCase().replace("_for_peer", ""),
                    s.get(LinkCounter.PACKETS_SENT), s.get(LinkCounter.PACKETS_RECEIVED),
                    s.get(LinkCounter.PACKETS_LOST), s.get(LinkCounter.PACKETS_LATE),
                    s.get(LinkCounter.UNDERRUNS), s.get(LinkCounter.QUEUE_LEVEL), s.get(LinkCounter.QUEUE_TARGET),
                    queueMs, levels);
        }

        private static double dbfs(float rms) {
            return rms <= 1e-9f ? -120.0 : 20 * Math.log10(rms);
        }
    }
}

package org.jamwire.control;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jamwire.audio.AudioBackend;
import org.jamwire.link.Backends;
import org.jamwire.link.LatencyException;
import org.jamwire.link.Link;
import org.jamwire.link.LinkConfig;
import org.jamwire.net.HubException;
import org.jamwire.net.LinkSocket;
import org.jamwire.options.Command;
import org.jamwire.options.LinkArguments;
import org.jamwire.options.UsageException;

/**
 * The agent's links (P2P links, hub clients and hub servers): starts them from requests, lists
 * them, stops them, and forwards their events
 * to the {@link EventBus}. Stopped links stay listed until the agent stops, so that their end can
 * be read. Called on HTTP threads; links report on their own supervisor threads.
 */
public final class LinkManager implements AutoCloseable {

    /** A request that can be checked but whose link could not start: the port is taken, JACK refused. */
    public static final class StartFailed extends Exception {
        private static final long serialVersionUID = 1L;

        /** What refused. */
        public enum Kind {
            /** The hub could not be reached, or refused. */
            HUB,
            /** The port is taken. */
            PORT_TAKEN,
            /** The audio backend refused. */
            UNAVAILABLE
        }

        private final Kind kind;

        StartFailed(String message, Throwable cause) {
            super(message, cause);
            this.kind = cause instanceof HubException ? Kind.HUB
                    : message != null && message.contains("port") ? Kind.PORT_TAKEN : Kind.UNAVAILABLE;
        }

        /** What refused. */
        public Kind kind() {
            return kind;
        }
    }

    private static final long STOP_WAIT_SECONDS = 3;

    private final String jackServer;
    private final LinkRegistry registry;
    /** Where a hub client started from a request gets its hub password, or null: it logs in to no hub. */
    private final Path hubPasswordFile;

    /**
     * @param jackServer the JACK server the agent watches, which its JACK links must use: libjack
     *     talks to one server per process
     * @param bus where link events go
     */
    public LinkManager(String jackServer, EventBus bus) {
        this(jackServer, bus, null);
    }

    /**
     * @param jackServer as above
     * @param bus as above
     * @param hubPasswordFile the owner-only file whose first line is the password a hub client
     *     started from a request logs in with ({@code -A}), or null to refuse such hub clients
     */
    public LinkManager(String jackServer, EventBus bus, Path hubPasswordFile) {
        this(jackServer, new LinkRegistry(bus, false), hubPasswordFile);
    }

    private LinkManager(String jackServer, LinkRegistry registry, Path hubPasswordFile) {
        this.jackServer = jackServer;
        this.registry = registry;
        this.hubPasswordFile = hubPasswordFile;
    }

    /**
     * The links of one command at a terminal, on whatever audio server their options name. Their
     * {@code -I} statistics lines are events of kind {@code stats}, which an agent's links keep to
     * their counters.
     */
    public static LinkManager forTerminal(EventBus bus) {
        return new LinkManager(null, new LinkRegistry(bus, true), null);
    }

    /** The JACK server this agent watches, which its JACK links must use. */
    public String jackServer() {
        return jackServer;
    }

    /**
     * Checks a link request as the command line would check it, on this agent's JACK server.
     *
     * @throws LinkArguments.InvalidLink naming the field at fault, the rule and what is wrong
     */
    public LinkRequest check(String mode, String host, Map<String, Object> options) throws LinkArguments.InvalidLink {
        return LinkRequests.check(mode, host, options, jackServer, hubPasswordFile);
    }

    /**
     * What a server link with these options would stream, wherever it ran.
     *
     * @throws LinkArguments.InvalidLink naming the field at fault, the rule and what is wrong
     */
    public static LinkRequest.Shape shape(Map<String, Object> options) throws LinkArguments.InvalidLink {
        return LinkRequest.Shape.of(LinkArguments.parse(LinkArguments.arguments("server", null, options)).config());
    }

    /**
     * Starts a checked link: a P2P link, a hub client or a hub server. A hub client retries a
     * refused connection for {@value LinkRegistry#HUB_RETRY_SECONDS} s, blocking the caller.
     *
     * @return the link as it is once started, with its counters and events
     * @throws StartFailed when the port is taken, the audio backend refuses or the hub cannot be
     *     reached or refuses; its kind says which
     */
    public LinkView start(LinkRequest r) throws StartFailed {
        final ManagedLink m;
        if (r.command() instanceof Command.HubServer hub) {
            m = registry.hubServer(r.options(), r.commandLine(), hub.config(), r.warnings());
        } else if (r.command() instanceof Command.HubClient hub) {
            HubLogins.Login login = null;
            try {
                if (hub.login() != null) {
                    login = new HubLogins.Login(hub.login().username(), HubLogins.readPasswordFile(hubPasswordFile,
                            "hubPasswordFile"), hub.login());
                }
                m = registry.hubClient(r.host(), r.options(), r.commandLine(), hub.config(), hub.remoteName(),
                        login == null ? null : login.toHubLogin(), r.warnings());
            } catch (UsageException e) {
                throw new StartFailed(e.getMessage(), null);
            } finally {
                if (login != null) {
                    login.wipe();
                }
            }
        } else {
            final LinkConfig c = ((Command.Run) r.command()).config();
            m = registry.link(r.mode(), r.host(), r.options(), r.commandLine(), c, Backends.forConfig(c),
                    r.warnings());
        }
        return LinkViews.of(m, true);
    }

    /**
     * Starts what a command line asked for: a P2P link, a hub client (logging in when the hub asks
     * for it) or a hub server. The command's warnings are the caller's to show.
     *
     * @param login where a hub client's login comes from, once the hub's address is known; null
     *     for none. The password is wiped once used.
     * @return the link as it is once started
     * @throws StartFailed as {@link #start(LinkRequest)}
     * @throws UsageException when the login cannot be gathered
     */
    public LinkView start(Command command, HubLogins.Source login) throws StartFailed, UsageException {
        final ManagedLink m;
        if (command instanceof Command.HubServer hub) {
            m = registry.hubServer(Map.of(), "", hub.config(), List.of());
        } else if (command instanceof Command.HubClient hub) {
            final LinkConfig c = hub.config();
            if (new InetSocketAddress(c.peerHost(), c.peerPort()).isUnresolved()) {
                throw new StartFailed(LinkRegistry.unresolved(c), null);
            }
            final HubLogins.Login given = login == null ? null : login.read();
            try {
                m = registry.hubClient(c.peerHost(), Map.of(), "", c, hub.remoteName(),
                        given == null ? null : given.toHubLogin(), List.of());
            } finally {
                if (given != null) {
                    given.wipe();
                }
            }
        } else {
            final LinkConfig c = ((Command.Run) command).config();
            m = startOn(c, Backends.forConfig(c));
        }
        return LinkViews.of(m, false);
    }

    /** Starts a P2P link from a terminal on {@code backend}, which other links may share. */
    ManagedLink startOn(LinkConfig c, AudioBackend backend) throws StartFailed {
        return registry.link(LinkArguments.modeName(c.role()), c.peerHost(), Map.of(), "", c, backend, List.of());
    }

    /** Every started link, oldest first, without counters, clients or events. */
    public List<LinkView> list() {
        return registry.started().stream().map(m -> LinkViews.of(m, false)).toList();
    }

    /** Every started link's figures, gathered at one moment, oldest first. */
    public List<LinkFigures> figures() {
        return registry.started().stream().map(LinkFigures::of).toList();
    }

    /**
     * The started link with this id, with its counters, a hub's clients and its events when
     * {@code full}; null when there is none.
     */
    public LinkView view(String id, boolean full) {
        final ManagedLink m = registry.started(id);
        return m == null ? null : LinkViews.of(m, full);
    }

    /**
     * Measures the round trip through the far end of a started P2P link or hub client on
     * {@code channel} (from 1). Blocks the calling thread for at most {@code timeout}.
     *
     * @throws RoundTrip.Failed when it is not streaming, another test runs, or no echo came
     */
    public RoundTrip measureLatency(String id, int channel, Duration timeout) throws RoundTrip.Failed {
        final ManagedLink m = registry.started(id);
        if (m == null || m.link() == null) {
            throw new RoundTrip.Failed(false, "link " + id + " has no audio of its own");
        }
        try {
            return LinkViews.roundTrip(m.link().measureLatency(channel, timeout));
        } catch (LatencyException e) {
            throw new RoundTrip.Failed(e.reason() == LatencyException.Reason.NO_ECHO, e.getMessage());
        }
    }

    /**
     * Which of {@code ports} a link could bind here now: each is bound as a link binds it, on every
     * address, and let go at once.
     */
    public static List<Integer> freeUdpPorts(List<Integer> ports) {
        final List<Integer> free = new ArrayList<>();
        for (int p : ports) {
            try {
                LinkSocket.open(new InetSocketAddress(p)).close();
                free.add(p);
            } catch (IOException e) {
                // Taken, by a link or anything else.
            }
        }
        return free;
    }

    /** Links that have not stopped or failed. */
    public long running() {
        return registry.started().stream().filter(m -> m.link() != null ? isRunning(m.link()) : m.hub().running())
                .count();
    }

    private static boolean isRunning(Link link) {
        return link.state() != Link.State.STOPPED && link.state() != Link.State.FAILED;
    }

    /**
     * Stops a link and waits a little for it to release its port and audio client.
     *
     * @return the link as it is then, or null when there is none with this id
     */
    public LinkView stop(String id) throws InterruptedException {
        final ManagedLink managed = registry.started(id);
        if (managed == null) {
            return null;
        }
        if (managed.hub() != null) {
            if (managed.hub().running()) {
                managed.hub().close();
                registry.publish(managed, "stopped", "the hub stopped; its clients were sent the stop packet");
            }
        } else {
            managed.link().stop();
            managed.link().awaitStop(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        return LinkViews.of(managed, true);
    }

    /** Tells a link to stop (it sends the stop packet) or a hub to close, without waiting. */
    public void stopSoon(String id) {
        final ManagedLink m = registry.started(id);
        if (m != null && m.link() != null) {
            m.link().stop();
        } else if (m != null) {
            m.hub().close();
        }
    }

    /**
     * Waits for a link to stop or fail, or a hub server to close.
     *
     * @return whether it has, or there is no such link
     */
    public boolean awaitStop(String id, long timeout, TimeUnit unit) throws InterruptedException {
        final ManagedLink m = registry.started(id);
        if (m == null) {
            return true;
        }
        if (m.link() != null) {
            return m.link().awaitStop(timeout, unit);
        }
        final long end = System.nanoTime() + unit.toNanos(timeout);
        while (m.hub().running() && end - System.nanoTime() > 0) {
            Thread.sleep(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
        }
        return !m.hub().running();
    }

    /** Stops every link. */
    @Override
    public void close() {
        for (ManagedLink m : registry.all()) {
            if (m.link() != null) {
                m.link().stop();
            }
            if (m.hub() != null) {
                m.hub().close();
            }
        }
    }
}

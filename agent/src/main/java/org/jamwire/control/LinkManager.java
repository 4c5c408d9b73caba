package org.jamwire.control;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jamwire.hub.HubConfig;
import org.jamwire.hub.HubEvent;
import org.jamwire.hub.HubServer;
import org.jamwire.link.Backends;
import org.jamwire.link.Link;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkEvent;
import org.jamwire.link.LatencyException;
import org.jamwire.link.LinkException;
import org.jamwire.net.HubException;
import org.jamwire.net.HubHandshakeClient;
import org.jamwire.options.Command;
import org.jamwire.options.LinkArguments;

/**
 * The agent's links (P2P links, hub clients and hub servers): starts them from requests, lists them, stops them, and forwards their events
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
    /** How long a hub client retries a refused connection to its hub, as the command line does. */
    static final int HUB_RETRY_SECONDS = 30;

    private final String jackServer;
    private final EventBus bus;
    private final Map<String, ManagedLink> links = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    /**
     * @param jackServer the JACK server the agent watches, which its JACK links must use: libjack
     *     talks to one server per process
     * @param bus where link events go
     */
    public LinkManager(String jackServer, EventBus bus) {
        this.jackServer = jackServer;
        this.bus = bus;
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
        return LinkRequests.check(mode, host, options, jackServer);
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
     * Starts a checked link: a P2P link, a hub client or a hub server.
     *
     * @return the link as it is once started
     * @throws StartFailed when the port is taken, the audio backend refuses or the hub cannot be
     *     reached or refuses; its kind says which
     */
    public LinkView start(LinkRequest r) throws StartFailed {
        final ManagedLink m;
        if (r.command() instanceof Command.HubServer hub) {
            m = startHubServer(r.options(), r.commandLine(), hub.config(), r.warnings());
        } else if (r.command() instanceof Command.HubClient hub) {
            m = startHubClient(r.host(), r.options(), r.commandLine(), hub.config(), hub.remoteName(), r.warnings());
        } else {
            m = start(r.mode(), r.host(), r.options(), r.commandLine(), ((Command.Run) r.command()).config(),
                    r.warnings());
        }
        return LinkViews.of(m, true);
    }

    /**
     * Starts a link that a front door has checked.
     *
     * @param mode {@code server} or {@code client}, as requested
     * @param host the host a client connects to, or null
     * @param options the options as requested
     * @param commandLine the equivalent command line
     * @param config the link, on this agent's JACK server when it uses JACK
     * @param warnings what the command line would warn about
     * @throws StartFailed when the port is taken or the audio backend refuses; the message says why
     */
    ManagedLink start(String mode, String host, Map<String, Object> options, String commandLine,
            LinkConfig config, List<String> warnings) throws StartFailed {
        final ManagedLink managed = new ManagedLink("l" + nextId.getAndIncrement(), mode, host, options, commandLine);
        links.put(managed.id(), managed);
        publish(managed, "link_started", commandLine);
        for (String w : warnings) {
            publish(managed, "warning", w);
        }
        try {
            managed.attach(Link.start(config, Backends.forConfig(config), e -> publish(managed, e)));
        } catch (LinkException e) {
            links.remove(managed.id());
            publish(managed, "failed", e.getMessage());
            throw new StartFailed(e.getMessage(), e);
        }
        return managed;
    }

    /**
     * Starts a hub client: asks the hub at the config's peer host and port for a UDP port, retrying
     * a refused connection for {@value #HUB_RETRY_SECONDS} s as the command line does (this blocks
     * the caller meanwhile), then runs the link to that port.
     *
     * @param remoteName the name for the hub ({@code -K}), or "" for its default
     * @throws StartFailed when the hub cannot be reached or refuses, or the link cannot start
     */
    ManagedLink startHubClient(String host, Map<String, Object> options, String commandLine,
            LinkConfig config, String remoteName, List<String> warnings) throws StartFailed {
        final ManagedLink managed = begin("hubclient", host, options, commandLine, warnings);
        try {
            final InetSocketAddress tcp = new InetSocketAddress(config.peerHost(), config.peerPort());
            if (tcp.isUnresolved()) {
                throw new HubException("cannot resolve hub host '" + config.peerHost()
                        + "': check the name, or give an IP address");
            }
            final int port = HubHandshakeClient.requestPort(tcp, config.bindPort(), remoteName,
                    Duration.ofSeconds(HUB_RETRY_SECONDS));
            managed.hubPort(port);
            publish(managed, "hub_port", "the hub at " + config.peerHost() + ":" + config.peerPort() + " gave UDP port "
                    + port + (remoteName.isEmpty() ? "" : " to '" + remoteName + "'"));
            final LinkConfig toPort = config.toBuilder().peerPort(port).build();
            managed.attach(Link.start(toPort, Backends.forConfig(toPort), e -> publish(managed, e)));
        } catch (HubException | LinkException e) {
            return failed(managed, e);
        }
        return managed;
    }

    /**
     * Starts a hub server; its clients' arrivals, departures and problems become the link's events,
     * with the client they are about.
     *
     * @throws StartFailed when the TCP port is taken or JACK refuses
     */
    ManagedLink startHubServer(Map<String, Object> options, String commandLine, HubConfig config,
            List<String> warnings) throws StartFailed {
        final ManagedLink managed = begin("hubserver", null, options, commandLine, warnings);
        try {
            managed.attach(HubServer.start(config, e -> publish(managed, e)));
        } catch (LinkException e) {
            return failed(managed, e);
        }
        return managed;
    }

    private ManagedLink begin(String mode, String host, Map<String, Object> options, String commandLine,
            List<String> warnings) {
        final ManagedLink managed = new ManagedLink("l" + nextId.getAndIncrement(), mode, host, options, commandLine);
        links.put(managed.id(), managed);
        publish(managed, "link_started", commandLine);
        for (String w : warnings) {
            publish(managed, "warning", w);
        }
        return managed;
    }

    private ManagedLink failed(ManagedLink managed, Exception e) throws StartFailed {
        links.remove(managed.id());
        publish(managed, "failed", e.getMessage());
        throw new StartFailed(e.getMessage(), e);
    }

    /** Every started link, oldest first. */
    List<ManagedLink> managed() {
        final List<ManagedLink> list = new ArrayList<>(links.values());
        list.removeIf(m -> !m.attached());
        list.sort((a, b) -> Integer.compare(number(a.id()), number(b.id())));
        return list;
    }

    /** Every started link, oldest first, without counters, clients or events. */
    public List<LinkView> list() {
        return managed().stream().map(m -> LinkViews.of(m, false)).toList();
    }

    /** Every started link's figures, gathered at one moment, oldest first. */
    public List<LinkFigures> figures() {
        return managed().stream().map(LinkFigures::of).toList();
    }

    private static int number(String id) {
        return Integer.parseInt(id.substring(1));
    }

    private ManagedLink started(String id) {
        final ManagedLink m = links.get(id);
        return m != null && m.attached() ? m : null;
    }

    /**
     * The started link with this id, with its counters, a hub's clients and its events when
     * {@code full}; null when there is none.
     */
    public LinkView view(String id, boolean full) {
        final ManagedLink m = started(id);
        return m == null ? null : LinkViews.of(m, full);
    }

    /** A started link's counters, or a hub's own; null when there is no such link. */
    public CounterValues counters(String id) {
        final ManagedLink m = started(id);
        return m == null ? null : m.hub() != null ? LinkViews.hubCounters(m.hub()) : LinkViews.counters(m.link().stats());
    }

    /** A hub server's clients with their counters; null when {@code id} is no started hub server. */
    public List<HubClientView> clients(String id) {
        final ManagedLink m = started(id);
        return m == null || m.hub() == null ? null : m.hub().clients().stream().map(k -> LinkViews.client(k, true)).toList();
    }

    /**
     * Measures the round trip through the far end of a started P2P link or hub client on
     * {@code channel} (from 1). Blocks the calling thread for at most {@code timeout}.
     *
     * @throws RoundTrip.Failed when it is not streaming, another test runs, or no echo came
     */
    public RoundTrip measureLatency(String id, int channel, Duration timeout) throws RoundTrip.Failed {
        final ManagedLink m = started(id);
        if (m == null || m.link() == null) {
            throw new RoundTrip.Failed(RoundTrip.Failed.Reason.NOT_STREAMING, "link " + id + " has no audio of its own");
        }
        try {
            return LinkViews.roundTrip(m.link().measureLatency(channel, timeout));
        } catch (LatencyException e) {
            throw new RoundTrip.Failed(switch (e.reason()) {
                case NOT_STREAMING -> RoundTrip.Failed.Reason.NOT_STREAMING;
                case BUSY -> RoundTrip.Failed.Reason.BUSY;
                case NO_ECHO -> RoundTrip.Failed.Reason.NO_ECHO;
            }, e.getMessage());
        }
    }

    /** Links that have not stopped or failed. */
    public long running() {
        return links.values().stream().filter(m -> m.link() != null ? isRunning(m.link())
                : m.hub() != null && m.hub().running()).count();
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
        final ManagedLink managed = started(id);
        if (managed == null) {
            return null;
        }
        if (managed.hub() != null) {
            if (managed.hub().running()) {
                managed.hub().close();
                publish(managed, "stopped", "the hub stopped; its clients were sent the stop packet");
            }
            return LinkViews.of(managed, true);
        }
        managed.link().stop();
        managed.link().awaitStop(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        return LinkViews.of(managed, true);
    }

    private void publish(ManagedLink managed, LinkEvent e) {
        if (e.kind() == LinkEvent.Kind.STATS) {
            return; // the feed carries the counters themselves
        }
        final AgentEvent event = new AgentEvent(managed.id(), e.kind().name().toLowerCase(Locale.ROOT), e.message(),
                e.time());
        managed.record(event);
        bus.publish(event);
    }

    private void publish(ManagedLink managed, HubEvent e) {
        final String kind = switch (e.kind()) {
            case LISTENING -> "listening";
            case JOINED -> "client_joined";
            case STREAMING -> "client_streaming";
            case LEFT -> "client_left";
            case REPLACED -> "client_replaced";
            case REFUSED -> "client_refused";
            case NOTE -> e.client() < 0 ? "warning" : "client_note";
        };
        final AgentEvent event = new AgentEvent(managed.id(), kind,
                e.client() < 0 ? e.message() : e.name() + " (slot " + e.client() + "): " + e.message(), e.at(),
                e.client() < 0 ? null : new AgentEvent.Client(e.client(), e.name()));
        managed.record(event);
        bus.publish(event);
    }

    private void publish(ManagedLink managed, String kind, String message) {
        final AgentEvent event = new AgentEvent(managed.id(), kind, message, Instant.now());
        managed.record(event);
        bus.publish(event);
    }

    /** Stops every link. */
    @Override
    public void close() {
        for (ManagedLink m : links.values()) {
            if (m.link() != null) {
                m.link().stop();
            }
            if (m.hub() != null) {
                m.hub().close();
            }
        }
    }
}

package org.jamwire.control;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jamwire.audio.AudioBackend;
import org.jamwire.hub.HubConfig;
import org.jamwire.hub.HubEvent;
import org.jamwire.hub.HubServer;
import org.jamwire.link.Backends;
import org.jamwire.link.Link;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkEvent;
import org.jamwire.link.LinkException;
import org.jamwire.net.HubException;
import org.jamwire.net.HubHandshakeClient;
import org.jamwire.net.HubLogin;

/**
 * The links a {@link LinkManager} started: starts P2P links, hub clients and hub servers, numbers
 * them, and turns their events into {@link AgentEvent}s on the bus and in each link's recent list.
 * Starts run on the caller's thread (HTTP, job or main); events arrive on the links' own threads.
 */
final class LinkRegistry {

    /** How long a hub client retries a refused connection to its hub, as the command line does. */
    static final int HUB_RETRY_SECONDS = 30;

    private final EventBus bus;
    private final boolean withStats;
    private final Map<String, ManagedLink> links = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    LinkRegistry(EventBus bus, boolean withStats) {
        this.bus = bus;
        this.withStats = withStats;
    }

    /** Starts a P2P link on {@code backend}. */
    ManagedLink link(String mode, String host, Map<String, Object> options, String commandLine, LinkConfig config,
            AudioBackend backend, List<String> warnings) throws LinkManager.StartFailed {
        final ManagedLink managed = begin(mode, host, options, commandLine, warnings);
        try {
            managed.attach(Link.start(config, backend, e -> publish(managed, e)));
        } catch (LinkException e) {
            return failed(managed, e);
        }
        return managed;
    }

    /**
     * Starts a hub client: asks the hub at the config's peer host and port for a UDP port, retrying
     * a refused connection for {@value #HUB_RETRY_SECONDS} s (this blocks the caller meanwhile),
     * then runs the link to that port.
     *
     * @param remoteName the name for the hub ({@code -K}), or "" for its default
     * @param login the login for a hub that asks for one, or null
     */
    ManagedLink hubClient(String host, Map<String, Object> options, String commandLine, LinkConfig config,
            String remoteName, HubLogin login, List<String> warnings) throws LinkManager.StartFailed {
        final ManagedLink managed = begin("hubclient", host, options, commandLine, warnings);
        try {
            final InetSocketAddress tcp = new InetSocketAddress(config.peerHost(), config.peerPort());
            if (tcp.isUnresolved()) {
                throw new HubException(unresolved(config));
            }
            final int port = HubHandshakeClient.requestPort(tcp, config.bindPort(), remoteName,
                    Duration.ofSeconds(HUB_RETRY_SECONDS), login);
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

    static String unresolved(LinkConfig hub) {
        return "cannot resolve hub host '" + hub.peerHost() + "': check the name, or give an IP address";
    }

    /**
     * Starts a hub server; its clients' arrivals, departures and problems become the link's events,
     * with the client they are about.
     */
    ManagedLink hubServer(Map<String, Object> options, String commandLine, HubConfig config, List<String> warnings)
            throws LinkManager.StartFailed {
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

    private ManagedLink failed(ManagedLink managed, Exception e) throws LinkManager.StartFailed {
        links.remove(managed.id());
        publish(managed, "failed", e.getMessage());
        throw new LinkManager.StartFailed(e.getMessage(), e);
    }

    /** The link with this id once it has started, or null. */
    ManagedLink started(String id) {
        final ManagedLink m = links.get(id);
        return m != null && m.attached() ? m : null;
    }

    /** Every started link, oldest first. */
    List<ManagedLink> started() {
        final List<ManagedLink> list = new ArrayList<>(links.values());
        list.removeIf(m -> !m.attached());
        list.sort((a, b) -> Integer.compare(number(a.id()), number(b.id())));
        return list;
    }

    private static int number(String id) {
        return Integer.parseInt(id.substring(1));
    }

    /** Every link, started or starting. */
    Iterable<ManagedLink> all() {
        return links.values();
    }

    private void publish(ManagedLink managed, LinkEvent e) {
        if (e.kind() == LinkEvent.Kind.STATS && !withStats) {
            return; // the feed carries the counters themselves
        }
        record(managed, new AgentEvent(managed.id(), e.kind().name().toLowerCase(Locale.ROOT), e.message(),
                e.time()));
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
        record(managed, e.client() < 0 ? new AgentEvent(managed.id(), kind, e.message(), e.at())
                : AgentEvent.aboutClient(managed.id(), kind, e.client(), e.name(), e.message(), e.at()));
    }

    /** Tells the bus and the link's recent events. */
    void publish(ManagedLink managed, String kind, String message) {
        record(managed, new AgentEvent(managed.id(), kind, message, Instant.now()));
    }

    private void record(ManagedLink managed, AgentEvent event) {
        managed.record(event);
        bus.publish(event);
    }
}

package org.jamwire.control;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.jamwire.hub.HubServer;
import org.jamwire.link.Link;

/**
 * A link the agent started, with how it was asked for and its recent events: a P2P link or a hub
 * client's link ({@link #link()}), or a hub server ({@link #hub()}). The link and the hub are
 * thread-safe; the event list is guarded by this object. Read on HTTP and feed threads.
 */
final class ManagedLink {

    /** Events kept per link. */
    public static final int EVENTS_KEPT = 50;

    private final String id;
    private final String mode;
    private final String host;
    private final Map<String, Object> options;
    private final String commandLine;
    private final Instant started;
    private final ArrayDeque<AgentEvent> events = new ArrayDeque<>();
    private volatile Link link;
    private volatile HubServer hub;
    private volatile int hubPort = -1;

    ManagedLink(String id, String mode, String host, Map<String, Object> options, String commandLine) {
        this.id = id;
        this.mode = mode;
        this.host = host;
        this.options = Map.copyOf(options);
        this.commandLine = commandLine;
        this.started = Instant.now();
    }

    void attach(Link running) {
        this.link = running;
    }

    void attach(HubServer running) {
        this.hub = running;
    }

    void hubPort(int port) {
        this.hubPort = port;
    }

    /** The agent's id of the link, e.g. {@code l1}. */
    public String id() {
        return id;
    }

    /** {@code server}, {@code client}, {@code hubserver} or {@code hubclient}. */
    public String mode() {
        return mode;
    }

    /** The host a client or hub client connects to, or null. */
    public String host() {
        return host;
    }

    /** The options as requested. */
    public Map<String, Object> options() {
        return options;
    }

    /** The equivalent command line. */
    public String commandLine() {
        return commandLine;
    }

    /** When it was started. */
    public Instant started() {
        return started;
    }

    /** The running link of a P2P link or hub client; null for a hub server, and while it starts. */
    public Link link() {
        return link;
    }

    /** The hub of a hub server link; null for any other, and while it starts. */
    public HubServer hub() {
        return hub;
    }

    /** For a hub client, the UDP port the hub gave it; else -1. */
    public int hubPort() {
        return hubPort;
    }

    /** Whether it has started: its link or hub is there. */
    public boolean attached() {
        return link != null || hub != null;
    }

    synchronized void record(AgentEvent e) {
        if (events.size() == EVENTS_KEPT) {
            events.removeFirst();
        }
        events.addLast(e);
    }

    /** The last {@value #EVENTS_KEPT} events, oldest first. */
    public synchronized List<AgentEvent> events() {
        return List.copyOf(events);
    }
}

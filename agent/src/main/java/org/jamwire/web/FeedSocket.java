package org.jamwire.web;

import io.javalin.websocket.WsContext;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jamwire.control.AgentEvent;

/**
 * One live feed socket: whether it authenticated, what it subscribed to and how often, the events
 * waiting for it, and what it was last sent of each topic, so that it is sent only what changed.
 * Guarded by itself: Jetty's threads, the event bus and the feed's thread all reach it.
 */
final class FeedSocket {

    private static final int MAX_QUEUED_EVENTS = 500;

    final WsContext ctx;
    final FeedOutbox outbox;
    final long connectedNanos = System.nanoTime();
    boolean authed;
    boolean closed;
    Set<String> topics = Set.of();
    int rateHz;
    long nextSendNanos;
    private final ArrayDeque<AgentEvent> events = new ArrayDeque<>();
    /** Events dropped because the socket fell behind by more than {@link #MAX_QUEUED_EVENTS}. */
    private long eventsDropped;
    /** The counters last sent of each link, by link id, and of each hub client, by its key. */
    final Map<String, Map<String, Object>> lastCounters = new HashMap<>();
    /** The meters last sent of each link, by link id, and of each hub client, by its key. */
    final Map<String, Object> lastMeters = new HashMap<>();
    Object lastLinks;
    Object lastJack;
    /** The client list last sent of each hub server link, by link id. */
    final Map<String, Object> lastClients = new HashMap<>();
    /** What was last sent of each relayed peer: keys NAME:status, NAME:links, NAME:counters:ID, NAME:meters:ID. */
    final Map<String, Object> lastPeer = new HashMap<>();
    /** Of each provisioning job: the version last sent in full, and the number of the next line to send. */
    final Map<String, long[]> provisionSent = new HashMap<>();

    FeedSocket(WsContext ctx, int rateHz, FeedOutbox outbox) {
        this.ctx = ctx;
        this.rateHz = rateHz;
        this.outbox = outbox;
    }

    /** Whether the socket wants {@code kind} of link {@code id}: {@code kind:ID} or {@code kind:*}. */
    boolean wants(String kind, String id) {
        return topics.contains(kind + ":" + id) || topics.contains(kind + ":*");
    }

    /** Takes new topics and rate, and forgets all it was sent, so that it is sent everything afresh now. */
    void subscribe(Set<String> chosen, int rate) {
        topics = chosen;
        rateHz = rate;
        lastCounters.clear();
        lastMeters.clear();
        lastLinks = null;
        lastJack = null;
        lastClients.clear();
        lastPeer.clear();
        provisionSent.clear();
        nextSendNanos = System.nanoTime();
    }

    /** Keeps {@code e} for the next tick if the socket wants events, dropping the oldest when it falls behind. */
    void offer(AgentEvent e) {
        if (authed && topics.contains("events")) {
            if (events.size() >= MAX_QUEUED_EVENTS) {
                events.removeFirst();
                eventsDropped++;
            }
            events.addLast(e);
        }
    }

    /** Whether the socket is owed anything at {@code now}: figures by its rate, or events at once. */
    boolean owedAnything(long now) {
        return now - nextSendNanos >= 0 || !events.isEmpty();
    }

    /** Whether its figures are due at {@code now}. */
    boolean figuresDue(long now) {
        return now - nextSendNanos >= 0;
    }

    /** Moves the waiting events to the outbox. */
    void sendEvents() {
        while (!events.isEmpty()) {
            final Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", "event");
            e.putAll(Views.event(events.removeFirst()));
            outbox.add(e);
        }
    }
}

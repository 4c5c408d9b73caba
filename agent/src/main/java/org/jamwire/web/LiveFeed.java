package org.jamwire.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.jamwire.options.BuildInfo;
import org.jamwire.control.AgentEvent;
import org.jamwire.control.EventBus;
import org.jamwire.control.Jobs;
import org.jamwire.control.JackMonitor;
import org.jamwire.control.LinkManager;
import org.jamwire.control.LinkFigures;
import org.jamwire.control.LinkView;
import org.jamwire.coordinator.PeerFeeds;

/**
 * The live feed at {@code /api/live}: authenticates each socket by its first message, keeps what it
 * subscribed to, and from one thread of its own sends each socket, at most at its rate, only what
 * changed since it last sent it. Figures are gathered once per tick and shared by all sockets.
 * Socket callbacks run on Jetty's threads; the tick runs on {@code jamwire-feed}.
 */
final class LiveFeed implements AutoCloseable {

    /** Close code for a socket that did not authenticate. */
    static final int CLOSE_UNAUTHENTICATED = 4401;
    static final int MAX_RATE_HZ = 30;
    private static final int MAX_TOPICS = 200;
    private static final int MAX_QUEUED_EVENTS = 500;
    /** Lines of a provisioning job sent in one message at most. */
    static final int PROVISION_LINES = 50;
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1) / MAX_RATE_HZ;
    private static final Pattern TOPIC = Pattern.compile(
            "links|jack|events|provisions|(counters|meters|hub):(\\*|l[0-9]{1,9})|peer:[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ObjectMapper json;
    private final Token token;
    private final LinkManager links;
    private final JackMonitor jack;
    private final AgentSettings settings;
    private final PeerFeeds peers;
    private final PeerTopics peerTopics;
    private final java.util.function.Supplier<List<org.jamwire.coordinator.ProvisionJob>> provisions;
    private long lastSweep = System.nanoTime();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final AtomicLong badMessages = new AtomicLong();
    private final AtomicLong authFailures = new AtomicLong();
    private final AtomicLong messagesSent = new AtomicLong();
    private Jobs.Repeating ticker;

    /** One socket's state; guarded by itself. */
    private static final class Client {
        final WsContext ctx;
        final long connectedNanos = System.nanoTime();
        boolean authed;
        boolean closed;
        Set<String> topics = Set.of();
        int rateHz;
        long nextSendNanos;
        final ArrayDeque<AgentEvent> events = new ArrayDeque<>();
        long eventsDropped;
        final Map<String, Map<String, Object>> lastCounters = new HashMap<>();
        final Map<String, Object> lastMeters = new HashMap<>();
        Object lastLinks;
        Object lastJack;
        /** The client list last sent of each hub server link, by link id. */
        final Map<String, Object> lastClients = new HashMap<>();
        /** What was last sent of each relayed peer: keys NAME:status, NAME:links, NAME:counters:ID, NAME:meters:ID. */
        final Map<String, Object> lastPeer = new HashMap<>();
        /** Of each provisioning job: the version last sent in full, and the number of the next line to send. */
        final Map<String, long[]> provisionSent = new HashMap<>();
        /** Messages of this tick not yet handed to the socket. */
        final List<byte[]> pending = new ArrayList<>();

        Client(WsContext ctx, int rateHz) {
            this.ctx = ctx;
            this.rateHz = rateHz;
        }
    }

    LiveFeed(ObjectMapper json, Token token, LinkManager links, JackMonitor jack, EventBus bus, AgentSettings settings,
            PeerFeeds peers, java.util.function.Supplier<List<org.jamwire.coordinator.ProvisionJob>> provisions) {
        this.json = json;
        this.provisions = provisions;
        this.peers = peers;
        this.peerTopics = new PeerTopics(peers);
        this.token = token;
        this.links = links;
        this.jack = jack;
        this.settings = settings;
        bus.listen(this::queueEvent);
    }

    void start() {
        ticker = Jobs.repeat("feed", TICK_NANOS, this::tick);
    }

    /** Messages refused so far (bad JSON, unknown type, bad topics). */
    long badMessages() {
        return badMessages.get();
    }

    /** Sockets closed for a wrong, missing or late token. */
    long authFailures() {
        return authFailures.get();
    }

    /** Sockets open now. */
    int clients() {
        return clients.size();
    }

    void configure(WsConfig ws) {
        ws.onConnect(this::connected);
        ws.onMessage(this::message);
        ws.onClose(this::closed);
        ws.onError(ctx -> forget(ctx.sessionId()));
    }

    private void connected(WsConnectContext ctx) {
        ctx.session.setIdleTimeout(java.time.Duration.ofMinutes(5));
        clients.put(ctx.sessionId(), new Client(ctx, settings.feedRateHz()));
    }

    private void closed(WsCloseContext ctx) {
        forget(ctx.sessionId());
    }

    private void forget(String id) {
        final Client c = clients.remove(id);
        if (c != null) {
            synchronized (c) {
                c.closed = true;
            }
        }
    }

    private void message(WsMessageContext ctx) {
        final Client c = clients.get(ctx.sessionId());
        if (c == null) {
            return;
        }
        synchronized (c) {
            if (c.closed) {
                return;
            }
            JsonNode m;
            try {
                m = json.readTree(ctx.message());
            } catch (JsonProcessingException e) {
                m = null;
            }
            final String type = m != null && m.isObject() && m.path("type").isTextual() ? m.get("type").asText() : null;
            if (!c.authed) {
                if (!"auth".equals(type) || !token.matches(m.path("token").isTextual() ? m.get("token").asText() : null)) {
                    authFailures.incrementAndGet();
                    refuse(c, "auth".equals(type) ? "the token is wrong: use the one in the agent's token file"
                            : "the first message must be {\"type\": \"auth\", \"token\": \"...\"}");
                    return;
                }
                c.authed = true;
                send(c, Map.of("type", "hello", "version", BuildInfo.version(), "rateHz", c.rateHz));
                return;
            }
            if ("subscribe".equals(type)) {
                subscribe(c, m);
            } else {
                bad(c, "type", "one of subscribe", m == null ? "not a JSON object"
                        : "unknown message type " + (type == null ? "(none)" : "'" + Bodies.clip(type) + "'"));
            }
        }
    }

    private void subscribe(Client c, JsonNode m) {
        final JsonNode topics = m.get("topics");
        if (topics == null || !topics.isArray() || topics.size() > MAX_TOPICS) {
            bad(c, "topics", "an array of at most " + MAX_TOPICS + " topics", "topics: missing or not an array");
            return;
        }
        final Set<String> chosen = new java.util.LinkedHashSet<>();
        for (int i = 0; i < topics.size(); i++) {
            final JsonNode t = topics.get(i);
            if (!t.isTextual() || !TOPIC.matcher(t.asText()).matches()) {
                bad(c, "topics[" + i + "]", "links, jack, events, provisions, counters:ID, meters:ID, hub:ID (ID a link id or *) or"
                        + " peer:NAME (a peer's name)",
                        "topics[" + i + "]: " + (t.isTextual() ? "'" + Bodies.clip(t.asText()) + "'" : t.getNodeType())
                                + " is not a topic");
                return;
            }
            chosen.add(t.asText());
        }
        int rate = c.rateHz;
        final JsonNode r = m.get("rateHz");
        if (r != null) {
            if (!r.isInt() || r.asInt() < 1 || r.asInt() > MAX_RATE_HZ) {
                bad(c, "rateHz", "a whole number from 1 to " + MAX_RATE_HZ, "rateHz: not a whole number from 1 to "
                        + MAX_RATE_HZ);
                return;
            }
            rate = r.asInt();
        }
        c.topics = Set.copyOf(chosen);
        c.rateHz = rate;
        c.lastCounters.clear();
        c.lastMeters.clear();
        c.lastLinks = null;
        c.lastJack = null;
        c.lastClients.clear();
        c.lastPeer.clear();
        c.provisionSent.clear();
        c.nextSendNanos = System.nanoTime();
    }

    private void bad(Client c, String field, String rule, String message) {
        badMessages.incrementAndGet();
        final Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", "error");
        e.put("field", field);
        e.put("rule", rule);
        e.put("message", message);
        send(c, e);
    }

    private void refuse(Client c, String message) {
        final Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", "error");
        e.put("field", "token");
        e.put("rule", "authenticate first");
        e.put("message", message);
        send(c, e);
        c.closed = true;
        clients.remove(c.ctx.sessionId());
        try {
            c.ctx.closeSession(CLOSE_UNAUTHENTICATED, "unauthenticated");
        } catch (RuntimeException ignored) {
            // already closing
        }
    }

    private void queueEvent(AgentEvent e) {
        for (Client c : clients.values()) {
            synchronized (c) {
                if (c.authed && c.topics.contains("events")) {
                    if (c.events.size() >= MAX_QUEUED_EVENTS) {
                        c.events.removeFirst();
                        c.eventsDropped++;
                    }
                    c.events.addLast(e);
                }
            }
        }
    }

    /**
     * What every socket may be sent this tick, gathered once, and when. What one socket is owed is
     * worked out once for all sockets that were last sent the same figures: they hold the very
     * same objects from an earlier snapshot, so an identity check finds them, and the message is
     * written to JSON once for all of them.
     */
    private static final class Snapshot {
        final long t = System.currentTimeMillis();
        final List<LinkView> links;
        final Map<String, Map<String, Object>> counters;
        final Map<String, Object> meters;
        final Object linkList;
        final Object jack;
        /** Of each hub server link: its clients, each with its key, counters and meters. */
        final Map<String, List<HubClientFigures>> hubs;
        private Object linksWithoutUptime;
        private final Map<String, Owed> owed = new HashMap<>();

        Snapshot(List<LinkView> links, Map<String, Map<String, Object>> counters, Map<String, Object> meters,
                Object linkList, Object jack, Map<String, List<HubClientFigures>> hubs) {
            this.links = links;
            this.hubs = hubs;
            this.counters = counters;
            this.meters = meters;
            this.linkList = linkList;
            this.jack = jack;
        }

        Object linksWithoutUptime() {
            if (linksWithoutUptime == null) {
                linksWithoutUptime = stripUptime(linkList);
            }
            return linksWithoutUptime;
        }

        /** What a socket whose last value of {@code key} was {@code before} is owed: the first such socket works it out. */
        Owed owed(String key, Object before, java.util.function.Function<Object, Owed> work) {
            final Owed known = owed.get(key);
            if (known != null && known.before() == before) {
                return known;
            }
            final Owed now = work.apply(before);
            if (known == null) {
                owed.put(key, now);
            }
            return now;
        }
    }

    /**
     * One hub client's figures in a snapshot.
     *
     * @param key the link id, slot and join time: a new client in a slot is another key
     * @param view the client as the {@code clients} message lists it
     * @param counters its link's counters, or null before its first datagram
     * @param meters its send and receive levels, or null before its first datagram
     */
    private record HubClientFigures(String key, int slot, String name, Map<String, Object> view,
            Map<String, Object> counters, Map<String, Object> meters) {
    }

    /** For a socket that last had {@code before}: the message it is owed (null for none) and what it then has. */
    private record Owed(Object before, Object after, byte[] message) {
    }

    private void tick() {
        final long now = System.nanoTime();
        if (now - lastSweep > SWEEP_NANOS) {
            lastSweep = now;
            peers.sweep();
        }
        if (clients.isEmpty()) {
            return;
        }
        Snapshot snapshot = null;
        for (Client c : clients.values()) {
            synchronized (c) {
                if (c.closed) {
                    continue;
                }
                if (!c.authed) {
                    if (now - c.connectedNanos > TimeUnit.MILLISECONDS.toNanos(settings.authTimeoutMillis())) {
                        authFailures.incrementAndGet();
                        refuse(c, "no authentication within " + settings.authTimeoutMillis() + " ms");
                    }
                    continue;
                }
                if (now - c.nextSendNanos < 0 && c.events.isEmpty()) {
                    continue;
                }
                while (!c.events.isEmpty()) {
                    final Map<String, Object> e = new LinkedHashMap<>();
                    e.put("type", "event");
                    e.putAll(Views.event(c.events.removeFirst()));
                    queue(c, write(e));
                }
                if (now - c.nextSendNanos >= 0) {
                    c.nextSendNanos = now + TimeUnit.SECONDS.toNanos(1) / c.rateHz - TICK_NANOS / 2;
                    if (snapshot == null) {
                        snapshot = snapshot();
                    }
                    sendChanges(c, snapshot);
                    sendHubs(c, snapshot);
                    peerTopics.owed(c.topics, c.lastPeer, snapshot.t, m -> queue(c, write(m)));
                    sendProvisions(c);
                }
                flush(c);
            }
        }
    }

    private Snapshot snapshot() {
        final List<LinkFigures> figures = links.figures();
        final Map<String, Map<String, Object>> counters = new HashMap<>();
        final Map<String, Object> meters = new HashMap<>();
        final Map<String, List<HubClientFigures>> hubs = new HashMap<>();
        for (LinkFigures f : figures) {
            final String id = f.view().id();
            counters.put(id, new LinkedHashMap<>(f.counters().values()));
            if (f.clients() != null) {
                hubs.put(id, f.clients().stream().map(k -> new HubClientFigures(k.key(id), k.slot(), k.name(),
                        Views.client(k, false), k.counters() == null ? null : new LinkedHashMap<>(k.counters().values()),
                        k.meters() == null ? null : Views.meters(k.meters()))).toList());
            } else {
                meters.put(id, Views.meters(f.meters()));
            }
        }
        final List<LinkView> list = figures.stream().map(LinkFigures::view).toList();
        final Object linkList = list.stream().map(Views::link).toList();
        return new Snapshot(list, counters, meters, linkList, jack.state(), hubs);
    }

    /**
     * What a socket subscribed to {@code hub:ID} is owed of each hub server link: its client list
     * when it changed, and each client's changed counters and new meters, marked with its slot.
     */
    private void sendHubs(Client c, Snapshot s) {
        for (Map.Entry<String, List<HubClientFigures>> hub : s.hubs.entrySet()) {
            final String id = hub.getKey();
            if (!c.topics.contains("hub:" + id) && !c.topics.contains("hub:*")) {
                continue;
            }
            final List<HubClientFigures> figures = hub.getValue();
            final List<Map<String, Object>> list = figures.stream().map(HubClientFigures::view).toList();
            if (!list.equals(c.lastClients.put(id, list))) {
                queue(c, write(Map.of("type", "clients", "link", id, "t", s.t, "clients", list)));
                final java.util.Set<String> keys = new java.util.HashSet<>();
                figures.forEach(f -> keys.add(f.key()));
                c.lastCounters.keySet().removeIf(k -> k.startsWith(id + "/") && !keys.contains(k));
                c.lastMeters.keySet().removeIf(k -> k.startsWith(id + "/") && !keys.contains(k));
            }
            for (HubClientFigures f : figures) {
                if (f.counters() != null) {
                    final Map<String, Object> changed = changed(c.lastCounters.put(f.key(), f.counters()),
                            f.counters());
                    if (!changed.isEmpty()) {
                        queue(c, write(Map.of("type", "counters", "link", id, "client", f.slot(), "name", f.name(),
                                "t", s.t, "values", changed)));
                    }
                }
                if (f.meters() != null && !f.meters().equals(c.lastMeters.put(f.key(), f.meters()))) {
                    final Map<String, Object> v = new LinkedHashMap<>();
                    v.put("type", "meters");
                    v.put("link", id);
                    v.put("client", f.slot());
                    v.put("name", f.name());
                    v.put("t", s.t);
                    v.putAll(f.meters());
                    queue(c, write(v));
                }
            }
        }
    }

    private void sendChanges(Client c, Snapshot s) {
        if (c.topics.contains("links")) {
            final Owed o = s.owed("links", c.lastLinks, before -> {
                final Object withoutUptime = s.linksWithoutUptime();
                return Objects.equals(withoutUptime, before) ? new Owed(before, before, null)
                        : new Owed(before, withoutUptime, write(Map.of("type", "links", "links", s.linkList)));
            });
            c.lastLinks = o.after();
            queue(c, o.message());
        }
        if (c.topics.contains("jack")) {
            final Owed o = s.owed("jack", c.lastJack, before -> Objects.equals(s.jack, before)
                    ? new Owed(before, before, null)
                    : new Owed(before, s.jack, write(Map.of("type", "jack", "jack", s.jack))));
            c.lastJack = o.after();
            queue(c, o.message());
        }
        for (LinkView m : s.links) {
            final String id = m.id();
            if (c.topics.contains("counters:" + id) || c.topics.contains("counters:*")) {
                final Owed o = s.owed("counters:" + id, c.lastCounters.get(id), before -> {
                    final Map<String, Object> now = s.counters.get(id);
                    final Map<String, Object> changed = changed((Map<?, ?>) before, now);
                    return new Owed(before, now, changed.isEmpty() ? null
                            : write(Map.of("type", "counters", "link", id, "t", s.t, "values", changed)));
                });
                @SuppressWarnings("unchecked")
                final Map<String, Object> after = (Map<String, Object>) o.after();
                c.lastCounters.put(id, after);
                queue(c, o.message());
            }
            if (!m.isHub() && (c.topics.contains("meters:" + id) || c.topics.contains("meters:*"))) {
                final Owed o = s.owed("meters:" + id, c.lastMeters.get(id), before -> {
                    final Object now = s.meters.get(id);
                    if (Objects.equals(now, before)) {
                        return new Owed(before, before, null);
                    }
                    final Map<String, Object> v = new LinkedHashMap<>();
                    v.put("type", "meters");
                    v.put("link", id);
                    v.put("t", s.t);
                    @SuppressWarnings("unchecked")
                    final Map<String, Object> levels = (Map<String, Object>) now;
                    v.putAll(levels);
                    return new Owed(before, now, write(v));
                });
                c.lastMeters.put(id, o.after());
                queue(c, o.message());
            }
        }
    }

    /**
     * What a socket subscribed to {@code provisions} is owed of each provisioning job: where it is,
     * and the lines it has not been sent yet, at most {@link #PROVISION_LINES} a message. A job that
     * printed more goes on at the socket's next send, so that a big run reaches the browser in
     * batches at the socket's rate rather than as one message a line.
     */
    private void sendProvisions(Client c) {
        if (!c.topics.contains("provisions")) {
            return;
        }
        for (org.jamwire.coordinator.ProvisionJob j : provisions.get()) {
            final long[] sent = c.provisionSent.computeIfAbsent(j.id(), k -> new long[] {-1, 0});
            final long version = j.version();
            if (version == sent[0]) {
                continue;
            }
            final org.jamwire.coordinator.ProvisionJob.Lines lines = j.since(sent[1], PROVISION_LINES);
            sent[1] = lines.from() + lines.lines().size();
            if (sent[1] >= lines.next()) {
                sent[0] = version;
            }
            queue(c, write(ProvisionController.feedMessage(j, lines)));
        }
    }

    /** The entries of {@code now} whose values differ from {@code last}'s (all of them when {@code last} is null). */
    static Map<String, Object> changed(Map<?, ?> last, Map<String, ?> now) {
        final Map<String, Object> changed = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : now.entrySet()) {
            if (last == null || !Objects.equals(last.get(e.getKey()), e.getValue())) {
                changed.put(e.getKey(), e.getValue());
            }
        }
        return changed;
    }

    /** The link list without the uptime, which changes every tick and is not worth a message. */
    @SuppressWarnings("unchecked")
    private static Object stripUptime(Object list) {
        return ((List<Map<String, Object>>) list).stream().map(m -> {
            final Map<String, Object> copy = new LinkedHashMap<>(m);
            copy.remove("uptimeSeconds");
            return copy;
        }).toList();
    }

    /** A message as UTF-8 JSON, or null if it cannot be written (then it is not sent). */
    private byte[] write(Object message) {
        try {
            return json.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static void queue(Client c, byte[] message) {
        if (message != null) {
            c.pending.add(message);
        }
    }

    /**
     * Hands a socket what this tick queued for it as one write rather than one a message: every
     * frame but the last is sent as a batch, which Jetty holds until the last one comes. The
     * frames are the text frames {@code WsContext.send} makes, through the same Jetty session.
     */
    private void flush(Client c) {
        final int n = c.pending.size();
        try {
            for (int i = 0; i < n; i++) {
                final byte[] message = c.pending.get(i);
                if (c.ctx.session instanceof WebSocketSession session) {
                    session.getCoreSession().sendFrame(new Frame(OpCode.TEXT).setPayload(ByteBuffer.wrap(message)),
                            Callback.NOOP, i < n - 1);
                } else {
                    c.ctx.send(new String(message, StandardCharsets.UTF_8));
                }
                messagesSent.incrementAndGet();
            }
        } catch (RuntimeException e) {
            // The socket is closing; its close callback forgets it.
        } finally {
            c.pending.clear();
        }
    }

    private void send(Client c, Object message) {
        try {
            c.ctx.send(json.writeValueAsString(message));
            messagesSent.incrementAndGet();
        } catch (JsonProcessingException | RuntimeException e) {
            // The socket is closing; its close callback forgets it.
        }
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.close();
        }
        peers.close();
    }
}

package org.jamwire.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsMessageContext;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jamwire.options.BuildInfo;

/**
 * What a live feed socket may say and what it is told back: it authenticates with its first
 * message, then subscribes to topics at a rate; anything else is refused with an error naming the
 * field and the rule, and counted. A socket that does not authenticate, in time or at all, is
 * closed. Socket callbacks run on Jetty's threads; the authentication deadline is checked on the
 * feed's thread.
 */
final class FeedProtocol {

    /** Close code for a socket that did not authenticate. */
    static final int CLOSE_UNAUTHENTICATED = 4401;
    static final int MAX_RATE_HZ = 30;
    private static final int MAX_TOPICS = 200;
    private static final Pattern TOPIC = Pattern.compile(
            "links|jack|events|provisions|(counters|meters|hub):(\\*|l[0-9]{1,9})"
                    + "|peer:[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private final ObjectMapper json;
    private final Token token;
    private final AgentSettings settings;
    private final Map<String, FeedSocket> sockets = new ConcurrentHashMap<>();
    private final AtomicLong badMessages = new AtomicLong();
    private final AtomicLong authFailures = new AtomicLong();
    private final AtomicLong messagesSent = new AtomicLong();

    FeedProtocol(ObjectMapper json, Token token, AgentSettings settings) {
        this.json = json;
        this.token = token;
        this.settings = settings;
    }

    /** Messages refused so far (bad JSON, unknown type, bad topics). */
    long badMessages() {
        return badMessages.get();
    }

    /** Sockets closed for a wrong, missing or late token. */
    long authFailures() {
        return authFailures.get();
    }

    /** The sockets open now, authenticated or not. */
    Collection<FeedSocket> sockets() {
        return sockets.values();
    }

    void configure(WsConfig ws) {
        ws.onConnect(this::connected);
        ws.onMessage(this::message);
        ws.onClose(ctx -> forget(ctx.sessionId()));
        ws.onError(ctx -> forget(ctx.sessionId()));
    }

    /** Closes {@code c} if it has not authenticated within the time allowed; called with its lock held. */
    void refuseIfLate(FeedSocket c, long now) {
        if (now - c.connectedNanos > TimeUnit.MILLISECONDS.toNanos(settings.authTimeoutMillis())) {
            authFailures.incrementAndGet();
            refuse(c, "no authentication within " + settings.authTimeoutMillis() + " ms");
        }
    }

    private void connected(WsConnectContext ctx) {
        ctx.session.setIdleTimeout(Duration.ofMinutes(5));
        sockets.put(ctx.sessionId(), new FeedSocket(ctx, settings.feedRateHz(), new FeedOutbox(ctx, json,
                messagesSent)));
    }

    private void forget(String id) {
        final FeedSocket c = sockets.remove(id);
        if (c != null) {
            synchronized (c) {
                c.closed = true;
            }
        }
    }

    private void message(WsMessageContext ctx) {
        final FeedSocket c = sockets.get(ctx.sessionId());
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
                authenticate(c, type, m);
            } else if ("subscribe".equals(type)) {
                subscribe(c, m);
            } else {
                bad(c, "type", "one of subscribe", m == null ? "not a JSON object"
                        : "unknown message type " + (type == null ? "(none)" : "'" + Bodies.clip(type) + "'"));
            }
        }
    }

    private void authenticate(FeedSocket c, String type, JsonNode m) {
        if (!"auth".equals(type) || !token.matches(m.path("token").isTextual() ? m.get("token").asText() : null)) {
            authFailures.incrementAndGet();
            refuse(c, "auth".equals(type) ? "the token is wrong: use the one in the agent's token file"
                    : "the first message must be {\"type\": \"auth\", \"token\": \"...\"}");
            return;
        }
        c.authed = true;
        c.outbox.sendNow(Map.of("type", "hello", "version", BuildInfo.version(), "rateHz", c.rateHz));
    }

    private void subscribe(FeedSocket c, JsonNode m) {
        final JsonNode topics = m.get("topics");
        if (topics == null || !topics.isArray() || topics.size() > MAX_TOPICS) {
            bad(c, "topics", "an array of at most " + MAX_TOPICS + " topics", "topics: missing or not an array");
            return;
        }
        final Set<String> chosen = new LinkedHashSet<>();
        for (int i = 0; i < topics.size(); i++) {
            final JsonNode t = topics.get(i);
            if (!t.isTextual() || !TOPIC.matcher(t.asText()).matches()) {
                bad(c, "topics[" + i + "]",
                        "links, jack, events, provisions, counters:ID, meters:ID, hub:ID (ID a link id or *) or"
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
        c.subscribe(Set.copyOf(chosen), rate);
    }

    private void bad(FeedSocket c, String field, String rule, String message) {
        badMessages.incrementAndGet();
        c.outbox.sendNow(error(field, rule, message));
    }

    private void refuse(FeedSocket c, String message) {
        c.outbox.sendNow(error("token", "authenticate first", message));
        c.closed = true;
        sockets.remove(c.ctx.sessionId());
        try {
            c.ctx.closeSession(CLOSE_UNAUTHENTICATED, "unauthenticated");
        } catch (RuntimeException ignored) {
            // already closing
        }
    }

    private static Map<String, Object> error(String field, String rule, String message) {
        final Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", "error");
        e.put("field", field);
        e.put("rule", rule);
        e.put("message", message);
        return e;
    }
}

package org.jamwire.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.JettyUpgradeListener;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A peer agent's live feed, followed through an ssh tunnel so that this agent can relay it: the
 * peer's links, each link's counters (kept whole) and its latest meters, and the latest meters of
 * each client of a hub there (what the hub receives from it and sends it, for a member with no
 * agent of its own). Its own thread connects,
 * authenticates with the token read over ssh, and reconnects after a loss with a growing pause.
 * What the peer sends is checked before it is kept; a message that does not fit is counted and
 * dropped. The figures are replaced, never changed in place, so readers on other threads see
 * whole values. Ends when closed.
 */
public final class PeerFeed implements AutoCloseable {

    /** Where the relay is: {@code connecting}, {@code up}, {@code failed} or {@code closed}. */
    public record Status(String state, String message) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RATE_HZ = 20;
    private static final long MAX_MESSAGE_BYTES = 1 << 20;
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LAST_PAUSE = Duration.ofSeconds(15);

    private final Lab lab;
    private final String name;
    private final WebSocketClient client;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Status status = new Status("connecting", null);
    private volatile JsonNode links;
    private final Map<String, Map<String, JsonNode>> counters = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> meters = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> clientMeters = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private volatile CountDownLatch ended = new CountDownLatch(1);
    private volatile Session session;

    /**
     * Starts following the feed of peer {@code name}'s agent.
     *
     * @param client a started WebSocket client, shared by all peer feeds
     */
    public PeerFeed(Lab lab, String name, WebSocketClient client) {
        this.lab = lab;
        this.name = name;
        this.client = client;
        this.thread = new Thread(this::run, "jamwire-peerfeed-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The peer's name. */
    public String name() {
        return name;
    }

    /** Where the relay is. */
    public Status status() {
        return status;
    }

    /** The peer's links as its agent last listed them, or null before the first list. */
    public JsonNode links() {
        return links;
    }

    /** Each link's counters, whole; each map is replaced, never changed, when a change comes. */
    public Map<String, Map<String, JsonNode>> counters() {
        return counters;
    }

    /** Each link's latest meters: {@code send} and {@code receive}. */
    public Map<String, JsonNode> meters() {
        return meters;
    }

    /**
     * The latest meters of each hub client there, by {@code LINK/NAME}: the message as the peer's
     * agent sent it ({@code link}, {@code client}, {@code name}, {@code send}, {@code receive}).
     */
    public Map<String, JsonNode> clientMeters() {
        return clientMeters;
    }

    /** Messages from the peer that did not fit and were dropped. */
    public long refused() {
        return refused.get();
    }

    private void run() {
        Duration pause = FIRST_PAUSE;
        while (!closed) {
            final Peer peer;
            try {
                peer = lab.get(name);
            } catch (Lab.LabException e) {
                status = new Status("failed", e.getMessage());
                return;
            }
            try (SshSession ssh = lab.connect(peer)) {
                final PeerAgent agent = PeerAgent.find(ssh, peer);
                follow(agent);
                pause = FIRST_PAUSE;
                if (!closed) {
                    status = new Status("connecting", "the feed from " + name + " ended; connecting again");
                }
            } catch (SshException | IOException | RuntimeException e) {
                if (!closed) {
                    status = new Status("failed", e.getMessage() + " (trying again in " + pause.toSeconds() + " s)");
                }
            } catch (InterruptedException e) {
                break;
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                break;
            }
            pause = pause.multipliedBy(2).compareTo(LAST_PAUSE) > 0 ? LAST_PAUSE : pause.multipliedBy(2);
        }
        status = new Status("closed", null);
    }

    /** Connects to the agent's feed through the tunnel and returns when it ends. */
    private void follow(PeerAgent agent) throws IOException, InterruptedException {
        final int remote = agent.agentPort();
        final ClientUpgradeRequest request = new ClientUpgradeRequest(
                URI.create("ws://127.0.0.1:" + agent.localPort() + "/api/live"));
        request.setTimeout(5, TimeUnit.SECONDS);
        // The peer's agent answers only requests naming its own Host and pages of its own Origin.
        request.setHeader("Origin", "http://127.0.0.1:" + remote);
        final JettyUpgradeListener host = new JettyUpgradeListener() {
            @Override
            public void onHandshakeRequest(org.eclipse.jetty.client.Request r) {
                r.headers(h -> h.put(HttpHeader.HOST, "127.0.0.1:" + remote));
            }
        };
        ended = new CountDownLatch(1);
        final CompletableFuture<Session> connecting = client.connect(new Listener(agent.token()), request, host);
        try {
            session = connecting.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            connecting.cancel(true);
            final Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("the feed of the agent on " + name + " did not open: " + cause.getMessage(), cause);
        }
        while (!closed && !ended.await(1, TimeUnit.SECONDS)) {
            if (!agent.reachable()) {
                break;
            }
        }
        final Session s = session;
        if (s != null && s.isOpen()) {
            s.close();
        }
    }

    /** Receives the peer's messages on Jetty's threads; public, as Jetty calls it through method handles. */
    public final class Listener implements Session.Listener.AutoDemanding {
        private final String token;

        private Listener(String token) {
            this.token = token;
        }

        @Override
        public void onWebSocketOpen(Session s) {
            s.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
            s.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\"}", Callback.NOOP);
            s.sendText("{\"type\":\"subscribe\",\"topics\":[\"links\",\"counters:*\",\"meters:*\","
                    + "\"hub:*\"],\"rateHz\":"
                    + RATE_HZ + "}", Callback.NOOP);
        }

        @Override
        public void onWebSocketText(String text) {
            take(text);
        }

        @Override
        public void onWebSocketClose(int code, String reason, Callback callback) {
            callback.succeed();
            if (code == 4401) {
                status = new Status("failed", "the agent on " + name + " refused the token: " + reason);
            }
            links = null;
            counters.clear();
            meters.clear();
            clientMeters.clear();
            ended.countDown();
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            status = new Status("failed", "the feed from " + name + " failed: " + cause.getMessage());
            ended.countDown();
        }
    }

    /** Checks and keeps one message from the peer. */
    void take(String text) {
        final JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            refused.incrementAndGet();
            return;
        }
        final String type = m != null && m.path("type").isTextual() ? m.get("type").asText() : "";
        final String link = m == null ? "" : m.path("link").asText("");
        if (m != null && m.has("client")) {
            takeClient(type, link, m);
            return;
        }
        switch (type) {
            case "hello" -> status = new Status("up", null);
            case "links" -> {
                if (m.path("links").isArray()) {
                    links = m.get("links");
                } else {
                    refused.incrementAndGet();
                }
            }
            case "counters" -> {
                if (!link.matches("l[0-9]{1,9}") || !m.path("values").isObject()) {
                    refused.incrementAndGet();
                    return;
                }
                final Map<String, JsonNode> merged = new LinkedHashMap<>(counters.getOrDefault(link, Map.of()));
                m.get("values").properties().forEach(e -> merged.put(e.getKey(), e.getValue()));
                counters.put(link, java.util.Collections.unmodifiableMap(merged));
            }
            case "meters" -> {
                if (!link.matches("l[0-9]{1,9}") || !m.path("send").isObject() || !m.path("receive").isObject()) {
                    refused.incrementAndGet();
                    return;
                }
                meters.put(link, m);
            }
            case "error" -> status = new Status(status.state(), "the agent on " + name + " said: "
                    + m.path("message").asText(""));
            // A hub's client list: its clients' meters name them, and the list is the coordinator's to read.
            case "clients" -> {
                if (!link.matches("l[0-9]{1,9}") || !m.path("clients").isArray()) {
                    refused.incrementAndGet();
                }
            }
            default -> refused.incrementAndGet();
        }
    }

    /**
     * Keeps a hub client's meters by its link and name; its counters are read from the hub's agent
     * by whoever shows them, and are not relayed.
     */
    private void takeClient(String type, String link, JsonNode m) {
        final String client = m.path("name").asText("");
        if (!link.matches("l[0-9]{1,9}") || !m.path("client").canConvertToInt()
                || !client.matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")) {
            refused.incrementAndGet();
            return;
        }
        if (type.equals("meters")) {
            if (!m.path("send").isObject() || !m.path("receive").isObject()) {
                refused.incrementAndGet();
                return;
            }
            clientMeters.put(link + "/" + client, m);
        } else if (!type.equals("counters")) {
            refused.incrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        final Session s = session;
        if (s != null && s.isOpen()) {
            s.close();
        }
        ended.countDown();
        thread.interrupt();
    }
}

package org.jamwire.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.websocket.WsConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jamwire.control.AgentEvent;
import org.jamwire.control.EventBus;
import org.jamwire.control.JackMonitor;
import org.jamwire.control.Jobs;
import org.jamwire.control.LinkManager;
import org.jamwire.coordinator.PeerFeeds;
import org.jamwire.coordinator.ProvisionJob;

/**
 * The live feed at {@code /api/live}: {@link FeedProtocol} authenticates each socket by its first
 * message and keeps what it subscribed to, and from one thread of its own the feed sends each
 * socket, at most at its rate, only what changed since it last sent it. Figures are gathered once
 * per tick in a {@link FeedSnapshot} and shared by all sockets. Socket callbacks run on Jetty's
 * threads; the tick runs on {@code jamwire-feed}.
 */
final class LiveFeed implements AutoCloseable {

    /** Close code for a socket that did not authenticate. */
    static final int CLOSE_UNAUTHENTICATED = FeedProtocol.CLOSE_UNAUTHENTICATED;
    /** Lines of a provisioning job sent in one message at most. */
    static final int PROVISION_LINES = 50;
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1) / FeedProtocol.MAX_RATE_HZ;
    private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ObjectMapper json;
    private final LinkManager links;
    private final JackMonitor jack;
    private final PeerFeeds peers;
    private final PeerTopics peerTopics;
    private final Supplier<List<ProvisionJob>> provisions;
    private final FeedProtocol protocol;
    private long lastSweep = System.nanoTime();
    private Jobs.Repeating ticker;

    LiveFeed(ObjectMapper json, Token token, LinkManager links, JackMonitor jack, EventBus bus, AgentSettings settings,
            PeerFeeds peers, Supplier<List<ProvisionJob>> provisions) {
        this.json = json;
        this.provisions = provisions;
        this.peers = peers;
        this.peerTopics = new PeerTopics(peers);
        this.links = links;
        this.jack = jack;
        this.protocol = new FeedProtocol(json, token, settings);
        bus.listen(this::queueEvent);
    }

    void start() {
        ticker = Jobs.repeat("feed", TICK_NANOS, this::tick);
    }

    /** Messages refused so far (bad JSON, unknown type, bad topics). */
    long badMessages() {
        return protocol.badMessages();
    }

    /** Sockets closed for a wrong, missing or late token. */
    long authFailures() {
        return protocol.authFailures();
    }

    /** Sockets open now. */
    int clients() {
        return protocol.sockets().size();
    }

    void configure(WsConfig ws) {
        protocol.configure(ws);
    }

    private void queueEvent(AgentEvent e) {
        for (FeedSocket c : protocol.sockets()) {
            synchronized (c) {
                c.offer(e);
            }
        }
    }

    private void tick() {
        final long now = System.nanoTime();
        if (now - lastSweep > SWEEP_NANOS) {
            lastSweep = now;
            peers.sweep();
        }
        if (protocol.sockets().isEmpty()) {
            return;
        }
        FeedSnapshot snapshot = null;
        for (FeedSocket c : protocol.sockets()) {
            synchronized (c) {
                if (c.closed) {
                    continue;
                }
                if (!c.authed) {
                    protocol.refuseIfLate(c, now);
                    continue;
                }
                if (!c.owedAnything(now)) {
                    continue;
                }
                c.sendEvents();
                if (c.figuresDue(now)) {
                    c.nextSendNanos = now + TimeUnit.SECONDS.toNanos(1) / c.rateHz - TICK_NANOS / 2;
                    if (snapshot == null) {
                        snapshot = FeedSnapshot.gather(json, links, jack);
                    }
                    LinkTopics.owed(c, snapshot);
                    peerTopics.owed(c.topics, c.lastPeer, snapshot.t, c.outbox::add);
                    sendProvisions(c);
                }
                c.outbox.flush();
            }
        }
    }

    /**
     * What a socket subscribed to {@code provisions} is owed of each provisioning job: where it is,
     * and the lines it has not been sent yet, at most {@link #PROVISION_LINES} a message. A job that
     * printed more goes on at the socket's next send, so that a big run reaches the browser in
     * batches at the socket's rate rather than as one message a line.
     */
    private void sendProvisions(FeedSocket c) {
        if (!c.topics.contains("provisions")) {
            return;
        }
        for (ProvisionJob j : provisions.get()) {
            final long[] sent = c.provisionSent.computeIfAbsent(j.id(), k -> new long[] {-1, 0});
            final long version = j.version();
            if (version == sent[0]) {
                continue;
            }
            final ProvisionJob.Lines lines = j.since(sent[1], PROVISION_LINES);
            sent[1] = lines.from() + lines.lines().size();
            if (sent[1] >= lines.next()) {
                sent[0] = version;
            }
            c.outbox.add(ProvisionController.feedMessage(j, lines));
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

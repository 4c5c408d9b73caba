package org.jamwire.coordinator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The peer feeds this agent follows, each opened when someone first wants it and closed when
 * nobody has wanted it for a while. One WebSocket client serves them all; it starts with the
 * first. Called on the live feed's thread.
 */
public final class PeerFeeds implements AutoCloseable {

    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Lab lab;
    private final Map<String, Wanted> feeds = new ConcurrentHashMap<>();
    private WebSocketClient client;

    private static final class Wanted {
        final PeerFeed feed;
        volatile long at = System.nanoTime();

        Wanted(PeerFeed feed) {
            this.feed = feed;
        }
    }

    public PeerFeeds(Lab lab) {
        this.lab = lab;
    }

    /** The feed of peer {@code name}, opened if need be; wanting it keeps it open. */
    public synchronized PeerFeed want(String name) {
        Wanted w = feeds.get(name);
        if (w == null || w.feed.status().state().equals("closed")) {
            w = new Wanted(new PeerFeed(lab, name, client()));
            feeds.put(name, w);
        }
        w.at = System.nanoTime();
        return w.feed;
    }

    private WebSocketClient client() {
        if (client == null) {
            final WebSocketClient c = new WebSocketClient();
            c.setIdleTimeout(java.time.Duration.ofMinutes(5));
            try {
                c.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the WebSocket client for peer feeds: " + e.getMessage(),
                        e);
            }
            client = c;
        }
        return client;
    }

    /** Closes the feeds nobody wanted lately. */
    public synchronized void sweep() {
        final long now = System.nanoTime();
        feeds.values().removeIf(w -> {
            if (now - w.at > IDLE_NANOS) {
                w.feed.close();
                return true;
            }
            return false;
        });
    }

    /** How many feeds are open. */
    public int open() {
        return feeds.size();
    }

    @Override
    public synchronized void close() {
        feeds.values().forEach(w -> w.feed.close());
        feeds.clear();
        if (client != null) {
            try {
                client.stop();
            } catch (Exception e) {
                // Stopping on the way out: nothing is left to tell.
            }
        }
    }
}

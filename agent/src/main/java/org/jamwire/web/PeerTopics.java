package org.jamwire.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jamwire.coordinator.PeerFeed;
import org.jamwire.coordinator.PeerFeeds;

/**
 * The live feed's {@code peer:NAME} topics: what a socket is owed of a peer's relayed feed. The
 * relay's state when it changed, the peer's links, each link's changed counters and new meters,
 * and the new meters of each client of a hub there, each marked with the peer's name. Wanting a
 * topic keeps its relay open. Called on the feed's thread.
 */
final class PeerTopics {

    private final PeerFeeds peers;

    PeerTopics(PeerFeeds peers) {
        this.peers = peers;
    }

    /**
     * Hands {@code out} the messages a socket with {@code topics} is owed.
     *
     * @param last what the socket was last sent of each peer, kept by the socket and updated here:
     *     keys NAME:status, NAME:links, NAME:counters:ID, NAME:meters:ID
     * @param t the time to stamp figures with, in ms since the epoch
     */
    void owed(Set<String> topics, Map<String, Object> last, long t, Consumer<Object> out) {
        for (String topic : topics) {
            if (topic.startsWith("peer:")) {
                owed(topic.substring("peer:".length()), last, t, out);
            }
        }
    }

    private void owed(String name, Map<String, Object> last, long t, Consumer<Object> out) {
        final PeerFeed f = peers.want(name);
        final PeerFeed.Status status = f.status();
        if (!status.equals(last.put(name + ":status", status))) {
            final Map<String, Object> v = new LinkedHashMap<>();
            v.put("type", "peer");
            v.put("peer", name);
            v.put("state", status.state());
            v.put("message", status.message());
            out.accept(v);
        }
        final Object links = f.links();
        if (links != null && links != last.put(name + ":links", links)) {
            out.accept(Map.of("type", "links", "peer", name, "links", links));
        }
        for (Map.Entry<String, Map<String, JsonNode>> e : f.counters().entrySet()) {
            final Object before = last.put(name + ":counters:" + e.getKey(), e.getValue());
            if (before == e.getValue()) {
                continue;
            }
            final Map<String, Object> changed = LinkTopics.changed(before instanceof Map<?, ?> m ? m : null,
                    e.getValue());
            if (!changed.isEmpty()) {
                out.accept(Map.of("type", "counters", "peer", name, "link", e.getKey(), "t", t, "values", changed));
            }
        }
        for (Map.Entry<String, JsonNode> e : f.meters().entrySet()) {
            if (e.getValue() == last.put(name + ":meters:" + e.getKey(), e.getValue())) {
                continue;
            }
            final Map<String, Object> v = new LinkedHashMap<>();
            v.put("type", "meters");
            v.put("peer", name);
            v.put("link", e.getKey());
            v.put("t", t);
            v.put("send", e.getValue().get("send"));
            v.put("receive", e.getValue().get("receive"));
            out.accept(v);
        }
        for (Map.Entry<String, JsonNode> e : f.clientMeters().entrySet()) {
            if (e.getValue() == last.put(name + ":client-meters:" + e.getKey(), e.getValue())) {
                continue;
            }
            final JsonNode m = e.getValue();
            final Map<String, Object> v = new LinkedHashMap<>();
            v.put("type", "meters");
            v.put("peer", name);
            v.put("link", m.get("link").asText());
            v.put("client", m.get("client").asInt());
            v.put("name", m.get("name").asText());
            v.put("t", t);
            v.put("send", m.get("send"));
            v.put("receive", m.get("receive"));
            out.accept(v);
        }
    }
}

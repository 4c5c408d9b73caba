package org.jamwire.web;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jamwire.control.LinkView;
import org.jamwire.web.FeedSnapshot.HubClientFigures;
import org.jamwire.web.FeedSnapshot.Owed;

/**
 * The live feed's topics about this agent's own links: {@code links}, {@code jack},
 * {@code counters:ID}, {@code meters:ID} and {@code hub:ID}. What a socket is owed of them is what
 * changed since it was last sent them: counters as the values that changed, everything else whole.
 * Called on the feed's thread with the socket's lock held.
 */
final class LinkTopics {

    private LinkTopics() {
    }

    /** Adds to {@code c}'s outbox what it is owed of {@code s}, and notes what it then has. */
    static void owed(FeedSocket c, FeedSnapshot s) {
        if (c.topics.contains("links")) {
            final Owed o = s.owedIfChanged("links", c.lastLinks, s::linksWithoutUptime,
                    () -> Map.of("type", "links", "links", s.linkList));
            c.lastLinks = o.after();
            c.outbox.addWritten(o.message());
        }
        if (c.topics.contains("jack")) {
            final Owed o = s.owedIfChanged("jack", c.lastJack, () -> s.jack, () -> Map.of("type", "jack",
                    "jack", s.jack));
            c.lastJack = o.after();
            c.outbox.addWritten(o.message());
        }
        for (LinkView m : s.links) {
            final String id = m.id();
            if (c.wants("counters", id)) {
                final Owed o = s.owed("counters:" + id, c.lastCounters.get(id), before -> {
                    final Map<String, Object> now = s.counters.get(id);
                    final Map<String, Object> changed = changed((Map<?, ?>) before, now);
                    return new Owed(before, now, changed.isEmpty() ? null
                            : s.write(Map.of("type", "counters", "link", id, "t", s.t, "values", changed)));
                });
                @SuppressWarnings("unchecked")
                final Map<String, Object> after = (Map<String, Object>) o.after();
                c.lastCounters.put(id, after);
                c.outbox.addWritten(o.message());
            }
            if (!m.isHub() && c.wants("meters", id)) {
                final Owed o = s.owedIfChanged("meters:" + id, c.lastMeters.get(id), () -> s.meters.get(id),
                        () -> meters(id, null, s.t, s.meters.get(id)));
                c.lastMeters.put(id, o.after());
                c.outbox.addWritten(o.message());
            }
        }
        for (Map.Entry<String, List<HubClientFigures>> hub : s.hubs.entrySet()) {
            if (c.wants("hub", hub.getKey())) {
                hubOwed(c, s, hub.getKey(), hub.getValue());
            }
        }
    }

    /**
     * What a socket subscribed to {@code hub:ID} is owed of one hub server link: its client list
     * when it changed, and each client's changed counters and new meters, marked with its slot.
     */
    private static void hubOwed(FeedSocket c, FeedSnapshot s, String id, List<HubClientFigures> figures) {
        final List<Map<String, Object>> list = figures.stream().map(HubClientFigures::view).toList();
        if (!list.equals(c.lastClients.put(id, list))) {
            c.outbox.add(Map.of("type", "clients", "link", id, "t", s.t, "clients", list));
            final Set<String> keys = new HashSet<>();
            figures.forEach(f -> keys.add(f.key()));
            c.lastCounters.keySet().removeIf(k -> k.startsWith(id + "/") && !keys.contains(k));
            c.lastMeters.keySet().removeIf(k -> k.startsWith(id + "/") && !keys.contains(k));
        }
        for (HubClientFigures f : figures) {
            if (f.counters() != null) {
                final Map<String, Object> changed = changed(c.lastCounters.put(f.key(), f.counters()), f.counters());
                if (!changed.isEmpty()) {
                    c.outbox.add(Map.of("type", "counters", "link", id, "client", f.slot(), "name", f.name(),
                            "t", s.t, "values", changed));
                }
            }
            if (f.meters() != null && !f.meters().equals(c.lastMeters.put(f.key(), f.meters()))) {
                c.outbox.add(meters(id, f, s.t, f.meters()));
            }
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

    /** A {@code meters} message of link {@code id}, or of one of its hub clients when {@code client} is not null. */
    private static Map<String, Object> meters(String id, HubClientFigures client, long t, Map<String, Object> levels) {
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("type", "meters");
        v.put("link", id);
        if (client != null) {
            v.put("client", client.slot());
            v.put("name", client.name());
        }
        v.put("t", t);
        v.putAll(levels);
        return v;
    }
}

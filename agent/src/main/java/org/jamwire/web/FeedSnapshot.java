package org.jamwire.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jamwire.control.JackMonitor;
import org.jamwire.control.LinkFigures;
import org.jamwire.control.LinkManager;
import org.jamwire.control.LinkView;

/**
 * What every live feed socket may be sent in one tick, gathered once, and when. What one socket is
 * owed of a key is worked out once for all sockets that were last sent the same figures: they hold
 * the very same objects from an earlier snapshot, so an identity check finds them, and the message
 * is written to JSON once for all of them. Made and read on the feed's thread.
 */
final class FeedSnapshot {

    /** When the figures were gathered, in ms since the epoch. */
    final long t = System.currentTimeMillis();
    final List<LinkView> links;
    /** Each link's counters, by link id. */
    final Map<String, Map<String, Object>> counters;
    /** Each link's send and receive levels, by link id; none for a hub server. */
    final Map<String, Map<String, Object>> meters;
    /** The links as the {@code links} message lists them. */
    final List<Map<String, Object>> linkList;
    final Object jack;
    /** Of each hub server link: its clients, each with its key, counters and meters. */
    final Map<String, List<HubClientFigures>> hubs;
    private final ObjectMapper json;
    private Object linksWithoutUptime;
    private final Map<String, Owed> owed = new HashMap<>();

    /**
     * One hub client's figures in a snapshot.
     *
     * @param key the link id, slot and join time: a new client in a slot is another key
     * @param view the client as the {@code clients} message lists it
     * @param counters its link's counters, or null before its first datagram
     * @param meters its send and receive levels, or null before its first datagram
     */
    record HubClientFigures(String key, int slot, String name, Map<String, Object> view,
            Map<String, Object> counters, Map<String, Object> meters) {
    }

    /** For a socket that last had {@code before}: the message it is owed (null for none) and what it then has. */
    record Owed(Object before, Object after, byte[] message) {
    }

    private FeedSnapshot(ObjectMapper json, List<LinkView> links, Map<String, Map<String, Object>> counters,
            Map<String, Map<String, Object>> meters, Object jack, Map<String, List<HubClientFigures>> hubs) {
        this.json = json;
        this.links = links;
        this.counters = counters;
        this.meters = meters;
        this.linkList = links.stream().map(Views::link).toList();
        this.jack = jack;
        this.hubs = hubs;
    }

    /** The figures of every link and of JACK now. */
    static FeedSnapshot gather(ObjectMapper json, LinkManager links, JackMonitor jack) {
        return of(json, links.figures(), jack.state());
    }

    /** A snapshot of {@code figures} and JACK's {@code jack} state. */
    static FeedSnapshot of(ObjectMapper json, List<LinkFigures> figures, Object jack) {
        final Map<String, Map<String, Object>> counters = new HashMap<>();
        final Map<String, Map<String, Object>> meters = new HashMap<>();
        final Map<String, List<HubClientFigures>> hubs = new HashMap<>();
        for (LinkFigures f : figures) {
            final String id = f.view().id();
            counters.put(id, new LinkedHashMap<>(f.counters().values()));
            if (f.clients() != null) {
                hubs.put(id, f.clients().stream().map(k -> new HubClientFigures(k.key(id), k.slot(), k.name(),
                        Views.client(k, false), k.counters() == null ? null
                                : new LinkedHashMap<>(k.counters().values()),
                        k.meters() == null ? null : Views.meters(k.meters()))).toList());
            } else {
                meters.put(id, Views.meters(f.meters()));
            }
        }
        final List<LinkView> list = figures.stream().map(LinkFigures::view).toList();
        return new FeedSnapshot(json, list, counters, meters, jack, hubs);
    }

    /** The link list without the uptime, which changes every tick and is not worth a message. */
    Object linksWithoutUptime() {
        if (linksWithoutUptime == null) {
            linksWithoutUptime = linkList.stream().map(m -> {
                final Map<String, Object> copy = new LinkedHashMap<>(m);
                copy.remove("uptimeSeconds");
                return copy;
            }).toList();
        }
        return linksWithoutUptime;
    }

    /** What a socket whose last value of {@code key} was {@code before} is owed: the first such socket works it out. */
    Owed owed(String key, Object before, Function<Object, Owed> work) {
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

    /**
     * What a socket whose last value of {@code key} was {@code before} is owed when the whole value
     * is sent again on any change: nothing if it equals {@code now}, else {@code message}.
     */
    Owed owedIfChanged(String key, Object before, Supplier<Object> now, Supplier<Object> message) {
        return owed(key, before, b -> {
            final Object after = now.get();
            return Objects.equals(after, b) ? new Owed(b, b, null) : new Owed(b, after, write(message.get()));
        });
    }

    /** A message as UTF-8 JSON, or null if it cannot be written (then it is not sent). */
    byte[] write(Object message) {
        return FeedOutbox.write(json, message);
    }
}

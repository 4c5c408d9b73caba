package org.jamwire.web;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jamwire.control.AgentEvent;
import org.jamwire.control.ManagedLink;
import org.jamwire.engine.LevelMeter;
import org.jamwire.engine.LinkCounter;
import org.jamwire.engine.ReceiveQueue;
import org.jamwire.hub.HubConfig;
import org.jamwire.hub.HubServer;
import org.jamwire.link.Latency;
import org.jamwire.link.Link;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkStats;
import org.jamwire.net.HubListener;

/** How links, counters and meters look in JSON. Pure functions, called on HTTP and feed threads. */
final class Views {

    /** dBFS shown for silence. */
    static final double SILENCE_DB = -120.0;

    private Views() {
    }

    /**
     * A link as {@code GET /api/links/{id}} shows it; without counters, events (and a hub's clients)
     * when {@code full} is false.
     */
    static Map<String, Object> link(ManagedLink m, boolean full) {
        if (m.hub() != null) {
            return hubLink(m, full);
        }
        final Link link = m.link();
        final LinkStats s = link.stats();
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", m.id());
        v.put("mode", m.mode());
        v.put("host", m.host());
        v.put("state", state(s.state()));
        v.put("failure", link.failure());
        v.put("clientName", link.clientName());
        v.put("localPort", link.localPort());
        v.put("peer", address(s.peer()));
        v.put("commandLine", m.commandLine());
        v.put("options", m.options());
        v.put("format", format(link));
        if (m.hubPort() >= 0) {
            v.put("hubPort", m.hubPort());
        }
        if (full) {
            v.put("counters", counters(s));
        }
        v.put("xruns", s.xruns());
        v.put("uptimeSeconds", s.uptime().toMillis() / 1000.0);
        v.put("startedAt", m.started().toString());
        if (full) {
            v.put("events", m.events().stream().map(Views::event).toList());
        }
        return v;
    }

    /** A hub server link: its settings and, when {@code full}, its counters, clients and events. */
    private static Map<String, Object> hubLink(ManagedLink m, boolean full) {
        final HubServer hub = m.hub();
        final HubConfig c = hub.config();
        final List<HubServer.ClientView> clients = hub.clients();
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", m.id());
        v.put("mode", m.mode());
        v.put("host", null);
        v.put("state", !hub.running() ? "stopped"
                : clients.stream().anyMatch(k -> k.stats() != null && k.stats().state() == Link.State.CONNECTED)
                        ? "connected" : "waiting");
        v.put("failure", null);
        v.put("clientName", null);
        v.put("localPort", c.tcpPort());
        v.put("peer", null);
        v.put("commandLine", m.commandLine());
        v.put("options", m.options());
        final LinkConfig w = c.worker();
        final Map<String, Object> f = new LinkedHashMap<>();
        f.put("bitResolution", w.bitResolution());
        f.put("queue", w.queue() == ReceiveQueue.AUTO ? "auto" : String.valueOf(w.queue()));
        f.put("redundancy", w.redundancy());
        f.put("backend", w.backend().name().toLowerCase(Locale.ROOT));
        v.put("format", f);
        final Map<String, Object> h = new LinkedHashMap<>();
        h.put("tcpPort", c.tcpPort());
        h.put("udpBasePort", c.udpBasePort());
        h.put("patch", c.patch().number());
        h.put("patchMeaning", c.patch().meaning());
        h.put("includeServer", c.includeServer());
        h.put("upmix", c.upmix());
        h.put("clients", clients.size());
        v.put("hub", h);
        if (full) {
            v.put("counters", hubCounters(hub));
            v.put("clients", clients.stream().map(k -> client(k, true)).toList());
        }
        v.put("xruns", 0);
        v.put("uptimeSeconds", Duration.between(m.started(), Instant.now()).toMillis() / 1000.0);
        v.put("startedAt", m.started().toString());
        if (full) {
            v.put("events", m.events().stream().map(Views::event).toList());
        }
        return v;
    }

    /** A hub's own counters: its clients, and what its handshake listener and waiting slots counted. */
    static Map<String, Object> hubCounters(HubServer hub) {
        final List<HubServer.ClientView> clients = hub.clients();
        final Map<String, Object> c = new LinkedHashMap<>();
        c.put("clients", clients.size());
        c.put("streaming", clients.stream().filter(k -> k.stats() != null
                && k.stats().state() == Link.State.CONNECTED).count());
        for (HubListener.Counter counter : HubListener.Counter.values()) {
            c.put("handshakes_" + counter.name().toLowerCase(Locale.ROOT), hub.count(counter));
        }
        c.put("handshakes_address_refused", hub.addressRefusals());
        c.put("foreign_datagrams", hub.foreignDatagrams());
        c.put("malformed_datagrams", hub.malformedDatagrams());
        return c;
    }

    /** A hub's clients, lowest slot first, each with its counters when {@code withCounters}. */
    static List<Map<String, Object>> clients(HubServer hub, boolean withCounters) {
        return hub.clients().stream().map(k -> client(k, withCounters)).toList();
    }

    /** One hub client: who it is, where, its state and uptime, and the counters of its link. */
    static Map<String, Object> client(HubServer.ClientView k, boolean withCounters) {
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("slot", k.slot());
        v.put("name", k.name());
        v.put("jackName", k.jackName());
        v.put("address", k.address());
        v.put("clientPort", k.clientPort());
        v.put("udpPort", k.udpPort());
        v.put("state", k.stats() == null ? "waiting" : state(k.stats().state()));
        v.put("peer", k.stats() == null ? null : address(k.stats().peer()));
        v.put("sendChannels", k.stats() == null ? null : k.stats().format().sendChannels());
        v.put("receiveChannels", k.stats() == null ? null : k.stats().format().receiveChannels());
        v.put("joinedAt", k.joined().toString());
        if (withCounters) {
            v.put("uptimeSeconds", Duration.between(k.joined(), Instant.now()).toMillis() / 1000.0);
            v.put("counters", k.stats() == null ? null : counters(k.stats()));
        }
        return v;
    }

    /** A latency test's result: ms to two decimals, the confidence to one. */
    static Map<String, Object> latency(Latency l) {
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("frames", l.frames());
        v.put("ms", Math.round(l.ms() * 100) / 100.0);
        v.put("sampleRate", l.sampleRate());
        v.put("periodFrames", l.periodFrames());
        v.put("channel", l.channel());
        v.put("confidence", round1(l.confidence()));
        return v;
    }

    static String state(Link.State state) {
        return state == Link.State.WAITING_FOR_PEER ? "waiting" : state.name().toLowerCase(Locale.ROOT);
    }

    private static String address(InetSocketAddress a) {
        return a == null ? null : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static Map<String, Object> format(Link link) {
        final LinkConfig c = link.config();
        final Map<String, Object> f = new LinkedHashMap<>();
        f.put("sampleRate", link.format().sampleRate());
        f.put("bufferSize", link.format().bufferSize());
        f.put("bitResolution", c.bitResolution());
        f.put("sendChannels", c.sendChannels());
        f.put("receiveChannels", c.receiveChannels());
        f.put("queue", c.queue() == ReceiveQueue.AUTO ? "auto" : String.valueOf(c.queue()));
        f.put("redundancy", c.redundancy());
        f.put("backend", c.backend().name().toLowerCase(Locale.ROOT));
        return f;
    }

    /** Every counter by label, plus the figures the feed derives from them. */
    static Map<String, Object> counters(LinkStats s) {
        final Map<String, Object> c = new LinkedHashMap<>();
        for (LinkCounter counter : LinkCounter.values()) {
            c.put(counter.label(), s.get(counter));
        }
        c.put("xruns", s.xruns());
        final int rate = s.format().sampleRate();
        c.put("queue_ms", round1(1000.0 * s.get(LinkCounter.QUEUE_LEVEL) / rate));
        c.put("target_ms", round1(1000.0 * s.get(LinkCounter.QUEUE_TARGET) / rate));
        c.put("jitter_ms", Math.round(s.get(LinkCounter.JITTER_US) / 10.0) / 100.0);
        return c;
    }

    static Map<String, Object> event(AgentEvent e) {
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("link", e.link());
        if (e.client() != null) {
            v.put("client", Map.of("slot", e.client().slot(), "name", e.client().name()));
        }
        v.put("kind", e.kind());
        v.put("message", e.message());
        v.put("time", e.time().toString());
        return v;
    }

    /** Peak and RMS per channel in dBFS with one decimal. */
    static Map<String, List<Double>> levels(LevelMeter meter) {
        final Double[] peak = new Double[meter.channels()];
        final Double[] rms = new Double[meter.channels()];
        for (int c = 0; c < meter.channels(); c++) {
            peak[c] = db(meter.peak(c));
            rms[c] = db(meter.rms(c));
        }
        final Map<String, List<Double>> v = new LinkedHashMap<>();
        v.put("peak", List.of(peak));
        v.put("rms", List.of(rms));
        return v;
    }

    static double db(float linear) {
        if (!(linear > 1e-6f)) {
            return SILENCE_DB;
        }
        return round1(20 * Math.log10(linear));
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}

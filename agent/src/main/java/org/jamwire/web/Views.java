package org.jamwire.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jamwire.control.AgentEvent;
import org.jamwire.control.HubClientView;
import org.jamwire.control.LinkView;
import org.jamwire.control.Meters;

/** How links, hub clients, meters and events look in JSON. Pure functions, called on HTTP and feed threads. */
final class Views {

    private Views() {
    }

    /**
     * A link as {@code GET /api/links/{id}} shows it; its counters, a hub's clients and its events
     * are there when the view holds them.
     */
    static Map<String, Object> link(LinkView l) {
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", l.id());
        v.put("mode", l.mode());
        v.put("host", l.host());
        v.put("state", l.state());
        v.put("failure", l.failure());
        v.put("clientName", l.clientName());
        v.put("localPort", l.localPort());
        v.put("peer", l.peer());
        v.put("commandLine", l.commandLine());
        v.put("options", l.options());
        v.put("format", format(l));
        if (l.hubPort() >= 0) {
            v.put("hubPort", l.hubPort());
        }
        if (l.hub() != null) {
            v.put("hub", l.hub());
        }
        if (l.counters() != null) {
            v.put("counters", l.counters().values());
        }
        if (l.clients() != null) {
            v.put("clients", l.clients().stream().map(k -> client(k, true)).toList());
        }
        v.put("xruns", l.xruns());
        v.put("uptimeSeconds", l.uptimeSeconds());
        v.put("startedAt", l.startedAt().toString());
        if (l.events() != null) {
            v.put("events", l.events().stream().map(Views::event).toList());
        }
        return v;
    }

    private static Map<String, Object> format(LinkView l) {
        final LinkView.Format f = l.format();
        final Map<String, Object> v = new LinkedHashMap<>();
        if (!l.isHub()) {
            v.put("sampleRate", f.sampleRate());
            v.put("bufferSize", f.bufferSize());
        }
        v.put("bitResolution", f.bitResolution());
        if (!l.isHub()) {
            v.put("sendChannels", f.sendChannels());
            v.put("receiveChannels", f.receiveChannels());
        }
        v.put("queue", f.queue());
        v.put("redundancy", f.redundancy());
        v.put("backend", f.backend());
        return v;
    }

    /** One hub client: who it is, where, its state, and with {@code withCounters} its uptime and counters. */
    static Map<String, Object> client(HubClientView k, boolean withCounters) {
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("slot", k.slot());
        v.put("name", k.name());
        v.put("jackName", k.jackName());
        v.put("address", k.address());
        v.put("clientPort", k.clientPort());
        v.put("udpPort", k.udpPort());
        v.put("state", k.state());
        v.put("peer", k.peer());
        v.put("sendChannels", k.sendChannels());
        v.put("receiveChannels", k.receiveChannels());
        v.put("joinedAt", k.joinedAt().toString());
        if (withCounters) {
            v.put("uptimeSeconds", k.uptimeSeconds());
            v.put("counters", k.counters() == null ? null : k.counters().values());
        }
        return v;
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

    /** A link's send and receive levels, each as peak and RMS per channel in dBFS. */
    static Map<String, Object> meters(Meters m) {
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("send", levels(m.send()));
        v.put("receive", levels(m.receive()));
        return v;
    }

    private static Map<String, List<Double>> levels(Meters.Levels l) {
        final Map<String, List<Double>> v = new LinkedHashMap<>();
        v.put("peak", l.peak());
        v.put("rms", l.rms());
        return v;
    }
}

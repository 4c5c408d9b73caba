package org.jamwire.control;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jamwire.engine.LinkCounter;
import org.jamwire.hub.HubConfig;
import org.jamwire.hub.HubServer;
import org.jamwire.link.Latency;
import org.jamwire.link.Link;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkStats;
import org.jamwire.net.HubListener;

/**
 * Reads a running link or hub into the records the faces see. Pure reads of thread-safe objects;
 * called on HTTP, feed and control threads.
 */
final class LinkViews {

    private LinkViews() {
    }

    /** A link with its counters, a hub's clients and the events when {@code full}. */
    static LinkView of(ManagedLink m, boolean full) {
        return m.hub() != null ? hub(m, full) : link(m, full);
    }

    private static LinkView link(ManagedLink m, boolean full) {
        final Link link = m.link();
        final LinkStats s = link.stats();
        final LinkConfig c = link.config();
        final LinkView.Format format = new LinkView.Format(link.format().sampleRate(), link.format().bufferSize(),
                c.bitResolution(), c.sendChannels(), c.receiveChannels(), LinkRequest.queueName(c.queue()),
                c.redundancy(), backend(c));
        return new LinkView(m.id(), m.mode(), m.host(), state(s.state()), link.failure(), link.clientName(),
                link.localPort(), address(s.peer()), m.commandLine(), m.options(), format, m.hubPort(), s.xruns(),
                s.uptime().toMillis() / 1000.0, m.started(), null, full ? counters(s) : null, null,
                full ? m.events() : null);
    }

    private static LinkView hub(ManagedLink m, boolean full) {
        final HubServer hub = m.hub();
        final HubConfig c = hub.config();
        final List<HubServer.ClientView> clients = hub.clients();
        final String state = !hub.running() ? "stopped"
                : clients.stream().anyMatch(k -> k.stats() != null && k.stats().state() == Link.State.CONNECTED)
                        ? "connected" : "waiting";
        final LinkConfig w = c.worker();
        final LinkView.Format format = new LinkView.Format(0, 0, w.bitResolution(), 0, 0,
                LinkRequest.queueName(w.queue()), w.redundancy(), backend(w));
        final LinkView.Hub settings = new LinkView.Hub(c.tcpPort(), c.udpBasePort(), c.patch().number(),
                c.patch().meaning(), c.includeServer(), c.upmix(), clients.size());
        return new LinkView(m.id(), m.mode(), null, state, null, null, c.tcpPort(), null, m.commandLine(),
                m.options(), format, -1, 0, Duration.between(m.started(), Instant.now()).toMillis() / 1000.0,
                m.started(), settings, full ? hubCounters(hub) : null,
                full ? clients.stream().map(k -> client(k, true)).toList() : null, full ? m.events() : null);
    }

    private static String backend(LinkConfig c) {
        return c.backend().name().toLowerCase(Locale.ROOT);
    }

    /** A hub's own counters: its clients, and what its handshake listener and waiting slots counted. */
    static CounterValues hubCounters(HubServer hub) {
        final List<HubServer.ClientView> clients = hub.clients();
        final Map<String, Number> c = new LinkedHashMap<>();
        c.put("clients", clients.size());
        c.put("streaming", clients.stream().filter(k -> k.stats() != null
                && k.stats().state() == Link.State.CONNECTED).count());
        for (HubListener.Counter counter : HubListener.Counter.values()) {
            c.put("handshakes_" + counter.name().toLowerCase(Locale.ROOT), hub.count(counter));
        }
        c.put("handshakes_address_refused", hub.addressRefusals());
        c.put("foreign_datagrams", hub.foreignDatagrams());
        c.put("malformed_datagrams", hub.malformedDatagrams());
        return new CounterValues(c);
    }

    /** One hub client, with its counters and meters when {@code withFigures}. */
    static HubClientView client(HubServer.ClientView k, boolean withFigures) {
        final LinkStats s = k.stats();
        return new HubClientView(k.slot(), k.name(), k.jackName(), k.address(), k.clientPort(), k.udpPort(),
                s == null ? "waiting" : state(s.state()), s == null ? null : address(s.peer()),
                s == null ? null : s.format().sendChannels(), s == null ? null : s.format().receiveChannels(),
                k.joined(), Duration.between(k.joined(), Instant.now()).toMillis() / 1000.0,
                withFigures && s != null ? counters(s) : null,
                withFigures && k.sendLevels() != null ? Meters.of(k.sendLevels(), k.receiveLevels()) : null);
    }

    /** Every counter by label, plus the figures derived from them. */
    static CounterValues counters(LinkStats s) {
        final Map<String, Number> c = new LinkedHashMap<>();
        for (LinkCounter counter : LinkCounter.values()) {
            c.put(counter.label(), s.get(counter));
        }
        c.put("xruns", s.xruns());
        final int rate = s.format().sampleRate();
        c.put("queue_ms", round1(1000.0 * s.get(LinkCounter.QUEUE_LEVEL) / rate));
        c.put("target_ms", round1(1000.0 * s.get(LinkCounter.QUEUE_TARGET) / rate));
        c.put("jitter_ms", Math.round(s.get(LinkCounter.JITTER_US) / 10.0) / 100.0);
        return new CounterValues(c);
    }

    static RoundTrip roundTrip(Latency l) {
        return new RoundTrip(l.frames(), Math.round(l.ms() * 100) / 100.0, l.sampleRate(), l.periodFrames(),
                l.channel(), round1(l.confidence()));
    }

    static String state(Link.State state) {
        return state == Link.State.WAITING_FOR_PEER ? "waiting" : state.name().toLowerCase(Locale.ROOT);
    }

    private static String address(InetSocketAddress a) {
        return a == null ? null : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}

package org.jamwire.control;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import org.jamwire.engine.LinkCounter;
import org.jamwire.options.BuildInfo;

/**
 * The agent's figures for Prometheus, gathered at each scrape from the same views the API and the
 * feed show: every link's and every hub client's counters (labelled by link, peer and direction),
 * the JACK server's xruns and state, the agent's own (links by state, feed clients, start time)
 * and the JVM's (memory, garbage collection, threads). Nothing is counted twice: a scrape reads
 * the counters the links already keep. Scraped on Jetty's threads.
 */
public final class AgentMetrics implements MultiCollector {

    /** Every metric's name starts with this. */
    public static final String PREFIX = "jamwire_";

    private final LinkManager links;
    private final JackMonitor jack;
    private final IntSupplier feedClients;
    private final Instant started = Instant.now();
    private final PrometheusRegistry registry = new PrometheusRegistry();

    /**
     * @param links the agent's links
     * @param jack the JACK server it watches
     * @param feedClients how many live-feed sockets are open
     */
    public AgentMetrics(LinkManager links, JackMonitor jack, IntSupplier feedClients) {
        this.links = links;
        this.jack = jack;
        this.feedClients = feedClients;
        registry.register(this);
        JvmMetrics.builder().register(registry);
    }

    /** Everything there is to scrape, now. */
    public MetricSnapshots scrape() {
        return registry.scrape();
    }

    /**
     * The name of a link counter's metric in {@code family} ({@code link} or {@code hub_client}),
     * without the {@code _total} that a counter is written with.
     */
    public static String name(String family, LinkCounter c) {
        final String base = switch (c) {
            case QUEUE_LEVEL -> "queue_level_frames";
            case QUEUE_TARGET -> "queue_target_frames";
            case JITTER_US -> "jitter_seconds";
            case DRIFT_PPM -> "drift_ppm";
            case CALLBACK_MAX_US -> "callback_max_seconds";
            default -> c.name().toLowerCase(Locale.ROOT);
        };
        return PREFIX + family + "_" + base;
    }

    @Override
    public MetricSnapshots collect() {
        final List<MetricSnapshot> out = new ArrayList<>();
        final Families linkFamilies = new Families("link");
        final Families clientFamilies = new Families("hub_client");
        final InfoSnapshot.Builder info = InfoSnapshot.builder().name(PREFIX + "link")
                .help("each link the agent runs: its mode and state");
        final GaugeSnapshot.Builder linkXruns = GaugeSnapshot.builder().name(PREFIX + "link_audio_xruns")
                .help("xruns the link's audio client saw");
        final GaugeSnapshot.Builder clients = GaugeSnapshot.builder().name(PREFIX + "hub_clients")
                .help("clients a hub server holds a slot for");
        final Map<String, Integer> byState = new LinkedHashMap<>();
        for (String state : List.of("waiting", "connected", "audio_lost", "stopped", "failed")) {
            byState.put(state, 0);
        }
        for (LinkView summary : links.list()) {
            final LinkView v = links.view(summary.id(), true);
            if (v == null) {
                continue; // Stopped between the two reads.
            }
            byState.merge(v.state(), 1, Integer::sum);
            final String peer = v.peer() == null ? "" : v.peer();
            info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                    .labels(Labels.of("link", v.id(), "mode", v.mode(), "state", v.state(), "peer", peer)).build());
            linkXruns.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("link", v.id())).value(v.xruns()).build());
            if (v.counters() != null) {
                linkFamilies.add(v.counters(), "link", v.id(), "peer", peer);
            }
            if (v.clients() != null) {
                clients.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("link", v.id())).value(v.clients().size()).build());
                for (HubClientView c : v.clients()) {
                    if (c.counters() != null) {
                        clientFamilies.add(c.counters(), "link", v.id(), "slot", Integer.toString(c.slot()), "client",
                                c.name(), "peer", c.peer() == null ? "" : c.peer());
                    }
                }
            }
        }
        out.add(info.build());
        out.add(linkXruns.build());
        out.add(clients.build());
        out.addAll(linkFamilies.build());
        out.addAll(clientFamilies.build());
        final GaugeSnapshot.Builder states = GaugeSnapshot.builder().name(PREFIX + "links")
                .help("links the agent runs, by state");
        byState.forEach((state, n) -> states.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(Labels.of("state", state)).value(n).build()));
        out.add(states.build());
        out.addAll(jack());
        out.add(InfoSnapshot.builder().name(PREFIX + "agent").help("the agent's version")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                        .labels(Labels.of("version", BuildInfo.version())).build()).build());
        out.add(gauge(PREFIX + "agent_start_time_seconds", "when the agent started, in seconds since the epoch",
                started.toEpochMilli() / 1000.0));
        out.add(gauge(PREFIX + "feed_clients", "live-feed sockets open", feedClients.getAsInt()));
        return new MetricSnapshots(out);
    }

    private List<MetricSnapshot> jack() {
        final JackMonitor.State s = jack.state();
        final Labels server = Labels.of("server", s.server());
        final List<MetricSnapshot> out = new ArrayList<>();
        out.add(CounterSnapshot.builder().name(PREFIX + "jack_xruns").help("xruns of the JACK server since the agent"
                + " started").dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(server)
                        .value(s.xruns()).build()).build());
        final boolean up = "running".equals(s.state());
        out.add(labelled(PREFIX + "jack_up", "1 while the JACK server runs and the agent reaches it", server,
                up ? 1 : 0));
        out.add(labelled(PREFIX + "jack_sample_rate_hertz", "the JACK server's sample rate (0 while it is away)",
                server, s.sampleRate()));
        out.add(labelled(PREFIX + "jack_buffer_size_frames", "the JACK server's frames per period (0 while it is"
                + " away)", server, s.bufferSize()));
        out.add(labelled(PREFIX + "jack_cpu_load_percent", "the JACK server's DSP load", server, s.cpuLoad()));
        return out;
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return labelled(name, help, Labels.EMPTY, value);
    }

    private static GaugeSnapshot labelled(String name, String help, Labels labels, double value) {
        return GaugeSnapshot.builder().name(name).help(help).dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(labels).value(value).build()).build();
    }

    /** One family per link counter, gathering the data points of every link (or hub client). */
    private static final class Families {

        private final Map<LinkCounter, CounterSnapshot.Builder> counts = new EnumMap<>(LinkCounter.class);
        private final Map<LinkCounter, GaugeSnapshot.Builder> levels = new EnumMap<>(LinkCounter.class);

        Families(String family) {
            for (LinkCounter c : LinkCounter.values()) {
                if (c.onlyGrows()) {
                    counts.put(c, CounterSnapshot.builder().name(name(family, c)).help(c.meaning()));
                } else {
                    levels.put(c, GaugeSnapshot.builder().name(name(family, c)).help(c.meaning()));
                }
            }
        }

        void add(CounterValues values, String... labels) {
            final Labels these = Labels.of(labels);
            for (LinkCounter c : LinkCounter.values()) {
                final Number v = values.values().get(c.label());
                if (v == null) {
                    continue;
                }
                final Labels l = these.add("direction", c.direction());
                // Prometheus' base unit of time is the second; the counters keep microseconds.
                final double value = c == LinkCounter.JITTER_US || c == LinkCounter.CALLBACK_MAX_US
                        ? v.doubleValue() / 1e6 : v.doubleValue();
                if (c.onlyGrows()) {
                    counts.get(c).dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(l)
                            .value(value).build());
                } else {
                    levels.get(c).dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(l)
                            .value(value).build());
                }
            }
        }

        List<MetricSnapshot> build() {
            final List<MetricSnapshot> out = new ArrayList<>();
            for (LinkCounter c : LinkCounter.values()) {
                out.add(c.onlyGrows() ? counts.get(c).build() : levels.get(c).build());
            }
            return out;
        }
    }
}

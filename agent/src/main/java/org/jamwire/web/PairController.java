package org.jamwire.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jamwire.control.AgentEvent;
import org.jamwire.control.EventBus;
import org.jamwire.control.JackMonitor;
import org.jamwire.control.Jobs;
import org.jamwire.control.LinkManager;
import org.jamwire.control.LinkRequest;
import org.jamwire.control.LinkView;
import org.jamwire.control.RoundTrip;
import org.jamwire.coordinator.Lab;
import org.jamwire.coordinator.PairJob;
import org.jamwire.coordinator.PairPorts;
import org.jamwire.coordinator.PeerAgent;
import org.jamwire.coordinator.PeerProbe;
import org.jamwire.coordinator.PortClaims;

/**
 * Pairs: a server started on a peer over ssh and a client here or on a second peer, as one job
 * with its steps shown as they go (on the feed as {@code pair_step} events). Jobs run on a thread each; the endpoints
 * only start, show and stop them. Called on HTTP threads.
 */
final class PairController implements AutoCloseable {
    /** The counter of audio packets a link has received ({@code pkts_in}). */
    private static final String RECEIVED = "pkts_in";

    private final ObjectMapper json;
    private final Lab lab;
    private final JackMonitor jack;
    private final Controllers links;
    private final LinkManager manager;
    private final EventBus bus;
    private final Map<String, PairJob> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final PortClaims claims = new PortClaims();

    PairController(ObjectMapper json, Lab lab, JackMonitor jack, Controllers links, LinkManager manager, EventBus bus) {
        this.json = json;
        this.lab = lab;
        this.jack = jack;
        this.links = links;
        this.manager = manager;
        this.bus = bus;
    }

    static Map<String, Object> view(PairJob j) {
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", j.id());
        v.put("peer", j.peer());
        v.put("client", j.client());
        v.put("port", j.port());
        v.put("clientPort", j.clientPort());
        v.put("state", j.state());
        v.put("startedAt", j.started().toString());
        v.put("steps", j.steps());
        v.put("peerProgram", j.peerProgram());
        v.put("serverRunning", j.serverRunning());
        v.put("localLink", j.localLink());
        v.put("serverLink", j.serverLink());
        v.put("clientLink", j.clientLink());
        v.put("latency", j.lastLatency());
        return v;
    }

    void list(Context ctx) {
        ctx.json(jobs.values().stream().map(PairController::view).toList());
    }

    void get(Context ctx) {
        ctx.json(view(job(ctx)));
    }

    private PairJob job(Context ctx) {
        final PairJob j = jobs.get(ctx.pathParam("id"));
        if (j == null) {
            throw ApiException.notFound("no pair '" + ctx.pathParam("id").replaceAll("[^A-Za-z0-9]", "?")
                    + "': GET /api/lab/pairs lists them");
        }
        return j;
    }

    void start(Context ctx) {
        final JsonNode b = Bodies.object(json, ctx);
        final String peer = b.path("peer").isTextual() ? b.get("peer").asText() : null;
        try {
            lab.get(peer);
        } catch (Lab.LabException e) {
            throw ApiException.invalid("peer", "a peer's name", "peer: " + e.getMessage());
        }
        final JsonNode c = b.get("client");
        final String client = c == null || c.isNull() || "here".equals(c.asText()) ? null : c.asText();
        if (client != null) {
            try {
                lab.get(client);
            } catch (Lab.LabException e) {
                throw ApiException.invalid("client", "here, or a peer's name", "client: " + e.getMessage());
            }
            if (client.equals(peer)) {
                throw ApiException.invalid("client", "another peer than the server's", "client: the server and the"
                        + " client must be two machines: pick another peer, or here");
            }
        }
        final Integer port = port(b);
        final Map<String, Object> options = Bodies.options(b.get("options"));
        // The request is checked as the client would be, and its ports against each other, before anything runs.
        final LinkRequest.Shape here = links.checked("client", "192.0.2.1", options).shape();
        final PairPorts.Asked asked;
        try {
            asked = PairPorts.Asked.of(port, options);
        } catch (PairPorts.Mismatch e) {
            throw ApiException.invalid(e.field(), "the same UDP port as port, or left out", e.getMessage());
        }
        final JackMonitor.State state = jack.state();
        final PairJob.Ask ask = new PairJob.Ask(here.rateOn(state.sampleRate()), here.periodOn(state.bufferSize()),
                here.bitResolution(), here.sendChannels(), here.receiveChannels(), here.queue(), here.builtin());
        final PairJob job = new PairJob("p" + nextId.getAndIncrement(), peer, client, asked, claims, this::changed);
        jobs.put(job.id(), job);
        Jobs.start("pair-" + job.id(), () -> job.run(lab, ask, options, new LocalLinks()));
        ctx.status(202).json(view(job));
    }

    /** The request's {@code port}: the server's UDP port on its peer, or null for the coordinator to choose. */
    private static Integer port(JsonNode b) {
        final JsonNode p = b.get("port");
        if (p == null || p.isNull()) {
            return null;
        }
        if (!p.isIntegralNumber() || !p.canConvertToInt() || p.asInt() < 1 || p.asInt() > 65535) {
            throw ApiException.invalid("port", "a whole number from 1 to 65535, or left out", "port: the UDP port of"
                    + " the server on the peer, 1 to 65535; leave it out, and the coordinator picks one free there");
        }
        return p.asInt();
    }

    /** The pair's end on this machine, as this agent's links. Pair control threads. */
    private final class LocalLinks implements PairJob.LocalEnd {
        @Override
        public String startClient(String host, Map<String, Object> options) {
            return links.start(links.checked("client", host, options)).id();
        }

        @Override
        public boolean audioArrived(String link) {
            final LinkView v = manager.view(link, true);
            return v != null && v.counters() != null && v.counters().get(RECEIVED) > 0;
        }

        @Override
        public void stop(String link) {
            try {
                manager.stop(link);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public List<Integer> freePorts() {
            return LinkManager.freeUdpPorts(PeerProbe.LINK_PORTS);
        }
    }

    /** Each step as it starts or fails, and the pair once it runs (audio both ways); nothing between steps. */
    private void changed(PairJob job) {
        final String step = PairJob.stepUnderWay(job.steps());
        if (step != null) {
            bus.publish(new AgentEvent(null, "pair_step", job.id() + ": " + step, Instant.now()));
            return;
        }
        if ("running".equals(job.state())) {
            bus.publish(new AgentEvent(job.localLink(), "pair_step", job.id() + ": both ends run", Instant.now()));
        }
    }

    void stop(Context ctx) throws InterruptedException {
        final PairJob j = job(ctx);
        if (j.localLink() != null) {
            manager.stop(j.localLink());
        }
        j.close();
        ctx.json(view(j));
    }

    void latency(Context ctx) {
        final PairJob j = job(ctx);
        try {
            final Object result = j.latency(lab, id -> {
                try {
                    return manager.measureLatency(id, 1, Duration.ofMillis(2000));
                } catch (RoundTrip.Failed e) {
                    throw Controllers.refused(e);
                }
            });
            j.recordLatency(result);
            ctx.json(result);
        } catch (ApiException e) {
            throw e;
        } catch (IllegalStateException e) {
            throw new ApiException(409, "conflict", null, null, e.getMessage());
        } catch (PeerAgent.AgentError e) {
            throw Controllers.refused(e);
        } catch (Exception e) {
            throw new ApiException(502, "ssh", null, null, e.getMessage());
        }
    }

    /** Stops every pair's ends on the peers, as the agent stops. */
    @Override
    public void close() {
        jobs.values().forEach(PairJob::close);
    }
}

package org.jamwire.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jamwire.control.AgentEvent;
import org.jamwire.control.EventBus;
import org.jamwire.control.JackMonitor;
import org.jamwire.control.Jobs;
import org.jamwire.control.LinkManager;
import org.jamwire.control.LinkRequest;
import org.jamwire.control.RoundTrip;
import org.jamwire.coordinator.Lab;
import org.jamwire.coordinator.PairJob;
import org.jamwire.coordinator.PeerAgent;

/**
 * Pairs: a server started on a peer over ssh and a client here or on a second peer, as one job
 * with its steps shown as they go (on the feed as {@code pair_step} events). Jobs run on a thread each; the endpoints
 * only start, show and stop them. Called on HTTP threads.
 */
final class PairController implements AutoCloseable {

    private final ObjectMapper json;
    private final Lab lab;
    private final JackMonitor jack;
    private final Controllers links;
    private final LinkManager manager;
    private final EventBus bus;
    private final Map<String, PairJob> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

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
        final int port = b.has("port") ? b.get("port").asInt(-1) : 4464;
        if (port < 1 || port > 65535) {
            throw ApiException.invalid("port", "a whole number from 1 to 65535", "port: the UDP port of the server on"
                    + " the peer, 1 to 65535");
        }
        final Map<String, Object> options = Bodies.options(b.get("options"));
        // The request is checked as the client would be, before anything runs anywhere.
        final LinkRequest.Shape here = links.checked("client", "192.0.2.1", withPeerPort(options, port)).shape();
        final JackMonitor.State state = jack.state();
        final PairJob.Ask ask = new PairJob.Ask(here.rateOn(state.sampleRate()), here.periodOn(state.bufferSize()),
                here.bitResolution(), here.sendChannels(), here.receiveChannels(), here.queue(), here.builtin());
        final PairJob job = new PairJob("p" + nextId.getAndIncrement(), peer, client, port, this::changed);
        jobs.put(job.id(), job);
        Jobs.start("pair-" + job.id(), () -> job.run(lab, ask, options,
                (host, opts) -> links.start(links.checked("client", host, opts)).id()));
        ctx.status(202).json(view(job));
    }

    private static Map<String, Object> withPeerPort(Map<String, Object> options, int port) {
        final Map<String, Object> m = new LinkedHashMap<>(options);
        m.put("peerport", port);
        return m;
    }

    private void changed(PairJob job) {
        final List<PairJob.Step> steps = job.steps();
        for (PairJob.Step s : steps) {
            if (s.state() == PairJob.State.RUNNING || s.state() == PairJob.State.FAILED) {
                bus.publish(new AgentEvent(null, "pair_step", job.id() + ": " + s.name() + ": "
                        + s.state().name().toLowerCase(Locale.ROOT) + (s.detail() == null ? "" : " (" + s.detail()
                        + ")"), Instant.now()));
                return;
            }
        }
        bus.publish(new AgentEvent(job.localLink(), "pair_step", job.id() + ": both ends run", Instant.now()));
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
            throw new ApiException(e.status() == 422 ? 422 : 502, e.status() == 422 ? "no_echo" : "ssh", null, null,
                    e.getMessage());
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

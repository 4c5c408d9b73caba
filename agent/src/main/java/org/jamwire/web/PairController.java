package org.jamwire.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jamwire.control.AgentEvent;
import org.jamwire.control.EventBus;
import org.jamwire.control.JackMonitor;
import org.jamwire.control.LinkManager;
import org.jamwire.coordinator.Lab;
import org.jamwire.coordinator.PairJob;
import org.jamwire.coordinator.Preflight;

/**
 * Pairs: a server started on a peer over ssh and a client here, as one job with its steps shown
 * as they go (on the feed as {@code pair_step} events). Jobs run on a thread each; the endpoints
 * only start, show and stop them. Called on HTTP threads.
 */
final class PairController {

    private final ObjectMapper json;
    private final Lab lab;
    private final JackMonitor jack;
    private final Controllers links;
    private final LinkManager manager;
    private final EventBus bus;
    private final int agentPort;
    private final Map<String, PairJob> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    PairController(ObjectMapper json, Lab lab, JackMonitor jack, Controllers links, LinkManager manager, EventBus bus,
            int agentPort) {
        this.json = json;
        this.lab = lab;
        this.jack = jack;
        this.links = links;
        this.manager = manager;
        this.bus = bus;
        this.agentPort = agentPort;
    }

    static Map<String, Object> view(PairJob j) {
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", j.id());
        v.put("peer", j.peer());
        v.put("port", j.port());
        v.put("state", j.state());
        v.put("startedAt", j.started().toString());
        v.put("steps", j.steps());
        v.put("peerProgram", j.peerProgram());
        v.put("serverRunning", j.serverRunning());
        v.put("localLink", j.localLink());
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
        final JsonNode b;
        try {
            b = json.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("body", "a JSON object", "body: not valid JSON");
        }
        if (b == null || !b.isObject()) {
            throw ApiException.invalid("body", "a JSON object", "body: must be a JSON object");
        }
        final String peer = b.path("peer").isTextual() ? b.get("peer").asText() : null;
        try {
            lab.get(peer);
        } catch (Lab.LabException e) {
            throw ApiException.invalid("peer", "a peer's name", e.getMessage());
        }
        final int port = b.has("port") ? b.get("port").asInt(-1) : 4464;
        if (port < 1 || port > 65535) {
            throw ApiException.invalid("port", "a whole number from 1 to 65535", "port: the UDP port of the server on"
                    + " the peer, 1 to 65535");
        }
        final Map<String, Object> options = Controllers.options(b.get("options"));
        // The request is checked as this end's client would be, before anything runs anywhere.
        final Controllers.Request here = links.checked("client", "192.0.2.1", withPeerPort(options, port));
        final JackMonitor.State state = jack.state();
        final boolean builtin = here.config().backend() == org.jamwire.link.LinkConfig.BackendKind.BUILTIN;
        final Preflight.End end = new Preflight.End("this machine",
                builtin ? here.config().builtin().sampleRate() : state.sampleRate(),
                builtin ? here.config().builtin().bufferSize() : state.bufferSize(), here.config().bitResolution(),
                here.config().sendChannels(), here.config().receiveChannels(),
                here.config().queue() == 0 ? "auto" : String.valueOf(here.config().queue()));
        final PairJob job = new PairJob("p" + nextId.getAndIncrement(), this::changed);
        jobs.put(job.id(), job);
        final Thread t = new Thread(() -> job.run(lab, peer, end, options, port,
                (host, client) -> links.start(links.checked("client", host, client)).id(), agentPort),
                "jamwire-pair-" + job.id());
        t.setDaemon(true);
        t.start();
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
                        + s.state().name().toLowerCase(java.util.Locale.ROOT) + (s.detail() == null ? "" : " (" + s.detail()
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
}

package org.jamwire.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jamwire.control.AgentEvent;
import org.jamwire.control.EventBus;
import org.jamwire.coordinator.Ensemble;
import org.jamwire.coordinator.EnsembleJob;
import org.jamwire.coordinator.Ensembles;
import org.jamwire.coordinator.HubClients;
import org.jamwire.coordinator.Lab;
import org.jamwire.coordinator.PairJob;
import org.jamwire.coordinator.PeerAgent;

/**
 * Ensembles: a hub on one peer and members on others, defined once, saved, and started, watched
 * and stopped as one job (its steps on the feed as {@code ensemble_step} events). Thin: the
 * coordinator's {@link Ensembles} does the work. Called on HTTP threads.
 */
final class EnsembleController {

    private static final List<String> FIELDS = List.of("name", "hub", "patch", "members", "start");
    private static final List<String> MEMBER_FIELDS = List.of("peer", "channels", "queue");
    /** The end of a member's output that a view shows: a few of jacktrip's statistics lines. */
    private static final int OUTPUT_SHOWN = 4000;

    private final ObjectMapper json;
    private final Ensembles ensembles;

    EnsembleController(ObjectMapper json, Ensembles ensembles) {
        this.json = json;
        this.ensembles = ensembles;
    }

    /** Publishes each step of an ensemble's job as it starts or fails, and the ensemble once it runs. */
    static void publish(EventBus bus, EnsembleJob job) {
        final String name = job.ensemble().name();
        final String step = PairJob.stepUnderWay(job.steps());
        if (step != null) {
            bus.publish(new AgentEvent(null, "ensemble_step", name + ": " + step, Instant.now()));
            return;
        }
        if (!"starting".equals(job.state())) {
            bus.publish(new AgentEvent(null, "ensemble_step", name + ": " + job.state() + (job.control() == null ? ""
                    : " (" + job.control() + ")"), Instant.now()));
        }
    }

    static Map<String, Object> view(Ensembles.Entry entry) {
        final Ensemble e = entry.ensemble();
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", e.name());
        v.put("hub", e.hub());
        v.put("patch", e.patch());
        v.put("members", e.members());
        final EnsembleJob j = entry.job();
        if (j == null) {
            v.put("run", null);
            return v;
        }
        final Map<String, Object> run = new LinkedHashMap<>();
        run.put("id", j.id());
        run.put("state", j.state());
        run.put("startedAt", j.started().toString());
        run.put("reattached", j.reattached());
        run.put("control", j.control() == null ? null : Map.of("note", j.control(), "at", j.controlAt().toString()));
        run.put("hubLink", j.hubLink());
        final List<Map<String, Object>> members = new ArrayList<>();
        for (EnsembleJob.Started m : j.members()) {
            final Map<String, Object> one = new LinkedHashMap<>();
            one.put("peer", m.peer());
            one.put("program", m.program());
            one.put("link", m.link());
            final String out = j.output(m.peer());
            one.put("output", out.length() > OUTPUT_SHOWN ? out.substring(out.length() - OUTPUT_SHOWN) : out);
            one.put("latency", j.latencies().get(m.peer()));
            members.add(one);
        }
        run.put("members", members);
        run.put("machines", j.preflight().machines());
        final HubClients clients = j.hubClients();
        run.put("hubClients", clients == null ? null : Map.of("at", clients.at().toString(), "clients",
                clients.clients(), "refused", clients.refused()));
        run.put("steps", j.steps());
        v.put("run", run);
        return v;
    }

    void list(Context ctx) {
        ctx.json(ensembles.list().stream().map(EnsembleController::view).toList());
    }

    void get(Context ctx) {
        ctx.json(view(entry(ctx)));
    }

    /** Saves the body's ensemble and, unless it says {@code "start": false}, starts it. */
    void save(Context ctx) throws IOException {
        final JsonNode b = Bodies.object(json, ctx);
        Bodies.onlyFields(b, FIELDS, null);
        final JsonNode start = b.get("start");
        if (start != null && !start.isBoolean()) {
            throw ApiException.invalid("start", "true or false", "start: true (the default) starts the ensemble once"
                    + " saved, false only saves it");
        }
        final Ensemble ensemble;
        try {
            ensemble = Ensemble.checked(Bodies.text(b, "name", true), Bodies.text(b, "hub", true),
                    Bodies.wholeNumber(b, "patch", 2, 0, 5, "the hub's patch mode"), members(b.get("members")));
        } catch (Ensemble.Invalid e) {
            throw ApiException.invalid(e.field(), "see the message", e.getMessage());
        }
        try {
            ensembles.save(ensemble);
            if (start == null || start.asBoolean()) {
                ensembles.start(ensemble.name());
                ctx.status(202);
            } else {
                ctx.status(201);
            }
        } catch (Lab.LabException e) {
            throw ApiException.invalid(e.field() == null ? "hub" : e.field(), "a peer's name (the hub also: here)",
                    e.getMessage());
        } catch (Ensembles.Conflict e) {
            throw new ApiException(409, "conflict", null, null, e.getMessage());
        }
        ctx.json(view(ensembles.get(ensemble.name())));
    }

    private static List<Ensemble.Member> members(JsonNode list) {
        if (list == null || !list.isArray()) {
            throw ApiException.invalid("members", "a list", "members: give a list of members, e.g. [{\"peer\":"
                    + " \"studio-b\", \"channels\": 2, \"queue\": \"4\"}]");
        }
        final List<Ensemble.Member> members = new ArrayList<>();
        for (int i = 0; i < list.size() && i <= Ensemble.MAX_MEMBERS; i++) {
            final JsonNode m = list.get(i);
            final String at = "members[" + i + "]";
            if (!m.isObject()) {
                throw ApiException.invalid(at, "an object", at + ": must be an object with peer, channels and queue");
            }
            for (var it = m.fieldNames(); it.hasNext();) {
                final String f = it.next();
                if (!MEMBER_FIELDS.contains(f)) {
                    throw ApiException.invalid(at + "." + Bodies.clip(f), "one of " + String.join(", ", MEMBER_FIELDS),
                            at + ": unknown field '" + Bodies.clip(f) + "': the fields are peer, channels and queue");
                }
            }
            final JsonNode q = m.get("queue");
            final String queue = q == null || q.isNull() ? "4" : q.isIntegralNumber() ? q.asText()
                    : q.isTextual() ? q.asText() : "?";
            final JsonNode peer = m.get("peer");
            if (peer == null || !peer.isTextual()) {
                throw ApiException.invalid(at + ".peer", "a peer's name", at + ".peer: name the peer this member runs"
                        + " on");
            }
            final JsonNode c = m.get("channels");
            if (c != null && !c.isNull() && (!c.isIntegralNumber() || !c.canConvertToInt())) {
                throw ApiException.invalid(at + ".channels", "a whole number from 1 to " + Ensemble.MAX_CHANNELS,
                        at + ".channels: give a whole number from 1 to " + Ensemble.MAX_CHANNELS);
            }
            members.add(new Ensemble.Member(peer.asText(), c == null || c.isNull() ? 2 : c.asInt(), queue));
        }
        return members;
    }

    void start(Context ctx) {
        try {
            ensembles.start(ctx.pathParam("name"));
        } catch (Lab.LabException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (Ensembles.Conflict e) {
            throw new ApiException(409, "conflict", null, null, e.getMessage());
        }
        ctx.status(202).json(view(entry(ctx)));
    }

    void stop(Context ctx) {
        try {
            ensembles.stop(ctx.pathParam("name"));
        } catch (Lab.LabException e) {
            throw ApiException.notFound(e.getMessage());
        }
        ctx.json(view(entry(ctx)));
    }

    /**
     * The round trip from one member to the hub and back, through the hub's JACK server: body
     * {@code {"member": "studio-a"}}; the member's agent's answer, kept in the run's view.
     */
    void latency(Context ctx) throws IOException {
        final Ensembles.Entry entry = entry(ctx);
        final JsonNode b = Bodies.object(json, ctx);
        Bodies.onlyFields(b, List.of("member"), null);
        final String member = Bodies.text(b, "member", true);
        final EnsembleJob j = entry.job();
        if (j == null) {
            throw new ApiException(409, "conflict", null, null, "the ensemble " + entry.ensemble().name()
                    + " has not run: start it first");
        }
        try {
            ctx.json(j.latency(member));
        } catch (IllegalStateException e) {
            throw new ApiException(409, "conflict", null, null, e.getMessage());
        } catch (PeerAgent.AgentError e) {
            throw Controllers.refused(e);
        } catch (IOException e) {
            throw new ApiException(502, "ssh", null, null, e.getMessage());
        }
    }

    void remove(Context ctx) throws IOException {
        if (!ensembles.remove(ctx.pathParam("name"))) {
            throw notFound(ctx);
        }
        ctx.status(204);
    }

    private Ensembles.Entry entry(Context ctx) {
        final Ensembles.Entry e = ensembles.get(ctx.pathParam("name"));
        if (e == null) {
            throw notFound(ctx);
        }
        return e;
    }

    private static ApiException notFound(Context ctx) {
        return ApiException.notFound("no ensemble named '" + Bodies.clip(ctx.pathParam("name"))
                + "': GET /api/lab/ensembles lists them");
    }
}

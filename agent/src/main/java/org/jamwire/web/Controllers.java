package org.jamwire.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jamwire.control.CounterValues;
import org.jamwire.control.JackMonitor;
import org.jamwire.control.LinkManager;
import org.jamwire.control.LinkRequest;
import org.jamwire.control.LinkView;
import org.jamwire.control.RoundTrip;
import org.jamwire.coordinator.PeerAgent;
import org.jamwire.options.BuildInfo;
import org.jamwire.options.LinkArguments;

/**
 * The REST endpoints, thin: each reads and checks its input, calls the control layer and shapes
 * the answer. Called on HTTP threads.
 */
final class Controllers {

    /** Longest JACK port name (JACK's own limit is 320 bytes with the client name). */
    private static final int MAX_PORT_NAME = 320;
    private static final int MAX_HOST = 253;
    private static final int DEFAULT_LATENCY_TIMEOUT_MS = 2000;
    private static final int MIN_LATENCY_TIMEOUT_MS = 100;
    private static final int MAX_LATENCY_TIMEOUT_MS = 10_000;

    private final ObjectMapper json;
    private final LinkManager links;
    private final JackMonitor jack;
    private final Instant started = Instant.now();
    private final Supplier<Map<String, Long>> refusals;

    Controllers(ObjectMapper json, LinkManager links, JackMonitor jack,
            Supplier<Map<String, Long>> refusals) {
        this.json = json;
        this.links = links;
        this.jack = jack;
        this.refusals = refusals;
    }

    void health(Context ctx) {
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("status", "ok");
        v.put("version", BuildInfo.version());
        v.put("uptimeSeconds", Duration.between(started, Instant.now()).toMillis() / 1000.0);
        v.put("links", links.running());
        v.put("jack", jack.state().state());
        v.put("refused", refusals.get());
        ctx.json(v);
    }

    void version(Context ctx) {
        ctx.json(Map.of("version", BuildInfo.version(), "protocol", "JackTrip 1.7 P2P"));
    }

    void jackState(Context ctx) {
        ctx.json(jack.state());
    }

    void jackPorts(Context ctx) {
        ctx.json(jack.ports());
    }

    void connect(Context ctx) {
        final JsonNode body = Bodies.object(json, ctx);
        Bodies.onlyFields(body, List.of("source", "destination"), null);
        final String source = portName(body, "source");
        final String destination = portName(body, "destination");
        try {
            jack.connect(source, destination);
        } catch (JackMonitor.Unavailable e) {
            throw unavailable(e.getMessage());
        } catch (JackMonitor.PortRefused e) {
            throw ApiException.invalid(e.field(), "name an existing port: source an output, destination an input",
                    e.getMessage());
        }
        ctx.status(201).json(Map.of("source", source, "destination", destination));
    }

    void disconnect(Context ctx) {
        final String source = portParam(ctx, "source");
        final String destination = portParam(ctx, "destination");
        try {
            if (!jack.disconnect(source, destination)) {
                throw ApiException.notFound(source + " is not connected to " + destination);
            }
        } catch (JackMonitor.Unavailable e) {
            throw unavailable(e.getMessage());
        } catch (JackMonitor.PortRefused e) {
            throw ApiException.invalid(e.field(), "name an existing port: source an output, destination an input",
                    e.getMessage());
        }
        ctx.status(204);
    }

    void linkOptions(Context ctx) {
        ctx.json(LinkArguments.options());
    }

    void counterMeanings(Context ctx) {
        ctx.json(CounterValues.meanings());
    }

    void checkLink(Context ctx) {
        final LinkRequest r = linkRequest(ctx);
        ctx.json(Map.of("commandLine", r.commandLine(), "warnings", r.warnings()));
    }

    void startLink(Context ctx) {
        ctx.status(201).json(Views.link(start(linkRequest(ctx))));
    }

    /**
     * Starts a checked link; a taken port is a 409, a refusing audio backend a 503, a hub that cannot be
     * reached or refuses a 502.
     */
    LinkView start(LinkRequest r) {
        try {
            return links.start(r);
        } catch (LinkManager.StartFailed e) {
            throw switch (e.kind()) {
                case HUB -> new ApiException(502, "hub", null, null, e.getMessage());
                case PORT_TAKEN -> new ApiException(409, "conflict", null, null, e.getMessage());
                case UNAVAILABLE -> new ApiException(503, "unavailable", null, null, e.getMessage());
            };
        }
    }

    void listLinks(Context ctx) {
        ctx.json(links.list().stream().map(Views::link).toList());
    }

    void getLink(Context ctx) {
        ctx.json(Views.link(link(ctx)));
    }

    void linkCounters(Context ctx) {
        ctx.json(link(ctx).counters().values());
    }

    void hubClients(Context ctx) {
        final LinkView l = link(ctx);
        if (!l.isHub()) {
            throw ApiException.notFound("link " + l.id() + " is a " + l.mode() + " link, not a hub server: only a"
                    + " hub server has clients");
        }
        ctx.json(l.clients().stream().map(k -> Views.client(k, true)).toList());
    }

    void stopLink(Context ctx) throws InterruptedException {
        ctx.json(Views.link(links.stop(link(ctx).id())));
    }

    /**
     * Runs a latency test on a link: blocks this HTTP thread until the echo came back, or for the
     * timeout. Not streaming, or a test already running, is a 409; no echo a 422.
     */
    void measureLatency(Context ctx) {
        final LinkView m = link(ctx);
        if (m.isHub()) {
            throw new ApiException(409, "conflict", null, null, "link " + m.id() + " is a hub server, which has no"
                    + " audio of its own: run the latency test on a client's end");
        }
        final JsonNode body = Bodies.objectOrEmpty(json, ctx);
        Bodies.onlyFields(body, List.of("channel", "timeoutMs"), null);
        final int channels = Math.min(m.format().sendChannels(), m.format().receiveChannels());
        if (channels == 0) {
            throw new ApiException(409, "conflict", null, null, "the link sends " + m.format().sendChannels()
                    + " and receives " + m.format().receiveChannels() + " channels: a latency test needs a"
                    + " channel it both sends and receives");
        }
        final int channel = Bodies.wholeNumber(body, "channel", 1, 1, channels,
                "a channel the link both sends and receives");
        final int timeoutMs = Bodies.wholeNumber(body, "timeoutMs", DEFAULT_LATENCY_TIMEOUT_MS, MIN_LATENCY_TIMEOUT_MS,
                MAX_LATENCY_TIMEOUT_MS, "how long to wait for the echo, in milliseconds");
        try {
            ctx.json(links.measureLatency(m.id(), channel, Duration.ofMillis(timeoutMs)));
        } catch (RoundTrip.Failed e) {
            throw refused(e);
        }
    }

    /** A latency test's failure as the API answers it: 409 for a link that cannot test now, 422 for no echo. */
    static ApiException refused(RoundTrip.Failed e) {
        return e.noEcho() ? new ApiException(422, "no_echo", null, null, e.getMessage())
                : new ApiException(409, "conflict", null, null, e.getMessage());
    }

    /**
     * A peer agent's refusal of a latency test through it, as the API answers it: 422 when no echo
     * came back there, else 502.
     */
    static ApiException refused(PeerAgent.AgentError e) {
        return e.status() == 422 ? new ApiException(422, "no_echo", null, null, e.getMessage())
                : new ApiException(502, "ssh", null, null, e.getMessage());
    }

    private LinkView link(Context ctx) {
        final String id = ctx.pathParam("id");
        final LinkView m = id.matches("l[0-9]{1,9}") ? links.view(id, true) : null;
        if (m == null) {
            throw ApiException.notFound("no link '" + Bodies.clip(id)
                    + "': GET /api/links lists them");
        }
        return m;
    }

    private LinkRequest linkRequest(Context ctx) {
        final JsonNode body = Bodies.object(json, ctx);
        Bodies.onlyFields(body, List.of("mode", "host", "options"), null);
        final String mode = Bodies.text(body, "mode", true);
        final String host = Bodies.text(body, "host", false);
        if (host != null && host.length() > MAX_HOST) {
            throw ApiException.invalid("host", "at most " + MAX_HOST + " characters", "host: too long");
        }
        return checked(mode, host, Bodies.options(body.get("options")));
    }

    /** A link request checked as the command line would check it, on this agent's JACK server. */
    LinkRequest checked(String mode, String host, Map<String, Object> options) {
        try {
            return links.check(mode, host, options);
        } catch (LinkArguments.InvalidLink e) {
            throw invalid(e);
        }
    }

    /** A request's options refused as the parser says: the field at fault, its rule and what is wrong. */
    static ApiException invalid(LinkArguments.InvalidLink e) {
        return ApiException.invalid(e.problem().field(), e.problem().rule(), e.problem().message());
    }

    private static String portName(JsonNode body, String field) {
        return checkPortName(field, Bodies.text(body, field, true));
    }

    private static String portParam(Context ctx, String field) {
        final String v = ctx.queryParam(field);
        if (v == null) {
            throw ApiException.invalid(field, "required", field + ": missing query parameter");
        }
        return checkPortName(field, v);
    }

    private static String checkPortName(String field, String name) {
        if (name.isEmpty() || name.length() > MAX_PORT_NAME || !name.contains(":")
                || name.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid(field, "a full JACK port name, client:port, at most " + MAX_PORT_NAME
                    + " characters", field + ": '" + Bodies.clip(name)
                    + "' is not a JACK port name (client:port)");
        }
        return name;
    }

    private static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", null, null, message);
    }
}

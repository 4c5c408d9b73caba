package org.jamwire.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jamwire.options.BuildInfo;
import org.jamwire.options.LinkArguments;
import org.jamwire.control.JackMonitor;
import org.jamwire.control.CounterValues;
import org.jamwire.control.LinkManager;
import org.jamwire.control.LinkRequest;
import org.jamwire.control.LinkView;
import org.jamwire.control.RoundTrip;

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
    private final java.util.function.Supplier<Map<String, Long>> refusals;

    Controllers(ObjectMapper json, LinkManager links, JackMonitor jack,
            java.util.function.Supplier<Map<String, Long>> refusals) {
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
        final JsonNode body = object(ctx);
        onlyFields(body, "source", "destination");
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
        final JsonNode body = ctx.body().isBlank() ? json.createObjectNode() : object(ctx);
        onlyFields(body, "channel", "timeoutMs");
        final int channels = Math.min(m.format().sendChannels(), m.format().receiveChannels());
        if (channels == 0) {
            throw new ApiException(409, "conflict", null, null, "the link sends " + m.format().sendChannels()
                    + " and receives " + m.format().receiveChannels() + " channels: a latency test needs a"
                    + " channel it both sends and receives");
        }
        final int channel = wholeNumber(body, "channel", 1, 1, channels,
                "a channel the link both sends and receives");
        final int timeoutMs = wholeNumber(body, "timeoutMs", DEFAULT_LATENCY_TIMEOUT_MS, MIN_LATENCY_TIMEOUT_MS,
                MAX_LATENCY_TIMEOUT_MS, "how long to wait for the echo, in milliseconds");
        try {
            ctx.json(links.measureLatency(m.id(), channel, Duration.ofMillis(timeoutMs)));
        } catch (RoundTrip.Failed e) {
            throw refused(e);
        }
    }

    /** A whole number field from {@code min} to {@code max}, or {@code fallback} when absent or null. */
    private static int wholeNumber(JsonNode body, String field, int fallback, int min, int max, String what) {
        final JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        final String rule = "a whole number from " + min + " to " + max;
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw ApiException.invalid(field, rule, field + ": " + (v.isNumber() || v.isTextual()
                    ? "'" + clip(v.asText()) + "'" : v.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
                    + " is not allowed: use " + rule + " (" + what + ")");
        }
        return v.asInt();
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** A latency test's failure as the API answers it: 409 for a link that cannot test now, 422 for no echo. */
    static ApiException refused(RoundTrip.Failed e) {
        return switch (e.reason()) {
            case NOT_STREAMING, BUSY -> new ApiException(409, "conflict", null, null, e.getMessage());
            case NO_ECHO -> new ApiException(422, "no_echo", null, null, e.getMessage());
        };
    }

    private LinkView link(Context ctx) {
        final String id = ctx.pathParam("id");
        final LinkView m = id.matches("l[0-9]{1,9}") ? links.view(id, true) : null;
        if (m == null) {
            throw ApiException.notFound("no link '" + (id.length() > 40 ? id.substring(0, 40) + "…" : id)
                    + "': GET /api/links lists them");
        }
        return m;
    }

    private LinkRequest linkRequest(Context ctx) {
        final JsonNode body = object(ctx);
        onlyFields(body, "mode", "host", "options");
        final String mode = text(body, "mode", true);
        final String host = text(body, "host", false);
        if (host != null && host.length() > MAX_HOST) {
            throw ApiException.invalid("host", "at most " + MAX_HOST + " characters", "host: too long");
        }
        return checked(mode, host, options(body.get("options")));
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

    /**
     * A request's {@code options} object as option values keyed by long name; absent or null is
     * none. Every lab and link endpoint reads its options through here.
     */
    static Map<String, Object> options(JsonNode o) {
        final Map<String, Object> options = new LinkedHashMap<>();
        if (o != null && !o.isNull()) {
            if (!o.isObject()) {
                throw ApiException.invalid("options", "an object of option values keyed by long name",
                        "options: must be an object, e.g. {\"queue\": \"auto\"}");
            }
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                options.put(e.getKey(), optionValue("options." + e.getKey(), e.getValue()));
            }
        }
        return options;
    }

    private static Object optionValue(String field, JsonNode v) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.asInt();
        }
        throw ApiException.invalid(field, "a string, a whole number, or true/false for a flag",
                field + ": " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " is not an option value");
    }

    private JsonNode object(Context ctx) {
        final String body = ctx.body();
        final JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            final String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw ApiException.invalid("body", "a JSON object", "body: not valid JSON" + where);
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("body", "a JSON object", "body: must be a JSON object");
        }
        return node;
    }

    private static void onlyFields(JsonNode body, String... allowed) {
        final List<String> known = List.of(allowed);
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            final String name = it.next();
            if (!known.contains(name)) {
                throw ApiException.invalid(name.length() > 40 ? name.substring(0, 40) : name,
                        "one of " + String.join(", ", allowed), "unknown field '" + (name.length() > 40
                                ? name.substring(0, 40) + "…" : name) + "': the fields are " + String.join(", ", allowed));
            }
        }
    }

    private static String text(JsonNode body, String field, boolean required) {
        final JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.invalid(field, "required", field + ": missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.invalid(field, "a string", field + ": must be a string");
        }
        return v.asText();
    }

    private static String portName(JsonNode body, String field) {
        return checkPortName(field, text(body, field, true));
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
                    + " characters", field + ": '" + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                    + "' is not a JACK port name (client:port)");
        }
        return name;
    }

    private static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", null, null, message);
    }
}

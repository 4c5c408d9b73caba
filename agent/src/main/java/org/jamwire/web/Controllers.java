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
import org.jamwire.options.Command;
import org.jamwire.options.LinkArguments;
import org.jamwire.control.JackMonitor;
import org.jamwire.control.LinkManager;
import org.jamwire.control.ManagedLink;
import org.jamwire.engine.LinkCounter;
import org.jamwire.hub.HubConfig;
import org.jamwire.jack.JackGraph;
import org.jamwire.link.LatencyException;
import org.jamwire.link.LinkConfig;

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
        ctx.json(jack.ports().stream().map(p -> {
            final Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", p.name());
            v.put("client", p.client());
            v.put("direction", p.output() ? "output" : "input");
            v.put("physical", p.physical());
            v.put("connections", p.connections());
            return v;
        }).toList());
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
        } catch (JackGraph.PortException e) {
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
        } catch (JackGraph.PortException e) {
            throw ApiException.invalid(e.field(), "name an existing port: source an output, destination an input",
                    e.getMessage());
        }
        ctx.status(204);
    }

    void linkOptions(Context ctx) {
        ctx.json(LinkArguments.options());
    }

    void counterMeanings(Context ctx) {
        ctx.json(java.util.Arrays.stream(LinkCounter.values())
                .map(c -> Map.of("label", c.label(), "meaning", c.meaning())).toList());
    }

    void checkLink(Context ctx) {
        final Request r = linkRequest(ctx);
        ctx.json(Map.of("commandLine", r.commandLine, "warnings", r.warnings));
    }

    void startLink(Context ctx) {
        final ManagedLink m = start(linkRequest(ctx));
        ctx.status(201).json(Views.link(m, true));
    }

    /**
     * Starts a checked link; a taken port is a 409, a refusing audio backend a 503, a hub that cannot be
     * reached or refuses a 502.
     */
    ManagedLink start(Request r) {
        final ManagedLink m;
        try {
            if (r.command instanceof Command.HubServer hub) {
                m = links.startHubServer(r.options, r.commandLine, hub.config(), r.warnings);
            } else if (r.command instanceof Command.HubClient hub) {
                m = links.startHubClient(r.host, r.options, r.commandLine, r.config, hub.remoteName(), r.warnings);
            } else {
                m = links.start(r.mode, r.host, r.options, r.commandLine, r.config, r.warnings);
            }
        } catch (LinkManager.StartFailed e) {
            if (e.getCause() instanceof org.jamwire.net.HubException) {
                throw new ApiException(502, "hub", null, null, e.getMessage());
            }
            final boolean portTaken = e.getMessage() != null && e.getMessage().contains("port");
            throw new ApiException(portTaken ? 409 : 503, portTaken ? "conflict" : "unavailable", null, null,
                    e.getMessage());
        }
        return m;
    }

    void listLinks(Context ctx) {
        ctx.json(links.list().stream().map(m -> Views.link(m, false)).toList());
    }

    void getLink(Context ctx) {
        ctx.json(Views.link(link(ctx), true));
    }

    void linkCounters(Context ctx) {
        final ManagedLink m = link(ctx);
        ctx.json(m.hub() != null ? Views.hubCounters(m.hub()) : Views.counters(m.link().stats()));
    }

    void hubClients(Context ctx) {
        final ManagedLink m = link(ctx);
        if (m.hub() == null) {
            throw ApiException.notFound("link " + m.id() + " is a " + m.mode() + " link, not a hub server: only a"
                    + " hub server has clients");
        }
        ctx.json(Views.clients(m.hub(), true));
    }

    void stopLink(Context ctx) throws InterruptedException {
        final ManagedLink m = links.stop(link(ctx).id());
        ctx.json(Views.link(m, true));
    }

    /**
     * Runs a latency test on a link: blocks this HTTP thread until the echo came back, or for the
     * timeout. Not streaming, or a test already running, is a 409; no echo a 422.
     */
    void measureLatency(Context ctx) {
        final ManagedLink m = link(ctx);
        if (m.hub() != null) {
            throw new ApiException(409, "conflict", null, null, "link " + m.id() + " is a hub server, which has no"
                    + " audio of its own: run the latency test on a client's end");
        }
        final JsonNode body = ctx.body().isBlank() ? json.createObjectNode() : object(ctx);
        onlyFields(body, "channel", "timeoutMs");
        final int channels = Math.min(m.link().format().sendChannels(), m.link().format().receiveChannels());
        if (channels == 0) {
            throw new ApiException(409, "conflict", null, null, "the link sends " + m.link().format().sendChannels()
                    + " and receives " + m.link().format().receiveChannels() + " channels: a latency test needs a"
                    + " channel it both sends and receives");
        }
        final int channel = wholeNumber(body, "channel", 1, 1, channels,
                "a channel the link both sends and receives");
        final int timeoutMs = wholeNumber(body, "timeoutMs", DEFAULT_LATENCY_TIMEOUT_MS, MIN_LATENCY_TIMEOUT_MS,
                MAX_LATENCY_TIMEOUT_MS, "how long to wait for the echo, in milliseconds");
        try {
            ctx.json(Views.latency(m.measureLatency(channel, Duration.ofMillis(timeoutMs))));
        } catch (LatencyException e) {
            throw switch (e.reason()) {
                case NOT_STREAMING, BUSY -> new ApiException(409, "conflict", null, null, e.getMessage());
                case NO_ECHO -> new ApiException(422, "no_echo", null, null, e.getMessage());
            };
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

    private ManagedLink link(Context ctx) {
        final String id = ctx.pathParam("id");
        final ManagedLink m = id.matches("l[0-9]{1,9}") ? links.get(id) : null;
        if (m == null || !m.attached()) {
            throw ApiException.notFound("no link '" + (id.length() > 40 ? id.substring(0, 40) + "…" : id)
                    + "': GET /api/links lists them");
        }
        return m;
    }

    /**
     * A link request, checked: what it stands for and the link it makes ({@code config}: a hub
     * server's worker template; {@code command}: the P2P link, hub client or hub server).
     */
    record Request(String mode, String host, Map<String, Object> options, String commandLine,
            LinkConfig config, List<String> warnings, Command command) {
    }

    private Request linkRequest(Context ctx) {
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
    Request checked(String mode, String host, Map<String, Object> options) {
        try {
            final List<String> args = LinkArguments.arguments(mode, host, options);
            final Command command = LinkArguments.parseAny(args);
            final String line = LinkArguments.commandLine(args);
            if (command instanceof Command.HubServer hub) {
                final LinkConfig worker = onThisServer(hub.config().worker());
                final HubConfig c = hub.config();
                return new Request(mode, host, options, line, worker, hub.warnings(), new Command.HubServer(
                        new HubConfig(c.tcpPort(), c.udpBasePort(), c.maxClients(), c.patch(), c.includeServer(),
                                c.upmix(), worker, c.auth()), hub.warnings()));
            }
            if (command instanceof Command.HubClient hub) {
                if (hub.login() != null) {
                    throw ApiException.invalid("options.auth", "leave it out", "options.auth: the agent does not log"
                            + " in to an authenticating hub yet (it would need the password); run jamwire -C HOST -A"
                            + " from a terminal, which asks for it");
                }
                final LinkConfig config = onThisServer(hub.config());
                return new Request(mode, host, options, line, config, hub.warnings(),
                        new Command.HubClient(config, hub.remoteName(), hub.login(), hub.warnings()));
            }
            final Command.Run run = (Command.Run) command;
            final LinkConfig config = onThisServer(run.config());
            return new Request(mode, host, options, line, config, run.warnings(), new Command.Run(config, run.warnings()));
        } catch (LinkArguments.InvalidLink e) {
            throw ApiException.invalid(e.problem().field(), e.problem().rule(), e.problem().message());
        }
    }

    /** The config on this agent's JACK server, which is the only one it can use; a link on another is refused. */
    private LinkConfig onThisServer(LinkConfig config) {
        if (config.backend() != LinkConfig.BackendKind.JACK) {
            return config;
        }
        final String server = links.jackServer();
        if (config.jackServerName() != null && !config.jackServerName().equals(server)) {
            throw ApiException.invalid("options.jack-server", "use '" + server + "' or leave it out",
                    "options.jack-server: this agent uses the JACK server '" + server + "', and one"
                            + " process can only talk to one JACK server; run another agent for server '"
                            + config.jackServerName() + "'");
        }
        return config.toBuilder().jackServerName(server).build();
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

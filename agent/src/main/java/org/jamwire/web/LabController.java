package org.jamwire.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jamwire.options.LinkArguments;
import org.jamwire.control.JackMonitor;
import org.jamwire.control.LinkManager;
import org.jamwire.control.LinkRequest;
import org.jamwire.coordinator.Lab;
import org.jamwire.coordinator.Peer;
import org.jamwire.coordinator.Preflight;
import org.jamwire.coordinator.SshConfigHosts;
import org.jamwire.coordinator.SshException;

/**
 * The lab endpoints: peers reached over ssh, their host keys, probes and the pre-flight. Thin:
 * the coordinator does the work. Called on HTTP threads; a probe blocks its thread for as long as
 * ssh's bounded waits allow.
 */
final class LabController {

    private final ObjectMapper json;
    private final Lab lab;
    private final JackMonitor jack;
    private final Map<String, Instant> probedAt = new ConcurrentHashMap<>();
    private final Map<String, String> hostKeyState = new ConcurrentHashMap<>();

    private static final List<String> PEER_FIELDS = List.of("name", "host", "port", "user", "key", "jackServer",
            "agentPort", "agentToken");

    LabController(ObjectMapper json, Lab lab, JackMonitor jack) {
        this.json = json;
        this.lab = lab;
        this.jack = jack;
    }

    /** A peer as the API shows it, with what this agent knows of its host key and last probe. */
    Map<String, Object> view(Peer p) {
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", p.name());
        v.put("host", p.host());
        v.put("port", p.port());
        v.put("user", p.user());
        v.put("key", p.key().toString());
        v.put("jackServer", p.jackServer());
        v.put("agentPort", p.agentPort());
        v.put("agentToken", p.agentToken());
        v.put("hostKey", hostKeyState.getOrDefault(p.name(), "unchecked"));
        v.put("report", p.report());
        final Instant at = probedAt.get(p.name());
        v.put("probedAt", at == null ? null : at.toString());
        return v;
    }

    void list(Context ctx) {
        ctx.json(lab.peers().stream().map(this::view).toList());
    }

    void sshConfig(Context ctx) throws IOException {
        ctx.json(SshConfigHosts.read(Path.of(System.getProperty("user.home"), ".ssh", "config"),
                System.getProperty("user.name")));
    }

    void add(Context ctx) throws IOException {
        final JsonNode b = Bodies.object(json, ctx);
        Bodies.onlyFields(b, PEER_FIELDS, null);
        final Peer peer;
        try {
            peer = new Peer(Bodies.text(b, "name", true), Bodies.text(b, "host", true),
                    b.path("port").isMissingNode() ? 22 : port(b, "port"), Bodies.text(b, "user", true),
                    Path.of(Bodies.text(b, "key", true)),
                    b.hasNonNull("jackServer") ? Bodies.text(b, "jackServer", true) : "default",
                    b.has("agentPort") ? port(b, "agentPort") : Peer.DEFAULT_AGENT_PORT,
                    b.hasNonNull("agentToken") ? Bodies.text(b, "agentToken", true) : Peer.DEFAULT_AGENT_TOKEN, null);
        } catch (IllegalArgumentException e) {
            final String m = e.getMessage();
            final int colon = m.indexOf(':');
            throw ApiException.invalid(colon > 0 ? m.substring(0, colon) : "body", m.substring(colon + 1).trim(), m);
        }
        try {
            ctx.status(201).json(view(lab.add(peer)));
        } catch (Lab.LabException e) {
            throw new ApiException(409, "conflict", e.field(), "a new name", e.getMessage());
        }
    }

    void remove(Context ctx) throws IOException {
        if (!lab.remove(ctx.pathParam("name"))) {
            throw ApiException.notFound("no peer named '" + Bodies.clip(ctx.pathParam("name")) + "'");
        }
        ctx.status(204);
    }

    /** Something done to a peer over ssh that answers it probed again. */
    @FunctionalInterface
    private interface PeerAction {
        Peer run(String name) throws Lab.LabException, SshException, IOException;
    }

    /** Something done to a peer over ssh that answers its view (the peer probed again, and more). */
    @FunctionalInterface
    private interface ViewAction {
        Map<String, Object> run(String name) throws Lab.LabException, SshException, IOException;
    }

    /** Runs an action on the peer the path names and answers the peer, or the error that stopped it. */
    private void answerPeer(Context ctx, PeerAction action) {
        answerView(ctx, n -> view(action.run(n)));
    }

    /** Runs an action on the peer the path names and answers what it gives, or the error that stopped it. */
    private void answerView(Context ctx, ViewAction action) {
        final String name = ctx.pathParam("name");
        try {
            final Map<String, Object> v = action.run(name);
            final Instant now = Instant.now();
            hostKeyState.put(name, "known");
            probedAt.put(name, now);
            // The view was made before the action's success was recorded.
            v.put("hostKey", "known");
            v.put("probedAt", now.toString());
            ctx.json(v);
        } catch (Lab.LabException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (SshException e) {
            throw sshError(name, e);
        } catch (IOException | IllegalStateException e) {
            throw new ApiException(502, "ssh", null, null, e.getMessage());
        }
    }

    void probe(Context ctx) {
        answerPeer(ctx, lab::probe);
    }

    private ApiException sshError(String name, SshException e) {
        switch (e.kind()) {
            case UNKNOWN_HOST_KEY -> {
                hostKeyState.put(name, "unknown");
                return new SshErrors.HostKey("unknown_host_key", e);
            }
            case CHANGED_HOST_KEY -> {
                hostKeyState.put(name, "changed");
                return new SshErrors.HostKey("changed_host_key", e);
            }
            default -> {
                return new SshErrors.Failure(e);
            }
        }
    }

    void trust(Context ctx) {
        final JsonNode b = Bodies.object(json, ctx);
        final String name = ctx.pathParam("name");
        try {
            lab.trust(name, b.path("fingerprint").isTextual() ? b.get("fingerprint").asText() : null);
            hostKeyState.put(name, "known");
            ctx.status(204);
        } catch (Lab.LabException e) {
            if (e.field() != null) {
                throw ApiException.invalid(e.field(), "SHA256: and 43 characters", e.getMessage());
            }
            throw ApiException.notFound(e.getMessage());
        } catch (SshException e) {
            if (e.kind() == SshException.Kind.FAILED && e.getMessage().contains("now presents the key")) {
                throw new ApiException(409, "conflict", "fingerprint", "the fingerprint the host presents now",
                        e.getMessage());
            }
            throw sshError(name, e);
        }
    }

    void linkTest(Context ctx) {
        final String name = ctx.pathParam("name");
        final JsonNode b = Bodies.objectOrEmpty(json, ctx);
        final int seconds = b.path("seconds").asInt(5);
        final int port = b.path("port").asInt(0);
        if (seconds < 1 || seconds > 60) {
            throw ApiException.invalid("seconds", "1 to 60", "seconds: how long to send, 1 to 60");
        }
        if (port < 0 || port > 65535) {
            throw ApiException.invalid("port", "0 to 65535", "port: the UDP port the echo binds on the peer, or 0"
                    + " (the default) for the first free lab link port");
        }
        final Map<String, Object> options = Bodies.options(b.get("options"));
        final LinkRequest.Shape config = shape(options);
        final JackMonitor.State here = jack.state();
        final int rate = config.rateOn(here.sampleRate());
        final int frames = config.expectedBufferSize() > 0 ? config.expectedBufferSize()
                : config.periodOn(here.bufferSize());
        if (rate <= 0 || frames <= 0) {
            throw new ApiException(503, "unavailable", null, null, "JACK is not running here, so the link's rate and"
                    + " period are not known: start JACK, or give options.backend builtin with rate and buffersize");
        }
        final int bytes = config.datagramBytes(frames);
        try {
            ctx.json(lab.linkTest(name, bytes, Math.round(1e9 * frames / rate), seconds, port));
        } catch (Lab.LabException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (SshException e) {
            throw sshError(name, e);
        } catch (IOException e) {
            throw new ApiException(502, "ssh", null, null, e.getMessage());
        }
    }

    void matchJack(Context ctx) {
        final JsonNode b = Bodies.objectOrEmpty(json, ctx);
        final JackMonitor.State here = jack.state();
        final int rate = b.path("sampleRate").asInt(here.sampleRate());
        final int frames = b.path("bufferSize").asInt(here.bufferSize());
        if (rate < 8000 || rate > 192_000) {
            throw ApiException.invalid("sampleRate", "8000 to 192000", "sampleRate: give the rate, or start JACK here"
                    + " so that its own is used");
        }
        if (frames < 16 || frames > 8192) {
            throw ApiException.invalid("bufferSize", "16 to 8192", "bufferSize: give the period in frames, or start"
                    + " JACK here so that its own is used");
        }
        answerView(ctx, n -> {
            final Lab.Matched m = lab.matchJack(n, rate, frames);
            final Map<String, Object> v = view(m.peer());
            v.put("restarted", m.restarted());
            return v;
        });
    }

    void startAgent(Context ctx) {
        answerPeer(ctx, lab::startAgent);
    }

    void linkTests(Context ctx) {
        ctx.json(lab.linkTests(ctx.pathParam("name")));
    }

    void preflight(Context ctx) {
        final JsonNode b = Bodies.object(json, ctx);
        final String name = b.path("peer").isTextual() ? b.get("peer").asText() : null;
        if (name == null) {
            throw ApiException.invalid("peer", "a peer's name", "peer: missing");
        }
        final Map<String, Object> options = Bodies.options(b.get("options"));
        final LinkRequest.Shape config = shape(options);
        final Peer peer;
        try {
            peer = lab.probe(name);
            hostKeyState.put(name, "known");
            probedAt.put(name, Instant.now());
        } catch (Lab.LabException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (SshException e) {
            throw sshError(name, e);
        }
        final String clientName = b.path("client").isTextual() && !b.get("client").asText().equals("here")
                ? b.get("client").asText() : null;
        Peer client = null;
        if (clientName != null) {
            if (clientName.equals(name)) {
                throw ApiException.invalid("client", "another peer than the server's", "client: the server and the"
                        + " client must be two machines");
            }
            try {
                client = lab.probe(clientName);
                hostKeyState.put(clientName, "known");
                probedAt.put(clientName, Instant.now());
            } catch (Lab.LabException e) {
                throw ApiException.invalid("client", "here, or a peer's name", "client: " + e.getMessage());
            } catch (SshException e) {
                throw sshError(clientName, e);
            }
        }
        final JackMonitor.State here = jack.state();
        final String queue = config.queue();
        // On the built-in backend neither end needs JACK: both run at the rate and period asked for.
        final boolean builtin = config.builtin();
        final int rate = config.rateOn(client == null ? here.sampleRate() : client.report().sampleRate());
        final int frames = config.periodOn(client == null ? here.bufferSize() : client.report().bufferSize());
        final Preflight p = Preflight.compare(
                new Preflight.End(client == null ? "this machine" : client.name(), rate, frames,
                        config.bitResolution(), config.sendChannels(), config.receiveChannels(), queue),
                new Preflight.End(peer.name(), builtin ? rate : peer.report().sampleRate(),
                        builtin ? frames : peer.report().bufferSize(),
                        config.bitResolution(), config.receiveChannels(), config.sendChannels(), queue,
                        !builtin && peer.report().onPipeWire()));
        final Map<String, Object> v = new LinkedHashMap<>();
        v.put("ok", p.ok());
        v.put("rows", p.rows());
        v.put("fixes", p.fixes());
        v.put("peer", view(peer));
        if (client != null) {
            v.put("client", view(client));
        }
        ctx.json(v);
    }

    private static LinkRequest.Shape shape(Map<String, Object> options) {
        try {
            return LinkManager.shape(options);
        } catch (LinkArguments.InvalidLink e) {
            throw Controllers.invalid(e);
        }
    }

    /** A TCP port field. */
    private static int port(JsonNode b, String field) {
        final JsonNode v = b.get(field);
        if (!v.isInt() || v.asInt() < 1 || v.asInt() > 65535) {
            throw ApiException.invalid(field, "a whole number from 1 to 65535", field + ": use a whole number from 1"
                    + " to 65535");
        }
        return v.asInt();
    }
}

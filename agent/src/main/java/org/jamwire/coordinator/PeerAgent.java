package org.jamwire.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * A peer's JamWire agent, reached through an ssh tunnel to the peer's own loopback, where it stays
 * bound, with its token read from its token file over the same ssh session; or this machine's own
 * agent, reached directly ({@link #here}), where an ensemble's hub runs on this machine. Answers are
 * checked as JSON; a refusal becomes an {@link AgentError} carrying the agent's own message. Called
 * on control threads; lives as long as its ssh session.
 */
public final class PeerAgent {

    /** No agent answers on the peer; the message says what was found and how to start one. */
    public static final class NoAgent extends IOException {
        private static final long serialVersionUID = 1L;

        NoAgent(String message) {
            super(message);
        }
    }

    /** The peer's agent refused a request; the message is its own, with the status. */
    public static final class AgentError extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        AgentError(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status it answered. */
        public int status() {
            return status;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a request waits for the agent's answer, beyond what the request itself waits for. */
    private static final int ANSWER_MARGIN_MILLIS = 5000;
    /** How long the agent's latency test waits for its echo. */
    static final Duration ECHO_WAIT = Duration.ofSeconds(2);

    /** What messages call this machine. */
    static final String THIS_MACHINE = "this machine";

    private final SshSession ssh;
    private final Peer peer;
    private final String name;
    private final String host;
    private final int agentPort;
    private final String token;
    private final int localPort;

    private PeerAgent(SshSession ssh, Peer peer, String token, int localPort) {
        this.ssh = ssh;
        this.peer = peer;
        this.name = peer.name();
        this.host = "127.0.0.1";
        this.agentPort = peer.agentPort();
        this.token = token;
        this.localPort = localPort;
    }

    private PeerAgent(String host, int port, String token) {
        this.ssh = null;
        this.peer = null;
        this.name = THIS_MACHINE;
        this.host = host;
        this.agentPort = port;
        this.token = token;
        this.localPort = port;
    }

    /**
     * This machine's own agent, as an ensemble whose hub runs here reaches it: the same API, asked
     * directly.
     *
     * @param listenAddress the address it listens on; a wildcard is reached on 127.0.0.1
     * @param port its port
     * @param token its token
     */
    public static PeerAgent here(String listenAddress, int port, String token) {
        final boolean wildcard = listenAddress.equals("0.0.0.0") || listenAddress.equals("::")
                || listenAddress.equals("[::]");
        return new PeerAgent(wildcard ? "127.0.0.1" : listenAddress, port, token);
    }

    /**
     * Finds the peer's agent: reads its token over ssh, opens the tunnel and asks its health.
     *
     * @throws NoAgent when there is no token file, or nothing answers behind the tunnel
     */
    public static PeerAgent find(SshSession ssh, Peer peer) throws SshException, IOException {
        final SshSession.Result read = ssh.run(RemoteCommand.of(PeerPrograms.READ_TOKEN, peer.agentToken()));
        final String token = read.stdout().trim();
        if (read.exitStatus() != 0 || !token.matches("[0-9a-fA-F]{32,128}")) {
            throw new NoAgent("no JamWire agent runs on " + peer.name() + " (no token in " + shown(peer.agentToken())
                    + "): start one there (jamwire agent), or from the Lab view");
        }
        final PeerAgent agent = new PeerAgent(ssh, peer, token, ssh.forward(peer.agentPort()));
        try {
            agent.get("/api/health");
        } catch (AgentError e) {
            throw new NoAgent("the agent on " + peer.name() + " refused its own token from " + shown(peer.agentToken())
                    + " (" + e.getMessage() + "): is another agent on port " + peer.agentPort() + "?");
        } catch (IOException e) {
            throw new NoAgent("a token is on " + peer.name() + ", but no agent answered on its port "
                    + peer.agentPort() + ": " + e.getMessage());
        }
        return agent;
    }

    private static String shown(String path) {
        return path.startsWith("/") ? path : "~/" + path;
    }

    /** The peer, or null for this machine's own agent. */
    public Peer peer() {
        return peer;
    }

    /** The peer's name, or "this machine". */
    public String name() {
        return name;
    }

    /** The port the agent listens on, on its own machine. */
    int agentPort() {
        return agentPort;
    }

    /** Whether the ssh session it is reached through is still up (always, for this machine's own agent). */
    boolean reachable() {
        return ssh == null || ssh.isOpen();
    }

    /** The agent's token. */
    String token() {
        return token;
    }

    /** The local end of the tunnel to the agent's port. */
    int localPort() {
        return localPort;
    }

    /** GETs a path; the JSON answer. */
    public JsonNode get(String path) throws IOException {
        return call("GET", path, null);
    }

    /** POSTs a JSON body (or none) to a path; the JSON answer, or null for none. */
    public JsonNode post(String path, Object body) throws IOException {
        return call("POST", path, body == null ? null : JSON.writeValueAsString(body));
    }

    /**
     * Runs the latency test of the agent's link {@code link} on channel 1: the agent waits up to
     * {@link #ECHO_WAIT} for the echo, and this call that long and {@value #ANSWER_MARGIN_MILLIS} ms
     * more for the answer.
     */
    public JsonNode measureLatency(String link) throws IOException {
        return call("POST", "/api/links/" + link + "/latency",
                JSON.writeValueAsString(Map.of("channel", 1, "timeoutMs", ECHO_WAIT.toMillis())),
                (int) ECHO_WAIT.toMillis() + ANSWER_MARGIN_MILLIS);
    }

    /** DELETEs a path; the JSON answer, or null for none. */
    public JsonNode delete(String path) throws IOException {
        return call("DELETE", path, null);
    }

    private JsonNode call(String method, String path, String body) throws IOException {
        return call(method, path, body, ANSWER_MARGIN_MILLIS);
    }

    private JsonNode call(String method, String path, String body, int readMillis) throws IOException {
        if (!reachable()) {
            throw new IOException("the ssh session to " + name + " is closed");
        }
        final TunnelHttp.Answer a;
        try {
            a = TunnelHttp.request(host, localPort, agentPort, method, path, token, body, readMillis);
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("the agent on " + name + " gave " + e.getMessage());
        }
        JsonNode n = null;
        if (!a.body().isBlank()) {
            try {
                n = JSON.readTree(a.body());
            } catch (JsonProcessingException e) {
                throw new IOException("the agent on " + name + " answered " + method + " " + path + " with"
                        + " something that is not JSON (status " + a.status() + ")");
            }
        }
        if (a.status() / 100 != 2) {
            final String message = n != null && n.path("message").isTextual() ? n.get("message").asText()
                    : "status " + a.status();
            throw new AgentError(a.status(), "the agent on " + name + ": " + message);
        }
        return n;
    }
}

package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Starts both ends of a link as one job: the server on a peer, the client on this machine or on a
 * second peer. It checks the peers, starts the server (through the peer's own agent where one runs,
 * else JamWire, or jacktrip where only jacktrip is installed, in the foreground of an ssh channel),
 * waits until it listens, then starts the client; it stops both together. Each step's progress is
 * kept and reported as it changes. Runs on a control thread of its own.
 */
public final class PairJob implements AutoCloseable {

    /** Where a step is. */
    public enum State { PENDING, RUNNING, DONE, FAILED }

    /**
     * One step.
     *
     * @param name what it does
     * @param state where it is
     * @param detail what happened, or why it failed and how to fix it
     */
    public record Step(String name, State state, String detail) {
    }

    /** Starts this machine's end; the agent's link manager does it. */
    @FunctionalInterface
    public interface LocalEnd {
        /**
         * Starts the client end and returns its link id.
         *
         * @throws Exception with a message for the user when it cannot
         */
        String startClient(String host, Map<String, Object> options) throws Exception;
    }

    /**
     * What the client end asks for, as far as the pre-flight compares it.
     *
     * @param sampleRate this machine's rate, when the client is here
     * @param bufferSize this machine's period, when the client is here
     * @param builtin whether the link runs on the built-in backend, which needs no JACK
     */
    public record Ask(int sampleRate, int bufferSize, int bits, int sendChannels, int receiveChannels, String queue,
            boolean builtin) {
    }

    /** A started end on a peer: through its agent, or in an ssh channel. */
    private interface Remote extends AutoCloseable {
        boolean running();

        /** The link's id on the peer's agent, or null in an ssh channel. */
        String link();

        String output();

        @Override
        void close();
    }

    /** Measures the round trip on a link of this machine, as POST /api/links/{id}/latency does. */
    @FunctionalInterface
    public interface LocalLatency {
        Object measure(String linkId) throws Exception;
    }

    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(15);
    private static final String HERE = "here";

    private final String id;
    private final List<Step> steps = new ArrayList<>();
    private final String[] names;
    private final Consumer<PairJob> onChange;
    private final List<SshSession> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Remote server;
    private volatile Remote client;
    private volatile String localLink;
    private volatile String program;
    private final Instant started = Instant.now();
    private final String serverPeer;
    private final String clientPeer;
    private final int serverPort;
    private volatile boolean stopped;

    /**
     * @param serverPeer the peer that runs the server
     * @param clientPeer the peer that runs the client, or null for this machine
     * @param port the UDP port the server binds on its peer
     */
    public PairJob(String id, String serverPeer, String clientPeer, int port, Consumer<PairJob> onChange) {
        this.id = id;
        this.onChange = onChange;
        this.serverPeer = serverPeer;
        this.clientPeer = clientPeer;
        this.serverPort = port;
        final List<String> n = new ArrayList<>(List.of("connect to " + serverPeer));
        if (clientPeer != null) {
            n.add("connect to " + clientPeer);
        }
        n.addAll(List.of("check both ends", "start the server on " + serverPeer, "wait until it listens",
                "start the client " + (clientPeer == null ? "here" : "on " + clientPeer)));
        names = n.toArray(new String[0]);
        for (String s : names) {
            steps.add(new Step(s, State.PENDING, null));
        }
    }

    /** The job's id. */
    public String id() {
        return id;
    }

    /** When it started. */
    public Instant started() {
        return started;
    }

    /** The steps as they are now. */
    public synchronized List<Step> steps() {
        return List.copyOf(steps);
    }

    /** The local link's id once started here, or null. */
    public String localLink() {
        return localLink;
    }

    /** The server's link id on its peer's agent, or null when it runs in an ssh channel or has not started. */
    public String serverLink() {
        final Remote s = server;
        return s == null ? null : s.link();
    }

    /** The client's link id: here, or on its peer's agent; null in an ssh channel or before it starts. */
    public String clientLink() {
        if (clientPeer == null) {
            return localLink;
        }
        final Remote c = client;
        return c == null ? null : c.link();
    }

    private volatile Object latency;

    /** Keeps the last latency measurement, for the pair's view. */
    public void recordLatency(Object result) {
        latency = result;
    }

    /** The last latency measurement, or null. */
    public Object lastLatency() {
        return latency;
    }

    /** The peer that runs the server. */
    public String peer() {
        return serverPeer;
    }

    /** The peer that runs the client, or {@code here}. */
    public String client() {
        return clientPeer == null ? HERE : clientPeer;
    }

    /** The server's UDP port on the peer. */
    public int port() {
        return serverPort;
    }

    /** {@code starting}, {@code running} (both ends run), {@code failed} or {@code stopped}. */
    public synchronized String state() {
        if (stopped) {
            return "stopped";
        }
        if (steps.stream().anyMatch(s -> s.state() == State.FAILED)) {
            return "failed";
        }
        return steps.stream().allMatch(s -> s.state() == State.DONE) ? "running" : "starting";
    }

    /** {@code agent}, {@code jamwire} or {@code jacktrip}: what runs the server on the peer, or null before it starts. */
    public String peerProgram() {
        return program;
    }

    /** Whether the server still runs on the peer. */
    public boolean serverRunning() {
        final Remote s = server;
        return s != null && s.running();
    }

    /** The server's output on the peer so far (none when its agent runs it). */
    public String serverOutput() {
        final Remote s = server;
        return s == null ? "" : s.output();
    }

    /** The session to the server's peer, while the job holds it. */
    SshSession serverSession() {
        return sessions.isEmpty() ? null : sessions.get(0);
    }

    private void step(int i, State state, String detail) {
        synchronized (this) {
            steps.set(i, new Step(names[i], state, detail));
        }
        onChange.accept(this);
    }

    /**
     * Runs the job: returns when both ends run, or at the first failure (recorded in its step,
     * with everything started so far stopped again).
     *
     * @param lab the peers
     * @param ask what the client end asks for, for the pre-flight
     * @param options the link's options for the client end, as for POST /api/links
     * @param local starts the client here, when it is here
     * @return whether both ends run
     */
    public boolean run(Lab lab, Ask ask, Map<String, Object> options, LocalEnd local) {
        int at = 0;
        try {
            step(at, State.RUNNING, null);
            final Peer sp = lab.get(serverPeer);
            final SshSession sssh = open(lab, sp);
            final PeerReport sr = PeerProbe.probe(sssh, sp);
            step(at, State.DONE, "ssh to " + sp.target() + ": " + sr.os() + agentNote(sr));

            Peer cp = null;
            SshSession cssh = null;
            PeerReport cr = null;
            if (clientPeer != null) {
                at++;
                step(at, State.RUNNING, null);
                cp = lab.get(clientPeer);
                cssh = open(lab, cp);
                cr = PeerProbe.probe(cssh, cp);
                step(at, State.DONE, "ssh to " + cp.target() + ": " + cr.os() + agentNote(cr));
            }

            at++;
            step(at, State.RUNNING, null);
            final String failure = check(sp, sr, cp, cr, ask);
            if (failure != null) {
                step(at, State.FAILED, failure);
                close();
                return false;
            }
            step(at, State.DONE, ask.builtin() ? "both on the built-in backend at " + ask.sampleRate() + " Hz, "
                    + ask.bufferSize() + " frames" : "both at " + (cr == null ? ask.sampleRate() : cr.sampleRate())
                            + " Hz, " + (cr == null ? ask.bufferSize() : cr.bufferSize()) + " frames");

            at++;
            step(at, State.RUNNING, null);
            // A JamWire server takes its peer only from the client's address; jacktrip cannot be told.
            final List<String> unpinned = new ArrayList<>();
            final String pin = sr.agentRunning() || sr.jamwireVersion() != null
                    ? ClientAddress.find(sssh, cssh, sp.host(), unpinned) : null;
            final Map<String, Object> serverSide = new LinkedHashMap<>(options);
            if (pin != null) {
                serverSide.put("peer", pin);
            }
            final String pinNote = pin != null ? "; it takes its peer from " + pin + " only"
                    : unpinned.isEmpty() ? "" : "; its peer is not pinned: " + unpinned.get(0);
            if (sr.agentRunning()) {
                final PeerAgent agent = PeerAgent.find(sssh, sp);
                final JsonNode link = agent.post("/api/links", Map.of("mode", "server", "options",
                        ServerCommand.serverOptions(withoutJackServer(serverSide), serverPort)));
                server = new AgentLink(agent, link.path("id").asText());
                program = "agent";
                step(at, State.DONE, "link " + server.link() + " on " + sp.name() + "'s agent: "
                        + link.path("commandLine").asText("") + pinNote);
            } else {
                final RemoteCommand command = ServerCommand.forPeer(sr, sp.jackServer(), serverSide, serverPort);
                program = command.argv().get(0).equals("env") ? "jacktrip" : "jamwire";
                server = new ChannelLink(sssh.start(command));
                step(at, State.DONE, program + " on " + sp.name() + ": " + ServerCommand.shown(command) + pinNote);
            }

            at++;
            step(at, State.RUNNING, null);
            final String listening = awaitListening(server, program);
            if (listening != null) {
                step(at, State.FAILED, program + " on " + sp.name() + " did not start listening" + listening);
                close();
                return false;
            }
            step(at, State.DONE, "listening on UDP port " + serverPort);

            at++;
            step(at, State.RUNNING, null);
            if (cp == null) {
                final Map<String, Object> here = new LinkedHashMap<>(options);
                here.put("peerport", serverPort);
                localLink = local.startClient(sp.host(), here);
                step(at, State.DONE, "link " + localLink + " connects to " + sp.host() + ":" + serverPort);
            } else if (cr.agentRunning()) {
                final PeerAgent agent = PeerAgent.find(cssh, cp);
                final JsonNode link = agent.post("/api/links", Map.of("mode", "client", "host", sp.host(), "options",
                        ServerCommand.clientOptions(options, serverPort)));
                client = new AgentLink(agent, link.path("id").asText());
                step(at, State.DONE, "link " + client.link() + " on " + cp.name() + "'s agent connects to "
                        + sp.host() + ":" + serverPort);
            } else {
                final RemoteCommand command = ServerCommand.clientForPeer(cr, cp.jackServer(), options, sp.host(),
                        serverPort);
                client = new ChannelLink(cssh.start(command));
                step(at, State.DONE, ServerCommand.shown(command) + " on " + cp.name());
            }
            return true;
        } catch (Exception e) {
            step(at, State.FAILED, e.getMessage());
            close();
            return false;
        }
    }

    private SshSession open(Lab lab, Peer peer) throws SshException {
        final SshSession s = lab.connect(peer);
        sessions.add(s);
        if (stopped) {
            close();
            throw new IllegalStateException("the pair was stopped");
        }
        return s;
    }

    private static String agentNote(PeerReport r) {
        return r.agentRunning() ? "; its agent runs" : r.jamwireVersion() != null ? "; JamWire " + r.jamwireVersion()
                + " without an agent" : r.jacktripVersion() != null ? "; jacktrip " + r.jacktripVersion() : "";
    }

    /** The pre-flight between the two ends, or null when they fit; else the fixes. */
    private String check(Peer sp, PeerReport sr, Peer cp, PeerReport cr, Ask ask) {
        final Preflight.End clientEnd = cp == null
                ? new Preflight.End("this machine", ask.sampleRate(), ask.bufferSize(), ask.bits(),
                        ask.sendChannels(), ask.receiveChannels(), ask.queue())
                : new Preflight.End(cp.name(), ask.builtin() ? ask.sampleRate() : cr.sampleRate(),
                        ask.builtin() ? ask.bufferSize() : cr.bufferSize(), ask.bits(), ask.sendChannels(),
                        ask.receiveChannels(), ask.queue());
        // On the built-in backend neither end needs JACK: the peers run at the rate asked for.
        final Preflight check = Preflight.compare(clientEnd, new Preflight.End(sp.name(),
                ask.builtin() ? clientEnd.sampleRate() : sr.sampleRate(),
                ask.builtin() ? clientEnd.bufferSize() : sr.bufferSize(), ask.bits(), ask.receiveChannels(),
                ask.sendChannels(), ask.queue()));
        if (!check.ok()) {
            return String.join("; ", check.fixes());
        }
        if (!sr.freePorts().isEmpty() && !sr.freePorts().contains(serverPort)
                && PeerProbe.LINK_PORTS.contains(serverPort)) {
            return "UDP port " + serverPort + " is taken on " + sp.name() + ": pick one of " + sr.freePorts();
        }
        return null;
    }

    private static Map<String, Object> withoutJackServer(Map<String, Object> options) {
        final Map<String, Object> m = new LinkedHashMap<>(options);
        m.remove("jack-server");
        return m;
    }

    /** Null once the server listens; else why not, for the step's message. */
    private static String awaitListening(Remote server, String program) {
        final long deadline = System.nanoTime() + LISTEN_TIMEOUT.toNanos();
        if (server instanceof ChannelLink c) {
            final String sign = program.equals("jamwire") ? "waiting for a client" : "Waiting for Peer";
            if (c.running.awaitOutput(sign, LISTEN_TIMEOUT)) {
                return null;
            }
            return (c.running() ? " within " + LISTEN_TIMEOUT.toSeconds() + " s" : " (it exited "
                    + c.running.exitStatus() + ")") + ": " + tail(c.output());
        }
        final AgentLink a = (AgentLink) server;
        String last = "";
        while (System.nanoTime() - deadline < 0) {
            try {
                final JsonNode link = a.agent.get("/api/links/" + a.id);
                last = link.path("state").asText("");
                if (last.equals("waiting") || last.equals("streaming")) {
                    return null;
                }
                if (last.equals("failed") || last.equals("stopped")) {
                    return ": the link " + last + ": " + link.path("failure").asText("");
                }
            } catch (IOException e) {
                last = e.getMessage();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        return " within " + LISTEN_TIMEOUT.toSeconds() + " s (" + last + ")";
    }

    /**
     * The latency test through the far end: loops the server's receive port of channel 1 to its
     * send port (through its agent, or with jack_connect over ssh), measures the round trip at the
     * client, and undoes the loop.
     *
     * @return the measurement, as the client's agent answers it
     * @throws IllegalStateException when the pair does not run both ends
     * @throws PeerAgent.AgentError when a peer's agent refuses, with its status and words
     */
    public Object latency(Lab lab, LocalLatency local) throws Exception {
        if (!"running".equals(state())) {
            throw new IllegalStateException("the pair " + id + " is " + state() + ": a latency test needs both ends"
                    + " running");
        }
        final Remote far = server;
        final String in;
        final String out;
        final SshSession ssh = serverSession();
        final Peer sp = lab.get(serverPeer);
        if (far instanceof AgentLink a) {
            final String name = a.agent.get("/api/links/" + a.id).path("clientName").asText("JackTrip");
            in = name + ":receive_1";
            out = name + ":send_1";
            a.agent.post("/api/jack/connections", Map.of("source", in, "destination", out));
        } else {
            in = "JackTrip:receive_1";
            out = "JackTrip:send_1";
            final SshSession.Result r = ssh.run(RemoteCommand.of(PeerPrograms.JACK_LOOP, "JACK_NO_START_SERVER=1",
                    "JACK_DEFAULT_SERVER=" + sp.jackServer(), "jack_connect", in, out));
            if (r.exitStatus() != 0) {
                throw new IOException("cannot loop " + in + " to " + out + " on " + serverPeer + ": "
                        + (r.stdout() + r.stderr()).strip());
            }
        }
        try {
            if (clientPeer == null) {
                return local.measure(localLink);
            }
            final AgentLink near = (AgentLink) client;
            if (near == null || near.id == null) {
                throw new IllegalStateException("the client on " + clientPeer + " runs without an agent there: start"
                        + " one to measure the latency");
            }
            return near.agent.post("/api/links/" + near.id + "/latency", Map.of());
        } finally {
            if (far instanceof AgentLink a) {
                try {
                    a.agent.delete("/api/jack/connections?source=" + java.net.URLEncoder.encode(in,
                            java.nio.charset.StandardCharsets.UTF_8) + "&destination=" + java.net.URLEncoder.encode(out,
                                    java.nio.charset.StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // The loop stays until the link stops; the test's answer matters more.
                }
            } else {
                ssh.run(RemoteCommand.of(PeerPrograms.JACK_LOOP, "JACK_NO_START_SERVER=1",
                        "JACK_DEFAULT_SERVER=" + sp.jackServer(), "jack_disconnect", in, out));
            }
        }
    }

    private static String tail(String output) {
        final String t = output.strip();
        return t.length() > 400 ? "…" + t.substring(t.length() - 400) : t;
    }

    /**
     * Stops both ends on the peers and closes the ssh sessions; the local link is the caller's to
     * stop.
     */
    @Override
    public void close() {
        stopped = steps().stream().noneMatch(s -> s.state() == State.FAILED);
        for (Remote r : new Remote[] {client, server}) {
            if (r != null) {
                r.close();
            }
        }
        for (SshSession s : sessions) {
            s.close();
        }
    }

    /** A link on a peer's agent. */
    private static final class AgentLink implements Remote {
        final PeerAgent agent;
        final String id;
        volatile boolean closed;

        AgentLink(PeerAgent agent, String id) throws IOException {
            if (!id.matches("l[0-9]{1,9}")) {
                throw new IOException("the agent on " + agent.peer().name() + " answered a link id that is not one");
            }
            this.agent = agent;
            this.id = id;
        }

        @Override
        public boolean running() {
            return !closed;
        }

        @Override
        public String link() {
            return id;
        }

        @Override
        public String output() {
            return "";
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                try {
                    agent.delete("/api/links/" + id);
                } catch (IOException e) {
                    // The session is going: the peer's link is then left to its agent, which the user sees.
                }
            }
        }
    }

    /** A link in the foreground of an ssh channel. */
    private static final class ChannelLink implements Remote {
        final SshSession.Running running;

        ChannelLink(SshSession.Running running) {
            this.running = running;
        }

        @Override
        public boolean running() {
            return running.isRunning();
        }

        @Override
        public String link() {
            return null;
        }

        @Override
        public String output() {
            return running.output();
        }

        @Override
        public void close() {
            running.close();
        }
    }
}

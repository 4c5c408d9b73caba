package org.jamwire.coordinator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts both ends of a link as one job: checks the peer, starts the server there (JamWire, or
 * jacktrip where only jacktrip is installed) in the foreground of an ssh channel, waits until it
 * listens, then starts the client on this machine; stops both together. Each step's progress is
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

    /** Stops this machine's end. */
    @FunctionalInterface
    public interface LocalStop {
        void stop(String linkId);
    }

    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(15);
    private static final String[] STEPS = {"connect to the peer", "check both ends", "start the server on the peer",
        "wait until it listens", "start the client here"};

    private final String id;
    private final List<Step> steps = new ArrayList<>();
    private final Consumer<PairJob> onChange;
    private volatile SshSession ssh;
    private volatile SshSession.Running server;
    private volatile String localLink;
    private volatile String program;
    private final Instant started = Instant.now();
    private volatile String peerName;
    private volatile int serverPort;
    private volatile boolean stopped;

    public PairJob(String id, Consumer<PairJob> onChange) {
        this.id = id;
        this.onChange = onChange;
        for (String s : STEPS) {
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

    /** The local link's id once started, or null. */
    public String localLink() {
        return localLink;
    }

    /** The peer that runs the server, once the job has begun. */
    public String peer() {
        return peerName;
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

    /** {@code jamwire} or {@code jacktrip}: what runs on the peer, or null before it starts. */
    public String peerProgram() {
        return program;
    }

    /** Whether the server still runs on the peer. */
    public boolean serverRunning() {
        final SshSession.Running s = server;
        return s != null && s.isRunning();
    }

    /** The server's output on the peer so far. */
    public String serverOutput() {
        final SshSession.Running s = server;
        return s == null ? "" : s.output();
    }

    private void step(int i, State state, String detail) {
        synchronized (this) {
            steps.set(i, new Step(STEPS[i], state, detail));
        }
        onChange.accept(this);
    }

    /**
     * Runs the job: returns when both ends run, or at the first failure (recorded in its step,
     * with everything started so far stopped again).
     *
     * @param lab the peers
     * @param peerName which peer runs the server
     * @param here this machine's JACK rate and period, for the pre-flight
     * @param options the link's options for this end, as for POST /api/links
     * @param port the UDP port the server binds on the peer
     * @param local starts this end
     * @return whether both ends run
     */
    public boolean run(Lab lab, String peerName, Preflight.End here, Map<String, Object> options, int port,
            LocalEnd local, int agentPort) {
        int at = 0;
        this.peerName = peerName;
        this.serverPort = port;
        try {
            step(at, State.RUNNING, null);
            final Peer peer = lab.get(peerName);
            ssh = lab.connect(peer);
            final PeerReport report = new PeerProbe(agentPort).probe(ssh,
                    peer.jackServer());
            step(at, State.DONE, "ssh to " + peer.target() + ": " + report.os());

            at = 1;
            step(at, State.RUNNING, null);
            // On the built-in backend neither end needs JACK: the peer runs at the rate asked for.
            final boolean builtin = "builtin".equals(String.valueOf(options.get("backend")));
            final Preflight check = Preflight.compare(here, new Preflight.End(peer.name(),
                    builtin ? here.sampleRate() : report.sampleRate(), builtin ? here.bufferSize() : report.bufferSize(),
                    here.bits(), here.receiveChannels(), here.sendChannels(), here.queue()));
            if (!check.ok()) {
                step(at, State.FAILED, String.join("; ", check.fixes()));
                return false;
            }
            if (!report.freePorts().isEmpty() && !report.freePorts().contains(port)
                    && PeerProbe.LINK_PORTS.contains(port)) {
                step(at, State.FAILED, "UDP port " + port + " is taken on " + peer.name() + ": pick one of "
                        + report.freePorts());
                return false;
            }
            step(at, State.DONE, "both at " + here.sampleRate() + " Hz, " + here.bufferSize() + " frames");

            at = 2;
            step(at, State.RUNNING, null);
            final RemoteCommand command = ServerCommand.forPeer(report, peer.jackServer(), options, port);
            program = command.argv().get(0).equals("env") ? "jacktrip" : "jamwire";
            server = ssh.start(command);
            step(at, State.DONE, program + " on " + peer.name() + ": " + ServerCommand.shown(command));

            at = 3;
            step(at, State.RUNNING, null);
            final String sign = program.equals("jamwire") ? "waiting for a client" : "Waiting for Peer";
            if (!server.awaitOutput(sign, LISTEN_TIMEOUT)) {
                step(at, State.FAILED, program + " on " + peer.name() + " did not start listening"
                        + (server.isRunning() ? " within " + LISTEN_TIMEOUT.toSeconds() + " s" : " (it exited "
                                + server.exitStatus() + ")") + ": " + tail(server.output()));
                close();
                return false;
            }
            step(at, State.DONE, "listening on UDP port " + port);

            at = 4;
            step(at, State.RUNNING, null);
            final Map<String, Object> client = new java.util.LinkedHashMap<>(options);
            client.put("peerport", port);
            localLink = local.startClient(peer.host(), client);
            step(at, State.DONE, "link " + localLink + " connects to " + peer.host() + ":" + port);
            return true;
        } catch (Exception e) {
            step(at, State.FAILED, e.getMessage());
            close();
            return false;
        }
    }

    private static String tail(String output) {
        final String t = output.strip();
        return t.length() > 400 ? "…" + t.substring(t.length() - 400) : t;
    }

    /** Stops the peer's server and closes the ssh session; the local link is the caller's to stop. */
    @Override
    public void close() {
        stopped = steps().stream().noneMatch(s -> s.state() == State.FAILED);
        final SshSession.Running s = server;
        if (s != null) {
            s.close();
        }
        final SshSession session = ssh;
        if (session != null) {
            session.close();
        }
    }
}

package org.jamwire.coordinator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jamwire.control.LinkTests;

/**
 * The peers this agent's coordinator knows, kept in a JSON file ({@link PeerFile}), with what each
 * last probe found; probing, link tests ({@link LinkTestHistory}), trusting a host key and pre-flight go
 * through here. Called on HTTP threads; the peer
 * table is guarded by this object, ssh work is done outside it.
 */
public final class Lab implements AutoCloseable {

    /** A peer could not be added or found. */
    public static final class LabException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        LabException(String field, String message) {
            super(message);
            this.field = field;
        }

        /** The field at fault, or null. */
        public String field() {
            return field;
        }
    }

    private final PeerFile peerFile;
    private final LinkTestHistory linkTests;
    private final KnownHosts knownHosts;
    private final SshSession.Timeouts timeouts;
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private final Map<String, AgentRun> agents = new ConcurrentHashMap<>();

    /**
     * @param file where the peers are kept (created when the first is added)
     * @param knownHosts the host keys ssh checks against
     * @param timeouts ssh's waits
     * @throws IOException when the file exists but cannot be read as a peer list; the message names it
     */
    public Lab(Path file, KnownHosts knownHosts, SshSession.Timeouts timeouts) throws IOException {
        this.knownHosts = knownHosts;
        this.timeouts = timeouts;
        this.peerFile = new PeerFile(file);
        peers.putAll(peerFile.load());
        this.linkTests = new LinkTestHistory(file.resolveSibling("linktests.jsonl"));
    }

    private void save() throws IOException {
        peerFile.save(peers.values());
    }

    /** Every peer, in the order they were added. */
    public synchronized List<Peer> peers() {
        return new ArrayList<>(peers.values());
    }

    /** The known_hosts file ssh checks against. */
    public KnownHosts knownHosts() {
        return knownHosts;
    }

    /** Adds a peer; its fields were checked when it was made. */
    public synchronized Peer add(Peer peer) throws LabException, IOException {
        if (peer.name().equals(Ensemble.HERE)) {
            throw new LabException("name", "'" + Ensemble.HERE + "' stands for this machine in pairs and ensembles:"
                    + " choose another name for the peer");
        }
        if (peers.containsKey(peer.name())) {
            throw new LabException("name", "a peer named '" + peer.name() + "' exists already");
        }
        peers.put(peer.name(), peer);
        save();
        return peer;
    }

    /** Forgets a peer; false when there was none of that name. */
    public synchronized boolean remove(String name) throws IOException {
        if (peers.remove(name) == null) {
            return false;
        }
        save();
        return true;
    }

    /** The peer of that name. */
    public synchronized Peer get(String name) throws LabException {
        final Peer p = peers.get(name);
        if (p == null) {
            throw new LabException(null, "no peer named '" + clip(name) + "': GET /api/lab/peers lists them");
        }
        return p;
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** Opens an ssh session to a peer. */
    public SshSession connect(Peer peer) throws SshException {
        return SshSession.open(peer.target(), knownHosts, timeouts);
    }

    /**
     * Probes a peer and keeps the report.
     *
     * @throws SshException when ssh fails, including an unknown or changed host key
     */
    public Peer probe(String name) throws LabException, SshException {
        final Peer peer = get(name);
        final PeerReport report;
        try (SshSession ssh = connect(peer)) {
            report = PeerProbe.probe(ssh, peer);
        }
        return record(name, peer.withReport(report));
    }

    /**
     * A link test against a peer: its echo is started over ssh, then datagrams of the link's size
     * go to it at the link's rate. The result is kept in the peer's history.
     *
     * @param bytes the link's datagram size
     * @param periodNanos time between datagrams
     * @param seconds how long to send, 1 to 60
     * @param port the UDP port the echo binds on the peer
     */
    public LinkTestRecord linkTest(String name, int bytes, long periodNanos, int seconds, int port)
            throws LabException, SshException, IOException {
        final Peer peer = get(name);
        final LinkTests.Result result;
        try (SshSession ssh = connect(peer)) {
            result = LinkTestHistory.measure(ssh, peer, bytes, periodNanos, seconds, port);
        }
        return linkTests.keep(name, result);
    }

    /** One link test as kept. */
    public record LinkTestRecord(String peer, String at, LinkTests.Result result) {
    }

    /** The link tests run against a peer since this agent started, oldest first. */
    public List<LinkTestRecord> linkTests(String name) {
        return linkTests.of(name);
    }

    /**
     * What "make them match" did to a peer.
     *
     * @param peer the peer, probed again at its new rate and period
     * @param restarted what was done, for people, e.g. "restarted the JACK service at 48000 Hz, 256 frames"
     */
    public record Matched(Peer peer, String restarted) {
    }

    /**
     * "Make them match": restarts the peer's JACK server at {@code rate} and {@code frames} (its
     * JACK service through the service manager, or a hand-started jackd by its own command line;
     * on a PipeWire machine, forces them in the graph's settings instead, restarting nothing), then
     * probes it again once it answers at the new rate.
     *
     * @throws IllegalStateException when the peer's jackd cannot be found, stopped or started again
     */
    public Matched matchJack(String name, int rate, int frames) throws LabException, SshException {
        final Peer peer = get(name);
        try (SshSession ssh = connect(peer)) {
            // On PipeWire the graph's settings are forced for every client, and nothing restarts.
            final String restarted = PipeWireSettings.servingJack(ssh, peer.jackServer()) != null
                    ? PipeWireSettings.force(ssh, rate, frames) : JackRestart.restart(ssh, peer.jackServer(), rate,
                            frames);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            PeerReport report = PeerProbe.probe(ssh, peer);
            while (report.sampleRate() != rate && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                report = PeerProbe.probe(ssh, peer);
            }
            if (report.sampleRate() != rate || report.bufferSize() != frames) {
                throw new IllegalStateException("the peer's JACK came back at " + report.sampleRate() + " Hz and "
                        + report.bufferSize() + " frames, not " + rate + " and " + frames + ": " + report.notes());
            }
            final Peer probed = peer.withReport(report);
            synchronized (this) {
                peers.put(name, probed);
            }
            return new Matched(probed, restarted);
        }
    }

    /**
     * Starts a JamWire agent on a peer that has none, in the foreground of an ssh channel this
     * agent keeps open: it runs on the peer's own loopback, on the port and with the token file its
     * record names, watching its JACK server, until {@link #close()} or the connection goes.
     *
     * @return the peer, probed again with its agent running
     * @throws IOException when JamWire is not installed there, or its agent does not start; the
     *     message carries the agent's own words
     */
    public Peer startAgent(String name) throws LabException, SshException, IOException {
        final Peer peer = get(name);
        final SshSession ssh = connect(peer);
        boolean keep = false;
        try {
            final PeerReport before = PeerProbe.probe(ssh, peer);
            if (before.agentRunning()) {
                return record(name, peer.withReport(before));
            }
            if (before.jamwireVersion() == null) {
                throw new IOException("JamWire is not installed on " + name + " (jamwire is not on the PATH there):"
                        + " install it, or provision the host with the lab's Ansible roles");
            }
            final RemoteProcess agent = ssh.start(RemoteCommand.of(PeerPrograms.AGENT, "agent", "--port",
                    String.valueOf(peer.agentPort()), "--token-file", peer.agentToken(), "--jack-server",
                    peer.jackServer()));
            if (!agent.awaitOutput("Open the web UI", Duration.ofSeconds(30))) {
                final String said = agent.output().replaceAll("#token=[0-9a-fA-F]+", "#token=…").strip();
                agent.close();
                throw new IOException("the agent on " + name + " did not start" + (agent.isRunning() ? " within 30 s"
                        : " (exit " + agent.exitStatus() + ")") + ": " + (said.length() > 400
                                ? "…" + said.substring(said.length() - 400) : said));
            }
            final AgentRun old = agents.put(name, new AgentRun(ssh, agent));
            if (old != null) {
                old.close();
            }
            keep = true;
            return record(name, peer.withReport(PeerProbe.probe(ssh, peer)));
        } finally {
            if (!keep) {
                ssh.close();
            }
        }
    }

    /**
     * Records that a peer was provisioned: its agent listens on {@code agentPort} and keeps its
     * token in {@code tokenFile}, so that the coordinator reaches it there. A path the peer record
     * cannot hold leaves it as it was.
     */
    synchronized void agentInstalled(String name, int agentPort, String tokenFile) throws IOException {
        final Peer p = peers.get(name);
        if (p == null) {
            return;
        }
        try {
            peers.put(name, new Peer(p.name(), p.host(), p.port(), p.user(), p.key(), p.jackServer(), agentPort,
                    tokenFile, p.report()));
        } catch (IllegalArgumentException e) {
            return;
        }
        save();
    }

    private synchronized Peer record(String name, Peer probed) {
        if (peers.containsKey(name)) {
            peers.put(name, probed);
        }
        return probed;
    }

    /** An agent this one started on a peer, and the session it runs in. */
    private record AgentRun(SshSession ssh, RemoteProcess agent) implements AutoCloseable {
        @Override
        public void close() {
            agent.close();
            ssh.close();
        }
    }

    /** Stops the agents started on peers. */
    @Override
    public void close() {
        agents.values().forEach(AgentRun::close);
        agents.clear();
    }

    /** Records a peer's host key after the user accepted {@code fingerprint}. */
    public void trust(String name, String fingerprint) throws LabException, SshException {
        if (fingerprint == null || !fingerprint.matches("SHA256:[A-Za-z0-9+/]{43}")) {
            throw new LabException("fingerprint", "fingerprint: give it as ssh-keygen -l prints it, SHA256: and 43"
                    + " characters");
        }
        SshSession.confirmHostKey(get(name).target(), knownHosts, timeouts, fingerprint);
    }
}

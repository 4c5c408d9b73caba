package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What an ensemble's job does on the machines, and holds there: the ssh sessions, what probing
 * each machine found, the hub and the members as started (or found again after this agent
 * restarted). Each method is one step of {@link EnsembleJob}, run on its control thread, and
 * returns the step's detail or throws why it failed and how to fix it; HTTP threads read the ends
 * and stop them.
 */
final class EnsembleEnds {

    /** How long every member has for the hub's first audio. */
    static final Duration AUDIO_WAIT = Duration.ofSeconds(20);
    /** How long the hub has to listen once started. */
    static final Duration LISTEN_WAIT = Duration.ofSeconds(15);

    private final Ensemble ensemble;
    private final Lab lab;
    private final ThisMachine here;
    private final Map<String, PairEnds.Probed> probed = new LinkedHashMap<>();
    private final Map<String, PeerReport> reports = new LinkedHashMap<>();
    private final Map<String, PeerAgent> agents = new ConcurrentHashMap<>();
    private final List<SshSession> sessions = new CopyOnWriteArrayList<>();
    private final Map<String, RemoteEnd> memberEnds = new LinkedHashMap<>();
    private final List<EnsembleJob.Started> members = new CopyOnWriteArrayList<>();
    private volatile RemoteEnd hubEnd;
    private volatile HubClients hubClients;
    private volatile EnsemblePreflight preflight = new EnsemblePreflight(List.of());
    private volatile boolean closed;
    private final EnsembleWatch watch;

    /** @param here this machine, which runs the hub when the ensemble says {@link Ensemble#HERE}; or null */
    EnsembleEnds(Ensemble ensemble, Lab lab, ThisMachine here) {
        this.ensemble = ensemble;
        this.lab = lab;
        this.here = here;
        this.watch = new EnsembleWatch(this, lab);
    }

    /** The members started (or found) so far, in order. */
    List<EnsembleJob.Started> members() {
        return List.copyOf(members);
    }

    /** The hub's clients as the watchdog last read them from its agent, or null before it has. */
    HubClients hubClients() {
        return hubClients;
    }

    /** The pre-flight of the machines probed so far: a row each, with the fixes the check names. */
    EnsemblePreflight preflight() {
        return preflight;
    }

    /** The hub's link id on its machine's agent, or null. */
    String hubLink() {
        final RemoteEnd h = hubEnd;
        return h == null ? null : h.link();
    }

    /** The end of what the member on {@code peer} printed, when it runs detached; none when an agent runs it. */
    String output(String peer) {
        final RemoteEnd end;
        synchronized (memberEnds) {
            end = memberEnds.get(peer);
        }
        return end == null ? "" : end.output();
    }

    String connect(String machine) throws Exception {
        if (isHere(machine)) {
            final PeerReport report = here().probe();
            agents.put(machine, here().agent());
            reports.put(machine, report);
            preflight = EnsemblePreflight.of(ensemble, reports);
            return "this machine's own agent; JACK " + (report.jackRunning() ? report.sampleRate() + " Hz, "
                    + report.bufferSize() + " frames" : "does not run");
        }
        final Peer p = lab.get(machine);
        final SshSession ssh = open(p);
        final PeerReport report = PeerProbe.probe(ssh, p);
        probed.put(machine, new PairEnds.Probed(p, ssh, report));
        reports.put(machine, report);
        preflight = EnsemblePreflight.of(ensemble, reports);
        return "ssh to " + p.target() + ": " + report.os() + ConnectStep.agentNote(report);
    }

    private boolean isHere(String machine) {
        return ensemble.hubHere() && machine.equals(Ensemble.HERE);
    }

    private ThisMachine here() {
        if (here == null) {
            throw new IllegalStateException("this agent cannot run a hub itself: choose a peer as the hub");
        }
        return here;
    }

    String check() throws PairStep.Refused {
        final PeerReport hub = reports.get(ensemble.hub());
        final EnsemblePreflight p = EnsemblePreflight.of(ensemble, reports);
        preflight = p;
        if (!p.fixes().isEmpty()) {
            throw new PairStep.Refused(String.join("; ", p.fixes()));
        }
        return "every machine at " + hub.sampleRate() + " Hz, " + hub.bufferSize() + " frames";
    }

    String startHub() throws IOException, SshException {
        final PeerAgent agent;
        if (ensemble.hubHere()) {
            agent = here().agent();
        } else {
            final PairEnds.Probed hub = probed.get(ensemble.hub());
            agent = PeerAgent.find(hub.ssh(), hub.peer());
        }
        agents.put(ensemble.hub(), agent);
        final JsonNode link = agent.post("/api/links", Map.of("mode", "hubserver", "options",
                Map.of("hubpatch", String.valueOf(ensemble.patch()))));
        final RemoteEnd end = new AgentLink(agent, link.path("id").asText());
        hubEnd = end;
        final String why = end.awaitListening("agent", LISTEN_WAIT);
        if (why != null) {
            throw new IOException("the hub on " + ensemble.hubName() + " did not start listening" + why);
        }
        return "link " + end.link() + " on " + ensemble.hubName() + "'s agent: " + link.path("commandLine").asText("");
    }

    String startMember(Ensemble.Member m) throws IOException, SshException {
        final PairEnds.Probed p = probed.get(m.peer());
        // A hub here is reached at the address of this machine that the member's route comes to.
        final String host = ensemble.hubHere() ? ThisMachine.addressToward(p.peer().host())
                : probed.get(ensemble.hub()).peer().host();
        final RemoteEnd end;
        final String program;
        final String shown;
        if (p.report().agentRunning()) {
            final PeerAgent agent = PeerAgent.find(p.ssh(), p.peer());
            agents.put(m.peer(), agent);
            final JsonNode link = agent.post("/api/links", Map.of("mode", "hubclient", "host", host, "options",
                    Map.of("numchannels", String.valueOf(m.channels()), "queue", m.queue(), "remotename", m.peer())));
            end = new AgentLink(agent, link.path("id").asText());
            program = "agent";
            shown = "link " + end.link() + " on " + m.peer() + "'s agent: " + link.path("commandLine").asText("")
                    + (ensemble.hubHere() ? " (this machine is " + host + " there)" : "");
        } else {
            // No agent there: the program runs detached from this session, so that it outlives it.
            final RemoteCommand command = ServerCommand.hubClientForPeer(p.report(), p.peer().jackServer(), host,
                    m.peer(), m.channels(), m.queue());
            program = command.argv().get(0).equals("env") ? "jacktrip" : "jamwire";
            final DetachedLink detached = DetachedLink.start(p.ssh(), DetachedLink.name(ensemble.name(), m.peer()),
                    program, command);
            end = detached;
            shown = ServerCommand.shown(command) + " on " + m.peer() + ", detached (process " + detached.pid()
                    + ", its log " + detached.log() + ")" + (ensemble.hubHere() ? "; this machine is " + host + " there"
                    : "");
        }
        synchronized (memberEnds) {
            memberEnds.put(m.peer(), end);
        }
        members.add(new EnsembleJob.Started(m.peer(), program, end.link()));
        return shown;
    }

    String awaitAudio() throws IOException {
        final long deadline = System.nanoTime() + AUDIO_WAIT.toNanos();
        final Map<String, RemoteEnd> ends;
        synchronized (memberEnds) {
            ends = new LinkedHashMap<>(memberEnds);
        }
        final List<String> waiting = new ArrayList<>(ends.keySet());
        while (!waiting.isEmpty()) {
            for (var it = waiting.iterator(); it.hasNext();) {
                final RemoteEnd end = ends.get(it.next());
                if (end.audioArrived()) {
                    it.remove();
                } else if (!end.running()) {
                    throw new IOException("a member's hub client ended: " + end.output());
                }
            }
            if (!waiting.isEmpty() && System.nanoTime() - deadline > 0) {
                throw new IOException("no audio from the hub within " + AUDIO_WAIT.toSeconds() + " s at "
                        + String.join(", ", waiting) + ": is UDP from " + ensemble.hubName()
                        + " let in there (the lab's"
                        + " firewall role opens the hub's ports 61002 and up)?");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        return "audio arrives at " + ends.size() + " member" + (ends.size() == 1 ? "" : "s");
    }

    /**
     * Checks the control path to every end (see {@link EnsembleWatch#check}). Watchdog thread, or
     * a stop.
     *
     * @return null when every end answered; else what was done or found, for the run's view
     */
    String watch() {
        return watch.check();
    }

    /** Keeps the hub's end, found again after this agent restarted. */
    void hubFound(RemoteEnd end) {
        hubEnd = end;
    }

    /** Keeps a member's end, found again after this agent restarted. */
    void memberFound(EnsembleJob.Started m, RemoteEnd end) {
        synchronized (memberEnds) {
            memberEnds.put(m.peer(), end);
        }
        members.add(m);
    }

    /** Every end by its machine: the hub's first, then the members' in order. */
    Map<String, RemoteEnd> endsByMachine() {
        final Map<String, RemoteEnd> ends = new LinkedHashMap<>();
        final RemoteEnd hub = hubEnd;
        if (hub != null) {
            ends.put(ensemble.hub(), hub);
        }
        synchronized (memberEnds) {
            ends.putAll(memberEnds);
        }
        return ends;
    }

    /** The hub's end, or null before it starts. */
    RemoteEnd hubEnd() {
        return hubEnd;
    }

    /** The agent found on {@code machine} through the ssh session now held, or null. */
    PeerAgent agent(String machine) {
        return agents.get(machine);
    }

    /** Goes on with {@code machine}'s end through {@code again}, made after the connection was lost. */
    void replace(String machine, RemoteEnd end, RemoteEnd again) {
        if (end == hubEnd) {
            hubEnd = again;
            return;
        }
        synchronized (memberEnds) {
            memberEnds.put(machine, again);
        }
    }

    /** Keeps the hub's clients as its agent listed them. */
    void hubClients(HubClients clients) {
        hubClients = clients;
    }

    /** Whether the ensemble stopped, or let go of its ends. */
    boolean closed() {
        return closed;
    }

    /** What runs the member on {@code machine}: agent, jamwire or jacktrip. */
    String program(String machine) {
        return members.stream().filter(m -> m.peer().equals(machine)).map(EnsembleJob.Started::program).findFirst()
                .orElse("its program");
    }

    /**
     * Opens an ssh session to {@code p}, held until the ensemble stops or lets go of it.
     *
     * @throws IllegalStateException when the ensemble was stopped meanwhile
     */
    SshSession open(Peer p) throws SshException {
        final SshSession ssh = lab.connect(p);
        sessions.add(ssh);
        if (closed) {
            throw new IllegalStateException("the ensemble was stopped");
        }
        return ssh;
    }

    /** Opens an ssh session to {@code machine}, held until the ensemble stops, and finds its agent there. */
    PeerAgent connectAgent(String machine) throws Exception {
        if (isHere(machine)) {
            agents.put(machine, here().agent());
            return agents.get(machine);
        }
        final Peer p = lab.get(machine);
        final PeerAgent agent = PeerAgent.find(open(p), p);
        agents.put(machine, agent);
        return agent;
    }

    /** Stops the members, then the hub, and closes the ssh sessions; a lost ssh connection is made again first. */
    void stop() {
        watch();
        closed = true;
        final List<RemoteEnd> ends;
        synchronized (memberEnds) {
            ends = new ArrayList<>(memberEnds.values());
        }
        for (RemoteEnd e : ends) {
            e.close();
        }
        final RemoteEnd hub = hubEnd;
        if (hub != null) {
            hub.close();
        }
        for (SshSession s : sessions) {
            s.close();
        }
    }

    /** Closes the ssh sessions, and leaves what the machines' agents run streaming. */
    void detach() {
        closed = true;
        for (SshSession s : sessions) {
            s.close();
        }
    }
}

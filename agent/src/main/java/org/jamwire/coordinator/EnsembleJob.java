package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Starts an {@link Ensemble} as one job: connects to every machine and probes it, checks them
 * against the hub's (JACK running, the same rate and period, a program to run each end), starts
 * the hub through its machine's agent, then each member as a hub client (through its agent, else
 * {@code jamwire -C} or {@code jacktrip -C} in an ssh channel), and waits until the hub's audio
 * arrives at every member: only then does the ensemble run. A member run by its agent keeps
 * streaming when the coordinator's ssh connection goes. Stop stops the members, then the hub.
 * Runs on a control thread of its own; HTTP threads read it and stop it.
 */
public final class EnsembleJob implements AutoCloseable {

    /** How long every member has for the hub's first audio. */
    static final Duration AUDIO_WAIT = Duration.ofSeconds(20);
    /** How long the hub has to listen once started. */
    static final Duration LISTEN_WAIT = Duration.ofSeconds(15);

    /**
     * A member as started.
     *
     * @param peer its machine
     * @param program {@code agent}, {@code jamwire} or {@code jacktrip}: what runs it
     * @param link its link id on its agent, or null in an ssh channel
     */
    public record Started(String peer, String program, String link) {
    }

    /** One step: its text, and the work that returns its detail or throws why it failed. */
    private record Stage(String name, Work work) {
    }

    @FunctionalInterface
    private interface Work {
        String run() throws Exception;
    }

    private final String id;
    private final Ensemble ensemble;
    private final Lab lab;
    private final Consumer<EnsembleJob> onChange;
    private final Instant started = Instant.now();
    private final List<Stage> stages = new ArrayList<>();
    private final List<PairJob.Step> steps = new ArrayList<>();
    private final Map<String, PairEnds.Probed> probed = new LinkedHashMap<>();
    private final List<SshSession> sessions = new CopyOnWriteArrayList<>();
    private final Map<String, RemoteEnd> memberEnds = new LinkedHashMap<>();
    private final List<Started> members = new CopyOnWriteArrayList<>();
    private volatile RemoteEnd hubEnd;
    private volatile boolean stopped;

    public EnsembleJob(String id, Ensemble ensemble, Lab lab, Consumer<EnsembleJob> onChange) {
        this.id = id;
        this.ensemble = ensemble;
        this.lab = lab;
        this.onChange = onChange;
        for (String machine : ensemble.machines()) {
            stages.add(new Stage("connect to " + machine, () -> connect(machine)));
        }
        stages.add(new Stage("check every machine against the hub's", this::check));
        stages.add(new Stage("start the hub on " + ensemble.hub(), this::startHub));
        for (Ensemble.Member m : ensemble.members()) {
            stages.add(new Stage("start " + m.peer() + "'s hub client", () -> startMember(m)));
        }
        stages.add(new Stage("hear the hub at every member", this::awaitAudio));
        for (Stage s : stages) {
            steps.add(new PairJob.Step(s.name(), PairJob.State.PENDING, null));
        }
    }

    /** The job's id. */
    public String id() {
        return id;
    }

    /** What it starts. */
    public Ensemble ensemble() {
        return ensemble;
    }

    /** When it started. */
    public Instant started() {
        return started;
    }

    /** The steps as they are now. */
    public synchronized List<PairJob.Step> steps() {
        return List.copyOf(steps);
    }

    /** The members started so far, in order. */
    public List<Started> members() {
        return List.copyOf(members);
    }

    /**
     * What the member on {@code peer} printed so far: jacktrip's or jamwire's output in its ssh
     * channel, none when its agent runs it or before it starts.
     */
    public String output(String peer) {
        final RemoteEnd end;
        synchronized (memberEnds) {
            end = memberEnds.get(peer);
        }
        return end == null ? "" : end.output();
    }

    /** The hub's link id on its machine's agent, or null before it starts. */
    public String hubLink() {
        final RemoteEnd h = hubEnd;
        return h == null ? null : h.link();
    }

    /**
     * {@code starting}, {@code running} (the hub and every member run, and every member hears the
     * hub), {@code failed} or {@code stopped}.
     */
    public synchronized String state() {
        if (stopped) {
            return "stopped";
        }
        if (steps.stream().anyMatch(s -> s.state() == PairJob.State.FAILED)) {
            return "failed";
        }
        return steps.stream().allMatch(s -> s.state() == PairJob.State.DONE) ? "running" : "starting";
    }

    /**
     * Runs the job: returns when the ensemble runs, or at the first failure (recorded in its step,
     * with everything started so far stopped again).
     *
     * @return whether it runs
     */
    public boolean run() {
        int at = 0;
        try {
            for (; at < stages.size(); at++) {
                if (stopped) {
                    throw new IllegalStateException("the ensemble was stopped");
                }
                step(at, PairJob.State.RUNNING, null);
                step(at, PairJob.State.DONE, stages.get(at).work().run());
            }
            return true;
        } catch (Exception e) {
            // Everything started is stopped before the failure shows, so that "failed" means nothing runs.
            stopAll();
            step(at, PairJob.State.FAILED, e.getMessage());
            return false;
        }
    }

    private void step(int i, PairJob.State state, String detail) {
        synchronized (this) {
            steps.set(i, new PairJob.Step(stages.get(i).name(), state, detail));
        }
        onChange.accept(this);
    }

    private String connect(String machine) throws Exception {
        final Peer p = lab.get(machine);
        final SshSession ssh = lab.connect(p);
        sessions.add(ssh);
        if (stopped) {
            throw new IllegalStateException("the ensemble was stopped");
        }
        final PeerReport report = PeerProbe.probe(ssh, p);
        probed.put(machine, new PairEnds.Probed(p, ssh, report));
        return "ssh to " + p.target() + ": " + report.os() + (report.agentRunning() ? "; its agent runs"
                : report.jamwireVersion() != null ? "; JamWire " + report.jamwireVersion() + " without an agent"
                : report.jacktripVersion() != null ? "; jacktrip " + report.jacktripVersion() : "");
    }

    private String check() throws PairStep.Refused {
        final PairEnds.Probed hub = probed.get(ensemble.hub());
        final List<String> fixes = new ArrayList<>();
        if (!hub.report().agentRunning()) {
            fixes.add("no JamWire agent runs on the hub's machine " + ensemble.hub() + ": start it there (Start agent"
                    + " in the Lab view, or POST /api/lab/peers/" + ensemble.hub() + "/agent)");
        }
        for (Ensemble.Member m : ensemble.members()) {
            final PeerReport r = probed.get(m.peer()).report();
            final Preflight check = Preflight.compare(end(ensemble.hub(), hub.report(), m), end(m.peer(), r, m));
            check.fixes().forEach(f -> fixes.add(m.peer() + ": " + f));
            if (!r.agentRunning() && r.jamwireVersion() == null && r.jacktripVersion() == null) {
                fixes.add(m.peer() + ": neither JamWire nor jacktrip is installed: install one (Debian: apt install"
                        + " jacktrip), or provision it with the lab's Ansible roles");
            } else if (!r.agentRunning() && r.jamwireVersion() == null && "auto".equals(m.queue())) {
                fixes.add(m.peer() + ": jacktrip " + r.jacktripVersion() + " has no automatic queue: give this"
                        + " member a queue of packets (e.g. 4), or install JamWire there");
            }
        }
        if (!fixes.isEmpty()) {
            throw new PairStep.Refused(String.join("; ", fixes));
        }
        return "every machine at " + hub.report().sampleRate() + " Hz, " + hub.report().bufferSize() + " frames";
    }

    private static Preflight.End end(String name, PeerReport r, Ensemble.Member m) {
        return new Preflight.End(name, r.sampleRate(), r.bufferSize(), 16, m.channels(), m.channels(), m.queue());
    }

    private String startHub() throws IOException, SshException {
        final PairEnds.Probed hub = probed.get(ensemble.hub());
        final PeerAgent agent = PeerAgent.find(hub.ssh(), hub.peer());
        final JsonNode link = agent.post("/api/links", Map.of("mode", "hubserver", "options",
                Map.of("hubpatch", String.valueOf(ensemble.patch()))));
        final RemoteEnd end = new AgentLink(agent, link.path("id").asText());
        hubEnd = end;
        final String why = end.awaitListening("agent", LISTEN_WAIT);
        if (why != null) {
            throw new IOException("the hub on " + ensemble.hub() + " did not start listening" + why);
        }
        return "link " + end.link() + " on " + ensemble.hub() + "'s agent: " + link.path("commandLine").asText("");
    }

    private String startMember(Ensemble.Member m) throws IOException, SshException {
        final PairEnds.Probed p = probed.get(m.peer());
        final String host = probed.get(ensemble.hub()).peer().host();
        final RemoteEnd end;
        final String program;
        final String shown;
        if (p.report().agentRunning()) {
            final PeerAgent agent = PeerAgent.find(p.ssh(), p.peer());
            final JsonNode link = agent.post("/api/links", Map.of("mode", "hubclient", "host", host, "options",
                    Map.of("numchannels", String.valueOf(m.channels()), "queue", m.queue(), "remotename", m.peer())));
            end = new AgentLink(agent, link.path("id").asText());
            program = "agent";
            shown = "link " + end.link() + " on " + m.peer() + "'s agent: " + link.path("commandLine").asText("");
        } else {
            final RemoteCommand command = ServerCommand.hubClientForPeer(p.report(), p.peer().jackServer(), host,
                    m.peer(), m.channels(), m.queue());
            end = new ChannelLink(p.ssh().start(command));
            program = command.argv().get(0).equals("env") ? "jacktrip" : "jamwire";
            shown = ServerCommand.shown(command) + " on " + m.peer();
        }
        synchronized (memberEnds) {
            memberEnds.put(m.peer(), end);
        }
        members.add(new Started(m.peer(), program, end.link()));
        return shown;
    }

    private String awaitAudio() throws IOException {
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
                        + String.join(", ", waiting) + ": is UDP from " + ensemble.hub() + " let in there (the lab's"
                        + " firewall role opens the hub's ports 61002 and up)?");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        return "audio arrives at " + ends.size() + " member" + (ends.size() == 1 ? "" : "s");
    }

    /** Stops the members, then the hub, and closes the ssh sessions; a start under way fails. */
    @Override
    public void close() {
        stopped = true;
        stopAll();
        onChange.accept(this);
    }

    /**
     * Closes the ssh sessions and leaves what runs on the machines' agents streaming: the hub, and
     * the members their agents run. A member in an ssh channel ends with its session.
     */
    public void detach() {
        stopped = true;
        for (SshSession s : sessions) {
            s.close();
        }
    }

    private void stopAll() {
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
}

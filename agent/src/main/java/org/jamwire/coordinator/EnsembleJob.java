package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jamwire.control.Jobs;

/**
 * Starts an {@link Ensemble} as one job: connects to every machine and probes it, checks them
 * against the hub's (JACK running, the same rate and period, a program to run each end), starts
 * the hub through its machine's agent, then each member as a hub client (through its agent, else
 * {@code jamwire -C} or {@code jacktrip -C} started detached there, see {@link DetachedLink}), and
 * waits until the hub's audio arrives at every member: only then does the ensemble run. Every
 * member keeps streaming when the coordinator's ssh connection goes, or its agent stops; an agent that starts
 * again finds the running ensemble's ends again ({@link #reattach}). Stop stops the members, then
 * the hub. The work on the machines is {@link EnsembleEnds}'s; this keeps the steps. Runs on a
 * control thread of its own; HTTP threads read it and stop it.
 */
public final class EnsembleJob implements AutoCloseable {

    /**
     * A member as started.
     *
     * @param peer its machine
     * @param program {@code agent}, {@code jamwire} or {@code jacktrip}: what runs it
     * @param link its link id on its agent, or null when it runs detached on a machine without one
     */
    public record Started(String peer, String program, String link) {
    }

    /**
     * What a running ensemble has on its machines, as kept across this agent's restarts.
     *
     * @param hubLink the hub's link id on its machine's agent
     * @param members every member as started
     */
    public record Attached(String hubLink, List<Started> members) {

        /** Copies the members. */
        public Attached {
            members = List.copyOf(members);
        }
    }

    /** One step: its text, and the work that returns its detail or throws why it failed. */
    private record Stage(String name, Work work) {
    }

    @FunctionalInterface
    private interface Work {
        String run() throws Exception;
    }

    /** How often the watchdog asks every agent for its link. */
    static final long WATCH_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final String id;
    private final Ensemble ensemble;
    private final Consumer<EnsembleJob> onChange;
    private final EnsembleEnds ends;
    private final boolean reattaching;
    private final Instant started = Instant.now();
    private final List<Stage> stages = new ArrayList<>();
    private final List<PairJob.Step> steps = new ArrayList<>();
    private volatile boolean stopped;
    private volatile Jobs.Repeating watchdog;
    /** What the watchdog last found of the control path, or null while every agent answers. */
    private volatile String control;
    private volatile Instant controlAt;
    private final Map<String, JsonNode> latencies = new ConcurrentHashMap<>();

    private EnsembleJob(String id, Ensemble ensemble, Lab lab, ThisMachine here, Consumer<EnsembleJob> onChange,
            boolean reattaching) {
        this.id = id;
        this.ensemble = ensemble;
        this.onChange = onChange;
        this.ends = new EnsembleEnds(ensemble, lab, here);
        this.reattaching = reattaching;
    }

    /**
     * A job that starts {@code ensemble}; {@link #run} runs it.
     *
     * @param here this machine, which runs the hub when the ensemble names {@link Ensemble#HERE}; or null
     */
    public static EnsembleJob start(String id, Ensemble ensemble, Lab lab, ThisMachine here,
            Consumer<EnsembleJob> onChange) {
        final EnsembleJob job = new EnsembleJob(id, ensemble, lab, here, onChange, false);
        final EnsembleEnds e = job.ends;
        for (String machine : ensemble.machines()) {
            final String name = ensemble.hubHere() && machine.equals(Ensemble.HERE) ? "check this machine"
                    : "connect to " + machine;
            job.stages.add(new Stage(name, () -> e.connect(machine)));
        }
        job.stages.add(new Stage("check every machine against the hub's", e::check));
        job.stages.add(new Stage("start the hub on " + ensemble.hubName(), e::startHub));
        for (Ensemble.Member m : ensemble.members()) {
            job.stages.add(new Stage("start " + m.peer() + "'s hub client", () -> e.startMember(m)));
        }
        job.stages.add(new Stage("hear the hub at every member", e::awaitAudio));
        return job.withSteps();
    }

    /**
     * A job that finds a running ensemble's ends again, as an earlier run of this agent left them;
     * {@link #run} runs it. A failure here stops nothing: what is found can be stopped, and the
     * step says what is missing.
     */
    public static EnsembleJob reattach(String id, Ensemble ensemble, Attached attached, Lab lab, ThisMachine here,
            Consumer<EnsembleJob> onChange) {
        final EnsembleJob job = new EnsembleJob(id, ensemble, lab, here, onChange, true);
        final EnsembleRefind e = new EnsembleRefind(job.ends, ensemble, lab);
        final Stage hub = new Stage("find the hub again on " + ensemble.hubName(), () -> e.findHub(attached.hubLink()));
        if (!ensemble.hubHere()) {
            job.stages.add(hub);
        }
        for (Started m : attached.members()) {
            job.stages.add(new Stage("find " + m.peer() + "'s hub client again", () -> e.findMember(m)));
        }
        // A hub that ran in this agent went with it: its members are found first, so that Stop stops them.
        if (ensemble.hubHere()) {
            job.stages.add(hub);
        }
        return job.withSteps();
    }

    private EnsembleJob withSteps() {
        for (Stage s : stages) {
            steps.add(new PairJob.Step(s.name(), PairJob.State.PENDING, null));
        }
        return this;
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

    /** The members started (or found again) so far, in order. */
    public List<Started> members() {
        return ends.members();
    }

    /** What runs on the machines, for keeping across this agent's restarts. */
    public Attached attached() {
        return new Attached(hubLink(), members());
    }

    /**
     * What the member on {@code peer} printed so far: jacktrip's or jamwire's output in its ssh
     * channel, none when its agent runs it or before it starts.
     */
    public String output(String peer) {
        return ends.output(peer);
    }

    /**
     * The round trip from member {@code peer} to the hub and back (see {@link MemberRoundTrip}),
     * kept for the run's view.
     *
     * @throws IllegalStateException when the ensemble does not run, or the member has no agent
     * @throws PeerAgent.AgentError when an agent refuses, with its status and words
     */
    public JsonNode latency(String peer) throws IOException {
        if (!"running".equals(state())) {
            throw new IllegalStateException("the ensemble " + ensemble.name() + " is " + state() + ": a latency test"
                    + " needs it running");
        }
        final JsonNode result = MemberRoundTrip.measure(ends, ensemble, peer);
        if (result instanceof ObjectNode o) {
            o.put("at", Instant.now().toString());
        }
        latencies.put(peer, result);
        onChange.accept(this);
        return result;
    }

    /** The last latency measured for each member, by its peer. */
    public Map<String, JsonNode> latencies() {
        return Map.copyOf(latencies);
    }

    /** The pre-flight: a row per machine probed so far, with what the check step asks to fix. */
    public EnsemblePreflight preflight() {
        return ends.preflight();
    }

    /** The hub's clients as the watchdog last read them (every 2 s) from its agent, or null. */
    public HubClients hubClients() {
        return ends.hubClients();
    }

    /** The hub's link id on its machine's agent, or null before it starts. */
    public String hubLink() {
        return ends.hubLink();
    }

    /**
     * What the watchdog last found of the ssh connections to the machines while the ensemble runs
     * (a connection lost and made again, a link gone), or null while every agent answers.
     */
    public String control() {
        return control;
    }

    /** When {@link #control} last changed, or null. */
    public Instant controlAt() {
        return controlAt;
    }

    /** Whether this job found a running ensemble again, rather than starting it. */
    public boolean reattached() {
        return reattaching;
    }

    /**
     * {@code starting}, {@code running} (the hub and every member run, and every member hears the
     * hub; or every end was found again), {@code failed} or {@code stopped}.
     */
    public synchronized String state() {
        return PairJob.stateOf(stopped, steps);
    }

    /**
     * Runs the job: returns when the ensemble runs, or at the first failure (recorded in its step;
     * a start stops everything it started first, so that "failed" means nothing runs).
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
            watchdog = Jobs.repeat("ensemble-" + id + "-watch", WATCH_NANOS, this::watch);
            return true;
        } catch (Exception e) {
            if (!reattaching) {
                ends.stop();
            }
            step(at, PairJob.State.FAILED, e.getMessage());
            return false;
        }
    }

    /** Asks every agent for its link; a lost ssh connection is made again, and the run's view says so. */
    private void watch() {
        if (stopped) {
            return;
        }
        final String found = ends.watch();
        if (!Objects.equals(found, control)) {
            control = found;
            controlAt = Instant.now();
            onChange.accept(this);
        }
    }

    private void step(int i, PairJob.State state, String detail) {
        synchronized (this) {
            steps.set(i, new PairJob.Step(stages.get(i).name(), state, detail));
        }
        onChange.accept(this);
    }

    /** Stops the members, then the hub, and closes the ssh sessions; a start under way fails. */
    @Override
    public void close() {
        stopped = true;
        stopWatching();
        ends.stop();
        onChange.accept(this);
    }

    /**
     * Closes the ssh sessions and leaves every end streaming: the hub, the members their agents run,
     * and those detached on machines without one.
     */
    public void detach() {
        stopped = true;
        stopWatching();
        ends.detach();
    }

    private void stopWatching() {
        final Jobs.Repeating w = watchdog;
        if (w != null) {
            w.close();
        }
    }
}

package org.jamwire.coordinator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts both ends of a link as one job: the server on a peer, the client on this machine or on a
 * second peer. It checks the peers and chooses the UDP ports free on each end, starts the server
 * (through the peer's own agent where one runs, else JamWire, or jacktrip where only jacktrip is
 * installed, in the foreground of an ssh channel), waits until it listens, starts the client, and
 * waits until audio arrives both ways: only then does the pair run. It stops both together. Each
 * of those is a {@link PairStep}, run here in order, its progress kept and reported as it changes;
 * what the steps start is held in {@link PairEnds}. Runs on a control thread of its own; HTTP
 * threads read it.
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

    /** This machine's end; the agent's link manager runs it. Called on the pair's control thread. */
    public interface LocalEnd {
        /**
         * Starts the client end and returns its link id.
         *
         * @throws Exception with a message for the user when it cannot
         */
        String startClient(String host, Map<String, Object> options) throws Exception;

        /** Whether audio has arrived on the link here: its packets-received counter is above 0. */
        boolean audioArrived(String link);

        /** Stops the link here, when the pair fails after starting it. */
        void stop(String link);

        /** Which of the lab's link ports ({@link PeerProbe#LINK_PORTS}) a link could bind here now. */
        List<Integer> freePorts();
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

    /** Measures the round trip on a link of this machine, as POST /api/links/{id}/latency does. */
    @FunctionalInterface
    public interface LocalLatency {
        Object measure(String linkId) throws Exception;
    }

    private static final String HERE = "here";

    private final String id;
    private final List<Step> steps = new ArrayList<>();
    private final List<PairStep> sequence = new ArrayList<>();
    private final Consumer<PairJob> onChange;
    private final PairEnds ends;
    private final Instant started = Instant.now();
    private volatile Object latency;

    /**
     * @param serverPeer the peer that runs the server
     * @param clientPeer the peer that runs the client, or null for this machine
     * @param asked the UDP ports the user asked for, if any; the others are chosen free
     * @param claims the ports this agent's pairs hold, shared by all its pairs
     */
    public PairJob(String id, String serverPeer, String clientPeer, PairPorts.Asked asked, PortClaims claims,
            Consumer<PairJob> onChange) {
        this.id = id;
        this.onChange = onChange;
        this.ends = new PairEnds(id, serverPeer, clientPeer, asked, claims);
        sequence.add(new ConnectStep(serverPeer, true));
        if (clientPeer != null) {
            sequence.add(new ConnectStep(clientPeer, false));
        }
        sequence.addAll(List.of(new CheckStep(), new StartServerStep(serverPeer), new ListenStep(),
                new StartClientStep(clientPeer), new AudioStep()));
        for (PairStep s : sequence) {
            steps.add(new Step(s.name(), State.PENDING, null));
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
        return ends.localLink;
    }

    /** The server's link id on its peer's agent, or null when it runs in an ssh channel or has not started. */
    public String serverLink() {
        final RemoteEnd s = ends.serverEnd;
        return s == null ? null : s.link();
    }

    /** The client's link id: here, or on its peer's agent; null in an ssh channel or before it starts. */
    public String clientLink() {
        if (ends.clientPeer == null) {
            return ends.localLink;
        }
        final RemoteEnd c = ends.clientEnd;
        return c == null ? null : c.link();
    }

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
        return ends.serverPeer;
    }

    /** The peer that runs the client, or {@code here}. */
    public String client() {
        return ends.clientPeer == null ? HERE : ends.clientPeer;
    }

    /** The server's UDP port on its peer: as chosen, else as asked for, else null before the check chooses it. */
    public Integer port() {
        final PairPorts p = ends.ports;
        return p != null ? Integer.valueOf(p.server()) : ends.asked.server();
    }

    /** The client's own UDP port on its machine: as chosen, else as asked for, else null. */
    public Integer clientPort() {
        final PairPorts p = ends.ports;
        return p != null ? Integer.valueOf(p.client()) : ends.asked.client();
    }

    /**
     * {@code starting}, {@code running} (both ends run and audio has arrived both ways), {@code failed}
     * or {@code stopped}.
     */
    public synchronized String state() {
        return stateOf(ends.stopped(), steps);
    }

    /**
     * A job's state from its steps: {@code stopped} when stopped, else {@code failed} once a step
     * failed, {@code running} once all are done, and {@code starting} until then.
     */
    static String stateOf(boolean stopped, List<Step> steps) {
        if (stopped) {
            return "stopped";
        }
        if (steps.stream().anyMatch(s -> s.state() == State.FAILED)) {
            return "failed";
        }
        return steps.stream().allMatch(s -> s.state() == State.DONE) ? "running" : "starting";
    }

    /**
     * What the feed says of a job's steps as they change: the first that runs or failed, as
     * "NAME: running" or "NAME: failed (why)", or null when none does.
     */
    public static String stepUnderWay(List<Step> steps) {
        for (Step s : steps) {
            if (s.state() == State.RUNNING || s.state() == State.FAILED) {
                return s.name() + ": " + s.state().name().toLowerCase(Locale.ROOT) + (s.detail() == null ? ""
                        : " (" + s.detail() + ")");
            }
        }
        return null;
    }

    /**
     * {@code agent}, {@code jamwire} or {@code jacktrip}: what runs the server on the peer, or null
     * before it starts.
     */
    public String peerProgram() {
        return ends.program;
    }

    /** Whether the server still runs on the peer. */
    public boolean serverRunning() {
        final RemoteEnd s = ends.serverEnd;
        return s != null && s.running();
    }

    /** The server's output on the peer so far (none when its agent runs it). */
    public String serverOutput() {
        final RemoteEnd s = ends.serverEnd;
        return s == null ? "" : s.output();
    }

    private void step(int i, State state, String detail) {
        synchronized (this) {
            steps.set(i, new Step(sequence.get(i).name(), state, detail));
        }
        onChange.accept(this);
    }

    /**
     * Runs the job: returns when both ends run and audio arrives both ways, or at the first failure
     * (recorded in its step, with everything started so far stopped again, here too).
     *
     * @param lab the peers
     * @param ask what the client end asks for, for the pre-flight
     * @param options the link's options for the client end, as for POST /api/links
     * @param local starts the client here, when it is here
     * @return whether the pair runs
     */
    public boolean run(Lab lab, Ask ask, Map<String, Object> options, LocalEnd local) {
        final PairStep.Request request = new PairStep.Request(lab, ask, options, local);
        int at = 0;
        try {
            for (; at < sequence.size(); at++) {
                step(at, State.RUNNING, null);
                step(at, State.DONE, sequence.get(at).run(request, ends));
            }
            return true;
        } catch (Exception e) {
            // Everything started is stopped before the failure shows, so that "failed" means nothing runs.
            ends.stop(false);
            if (ends.localLink != null) {
                local.stop(ends.localLink);
            }
            step(at, State.FAILED, e.getMessage());
            return false;
        }
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
        return new FarEndLoop(ends, lab.get(ends.serverPeer)).measure(local);
    }

    /**
     * Stops both ends on the peers and closes the ssh sessions; the local link is the caller's to
     * stop.
     */
    @Override
    public void close() {
        ends.stop(steps().stream().noneMatch(s -> s.state() == State.FAILED));
    }
}

package org.jamwire.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An ensemble's pre-flight: one row per machine probed so far (the hub's first), with what it runs
 * and each mismatch against the hub, named with its fix. The check step refuses to start while
 * any fix is named. Immutable; made on the job's control thread, read on HTTP threads.
 *
 * @param machines the rows, the hub's first
 */
public record EnsemblePreflight(List<Machine> machines) {

    /** Bits per sample on the wire at every end of an ensemble. */
    static final int BIT_DEPTH = 16;

    /** Copies the rows. */
    public EnsemblePreflight {
        machines = List.copyOf(machines);
    }

    /**
     * One machine, as its probe found it.
     *
     * @param peer its name
     * @param role {@code hub} or {@code member}
     * @param os its system
     * @param jackRunning whether its JACK server runs
     * @param sampleRate its JACK rate, Hz, or 0
     * @param bufferSize its JACK period, frames, or 0
     * @param xruns xruns its JACK server has counted
     * @param jamwireVersion JamWire's version there, or null
     * @param jacktripVersion jacktrip's version there, or null
     * @param agentRunning whether a JamWire agent runs there
     * @param freePorts the link ports (4464, 4474, 4484, 4494) free there
     * @param fixes what to change before the ensemble can start, each with how; none when it fits
     * @param jackMismatch whether its JACK runs at another rate or period than the hub's: "make it
     *     match the hub" restarts it at the hub's
     * @param bitDepth the bits per sample on the wire ({@value #BIT_DEPTH}, jacktrip's default, as every
     *     end of an ensemble sends)
     * @param channels the channels it sends to the hub and receives from it; null for the hub, which
     *     gives each member as many as it asks for
     */
    public record Machine(String peer, String role, String os, boolean jackRunning, int sampleRate, int bufferSize,
            long xruns, String jamwireVersion, String jacktripVersion, boolean agentRunning, List<Integer> freePorts,
            List<String> fixes, boolean jackMismatch, int bitDepth, Integer channels) {

        /** Copies the lists. */
        public Machine {
            freePorts = List.copyOf(freePorts);
            fixes = List.copyOf(fixes);
        }
    }

    /** The rows for the machines probed so far, their reports by name ({@link Ensemble#HERE} for this machine). */
    static EnsemblePreflight of(Ensemble ensemble, Map<String, PeerReport> probed) {
        final List<Machine> rows = new ArrayList<>();
        final PeerReport h = probed.get(ensemble.hub());
        if (h == null) {
            return new EnsemblePreflight(rows);
        }
        final List<String> hubFixes = new ArrayList<>();
        if (!h.agentRunning()) {
            hubFixes.add("no JamWire agent runs on the hub's machine " + ensemble.hub() + ": start it there (Start"
                    + " agent in the Lab view, or POST /api/lab/peers/" + ensemble.hub() + "/agent)");
        }
        rows.add(row(ensemble.hub(), "hub", h, hubFixes, false, null));
        for (Ensemble.Member m : ensemble.members()) {
            final PeerReport r = probed.get(m.peer());
            if (r == null) {
                continue;
            }
            final Preflight check = Preflight.compare(end(ensemble.hubName(), h, m), end(m.peer(), r, m));
            final List<String> fixes = new ArrayList<>(check.fixes());
            if (!r.agentRunning() && r.jamwireVersion() == null && r.jacktripVersion() == null) {
                fixes.add("neither JamWire nor jacktrip is installed: install one (Debian: apt install jacktrip), or"
                        + " provision it with the lab's Ansible roles");
            } else if (!r.agentRunning() && r.jamwireVersion() == null && "auto".equals(m.queue())) {
                fixes.add("jacktrip " + r.jacktripVersion() + " has no automatic queue: give this member a queue of"
                        + " packets (e.g. 4), or install JamWire there");
            }
            final boolean mismatch = h.sampleRate() > 0 && r.sampleRate() > 0
                    && (h.sampleRate() != r.sampleRate() || h.bufferSize() != r.bufferSize());
            rows.add(row(m.peer(), "member", r, fixes, mismatch, m.channels()));
        }
        return new EnsemblePreflight(rows);
    }

    private static Machine row(String peer, String role, PeerReport r, List<String> fixes, boolean mismatch,
            Integer channels) {
        return new Machine(peer, role, r.os(), r.jackRunning(), r.sampleRate(), r.bufferSize(), r.xruns(),
                r.jamwireVersion(), r.jacktripVersion(), r.agentRunning(), r.freePorts(), fixes, mismatch, BIT_DEPTH,
                channels);
    }

    private static Preflight.End end(String name, PeerReport r, Ensemble.Member m) {
        return new Preflight.End(name, r.sampleRate(), r.bufferSize(), BIT_DEPTH, m.channels(), m.channels(),
                m.queue(), r.onPipeWire());
    }

    /** Every fix named, each after its machine's name. */
    List<String> fixes() {
        final List<String> all = new ArrayList<>();
        for (Machine m : machines) {
            m.fixes().forEach(f -> all.add(m.peer() + ": " + f));
        }
        return all;
    }
}

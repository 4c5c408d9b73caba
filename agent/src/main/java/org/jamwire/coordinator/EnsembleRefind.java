package org.jamwire.coordinator;

import java.io.IOException;

/**
 * Finds a running ensemble's ends again after this agent restarted, as an earlier run of it left
 * them: the hub's and each member's link on its machine's agent, and each member without an agent
 * by the name it runs under, detached. Each method is a step of a reattaching {@link EnsembleJob},
 * run on its control thread; what is found is kept in {@link EnsembleEnds}, so that Stop stops it.
 */
final class EnsembleRefind {

    private final EnsembleEnds ends;
    private final Ensemble ensemble;
    private final Lab lab;

    EnsembleRefind(EnsembleEnds ends, Ensemble ensemble, Lab lab) {
        this.ends = ends;
        this.ensemble = ensemble;
        this.lab = lab;
    }

    /**
     * Finds the hub's link {@code link} again on its machine's agent, after this agent restarted:
     * connects to the hub's machine and asks its agent for the link.
     */
    String findHub(String link) throws Exception {
        final Found f;
        try {
            f = find(ensemble.hub(), link, "the hub");
        } catch (IOException e) {
            if (ensemble.hubHere()) {
                throw new IOException("the hub ran in this machine's agent, which stopped since without stopping the"
                        + " ensemble: Stop stops its members, and Start starts it all again", e);
            }
            throw e;
        }
        ends.hubFound(f.end());
        return "link " + link + " on " + ensemble.hubName() + "'s agent, " + f.state();
    }

    /**
     * Finds a member's hub client again, as {@link #findHub} does; one without an agent by the name
     * it was started under, detached.
     */
    String findMember(EnsembleJob.Started m) throws Exception {
        if (m.link() == null) {
            final Peer p = lab.get(m.peer());
            final DetachedLink end = DetachedLink.find(ends.open(p), DetachedLink.name(ensemble.name(), m.peer()),
                    m.program());
            ends.memberFound(m, end);
            return m.program() + " on " + m.peer() + ", detached, runs (process " + end.pid() + ")";
        }
        final Found f = find(m.peer(), m.link(), m.peer() + "'s hub client");
        ends.memberFound(m, f.end());
        return "link " + m.link() + " on " + m.peer() + "'s agent, " + f.state();
    }

    /** A link found again, and its state on its agent. */
    private record Found(RemoteEnd end, String state) {
    }

    private Found find(String machine, String link, String what) throws Exception {
        final PeerAgent known = ends.agent(machine);
        final PeerAgent agent = known != null ? known : ends.connectAgent(machine);
        final String state;
        try {
            state = agent.get("/api/links/" + link).path("state").asText("");
        } catch (PeerAgent.AgentError e) {
            if (e.status() == 404) {
                throw new IOException(what + " (link " + link + ") is gone from " + machine + "'s agent: it was"
                        + " stopped there, or that agent restarted; stop the ensemble and start it again", e);
            }
            throw e;
        }
        if (state.equals("stopped") || state.equals("failed")) {
            throw new IOException(what + " (link " + link + " on " + machine + "'s agent) is " + state
                    + ": stop the ensemble and start it again");
        }
        return new Found(new AgentLink(agent, link), state);
    }

}

package org.jamwire.coordinator;

/**
 * A pair's step "connect to PEER": opens the ssh session the pair holds to one of its peers and
 * probes what runs there. Pair's control thread.
 *
 * @param peer the peer's name
 * @param server whether it runs the server, else the client
 */
record ConnectStep(String peer, boolean server) implements PairStep {

    @Override
    public String name() {
        return "connect to " + peer;
    }

    @Override
    public String run(Request request, PairEnds ends) throws Exception {
        final Peer p = request.lab().get(peer);
        final SshSession ssh = ends.open(request.lab(), p);
        final PeerReport report = PeerProbe.probe(ssh, p);
        final PairEnds.Probed probed = new PairEnds.Probed(p, ssh, report);
        if (server) {
            ends.server = probed;
        } else {
            ends.client = probed;
        }
        return "ssh to " + p.target() + ": " + report.os() + agentNote(report);
    }

    /** What runs on a probed peer, for a connect step's detail: its agent, JamWire or jacktrip. */
    static String agentNote(PeerReport r) {
        return r.agentRunning() ? "; its agent runs" : r.jamwireVersion() != null ? "; JamWire " + r.jamwireVersion()
                + " without an agent" : r.jacktripVersion() != null ? "; jacktrip " + r.jacktripVersion() : "";
    }
}

package org.jamwire.coordinator;

import java.util.List;

/**
 * A pair's step "check both ends": the pre-flight between the client end and the server's peer,
 * and the pair's two UDP ports, chosen free on each end or checked as the user gave them. Pair's
 * control thread.
 */
final class CheckStep implements PairStep {

    @Override
    public String name() {
        return "check both ends";
    }

    @Override
    public String run(Request request, PairEnds ends) throws Refused {
        final PairJob.Ask ask = request.ask();
        final Peer sp = ends.server.peer();
        final PeerReport sr = ends.server.report();
        final PeerReport cr = ends.client == null ? null : ends.client.report();
        final Preflight.End clientEnd = ends.client == null
                ? new Preflight.End("this machine", ask.sampleRate(), ask.bufferSize(), ask.bits(),
                        ask.sendChannels(), ask.receiveChannels(), ask.queue())
                : new Preflight.End(ends.client.peer().name(), ask.builtin() ? ask.sampleRate() : cr.sampleRate(),
                        ask.builtin() ? ask.bufferSize() : cr.bufferSize(), ask.bits(), ask.sendChannels(),
                        ask.receiveChannels(), ask.queue(), !ask.builtin() && cr.onPipeWire());
        // On the built-in backend neither end needs JACK: the peers run at the rate asked for.
        final Preflight check = Preflight.compare(clientEnd, new Preflight.End(sp.name(),
                ask.builtin() ? clientEnd.sampleRate() : sr.sampleRate(),
                ask.builtin() ? clientEnd.bufferSize() : sr.bufferSize(), ask.bits(), ask.receiveChannels(),
                ask.sendChannels(), ask.queue(), !ask.builtin() && sr.onPipeWire()));
        if (!check.ok()) {
            throw new Refused(String.join("; ", check.fixes()));
        }
        final PairPorts ports = ends.claims.choose(ends.pair, ends.asked, new PairPorts.Machine(sp.name(), free(sr)),
                new PairPorts.Machine(ends.clientName(), cr == null ? request.local().freePorts() : free(cr)));
        ends.ports = ports;
        return (ask.builtin() ? "both on the built-in backend at " + ask.sampleRate() + " Hz, " + ask.bufferSize()
                + " frames" : "both at " + (cr == null ? ask.sampleRate() : cr.sampleRate()) + " Hz, "
                        + (cr == null ? ask.bufferSize() : cr.bufferSize()) + " frames") + "; the server on UDP port "
                + ports.server() + " of " + sp.name() + ", the client on UDP port " + ports.client() + " of "
                + ends.clientName();
    }

    /** The link ports free on a peer, or null when its probe could not list its UDP sockets. */
    private static List<Integer> free(PeerReport r) {
        return r.freePorts().isEmpty() && r.notes().contains(PeerProbe.FREE_PORTS_UNKNOWN)
                ? null : r.freePorts();
    }
}

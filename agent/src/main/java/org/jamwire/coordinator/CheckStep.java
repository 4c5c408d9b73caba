package org.jamwire.coordinator;

/**
 * A pair's step "check both ends": the pre-flight between the client end and the server's peer,
 * and whether the server's UDP port is free there. Pair's control thread.
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
                        ask.receiveChannels(), ask.queue());
        // On the built-in backend neither end needs JACK: the peers run at the rate asked for.
        final Preflight check = Preflight.compare(clientEnd, new Preflight.End(sp.name(),
                ask.builtin() ? clientEnd.sampleRate() : sr.sampleRate(),
                ask.builtin() ? clientEnd.bufferSize() : sr.bufferSize(), ask.bits(), ask.receiveChannels(),
                ask.sendChannels(), ask.queue()));
        if (!check.ok()) {
            throw new Refused(String.join("; ", check.fixes()));
        }
        if (!sr.freePorts().isEmpty() && !sr.freePorts().contains(ends.port)
                && PeerProbe.LINK_PORTS.contains(ends.port)) {
            throw new Refused("UDP port " + ends.port + " is taken on " + sp.name() + ": pick one of "
                    + sr.freePorts());
        }
        return ask.builtin() ? "both on the built-in backend at " + ask.sampleRate() + " Hz, " + ask.bufferSize()
                + " frames" : "both at " + (cr == null ? ask.sampleRate() : cr.sampleRate()) + " Hz, "
                        + (cr == null ? ask.bufferSize() : cr.bufferSize()) + " frames";
    }
}

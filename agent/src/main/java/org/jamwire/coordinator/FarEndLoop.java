package org.jamwire.coordinator;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The latency test through a pair's far end: loops the server's receive port of channel 1 to its
 * send port (through its agent, or with jack_connect over ssh), measures the round trip at the
 * client, and undoes the loop. Called on an HTTP thread.
 *
 * @param ends what the pair runs
 * @param serverPeer the peer that runs the server
 */
record FarEndLoop(PairEnds ends, Peer serverPeer) {

    /**
     * Measures with the loop in place.
     *
     * @return the measurement, as the client's agent answers it
     * @throws IllegalStateException when the client runs on a peer without an agent
     * @throws PeerAgent.AgentError when a peer's agent refuses, with its status and words
     */
    Object measure(PairJob.LocalLatency local) throws Exception {
        final RemoteEnd far = ends.serverEnd;
        final String in;
        final String out;
        if (far instanceof AgentLink a) {
            final String name = a.agent().get("/api/links/" + a.link()).path("clientName").asText("JackTrip");
            in = name + ":receive_1";
            out = name + ":send_1";
            a.agent().post("/api/jack/connections", Map.of("source", in, "destination", out));
        } else {
            in = "JackTrip:receive_1";
            out = "JackTrip:send_1";
            final SshSession.Result r = jack("jack_connect", in, out);
            if (r.exitStatus() != 0) {
                throw new IOException("cannot loop " + in + " to " + out + " on " + ends.serverPeer + ": "
                        + (r.stdout() + r.stderr()).strip());
            }
        }
        try {
            return measureAtClient(local);
        } finally {
            if (far instanceof AgentLink a) {
                try {
                    a.agent().delete("/api/jack/connections?source=" + URLEncoder.encode(in, StandardCharsets.UTF_8)
                            + "&destination=" + URLEncoder.encode(out, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // The loop stays until the link stops; the test's answer matters more.
                }
            } else {
                jack("jack_disconnect", in, out);
            }
        }
    }

    private Object measureAtClient(PairJob.LocalLatency local) throws Exception {
        if (ends.clientPeer == null) {
            return local.measure(ends.localLink);
        }
        if (!(ends.clientEnd instanceof AgentLink near) || near.link() == null) {
            throw new IllegalStateException("the client on " + ends.clientPeer + " runs without an agent there: start"
                    + " one to measure the latency");
        }
        return near.agent().measureLatency(near.link());
    }

    /** Runs jack_connect or jack_disconnect on the server's peer, against its JACK server. */
    private SshSession.Result jack(String program, String in, String out) throws SshException {
        return ends.serverSession().run(RemoteCommand.of(PeerPrograms.JACK_LOOP, "JACK_NO_START_SERVER=1",
                "JACK_DEFAULT_SERVER=" + serverPeer.jackServer(), program, in, out));
    }
}

package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The latency test of one ensemble member: the round trip from it to the hub and back. The hub's
 * agent loops that member's first receive port to its first send port on the hub's JACK server
 * (the hub's client named after the member), the member's agent runs its link's latency test (a
 * test burst sent on channel 1, its echo found), and the loop is undone. Called on an HTTP thread.
 */
final class MemberRoundTrip {

    private MemberRoundTrip() {
    }

    /**
     * Measures with the loop in place.
     *
     * @return the measurement, as the member's agent answers it
     * @throws IllegalStateException when the member has no agent, is not in the ensemble, or the
     *     hub has no client of its name now
     * @throws PeerAgent.AgentError when an agent refuses, with its status and words
     */
    static JsonNode measure(EnsembleEnds ends, Ensemble ensemble, String peer) throws IOException {
        final EnsembleJob.Started m = ends.members().stream().filter(x -> x.peer().equals(peer)).findFirst()
                .orElseThrow(() -> new IllegalStateException(PeerProbe.printable(peer, 40) + " is not a member of the"
                        + " ensemble " + ensemble.name()));
        final PeerAgent member = ends.agent(peer);
        final PeerAgent hubAgent = ends.agent(ensemble.hub());
        final RemoteEnd hub = ends.hubEnd();
        if (m.link() == null || member == null) {
            throw new IllegalStateException(peer + " runs " + m.program() + " with no JamWire agent there: the latency"
                    + " test runs on the member's agent (the hub's client list shows how the hub hears it)");
        }
        if (hubAgent == null || hub == null || hub.link() == null) {
            throw new IllegalStateException("the hub on " + ensemble.hub() + " is not found yet");
        }
        String jackName = null;
        for (JsonNode c : hubAgent.get("/api/links/" + hub.link()).path("clients")) {
            if (peer.equals(c.path("name").asText()) && c.path("jackName").isTextual()) {
                jackName = c.path("jackName").asText();
            }
        }
        if (jackName == null) {
            throw new IllegalStateException("the hub on " + ensemble.hub() + " has no client named " + peer + " now");
        }
        final String in = jackName + ":receive_1";
        final String out = jackName + ":send_1";
        hubAgent.post("/api/jack/connections", Map.of("source", in, "destination", out));
        try {
            return member.measureLatency(m.link());
        } finally {
            try {
                hubAgent.delete("/api/jack/connections?source=" + URLEncoder.encode(in, StandardCharsets.UTF_8)
                        + "&destination=" + URLEncoder.encode(out, StandardCharsets.UTF_8));
            } catch (IOException e) {
                // The loop stays until the hub's client goes; the answer matters more.
            }
        }
    }
}

package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A pair's step "start the client": here through this agent's links, or on the client's peer
 * through its agent where one runs, else in the foreground of an ssh channel. Pair's control thread.
 *
 * @param peer the peer that runs the client, or null for this machine
 */
record StartClientStep(String peer) implements PairStep {

    @Override
    public String name() {
        return "start the client " + (peer == null ? "here" : "on " + peer);
    }

    @Override
    public String run(Request request, PairEnds ends) throws Exception {
        final String serverHost = ends.server.peer().host();
        final int port = ends.serverPort();
        final String to = " connects to " + serverHost + ":" + port + " from UDP port " + ends.clientPort();
        if (ends.client == null) {
            final String link = request.local().startClient(serverHost, ServerCommand.clientPorts(request.options(),
                    port, ends.clientPort()));
            ends.localLink = link;
            return "link " + link + to;
        }
        final Peer cp = ends.client.peer();
        if (ends.client.report().agentRunning()) {
            final PeerAgent agent = PeerAgent.find(ends.client.ssh(), cp);
            final JsonNode link = agent.post("/api/links", Map.of("mode", "client", "host", serverHost, "options",
                    ServerCommand.clientOptions(request.options(), port, ends.clientPort())));
            final RemoteEnd client = new AgentLink(agent, link.path("id").asText());
            ends.clientEnd = client;
            return "link " + client.link() + " on " + cp.name() + "'s agent" + to;
        }
        final RemoteCommand command = ServerCommand.clientForPeer(ends.client.report(), cp.jackServer(),
                request.options(), serverHost, port, ends.clientPort());
        ends.clientEnd = new ChannelLink(ends.client.ssh().start(command));
        return ServerCommand.shown(command) + " on " + cp.name();
    }
}

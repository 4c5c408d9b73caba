package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pair's step "start the server on PEER": through the peer's agent where one runs, else JamWire,
 * or jacktrip where only jacktrip is installed, in the foreground of an ssh channel; pinned to the
 * client's address where the server can be. Pair's control thread.
 *
 * @param peer the peer that runs the server
 */
record StartServerStep(String peer) implements PairStep {

    @Override
    public String name() {
        return "start the server on " + peer;
    }

    @Override
    public String run(Request request, PairEnds ends) throws Exception {
        final Peer sp = ends.server.peer();
        final PeerReport sr = ends.server.report();
        final ServerPin pin = ServerPin.find(ends.server, ends.client);
        final Map<String, Object> serverSide = new LinkedHashMap<>(request.options());
        if (pin.address() != null) {
            serverSide.put("peer", pin.address());
        }
        if (sr.agentRunning()) {
            final PeerAgent agent = PeerAgent.find(ends.server.ssh(), sp);
            final JsonNode link = agent.post("/api/links", Map.of("mode", "server", "options",
                    ServerCommand.serverOptions(withoutJackServer(serverSide), ends.serverPort())));
            final RemoteEnd server = new AgentLink(agent, link.path("id").asText());
            ends.serverEnd = server;
            ends.program = "agent";
            return "link " + server.link() + " on " + sp.name() + "'s agent: " + link.path("commandLine").asText("")
                    + pin.note();
        }
        final RemoteCommand command = ServerCommand.forPeer(sr, sp.jackServer(), serverSide, ends.serverPort());
        final String program = command.argv().get(0).equals("env") ? "jacktrip" : "jamwire";
        ends.program = program;
        ends.serverEnd = new ChannelLink(ends.server.ssh().start(command));
        return program + " on " + sp.name() + ": " + ServerCommand.shown(command) + pin.note();
    }

    private static Map<String, Object> withoutJackServer(Map<String, Object> options) {
        final Map<String, Object> m = new LinkedHashMap<>(options);
        m.remove("jack-server");
        return m;
    }
}

package org.jamwire.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A hub's clients as its machine's agent last listed them ({@code GET /api/links/ID}), checked
 * before they are kept: what the watchdog of an ensemble shows beside its members, a jacktrip
 * member's counters among them. A client that does not fit is left out and counted. Immutable.
 *
 * @param clients the clients, lowest slot first
 * @param at when the hub's agent was asked
 * @param refused clients left out because a field did not fit
 */
public record HubClients(List<Client> clients, Instant at, int refused) {

    /** At most this many clients are kept: more than any hub has slots. */
    static final int MOST = 64;
    private static final int MOST_COUNTERS = 64;
    /** A client's states: those of a link, and waiting before its first datagram. */
    private static final Set<String> STATES = Set.of("waiting", "connected", "audio_lost", "stopped", "failed");

    /** Copies the list. */
    public HubClients {
        clients = List.copyOf(clients);
    }

    /**
     * One client of the hub.
     *
     * @param slot its slot, from 0
     * @param name its -K name, or its address
     * @param address where it connects from
     * @param clientPort the port it connects from
     * @param udpPort the hub's UDP port for it
     * @param state as the hub's agent says
     * @param joinedAt when it joined, as the hub's agent wrote it
     * @param uptimeSeconds how long it has been a client
     * @param counters its counters, as the hub counts them
     */
    public record Client(int slot, String name, String address, int clientPort, int udpPort, String state,
            String joinedAt, double uptimeSeconds, Map<String, Number> counters) {
    }

    /** The clients of {@code link}, a hub server link's view from its agent, checked; null when it has none. */
    static HubClients of(JsonNode link, Instant at) {
        final JsonNode list = link.path("clients");
        if (!list.isArray()) {
            return null;
        }
        final List<Client> clients = new ArrayList<>();
        int refused = 0;
        for (JsonNode c : list) {
            if (clients.size() == MOST) {
                refused++;
                continue;
            }
            final Client one = client(c);
            if (one == null) {
                refused++;
            } else {
                clients.add(one);
            }
        }
        clients.sort((a, b) -> Integer.compare(a.slot(), b.slot()));
        return new HubClients(clients, at, refused);
    }

    private static Client client(JsonNode c) {
        final JsonNode slot = c.path("slot");
        final JsonNode port = c.path("udpPort");
        final JsonNode from = c.path("clientPort");
        final String state = c.path("state").asText("");
        if (!slot.canConvertToInt() || slot.asInt() < 0 || slot.asInt() > 1000 || !port.canConvertToInt()
                || !from.canConvertToInt() || !STATES.contains(state) || !c.path("name").isTextual()
                || !c.path("uptimeSeconds").isNumber()) {
            return null;
        }
        final Map<String, Number> counters = new LinkedHashMap<>();
        c.path("counters").properties().forEach(f -> {
            if (counters.size() < MOST_COUNTERS && f.getKey().matches("[a-z_]{1,32}") && f.getValue().isNumber()) {
                counters.put(f.getKey(), f.getValue().isIntegralNumber() ? f.getValue().asLong()
                        : f.getValue().asDouble());
            }
        });
        return new Client(slot.asInt(), PeerProbe.printable(c.path("name").asText(), 64),
                PeerProbe.printable(c.path("address").asText(""), 64), from.asInt(), port.asInt(), state,
                PeerProbe.printable(c.path("joinedAt").asText(""), 40), c.path("uptimeSeconds").asDouble(), counters);
    }
}

package org.jamwire.coordinator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The link ports this agent's pairs have chosen, by machine, from the choice until the pair ends:
 * a probe sees a port only once an end binds it, so two pairs starting at once would otherwise
 * both choose the first free one. Pair control threads choose and release; thread-safe.
 */
public final class PortClaims {

    /** Machine name, then port, then the pair holding it. */
    private final Map<String, Map<Integer, String>> held = new HashMap<>();

    /**
     * Chooses a pair's ports as {@link PairPorts#choose} does, with the ports other pairs hold
     * taken out of each machine's free ones, and holds them for {@code pair}.
     *
     * @throws PairStep.Refused as {@link PairPorts#choose}, or when another pair holds a port asked for
     */
    synchronized PairPorts choose(String pair, PairPorts.Asked asked, PairPorts.Machine server,
            PairPorts.Machine client) throws PairStep.Refused {
        heldElsewhere(pair, asked.server(), asked.serverBy(), server.name());
        heldElsewhere(pair, asked.client(), asked.clientBy(), client.name());
        final PairPorts chosen = PairPorts.choose(asked, withoutHeld(pair, server), withoutHeld(pair, client));
        held.computeIfAbsent(server.name(), k -> new HashMap<>()).put(chosen.server(), pair);
        held.computeIfAbsent(client.name(), k -> new HashMap<>()).put(chosen.client(), pair);
        return chosen;
    }

    /** Lets go of what {@code pair} holds. */
    synchronized void release(String pair) {
        held.values().forEach(ports -> ports.values().removeIf(pair::equals));
    }

    private void heldElsewhere(String pair, Integer port, String by, String machine) throws PairStep.Refused {
        final String holder = port == null ? null : held.getOrDefault(machine, Map.of()).get(port);
        if (holder != null && !holder.equals(pair)) {
            throw new PairStep.Refused("UDP port " + port + " (" + by + ") on " + machine + " is held by pair " + holder
                    + ": leave it out, and the coordinator picks a free one, or stop pair " + holder);
        }
    }

    /** The machine's free ports but those other pairs hold; where they are not known, the link ports but those. */
    private PairPorts.Machine withoutHeld(String pair, PairPorts.Machine m) {
        final Map<Integer, String> ports = held.getOrDefault(m.name(), Map.of());
        if (m.free() == null && ports.isEmpty()) {
            return m;
        }
        final List<Integer> free = new ArrayList<>(m.free() == null ? PeerProbe.LINK_PORTS : m.free());
        free.removeIf(p -> ports.containsKey(p) && !pair.equals(ports.get(p)));
        return new PairPorts.Machine(m.name(), free);
    }
}

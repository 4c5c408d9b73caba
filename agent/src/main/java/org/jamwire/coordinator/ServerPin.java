package org.jamwire.coordinator;

import java.util.ArrayList;
import java.util.List;

/**
 * The client address a pair's server is told to take its peer from, and the note the server's
 * step shows about it. A JamWire server takes its peer only from the client's address; jacktrip
 * cannot be told. Pair's control thread.
 *
 * @param address the client's address as the server sees it, or null when not pinned
 * @param note what the step says of it: where the peer is taken from, why it is not pinned, or nothing
 */
record ServerPin(String address, String note) {

    /**
     * Finds the client's address for a server on {@code server}, with a client on {@code client} (or
     * here when null).
     */
    static ServerPin find(PairEnds.Probed server, PairEnds.Probed client) {
        final List<String> unpinned = new ArrayList<>();
        final PeerReport sr = server.report();
        final String pin = sr.agentRunning() || sr.jamwireVersion() != null
                ? ClientAddress.find(server.ssh(), client == null ? null : client.ssh(), server.peer().host(), unpinned)
                : null;
        return new ServerPin(pin, pin != null ? "; it takes its peer from " + pin + " only"
                : unpinned.isEmpty() ? "" : "; its peer is not pinned: " + unpinned.get(0));
    }
}

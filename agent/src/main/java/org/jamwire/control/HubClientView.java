package org.jamwire.control;

import java.time.Instant;

/**
 * A hub server's client at one moment: who it is, where, and its link's counters and meters once
 * its first datagram came. Immutable.
 *
 * @param slot its slot, from 0
 * @param name its -K name, or its address
 * @param jackName its JACK client's name on the hub
 * @param address the address it connected from
 * @param clientPort its own UDP port
 * @param udpPort the hub's UDP port for it
 * @param state {@code waiting} before its first datagram, then as a link's
 * @param peer where its datagrams come from, or null
 * @param sendChannels channels the hub sends it, or null while waiting
 * @param receiveChannels channels it sends the hub, or null while waiting
 * @param joinedAt when it joined
 * @param uptimeSeconds since it joined, to the millisecond
 * @param counters its link's counters, or null while waiting
 * @param meters its link's levels, or null while waiting
 */
public record HubClientView(int slot, String name, String jackName, String address, int clientPort, int udpPort,
        String state, String peer, Integer sendChannels, Integer receiveChannels, Instant joinedAt,
        double uptimeSeconds, CounterValues counters, Meters meters) {

    /** Stays the same while the same client holds the slot: a new client in a slot is another key. */
    public String key(String linkId) {
        return linkId + "/" + slot + "/" + joinedAt.toEpochMilli();
    }
}

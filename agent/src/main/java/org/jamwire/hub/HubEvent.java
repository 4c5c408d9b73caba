package org.jamwire.hub;

import java.time.Instant;

/**
 * Something a hub reports: a client arriving, streaming or leaving, or a problem.
 *
 * @param client the client's slot, from 0, or -1 for the hub itself
 * @param name the client's name (its -K name or address), or null for the hub itself
 * @param kind what happened
 * @param message one sentence
 * @param at when it happened
 */
public record HubEvent(int client, String name, Kind kind, String message, Instant at) {

    /** What a hub reports. */
    public enum Kind {
        /** The hub listens for handshakes. */
        LISTENING,
        /** A client was given a slot. */
        JOINED,
        /** A client's first datagram came and its link streams. */
        STREAMING,
        /** A client's slot was freed: idle, stop packet, failure or the hub stopping. */
        LEFT,
        /** A client's slot was taken over by its own new connection. */
        REPLACED,
        /** A client was refused: no free slot. */
        REFUSED,
        /** Anything else about a client or the hub: a mismatch, a timeout, a failure. */
        NOTE
    }
}

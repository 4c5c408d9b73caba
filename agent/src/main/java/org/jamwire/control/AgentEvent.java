package org.jamwire.control;

import java.time.Instant;

/**
 * Something the agent tells its live feed about: a link's event, a hub client's, an xrun, JACK lost
 * or back. Created on control threads.
 *
 * @param link the link's id, or null for events of the agent or JACK
 * @param kind lower-case kind, e.g. {@code peer_connected}, {@code xrun}, {@code client_joined}
 * @param message what to tell the user
 * @param time when it was noticed
 * @param client for a hub server link, the client it is about: its slot and name; else null
 */
public record AgentEvent(String link, String kind, String message, Instant time, Client client) {

    /**
     * A hub client an event is about.
     *
     * @param slot its slot, from 0
     * @param name its -K name, or its address
     */
    public record Client(int slot, String name) {
    }

    /** An event about no hub client. */
    public AgentEvent(String link, String kind, String message, Instant time) {
        this(link, kind, message, time, null);
    }

    /** An event about a hub client: its message names the client and its slot before {@code detail}. */
    static AgentEvent aboutClient(String link, String kind, int slot, String name, String detail, Instant time) {
        return new AgentEvent(link, kind, prefix(slot, name) + detail, time, new Client(slot, name));
    }

    private static String prefix(int slot, String name) {
        return name + " (slot " + slot + "): ";
    }

    /** The message without the client it is about. */
    public String detail() {
        final String p = client == null ? "" : prefix(client.slot(), client.name());
        return message.startsWith(p) ? message.substring(p.length()) : message;
    }
}

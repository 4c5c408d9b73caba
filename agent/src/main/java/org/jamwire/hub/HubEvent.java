package org.jamwire.hub;

import java.time.Instant;

/**
 * Something a hub reports: a client arriving, streaming or leaving, or a problem.
 *
 * @param client the client's slot, from 0, or -1 for the hub itself
 * @param name the client's name (its -K name or address), or null for the hub itself
 * @param message one sentence
 * @param at when it happened
 */
public record HubEvent(int client, String name, String message, Instant at) {
}

package org.jamwire.control;

import java.time.Instant;

/**
 * Something the agent tells its live feed about: a link's event, an xrun, JACK lost or back.
 * Created on control threads.
 *
 * @param link the link's id, or null for events of the agent or JACK
 * @param kind lower-case kind, e.g. {@code peer_connected}, {@code xrun}, {@code jack_lost}
 * @param message what to tell the user
 * @param time when it was noticed
 */
public record AgentEvent(String link, String kind, String message, Instant time) {
}

package org.jamwire.link;

import java.time.Instant;

/**
 * Something a link reports to its control layer: a state change, a warning or an error, with a
 * message written for the user. Created on the link's supervisor thread.
 *
 * @param kind what happened
 * @param message what to tell the user, including how to fix a problem
 * @param time when it was noticed
 */
public record LinkEvent(Kind kind, String message, Instant time) {

    /** What happened. */
    public enum Kind {
        /** The socket is bound and the audio client runs; a server now waits for its peer. */
        LISTENING,
        /** The first valid datagram arrived from the peer. */
        PEER_CONNECTED,
        /** Something works but differs from what the user asked for. */
        WARNING,
        /** The peer's sample rate or bit depth differs; the link stops. */
        MISMATCH,
        /** The peer sent the stop packet. */
        PEER_STOPPED,
        /** No datagram arrived for the configured timeout. */
        TIMEOUT,
        /** The audio server went away; the link waits for it to come back. */
        AUDIO_LOST,
        /** The audio server came back and the link streams again. */
        AUDIO_BACK,
        /** A periodic line of counters (the {@code -I} option). */
        STATS,
        /** The link has stopped and released its port and audio client. */
        STOPPED
    }
}

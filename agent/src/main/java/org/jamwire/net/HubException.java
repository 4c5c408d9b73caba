package org.jamwire.net;

/** The hub handshake failed; the message says why and what to check. */
public final class HubException extends Exception {

    private static final long serialVersionUID = 1L;

    /** With a message for the user. */
    public HubException(String message) {
        super(message);
    }
}

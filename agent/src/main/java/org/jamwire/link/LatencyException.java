package org.jamwire.link;

/** A latency test that gave no result; the message says why and how to fix it. */
public final class LatencyException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why there is no result. */
    public enum Reason {
        /** The link is not streaming with a peer. */
        NOT_STREAMING,
        /** Another latency test is running on the link. */
        BUSY,
        /** No echo of the burst came back within the timeout, or none clear enough. */
        NO_ECHO
    }

    private final Reason reason;

    LatencyException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** Why there is no result. */
    public Reason reason() {
        return reason;
    }
}

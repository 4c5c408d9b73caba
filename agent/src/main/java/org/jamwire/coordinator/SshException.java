package org.jamwire.coordinator;

/**
 * Reaching a peer over ssh failed, with a kind the UI can act on and a message that says how to
 * fix it. Thrown on control threads.
 */
public final class SshException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The host's key is not in known_hosts: show {@link #fingerprint()} and ask the user. */
        UNKNOWN_HOST_KEY,
        /** The host's key differs from the one recorded: refuse, loudly. */
        CHANGED_HOST_KEY,
        /** The server refused the key. */
        AUTH_FAILED,
        /** The TCP connection or the handshake did not finish in time. */
        CONNECT_TIMEOUT,
        /** A command did not finish in time. */
        EXEC_TIMEOUT,
        /** The server stopped answering keepalives. */
        KEEPALIVE_TIMEOUT,
        /** The host could not be reached at all. */
        UNREACHABLE,
        /** Anything else ssh reported. */
        FAILED
    }

    private final Kind kind;
    private final String fingerprint;
    /** The key an unknown host presented, for recording once the user accepts it. */
    transient byte[] presentedKey;

    SshException(Kind kind, String message, String fingerprint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.fingerprint = fingerprint;
    }

    SshException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }

    byte[] presentedKey() {
        return presentedKey == null ? null : presentedKey.clone();
    }

    /** The presented host key's SHA256 fingerprint, for UNKNOWN_HOST_KEY and CHANGED_HOST_KEY; else null. */
    public String fingerprint() {
        return fingerprint;
    }
}

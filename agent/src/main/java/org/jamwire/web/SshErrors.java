package org.jamwire.web;

import java.util.Locale;
import org.jamwire.coordinator.SshException;

/** How the API answers ssh's failures to reach a peer. HTTP threads. */
final class SshErrors {

    private SshErrors() {
    }

    /** A 409 that carries the presented key's fingerprint for the UI to show. */
    static final class HostKey extends ApiException {
        private static final long serialVersionUID = 1L;
        private final String fingerprint;

        HostKey(String error, SshException e) {
            this(error, e, e.getMessage());
        }

        HostKey(String error, SshException e, String message) {
            super(409, error, "fingerprint", "confirm the fingerprint on the machine itself", message);
            this.fingerprint = e.fingerprint();
        }

        @Override
        ApiError body() {
            return new ApiError(super.body().error(), null, null, getMessage(), null, fingerprint);
        }
    }

    /** A 502: ssh to the peer failed, with the kind of failure. */
    static final class Failure extends ApiException {
        private static final long serialVersionUID = 1L;
        private final String kind;

        Failure(SshException e) {
            super(502, "ssh", null, null, e.getMessage());
            this.kind = e.kind().name().toLowerCase(Locale.ROOT);
        }

        @Override
        ApiError body() {
            return new ApiError("ssh", null, null, getMessage(), kind, null);
        }
    }
}

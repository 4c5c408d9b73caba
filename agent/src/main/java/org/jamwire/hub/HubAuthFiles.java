package org.jamwire.hub;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The files of a hub that requires authentication, as jacktrip's {@code -A --certfile --keyfile
 * --credsfile}: its TLS certificate and key (PEM) and its users ({@link Credentials}).
 */
public record HubAuthFiles(Path certFile, Path keyFile, Path credsFile) {

    /** Checks that none is null. */
    public HubAuthFiles {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(credsFile, "credsFile");
    }
}

package org.jamwire.coordinator;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a peer is and who to be there: a host, a port, a user and a private key. Checked when
 * made, so that nothing odd reaches ssh. Immutable.
 *
 * @param host a host name or IP address
 * @param port the ssh port
 * @param user the remote user
 * @param identity the private key file
 */
public record SshTarget(String host, int port, String user, Path identity) {

    /** Checks every field and names the one that is wrong. */
    public SshTarget {
        if (host == null || !host.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,252}|[0-9A-Fa-f:]{2,39}")) {
            throw new IllegalArgumentException("host: '" + host + "' is not a host name or IP address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: use a whole number from 1 to 65535");
        }
        if (user == null || !user.matches("[a-z_][a-z0-9_.-]{0,31}")) {
            throw new IllegalArgumentException("user: '" + user + "' is not a user name (lower-case letters, digits,"
                    + " _ . -, starting with a letter or _)");
        }
        if (identity == null || !Files.isReadable(identity)) {
            throw new IllegalArgumentException("key: " + identity + " is not a readable private key file");
        }
    }

    /** How ssh and known_hosts name the host: {@code host}, or {@code [host]:port} off port 22. */
    public String knownHostsName() {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    @Override
    public String toString() {
        return user + "@" + host + (port == 22 ? "" : ":" + port);
    }
}

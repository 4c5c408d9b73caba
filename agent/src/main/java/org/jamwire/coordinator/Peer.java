package org.jamwire.coordinator;

import java.nio.file.Path;

/**
 * A lab machine the coordinator knows: a name for people, where to reach it over ssh, the JACK
 * server it uses, and what the last probe found. Immutable.
 *
 * @param name a short name, e.g. {@code studio-b}
 * @param host its host name or address
 * @param port its ssh port
 * @param user the user to log in as
 * @param key the private key file
 * @param jackServer the JACK server it runs
 * @param report the last probe's findings, or null
 */
public record Peer(String name, String host, int port, String user, Path key, String jackServer, PeerReport report) {

    /** Checks the fields, naming the one that is wrong. */
    public Peer {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
            throw new IllegalArgumentException("name: use 1 to 63 letters, digits, _ . -, starting with a letter or"
                    + " digit");
        }
        if (jackServer == null || !jackServer.matches(PeerPrograms.SERVER_NAME)) {
            throw new IllegalArgumentException("jackServer: use 1 to 63 letters, digits, _ . -");
        }
        target(host, port, user, key);
    }

    private static SshTarget target(String host, int port, String user, Path key) {
        return new SshTarget(host, port, user, key);
    }

    /** Where ssh goes. */
    public SshTarget target() {
        return target(host, port, user, key);
    }

    /** The same peer with a new report. */
    public Peer withReport(PeerReport r) {
        return new Peer(name, host, port, user, key, jackServer, r);
    }
}

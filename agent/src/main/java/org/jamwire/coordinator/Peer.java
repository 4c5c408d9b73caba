package org.jamwire.coordinator;

import java.nio.file.Path;

/**
 * A lab machine the coordinator knows: a name for people, where to reach it over ssh, the JACK
 * server it uses, where its JamWire agent listens and keeps its token, and what the last probe
 * found. Immutable.
 *
 * @param name a short name, e.g. {@code studio-b}
 * @param host its host name or address
 * @param port its ssh port
 * @param user the user to log in as
 * @param key the private key file
 * @param jackServer the JACK server it runs
 * @param agentPort the TCP port its agent listens on, on its own loopback
 * @param agentToken its agent's token file, absolute or relative to the user's home
 * @param report the last probe's findings, or null
 */
public record Peer(String name, String host, int port, String user, Path key, String jackServer, int agentPort,
        String agentToken, PeerReport report) {

    /** The agent's port when none is given. */
    public static final int DEFAULT_AGENT_PORT = 8464;
    /** Where the agent keeps its token when not told otherwise, relative to the user's home. */
    public static final String DEFAULT_AGENT_TOKEN = ".config/jamwire/token";
    /** A token file's path as it may be given: no spaces, quotes or other characters a shell would act on. */
    static final String TOKEN_PATH = "[A-Za-z0-9_./-]{1,200}";

    /** Checks the fields, naming the one that is wrong. */
    public Peer {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
            throw new IllegalArgumentException("name: use 1 to 63 letters, digits, _ . -, starting with a letter or"
                    + " digit");
        }
        if (jackServer == null || !jackServer.matches(PeerPrograms.SERVER_NAME)) {
            throw new IllegalArgumentException("jackServer: use 1 to 63 letters, digits, _ . -");
        }
        if (agentPort < 1 || agentPort > 65535) {
            throw new IllegalArgumentException("agentPort: the TCP port of the peer's agent, 1 to 65535 (default "
                    + DEFAULT_AGENT_PORT + ")");
        }
        if (agentToken == null || !agentToken.matches(TOKEN_PATH) || agentToken.contains("..")) {
            throw new IllegalArgumentException("agentToken: the peer agent's token file, up to 200 letters, digits and"
                    + " _ . / - without '..' (default ~/" + DEFAULT_AGENT_TOKEN + ")");
        }
        target(host, port, user, key);
    }

    /** A peer whose agent, if any, listens on the default port and keeps its token in the default place. */
    public Peer(String name, String host, int port, String user, Path key, String jackServer, PeerReport report) {
        this(name, host, port, user, key, jackServer, DEFAULT_AGENT_PORT, DEFAULT_AGENT_TOKEN, report);
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
        return new Peer(name, host, port, user, key, jackServer, agentPort, agentToken, r);
    }
}

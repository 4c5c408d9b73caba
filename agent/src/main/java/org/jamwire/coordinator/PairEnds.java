package org.jamwire.coordinator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a pair holds on its peers: the ssh sessions, what probing each peer found, and the ends
 * started there. Filled in by the pair's steps on its control thread; HTTP threads read the ends
 * and stop everything.
 */
final class PairEnds {

    /**
     * A peer of the pair as its connect step found it.
     *
     * @param peer the peer
     * @param ssh the session to it, which the pair holds until it stops
     * @param report what probing it found
     */
    record Probed(Peer peer, SshSession ssh, PeerReport report) {
    }

    /** The peer that runs the server. */
    final String serverPeer;
    /** The peer that runs the client, or null for this machine. */
    final String clientPeer;
    /** The ports the user asked for. */
    final PairPorts.Asked asked;
    /** The ports this agent's pairs hold; this pair's are let go as it ends. */
    final PortClaims claims;
    /** The pair's id, as it holds ports. */
    final String pair;

    private final List<SshSession> sessions = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    /** The server's peer once connected; read by the steps after. */
    Probed server;
    /** The client's peer once connected, or null when the client runs here. */
    Probed client;
    /** The server as started on its peer, or null. */
    volatile RemoteEnd serverEnd;
    /** The client as started on its peer, or null (also when it runs here). */
    volatile RemoteEnd clientEnd;
    /** The client's link id when it runs here, or null. */
    volatile String localLink;
    /** {@code agent}, {@code jamwire} or {@code jacktrip}: what runs the server, or null before it starts. */
    volatile String program;
    /** Both UDP ports once the check chose them, or null. */
    volatile PairPorts ports;

    PairEnds(String pair, String serverPeer, String clientPeer, PairPorts.Asked asked, PortClaims claims) {
        this.pair = pair;
        this.serverPeer = serverPeer;
        this.clientPeer = clientPeer;
        this.asked = asked;
        this.claims = claims;
    }

    /** The server's UDP port on its peer, once chosen. */
    int serverPort() {
        return ports.server();
    }

    /** The client's own UDP port on its machine, once chosen. */
    int clientPort() {
        return ports.client();
    }

    /** How messages call the client's machine: its peer's name, or "this machine". */
    String clientName() {
        return clientPeer == null ? "this machine" : clientPeer;
    }

    /**
     * Opens an ssh session to a peer and holds it; a pair stopped meanwhile closes it again.
     *
     * @throws IllegalStateException when the pair was stopped
     */
    SshSession open(Lab lab, Peer peer) throws SshException {
        final SshSession s = lab.connect(peer);
        sessions.add(s);
        if (stopped) {
            close();
            throw new IllegalStateException("the pair was stopped");
        }
        return s;
    }

    /** The session to the server's peer, while the pair holds it. */
    SshSession serverSession() {
        return sessions.isEmpty() ? null : sessions.get(0);
    }

    /** Whether the pair was stopped by the user, rather than failing. */
    boolean stopped() {
        return stopped;
    }

    /** Stops both ends on the peers and closes the ssh sessions; {@code byUser} unless a step failed. */
    void stop(boolean byUser) {
        stopped = byUser;
        close();
    }

    private void close() {
        claims.release(pair);
        for (RemoteEnd r : new RemoteEnd[] {clientEnd, serverEnd}) {
            if (r != null) {
                r.close();
            }
        }
        for (SshSession s : sessions) {
            s.close();
        }
    }
}

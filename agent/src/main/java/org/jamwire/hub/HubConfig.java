package org.jamwire.hub;

import java.util.Objects;
import org.jamwire.link.LinkConfig;

/**
 * Everything a hub server needs: its TCP port, the UDP ports of its workers, how it patches, and a
 * template for each worker's link (bit depth, queue, redundancy, backend...). Each worker's channel
 * counts, port and name come from its client. Immutable; built on the control thread.
 *
 * @param tcpPort the handshake's TCP port (4464 plus any offset, or -B)
 * @param udpBasePort the first worker's UDP port; worker N uses this plus N
 * @param maxClients the number of worker slots
 * @param patch how the clients' ports are connected
 * @param includeServer with patch 2 or 4, also connect the hub's system ports to every client
 * @param upmix also feed a mono client's channel to the second channel of the others
 * @param worker the template of each worker's link: role SERVER; ports, channels and name are
 *     replaced per client
 * @param auth the files of authentication ({@code -A}), or null for a hub that does not authenticate
 */
public record HubConfig(int tcpPort, int udpBasePort, int maxClients, PatchMode patch, boolean includeServer,
        boolean upmix, LinkConfig worker, HubAuthFiles auth) {

    /** jacktrip's default UDP base port. */
    public static final int DEFAULT_UDP_BASE = 61002;
    /** jacktrip's limit on hub clients. */
    public static final int MAX_CLIENTS = 1024;

    /** Checks the ranges. */
    public HubConfig {
        Objects.requireNonNull(patch, "patch");
        Objects.requireNonNull(worker, "worker");
        if (tcpPort < 1 || tcpPort > 65535) {
            throw new IllegalArgumentException("TCP port " + tcpPort + " is outside 1 to 65535");
        }
        if (maxClients < 1 || maxClients > MAX_CLIENTS || udpBasePort < 1 || udpBasePort + maxClients - 1 > 65535) {
            throw new IllegalArgumentException("UDP ports " + udpBasePort + " to " + (udpBasePort + maxClients - 1)
                    + " are not all within 1 to 65535");
        }
    }

    /** A hub that does not authenticate. */
    public HubConfig(int tcpPort, int udpBasePort, int maxClients, PatchMode patch, boolean includeServer,
            boolean upmix, LinkConfig worker) {
        this(tcpPort, udpBasePort, maxClients, patch, includeServer, upmix, worker, null);
    }

    /** jacktrip's rule: the UDP base moves with the TCP port, 61002 + (TCP port - 4464). */
    public static int defaultUdpBase(int tcpPort) {
        return DEFAULT_UDP_BASE + tcpPort - LinkConfig.DEFAULT_PORT;
    }
}

package org.jamwire.coordinator;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * This machine, as an ensemble whose hub runs here sees it: its own agent, which runs the hub, and
 * what runs here, in the shape a peer's probe has. Called on control threads.
 */
public interface ThisMachine {

    /** This machine's own agent, asked directly. */
    PeerAgent agent();

    /** What runs here: JACK's rate, period and xruns, JamWire's version, the free link ports. */
    PeerReport probe();

    /**
     * The address of this machine that {@code host} reaches it at: the one its route there leaves
     * from. Nothing is sent.
     *
     * @throws IOException when {@code host} is not known, or there is no route to it
     */
    static String addressToward(String host) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(host), 9));
            final InetAddress local = s.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                throw new IOException("no route from this machine to " + host);
            }
            return local.getHostAddress();
        }
    }
}

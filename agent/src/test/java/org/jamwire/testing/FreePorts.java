package org.jamwire.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;

/** Ports nobody listens on now, found by binding port 0 and letting it go. Any thread. */
public final class FreePorts {

    private FreePorts() {
    }

    /** A UDP port free now. */
    public static int udp() {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free UDP port", e);
        }
    }

    /** A TCP port free now. */
    public static int tcp() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port", e);
        }
    }
}

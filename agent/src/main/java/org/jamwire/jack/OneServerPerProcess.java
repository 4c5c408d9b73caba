package org.jamwire.jack;

import org.jamwire.audio.AudioBackendException;

/**
 * Keeps all JACK clients of this process on one server. libjack keeps the engine and graph of the
 * server it last connected to in process-wide state: a second client on another server reads the
 * first server's sample rate and buffer size, both clients run at the same wrong pace, and closing
 * them crashed the JVM inside libjack (jackd2 1.9.21). Called from the control thread.
 */
final class OneServerPerProcess {

    private static String server;
    private static int clients;

    private OneServerPerProcess() {}

    /** Records one more client on {@code name}, or refuses if clients are open on another server. */
    static synchronized void claim(String name) throws AudioBackendException {
        if (clients > 0 && !server.equals(name)) {
            throw new AudioBackendException("this process already has " + clients + " JACK client(s) on server '"
                    + server + "', and libjack can only talk to one server per process:"
                    + " close them before using server '" + name + "'");
        }
        server = name;
        clients++;
    }

    /** Clients open now. */
    static synchronized int clients() {
        return clients;
    }

    /** Records that one client has closed. */
    static synchronized void release() {
        if (clients > 0) {
            clients--;
        }
    }

    /** The server name libjack will use for {@code requested}, which may be null for the default. */
    static String effectiveName(String requested) {
        if (requested != null) {
            return requested;
        }
        final String fromEnvironment = System.getenv("JACK_DEFAULT_SERVER");
        return fromEnvironment != null ? fromEnvironment : "default";
    }
}

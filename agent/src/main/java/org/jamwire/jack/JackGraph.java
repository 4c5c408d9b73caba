package org.jamwire.jack;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jamwire.audio.AudioBackendException;

/**
 * A JACK client without ports that watches a server for the agent: its settings, xruns and load,
 * its ports and their connections, and connects or disconnects ports on request. Its methods are
 * called from control threads (they are synchronized, as libjack's graph calls are not meant to
 * race with {@link #close()}); its xrun and shutdown callbacks run on JACK's notification thread.
 */
public final class JackGraph implements AutoCloseable {

    /** One port of the graph. {@code output} is JACK's sense: the port produces audio. */
    public record Port(String name, String client, boolean output, boolean physical, List<String> connections) {
        /** Copies the connections. */
        public Port {
            connections = List.copyOf(connections);
        }
    }

    /** The server's settings and load, read together. */
    public record Settings(String server, int sampleRate, int bufferSize, long xruns, float cpuLoad) {
    }

    /** A connect or disconnect request that names a port wrongly. */
    public static final class PortException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        PortException(String field, String message) {
            super(message);
            this.field = field;
        }

        /** {@code source} or {@code destination}, or null when neither port is at fault. */
        public String field() {
            return field;
        }
    }

    /** Kept reachable for as long as libjack may call it: for the life of the process. */
    private static final JackLibrary.MessageCallback DISCARD = message -> { };

    private final long client;
    private final String server;
    private final AtomicLong xruns = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean alive = true;

    // JACK holds the addresses of these callbacks' native stubs: keep them reachable.
    private final JackLibrary.XrunCallback onXrun = arg -> {
        xruns.incrementAndGet();
        return 0;
    };
    private final JackLibrary.InfoShutdownCallback onShutdown = (code, reason, arg) -> alive = false;

    private JackGraph(long client, String server) {
        this.client = client;
        this.server = server;
    }

    /**
     * Opens a watching client on {@code serverName}, or the default server when null.
     *
     * @throws AudioBackendException when no such server runs (the message says how to start one), or
     *     this process has clients on another server
     */
    public static JackGraph open(String serverName, String clientName) throws AudioBackendException {
        final String effective = OneServerPerProcess.effectiveName(serverName);
        OneServerPerProcess.claim(effective);
        final long client;
        try {
            client = JackBackend.openClient(serverName, clientName);
        } catch (AudioBackendException | RuntimeException e) {
            OneServerPerProcess.release();
            throw e;
        }
        final JackGraph graph = new JackGraph(client, effective);
        final CallbackThreadInitializer notify = new CallbackThreadInitializer(true, false, "jack-notify "
                + clientName);
        Native.setCallbackThreadInitializer(graph.onXrun, notify);
        Native.setCallbackThreadInitializer(graph.onShutdown, notify);
        JackLibrary.jack_set_xrun_callback(client, graph.onXrun, null);
        JackLibrary.jack_on_info_shutdown(client, graph.onShutdown, null);
        if (JackLibrary.jack_activate(client) != 0) {
            graph.close();
            throw new AudioBackendException("JACK could not activate the agent's watching client on server '"
                    + effective + "': check that jackd is still running");
        }
        return graph;
    }

    /**
     * Stops libjack printing its own messages to stderr, for the whole process: a watcher retrying
     * every few seconds while no server runs would print five lines each time, and the state it
     * reports already says what is wrong and how to fix it.
     */
    public static void silenceLibjack() {
        JackLibrary.jack_set_error_function(DISCARD);
        JackLibrary.jack_set_info_function(DISCARD);
    }

    /** False once the server has shut this client down (it stopped or crashed). */
    public boolean isAlive() {
        return alive && !closed.get();
    }

    /** The server's name. */
    public String server() {
        return server;
    }

    /** The settings, xruns seen since this client opened, and the DSP load in percent. */
    public synchronized Settings settings() {
        if (!isAlive()) {
            return new Settings(server, 0, 0, xruns.get(), 0f);
        }
        return new Settings(server, JackLibrary.jack_get_sample_rate(client), JackLibrary.jack_get_buffer_size(client),
                xruns.get(), JackLibrary.jack_cpu_load(client));
    }

    /** Every audio port, in the server's order, with what each is connected to. */
    public synchronized List<Port> ports() {
        if (!isAlive()) {
            return List.of();
        }
        final String[] names = JackLibrary.ports(client, JackSession.AUDIO_TYPE, 0);
        final List<Port> ports = new ArrayList<>(names.length);
        for (String name : names) {
            final long port = JackLibrary.jack_port_by_name(client, name);
            if (port == 0) {
                continue; // unregistered since the list was read
            }
            final int flags = JackLibrary.jack_port_flags(port);
            final int colon = name.indexOf(':');
            ports.add(new Port(name, colon < 0 ? name : name.substring(0, colon),
                    (flags & JackLibrary.PORT_IS_OUTPUT) != 0, (flags & JackLibrary.PORT_IS_PHYSICAL) != 0,
                    Arrays.asList(JackLibrary.connections(client, port))));
        }
        return ports;
    }

    /**
     * Connects an output port to an input port; connecting ports already connected is no error.
     *
     * @throws PortException naming the port that does not exist or has the wrong direction
     */
    public synchronized void connect(String source, String destination) throws PortException {
        checkPair(source, destination);
        final int result = JackLibrary.jack_connect(client, source, destination);
        if (result != 0 && result != JackLibrary.EEXIST) {
            throw new PortException(null, "JACK refused to connect " + source + " to " + destination
                    + " (error " + result + ")");
        }
    }

    /**
     * Disconnects two ports.
     *
     * @return false when they were not connected
     * @throws PortException naming the port that does not exist or has the wrong direction
     */
    public synchronized boolean disconnect(String source, String destination) throws PortException {
        checkPair(source, destination);
        final long port = JackLibrary.jack_port_by_name(client, source);
        if (!Arrays.asList(JackLibrary.connections(client, port)).contains(destination)) {
            return false;
        }
        return JackLibrary.jack_disconnect(client, source, destination) == 0;
    }

    private void checkPair(String source, String destination) throws PortException {
        if (!isAlive()) {
            throw new PortException(null, "the JACK server '" + server + "' has stopped");
        }
        checkPort("source", source, JackLibrary.PORT_IS_OUTPUT, "an output (capture or send) port");
        checkPort("destination", destination, JackLibrary.PORT_IS_INPUT, "an input (playback or receive) port");
    }

    private void checkPort(String field, String name, long direction, String wanted) throws PortException {
        final long port = JackLibrary.jack_port_by_name(client, name);
        if (port == 0) {
            throw new PortException(field, "no JACK port named '" + name + "' on server '" + server
                    + "': list them with GET /api/jack/ports");
        }
        if ((JackLibrary.jack_port_flags(port) & direction) == 0) {
            throw new PortException(field, "'" + name + "' is not " + wanted);
        }
    }

    @Override
    public synchronized void close() {
        if (closed.compareAndSet(false, true)) {
            JackBackend.closeClient(client);
            OneServerPerProcess.release();
        }
    }
}

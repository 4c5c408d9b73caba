package org.jamwire.control;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jamwire.audio.AudioBackendException;
import org.jamwire.jack.JackBackend;
import org.jamwire.jack.JackGraph;

/**
 * Watches the agent's JACK server from a thread of its own: opens a watching client, notices when
 * the server goes away and comes back, counts xruns, and keeps the latest state and port list for
 * the API and the feed. Connects and disconnects ports on request. State is read on any thread.
 */
public final class JackMonitor implements AutoCloseable {

    /**
     * The JACK server as the API shows it.
     *
     * @param server its name
     * @param state {@code running} or {@code unavailable}
     * @param sampleRate Hz, 0 when unavailable
     * @param bufferSize frames per period, 0 when unavailable
     * @param xruns xruns since the agent started
     * @param cpuLoad the server's DSP load in percent
     * @param message why it is unavailable and how to start it, or null
     * @param audioServer what serves the agent's libjack ({@code jackd 1.9.21} or {@code PipeWire
     *     0.3.65}: a PipeWire graph's quantum is its {@code bufferSize}), or null when unavailable
     */
    public record State(String server, String state, int sampleRate, int bufferSize, long xruns, double cpuLoad,
            String message, String audioServer) {
    }

    /**
     * An audio port of the JACK graph.
     *
     * @param name its full name, client:port
     * @param client its client's name
     * @param direction {@code output} or {@code input}
     * @param physical whether it is a sound card's (or the dummy driver's) port
     * @param connections the full names of the ports it is connected to
     */
    public record Port(String name, String client, String direction, boolean physical, List<String> connections) {
    }

    /** A port that JACK refused to connect or disconnect; {@link #field()} names the one at fault. */
    public static final class PortRefused extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        PortRefused(JackGraph.PortException e) {
            super(e.getMessage(), e);
            this.field = e.field();
        }

        /** {@code source} or {@code destination}. */
        public String field() {
            return field;
        }
    }

    /** JACK is not there to act on. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final String server;
    private final EventBus bus;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile JackGraph graph;
    private volatile State state;
    private volatile List<Port> ports = List.of();
    private long xrunsBefore;
    private long xrunsSeen;

    /**
     * @param server the JACK server's name
     * @param bus where {@code jack_lost}, {@code jack_back} and {@code xrun} events go
     */
    public JackMonitor(String server, EventBus bus) {
        this.server = server;
        this.bus = bus;
        this.state = new State(server, "unavailable", 0, 0, 0, 0, "not checked yet", null);
        this.thread = new Thread(this::watch, "jamwire-jack-watch");
        thread.setDaemon(true);
    }

    /** Starts watching; the first check is made before this returns. */
    public void start() {
        JackGraph.silenceLibjack();
        poll(true);
        thread.start();
    }

    /** The latest state. */
    public State state() {
        return state;
    }

    /** The latest list of audio ports and their connections, empty while JACK is unavailable. */
    public List<Port> ports() {
        return ports;
    }

    /** Connects two ports and refreshes the port list. */
    public void connect(String source, String destination) throws Unavailable, PortRefused {
        try {
            graphOrThrow().connect(source, destination);
        } catch (JackGraph.PortException e) {
            throw new PortRefused(e);
        }
        refreshPorts();
    }

    /** Disconnects two ports and refreshes the port list; false if they were not connected. */
    public boolean disconnect(String source, String destination) throws Unavailable, PortRefused {
        final boolean done;
        try {
            done = graphOrThrow().disconnect(source, destination);
        } catch (JackGraph.PortException e) {
            throw new PortRefused(e);
        }
        refreshPorts();
        return done;
    }

    private JackGraph graphOrThrow() throws Unavailable {
        final JackGraph g = graph;
        if (g == null || !g.isAlive()) {
            throw new Unavailable(state.message() != null ? state.message()
                    : "the JACK server '" + server + "' is not running");
        }
        return g;
    }

    private void watch() {
        long nextRetry = System.nanoTime();
        while (running) {
            LockSupport.parkNanos(POLL_NANOS);
            if (graph != null || System.nanoTime() - nextRetry >= 0) {
                poll(false);
                nextRetry = System.nanoTime() + RETRY_NANOS;
            }
        }
    }

    private synchronized void poll(boolean first) {
        if (!running) {
            return;
        }
        JackGraph g = graph;
        if (g != null && !g.isAlive()) {
            xrunsBefore += g.settings().xruns();
            g.close();
            graph = null;
            g = null;
            ports = List.of();
            publish("jack_lost", "the JACK server '" + server + "' stopped; links on it wait for it to come back");
        }
        if (g == null) {
            try {
                g = JackGraph.open(server, "jamwire-agent");
            } catch (AudioBackendException e) {
                state = new State(server, "unavailable", 0, 0, xrunsBefore, 0, e.getMessage(), null);
                return;
            }
            graph = g;
            if (!first) {
                publish("jack_back", "the JACK server '" + server + "' is running");
            }
        }
        final JackGraph.Settings s = g.settings();
        final long xruns = xrunsBefore + s.xruns();
        if (xruns > xrunsSeen) {
            publish("xrun", (xruns - xrunsSeen) + (xruns - xrunsSeen == 1 ? " xrun" : " xruns") + " (" + xruns
                    + " since the agent started)");
        }
        xrunsSeen = xruns;
        state = new State(server, "running", s.sampleRate(), s.bufferSize(), xruns,
                Math.round(s.cpuLoad() * 10) / 10.0, null, audioServer());
        ports = ports(g);
    }

    private static String audioServer() {
        try {
            return JackBackend.audioServer();
        } catch (AudioBackendException e) {
            return null;
        }
    }

    private static List<Port> ports(JackGraph g) {
        return g.ports().stream().map(p -> new Port(p.name(), p.client(), p.output() ? "output" : "input",
                p.physical(), p.connections())).toList();
    }

    private void refreshPorts() {
        final JackGraph g = graph;
        if (g != null) {
            ports = ports(g);
        }
    }

    private void publish(String kind, String message) {
        bus.publish(new AgentEvent(null, kind, message, Instant.now()));
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        synchronized (this) {
            final JackGraph g = graph;
            graph = null;
            if (g != null) {
                g.close();
            }
        }
    }
}

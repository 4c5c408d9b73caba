package org.jamwire.link;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jamwire.audio.AudioBackend;
import org.jamwire.audio.AudioBackendException;
import org.jamwire.audio.AudioSession;
import org.jamwire.engine.Counters;
import org.jamwire.engine.LevelMeter;
import org.jamwire.engine.MicrosClock;
import org.jamwire.engine.StreamFormat;
import org.jamwire.net.LinkSocket;
import org.jamwire.net.PeerStatus;

/**
 * One running P2P link: a UDP socket, an audio client, the {@link AudioPipeline} the audio thread
 * runs between them each period, and the {@link LinkSupervisor} thread that watches it. A control
 * layer starts it, inspects it through {@link #stats()}, hears about it through events, and stops
 * it; any number run at once on different ports. This class is the only one that starts and stops
 * the link's threads. Its methods are called on control threads.
 */
public final class Link implements AutoCloseable {

    /** Lifecycle of a link. */
    public enum State { WAITING_FOR_PEER, CONNECTED, AUDIO_LOST, STOPPED, FAILED }

    private final LinkConfig config;
    private final LinkSocket socket;
    private volatile AudioSession session;
    private final StreamFormat format;
    private final Counters counters = new Counters();
    private final PeerStatus peer = new PeerStatus();
    private final AudioPipeline pipeline;
    private final Consumer<LinkEvent> listener;
    private final LatencyTest latency;
    private final Thread supervisor;
    private final Instant started = Instant.now();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean silentStop;
    private volatile State state;
    private volatile String failure;

    Link(LinkConfig config, LinkSocket socket, AudioBackend backend, AudioSession session,
            ProcessorSlot slot, InetSocketAddress fixedPeer, InetAddress pinned, Consumer<LinkEvent> listener) {
        this.config = config;
        this.socket = socket;
        this.session = session;
        this.listener = listener;
        this.format = new StreamFormat(session.sampleRate(), session.bufferSize(), config.bitResolution(),
                config.sendChannels(), config.receiveChannels(), config.redundancy(), config.queue(),
                config.underrunPolicy(), config.followDrift(), config.maxQueueMillis());
        this.pipeline = new AudioPipeline(socket, fixedPeer, format, counters, peer, MicrosClock.SYSTEM);
        if (pinned != null) {
            pipeline.loop().pin(pinned, config.pin().port());
        }
        this.latency = new LatencyTest(format, pipeline.probe());
        this.state = State.WAITING_FOR_PEER;
        slot.install(pipeline);
        this.supervisor = new Thread(new LinkSupervisor(this, pipeline, backend, slot, peer, counters,
                MicrosClock.SYSTEM), "jamwire-" + config.bindPort() + "-control");
        supervisor.setDaemon(true);
    }

    /**
     * Opens the socket and the audio client and starts streaming.
     *
     * @param config the link's settings
     * @param backend the audio backend to open a client on
     * @param listener receives the link's events, on the link's control thread
     * @throws LinkException when the host is unknown, the port is taken, the audio backend refuses,
     *     or its period differs from the one the user required
     */
    public static Link start(LinkConfig config, AudioBackend backend, Consumer<LinkEvent> listener)
            throws LinkException {
        final InetSocketAddress fixedPeer = config.role() == Role.CLIENT ? LinkOpening.resolve(config) : null;
        // Resolved before the socket is bound, so that an unknown name leaves nothing open.
        final InetAddress pinned = config.pin() == null ? null : LinkOpening.resolvePin(config.pin());
        return LinkOpening.start(config, bind(config.bindPort()), fixedPeer, pinned, backend, listener);
    }

    /**
     * Starts a link on a socket already bound (by {@link #bind(int)}), streaming with {@code peer}
     * from the start, as a hub's worker does once its client's first datagram has come. The link
     * owns the socket from here, and closes it even when it cannot start.
     *
     * @param peer the address to send to and the only one received from, or null to adopt the
     *     source of the first datagram
     */
    public static Link start(LinkConfig config, LinkSocket socket, InetSocketAddress peer,
            AudioBackend backend, Consumer<LinkEvent> listener) throws LinkException {
        return LinkOpening.start(config, socket, peer, null, backend, listener);
    }

    /**
     * Opens a non-blocking UDP socket on {@code port} with the options a link's socket has
     * (expedited TOS, 1 MiB buffers).
     *
     * @throws LinkException when the port is taken or the socket cannot be opened
     */
    public static LinkSocket bind(int port) throws LinkException {
        return LinkOpening.bind(port);
    }

    /** The settings this link was started with. */
    public LinkConfig config() {
        return config;
    }

    /** The local stream format: the audio server's rate and period and the wire settings. */
    public StreamFormat format() {
        return format;
    }

    /** The current state. */
    public State state() {
        return state;
    }

    /** Why the link failed, or null. */
    public String failure() {
        return failure;
    }

    /** The audio client's name. */
    public String clientName() {
        return session.clientName();
    }

    /** The local UDP port. */
    public int localPort() {
        return socket.localPort();
    }

    /** A snapshot of the counters and the peer's state. */
    public LinkStats stats() {
        return new LinkStats(state, peer.peer(), counters.snapshot(), session.xruns(), peer.peerRateCode(),
                peer.peerBits(), peer.peerFrames(), peer.peerChannels(), format,
                Duration.between(started, Instant.now()));
    }

    /**
     * The audio side in a few words: periods the audio server has run the link in, periods in
     * which it failed, and the server's xruns.
     */
    public String describeAudio() {
        final AudioSession s = session;
        return s.periods() + " audio periods, " + s.processorFailures() + " failed, " + s.xruns() + " xruns";
    }

    /** Levels of the audio this end sends, per channel, as the audio thread last measured them. */
    public LevelMeter sendLevels() {
        return pipeline.sendLevels();
    }

    /** Levels of the audio this end plays from the network, per channel. */
    public LevelMeter receiveLevels() {
        return pipeline.receiveLevels();
    }

    /**
     * Measures the round trip through the far end, whose receive ports must be looped to its send
     * ports: for a moment {@code channel} sends a test burst instead of its audio, and its playback
     * here is muted. Blocks until a clear echo came back, or for {@code timeout}.
     *
     * @param channel the channel, from 1, that the link both sends and receives
     * @param timeout how long to wait for the echo, which bounds the round trip measured
     * @throws LatencyException when the link is not connected, another test runs, or no clear
     *     echo came back in time
     * @throws IllegalArgumentException when the link does not send and receive {@code channel}
     */
    public Latency measureLatency(int channel, Duration timeout) throws LatencyException {
        return latency.run(channel, timeout, this::state);
    }

    /** Stops the link: sends the stop packet twice, releases the port and the audio client. */
    public void stop() {
        shutdown(State.STOPPED, null, null);
    }

    /**
     * Stops the link without the stop packet: a hub does this to a worker whose client has
     * reconnected from the same address and port, which the stop packet would stop again.
     */
    public void abandon() {
        silentStop = true;
        shutdown(State.STOPPED, null, null);
    }

    @Override
    public void close() {
        stop();
    }

    /** Waits until the link has stopped or failed and released everything, or the timeout passes; true if it did. */
    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    void startSupervisor() {
        supervisor.start();
    }

    boolean running() {
        return running;
    }

    AudioSession session() {
        return session;
    }

    /**
     * Marks the audio as lost and returns the state before, or null when the link has stopped: a
     * stop closes the session too, and then the link has not lost its audio, it has stopped.
     */
    synchronized State loseAudio() {
        if (!running) {
            return null;
        }
        final State before = state;
        state = State.AUDIO_LOST;
        return before;
    }

    /**
     * Streams again on a reopened session, under the link's lock so that a stop either comes first
     * or finds the new session. False when the link stopped meanwhile.
     *
     * @throws AudioBackendException when the session does not start; it is closed
     */
    synchronized boolean resumeAudio(AudioSession again, State before) throws AudioBackendException {
        if (!running) {
            again.close(); // stopped while reopening: the stop closed the old session, not this one
            return false;
        }
        try {
            again.start();
        } catch (AudioBackendException e) {
            again.close();
            throw e;
        }
        session = again;
        state = before == State.AUDIO_LOST ? State.WAITING_FOR_PEER : before;
        return true;
    }

    /**
     * One receiving pass while no audio client runs, under the lock so that a stop never closes the
     * socket under it.
     */
    synchronized void receiveWithoutAudio(int max) {
        if (running) {
            pipeline.loop().receiveWaiting(max);
        }
    }

    /** A state change the supervisor saw, unless a stop got there first and its state stands. */
    synchronized void setStateIfRunning(State next) {
        if (running) {
            state = next;
        }
    }

    /**
     * Stops the link once: the first caller (a user's stop, or the supervisor on an event) wins,
     * and only its reason is reported, so a stop never reads as the failure its own teardown causes.
     */
    synchronized void shutdown(State end, LinkEvent.Kind kind, String message) {
        if (!running) {
            return;
        }
        running = false;
        failure = end == State.FAILED ? message : null;
        if (kind != null) {
            emit(kind, message);
        }
        // The audio client first: once it is closed, no audio thread uses the socket.
        session.close();
        if (!peer.peerStopped() && !silentStop) {
            pipeline.loop().sendStop();
        }
        socket.close();
        state = end;
        stopped.countDown();
        emit(LinkEvent.Kind.STOPPED, end == State.FAILED ? "stopped: " + message : "stopped");
    }

    void emit(LinkEvent.Kind kind, String message) {
        if (kind == null || message == null) {
            return;
        }
        try {
            listener.accept(new LinkEvent(kind, message, Instant.now()));
        } catch (RuntimeException e) {
            // A faulty listener must not take the link down with it.
        }
    }
}

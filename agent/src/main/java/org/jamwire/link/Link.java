package org.jamwire.link;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jamwire.audio.AudioBackend;
import org.jamwire.audio.AudioBackendException;
import org.jamwire.audio.AudioSession;
import org.jamwire.audio.AudioSpec;
import org.jamwire.audio.AudioProcessor;
import org.jamwire.engine.Counters;
import org.jamwire.engine.LevelMeter;
import org.jamwire.engine.LinkCounter;
import org.jamwire.engine.LinkEngine;
import org.jamwire.engine.MicrosClock;
import org.jamwire.engine.PacketRing;
import org.jamwire.engine.ReceiveQueue;
import org.jamwire.engine.SendSignal;
import org.jamwire.engine.StreamFormat;
import org.jamwire.net.PacketLoop;
import org.jamwire.net.PeerStatus;
import org.jamwire.protocol.PacketHeader;

/**
 * One running P2P link: a UDP socket, an audio client, the engine between them and the threads that
 * drive it. A control layer starts it, inspects it through {@link #stats()}, hears about it through
 * events, and stops it; any number run at once on different ports. This class is the only one that
 * starts and stops the link's threads. Its methods are called on control threads.
 *
 * <h2>Threads</h2>
 *
 * <p>The audio thread does the link's network work itself ({@link AudioThreadNetwork}): at the start
 * of each period it takes every datagram waiting on the non-blocking socket, and it sends its own
 * datagram as soon as the engine has made it, then takes what has arrived since, just before the
 * engine drains its incoming ring. A datagram that arrives between two periods waits in the
 * socket's buffer instead of a ring, and is played at the same period as before. No other
 * thread wakes per period: on a two-core machine the wake-ups of a sender and a receiver thread cost
 * more CPU than the sends and receives themselves. While the audio server is away, the control
 * thread keeps receiving, so that the peer's stop packet and its silence are still noticed. The
 * supervisor thread checks the link's state every {@value #SUPERVISE_MILLIS} ms.
 */
public final class Link implements AutoCloseable {

    /** Lifecycle of a link. */
    public enum State { WAITING_FOR_PEER, CONNECTED, AUDIO_LOST, STOPPED, FAILED }

    private static final int OUTGOING_SLOTS = 16;
    private static final int INCOMING_SLOTS = 64;
    private static final long SUPERVISE_MILLIS = 100;
    /** How long after the start a link waits for its first audio period before saying it has none. */
    private static final long IDLE_AUDIO_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long SUPERVISE_NANOS = TimeUnit.MILLISECONDS.toNanos(SUPERVISE_MILLIS);
    /** Datagrams taken per period at most: as many as the incoming ring holds until the engine drains it. */
    private static final int RECEIVES_PER_PERIOD = INCOMING_SLOTS;
    /** Datagrams taken per pass at most while no audio client runs: more than a pass's worth at any period. */
    private static final int RECEIVES_WITHOUT_AUDIO = 10_000;
    private static final int TOS_EXPEDITED = 0xB8;
    /** Fewest seconds between two warnings about datagrams in another format while waiting. */
    private static final int STRANGER_REPORT_SECONDS = 10;
    private static final long AUDIO_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final LinkConfig config;
    private final DatagramChannel channel;
    private final AudioBackend backend;
    private final ProcessorSlot slot;
    private volatile AudioSession session;
    private final StreamFormat format;
    private final Counters counters = new Counters();
    private final PeerStatus peer = new PeerStatus();
    private final LinkEngine engine;
    private final PacketLoop loop;
    private final Consumer<LinkEvent> listener;
    private final AudioThreadNetwork network = new AudioThreadNetwork();
    private final LevelMeter sendLevels;
    private final LevelMeter receiveLevels;
    private final LatencyTest latency;
    private final int localPort;
    private final Thread supervisor;
    private final Instant started = Instant.now();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean silentStop;
    private volatile State state;
    private volatile String failure;

    private Link(LinkConfig config, DatagramChannel channel, AudioBackend backend, AudioSession session,
            ProcessorSlot slot, InetSocketAddress fixedPeer, Consumer<LinkEvent> listener) {
        this.config = config;
        this.channel = channel;
        this.localPort = boundPort(channel, config);
        this.backend = backend;
        this.slot = slot;
        this.session = session;
        this.listener = listener;
        this.format = new StreamFormat(session.sampleRate(), session.bufferSize(), config.bitResolution(),
                config.sendChannels(), config.receiveChannels(), config.redundancy(), config.queue(),
                config.underrunPolicy(), config.followDrift(), config.maxQueueMillis());
        final PacketRing outgoing = new PacketRing(OUTGOING_SLOTS, format.datagramLength());
        final PacketRing incoming = new PacketRing(INCOMING_SLOTS, PacketLoop.MAX_DATAGRAM + 1);
        this.sendLevels = new LevelMeter(format.sendChannels(), format.sampleRate());
        this.receiveLevels = new LevelMeter(format.receiveChannels(), format.sampleRate());
        this.latency = new LatencyTest(format);
        this.engine = new LinkEngine(format, outgoing, incoming, counters, MicrosClock.SYSTEM, network);
        this.loop = new PacketLoop(channel, fixedPeer, format, outgoing, incoming, counters, peer, engine);
        this.state = State.WAITING_FOR_PEER;
        slot.install(network);
        final String name = "jamwire-" + config.bindPort();
        this.supervisor = new Thread(this::supervise, name + "-control");
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
        final InetSocketAddress fixedPeer = config.role() == Role.CLIENT ? resolve(config) : null;
        // Resolved before the socket is bound, so that an unknown name leaves nothing open.
        final InetAddress pinned = config.pin() == null ? null : resolvePin(config.pin());
        return start(config, bind(config.bindPort()), fixedPeer, pinned, backend, listener);
    }

    /**
     * Starts a link on a socket already bound (by {@link #bind(int)}), streaming with {@code peer}
     * from the start, as a hub's worker does once its client's first datagram has come. The link
     * owns the socket from here, and closes it even when it cannot start.
     *
     * @param peer the address to send to and the only one received from, or null to adopt the
     *     source of the first datagram
     */
    public static Link start(LinkConfig config, DatagramChannel channel, InetSocketAddress peer,
            AudioBackend backend, Consumer<LinkEvent> listener) throws LinkException {
        return start(config, channel, peer, null, backend, listener);
    }

    private static Link start(LinkConfig config, DatagramChannel channel, InetSocketAddress peer,
            InetAddress pinned, AudioBackend backend, Consumer<LinkEvent> listener) throws LinkException {
        final InetSocketAddress fixedPeer = peer;
        AudioSession session = null;
        try {
            final ProcessorSlot slot = new ProcessorSlot();
            session = backend.open(spec(config), slot);
            checkBufferSize(config, session, backend);
            checkDatagramSize(config, session.bufferSize());
            final Link link = new Link(config, channel, backend, session, slot, fixedPeer, listener);
            if (pinned != null) {
                link.loop.pin(pinned, config.pin().port());
            }
            try {
                session.start();
            } catch (AudioBackendException | RuntimeException e) {
                link.stop();
                throw new LinkException(e.getMessage(), e);
            }
            link.supervisor.start();
            link.emit(LinkEvent.Kind.LISTENING, link.describeStart());
            return link;
        } catch (AudioBackendException e) {
            closeQuietly(channel, session);
            throw new LinkException(e.getMessage(), e);
        } catch (LinkException | RuntimeException e) {
            closeQuietly(channel, session);
            throw e;
        }
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
        return localPort;
    }

    /** Read once at start, so that the control thread never takes the socket's locks while the audio thread uses it. */
    private static int boundPort(DatagramChannel channel, LinkConfig config) {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException | NullPointerException e) {
            return config.bindPort();
        }
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
        return sendLevels;
    }

    /** Levels of the audio this end plays from the network, per channel. */
    public LevelMeter receiveLevels() {
        return receiveLevels;
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

    /**
     * The link's network work, done on the audio thread: receives what is waiting before the engine
     * runs, and sends each datagram the moment the engine has queued it. The socket is non-blocking,
     * so neither waits; the packet loop allocates nothing. The socket's own locks (read, write and
     * state) are taken, and only this thread takes them while the audio client runs.
     */
    private final class AudioThreadNetwork implements AudioProcessor, SendSignal {

        @Override
        public void process(float[][] inputs, float[][] outputs, int frames) {
            loop.receiveWaiting(RECEIVES_PER_PERIOD);
            latency.probe().replaceSend(inputs, frames);
            engine.process(inputs, outputs, frames);
            latency.probe().capturePlayed(outputs, frames);
            sendLevels.measure(inputs, frames);
            receiveLevels.measure(outputs, frames);
        }

        /**
         * Sends the datagram the engine just queued, then takes what arrived since the period
         * began: the engine drains its incoming ring right after this, so a datagram that came in
         * while the callback ran is still played in this period, as it was when a receiver thread
         * filled the ring.
         */
        @Override
        public void ring() {
            loop.sendQueued();
            loop.receiveWaiting(RECEIVES_PER_PERIOD);
        }
    }

    private void supervise() {
        boolean announced = false;
        boolean formatChecked = false;
        long reportedFailures = 0;
        long nextFailureReport = 0;
        final long begun = System.nanoTime();
        boolean idleAudioWarned = false;
        final DropReport strangers = new DropReport();
        final DropReport foreigners = new DropReport();
        long nextStat = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(1, config.ioStatSeconds()));
        while (running) {
            LockSupport.parkNanos(SUPERVISE_NANOS);
            final long now = System.nanoTime();
            if (!announced && peer.lastReceiveNanos() != 0) {
                announced = true;
                setStateIfRunning(State.CONNECTED);
                emit(LinkEvent.Kind.PEER_CONNECTED, "receiving from " + hostPort(peer.peer()));
            }
            if (!formatChecked && peer.peerFrames() > 0) {
                formatChecked = true;
                warnOnFormatDifferences();
            }
            if (peer.mismatch()) {
                fail(LinkEvent.Kind.MISMATCH, Mismatch.describe(format, peer.mismatchRateCode(),
                        peer.mismatchBits()));
                return;
            }
            if (peer.peerStopped()) {
                shutdown(State.STOPPED, LinkEvent.Kind.PEER_STOPPED, "the peer stopped the link");
                return;
            }
            if (!session.isAlive() && !recoverAudio()) {
                return;
            }
            final long strange = peer.stranger() == null ? 0
                    : strangers.due(counters.get(LinkCounter.DROPPED_MISMATCH), now);
            if (strange > 0) {
                emit(LinkEvent.Kind.WARNING, datagrams(strange) + " from " + hostPort(peer.stranger())
                        + " dropped, still waiting for a peer: " + Mismatch.describe(format, peer.strangerRateCode(),
                                peer.strangerBits()));
            }
            final long foreign = peer.peer() != null || peer.lastForeign() == null ? 0
                    : foreigners.due(counters.get(LinkCounter.DROPPED_FOREIGN), now);
            if (foreign > 0) {
                emit(LinkEvent.Kind.WARNING, datagrams(foreign) + " from " + hostPort(peer.lastForeign())
                        + " dropped: this server takes its peer from " + config.pin() + " only (--peer); still waiting");
            }
            if (!idleAudioWarned && now - begun > IDLE_AUDIO_NANOS && session.periods() == 0) {
                idleAudioWarned = true;
                emit(LinkEvent.Kind.WARNING, "the audio server has not run this link's client in "
                        + TimeUnit.NANOSECONDS.toSeconds(IDLE_AUDIO_NANOS) + " s (" + session.xruns()
                        + " xruns): it is stuck or overloaded; nothing is sent or played until it does");
            }
            final long failures = session.processorFailures();
            if (failures < reportedFailures) {
                reportedFailures = 0; // a new audio session counts from 0
            }
            if (failures > reportedFailures && now - nextFailureReport >= 0) {
                emit(LinkEvent.Kind.WARNING, "the link failed in " + (failures - reportedFailures)
                        + " audio periods and played silence in them: " + session.lastProcessorFailure());
                reportedFailures = failures;
                nextFailureReport = now + TimeUnit.SECONDS.toNanos(1);
            }
            if (config.peerTimeoutSeconds() > 0 && peer.lastReceiveNanos() != 0
                    && now - peer.lastReceiveNanos() > TimeUnit.SECONDS.toNanos(config.peerTimeoutSeconds())) {
                shutdown(State.STOPPED, LinkEvent.Kind.TIMEOUT, "no audio from the peer for "
                        + config.peerTimeoutSeconds() + " s; stopping");
                return;
            }
            if (config.ioStatSeconds() > 0 && now >= nextStat) {
                nextStat += TimeUnit.SECONDS.toNanos(config.ioStatSeconds());
                emit(LinkEvent.Kind.STATS, stats().statLine());
            }
        }
    }

    /**
     * The audio server went away: says so, keeps the socket, and opens a new client every half
     * second until the server is back with the same rate and period. Returns false if the link
     * stopped meanwhile or the server came back with other settings.
     */
    private boolean recoverAudio() {
        final State before;
        // A stop closes the session too: then the link has not lost its audio, it has stopped.
        synchronized (this) {
            if (!running) {
                return false;
            }
            before = state;
            state = State.AUDIO_LOST;
        }
        emit(LinkEvent.Kind.AUDIO_LOST, "the audio server went away; waiting for it to come back"
                + " (the link resumes when it does)");
        session.close();
        while (running) {
            receiveWithoutAudio(AUDIO_RETRY_NANOS);
            final AudioSession again;
            try {
                again = backend.open(spec(config), slot);
            } catch (AudioBackendException e) {
                continue;
            }
            if (again.sampleRate() != format.sampleRate() || again.bufferSize() != format.bufferSize()) {
                again.close();
                fail(LinkEvent.Kind.AUDIO_LOST, "the audio server came back at " + again.sampleRate() + " Hz and "
                        + again.bufferSize() + " frames instead of " + format.sampleRate() + " Hz and "
                        + format.bufferSize() + "; start the link again");
                return false;
            }
            engine.requestReset();
            // Under the link's lock, so that a stop either comes first or finds the new session.
            synchronized (this) {
                if (!running) {
                    again.close(); // stopped while reopening: the stop closed the old session, not this one
                    return false;
                }
                // Hands the packet loop back to the audio thread (a volatile write it reads each period).
                slot.install(network);
                try {
                    again.start();
                } catch (AudioBackendException e) {
                    again.close();
                    continue;
                }
                session = again;
                state = before == State.AUDIO_LOST ? State.WAITING_FOR_PEER : before;
            }
            emit(LinkEvent.Kind.AUDIO_BACK, "the audio server is back; streaming again");
            return true;
        }
        return false;
    }

    /**
     * While no audio client runs, receives on the control thread for {@code nanos}, so that the
     * peer's packets, its stop packet and its silence are still seen. Holds the link's lock for each
     * pass, so that a stop never closes the socket under it.
     */
    private void receiveWithoutAudio(long nanos) {
        final long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && running; left = end - System.nanoTime()) {
            synchronized (this) {
                if (running) {
                    loop.receiveWaiting(RECEIVES_WITHOUT_AUDIO);
                }
            }
            LockSupport.parkNanos(Math.min(left, SUPERVISE_NANOS));
        }
    }

    private static AudioSpec spec(LinkConfig config) {
        return new AudioSpec(config.effectiveClientName(), config.sendChannels(), config.receiveChannels(),
                config.autoConnect());
    }

    /**
     * Datagrams a waiting link dropped, said at most every {@value #STRANGER_REPORT_SECONDS} s: how
     * many since the last time it was said. Control thread.
     */
    private static final class DropReport {
        private long reported;
        private long next;

        /** The drops to report now out of {@code count} so far, or 0 when none are new or it is too soon. */
        long due(long count, long now) {
            if (count <= reported || now - next < 0) {
                return 0;
            }
            final long n = count - reported;
            reported = count;
            next = now + TimeUnit.SECONDS.toNanos(STRANGER_REPORT_SECONDS);
            return n;
        }
    }

    private static String datagrams(long n) {
        return n + (n == 1 ? " datagram" : " datagrams");
    }

    private void warnOnFormatDifferences() {
        if (peer.peerFrames() != format.bufferSize()) {
            emit(LinkEvent.Kind.WARNING, "the peer sends " + peer.peerFrames() + "-frame packets and this end runs "
                    + format.bufferSize() + " frames per period; streaming anyway, as jacktrip does, "
                    + "but latency and glitches are best with equal JACK buffer sizes (jackd -p)");
        }
        if (peer.peerChannels() != format.receiveChannels()) {
            emit(LinkEvent.Kind.WARNING, "the peer sends " + peer.peerChannels() + " channels and this end plays "
                    + format.receiveChannels() + "; the first " + Math.min(peer.peerChannels(),
                    format.receiveChannels()) + " are played, any others stay silent");
        }
    }

    /** A state change the supervisor saw, unless a stop got there first and its state stands. */
    private synchronized void setStateIfRunning(State next) {
        if (running) {
            state = next;
        }
    }

    private void fail(LinkEvent.Kind kind, String message) {
        shutdown(State.FAILED, kind, message);
    }

    /**
     * Stops the link once: the first caller (a user's stop, or the supervisor on an event) wins,
     * and only its reason is reported, so a stop never reads as the failure its own teardown causes.
     */
    private synchronized void shutdown(State end, LinkEvent.Kind kind, String message) {
        if (!running) {
            return;
        }
        running = false;
        failure = end == State.FAILED ? message : null;
        if (kind != null) {
            emit(kind, message);
        }
        // The audio client first: once it is closed, no audio thread uses the socket.
        closeQuietly(null, session);
        if (!peer.peerStopped() && !silentStop) {
            loop.sendStop();
        }
        closeQuietly(channel, null);
        state = end;
        stopped.countDown();
        emit(LinkEvent.Kind.STOPPED, end == State.FAILED ? "stopped: " + message : "stopped");
    }

    private void emit(LinkEvent.Kind kind, String message) {
        if (kind == null || message == null) {
            return;
        }
        try {
            listener.accept(new LinkEvent(kind, message, Instant.now()));
        } catch (RuntimeException e) {
            // A faulty listener must not take the link down with it.
        }
    }

    private String describeStart() {
        final String where = config.role() == Role.SERVER
                ? "waiting for a client on UDP port " + localPort()
                        + (config.pin() == null ? "" : ", from " + config.pin() + " only")
                : "streaming to " + config.peerHost() + ":" + config.peerPort() + " from UDP port " + localPort();
        return where + " (" + session.clientName() + ": " + format.sampleRate() + " Hz, " + format.bufferSize()
                + " frames, " + format.bits() + "-bit, send " + format.sendChannels() + " / receive "
                + format.receiveChannels() + " channels, queue " + (format.queue() == ReceiveQueue.AUTO ? "auto" : format.queue()) + ", redundancy "
                + format.redundancy() + ")";
    }

    private static String hostPort(InetSocketAddress a) {
        return a == null ? "?" : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static InetAddress resolvePin(LinkConfig.PeerPin pin) throws LinkException {
        try {
            return InetAddress.getByName(pin.host());
        } catch (UnknownHostException e) {
            throw new LinkException("cannot resolve the pinned peer '" + pin.host()
                    + "' (--peer): check the name, or give an IP address");
        }
    }

    private static InetSocketAddress resolve(LinkConfig config) throws LinkException {
        try {
            return new InetSocketAddress(InetAddress.getByName(config.peerHost()), config.peerPort());
        } catch (UnknownHostException e) {
            throw new LinkException("cannot resolve peer host '" + config.peerHost()
                    + "': check the name, or give an IP address");
        }
    }

    /**
     * Opens a non-blocking UDP socket on {@code port} with the options a link's socket has
     * (expedited TOS, 1 MiB buffers).
     *
     * @throws LinkException when the port is taken or the socket cannot be opened
     */
    public static DatagramChannel bind(int port) throws LinkException {
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open(StandardProtocolFamily.INET);
            try {
                ch.setOption(StandardSocketOptions.IP_TOS, TOS_EXPEDITED);
            } catch (IOException | UnsupportedOperationException e) {
                // Best effort, as in jacktrip: some systems refuse TOS changes.
            }
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
            ch.bind(new InetSocketAddress(port));
            // The audio thread sends and receives: neither may ever wait.
            ch.configureBlocking(false);
            return ch;
        } catch (BindException e) {
            closeQuietly(ch, null);
            throw new LinkException("UDP port " + port + " is already in use: stop the program "
                    + "using it, or pick other ports with -o/--portoffset (e.g. -o 10 for 4474)");
        } catch (IOException e) {
            closeQuietly(ch, null);
            throw new LinkException("cannot open UDP port " + port + ": " + e.getMessage(), e);
        }
    }

    private static void checkBufferSize(LinkConfig config, AudioSession session, AudioBackend backend)
            throws LinkException {
        if (config.expectedBufferSize() > 0 && config.expectedBufferSize() != session.bufferSize()) {
            throw new LinkException("-z " + config.expectedBufferSize() + " does not match " + backend.name()
                    + "'s buffer size of " + session.bufferSize() + " frames: restart " + backend.name()
                    + " with " + config.expectedBufferSize() + " frames per period (jackd -p "
                    + config.expectedBufferSize() + "), or run with -z " + session.bufferSize());
        }
    }

    /**
     * Refuses a link whose datagrams would not fit in UDP over IPv4: each send would fail. Checked
     * for both directions, taking the peer's period to be ours.
     */
    static void checkDatagramSize(LinkConfig config, int frames) throws LinkException {
        final int bytes = config.bitResolution() / 8;
        final int channels = Math.max(config.sendChannels(), config.receiveChannels());
        final long datagram = (PacketHeader.LENGTH + (long) frames * channels * bytes) * config.redundancy();
        if (datagram <= PacketLoop.MAX_DATAGRAM) {
            return;
        }
        final long most = (PacketLoop.MAX_DATAGRAM / config.redundancy() - PacketHeader.LENGTH)
                / ((long) frames * bytes);
        throw new LinkException(String.format("%d channels of %d-bit audio at %d frames per period%s make"
                + " %d-byte datagrams, over the %d bytes UDP can carry: use at most %d channels"
                + " at these settings, or a smaller period, fewer bits%s",
                channels, config.bitResolution(), frames,
                config.redundancy() > 1 ? " with redundancy " + config.redundancy() : "", datagram,
                PacketLoop.MAX_DATAGRAM, most, config.redundancy() > 1 ? " or less redundancy" : ""));
    }

    private static void closeQuietly(DatagramChannel ch, AudioSession session) {
        if (session != null) {
            session.close();
        }
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // Closing a datagram socket has nothing left to report.
            }
        }
    }
}

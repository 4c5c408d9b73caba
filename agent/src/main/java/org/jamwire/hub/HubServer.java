package org.jamwire.hub;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jamwire.audio.AudioBackendException;
import org.jamwire.engine.LevelMeter;
import org.jamwire.jack.JackGraph;
import org.jamwire.link.ClientNames;
import org.jamwire.link.Link;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkException;
import org.jamwire.link.LinkStats;
import org.jamwire.net.HubListener;
import org.jamwire.protocol.HubHandshake;
import org.jamwire.text.Printable;

/**
 * A hub server, as jacktrip's {@code -S}: answers handshakes on its TCP port, gives each client the
 * lowest free slot and its UDP port, runs a {@link HubWorker} per slot, and connects the clients'
 * JACK ports as the patch mode says. A client that reconnects from the address and UDP port of a
 * slot replaces that slot. Control threads only: the handshake thread, one per slot, and one that
 * patches.
 */
public final class HubServer implements AutoCloseable {

    /** How long a TCP client may take to send its request. */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Slots one address may hold before its first datagram: a machine starting several links at
     * once needs a few; handshakes that never send audio must not take the whole hub.
     */
    public static final int MAX_WAITING_PER_ADDRESS = 4;
    /** Slots one address may hold in all: a lab machine runs a few links; behind NAT, a few machines. */
    public static final int MAX_SLOTS_PER_ADDRESS = 16;

    private final HubConfig config;
    private final Consumer<HubEvent> listener;
    private final HubSlots slots;
    private final AtomicLong foreignDatagrams = new AtomicLong();
    private final AtomicLong malformedDatagrams = new AtomicLong();
    private final AtomicLong addressRefusals = new AtomicLong();
    /** When a refusal for too many slots was last said (handshake thread only); 0 for never. */
    private long lastAddressRefusalNote;
    private HubPatcher patcher;
    private HubListener tcp;
    private volatile boolean running = true;

    /**
     * A client as the hub sees it, for the console and the agent.
     *
     * @param slot its slot, from 0
     * @param name its -K name, or its address
     * @param jackName its JACK client's name, or null before its first datagram
     * @param address the address its handshake came from
     * @param udpPort the hub's UDP port for it
     * @param clientPort the UDP port it said it sends from
     * @param joined when it was given the slot
     * @param stats its link's state and counters, or null before its first datagram
     * @param sendLevels what its link sends it, or null before its first datagram
     * @param receiveLevels what its link hears from it, or null before its first datagram
     */
    public record ClientView(int slot, String name, String jackName, String address, int udpPort, int clientPort,
            Instant joined, LinkStats stats, LevelMeter sendLevels, LevelMeter receiveLevels) {
    }

    private HubServer(HubConfig config, Consumer<HubEvent> listener) {
        this.config = config;
        this.listener = listener;
        this.slots = new HubSlots(config);
    }

    /**
     * Starts the hub: opens a JACK client for patching (when the mode patches) and listens.
     *
     * @throws LinkException when the TCP port is taken or JACK cannot be reached
     */
    public static HubServer start(HubConfig config, Consumer<HubEvent> listener) throws LinkException {
        final HubServer hub = new HubServer(config, listener);
        try {
            if (HubPatcher.patches(config.patch())) {
                hub.patcher = new HubPatcher(config, JackGraph.open(config.worker().jackServerName(), "jamwire-hub"),
                        hub.slots::streaming);
            }
            hub.tcp = HubGate.open(config, hub::assign, hub);
        } catch (AudioBackendException e) {
            hub.close();
            throw new LinkException("the hub cannot patch on JACK: " + e.getMessage(), e);
        } catch (BindException e) {
            hub.close();
            throw new LinkException("TCP port " + config.tcpPort() + " is already in use: stop the program using"
                    + " it, or pick another with -B or -o");
        } catch (IOException e) {
            hub.close();
            throw new LinkException(config.auth() != null && !(e instanceof java.net.SocketException)
                    ? e.getMessage() : "cannot listen on TCP port " + config.tcpPort() + ": " + e.getMessage(), e);
        } catch (LinkException e) {
            hub.close();
            throw e;
        }
        hub.emit(-1, null, HubEvent.Kind.LISTENING, "listening on TCP port " + hub.tcp.port()
                + "; clients get UDP ports from "
                + config.udpBasePort() + "; patch mode " + config.patch().number() + " (" + config.patch().meaning()
                + ")" + (config.includeServer() ? ", with the hub's system ports" : "")
                + (config.upmix() ? ", mono clients upmixed" : "")
                + (config.auth() != null ? "; clients must authenticate (-A)" : ""));
        return hub;
    }

    /** The TCP port it listens on. */
    public int tcpPort() {
        return tcp.port();
    }

    /** Whether it still runs: not yet closed. */
    public boolean running() {
        return running;
    }

    /** The handshake listener's counters. */
    public long count(HubListener.Counter c) {
        return tcp.count(c);
    }

    /** Datagrams a waiting slot dropped because they came from another address than its client's. */
    public long foreignDatagrams() {
        return foreignDatagrams.get();
    }

    /** Datagrams a waiting slot dropped because they were not JackTrip packets. */
    public long malformedDatagrams() {
        return malformedDatagrams.get();
    }

    /** The hub's settings. */
    public HubConfig config() {
        return config;
    }

    /** The clients now holding a slot. */
    public List<ClientView> clients() {
        return slots.views();
    }

    /** The handshake's answer, on the handshake thread: a slot's UDP port, or -1 when none is free. */
    private int assign(HubHandshake.Request request, InetSocketAddress from) {
        final HubSlots.Claim claim = slots.claim(this, request, from);
        if (claim == null) {
            return -1;
        }
        if (claim.refusal() != null) {
            addressRefusals.incrementAndGet();
            // Said once in a while, not once per handshake: a flood must not flood the log too.
            final long now = System.nanoTime();
            if (now - lastAddressRefusalNote >= TimeUnit.SECONDS.toNanos(10) || lastAddressRefusalNote == 0) {
                lastAddressRefusalNote = now;
                refused(claim.refusal() + " (" + addressRefusals.get() + " refused so far; said at most every 10 s)");
            }
            return -1;
        }
        final HubWorker replaced = claim.replaced();
        final HubWorker worker = claim.worker();
        if (replaced != null) {
            emit(replaced.id(), replaced.name(), HubEvent.Kind.REPLACED,
                    "replaced by a new connection from the same address and port");
        }
        if (worker == null) {
            refused("no free slot for " + from.getAddress().getHostAddress() + "; its handshake is closed unanswered");
            return -1;
        }
        emit(worker.id(), worker.name(), HubEvent.Kind.JOINED, "connected from " + from.getAddress().getHostAddress()
                + "; UDP port " + worker.port());
        if (!request.name().isEmpty() && !request.name().equals(worker.name())) {
            emit(worker.id(), worker.name(), HubEvent.Kind.NOTE, "its name '" + Printable.escape(request.name())
                    + "' holds characters a JACK client name must not (control or format characters, ':' or '/');"
                    + " it is called '" + worker.name() + "' here");
        }
        worker.start();
        return worker.port();
    }

    /** Handshakes refused because their address held too many slots. */
    public long addressRefusals() {
        return addressRefusals.get();
    }

    /** The link config of a slot's worker: the hub's template with the client's port, name and channels. */
    LinkConfig workerConfig(int port, String name, int sendChannels, int receiveChannels) {
        return config.worker().toBuilder()
                .bindPort(port)
                .clientName(ClientNames.freeJackName(name, jackServer()))
                .sendChannels(sendChannels)
                .receiveChannels(receiveChannels)
                .peerTimeoutSeconds(HubWorker.IDLE_SECONDS)
                .autoConnect(config.worker().autoConnect() && config.patch() == PatchMode.SERVER_TO_CLIENTS)
                .build();
    }

    /** The JACK server the hub's clients join, by name. */
    private String jackServer() {
        final String named = config.worker().jackServerName();
        if (named != null) {
            return named;
        }
        final String env = System.getenv("JACK_DEFAULT_SERVER");
        return env == null || env.isEmpty() ? "default" : env;
    }

    void streaming(HubWorker w, Link link, InetSocketAddress peer) {
        emit(w.id(), w.name(), HubEvent.Kind.STREAMING, "streaming with " + peer.getAddress().getHostAddress()
                + ":" + peer.getPort()
                + " as JACK client " + link.clientName() + " (sends " + link.format().sendChannels()
                + ", receives " + link.format().receiveChannels() + " channels)");
        repatch();
    }

    void released(HubWorker w) {
        final boolean replaced = !slots.release(w);
        emit(w.id(), w.name(), HubEvent.Kind.LEFT, replaced ? "left; its new connection took its place"
                : "left; slot " + w.id() + " is free");
        repatch();
    }

    void report(HubWorker w, String message) {
        if (message != null) {
            emit(w.id(), w.name(), HubEvent.Kind.NOTE, message);
        }
    }

    void countForeign() {
        foreignDatagrams.incrementAndGet();
    }

    void countMalformed() {
        malformedDatagrams.incrementAndGet();
    }

    /** Connects the clients' ports anew, on the patch thread. */
    private void repatch() {
        if (patcher != null && running) {
            patcher.repatch();
        }
    }

    /** A note about the hub as a whole. */
    void note(String message) {
        emit(-1, null, HubEvent.Kind.NOTE, message);
    }

    /** A handshake or login the hub refused. */
    void refused(String message) {
        emit(-1, null, HubEvent.Kind.REFUSED, message);
    }

    private void emit(int slot, String name, HubEvent.Kind kind, String message) {
        try {
            listener.accept(new HubEvent(slot, name, kind, message, Instant.now()));
        } catch (RuntimeException e) {
            // A faulty listener must not take the hub down.
        }
    }

    /** Stops listening, stops every client (each gets the stop packet) and closes the patch client. */
    @Override
    public void close() {
        running = false;
        final List<HubWorker> workers = slots.close();
        if (tcp != null) {
            tcp.close();
        }
        for (HubWorker w : workers) {
            w.stop(false);
        }
        for (HubWorker w : workers) {
            try {
                w.join(TimeUnit.SECONDS.toMillis(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (patcher != null) {
            patcher.close();
        }
    }
}

package org.jamwire.hub;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.jamwire.net.LinkSocket;
import org.jamwire.net.PemFiles;
import org.jamwire.protocol.HubHandshake;

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
    private final HubWorker[] slots;
    private final ExecutorService patcher;
    private final AtomicLong foreignDatagrams = new AtomicLong();
    private final AtomicLong malformedDatagrams = new AtomicLong();
    private final AtomicLong addressRefusals = new AtomicLong();
    /** When a refusal for too many slots was last said (handshake thread only); 0 for never. */
    private long lastAddressRefusalNote;
    private JackGraph graph;
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
        this.slots = new HubWorker[config.maxClients()];
        this.patcher = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "jamwire-hub-patch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the hub: opens a JACK client for patching (when the mode patches) and listens.
     *
     * @throws LinkException when the TCP port is taken or JACK cannot be reached
     */
    public static HubServer start(HubConfig config, Consumer<HubEvent> listener) throws LinkException {
        final HubServer hub = new HubServer(config, listener);
        try {
            if (hub.patches()) {
                hub.graph = JackGraph.open(config.worker().jackServerName(), "jamwire-hub");
            }
            hub.tcp = hub.listen();
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
        hub.emit(-1, null, HubEvent.Kind.LISTENING, "listening on TCP port " + hub.tcp.port() + "; clients get UDP ports from "
                + config.udpBasePort() + "; patch mode " + config.patch().number() + " (" + config.patch().meaning()
                + ")" + (config.includeServer() ? ", with the hub's system ports" : "")
                + (config.upmix() ? ", mono clients upmixed" : "")
                + (config.auth() != null ? "; clients must authenticate (-A)" : ""));
        return hub;
    }

    /** Starts the handshake listener; with -A, first reads the certificate, key and users. */
    private HubListener listen() throws IOException, LinkException {
        final HubAuthFiles auth = config.auth();
        if (auth == null) {
            return HubListener.start(config.tcpPort(), HANDSHAKE_TIMEOUT, this::assign);
        }
        final javax.net.ssl.SSLContext tls = PemFiles.serverContext(auth.certFile(), auth.keyFile());
        final CredentialsFile users;
        try {
            users = CredentialsFile.open(auth.credsFile(), Clock.systemDefaultZone(), m -> emit(-1, null, HubEvent.Kind.NOTE, m));
        } catch (IllegalArgumentException e) {
            throw new LinkException(e.getMessage());
        } catch (IOException e) {
            throw new LinkException("cannot read the credentials file " + auth.credsFile() + ": " + e.getMessage(), e);
        }
        emit(-1, null, HubEvent.Kind.NOTE, "certificate " + PemFiles.fingerprint(PemFiles.certificates(auth.certFile()).get(0))
                + " (SHA-256; tell it to clients that pin it); " + users.current().size() + " users in "
                + auth.credsFile());
        return HubListener.startAuthenticating(config.tcpPort(), HANDSHAKE_TIMEOUT, this::assign, tls,
                new HubListener.Authenticator() {
                    private long lastThrottleNote;

                    @Override
                    public int check(String user, String password) {
                        final int code = users.check(user, password);
                        if (code != HubHandshake.AUTH_OK) {
                            emit(-1, null, HubEvent.Kind.REFUSED, "refused '" + ClientNames.escape(user) + "': "
                                    + HubHandshake.describeCode(code));
                        }
                        return code;
                    }

                    @Override
                    public void throttled(InetSocketAddress from, int failures, long seconds) {
                        final long now = System.nanoTime();
                        if (lastThrottleNote == 0 || now - lastThrottleNote >= TimeUnit.SECONDS.toNanos(10)) {
                            lastThrottleNote = now;
                            emit(-1, null, HubEvent.Kind.REFUSED, "refused a login from "
                                    + from.getAddress().getHostAddress() + " unchecked: " + failures
                                    + " failed logins in a row; it may try again in " + seconds
                                    + " s (said at most every 10 s)");
                        }
                    }
                });
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
    public synchronized List<ClientView> clients() {
        final List<ClientView> out = new ArrayList<>();
        for (HubWorker w : slots) {
            if (w == null) {
                continue;
            }
            final Link l = w.link();
            out.add(new ClientView(w.id(), w.name(), l == null ? null : l.clientName(),
                    w.clientAddress().getHostAddress(), w.port(), w.announcedPort(), w.joined(),
                    l == null ? null : l.stats(), l == null ? null : l.sendLevels(), l == null ? null : l.receiveLevels()));
        }
        return out;
    }

    private boolean patches() {
        return config.patch() == PatchMode.CLIENT_ECHO || config.patch() == PatchMode.CLIENT_FAN_OUT_IN
                || config.patch() == PatchMode.FULL_MIX;
    }

    /** The handshake's answer, on the handshake thread: a slot's UDP port, or -1 when none is free. */
    private int assign(HubHandshake.Request request, InetSocketAddress from) {
        HubWorker replaced = null;
        final HubWorker worker;
        final String refusal;
        synchronized (this) {
            if (!running) {
                return -1;
            }
            for (HubWorker w : slots) {
                if (w != null && w.clientAddress().equals(from.getAddress()) && w.announcedPort() == request.udpPort()) {
                    replaced = w;
                    slots[w.id()] = null;
                    break;
                }
            }
            final String tooMany = replaced == null ? overLimit(from) : null;
            if (tooMany != null) {
                addressRefusals.incrementAndGet();
                worker = null;
                refusal = tooMany;
            } else {
                if (replaced != null) {
                    // Its port must be free again before it is given out: the slot ends without the stop
                    // packet, which would reach the client that has just come back.
                    replaced.stop(true);
                }
                worker = claimSlot(request, from, replaced);
                refusal = null;
            }
        }
        if (refusal != null) {
            // Said once in a while, not once per handshake: a flood must not flood the log too.
            final long now = System.nanoTime();
            if (now - lastAddressRefusalNote >= TimeUnit.SECONDS.toNanos(10) || lastAddressRefusalNote == 0) {
                lastAddressRefusalNote = now;
                emit(-1, null, HubEvent.Kind.REFUSED, refusal + " (" + addressRefusals.get()
                        + " refused so far; said at most every 10 s)");
            }
            return -1;
        }
        if (replaced != null) {
            emit(replaced.id(), replaced.name(), HubEvent.Kind.REPLACED, "replaced by a new connection from the same address and port");
        }
        if (worker == null) {
            emit(-1, null, HubEvent.Kind.REFUSED, "no free slot for " + from.getAddress().getHostAddress() + "; its handshake is closed unanswered");
            return -1;
        }
        emit(worker.id(), worker.name(), HubEvent.Kind.JOINED, "connected from " + from.getAddress().getHostAddress()
                + "; UDP port " + worker.port());
        if (!request.name().isEmpty() && !request.name().equals(worker.name())) {
            emit(worker.id(), worker.name(), HubEvent.Kind.NOTE, "its name '" + ClientNames.escape(request.name())
                    + "' holds characters a JACK client name must not (control or format characters, ':' or '/');"
                    + " it is called '" + worker.name() + "' here");
        }
        worker.start();
        return worker.port();
    }

    /** Why a new slot for {@code from} is refused, or null: it holds too many, or too many waiting. */
    private String overLimit(InetSocketAddress from) {
        int held = 0;
        int waiting = 0;
        for (HubWorker w : slots) {
            if (w != null && w.clientAddress().equals(from.getAddress())) {
                held++;
                if (w.link() == null) {
                    waiting++;
                }
            }
        }
        final String who = from.getAddress().getHostAddress();
        if (waiting >= MAX_WAITING_PER_ADDRESS) {
            return "refused a handshake from " + who + ": it holds " + waiting + " slots that have sent no audio yet,"
                    + " the most one address may (" + MAX_WAITING_PER_ADDRESS + "); each is freed "
                    + HubWorker.IDLE_SECONDS + " s after its handshake without a datagram";
        }
        if (held >= MAX_SLOTS_PER_ADDRESS) {
            return "refused a handshake from " + who + ": it holds " + held + " slots, the most one address may ("
                    + MAX_SLOTS_PER_ADDRESS + ")";
        }
        return null;
    }

    /** Handshakes refused because their address held too many slots. */
    public long addressRefusals() {
        return addressRefusals.get();
    }

    /** The lowest free slot whose UDP port can be bound, preferring the replaced one's; null if none. */
    private HubWorker claimSlot(HubHandshake.Request request, InetSocketAddress from, HubWorker replaced) {
        // A name from the wire never carries a control or format character, ':' or '/' further.
        final String name = request.name().isEmpty() ? from.getAddress().getHostAddress().replace(':', '_')
                : ClientNames.sanitize(request.name());
        for (int i = replaced == null ? 0 : -1; i < slots.length; i++) {
            final int slot = i < 0 ? replaced.id() : i;
            if (slots[slot] != null) {
                continue;
            }
            final int port = config.udpBasePort() + slot;
            final LinkSocket socket;
            try {
                socket = Link.bind(port);
            } catch (LinkException e) {
                continue; // taken by another program, or by a slot still closing: try the next
            }
            final HubWorker w = new HubWorker(this, slot, port, name, from.getAddress(), request.udpPort(), socket);
            slots[slot] = w;
            return w;
        }
        return null;
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
        emit(w.id(), w.name(), HubEvent.Kind.STREAMING, "streaming with " + peer.getAddress().getHostAddress() + ":" + peer.getPort()
                + " as JACK client " + link.clientName() + " (sends " + link.format().sendChannels()
                + ", receives " + link.format().receiveChannels() + " channels)");
        repatch();
    }

    void released(HubWorker w) {
        final boolean replaced;
        synchronized (this) {
            // Only a replaced worker has lost its place in the slots: its successor may hold it now.
            replaced = slots[w.id()] != w;
            if (!replaced) {
                slots[w.id()] = null;
            }
        }
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

    /** Connects the clients' ports anew, on the patch thread; JACK drops a leaving client's connections itself. */
    private void repatch() {
        if (graph == null || !running) {
            return;
        }
        try {
            patcher.execute(this::patchNow);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Stopping.
        }
    }

    private void patchNow() {
        final List<HubPatch.Client> clients = new ArrayList<>();
        synchronized (this) {
            for (HubWorker w : slots) {
                final Link l = w == null ? null : w.link();
                if (l != null && l.state() != Link.State.STOPPED && l.state() != Link.State.FAILED) {
                    clients.add(new HubPatch.Client(l.clientName(), l.format().sendChannels(),
                            l.format().receiveChannels()));
                }
            }
        }
        final List<String> capture = new ArrayList<>();
        final List<String> playback = new ArrayList<>();
        for (JackGraph.Port p : graph.ports()) {
            if (p.physical()) {
                (p.output() ? capture : playback).add(p.name());
            }
        }
        final Set<HubPatch.Connection> wanted = HubPatch.connections(config.patch(), config.includeServer(),
                config.upmix(), clients, capture, playback);
        for (HubPatch.Connection c : wanted) {
            try {
                graph.connect(c.source(), c.destination());
            } catch (JackGraph.PortException e) {
                // A client that left meanwhile: the next repatch, on its release, is right again.
            }
        }
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
        final List<HubWorker> workers = new ArrayList<>();
        synchronized (this) {
            running = false;
            for (HubWorker w : slots) {
                if (w != null) {
                    workers.add(w);
                }
            }
        }
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
        patcher.shutdownNow();
        try {
            patcher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (graph != null) {
            graph.close();
        }
    }
}

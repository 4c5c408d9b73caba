package org.jamwire.link;

import java.util.Objects;
import org.jamwire.engine.UnderrunPolicy;
import org.jamwire.text.Printable;

/**
 * Everything needed to run one P2P link, as parsed from the command line or an API request. Ports
 * are final values, with any port offset already added. Immutable; built on the control thread.
 *
 * @param role server or client
 * @param peerHost host to connect to (client), or null (server)
 * @param sendChannels channels sent to the network (JACK ports {@code send_1..n})
 * @param receiveChannels channels received from the network (JACK ports {@code receive_1..n})
 * @param bitResolution 8, 16, 24 or 32 bits per sample on the wire
 * @param queue receive queue length in packets, or {@link org.jamwire.engine.ReceiveQueue#AUTO}
 * @param redundancy copies of each packet per datagram, 1 for none
 * @param bindPort local UDP port
 * @param peerPort remote UDP port (client)
 * @param clientName audio client name, or null for jacktrip's default
 * @param autoConnect connect to the system ports
 * @param ioStatSeconds seconds between stat lines, 0 for none
 * @param peerTimeoutSeconds stop after this many seconds without a datagram, 0 for never
 * @param expectedBufferSize frames the user says the audio server runs at (the seed's
 *     {@code -z}), or 0 to accept whatever it runs at
 * @param backend which audio backend to open
 * @param jackServerName JACK server to connect to, or null for the default
 * @param builtin settings of the built-in backend, used when {@code backend} is BUILTIN
 * @param underrunPolicy what the receive queue plays for audio that did not arrive; PREDICT if null
 * @param followDrift whether the receive queue follows the peer's audio clock
 * @param maxQueueMillis the most delay an automatic queue ({@code -q auto}) adds, in ms; 0 for its default
 * @param pin the only host (and port) a server may adopt as its peer, or null for the first that
 *     sends a datagram in the link's format, as jacktrip does
 */
public record LinkConfig(
        Role role,
        String peerHost,
        int sendChannels,
        int receiveChannels,
        int bitResolution,
        int queue,
        int redundancy,
        int bindPort,
        int peerPort,
        String clientName,
        boolean autoConnect,
        int ioStatSeconds,
        int peerTimeoutSeconds,
        int expectedBufferSize,
        BackendKind backend,
        String jackServerName,
        BuiltinSettings builtin,
        UnderrunPolicy underrunPolicy,
        boolean followDrift,
        int maxQueueMillis,
        PeerPin pin) {

    /** Default UDP port of a P2P link, as jacktrip's. */
    public static final int DEFAULT_PORT = 4464;

    /** Which audio backend a link uses. */
    public enum BackendKind {
        /** A JACK server, through JNAJack. */
        JACK,
        /** The built-in clocked backend with test signals. */
        BUILTIN
    }

    /**
     * Settings of the built-in backend.
     *
     * @param sampleRate nominal sample rate in Hz, as reported to the peer
     * @param bufferSize frames per period
     * @param clockRate the rate the clock actually ticks at, to simulate drift; equal to
     *     {@code sampleRate} for none
     * @param signal test signal played into the send channels
     */
    public record BuiltinSettings(int sampleRate, int bufferSize, double clockRate, String signal) {

        /** 48 kHz, 128 frames, no drift, a distinct sine per channel. */
        public static BuiltinSettings defaults() {
            return new BuiltinSettings(48000, 128, 48000, "sine");
        }
    }

    /**
     * Who may become a server's peer: a host, and a port unless it is 0.
     *
     * @param host a host name or IP address
     * @param port a UDP port, or 0 for any
     */
    public record PeerPin(String host, int port) {

        /** Checks the host is named and the port is in range. */
        public PeerPin {
            if (hostProblem(host) != null) {
                throw new IllegalArgumentException(hostProblem(host));
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("the pinned peer's port " + port + " is outside 1..65535");
            }
        }

        /**
         * Reads {@code HOST}, {@code HOST:PORT} or {@code [IPv6]:PORT}.
         *
         * @throws IllegalArgumentException naming what is wrong with {@code text}
         */
        public static PeerPin parse(String text) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("give a host, or HOST:PORT");
            }
            final String t = text.strip();
            String host = t;
            String port = null;
            if (t.startsWith("[")) {
                final int close = t.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("'" + t
                            + "' opens '[' for an IPv6 address but does not close it");
                }
                host = t.substring(1, close);
                final String rest = t.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw new IllegalArgumentException("'" + t + "': after ']' only ':PORT' may follow");
                    }
                    port = rest.substring(1);
                }
            } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
                host = t.substring(0, t.indexOf(':'));
                port = t.substring(t.indexOf(':') + 1);
            }
            int p = 0;
            if (port != null) {
                try {
                    p = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + port + "' in '" + t + "' is not a port number");
                }
                if (p < 1 || p > 65535) {
                    throw new IllegalArgumentException("port " + p + " in '" + t + "' is outside 1..65535");
                }
            }
            return new PeerPin(host, p);
        }

        /** {@code HOST} or {@code HOST:PORT}, as {@link #parse} reads it. */
        @Override
        public String toString() {
            final String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return port == 0 ? h : h + ":" + port;
        }
    }

    /**
     * What is wrong with {@code host} as a peer's host, or null: it must be an IPv4 address, an
     * IPv6 address, or a DNS name (labels of letters, digits, '-' and '_', separated by dots, at
     * most 253 characters), so that nothing else, such as {@code $(id)}, ever reaches a resolver,
     * a log or a remote command line.
     */
    public static String hostProblem(String host) {
        if (host == null || host.isEmpty()) {
            return "give a host name or IP address";
        }
        if (host.indexOf(':') >= 0) {
            return host.matches("[0-9A-Fa-f:.]{2,45}(%[A-Za-z0-9_.-]{1,15})?") ? null
                    : "'" + Printable.escape(host) + "' is neither an IPv6 address nor a host name";
        }
        if (host.length() > 253 || !host.matches("([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)"
                + "(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?")) {
            return "use a host name (letters, digits, '-' and '_' between dots) or an IP address";
        }
        return null;
    }

    /** Checks the invariants every producer of a config must already have enforced. */
    public LinkConfig {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(backend, "backend");
        if (role == Role.CLIENT && (peerHost == null || peerHost.isBlank())) {
            throw new IllegalArgumentException("a client needs a peer host");
        }
        if (role == Role.CLIENT && hostProblem(peerHost) != null) {
            throw new IllegalArgumentException("peer host: " + hostProblem(peerHost));
        }
        if (sendChannels < 0 || receiveChannels < 0 || sendChannels + receiveChannels == 0) {
            throw new IllegalArgumentException("a link needs at least one channel");
        }
        if (bitResolution != 8 && bitResolution != 16 && bitResolution != 24 && bitResolution != 32) {
            throw new IllegalArgumentException("bit resolution must be 8, 16, 24 or 32");
        }
        if (builtin == null) {
            builtin = BuiltinSettings.defaults();
        }
        if (underrunPolicy == null) {
            underrunPolicy = UnderrunPolicy.PREDICT;
        }
        if (pin != null && role != Role.SERVER) {
            throw new IllegalArgumentException(
                    "only a server pins its peer: a client takes datagrams from its peer host alone");
        }
    }

    /**
     * A config with jacktrip's defaults for the given role: 2 channels, 16 bits, queue 4; losses are
     * concealed by prediction, as jacktrip's {@code --bufstrategy 3} does.
     */
    public static LinkConfig defaults(Role role, String peerHost) {
        return new LinkConfig(role, peerHost, 2, 2, 16, 4, 1, DEFAULT_PORT, DEFAULT_PORT, null, true, 0,
                0, 0, BackendKind.JACK, null, BuiltinSettings.defaults(), UnderrunPolicy.PREDICT, true, 0, null);
    }

    /**
     * The audio client name: {@code clientName} if set, else jacktrip's: "JackTrip" for a server,
     * the peer host as typed (with ':' replaced by '_') for a client.
     */
    public String effectiveClientName() {
        if (clientName != null && !clientName.isEmpty()) {
            return clientName;
        }
        return role == Role.SERVER ? "JackTrip" : peerHost.replace(':', '_');
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder starting from jacktrip's defaults for the given role. */
    public static Builder builder(Role role, String peerHost) {
        return new Builder(defaults(role, peerHost));
    }

    /** Builds a {@link LinkConfig} one field at a time; used by the CLI, the API and tests. */
    public static final class Builder {
        private Role role;
        private String peerHost;
        private int sendChannels;
        private int receiveChannels;
        private int bitResolution;
        private int queue;
        private int redundancy;
        private int bindPort;
        private int peerPort;
        private String clientName;
        private boolean autoConnect;
        private int ioStatSeconds;
        private int peerTimeoutSeconds;
        private int expectedBufferSize;
        private BackendKind backend;
        private String jackServerName;
        private BuiltinSettings builtin;
        private UnderrunPolicy underrunPolicy;
        private boolean followDrift;
        private int maxQueueMillis;
        private PeerPin pin;

        private Builder(LinkConfig c) {
            role = c.role;
            peerHost = c.peerHost;
            sendChannels = c.sendChannels;
            receiveChannels = c.receiveChannels;
            bitResolution = c.bitResolution;
            queue = c.queue;
            redundancy = c.redundancy;
            bindPort = c.bindPort;
            peerPort = c.peerPort;
            clientName = c.clientName;
            autoConnect = c.autoConnect;
            ioStatSeconds = c.ioStatSeconds;
            peerTimeoutSeconds = c.peerTimeoutSeconds;
            expectedBufferSize = c.expectedBufferSize;
            backend = c.backend;
            jackServerName = c.jackServerName;
            builtin = c.builtin;
            underrunPolicy = c.underrunPolicy;
            followDrift = c.followDrift;
            maxQueueMillis = c.maxQueueMillis;
            pin = c.pin;
        }

        public Builder role(Role v) { role = v; return this; }
        public Builder peerHost(String v) { peerHost = v; return this; }
        public Builder channels(int v) { sendChannels = v; receiveChannels = v; return this; }
        public Builder sendChannels(int v) { sendChannels = v; return this; }
        public Builder receiveChannels(int v) { receiveChannels = v; return this; }
        public Builder bitResolution(int v) { bitResolution = v; return this; }
        public Builder queue(int v) { queue = v; return this; }
        public Builder redundancy(int v) { redundancy = v; return this; }
        public Builder bindPort(int v) { bindPort = v; return this; }
        public Builder peerPort(int v) { peerPort = v; return this; }
        public Builder clientName(String v) { clientName = v; return this; }
        public Builder autoConnect(boolean v) { autoConnect = v; return this; }
        public Builder ioStatSeconds(int v) { ioStatSeconds = v; return this; }
        public Builder peerTimeoutSeconds(int v) { peerTimeoutSeconds = v; return this; }
        public Builder expectedBufferSize(int v) { expectedBufferSize = v; return this; }
        public Builder backend(BackendKind v) { backend = v; return this; }
        public Builder jackServerName(String v) { jackServerName = v; return this; }
        public Builder builtin(BuiltinSettings v) { builtin = v; return this; }
        public Builder underrunPolicy(UnderrunPolicy v) { underrunPolicy = v; return this; }
        public Builder followDrift(boolean v) { followDrift = v; return this; }
        public Builder maxQueueMillis(int v) { maxQueueMillis = v; return this; }
        public Builder pin(PeerPin v) { pin = v; return this; }

        /** The config; throws IllegalArgumentException when an invariant does not hold. */
        public LinkConfig build() {
            return new LinkConfig(role, peerHost, sendChannels, receiveChannels, bitResolution, queue,
                    redundancy, bindPort, peerPort, clientName, autoConnect, ioStatSeconds,
                    peerTimeoutSeconds, expectedBufferSize, backend, jackServerName, builtin,
                    underrunPolicy, followDrift, maxQueueMillis, pin);
        }
    }
}

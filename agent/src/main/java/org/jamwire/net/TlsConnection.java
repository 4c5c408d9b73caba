package org.jamwire.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * TLS over one non-blocking socket, driven by the hub's selector thread: bytes read from the socket
 * go through {@link #unwrap} into {@link #application()}, and what the hub sends goes out
 * through {@link #send} and {@link #flush}. Nothing here waits: a client that stops half way
 * through its handshake just leaves its buffers as they are until its deadline. The engine's
 * delegated tasks (the RSA signature) run inline, a millisecond or two each. Hub handshake thread.
 */
final class TlsConnection {

    private final SSLEngine engine;
    private final SocketChannel channel;
    private final ByteBuffer netIn;
    private ByteBuffer netOut;
    private final ByteBuffer appIn;

    /**
     * Starts a server-side engine; {@code plainFirst} goes out before any TLS byte (the hub's plain
     * 65536), and {@code early} are bytes the client sent after its 65536, already part of TLS.
     */
    TlsConnection(SocketChannel channel, SSLEngine engine, byte[] plainFirst, ByteBuffer early) throws SSLException {
        this.channel = channel;
        this.engine = engine;
        engine.setUseClientMode(false);
        final int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(Math.max(packet, early.remaining()));
        this.netOut = ByteBuffer.allocate(packet + plainFirst.length);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        netIn.put(early);
        netOut.put(plainFirst);
        engine.beginHandshake();
    }

    /** Decrypted bytes so far, in read mode for the caller to look at; compact it back after. */
    ByteBuffer application() {
        return appIn.flip();
    }

    /** Undoes {@link #application()} once the caller has looked. */
    void doneLooking() {
        appIn.compact();
    }

    /**
     * Reads what the socket has and runs the engine as far as it can go.
     *
     * @return false when the client closed or TLS failed
     */
    boolean unwrap() throws IOException {
        final int n = channel.read(netIn);
        if (n < 0) {
            return false;
        }
        return pump();
    }

    /**
     * Goes on with a handshake that stopped because its output did not fit; called once the output
     * has gone.
     *
     * @return false when TLS failed or closed
     */
    boolean resume() throws IOException {
        return pump();
    }

    /** True when bytes wait to go out. */
    boolean hasOutput() {
        return netOut.position() > 0;
    }

    /**
     * Encrypts {@code data}, then TLS's close_notify, for {@link #flush}; whatever the handshake
     * still had to send (a session ticket) goes first.
     */
    void send(byte[] data) throws IOException {
        final ByteBuffer src = ByteBuffer.wrap(data);
        while (src.hasRemaining()) {
            wrap(src);
        }
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            if (wrap(ByteBuffer.allocate(0)) == SSLEngineResult.Status.CLOSED) {
                break;
            }
        }
    }

    /** One wrap into netOut, making room first by writing what waits, or else by growing it. */
    private SSLEngineResult.Status wrap(ByteBuffer src) throws IOException {
        SSLEngineResult r = engine.wrap(src, netOut);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            if (!flush()) {
                final ByteBuffer larger = ByteBuffer.allocate(netOut.position()
                        + engine.getSession().getPacketBufferSize());
                netOut.flip();
                larger.put(netOut);
                netOut = larger;
            }
            r = engine.wrap(src, netOut);
        }
        if (r.getStatus() != SSLEngineResult.Status.OK && r.getStatus() != SSLEngineResult.Status.CLOSED) {
            throw new SSLException("cannot encrypt the answer: " + r.getStatus());
        }
        return r.getStatus();
    }

    /**
     * Writes what waits to go out.
     *
     * @return true when all of it went
     */
    boolean flush() throws IOException {
        netOut.flip();
        try {
            channel.write(netOut);
            return !netOut.hasRemaining();
        } finally {
            netOut.compact();
        }
    }

    /** True when the handshake waits to write, not for the client: {@link #resume} goes on. */
    boolean stalled() {
        final SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
        return hs == SSLEngineResult.HandshakeStatus.NEED_WRAP || hs == SSLEngineResult.HandshakeStatus.NEED_TASK;
    }

    /** True once the handshake is done and application data may flow. */
    boolean established() {
        final SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
        return hs == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || hs == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    private boolean pump() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    for (Runnable t = engine.getDelegatedTask(); t != null; t = engine.getDelegatedTask()) {
                        t.run();
                    }
                }
                case NEED_WRAP -> {
                    final SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), netOut);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        return false;
                    }
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && !flush()) {
                        // The client is not reading its handshake: go on once it has (OP_WRITE),
                        // or its deadline ends it.
                        return true;
                    }
                }
                default -> {
                    netIn.flip();
                    final SSLEngineResult r;
                    try {
                        r = engine.unwrap(netIn, appIn);
                    } finally {
                        netIn.compact();
                    }
                    switch (r.getStatus()) {
                        case CLOSED -> {
                            return false;
                        }
                        case BUFFER_OVERFLOW -> throw new SSLException("the client sent more than a request");
                        case BUFFER_UNDERFLOW -> {
                            if (!netIn.hasRemaining()) {
                                throw new SSLException("a TLS record larger than the buffer");
                            }
                            return true;
                        }
                        default -> {
                            if (r.bytesConsumed() == 0 && r.getHandshakeStatus()
                                    != SSLEngineResult.HandshakeStatus.NEED_TASK
                                    && r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                                return true;
                            }
                        }
                    }
                }
            }
        }
    }
}

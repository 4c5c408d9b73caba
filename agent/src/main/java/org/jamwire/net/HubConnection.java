package org.jamwire.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.jamwire.net.HubListener.Counter;
import org.jamwire.protocol.HubHandshake;

/**
 * One client's handshake with the hub, from its first byte to its answer: jacktrip's 68-byte
 * request answered with 4 bytes, or, on a hub that authenticates, the plain 65536 that opens a
 * {@link TlsLogin}. Driven by the {@link HubListener}'s selector, never waiting; each step returns
 * why the connection ends (the listener counts it and closes), or null while it goes on. Hub
 * handshake thread.
 */
final class HubConnection {

    /** A request that stops after its 4 port bytes for this long has no name (old jacktrip clients). */
    private static final long NAME_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final HubAnswers answers;
    private final ByteBuffer in = ByteBuffer.allocate(HubHandshake.REQUEST_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer out;
    private TlsLogin login;
    private final long deadline;
    private long lastByte;

    HubConnection(HubAnswers answers, long deadline, long now) {
        this.answers = answers;
        this.deadline = deadline;
        this.lastByte = now;
    }

    /** The client's address, or null when its connection has gone. */
    static InetSocketAddress remote(SelectionKey key) {
        try {
            return (InetSocketAddress) ((SocketChannel) key.channel()).getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads what the client sent at {@code now}, and answers once a whole request has come. */
    Counter read(SelectionKey key, long now) {
        if (login != null) {
            return login.read(key);
        }
        final int n;
        try {
            n = ((SocketChannel) key.channel()).read(in);
        } catch (IOException e) {
            return Counter.CLOSED_EARLY;
        }
        if (n < 0) {
            return Counter.CLOSED_EARLY;
        }
        if (n > 0) {
            lastByte = now;
        }
        if (answers.authenticating() && in.position() >= 4) {
            if (in.getInt(0) == HubHandshake.AUTH_OK) {
                return startTls(key);
            }
            answers.increment(Counter.AUTH_REQUIRED);
            return respond(key, HubHandshake.AUTH_REQUIRED);
        }
        if (in.position() >= 4 && in.getInt(0) == HubHandshake.AUTH_OK) {
            // A jacktrip -A client opens with 65536; a hub without authentication says so and closes.
            answers.increment(Counter.AUTH_NOT_OFFERED);
            return respond(key, HubHandshake.AUTH_NOT_REQUIRED);
        }
        return in.hasRemaining() ? null : handle(key, ByteBuffer.wrap(in.array()));
    }

    /** Sends what waits to go out. */
    Counter write(SelectionKey key) {
        if (login != null) {
            return login.write(key);
        }
        try {
            ((SocketChannel) key.channel()).write(out);
        } catch (IOException e) {
            return Counter.CLOSED_EARLY;
        }
        return out.hasRemaining() ? null : Counter.ANSWERED;
    }

    /** At {@code now}: answers a request that came without its name, or ends one past its deadline. */
    Counter expire(SelectionKey key, long now) {
        if (!answers.authenticating() && out == null && in.position() >= 4 && in.hasRemaining()
                && now - lastByte > NAME_GRACE_NANOS) {
            // jacktrip reads the name only when all 64 bytes came with the port: a client that
            // sent just its port has no name.
            final ByteBuffer padded = ByteBuffer.allocate(HubHandshake.REQUEST_LENGTH);
            padded.put(in.array(), 0, 4);
            padded.clear();
            return handle(key, padded);
        }
        return now - deadline > 0 ? Counter.TIMED_OUT : null;
    }

    /** The connection closed: its TLS, if any, no longer counts. */
    void closed() {
        if (login != null) {
            answers.tlsClosed();
        }
    }

    private Counter handle(SelectionKey key, ByteBuffer request) {
        final HubHandshake.Request r;
        try {
            r = HubHandshake.parseRequest(request);
        } catch (IllegalArgumentException e) {
            answers.malformed(e.getMessage());
            return Counter.MALFORMED;
        }
        final InetSocketAddress from = remote(key);
        if (from == null) {
            return Counter.CLOSED_EARLY;
        }
        final int answer = answers.plain(r, from);
        return answer < 0 ? Counter.DECLINED : respond(key, answer);
    }

    private Counter respond(SelectionKey key, int answer) {
        out = ByteBuffer.wrap(HubHandshake.response(answer));
        key.interestOps(SelectionKey.OP_WRITE);
        return write(key);
    }

    private Counter startTls(SelectionKey key) {
        final SSLEngine engine = answers.tlsEngine();
        if (engine == null) {
            return Counter.OVER_CAPACITY;
        }
        final ByteBuffer early = ByteBuffer.wrap(in.array(), 4, in.position() - 4);
        try {
            login = new TlsLogin((SocketChannel) key.channel(), engine, early, answers);
        } catch (SSLException e) {
            return Counter.TLS_FAILED;
        }
        answers.tlsOpened();
        return login.write(key);
    }
}

package org.jamwire.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.jamwire.net.HubListener.Counter;
import org.jamwire.protocol.HubHandshake;

/**
 * The hub's side of one authenticated login (jacktrip's {@code -A}) after the client's plain
 * 65536: the echo and the TLS handshake, then the request with the credentials, and the answer,
 * all through a {@link TlsConnection} on the connection's selector key, never waiting. Each step
 * returns why the connection ends, or null while it goes on. Hub handshake thread.
 */
final class TlsLogin {

    private final TlsConnection tls;
    private final HubAnswers answers;
    private boolean answered;

    /** {@code early} are the bytes the client sent after its 65536, already part of TLS. */
    TlsLogin(SocketChannel channel, SSLEngine engine, ByteBuffer early, HubAnswers answers) throws SSLException {
        this.tls = new TlsConnection(channel, engine, HubHandshake.response(HubHandshake.AUTH_OK), early);
        this.answers = answers;
    }

    /** Takes what the client sent, and answers once its whole request has come. */
    Counter read(SelectionKey key) {
        return step(key, true);
    }

    /** Sends what TLS has to send. */
    Counter write(SelectionKey key) {
        return step(key, false);
    }

    private Counter step(SelectionKey key, boolean input) {
        try {
            if (!input) {
                return flush(key);
            }
            return tls.unwrap() ? afterInput(key) : Counter.CLOSED_EARLY;
        } catch (SSLException e) {
            return Counter.TLS_FAILED;
        } catch (IOException e) {
            return Counter.CLOSED_EARLY;
        }
    }

    /** Answers once the whole request has come through TLS, else sends what TLS has to send. */
    private Counter afterInput(SelectionKey key) throws IOException {
        if (!answered && tls.established()) {
            final HubHandshake.AuthRequest request;
            final ByteBuffer app = tls.application();
            try {
                request = HubHandshake.parseAuthRequest(app);
            } catch (IllegalArgumentException e) {
                answers.malformed(e.getMessage());
                return Counter.MALFORMED;
            } finally {
                tls.doneLooking();
            }
            if (request != null) {
                return answer(key, request);
            }
        }
        return flush(key);
    }

    private Counter answer(SelectionKey key, HubHandshake.AuthRequest request) throws IOException {
        final InetSocketAddress from = HubConnection.remote(key);
        if (from == null) {
            return Counter.CLOSED_EARLY;
        }
        final int answer = answers.authenticated(request, from);
        if (answer < 0) {
            return Counter.DECLINED;
        }
        tls.send(HubHandshake.response(answer));
        answered = true;
        return flush(key);
    }

    /** Writes what TLS has to send; ends once an answer has gone, else waits for the client. */
    private Counter flush(SelectionKey key) throws IOException {
        final boolean all = !tls.hasOutput() || tls.flush();
        if (all && !answered && tls.stalled()) {
            return tls.resume() ? afterInput(key) : Counter.CLOSED_EARLY;
        }
        if (all && answered) {
            return Counter.ANSWERED;
        }
        key.interestOps(all ? SelectionKey.OP_READ : SelectionKey.OP_WRITE);
        return null;
    }
}

package org.jamwire.net;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.jamwire.net.HubListener.Counter;
import org.jamwire.protocol.HubHandshake;

/**
 * What a {@link HubListener} answers, and its counts: a plain request goes to the handler; an
 * authenticated one is refused unchecked while its address must wait ({@link LoginThrottle}),
 * else checked by the authenticator, and then goes to the handler. Also holds the TLS identity
 * and how many connections are in TLS. Hub handshake thread, except the counts and the last
 * malformed request's reason, which any thread may read.
 */
final class HubAnswers {

    /** Connections in TLS at once (each holds about 50 kB of buffers); beyond this a new one is closed. */
    static final int MAX_TLS = 512;

    private final HubListener.Handler handler;
    private final SSLContext tls;
    private final HubListener.Authenticator authenticator;
    private final LoginThrottle throttle = new LoginThrottle();
    private final AtomicLongArray counters = new AtomicLongArray(Counter.values().length);
    private volatile String lastMalformed;
    private int openTls;

    /** {@code tls} and {@code authenticator} are both null for a hub without authentication. */
    HubAnswers(HubListener.Handler handler, SSLContext tls, HubListener.Authenticator authenticator) {
        this.handler = handler;
        this.tls = tls;
        this.authenticator = authenticator;
    }

    /** Whether every client must log in (jacktrip's {@code -A}). */
    boolean authenticating() {
        return tls != null;
    }

    long count(Counter c) {
        return counters.get(c.ordinal());
    }

    void increment(Counter c) {
        counters.incrementAndGet(c.ordinal());
    }

    /** Why the last malformed request was refused, or null. */
    String lastMalformed() {
        return lastMalformed;
    }

    /** A request was malformed for {@code why}; the caller counts it as it closes the connection. */
    void malformed(String why) {
        lastMalformed = why;
    }

    /** The handler's answer to a plain request: a port or code, below 0 to decline. */
    int plain(HubHandshake.Request request, InetSocketAddress from) {
        return handler.answer(request, from);
    }

    /**
     * The answer to an authenticated request: a refusal of its login (counted), or the handler's
     * answer to what it asks for, below 0 to decline.
     */
    int authenticated(HubHandshake.AuthRequest request, InetSocketAddress from) {
        final long now = System.nanoTime();
        final long wait = throttle.waitSeconds(from.getAddress(), now);
        final int answer;
        if (wait > 0) {
            // Not checked at all: a guess inside the wait learns nothing, right or wrong.
            increment(Counter.LOGIN_THROTTLED);
            answer = HubHandshake.AUTH_WRONG_CREDENTIALS;
            authenticator.throttled(from, throttle.failed(from.getAddress(), now), wait);
        } else {
            answer = authenticator.check(request.user(), request.password());
            if (answer == HubHandshake.AUTH_WRONG_CREDENTIALS) {
                throttle.failed(from.getAddress(), now);
            } else if (answer == HubHandshake.AUTH_OK) {
                throttle.succeeded(from.getAddress());
            }
        }
        if (answer != HubHandshake.AUTH_OK) {
            increment(Counter.LOGIN_REFUSED);
            return answer;
        }
        return handler.answer(request.request(), from);
    }

    /** A server-side TLS engine for one more connection, or null when {@value #MAX_TLS} are in TLS. */
    SSLEngine tlsEngine() {
        return openTls >= MAX_TLS ? null : tls.createSSLEngine();
    }

    /** A connection went into TLS. */
    void tlsOpened() {
        openTls++;
    }

    /** A connection in TLS closed. */
    void tlsClosed() {
        openTls--;
    }
}

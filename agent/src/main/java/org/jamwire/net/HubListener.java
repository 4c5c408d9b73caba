package org.jamwire.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.net.ssl.SSLContext;
import org.jamwire.protocol.HubHandshake;

/**
 * The hub's TCP side: takes jacktrip's 68-byte requests on many connections at once and answers
 * each with 4 bytes. One control thread drives every connection through a selector, so a client
 * that connects and then sends nothing, or sends a byte at a time, holds only its own connection,
 * which is closed at its deadline; it never delays anyone else's answer. Every refused or expired
 * connection is counted.
 *
 * <p>With authentication (jacktrip's {@code -A}, {@link #startAuthenticating}) a client opens with
 * 65536 in plain, gets it back, and then runs TLS on the same connection; a {@link TlsConnection}
 * sits between the socket and the request, driven by the same selector without ever waiting, and
 * the same deadline covers the TLS handshake. A client that does not open with 65536 is told that
 * authentication is required.
 */
public final class HubListener implements AutoCloseable {

    /** Decides the answer to a request: a UDP port, or a code above 65535; below 0 to close without one. */
    @FunctionalInterface
    public interface Handler {
        int answer(HubHandshake.Request request, InetSocketAddress from);
    }

    /** Checks the credentials of an authenticated request: {@link HubHandshake#AUTH_OK} or the code to answer. */
    @FunctionalInterface
    public interface Authenticator {
        int check(String user, String password);

        /**
         * Told that a login from {@code from} was refused unchecked: it failed {@code failures} times
         * and must wait {@code seconds} more. Nothing by default.
         */
        default void throttled(InetSocketAddress from, int failures, long seconds) {
        }
    }

    /** What the listener counts. */
    public enum Counter {
        /** Connections accepted. */
        ACCEPTED,
        /** Requests answered with a port or code. */
        ANSWERED,
        /** Connections closed at their deadline before a whole request came. */
        TIMED_OUT,
        /** Connections closed by the client before a whole request came. */
        CLOSED_EARLY,
        /** Requests that were not a valid request (the message says which rule). */
        MALFORMED,
        /** Requests the handler declined (no free slot). */
        DECLINED,
        /** Clients asking for authentication, answered that the hub does not use it. */
        AUTH_NOT_OFFERED,
        /** Connections refused because too many were open at once. */
        OVER_CAPACITY,
        /** Plain requests to an authenticating hub, answered that authentication is required. */
        AUTH_REQUIRED,
        /** Authenticated requests refused for their credentials or the time. */
        LOGIN_REFUSED,
        /** Connections whose TLS failed (a client that does not trust the certificate, or not TLS). */
        TLS_FAILED,
        /** Logins refused unchecked, their address having failed too often too recently. */
        LOGIN_THROTTLED
    }

    /** Connections handled at once; beyond this a new one is closed at once. */
    static final int MAX_OPEN = 4096;
    /** Connections in TLS at once (each holds about 50 kB of buffers); beyond this a new one is closed. */
    static final int MAX_TLS = 512;
    /** A request that stops after its 4 port bytes for this long has no name (old jacktrip clients). */
    private static final long NAME_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long SELECT_MILLIS = 100;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final Handler handler;
    private final SSLContext tls;
    private final Authenticator authenticator;
    private final long deadlineNanos;
    private final Thread thread;
    private final AtomicLongArray counters = new AtomicLongArray(Counter.values().length);
    private final int port;
    private volatile boolean running = true;
    private volatile String lastMalformed;
    private int open;
    private int openTls;
    private final LoginThrottle throttle = new LoginThrottle();

    /** One client's handshake in progress. */
    private static final class Connection {
        final ByteBuffer in = ByteBuffer.allocate(HubHandshake.REQUEST_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out;
        TlsConnection tls;
        boolean answered;
        final long deadline;
        long lastByte;

        Connection(long deadline, long now) {
            this.deadline = deadline;
            this.lastByte = now;
        }
    }

    private HubListener(ServerSocketChannel server, Selector selector, Handler handler, Duration timeout,
            SSLContext tls, Authenticator authenticator) throws IOException {
        this.server = server;
        this.selector = selector;
        this.handler = handler;
        this.tls = tls;
        this.authenticator = authenticator;
        this.deadlineNanos = timeout.toNanos();
        this.port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        this.thread = new Thread(this::run, "jamwire-hub-tcp-" + port);
        thread.setDaemon(true);
    }

    /**
     * Listens on TCP {@code port} (0 for any) and starts answering.
     *
     * @param timeout how long a connection may take to send its request
     * @throws IOException when the port cannot be bound
     */
    public static HubListener start(int port, Duration timeout, Handler handler) throws IOException {
        return start(port, timeout, handler, null, null);
    }

    /**
     * As {@link #start}, for a hub that requires authentication: TLS with {@code tls}'s identity,
     * and {@code authenticator} decides on each request's credentials before {@code handler} is asked.
     */
    public static HubListener startAuthenticating(int port, Duration timeout, Handler handler, SSLContext tls,
            Authenticator authenticator) throws IOException {
        return start(port, timeout, handler, java.util.Objects.requireNonNull(tls, "tls"),
                java.util.Objects.requireNonNull(authenticator, "authenticator"));
    }

    private static HubListener start(int port, Duration timeout, Handler handler, SSLContext tls,
            Authenticator authenticator) throws IOException {
        final ServerSocketChannel server = ServerSocketChannel.open();
        final Selector selector = Selector.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(port), 1024);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            server.close();
            selector.close();
            throw e;
        }
        final HubListener l = new HubListener(server, selector, handler, timeout, tls, authenticator);
        l.thread.start();
        return l;
    }

    /** The bound TCP port. */
    public int port() {
        return port;
    }

    /** A counter's value. */
    public long count(Counter c) {
        return counters.get(c.ordinal());
    }

    /** Why the last malformed request was refused, or null. */
    public String lastMalformed() {
        return lastMalformed;
    }

    private void increment(Counter c) {
        counters.incrementAndGet(c.ordinal());
    }

    private void run() {
        try {
            while (running) {
                selector.select(SELECT_MILLIS);
                final long now = System.nanoTime();
                final Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    final SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        acceptAll(now);
                    } else if (key.isReadable()) {
                        read(key, now);
                    } else if (key.isWritable()) {
                        write(key);
                    }
                }
                expire(System.nanoTime());
            }
        } catch (IOException | ClosedSelectorException e) {
            // Closed: the hub is stopping.
        }
    }

    private void acceptAll(long now) throws IOException {
        for (SocketChannel c = server.accept(); c != null; c = server.accept()) {
            increment(Counter.ACCEPTED);
            if (open >= MAX_OPEN) {
                increment(Counter.OVER_CAPACITY);
                c.close();
                continue;
            }
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.register(selector, SelectionKey.OP_READ, new Connection(now + deadlineNanos, now));
            open++;
        }
    }

    private void read(SelectionKey key, long now) {
        final Connection conn = (Connection) key.attachment();
        final SocketChannel ch = (SocketChannel) key.channel();
        if (conn.tls != null) {
            readTls(key, conn);
            return;
        }
        final int n;
        try {
            n = ch.read(conn.in);
        } catch (IOException e) {
            drop(key, Counter.CLOSED_EARLY);
            return;
        }
        if (n < 0) {
            drop(key, Counter.CLOSED_EARLY);
            return;
        }
        if (n > 0) {
            conn.lastByte = now;
        }
        if (tls != null && conn.in.position() >= 4) {
            if (conn.in.getInt(0) == HubHandshake.AUTH_OK) {
                startTls(key, conn);
            } else {
                increment(Counter.AUTH_REQUIRED);
                respond(key, conn, HubHandshake.AUTH_REQUIRED);
            }
            return;
        }
        if (conn.in.position() >= 4 && conn.in.getInt(0) == HubHandshake.AUTH_OK) {
            // A jacktrip -A client opens with 65536; a hub without authentication says so and closes.
            increment(Counter.AUTH_NOT_OFFERED);
            respond(key, conn, HubHandshake.AUTH_NOT_REQUIRED);
            return;
        }
        if (!conn.in.hasRemaining()) {
            handle(key, conn, ByteBuffer.wrap(conn.in.array()));
        }
    }

    private void handle(SelectionKey key, Connection conn, ByteBuffer request) {
        final HubHandshake.Request r;
        try {
            r = HubHandshake.parseRequest(request);
        } catch (IllegalArgumentException e) {
            lastMalformed = e.getMessage();
            drop(key, Counter.MALFORMED);
            return;
        }
        final InetSocketAddress from = remote(key);
        if (from == null) {
            return;
        }
        final int answer = handler.answer(r, from);
        if (answer < 0) {
            drop(key, Counter.DECLINED);
            return;
        }
        respond(key, conn, answer);
    }

    private void respond(SelectionKey key, Connection conn, int answer) {
        conn.out = ByteBuffer.wrap(HubHandshake.response(answer));
        key.interestOps(SelectionKey.OP_WRITE);
        write(key);
    }

    private void write(SelectionKey key) {
        final Connection conn = (Connection) key.attachment();
        if (conn.tls != null) {
            flushTls(key, conn);
            return;
        }
        try {
            ((SocketChannel) key.channel()).write(conn.out);
        } catch (IOException e) {
            drop(key, Counter.CLOSED_EARLY);
            return;
        }
        if (!conn.out.hasRemaining()) {
            drop(key, Counter.ANSWERED);
        }
    }

    private void expire(long now) {
        for (SelectionKey key : selector.keys()) {
            if (!(key.attachment() instanceof Connection conn) || !key.isValid()) {
                continue;
            }
            if (tls == null && conn.out == null && conn.in.position() >= 4 && conn.in.hasRemaining()
                    && now - conn.lastByte > NAME_GRACE_NANOS) {
                // jacktrip reads the name only when all 64 bytes came with the port: a client that
                // sent just its port has no name.
                final ByteBuffer padded = ByteBuffer.allocate(HubHandshake.REQUEST_LENGTH);
                padded.put(conn.in.array(), 0, 4);
                padded.clear();
                handle(key, conn, padded);
            } else if (now - conn.deadline > 0) {
                drop(key, Counter.TIMED_OUT);
            }
        }
    }

    private void startTls(SelectionKey key, Connection conn) {
        if (openTls >= MAX_TLS) {
            drop(key, Counter.OVER_CAPACITY);
            return;
        }
        final ByteBuffer early = ByteBuffer.wrap(conn.in.array(), 4, conn.in.position() - 4);
        try {
            conn.tls = new TlsConnection((SocketChannel) key.channel(), tls.createSSLEngine(), HubHandshake.response(HubHandshake.AUTH_OK), early);
        } catch (javax.net.ssl.SSLException e) {
            drop(key, Counter.TLS_FAILED);
            return;
        }
        openTls++;
        flushTls(key, conn);
    }

    /** Counts why a connection ends and closes it. */
    private void drop(SelectionKey key, Counter why) {
        increment(why);
        close(key);
    }

    private void readTls(SelectionKey key, Connection conn) {
        try {
            if (!conn.tls.unwrap()) {
                drop(key, Counter.CLOSED_EARLY);
                return;
            }
        } catch (javax.net.ssl.SSLException e) {
            drop(key, Counter.TLS_FAILED);
            return;
        } catch (IOException e) {
            drop(key, Counter.CLOSED_EARLY);
            return;
        }
        afterInput(key, conn);
    }

    /** Answers once the whole request has come through TLS, else sends what TLS has to send. */
    private void afterInput(SelectionKey key, Connection conn) {
        if (!conn.answered && conn.tls.established()) {
            final HubHandshake.AuthRequest request;
            final ByteBuffer app = conn.tls.application();
            try {
                request = HubHandshake.parseAuthRequest(app);
            } catch (IllegalArgumentException e) {
                lastMalformed = e.getMessage();
                drop(key, Counter.MALFORMED);
                return;
            } finally {
                conn.tls.doneLooking();
            }
            if (request != null) {
                answerTls(key, conn, request);
                return;
            }
        }
        flushTls(key, conn);
    }

    /** The client's address, or null when its connection has gone (then it is dropped and counted). */
    private InetSocketAddress remote(SelectionKey key) {
        try {
            return (InetSocketAddress) ((SocketChannel) key.channel()).getRemoteAddress();
        } catch (IOException e) {
            drop(key, Counter.CLOSED_EARLY);
            return null;
        }
    }

    private void answerTls(SelectionKey key, Connection conn, HubHandshake.AuthRequest request) {
        final InetSocketAddress from = remote(key);
        if (from == null) {
            return;
        }
        final long now = System.nanoTime();
        final long wait = throttle.waitSeconds(from.getAddress(), now);
        int answer;
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
        } else {
            answer = handler.answer(request.request(), from);
            if (answer < 0) {
                drop(key, Counter.DECLINED);
                return;
            }
        }
        try {
            conn.tls.send(HubHandshake.response(answer));
        } catch (javax.net.ssl.SSLException e) {
            drop(key, Counter.TLS_FAILED);
            return;
        } catch (IOException e) {
            drop(key, Counter.CLOSED_EARLY);
            return;
        }
        conn.answered = true;
        flushTls(key, conn);
    }

    /** Writes what TLS has to send; closes once an answer has gone, else waits for the client. */
    private void flushTls(SelectionKey key, Connection conn) {
        boolean all;
        try {
            all = !conn.tls.hasOutput() || conn.tls.flush();
            if (all && !conn.answered && conn.tls.stalled()) {
                if (!conn.tls.resume()) {
                    drop(key, Counter.CLOSED_EARLY);
                    return;
                }
                afterInput(key, conn);
                return;
            }
        } catch (javax.net.ssl.SSLException e) {
            drop(key, Counter.TLS_FAILED);
            return;
        } catch (IOException e) {
            drop(key, Counter.CLOSED_EARLY);
            return;
        }
        if (all && conn.answered) {
            drop(key, Counter.ANSWERED);
        } else {
            key.interestOps(all ? SelectionKey.OP_READ : SelectionKey.OP_WRITE);
        }
    }

    private void close(SelectionKey key) {
        if (key.attachment() instanceof Connection conn) {
            open--;
            if (conn.tls != null) {
                openTls--;
            }
        }
        key.attach(null);
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // Nothing to report about a handshake socket that is going anyway.
        }
    }

    /** Stops listening and closes every open handshake. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
            server.close();
        } catch (IOException | ClosedSelectorException e) {
            // Closing: nothing left to report.
        }
    }
}

package org.jamwire.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
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
 * 65536 in plain, gets it back, and then runs TLS on the same connection (see {@link TlsLogin}),
 * driven by the same selector without ever waiting, and the same deadline covers the TLS
 * handshake. A client that does not open with 65536 is told that authentication is required.
 *
 * <p>This class owns the socket, the selector and its thread, and each connection's deadline;
 * each client's handshake is a {@link HubConnection}, and what it is answered {@link HubAnswers}
 * decides.
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
    private static final long SELECT_MILLIS = 100;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final HubAnswers answers;
    private final long deadlineNanos;
    private final Thread thread;
    private final int port;
    private volatile boolean running = true;
    private int open;

    private HubListener(ServerSocketChannel server, Selector selector, HubAnswers answers, Duration timeout)
            throws IOException {
        this.server = server;
        this.selector = selector;
        this.answers = answers;
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
        return start(port, timeout, new HubAnswers(handler, null, null));
    }

    /**
     * As {@link #start}, for a hub that requires authentication: TLS with {@code tls}'s identity,
     * and {@code authenticator} decides on each request's credentials before {@code handler} is asked.
     */
    public static HubListener startAuthenticating(int port, Duration timeout, Handler handler, SSLContext tls,
            Authenticator authenticator) throws IOException {
        return start(port, timeout, new HubAnswers(handler, Objects.requireNonNull(tls, "tls"),
                Objects.requireNonNull(authenticator, "authenticator")));
    }

    private static HubListener start(int port, Duration timeout, HubAnswers answers) throws IOException {
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
        final HubListener l = new HubListener(server, selector, answers, timeout);
        l.thread.start();
        return l;
    }

    /** The bound TCP port. */
    public int port() {
        return port;
    }

    /** A counter's value. */
    public long count(Counter c) {
        return answers.count(c);
    }

    /** Why the last malformed request was refused, or null. */
    public String lastMalformed() {
        return answers.lastMalformed();
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
                        settle(key, ((HubConnection) key.attachment()).read(key, now));
                    } else if (key.isWritable()) {
                        settle(key, ((HubConnection) key.attachment()).write(key));
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
            answers.increment(Counter.ACCEPTED);
            if (open >= MAX_OPEN) {
                answers.increment(Counter.OVER_CAPACITY);
                c.close();
                continue;
            }
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.register(selector, SelectionKey.OP_READ, new HubConnection(answers, now + deadlineNanos, now));
            open++;
        }
    }

    private void expire(long now) {
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof HubConnection conn && key.isValid()) {
                settle(key, conn.expire(key, now));
            }
        }
    }

    /** Counts why a connection ends and closes it; {@code why} null: it goes on. */
    private void settle(SelectionKey key, Counter why) {
        if (why == null) {
            return;
        }
        answers.increment(why);
        if (key.attachment() instanceof HubConnection conn) {
            open--;
            conn.closed();
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

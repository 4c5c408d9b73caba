package org.jamwire.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jamwire.protocol.HubHandshake;

/**
 * The client side of jacktrip's hub handshake: connects to the hub's TCP port, sends the 68-byte
 * request in one write (the hub reads the name only if all 64 bytes are there at once), and reads
 * the 4-byte answer. A refused connection is retried with jacktrip's backoff until a deadline, since
 * a hub is often started a moment after its clients. Runs on the control thread; blocks.
 *
 * <p>With a {@link HubLogin} ({@code -A}) the client opens with {@link HubHandshake#AUTH_OK} in plain,
 * and once the hub has echoed it, runs TLS on the same socket, checking the hub's certificate as the
 * login's {@link HubTrust} says, and sends the request with the user name and password inside.
 */
public final class HubHandshakeClient {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int ANSWER_TIMEOUT_MILLIS = 10_000;

    private HubHandshakeClient() {
    }

    /**
     * Asks the hub at {@code hub} for a worker port.
     *
     * @param hub the hub's TCP address
     * @param udpPort this end's UDP bind port, told to the hub (it answers the port datagrams come from)
     * @param name the name the hub gives this client's ports, or "" for its default (the client's address)
     * @param retryFor how long to keep retrying a refused connection
     * @return the hub's UDP port for this client
     * @throws HubException when the hub cannot be reached, closes without answering, or answers
     *     with a code instead of a port
     */
    public static int requestPort(InetSocketAddress hub, int udpPort, String name, Duration retryFor)
            throws HubException {
        return requestPort(hub, udpPort, name, retryFor, null);
    }

    /**
     * As {@link #requestPort(InetSocketAddress, int, String, Duration)}, authenticating with
     * {@code login} when it is not null.
     *
     * @throws HubException also when the hub's certificate is not trusted, or the hub refuses the
     *     login, does not authenticate, or requires authentication that was not given; the message
     *     says what to do
     */
    public static int requestPort(InetSocketAddress hub, int udpPort, String name, Duration retryFor,
            HubLogin login) throws HubException {
        final byte[] request = login == null ? HubHandshake.request(udpPort, name) : null;
        final long deadline = System.nanoTime() + retryFor.toNanos();
        for (int attempt = 0; ; attempt++) {
            try (Socket s = open(hub)) {
                return login == null ? exchange(s, request, hub) : HubTlsLogin.exchange(s, hub, udpPort, name, login);
            } catch (ConnectException e) {
                final long backoff = backoffMillis(attempt);
                if (System.nanoTime() + backoff * 1_000_000L > deadline) {
                    throw new HubException("the hub at " + where(hub) + " refused the connection for "
                            + retryFor.toSeconds() + " s: is it running (jacktrip -S or jamwire -S), and is"
                            + " its TCP port " + hub.getPort() + "?");
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new HubException("interrupted while waiting to retry the hub at " + where(hub));
                }
            } catch (SocketTimeoutException e) {
                throw new HubException("the hub at " + where(hub) + " did not answer within "
                        + ANSWER_TIMEOUT_MILLIS / 1000 + " s");
            } catch (IOException e) {
                throw new HubException("cannot reach the hub at " + where(hub) + ": " + e.getMessage());
            }
        }
    }

    /** jacktrip's retry: 2 s doubling per attempt, at most 6 s, plus up to half a second of jitter. */
    static long backoffMillis(int attempt) {
        final long base = Math.min(6_000L, 2_000L << Math.min(attempt, 4));
        return base + ThreadLocalRandom.current().nextLong(500);
    }

    private static Socket open(InetSocketAddress hub) throws IOException {
        final Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(hub, CONNECT_TIMEOUT_MILLIS);
            s.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static int exchange(Socket s, byte[] request, InetSocketAddress hub) throws IOException, HubException {
        final OutputStream out = s.getOutputStream();
        out.write(request);
        out.flush();
        final int port = readAnswer(s.getInputStream(), hub);
        if (port == HubHandshake.AUTH_REQUIRED) {
            throw new HubException("the hub at " + where(hub) + " requires authentication: add -A and --username"
                    + " NAME, and give the password as 'jamwire --help' describes under -A");
        }
        if (port > 65535 || port < 1) {
            throw new HubException("the hub at " + where(hub) + " did not give a port: "
                    + HubHandshake.describeCode(port));
        }
        return port;
    }

    /** The hub's 4-byte answer. */
    static int readAnswer(InputStream in, InetSocketAddress hub) throws IOException, HubException {
        final byte[] answer = new byte[HubHandshake.RESPONSE_LENGTH];
        int got = 0;
        while (got < answer.length) {
            final int n = in.read(answer, got, answer.length - got);
            if (n < 0) {
                throw new HubException("the hub at " + where(hub) + " closed the connection after " + got
                        + " of the 4 answer bytes");
            }
            got += n;
        }
        return HubHandshake.parseResponse(answer);
    }

    static String where(InetSocketAddress a) {
        return (a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString()) + ":" + a.getPort();
    }
}

package org.jamwire.coordinator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 to a peer's agent through an ssh tunnel, or to this machine's own agent directly. The
 * request names the agent's loopback address and port in its Host header, as a browser on that
 * machine would, since the agent refuses other hosts; java.net.http cannot send such a header. One
 * request per connection, answers up to 1 MiB.
 * Called on control threads.
 */
final class TunnelHttp {

    /** An answer: status and body. */
    record Answer(int status, String body) {
    }

    private static final int MAX_BYTES = 1 << 20;
    private static final int TIMEOUT_MILLIS = 5000;

    private TunnelHttp() {
    }

    /**
     * Sends one request to 127.0.0.1:{@code localPort}, saying it is for 127.0.0.1:{@code remotePort}.
     *
     * @param body a JSON body, or null
     */
    static Answer request(int localPort, int remotePort, String method, String path, String token, String body)
            throws IOException {
        return request("127.0.0.1", localPort, remotePort, method, path, token, body);
    }

    /** Sends one request to {@code host}:{@code localPort}, saying it is for 127.0.0.1:{@code remotePort}. */
    static Answer request(String host, int localPort, int remotePort, String method, String path, String token,
            String body) throws IOException {
        return request(host, localPort, remotePort, method, path, token, body, TIMEOUT_MILLIS);
    }

    /**
     * As {@link #request(String, int, int, String, String, String, String)}, waiting up to
     * {@code readMillis} for the answer: longer for a request that itself waits (a latency test).
     *
     * @throws SocketTimeoutException naming the request, when no answer came in that time
     */
    static Answer request(String host, int localPort, int remotePort, String method, String path, String token,
            String body, int readMillis) throws IOException {
        final byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        final StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(remotePort).append("\r\n")
                .append("Authorization: Bearer ").append(token).append("\r\n")
                .append("Accept: application/json\r\nConnection: close\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, localPort), TIMEOUT_MILLIS);
            s.setSoTimeout(readMillis);
            final OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            return parse(readAll(s.getInputStream()));
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("no answer to " + method + " " + path + " in " + readMillis / 1000.0
                    + " s");
        }
    }

    private static String readAll(InputStream in) throws IOException {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        final byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0;) {
            if (b.size() + n > MAX_BYTES) {
                throw new IOException("the agent answered more than 1 MiB");
            }
            b.write(buf, 0, n);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static Answer parse(String response) throws IOException {
        if (!response.startsWith("HTTP/1.1 ") || response.length() < 12) {
            throw new IOException("the agent did not answer HTTP");
        }
        final int status;
        try {
            status = Integer.parseInt(response.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("the agent answered a malformed status line", e);
        }
        final int split = response.indexOf("\r\n\r\n");
        if (split < 0) {
            throw new IOException("the agent's answer ended in its headers");
        }
        final String headers = response.substring(0, split).toLowerCase(java.util.Locale.ROOT);
        final String payload = response.substring(split + 4);
        return new Answer(status, headers.contains("transfer-encoding: chunked") ? unchunk(payload) : payload);
    }

    private static String unchunk(String s) throws IOException {
        final StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            final int eol = s.indexOf("\r\n", i);
            if (eol < 0) {
                throw new IOException("the agent sent a malformed chunk");
            }
            final int size;
            try {
                size = Integer.parseInt(s.substring(i, eol).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("the agent sent a malformed chunk size", e);
            }
            if (size == 0) {
                break;
            }
            if (eol + 2 + size > s.length()) {
                throw new IOException("the agent's answer was cut short");
            }
            out.append(s, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }
}

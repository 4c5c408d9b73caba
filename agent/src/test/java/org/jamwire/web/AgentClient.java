package org.jamwire.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Talks to an agent over real HTTP/1.1 and WebSocket, the way a browser would, with every header
 * under the test's control (java.net.http will not send a foreign Host).
 */
final class AgentClient {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status and body. */
    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private final int port;
    private final String token;

    /** The agent's port. */
    int port() {
        return port;
    }

    AgentClient(int port, String token) {
        this.port = port;
        this.token = token;
    }

    String origin() {
        return "http://127.0.0.1:" + port;
    }

    /** Lab pair {@code id} once it is no longer starting: running, failed or stopped (within 90 s). */
    com.fasterxml.jackson.databind.JsonNode awaitPairEnd(String id) {
        final com.fasterxml.jackson.databind.JsonNode[] state = new com.fasterxml.jackson.databind.JsonNode[1];
        org.jamwire.testing.Deadlines.await(java.time.Duration.ofSeconds(90), () -> {
            state[0] = get("/api/lab/pairs/" + id).json();
            return !"starting".equals(state[0].get("state").asText());
        }, () -> "the pair: " + state[0]);
        return state[0];
    }

    Response get(String path) {
        return request("GET", path, null, List.of());
    }

    Response post(String path, String body) {
        return request("POST", path, body, List.of());
    }

    Response delete(String path) {
        return request("DELETE", path, null, List.of());
    }

    /** A request with the token and Host 127.0.0.1:PORT unless {@code headers} replace them ("Name: value"). */
    Response request(String method, String path, String body, List<String> headers) {
        final byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        final StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        final List<String> all = new ArrayList<>(headers);
        if (all.stream().noneMatch(h -> h.startsWith("Host:"))) {
            all.add("Host: 127.0.0.1:" + port);
        }
        if (all.stream().noneMatch(h -> h.startsWith("Authorization:")) && token != null) {
            all.add("Authorization: Bearer " + token);
        }
        all.removeIf(h -> h.endsWith(": "));
        for (String h : all) {
            head.append(h).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        try (Socket s = new Socket("127.0.0.1", port)) {
            // Longer than any endpoint's own wait: starting a peer's agent waits up to 30 s for it, then probes.
            s.setSoTimeout(60_000);
            final OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(content);
                out.flush();
            } catch (IOException refusedEarly) {
                // The server may answer and close before reading a body it refuses.
            }
            final String response = readAll(s.getInputStream());
            final int status = Integer.parseInt(response.substring(9, 12));
            final int split = response.indexOf("\r\n\r\n");
            String payload = split < 0 ? "" : response.substring(split + 4);
            if (response.substring(0, Math.max(0, split)).toLowerCase().contains("transfer-encoding: chunked")) {
                payload = unchunk(payload);
            }
            return new Response(status, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readAll(InputStream in) throws IOException {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        final byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0;) {
                b.write(buf, 0, n);
            }
        } catch (IOException resetAfterResponse) {
            if (b.size() == 0) {
                throw resetAfterResponse;
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    static String unchunk(String s) {
        final StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            final int eol = s.indexOf("\r\n", i);
            final int size = Integer.parseInt(s.substring(i, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(s, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }

    /** A live-feed socket that collects what it is sent. */
    static final class Feed implements WebSocket.Listener, AutoCloseable {
        final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        /** The next message that matches, within the timeout; fails the test otherwise, saying {@code what}. */
        JsonNode await(Predicate<JsonNode> wanted, Duration timeout, java.util.function.Supplier<String> what)
                throws InterruptedException {
            try {
                return await(wanted, timeout, "");
            } catch (AssertionError e) {
                throw new AssertionError("no " + what.get() + " within " + timeout, e);
            }
        }

        /** The next message that matches, within the timeout; fails the test otherwise. */
        JsonNode await(Predicate<JsonNode> wanted, Duration timeout, String what) throws InterruptedException {
            final long end = System.nanoTime() + timeout.toNanos();
            while (true) {
                final long left = end - System.nanoTime();
                final JsonNode m = left > 0 ? messages.poll(left, TimeUnit.NANOSECONDS) : null;
                if (m == null) {
                    throw new AssertionError("no " + what + " within " + timeout);
                }
                if (wanted.test(m)) {
                    return m;
                }
            }
        }

        int awaitClose(Duration timeout) throws Exception {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            if (socket != null && !socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            }
            if (socket != null) {
                socket.abort();
            }
        }
    }

    /** Opens the live feed with this Origin; throws when the upgrade is refused. */
    Feed feed(String origin) {
        final Feed feed = new Feed();
        final WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            b.header("Origin", origin);
        }
        feed.socket = b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/live"), feed).join();
        return feed;
    }
}

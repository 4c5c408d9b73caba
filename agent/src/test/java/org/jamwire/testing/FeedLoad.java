package org.jamwire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A benchmark process that loads an agent's live feed the way browsers would: it opens K sockets
 * to {@code /api/live} with the agent's Origin, authenticates each, subscribes it to the given
 * topics at the given rate, and keeps reading everything it is sent, counting messages, their
 * bytes (UTF-8 JSON) and the bytes their frames took on the wire, per socket. Every meters message
 * is checked: the channel count of each of its four lists (send and receive, peak and RMS) is
 * recorded. Run by {@code bench/feed.sh}, in a JVM of its own so that its CPU is not the agent's.
 *
 * <p>The client kind is {@code plain}, java.net.http's WebSocket, which offers no extension, so the
 * agent sends its messages as they are; or {@code deflate}, {@link DeflateWebSocket}, which offers
 * permessage-deflate as every browser does, so the agent compresses each message for each socket.
 *
 * <p>Arguments: PORT TOKEN_FILE SOCKETS RATE_HZ KIND TOPIC... It prints {@code ready} once every
 * socket has had its hello and a meters message; then each line {@code mark} on standard input
 * prints {@code mark EPOCH_MS MESSAGES BYTES WIRE_BYTES METERS MIN_CHANNELS MAX_CHANNELS LINKS
 * ERRORS CLOSED PER_SOCKET} (totals over all sockets since they connected; PER_SOCKET is the
 * messages of each socket, comma-separated). At the end of standard input it closes the sockets,
 * prints the same line as {@code end ...} and exits. Socket callbacks run on the HTTP client's
 * threads or each socket's reading thread; the rest on main.
 */
public final class FeedLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final AtomicLong meterMessages = new AtomicLong();
    private final AtomicLong minChannels = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong maxChannels = new AtomicLong(-1);
    private final AtomicLong errors = new AtomicLong();
    private final Set<String> meteredLinks = ConcurrentHashMap.newKeySet();

    private FeedLoad() {}

    /** One socket: what it has been sent so far. */
    private final class Socket implements WebSocket.Listener, DeflateWebSocket.Listener {
        final AtomicLong messages = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong wire = new AtomicLong();
        final CompletableFuture<Void> hello = new CompletableFuture<>();
        final CompletableFuture<Void> metered = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket plain;
        DeflateWebSocket deflate;

        void send(String text) throws Exception {
            if (plain != null) {
                plain.sendText(text, true).get(5, TimeUnit.SECONDS);
            } else {
                deflate.sendText(text);
            }
        }

        void close() {
            if (plain != null) {
                plain.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            } else {
                deflate.close();
            }
        }

        void abort() {
            if (plain != null) {
                plain.abort();
            } else {
                deflate.abort();
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                final String text = partial.toString();
                partial.setLength(0);
                final long length = utf8Length(text);
                record(text, length, length);
            }
            socket.request(1);
            return null;
        }

        @Override
        public void onText(String text, long wireBytes) {
            record(text, utf8Length(text), wireBytes);
        }

        private void record(String text, long length, long wireBytes) {
            messages.incrementAndGet();
            bytes.addAndGet(length);
            wire.addAndGet(wireBytes);
            check(text);
        }

        private void check(String text) {
            // Only the type is read, and only meters are parsed: the rest is counted as it comes.
            switch (type(text)) {
                case "meters" -> meters(text);
                case "hello" -> hello.complete(null);
                case "error" -> {
                    errors.incrementAndGet();
                    System.err.println("feed error: " + text);
                }
                default -> {
                }
            }
        }

        private void meters(String text) {
            final JsonNode m;
            try {
                m = JSON.readTree(text);
            } catch (IOException e) {
                errors.incrementAndGet();
                return;
            }
            meterMessages.incrementAndGet();
            for (String side : List.of("send", "receive")) {
                for (String kind : List.of("peak", "rms")) {
                    final int n = m.path(side).path(kind).size();
                    minChannels.accumulateAndGet(n, Math::min);
                    maxChannels.accumulateAndGet(n, Math::max);
                }
            }
            meteredLinks.add(m.path("link").asText());
            metered.complete(null);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            closed.complete(status);
            return null;
        }

        @Override
        public void onClose(int status) {
            closed.complete(status);
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            errors.incrementAndGet();
            System.err.println("socket error: " + error);
            closed.complete(-1);
        }
    }

    /**
     * A message's type: the value of its first "type" key (the agent writes each message's keys in
     * no fixed order; no other object it sends has a "type" key, and one inside a string is escaped).
     */
    private static String type(String text) {
        final int at = text.indexOf("\"type\":\"");
        if (at < 0) {
            return "";
        }
        final int from = at + 8;
        final int to = text.indexOf('"', from);
        return to < 0 ? "" : text.substring(from, to);
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6 || !List.of("plain", "deflate").contains(args[4])) {
            System.err.println("usage: FeedLoad PORT TOKEN_FILE SOCKETS RATE_HZ plain|deflate TOPIC...");
            System.exit(2);
        }
        final int port = Integer.parseInt(args[0]);
        final String token = Files.readString(Path.of(args[1])).trim();
        final int count = Integer.parseInt(args[2]);
        final int rate = Integer.parseInt(args[3]);
        final boolean deflate = args[4].equals("deflate");
        final StringBuilder topics = new StringBuilder();
        for (int i = 5; i < args.length; i++) {
            topics.append(i > 5 ? "," : "").append('"').append(args[i]).append('"');
        }
        new FeedLoad().run(port, token, count, rate, deflate, topics.toString());
    }

    private void run(int port, String token, int count, int rate, boolean deflate, String topics) throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        final String origin = "http://127.0.0.1:" + port;
        final List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final Socket s = new Socket();
            if (deflate) {
                s.deflate = DeflateWebSocket.open(port, "/api/live", origin, s, "feed-socket-" + i);
            } else {
                s.plain = http.newWebSocketBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .header("Origin", origin)
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/live"), s)
                        .get(10, TimeUnit.SECONDS);
            }
            s.send("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
            s.hello.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            s.send("{\"type\":\"subscribe\",\"topics\":[" + topics + "],\"rateHz\":" + rate + "}");
            sockets.add(s);
        }
        for (Socket s : sockets) {
            s.metered.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        System.out.println("ready");
        System.out.flush();
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null;) {
            if (line.trim().equals("mark")) {
                System.out.println(figures("mark", sockets));
                System.out.flush();
            }
        }
        final String end = figures("end", sockets);
        for (Socket s : sockets) {
            s.close();
        }
        for (Socket s : sockets) {
            try {
                s.closed.get(2, TimeUnit.SECONDS);
            } catch (Exception notAnswered) {
                s.abort();
            }
        }
        System.out.println(end);
        System.out.flush();
        System.exit(0);
    }

    private String figures(String label, List<Socket> sockets) {
        long messages = 0;
        long bytes = 0;
        long wire = 0;
        int closed = 0;
        final StringBuilder each = new StringBuilder();
        for (Socket s : sockets) {
            messages += s.messages.get();
            bytes += s.bytes.get();
            wire += s.wire.get();
            closed += s.closed.isDone() ? 1 : 0;
            each.append(each.length() > 0 ? "," : "").append(s.messages.get());
        }
        return label + " " + System.currentTimeMillis() + " " + messages + " " + bytes + " " + wire + " " + meterMessages.get()
                + " " + (maxChannels.get() < 0 ? 0 : minChannels.get()) + " " + Math.max(0, maxChannels.get())
                + " " + meteredLinks.size() + " " + errors.get() + " " + closed + " " + each;
    }
}

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
 * topics at the given rate, and keeps reading everything it is sent, counting messages and bytes
 * (UTF-8 payload) per socket. Every meters message is checked: the channel count of each of its
 * four lists (send and receive, peak and RMS) is recorded. Run by {@code bench/feed.sh}, in a JVM
 * of its own so that its CPU is not the agent's.
 *
 * <p>Arguments: PORT TOKEN_FILE SOCKETS RATE_HZ TOPIC... It prints {@code ready} once every socket
 * has had its hello and a meters message; then each line {@code mark} on standard input prints
 * {@code mark EPOCH_MS MESSAGES BYTES METERS MIN_CHANNELS MAX_CHANNELS LINKS ERRORS CLOSED PER_SOCKET}
 * (totals over all sockets since they connected; PER_SOCKET is the messages of each socket,
 * comma-separated). At the end of standard input it closes the sockets, prints the same line as
 * {@code end ...} and exits. Socket callbacks run on the HTTP client's threads; the rest on main.
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
    private final class Socket implements WebSocket.Listener {
        final AtomicLong messages = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final CompletableFuture<Void> hello = new CompletableFuture<>();
        final CompletableFuture<Void> metered = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                final String text = partial.toString();
                partial.setLength(0);
                messages.incrementAndGet();
                bytes.addAndGet(utf8Length(text));
                check(text);
            }
            socket.request(1);
            return null;
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
        if (args.length < 5) {
            System.err.println("usage: FeedLoad PORT TOKEN_FILE SOCKETS RATE_HZ TOPIC...");
            System.exit(2);
        }
        final int port = Integer.parseInt(args[0]);
        final String token = Files.readString(Path.of(args[1])).trim();
        final int count = Integer.parseInt(args[2]);
        final int rate = Integer.parseInt(args[3]);
        final StringBuilder topics = new StringBuilder();
        for (int i = 4; i < args.length; i++) {
            topics.append(i > 4 ? "," : "").append('"').append(args[i]).append('"');
        }
        new FeedLoad().run(port, token, count, rate, topics.toString());
    }

    private void run(int port, String token, int count, int rate, String topics) throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        final List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final Socket s = new Socket();
            s.ws = http.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .header("Origin", "http://127.0.0.1:" + port)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/live"), s)
                    .get(10, TimeUnit.SECONDS);
            s.ws.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\"}", true).get(5, TimeUnit.SECONDS);
            s.hello.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            s.ws.sendText("{\"type\":\"subscribe\",\"topics\":[" + topics + "],\"rateHz\":" + rate + "}", true)
                    .get(5, TimeUnit.SECONDS);
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
            s.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        for (Socket s : sockets) {
            try {
                s.closed.get(2, TimeUnit.SECONDS);
            } catch (Exception notAnswered) {
                s.ws.abort();
            }
        }
        System.out.println(end);
        System.out.flush();
        System.exit(0);
    }

    private String figures(String label, List<Socket> sockets) {
        long messages = 0;
        long bytes = 0;
        int closed = 0;
        final StringBuilder each = new StringBuilder();
        for (Socket s : sockets) {
            messages += s.messages.get();
            bytes += s.bytes.get();
            closed += s.closed.isDone() ? 1 : 0;
            each.append(each.length() > 0 ? "," : "").append(s.messages.get());
        }
        return label + " " + System.currentTimeMillis() + " " + messages + " " + bytes + " " + meterMessages.get()
                + " " + (maxChannels.get() < 0 ? 0 : minChannels.get()) + " " + Math.max(0, maxChannels.get())
                + " " + meteredLinks.size() + " " + errors.get() + " " + closed + " " + each;
    }
}

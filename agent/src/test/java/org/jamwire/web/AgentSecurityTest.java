package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token, Host, Origin and size checks, over real HTTP and WebSocket. */
class AgentSecurityTest {

    private static final Duration AUTH_TIMEOUT = Duration.ofMillis(700);

    @TempDir
    static Path dir;
    private static AgentServer agent;
    private static AgentClient api;

    @BeforeAll
    static void start() throws Exception {
        final AgentSettings d = AgentSettings.defaults(0, dir.resolve("token"), "jamwire-none-" + ProcessHandle.current().pid());
        agent = AgentServer.start(new AgentSettings(d.listenAddress(), 0, List.of("studio.example"), d.tokenFile(),
                d.jackServer(), d.feedRateHz(), d.maxBodyBytes(), d.maxFrameBytes(), AUTH_TIMEOUT.toMillis(), null,
                null));
        api = new AgentClient(agent.port(), agent.token().value());
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @Test
    void every_api_call_without_the_token_is_a_401() {
        for (String route : agent.apiRoutes()) {
            final String[] mp = route.split(" ");
            final AgentClient.Response r = api.request(mp[0], mp[1].replaceAll("\\{[a-z]+\\}", "l1"),
                    mp[0].equals("POST") ? "{}" : null, List.of("Authorization: "));
            assertEquals(401, r.status(), route + ": " + r.body());
            assertEquals("unauthorized", r.json().get("error").asText());
        }
    }

    @Test
    void a_wrong_token_is_a_401_and_counted() {
        final long before = api.get("/api/health").json().get("refused").path("unauthorized").asLong();
        final String wrong = "0".repeat(64);
        assertEquals(401, api.request("GET", "/api/health", null, List.of("Authorization: Bearer " + wrong)).status());
        assertEquals(401, api.request("GET", "/api/health", null, List.of("Authorization: Basic abc")).status());
        assertTrue(api.get("/api/health").json().get("refused").get("unauthorized").asLong() >= before + 2);
    }

    @Test
    void a_foreign_host_is_a_403_even_with_the_token() {
        for (String host : List.of("evil.example", "evil.example:" + agent.port(), "127.0.0.1:1",
                "127.0.0.1.evil.example")) {
            final AgentClient.Response r = api.request("GET", "/api/health", null, List.of("Host: " + host));
            assertEquals(403, r.status(), host);
            assertEquals("Host", r.json().get("field").asText());
        }
        assertEquals(403, api.request("GET", "/", null, List.of("Host: evil.example")).status());
    }

    @Test
    void loopback_names_and_allowed_hosts_are_accepted() {
        for (String host : List.of("localhost:" + agent.port(), "127.0.0.1", "STUDIO.example:" + agent.port())) {
            assertEquals(200, api.request("GET", "/api/health", null, List.of("Host: " + host)).status(), host);
        }
    }

    @Test
    void a_foreign_origin_is_a_403_on_the_api() {
        final AgentClient.Response r = api.request("POST", "/api/links/check", "{\"mode\": \"server\"}",
                List.of("Origin: http://evil.example"));
        assertEquals(403, r.status());
        assertEquals("Origin", r.json().get("field").asText());
        assertEquals(200, api.request("POST", "/api/links/check", "{\"mode\": \"server\"}",
                List.of("Origin: " + api.origin())).status());
    }

    @Test
    void a_websocket_upgrade_from_a_foreign_origin_or_none_is_a_403() {
        for (String origin : new String[] {"http://evil.example", "http://127.0.0.1:1", null}) {
            final CompletionException e = assertThrows(CompletionException.class, () -> api.feed(origin));
            final WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
            assertEquals(403, refused.getResponse().statusCode(), String.valueOf(origin));
        }
    }

    @Test
    void a_socket_that_never_authenticates_is_closed() throws Exception {
        final long before = agent.feedAuthFailures();
        try (AgentClient.Feed feed = api.feed(api.origin())) {
            assertEquals(LiveFeed.CLOSE_UNAUTHENTICATED, feed.awaitClose(AUTH_TIMEOUT.plusSeconds(5)));
        }
        assertTrue(agent.feedAuthFailures() > before);
    }

    @Test
    void a_socket_with_a_wrong_token_is_told_and_closed() throws Exception {
        try (AgentClient.Feed feed = api.feed(api.origin())) {
            feed.send("{\"type\": \"auth\", \"token\": \"" + "f".repeat(64) + "\"}");
            final JsonNode error = feed.await(m -> true, Duration.ofSeconds(5), "an error");
            assertEquals("error", error.get("type").asText());
            assertEquals("token", error.get("field").asText());
            assertEquals(LiveFeed.CLOSE_UNAUTHENTICATED, feed.awaitClose(Duration.ofSeconds(5)));
        }
    }

    @Test
    void a_socket_whose_first_message_is_not_auth_is_closed() throws Exception {
        try (AgentClient.Feed feed = api.feed(api.origin())) {
            feed.send("{\"type\": \"subscribe\", \"topics\": [\"links\"]}");
            assertEquals(LiveFeed.CLOSE_UNAUTHENTICATED, feed.awaitClose(Duration.ofSeconds(5)));
        }
    }

    @Test
    void an_oversized_body_is_refused() {
        final String big = "{\"mode\": \"server\", \"host\": \"" + "x".repeat(70 * 1024) + "\"}";
        final AgentClient.Response r = api.post("/api/links/check", big);
        assertEquals(413, r.status(), r.body());
    }

    @Test
    void an_oversized_frame_closes_the_socket() throws Exception {
        try (AgentClient.Feed feed = api.feed(api.origin())) {
            feed.send("{\"type\": \"auth\", \"token\": \"" + agent.token().value() + "\"}");
            feed.await(m -> m.get("type").asText().equals("hello"), Duration.ofSeconds(5), "hello");
            feed.send("{\"type\": \"subscribe\", \"topics\": [\"" + "x".repeat(9000) + "\"]}");
            assertEquals(1009, feed.awaitClose(Duration.ofSeconds(5)));
        }
    }

    @Test
    void a_bad_message_is_answered_and_the_socket_stays_open() throws Exception {
        final long before = agent.feedBadMessages();
        try (AgentClient.Feed feed = api.feed(api.origin())) {
            feed.send("{\"type\": \"auth\", \"token\": \"" + agent.token().value() + "\"}");
            feed.await(m -> m.get("type").asText().equals("hello"), Duration.ofSeconds(5), "hello");
            feed.send("{\"type\": \"subscribe\", \"topics\": [\"links\", \"rm -rf /\"]}");
            final JsonNode error = feed.await(m -> m.get("type").asText().equals("error"), Duration.ofSeconds(5), "an error");
            assertEquals("topics[1]", error.get("field").asText());
            feed.send("not json at all");
            assertEquals("type", feed.await(m -> m.get("type").asText().equals("error"), Duration.ofSeconds(5),
                    "an error").get("field").asText());
            feed.send("{\"type\": \"subscribe\", \"topics\": [\"links\"], \"rateHz\": 99}");
            assertEquals("rateHz", feed.await(m -> m.get("type").asText().equals("error"), Duration.ofSeconds(5),
                    "an error").get("field").asText());
            feed.send("{\"type\": \"subscribe\", \"topics\": [\"links\"]}");
            feed.await(m -> m.get("type").asText().equals("links"), Duration.ofSeconds(5), "the link list");
        }
        assertEquals(before + 3, agent.feedBadMessages());
    }
}

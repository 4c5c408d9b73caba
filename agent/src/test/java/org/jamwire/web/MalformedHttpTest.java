package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that Jetty refuses while it parses them, before any handler of ours runs: each still
 * gets the API's JSON error, naming what was wrong, and none is logged as a failure of ours.
 */
class MalformedHttpTest {

    @TempDir
    static Path dir;
    private static AgentServer agent;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("token"),
                "jamwire-none-" + ProcessHandle.current().pid()));
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    /** The status line's code, the head, and the body of what the agent answers to {@code request}. */
    private record Answer(int status, String head, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private static Answer send(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", agent.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            final String all = AgentClient.readAll(s.getInputStream());
            final int split = all.indexOf("\r\n\r\n");
            String body = all.substring(split + 4);
            final String head = all.substring(0, split);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = AgentClient.unchunk(body);
            }
            return new Answer(Integer.parseInt(all.substring(9, 12)), head, body);
        }
    }

    private static String host() {
        return "Host: 127.0.0.1:" + agent.port() + "\r\n";
    }

    private static String auth() {
        return "Authorization: Bearer " + agent.token().value() + "\r\n";
    }

    private static void assertJsonError(Answer a, int status, String error) throws IOException {
        assertEquals(status, a.status(), a.head() + "\n" + a.body());
        assertTrue(a.head().toLowerCase().contains("content-type: application/json"), a.head());
        final JsonNode j = a.json();
        assertEquals(error, j.get("error").asText(), a.body());
        assertFalse(j.get("message").asText().isBlank(), a.body());
    }

    @Test
    void a_malformed_host_header_gets_json() throws Exception {
        assertJsonError(send("GET /api/health HTTP/1.1\r\nHost: [bad\r\nConnection: close\r\n\r\n"), 400, "invalid");
    }

    @Test
    void a_uri_too_long_gets_json() throws Exception {
        assertJsonError(send("GET /api/health?" + "a".repeat(20_000) + " HTTP/1.1\r\n" + host()
                + "Connection: close\r\n\r\n"), 414, "too_large");
    }

    @Test
    void headers_too_large_get_json() throws Exception {
        assertJsonError(send("GET /api/health HTTP/1.1\r\n" + host() + "X-Junk: " + "b".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n"), 431, "too_large");
    }

    @Test
    void a_malformed_chunked_body_gets_json_400_not_500() throws Exception {
        final Answer a = send("POST /api/links/check HTTP/1.1\r\n" + host() + auth()
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "zz\r\n{\"mode\": \"server\"}\r\n0\r\n\r\n");
        assertJsonError(a, 400, "invalid");
    }

    @Test
    void a_page_that_does_not_exist_gets_json_and_a_control_character_in_a_path_is_refused() throws Exception {
        final Answer a = send("GET /no/such/page HTTP/1.1\r\n" + host() + "Connection: close\r\n\r\n");
        assertJsonError(a, 404, "not_found");
        assertTrue(a.json().get("message").asText().contains("/no/such/page"), a.body());
        assertJsonError(send("GET /no/such%1b[2Jpage HTTP/1.1\r\n" + host() + "Connection: close\r\n\r\n"), 400,
                "invalid");
    }

    @Test
    void a_request_that_is_not_http_gets_json() throws Exception {
        assertJsonError(send("\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\r\n\r\n"), 400, "invalid");
    }
}

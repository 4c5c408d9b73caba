package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The agent's request bodies, over real HTTP to an agent in this JVM: any body to the endpoints
 * that check a link or a pair without starting anything. The answer is always JSON; a refusal is a
 * 4xx naming its error, never a 500; and the agent goes on answering.
 */
class RequestBodyFuzzTest {

    private static final String[] PATHS = {"/api/links/check", "/api/lab/pairs"};
    private static final String[] FRAGMENTS = {"{", "}", "[", "]", ",", ":", "\"mode\"", "\"host\"", "\"options\"",
        "\"server\"", "\"client\"", "\"hubserver\"", "\"hubclient\"", "\"queue\"", "\"auto\"", "\"numchannels\"",
        "\"peer\"", "\"port\"", "\"clientname\"", "\"remotename\"", "\"backend\"", "\"builtin\"", "true", "false",
        "null", "0", "1", "-1", "65536", "1e309", "\"\\u0000\"", "\"\\u202e\"", "\"$(id)\"", "\"127.0.0.1\"",
        "\"::1\"", "\"a\"", "\"\"", " "};
    private static AgentServer agent;
    private static AgentClient api;

    private static synchronized AgentClient api() throws Exception {
        if (agent == null) {
            final Path dir = Files.createTempDirectory("jamwire-fuzz-agent");
            agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("token"),
                    "jamwire-none-" + ProcessHandle.current().pid()));
            api = new AgentClient(agent.port(), agent.token().value());
        }
        return api;
    }

    @org.junit.jupiter.api.AfterAll
    static synchronized void stop() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    @FuzzTest(maxDuration = "10s")
    void bodies(FuzzedDataProvider data) throws Exception {
        final int port = api().port();
        // The requests go to the agent under test, and only there.
        com.code_intelligence.jazzer.api.BugDetectors.allowNetworkConnections(
                (host, p) -> p == port && ("localhost".equals(host) || "127.0.0.1".equals(host)));
        final String path = data.pickValue(PATHS);
        final StringBuilder body = new StringBuilder();
        final int parts = data.consumeInt(0, 40);
        for (int i = 0; i < parts; i++) {
            body.append(data.consumeBoolean() ? data.pickValue(FRAGMENTS) : data.consumeString(12));
        }
        final AgentClient.Response r = api().request("POST", path, body.toString(), List.of());
        assertTrue(r.status() == 200 || r.status() >= 400 && r.status() < 500 || r.status() == 503,
                r.status() + " for " + body + ": " + r.body());
        final JsonNode j = r.json();
        if (r.status() >= 400) {
            assertTrue(j.path("error").isTextual() && j.path("message").isTextual(), r.body());
        }
        assertTrue(api().get("/api/health").status() == 200, "the agent stopped answering after " + body);
    }
}

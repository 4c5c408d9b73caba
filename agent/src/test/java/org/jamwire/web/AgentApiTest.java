package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over real HTTP, against an agent on port 0 with no JACK server and built-in links. */
class AgentApiTest {

    @TempDir
    static Path dir;
    private static AgentServer agent;
    private static AgentClient api;

    @BeforeAll
    static void start() throws Exception {
        agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("token"), "jamwire-none-" + ProcessHandle.current().pid()));
        api = new AgentClient(agent.port(), agent.token().value());
    }

    @AfterAll
    static void stop() {
        agent.close();
    }


    @Test
    void health_says_ok_with_the_version() {
        final AgentClient.Response r = api.get("/api/health");
        assertEquals(200, r.status(), r.body());
        assertEquals("ok", r.json().get("status").asText());
        assertFalse(r.json().get("version").asText().isEmpty());
        assertEquals("unavailable", r.json().get("jack").asText());
    }

    @Test
    void jack_state_says_how_to_start_a_missing_server() {
        final JsonNode j = api.get("/api/jack").json();
        assertEquals("unavailable", j.get("state").asText());
        assertTrue(j.get("message").asText().contains("jackd"), j.toString());
    }

    @Test
    void link_options_list_every_link_option_but_the_mode() {
        final JsonNode options = api.get("/api/link-options").json();
        final Set<String> keys = new HashSet<>();
        options.forEach(o -> keys.add(o.get("key").asText()));
        assertTrue(keys.containsAll(Set.of("numchannels", "queue", "redundancy", "bitres", "bindport", "backend",
                "underrun", "no-drift-correction", "buffersize", "timeout")), keys.toString());
        assertFalse(keys.contains("server") || keys.contains("client") || keys.contains("help"), keys.toString());
        final JsonNode bitres = find(options, "bitres");
        assertEquals(List.of("8", "16", "24", "32"), AgentClient.JSON.convertValue(bitres.get("choices"), List.class));
    }

    private static JsonNode find(JsonNode array, String key) {
        for (JsonNode n : array) {
            if (n.get("key").asText().equals(key)) {
                return n;
            }
        }
        throw new AssertionError("no " + key);
    }

    @Test
    void a_valid_request_checks_out_as_its_command_line() {
        final AgentClient.Response r = api.post("/api/links/check",
                "{\"mode\": \"client\", \"host\": \"192.0.2.10\", \"options\": {\"queue\": \"auto\", \"numchannels\": 8,"
                        + " \"no-drift-correction\": true}}");
        assertEquals(200, r.status(), r.body());
        assertEquals("jamwire --client 192.0.2.10 --queue auto --numchannels 8 --no-drift-correction",
                r.json().get("commandLine").asText());
    }

    @Test
    void a_bad_option_value_names_the_field_and_the_rule() {
        final AgentClient.Response r = api.post("/api/links/check", "{\"mode\": \"server\", \"options\": {\"queue\": \"0\"}}");
        assertEquals(400, r.status());
        assertEquals("invalid", r.json().get("error").asText());
        assertEquals("options.queue", r.json().get("field").asText());
        assertEquals("use a whole number from 1 to 1000, or auto", r.json().get("rule").asText());
    }

    @Test
    void an_unknown_option_a_bad_mode_and_a_missing_host_are_each_named() {
        assertEquals("options.colour", api.post("/api/links/check",
                "{\"mode\": \"server\", \"options\": {\"colour\": \"red\"}}").json().get("field").asText());
        assertEquals("mode", api.post("/api/links/check", "{\"mode\": \"hub\"}").json().get("field").asText());
        assertEquals("host", api.post("/api/links/check", "{\"mode\": \"client\"}").json().get("field").asText());
        assertEquals("options.timeout", api.post("/api/links/check",
                "{\"mode\": \"server\", \"options\": {\"timeout\": \"yes\"}}").json().get("field").asText());
        assertEquals("unknownField", api.post("/api/links/check",
                "{\"mode\": \"server\", \"unknownField\": 1}").json().get("field").asText());
    }

    @Test
    void control_characters_in_a_name_and_a_shell_expression_as_host_are_refused_naming_the_field() {
        for (String name : List.of("evil\\u001b[2Jname", "a\\r\\nforged", "invoice\\u202egpj.exe")) {
            final AgentClient.Response r = api.post("/api/links", "{\"mode\": \"server\", \"options\":"
                    + " {\"clientname\": \"" + name + "\", \"backend\": \"builtin\"}}");
            assertEquals(400, r.status(), r.body());
            assertEquals("options.clientname", r.json().get("field").asText(), r.body());
            assertTrue(r.json().get("rule").asText().contains("use printable characters only"), r.body());
        }
        for (String path : List.of("/api/links/check", "/api/links")) {
            final AgentClient.Response r = api.post(path, "{\"mode\": \"client\", \"host\": \"$(id)\"}");
            assertEquals(400, r.status(), r.body());
            assertEquals("host", r.json().get("field").asText(), r.body());
        }
        assertEquals(0, api.get("/api/links").json().size(), "no link was made");
    }

    @Test
    void hub_requests_check_out_as_their_command_lines() {
        final AgentClient.Response server = api.post("/api/links/check", "{\"mode\": \"hubserver\", \"options\":"
                + " {\"hubpatch\": \"2\", \"includeserver\": true, \"upmix\": true, \"udpbaseport\": 40000}}");
        assertEquals(200, server.status(), server.body());
        assertEquals("jamwire --jacktripserver --hubpatch 2 --includeserver --upmix --udpbaseport 40000",
                server.json().get("commandLine").asText());
        final AgentClient.Response client = api.post("/api/links/check", "{\"mode\": \"hubclient\", \"host\":"
                + " \"192.0.2.10\", \"options\": {\"remotename\": \"alice\"}}");
        assertEquals(200, client.status(), client.body());
        assertEquals("jamwire --pingtoserver 192.0.2.10 --remotename alice", client.json().get("commandLine").asText());
    }

    @Test
    void hub_options_are_refused_at_the_wrong_end_naming_the_field() {
        final AgentClient.Response name = api.post("/api/links/check",
                "{\"mode\": \"hubserver\", \"options\": {\"remotename\": \"alice\"}}");
        assertEquals(400, name.status(), name.body());
        assertEquals("options.remotename", name.json().get("field").asText(), name.body());
        final AgentClient.Response patch = api.post("/api/links/check",
                "{\"mode\": \"client\", \"host\": \"h.example\", \"options\": {\"hubpatch\": \"2\"}}");
        assertEquals("options.hubpatch", patch.json().get("field").asText(), patch.body());
        final AgentClient.Response range = api.post("/api/links/check",
                "{\"mode\": \"hubserver\", \"options\": {\"hubpatch\": \"7\"}}");
        assertEquals("options.hubpatch", range.json().get("field").asText(), range.body());
        assertEquals("0 to 5", range.json().get("rule").asText().replace("use a whole number from ", "")
                .replace("use ", ""), range.body());
        assertEquals("host", api.post("/api/links/check", "{\"mode\": \"hubclient\"}").json().get("field").asText());
        assertEquals("host", api.post("/api/links/check", "{\"mode\": \"hubserver\", \"host\": \"h\"}").json()
                .get("field").asText());
    }

    @Test
    void link_options_say_which_modes_take_them_and_what_each_patch_mode_does() {
        final JsonNode options = api.get("/api/link-options").json();
        assertEquals(List.of("hubclient"), AgentClient.JSON.convertValue(find(options, "remotename").get("modes"),
                List.class));
        final JsonNode patch = find(options, "hubpatch");
        assertEquals(List.of("hubserver"), AgentClient.JSON.convertValue(patch.get("modes"), List.class));
        assertEquals(6, patch.get("choiceMeanings").size(), patch.toString());
        assertTrue(patch.get("choiceMeanings").get("2").asText().contains("every other client"), patch.toString());
        assertEquals(4, find(options, "queue").get("modes").size());
    }

    @Test
    void a_hub_server_link_starts_lists_no_clients_and_stops() throws Exception {
        final int tcp = FreePorts.tcp();
        final AgentClient.Response r = api.post("/api/links", "{\"mode\": \"hubserver\", \"options\":"
                + " {\"bindport\": " + tcp + ", \"udpbaseport\": " + FreePorts.udp() + "}}");
        assertEquals(201, r.status(), r.body());
        final String id = r.json().get("id").asText();
        assertEquals("hubserver", r.json().get("mode").asText());
        assertEquals("waiting", r.json().get("state").asText());
        assertEquals(tcp, r.json().get("hub").get("tcpPort").asInt(), r.body());
        assertEquals(0, r.json().get("clients").size(), r.body());
        final AgentClient.Response clients = api.get("/api/links/" + id + "/clients");
        assertEquals(200, clients.status(), clients.body());
        assertEquals(0, clients.json().size());
        assertEquals(0, api.get("/api/links/" + id + "/counters").json().get("clients").asInt());
        assertEquals(409, api.post("/api/links/" + id + "/latency", "").status());
        final AgentClient.Response taken = api.post("/api/links", "{\"mode\": \"hubserver\", \"options\":"
                + " {\"bindport\": " + tcp + ", \"udpbaseport\": " + FreePorts.udp() + "}}");
        assertEquals(409, taken.status(), taken.body());
        assertEquals("stopped", api.delete("/api/links/" + id).json().get("state").asText());
    }

    @Test
    void the_clients_of_a_link_that_is_no_hub_server_are_a_404() throws Exception {
        final AgentClient.Response r = api.post("/api/links", "{\"mode\": \"server\", \"options\": {\"backend\":"
                + " \"builtin\", \"bindport\": " + FreePorts.udp() + "}}");
        assertEquals(201, r.status(), r.body());
        final String id = r.json().get("id").asText();
        assertEquals(404, api.get("/api/links/" + id + "/clients").status());
        api.delete("/api/links/" + id);
    }

    @Test
    void a_hub_client_whose_hub_cannot_be_found_is_a_502_saying_why() throws Exception {
        final AgentClient.Response r = api.post("/api/links", "{\"mode\": \"hubclient\", \"host\":"
                + " \"no-such-host.invalid\", \"options\": {\"backend\": \"builtin\", \"bindport\": "
                + FreePorts.udp() + "}}");
        assertEquals(502, r.status(), r.body());
        assertEquals("hub", r.json().get("error").asText());
        assertTrue(r.json().get("message").asText().contains("no-such-host.invalid"), r.body());
    }


    @Test
    void malformed_json_is_a_400_naming_the_body() {
        for (String body : List.of("{\"mode\": ", "[1, 2]", "\"server\"", "{} {}", "")) {
            final AgentClient.Response r = api.post("/api/links/check", body);
            assertEquals(400, r.status(), body + " -> " + r.body());
            assertEquals("body", r.json().get("field").asText(), body);
            assertFalse(r.body().contains("Exception"), r.body());
        }
    }

    @Test
    void a_jack_link_on_another_server_is_refused() {
        final AgentClient.Response r = api.post("/api/links/check",
                "{\"mode\": \"server\", \"options\": {\"jack-server\": \"elsewhere\"}}");
        assertEquals(400, r.status());
        assertEquals("options.jack-server", r.json().get("field").asText());
    }

    @Test
    void an_unknown_link_is_a_404() {
        assertEquals(404, api.get("/api/links/l999").status());
        assertEquals(404, api.get("/api/links/l1x").status());
        assertEquals("not_found", api.delete("/api/links/l999").json().get("error").asText());
    }

    @Test
    void two_links_started_through_the_api_stream_to_each_other_and_stop() throws Exception {
        final int serverPort = FreePorts.udp();
        final AgentClient.Response server = api.post("/api/links", "{\"mode\": \"server\", \"options\": {\"backend\":"
                + " \"builtin\", \"bindport\": " + serverPort + ", \"clientname\": \"api-server\"}}");
        assertEquals(201, server.status(), server.body());
        final AgentClient.Response client = api.post("/api/links", "{\"mode\": \"client\", \"host\": \"127.0.0.1\","
                + " \"options\": {\"backend\": \"builtin\", \"bindport\": " + FreePorts.udp() + ", \"peerport\": "
                + serverPort + ", \"clientname\": \"api-client\"}}");
        assertEquals(201, client.status(), client.body());
        final String serverId = server.json().get("id").asText();
        final String clientId = client.json().get("id").asText();
        Deadlines.await(Duration.ofSeconds(10), () -> api.get("/api/links/" + serverId + "/counters").json()
                .get("pkts_in").asLong() > 200, () -> "the server receiving");
        assertEquals("connected", api.get("/api/links/" + serverId).json().get("state").asText());
        final AgentClient.Response taken = api.post("/api/links", "{\"mode\": \"server\", \"options\": {\"backend\":"
                + " \"builtin\", \"bindport\": " + serverPort + "}}");
        assertEquals(409, taken.status(), taken.body());
        final AgentClient.Response stopped = api.delete("/api/links/" + clientId);
        assertEquals(200, stopped.status(), stopped.body());
        assertEquals("stopped", stopped.json().get("state").asText());
        Deadlines.await(Duration.ofSeconds(10), () -> api.get("/api/links/" + serverId).json().get("state").asText()
                .equals("stopped"), () -> "the server stopping on the client's stop packet");
        final JsonNode events = api.get("/api/links/" + serverId).json().get("events");
        assertTrue(events.toString().contains("peer_stopped"), events.toString());
    }

    @Test
    void a_latency_test_names_a_bad_field_an_unknown_link_and_a_link_that_is_not_streaming() throws Exception {
        assertEquals(404, api.post("/api/links/l999/latency", "").status());
        final AgentClient.Response waiting = api.post("/api/links", "{\"mode\": \"server\", \"options\": {\"backend\":"
                + " \"builtin\", \"bindport\": " + FreePorts.udp() + ", \"numchannels\": 2}}");
        assertEquals(201, waiting.status(), waiting.body());
        final String id = waiting.json().get("id").asText();
        try {
            for (String[] bad : new String[][] {{"{\"channel\": 0}", "channel"}, {"{\"channel\": 3}", "channel"},
                {"{\"channel\": \"1\"}", "channel"}, {"{\"timeoutMs\": 99}", "timeoutMs"},
                {"{\"timeoutMs\": 10001}", "timeoutMs"}, {"{\"timeoutMs\": 1.5}", "timeoutMs"},
                {"{\"chanel\": 1}", "chanel"}, {"[1]", "body"}}) {
                final AgentClient.Response r = api.post("/api/links/" + id + "/latency", bad[0]);
                assertEquals(400, r.status(), bad[0] + " -> " + r.body());
                assertEquals(bad[1], r.json().get("field").asText(), bad[0] + " -> " + r.body());
            }
            final AgentClient.Response rule = api.post("/api/links/" + id + "/latency", "{\"channel\": 3}");
            assertEquals("a whole number from 1 to 2", rule.json().get("rule").asText(), rule.body());
            final AgentClient.Response notStreaming = api.post("/api/links/" + id + "/latency", "");
            assertEquals(409, notStreaming.status(), notStreaming.body());
            assertEquals("conflict", notStreaming.json().get("error").asText());
            assertTrue(notStreaming.json().get("message").asText().contains("waiting for its peer"),
                    notStreaming.body());
        } finally {
            api.delete("/api/links/" + id);
        }
    }

    @Test
    void a_latency_test_through_a_far_end_that_does_not_loop_back_answers_no_echo_within_the_timeout()
            throws Exception {
        final int serverPort = FreePorts.udp();
        final String server = api.post("/api/links", "{\"mode\": \"server\", \"options\": {\"backend\":"
                + " \"builtin\", \"bindport\": " + serverPort + "}}").json().get("id").asText();
        final String client = api.post("/api/links", "{\"mode\": \"client\", \"host\": \"127.0.0.1\", \"options\":"
                + " {\"backend\": \"builtin\", \"bindport\": " + FreePorts.udp() + ", \"peerport\": " + serverPort
                + "}}").json().get("id").asText();
        try {
            Deadlines.await(Duration.ofSeconds(10), () -> api.get("/api/links/" + client).json().get("state").asText()
                    .equals("connected"), () -> "the client connected");
            // The built-in far end sends its test signal, not what it receives.
            final long start = System.nanoTime();
            final AgentClient.Response r = api.post("/api/links/" + client + "/latency", "{\"timeoutMs\": 300}");
            final long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(422, r.status(), r.body());
            assertEquals("no_echo", r.json().get("error").asText());
            assertTrue(r.json().get("message").asText().contains("loop the far end's receive ports to its send ports"),
                    r.body());
            assertTrue(millis >= 300 && millis < 2_000, "answered after " + millis + " ms");
        } finally {
            api.delete("/api/links/" + client);
            api.delete("/api/links/" + server);
        }
    }

    @Test
    void every_documented_endpoint_exists_and_every_endpoint_is_documented() throws Exception {
        final JsonNode doc = api.get("/api/openapi.json").json();
        assertEquals("3.1.0", doc.get("openapi").asText());
        final Set<String> documented = new HashSet<>();
        doc.get("paths").properties().forEach(p -> p.getValue().properties()
                .forEach(m -> documented.add(m.getKey().toUpperCase() + " " + p.getKey())));
        assertEquals(agent.apiRoutes(), documented);
    }

    @Test
    void the_agent_listens_on_loopback_only() throws Exception {
        final String hexPort = String.format(":%04X", agent.port());
        final List<String> listening = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                final String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                    listening.add(f[1]);
                }
            }
        }
        // 127.0.0.1, as an IPv4 socket or an IPv6 one bound to the IPv4-mapped address.
        assertEquals(1, listening.size(), listening.toString());
        assertTrue(Set.of("0100007F" + hexPort, "0000000000000000FFFF00000100007F" + hexPort)
                .contains(listening.get(0)), listening.toString());
    }

    @Test
    void errors_never_carry_a_stack_trace() {
        for (AgentClient.Response r : List.of(api.get("/api/nothing-here"), api.post("/api/links", "{\"mode\": 5}"),
                api.request("PUT", "/api/links", "{}", List.of()))) {
            assertNotEquals(200, r.status());
            assertFalse(r.body().contains("at org.") || r.body().contains("Exception"), r.body());
        }
    }
}

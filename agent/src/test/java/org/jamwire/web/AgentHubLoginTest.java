package org.jamwire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.FreePorts;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.Program;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hub clients started through the agent's API log in ({@code auth}) to a real {@code jacktrip -S -A}
 * (1.7) and to {@code jamwire -S -A}, each on a JACK server of its own (dummy driver), with the user
 * name from the request and the password from the file the agent's config names, and stream both
 * ways. A request that names a password file, an agent without a password file, and a wrong
 * password are refused, each saying how to fix it; the password is in no answer.
 */
@Tag("integration")
class AgentHubLoginTest {

    /** openssl passwd -6 -salt saltsalt secret1 */
    private static final String SECRET1 = "$6$saltsalt$jCP90RmSIIja2o9FRs25ASQaR1lMN6uKHmNcHaoNCpAXgV3n5Nf"
            + "AlQdZQcvMVQO1BTCOFF0LzoHFZBt9E45NW0";

    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(AgentHubLoginTest.class.getResource("/hubauth/" + name).toURI());
    }

    @Test
    void hub_clients_from_the_api_log_in_to_jacktrip_and_jamwire_hubs_with_the_agent_s_password() throws Exception {
        final Path users = Files.writeString(dir.resolve("users"), "alice:" + SECRET1 + ":*\n");
        final Path password = Files.writeString(dir.resolve("hub-password"), "secret1\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        final int jacktripTcp = FreePorts.tcp();
        final int jamwireTcp = FreePorts.tcp();
        final List<String> hubFiles = List.of("--certfile", resource("hub-cert.pem").toString(), "--keyfile",
                resource("hub-key.pem").toString(), "--credsfile", users.toString());
        try (JackServer a = JackServer.start(48_000, 256, 2, 2);
             JackServer b = JackServer.start(48_000, 256, 2, 2);
             Program jacktripHub = Program.jacktrip(a.name(), concat(List.of("-S", "-A"), hubFiles,
                     List.of("-B", Integer.toString(jacktripTcp), "-U", Integer.toString(FreePorts.udp()), "-n", "2")));
             Program jamwireHub = Program.jamwire(b.name(), concat(List.of("-S", "-A"), hubFiles,
                     List.of("-B", Integer.toString(jamwireTcp), "-U", Integer.toString(FreePorts.udp()), "-n", "2")));
             AgentServer agent = AgentServer.start(AgentSettings.defaults(0, dir.resolve("agent/token"),
                     "jamwire-none-" + ProcessHandle.current().pid()).withHubPasswordFile(password));
             AgentServer without = AgentServer.start(AgentSettings.defaults(0, dir.resolve("without/token"),
                     "jamwire-none-" + ProcessHandle.current().pid()))) {
            jacktripHub.awaitOutput("Waiting for client connections", Duration.ofSeconds(15));
            jamwireHub.awaitOutput("listening on TCP port " + jamwireTcp, Duration.ofSeconds(15));
            final AgentClient api = new AgentClient(agent.port(), agent.token().value());

            // The password never comes from a request, and an agent without one says where it goes.
            final AgentClient.Response named = api.post("/api/links", request(jacktripTcp, "alice",
                    ", \"password-file\": \"" + password + "\""));
            assertEquals(400, named.status(), named.body());
            assertEquals("options.password-file", named.json().get("field").asText(), named.body());
            final AgentClient.Response none = new AgentClient(without.port(), without.token().value())
                    .post("/api/links", request(jacktripTcp, "alice", ""));
            assertEquals(400, none.status(), none.body());
            assertEquals("options.auth", none.json().get("field").asText(), none.body());
            assertTrue(none.json().get("message").asText().contains("hubPasswordFile"), none.body());

            for (int tcp : List.of(jacktripTcp, jamwireTcp)) {
                final String hub = tcp == jacktripTcp ? "jacktrip -S -A" : "jamwire -S -A";
                final AgentClient.Response started = api.post("/api/links", request(tcp, "alice", ""));
                assertEquals(201, started.status(), hub + ": " + started.body());
                final String id = started.json().get("id").asText();
                Deadlines.await(Duration.ofSeconds(20), () -> {
                    final var c = api.get("/api/links/" + id + "/counters").json();
                    return c.get("pkts_in").asLong() > 100 && c.get("pkts_out").asLong() > 100;
                }, () -> hub + ": streaming both ways: " + api.get("/api/links/" + id).body() + "\nhub:\n"
                        + (tcp == jacktripTcp ? jacktripHub.output() : jamwireHub.output()));
                assertFalse(api.get("/api/links/" + id).body().contains("secret1"), "the password in the link");
                assertEquals("stopped", api.delete("/api/links/" + id).json().get("state").asText());
            }

            // A wrong password: the hub's refusal, as a 502 that names the user.
            Files.writeString(password, "secret2\n");
            final AgentClient.Response refused = api.post("/api/links", request(jamwireTcp, "alice", ""));
            assertEquals(502, refused.status(), refused.body());
            assertTrue(refused.json().get("message").asText().contains("alice"), refused.body());
            assertFalse(refused.body().contains("secret2"), refused.body());
        }
    }

    private static String request(int tcp, String user, String more) throws Exception {
        return "{\"mode\": \"hubclient\", \"host\": \"127.0.0.1\", \"options\": {\"backend\": \"builtin\","
                + " \"peerport\": " + tcp + ", \"bindport\": " + FreePorts.udp() + ", \"numchannels\": 2,"
                + " \"remotename\": \"" + user + "\", \"auth\": true, \"username\": \"" + user + "\", \"hub-cert\": \""
                + resource("hub-cert.pem") + "\"" + more + "}}";
    }

    private static String[] concat(List<String> a, List<String> b, List<String> c) {
        return Stream.of(a, b, c).flatMap(List::stream).toArray(String[]::new);
    }


}

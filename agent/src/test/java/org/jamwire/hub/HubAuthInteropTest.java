package org.jamwire.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.Role;
import org.jamwire.net.HubListener;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.JackServer;
import org.jamwire.testing.Program;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hub authentication ({@code -A}) against the real {@code jacktrip} 1.7, both ways: a JamWire client
 * logs in to {@code jacktrip -S -A} and streams, and real {@code jacktrip -C -A} clients log in to a
 * JamWire hub; wrong passwords and users outside their times get jacktrip's codes and messages.
 * Passwords never go on JamWire's command line: it gets them from the environment.
 */
@Tag("integration")
class HubAuthInteropTest {

    private static final int RATE = 48_000;
    private static final int PERIOD = 256;
    private static final int RECORD_FRAMES = 4 * RATE;
    private static final int JUDGE_FROM = 2 * RATE;
    /** openssl passwd -6 -salt saltsalt secret1 */
    private static final String SECRET1 = "$6$saltsalt$jCP90RmSIIja2o9FRs25ASQaR1lMN6uKHmNcHaoNCpAXgV3n5NfAlQdZQcvMVQO1BTCOFF0LzoHFZBt9E45NW0";

    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(HubAuthInteropTest.class.getResource("/hubauth/" + name).toURI());
    }

    /** alice: always; bob: never (empty times); carol: all of a day that is not today. */
    private Path users() throws Exception {
        final DayOfWeek other = LocalDate.now().getDayOfWeek().plus(3);
        final String day = other.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).substring(0, 2);
        final Path f = dir.resolve("users");
        Files.writeString(f, "alice:" + SECRET1 + ":*\nbob:" + SECRET1 + ":\ncarol:" + SECRET1 + ":" + day + "*\n");
        return f;
    }

    @Test
    void jamwire_client_logs_in_to_a_jacktrip_hub_and_streams_both_ways() throws Exception {
        final int tcp = 25_664;
        final int udpBase = 25_670;
        try (JackServer a = JackServer.start(RATE, PERIOD, 2, 2);
             JackServer b = JackServer.start(RATE, PERIOD, 2, 2);
             Program hub = Program.jacktrip(b.name(), "-S", "-A", "--certfile", resource("hub-cert.pem").toString(),
                     "--keyfile", resource("hub-key.pem").toString(), "--credsfile", users().toString(),
                     "-B", Integer.toString(tcp), "-U", Integer.toString(udpBase), "-p", "5", "-n", "2", "-q", "4")) {
            hub.awaitOutput("Waiting for client connections", Duration.ofSeconds(10));
            for (String[] refused : new String[][] {
                {"alice", "wrong", "refused the user name 'alice' or its password"},
                {"bob", "secret1", "lets 'bob' in only at certain times"},
                {"carol", "secret1", "lets 'carol' in only at certain times"}}) {
                try (Program c = client(a, tcp, 25_667, refused[0], refused[1])) {
                    assertTrue(c.awaitExit(Duration.ofSeconds(20)), c.output());
                    assertEquals(1, c.exitValue(), c.output());
                    assertTrue(c.output().contains(refused[2]), c.output());
                }
            }
            try (Program client = client(a, tcp, 25_666, "alice", "secret1")) {
                final String context = "hub:\n" + hub.output() + "\nclient:\n" + client.output();
                client.awaitOutput("gave UDP port " + udpBase + " to 'jw'", Duration.ofSeconds(20));
                HubClientInteropTest.assertBothWays(a, b, "jw", () -> context, client::output, context,
                        AudioJudge.JACKTRIP_PER_XRUN);
            }
        }
    }

    private static Program client(JackServer on, int tcp, int udp, String user, String password) throws Exception {
        return Program.jamwire(on.name(), Map.of("JAMWIRE_HUB_PASSWORD", password), "-C", "127.0.0.1",
                "-P", Integer.toString(tcp), "-B", Integer.toString(udp), "-K", "jw", "-J", "near", "-D", "-n", "2",
                "-q", "4", "-A", "--username", user,
                "--hub-cert", resource("hub-cert.pem").toString());
    }

    @Test
    void jacktrip_clients_log_in_to_a_jamwire_hub_or_get_its_codes() throws Exception {
        final int tcp = 25_764;
        final int udpBase = 25_770;
        final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (JackServer h = JackServer.start(RATE, PERIOD, 2, 2); JackServer c = JackServer.start(RATE, PERIOD, 2, 2)) {
            final LinkConfig worker = LinkConfig.builder(Role.SERVER, null).autoConnect(false)
                    .jackServerName(h.name()).build();
            final HubAuthFiles auth = new HubAuthFiles(resource("hub-cert.pem"), resource("hub-key.pem"), users());
            try (HubServer hub = HubServer.start(new HubConfig(tcp, udpBase, 16, PatchMode.NONE, false, false, worker,
                    auth), e -> events.add(e.client() + " " + e.name() + ": " + e.message()))) {
                final String[][] refused = {
                    {"alice", "wrong", "Incorrect username or password"},
                    {"carol", "secret1", "not authorized to access the server at this time"}};
                for (String[] r : refused) {
                    // jacktrip's client reads the user name and password from standard input.
                    try (Program jt = Program.jacktripWithInput(c.name(), r[0] + "\n" + r[1] + "\n", "-C", "127.0.0.1",
                            "-P", Integer.toString(tcp), "-B", "25780", "-J", "jt", "-n", "2", "-D", "-A")) {
                        jt.awaitOutput(r[2], Duration.ofSeconds(20));
                    }
                }
                try (Program plain = Program.jacktrip(c.name(), "-C", "127.0.0.1", "-P", Integer.toString(tcp),
                        "-B", "25781", "-J", "jt", "-n", "2", "-D")) {
                    plain.awaitOutput("requires authentication", Duration.ofSeconds(20));
                }
                assertEquals(2, hub.count(HubListener.Counter.LOGIN_REFUSED), events.toString());
                assertEquals(1, hub.count(HubListener.Counter.AUTH_REQUIRED), events.toString());
                try (Program jt = Program.jacktripWithInput(c.name(), "alice\nsecret1\n", "-C", "127.0.0.1",
                        "-P", Integer.toString(tcp), "-B", "25782", "-J", "jt", "-K", "alice", "-n", "2", "-D", "-A")) {
                    Deadlines.await(Duration.ofSeconds(20), () -> h.lsp().contains("alice:receive_2")
                            && c.lsp().contains("jt:receive_2"), () -> "ports: hub " + h.lsp() + ", client "
                            + c.lsp() + "\n" + events + "\n" + jt.output());
                    Deadlines.await(Duration.ofSeconds(20), () -> events.stream().anyMatch(e -> e.contains("receiving from")),
                            () -> "the hub to receive from the client: " + events + "\n" + jt.output());
                    assertEquals(udpBase, hub.clients().get(0).udpPort(), events.toString());
                }
            }
        }
    }
}

package org.jamwire.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.LabHosts;
import org.jamwire.testing.PipeWireServer;
import org.jamwire.testing.ServiceUnit;
import org.jamwire.testing.SshServer;
import org.jamwire.testing.UnitFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site playbook converges a PipeWire lab host ({@code jamwire_audio_server: pipewire}): a
 * network namespace reached over ssh, as {@link ProvisionTest}'s is, with the roles writing under
 * an install prefix. Twice: the second converge must change nothing. Then the agent is started as
 * its user unit says, on a real PipeWire daemon that reads the user's configuration directory the
 * converge wrote: the graph must run at the lab's quantum, which only the role's drop-in sets; and
 * a JACK program of that user must ask for it on a daemon without that drop-in. Neither systemd nor logind runs in the namespace, so lingering is the file that
 * {@code loginctl enable-linger} leaves, and the units are run as {@link ServiceUnit} runs them.
 * Needs root; outside CI it is skipped without. Test thread.
 */
@Tag("integration")
@Tag("concurrent")
class ProvisionPipeWireTest {

    private static final String HOST = "jwpw" + ProcessHandle.current().pid();
    private static final int RATE = 48000;
    /** The lab's quantum: the daemon's own default is another, so only the drop-in can ask for this one. */
    private static final int QUANTUM = 128;
    private static final int DAEMON_QUANTUM = 512;
    private static final String HOME = "var/lib/jamwire";

    @TempDir
    static Path dir;

    private static LabHosts lab;
    private static SshServer sshd;
    private static Path root;
    private static String token;
    private static Ansible.Run first;
    private static Ansible.Run second;

    @BeforeAll
    static void converge() throws Exception {
        final Ansible ansible = Ansible.in(dir.resolve("ansible"));
        lab = LabHosts.create(1);
        sshd = SshServer.start(dir.resolve("sshd"), lab.host(0).address(), lab.host(0).on(List.of()));
        root = Files.createDirectories(dir.resolve("root"));
        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        token = HexFormat.of().formatHex(secret);
        final Path inventory = writeInventory();
        first = ansible.playbook("-i", inventory.toString(), "--diff");
        second = ansible.playbook("-i", inventory.toString());
        System.out.printf("ProvisionPipeWireTest: converges changed %d, then %d%n", first.recap(HOST, "changed"),
                second.recap(HOST, "changed"));
    }

    @AfterAll
    static void tearDown() throws IOException, InterruptedException {
        if (sshd != null) {
            sshd.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private static Path writeInventory() throws IOException {
        final Map<String, String> vars = ProvisionTest.connection(sshd, dir);
        vars.put("jamwire_audio_server", "pipewire");
        vars.put("jack_realtime_manage_accounts", "false");
        vars.put("jamwire_agent_manage_user", "false");
        vars.put("jamwire_agent_manage_service", "false");
        vars.put("jamwire_agent_user", "root");
        vars.put("jamwire_agent_group", "root");
        vars.put("jamwire_agent_jar_src", ProvisionTest.jar().toString());
        vars.put("jamwire_agent_token", token);
        vars.put("jamwire_agent_port", Integer.toString(SshServer.freePort()));
        vars.put("pipewire_service_manage_linger", "false");
        vars.put("pipewire_service_rate", Integer.toString(RATE));
        vars.put("pipewire_service_quantum", Integer.toString(QUANTUM));
        final StringBuilder yaml = new StringBuilder("lab:\n  vars:\n");
        ProvisionTest.append(yaml, "    ", vars);
        yaml.append("  hosts:\n    ").append(HOST).append(":\n");
        final Map<String, String> hostVars = new LinkedHashMap<>();
        for (String role : List.of("jack_realtime", "jamwire_agent", "jack_service", "pipewire_service",
                "lab_network")) {
            hostVars.put(role + "_root", root.toString());
        }
        ProvisionTest.append(yaml, "      ", hostVars);
        final Path inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, yaml);
        return inventory;
    }

    @Test
    void first_converge_sets_up_pipewire_s_jack_and_no_jackd_service() throws IOException {
        assertEquals(0, first.exit(), "the first converge failed:\n" + first.tail());
        assertEquals(0, first.recap(HOST, "failed"), first.tail());
        final String graph = Files.readString(root.resolve(HOME + "/.config/pipewire/pipewire.conf.d/50-jamwire.conf"));
        assertTrue(graph.contains("default.clock.rate          = " + RATE), graph);
        assertTrue(graph.contains("default.clock.allowed-rates = [ " + RATE + " ]"), graph);
        assertTrue(graph.contains("default.clock.quantum       = " + QUANTUM), graph);
        final String jack = Files.readString(root.resolve(HOME + "/.config/pipewire/jack.conf.d/50-jamwire.conf"));
        assertTrue(jack.contains("node.latency = " + QUANTUM + "/" + RATE), jack);
        assertTrue(Files.isRegularFile(root.resolve("var/lib/systemd/linger/root")), "the user does not linger");
        final String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        assertEquals("/usr/lib/" + arch + "-linux-gnu/pipewire-0.3/jack\n", Files.readString(
                root.resolve("etc/ld.so.conf.d/pipewire-jack-" + arch + "-linux-gnu.conf")));
        for (String system : List.of("etc/systemd/system/jamwire-agent.service",
                "etc/systemd/system/jamwire-jackd.service", HOME + "/jackd.env")) {
            assertFalse(Files.exists(root.resolve(system)), system + " was written on a PipeWire machine");
        }
        final Path wants = root.resolve(HOME + "/.config/systemd/user/default.target.wants/jamwire-agent.service");
        assertTrue(Files.isSymbolicLink(wants), "the user's agent is not started with the user's systemd");
        assertEquals(Path.of("../jamwire-agent.service"), Files.readSymbolicLink(wants));
        final String unit = Files.readString(root.resolve(HOME + "/.config/systemd/user/jamwire-agent.service"));
        assertTrue(unit.contains("\nExecStart=/usr/bin/pw-jack /usr/bin/java "), unit);
        assertTrue(unit.contains("\nWantedBy=default.target\n") && !unit.contains("\nUser="), unit);
        final String command = Files.readString(root.resolve("usr/local/bin/jamwire"));
        assertTrue(command.contains("\nexec /usr/bin/pw-jack /usr/bin/java "), command);
    }

    @Test
    void second_converge_changes_nothing() {
        assertEquals(0, second.exit(), "the second converge failed:\n" + second.tail());
        assertEquals(0, second.recap(HOST, "changed"), second.tail());
    }

    @Test
    void the_agent_started_as_its_user_unit_says_runs_on_pipewire_at_the_lab_s_quantum() throws Exception {
        final JsonNode config = new ObjectMapper().readTree(root.resolve("etc/jamwire/agent.json").toFile());
        final int port = config.get("port").asInt();
        final UnitFile unit = UnitFile.read(root.resolve(HOME + "/.config/systemd/user/jamwire-agent.service"));
        final Path configHome = root.resolve(HOME + "/.config");
        // The user's daemon: its own configuration says 512 frames, the role's drop-in the lab's 128.
        try (PipeWireServer pipewire = PipeWireServer.start(RATE, DAEMON_QUANTUM, configHome);
                ServiceUnit agent = ServiceUnit.start(unit, ProvisionPipeWireTest::here, List.of(),
                        session(pipewire), dir.resolve("agent.log"))) {
            Deadlines.await(Duration.ofSeconds(30), () -> !agent.running()
                    || ProvisionTest.health(port, token) == 200, () -> "the agent on " + port + ": " + agent.output());
            assertTrue(agent.running(), "the agent exited: " + agent.output());
            final JsonNode[] jack = new JsonNode[1];
            Deadlines.await(Duration.ofSeconds(20), () -> {
                jack[0] = jack(port);
                return jack[0] != null && "running".equals(jack[0].path("state").asText());
            }, () -> "the agent's JACK running: " + jack[0] + "\n" + agent.output());
            assertTrue(jack[0].path("audioServer").asText().startsWith("PipeWire"), jack[0].toString());
            assertEquals(RATE, jack[0].path("sampleRate").asInt(), jack[0].toString());
            assertEquals(QUANTUM, jack[0].path("bufferSize").asInt(), jack[0].toString());
        }
    }

    @Test
    void a_jack_program_of_the_user_asks_for_the_lab_s_quantum() throws Exception {
        // A daemon at its own 512 frames, without the role's graph drop-in: only the JACK drop-in asks for 128.
        try (PipeWireServer pipewire = PipeWireServer.start(RATE, DAEMON_QUANTUM)) {
            final ProcessBuilder pb = new ProcessBuilder("pw-jack", "jack_bufsize").redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(session(pipewire));
            final Process p = pb.start();
            final String out = new String(p.getInputStream().readAllBytes()).strip();
            assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "jack_bufsize hung");
            assertEquals(String.valueOf(QUANTUM), out.lines().reduce((a, b) -> b).orElse(""), out);
        }
    }

    /** What the user's systemd gives its services: HOME, the runtime directory, and the daemon's socket. */
    private static Map<String, String> session(PipeWireServer pipewire) {
        final Map<String, String> env = new LinkedHashMap<>(pipewire.env());
        // pw-jack puts PipeWire's libjack first itself.
        env.remove("LD_LIBRARY_PATH");
        env.put("HOME", root.resolve(HOME).toString());
        env.put("XDG_CONFIG_HOME", root.resolve(HOME + "/.config").toString());
        env.put("PATH", "/usr/bin:/bin");
        return env;
    }

    /** Where the lab host's {@code path} is here: under the converge's root when it wrote it there. */
    private static Path here(Path path) {
        return ProvisionTest.under(root, path);
    }

    /** GET /api/jack, or null when the agent does not answer it. */
    private static JsonNode jack(int port) {
        try {
            final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jack"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).GET().build();
            final HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? new ObjectMapper().readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

package org.jamwire.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jamwire.options.BuildInfo;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.LabHosts;
import org.jamwire.testing.ServiceUnit;
import org.jamwire.testing.SshServer;
import org.jamwire.testing.UnitFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site playbook converges a real lab host: a network namespace whose sshd ansible-playbook
 * reaches over ssh, as it reaches a lab machine, with nftables at its root (a host without a
 * firewall is ProvisionFromAgentTest's). The namespace shares this machine's filesystem, so the
 * roles write under an install prefix (their *_root variables) and neither create accounts nor
 * manage services; their apt tasks run, and find JACK, Java and jacktrip already installed by
 * scripts/install-test-deps. The playbook runs three times: a first converge, then at once a
 * second that must change nothing and a --check --diff run that must find nothing to change. Systemd does not run
 * in the namespace: the agent's and JACK's units are run as {@link ServiceUnit} runs them, each
 * unit's ExecStart exactly as the role wrote it. Needs root; outside CI it is skipped without.
 * Test thread.
 */
@Tag("integration")
@Tag("concurrent")
class ProvisionTest {

    private static final String HOST = "jwlab" + ProcessHandle.current().pid();
    /** The JACK server's name: JACK server names are machine-wide, and the namespace shares this machine's. */
    private static final String JACK_SERVER = "jamwire-provision-" + ProcessHandle.current().pid();
    private static final int JACK_RATE = 44100;
    private static final int JACK_PERIOD = 256;
    /** The lab host's nftables config as Debian installs it. */
    private static final String DEBIAN_NFTABLES_CONF = """
            #!/usr/sbin/nft -f

            flush ruleset

            table inet filter {
            	chain input {
            		type filter hook input priority filter;
            	}
            	chain forward {
            		type filter hook forward priority filter;
            	}
            	chain output {
            		type filter hook output priority filter;
            	}
            }
            """;

    @TempDir
    static Path dir;

    private static LabHosts lab;
    private static SshServer sshd;
    private static Path root;
    private static String sentinel;
    private static String scrapeToken;
    private static String hubPassword;
    private static String publicKey;
    private static Ansible.Run first;
    private static Ansible.Run second;
    private static Ansible.Run check;

    @BeforeAll
    static void converge() throws Exception {
        final Ansible ansible = Ansible.in(dir.resolve("ansible"));
        lab = LabHosts.create(1);
        sshd = SshServer.start(dir.resolve("sshd"), lab.host(0).address(), lab.host(0).on(List.of()));
        root = Files.createDirectories(dir.resolve("root"));
        // The role looks for nft by its path; this stand-in is never run, since nothing is reloaded under a root.
        Files.createDirectories(root.resolve("usr/sbin"));
        Files.createFile(root.resolve("usr/sbin/nft"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/nftables.conf"), DEBIAN_NFTABLES_CONF);
        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        sentinel = HexFormat.of().formatHex(secret);
        new SecureRandom().nextBytes(secret);
        scrapeToken = HexFormat.of().formatHex(secret);
        new SecureRandom().nextBytes(secret);
        hubPassword = "pw-" + HexFormat.of().formatHex(secret, 0, 12);
        final Path inventory = writeInventory();
        // -vvvv shows every module's arguments and results, and --diff every file's change: the
        // token must be in neither.
        first = timed("first converge", ansible, "-i", inventory.toString(), "-vvvv", "--diff");
        // The second converge and the check run at once (ansible keeps about one core busy per host):
        // neither may change anything, so neither sees the other's work, and a change either made
        // would fail its own assertions.
        final CompletableFuture<Ansible.Run> checking = CompletableFuture.supplyAsync(() -> {
            try {
                return timed("--check --diff", ansible, "-i", inventory.toString(), "--check", "--diff");
            } catch (IOException | InterruptedException e) {
                throw new CompletionException(e);
            }
        });
        second = timed("second converge", ansible, "-i", inventory.toString());
        check = checking.get(Ansible.RUN_LIMIT.toSeconds() + 30, TimeUnit.SECONDS);
    }

    /** Runs the playbook and prints how long it took and what it changed, for the test's log. */
    private static Ansible.Run timed(String what, Ansible ansible, String... args) throws IOException, InterruptedException {
        final long start = System.nanoTime();
        final Ansible.Run run = ansible.playbook(args);
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        final List<String> changed = new ArrayList<>();
        for (String host : List.of(HOST)) {
            try {
                changed.add(host + " " + run.recap(host, "changed"));
            } catch (AssertionError notInThisRun) {
                // A run limited to the other host.
            }
        }
        System.out.printf("ProvisionTest: %s: exit %d, changed %s, %.1f s%n", what, run.exit(), changed, millis / 1000.0);
        return run;
    }

    @AfterAll
    static void tearDown() throws IOException, InterruptedException {
        final Path masters = dir.resolve("cp");
        if (Files.isDirectory(masters)) {
            try (var sockets = Files.list(masters)) {
                for (Path socket : sockets.toList()) {
                    final Process exit = new ProcessBuilder("ssh", "-O", "exit", "-o", "ControlPath=" + socket, "lab")
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    if (!exit.waitFor(10, TimeUnit.SECONDS)) {
                        exit.destroyForcibly();
                    }
                }
            }
        }
        if (sshd != null) {
            sshd.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private static Path writeInventory() throws IOException {
        final Map<String, String> vars = connection(sshd, dir);
        // One ssh connection per run for all its tasks; tearDown ends it.
        vars.put("ansible_ssh_args", "-o ControlMaster=auto -o ControlPersist=60s -o ControlPath="
                + Files.createDirectories(dir.resolve("cp")) + "/%C");
        vars.put("jack_realtime_manage_accounts", "false");
        vars.put("jamwire_agent_manage_user", "false");
        vars.put("jamwire_agent_manage_service", "false");
        vars.put("jamwire_agent_user", "root");
        vars.put("jamwire_agent_group", "root");
        vars.put("jamwire_agent_jar_src", jar().toString());
        vars.put("jamwire_agent_token", sentinel);
        // Paths of the test's own: the agent started from the unit reads them as they stand, not under the root.
        vars.put("jamwire_agent_scrape_token", scrapeToken);
        vars.put("jamwire_agent_scrape_token_file", dir.resolve("secrets/scrape-token").toString());
        vars.put("jamwire_agent_hub_password", hubPassword);
        vars.put("jamwire_agent_hub_password_file", dir.resolve("secrets/hub-password").toString());
        vars.put("jamwire_agent_port", Integer.toString(SshServer.freePort()));
        vars.put("jamwire_agent_jack_server", JACK_SERVER);
        publicKey = Files.readString(Path.of(sshd.userKey() + ".pub")).strip();
        vars.put("jamwire_agent_authorized_keys", "['" + publicKey.replace("'", "''") + "']");
        vars.put("jack_service_manage_service", "false");
        vars.put("jack_service_driver", "dummy");
        vars.put("jack_service_driver_options", "-C 2 -P 2");
        vars.put("jack_service_rate", Integer.toString(JACK_RATE));
        vars.put("jack_service_period", Integer.toString(JACK_PERIOD));
        vars.put("jacktrip_enabled", "true");
        final StringBuilder yaml = new StringBuilder("lab:\n  vars:\n");
        append(yaml, "    ", vars);
        yaml.append("  hosts:\n");
        yaml.append("    ").append(HOST).append(":\n");
        final Map<String, String> hostVars = new LinkedHashMap<>();
        for (String role : List.of("jack_realtime", "jamwire_agent", "jack_service", "lab_network")) {
            hostVars.put(role + "_root", root.toString());
        }
        append(yaml, "      ", hostVars);
        final Path inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, yaml);
        return inventory;
    }

    /**
     * The inventory variables that reach a lab host's sshd as root, with its host key pinned in a
     * known_hosts file written under {@code dir}.
     */
    static Map<String, String> connection(SshServer sshd, Path dir) throws IOException {
        final Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, sshd.knownHostsLine("[" + sshd.address() + "]:" + sshd.port()));
        final Map<String, String> vars = new LinkedHashMap<>();
        vars.put("ansible_host", sshd.address());
        vars.put("ansible_port", Integer.toString(sshd.port()));
        vars.put("ansible_user", "root");
        vars.put("ansible_ssh_private_key_file", sshd.userKey().toString());
        vars.put("ansible_ssh_common_args", "-o UserKnownHostsFile=" + knownHosts
                + " -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes");
        vars.put("ansible_python_interpreter", "/usr/bin/python3");
        return vars;
    }

    static void append(StringBuilder yaml, String indent, Map<String, String> vars) {
        for (Map.Entry<String, String> v : vars.entrySet()) {
            final boolean literal = v.getValue().matches("true|false|[0-9]+|\\[.*]");
            yaml.append(indent).append(v.getKey()).append(": ")
                    .append(literal ? v.getValue() : "'" + v.getValue().replace("'", "''") + "'").append('\n');
        }
    }

    static Path jar() {
        final String jar = System.getProperty("jamwire.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property jamwire.jar does not name the built jar: " + jar);
        }
        return Path.of(jar);
    }

    @Test
    void first_converge_writes_the_lab_host_under_its_root() throws IOException {
        assertEquals(0, first.exit(), "the first converge failed:\n" + first.tail());
        assertEquals(0, first.recap(HOST, "failed"), first.tail());
        assertTrue(first.recap(HOST, "changed") > 0, "a converge of an empty root changed nothing:\n" + first.tail());
        for (String file : List.of("opt/jamwire/jamwire.jar", "etc/jamwire/agent.json", "var/lib/jamwire/token",
                "etc/systemd/system/jamwire-agent.service", "etc/security/limits.d/95-jamwire-audio.conf",
                "etc/hosts", "etc/systemd/system/jamwire-jackd.service", "var/lib/jamwire/jackd.env",
                "usr/local/bin/jamwire", "var/lib/jamwire/.ssh/authorized_keys")) {
            assertTrue(Files.isRegularFile(root.resolve(file)), file + " was not written under " + root);
        }
        final String hosts = Files.readString(root.resolve("etc/hosts"));
        assertTrue(hosts.contains(sshd.address() + " " + HOST + "\n"), hosts);
        assertFalse(Files.readString(Path.of("/etc/hosts")).contains(HOST), "the machine's own /etc/hosts was changed");
    }

    @Test
    void converge_with_nftables_adds_the_link_and_hub_rules_to_its_config() throws IOException {
        assertFalse(first.output().contains("No firewall opened on " + HOST), first.tail());
        final String rules = Files.readString(root.resolve("etc/nftables.d/jamwire.nft"));
        assertTrue(rules.contains("add rule inet filter input udp dport { 4464, 4474, 4484, 4494 } accept"), rules);
        assertTrue(rules.contains("add rule inet filter input tcp dport 4464 accept"), rules);
        assertTrue(rules.contains("add rule inet filter input udp dport 61002-61017 accept"), rules);
        assertEquals(DEBIAN_NFTABLES_CONF + "include \"/etc/nftables.d/jamwire.nft\"\n",
                Files.readString(root.resolve("etc/nftables.conf")));
    }

    @Test
    void second_converge_changes_nothing() {
        assertEquals(0, second.exit(), "the second converge failed:\n" + second.tail());
        assertEquals(0, second.recap(HOST, "changed"), second.tail());
    }

    @Test
    void check_with_diff_on_a_converged_host_finds_nothing_to_change() {
        assertEquals(0, check.exit(), "--check --diff failed:\n" + check.tail());
        assertEquals(0, check.recap(HOST, "changed"), check.tail());
    }

    @Test
    void token_file_holds_the_token_for_its_owner_only() throws IOException {
        final Path token = root.resolve("var/lib/jamwire/token");
        assertEquals(sentinel + "\n", Files.readString(token));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
    }

    @Test
    void scrape_token_and_hub_password_are_written_for_the_owner_only_and_named_in_the_config() throws IOException {
        final JsonNode config = new ObjectMapper().readTree(root.resolve("etc/jamwire/agent.json").toFile());
        final String scrapeFile = dir.resolve("secrets/scrape-token").toString();
        final String passwordFile = dir.resolve("secrets/hub-password").toString();
        assertEquals(scrapeFile, config.path("scrapeTokenFile").asText(), config.toString());
        assertEquals(passwordFile, config.path("hubPasswordFile").asText(), config.toString());
        for (String[] secret : new String[][] {{scrapeFile, scrapeToken}, {passwordFile, hubPassword}}) {
            final Path file = root.resolve(secret[0].substring(1));
            assertEquals(secret[1] + "\n", Files.readString(file));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            for (Ansible.Run run : List.of(first, second, check)) {
                assertFalse(run.output().contains(secret[1]), "a secret is in the output of " + run.command());
            }
        }
    }

    @Test
    void token_never_appears_in_verbose_output() {
        assertTrue(first.output().contains("Write the agent's token"), "the verbose run did not reach the token");
        assertFalse(first.output().contains(sentinel), "the token is in the output of the -vvvv --diff converge");
        assertFalse(second.output().contains(sentinel), "the token is in the output of the second converge");
        assertFalse(check.output().contains(sentinel), "the token is in the output of the --check --diff run");
    }

    @Test
    void provisioned_agent_starts_as_its_unit_says_and_answers_health() throws Exception {
        final JsonNode config = new ObjectMapper().readTree(root.resolve("etc/jamwire/agent.json").toFile());
        final int port = config.get("port").asInt();
        final UnitFile unit = UnitFile.read(root.resolve("etc/systemd/system/jamwire-agent.service"));
        try (ServiceUnit agent = ServiceUnit.start(unit, ProvisionTest::here, List.of(), dir.resolve("agent.log"))) {
            Deadlines.await(Duration.ofSeconds(30), () -> !agent.running() || health(port, sentinel) != -1,
                    () -> "the agent to listen on " + port + ": " + agent.output());
            assertTrue(agent.running(), "the agent exited: " + agent.output());
            assertEquals(200, health(port, sentinel), agent.output());
            assertEquals(401, health(port, "0".repeat(64)), "a wrong token was accepted");
        }
    }

    @Test
    void agent_unit_wants_the_jack_service_without_depending_on_it() throws IOException {
        final String unit = Files.readString(root.resolve("etc/systemd/system/jamwire-agent.service"));
        assertTrue(unit.contains("\nWants=jamwire-jackd.service\n") && unit.contains("\nAfter=jamwire-jackd.service\n"),
                unit);
        assertFalse(Pattern.compile("(?m)^(Requires|BindsTo|PartOf|Requisite)=").matcher(unit).find(), unit);
    }

    @Test
    void jack_service_settings_are_the_inventory_s_for_the_agent_s_user() throws IOException {
        final Path settings = root.resolve("var/lib/jamwire/jackd.env");
        assertEquals("JAMWIRE_JACK_SERVER=" + JACK_SERVER + "\nJAMWIRE_JACK_DRIVER=dummy\nJAMWIRE_JACK_RATE="
                + JACK_RATE + "\nJAMWIRE_JACK_PERIOD=" + JACK_PERIOD + "\nJAMWIRE_JACK_DRIVER_OPTIONS=-C 2 -P 2\n",
                Files.readString(settings));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(settings)));
        assertEquals("root", Files.getOwner(settings).getName(), "the settings belong to the agent's user");
    }

    @Test
    void jack_service_unit_runs_jackd_as_the_agent_s_user_from_its_settings_and_restarts_it() throws IOException {
        final Path file = root.resolve("etc/systemd/system/jamwire-jackd.service");
        final UnitFile unit = UnitFile.read(file);
        assertEquals("root", unit.user(), "the agent's user");
        assertEquals(List.of("audio"), unit.supplementaryGroups());
        assertEquals(List.of("/var/lib/jamwire/jackd.env"), unit.environmentFiles());
        assertEquals("/usr/bin/jackd -R -n ${JAMWIRE_JACK_SERVER} -d ${JAMWIRE_JACK_DRIVER} -r ${JAMWIRE_JACK_RATE}"
                + " -p ${JAMWIRE_JACK_PERIOD} $JAMWIRE_JACK_DRIVER_OPTIONS", unit.execStart().replaceAll("\\s+", " "));
        assertEquals("always", unit.restart());
        assertEquals(Duration.ofSeconds(1), unit.restartSec());
        final String text = Files.readString(file);
        assertTrue(text.contains("\nLimitRTPRIO=95\n") && text.contains("\nLimitMEMLOCK=infinity\n"), text);
    }

    @Test
    void provisioned_jack_service_serves_the_inventory_s_rate_and_period_and_restarts_at_new_settings()
            throws Exception {
        final Path settings = root.resolve("var/lib/jamwire/jackd.env");
        final String written = Files.readString(settings);
        final UnitFile unit = UnitFile.read(root.resolve("etc/systemd/system/jamwire-jackd.service"));
        try (ServiceUnit jack = ServiceUnit.start(unit, ProvisionTest::here, lab.host(0).on(List.of()),
                dir.resolve("jackd.log"))) {
            final String rate = Integer.toString(JACK_RATE);
            Deadlines.await(Duration.ofSeconds(20), () -> jackTool("jack_samplerate").equals(rate),
                    () -> "jackd " + JACK_SERVER + " to serve at " + JACK_RATE + " Hz: " + jack.output());
            assertEquals(Integer.toString(JACK_PERIOD), jackTool("jack_bufsize"), jack.output());
            // What "make them match" does as the agent's user: new settings, then end jackd; it is started again.
            Files.writeString(settings, written.replace("RATE=" + JACK_RATE, "RATE=48000")
                    .replace("PERIOD=" + JACK_PERIOD, "PERIOD=128"));
            final long first = jack.pid();
            ProcessHandle.of(first).orElseThrow().destroy();
            Deadlines.await(Duration.ofSeconds(20), () -> jackTool("jack_samplerate").equals("48000"),
                    () -> "jackd " + JACK_SERVER + " to be started again at 48000 Hz: " + jack.output());
            assertEquals("128", jackTool("jack_bufsize"), jack.output());
            assertEquals(2, jack.starts(), jack.output());
        } finally {
            Files.writeString(settings, written);
        }
    }

    @Test
    void jamwire_command_runs_the_installed_jar() throws Exception {
        final Path command = root.resolve("usr/local/bin/jamwire");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(command)));
        final String script = Files.readString(command);
        assertTrue(script.startsWith("#!/bin/sh\n") && script.endsWith(
                "\nexec /usr/bin/java -XX:+UseSerialGC -XX:-UsePerfData -jar /opt/jamwire/jamwire.jar \"$@\"\n"),
                script);
        // The script as written, where /opt is the lab host's: the converge's /opt mounted over it, in a mount
        // namespace of its own.
        final Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind \"$1/opt\" /opt && exec \"$1/usr/local/bin/jamwire\" --version", "sh", root.toString())
                .redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "jamwire --version did not end");
        assertEquals(0, p.exitValue(), out);
        assertEquals("JamWire " + BuildInfo.version(), out.strip());
    }

    @Test
    void coordinator_key_may_log_in_as_the_agent_s_user() throws IOException {
        final Path keys = root.resolve("var/lib/jamwire/.ssh/authorized_keys");
        assertEquals(publicKey + "\n", Files.readString(keys));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.getParent())));
    }

    /** Where the lab host's {@code path} is here: under the converge's root when it wrote it there. */
    private static Path here(Path path) {
        return under(root, path);
    }

    /** Where a lab host's {@code path} is here: under {@code root} when a converge wrote it there. */
    static Path under(Path root, Path path) {
        final Path there = root.resolve(path.toString().replaceFirst("^/+", ""));
        return Files.exists(there) ? there : path;
    }

    /** What a JACK tool prints about the provisioned server, run on the lab host; "" when it fails. */
    private static String jackTool(String tool) {
        try {
            final Path out = Files.createTempFile(dir, "jack-tool-", ".txt");
            final ProcessBuilder pb = new ProcessBuilder(lab.host(0).on(List.of(tool))).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().put("JACK_DEFAULT_SERVER", JACK_SERVER);
            pb.environment().put("JACK_NO_START_SERVER", "1");
            final Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(tool + " hung on server " + JACK_SERVER);
            }
            return p.exitValue() == 0 ? Files.readString(out).strip() : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** GET /api/health's status code, or -1 when nothing answers. */
    static int health(int port, String token) {
        try {
            final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).GET().build();
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}

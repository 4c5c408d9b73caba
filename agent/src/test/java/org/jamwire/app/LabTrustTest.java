package org.jamwire.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jamwire.coordinator.KnownHosts;
import org.jamwire.coordinator.SshSession;
import org.jamwire.coordinator.SshTarget;
import org.jamwire.testing.Program;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jamwire lab trust INVENTORY}, run from the built jar against a real sshd with ed25519, ECDSA
 * and RSA host keys, named in a real inventory read by ansible-inventory: what it prints is what
 * {@code ssh-keygen -lf} prints for the host's ed25519 key; once accepted, OpenSSH's client with strict
 * host key checking and the agent's ssh both get in with the files it wrote; a second run adds
 * nothing; a changed key is refused with nothing written; without a terminal only a fingerprint given
 * on the command line is accepted.
 */
@Tag("integration")
@Tag("concurrent")
class LabTrustTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final SshSession.Timeouts TIMEOUTS = new SshSession.Timeouts(Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(2), 3);

    @TempDir
    static Path dir;
    private static SshServer sshd;
    private static Path inventory;
    private static String name;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ansible-inventory")),
                "needs ansible-inventory: apt install ansible");
        sshd = SshServer.start(dir.resolve("sshd"));
        name = "[" + sshd.address() + "]:" + sshd.port();
        inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, "lab:\n  hosts:\n    studio-a:\n      ansible_host: " + sshd.address()
                + "\n      ansible_port: " + sshd.port() + "\n");
    }

    @AfterAll
    static void stop() {
        if (sshd != null) {
            sshd.close();
        }
    }

    /** What ssh-keygen -lf prints for the sshd's host key of {@code kind}, under the host's known_hosts name. */
    private static String expectedLine(String kind) throws Exception {
        return sshd.hostKeyLine(kind).replace(" jamwire-test ", " " + name + " ");
    }

    private static String fingerprint(String kind) throws Exception {
        return sshd.hostKeyLine(kind).split(" ")[1];
    }

    private static Program run(Path ssh, Path agent, String... more) throws Exception {
        final List<String> args = new java.util.ArrayList<>(List.of("lab", "trust", inventory.toString(),
                "--known-hosts", ssh.toString(), "--agent-known-hosts", agent.toString()));
        args.addAll(List.of(more));
        return Program.jamwire(null, args.toArray(new String[0]));
    }

    private static int exit(Program p) throws Exception {
        assertTrue(p.awaitExit(WAIT), "jamwire lab trust did not end:\n" + p.output());
        return p.exitValue();
    }

    /** OpenSSH's client, checking host keys strictly against {@code knownHosts} alone, runs {@code true} there. */
    private static void assertSshGetsIn(Path knownHosts) throws Exception {
        final Process p = new ProcessBuilder("ssh", "-F", "/dev/null", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes", "-i", sshd.userKey().toString(), "-p", String.valueOf(sshd.port()),
                System.getProperty("user.name") + "@" + sshd.address(), "true").redirectErrorStream(true).start();
        p.getOutputStream().close();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ssh did not end");
        assertEquals(0, p.exitValue(), "ssh with " + knownHosts + ": " + out);
    }

    /** The agent's ssh gets in with {@code knownHosts}: no unknown or changed host key. */
    private static void assertAgentGetsIn(Path knownHosts) throws Exception {
        final SshTarget target = new SshTarget(sshd.address(), sshd.port(), System.getProperty("user.name"),
                sshd.userKey());
        try (SshSession session = SshSession.open(target, new KnownHosts(knownHosts), TIMEOUTS)) {
            assertTrue(session.isOpen());
        }
    }

    @Test
    void answering_y_records_the_ed25519_key_for_ssh_and_the_agent_and_a_second_run_adds_nothing()
            throws Exception {
        final Path ssh = dir.resolve("y/home/.ssh/known_hosts");
        final Path agent = dir.resolve("y/home/.config/jamwire/known_hosts");
        try (Program p = Program.jamwireOnTerminal("lab", "trust", inventory.toString(), "--known-hosts",
                ssh.toString(), "--agent-known-hosts", agent.toString())) {
            // The question has no line end, so it shows in the output once answered.
            p.awaitOutput("Compare it with", WAIT);
            assertTrue(p.output().contains(expectedLine("ed25519")), "expected " + expectedLine("ed25519")
                    + " in:\n" + p.output());
            p.type("y\n");
            assertEquals(0, exit(p), p.output());
            // The question was asked, and the answer taken. The terminal echoes the typed y at once,
            // before or after the question is printed: a loaded machine may print it later.
            assertTrue(p.output().contains("? [y/N]") && p.output().contains("recorded in"), p.output());
        }
        for (Path f : List.of(ssh, agent)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f.getParent())));
        }
        assertEquals(name + " " + Files.readString(sshd.hostPublicKey()).strip().replace(" jamwire-test", "") + "\n",
                Files.readString(agent));
        assertSshGetsIn(ssh);
        assertAgentGetsIn(agent);

        final String sshBefore = Files.readString(ssh);
        final String agentBefore = Files.readString(agent);
        try (Program again = run(ssh, agent)) {
            assertEquals(0, exit(again), again.output());
            assertTrue(again.output().contains("already recorded"), again.output());
            assertTrue(again.output().contains(expectedLine("ed25519")), again.output());
        }
        assertEquals(sshBefore, Files.readString(ssh));
        assertEquals(agentBefore, Files.readString(agent));
    }

    @Test
    void answering_n_records_nothing() throws Exception {
        final Path ssh = dir.resolve("n/ssh_known_hosts");
        final Path agent = dir.resolve("n/agent_known_hosts");
        try (Program p = Program.jamwireOnTerminal("lab", "trust", inventory.toString(), "--known-hosts",
                ssh.toString(), "--agent-known-hosts", agent.toString())) {
            p.awaitOutput("Compare it with", WAIT);
            p.type("n\n");
            assertEquals(1, exit(p), p.output());
            assertTrue(p.output().contains("no key recorded for studio-a (not accepted)"), p.output());
        }
        assertFalse(Files.exists(ssh) || Files.exists(agent));
    }

    @Test
    void without_a_terminal_only_a_fingerprint_given_on_the_command_line_is_accepted() throws Exception {
        final Path ssh = dir.resolve("batch/ssh_known_hosts");
        final Path agent = dir.resolve("batch/agent_known_hosts");
        try (Program p = run(ssh, agent)) {
            assertEquals(1, exit(p), p.output());
            assertTrue(p.output().contains("no terminal to ask on") && p.output().contains(
                    "--yes-if-fingerprint " + fingerprint("ed25519")), p.output());
        }
        assertFalse(Files.exists(ssh) || Files.exists(agent));
        try (Program p = run(ssh, agent, "--yes-if-fingerprint", fingerprint("ed25519"))) {
            assertEquals(0, exit(p), p.output());
        }
        assertSshGetsIn(ssh);
        assertAgentGetsIn(agent);
    }

    @Test
    void a_changed_key_is_refused_loudly_and_nothing_is_written() throws Exception {
        final Path ssh = dir.resolve("changed/ssh_known_hosts");
        final Path agent = dir.resolve("changed/agent_known_hosts");
        final Path other = dir.resolve("changed/other_ed25519");
        Files.createDirectories(other.getParent());
        SshServer.keygen(other, "ed25519");
        final String[] pub = Files.readString(Path.of(other + ".pub")).strip().split(" ");
        Files.writeString(agent, name + " " + pub[0] + " " + pub[1] + "\n");
        try (Program p = run(ssh, agent, "--yes-if-fingerprint", fingerprint("ed25519"))) {
            assertEquals(1, exit(p), p.output());
            assertTrue(p.output().contains("has CHANGED") && p.output().contains("ssh-keygen -f " + agent),
                    p.output());
        }
        assertEquals(name + " " + pub[0] + " " + pub[1] + "\n", Files.readString(agent));
        assertFalse(Files.exists(ssh));
    }

    @Test
    void a_type_ssh_already_holds_is_the_one_recorded_for_the_agent_so_both_show_one_fingerprint()
            throws Exception {
        final Path ssh = dir.resolve("ecdsa/ssh_known_hosts");
        final Path agent = dir.resolve("ecdsa/agent_known_hosts");
        Files.createDirectories(ssh.getParent());
        Files.writeString(ssh, sshd.knownHostsLine(name, "ecdsa"));
        try (Program p = run(ssh, agent, "--yes-if-fingerprint", fingerprint("ecdsa"))) {
            assertEquals(0, exit(p), p.output());
            assertTrue(p.output().contains(expectedLine("ecdsa")), p.output());
        }
        assertEquals(sshd.knownHostsLine(name, "ecdsa"), Files.readString(ssh));
        assertEquals(sshd.knownHostsLine(name, "ecdsa").replace(" jamwire-test", ""), Files.readString(agent));
        assertSshGetsIn(ssh);
        assertAgentGetsIn(agent);
    }
}

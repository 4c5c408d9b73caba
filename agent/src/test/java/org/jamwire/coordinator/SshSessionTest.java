package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.jamwire.testing.LabHosts;
import org.jamwire.testing.SshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ssh to a real OpenSSH sshd on a lab host in a network namespace: host keys checked strictly
 * (unknown and changed keys refused, a key recorded only when its fingerprint was confirmed), bounded
 * waits (a server there that accepts and says nothing), and commands that arrive on the far side as
 * exactly the intended argv.
 */
@Tag("integration")
@Tag("concurrent")
class SshSessionTest {

    private static final SshSession.Timeouts QUICK = new SshSession.Timeouts(Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(1), 3);
    /** printf '%s\0' ARGS: prints each argument it received, NUL-terminated. Any argument allowed. */
    private static final RemoteCommand.Program ECHO_ARGV = new RemoteCommand.Program("printf", a -> null);
    private static final RemoteCommand.Program SLEEP = new RemoteCommand.Program("sleep",
            RemoteCommand.matching("[0-9]{1,3}", "seconds"));
    private static final RemoteCommand.Program CAT = new RemoteCommand.Program("cat", a -> "no arguments");

    @TempDir
    static Path dir;
    private static LabHosts lab;
    private static SshServer sshd;
    private static SshTarget target;

    @BeforeAll
    static void start() throws Exception {
        lab = LabHosts.create(1);
        sshd = SshServer.start(dir.resolve("sshd"), lab.host(0).address(), lab.host(0).on(List.of()));
        target = new SshTarget(sshd.address(), sshd.port(), System.getProperty("user.name"), sshd.userKey());
    }

    @AfterAll
    static void stop() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private static KnownHosts trusting(String name) throws Exception {
        final Path file = Files.createTempFile(dir, "known_hosts", "");
        Files.writeString(file, sshd.knownHostsLine(name));
        return new KnownHosts(file);
    }

    @Test
    void an_unknown_host_is_refused_with_its_fingerprint_and_nothing_is_recorded() throws Exception {
        final KnownHosts known = new KnownHosts(dir.resolve("empty_known_hosts"));
        final SshException e = assertThrows(SshException.class, () -> SshSession.open(target, known, QUICK));
        assertEquals(SshException.Kind.UNKNOWN_HOST_KEY, e.kind(), e.getMessage());
        assertEquals(sshd.hostFingerprint(), e.fingerprint());
        assertFalse(Files.exists(known.file()) && !Files.readString(known.file()).isEmpty());
    }

    @Test
    void a_host_nobody_knows_presents_its_ed25519_key_as_it_would_to_openssh() throws Exception {
        final SshHostKey key = SshSession.presentedHostKey(sshd.address(), sshd.port(), Set.of(), QUICK);
        assertEquals(sshd.hostKeyLine("ed25519").split(" ")[1], key.fingerprint());
        assertEquals("ssh-ed25519", key.type());
    }

    @Test
    void a_known_key_type_is_the_one_presented() throws Exception {
        assertEquals(sshd.hostKeyLine("ecdsa").split(" ")[1], SshSession.presentedHostKey(sshd.address(), sshd.port(),
                Set.of("ecdsa-sha2-nistp256"), QUICK).fingerprint());
        assertEquals(sshd.hostKeyLine("rsa").split(" ")[1], SshSession.presentedHostKey(sshd.address(), sshd.port(),
                Set.of("ssh-rsa"), QUICK).fingerprint());
    }

    @Test
    void the_agent_meets_the_key_type_recorded_for_the_host_as_ssh_does() throws Exception {
        for (String kind : List.of("ecdsa", "rsa")) {
            final Path file = dir.resolve("only_" + kind + "_known_hosts");
            Files.writeString(file, sshd.knownHostsLine(target.knownHostsName(), kind));
            try (SshSession s = SshSession.open(target, new KnownHosts(file), QUICK)) {
                assertTrue(s.isOpen(), kind);
            }
        }
    }

    @Test
    void a_confirmed_fingerprint_is_recorded_and_then_connects() throws Exception {
        final KnownHosts known = new KnownHosts(dir.resolve("confirmed_known_hosts"));
        final String fingerprint = assertThrows(SshException.class, () -> SshSession.open(target, known, QUICK))
                .fingerprint();
        SshSession.confirmHostKey(target, known, QUICK, fingerprint);
        try (SshSession s = SshSession.open(target, known, QUICK)) {
            assertEquals(0, s.run(RemoteCommand.of(ECHO_ARGV, "%s", "ok")).exitStatus());
        }
    }

    @Test
    void a_confirmation_of_another_fingerprint_records_nothing() throws Exception {
        final KnownHosts known = new KnownHosts(dir.resolve("wrong_known_hosts"));
        final SshException e = assertThrows(SshException.class, () -> SshSession.confirmHostKey(target, known, QUICK,
                "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        assertEquals(SshException.Kind.FAILED, e.kind());
        assertEquals(SshException.Kind.UNKNOWN_HOST_KEY,
                assertThrows(SshException.class, () -> SshSession.open(target, known, QUICK)).kind());
    }

    @Test
    void a_changed_host_key_is_refused_loudly_and_never_replaced() throws Exception {
        final Path file = dir.resolve("changed_known_hosts");
        // Another key recorded under this host's name: what a man in the middle, or a reinstall, looks like.
        final Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                dir.resolve("other_key").toString()).start();
        assertEquals(0, p.waitFor());
        final String[] other = Files.readString(dir.resolve("other_key.pub")).trim().split(" ");
        Files.writeString(file, target.knownHostsName() + " " + other[0] + " " + other[1] + "\n");
        final String before = Files.readString(file);
        final KnownHosts known = new KnownHosts(file);
        final SshException e = assertThrows(SshException.class, () -> SshSession.open(target, known, QUICK));
        assertEquals(SshException.Kind.CHANGED_HOST_KEY, e.kind());
        assertTrue(e.getMessage().contains("CHANGED") && e.getMessage().contains("ssh-keygen"), e.getMessage());
        final SshException confirm = assertThrows(SshException.class,
                () -> SshSession.confirmHostKey(target, known, QUICK, e.fingerprint()));
        assertEquals(SshException.Kind.CHANGED_HOST_KEY, confirm.kind());
        assertEquals(before, Files.readString(file));
    }

    @Test
    void a_server_that_accepts_and_says_nothing_times_out_within_the_bound() throws Exception {
        try (SshServer.Silent silent = new SshServer.Silent(lab.host(0).on(List.of()), lab.host(0).address(), 2222)) {
            final SshTarget quiet = new SshTarget(lab.host(0).address(), silent.port(), target.user(),
                    target.identity());
            final long start = System.nanoTime();
            final SshException e = assertThrows(SshException.class,
                    () -> SshSession.open(quiet, new KnownHosts(dir.resolve("kh_silent")), QUICK));
            final long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(SshException.Kind.CONNECT_TIMEOUT, e.kind(), e.getMessage());
            assertTrue(millis >= QUICK.connect().toMillis() - 100 && millis < QUICK.connect().toMillis() + 2000,
                    "timed out after " + millis + " ms");
        }
    }

    @Test
    void a_command_that_runs_too_long_times_out() throws Exception {
        try (SshSession s = SshSession.open(target, trusting(target.knownHostsName()), new SshSession.Timeouts(
                Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(1), 3))) {
            final long start = System.nanoTime();
            final SshException e = assertThrows(SshException.class, () -> s.run(RemoteCommand.of(SLEEP, "5")));
            assertEquals(SshException.Kind.EXEC_TIMEOUT, e.kind());
            assertTrue((System.nanoTime() - start) / 1_000_000 < 2500);
        }
    }

    @Test
    void a_secret_goes_over_stdin_and_not_in_argv() throws Exception {
        try (SshSession s = SshSession.open(target, trusting(target.knownHostsName()), QUICK)) {
            final RemoteCommand cat = RemoteCommand.of(CAT);
            final SshSession.Result r = s.run(cat, "s3cret token\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("s3cret token\n", r.stdout());
            assertFalse(cat.line().contains("s3cret"));
        }
    }

    @Test
    void arguments_full_of_shell_metacharacters_arrive_as_exactly_the_intended_argv() throws Exception {
        final String alphabet = " \t'\"\\$`!*?[]{}()<>|&;#~=%^,.:-_/aZ09\u00e9\u263a";
        final Random random = new Random(4464);
        try (SshSession s = SshSession.open(target, trusting(target.knownHostsName()), QUICK)) {
            for (int round = 0; round < 100; round++) {
                final List<String> args = new ArrayList<>();
                for (int a = 1 + random.nextInt(5); a > 0; a--) {
                    final StringBuilder w = new StringBuilder();
                    for (int n = random.nextInt(12); n > 0; n--) {
                        w.append(alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                    args.add(w.toString());
                }
                final List<String> argv = new ArrayList<>(List.of("%s\\0"));
                argv.addAll(args);
                if (args.stream().anyMatch(a -> a.chars().anyMatch(Character::isISOControl))) {
                    // Control characters (a tab here) are refused before anything is sent.
                    assertThrows(RemoteCommand.Refused.class, () -> RemoteCommand.of(ECHO_ARGV, argv));
                    continue;
                }
                final SshSession.Result r = s.run(RemoteCommand.of(ECHO_ARGV, argv));
                assertEquals(0, r.exitStatus(), r.stderr());
                assertEquals(String.join("\0", args) + "\0", r.stdout(), "sent " + args);
                // The strict rule the coordinator uses refuses every one of them that is not plain.
                for (String arg : args) {
                    if (!arg.matches("[A-Za-z0-9._:/=,+@][A-Za-z0-9._:/=,+@-]*") || arg.length() > 255) {
                        assertThrows(RemoteCommand.Refused.class,
                                () -> RemoteCommand.of(new RemoteCommand.Program("jack_lsp", RemoteCommand.PLAIN), arg));
                    }
                }
            }
        }
    }
}

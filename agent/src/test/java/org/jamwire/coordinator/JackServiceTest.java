package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.SshServer;
import org.jamwire.testing.TestJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Make them match" on a peer whose JACK server is the provisioned service, over a real sshd, with
 * a real jackd (dummy driver, a name of its own) run the way the service runs it: from {@code
 * ~/jackd.env} in the ssh user's home, by a supervisor that starts it again from the file whenever
 * it exits, as systemd's Restart=always does (systemd itself does not run here). The coordinator
 * rewrites the file and stops jackd; the supervisor's restarts are the only jackd starts.
 */
@Tag("integration")
class JackServiceTest {

    /**
     * The unit's ExecStart as a loop: the settings read from the file at each start, the driver's
     * options split on whitespace as systemd splits {@code $VAR}, one line per start in the log, and
     * a second's pause after each exit (RestartSec=1).
     */
    private static final String SUPERVISOR = """
            while :; do
              while IFS='=' read -r key value; do
                case "$key" in
                  JAMWIRE_JACK_SERVER) server=$value;;
                  JAMWIRE_JACK_DRIVER) driver=$value;;
                  JAMWIRE_JACK_RATE) rate=$value;;
                  JAMWIRE_JACK_PERIOD) period=$value;;
                  JAMWIRE_JACK_DRIVER_OPTIONS) options=$value;;
                esac
              done < "$1"
              echo "$rate $period" >> "$2"
              jackd -R -n "$server" -d "$driver" -r "$rate" -p "$period" $options
              sleep 1
            done
            """;

    @TempDir
    Path dir;

    @Test
    void restarts_the_jack_service_at_the_new_settings_and_never_starts_jackd_itself() throws Exception {
        final Path home = Files.createDirectories(dir.resolve("home"));
        final String server = "jamwire-test-svc-" + ProcessHandle.current().pid();
        Files.writeString(home.resolve("jackd.env"), "# as the jack_service role writes it\n"
                + "JAMWIRE_JACK_SERVER=" + server + "\nJAMWIRE_JACK_DRIVER=dummy\nJAMWIRE_JACK_RATE=44100\n"
                + "JAMWIRE_JACK_PERIOD=512\nJAMWIRE_JACK_DRIVER_OPTIONS=-C 2 -P 2\n");
        // One SetEnv line (sshd takes only the first): this build's jamwire on the PATH, and the home.
        final String env = SshServer.jamwireOnPath(dir.resolve("bin")).get(0) + " HOME=" + home;
        final Path starts = dir.resolve("starts.log");
        try (SshServer sshd = SshServer.start(dir.resolve("sshd"), "127.0.0.1", List.of(), List.of(env));
             Supervisor service = new Supervisor(server, home.resolve("jackd.env"), starts, dir.resolve("jackd.log"))) {
            awaitServing(server, 44_100, 512);
            final String user = System.getProperty("user.name");
            final Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, sshd.knownHostsLine("[127.0.0.1]:" + sshd.port()));
            try (Lab lab = new Lab(dir.resolve("lab/peers.json"), new KnownHosts(knownHosts),
                    SshSession.Timeouts.defaults())) {
                lab.add(new Peer("studio-b", "127.0.0.1", sshd.port(), user, sshd.userKey(), server,
                        SshServer.freePort(), Peer.DEFAULT_AGENT_TOKEN, null));

                final PeerReport before = lab.probe("studio-b").report();
                assertEquals(new JackSettings(server, "dummy", 44_100, 512), before.jackService(), before.toString());
                assertEquals(dir.resolve("bin/jamwire").toString(), before.jamwirePath(), before.toString());
                assertEquals(44_100, before.sampleRate(), before.toString());

                final Lab.Matched matched = lab.matchJack("studio-b", 48_000, 256);
                assertEquals("restarted the JACK service at 48000 Hz, 256 frames", matched.restarted());
                final PeerReport after = matched.peer().report();
                assertEquals(48_000, after.sampleRate(), after.toString());
                assertEquals(256, after.bufferSize(), after.toString());
                assertEquals(new JackSettings(server, "dummy", 48_000, 256), after.jackService());

                // Read here with JACK's own tools, not through the coordinator.
                assertEquals("48000", jackTool(server, "jack_samplerate"));
                assertEquals("256", jackTool(server, "jack_bufsize"));
                assertEquals("# as the jack_service role writes it\nJAMWIRE_JACK_SERVER=" + server
                        + "\nJAMWIRE_JACK_DRIVER=dummy\nJAMWIRE_JACK_RATE=48000\nJAMWIRE_JACK_PERIOD=256\n"
                        + "JAMWIRE_JACK_DRIVER_OPTIONS=-C 2 -P 2\n", Files.readString(home.resolve("jackd.env")));
                // Two starts, both the supervisor's, and the one jackd serving the name is its child.
                assertEquals(List.of("44100 512", "48000 256"), Files.readAllLines(starts));
                assertEquals(List.of(service.pid()), jackds(server).stream()
                        .map(p -> p.parent().map(ProcessHandle::pid).orElse(-1L)).toList());

                // A server nobody runs: the probe's note and make-them-match name the user and the server.
                final String absent = server + "-absent";
                lab.add(new Peer("studio-c", "127.0.0.1", sshd.port(), user, sshd.userKey(), absent,
                        SshServer.freePort(), Peer.DEFAULT_AGENT_TOKEN, null));
                final PeerReport none = lab.probe("studio-c").report();
                assertFalse(none.jackRunning());
                assertTrue(none.notes().stream().anyMatch(n -> n.startsWith("the JACK server '" + absent
                        + "' is not running on the peer for user " + user + ": the JACK service there runs '"
                        + server + "'")), none.notes().toString());
                final IllegalStateException missing = assertThrows(IllegalStateException.class,
                        () -> lab.matchJack("studio-c", 48_000, 256));
                assertTrue(missing.getMessage().startsWith("no jackd serves the JACK server '" + absent
                        + "' on the peer, and " + user + "'s ~/jackd.env names another ('" + server + "')"),
                        missing.getMessage());
                assertTrue(missing.getMessage().contains("as user " + user), missing.getMessage());
                assertTrue(jackds(absent).isEmpty());
            }

            // The service manager does not start it again: the error names the unit and its log.
            service.stopSupervising();
            try (SshSession ssh = SshSession.open(new SshTarget("127.0.0.1", sshd.port(), user, sshd.userKey()),
                    new KnownHosts(knownHosts), SshSession.Timeouts.defaults())) {
                final IllegalStateException gone = assertThrows(IllegalStateException.class,
                        () -> JackRestart.restart(ssh, server, 44_100, 512, Duration.ofSeconds(3)));
                assertTrue(gone.getMessage().startsWith("the JACK service '" + server + "' for user " + user
                        + " did not come back at 44100 Hz, 512 frames within 3 s"), gone.getMessage());
                assertTrue(gone.getMessage().contains("jamwire-jackd.service")
                        && gone.getMessage().contains("journalctl -u jamwire-jackd"), gone.getMessage());
            }
            assertTrue(jackds(server).isEmpty(), "the coordinator started no jackd of its own");
            assertEquals(2, Files.readAllLines(starts).size());
        }
    }

    /** The jackd processes serving {@code server}. */
    private static List<ProcessHandle> jackds(String server) {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").endsWith("jackd")
                && List.of(p.info().arguments().orElse(new String[0])).contains(server)).toList();
    }

    private static void awaitServing(String server, int rate, int frames) {
        Deadlines.await(Duration.ofSeconds(15), () -> String.valueOf(rate).equals(jackTool(server, "jack_samplerate"))
                && String.valueOf(frames).equals(jackTool(server, "jack_bufsize")),
                () -> "jackd " + server + " at " + rate + " Hz, " + frames + " frames");
    }

    /** What a JACK tool prints for {@code server}, trimmed; empty when it fails. */
    private static String jackTool(String server, String tool) {
        try {
            final Path out = Files.createTempFile("jamwire-jack-tool-", ".txt");
            try {
                final ProcessBuilder b = new ProcessBuilder(tool).redirectOutput(out.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD);
                b.environment().put("JACK_DEFAULT_SERVER", server);
                b.environment().put("JACK_NO_START_SERVER", "1");
                final Process p = b.start();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(tool + " hung on " + server);
                }
                return p.exitValue() == 0 ? Files.readString(out, StandardCharsets.UTF_8).strip() : "";
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The supervising loop, and on close every jackd serving its server. */
    private static final class Supervisor implements AutoCloseable {
        private final String server;
        private final Process loop;
        private final Runnable cancelExitKill;

        Supervisor(String server, Path settings, Path starts, Path log) throws IOException {
            this.server = server;
            this.loop = new ProcessBuilder("sh", "-c", SUPERVISOR, "sh", settings.toString(), starts.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            this.cancelExitKill = TestJvm.atExit(this::close);
        }

        long pid() {
            return loop.pid();
        }

        /** Stops the loop only: its jackd runs on until something stops it, and nothing starts another. */
        void stopSupervising() throws InterruptedException {
            loop.destroy();
            assertTrue(loop.waitFor(10, TimeUnit.SECONDS), "the supervisor did not stop");
        }

        @Override
        public void close() {
            loop.destroy();
            final List<ProcessHandle> children = jackds(server);
            children.forEach(ProcessHandle::destroy);
            for (ProcessHandle c : children) {
                try {
                    c.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    c.destroyForcibly();
                }
            }
            cancelExitKill.run();
        }
    }
}

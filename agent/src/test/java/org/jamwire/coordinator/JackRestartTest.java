package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Make them match"'s commands: a hand-started jackd's command line rewritten, and the JACK
 * service's settings file read and rewritten by the fixed scripts, run here with /bin/sh in a
 * home of the test's own.
 */
class JackRestartTest {

    @TempDir
    Path home;

    @Test
    void replaces_the_drivers_rate_and_period_and_keeps_the_rest() {
        assertEquals(List.of("-R", "-n", "lab", "-d", "alsa", "-d", "hw:1", "-r", "48000", "-p", "128", "-n", "3"),
                JackRestart.withRateAndPeriod(List.of("-R", "-n", "lab", "-d", "alsa", "-d", "hw:1", "-r", "44100", "-p",
                        "256", "-n", "3"), 48_000, 128));
    }

    @Test
    void adds_rate_and_period_when_the_driver_took_its_defaults() {
        assertEquals(List.of("-d", "dummy", "-r", "96000", "-p", "64"),
                JackRestart.withRateAndPeriod(List.of("-d", "dummy"), 96_000, 64));
    }

    @Test
    void the_server_name_is_the_n_before_the_driver_not_the_drivers_periods() {
        assertEquals("lab", JackRestart.serverName(List.of("-n", "lab", "-d", "alsa", "-n", "3")));
        assertEquals("default", JackRestart.serverName(List.of("-d", "alsa", "-n", "3")));
        assertEquals("x", JackRestart.serverName(List.of("--name=x", "-d", "dummy")));
    }

    @Test
    void a_peers_command_line_with_shell_text_in_it_is_refused() {
        org.junit.jupiter.api.Assertions.assertThrows(RemoteCommand.Refused.class, () -> RemoteCommand.of(
                JackRestart.DETACHED_JACKD, List.of("-c", JackRestart.DETACH, "sh", "jackd", "-d", "dummy;reboot")));
    }

    @Test
    void the_settings_are_rewritten_by_a_fixed_script_with_the_numbers_as_arguments() {
        final RemoteCommand c = RemoteCommand.of(PeerPrograms.JACK_SETTINGS_WRITE, "-c",
                PeerPrograms.WRITE_JACK_SETTINGS, "sh", "48000", "256");
        assertEquals(List.of("sh", "-c", PeerPrograms.WRITE_JACK_SETTINGS, "sh", "48000", "256"), c.argv());
    }

    @Test
    void a_rate_or_period_that_is_not_digits_never_reaches_the_script() {
        assertThrows(RemoteCommand.Refused.class, () -> RemoteCommand.of(PeerPrograms.JACK_SETTINGS_WRITE, "-c",
                PeerPrograms.WRITE_JACK_SETTINGS, "sh", "48000/;s/.*/x", "256"));
        assertThrows(RemoteCommand.Refused.class, () -> RemoteCommand.of(PeerPrograms.JACK_SETTINGS_WRITE, "-c",
                PeerPrograms.WRITE_JACK_SETTINGS, "sh", "48000", "256", "extra"));
        assertThrows(RemoteCommand.Refused.class, () -> RemoteCommand.of(PeerPrograms.JACK_SETTINGS_WRITE, "-c",
                "rm -rf ~", "sh", "48000", "256"));
    }

    @Test
    void the_write_script_replaces_only_rate_and_period_and_keeps_the_files_mode() throws Exception {
        final Path file = home.resolve("jackd.env");
        Files.writeString(file, "JAMWIRE_JACK_SERVER=default\nJAMWIRE_JACK_DRIVER=dummy\nJAMWIRE_JACK_RATE=44100\n"
                + "JAMWIRE_JACK_PERIOD=512\nJAMWIRE_JACK_DRIVER_OPTIONS=-C 2 -P 2\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        final Shell w = sh(PeerPrograms.WRITE_JACK_SETTINGS, "48000", "256");
        assertEquals(0, w.status(), w.err());
        assertEquals("JAMWIRE_JACK_SERVER=default\nJAMWIRE_JACK_DRIVER=dummy\nJAMWIRE_JACK_RATE=48000\n"
                + "JAMWIRE_JACK_PERIOD=256\nJAMWIRE_JACK_DRIVER_OPTIONS=-C 2 -P 2\n", Files.readString(file));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var left = Files.list(home)) {
            assertEquals(List.of(file), left.toList(), "no temporary file is left beside it");
        }
        assertEquals(new JackSettings("default", "dummy", 48_000, 256), JackSettings.parse(sh(
                PeerPrograms.READ_JACK_SETTINGS).out()));
    }

    @Test
    void no_settings_file_is_told_apart_from_one_that_cannot_be_read() throws Exception {
        assertEquals(3, sh(PeerPrograms.READ_JACK_SETTINGS).status());
        assertEquals(1, sh(PeerPrograms.WRITE_JACK_SETTINGS, "48000", "256").status());
        try (var left = Files.list(home)) {
            assertEquals(0, left.count(), "a failed rewrite leaves nothing behind");
        }
    }

    private record Shell(int status, String out, String err) {
    }

    /** Runs a fixed script as the peer's login shell would run its command, with HOME the test's. */
    private Shell sh(String script, String... args) throws IOException, InterruptedException {
        final List<String> argv = new java.util.ArrayList<>(List.of("sh", "-c", script, "sh"));
        argv.addAll(List.of(args));
        final ProcessBuilder b = new ProcessBuilder(argv).directory(home.toFile());
        b.environment().put("HOME", home.toString());
        final Process p = b.start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("sh " + script + " did not finish within 10 s");
        }
        return new Shell(p.exitValue(), out, err);
    }
}

package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jamwire.testing.Deadlines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A detached member's three fixed scripts, run here with /bin/sh as ssh runs them on a member's
 * machine, in a home of the test's own: the program outlives the shell that started it (and the
 * session: it has one of its own), its state and output are read back, and stop ends its whole
 * process group.
 */
class DetachedLinkTest {

    @TempDir
    Path home;

    private final List<String> started = new ArrayList<>();

    @AfterEach
    void stopLeftovers() throws Exception {
        for (String name : started) {
            sh(DetachedLink.STOP, name);
        }
    }

    @Test
    void starts_detached_reads_its_state_and_output_and_stops_its_process_group() throws Exception {
        started.add("ensemble-band-studio-c");
        // A program with a child of its own, printing a line a tenth of a second.
        final Shell start = sh(DetachedLink.START, "ensemble-band-studio-c", "sh", "-c",
                "sleep 600 & while :; do echo tick; sleep 0.1; done");
        assertEquals(0, start.exit(), start.toString());
        final String pid = start.out().strip();
        assertTrue(pid.matches("[0-9]+"), start.toString());
        // The shell that started it has exited; the program runs on in a session of its own.
        assertTrue(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false));
        Deadlines.await(Duration.ofSeconds(10), () -> read("ensemble-band-studio-c").contains("tick"),
                () -> "its output: " + read("ensemble-band-studio-c"));
        assertTrue(read("ensemble-band-studio-c").startsWith("running " + pid + "\n"));
        final Path dir = home.resolve(".local/state/jamwire/members");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals(pid, Files.readString(dir.resolve("ensemble-band-studio-c.pid")).strip());
        final List<ProcessHandle> group = new ArrayList<>();
        ProcessHandle.of(Long.parseLong(pid)).orElseThrow().descendants().forEach(group::add);
        assertTrue(!group.isEmpty(), "its child");

        final Shell stop = sh(DetachedLink.STOP, "ensemble-band-studio-c");
        assertEquals("stopped", stop.out().strip(), stop.toString());
        assertTrue(read("ensemble-band-studio-c").startsWith("exited\n"));
        Deadlines.await(Duration.ofSeconds(5), () -> group.stream().noneMatch(ProcessHandle::isAlive),
                () -> "its child, in its process group, ended too");
        assertEquals("not running", sh(DetachedLink.STOP, "ensemble-band-studio-c").out().strip());
    }

    @Test
    void a_program_that_exits_at_once_is_read_as_exited_with_what_it_said() throws Exception {
        started.add("ensemble-band-gone");
        final Shell start = sh(DetachedLink.START, "ensemble-band-gone", "sh", "-c", "echo no JACK server; exit 1");
        assertEquals(0, start.exit(), start.toString());
        Deadlines.await(Duration.ofSeconds(10), () -> read("ensemble-band-gone").startsWith("exited\n"),
                () -> "its state: " + read("ensemble-band-gone"));
        assertTrue(read("ensemble-band-gone").contains("no JACK server"), read("ensemble-band-gone"));
    }

    @Test
    void a_name_that_could_leave_the_directory_is_refused_before_anything_runs() {
        final RemoteCommand inner = RemoteCommand.of(ServerCommand.JAMWIRE_LINK, "-C", "10.0.0.1");
        for (String bad : List.of("../x", "a/b", "-x", "", "a b")) {
            assertThrows(RemoteCommand.Refused.class, () -> RemoteCommand.around(DetachedLink.DETACH,
                    List.of("-c", DetachedLink.START, "sh", bad), inner), bad);
            assertThrows(RemoteCommand.Refused.class, () -> RemoteCommand.of(DetachedLink.READ_STATE, "-c",
                    DetachedLink.READ, "sh", bad), bad);
        }
        assertThrows(RemoteCommand.Refused.class, () -> RemoteCommand.around(DetachedLink.DETACH,
                List.of("-c", "echo hi", "sh", "ensemble-band-x"), inner));
        assertEquals(List.of("sh", "-c", DetachedLink.START, "sh", "ensemble-band-x", "jamwire", "-C", "10.0.0.1"),
                RemoteCommand.around(DetachedLink.DETACH, List.of("-c", DetachedLink.START, "sh", "ensemble-band-x"),
                        inner).argv());
    }

    private String read(String name) {
        try {
            return sh(DetachedLink.READ, name).out();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Shell(int exit, String out, String err) {
    }

    private Shell sh(String script, String... args) throws IOException, InterruptedException {
        final List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", script, "sh"));
        argv.addAll(List.of(args));
        final ProcessBuilder b = new ProcessBuilder(argv).directory(home.toFile());
        b.environment().put("HOME", home.toString());
        b.environment().remove("XDG_STATE_HOME");
        final Process p = b.start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("sh did not finish within 10 s");
        }
        return new Shell(p.exitValue(), out, err);
    }
}

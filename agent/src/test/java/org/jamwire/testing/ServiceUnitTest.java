package org.jamwire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceUnitTest {

    private static final UnaryOperator<Path> SAME = p -> p;

    @TempDir
    Path dir;

    @Test
    void braced_variables_stay_one_word_and_a_bare_one_splits_at_whitespace() {
        final UnitFile unit = UnitFile.parse("""
                [Unit]
                ExecStart=/bin/false
                [Service]
                # ExecStart=/bin/commented
                ExecStart=/usr/bin/jackd -n ${NAME} -d ${DRIVER} \\
                    -r ${RATE}x "quoted ${NAME}" $$HOME $OPTIONS $EMPTY ${MISSING}
                """);
        final Map<String, String> env = Map.of("NAME", "a b", "DRIVER", "dummy", "RATE", "44100",
                "OPTIONS", "-C 2   -P 2", "EMPTY", "");
        assertEquals(List.of("/usr/bin/jackd", "-n", "a b", "-d", "dummy", "-r", "44100x", "quoted a b", "$HOME",
                "-C", "2", "-P", "2", ""), unit.command(env));
    }

    @Test
    void a_colon_prefix_turns_expansion_off() {
        assertEquals(List.of("/bin/echo", "${A}", "$A"),
                UnitFile.parse("[Service]\nExecStart=-:/bin/echo ${A} $A\n").command(Map.of("A", "x y")));
    }

    @Test
    void environment_files_are_read_as_systemd_reads_them() {
        assertEquals(Map.of("A", "1", "B", "-d hw:0 -n 2", "C", "", "D", "with spaces"),
                UnitFile.environmentFile("# a comment\n; another\nA=1\n B = -d hw:0 -n 2  \nC=\n"
                        + "D=\"with spaces\"\nnot one\n"));
    }

    @Test
    void restart_values_systemd_has_but_this_stand_in_does_not_are_refused() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnitFile.parse("[Service]\nExecStart=/bin/true\nRestart=on-abnormal\n"));
        assertTrue(e.getMessage().contains("Restart=on-abnormal"), e.getMessage());
    }

    @Test
    void restart_always_starts_it_again_with_the_environment_file_as_it_is_then() throws Exception {
        final Path settings = dir.resolve("settings.env");
        Files.writeString(settings, "RATE=48000\n");
        final UnitFile unit = UnitFile.parse("""
                [Service]
                EnvironmentFile=%s
                Environment=GREETING=started
                ExecStart=/bin/sh -c "echo ${GREETING} at ${RATE}; exec sleep 60"
                Restart=always
                RestartSec=50ms
                """.formatted(settings));
        try (ServiceUnit service = ServiceUnit.start(unit, SAME, List.of(), dir.resolve("out.log"))) {
            Deadlines.await(Duration.ofSeconds(10), () -> service.output().contains("started at 48000\n"),
                    service::output);
            final long first = service.pid();
            Files.writeString(settings, "RATE=44100\n");
            ProcessHandle.of(first).orElseThrow().destroy();
            Deadlines.await(Duration.ofSeconds(10), () -> service.output().contains("started at 44100\n"),
                    service::output);
            assertEquals(2, service.starts(), service.output());
            assertTrue(service.running() && service.pid() != first, service.output());
        }
    }

    @Test
    void closing_stops_it_for_good() throws Exception {
        final UnitFile unit = UnitFile.parse("[Service]\nExecStart=/bin/sleep 60\nRestart=always\nRestartSec=0\n");
        final ServiceUnit service = ServiceUnit.start(unit, SAME, List.of(), dir.resolve("out.log"));
        final long pid = service.pid();
        service.close();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(service.running());
        assertEquals(1, service.starts());
    }

    @Test
    void a_process_that_keeps_failing_is_given_up_after_five_starts_as_systemd_does() throws Exception {
        final UnitFile unit = UnitFile.parse("[Service]\nExecStart=/bin/false\nRestart=on-failure\nRestartSec=10ms\n");
        try (ServiceUnit service = ServiceUnit.start(unit, SAME, List.of(), dir.resolve("out.log"))) {
            Deadlines.await(Duration.ofSeconds(10), () -> service.output().contains("given up"), service::output);
            assertEquals(5, service.starts(), service.output());
        }
    }

    @Test
    void restart_on_failure_leaves_a_clean_exit_alone() throws Exception {
        final UnitFile unit = UnitFile.parse("[Service]\nExecStart=/bin/true\nRestart=on-failure\nRestartSec=0\n");
        try (ServiceUnit service = ServiceUnit.start(unit, SAME, List.of(), dir.resolve("out.log"))) {
            Deadlines.await(Duration.ofSeconds(10), () -> service.output().contains("[exited with 0]"),
                    service::output);
            assertEquals(1, service.starts(), service.output());
        }
    }
}

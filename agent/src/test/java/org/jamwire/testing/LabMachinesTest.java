package org.jamwire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab machines that the quickstart test runs on: what one machine writes to its files,
 * accounts and services stays on it, and a unit runs through the systemctl stand-in as the unit
 * says, restarted when it exits.
 */
@Tag("integration")
@Tag("concurrent")
class LabMachinesTest {

    @TempDir
    Path dir;

    @Test
    void each_machine_keeps_its_files_accounts_and_services_to_itself() throws Exception {
        final String marker = "/etc/jamwire-lab-machines-test-" + ProcessHandle.current().pid();
        try (LabMachines lab = LabMachines.create(dir.resolve("machines"), "lab-a", "lab-b")) {
            final LabMachines.Machine a = lab.machine(0);
            final LabMachines.Machine b = lab.machine(1);
            assertEquals(0, a.run(List.of("sh", "-c", "echo here > " + marker)).exitStatus());
            assertEquals(0, a.run(List.of("useradd", "--system", "--create-home", "--home-dir", "/var/lib/labuser",
                    "--shell", "/bin/sh", "labuser")).exitStatus());
            assertEquals("here\n", a.run(List.of("cat", marker)).output());
            assertFalse(Files.exists(Path.of(marker)), "not on this machine");
            assertNotEquals(0, b.run(List.of("cat", marker)).exitStatus(), "not on the other machine");
            assertNotEquals(0, b.run(List.of("id", "labuser")).exitStatus());
            assertEquals("lab-a\n", a.run(List.of("hostname")).output());
            assertEquals("lab-b\n", b.run(List.of("hostname")).output());
            assertTrue(a.run(List.of("ip", "-o", "-4", "addr")).output().contains(a.address() + "/"));
            // Each sees its own processes only: its pid 1, and what runs on it.
            assertFalse(a.run(List.of("ps", "-e", "-o", "comm=")).output().contains("java"));

            // A unit with Restart=always, run through the stand-in as its user, allowed realtime scheduling.
            Files.writeString(a.file("/etc/systemd/system/labtest.service"), String.join("\n",
                    "[Service]", "User=labuser", "Group=labuser", "EnvironmentFile=/var/lib/labuser/env",
                    "ExecStart=/bin/sh -c 'chrt -f 5 true && echo ${GREETING} $$ >> /var/lib/labuser/runs; exec sleep 600' \\",
                    "    ignored", "Restart=always", "RestartSec=0.2", "LimitRTPRIO=95", ""));
            assertEquals(0, a.run(List.of("sh", "-c", "echo GREETING=hello > /var/lib/labuser/env")).exitStatus());
            assertEquals(0, a.run(List.of("systemctl", "daemon-reload")).exitStatus());
            assertEquals(0, a.run(List.of("systemctl", "enable", "labtest.service")).exitStatus());
            assertEquals(0, a.run(List.of("systemctl", "start", "labtest.service")).exitStatus());
            assertTrue(a.run(List.of("systemctl", "show", "labtest.service")).output().contains("ActiveState=active"));
            assertEquals("enabled\n", a.run(List.of("systemctl", "is-enabled", "labtest.service")).output());
            final Path runs = a.file("/var/lib/labuser/runs");
            Deadlines.await(Duration.ofSeconds(10), () -> read(runs).lines().count() == 1,
                    () -> "the unit ran once");
            final String pid = Files.readString(runs).trim().split(" ")[1];
            assertTrue(Files.readString(runs).startsWith("hello "), Files.readString(runs));
            assertEquals("labuser\n", a.run(List.of("ps", "-o", "user=", "-p", pid)).output());
            // Killed, it is started again, as Restart=always says.
            assertEquals(0, a.run(List.of("kill", pid)).exitStatus());
            Deadlines.await(Duration.ofSeconds(10), () -> read(runs).lines().count() == 2,
                    () -> "the unit ran again: " + read(a.file("/run/systemctl-standin/labtest.service.log")));
            assertEquals(0, a.run(List.of("systemctl", "stop", "labtest.service")).exitStatus());
            assertEquals("inactive\n", a.run(List.of("systemctl", "is-active", "labtest.service")).output());
            assertFalse(a.run(List.of("ps", "-e", "-o", "comm=")).output().contains("sleep 600"));
            assertTrue(b.run(List.of("systemctl", "show", "labtest.service")).output().contains("LoadState=not-found"));
        }
        assertFalse(Files.exists(Path.of(marker)));
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}

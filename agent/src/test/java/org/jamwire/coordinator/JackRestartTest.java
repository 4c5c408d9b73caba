package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JackRestartTest {

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
}

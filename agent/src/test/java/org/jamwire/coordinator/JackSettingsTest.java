package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The JACK service's settings file as the jack_service role writes it, read back and checked. */
class JackSettingsTest {

    private static final String ROLE_WRITES = """
            # Managed by Ansible (jack_service)
            JAMWIRE_JACK_SERVER=default
            JAMWIRE_JACK_DRIVER=alsa
            JAMWIRE_JACK_RATE=48000
            JAMWIRE_JACK_PERIOD=128
            JAMWIRE_JACK_DRIVER_OPTIONS=-d hw:0 -n 2
            """;

    @Test
    void reads_server_driver_rate_and_period_and_skips_comments_and_other_keys() {
        assertEquals(new JackSettings("default", "alsa", 48_000, 128), JackSettings.parse(ROLE_WRITES));
    }

    @Test
    void an_empty_driver_is_not_known() {
        assertNull(JackSettings.parse("JAMWIRE_JACK_SERVER=lab\nJAMWIRE_JACK_DRIVER=\nJAMWIRE_JACK_RATE=44100\n"
                + "JAMWIRE_JACK_PERIOD=256\n").driver());
    }

    @Test
    void a_missing_setting_is_named_with_the_fix() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JackSettings.parse(ROLE_WRITES.replace("JAMWIRE_JACK_PERIOD=128\n", "")));
        assertEquals("~/jackd.env has no JAMWIRE_JACK_PERIOD line (re-run the lab's playbook to write it again)",
                e.getMessage());
    }

    @Test
    void a_rate_that_is_not_a_number_is_refused() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JackSettings.parse(ROLE_WRITES.replace("=48000", "=48k")));
        assertTrue(e.getMessage().startsWith("~/jackd.env: JAMWIRE_JACK_RATE is '48k', not a whole number"),
                e.getMessage());
    }

    @Test
    void a_server_name_a_shell_would_act_on_is_refused() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JackSettings.parse(ROLE_WRITES.replace("=default", "=x;reboot")));
        assertTrue(e.getMessage().contains("JAMWIRE_JACK_SERVER must be a JACK server name"), e.getMessage());
    }

    @Test
    void a_line_of_ours_that_is_not_key_equals_value_is_named() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JackSettings.parse(ROLE_WRITES + "JAMWIRE_JACK_RATE 44100\n"));
        assertTrue(e.getMessage().startsWith("~/jackd.env line 7 is not KEY=VALUE"), e.getMessage());
    }

    @Test
    void the_probe_note_names_user_and_server_and_what_the_service_runs() {
        assertTrue(PeerProbe.notRunning("default", "jamwire", null).startsWith(
                "the JACK server 'default' is not running on the peer for user jamwire"));
        assertTrue(PeerProbe.notRunning("lab", "jamwire", new JackSettings("default", "alsa", 48_000, 128))
                .contains("the JACK service there runs 'default'"));
        assertTrue(PeerProbe.notRunning("default", "jamwire", new JackSettings("default", "alsa", 48_000, 128))
                .contains("journalctl -u jamwire-jackd"));
    }
}

package org.jamwire.options;

import static org.jamwire.options.Parse.demo;
import static org.jamwire.options.Parse.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkConfig.BackendKind;
import org.jamwire.link.Role;
import org.junit.jupiter.api.Test;

/** {@code jamwire demo} and its options. */
class DemoOptionsTest {

    @Test
    void demo_without_options_uses_the_defaults() throws Exception {
        assertEquals(new Command.Demo(10, 2, 16, 4, 1, 128, 48000, "sine"), demo("demo"));
    }

    @Test
    void seconds_sets_the_length() throws Exception {
        assertEquals(30, demo("demo --seconds 30").seconds());
    }

    @Test
    void seconds_zero_runs_until_stopped() throws Exception {
        assertEquals(0, demo("demo --seconds=0").seconds());
    }

    @Test
    void every_demo_option_is_taken() throws Exception {
        assertEquals(new Command.Demo(5, 4, 24, 8, 2, 64, 44100, "ramp"),
                demo("demo --seconds 5 -n 4 --bitres 24 -q 8 --redundancy 2 -z 64 --rate 44100"
                        + " --signal ramp"));
    }

    @Test
    void seed_spellings_work_in_the_demo() throws Exception {
        final Command.Demo d = demo("demo -a 3 -b 2 --buffersize 32");
        assertEquals(3, d.channels());
        assertEquals(2, d.redundancy());
        assertEquals(32, d.bufferSize());
    }

    @Test
    void seconds_out_of_range_is_rejected() {
        assertEquals("--seconds: '86401' is not allowed: use a whole number from 0 to 86400",
                problem("demo --seconds 86401"));
    }

    @Test
    void demo_takes_no_arguments_other_than_options() {
        assertEquals("unexpected argument 'now'", problem("demo now"));
    }

    @Test
    void server_config_is_a_builtin_server_on_the_given_port() throws Exception {
        final LinkConfig c = demo("demo -n 3 -z 64 --rate 44100").serverConfig(5000);
        assertEquals(Role.SERVER, c.role());
        assertEquals(5000, c.bindPort());
        assertEquals(BackendKind.BUILTIN, c.backend());
        assertEquals(3, c.sendChannels());
        assertEquals(new LinkConfig.BuiltinSettings(44100, 64, 44100, "sine"), c.builtin());
        assertFalse(c.autoConnect());
    }

    @Test
    void client_config_sends_to_the_server_over_loopback() throws Exception {
        final LinkConfig c = demo("demo").clientConfig(5001, 5000);
        assertEquals(Role.CLIENT, c.role());
        assertEquals("127.0.0.1", c.peerHost());
        assertEquals(5001, c.bindPort());
        assertEquals(5000, c.peerPort());
    }
}

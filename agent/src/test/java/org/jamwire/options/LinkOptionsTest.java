package org.jamwire.options;

import static org.jamwire.options.Parse.command;
import static org.jamwire.options.Parse.config;
import static org.jamwire.options.Parse.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jamwire.engine.ReceiveQueue;
import org.jamwire.engine.UnderrunPolicy;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkConfig.BackendKind;
import org.jamwire.link.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each link option, in jacktrip's spelling and JamWire's, and how options combine. */
class LinkOptionsTest {

    @Test
    void s_makes_a_server() throws Exception {
        assertEquals(Role.SERVER, config("-s").role());
    }

    @Test
    void long_server_makes_a_server() throws Exception {
        assertEquals(Role.SERVER, config("--server").role());
    }

    @Test
    void c_makes_a_client_of_the_host() throws Exception {
        final LinkConfig c = config("-c example.org");
        assertEquals(Role.CLIENT, c.role());
        assertEquals("example.org", c.peerHost());
    }

    @Test
    void long_client_takes_the_host_after_an_equals_sign() throws Exception {
        assertEquals("::1", config("--client=::1").peerHost());
    }

    @Test
    void defaults_are_jacktrips() throws Exception {
        final LinkConfig c = config("-s");
        assertEquals(2, c.sendChannels());
        assertEquals(2, c.receiveChannels());
        assertEquals(16, c.bitResolution());
        assertEquals(4, c.queue());
        assertEquals(1, c.redundancy());
        assertEquals(4464, c.bindPort());
        assertEquals(4464, c.peerPort());
        assertNull(c.clientName());
        assertTrue(c.autoConnect());
        assertEquals(0, c.ioStatSeconds());
        assertEquals(0, c.peerTimeoutSeconds());
        assertEquals(0, c.expectedBufferSize());
        assertEquals(BackendKind.JACK, c.backend());
        assertNull(c.jackServerName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-n 3", "-a 3", "--numchannels 3", "--numchannels=3"})
    void every_spelling_of_numchannels_sets_both_directions(String option) throws Exception {
        final LinkConfig c = config("-s " + option);
        assertEquals(3, c.sendChannels());
        assertEquals(3, c.receiveChannels());
    }

    @Test
    void sendchannels_sets_only_the_send_direction() throws Exception {
        final LinkConfig c = config("-s --sendchannels 1");
        assertEquals(1, c.sendChannels());
        assertEquals(2, c.receiveChannels());
    }

    @Test
    void receivechannels_sets_only_the_receive_direction() throws Exception {
        final LinkConfig c = config("-s --receivechannels 6");
        assertEquals(2, c.sendChannels());
        assertEquals(6, c.receiveChannels());
    }

    @Test
    void one_direction_may_have_no_channels() throws Exception {
        final LinkConfig c = config("-s --sendchannels 0 --receivechannels 2");
        assertEquals(0, c.sendChannels());
        assertEquals(2, c.receiveChannels());
    }

    @Test
    void a_direction_given_on_its_own_wins_over_numchannels_whatever_the_order() throws Exception {
        assertEquals(1, config("-s --sendchannels 1 -n 4").sendChannels());
        assertEquals(1, config("-s -n 4 --sendchannels 1").sendChannels());
        assertEquals(4, config("-s -n 4 --sendchannels 1").receiveChannels());
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 24, 32})
    void bitres_takes_each_supported_resolution(int bits) throws Exception {
        assertEquals(bits, config("-s --bitres " + bits).bitResolution());
    }

    @Test
    void q_sets_the_queue() throws Exception {
        assertEquals(12, config("-s -q 12").queue());
        assertEquals(1000, config("-s --queue=1000").queue());
        assertEquals(ReceiveQueue.AUTO, config("-c h -q auto").queue());
    }

    @Test
    void drift_correction_is_on_unless_turned_off() throws Exception {
        assertTrue(config("-s").followDrift());
        assertFalse(config("-s --no-drift-correction").followDrift());
    }

    @Test
    void underrun_sets_the_policy_and_defaults_to_prediction() throws Exception {
        assertEquals(UnderrunPolicy.PREDICT, config("-s").underrunPolicy());
        assertEquals(UnderrunPolicy.REPEAT, config("-s --underrun repeat").underrunPolicy());
        assertEquals(UnderrunPolicy.ZEROS, config("-s --underrun=zeros").underrunPolicy());
    }

    @Test
    void b_and_redundancy_set_the_redundancy() throws Exception {
        assertEquals(3, config("-s -b 3").redundancy());
        assertEquals(3, config("-s --redundancy 3").redundancy());
    }

    @Test
    void z_and_buffersize_set_the_expected_buffer_size() throws Exception {
        assertEquals(96, config("-s -z 96").expectedBufferSize());
        assertEquals(8192, config("-s --buffersize 8192").expectedBufferSize());
    }

    @Test
    void bindport_and_peerport_set_the_ports() throws Exception {
        final LinkConfig c = config("-c h -B 5000 -P 6000");
        assertEquals(5000, c.bindPort());
        assertEquals(6000, c.peerPort());
        assertEquals(5001, config("-c h --bindport=5001").bindPort());
        assertEquals(6001, config("-c h --peerport=6001").peerPort());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 10, 20, 30})
    void portoffset_moves_both_default_ports(int offset) throws Exception {
        final LinkConfig c = config("-c h -o " + offset);
        assertEquals(4464 + offset, c.bindPort());
        assertEquals(4464 + offset, c.peerPort());
    }

    @Test
    void portoffset_adds_to_given_ports_whatever_the_order() throws Exception {
        final LinkConfig before = config("-c h -o 10 -B 5000 -P 6000");
        final LinkConfig after = config("-c h --portoffset 10 -B 5000 -P 6000");
        assertEquals(5010, before.bindPort());
        assertEquals(6010, before.peerPort());
        assertEquals(before, after);
    }

    @Test
    void clientname_sets_the_client_name() throws Exception {
        assertEquals("band", config("-s -J band").clientName());
        assertEquals("band", config("-s --clientname=band").clientName());
    }

    @Test
    void nojackportsconnect_turns_auto_connect_off() throws Exception {
        assertFalse(config("-s -D").autoConnect());
        assertFalse(config("-s --nojackportsconnect").autoConnect());
    }

    @Test
    void iostat_sets_the_stat_interval() throws Exception {
        assertEquals(5, config("-s -I 5").ioStatSeconds());
        assertEquals(1, config("-s --iostat=1").ioStatSeconds());
    }

    @Test
    void timeout_stops_after_ten_seconds_without_data() throws Exception {
        assertEquals(10, config("-s --timeout").peerTimeoutSeconds());
    }

    @Test
    void j_and_backend_jack_select_jack() throws Exception {
        assertEquals(BackendKind.JACK, config("-s -j").backend());
        assertEquals(BackendKind.JACK, config("-s --jack").backend());
        assertEquals(BackendKind.JACK, config("-s --backend jack").backend());
    }

    @Test
    void j_agrees_with_backend_jack() throws Exception {
        assertEquals(BackendKind.JACK, config("-s -j --backend jack").backend());
    }

    @Test
    void jack_server_names_the_jack_server() throws Exception {
        assertEquals("studio", config("-s --jack-server studio").jackServerName());
    }

    @Test
    void backend_builtin_uses_its_defaults() throws Exception {
        final LinkConfig c = config("-s --backend builtin");
        assertEquals(BackendKind.BUILTIN, c.backend());
        assertEquals(new LinkConfig.BuiltinSettings(48000, 128, 48000, "sine"), c.builtin());
        assertEquals(0, c.expectedBufferSize());
    }

    @Test
    void rate_sets_the_builtin_rate_and_clock() throws Exception {
        final LinkConfig c = config("-s --backend builtin --rate 44100");
        assertEquals(44100, c.builtin().sampleRate());
        assertEquals(44100.0, c.builtin().clockRate());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sine", "ramp", "silence"})
    void signal_selects_the_builtin_signal(String signal) throws Exception {
        assertEquals(signal, config("-s --backend=builtin --signal " + signal).builtin().signal());
    }

    @Test
    void z_sets_the_builtin_period_size() throws Exception {
        final LinkConfig c = config("-s --backend builtin -z 256");
        assertEquals(256, c.builtin().bufferSize());
        assertEquals(256, c.expectedBufferSize());
    }

    @Test
    void repeating_an_option_with_the_same_value_is_fine() throws Exception {
        assertEquals(8, config("-s -a 8 -n 8 --numchannels=8").sendChannels());
        assertEquals(Role.SERVER, config("-s -r --server").role());
        assertEquals("h", config("-c h -t h").peerHost());
    }

    @Test
    void a_negative_looking_value_is_taken_as_a_value() throws Exception {
        assertEquals("-q/--queue: '-1' is not allowed: use a whole number from 1 to 1000, or auto",
                Parse.problem("-s -q -1"));
    }

    @Test
    void no_arguments_print_the_help() throws Exception {
        assertInstanceOf(Command.Help.class, command(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-h", "--help", "-s -h", "-n 0 --help", "demo --help", "-v -h"})
    void help_anywhere_prints_the_help(String line) throws Exception {
        assertInstanceOf(Command.Help.class, command(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-v", "--version", "-c h -v", "demo -v"})
    void version_anywhere_prints_the_version(String line) throws Exception {
        assertInstanceOf(Command.Version.class, command(line));
    }

    @Test
    void bitres_32_warns_about_jacktrip() throws Exception {
        final String warning = run("-s --bitres 32").warnings().get(0);
        assertTrue(warning.contains("--bitres 32"), warning);
        assertTrue(warning.contains("jacktrip"), warning);
        assertTrue(warning.contains("16 or 24"), warning);
    }

    @Test
    void b_with_a_bit_resolution_value_warns_that_it_means_redundancy() throws Exception {
        final String warning = run("-s -b 16").warnings().get(0);
        assertTrue(warning.contains("redundancy"), warning);
        assertTrue(warning.contains("--bitres 16"), warning);
    }

    @Test
    void redundancy_spelled_out_does_not_warn() throws Exception {
        assertTrue(run("-s --redundancy 16").warnings().isEmpty());
    }

    @Test
    void peerport_on_a_server_warns_that_it_has_no_effect() throws Exception {
        final String warning = run("-s -P 5000").warnings().get(0);
        assertTrue(warning.startsWith("-P/--peerport has no effect on a server"), warning);
    }
}

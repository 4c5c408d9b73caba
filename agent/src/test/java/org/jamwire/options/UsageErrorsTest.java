package org.jamwire.options;

import static org.jamwire.options.Parse.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jamwire.link.LinkConfig.PeerPin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each way a command line can be wrong, and the exact message that says so. */
class UsageErrorsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            -s -a 0                  | -a/--numchannels: '0' is not allowed: use a whole number from 1 to 255
            -s -n 256                | -n/--numchannels: '256' is not allowed: use a whole number from 1 to 255
            -s --numchannels two     | -n/--numchannels: 'two' is not allowed: use a whole number from 1 to 255
            -s --sendchannels 256    | --sendchannels: '256' is not allowed: use a whole number from 0 to 255
            -s --receivechannels -1  | --receivechannels: '-1' is not allowed: use a whole number from 0 to 255
            -s --bitres 12           | --bitres: '12' is not allowed: use one of 8, 16, 24, 32
            -s -q 0                  | -q/--queue: '0' is not allowed: use a whole number from 1 to 1000, or auto
            -s --queue 1001          | -q/--queue: '1001' is not allowed: use a whole number from 1 to 1000, or auto
            -s -q 2.5                | -q/--queue: '2.5' is not allowed: use a whole number from 1 to 1000, or auto
            -s -b 0                  | -b/--redundancy: '0' is not allowed: use a whole number from 1 to 16
            -s --redundancy 17       | -b/--redundancy: '17' is not allowed: use a whole number from 1 to 16
            -s -z 0                  | -z/--buffersize: '0' is not allowed: use a whole number from 1 to 8192
            -s --buffersize=16384    | -z/--buffersize: '16384' is not allowed: use a whole number from 1 to 8192
            -s -B 0                  | -B/--bindport: '0' is not allowed: use a whole number from 1 to 65535
            -s --peerport 65536      | -P/--peerport: '65536' is not allowed: use a whole number from 1 to 65535
            -s -o -1                 | -o/--portoffset: '-1' is not allowed: use a whole number from 0 to 65534
            -s -I 0                  | -I/--iostat: '0' is not allowed: use a whole number from 1 to 3600
            -s --iostat 3601         | -I/--iostat: '3601' is not allowed: use a whole number from 1 to 3600
            -s --backend alsa        | --backend: 'alsa' is not allowed: use one of jack, builtin
            -s --backend builtin --signal noise | --signal: 'noise' is not allowed: use one of sine, ramp, silence
            -s --backend builtin --rate 7999    | --rate: '7999' is not allowed: use a whole number from 8000 to 192000
            -s --clientname=         | -J/--clientname: '' is not allowed: use 1 to 63 characters (JACK's limit)
            -s --jack-server=        | --jack-server: '' is not allowed: give a name
            -c=h                     | unknown option '-c=h': did you mean '-c h'?
            -s --peer h:0            | --peer: 'h:0' is not allowed: port 0 in 'h:0' is outside 1..65535
            -s --peer [::1           | --peer: '[::1' is not allowed: '[::1' opens '[' for an IPv6 address but does not close it
            -c h --peer h            | --peer: 'h' only applies with -s/--server (a P2P server; a client talks to its HOST alone, and a hub's clients are known by their handshake)
            -S --peer h              | --peer: 'h' only applies with -s/--server (a P2P server; a client talks to its HOST alone, and a hub's clients are known by their handshake)
            -s -q 99999999999        | -q/--queue: '99999999999' is not allowed: use a whole number from 1 to 1000, or auto
            """)
    void a_bad_value_names_the_option_the_value_and_the_range(String line, String expected) {
        assertEquals(expected, problem(line.strip()));
    }

    @Test
    void a_pinned_peer_reaches_the_servers_config() throws UsageException {
        assertEquals(new PeerPin("10.0.0.2", 4464),
                Parse.config("-s --peer 10.0.0.2:4464").pin());
        assertEquals(null, Parse.config("-s").pin());
    }

    @Test
    void a_clientname_longer_than_jack_allows_is_rejected() {
        final String name = "x".repeat(64);
        assertEquals("-J/--clientname: '" + name + "' is not allowed: use 1 to 63 characters"
                + " (JACK's limit)", problem("-s -J " + name));
    }

    @Test
    void a_queue_that_is_neither_a_length_nor_auto_names_both_choices() {
        assertEquals("-q/--queue: 'automatic' is not allowed: use a whole number from 1 to 1000, or auto",
                problem("-s -q automatic"));
        assertEquals("-q/--queue: '0' is not allowed: use a whole number from 1 to 1000, or auto",
                problem("-s -q 0"));
    }

    @Test
    void an_unknown_underrun_policy_names_the_choices() {
        assertTrue(problem("-s --underrun wavetable").contains("--underrun"), problem("-s --underrun wavetable"));
        assertTrue(problem("-s --underrun wavetable").contains("use one of predict, repeat, zeros"),
                problem("-s --underrun wavetable"));
    }

    @Test
    void no_channels_either_way_is_rejected() {
        assertEquals("--sendchannels/--receivechannels: both are 0: at least one direction needs"
                + " from 1 to 255 channels", problem("-s --sendchannels 0 --receivechannels 0"));
    }

    @Test
    void a_port_pushed_past_65535_by_the_offset_is_rejected() {
        assertEquals("-o/--portoffset: '10' is not allowed: it makes the peer port 65530 + 10 ="
                + " 65540, and ports go from 1 to 65535", problem("-c h -P 65530 -o 10"));
    }

    @Test
    void a_missing_mode_says_how_to_give_one() {
        assertEquals("say which end this is: -s/--server (-r in the old manual) waits for a"
                + " client, -c/--client HOST (-t HOST in the old manual) connects to one, -S runs a"
                + " hub server, -C HOST connects to a hub", problem("-n 2"));
    }

    @Test
    void server_and_client_together_conflict() {
        assertTrue(problem("-s -c h").startsWith("-c h conflicts with -s given earlier: a link is"
                + " either a server"));
    }

    @Test
    void two_different_hosts_conflict() {
        assertTrue(problem("-c a -t b").startsWith("-t b conflicts with -c a given earlier"));
    }

    @Test
    void different_channel_counts_conflict() {
        assertEquals("-a 3 conflicts with -n 2 given earlier: give the channel count once",
                problem("-s -n 2 -a 3"));
    }

    @Test
    void j_conflicts_with_the_builtin_backend() {
        assertEquals("-j conflicts with --backend builtin given earlier: give the audio backend"
                + " once", problem("-s --backend builtin -j"));
    }

    @Test
    void rate_needs_the_builtin_backend() {
        assertEquals("--rate: '44100' only applies with --backend builtin (JACK runs at its"
                + " server's rate)", problem("-s --rate 44100"));
    }

    @Test
    void signal_needs_the_builtin_backend() {
        assertEquals("--signal: 'ramp' only applies with --backend builtin",
                problem("-s --signal ramp"));
    }

    @Test
    void jack_server_needs_the_jack_backend() {
        assertEquals("--jack-server: 'x' only applies with --backend jack",
                problem("-s --backend builtin --jack-server x"));
    }

    @Test
    void a_flag_given_a_value_is_rejected() {
        assertEquals("--timeout: takes no value, but '5' was given", problem("-s --timeout=5"));
    }

    @Test
    void a_missing_value_names_the_option_and_the_range() {
        assertEquals("-q/--queue: needs a value N, 1 to 1000 (whole numbers) or auto",
                problem("-s -q"));
    }

    @Test
    void an_option_where_a_value_belongs_counts_as_a_missing_value() {
        assertEquals("-c/--client: needs a value HOST, a host name or IP address",
                problem("-c --bitres 16"));
    }

    @Test
    void a_host_starting_with_a_dash_is_rejected() {
        assertEquals("-c/--client: '-5' is not allowed: give a host name or IP address",
                problem("-c -5"));
    }

    @Test
    void seed_r_followed_by_a_number_explains_both_meanings() {
        assertEquals("unexpected argument '2' after -r, which takes no value: in the old manual"
                + " -r means wait for a client, as -s; jacktrip's -r (redundancy) is"
                + " --redundancy N here", problem("-s -r 2"));
    }

    @Test
    void seed_r_after_a_client_explains_both_meanings() {
        assertEquals("-r conflicts with -c h given earlier: a link is either a server (-s, or -r"
                + " in the old manual) or a client (-c HOST, or -t HOST in the old manual) of one"
                + " host, or one end of a hub (-S, or -C HOST); in the old manual -r means wait for a client,"
                + " as -s; jacktrip's -r"
                + " (redundancy) is --redundancy N here", problem("-c h -r 2"));
    }

    @Test
    void seed_b_with_a_jacktrip_bit_resolution_explains_both_meanings() {
        assertEquals("-b/--redundancy: '24' is not allowed: use a whole number from 1 to 16; in"
                + " the old manual -b N means redundancy N, as --redundancy N; jacktrip's -b (bit"
                + " resolution) is --bitres N here", problem("-s -b 24"));
    }

    @Test
    void seed_t_without_a_host_explains_both_meanings() {
        assertEquals("-t/--client: needs a value HOST, a host name or IP address: in the old"
                + " manual -t HOST means connect to HOST, as -c HOST; jacktrip's -t (quit after"
                + " 10 seconds without data) is --timeout here", problem("-s -t"));
    }

    @Test
    void seed_z_without_a_size_explains_both_meanings() {
        assertEquals("-z/--buffersize: needs a value FRAMES, 1 to 8192: in the old manual -z N"
                + " means buffer size N frames, as --buffersize N; jacktrip's -z (zeros on"
                + " underrun) is not supported", problem("-s -z -n 2"));
    }

    @Test
    void a_stray_value_after_an_option_with_a_value_is_rejected() {
        assertEquals("unexpected argument '3' after -n 2", problem("-s -n 2 3"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            -s --numchanels 2  | unknown option '--numchanels': did you mean '--numchannels'?
            -s --bufsize 64    | unknown option '--bufsize': did you mean '--buffersize'?
            -s -numchannels 2  | unknown option '-numchannels': did you mean '--numchannels'?
            -s -n2             | unknown option '-n2': did you mean '-n 2'?
            -s -q=2            | unknown option '-q=2': did you mean '-q 2'?
            -d -s              | unknown option '-d': did you mean '-D'?
            -s --frobnicate    | unknown option '--frobnicate'
            -s -y              | unknown option '-y'
            """)
    void an_unknown_option_names_itself_and_the_closest_known_one(String line, String expected) {
        assertEquals(expected, problem(line.strip()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            -C h -A --password x | --password: jacktrip's password on the command line is not supported; other users can read a command line: with -A, give --password-file FILE, or set JAMWIRE_HUB_PASSWORD, or type it when asked
            -s --zerounderrun | --zerounderrun: jacktrip's zeros on underrun is not supported
            -s --bufstrategy 1 | --bufstrategy: jacktrip's jitter buffer strategies is not supported
            """)
    void a_jacktrip_option_jamwire_lacks_says_so(String line, String expected) {
        assertEquals(expected, problem(line.strip()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            -s -A                                   | -A/--auth only applies with -S or -C HOST (a hub)
            -S -A --certfile c --keyfile k          | -A/--auth: a hub server that requires authentication needs --certfile, --keyfile and --credsfile
            -S --credsfile u                        | --credsfile: 'u' only applies with -S -A (a hub server requiring authentication)
            -C h -A --certfile c                    | --certfile: 'c' only applies with -S -A (a hub server requiring authentication)
            -C h --username alice                   | --username: 'alice' only applies with -C HOST -A (a hub client authenticating)
            -S -A --username alice                  | --username: 'alice' only applies with -C HOST -A (a hub client authenticating)
            -C h -A --hub-cert c --insecure-skip-cert-check | --hub-cert and --insecure-skip-cert-check: give one; --hub-cert checks the hub's certificate, the other does not
            """)
    void authentication_options_belong_to_one_end_of_a_hub(String line, String expected) {
        assertEquals(expected, problem(line.strip()));
    }

    @Test
    void a_demo_option_on_a_link_says_where_it_belongs() {
        assertEquals("--seconds only applies to 'jamwire demo' and 'jamwire netsim'",
                problem("-s --seconds 3"));
    }

    @Test
    void a_link_option_in_the_demo_says_where_it_belongs() {
        assertEquals("-c/--client only applies to a link (jamwire -s or jamwire -c HOST), not to"
                + " 'jamwire demo'", problem("demo -c h"));
    }

    @Test
    void an_unknown_command_is_named() {
        assertEquals("unknown command 'hub' (the commands are: demo, netsim, agent, linktest, lab; without a command,"
                + " jamwire runs a link: -s waits for a client, -c HOST connects to HOST)",
                problem("hub --port 1"));
    }

    @Test
    void an_empty_word_where_a_command_goes_is_an_unknown_command() {
        final String problem = assertThrows(UsageException.class, () -> CommandLine.parse(new String[] {""}))
                .problem();
        assertTrue(problem.startsWith("unknown command '' (the commands are: "), problem);
    }

    @Test
    void a_misspelt_command_gets_a_suggestion() {
        assertTrue(problem("dmeo").startsWith("unknown command 'dmeo': did you mean 'demo'?"));
    }

    @Test
    void every_problem_is_followed_by_the_pointer_to_the_help() {
        final UsageException e = new UsageException("-q/--queue: '0' is not allowed");
        assertEquals("-q/--queue: '0' is not allowed\nrun 'jamwire --help' for all options",
                e.getMessage());
    }
}

package org.jamwire.options;

import static org.jamwire.options.Parse.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.jamwire.netsim.Impairment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code jamwire netsim} and its options. */
class NetsimOptionsTest {

    private static Command.Netsim netsim(String line) throws UsageException {
        return assertInstanceOf(Command.Netsim.class, Parse.command(line));
    }

    @Test
    void netsim_with_only_the_server_relays_untouched_on_4465_until_stopped() throws Exception {
        assertEquals(new Command.Netsim(4465, "127.0.0.1", 4464, Impairment.none(),
                Impairment.none(), 0, List.of()), netsim("netsim --to 127.0.0.1:4464"));
    }

    @Test
    void jitter_steps_are_times_with_a_jitter_each() throws Exception {
        assertEquals(List.of(new Command.JitterStep(30, 10), new Command.JitterStep(60.5, 1)),
                netsim("netsim --to 127.0.0.1:4464 --jitter 1 --jitter-steps 30:10,60.5:1").jitterSteps());
    }

    @Test
    void jitter_steps_out_of_order_or_malformed_are_refused_by_name() {
        for (String bad : new String[] {"30:10,20:1", "30", "a:1", "30:-1"}) {
            final UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                    () -> netsim("netsim --to 127.0.0.1:4464 --jitter-steps " + bad));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("--jitter-steps"), e.getMessage());
        }
    }

    @Test
    void every_netsim_option_is_taken() throws Exception {
        final Impairment expected = Impairment.none().withLoss(0.02).withBurst(0.005, 4)
                .withDuplicate(0.01).withReorder(0.015).withDelay(20_000, 5_500)
                .withRate(1_000_000).withSeed(7);
        assertEquals(new Command.Netsim(6000, "relay.example", 5000, expected, expected, 30, List.of()),
                netsim("netsim --to relay.example:5000 --listen 6000 --loss 2 --burst 0.5"
                        + " --burst-length 4 --duplicate 1 --reorder 1.5 --delay 20 --jitter 5.5"
                        + " --rate 1000 --seed 7 --seconds 30"));
    }

    @Test
    void direction_to_server_leaves_the_answers_untouched() throws Exception {
        final Command.Netsim n = netsim("netsim --to h:1 --loss 5 --direction to-server --seed 3");
        assertEquals(0.05, n.toServer().loss());
        assertEquals(Impairment.none().withSeed(3), n.toClient());
    }

    @Test
    void direction_to_client_leaves_the_client_untouched() throws Exception {
        final Command.Netsim n = netsim("netsim --to h:1 --delay 10 --direction=to-client");
        assertEquals(Impairment.none(), n.toServer());
        assertEquals(10_000, n.toClient().delayMicros());
    }

    @Test
    void listen_zero_picks_a_free_port() throws Exception {
        assertEquals(0, netsim("netsim --to h:1 --listen 0").listenPort());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            netsim                            | --to: say where the server is, e.g. --to 192.0.2.10:4464; the relay forwards what clients send it there
            netsim --to 127.0.0.1             | --to: '127.0.0.1' is not allowed: give the server as HOST:PORT, e.g. 192.0.2.10:4464
            netsim --to ::1:4464              | --to: '::1:4464' is not allowed: give the server as HOST:PORT, e.g. 192.0.2.10:4464
            netsim --to h:0                   | --to: 'h:0' is not allowed: the port after ':' must be a whole number from 1 to 65535
            netsim --to h:port                | --to: 'h:port' is not allowed: the port after ':' must be a whole number from 1 to 65535
            netsim --to h:1 --loss 101        | --loss: '101' is not allowed: use a percentage from 0 to 100 (decimals allowed)
            netsim --to h:1 --loss -1         | --loss: '-1' is not allowed: use a percentage from 0 to 100 (decimals allowed)
            netsim --to h:1 --duplicate 2%    | --duplicate: '2%' is not allowed: use a percentage from 0 to 100 (decimals allowed)
            netsim --to h:1 --reorder 100.5   | --reorder: '100.5' is not allowed: use a percentage from 0 to 100 (decimals allowed)
            netsim --to h:1 --burst 1e-3      | --burst: '1e-3' is not allowed: use a percentage from 0 to 100 (decimals allowed)
            netsim --to h:1 --burst 1 --burst-length 0.5 | --burst-length: '0.5' is not allowed: use a number from 1 to 1000 (decimals allowed)
            netsim --to h:1 --burst-length 4  | --burst-length: '4' only applies with --burst
            netsim --to h:1 --delay 60001     | --delay: '60001' is not allowed: use a number of milliseconds from 0 to 60000 (decimals allowed)
            netsim --to h:1 --jitter ten      | --jitter: 'ten' is not allowed: use a number of milliseconds from 0 to 60000 (decimals allowed)
            netsim --to h:1 --rate 0          | --rate: '0' is not allowed: use a whole number from 1 to 100000000
            netsim --to h:1 --direction up    | --direction: 'up' is not allowed: use one of both, to-server, to-client
            netsim --to h:1 --seed -1         | --seed: '-1' is not allowed: use a whole number from 0 to 2147483647
            netsim --to h:1 --listen 65536    | --listen: '65536' is not allowed: use a whole number from 0 to 65535
            netsim --to h:1 --seconds 86401   | --seconds: '86401' is not allowed: use a whole number from 0 to 86400
            netsim --to h:1 --loss 2 --loss 3 | --loss 3 conflicts with --loss 2 given earlier: give the loss once
            netsim --to h:1 --lost 2          | unknown option '--lost': did you mean '--loss'?
            netsim --to h:1 now               | unexpected argument 'now' after --to h:1
            """)
    void a_bad_netsim_option_is_rejected_naming_it_and_what_is_allowed(String line, String expected) {
        assertEquals(expected, problem(line.strip()));
    }

    @Test
    void a_link_option_in_netsim_says_where_it_belongs() {
        assertEquals("-n/--numchannels only applies to a link (jamwire -s or jamwire -c HOST) and"
                + " 'jamwire demo', not to 'jamwire netsim'", problem("netsim --to h:1 -n 2"));
    }

    @Test
    void a_netsim_option_on_a_link_says_where_it_belongs() {
        assertEquals("--loss only applies to 'jamwire netsim'", problem("-s --loss 2"));
    }

    @Test
    void jacktrips_simulation_options_point_to_netsim() {
        assertEquals("--simloss: jacktrip's network simulation is not supported; run 'jamwire"
                + " netsim' between the two ends instead", problem("-s --simloss 0.1"));
    }
}

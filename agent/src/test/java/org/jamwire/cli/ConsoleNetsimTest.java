package org.jamwire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jamwire.netsim.Impairment;
import org.jamwire.options.Command;
import org.jamwire.options.ExitCode;
import org.junit.jupiter.api.Test;

/** {@code jamwire netsim} as the console runs it: what it prints and what it returns. */
class ConsoleNetsimTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final ConsoleNetsim console = new ConsoleNetsim(
            new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8));

    @Test
    void a_timed_run_prints_the_setup_a_line_per_direction_each_second_and_the_summary() {
        final Impairment loss = Impairment.none().withLoss(0.02);
        assertEquals(ExitCode.OK, console.run(new Command.Netsim(0, "127.0.0.1", 9, loss,
                Impairment.none(), 1, List.of())));
        final String out = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("netsim: relaying UDP port "), out);
        assertTrue(out.contains("netsim: to-server: loss 2%, seed 1\n"), out);
        assertTrue(out.contains("netsim: to-client: none, seed 1\n"), out);
        assertTrue(out.matches("(?s).*\\n +1\\.0s to-server +0 arrived.*\\n +1\\.0s to-client +0 arrived.*"), out);
        assertTrue(out.contains("to-server: 0 arrived, 0 forwarded"), out);
        assertTrue(out.contains("to-client: 0 arrived, 0 forwarded"), out);
        assertEquals("", errBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void a_taken_port_fails_with_a_message_naming_it() throws Exception {
        try (DatagramChannel taken = DatagramChannel.open(StandardProtocolFamily.INET)) {
            taken.bind(new InetSocketAddress(0));
            final int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            assertEquals(ExitCode.FAILED, console.run(new Command.Netsim(port, "127.0.0.1", 9,
                    Impairment.none(), Impairment.none(), 1, List.of())));
            assertEquals("jamwire: UDP port " + port + " is already in use: pick another with"
                    + " --listen\n", errBytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
        }
    }
}

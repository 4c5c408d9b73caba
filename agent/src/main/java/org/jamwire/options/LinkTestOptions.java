package org.jamwire.options;

import static org.jamwire.options.OptionTable.flag;
import static org.jamwire.options.OptionTable.valued;

import java.util.List;
import org.jamwire.options.OptionSpec.Section;
import org.jamwire.options.OptionValues.HostPort;

/**
 * The options of {@code jamwire linktest}, the old manual's iperf step: one machine echoes, the
 * other sends datagrams of a link's size at its rate and measures loss, round trip and jitter.
 * Called on the control thread.
 */
final class LinkTestOptions {

    static final int DEFAULT_PORT = 4464;
    static final int DEFAULT_SECONDS = 5;

    static final OptionSpec ECHO = flag(Section.LINKTEST, "--echo", "off: this end measures",
            "Echo the test's datagrams back to their sender, on --port, for --seconds (plus 5 s to let"
                    + " the other end start); run it on the far machine first.",
            (v, g) -> v.echo.set(g, true));

    static final OptionSpec TO = valued(Section.LINKTEST, "--to", "HOST:PORT", "none; give --to or --echo",
            "a host name or IPv4 address, ':' and a port from 1 to 65535",
            "The far machine's echo to measure against.",
            (v, g) -> v.testTo.set(g, g.hostPort()));

    static final OptionSpec PORT = valued(Section.LINKTEST, "--port", "PORT", String.valueOf(DEFAULT_PORT),
            "1 to 65535", "UDP port the echo listens on. Only with --echo.",
            (v, g) -> v.testPort.set(g, g.whole(1, 65535)));

    static final OptionSpec SECONDS = valued(Section.LINKTEST, "--seconds", "N", String.valueOf(DEFAULT_SECONDS),
            "1 to 600", "How long to send, or to echo.",
            (v, g) -> v.seconds.set(g, g.whole(1, 600)));

    static final OptionTable TABLE = new OptionTable(List.of(ECHO, TO, PORT, SECONDS, LinkOptions.CHANNELS,
            LinkOptions.BITRES, DemoOptions.BUFFER_SIZE, DemoOptions.RATE, LinkOptions.HELP, LinkOptions.VERSION));

    private LinkTestOptions() {
    }

    static Command.LinkTest toLinkTest(OptionValues v) throws UsageException {
        final boolean echo = v.echo.orElse(false);
        final HostPort to = v.testTo.orElse(null);
        if (echo == (to != null)) {
            throw new UsageException(echo ? "--echo and --to: give one: --echo on the far machine, --to HOST:PORT here"
                    : "say what this end does: --echo on the far machine, then --to HOST:PORT here");
        }
        if (!echo && v.testPort.isSet()) {
            throw new UsageException("--port: only applies with --echo; give the far port in --to HOST:PORT");
        }
        return new Command.LinkTest(echo, to == null ? null : to.host(), to == null ? v.testPort.orElse(DEFAULT_PORT)
                : to.port(), v.seconds.orElse(DEFAULT_SECONDS), v.channels.orElse(LinkDefaults.DEFAULT_CHANNELS),
                v.bitResolution.orElse(LinkDefaults.DEFAULT_BITS),
                v.bufferSize.orElse(LinkDefaults.DEFAULT_BUILTIN_BUFFER),
                v.sampleRate.orElse(LinkDefaults.DEFAULT_RATE));
    }
}

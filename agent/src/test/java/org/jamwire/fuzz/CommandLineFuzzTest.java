package org.jamwire.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.jamwire.options.Command;
import org.jamwire.options.CommandLine;
import org.jamwire.options.UsageException;

/**
 * The command line parser against any arguments, each drawn from the options it knows, their
 * values and anything else: it returns a command or refuses with a {@link UsageException} whose
 * message has no control character; it never throws anything else.
 */
class CommandLineFuzzTest {

    private static final String[] WORDS = {"-s", "-r", "-c", "-t", "-S", "-C", "-n", "-a", "-q", "-b", "-z", "-B",
        "-P", "-o", "-K", "-J", "-D", "-I", "-p", "-U", "-A", "-u", "-i", "-j", "--peer", "--queue", "auto",
        "--max-queue-ms", "--bitres", "--backend", "builtin", "jack", "--rate", "--signal", "--underrun",
        "--sendchannels", "--receivechannels", "--no-drift-correction", "--timeout", "--jack-server", "--certfile",
        "--keyfile", "--credsfile", "--username", "--password-file", "--hub-cert", "--insecure-skip-cert-check",
        "demo", "netsim", "agent", "linktest", "--help", "-h", "--version", "--seconds", "--port", "--loss",
        "--delay", "--jitter", "0", "1", "2", "8", "64", "255", "256", "65535", "65536", "-1", "127.0.0.1",
        "::1", "[::1]:4464", "host:0", "", " ", "=", "--", "-", "a\u001bb"};

    @FuzzTest(maxDuration = "10s")
    void arguments(FuzzedDataProvider data) {
        final List<String> args = new ArrayList<>();
        final int n = data.consumeInt(0, 12);
        for (int i = 0; i < n; i++) {
            args.add(data.consumeBoolean() ? data.pickValue(WORDS) : data.consumeString(30));
        }
        try {
            final Command c = CommandLine.parse(args.toArray(new String[0]));
            assertNotNull(c);
        } catch (UsageException e) {
            assertFalse(e.problem().chars().anyMatch(ch -> Character.isISOControl(ch)
                    || Character.getType(ch) == Character.FORMAT), e.problem());
        }
    }
}

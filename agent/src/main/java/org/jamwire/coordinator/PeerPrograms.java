package org.jamwire.coordinator;

import static org.jamwire.coordinator.RemoteCommand.exactly;
import static org.jamwire.coordinator.RemoteCommand.matching;
import static org.jamwire.coordinator.RemoteCommand.oneOf;

import org.jamwire.coordinator.RemoteCommand.Program;

/**
 * Every program the coordinator runs on a peer, each with the only arguments it may be given. This
 * is the whole allow-list: a command not built from these cannot be sent. Immutable.
 */
final class PeerPrograms {

    /** A JACK server name as jackd -n takes it. */
    static final String SERVER_NAME = "[A-Za-z0-9_.-]{1,63}";

    /** {@code uname -srm}: the kernel and machine. */
    static final Program UNAME = Program.fixed("uname", exactly("-srm"));

    /**
     * {@code env JACK_NO_START_SERVER=1 JACK_DEFAULT_SERVER=NAME TOOL}: a JACK command-line tool
     * on a named server, which must not start a server of its own when none runs.
     */
    static final Program JACK_TOOL = Program.fixed("env", exactly("JACK_NO_START_SERVER=1"),
            matching("JACK_DEFAULT_SERVER=" + SERVER_NAME, "JACK_DEFAULT_SERVER=NAME"),
            oneOf("jack_samplerate", "jack_bufsize"));

    /** {@code ps -o args= -C jackd}: the running jackd's command line, for its periods. */
    static final Program JACKD_ARGS = Program.fixed("ps", exactly("-o"), exactly("args="), exactly("-C"),
            exactly("jackd"));

    /** {@code jamwire --version}. */
    static final Program JAMWIRE_VERSION = Program.fixed("jamwire", exactly("--version"));

    /** Where {@code jamwire} is on the login shell's PATH, as the shell's own lookup finds it. */
    static final String WHERE_JAMWIRE = "command -v jamwire";

    /** {@code sh -c 'command -v jamwire'}: prints its path, or fails when it is not on the PATH. */
    static final Program JAMWIRE_PATH = Program.fixed("sh", exactly("-c"), exactly(WHERE_JAMWIRE));

    /**
     * Prints the JACK service's settings file in the login user's home (at most 4 KiB); exit 3 when
     * there is none, which is how a hand-started jackd is told from the provisioned service.
     */
    static final String READ_JACK_SETTINGS = "f=\"$HOME/jackd.env\"; [ -e \"$f\" ] || exit 3;"
            + " exec head -c 4096 \"$f\"";

    /** {@code sh -c READ_JACK_SETTINGS}. */
    static final Program JACK_SETTINGS = Program.fixed("sh", exactly("-c"), exactly(READ_JACK_SETTINGS));

    /**
     * Replaces the JAMWIRE_JACK_RATE and JAMWIRE_JACK_PERIOD lines of the JACK service's settings
     * file with {@code $1} and {@code $2}, through a copy that keeps its mode and is then renamed over
     * it, so the service manager never reads half a file. The script is fixed; the numbers reach it
     * only as separate arguments, each checked to be digits.
     */
    static final String WRITE_JACK_SETTINGS = "f=\"$HOME/jackd.env\"; t=\"$f.jamwire-$$\"; cp -p \"$f\" \"$t\""
            + " && sed -e \"s/^JAMWIRE_JACK_RATE=.*/JAMWIRE_JACK_RATE=$1/\""
            + " -e \"s/^JAMWIRE_JACK_PERIOD=.*/JAMWIRE_JACK_PERIOD=$2/\" \"$f\" >\"$t\""
            + " && mv -f \"$t\" \"$f\" || { rm -f \"$t\"; exit 1; }";

    /** {@code sh -c WRITE_JACK_SETTINGS sh RATE PERIOD}. */
    static final Program JACK_SETTINGS_WRITE = Program.fixed("sh", exactly("-c"), exactly(WRITE_JACK_SETTINGS),
            exactly("sh"), matching("[0-9]{4,6}", "a rate in Hz"), matching("[0-9]{1,5}", "a period in frames"));

    /** {@code jacktrip -v}. */
    static final Program JACKTRIP_VERSION = Program.fixed("jacktrip", exactly("-v"));

    /** {@code ss -Hunl}: UDP sockets bound now, for the free link ports. */
    static final Program UDP_SOCKETS = Program.fixed("ss", exactly("-Hunl"));

    /** {@code cat FILE}: the agent's token file, relative to the home directory. */
    static final Program READ_TOKEN = Program.fixed("cat",
            matching("[A-Za-z0-9_./-]{1,200}", "a path of letters, digits and _ . / -"));

    /** {@code jamwire linktest --echo --port PORT --seconds N}: the far end of a link test. */
    static final Program LINKTEST_ECHO = Program.fixed("jamwire", exactly("linktest"), exactly("--echo"),
            exactly("--port"), matching("[0-9]{1,5}", "a port"), exactly("--seconds"),
            matching("[0-9]{1,3}", "seconds"));

    /**
     * {@code jamwire agent --port PORT --token-file FILE --jack-server NAME}: an agent on a peer
     * that has none, bound to the peer's own loopback (its default).
     */
    static final Program AGENT = Program.fixed("jamwire", exactly("agent"), exactly("--port"),
            matching("[0-9]{1,5}", "a port"), exactly("--token-file"), matching(Peer.TOKEN_PATH, "a token file's path"),
            exactly("--jack-server"), matching(SERVER_NAME, "a JACK server name"));

    /**
     * {@code env JACK_NO_START_SERVER=1 JACK_DEFAULT_SERVER=NAME jack_connect|jack_disconnect
     * JackTrip:receive_N JackTrip:send_N}: loops a link server's receive port to its send port for a
     * latency test, and undoes it.
     */
    static final Program JACK_LOOP = Program.fixed("env", exactly("JACK_NO_START_SERVER=1"),
            matching("JACK_DEFAULT_SERVER=" + SERVER_NAME, "JACK_DEFAULT_SERVER=NAME"),
            oneOf("jack_connect", "jack_disconnect"), matching("JackTrip:receive_[0-9]{1,3}", "JackTrip:receive_N"),
            matching("JackTrip:send_[0-9]{1,3}", "JackTrip:send_N"));

    /** An IPv4 or IPv6 address literal, as ssh and ip print them. */
    static final String IP_LITERAL = "[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:]{2,39}";

    /**
     * {@code printenv SSH_CONNECTION}: the address this machine's ssh connection comes from, as the
     * peer sees it, which is where this machine's datagrams to it come from too.
     */
    static final Program SSH_CONNECTION = Program.fixed("printenv", exactly("SSH_CONNECTION"));

    /** {@code ip -o route get ADDRESS}: the source address the peer sends to ADDRESS from. */
    static final Program ROUTE_GET = Program.fixed("ip", exactly("-o"), exactly("route"), exactly("get"),
            matching(IP_LITERAL, "an IP address"));

    private PeerPrograms() {
    }
}

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

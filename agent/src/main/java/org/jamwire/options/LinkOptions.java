package org.jamwire.options;

import static org.jamwire.options.OptionTable.flag;
import static org.jamwire.options.OptionTable.valued;

import java.util.List;
import org.jamwire.options.OptionSpec.Section;
import org.jamwire.options.OptionValues.Mode;
import org.jamwire.engine.ReceiveQueue;
import org.jamwire.engine.UnderrunPolicy;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkConfig.BackendKind;
import org.jamwire.link.Role;

/**
 * The options of a P2P link ({@code jamwire -s ...} or {@code jamwire -c HOST ...}) and their
 * defaults; {@link LinkCommand} turns what they were given into a {@link LinkConfig}. Used on the
 * control thread.
 */
final class LinkOptions {

    static final int DEFAULT_CHANNELS = 2;
    static final int DEFAULT_BITS = 16;
    static final int DEFAULT_QUEUE = 4;
    static final int DEFAULT_REDUNDANCY = 1;
    static final int DEFAULT_BUILTIN_BUFFER = 128;
    static final int DEFAULT_RATE = 48000;
    static final String DEFAULT_SIGNAL = "sine";
    static final int TIMEOUT_SECONDS = 10;
    static final int MAX_CHANNELS = 255;
    /** The environment variable a hub client's password may come from. */
    static final String PASSWORD_VARIABLE = HubLoginOptions.PASSWORD_VARIABLE;
    static final int MAX_BUFFER = 8192;
    static final String[] BIT_RESOLUTIONS = {"8", "16", "24", "32"};
    static final String[] SIGNALS = {"sine", "ramp", "silence"};

    static final OptionSpec SERVER = flag(Section.MODE, "-s -r --server", "none; give -s or -c",
            "Wait for a client (P2P server): bind the port and answer whoever sends the first"
                    + " datagram. -r is the old manual's name for it.",
            (v, g) -> v.mode.set(g, new Mode(Role.SERVER, null, false)));

    static final OptionSpec CLIENT = valued(Section.MODE, "-c -t --client", "HOST",
            "none; give -s or -c", "a host name or IP address",
            "Connect to HOST (P2P client) and start sending at once. -t HOST is the old manual's"
                    + " name for it.",
            (v, g) -> v.mode.set(g, new Mode(Role.CLIENT, host(g), false)));

    static final OptionSpec HUB_SERVER = flag(Section.MODE, "-S --jacktripserver", "none",
            "Run a hub server, as jacktrip -S: clients (jacktrip -C or jamwire -C) ask on TCP port"
                    + " 4464 (-B, -o) for a UDP port of their own, from 61002 (-U) up; each gets its"
                    + " own JACK client, named by its -K or its address, patched as -p says.",
            (v, g) -> v.mode.set(g, new Mode(Role.SERVER, null, true)));

    static final OptionSpec HUB_CLIENT = valued(Section.MODE, "-C --pingtoserver", "HOST",
            "none", "a host name or IP address",
            "Connect to the hub server on HOST (jacktrip -S or jamwire -S): ask on its TCP port"
                    + " 4464 (-P, -o) for a UDP port, then stream to that port from UDP port 4464"
                    + " (-B, -o).",
            (v, g) -> v.mode.set(g, new Mode(Role.CLIENT, host(g), true)));

    static final OptionSpec CHANNELS = valued(Section.AUDIO, "-n -a --numchannels", "N",
            String.valueOf(DEFAULT_CHANNELS), "1 to " + MAX_CHANNELS,
            "Channels each way (ports send_1..N and receive_1..N). -a is the old manual's name"
                    + " for it.",
            (v, g) -> v.channels.set(g, g.whole(1, MAX_CHANNELS)));

    static final OptionSpec SEND_CHANNELS = valued(Section.AUDIO, "--sendchannels", "N",
            "as -n", "0 to " + MAX_CHANNELS + ", not 0 both ways",
            "Channels sent to the network; wins over -n for this direction.",
            (v, g) -> v.sendChannels.set(g, g.whole(0, MAX_CHANNELS)));

    static final OptionSpec RECEIVE_CHANNELS = valued(Section.AUDIO, "--receivechannels", "N",
            "as -n", "0 to " + MAX_CHANNELS + ", not 0 both ways",
            "Channels received from the network; wins over -n for this direction.",
            (v, g) -> v.receiveChannels.set(g, g.whole(0, MAX_CHANNELS)));

    static final OptionSpec BITRES = valued(Section.AUDIO, "--bitres", "BITS",
            String.valueOf(DEFAULT_BITS), "8, 16, 24 or 32",
            "Bits per sample on the wire. Use 16 or 24 with a jacktrip peer, whose 32-bit"
                    + " samples are noise.",
            (v, g) -> v.bitResolution.set(g, Integer.parseInt(g.choice(BIT_RESOLUTIONS))));

    static final OptionSpec QUEUE = valued(Section.AUDIO, "-q --queue", "N",
            String.valueOf(DEFAULT_QUEUE), "1 to 1000 (whole numbers) or auto",
            "Receive queue length in packets: longer rides out more jitter, at the cost of"
                    + " latency. auto starts at " + ReceiveQueue.AUTO_START_PERIODS + " periods and then"
                    + " plays just far enough behind to cover the packets' delay spread over the last "
                    + plain(ReceiveQueue.AUTO_WINDOW_SECONDS) + " s (all but the latest "
                    + plain(ReceiveQueue.AUTO_LATE_SHARE_PERCENT) + " %): it grows at once when a packet"
                    + " arrives after its place, and shrinks at the next gap, or after "
                    + plain(ReceiveQueue.FORCE_SHRINK_SECONDS) + " s without one, once even the latest "
                    + plain(ReceiveQueue.AUTO_KEEP_SHARE_PERCENT) + " % would arrive half a period early."
                    + " Loss alone does not move it, except that with redundancy it covers the copy"
                    + " a lost packet is revived from; --max-queue-ms caps it.",
            (v, g) -> {
                if (g.raw().equals("auto")) {
                    v.queue.set(g, ReceiveQueue.AUTO);
                } else if (g.raw().matches("[0-9]{1,9}") && Integer.parseInt(g.raw()) >= 1
                        && Integer.parseInt(g.raw()) <= 1000) {
                    v.queue.set(g, Integer.parseInt(g.raw()));
                } else {
                    throw g.notAllowed("use a whole number from 1 to 1000, or auto");
                }
            });

    static final OptionSpec MAX_QUEUE = valued(Section.AUDIO, "--max-queue-ms", "MS", "100",
            "1 to 1000",
            "The most delay -q auto may add, in milliseconds: past it, late packets are concealed"
                    + " rather than waited for. For players who prefer a glitch to more delay.",
            (v, g) -> v.maxQueueMillis.set(g, g.whole(1, 1000)));

    static final OptionSpec REDUNDANCY = valued(Section.AUDIO, "-b --redundancy", "N",
            String.valueOf(DEFAULT_REDUNDANCY), "1 to 16",
            "Packets per datagram, newest first, so a lost datagram can be revived from the next"
                    + " one; 1 sends each packet once. -b is the old manual's name; jacktrip's is"
                    + " -r.",
            (v, g) -> {
                if ("-b".equals(g.typed()) && ("24".equals(g.raw()) || "32".equals(g.raw()))) {
                    throw g.notAllowed("use a whole number from 1 to 16; "
                            + SeedFlag.named("-b").hint());
                }
                v.redundancy.set(g, g.whole(1, 16));
            });

    static final OptionSpec UNDERRUN = valued(Section.AUDIO, "--underrun", "POLICY", "predict",
            "predict, repeat or zeros",
            "What to play for audio that did not arrive (a lost packet, an underrun): predict"
                    + " continues it by linear prediction, repeat loops the last period (the old"
                    + " manual's wavetable), zeros plays silence. Each fades back into real audio, and"
                    + " to silence when an outage lasts over 20 ms.",
            (v, g) -> v.underrun.set(g, UnderrunPolicy.valueOf(
                    g.choice("predict", "repeat", "zeros").toUpperCase(java.util.Locale.ROOT))));

    static final OptionSpec NO_DRIFT_CORRECTION = flag(Section.AUDIO, "--no-drift-correction",
            "off: the queue follows the peer's clock",
            "Do not resample the received audio to follow the peer's audio clock when it runs at"
                    + " another rate than this end's (drift is measured from both ends' clocks, so"
                    + " two ends on one clock are never corrected); drift then shows as skipped or"
                    + " concealed periods, as with jacktrip.",
            (v, g) -> v.noDriftCorrection.set(g, true));

    static final OptionSpec BUFFER_SIZE = valued(Section.AUDIO, "-z --buffersize", "FRAMES",
            "JACK's own size (builtin: " + DEFAULT_BUILTIN_BUFFER + ")", "1 to " + MAX_BUFFER,
            "Frames per period. With JACK, the size JACK must run at: the link checks it when it"
                    + " starts. JACK allows sizes that are not powers of two, so any whole number"
                    + " up to " + MAX_BUFFER + " is accepted. With --backend builtin, the period"
                    + " size.",
            (v, g) -> v.bufferSize.set(g, g.whole(1, MAX_BUFFER)));

    static final OptionSpec BIND_PORT = valued(Section.NETWORK, "-B --bindport", "PORT",
            String.valueOf(LinkConfig.DEFAULT_PORT), "1 to 65535, after -o",
            "Local UDP port; datagrams are sent from it too.",
            (v, g) -> v.bindPort.set(g, g.whole(1, 65535)));

    static final OptionSpec PEER_PORT = valued(Section.NETWORK, "-P --peerport", "PORT",
            String.valueOf(LinkConfig.DEFAULT_PORT), "1 to 65535, after -o",
            "The peer's UDP port, which a client sends to. A server ignores it and answers the"
                    + " port the client sends from.",
            (v, g) -> v.peerPort.set(g, g.whole(1, 65535)));

    static final OptionSpec PEER = valued(Section.NETWORK, "--peer", "HOST[:PORT]",
            "none: the first client in this end's format", "a host name or IP address, and a port of 1 to 65535",
            "Server: the only address (and port, if given) that may become the peer. Datagrams"
                    + " from anywhere else are dropped and counted as foreign. Without it, as in"
                    + " jacktrip, whoever first sends a datagram in this end's format is the peer.",
            (v, g) -> {
                try {
                    v.peer.set(g, LinkConfig.PeerPin.parse(g.raw()));
                } catch (IllegalArgumentException e) {
                    throw g.notAllowed(e.getMessage());
                }
            });

    static final OptionSpec PORT_OFFSET = valued(Section.NETWORK, "-o --portoffset", "N", "0",
            "0 to 65534, keeping both ports within 1 to 65535",
            "Added to both the bind and the peer port, for several links on one machine: -o 10"
                    + " uses 4474.",
            (v, g) -> v.portOffset.set(g, g.whole(0, 65534)));

    static final OptionSpec TIMEOUT = flag(Section.NETWORK, "--timeout",
            "off: wait for the peer for ever",
            "Stop when nothing has come from the peer for " + TIMEOUT_SECONDS + " seconds"
                    + " (jacktrip's -t).",
            (v, g) -> v.timeout.set(g, true));

    static final OptionSpec REMOTE_NAME = valued(Section.HUB, "-K --remotename", "NAME",
            "none: the hub names the client by its IP address", "1 to 63 bytes of UTF-8",
            "Hub client: the name the hub gives this client's JACK client there. Only with -C.",
            (v, g) -> {
                final int bytes = g.raw().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                if (bytes == 0 || bytes > 63 || g.raw().indexOf(':') >= 0 || g.raw().indexOf('\0') >= 0) {
                    throw g.notAllowed("use 1 to 63 bytes of UTF-8 without ':' (it becomes a JACK client name)");
                }
                final String problem = org.jamwire.text.Printable.problem(g.raw());
                if (problem != null) {
                    throw g.notAllowed(problem);
                }
                v.remoteName.set(g, g.raw());
            });

    static final OptionSpec UDP_BASE_PORT = valued(Section.HUB, "-U --udpbaseport", "PORT",
            "61002 plus the TCP port's distance from 4464", "1 to 65535",
            "Hub server: the first client's UDP port; client N (from 0, the lowest free number) gets"
                    + " PORT + N. Only with -S.",
            (v, g) -> v.udpBasePort.set(g, g.whole(1, 65535)));

    static final OptionSpec HUB_PATCH = valued(Section.HUB, "-p --hubpatch", "MODE", "0", "0 to 5",
            "Hub server: how clients' ports are connected. 0: each client to and from the hub's system"
                    + " ports. 1: each client hears itself. 2: each client hears every other client,"
                    + " not itself. 3: reserved (jacktrip's TU Berlin matrix); nothing is connected."
                    + " 4: each client hears every client, itself included. 5: nothing is connected."
                    + " Only with -S.",
            (v, g) -> v.hubPatch.set(g, g.whole(0, 5)));

    static final OptionSpec INCLUDE_SERVER = flag(Section.HUB, "-i --includeserver", "off",
            "Hub server, with -p 2 or 4: the hub's system capture ports go to every client too, and"
                    + " every client to its system playback ports.",
            (v, g) -> v.includeServer.set(g, true));

    static final OptionSpec UPMIX = flag(Section.HUB, "-u --upmix", "off",
            "Hub server, with -p 1, 2 or 4: a client that sends one channel is heard on the second"
                    + " channel of those who hear it as well as on their first.",
            (v, g) -> v.upmix.set(g, true));

    static final OptionSpec AUTH = flag(Section.HUB, "-A --auth", "off",
            "Hub authentication, as jacktrip's -A. Hub server: require it, with --certfile, --keyfile and"
                    + " --credsfile. Hub client: log in with --username and a password, which is never an"
                    + " option: it is read from --password-file, else from the environment variable "
                    + PASSWORD_VARIABLE + ", else from the terminal (or one line of standard input). The"
                    + " hub's certificate is checked against Java's trust store unless --hub-cert pins it.",
            (v, g) -> v.auth.set(g, true));

    static final OptionSpec CERT_FILE = valued(Section.HUB, "--certfile", "FILE", "none", "a PEM file",
            "Hub server with -A: its TLS certificate (e.g. made by openssl req -x509 -newkey rsa:2048"
                    + " -nodes); the hub prints its SHA-256 fingerprint for clients to pin.",
            (v, g) -> v.certFile.set(g, nonBlank(g)));

    static final OptionSpec KEY_FILE = valued(Section.HUB, "--keyfile", "FILE", "none",
            "an unencrypted PEM key, RSA or EC",
            "Hub server with -A: the private key of --certfile.",
            (v, g) -> v.keyFile.set(g, nonBlank(g)));

    static final OptionSpec CREDS_FILE = valued(Section.HUB, "--credsfile", "FILE", "none",
            "lines of user:$6$salt$hash:times",
            "Hub server with -A: its users, in jacktrip's format: a SHA-512 crypt hash (openssl passwd -6)"
                    + " and when each may connect: * always, empty never, or days with times of the"
                    + " hub's local day, e.g. Mo*,Tu0900-1700. Read again when it changes; a line that"
                    + " is not right is an error naming it.",
            (v, g) -> v.credsFile.set(g, nonBlank(g)));

    static final OptionSpec USERNAME = valued(Section.HUB, "--username", "NAME",
            "asked for on the terminal (or read from standard input)", "1 to 1024 bytes of UTF-8",
            "Hub client with -A: the user name.",
            (v, g) -> {
                final int bytes = g.raw().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                if (bytes == 0 || bytes > 1024 || g.raw().indexOf('\0') >= 0) {
                    throw g.notAllowed("use 1 to 1024 bytes of UTF-8");
                }
                v.username.set(g, g.raw());
            });

    static final OptionSpec PASSWORD_FILE = valued(Section.HUB, "--password-file", "FILE",
            "none: " + PASSWORD_VARIABLE + ", else the terminal", "a file only its owner can read",
            "Hub client with -A: read the password from the first line of FILE, which must not be"
                    + " readable or writable by group or others (chmod 600).",
            (v, g) -> v.passwordFile.set(g, nonBlank(g)));

    static final OptionSpec HUB_CERT = valued(Section.HUB, "--hub-cert", "PEM|SHA256", "none: Java's trust store",
            "a PEM file, or 64 hex digits (colons and a sha256: prefix allowed)",
            "Hub client with -A: trust only this certificate (jacktrip hubs use self-signed ones): the"
                    + " hub's certificate file, or its SHA-256 fingerprint as the hub prints it.",
            (v, g) -> v.hubCert.set(g, nonBlank(g)));

    static final OptionSpec INSECURE_SKIP_CERT_CHECK = flag(Section.HUB, "--insecure-skip-cert-check", "off",
            "Hub client with -A: do not check the hub's certificate at all, as jacktrip's client does;"
                    + " whoever can intercept the connection can then pose as the hub and read the"
                    + " password. Prints a warning.",
            (v, g) -> v.insecureSkipCertCheck.set(g, true));

    static final OptionSpec JACK = flag(Section.BACKEND, "-j --jack", "on (JACK is the default)",
            "Use JACK for audio, as --backend jack. -j is the old manual's name for it.",
            (v, g) -> v.backend.set(g, BackendKind.JACK));

    static final OptionSpec BACKEND = valued(Section.BACKEND, "--backend", "NAME", "jack",
            "jack or builtin",
            "jack: a running JACK server. builtin: a built-in clock playing test signals, with no"
                    + " JACK or sound card needed.",
            (v, g) -> v.backend.set(g, g.choice("jack", "builtin").equals("jack")
                    ? BackendKind.JACK : BackendKind.BUILTIN));

    static final OptionSpec JACK_SERVER = valued(Section.BACKEND, "--jack-server", "NAME",
            "JACK's default server", "a server name (as in jackd -n NAME)",
            "JACK server to connect to. Only with --backend jack.",
            (v, g) -> v.jackServer.set(g, nonBlank(g)));

    static final OptionSpec CLIENT_NAME = valued(Section.BACKEND, "-J --clientname", "NAME",
            "JackTrip for a server, HOST for a client (':' becomes '_')", "1 to 63 characters",
            "Audio client name, which the JACK port names start with.",
            (v, g) -> {
                if (g.raw().isEmpty() || g.raw().length() > 63) {
                    throw g.notAllowed("use 1 to 63 characters (JACK's limit)");
                }
                final String problem = org.jamwire.text.Printable.problem(g.raw());
                if (problem != null) {
                    throw g.notAllowed(problem);
                }
                v.clientName.set(g, g.raw());
            });

    static final OptionSpec NO_AUTO_CONNECT = flag(Section.BACKEND, "-D --nojackportsconnect",
            "off: the ports are connected",
            "Do not connect the link's ports to the system capture and playback ports.",
            (v, g) -> v.noAutoConnect.set(g, true));

    static final OptionSpec RATE = valued(Section.BACKEND, "--rate", "HZ",
            String.valueOf(DEFAULT_RATE), "8000 to 192000",
            "Sample rate of the built-in backend; JACK runs at its server's rate. Both ends must"
                    + " use the same rate. Only with --backend builtin.",
            (v, g) -> v.sampleRate.set(g, g.whole(8000, 192000)));

    static final OptionSpec SIGNAL = valued(Section.BACKEND, "--signal", "NAME", DEFAULT_SIGNAL,
            "sine, ramp or silence",
            "Test signal the built-in backend sends: a different sine on each channel, a ramp, or"
                    + " silence. Only with --backend builtin.",
            (v, g) -> v.signal.set(g, g.choice(SIGNALS)));

    static final OptionSpec IOSTAT = valued(Section.MONITOR, "-I --iostat", "SECS", "off",
            "1 to 3600", "Print a line of link statistics every SECS seconds.",
            (v, g) -> v.ioStatSeconds.set(g, g.whole(1, 3600)));

    /** Handled before parsing, by {@link CommandLine}; listed so the help documents it. */
    static final OptionSpec HELP = flag(Section.GENERAL, "-h --help", "off",
            "Print this help and exit.", (v, g) -> { });

    /** Handled before parsing, by {@link CommandLine}; listed so the help documents it. */
    static final OptionSpec VERSION = flag(Section.GENERAL, "-v --version", "off",
            "Print the version and exit.", (v, g) -> { });

    static final OptionTable TABLE = new OptionTable(List.of(SERVER, CLIENT, HUB_SERVER, HUB_CLIENT, CHANNELS,
            SEND_CHANNELS, RECEIVE_CHANNELS, BITRES, QUEUE, MAX_QUEUE, REDUNDANCY, UNDERRUN, NO_DRIFT_CORRECTION, BUFFER_SIZE, BIND_PORT,
            PEER_PORT, PEER, PORT_OFFSET, TIMEOUT, REMOTE_NAME, UDP_BASE_PORT, HUB_PATCH, INCLUDE_SERVER, UPMIX, AUTH, CERT_FILE, KEY_FILE, CREDS_FILE, USERNAME,
            PASSWORD_FILE, HUB_CERT, INSECURE_SKIP_CERT_CHECK, JACK, BACKEND, JACK_SERVER, CLIENT_NAME,
            NO_AUTO_CONNECT, RATE, SIGNAL, IOSTAT, HELP, VERSION));

    private LinkOptions() {
    }

    /** A figure as the help prints it: 10.0 as 10, 0.05 as 0.05. */
    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String host(Given g) throws UsageException {
        if (g.raw().isBlank() || g.raw().startsWith("-") || g.raw().chars().anyMatch(Character::isWhitespace)) {
            throw g.notAllowed("give a host name or IP address");
        }
        final String problem = LinkConfig.hostProblem(g.raw());
        if (problem != null) {
            throw g.notAllowed(problem);
        }
        return g.raw();
    }

    private static String nonBlank(Given g) throws UsageException {
        if (g.raw().isBlank()) {
            throw g.notAllowed("give a name");
        }
        return g.raw();
    }
}

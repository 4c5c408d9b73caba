package org.jamwire.options;

import static org.jamwire.options.LinkDefaults.BACKENDS;
import static org.jamwire.options.LinkDefaults.BIT_RESOLUTIONS;
import static org.jamwire.options.LinkDefaults.DEFAULT_BITS;
import static org.jamwire.options.LinkDefaults.DEFAULT_BUILTIN_BUFFER;
import static org.jamwire.options.LinkDefaults.DEFAULT_CHANNELS;
import static org.jamwire.options.LinkDefaults.DEFAULT_QUEUE;
import static org.jamwire.options.LinkDefaults.DEFAULT_RATE;
import static org.jamwire.options.LinkDefaults.DEFAULT_REDUNDANCY;
import static org.jamwire.options.LinkDefaults.DEFAULT_SIGNAL;
import static org.jamwire.options.LinkDefaults.MAX_BUFFER;
import static org.jamwire.options.LinkDefaults.MAX_CHANNELS;
import static org.jamwire.options.LinkDefaults.SIGNALS;
import static org.jamwire.options.LinkDefaults.TIMEOUT_SECONDS;
import static org.jamwire.options.LinkDefaults.UNDERRUN_POLICIES;
import static org.jamwire.options.OptionTable.flag;
import static org.jamwire.options.OptionTable.valued;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import org.jamwire.engine.ReceiveQueue;
import org.jamwire.engine.UnderrunPolicy;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkConfig.BackendKind;
import org.jamwire.link.LinkConfig.PeerPin;
import org.jamwire.link.Role;
import org.jamwire.options.OptionSpec.Section;
import org.jamwire.options.OptionValues.Mode;

/**
 * The options of a P2P link ({@code jamwire -s ...} or {@code jamwire -c HOST ...}) or of one end
 * of a hub, and the table of all of them: the hub's own options are in {@link HubOptions}, the
 * defaults and limits in {@link LinkDefaults}. {@link LinkCommand} turns what they were given into
 * a {@link LinkConfig}. Used on the control thread.
 */
final class LinkOptions {

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
                    g.choice(UNDERRUN_POLICIES).toUpperCase(Locale.ROOT))));

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
            "none: the first client in this end's format",
            "a host name or IP address, and a port of 1 to 65535",
            "Server: the only address (and port, if given) that may become the peer. Datagrams"
                    + " from anywhere else are dropped and counted as foreign. Without it, as in"
                    + " jacktrip, whoever first sends a datagram in this end's format is the peer.",
            (v, g) -> {
                try {
                    v.peer.set(g, PeerPin.parse(g.raw()));
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

    static final OptionSpec JACK = flag(Section.BACKEND, "-j --jack", "on (JACK is the default)",
            "Use JACK for audio, as --backend jack. -j is the old manual's name for it.",
            (v, g) -> v.backend.set(g, BackendKind.JACK));

    static final OptionSpec BACKEND = valued(Section.BACKEND, "--backend", "NAME", "jack",
            "jack or builtin",
            "jack: a running JACK server. builtin: a built-in clock playing test signals, with no"
                    + " JACK or sound card needed.",
            (v, g) -> v.backend.set(g, g.choice(BACKENDS).equals("jack")
                    ? BackendKind.JACK : BackendKind.BUILTIN));

    static final OptionSpec JACK_SERVER = valued(Section.BACKEND, "--jack-server", "NAME",
            "JACK's default server", "a server name (as in jackd -n NAME)",
            "JACK server to connect to. Only with --backend jack.",
            (v, g) -> v.jackServer.set(g, g.nonBlank()));

    static final OptionSpec CLIENT_NAME = valued(Section.BACKEND, "-J --clientname", "NAME",
            "JackTrip for a server, HOST for a client (':' becomes '_')", "1 to 63 characters",
            "Audio client name, which the JACK port names start with.",
            (v, g) -> {
                if (g.raw().isEmpty() || g.raw().length() > 63) {
                    throw g.notAllowed("use 1 to 63 characters (JACK's limit)");
                }
                v.clientName.set(g, g.printable());
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

    static final OptionTable TABLE = new OptionTable(List.of(SERVER, CLIENT, HUB_SERVER, HUB_CLIENT,
            CHANNELS, SEND_CHANNELS, RECEIVE_CHANNELS, BITRES, QUEUE, MAX_QUEUE, REDUNDANCY, UNDERRUN,
            NO_DRIFT_CORRECTION, BUFFER_SIZE,
            BIND_PORT, PEER_PORT, PEER, PORT_OFFSET, TIMEOUT,
            HubOptions.REMOTE_NAME, HubOptions.UDP_BASE_PORT, HubOptions.HUB_PATCH, HubOptions.INCLUDE_SERVER,
            HubOptions.UPMIX, HubOptions.AUTH, HubOptions.CERT_FILE, HubOptions.KEY_FILE, HubOptions.CREDS_FILE,
            HubOptions.USERNAME, HubOptions.PASSWORD_FILE, HubOptions.HUB_CERT, HubOptions.INSECURE_SKIP_CERT_CHECK,
            JACK, BACKEND, JACK_SERVER, CLIENT_NAME, NO_AUTO_CONNECT, RATE, SIGNAL, IOSTAT, HELP, VERSION));

    private LinkOptions() {
    }

    /** A figure as the help prints it: 10.0 as 10, 0.05 as 0.05. */
    private static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
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
}

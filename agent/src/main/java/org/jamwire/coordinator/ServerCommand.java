package org.jamwire.coordinator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a pair's ends are started on peers. The server: {@code jamwire -s} with the client's options
 * mirrored (what the client sends, the server receives), or, on a peer with only jacktrip,
 * {@code jacktrip -s} with the options jacktrip shares; or the same options for the peer's agent.
 * The client on a peer: the options as given, with {@code jamwire -c} or {@code jacktrip -c}.
 * Pure; called on control threads.
 */
final class ServerCommand {

    /** An option name as jamwire takes it, or a plain value. */
    private static final RemoteCommand.Rule OPTION_OR_VALUE = arg -> arg.matches("--?[A-Za-z][a-z-]{0,30}") ? null
            : RemoteCommand.PLAIN.refuse(arg);

    /** {@code jamwire ARGS}: a link, its arguments option names and plain values. */
    static final RemoteCommand.Program JAMWIRE_LINK = new RemoteCommand.Program("jamwire", OPTION_OR_VALUE);

    /** {@code env JACK_DEFAULT_SERVER=NAME jacktrip ARGS}. */
    static final RemoteCommand.Program JACKTRIP_LINK = new RemoteCommand.Program("env", List.of(
            RemoteCommand.matching("JACK_DEFAULT_SERVER=" + PeerPrograms.SERVER_NAME, "JACK_DEFAULT_SERVER=NAME"),
            RemoteCommand.exactly("jacktrip")), OPTION_OR_VALUE);

    /** Options that name this machine's own ports or server, not the peer's. */
    private static final Set<String> LOCAL_ONLY = Set.of("bindport", "peerport", "portoffset", "jack-server",
            "iostat", "clientname");

    private ServerCommand() {
    }

    /**
     * The server's command on a peer.
     *
     * @throws IllegalArgumentException when the peer has neither program, or jacktrip cannot do what
     *     the options ask; the message says what to install or change
     */
    static RemoteCommand forPeer(PeerReport report, String jackServer, Map<String, Object> options, int port) {
        if (report.jamwireVersion() != null) {
            final List<String> args = new ArrayList<>(List.of("-s"));
            if (!"builtin".equals(String.valueOf(options.get("backend")))) {
                args.addAll(List.of("--jack-server", jackServer));
            }
            return RemoteCommand.of(JAMWIRE_LINK, withOptions(args, serverOptions(options, port)));
        }
        if (report.jacktripVersion() != null) {
            return RemoteCommand.of(JACKTRIP_LINK, jacktripArgs(jackServer, options, port, "-s"));
        }
        throw neither();
    }

    /**
     * The client's command on a peer, to reach the server at {@code host}:{@code serverPort} from its
     * own {@code clientPort}.
     *
     * @throws IllegalArgumentException as for the server
     */
    static RemoteCommand clientForPeer(PeerReport report, String jackServer, Map<String, Object> options, String host,
            int serverPort, int clientPort) {
        if (report.jamwireVersion() != null) {
            final List<String> args = new ArrayList<>(List.of("-c", host));
            if (!"builtin".equals(String.valueOf(options.get("backend")))) {
                args.addAll(List.of("--jack-server", jackServer));
            }
            return RemoteCommand.of(JAMWIRE_LINK, withOptions(args, clientOptions(options, serverPort, clientPort)));
        }
        if (report.jacktripVersion() != null) {
            final List<String> args = jacktripArgs(jackServer, options, clientPort, "-c");
            args.add(3, host);
            args.addAll(6, List.of("--peerport", String.valueOf(serverPort)));
            return RemoteCommand.of(JACKTRIP_LINK, args);
        }
        throw neither();
    }

    /**
     * A hub client's command on a peer without an agent: {@code jamwire -C HOST} or
     * {@code jacktrip -C HOST}, with {@code channels}, {@code queue} and the name the hub gives it.
     *
     * @throws IllegalArgumentException as for the server, or when jacktrip cannot take the queue
     */
    static RemoteCommand hubClientForPeer(PeerReport report, String jackServer, String host, String name,
            int channels, String queue) {
        if (report.jamwireVersion() != null) {
            return RemoteCommand.of(JAMWIRE_LINK, "-C", host, "--jack-server", jackServer, "--numchannels",
                    String.valueOf(channels), "--queue", queue, "--remotename", name);
        }
        if (report.jacktripVersion() != null) {
            if ("auto".equals(queue)) {
                throw new IllegalArgumentException("jacktrip " + report.jacktripVersion() + " has no automatic queue:"
                        + " give this member a queue of packets (e.g. 4), or install JamWire there");
            }
            // -I 1: its jitter buffer's counts every second, in the output the coordinator keeps.
            return RemoteCommand.of(JACKTRIP_LINK, "JACK_DEFAULT_SERVER=" + jackServer, "jacktrip", "-C", host,
                    "-n", String.valueOf(channels), "-q", queue, "-K", name, "-I", "1");
        }
        throw neither();
    }

    private static IllegalArgumentException neither() {
        return new IllegalArgumentException("neither JamWire nor jacktrip is installed on the peer: install one"
                + " (Debian: apt install jacktrip), or provision it with the lab's Ansible roles");
    }

    /**
     * The server's options, as {@code jamwire -s} or a peer's agent takes them: the client's,
     * mirrored, without those that name the client machine's own ports, and bound to {@code port}.
     */
    static Map<String, Object> serverOptions(Map<String, Object> options, int port) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("bindport", port);
        for (Map.Entry<String, Object> e : options.entrySet()) {
            String key = e.getKey();
            if (LOCAL_ONLY.contains(key)) {
                continue;
            }
            // What the client sends, the server plays, and the other way round.
            if (key.equals("sendchannels")) {
                key = "receivechannels";
            } else if (key.equals("receivechannels")) {
                key = "sendchannels";
            }
            m.put(key, e.getValue());
        }
        return m;
    }

    /**
     * The client's options with the pair's ports in place of any it gave: bound to {@code clientPort},
     * sending to the server's {@code serverPort}, with no offset left to move either.
     */
    static Map<String, Object> clientPorts(Map<String, Object> options, int serverPort, int clientPort) {
        final Map<String, Object> m = new LinkedHashMap<>(options);
        m.remove("portoffset");
        m.put("bindport", clientPort);
        m.put("peerport", serverPort);
        return m;
    }

    /** The client's options on a peer: {@link #clientPorts}, on the peer's own JACK server. */
    static Map<String, Object> clientOptions(Map<String, Object> options, int serverPort, int clientPort) {
        final Map<String, Object> m = clientPorts(options, serverPort, clientPort);
        m.remove("jack-server");
        return m;
    }

    private static List<String> withOptions(List<String> args, Map<String, Object> options) {
        for (Map.Entry<String, Object> e : options.entrySet()) {
            if (e.getValue() instanceof Boolean b) {
                if (b) {
                    args.add("--" + e.getKey());
                }
            } else {
                args.add("--" + e.getKey());
                args.add(String.valueOf(e.getValue()));
            }
        }
        return args;
    }

    private static List<String> jacktripArgs(String jackServer, Map<String, Object> options, int port, String role) {
        if ("builtin".equals(String.valueOf(options.get("backend")))) {
            throw new IllegalArgumentException("the peer has only jacktrip, which needs JACK: use backend jack, or"
                    + " install JamWire there");
        }
        if (options.containsKey("sendchannels") || options.containsKey("receivechannels")) {
            throw new IllegalArgumentException("the peer has only jacktrip 1.7, which sends and receives the same"
                    + " number of channels: use numchannels, or install JamWire there");
        }
        final List<String> args = new ArrayList<>(List.of("JACK_DEFAULT_SERVER=" + jackServer, "jacktrip", role,
                "--bindport", String.valueOf(port)));
        addIf(args, options, "numchannels", "-n");
        addIf(args, options, "bitres", "--bitres");
        addIf(args, options, "queue", "-q");
        addIf(args, options, "redundancy", "-r");
        if (Boolean.TRUE.equals(options.get("nojackportsconnect"))) {
            args.add("-D");
        }
        return args;
    }

    private static void addIf(List<String> args, Map<String, Object> options, String key, String flag) {
        if (options.containsKey(key)) {
            args.add(flag);
            args.add(String.valueOf(options.get(key)));
        }
    }

    /** The command as a user would type it on the peer. */
    static String shown(RemoteCommand command) {
        final List<String> argv = command.argv();
        return String.join(" ", argv.get(0).equals("env") ? argv.subList(1, argv.size()) : argv);
    }
}

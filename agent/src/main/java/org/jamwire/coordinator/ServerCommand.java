package org.jamwire.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command that runs a link's server on a peer: {@code jamwire -s} with this end's options
 * mirrored (what this end sends, the peer receives), or, on a peer with only jacktrip,
 * {@code jacktrip -s} with the options jacktrip shares. Pure; called on control threads.
 */
final class ServerCommand {

    /** An option name as jamwire takes it, or a plain value. */
    private static final RemoteCommand.Rule OPTION_OR_VALUE = arg -> arg.matches("--?[a-z][a-z-]{0,30}") ? null
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
            return RemoteCommand.of(JAMWIRE_LINK, jamwireArgs(jackServer, options, port));
        }
        if (report.jacktripVersion() != null) {
            return RemoteCommand.of(JACKTRIP_LINK, jacktripArgs(jackServer, options, port));
        }
        throw new IllegalArgumentException("neither JamWire nor jacktrip is installed on the peer: install one"
                + " (Debian: apt install jacktrip), or provision it with the lab's Ansible roles");
    }

    private static List<String> jamwireArgs(String jackServer, Map<String, Object> options, int port) {
        final List<String> args = new ArrayList<>(List.of("jamwire", "-s", "--bindport", String.valueOf(port)));
        final boolean builtin = "builtin".equals(String.valueOf(options.get("backend")));
        if (!builtin) {
            args.addAll(List.of("--jack-server", jackServer));
        }
        for (Map.Entry<String, Object> e : options.entrySet()) {
            String key = e.getKey();
            if (LOCAL_ONLY.contains(key)) {
                continue;
            }
            // What this end sends, the peer plays, and the other way round.
            if (key.equals("sendchannels")) {
                key = "receivechannels";
            } else if (key.equals("receivechannels")) {
                key = "sendchannels";
            }
            if (e.getValue() instanceof Boolean b) {
                if (b) {
                    args.add("--" + key);
                }
            } else {
                args.add("--" + key);
                args.add(String.valueOf(e.getValue()));
            }
        }
        return args.subList(1, args.size());
    }

    private static List<String> jacktripArgs(String jackServer, Map<String, Object> options, int port) {
        if ("builtin".equals(String.valueOf(options.get("backend")))) {
            throw new IllegalArgumentException("the peer has only jacktrip, which needs JACK: use backend jack, or"
                    + " install JamWire there");
        }
        if (options.containsKey("sendchannels") || options.containsKey("receivechannels")) {
            throw new IllegalArgumentException("the peer has only jacktrip 1.7, which sends and receives the same"
                    + " number of channels: use numchannels, or install JamWire there");
        }
        final List<String> args = new ArrayList<>(List.of("JACK_DEFAULT_SERVER=" + jackServer, "jacktrip", "-s",
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

package org.jamwire.hub;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The JACK connections a patch mode asks for, as jacktrip's hub makes them: pure, so that the rules
 * are tested without JACK. A client's {@code receive_k} (an output port) is what it sends; its
 * {@code send_k} (an input port) is what it hears. Control thread.
 */
public final class HubPatch {

    /** One client as the patch sees it: its JACK client name and port counts. */
    public record Client(String jackName, int sendPorts, int receivePorts) {
    }

    /** One connection from an output port to an input port. */
    public record Connection(String source, String destination) {
    }

    private HubPatch() {
    }

    /**
     * The connections for {@code clients}.
     *
     * @param capture the hub machine's system capture ports, in order (used by -i)
     * @param playback its system playback ports, in order (used by -i)
     */
    public static Set<Connection> connections(PatchMode mode, boolean includeServer, boolean upmix,
            List<Client> clients, List<String> capture, List<String> playback) {
        final Set<Connection> out = new LinkedHashSet<>();
        final boolean echo = mode == PatchMode.CLIENT_ECHO || mode == PatchMode.FULL_MIX;
        final boolean fan = mode == PatchMode.CLIENT_FAN_OUT_IN || mode == PatchMode.FULL_MIX;
        for (Client from : clients) {
            for (Client to : clients) {
                if ((from == to && echo) || (from != to && fan)) {
                    feed(out, from, to, upmix);
                }
            }
        }
        if (includeServer && fan) {
            for (Client c : clients) {
                for (int k = 1; k <= Math.min(capture.size(), c.sendPorts()); k++) {
                    out.add(new Connection(capture.get(k - 1), c.jackName() + ":send_" + k));
                }
                for (int k = 1; k <= Math.min(playback.size(), c.receivePorts()); k++) {
                    out.add(new Connection(c.jackName() + ":receive_" + k, playback.get(k - 1)));
                }
            }
        }
        return out;
    }

    /**
     * What {@code from} sends, to what {@code to} hears, channel by channel; a mono source to both
     * sides with upmix.
     */
    private static void feed(Set<Connection> out, Client from, Client to, boolean upmix) {
        for (int k = 1; k <= Math.min(from.receivePorts(), to.sendPorts()); k++) {
            out.add(new Connection(from.jackName() + ":receive_" + k, to.jackName() + ":send_" + k));
        }
        if (upmix && from.receivePorts() == 1 && to.sendPorts() >= 2) {
            out.add(new Connection(from.jackName() + ":receive_1", to.jackName() + ":send_2"));
        }
    }

    /** The connections as "source > destination" lines, for messages. */
    public static List<String> describe(Set<Connection> connections) {
        final List<String> lines = new ArrayList<>();
        for (Connection c : connections) {
            lines.add(c.source() + " > " + c.destination());
        }
        return lines;
    }
}

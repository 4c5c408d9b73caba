package org.jamwire.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The two UDP ports of a pair: the server's, which it binds on its peer and the client sends to,
 * and the client's own, which it binds on its machine and the server answers. Each is the one the
 * user gave, when it is free there, or else the first of the lab's link ports free there; the
 * client's differs from the server's where it can, so that the two ends never clash on one machine.
 * Pure; called on HTTP and pair control threads.
 *
 * @param server the server's UDP port on its peer
 * @param client the client's UDP port on its machine
 */
public record PairPorts(int server, int client) {

    /** The port every JamWire and jacktrip end binds and sends to unless told otherwise. */
    static final int DEFAULT_PORT = 4464;

    /**
     * What the user asked for, from the request's {@code port} and the client's options
     * ({@code peerport}, {@code bindport}, {@code portoffset}, which jamwire adds to both); null
     * where nothing was asked.
     *
     * @param server the server's port asked for, or null
     * @param serverBy what asked for it, e.g. {@code port 4474} or {@code options.portoffset 10}
     * @param client the client's own port asked for, or null
     * @param clientBy what asked for it
     */
    public record Asked(Integer server, String serverBy, Integer client, String clientBy) {

        /** Nothing asked: the coordinator picks both. */
        public static final Asked NOTHING = new Asked(null, null, null, null);

        /**
         * Reads what a pair request asks for.
         *
         * @param port the request's {@code port}, or null
         * @param options the client's link options, already checked as for a link
         * @throws Mismatch when they name two different ports for the server
         */
        public static Asked of(Integer port, Map<String, Object> options) throws Mismatch {
            final Integer offset = whole(options.get("portoffset"));
            final Integer peerPort = whole(options.get("peerport"));
            final Integer bindPort = whole(options.get("bindport"));
            final int add = offset == null ? 0 : offset;
            final String withOffset = offset == null ? "" : " with options.portoffset " + offset;
            Integer sent = null;
            String sentBy = null;
            String sentField = null;
            if (peerPort != null) {
                sent = peerPort + add;
                sentBy = "options.peerport " + peerPort + withOffset;
                sentField = "options.peerport";
            } else if (offset != null) {
                sent = DEFAULT_PORT + offset;
                sentBy = "options.portoffset " + offset;
                sentField = "options.portoffset";
            }
            if (port != null && sent != null && !port.equals(sent)) {
                throw new Mismatch(sentField, sentField + ": " + sentBy + " makes the client send to UDP port " + sent
                        + ", but port " + port + " has the server bind UDP port " + port + ": leave out "
                        + sentField.substring("options.".length()) + " and port, and the coordinator picks free ports"
                        + " on both ends; or give port " + sent + ", or only port");
            }
            final Integer server = port != null ? port : sent;
            final String serverBy = port != null ? "port " + port : sentBy;
            if (bindPort != null) {
                return new Asked(server, serverBy, bindPort + add, "options.bindport " + bindPort + withOffset);
            }
            return new Asked(server, serverBy, offset == null ? null : DEFAULT_PORT + offset,
                    offset == null ? null : "options.portoffset " + offset);
        }

        /** A whole number the link's own check has already accepted; null when absent. */
        private static Integer whole(Object v) {
            try {
                return v == null ? null : Integer.valueOf(String.valueOf(v).trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** A request whose ports disagree; the message names the field, both ports and the fix. */
    public static final class Mismatch extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        Mismatch(String field, String message) {
            super(message);
            this.field = field;
        }

        /** The request's field at fault, e.g. {@code options.portoffset}. */
        public String field() {
            return field;
        }
    }

    /**
     * Where one end runs, as far as ports go.
     *
     * @param name how messages call it, e.g. {@code lab-a} or {@code this machine}
     * @param free the link ports free there, or null when that is not known
     */
    record Machine(String name, List<Integer> free) {
    }

    /**
     * Chooses both ports.
     *
     * @throws PairStep.Refused when a port asked for is taken, or no link port is free on a machine;
     *     the message names the port, the machine and the fix
     */
    static PairPorts choose(Asked asked, Machine server, Machine client) throws PairStep.Refused {
        final int s = asked.server() != null ? checked(asked.server(), asked.serverBy(), server)
                : first(server, List.of());
        final int c = asked.client() != null ? checked(asked.client(), asked.clientBy(), client)
                : first(client, List.of(s));
        return new PairPorts(s, c);
    }

    private static int checked(int port, String by, Machine m) throws PairStep.Refused {
        if (m.free() != null && PeerProbe.LINK_PORTS.contains(port) && !m.free().contains(port)) {
            throw new PairStep.Refused("UDP port " + port + " (" + by + ") is taken on " + m.name() + ": leave it out,"
                    + " and the coordinator picks a free one" + (m.free().isEmpty() ? " once one is: " + allTaken(m)
                    : " (free there now: " + listed(m.free()) + ")"));
        }
        return port;
    }

    /** The first free link port, one not in {@code avoid} where there is one. */
    private static int first(Machine m, List<Integer> avoid) throws PairStep.Refused {
        if (m.free() == null) {
            return PeerProbe.LINK_PORTS.stream().filter(p -> !avoid.contains(p)).findFirst().orElse(DEFAULT_PORT);
        }
        if (m.free().isEmpty()) {
            throw new PairStep.Refused("no link port is free on " + m.name() + ": " + allTaken(m));
        }
        return m.free().stream().filter(p -> !avoid.contains(p)).findFirst().orElse(m.free().get(0));
    }

    private static String allTaken(Machine m) {
        return "UDP ports " + listed(PeerProbe.LINK_PORTS) + " are all taken there; stop a pair or link on "
                + m.name() + " (GET /api/lab/pairs lists this agent's pairs), or give a port outside them that its"
                + " firewall lets in";
    }

    /** Ports as a sentence lists them: {@code 4464, 4474 and 4484}. */
    static String listed(List<Integer> ports) {
        final List<String> s = new ArrayList<>(ports.stream().map(String::valueOf).toList());
        if (s.size() < 2) {
            return String.join("", s);
        }
        final String last = s.remove(s.size() - 1);
        return s.stream().collect(Collectors.joining(", ")) + " and " + last;
    }
}

package org.jamwire.coordinator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An ensemble as the user defines it: a hub on one peer (or on this machine, {@value #HERE}), and
 * members on other peers that join it as hub clients, each with its own channels and queue. Kept
 * by {@link EnsembleFile}, so that it can start again with one action. Immutable.
 *
 * @param name what the user calls it: letters, digits, '.', '_' and '-', at most 32
 * @param hub the peer that runs the hub, or {@value #HERE} for this machine
 * @param patch the hub's patch mode, 0 to 5 (jacktrip's {@code -p})
 * @param members the member machines, in order; at least one, at most {@value #MAX_MEMBERS}
 */
public record Ensemble(String name, String hub, int patch, List<Member> members) {

    /** The hub's name when it runs on this machine, in this agent. */
    public static final String HERE = "here";
    /** The most members an ensemble may have: the hub's slots allow more, a lab's rooms fewer. */
    public static final int MAX_MEMBERS = 16;
    /** The most channels a member may send and receive. */
    public static final int MAX_CHANNELS = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    private static final Pattern QUEUE = Pattern.compile("auto|[1-9][0-9]{0,2}|1000");

    /**
     * One member.
     *
     * @param peer the peer it runs on
     * @param channels the channels it sends to the hub and receives from it, 1 to {@value #MAX_CHANNELS}
     * @param queue its receive queue: {@code auto} or 1 to 1000 packets
     */
    public record Member(String peer, int channels, String queue) {
    }

    /** A definition that cannot be one; {@link #field()} names what is wrong, the message how to fix it. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        Invalid(String field, String message) {
            super(message);
            this.field = field;
        }

        /** The field at fault, e.g. {@code members[1].channels}. */
        public String field() {
            return field;
        }
    }

    /** Copies the members. */
    public Ensemble {
        members = List.copyOf(members);
    }

    /**
     * The ensemble, checked: a name, a patch mode, members that are distinct machines other than the
     * hub's, with channels and queues in range. Whether the peers exist is the caller's to check.
     *
     * @throws Invalid naming the first field at fault
     */
    public static Ensemble checked(String name, String hub, int patch, List<Member> members) throws Invalid {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new Invalid("name", "name: use 1 to 32 letters, digits, '.', '_' or '-', starting with a letter or"
                    + " digit, e.g. rehearsal-a");
        }
        if (hub == null || hub.isBlank()) {
            throw new Invalid("hub", "hub: name the peer that runs the hub, or " + HERE + " for this machine");
        }
        if (patch < 0 || patch > 5) {
            throw new Invalid("patch", "patch: " + patch + " is not a patch mode: use 0 to 5 (2: each member hears"
                    + " the others, 4: everyone hears everyone)");
        }
        if (members.isEmpty() || members.size() > MAX_MEMBERS) {
            throw new Invalid("members", "members: give 1 to " + MAX_MEMBERS + " member machines, not "
                    + members.size());
        }
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < members.size(); i++) {
            final Member m = members.get(i);
            final String at = "members[" + i + "]";
            if (m.peer() == null || m.peer().isBlank()) {
                throw new Invalid(at + ".peer", at + ".peer: name the peer this member runs on");
            }
            if (m.peer().equals(HERE)) {
                throw new Invalid(at + ".peer", at + ".peer: this machine can run the hub (hub: " + HERE + "), not a"
                        + " member; name a peer");
            }
            if (m.peer().equals(hub)) {
                throw new Invalid(at + ".peer", at + ".peer: " + m.peer() + " runs the hub; a member must be another"
                        + " machine");
            }
            if (!seen.add(m.peer())) {
                throw new Invalid(at + ".peer", at + ".peer: " + m.peer() + " is a member twice; each machine joins"
                        + " once");
            }
            if (m.channels() < 1 || m.channels() > MAX_CHANNELS) {
                throw new Invalid(at + ".channels", at + ".channels: use 1 to " + MAX_CHANNELS + ", not "
                        + m.channels());
            }
            if (m.queue() == null || !QUEUE.matcher(m.queue()).matches()) {
                throw new Invalid(at + ".queue", at + ".queue: use auto, or 1 to 1000 packets");
            }
        }
        return new Ensemble(name, hub, patch, members);
    }

    /** Whether the hub runs on this machine. */
    public boolean hubHere() {
        return HERE.equals(hub);
    }

    /** The hub's machine as messages call it: its peer's name, or "this machine". */
    public String hubName() {
        return hubHere() ? PeerAgent.THIS_MACHINE : hub;
    }

    /** Every machine of the ensemble: the hub's first, then the members'. */
    public List<String> machines() {
        final List<String> all = new ArrayList<>(List.of(hub));
        members.forEach(m -> all.add(m.peer()));
        return all;
    }
}

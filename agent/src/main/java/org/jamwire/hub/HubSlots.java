package org.jamwire.hub;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jamwire.link.ClientNames;
import org.jamwire.link.Link;
import org.jamwire.link.LinkException;
import org.jamwire.net.LinkSocket;
import org.jamwire.protocol.HubHandshake;

/**
 * The hub's slots, one per client, each with its UDP port: who holds which, how many one address
 * may hold, and which a returning client replaces. Every method takes the table's lock, briefly;
 * called on the handshake thread, the slots' threads and control threads.
 */
final class HubSlots {

    /**
     * What a handshake got: a new slot's worker, the slot it replaced, or why it was refused.
     *
     * @param worker the new slot's worker, or null when none was free or it was refused
     * @param replaced the slot of the same client that the new one replaces, or null
     * @param refusal why its address may hold no more slots, or null
     */
    record Claim(HubWorker worker, HubWorker replaced, String refusal) {
    }

    private final HubConfig config;
    private final HubWorker[] slots;
    private boolean open = true;

    HubSlots(HubConfig config) {
        this.config = config;
        this.slots = new HubWorker[config.maxClients()];
    }

    /**
     * Gives a handshake from {@code from} a slot, the one it held when it comes back from the same
     * address and UDP port (that slot stops without the stop packet); null once the hub closes.
     */
    synchronized Claim claim(HubServer hub, HubHandshake.Request request, InetSocketAddress from) {
        if (!open) {
            return null;
        }
        HubWorker replaced = null;
        for (HubWorker w : slots) {
            if (w != null && w.clientAddress().equals(from.getAddress()) && w.announcedPort() == request.udpPort()) {
                replaced = w;
                slots[w.id()] = null;
                break;
            }
        }
        final String tooMany = replaced == null ? overLimit(from) : null;
        if (tooMany != null) {
            return new Claim(null, null, tooMany);
        }
        if (replaced != null) {
            // Its port must be free again before it is given out: the slot ends without the stop
            // packet, which would reach the client that has just come back.
            replaced.stop(true);
        }
        return new Claim(claimSlot(hub, request, from, replaced), replaced, null);
    }

    /** Why a new slot for {@code from} is refused, or null: it holds too many, or too many waiting. */
    private String overLimit(InetSocketAddress from) {
        int held = 0;
        int waiting = 0;
        for (HubWorker w : slots) {
            if (w != null && w.clientAddress().equals(from.getAddress())) {
                held++;
                if (w.link() == null) {
                    waiting++;
                }
            }
        }
        final String who = from.getAddress().getHostAddress();
        if (waiting >= HubServer.MAX_WAITING_PER_ADDRESS) {
            return "refused a handshake from " + who + ": it holds " + waiting + " slots that have sent no audio yet,"
                    + " the most one address may (" + HubServer.MAX_WAITING_PER_ADDRESS + "); each is freed "
                    + HubWorker.IDLE_SECONDS + " s after its handshake without a datagram";
        }
        if (held >= HubServer.MAX_SLOTS_PER_ADDRESS) {
            return "refused a handshake from " + who + ": it holds " + held + " slots, the most one address may ("
                    + HubServer.MAX_SLOTS_PER_ADDRESS + ")";
        }
        return null;
    }

    /** The lowest free slot whose UDP port can be bound, preferring the replaced one's; null if none. */
    private HubWorker claimSlot(HubServer hub, HubHandshake.Request request, InetSocketAddress from,
            HubWorker replaced) {
        // A name from the wire never carries a control or format character, ':' or '/' further.
        final String name = request.name().isEmpty() ? from.getAddress().getHostAddress().replace(':', '_')
                : ClientNames.sanitize(request.name());
        for (int i = replaced == null ? 0 : -1; i < slots.length; i++) {
            final int slot = i < 0 ? replaced.id() : i;
            if (slots[slot] != null) {
                continue;
            }
            final int port = config.udpBasePort() + slot;
            final LinkSocket socket;
            try {
                socket = Link.bind(port);
            } catch (LinkException e) {
                continue; // taken by another program, or by a slot still closing: try the next
            }
            final HubWorker w = new HubWorker(hub, slot, port, name, from.getAddress(), request.udpPort(), socket);
            slots[slot] = w;
            return w;
        }
        return null;
    }

    /**
     * Frees {@code w}'s slot; false when it had been replaced already, and its successor may hold
     * the slot now.
     */
    synchronized boolean release(HubWorker w) {
        if (slots[w.id()] != w) {
            return false;
        }
        slots[w.id()] = null;
        return true;
    }

    /** The clients now holding a slot. */
    synchronized List<HubServer.ClientView> views() {
        final List<HubServer.ClientView> out = new ArrayList<>();
        for (HubWorker w : slots) {
            if (w == null) {
                continue;
            }
            final Link l = w.link();
            out.add(new HubServer.ClientView(w.id(), w.name(), l == null ? null : l.clientName(),
                    w.clientAddress().getHostAddress(), w.port(), w.announcedPort(), w.joined(),
                    l == null ? null : l.stats(), l == null ? null : l.sendLevels(),
                    l == null ? null : l.receiveLevels()));
        }
        return out;
    }

    /** The clients whose links stream now, as the patch sees them. */
    synchronized List<HubPatch.Client> streaming() {
        final List<HubPatch.Client> clients = new ArrayList<>();
        for (HubWorker w : slots) {
            final Link l = w == null ? null : w.link();
            if (l != null && l.state() != Link.State.STOPPED && l.state() != Link.State.FAILED) {
                clients.add(new HubPatch.Client(l.clientName(), l.format().sendChannels(),
                        l.format().receiveChannels()));
            }
        }
        return clients;
    }

    /** Closes the table to new clients and returns the workers holding a slot. */
    synchronized List<HubWorker> close() {
        open = false;
        final List<HubWorker> workers = new ArrayList<>();
        for (HubWorker w : slots) {
            if (w != null) {
                workers.add(w);
            }
        }
        return workers;
    }
}

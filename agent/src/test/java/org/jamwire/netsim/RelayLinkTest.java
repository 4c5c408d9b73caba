package org.jamwire.netsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jamwire.audio.builtin.BuiltinBackend;
import org.jamwire.audio.builtin.TestSignal;
import org.jamwire.engine.LinkCounter;
import org.jamwire.link.Link;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkEvent;
import org.jamwire.link.LinkException;
import org.jamwire.link.LinkStats;
import org.jamwire.link.Role;
import org.jamwire.testing.Deadlines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two links on the built-in backend talking through the relay, with loss, duplication and
 * reordering both ways: the receiving end's counters against the relay's own record, exactly.
 */
class RelayLinkTest {

    private static final int FRAMES = 64;
    private static final int PACKETS_EACH_WAY = 3000;

    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<LinkEvent> events = new CopyOnWriteArrayList<>();
    private Relay relay;

    @AfterEach
    void stopAll() {
        if (relay != null) {
            relay.stop();
        }
        links.forEach(Link::stop);
    }

    /**
     * The receiving link's counters that the relay's record predicts, when every datagram carries
     * one packet and the relay adds no delay. A receiver delivers a packet newer than the last one
     * and counts the gap before it as lost; it drops a repeat of the last packet as a duplicate and
     * an older packet as late. So, over what the relay actually sent:
     * <ul>
     *   <li>received: each packet that was not reordered, once;</li>
     *   <li>duplicate: the second copy of each packet that was not reordered;</li>
     *   <li>late: every copy of each reordered packet, which arrives after its successor;</li>
     *   <li>lost: every packet the relay dropped or reordered between the first and the last
     *       packet it sent in order; a reordered packet is thus counted as lost and as late.</li>
     * </ul>
     */
    private record Expected(long received, long lost, long duplicate, long late) {

        static Expected from(List<RelayRecord.Event> events, int[] sentOrder) {
            final boolean[] seen = new boolean[events.size()];
            long received = 0;
            long duplicate = 0;
            long late = 0;
            int first = -1;
            int last = -1;
            for (int index : sentOrder) {
                if (events.get(index).reordered()) {
                    late++;
                } else if (seen[index]) {
                    duplicate++;
                } else {
                    received++;
                    first = first < 0 ? index : first;
                    last = index;
                }
                seen[index] = true;
            }
            long lost = 0;
            for (int i = first + 1; i < last; i++) {
                lost += !events.get(i).forwarded() || events.get(i).reordered() ? 1 : 0;
            }
            return new Expected(received, lost, duplicate, late);
        }

        static Expected of(LinkStats s) {
            return new Expected(s.get(LinkCounter.DATAGRAMS_RECEIVED), s.get(LinkCounter.PACKETS_LOST),
                    s.get(LinkCounter.PACKETS_DUPLICATE), s.get(LinkCounter.PACKETS_OUT_OF_ORDER));
        }
    }

    private Link start(LinkConfig.Builder config) throws LinkException {
        final Link link = Link.start(config.bindPort(0).backend(LinkConfig.BackendKind.BUILTIN)
                .queue(2).channels(2).bitResolution(16).build(),
                new BuiltinBackend(48000, FRAMES, 48000, TestSignal.Kind.RAMP), events::add);
        links.add(link);
        return link;
    }

    /** Every datagram a link's receiver looked at, whatever it then did with it. */
    private static long handled(Link link) {
        final LinkStats s = link.stats();
        return s.get(LinkCounter.DATAGRAMS_RECEIVED) + s.get(LinkCounter.PACKETS_DUPLICATE)
                + s.get(LinkCounter.PACKETS_OUT_OF_ORDER) + s.get(LinkCounter.DROPPED_FOREIGN)
                + s.get(LinkCounter.DROPPED_SHORT) + s.get(LinkCounter.DROPPED_MALFORMED)
                + s.get(LinkCounter.DROPPED_CONTROL) + s.get(LinkCounter.DROPPED_MISMATCH);
    }

    @Test
    void the_receiving_links_lost_duplicate_and_late_counts_follow_from_the_relays_record()
            throws LinkException, IOException {
        final Impairment impairment = Impairment.none().withLoss(0.02).withDuplicate(0.02)
                .withReorder(0.02).withSeed(5);
        final Link server = start(LinkConfig.builder(Role.SERVER, null).clientName("server"));
        relay = Relay.start(0, new InetSocketAddress("127.0.0.1", server.localPort()), impairment);
        final Link client = start(LinkConfig.builder(Role.CLIENT, "127.0.0.1")
                .peerPort(relay.localPort()).clientName("client"));
        final RelayRecord r = relay.record();
        Deadlines.await(Duration.ofSeconds(30), () -> r.arrived(Direction.TO_SERVER) >= PACKETS_EACH_WAY
                && r.arrived(Direction.TO_CLIENT) >= PACKETS_EACH_WAY, () -> r.summary() + events);
        relay.stop();
        Deadlines.await(Duration.ofSeconds(5), () -> handled(server) == r.sent(Direction.TO_SERVER)
                && handled(client) == r.sent(Direction.TO_CLIENT),
                () -> "links handled " + handled(server) + " and " + handled(client) + " of\n"
                        + r.summary());
        assertPredicted(server, Direction.TO_SERVER);
        assertPredicted(client, Direction.TO_CLIENT);
    }

    private void assertPredicted(Link receiver, Direction d) {
        final RelayRecord r = relay.record();
        final List<RelayRecord.Event> events = r.events(d);
        final int firstSequence = events.get(0).sequence();
        for (RelayRecord.Event e : events) {
            // The prediction needs every packet the sender sent to have reached the relay, in order.
            assertEquals((firstSequence + e.index()) & 0xFFFF, e.sequence(), e.describe());
        }
        final Expected expected = Expected.from(events, r.sentOrder(d));
        final Expected actual = Expected.of(receiver.stats());
        assertEquals(expected, actual, d.label() + ": " + receiver.stats().statLine() + "\n"
                + r.summary());
        assertTrue(expected.lost() > 0 && expected.duplicate() > 0 && expected.late() > 0,
                "the impairments did not all happen: " + expected);
        assertEquals(0, receiver.stats().get(LinkCounter.DROPPED_FOREIGN));
    }
}

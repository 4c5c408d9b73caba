package org.jamwire.netsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jamwire.engine.LinkCounter;
import org.jamwire.engine.ReceiveQueue;
import org.jamwire.link.Link;
import org.jamwire.link.LinkConfig;
import org.jamwire.link.LinkEvent;
import org.jamwire.link.LinkException;
import org.jamwire.link.LinkStats;
import org.jamwire.link.Role;
import org.jamwire.testing.AudioJudge;
import org.jamwire.testing.Deadlines;
import org.jamwire.testing.SignalBackend;
import org.jamwire.testing.StallWatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two links on the built-in backend talking through the relay, with loss, duplication and
 * reordering both ways: the receiving end's counters against the relay's own record, exactly.
 */
@Tag("integration")
@Tag("quiet")
class RelayLinkTest {

    private static final int FRAMES = 64;
    private static final int PACKETS_EACH_WAY = 3000;
    private static final int SETTLE_SECONDS = 15;
    private static final int MEASURE_SECONDS = 20;
    private static final int RECORD_SECONDS = SETTLE_SECONDS + MEASURE_SECONDS + 10;

    private final List<Link> links = new CopyOnWriteArrayList<>();
    /** Each link's audio, in the order the links started. */
    private final List<SignalBackend> audio = new CopyOnWriteArrayList<>();
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
     * one packet. Going through what the relay actually sent, in the order it sent it: the first
     * arrival starts the sequence; an arrival from before it is stale; a packet that already arrived
     * is a duplicate; any other is received, and reordered if a newer one came first. Lost are the
     * packets between the first and the newest that never arrived: the ones the relay dropped, and
     * a reordered one it still held when it stopped.
     */
    private record Expected(long received, long lost, long duplicate, long reordered, long stale) {

        static Expected from(List<RelayRecord.Event> events, int[] sentOrder) {
            final boolean[] seen = new boolean[events.size()];
            long received = 0;
            long duplicate = 0;
            long reordered = 0;
            long stale = 0;
            int first = -1;
            int newest = -1;
            for (int index : sentOrder) {
                if (first < 0) {
                    first = index;
                    newest = index;
                } else if (index < first) {
                    stale++;
                    continue;
                } else if (seen[index]) {
                    duplicate++;
                    continue;
                } else if (index < newest) {
                    reordered++;
                } else {
                    newest = index;
                }
                received++;
                seen[index] = true;
            }
            long lost = 0;
            for (int i = first + 1; i < newest; i++) {
                lost += seen[i] ? 0 : 1;
            }
            return new Expected(received, lost, duplicate, reordered, stale);
        }

        static Expected of(LinkStats s) {
            return new Expected(s.get(LinkCounter.DATAGRAMS_RECEIVED), s.get(LinkCounter.PACKETS_LOST),
                    s.get(LinkCounter.PACKETS_DUPLICATE), s.get(LinkCounter.PACKETS_REORDERED),
                    s.get(LinkCounter.PACKETS_STALE));
        }
    }

    private Link start(LinkConfig.Builder config) throws LinkException {
        return startWith(config.queue(2));
    }

    private Link startWith(LinkConfig.Builder config) throws LinkException {
        final SignalBackend backend = new SignalBackend(48000, FRAMES, 48000, 1, RECORD_SECONDS * 48000);
        final Link link = Link.start(config.bindPort(0).backend(LinkConfig.BackendKind.BUILTIN)
                .channels(2).bitResolution(16).build(), backend, events::add);
        links.add(link);
        audio.add(backend);
        return link;
    }

    /**
     * Judges what link {@code index} played from frame {@code from} to frame {@code to}: the signal,
     * sample for sample, but for what {@code causes} counted events cost.
     */
    private AudioJudge.Judgement assertPlayed(int index, long from, long to, long causes, String context) {
        final float[] played = Arrays.copyOf(audio.get(index).recording(1), (int) to);
        final AudioJudge.Judgement j = AudioJudge.of(played, (int) (from / FRAMES * FRAMES), 1, 16, FRAMES);
        j.assertAccounted(links.get(index).config().clientName(), causes, AudioJudge.JAMWIRE_PER_XRUN, context);
        return j;
    }

    /** Every datagram a link's receiver looked at, whatever it then did with it. */
    private static long handled(Link link) {
        final LinkStats s = link.stats();
        return s.get(LinkCounter.DATAGRAMS_RECEIVED) + s.get(LinkCounter.PACKETS_DUPLICATE)
                + s.get(LinkCounter.PACKETS_STALE) + s.get(LinkCounter.DROPPED_FOREIGN)
                + s.get(LinkCounter.DROPPED_SHORT) + s.get(LinkCounter.DROPPED_MALFORMED)
                + s.get(LinkCounter.DROPPED_CONTROL) + s.get(LinkCounter.DROPPED_MISMATCH);
    }

    @Test
    void the_receiving_links_lost_duplicate_and_reordered_counts_equal_the_relays_record()
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

    @Test
    void with_redundancy_2_every_isolated_loss_is_revived_and_nothing_else_is_concealed()
            throws LinkException, IOException {
        final Impairment impairment = Impairment.none().withLoss(0.03).withSeed(11);
        final Link server = startWith(LinkConfig.builder(Role.SERVER, null).clientName("server")
                .redundancy(2).queue(4));
        relay = Relay.start(0, new InetSocketAddress("127.0.0.1", server.localPort()), impairment);
        final Link client = startWith(LinkConfig.builder(Role.CLIENT, "127.0.0.1")
                .peerPort(relay.localPort()).clientName("client").redundancy(2).queue(4));
        final RelayRecord r = relay.record();
        Deadlines.await(Duration.ofSeconds(10), () -> server.stats().get(LinkCounter.PACKETS_RECEIVED) > 0
                && client.stats().get(LinkCounter.PACKETS_RECEIVED) > 0, () -> r.summary() + events);
        final StallWatch stalls = StallWatch.start();
        final long xrunsBefore = server.stats().xruns() + client.stats().xruns();
        final long concealedBefore = server.stats().get(LinkCounter.CONCEALED)
                + client.stats().get(LinkCounter.CONCEALED);
        final long underrunsBefore = server.stats().get(LinkCounter.UNDERRUNS)
                + client.stats().get(LinkCounter.UNDERRUNS);
        final long[] playedFrom = {audio.get(0).frames() + 48000, audio.get(1).frames() + 48000};
        Deadlines.await(Duration.ofSeconds(30), () -> r.arrived(Direction.TO_SERVER) >= PACKETS_EACH_WAY
                && r.arrived(Direction.TO_CLIENT) >= PACKETS_EACH_WAY, () -> r.summary() + events);
        // What was played up to now; once the relay stops, the queues run dry.
        final LinkStats serverPlayed = server.stats();
        final LinkStats clientPlayed = client.stats();
        final long[] playedTo = {audio.get(0).frames(), audio.get(1).frames()};
        relay.stop();
        Deadlines.await(Duration.ofSeconds(5), () -> handled(server) == r.sent(Direction.TO_SERVER)
                && handled(client) == r.sent(Direction.TO_CLIENT),
                () -> "links handled " + handled(server) + " and " + handled(client) + " of\n"
                        + r.summary());
        long lostForGood = 0;
        for (Direction d : Direction.values()) {
            final Link receiver = d == Direction.TO_SERVER ? server : client;
            final List<RelayRecord.Event> events = r.events(d);
            final int[] sent = r.sentOrder(d);
            final int first = sent[0];
            final int newest = sent[sent.length - 1];
            long isolated = 0;
            long doubled = 0;
            for (int i = first + 1; i < newest; i++) {
                if (!events.get(i).forwarded()) {
                    // Datagram i + 1 carries packet i as its second copy.
                    if (events.get(i + 1).forwarded()) {
                        isolated++;
                    } else {
                        doubled++;
                    }
                }
            }
            final LinkStats s = receiver.stats();
            assertTrue(isolated > 20, d.label() + ": only " + isolated + " isolated losses");
            assertEquals(isolated, s.get(LinkCounter.PACKETS_REVIVED), d.label() + ": " + s.statLine());
            assertEquals(doubled, s.get(LinkCounter.PACKETS_LOST), d.label() + ": " + s.statLine());
            lostForGood += doubled;
        }
        final long xruns = serverPlayed.xruns() + clientPlayed.xruns() - xrunsBefore;
        final long concealed = serverPlayed.get(LinkCounter.CONCEALED)
                + clientPlayed.get(LinkCounter.CONCEALED) - concealedBefore;
        final long underruns = serverPlayed.get(LinkCounter.UNDERRUNS) + clientPlayed.get(LinkCounter.UNDERRUNS)
                - underrunsBefore;
        // Only packets lost for good are concealed, plus whatever a late audio clock (an xrun)
        // costs while the queue refills, and the packets that a stall of this JVM's ordinary
        // threads (the packet loops' and the relay's) made late. Measured on this 2-core machine
        // in a clean-clone run: 34 packets late at the server in one burst, with 3 xruns.
        stalls.close();
        final long atRisk = stalls.periodsAtRisk(FRAMES, 48000);
        final long stallCount = stalls.stalls().size();
        final String stalled = stalls.describe();
        final String both = "\nserver " + serverPlayed.statLine() + "\nclient " + clientPlayed.statLine()
                + "\n" + stalled;
        System.out.println("redundancy 2 under 3 % loss: " + concealed + " frames concealed, " + lostForGood
                + " packets lost for good, " + xruns + " xruns, " + stalled);
        assertTrue(concealed <= (lostForGood + xruns * (4 + 2) + atRisk) * FRAMES, concealed + " frames concealed, "
                + lostForGood + " packets lost for good, " + xruns + " xruns, " + atRisk + " periods at risk from stalls"
                + both);
        assertTrue(underruns <= 2 * (xruns + stallCount), underruns + " underruns with " + xruns + " xruns and "
                + stallCount + " stalls" + both);
        // Sample by sample, from a second in: every packet lost for good is one event, and so is
        // each xrun and each stall.
        for (int i = 0; i < 2; i++) {
            assertPlayed(i, playedFrom[i], playedTo[i], lostForGood + xruns + stallCount, both);
        }
    }

    @Test
    void an_automatic_queue_covers_the_jitter_and_then_plays_without_glitches()
            throws LinkException, IOException {
        // 5 ms ± 3 ms each way: packets 1.3 ms apart arrive up to 6 ms out of step, reordered.
        final Impairment jitter = Impairment.none().withDelay(5_000, 3_000).withSeed(3);
        final Link server = startWith(LinkConfig.builder(Role.SERVER, null).clientName("server")
                .queue(ReceiveQueue.AUTO));
        relay = Relay.start(0, new InetSocketAddress("127.0.0.1", server.localPort()), jitter);
        final Link client = startWith(LinkConfig.builder(Role.CLIENT, "127.0.0.1")
                .peerPort(relay.localPort()).clientName("client").queue(ReceiveQueue.AUTO));
        Deadlines.await(Duration.ofSeconds(10), () -> server.stats().get(LinkCounter.PACKETS_RECEIVED) > 0
                && client.stats().get(LinkCounter.PACKETS_RECEIVED) > 0, () -> relay.record().summary() + events);
        // Settling: the queue covers the spread it measures within a window (half a second), and
        // drops the start-up length once ten seconds of arrivals show it is too long.
        audio.get(0).awaitFrames(audio.get(0).frames() + SETTLE_SECONDS * 48000L, Duration.ofSeconds(SETTLE_SECONDS + 10));
        final LinkStats s0 = server.stats();
        final LinkStats c0 = client.stats();
        final long[] from = {audio.get(0).frames(), audio.get(1).frames()};
        final StallWatch stalls = StallWatch.start();
        audio.get(0).awaitFrames(from[0] + MEASURE_SECONDS * 48000L, Duration.ofSeconds(MEASURE_SECONDS + 10));
        audio.get(1).awaitFrames(from[1] + MEASURE_SECONDS * 48000L, Duration.ofSeconds(10));
        final LinkStats s1 = server.stats();
        final LinkStats c1 = client.stats();
        final long[] to = {audio.get(0).frames(), audio.get(1).frames()};
        stalls.close();
        final long xruns = s1.xruns() + c1.xruns() - s0.xruns() - c0.xruns();
        final String both = "\nserver " + s0.statLine() + "\n    -> " + s1.statLine() + "\nclient "
                + c0.statLine() + "\n    -> " + c1.statLine() + "\n" + stalls.describe();
        System.out.println("automatic queue under 5 ± 3 ms of jitter, " + MEASURE_SECONDS + " s after "
                + SETTLE_SECONDS + " s of settling:" + both);
        // Covering 6 ms of spread takes about 5 periods, far below the 100 ms limit. An xrun (the
        // built-in clock skipping periods) in the ten seconds the queue measures over moves the
        // transits inside a window by what it skipped, which the queue then covers too.
        for (LinkStats s : List.of(s1, c1)) {
            final long target = s.get(LinkCounter.QUEUE_TARGET);
            assertTrue(target >= FRAMES && (target <= 12 * FRAMES || xruns > 0), "target " + target + " with " + xruns
                    + " xruns" + both);
            // Only a burst after a clock stood still (an xrun) can overfill an automatic queue.
            assertTrue(s.get(LinkCounter.OVERFLOWS) == 0 || xruns > 0, "overflows with " + xruns + " xruns" + both);
        }
        // Every sample is the signal but for the glitches, the queue's moves (each by whole
        // periods, at a gap or crossfaded) and what the xruns cost.
        final AudioJudge.Judgement atServer = assertPlayed(0, from[0], to[0],
                events(s1) - events(s0) + xruns, both);
        final AudioJudge.Judgement atClient = assertPlayed(1, from[1], to[1],
                events(c1) - events(c0) + xruns, both);
        // A queue that did not cover the jitter would glitch thousands of times in 20 s (4,000
        // packets arrive reordered); allowed: a few, and what a skipped period of either clock (an
        // xrun: packets late or early for good, which the queue must step back or skip for) costs.
        // The queue is also built to let the latest AUTO_LATE_SHARE_PERCENT % of packets arrive after
        // their place rather than play later for them, so that share of the packets received may
        // glitch too. Measured on this 2-core machine: a run heard 12 glitches in these 20 s, 10 of
        // them late packets at the server, 5 in one second, of about 30,000 packets the two ends
        // received (0.03 %: 15 allowed).
        // And a stall of this JVM's ordinary threads holds the relay and both packet loops: every
        // packet due in it, each way, arrives late for the machine's reasons, not the queue's (a
        // clean-clone run heard 56, 52 of them late at the server, with 15 xruns).
        final long received = s1.get(LinkCounter.PACKETS_RECEIVED) - s0.get(LinkCounter.PACKETS_RECEIVED)
                + c1.get(LinkCounter.PACKETS_RECEIVED) - c0.get(LinkCounter.PACKETS_RECEIVED);
        final long lateShare = (long) Math.ceil(received * ReceiveQueue.AUTO_LATE_SHARE_PERCENT / 100);
        final long atRisk = 2 * stalls.periodsAtRisk(FRAMES, 48000);
        final long heard = atServer.events().size() + atClient.events().size();
        assertTrue(heard <= 4 + 2 * xruns + lateShare + atRisk, heard + " glitches heard in " + MEASURE_SECONDS
                + " s with " + xruns + " xruns, " + atRisk + " periods at risk from stalls, " + lateShare
                + " allowed late of " + received + " packets received"
                + "\nat the server: " + atServer.summary() + "\nat the client: " + atClient.summary() + both);
    }

    private static long glitches(LinkStats s) {
        return s.get(LinkCounter.UNDERRUNS) + s.get(LinkCounter.PACKETS_LATE);
    }

    /** Everything a link counted that may change what it plays: glitches and the queue's moves. */
    private static long events(LinkStats s) {
        return glitches(s) + s.get(LinkCounter.STEP_BACKS) + s.get(LinkCounter.QUEUE_GROWS)
                + s.get(LinkCounter.QUEUE_SHRINKS) + s.get(LinkCounter.OVERFLOWS);
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
        assertTrue(expected.lost() > 0 && expected.duplicate() > 0 && expected.reordered() > 0,
                "the impairments did not all happen: " + expected);
        // In the relay's own terms: every datagram it dropped between the first and the newest
        // that arrived is lost, and every one it reordered is counted reordered.
        long dropped = 0;
        long reorderedByRelay = 0;
        final int first = r.sentOrder(d)[0];
        final int newest = Arrays.stream(r.sentOrder(d)).max().orElseThrow();
        for (RelayRecord.Event e : events) {
            if (e.index() > first && e.index() < newest) {
                dropped += e.forwarded() ? 0 : 1;
                reorderedByRelay += e.reordered() && e.forwarded() ? 1 : 0;
            }
        }
        assertEquals(dropped, actual.lost(), "lost against the relay's drops");
        assertEquals(reorderedByRelay, actual.reordered(), "reordered against the relay's record");

        assertEquals(0, receiver.stats().get(LinkCounter.DROPPED_FOREIGN));
    }
}

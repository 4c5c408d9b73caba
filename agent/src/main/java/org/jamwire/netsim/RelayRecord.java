package org.jamwire.netsim;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jamwire.protocol.PacketHeader;
import org.jamwire.protocol.StopPacket;

/**
 * What a {@link Relay} did to every datagram, each way: one {@link Event} per arrival, the order
 * in which copies were actually sent, and counts. Written by the relay's receive and release
 * threads, read on any thread; every method is synchronized, so a read is a consistent snapshot.
 */
public final class RelayRecord {

    /**
     * The relay's decision for one arriving datagram.
     *
     * @param index arrival index in its direction, from 0
     * @param sequence JackTrip sequence number (of the first packet, in a redundant datagram), or
     *     -1 when the datagram is not JackTrip audio
     * @param length UDP payload in bytes
     * @param arrivalNanos when the relay received it, on {@link System#nanoTime()}'s scale
     * @param fate forwarded, or dropped and why
     * @param duplicated forwarded twice, the copy right after it
     * @param reordered held back and sent right after the next forwarded datagram
     * @param delayMicros delay before it (and its copy) could leave, in microseconds
     */
    public record Event(int index, int sequence, int length, long arrivalNanos, Fate fate,
            boolean duplicated, boolean reordered, long delayMicros) {

        /** True when the relay forwarded it, possibly late, twice or after its successor. */
        public boolean forwarded() {
            return fate == Fate.FORWARDED;
        }

        /** Datagrams this arrival should put on the wire: 0, 1 or 2. */
        public int copies() {
            return !forwarded() ? 0 : duplicated ? 2 : 1;
        }

        /** One line, e.g. {@code #12 seq 345: forwarded, duplicated, delayed 20012 µs}. */
        public String describe() {
            return "#" + index + (sequence < 0 ? " (not audio)" : " seq " + sequence) + ": "
                    + fate.label() + (duplicated ? ", duplicated" : "")
                    + (reordered ? ", reordered" : "")
                    + (delayMicros > 0 ? ", delayed " + delayMicros + " µs" : "");
        }
    }

    /** One direction's log. */
    private static final class Log {
        final List<Event> events = new ArrayList<>();
        final long[] byFate = new long[Fate.values().length];
        int[] sentOrder = new int[1024];
        int sent;
        long sentBytes;
        long duplicated;
        long reordered;
        long discarded;
        long ignored;
        long sendErrors;
    }

    private final Map<Direction, Log> logs = new EnumMap<>(Direction.class);

    RelayRecord() {
        for (Direction d : Direction.values()) {
            logs.put(d, new Log());
        }
    }

    /**
     * The sequence number of a JackTrip audio datagram: bytes 8-9, little-endian, of a datagram of
     * at least 16 bytes that is not a 63-byte control datagram; -1 for anything else.
     */
    public static int sequenceOf(ByteBuffer datagram, int length) {
        if (length < PacketHeader.LENGTH || StopPacket.isControl(length)) {
            return -1;
        }
        return PacketHeader.sequence(datagram, 0);
    }

    synchronized void noteArrival(Direction d, Event e) {
        final Log log = logs.get(d);
        log.events.add(e);
        log.byFate[e.fate().ordinal()]++;
        log.duplicated += e.duplicated() ? 1 : 0;
        log.reordered += e.reordered() ? 1 : 0;
    }

    synchronized void noteSent(Direction d, int index, int length) {
        final Log log = logs.get(d);
        if (log.sent == log.sentOrder.length) {
            log.sentOrder = Arrays.copyOf(log.sentOrder, log.sent * 2);
        }
        log.sentOrder[log.sent++] = index;
        log.sentBytes += length;
    }

    synchronized void noteDiscarded(Direction d, int copies) {
        logs.get(d).discarded += copies;
    }

    synchronized void noteIgnored(Direction d) {
        logs.get(d).ignored++;
    }

    synchronized void noteSendError(Direction d) {
        logs.get(d).sendErrors++;
    }

    /** Every arrival's event, in arrival order. */
    public synchronized List<Event> events(Direction d) {
        return List.copyOf(logs.get(d).events);
    }

    /** The arrival index of every datagram sent, in the order sent; a duplicate appears twice. */
    public synchronized int[] sentOrder(Direction d) {
        final Log log = logs.get(d);
        return Arrays.copyOf(log.sentOrder, log.sent);
    }

    /** Datagrams that arrived and got a fate. */
    public synchronized long arrived(Direction d) {
        return logs.get(d).events.size();
    }

    /** Arrivals forwarded (each counted once, duplicated or not). */
    public synchronized long forwarded(Direction d) {
        return logs.get(d).byFate[Fate.FORWARDED.ordinal()];
    }

    /** Arrivals dropped, for any reason. */
    public synchronized long dropped(Direction d) {
        return arrived(d) - forwarded(d);
    }

    /** Arrivals dropped for this reason ({@link Fate#FORWARDED} gives {@link #forwarded}). */
    public synchronized long dropped(Direction d, Fate fate) {
        return logs.get(d).byFate[fate.ordinal()];
    }

    /** Arrivals forwarded twice. */
    public synchronized long duplicated(Direction d) {
        return logs.get(d).duplicated;
    }

    /** Arrivals held back and sent after their successor. */
    public synchronized long reordered(Direction d) {
        return logs.get(d).reordered;
    }

    /** Datagrams actually handed to the socket, copies included. */
    public synchronized long sent(Direction d) {
        return logs.get(d).sent;
    }

    /** UDP payload bytes actually handed to the socket, copies included. */
    public synchronized long sentBytes(Direction d) {
        return logs.get(d).sentBytes;
    }

    /** Copies still queued or held when the relay stopped, and so never sent. */
    public synchronized long discarded(Direction d) {
        return logs.get(d).discarded;
    }

    /**
     * Datagrams not relayed at all and not in {@link #events}: from the server-facing side, those
     * from anywhere but the server, or from the server before any client had sent.
     */
    public synchronized long ignored(Direction d) {
        return logs.get(d).ignored;
    }

    /** Sends the socket refused. */
    public synchronized long sendErrors(Direction d) {
        return logs.get(d).sendErrors;
    }

    /** One direction's counts on one line, for the command line's per-second report. */
    public synchronized String line(Direction d) {
        final Log log = logs.get(d);
        return String.format(Locale.ROOT,
                "%-9s %8d arrived %8d sent %6d lost %6d burst %6d rate %6d dup %6d reord",
                d.label(), log.events.size(), log.sent, log.byFate[Fate.DROPPED_RANDOM.ordinal()],
                log.byFate[Fate.DROPPED_BURST.ordinal()], log.byFate[Fate.DROPPED_RATE.ordinal()],
                log.duplicated, log.reordered);
    }

    /** Both directions in words, one line each. */
    public synchronized String summary() {
        final StringBuilder out = new StringBuilder();
        for (Direction d : Direction.values()) {
            final Log log = logs.get(d);
            out.append(d.label()).append(": ").append(log.events.size()).append(" arrived, ")
                    .append(forwarded(d)).append(" forwarded (").append(log.duplicated)
                    .append(" duplicated, ").append(log.reordered).append(" reordered), ")
                    .append(dropped(d)).append(" dropped (")
                    .append(log.byFate[Fate.DROPPED_RANDOM.ordinal()]).append(" random, ")
                    .append(log.byFate[Fate.DROPPED_BURST.ordinal()]).append(" burst, ")
                    .append(log.byFate[Fate.DROPPED_RATE.ordinal()]).append(" rate); ")
                    .append(log.sent).append(" datagrams sent, ").append(log.discarded)
                    .append(" discarded at stop, ").append(log.ignored).append(" ignored")
                    .append(log.sendErrors > 0 ? ", " + log.sendErrors + " send errors" : "")
                    .append('\n');
        }
        return out.toString();
    }
}

package org.jamwire.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import org.jamwire.engine.Counters;
import org.jamwire.engine.JitterEstimator;
import org.jamwire.engine.LinkCounter;
import org.jamwire.engine.LinkEngine;
import org.jamwire.engine.MicrosClock;
import org.jamwire.engine.PacketRing;
import org.jamwire.engine.ReceiveQueue;
import org.jamwire.engine.SequenceTracker;
import org.jamwire.engine.StreamFormat;
import org.jamwire.protocol.DatagramCheck;
import org.jamwire.protocol.PacketHeader;
import org.jamwire.protocol.Redundancy;
import org.jamwire.protocol.StopPacket;

/**
 * The network half of a link, driven by the audio thread ({@link #receiveWaiting} at the start of
 * each period, {@link #sendQueued} when the engine rings), by the control thread while no audio
 * client runs, and by tests through {@link #doWork()}. It checks every datagram (source, length,
 * header, sample rate, bit depth, sequence), hands new packets to the engine, and sends the
 * datagrams the engine produced. A server adopts the source of the first datagram that fits the
 * link's format as its peer, from the pinned address only when one is set ({@link #pin}), and then
 * drops datagrams from anywhere else. A datagram that does not fit never changes a waiting
 * server's state: it is counted, and its sender is told this end's format at most once a second.
 * Rejections are counted, never logged; time comes from the clock it is given. No allocation, no
 * waiting; the only locks are the socket's own, taken by one thread at a time.
 */
public final class PacketLoop {

    /** Largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM = 65507;
    private static final int MAX_RECEIVES_PER_PASS = 32;
    private static final int MAX_COPIES = 64;
    private static final long MICROS_PER_SECOND = 1_000_000L;
    /** Fewest microseconds between two notices to strangers: a datagram must not become a flood. */
    static final long STRANGER_NOTICE_MICROS = MICROS_PER_SECOND;

    private final LinkSocket socket;
    private final MicrosClock clock;
    /* The format's figures, copied: the packet loop never calls StreamFormat (see LinkEngine). */
    private final int rateCode;
    private final int bits;
    private final int sampleRate;
    private final PacketRing outgoing;
    private final PacketRing incoming;
    private final Counters counters;
    private final PeerStatus status;
    private final LinkEngine engine;
    private final ByteBuffer rx = ByteBuffer.allocateDirect(MAX_DATAGRAM + 1);
    private final ByteBuffer stop = ByteBuffer.allocateDirect(StopPacket.LENGTH);
    private final ByteBuffer notice;
    private final SequenceTracker tracker = new SequenceTracker();
    private final JitterEstimator jitter = new JitterEstimator();
    private final int[] seqs = new int[MAX_COPIES];
    private InetSocketAddress peer;
    /** The only source a waiting server may adopt: an address (null for any) and a port (0 for any). */
    private InetAddress pinAddress;
    private int pinPort;
    /** When a stranger with another format was last told ours, in the clock's microseconds; 0 for never. */
    private long lastStrangerNotice;

    /**
     * Creates the loop over a link's socket.
     *
     * @param socket the link's socket
     * @param fixedPeer the peer a client sends to, or null for a server that adopts one
     * @param format the local stream format
     * @param outgoing datagrams from the audio thread
     * @param incoming packets to the audio thread, tagged as {@link ReceiveQueue#push} reads them
     * @param counters the link's counters
     * @param status where the peer's state is published
     * @param engine the audio-thread half, told when a server has a peer to send to
     * @param clock times arrivals (the peer's last datagram, its jitter) and notices to strangers
     */
    public PacketLoop(LinkSocket socket, InetSocketAddress fixedPeer, StreamFormat format,
            PacketRing outgoing, PacketRing incoming, Counters counters, PeerStatus status,
            LinkEngine engine, MicrosClock clock) {
        this.socket = socket;
        this.clock = clock;
        this.rateCode = format.rateCode();
        this.bits = format.bits();
        this.sampleRate = format.sampleRate();
        this.outgoing = outgoing;
        this.incoming = incoming;
        this.counters = counters;
        this.status = status;
        this.engine = engine;
        status.peer = this.peer = fixedPeer;
        StopPacket.write(stop, 0);
        // A silent packet in our format tells a mismatching peer our rate and depth before we stop.
        notice = ByteBuffer.allocateDirect(format.packetLength());
        PacketHeader.write(notice, 0, 0L, 0, format.bufferSize(), format.rateCode(), format.bits(),
                format.receiveChannels(), format.sendChannels());
        engine.setSending(fixedPeer != null);
    }

    /**
     * Pins who a waiting server may adopt: only datagrams from {@code address} (and {@code port},
     * unless it is 0) become the peer; any other source is counted as foreign. Call before the loop
     * runs; a client's fixed peer is pinned already.
     */
    public void pin(InetAddress address, int port) {
        if (port < 0 || port > 65535 || address == null) {
            throw Refused.pin(address, port);
        }
        this.pinAddress = address;
        this.pinPort = port;
    }

    /** One pass, as tests drive the loop: receives what waits, sends what is queued; returns the work done. */
    public int doWork() {
        return receiveWaiting(MAX_RECEIVES_PER_PASS) + sendQueued();
    }

    /** Handles the datagrams waiting on the socket, at most {@code max}; returns how many. One thread at a time. */
    public int receiveWaiting(int max) {
        int handled = 0;
        while (handled < max && receive()) {
            handled++;
        }
        return handled;
    }

    /** Sends the stop packet twice to the peer, if there is one. Call after the loop has ended. */
    public void sendStop() {
        for (int i = 0; peer != null && i < 2; i++) {
            send(stop.clear(), peer);
        }
    }

    /** Receives and handles one datagram; false when none waits or the socket is closed. */
    private boolean receive() {
        rx.clear();
        final SocketAddress from;
        try {
            from = socket.receive(rx);
        } catch (IOException e) {
            counters.increment(LinkCounter.RECEIVE_ERRORS);
            return false;
        }
        if (from == null) {
            return false;
        }
        final int len = rx.position();
        if (peer != null ? !peer.equals(from) : !pinned((InetSocketAddress) from)) {
            counters.increment(LinkCounter.DROPPED_FOREIGN);
            if (peer == null) {
                status.lastForeign = (InetSocketAddress) from;
            }
            return true;
        }
        final int code = len > MAX_DATAGRAM ? DatagramCheck.LENGTH_MISMATCH : DatagramCheck.check(rx, 0, len);
        if (code != DatagramCheck.OK) {
            rejected(code);
            return true;
        }
        if (PacketHeader.sampleRateCode(rx, 0) != rateCode || PacketHeader.bitResolution(rx, 0) != bits) {
            counters.increment(LinkCounter.DROPPED_MISMATCH);
            if (peer == null && pinAddress == null) {
                stranger((InetSocketAddress) from);
            } else {
                mismatched((InetSocketAddress) from);
            }
            return true;
        }
        if (peer == null) {
            status.peer = peer = (InetSocketAddress) from;
            tracker.reset();
            jitter.reset();
            engine.setSending(true);
        }
        deliver(len);
        return true;
    }

    private void rejected(int code) {
        if (code == DatagramCheck.STOP && peer != null) {
            status.peerStopped = true;
        } else if (code == DatagramCheck.STOP || code == DatagramCheck.CONTROL) {
            counters.increment(LinkCounter.DROPPED_CONTROL);
        } else {
            counters.increment(code == DatagramCheck.TOO_SHORT ? LinkCounter.DROPPED_SHORT
                    : LinkCounter.DROPPED_MALFORMED);
        }
    }

    /** Whether a waiting server may adopt {@code from}: any source, or only the pinned one. */
    private boolean pinned(InetSocketAddress from) {
        return pinAddress == null
                || pinAddress.equals(from.getAddress()) && (pinPort == 0 || pinPort == from.getPort());
    }

    /**
     * A datagram in another format from someone a waiting server has not adopted: anyone can send
     * one, so it changes nothing. It is counted and published for the control thread to report, and
     * the sender is told this end's format (so a real peer can say what differs) at most once a second.
     */
    private void stranger(InetSocketAddress from) {
        status.strangerBits = PacketHeader.bitResolution(rx, 0);
        status.strangerRateCode = PacketHeader.sampleRateCode(rx, 0);
        status.stranger = from;
        final long now = clock.micros();
        if (lastStrangerNotice == 0 || now - lastStrangerNotice >= STRANGER_NOTICE_MICROS) {
            lastStrangerNotice = now;
            send(notice.clear(), from);
        }
    }

    private void mismatched(InetSocketAddress from) {
        if (status.mismatchRateCode >= 0) {
            return;
        }
        status.mismatchBits = PacketHeader.bitResolution(rx, 0);
        status.mismatchRateCode = PacketHeader.sampleRateCode(rx, 0);
        if (peer == null) {
            status.peer = peer = from;
        }
        send(notice.clear(), from);
    }

    private void deliver(int len) {
        final int inDatagram = DatagramCheck.copies(rx, 0, len);
        final int stride = len / inDatagram;
        // Only the newest copy's header was checked. An older copy is taken only while its own header
        // describes a packet of the same length: one that claims more would be decoded past its end on
        // the audio thread. Older slots a sender has not filled yet are all zero and end the copies too.
        int copies = 1;
        while (copies < Math.min(inDatagram, MAX_COPIES) && Redundancy.stride(rx, copies * stride) == stride) {
            copies++;
        }
        if (copies < Math.min(inDatagram, MAX_COPIES) && PacketHeader.bufferSize(rx, copies * stride) != 0) {
            counters.increment(LinkCounter.DROPPED_MALFORMED);
        }
        for (int i = 0; i < copies; i++) {
            seqs[i] = PacketHeader.sequence(rx, i * stride);
        }
        final int verdict = tracker.accept(seqs, copies);
        if (verdict == SequenceTracker.DUPLICATE || verdict == SequenceTracker.STALE) {
            counters.increment(verdict == SequenceTracker.STALE ? LinkCounter.PACKETS_STALE
                    : LinkCounter.PACKETS_DUPLICATE);
            return;
        }
        counters.increment(LinkCounter.DATAGRAMS_RECEIVED);
        final int deliveries = tracker.deliveries();
        if (verdict == SequenceTracker.REORDERED) {
            counters.add(LinkCounter.PACKETS_REORDERED, deliveries);
            counters.add(LinkCounter.PACKETS_LOST, -deliveries);
        } else {
            // Nanoseconds on the clock's scale, at its microsecond resolution.
            final long now = clock.micros() * 1000L;
            status.lastReceiveNanos = now;
            jitter.arrival(now, seqs[0], PacketHeader.bufferSize(rx, 0) * 1000L * MICROS_PER_SECOND
                    / sampleRate);
            counters.set(LinkCounter.JITTER_US, jitter.jitterMicros());
            status.peerRateCode = PacketHeader.sampleRateCode(rx, 0);
            status.peerBits = PacketHeader.bitResolution(rx, 0);
            status.peerFrames = PacketHeader.bufferSize(rx, 0);
            status.peerChannels = PacketHeader.payloadChannels(rx, 0);
            status.peerReceiveChannels = PacketHeader.incomingChannels(rx, 0);
            counters.add(LinkCounter.PACKETS_LOST, tracker.lost());
            counters.add(LinkCounter.PACKETS_REVIVED, tracker.revived());
        }
        final int restart = verdict == SequenceTracker.RESTART ? ReceiveQueue.RESTART : 0;
        for (int k = 0; k < deliveries; k++) {
            final int i = tracker.delivery(k);
            final int slot = incoming.claim();
            if (slot == PacketRing.NONE) {
                counters.increment(LinkCounter.RECEIVE_QUEUE_FULL);
                continue;
            }
            incoming.buffer(slot).clear().put(rx.limit(i * stride + stride).position(i * stride));
            incoming.commit(slot, stride, seqs[i] | restart);
            counters.increment(LinkCounter.PACKETS_RECEIVED);
        }
    }

    /** Sends every datagram the audio thread has queued; returns how many. One thread at a time. */
    public int sendQueued() {
        int sent = 0;
        for (int slot = outgoing.peek(); slot != PacketRing.NONE; slot = outgoing.peek()) {
            final InetSocketAddress to = peer;
            if (to != null && status.mismatchRateCode < 0) {
                if (send(outgoing.buffer(slot).limit(outgoing.length(slot)).position(0), to)) {
                    counters.increment(LinkCounter.DATAGRAMS_SENT);
                }
            }
            outgoing.release();
            sent++;
        }
        return sent;
    }

    private boolean send(ByteBuffer datagram, InetSocketAddress to) {
        final boolean sent = socket.send(datagram, to);
        if (!sent) {
            counters.increment(LinkCounter.SEND_ERRORS);
        }
        return sent;
    }

    /**
     * Messages for control-thread calls, in a class of their own: the audio thread's classes hold
     * no string constants (see {@code RealTimeConstantsTest}).
     */
    private static final class Refused {
        static RuntimeException pin(InetAddress address, int port) {
            return port < 0 || port > 65535 ? new IllegalArgumentException("port " + port + " is outside 0..65535")
                    : new NullPointerException("address");
        }
    }
}

package org.jamwire.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import org.jamwire.engine.Counters;
import org.jamwire.engine.JitterEstimator;
import org.jamwire.engine.LinkCounter;
import org.jamwire.engine.LinkEngine;
import org.jamwire.engine.PacketRing;
import org.jamwire.engine.ReceiveQueue;
import org.jamwire.engine.SequenceTracker;
import org.jamwire.engine.StreamFormat;
import org.jamwire.protocol.DatagramCheck;
import org.jamwire.protocol.PacketHeader;
import org.jamwire.protocol.Redundancy;
import org.jamwire.protocol.StopPacket;

/**
 * The network half of a link. In a link the audio thread drives it on a non-blocking socket: it
 * calls {@link #receive()} until nothing waits at the start of each period, and
 * {@link #sendQueued()} when the engine rings (the control thread receives instead while no audio
 * client runs); tests drive both through {@link #doWork()}. It checks every datagram (source,
 * length, header, sample rate, bit depth, sequence), hands new packets to the engine, and sends the
 * datagrams the engine produced. A server adopts the source of the first datagram that fits the
 * link's format (sample rate and bit depth) as its peer, from the pinned address only when one is
 * set ({@link #pin}), and from then on drops datagrams from anywhere else. A datagram that does not
 * fit never changes a waiting server's state: it is counted, and its sender is told this end's
 * format at most once a second. Every rejected datagram is counted,
 * never logged. No allocation; on a non-blocking socket nothing waits, and the only locks are the
 * socket's own (read, write and state), taken by one thread at a time.
 */
public final class PacketLoop {

    /** Largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM = 65507;
    private static final int MAX_RECEIVES_PER_PASS = 32;
    private static final int MAX_COPIES = 64;

    private final DatagramChannel channel;
    private final StreamFormat format;
    private final PacketRing outgoing;
    private final PacketRing incoming;
    private final Counters counters;
    private final PeerStatus status;
    private final LinkEngine engine;
    private final ByteBuffer rx = ByteBuffer.allocateDirect(MAX_DATAGRAM + 1);
    // Incoming ring slots must hold the largest single packet of a valid datagram.
    private final ByteBuffer stop = ByteBuffer.allocateDirect(StopPacket.LENGTH);
    private final ByteBuffer notice;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private final SequenceTracker tracker = new SequenceTracker();
    private final JitterEstimator jitter = new JitterEstimator();
    private final int[] seqs = new int[MAX_COPIES];
    private InetSocketAddress peer;
    /** The only address a waiting server may adopt, or null for any. */
    private InetAddress pinAddress;
    /** The only port a waiting server may adopt, or 0 for any. */
    private int pinPort;
    /** When a stranger with another format was last told ours; 0 for never. */
    private long lastStrangerNotice;
    /** Fewest nanoseconds between two notices to strangers: a datagram must not become a flood. */
    static final long STRANGER_NOTICE_NANOS = NANOS_PER_SECOND;

    /**
     * Creates the loop over a bound, non-blocking channel.
     *
     * @param channel the link's socket
     * @param fixedPeer the peer a client sends to, or null for a server that adopts one
     * @param format the local stream format
     * @param outgoing datagrams from the audio thread
     * @param incoming packets to the audio thread, each tagged with its sequence number (see
     *     {@link ReceiveQueue#push})
     * @param counters the link's counters
     * @param status where the peer's state is published
     * @param engine the audio-thread half, told when a server has a peer to send to
     */
    public PacketLoop(DatagramChannel channel, InetSocketAddress fixedPeer, StreamFormat format,
            PacketRing outgoing, PacketRing incoming, Counters counters, PeerStatus status,
            LinkEngine engine) {
        this.channel = channel;
        this.format = format;
        this.outgoing = outgoing;
        this.incoming = incoming;
        this.counters = counters;
        this.status = status;
        this.engine = engine;
        this.peer = fixedPeer;
        status.peer = fixedPeer;
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
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        this.pinAddress = java.util.Objects.requireNonNull(address, "address");
        this.pinPort = port;
    }

    /**
     * One pass for a single thread driving a non-blocking socket, as tests do: receive what is
     * waiting, send what is queued. Returns the work done.
     */
    public int doWork() {
        return receiveWaiting(MAX_RECEIVES_PER_PASS) + sendQueued();
    }

    /**
     * Handles the datagrams waiting on a non-blocking socket, at most {@code max}; returns how
     * many. One thread at a time.
     */
    public int receiveWaiting(int max) {
        int handled = 0;
        while (handled < max && receive()) {
            handled++;
        }
        return handled;
    }

    /** True once the loop has nothing more to do: the peer stopped or its format mismatched. */
    public boolean finished() {
        return status.peerStopped || status.mismatchRateCode >= 0;
    }

    /** Sends the stop packet twice to the peer, if there is one. Call after the loop has ended. */
    public void sendStop() {
        if (peer == null) {
            return;
        }
        for (int i = 0; i < 2; i++) {
            stop.clear();
            try {
                channel.send(stop, peer);
            } catch (IOException e) {
                counters.increment(LinkCounter.SEND_ERRORS);
            }
        }
    }

    /**
     * Receives and handles one datagram: on a blocking socket, waits for it. Returns false when
     * there was none (non-blocking) or the socket is closed. One thread at a time.
     */
    public boolean receive() {
        rx.clear();
        final SocketAddress from;
        try {
            from = channel.receive(rx);
        } catch (ClosedChannelException e) {
            return false;
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
        if (PacketHeader.sampleRateCode(rx, 0) != format.rateCode()
                || PacketHeader.bitResolution(rx, 0) != format.bits()) {
            if (peer == null && pinAddress == null) {
                stranger((InetSocketAddress) from);
            } else {
                mismatched((InetSocketAddress) from);
            }
            return true;
        }
        if (peer == null) {
            peer = (InetSocketAddress) from;
            status.peer = peer;
            tracker.reset();
            jitter.reset();
            engine.setSending(true);
        }
        deliver(len);
        return true;
    }

    private void rejected(int code) {
        if (code == DatagramCheck.STOP) {
            if (peer != null) {
                status.peerStopped = true;
            } else {
                counters.increment(LinkCounter.DROPPED_CONTROL);
            }
        } else if (code == DatagramCheck.CONTROL) {
            counters.increment(LinkCounter.DROPPED_CONTROL);
        } else if (code == DatagramCheck.TOO_SHORT) {
            counters.increment(LinkCounter.DROPPED_SHORT);
        } else {
            counters.increment(LinkCounter.DROPPED_MALFORMED);
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
        counters.increment(LinkCounter.DROPPED_MISMATCH);
        status.strangerBits = PacketHeader.bitResolution(rx, 0);
        status.strangerRateCode = PacketHeader.sampleRateCode(rx, 0);
        status.stranger = from;
        final long now = System.nanoTime();
        if (lastStrangerNotice != 0 && now - lastStrangerNotice < STRANGER_NOTICE_NANOS) {
            return;
        }
        lastStrangerNotice = now;
        notice.clear();
        try {
            channel.send(notice, from);
        } catch (IOException e) {
            counters.increment(LinkCounter.SEND_ERRORS);
        }
    }

    private void mismatched(InetSocketAddress from) {
        counters.increment(LinkCounter.DROPPED_MISMATCH);
        if (status.mismatchRateCode >= 0) {
            return;
        }
        status.mismatchBits = PacketHeader.bitResolution(rx, 0);
        status.mismatchRateCode = PacketHeader.sampleRateCode(rx, 0);
        if (peer == null) {
            peer = from;
            status.peer = from;
        }
        notice.clear();
        try {
            channel.send(notice, from);
        } catch (IOException e) {
            counters.increment(LinkCounter.SEND_ERRORS);
        }
    }

    private void deliver(int len) {
        final int inDatagram = DatagramCheck.copies(rx, 0, len);
        final int stride = len / inDatagram;
        // Only the newest copy's header was checked. An older copy is taken only while its own
        // header describes a packet of the same length: one that claims more would be decoded past
        // its end on the audio thread. The older slots a sender has not filled yet are all zero,
        // and end the copies the same way.
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
        if (verdict == SequenceTracker.DUPLICATE) {
            counters.increment(LinkCounter.PACKETS_DUPLICATE);
            return;
        }
        if (verdict == SequenceTracker.STALE) {
            counters.increment(LinkCounter.PACKETS_STALE);
            return;
        }
        counters.increment(LinkCounter.DATAGRAMS_RECEIVED);
        final int deliveries = tracker.deliveries();
        if (verdict == SequenceTracker.REORDERED) {
            counters.add(LinkCounter.PACKETS_REORDERED, deliveries);
            counters.add(LinkCounter.PACKETS_LOST, -deliveries);
        } else {
            final long now = System.nanoTime();
            status.lastReceiveNanos = now;
            jitter.arrival(now, seqs[0], PacketHeader.bufferSize(rx, 0) * NANOS_PER_SECOND / format.sampleRate());
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
            final ByteBuffer dst = incoming.buffer(slot);
            dst.clear();
            rx.limit(i * stride + stride).position(i * stride);
            dst.put(rx);
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
                final ByteBuffer b = outgoing.buffer(slot);
                b.limit(outgoing.length(slot)).position(0);
                try {
                    channel.send(b, to);
                    counters.increment(LinkCounter.DATAGRAMS_SENT);
                } catch (IOException e) {
                    counters.increment(LinkCounter.SEND_ERRORS);
                }
            }
            outgoing.release();
            sent++;
        }
        return sent;
    }
}

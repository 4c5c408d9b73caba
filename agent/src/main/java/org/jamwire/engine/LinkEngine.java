package org.jamwire.engine;

import java.nio.ByteBuffer;
import org.jamwire.audio.AudioProcessor;
import org.jamwire.protocol.PacketHeader;
import org.jamwire.protocol.Redundancy;
import org.jamwire.protocol.SampleCodec;

/**
 * The audio-thread half of a link. Each period it encodes the send channels into a packet, wraps it
 * with the previous {@code redundancy - 1} packets (newest first, as jacktrip lays them out) and
 * hands the datagram to the packet loop; then it decodes whatever packets the loop has received and
 * plays one period from the {@link ReceiveQueue}. Called on the JACK thread (or the built-in
 * backend's clock thread); no allocation, locks, blocking or logging.
 */
public final class LinkEngine implements AudioProcessor {

    /*
     * The format's figures, copied: the audio thread never calls StreamFormat, a record whose
     * string constants the JIT would otherwise resolve on this thread.
     */
    private final int bufferSize;
    private final int rateCode;
    private final int bits;
    private final int sendChannels;
    private final int receiveChannels;
    private final PacketRing outgoing;
    private final PacketRing incoming;
    private final Counters counters;
    private final MicrosClock clock;
    private final SendSignal signal;
    private final ReceiveQueue queue;
    private final byte[] history;
    private final ByteBuffer packet;
    private final int packetLength;
    private volatile boolean sending;
    private volatile boolean resetRequested;
    private int sequence;

    /**
     * Creates the engine.
     *
     * @param format the local stream format
     * @param outgoing datagrams for the packet loop to send (this engine is the producer)
     * @param incoming single packets from the packet loop, each tagged as
     *     {@link ReceiveQueue#push} takes it (this engine is the consumer)
     * @param counters the link's counters
     * @param clock the header timestamp's clock
     * @param signal rung after each datagram is queued for the sender
     */
    public LinkEngine(StreamFormat format, PacketRing outgoing, PacketRing incoming, Counters counters,
            MicrosClock clock, SendSignal signal) {
        this.bufferSize = format.bufferSize();
        this.rateCode = format.rateCode();
        this.bits = format.bits();
        this.sendChannels = format.sendChannels();
        this.receiveChannels = format.receiveChannels();
        this.outgoing = outgoing;
        this.incoming = incoming;
        this.counters = counters;
        this.clock = clock;
        this.signal = signal;
        this.packetLength = format.packetLength();
        this.history = new byte[format.datagramLength()];
        this.packet = ByteBuffer.allocate(packetLength);
        this.queue = new ReceiveQueue(format.receiveChannels(), format.bufferSize(), format.queue(),
                format.maxQueueMillis(), format.sampleRate(), format.underrunPolicy(), format.followDrift(), counters);
        if (outgoing.slotSize() < history.length) {
            throw Refused.slots(outgoing.slotSize(), history.length);
        }
    }

    /** Starts or stops handing datagrams to the packet loop; a server sends once it has a peer. */
    public void setSending(boolean on) {
        sending = on;
    }

    /** Asks the audio thread to empty its receive queue at its next period (control thread). */
    public void requestReset() {
        resetRequested = true;
    }

    @Override
    public void process(float[][] inputs, float[][] outputs, int frames) {
        // One reading a period: the send timestamp, and when this period began for the drift estimate.
        final long now = clock.micros();
        if (frames == bufferSize) {
            send(inputs, frames, now);
        }
        if (resetRequested) {
            resetRequested = false;
            drain(true);
            queue.clear();
        }
        drain(false);
        queue.pull(outputs, frames, now);
    }

    private void send(float[][] inputs, int frames, long now) {
        PacketHeader.write(packet, 0, now, sequence, frames, rateCode, bits, receiveChannels, sendChannels);
        SampleCodec.encode(inputs, sendChannels, frames, bits, packet, PacketHeader.LENGTH);
        sequence = (sequence + 1) & 0xFFFF;
        // Newest first: shift older packets one stride right, then put this one in front.
        System.arraycopy(history, 0, history, packetLength, history.length - packetLength);
        System.arraycopy(packet.array(), 0, history, 0, packetLength);
        if (!sending) {
            return;
        }
        final int slot = outgoing.claim();
        if (slot == PacketRing.NONE) {
            counters.increment(LinkCounter.SEND_QUEUE_FULL);
            return;
        }
        final ByteBuffer dst = outgoing.buffer(slot);
        dst.clear();
        dst.put(history, 0, history.length);
        outgoing.commit(slot, history.length);
        counters.increment(LinkCounter.PACKETS_SENT);
        signal.ring();
    }

    private void drain(boolean discard) {
        for (int slot = incoming.peek(); slot != PacketRing.NONE; slot = incoming.peek()) {
            if (!discard) {
                final ByteBuffer p = incoming.buffer(slot);
                if (Redundancy.stride(p, 0) == incoming.length(slot)) {
                    queue.push(p, PacketHeader.LENGTH, PacketHeader.bitResolution(p, 0),
                            PacketHeader.bufferSize(p, 0), PacketHeader.payloadChannels(p, 0),
                            incoming.tag(slot), PacketHeader.timestamp(p, 0));
                } else {
                    // Never decode past a packet's end, whatever put it here.
                    counters.increment(LinkCounter.DROPPED_MALFORMED);
                }
            }
            incoming.release();
        }
    }

    /** Messages for the constructor, in a class of their own: see {@code RealTimeConstantsTest}. */
    private static final class Refused {
        static IllegalArgumentException slots(int slotSize, int datagram) {
            return new IllegalArgumentException("send slots of " + slotSize + " bytes cannot hold a " + datagram
                    + "-byte datagram");
        }
    }
}

package org.jamwire.engine;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Random;
import org.jamwire.protocol.PacketHeader;
import org.jamwire.protocol.SampleCodec;

/**
 * Two audio clocks and a network in virtual time, around one {@link ReceiveQueue}: the peer sends a
 * packet per period of its audio clock, stamped with its system clock as a real sender does; this
 * end plays a period per period of its own, telling the queue when each began. Both system clocks
 * are one clock, as on one machine. Either audio clock can stall (an xrun: time passes, no frames),
 * each period can begin late by scheduling noise, and the network can delay and jitter packets.
 * Everything played is kept. Test thread.
 */
final class ClockSim {

    /** The peer's samples: its frame {@code frame} of channel {@code channel} (0-based). */
    @FunctionalInterface
    interface Source {
        float sample(int channel, long frame);
    }

    static final int LOCAL_RATE = 48_000;

    private final int frames;
    private final int channels;
    private final int bits;
    private final double peerRate;
    private final Source source;
    final ReceiveQueue queue;
    final Counters counters = new Counters();
    private final ByteBuffer packet;
    private final float[][] send;
    private final float[][] out;
    private final Random random;
    private final ArrayDeque<double[]> inFlight = new ArrayDeque<>();
    /** Seconds of network delay, and of up to how much jitter on top. */
    double delay = 0.002;
    double jitter;
    /** Up to how many seconds each period begins late, at either end (scheduling). */
    double wakeNoise;
    /**
     * Seconds by which every period begins late at this end, or the peer's, while that machine is
     * loaded (a half to all of it, each period): a busy machine delays every wake-up for a while,
     * then catches up.
     */
    double loadHere;
    double loadPeer;
    private double peerStalled;
    private double localStalled;
    private long sent;
    private long pulls;
    private int recorded;
    final float[] recording;

    /**
     * @param seconds of audio to keep (what is played after that is not kept)
     * @param queue the queue's length in periods, or {@link ReceiveQueue#AUTO}
     */
    ClockSim(int frames, int channels, int bits, double peerRate, int queue, boolean followDrift,
            UnderrunPolicy policy, Source source, double seconds, long seed) {
        this.frames = frames;
        this.channels = channels;
        this.bits = bits;
        this.peerRate = peerRate;
        this.source = source;
        this.queue = new ReceiveQueue(channels, frames, queue, LOCAL_RATE, policy, followDrift, counters);
        this.packet = ByteBuffer.allocate(PacketHeader.packetLength(frames, channels, bits));
        this.send = new float[channels][frames];
        this.out = new float[channels][frames];
        this.random = new Random(seed);
        this.recording = new float[(int) Math.min(Integer.MAX_VALUE - 8, Math.round(seconds * LOCAL_RATE))];
    }

    /** The peer's audio clock stalls for {@code periods} of its periods (an xrun there). */
    void stallPeer(double periods) {
        peerStalled += periods * frames / peerRate;
    }

    /** This end's audio clock stalls for {@code periods} periods (an xrun here: they are never played). */
    void stallHere(double periods) {
        localStalled += periods * frames / LOCAL_RATE;
    }

    /** Periods played so far. */
    long periods() {
        return pulls;
    }

    /** Seconds played so far, on this end's audio clock. */
    double seconds() {
        return (double) pulls * frames / LOCAL_RATE;
    }

    /** Plays {@code count} periods, sending and delivering whatever is due before each. */
    void run(long count) {
        for (long end = pulls + count; pulls < end; pulls++) {
            final double now = pulls * (double) frames / LOCAL_RATE + localStalled + wake() + load(loadHere);
            while (true) {
                final double sendAt = sent * (double) frames / peerRate + peerStalled;
                if (sendAt > now) {
                    break;
                }
                final double at = sendAt + wake() + load(loadPeer);
                final double arrival = at + delay + (jitter > 0 ? random.nextDouble() * jitter : 0);
                inFlight.add(new double[] {arrival, sent, Math.round(at * 1e6)});
                sent++;
            }
            deliver(now);
            queue.pull(out, frames, Math.round(now * 1e6));
            if (recorded + frames <= recording.length) {
                System.arraycopy(out[0], 0, recording, recorded, frames);
                recorded += frames;
            }
        }
    }

    private double load(double late) {
        return late > 0 ? late * (0.5 + 0.5 * random.nextDouble()) : 0;
    }

    private double wake() {
        return wakeNoise > 0 ? random.nextDouble() * random.nextDouble() * wakeNoise : 0;
    }

    private void deliver(double now) {
        // Arrivals in order of time: jitter may reorder them, as a network does.
        double[] next;
        while ((next = earliest(now)) != null) {
            inFlight.remove(next);
            final long n = (long) next[1];
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < frames; i++) {
                    send[c][i] = source.sample(c, n * frames + i);
                }
            }
            PacketHeader.write(packet, 0, (long) next[2], (int) (n & 0xFFFF), frames, 3, bits, channels, channels);
            SampleCodec.encode(send, channels, frames, bits, packet, PacketHeader.LENGTH);
            queue.push(packet, PacketHeader.LENGTH, bits, frames, channels, n == 0 ? (int) n | ReceiveQueue.RESTART
                    : (int) (n & 0xFFFF), (long) next[2]);
        }
    }

    private double[] earliest(double now) {
        double[] best = null;
        for (double[] p : inFlight) {
            if (p[0] <= now && (best == null || p[0] < best[0])) {
                best = p;
            }
        }
        return best;
    }

    /** The frames of channel 1 played so far (up to the capacity given). */
    float[] played() {
        return java.util.Arrays.copyOf(recording, recorded);
    }

    /** A counter's value. */
    long get(LinkCounter c) {
        return counters.get(c);
    }
}

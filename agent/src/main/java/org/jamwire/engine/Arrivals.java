package org.jamwire.engine;

import java.nio.ByteBuffer;

/**
 * Puts each received packet's audio into a {@link FrameRing} at the place its sequence number
 * gives it, and says what its arrival means for the schedule: in time, late, late often enough to
 * step back, or so far ahead that the oldest audio must go. Part of a {@link ReceiveQueue}; JACK
 * thread only, allocation-free.
 */
final class Arrivals {

    /** The packet was queued in time, or before playback started. */
    static final int QUEUED = 0;
    /** The packet came after its place was played, or could not go back into its gap; counted. */
    static final int LATE = 1;
    /** Packets keep coming after their place: the schedule should step back. */
    static final int STEP_BACK = 2;
    /** The queue holds more than its ring may: the oldest audio should be skipped. */
    static final int OVERFLOW = 3;

    private final FrameRing ring;
    private final DriftEstimator drift;
    private final QueueSizer sizer;
    private final Counters counters;
    /** Sequence number of the newest packet queued, or -1 before the first. */
    private int lastSeq = -1;
    /** Where the newest packet's frames start, and how many it has. */
    private long lastPos;
    private int lastFrames;
    /** Arrivals in time since the last late packet, up to {@link ReceiveQueue#LATE_WITHIN}. */
    private int sinceLate = ReceiveQueue.LATE_WITHIN;

    /** {@code drift} and {@code sizer} are null where the queue does not follow drift or size itself. */
    Arrivals(FrameRing ring, DriftEstimator drift, QueueSizer sizer, Counters counters) {
        this.ring = ring;
        this.drift = drift;
        this.sizer = sizer;
        this.counters = counters;
    }

    /**
     * Queues one packet (see {@link ReceiveQueue#push}) and returns what its arrival means: one of
     * {@link #QUEUED}, {@link #LATE}, {@link #STEP_BACK} or {@link #OVERFLOW}.
     *
     * @param played frames this end has played, for the sizer's transit
     * @param playing whether playback has started: before it, nothing is late
     * @param overflowFrames the most frames the ring may hold ahead of playback
     */
    int place(ByteBuffer packet, int payloadOffset, int bits, int frames, int peerChannels, int tag,
            long sentMicros, long played, boolean playing, int overflowFrames) {
        final int seq = tag & 0xFFFF;
        final long pos;
        if ((tag & ReceiveQueue.RESTART) != 0 || lastSeq < 0) {
            pos = playing ? Math.max(ring.writePos, ring.readPos) : ring.writePos;
            ring.floorPos = pos;
            sinceLate = ReceiveQueue.LATE_WITHIN;
            ring.aheadFrom = -1;
            if (drift != null) {
                drift.remoteRestart();
            }
            if (sizer != null) {
                sizer.restart();
            }
        } else {
            final int ahead = (short) (seq - lastSeq);
            if (ahead <= 0) {
                return putBack(packet, payloadOffset, bits, frames, peerChannels, -ahead, played);
            }
            final long wanted = lastPos + lastFrames + (long) (ahead - 1) * frames;
            // A gap longer than the ring can hold is clipped, and nothing reordered goes before it.
            final long most = Math.max(ring.writePos, ring.readPos) + overflowFrames;
            if (wanted > most) {
                pos = most;
                ring.floorPos = pos;
                if (drift != null) {
                    drift.remoteRestart();
                }
            } else {
                pos = wanted;
            }
        }
        lastSeq = seq;
        lastPos = pos;
        lastFrames = frames;
        if (drift != null && sentMicros != Long.MIN_VALUE) {
            drift.remote(pos, sentMicros);
        }
        if (sizer != null) {
            sizer.arrival(played - pos);
        }
        if (pos > ring.writePos) {
            ring.mark(ring.writePos, (int) (pos - ring.writePos), true);
        }
        ring.decode(packet, payloadOffset, bits, frames, peerChannels, pos);
        ring.writePos = Math.max(ring.writePos, pos + frames);
        if (!playing) {
            return QUEUED;
        }
        if (pos + frames <= ring.readPos) {
            // Its place was played: made up because it had not come. Kept in the ring all the same, so
            // that a step back plays it.
            counters.increment(LinkCounter.PACKETS_LATE);
            // To a fixed queue a single late packet is jitter, and late packets close together the
            // stream falling behind (one after another, or every other one when the queue has no
            // margin left and packets straddle their turn); an automatic queue was too short and
            // grows at once.
            final boolean stepBack = sizer != null || sinceLate < ReceiveQueue.LATE_WITHIN;
            sinceLate = stepBack ? ReceiveQueue.LATE_WITHIN : 0;
            return stepBack ? STEP_BACK : LATE;
        }
        if (sinceLate < ReceiveQueue.LATE_WITHIN) {
            sinceLate++;
        }
        ring.aheadFrom = -1;
        return ring.level() > overflowFrames ? OVERFLOW : QUEUED;
    }

    /** Puts a reordered packet {@code back} packets before the newest into its gap, if unplayed. */
    private int putBack(ByteBuffer packet, int payloadOffset, int bits, int frames, int peerChannels,
            int back, long played) {
        final long pos = lastPos - (long) back * frames;
        if (sizer != null && back > 0 && pos >= ring.floorPos) {
            sizer.arrival(played - pos);
        }
        if (back == 0 || frames != lastFrames || pos < ring.floorPos || pos < ring.readPos
                || !ring.isGap(pos, frames)) {
            counters.increment(LinkCounter.PACKETS_LATE);
            return LATE;
        }
        ring.decode(packet, payloadOffset, bits, frames, peerChannels, pos);
        return QUEUED;
    }

    /** Forgets the stream, e.g. when a new peer is adopted. */
    void clear() {
        lastSeq = -1;
        sinceLate = ReceiveQueue.LATE_WITHIN;
    }
}

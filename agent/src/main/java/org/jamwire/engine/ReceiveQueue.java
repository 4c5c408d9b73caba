package org.jamwire.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jamwire.protocol.SampleCodec;

/**
 * The playout side of a link: received packets are decoded into one sample ring per channel, and
 * each period reads a period's frames. The queue aims to hold {@code queue} local periods; it holds
 * playback until that many frames are queued, drops the oldest audio when more than two periods
 * above it, follows the peer's clock (see {@link DriftControl}), and conceals what is missing
 * (see {@link Concealer}). Because it counts frames, not packets, a peer with another period size works, as with jacktrip. Runs on the JACK thread only;
 * allocation-free.
 *
 * <p>Packets are placed by sequence number. A gap in the sequence takes its place in the ring as
 * frames marked missing; a reordered packet that arrives before its gap is played fills it in, and
 * what is still missing is concealed only when it is played: by then the concealer's history holds everything played before
 * the gap, and the gap counts towards the queue level, so the queue neither underruns for it nor
 * grows. A period the queue cannot fill, and every period while it refills after an underrun, is
 * concealed too; the first real frames after any concealment are crossfaded into.
 */
public final class ReceiveQueue {

    private static final int MAX_PEER_FRAMES = 8192;

    /** A queue length that means {@code -q auto}: see {@link QueueSizer}. */
    public static final int AUTO = 0;

    /** Flag ORed into a {@link #push} tag: the packet starts a new sequence. */
    public static final int RESTART = 1 << 16;

    private final float[][] rings;
    private final boolean[] missing;
    private final int mask;
    private final int channels;
    private final int localFrames;
    private int targetFrames;
    private int overflowFrames;
    private final QueueSizer sizer;
    /**
     * Frames an automatic queue's level still has to move after its target changed: positive to
     * play off, one frame more than a period once per {@link #shrinkEvery} periods (a pitch change
     * of at most 1/128, unhurried); negative to build up, {@link #growStep} frames fewer every
     * period (1/32, so a period is gained in 32 periods, because packets are arriving too late).
     */
    private int resizeLeft;
    private final int shrinkEvery;
    private final int growStep;
    private int resizeCountdown;
    private final Counters counters;
    private final Concealer concealer;
    private final float[] scratch = new float[MAX_PEER_FRAMES];
    /** The audio after a gap, and the gap's interpolation, per channel. */
    private final float[][] after;
    private final float[][] between;
    private final DriftControl drift;
    private long readPos;
    private long writePos;
    /** Sequence number of the newest packet queued, or -1 before the first. */
    private int lastSeq = -1;
    /** Where the newest packet's frames start, and how many it has. */
    private long lastPos;
    private int lastFrames;
    /** No reordered packet goes before this position: a restart or a clipped gap lies there. */
    private long floorPos;
    private boolean playing;
    private boolean started;

    /**
     * Creates a queue.
     *
     * @param channels local receive channels
     * @param localFrames frames per local period
     * @param queue target length in local periods, or {@link #AUTO}
     * @param sampleRate local sample rate in Hz, to time the concealment's fade to silence
     * @param policy what to play for audio that did not arrive
     * @param counters where underruns, overflows, concealed frames and the level are counted
     */
    public ReceiveQueue(int channels, int localFrames, int queue, int sampleRate, UnderrunPolicy policy,
            Counters counters) {
        this(channels, localFrames, queue, sampleRate, policy, true, counters);
    }

    /**
     * Creates a queue that follows the peer's clock only if {@code followDrift}; otherwise drift
     * shows as overflows or underruns, as with jacktrip.
     */
    public ReceiveQueue(int channels, int localFrames, int queue, int sampleRate, UnderrunPolicy policy,
            boolean followDrift, Counters counters) {
        this.channels = channels;
        this.localFrames = localFrames;
        this.counters = counters;
        this.sizer = queue == AUTO ? new QueueSizer(localFrames, sampleRate) : null;
        // Resizing moves one frame at most once per 128 frames: a pitch change of 1/128.
        this.shrinkEvery = Math.max(1, (128 + localFrames - 1) / localFrames);
        this.growStep = Math.max(1, localFrames / 32);
        setTarget(sizer != null ? sizer.target() : queue * localFrames);
        final int most = (sizer != null ? QueueSizer.maxPeriods(localFrames, sampleRate) : queue)
                * localFrames + 2 * localFrames;
        // Between plays the ring holds at most the overflow length, a gap up to that length and
        // one packet.
        final int wanted = Math.max(2 * (most + MAX_PEER_FRAMES), 16384);
        final int capacity = Integer.highestOneBit(wanted - 1) << 1;
        this.mask = capacity - 1;
        this.rings = new float[channels][capacity];
        this.missing = new boolean[capacity];
        this.concealer = new Concealer(policy, channels, localFrames, sampleRate);
        this.after = new float[channels][policy == UnderrunPolicy.PREDICT ? Concealer.AHEAD : 0];
        this.between = new float[channels][policy == UnderrunPolicy.PREDICT ? concealer.maxInterpolation() : 0];
        this.drift = followDrift ? new DriftControl(localFrames) : null;
    }

    private void setTarget(int frames) {
        targetFrames = frames;
        // Two periods above the target: room for a burst of arrivals on top of the half period the
        // drift control leaves alone. An automatic queue plays off what it does not need itself,
        // so only its largest target bounds it.
        overflowFrames = (sizer != null ? sizer.maxTarget() : targetFrames) + 2 * localFrames;
        counters.set(LinkCounter.QUEUE_TARGET, targetFrames);
    }

    /** Frames currently queued. */
    public int level() {
        return (int) (writePos - readPos);
    }

    /**
     * Queues one packet's audio in its place by sequence number. A packet newer than the last one
     * goes at the end, after a gap of missing frames for the packets between them, to be concealed
     * when played unless they arrive in time. An older packet goes back into its gap if the gap
     * has not been played yet; otherwise it is counted late and dropped.
     *
     * @param packet buffer holding the packet
     * @param payloadOffset offset of the packet's planar payload
     * @param bits the packet's bit resolution
     * @param frames the packet's frames per channel
     * @param peerChannels channels in the packet's payload
     * @param tag the packet's 16-bit sequence number, ORed with {@link #RESTART} when the sequence
     *     starts afresh (the first packet, or the peer restarted), so nothing before it is missing
     */
    public void push(ByteBuffer packet, int payloadOffset, int bits, int frames, int peerChannels,
            int tag) {
        final int seq = tag & 0xFFFF;
        if ((tag & RESTART) != 0 || lastSeq < 0) {
            floorPos = writePos;
        } else {
            final int ahead = (short) (seq - lastSeq);
            if (ahead <= 0) {
                putBack(packet, payloadOffset, bits, frames, peerChannels, -ahead);
                return;
            }
            if (ahead > 1) {
                final long wanted = (long) (ahead - 1) * frames;
                final int gap = (int) Math.min(wanted, overflowFrames);
                for (int c = 0; c < channels; c++) {
                    fill(rings[c], writePos, gap, 0f);
                }
                mark(writePos, gap, true);
                writePos += gap;
                if (gap < wanted) {
                    floorPos = writePos;
                }
            }
        }
        lastSeq = seq;
        lastPos = writePos;
        lastFrames = frames;
        if (playing && sizer != null) {
            sizer.arrival((int) (writePos - readPos));
        }
        decodeAt(packet, payloadOffset, bits, frames, peerChannels, writePos);
        writePos += frames;
        trimOverflow();
    }

    /** Puts a reordered packet {@code back} packets before the newest into its gap, if unplayed. */
    private void putBack(ByteBuffer packet, int payloadOffset, int bits, int frames, int peerChannels,
            int back) {
        final long pos = lastPos - (long) back * frames;
        if (back == 0 || frames != lastFrames || pos < floorPos || pos < readPos
                || !isGap(pos, frames)) {
            counters.increment(LinkCounter.PACKETS_LATE);
            if (sizer != null && back > 0 && playing && sizer.grow()) {
                setTarget(sizer.target());
                resize(-localFrames);
            }
            return;
        }
        decodeAt(packet, payloadOffset, bits, frames, peerChannels, pos);
        if (playing && sizer != null) {
            sizer.arrival((int) (pos - readPos));
        }
    }

    private void decodeAt(ByteBuffer packet, int payloadOffset, int bits, int frames, int peerChannels,
            long pos) {
        for (int c = 0; c < channels; c++) {
            if (c < peerChannels) {
                SampleCodec.decodeChannel(packet, payloadOffset, frames, bits, c, scratch, 0);
                copyIn(rings[c], pos, scratch, frames);
            } else {
                fill(rings[c], pos, frames, 0f);
            }
        }
        mark(pos, frames, false);
    }

    /** True if all {@code n} frames from {@code pos} are missing. */
    private boolean isGap(long pos, int n) {
        return missing[(int) (pos & mask)] && run(pos, n, true) == n;
    }

    /** Writes one period into {@code outputs}, all {@code frames} samples of every channel. */
    public void pull(float[][] outputs, int frames) {
        trimOverflow();
        if (!playing && level() >= targetFrames && level() > 0) {
            playing = true;
        }
        if (playing && sizer != null) {
            final int shrunk = sizer.period();
            if (shrunk > 0) {
                setTarget(sizer.target());
                resize(shrunk);
                counters.increment(LinkCounter.QUEUE_SHRINKS);
            }
        }
        if (playing && resizeLeft != 0) {
            final int step = resizeLeft > 0 ? 1 : -Math.min(growStep, -resizeLeft);
            final int consumed = frames + step;
            if (--resizeCountdown <= 0 && level() >= consumed && isWhole(readPos, consumed)) {
                resizeCountdown = resizeLeft > 0 ? shrinkEvery : 1;
                stretch(outputs, frames, consumed);
                resizeLeft -= step;
                if (resizeLeft == 0) {
                    relearnDrift();
                }
                counters.set(LinkCounter.QUEUE_LEVEL, level());
                return;
            }
        } else if (playing && drift != null) {
            final int step = drift.observe(level());
            counters.set(LinkCounter.DRIFT_PPM, drift.ppm(frames));
            if (step != 0 && level() >= frames + step && isWhole(readPos, frames + step)) {
                stretch(outputs, frames, frames + step);
                counters.increment(LinkCounter.DRIFT_CORRECTIONS);
                counters.set(LinkCounter.QUEUE_LEVEL, level());
                return;
            }
        }
        final int available = playing ? Math.min(level(), frames) : 0;
        long concealed = 0;
        for (int done = 0; done < available; ) {
            final long at = readPos + done;
            if (missing[(int) (at & mask)]) {
                interpolate(at);
            }
            final boolean gap = missing[(int) (at & mask)];
            final int run = run(at, available - done, gap);
            if (gap) {
                concealed += concealer.conceal(outputs, done, run);
            } else {
                for (int c = 0; c < channels && c < outputs.length; c++) {
                    copyOut(rings[c], at, outputs[c], done, run);
                }
                concealer.play(outputs, done, run);
                started = true;
            }
            done += run;
        }
        if (available < frames) {
            if (started) {
                concealed += concealer.conceal(outputs, available, frames - available);
            } else {
                for (int c = 0; c < channels && c < outputs.length; c++) {
                    Arrays.fill(outputs[c], available, frames, 0f);
                }
            }
        }
        for (int c = channels; c < outputs.length; c++) {
            Arrays.fill(outputs[c], 0, frames, 0f);
        }
        readPos += available;
        if (playing && available < frames) {
            counters.increment(LinkCounter.UNDERRUNS);
            playing = false;
            relearnDrift();
            if (sizer != null) {
                // The refill to the new target builds the level up at once.
                sizer.grow();
                setTarget(sizer.target());
                resizeLeft = 0;
            }
        }
        if (concealed > 0) {
            counters.add(LinkCounter.CONCEALED, concealed);
        }
        counters.set(LinkCounter.QUEUE_LEVEL, level());
    }

    /**
     * Plays {@code consumed} queued frames, one more or one fewer than the period, as one period:
     * linear interpolation across the whole period spreads the frame gained or lost over it, a
     * pitch change of one part in the period's length for that period only.
     */
    private void stretch(float[][] outputs, int frames, int consumed) {
        final double step = (consumed - 1) / (double) (frames - 1);
        for (int c = 0; c < channels && c < outputs.length; c++) {
            copyOut(rings[c], readPos, scratch, 0, consumed);
            final float[] out = outputs[c];
            for (int i = 0; i < frames; i++) {
                final double x = i * step;
                final int i0 = (int) x;
                final int i1 = Math.min(i0 + 1, consumed - 1);
                final float f = (float) (x - i0);
                out[i] = scratch[i0] + (scratch[i1] - scratch[i0]) * f;
            }
        }
        for (int c = channels; c < outputs.length; c++) {
            Arrays.fill(outputs[c], 0, frames, 0f);
        }
        concealer.play(outputs, 0, frames);
        started = true;
        readPos += consumed;
    }

    /**
     * Fills the gap starting at {@code at} in the ring from both sides, if the audio after it has
     * arrived and the gap is short (see {@link Concealer#interpolate}); the filled frames then play
     * as received ones, and count as concealed. Returns whether it did.
     */
    private boolean interpolate(long at) {
        if (between.length == 0 || between[0].length == 0 || !concealer.mayInterpolate()) {
            return false;
        }
        final int most = between[0].length;
        final int gapFrames = run(at, (int) Math.min(most + 1, writePos - at), true);
        final long end = at + gapFrames;
        if (gapFrames > most || end >= writePos) {
            return false;
        }
        // Up to the next gap, if another follows closely.
        final int ahead = run(end, (int) Math.min(Concealer.AHEAD, writePos - end), false);
        for (int c = 0; c < channels; c++) {
            copyOut(rings[c], end, after[c], 0, ahead);
        }
        if (!concealer.interpolate(after, ahead, between, gapFrames)) {
            return false;
        }
        for (int c = 0; c < channels; c++) {
            copyIn(rings[c], at, between[c], gapFrames);
        }
        mark(at, gapFrames, false);
        counters.add(LinkCounter.CONCEALED, gapFrames);
        return true;
    }

    /** Starts moving the level by {@code frames}: positive plays them off, negative builds up. */
    private void resize(int frames) {
        resizeLeft = frames;
        resizeCountdown = frames > 0 ? shrinkEvery : 1;
    }

    private void relearnDrift() {
        if (drift != null) {
            drift.relearn();
        }
    }

    /** True if none of the {@code n} frames from {@code pos} is missing. */
    private boolean isWhole(long pos, int n) {
        return !missing[(int) (pos & mask)] && run(pos, n, false) == n;
    }

    /** Empties the queue, e.g. when a new peer is adopted. */
    public void clear() {
        readPos = writePos;
        lastSeq = -1;
        playing = false;
        started = false;
        concealer.reset();
        relearnDrift();
    }

    private void trimOverflow() {
        if (level() > overflowFrames) {
            readPos = writePos - targetFrames;
            counters.increment(LinkCounter.OVERFLOWS);
            relearnDrift();
        }
    }

    /** Length of the run of frames from {@code pos}, at most {@code max}, all missing or all not. */
    private int run(long pos, int max, boolean gap) {
        int n = 1;
        while (n < max && missing[(int) ((pos + n) & mask)] == gap) {
            n++;
        }
        return n;
    }

    private void mark(long pos, int n, boolean gap) {
        final int start = (int) (pos & mask);
        final int first = Math.min(n, missing.length - start);
        Arrays.fill(missing, start, start + first, gap);
        Arrays.fill(missing, 0, n - first, gap);
    }

    private void copyIn(float[] ring, long pos, float[] src, int n) {
        final int start = (int) (pos & mask);
        final int first = Math.min(n, ring.length - start);
        System.arraycopy(src, 0, ring, start, first);
        System.arraycopy(src, first, ring, 0, n - first);
    }

    private void copyOut(float[] ring, long pos, float[] dst, int dstOffset, int n) {
        if (n <= 0) {
            return;
        }
        final int start = (int) (pos & mask);
        final int first = Math.min(n, ring.length - start);
        System.arraycopy(ring, start, dst, dstOffset, first);
        System.arraycopy(ring, 0, dst, dstOffset + first, n - first);
    }

    private void fill(float[] ring, long pos, int n, float v) {
        final int start = (int) (pos & mask);
        final int first = Math.min(n, ring.length - start);
        Arrays.fill(ring, start, start + first, v);
        Arrays.fill(ring, 0, n - first, v);
    }
}

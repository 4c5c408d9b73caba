package org.jamwire.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jamwire.protocol.SampleCodec;

/**
 * The playout side of a link: received packets are decoded into one sample ring per channel at the
 * place their sequence number gives them, and each period plays the next period's frames on a
 * fixed schedule. Runs on the JACK thread only; allocation-free. Time is a parameter.
 *
 * <p><b>Schedule.</b> Playback starts once {@code queue} periods are queued and from then on
 * moves one period per period, whatever arrives: frames missing at their turn (a lost packet, or
 * one not arrived yet) are concealed (see {@link Concealer}) and the schedule goes on, so a
 * packet that comes after its place was played is late and counted, and the audio after it plays
 * at the same delay as before. Jitter, a lost packet or an xrun at either end therefore never
 * shifts the stream: at most a period is concealed in place. Because it counts frames, not
 * packets, a peer with another period size works, as with jacktrip.
 *
 * <p><b>Slips.</b> The schedule moves by whole periods only, and only when the stream itself
 * moved:
 * <ul>
 *   <li>when packets keep coming after their place ({@value #LATE_IN_ROW} in a row: the peer's
 *       audio clock fell behind, e.g. its audio server skipped time), playback steps back to the
 *       first frame it had to make up, plays the late audio from there, and holds until the
 *       queue is full again: the concealed periods become delay, nothing more is lost;</li>
 *   <li>when the queue has held a whole period more than its length at every period for
 *       {@value #SURPLUS_SECONDS} s, or for {@value #AFTER_STALL_PERIODS} periods right after this
 *       end stood still (its audio server skipped time), this end's clock fell behind, and that
 *       period is skipped and the audio after it crossfaded in (a quarter of that window in the first
 *       {@value #SETTLING_SECONDS} s of playback). A burst after a late period does not last a
 *       window and is played as it comes.</li>
 * </ul>
 * An automatic queue ({@link #AUTO}) moves the same way, as its {@link QueueSizer} says: it steps
 * back at the first late packet (it was too short), and lengthens or shortens itself by holding
 * or skipping periods at the next gap it comes to, which would have been concealed anyway.
 *
 * <p><b>Drift.</b> When a {@link DriftEstimator} believes the peer's audio clock runs at another
 * rate than this end's, the whole stream is resampled at the measured ratio (six-point Lagrange
 * interpolation, inaudible), with a gentle pull of the level towards the queue's middle; until
 * then, and always on one clock, frames are played exactly as received.
 *
 * <p>A gap whose following audio has arrived is interpolated from both sides where the policy
 * predicts (see {@link Concealer#interpolate}), so the audio after it plays untouched.
 */
public final class ReceiveQueue {

    private static final int MAX_PEER_FRAMES = 8192;

    /** A queue length that means {@code -q auto}: see {@link QueueSizer}. */
    public static final int AUTO = 0;

    /**
     * The share of packets, in percent, that an automatic queue lets arrive after their place
     * rather than play later for them: the price of its short delay.
     */
    public static final double AUTO_LATE_SHARE_PERCENT = QueueSizer.LATE_SHARE_PERCENT;

    /**
     * The share of packets, in percent, that an automatic queue must still cover with half a
     * period to spare before it shrinks.
     */
    public static final double AUTO_KEEP_SHARE_PERCENT = QueueSizer.KEEP_SHARE_PERCENT;

    /** Seconds of arrivals an automatic queue sizes itself from. */
    public static final double AUTO_WINDOW_SECONDS = QueueSizer.WINDOWS * QueueSizer.WINDOW_SECONDS;

    /** Periods an automatic queue starts with. */
    public static final int AUTO_START_PERIODS = QueueSizer.START_PERIODS;

    /** Flag ORed into a {@link #push} tag: the packet starts a new sequence. */
    public static final int RESTART = 1 << 16;

    /** Packets in a row arriving after their place was played that make the schedule step back. */
    public static final int LATE_IN_ROW = 2;
    /** Seconds the queue must hold a surplus period throughout before it is skipped. */
    static final double SURPLUS_SECONDS = 1.0;
    /**
     * Periods a surplus must last, just after this end stood still for two periods or more (its
     * audio server skipped time: an xrun), to be skipped then: what the peer sent meanwhile is a
     * surplus for good, and goes with the xrun's own glitch. A server that catches up instead runs
     * its next periods back to back, and the surplus is gone within them.
     */
    static final int AFTER_STALL_PERIODS = 4;

    /** Seconds after playback starts in which a surplus is looked for over a quarter of that. */
    static final double SETTLING_SECONDS = 2.0;
    /**
     * Seconds an automatic queue waits for a gap to skip (which costs nothing: it would be
     * concealed anyway) before it skips audio to shorten itself.
     */
    public static final double FORCE_SHRINK_SECONDS = 1.0;
    /** Interpolation points of the resampler, and how many frames it reads before a position. */
    private static final int TAPS = 6;
    private static final int TAPS_BEFORE = 2;
    /**
     * How strongly a drift-corrected queue's level is pulled towards its middle: the fraction of
     * the error removed per second, as a rate, and the most it may add, in ppm.
     */
    private static final double LEVEL_PULL_PER_SECOND = 1.0 / 30;
    private static final double LEVEL_PULL_MAX_PPM = 100;

    private final float[][] rings;
    private final boolean[] missing;
    private final int mask;
    private final int channels;
    private final int localFrames;
    private final int sampleRate;
    private int targetFrames;
    private int overflowFrames;
    private final QueueSizer sizer;
    /**
     * Periods an automatic queue may play off, and the periods left before it does so even if no
     * gap comes to skip; periods it should lengthen by, at the next gaps it comes to.
     */
    private int growPeriods;
    private int shrinkPeriods;
    private int shrinkWait;
    private final int forceShrinkAfter;
    private final Counters counters;
    private final Concealer concealer;
    private final float[] scratch = new float[MAX_PEER_FRAMES];
    /** The audio after a gap, and the gap's interpolation, per channel. */
    private final float[][] after;
    private final float[][] between;
    private final DriftEstimator drift;
    /** The next frame to play, and the fraction of a frame past it while resampling. */
    private long readPos;
    private double phase;
    /** One past the newest frame queued. */
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
    /** Periods still to be concealed without moving on, while the queue fills after a step back. */
    private int holdPeriods;
    /** The first frame made up because it had not arrived, since the last packet in time; -1 if none. */
    private long aheadFrom = -1;
    private int lateInRow;
    private final int surplusWindow;
    /** The window while playback settles in: a start-up surplus goes before most listeners notice. */
    private final int settlingWindow;
    private final int settlingPeriods;
    private long playedSinceStart;
    private int surplusPeriods;
    /** Periods left in which a surplus need last only {@link #AFTER_STALL_PERIODS}. */
    private int afterStall;
    /** When the last period began, in microseconds, or {@link Long#MIN_VALUE}. */
    private long lastPullMicros = Long.MIN_VALUE;
    private long surplusMin = Long.MAX_VALUE;
    /** Frames played by this end, for the drift estimator's clock. */
    private long played;
    /** The level before each period, smoothed over about a second, while drift is corrected. */
    private double smoothedLevel = Double.NaN;
    private final double levelSmoothing;

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
     * shows as periods skipped or concealed, as with jacktrip.
     */
    public ReceiveQueue(int channels, int localFrames, int queue, int sampleRate, UnderrunPolicy policy,
            boolean followDrift, Counters counters) {
        this(channels, localFrames, queue, 0, sampleRate, policy, followDrift, counters);
    }

    /**
     * Creates a queue; an automatic one adds at most {@code maxQueueMillis} of delay (0: its
     * default, {@value QueueSizer#MAX_SECONDS} s).
     */
    public ReceiveQueue(int channels, int localFrames, int queue, int maxQueueMillis, int sampleRate,
            UnderrunPolicy policy, boolean followDrift, Counters counters) {
        this.channels = channels;
        this.localFrames = localFrames;
        this.sampleRate = sampleRate;
        this.counters = counters;
        this.sizer = queue == AUTO ? new QueueSizer(localFrames, sampleRate, maxQueueMillis) : null;
        this.forceShrinkAfter = Math.max(1, (int) Math.round(FORCE_SHRINK_SECONDS * sampleRate / localFrames));
        setTarget(sizer != null ? sizer.target() : queue * localFrames);
        final int most = (sizer != null ? QueueSizer.maxPeriods(localFrames, sampleRate, maxQueueMillis) : queue)
                * localFrames + 2 * localFrames;
        // The ring holds the overflow length, a gap up to that length, one packet, and as much
        // again of audio already played, which a step back may play once more.
        final int wanted = Math.max(4 * (most + MAX_PEER_FRAMES), 32768);
        final int capacity = Integer.highestOneBit(wanted - 1) << 1;
        this.mask = capacity - 1;
        this.rings = new float[channels][capacity];
        this.missing = new boolean[capacity];
        this.concealer = new Concealer(policy, channels, localFrames, sampleRate);
        this.after = new float[channels][policy == UnderrunPolicy.PREDICT ? concealer.ahead() : 0];
        this.between = new float[channels][policy == UnderrunPolicy.PREDICT ? concealer.maxInterpolation() : 0];
        this.drift = followDrift ? new DriftEstimator(sampleRate) : null;
        this.surplusWindow = Math.max(8, (int) Math.round(SURPLUS_SECONDS * sampleRate / localFrames));
        this.settlingWindow = Math.max(4, surplusWindow / 4);
        this.settlingPeriods = (int) Math.round(SETTLING_SECONDS * sampleRate / localFrames);
        this.levelSmoothing = Math.min(1.0, (double) localFrames / sampleRate);
    }

    private void setTarget(int frames) {
        targetFrames = frames;
        // Far above anything the schedule lets it hold: a bound on the ring, not a playout rule.
        overflowFrames = (sizer != null ? sizer.maxTarget() : targetFrames) + 8 * localFrames;
        counters.set(LinkCounter.QUEUE_TARGET, targetFrames);
    }

    /** Frames currently queued ahead of playback (negative while playback runs ahead of arrivals). */
    public int level() {
        return (int) (writePos - readPos);
    }

    /** As {@link #push(ByteBuffer, int, int, int, int, int, long)}, for a packet without a usable timestamp. */
    public void push(ByteBuffer packet, int payloadOffset, int bits, int frames, int peerChannels, int tag) {
        push(packet, payloadOffset, bits, frames, peerChannels, tag, Long.MIN_VALUE);
    }

    /**
     * Queues one packet's audio in its place by sequence number. A packet newer than the last one
     * goes after a gap of missing frames for the packets between them, to be concealed when played
     * unless they arrive in time. An older packet goes back into its gap if the gap has not been
     * played yet; otherwise it is counted late and dropped.
     *
     * @param packet buffer holding the packet
     * @param payloadOffset offset of the packet's planar payload
     * @param bits the packet's bit resolution
     * @param frames the packet's frames per channel
     * @param peerChannels channels in the packet's payload
     * @param tag the packet's 16-bit sequence number, ORed with {@link #RESTART} when the sequence
     *     starts afresh (the first packet, or the peer restarted), so nothing before it is missing
     * @param sentMicros when the peer sent it, from the header ({@link Long#MIN_VALUE} if unknown)
     */
    public void push(ByteBuffer packet, int payloadOffset, int bits, int frames, int peerChannels,
            int tag, long sentMicros) {
        final int seq = tag & 0xFFFF;
        final long pos;
        if ((tag & RESTART) != 0 || lastSeq < 0) {
            pos = playing ? Math.max(writePos, readPos) : writePos;
            floorPos = pos;
            lateInRow = 0;
            aheadFrom = -1;
            if (drift != null) {
                drift.remoteRestart();
            }
            if (sizer != null) {
                sizer.restart();
            }
        } else {
            final int ahead = (short) (seq - lastSeq);
            if (ahead <= 0) {
                putBack(packet, payloadOffset, bits, frames, peerChannels, -ahead);
                return;
            }
            final long wanted = lastPos + lastFrames + (long) (ahead - 1) * frames;
            // A gap longer than the ring can hold is clipped, and nothing reordered goes before it.
            final long most = Math.max(writePos, readPos) + overflowFrames;
            if (wanted > most) {
                pos = most;
                floorPos = pos;
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
        if (pos > writePos) {
            mark(writePos, (int) (pos - writePos), true);
        }
        decodeAt(packet, payloadOffset, bits, frames, peerChannels, pos);
        writePos = Math.max(writePos, pos + frames);
        if (!playing) {
            return;
        }
        if (pos + frames <= readPos) {
            // Its place was played: made up because it had not come. Kept in the ring all the same, so
            // that a step back plays it.
            counters.increment(LinkCounter.PACKETS_LATE);
            // To a fixed queue a single late packet is jitter, and lateness that lasts the stream
            // falling behind; an automatic queue was too short and grows at once.
            if (++lateInRow >= (sizer != null ? 1 : LATE_IN_ROW)) {
                stepBack();
            }
            return;
        }
        lateInRow = 0;
        aheadFrom = -1;
        if (level() > overflowFrames) {
            skipTo(writePos - targetFrames);
        }
    }

    /**
     * Packets keep arriving after their place was played: the peer's stream fell behind the
     * schedule. Plays on from the first frame made up since, so the late audio is heard and what
     * was concealed becomes delay, and holds until the queue holds its length again.
     */
    private void stepBack() {
        lateInRow = 0;
        if (aheadFrom < 0 || aheadFrom > readPos) {
            return;
        }
        readPos = aheadFrom;
        phase = 0;
        aheadFrom = -1;
        shrinkPeriods = 0;
        growPeriods = 0;
        // A fixed queue fills to its length again; an automatic one has grown by what it concealed,
        // and its sizer decides whether that was too much.
        final int missingFrames = sizer == null ? targetFrames - level() : 0;
        holdPeriods = missingFrames > 0 ? (missingFrames + localFrames - 1) / localFrames : 0;
        counters.increment(LinkCounter.STEP_BACKS);
        relearnLevel();
    }

    /** Puts a reordered packet {@code back} packets before the newest into its gap, if unplayed. */
    private void putBack(ByteBuffer packet, int payloadOffset, int bits, int frames, int peerChannels,
            int back) {
        final long pos = lastPos - (long) back * frames;
        if (sizer != null && back > 0 && pos >= floorPos) {
            sizer.arrival(played - pos);
        }
        if (back == 0 || frames != lastFrames || pos < floorPos || pos < readPos
                || !isGap(pos, frames)) {
            counters.increment(LinkCounter.PACKETS_LATE);
            return;
        }
        decodeAt(packet, payloadOffset, bits, frames, peerChannels, pos);
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

    /** As {@link #pull(float[][], int, long)}, for a caller without a clock: drift is not measured. */
    public void pull(float[][] outputs, int frames) {
        pull(outputs, frames, Long.MIN_VALUE);
    }

    /**
     * Writes one period into {@code outputs}, all {@code frames} samples of every channel.
     *
     * @param nowMicros when this period began, on the same kind of clock as the peer's timestamps
     *     ({@link Long#MIN_VALUE} if unknown)
     */
    public void pull(float[][] outputs, int frames, long nowMicros) {
        if (drift != null && nowMicros != Long.MIN_VALUE) {
            drift.local(played, nowMicros);
            counters.set(LinkCounter.DRIFT_PPM, Math.round(drift.ppm()));
        }
        if (nowMicros != Long.MIN_VALUE) {
            if (lastPullMicros != Long.MIN_VALUE
                    && (nowMicros - lastPullMicros) * sampleRate >= 2_000_000L * frames) {
                afterStall = 2 * AFTER_STALL_PERIODS;
            }
            lastPullMicros = nowMicros;
        }
        final long before = played;
        played += frames;
        if (!playing && level() >= targetFrames && level() > 0) {
            playing = true;
            // What queued up before playback began (a burst while the audio client was starting)
            // is only delay: playback starts at the queue's length from the newest audio.
            if (sizer == null && level() > targetFrames) {
                readPos = writePos - targetFrames;
            }
            playedSinceStart = 0;
            relearnLevel();
        }
        if (!playing) {
            silence(outputs, 0, frames);
            finish(0);
            return;
        }
        if (holdPeriods > 0) {
            holdPeriods--;
            finish(concealer.conceal(outputs, 0, frames) + blank(outputs, frames));
            return;
        }
        watchSurplus();
        if (sizer != null) {
            if (sizer.period()) {
                aim(before - readPos);
            }
            if (growIfDue(outputs, frames)) {
                return;
            }
            shrinkIfDue(frames);
        }
        if (drift != null && drift.believed()) {
            final double consumed = frames * (1 + ratePpm() * 1e-6);
            if (resample(outputs, frames, consumed)) {
                counters.increment(LinkCounter.DRIFT_CORRECTIONS);
                finish(0);
                return;
            }
        }
        finish(play(outputs, frames));
    }

    /** The drift plus a pull of the level towards the queue's middle, in ppm. */
    private double ratePpm() {
        final double middle = targetFrames - localFrames / 2.0;
        final double level = writePos - readPos - phase;
        smoothedLevel = Double.isNaN(smoothedLevel) ? level : smoothedLevel + (level - smoothedLevel) * levelSmoothing;
        final double pull = (smoothedLevel - middle) / sampleRate * LEVEL_PULL_PER_SECOND * 1e6;
        return drift.ppm() + Math.max(-LEVEL_PULL_MAX_PPM, Math.min(LEVEL_PULL_MAX_PPM, pull));
    }

    /** Plays {@code frames} frames from the schedule's position as they are, concealing what is missing. */
    private long play(float[][] outputs, int frames) {
        long concealed = 0;
        boolean underrun = false;
        for (int done = 0; done < frames; ) {
            final long at = readPos + done;
            if (at >= writePos) {
                // Not arrived: made up now, and a packet that brings it later is late.
                if (aheadFrom < 0) {
                    aheadFrom = at;
                }
                underrun = true;
                concealed += started ? concealer.conceal(outputs, done, frames - done) : blankFrom(outputs, done, frames);
                break;
            }
            if (missing[(int) (at & mask)]) {
                interpolate(at);
            }
            final boolean gap = missing[(int) (at & mask)];
            final int run = run(at, (int) Math.min(frames - done, writePos - at), gap);
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
        for (int c = channels; c < outputs.length; c++) {
            Arrays.fill(outputs[c], 0, frames, 0f);
        }
        readPos += frames;
        if (underrun) {
            counters.increment(LinkCounter.UNDERRUNS);
        }
        return concealed;
    }

    /**
     * Plays {@code consumed} queued frames (a fractional number) as {@code frames}, by six-point
     * Lagrange interpolation, if every frame it reads has arrived; otherwise plays nothing and
     * returns false.
     */
    private boolean resample(float[][] outputs, int frames, double consumed) {
        final double end = phase + consumed;
        final long first = readPos - TAPS_BEFORE;
        final int span = (int) Math.ceil(end) + TAPS;
        if (first < floorPos || first + span > writePos || span > scratch.length || !isWhole(first, span)) {
            return false;
        }
        final double step = consumed / frames;
        for (int c = 0; c < channels && c < outputs.length; c++) {
            copyOut(rings[c], first, scratch, 0, span);
            final float[] out = outputs[c];
            for (int i = 0; i < frames; i++) {
                final double x = phase + i * step;
                final int k = (int) x;
                final double t = x - k;
                out[i] = (float) lagrange(scratch, k, t);
            }
        }
        for (int c = channels; c < outputs.length; c++) {
            Arrays.fill(outputs[c], 0, frames, 0f);
        }
        concealer.play(outputs, 0, frames);
        started = true;
        final long whole = (long) Math.floor(end);
        readPos += whole;
        phase = end - whole;
        return true;
    }

    /** Six-point Lagrange interpolation at {@code t} past sample {@code k + TAPS_BEFORE} of {@code s}. */
    private static double lagrange(float[] s, int k, double t) {
        final double am2 = t + 2;
        final double am1 = t + 1;
        final double a0 = t;
        final double a1 = t - 1;
        final double a2 = t - 2;
        final double a3 = t - 3;
        final double c0 = -am1 * a0 * a1 * a2 * a3 / 120;
        final double c1 = am2 * a0 * a1 * a2 * a3 / 24;
        final double c2 = -am2 * am1 * a1 * a2 * a3 / 12;
        final double c3 = am2 * am1 * a0 * a2 * a3 / 12;
        final double c4 = -am2 * am1 * a0 * a1 * a3 / 24;
        final double c5 = am2 * am1 * a0 * a1 * a2 / 120;
        return c0 * s[k] + c1 * s[k + 1] + c2 * s[k + 2] + c3 * s[k + 3] + c4 * s[k + 4] + c5 * s[k + 5];
    }

    /**
     * Skips a period when the queue has held a whole period more than its length at every period
     * of a window: this end fell behind the peer's stream for good, not for a burst. The window
     * starts at the first period with a surplus, so a surplus goes one window after it appears.
     */
    private void watchSurplus() {
        int window = playedSinceStart++ < settlingPeriods ? settlingWindow : surplusWindow;
        if (afterStall > 0) {
            afterStall--;
            window = Math.min(window, AFTER_STALL_PERIODS);
        }
        final long level = writePos - readPos;
        if (sizer != null || phase != 0 || level - targetFrames < localFrames) {
            surplusPeriods = 0;
            surplusMin = Long.MAX_VALUE;
            return;
        }
        surplusMin = Math.min(surplusMin, level);
        if (++surplusPeriods < window) {
            return;
        }
        final long surplus = surplusMin - targetFrames;
        surplusPeriods = 0;
        surplusMin = Long.MAX_VALUE;
        skipTo(readPos + surplus / localFrames * localFrames);
    }

    /**
     * Drops queued audio up to {@code pos}: the oldest goes, the schedule moves on, and the audio
     * after is crossfaded in.
     */
    private void skipTo(long pos) {
        if (pos <= readPos) {
            return;
        }
        // Counted in periods (or parts of one) skipped: each is audio the listener does not hear.
        counters.add(LinkCounter.OVERFLOWS, (pos - readPos + localFrames - 1) / localFrames);
        readPos = pos;
        phase = 0;
        concealer.splice();
        if (readPos > writePos) {
            writePos = readPos;
        }
        relearnLevel();
    }

    private void finish(long concealed) {
        if (concealed > 0) {
            counters.add(LinkCounter.CONCEALED, concealed);
        }
        counters.set(LinkCounter.QUEUE_LEVEL, Math.max(0, level()));
    }

    private void silence(float[][] outputs, int from, int frames) {
        for (float[] out : outputs) {
            Arrays.fill(out, from, frames, 0f);
        }
    }

    /** Silences the channels this queue does not play; returns 0 (nothing concealed). */
    private int blank(float[][] outputs, int frames) {
        for (int c = channels; c < outputs.length; c++) {
            Arrays.fill(outputs[c], 0, frames, 0f);
        }
        return 0;
    }

    /** Silence before the first real audio: nothing to conceal from yet. Returns the frames. */
    private int blankFrom(float[][] outputs, int from, int frames) {
        for (int c = 0; c < channels && c < outputs.length; c++) {
            Arrays.fill(outputs[c], from, frames, 0f);
        }
        return frames - from;
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
        final int ahead = run(end, (int) Math.min(concealer.ahead(), writePos - end), false);
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

    /**
     * Moves an automatic queue's lag ({@code lag}: frames played before this period less the next
     * frame to play, as the sizer's transits count them) as its sizer says.
     */
    private void aim(long lag) {
        final long change = sizer.change(lag);
        setTarget(sizer.target());
        final int periods = change < 0 ? (int) (-change / localFrames) : 0;
        if (shrinkPeriods == 0 && periods > 0) {
            shrinkWait = forceShrinkAfter;
        }
        shrinkPeriods = periods;
        growPeriods = change > 0 ? (int) ((change + localFrames - 1) / localFrames) : 0;
    }

    /**
     * Lengthens an automatic queue by a period where its sizer found it too short, at a gap: the
     * period is concealed either way, but held, not passed, so a packet that is only late can
     * still fill it. Returns true when it held this period.
     */
    private boolean growIfDue(float[][] outputs, int frames) {
        if (growPeriods == 0 || phase != 0 || !(readPos >= writePos || missing[(int) (readPos & mask)])) {
            return false;
        }
        growPeriods--;
        counters.increment(LinkCounter.QUEUE_GROWS);
        finish(concealer.conceal(outputs, 0, frames) + blank(outputs, frames));
        return true;
    }

    /**
     * Shortens an automatic queue by the periods its sizer found too many, all at once: at the
     * first gap the schedule comes to (the period would be concealed; skipping instead costs
     * nothing more), or after {@value #FORCE_SHRINK_SECONDS} s without one. The audio after the
     * skip is crossfaded in, as after a concealment. Only audio that has arrived is skipped.
     */
    private void shrinkIfDue(int frames) {
        if (shrinkPeriods == 0 || phase != 0) {
            return;
        }
        final boolean gap = readPos >= writePos || missing[(int) (readPos & mask)];
        if (!gap && --shrinkWait > 0) {
            return;
        }
        // Keep a period to play after the skip; at a gap, the gap itself may go.
        final long queued = (writePos - readPos) / frames - (gap ? 0 : 1);
        final long periods = Math.min(shrinkPeriods, queued);
        if (periods <= 0) {
            return;
        }
        shrinkPeriods = 0;
        counters.increment(LinkCounter.QUEUE_SHRINKS);
        readPos += periods * frames;
        if (aheadFrom >= 0 && aheadFrom < readPos) {
            // What was skipped is not made up, so a late packet for it is no reason to step back.
            aheadFrom = readPos;
        }
        concealer.splice();
    }

    private void relearnLevel() {
        smoothedLevel = Double.NaN;
        surplusPeriods = 0;
        surplusMin = Long.MAX_VALUE;
    }

    /** True if none of the {@code n} frames from {@code pos} is missing. */
    private boolean isWhole(long pos, int n) {
        return !missing[(int) (pos & mask)] && run(pos, n, false) == n;
    }

    /** Empties the queue, e.g. when a new peer is adopted. */
    public void clear() {
        readPos = writePos;
        phase = 0;
        lastSeq = -1;
        playing = false;
        started = false;
        holdPeriods = 0;
        aheadFrom = -1;
        lateInRow = 0;
        shrinkPeriods = 0;
        growPeriods = 0;
        concealer.reset();
        relearnLevel();
        if (drift != null) {
            drift.reset();
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

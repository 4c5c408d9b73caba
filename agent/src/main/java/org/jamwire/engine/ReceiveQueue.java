package org.jamwire.engine;

import java.nio.ByteBuffer;

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
 *   <li>when packets keep coming after their place (a late packet within {@value #LATE_WITHIN}
 *       arrivals of the one before: the peer's audio clock fell behind, e.g. its audio server
 *       skipped time, and the queue has no margin left), playback steps back to the
 *       first frame it had to make up, plays the late audio from there, and holds until the
 *       queue is full again: the concealed periods become delay, nothing more is lost;</li>
 *   <li>when the queue has held a whole period more than its length for a while (see
 *       {@link SurplusWatch}), this end's clock fell behind, and that period is skipped and the
 *       audio after it crossfaded in. A burst after a late period does not last that long and is
 *       played as it comes.</li>
 * </ul>
 * An automatic queue ({@link #AUTO}) moves the same way, as its {@link QueueSizer} says: it steps
 * back at the first late packet (it was too short), and lengthens or shortens itself by holding
 * or skipping periods at the next gap it comes to, which would have been concealed anyway.
 *
 * <p><b>Drift.</b> When a {@link DriftEstimator} believes the peer's audio clock runs at another
 * rate than this end's, the whole stream is resampled at the measured ratio (see
 * {@link DriftCorrection}); until then, and always on one clock, frames are played exactly as
 * received. A gap whose following audio has arrived is interpolated from both sides where the
 * policy predicts (see {@link Concealer#interpolate}), so the audio after it plays untouched.
 *
 * <p>The parts: {@link FrameRing} holds the frames and positions, {@link Arrivals} places packets,
 * {@link Playout} plays periods (with {@link DriftCorrection}); {@link SurplusWatch} and
 * {@link AutoLength} say when the schedule should move, and {@link Slips} moves it. This class
 * runs them in order each period.
 */
public final class ReceiveQueue {

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

    /**
     * Late packets that make the schedule step back, when each comes within {@link #LATE_WITHIN}
     * arrivals of the one before.
     */
    public static final int LATE_IN_ROW = 2;
    /**
     * Arrivals within which a second late packet makes the schedule step back: a queue left with no
     * margin has packets straddle their turn, late and in time by turns, and never two late in a row.
     */
    public static final int LATE_WITHIN = 8;
    /**
     * Seconds an automatic queue waits for a gap to skip (which costs nothing: it would be
     * concealed anyway) before it skips audio to shorten itself.
     */
    public static final double FORCE_SHRINK_SECONDS = AutoLength.FORCE_SHRINK_SECONDS;

    private final FrameRing ring;
    private final Arrivals arrivals;
    private final Playout playout;
    private final SurplusWatch surplus;
    private final Slips slips;
    private final QueueSizer sizer;
    /** Null for a fixed queue. */
    private final AutoLength auto;
    /** Null for a queue that does not follow drift. */
    private final DriftCorrection correction;
    private final Counters counters;
    private final int localFrames;
    private int targetFrames;
    private int overflowFrames;
    private boolean playing;
    /** Frames played by this end, for the drift estimator's clock. */
    private long played;

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
        this.localFrames = localFrames;
        this.counters = counters;
        this.sizer = queue == AUTO ? new QueueSizer(localFrames, sampleRate, maxQueueMillis) : null;
        setTarget(sizer != null ? sizer.target() : queue * localFrames);
        final int most = (sizer != null ? QueueSizer.maxPeriods(localFrames, sampleRate, maxQueueMillis) : queue)
                * localFrames + 2 * localFrames;
        // The ring holds the overflow length, a gap up to that length, one packet, and as much
        // again of audio already played, which a step back may play once more.
        this.ring = new FrameRing(channels, Math.max(4 * (most + FrameRing.MAX_PEER_FRAMES), 32768));
        this.correction = followDrift ? new DriftCorrection(ring, counters, localFrames, sampleRate) : null;
        this.arrivals = new Arrivals(ring, correction != null ? correction.estimator() : null, sizer, counters);
        this.playout = new Playout(ring, correction, counters, policy, localFrames, sampleRate);
        this.surplus = new SurplusWatch(localFrames, sampleRate);
        this.auto = sizer != null ? new AutoLength(sizer, ring, counters, localFrames, sampleRate) : null;
        this.slips = new Slips(ring, playout, surplus, auto, correction, counters, localFrames);
    }

    private void setTarget(int frames) {
        targetFrames = frames;
        // Far above anything the schedule lets it hold: a bound on the ring, not a playout rule.
        overflowFrames = (sizer != null ? sizer.maxTarget() : targetFrames) + 8 * localFrames;
        counters.set(LinkCounter.QUEUE_TARGET, targetFrames);
    }

    /** Frames currently queued ahead of playback (negative while playback runs ahead of arrivals). */
    public int level() {
        return (int) ring.level();
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
        final int verdict = arrivals.place(packet, payloadOffset, bits, frames, peerChannels, tag, sentMicros,
                played, playing, overflowFrames);
        if (verdict == Arrivals.STEP_BACK) {
            // A fixed queue fills to its length again; an automatic one lets its sizer decide.
            slips.stepBack(sizer == null ? targetFrames : 0);
        } else if (verdict == Arrivals.OVERFLOW) {
            slips.skipTo(ring.writePos - targetFrames);
        }
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
        if (correction != null && nowMicros != Long.MIN_VALUE) {
            correction.periodBegan(played, nowMicros);
        }
        surplus.periodBegan(nowMicros, frames);
        final long before = played;
        played += frames;
        if (!playing && level() >= targetFrames && level() > 0) {
            playing = true;
            // What queued up before playback began (a burst while the audio client was starting)
            // is only delay: playback starts at the queue's length from the newest audio.
            if (sizer == null && level() > targetFrames) {
                ring.readPos = ring.writePos - targetFrames;
            }
            surplus.playbackStarted();
            slips.relearn();
        }
        if (!playing) {
            playout.silence(outputs, frames);
            finish(0);
            return;
        }
        if (slips.holding()) {
            finish(playout.hold(outputs, frames));
            return;
        }
        slips.skipTo(ring.readPos + surplus.surplus(ring.level(), targetFrames, sizer == null && ring.phase == 0));
        if (auto != null) {
            if (auto.period(before - ring.readPos)) {
                setTarget(sizer.target());
            }
            if (auto.grow()) {
                finish(playout.hold(outputs, frames));
                return;
            }
            if (auto.shrink(frames)) {
                playout.splice();
            }
        }
        if (playout.resample(outputs, frames, targetFrames)) {
            counters.increment(LinkCounter.DRIFT_CORRECTIONS);
            finish(0);
            return;
        }
        finish(playout.play(outputs, frames));
    }

    private void finish(long concealed) {
        if (concealed > 0) {
            counters.add(LinkCounter.CONCEALED, concealed);
        }
        counters.set(LinkCounter.QUEUE_LEVEL, Math.max(0, level()));
    }

    /** Empties the queue, e.g. when a new peer is adopted. */
    public void clear() {
        ring.skipAll();
        arrivals.clear();
        playing = false;
        slips.clear();
        playout.reset();
        surplus.relearn();
        if (correction != null) {
            correction.reset();
        }
    }
}

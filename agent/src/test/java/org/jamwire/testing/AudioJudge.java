package org.jamwire.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The one judge of audio that crossed a link: what a receiver played, compared sample by sample with
 * what the sender sent, after one alignment at the start. Test thread; no state between calls.
 *
 * <p>The recording is cut into periods on the recording client's own grid. The first period with
 * sound fixes the delay (recording frame minus signal frame). From there each period is clean only
 * if every sample is the signal at that delay, as the wire carries it ({@link #wire}), within the
 * tolerance (none, unless the audio was mixed). Anything else is an <em>event</em>: a run of bad
 * periods (silence, concealment, a crossfade, corruption), and the delay the signal continues at
 * after it. What an event did follows from those two numbers:
 * <ul>
 *   <li>a <b>slip</b>: the delay changed by a whole number of packets, because the receiver played
 *       concealment in place of audio that came later (an underrun: the delay grows) or dropped
 *       queued audio (an overflow: it shrinks);</li>
 *   <li>a <b>shift</b>: the delay changed by anything else: frames were inserted, dropped or
 *       resampled inside the stream. No counted event excuses that; on a link between two clocks
 *       that agree it is always a failure;</li>
 *   <li>the <b>signal lost</b>: bad periods less the slip, plus any audio dropped, in periods
 *       (rounded up). A packet lost and concealed in place loses its period and, where the
 *       concealment crossfades back into the signal, the period after it.</li>
 * </ul>
 * A period that matches a new delay counts as the signal there only if the period after it does
 * too, so a repeated period is one bad period, not two slips.
 *
 * <p>Judgements: {@link Judgement#assertExact} for a clean link (no event at all), and
 * {@link Judgement#assertAccounted} for a link with counted causes (xruns, losses, concealment),
 * each of which may excuse one event.
 */
public final class AudioJudge {

    /** The signal a sender played: the sample at its frame {@code frame} (any frame, negative too). */
    @FunctionalInterface
    public interface Signal {
        /** The sample at sender frame {@code frame}. */
        float at(long frame);
    }

    /**
     * Periods of the signal a JamWire receiver may lose for each xrun the JACK servers counted:
     * the period concealed in place (or skipped, or the delay a step back adds), and the one after
     * it, which crossfades from the concealment back into the signal (see {@code Concealer}).
     */
    public static final int JAMWIRE_PER_XRUN = 2;
    /**
     * Periods of the signal a jacktrip 1.7 receiver (its default jitter buffer, strategy 1) may
     * lose for each xrun: it plays silence until its buffer refills, and drops queued audio down
     * to its length when a burst overfills it.
     */
    public static final int JACKTRIP_PER_XRUN = 8;

    /** No delay fits. */
    private static final long NONE = Long.MIN_VALUE;
    /** Whole slips tried around the last delay before a search over the whole signal. */
    private static final int NEAR_SLIPS = 64;
    /** Frames either side of a whole slip tried, to tell a shifted stream from a wrong one. */
    private static final int NEAR_FRAMES = 8;
    /** Bad periods in a row after which the whole signal is searched for the delay again. */
    private static final int SEARCH_EVERY = 16;

    private final float[] recording;
    private final int from;
    private final Signal signal;
    private final int period;
    private final int unit;
    private final float tolerance;
    private final long span;

    private AudioJudge(float[] recording, int from, Signal signal, int period, int unit, double tolerance, long span) {
        if (period <= 0 || unit <= 0 || from < 0) {
            throw new IllegalArgumentException("period " + period + ", unit " + unit + ", from " + from);
        }
        this.recording = recording;
        this.from = from;
        this.signal = signal;
        this.period = period;
        this.unit = unit;
        this.tolerance = (float) tolerance;
        this.span = span;
    }

    /**
     * Judges {@code recording[from..]} against channel {@code channel} of the test signal
     * ({@link JackSignalClient#sample}) as {@code bits}-bit samples carry it, exactly.
     *
     * @param period frames per period of the recording client (and of the receiving end)
     */
    public static Judgement of(float[] recording, int from, int channel, int bits, int period) {
        return of(recording, from, wire(channel, bits), period, period, 0);
    }

    /**
     * Judges {@code recording[from..]} against {@code signal}.
     *
     * @param period frames per period of the recording client, the grid periods are judged on
     * @param unit frames per packet of the sender: a slip is a whole number of them
     * @param tolerance largest difference of a clean sample (0 for audio that was not mixed)
     */
    public static Judgement of(float[] recording, int from, Signal signal, int period, int unit, double tolerance) {
        return new AudioJudge(recording, from, signal, period, unit, tolerance, JackSignalClient.SIGNAL_PERIOD).judge();
    }

    /**
     * Channel {@code channel} of the test signal as a receiver decodes it after {@code bits}-bit
     * encoding, computed from the wire format's definition (not from the codec under test): 8 and
     * 16 bits scale by 127 or 32767 and round half away from zero, and decode by 128 or 32768; 24
     * bits keep floor(x·32768) and a remainder byte; 32 bits are the float itself.
     */
    public static Signal wire(int channel, int bits) {
        return frame -> quantize(JackSignalClient.sample(channel, frame), bits);
    }

    /** {@code x} after a trip through the wire at {@code bits} bits. */
    public static float quantize(float x, int bits) {
        return switch (bits) {
            case 8 -> (float) (Math.max(-127, Math.min(127, roundHalfAway(x * 127.0))) / 128.0);
            case 16 -> (float) (Math.max(-32767, Math.min(32767, roundHalfAway(x * 32767.0))) / 32768.0);
            case 24 -> {
                final double scaled = x * 32768.0;
                final double q = Math.floor(scaled);
                final double r = Math.floor((scaled - q) * 256);
                yield (float) ((q + r / 256) / 32768.0);
            }
            case 32 -> x;
            default -> throw new IllegalArgumentException("bits " + bits);
        };
    }

    private static double roundHalfAway(double v) {
        return Math.signum(v) * Math.floor(Math.abs(v) + 0.5);
    }

    /**
     * A run of bad periods and what it did to the stream.
     *
     * @param frame the recording frame where it starts
     * @param bad periods that were not the signal
     * @param slip frames by which the delay changed across it (positive: audio inserted)
     * @param shifted whether the delay changed by other than whole packets
     * @param lost periods of the signal that were not played as sent (rounded up)
     * @param first what the first bad period held, for messages
     */
    public record Event(long frame, int bad, long slip, boolean shifted, int lost, String first) {
        @Override
        public String toString() {
            return "at frame " + frame + ": " + bad + " bad period" + (bad == 1 ? "" : "s")
                    + (slip == 0 ? "" : ", delay " + (slip > 0 ? "+" : "") + slip + " frames")
                    + (shifted ? " (SHIFTED: not a whole number of packets)" : "") + ", " + lost + " lost"
                    + (first == null ? "" : "; " + first);
        }
    }

    /**
     * What the judge found.
     *
     * @param periods periods judged, from the first with sound
     * @param clean periods that were the signal
     * @param lead periods of silence before the first sound, not judged
     * @param delay the delay at the first sound, or -1 if the signal was never found
     * @param last the delay at the end, or -1 if the signal was never found
     * @param events every event, in order (one still open at the end included)
     * @param period frames per period
     */
    public record Judgement(int periods, int clean, int lead, long delay, long last, List<Event> events, int period) {

        /** Periods heard as glitches: bad ones, or the signal dropped where an event lost more. */
        public int glitches() {
            return events.stream().mapToInt(e -> Math.max(e.bad(), e.lost())).sum();
        }

        /** Periods that were not the signal. */
        public int bad() {
            return events.stream().mapToInt(Event::bad).sum();
        }

        /** Periods of the signal lost, over all events. */
        public int lost() {
            return events.stream().mapToInt(Event::lost).sum();
        }

        /** Events that changed the delay by other than whole packets. */
        public long shifts() {
            return events.stream().filter(Event::shifted).count();
        }

        /** A summary for messages: the counts and the first events. */
        public String summary() {
            final StringBuilder b = new StringBuilder();
            b.append(periods).append(" periods of ").append(period).append(" frames: ").append(clean).append(" clean, ")
                    .append(bad()).append(" bad in ").append(events.size()).append(" events, ").append(lost())
                    .append(" lost, ").append(shifts()).append(" shifted; delay ").append(delay).append(" frames at the start, ")
                    .append(last).append(" at the end");
            if (lead > 0) {
                b.append("; ").append(lead).append(" silent periods before the first sound");
            }
            for (int i = 0; i < Math.min(8, events.size()); i++) {
                b.append("\n  event ").append(events.get(i));
            }
            if (events.size() > 8) {
                b.append("\n  … ").append(events.size() - 8).append(" more");
            }
            return b.toString();
        }

        /**
         * Fails unless the signal was found and every period from the first sound on is the
         * signal: nothing lost, inserted, dropped or resampled.
         */
        public void assertExact(String what, String context) {
            if (delay < 0 || !events.isEmpty() || periods == 0) {
                throw new AssertionError(what + ": not the exact signal: " + summary() + "\n" + context);
            }
        }

        /**
         * Fails unless the signal was found, the delay only ever changed by whole packets, there
         * were at most as many events as {@code causes} (xruns, lost or late packets, underruns the
         * test counted), and each cause cost at most {@code perCause} periods of the signal on
         * average, which the test states with its reason.
         */
        public void assertAccounted(String what, long causes, int perCause, String context) {
            if (delay < 0 || periods == 0 || shifts() > 0 || events.size() > causes || lost() > causes * perCause) {
                throw new AssertionError(what + ": " + events.size() + " events and " + lost()
                        + " periods lost, with " + causes + " counted causes (at most " + perCause
                        + " periods lost each): " + summary() + "\n" + context);
            }
        }
    }

    private Judgement judge() {
        final int periods = Math.max(0, (recording.length - from) / period);
        final List<Event> events = new ArrayList<>();
        int lead = 0;
        int clean = 0;
        long delay = -1;
        long first = -1;
        int p = 0;
        int unaligned = 0;
        String unalignedFirst = null;
        for (; p < periods; p++) {
            final int start = from + p * period;
            if (unaligned == 0 && isSilent(start)) {
                lead++;
                continue;
            }
            // A period that fits no delay (a glitch right at the first sound) is bad; the delay
            // is searched for again, every few periods, as after any event.
            if (unaligned % SEARCH_EVERY == 0) {
                first = search(start);
                if (first >= 0) {
                    break;
                }
            }
            if (unalignedFirst == null) {
                unalignedFirst = "no delay fits from frame " + start;
            }
            unaligned++;
        }
        if (first < 0) {
            return new Judgement(periods - lead, 0, lead, -1, -1, events, period);
        }
        if (unaligned > 0) {
            events.add(new Event(from + (long) (p - unaligned) * period, unaligned, 0, false, unaligned,
                    unalignedFirst));
        }
        delay = first;
        long eventFrame = -1;
        int bad = 0;
        String firstBad = null;
        for (; p < periods; p++) {
            final int start = from + p * period;
            if (matches(start, delay)) {
                clean++;
                continue;
            }
            final long next = realign(start, delay, bad);
            if (next != NONE && p + 1 < periods && matches(start + period, next)) {
                // The signal goes on at another delay from this period on.
                if (eventFrame < 0) {
                    eventFrame = start;
                }
                events.add(event(eventFrame, bad, slip(next - delay), firstBad));
                delay = next;
                clean++;
                eventFrame = -1;
                bad = 0;
                firstBad = null;
                continue;
            }
            if (eventFrame < 0) {
                eventFrame = start;
                firstBad = describe(start, delay);
            }
            bad++;
            if (p + 1 < periods && matches(start + period, delay)) {
                events.add(event(eventFrame, bad, 0, firstBad));
                eventFrame = -1;
                bad = 0;
                firstBad = null;
            }
        }
        if (eventFrame >= 0) {
            events.add(event(eventFrame, bad, 0, firstBad + " (to the end of the recording)"));
        }
        return new Judgement(periods - lead, clean, lead, first, delay, List.copyOf(events), period);
    }

    /** A change of delay as the shortest move: delays a whole repetition of the signal apart are one. */
    private long slip(long change) {
        final long c = Math.floorMod(change, span);
        return c > span / 2 ? c - span : c;
    }

    private Event event(long frame, int bad, long slip, String first) {
        final boolean shifted = slip % unit != 0;
        final long lostFrames = (long) bad * period - slip;
        final int lost = (int) Math.max(0, (lostFrames + period - 1) / period);
        return new Event(frame, bad, slip, shifted, lost, first);
    }

    /**
     * The delay at which the period at {@code start} continues the signal after the stream moved
     * away from {@code delay}: a whole number of packets away first, then a few frames off one,
     * then (every {@value #SEARCH_EVERY} bad periods) anywhere. -1 if none fits.
     */
    private long realign(int start, long delay, int badSoFar) {
        for (int k = 1; k <= NEAR_SLIPS; k++) {
            for (final int sign : new int[] {1, -1}) {
                final long d = delay + sign * (long) k * unit;
                if (matches(start, d)) {
                    return d;
                }
            }
        }
        for (int k = 0; k <= NEAR_SLIPS; k++) {
            for (int j = 1; j <= NEAR_FRAMES; j++) {
                for (final int sign : new int[] {1, -1}) {
                    final long d = delay + sign * ((long) k * unit + j);
                    if (matches(start, d)) {
                        return d;
                    }
                    final long e = delay + sign * ((long) k * unit - j);
                    if (k > 0 && matches(start, e)) {
                        return e;
                    }
                }
            }
        }
        if (badSoFar % SEARCH_EVERY == 0) {
            final long found = search(start);
            return found < 0 ? NONE : found;
        }
        return NONE;
    }

    /**
     * The delay over one repetition of the signal that the period at {@code start} matches, the
     * smallest if several do, or -1.
     */
    private long search(int start) {
        for (long d = 0; d < span; d++) {
            if (matches(start, d) && (start + 2L * period > recording.length || matches(start + period, d)
                    || isSilent(start + period))) {
                return d;
            }
        }
        return -1;
    }

    private boolean matches(int start, long delay) {
        if (start + period > recording.length) {
            return false;
        }
        for (int i = start; i < start + period; i++) {
            final float d = recording[i] - signal.at(i - delay);
            if (d > tolerance || d < -tolerance) {
                return false;
            }
        }
        return true;
    }

    private boolean isSilent(int start) {
        if (start + period > recording.length) {
            return false;
        }
        for (int i = start; i < start + period; i++) {
            if (recording[i] != 0f) {
                return false;
            }
        }
        return true;
    }

    private String describe(int start, long delay) {
        if (isSilent(start)) {
            return "silence";
        }
        double max = 0;
        for (int i = start; i < start + period; i++) {
            max = Math.max(max, Math.abs(recording[i] - signal.at(i - delay)));
        }
        return String.format("off by up to %.6f", max);
    }
}

package org.jamwire.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * A benchmark process that plays the test signal of {@link JackSignalClient} on one JACK server,
 * records the ports it is connected to, and counts glitch blocks in what it recorded: periods that
 * are not the continuation of the signal within a tolerance. Run by {@code bench/impaired.sh};
 * {@link #main} is the process, and everything but the client's process callback runs on its main
 * thread.
 *
 * <p>{@link SignalCheck} accepts a period that matches the signal at any delay, which is right for
 * checking a wire format but lets a repeated or skipped period (a jump in the audio) pass as clean.
 * Here a period is clean only at the delay of the last clean period; a period that matches at
 * another delay is a glitch (a discontinuity) and sets the delay for what follows, unless the next
 * matching period returns to the old one (a repeated period is one glitch, not two).
 * {@link SignalCheck} finds the delay when there is none to continue from.
 */
public final class GlitchProbe {

    /**
     * Periods that match no delay near the last one, since the last full search, before the delay
     * is searched for afresh over the whole signal (which takes milliseconds a period).
     */
    private static final int UNMATCHED_BEFORE_SEARCH = 8;

    /** Whole periods by which a jitter buffer may shift the delay, tried before a full search. */
    private static final int NEAR_PERIODS = 16;

    /** Frames by which a drift correction may shift the delay, tried with each period shift. */
    private static final int NEAR_FRAMES = 2;

    /** Periods in frames of the test signal's sine (on channels 1 to 96) and ramp: see {@link JackSignalClient#sample}. */
    private static final int SINE = 97;
    private static final int RAMP = 1009;

    /**
     * Offsets from a delay to its aliases. Within 16-bit resolution a period fits more than one
     * delay: one a multiple of the sine's 97 frames away, where the ramp (1 / 100000 a frame,
     * repeating every 1009 frames) is only one to three steps off, fits every period but the
     * one in eight that holds the ramp's wrap. A period that fits an alias of the delay continues
     * the signal as far as 16 bits can tell, so it is clean, and its alias is taken as the delay.
     */
    private static final long[] ALIASES = aliases(3);

    private GlitchProbe() {}

    private static long[] aliases(int rampSteps) {
        return LongStream.range(1, RAMP)
                .filter(m -> SINE * m % RAMP <= rampSteps || SINE * m % RAMP >= RAMP - rampSteps)
                .flatMap(m -> LongStream.of(SINE * m, -SINE * m))
                .toArray();
    }

    /**
     * Glitch blocks in one recorded channel.
     *
     * @param periods periods judged
     * @param silent glitch periods of silence
     * @param wrong glitch periods that are not the signal at any delay tried (concealment,
     *     crossfades, splices)
     * @param jumps glitch periods that are the signal, at another delay than the period before
     * @param delays delay of each clean period in frames (recording frame minus signal frame),
     *     in order; unused entries are -1
     * @param firstWrong the first wrong period: its frame and how far it is from the signal at
     *     the last delay, or null if none
     */
    public record Glitches(int periods, int silent, int wrong, int jumps, long[] delays, String firstWrong) {

        /** All glitch blocks. */
        public int glitches() {
            return silent + wrong + jumps;
        }

        /** The median, least and greatest delay of the clean periods, -1 each when there were none. */
        public long[] delaySpread() {
            final long[] d = Arrays.stream(delays).filter(x -> x >= 0).sorted().toArray();
            return d.length == 0 ? new long[] {-1, -1, -1} : new long[] {d[d.length / 2], d[0], d[d.length - 1]};
        }
    }

    /**
     * Judges {@code recording[from..]} period by period against signal channel {@code channel}.
     *
     * @param from first frame judged, a multiple of {@code period} so that periods line up with the
     *     recording client's JACK cycles
     */
    public static Glitches judge(float[] recording, int from, int channel, int period, double tolerance) {
        final int periods = Math.max(0, (recording.length - from) / period);
        final long[] delays = new long[periods];
        Arrays.fill(delays, -1);
        int silent = 0;
        int wrong = 0;
        int jumps = 0;
        long delay = -1;
        // The delay before a jump, while no clean period has confirmed the jump: a repeated or
        // spliced period is one glitch, not two.
        long before = -1;
        int unmatched = 0;
        String firstWrong = null;
        for (int p = 0; p < periods; p++) {
            final int start = from + p * period;
            long clean = continued(recording, start, period, channel, before, tolerance);
            if (clean < 0) {
                clean = continued(recording, start, period, channel, delay, tolerance);
            }
            if (clean >= 0) {
                delay = clean;
                delays[p] = delay;
                before = -1;
                unmatched = 0;
                continue;
            }
            if (isSilent(recording, start, period)) {
                silent++;
                continue;
            }
            long found = delay >= 0 ? nearDelay(recording, start, period, channel, delay, tolerance) : -1;
            if (found < 0 && (delay < 0 || ++unmatched >= UNMATCHED_BEFORE_SEARCH)) {
                unmatched = 0;
                found = searchDelay(recording, start, period, channel, tolerance);
            }
            if (found >= 0) {
                found = likeliest(recording, start, period, channel, found, tolerance);
            }
            if (found < 0) {
                wrong++;
                if (firstWrong == null && delay >= 0) {
                    firstWrong = "frame " + start + " is off by up to " + error(recording, start, period, channel, delay)
                            + " from the signal at delay " + delay;
                }
            } else if (delay < 0) {
                // The first delay found: there was none to jump from.
                delay = found;
                delays[p] = delay;
            } else {
                jumps++;
                if (before < 0) {
                    before = delay;
                }
                delay = found;
                unmatched = 0;
            }
        }
        return new Glitches(periods, silent, wrong, jumps, delays, firstWrong);
    }

    private static boolean matches(float[] r, int start, int n, int channel, long delay, double tolerance) {
        for (int i = start; i < start + n; i++) {
            if (Math.abs(r[i] - JackSignalClient.sample(channel, i - delay)) > tolerance) {
                return false;
            }
        }
        return true;
    }

    private static double error(float[] r, int start, int n, int channel, long delay) {
        double max = 0;
        for (int i = start; i < start + n; i++) {
            max = Math.max(max, Math.abs(r[i] - JackSignalClient.sample(channel, i - delay)));
        }
        return max;
    }

    private static boolean isSilent(float[] r, int start, int n) {
        for (int i = start; i < start + n; i++) {
            if (r[i] != 0f) {
                return false;
            }
        }
        return true;
    }

    /** A delay a few whole periods, give or take a frame or two, from {@code delay} that fits, or -1. */
    private static long nearDelay(float[] r, int start, int n, int channel, long delay, double tolerance) {
        for (int k = -NEAR_PERIODS; k <= NEAR_PERIODS; k++) {
            for (int j = -NEAR_FRAMES; j <= NEAR_FRAMES; j++) {
                final long candidate = delay + (long) k * n + j;
                if (candidate >= 0 && candidate != delay && matches(r, start, n, channel, candidate, tolerance)) {
                    return candidate;
                }
            }
        }
        return -1;
    }

    /** The delay over the whole signal that fits the period, found by {@link SignalCheck}, or -1. */
    private static long searchDelay(float[] r, int start, int n, int channel, double tolerance) {
        final SignalCheck one = SignalCheck.of(Arrays.copyOfRange(r, start, start + n), 0, channel, n, tolerance);
        if (one.matched() == 0) {
            return -1;
        }
        // SignalCheck counted frames from the start of the copy.
        return Math.floorMod(one.delay() + start, JackSignalClient.SIGNAL_PERIOD);
    }

    /**
     * Of {@code delay} and its aliases, the one that the most of the periods from {@code start}
     * on fit: enough of them to hold two of the ramp's wraps, which tell the aliases apart.
     */
    private static long likeliest(float[] r, int start, int n, int channel, long delay, double tolerance) {
        final int end = Math.min(r.length, start + 3 * RAMP / n * n);
        long best = delay;
        int bestFits = fits(r, start, end, n, channel, delay, tolerance);
        for (final long offset : ALIASES) {
            final long alias = Math.floorMod(delay + offset, JackSignalClient.SIGNAL_PERIOD);
            final int aliasFits = fits(r, start, end, n, channel, alias, tolerance);
            if (aliasFits > bestFits) {
                best = alias;
                bestFits = aliasFits;
            }
        }
        return best;
    }

    private static int fits(float[] r, int start, int end, int n, int channel, long delay, double tolerance) {
        int fits = 0;
        for (int s = start; s + n <= end; s += n) {
            if (matches(r, s, n, channel, delay, tolerance)) {
                fits++;
            }
        }
        return fits;
    }

    /**
     * {@code delay} if the period continues the signal at it, else an alias of it (see
     * {@link #ALIASES}) at which it does, else -1 (also when {@code delay} is -1).
     */
    private static long continued(float[] r, int start, int n, int channel, long delay, double tolerance) {
        if (delay < 0 || matches(r, start, n, channel, delay, tolerance)) {
            return delay;
        }
        for (final long offset : ALIASES) {
            final long alias = Math.floorMod(delay + offset, JackSignalClient.SIGNAL_PERIOD);
            if (matches(r, start, n, channel, alias, tolerance)) {
                return alias;
            }
        }
        return -1;
    }

    /**
     * Waits until the client has recorded {@code frames} frames, or until its frame count has not
     * moved for 5 seconds (JACK drops a client that misses its deadlines for too long), and says
     * so in the second case: what was recorded is judged all the same.
     */
    private static void awaitRecording(JackSignalClient client, long frames) {
        long last = client.frames();
        long lastMoved = System.nanoTime();
        while (client.frames() < frames) {
            if (client.frames() != last) {
                last = client.frames();
                lastMoved = System.nanoTime();
            } else if (System.nanoTime() - lastMoved > Duration.ofSeconds(5).toNanos()) {
                System.out.println("stalled: recorded " + last + " of " + frames + " frames");
                return;
            }
            Deadlines.pause();
        }
    }

    /**
     * The process: {@code server name outputs inputs rate period warmupSeconds seconds tolerance
     * [from>to ...]}. Plays the signal on {@code out_1..outputs}, records {@code in_1..inputs},
     * makes the connections once their ports exist, prints {@code ready}, and after warm-up and
     * the measured seconds (or once the recording has stalled, which it prints) prints one line
     * per input:
     * {@code channel C periods P glitches G silent S wrong W jumps J delay MEDIAN MIN MAX}.
     * Input {@code in_c} is judged against signal channel c.
     */
    public static void main(String[] args) throws Exception {
        final String server = args[0];
        final int outputs = Integer.parseInt(args[2]);
        final int inputs = Integer.parseInt(args[3]);
        final int rate = Integer.parseInt(args[4]);
        final int period = Integer.parseInt(args[5]);
        final double warmup = Double.parseDouble(args[6]);
        final double seconds = Double.parseDouble(args[7]);
        final double tolerance = Double.parseDouble(args[8]);
        final int from = (int) Math.ceil(warmup * rate / period) * period;
        final int capacity = from + (int) Math.ceil(seconds * rate / period) * period;
        try (JackSignalClient client = JackSignalClient.open(server, args[1], outputs, inputs, capacity)) {
            for (int i = 9; i < args.length; i++) {
                final String[] pair = args[i].split(">", 2);
                JackServer.awaitPort(server, pair[0], Duration.ofSeconds(20));
                JackServer.awaitPort(server, pair[1], Duration.ofSeconds(20));
                client.connect(pair[0], pair[1]);
            }
            System.out.println("ready at frame " + client.frames());
            System.out.flush();
            awaitRecording(client, capacity);
            for (int c = 1; c <= inputs; c++) {
                final Glitches g = judge(client.recording(c), from, c, period, tolerance);
                final long[] d = g.delaySpread();
                System.out.printf("channel %d periods %d glitches %d silent %d wrong %d jumps %d delay %d %d %d%n",
                        c, g.periods(), g.glitches(), g.silent(), g.wrong(), g.jumps(), d[0], d[1], d[2]);
                if (g.firstWrong() != null) {
                    System.out.println("  channel " + c + ", first wrong period: " + g.firstWrong());
                }
            }
        }
        System.exit(0);
    }
}

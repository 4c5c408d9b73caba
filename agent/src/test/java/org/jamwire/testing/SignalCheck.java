package org.jamwire.testing;

/**
 * Judges a recording of {@link JackSignalClient#sample(int, long)} period by period: each period
 * must be either silence (an underrun or xrun somewhere on the way, counted) or the expected
 * channel's signal within {@code tolerance} at some delay. A period that is neither is wrong audio:
 * a wrong channel, a wrong encoding or corruption. The delay may change after a glitch, so each
 * period is matched on its own, trying the previous period's delay first. Test thread.
 *
 * @param periods periods judged
 * @param matched periods that were the signal
 * @param silent periods of silence
 * @param wrong periods that were neither
 * @param delay the delay of the last matched period, -1 if none
 * @param maxError largest difference seen in a matched period
 * @param firstWrong a description of the first wrong period, or null
 */
public record SignalCheck(int periods, int matched, int silent, int wrong, long delay, double maxError,
        String firstWrong) {

    /**
     * Delay searches after which a period that does not fit the last delay is simply wrong: a few
     * glitches each shift the delay once, a broken link fails every period.
     */
    private static final int MAX_SEARCHES = 40;

    /**
     * Checks {@code recording[from..]} against signal channel {@code channel} (1-based).
     *
     * @param period frames per period
     */
    public static SignalCheck of(float[] recording, int from, int channel, int period, double tolerance) {
        int periods = 0;
        int matched = 0;
        int silent = 0;
        int wrong = 0;
        long delay = -1;
        int searches = 0;
        double maxError = 0;
        String firstWrong = null;
        for (int start = from; start + period <= recording.length; start += period) {
            periods++;
            if (isSilent(recording, start, period)) {
                silent++;
                continue;
            }
            long found = delay >= 0 && error(recording, start, period, channel, delay) <= tolerance ? delay : -1;
            if (found < 0 && searches >= MAX_SEARCHES) {
                wrong++;
                continue;
            }
            if (found < 0) {
                searches++;
                found = bestDelay(recording, start, period, channel);
            }
            final double err = found < 0 ? Double.MAX_VALUE : error(recording, start, period, channel, found);
            if (err <= tolerance) {
                matched++;
                delay = found;
                maxError = Math.max(maxError, err);
            } else {
                wrong++;
                if (firstWrong == null) {
                    firstWrong = "period at frame " + start + ": recorded " + recording[start] + ", " + recording[start + 1]
                            + " …; nearest signal delay " + found + " has error " + err;
                }
            }
        }
        return new SignalCheck(periods, matched, silent, wrong, delay, maxError, firstWrong);
    }

    /** A one-line summary for assertion messages. */
    public String summary() {
        return periods + " periods: " + matched + " matched (max error " + maxError + ", delay " + delay + "), "
                + silent + " silent, " + wrong + " wrong" + (firstWrong == null ? "" : "; first wrong: " + firstWrong);
    }

    private static boolean isSilent(float[] r, int start, int n) {
        for (int i = start; i < start + n; i++) {
            if (r[i] != 0f) {
                return false;
            }
        }
        return true;
    }

    private static double error(float[] r, int start, int n, int channel, long delay) {
        double max = 0;
        for (int i = start; i < start + n; i++) {
            max = Math.max(max, Math.abs(r[i] - signal(channel, i - delay)));
        }
        return max;
    }

    /** The signal at any frame, negative ones too: the two ends' frame counters start at different times. */
    private static float signal(int channel, long frame) {
        return JackSignalClient.sample(channel, frame);
    }

    /** The delay, within one repetition of the signal, that fits the period best. */
    private static long bestDelay(float[] r, int start, int n, int channel) {
        long best = -1;
        double bestErr = Double.MAX_VALUE;
        for (long d = 0; d < JackSignalClient.SIGNAL_PERIOD; d++) {
            // Cheap first-sample test before the whole period, unless nothing has matched yet.
            if (best >= 0 && Math.abs(r[start] - signal(channel, start - d)) > bestErr) {
                continue;
            }
            final double e = error(r, start, n, channel, d);
            if (e < bestErr) {
                bestErr = e;
                best = d;
            }
        }
        return best;
    }

    /**
     * Fails unless every period was the signal or silence and at least 90 % were the signal. An
     * xrun can leave a receiver playing a period spliced from two packets (jacktrip's byte ring
     * does, on a loaded 2-core machine), so one wrong period is forgiven per xrun the JACK servers
     * reported while recording, up to 1 % of periods; a wrong encoding or channel mapping spoils
     * nearly every period and still fails.
     */
    public void assertClean(String what, long xruns, String context) {
        final long forgiven = Math.min(xruns, periods / 100);
        if (wrong > forgiven || matched < periods * 9 / 10) {
            throw new AssertionError(what + ": " + summary() + " (" + xruns + " xruns while recording)\n" + context);
        }
    }

    /**
     * Fails unless at least 90 % of the periods were the signal and at most 5 % were wrong: for
     * links running as users run them, whose glitches are concealed (so they are neither silence
     * nor the signal) and whose counters this test cannot read. Sample-exact checks of the wire
     * format use {@link #assertClean} on links with concealment and drift correction off.
     */
    public void assertStreaming(String what, String context) {
        assertStreaming(what, 0, context);
    }

    /**
     * As {@link #assertStreaming(String, String)}, for very short periods, where one xrun's gap
     * spans several periods that are then concealed: four wrong periods more are forgiven per xrun
     * the JACK servers reported. At least 90 % must still be the signal.
     */
    public void assertStreaming(String what, long xruns, String context) {
        if (wrong > periods / 20 + 4 * xruns || matched < periods * 9 / 10) {
            throw new AssertionError(what + ": " + summary() + " (" + xruns + " xruns while recording)\n" + context);
        }
    }
}

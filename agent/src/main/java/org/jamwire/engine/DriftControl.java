package org.jamwire.engine;

/**
 * Keeps the receive queue level where it settled when the two ends' audio clocks run at slightly
 * different rates. The level seen before each period is smoothed (time constant 128 periods) and
 * its resting point learned over the first 512 periods after the queue fills (it depends on when
 * in the period packets arrive); how far it then strays beyond half a period from there sets how
 * often a period plays one frame more or one fewer than it
 * takes, through an accumulator, so corrections come evenly spread and in proportion to the
 * error, on top of the drift measured so far. The average correction rate (time constant 32768 periods, 87 s at 128 frames) is the
 * measured drift. Runs on the JACK thread; time-free
 * and allocation-free.
 */
final class DriftControl {

    private static final double SMOOTHING = 1.0 / 128;
    /** Corrections per period per frame of error, in units of the period length. */
    private static final double GAIN_PERIODS = 4;
    private static final double MAX_RATE = 0.25;
    private static final double RATE_SMOOTHING = 1.0 / 32768;

    /** Periods spent learning where the level settles before anything is corrected. */
    private static final int LEARN_PERIODS = 512;

    private final double deadband;
    private final double gain;
    private double level = Double.NaN;
    private double reference = Double.NaN;
    private int learned;
    private double accumulator;
    private double rate;

    /**
     * @param periodFrames frames per local period
     */
    DriftControl(int periodFrames) {
        this.deadband = periodFrames / 2.0;
        this.gain = 1.0 / (GAIN_PERIODS * periodFrames);
    }

    /**
     * Takes the level before a period is played and returns +1 to play one frame more than the
     * period (the peer's clock is faster), -1 to play one fewer, or 0.
     */
    int observe(int levelFrames) {
        level = Double.isNaN(level) ? levelFrames : level + (levelFrames - level) * SMOOTHING;
        if (learned < LEARN_PERIODS) {
            learned++;
            return 0;
        }
        if (Double.isNaN(reference)) {
            reference = level;
        }
        // Within half a period of where it settled the level is left alone: where in the period packets
        // arrive moves it that much without any drift. The measured rate feeds forward, so the
        // error needed to hold a steady drift fades away.
        final double error = level - reference;
        final double beyond = Math.signum(error) * Math.max(0, Math.abs(error) - deadband);
        final double want = Math.max(-MAX_RATE, Math.min(MAX_RATE, rate + beyond * gain));
        accumulator += want;
        int step = 0;
        if (accumulator >= 1) {
            step = 1;
        } else if (accumulator <= -1) {
            step = -1;
        }
        accumulator -= step;
        rate += (step - rate) * RATE_SMOOTHING;
        return step;
    }

    /**
     * Learns the level again, after the queue refilled or dropped audio: where it settles depends
     * on when in the period packets arrive, which is not the same after a refill. The measured
     * drift is kept.
     */
    void relearn() {
        level = Double.NaN;
        reference = Double.NaN;
        learned = 0;
        accumulator = 0;
    }

    /** The measured drift of the peer's clock against ours, in parts per million. */
    long ppm(int periodFrames) {
        return Math.round(rate / periodFrames * 1e6);
    }
}

package org.jamwire.engine;

/**
 * Keeps the receive queue at its target when the two ends' audio clocks run at slightly different
 * rates. The queue level seen before each period is smoothed (time constant 128 periods);
 * how far it strays beyond half a period from the target sets how often a period plays one frame more or one fewer than it
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

    private final int target;
    private final double deadband;
    private final double gain;
    private double level = Double.NaN;
    private double accumulator;
    private double rate;

    /**
     * @param targetFrames the queue level to hold, in frames
     * @param periodFrames frames per local period
     */
    DriftControl(int targetFrames, int periodFrames) {
        this.target = targetFrames;
        this.deadband = periodFrames / 2.0;
        this.gain = 1.0 / (GAIN_PERIODS * periodFrames);
    }

    /**
     * Takes the level before a period is played and returns +1 to play one frame more than the
     * period (the peer's clock is faster), -1 to play one fewer, or 0.
     */
    int observe(int levelFrames) {
        level = Double.isNaN(level) ? levelFrames : level + (levelFrames - level) * SMOOTHING;
        // Within half a period of the target the level is left alone: where in the period packets
        // arrive moves it that much without any drift. The measured rate feeds forward, so the
        // error needed to hold a steady drift fades away.
        final double error = level - target;
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

    /** The measured drift of the peer's clock against ours, in parts per million. */
    long ppm(int periodFrames) {
        return Math.round(rate / periodFrames * 1e6);
    }
}

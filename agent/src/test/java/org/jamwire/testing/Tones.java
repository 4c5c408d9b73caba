package org.jamwire.testing;

/**
 * Pure tones, and how loud one frequency is in a recording, so that tests can send a tone per
 * source and tell apart which sources a mix holds. Any thread; no state.
 */
public final class Tones {

    private Tones() {}

    /** Frame {@code frame} of a sine of {@code hz} and peak {@code amplitude} at {@code rate}. */
    public static float sample(double amplitude, int hz, int rate, long frame) {
        // Reduced first, so that the phase stays exact however long it plays (hz cycles per second).
        final long f = Math.floorMod(frame, (long) rate);
        return (float) (amplitude * Math.sin(2 * Math.PI * hz * f / rate));
    }

    /**
     * The amplitude of {@code hz} in {@code samples}, by its power at exactly that frequency
     * (Goertzel). Over a whole second, tones of whole-number frequencies do not leak into each
     * other, so each one's amplitude in a mix is found as if it were alone.
     */
    public static double level(float[] samples, int hz, int rate) {
        if (samples.length == 0) {
            return 0;
        }
        final double coeff = 2 * Math.cos(2 * Math.PI * hz / rate);
        double s1 = 0;
        double s2 = 0;
        for (float x : samples) {
            final double s = x + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        final double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return 2 * Math.sqrt(Math.max(0, power)) / samples.length;
    }
}

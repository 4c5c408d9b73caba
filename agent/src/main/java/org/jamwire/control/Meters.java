package org.jamwire.control;

import java.util.Arrays;
import java.util.List;
import org.jamwire.engine.LevelMeter;

/**
 * A link's levels at one moment: peak and RMS per channel in dBFS with one decimal, of what it
 * sends and what it receives. Immutable.
 *
 * @param send the levels it sends
 * @param receive the levels it receives
 */
public record Meters(Levels send, Levels receive) {

    /** dBFS shown for silence. */
    public static final double SILENCE_DB = -120.0;

    /**
     * One direction's levels.
     *
     * @param peak per channel, dBFS
     * @param rms per channel, dBFS
     */
    public record Levels(List<Double> peak, List<Double> rms) {

        static Levels of(LevelMeter meter) {
            final Double[] peak = new Double[meter.channels()];
            final Double[] rms = new Double[meter.channels()];
            for (int c = 0; c < meter.channels(); c++) {
                peak[c] = db(meter.peak(c));
                rms[c] = db(meter.rms(c));
            }
            return new Levels(Arrays.asList(peak), Arrays.asList(rms));
        }
    }

    static Meters of(LevelMeter send, LevelMeter receive) {
        return new Meters(Levels.of(send), Levels.of(receive));
    }

    /** {@code linear} in dBFS with one decimal; {@link #SILENCE_DB} at or below a millionth. */
    public static double db(float linear) {
        if (!(linear > 1e-6f)) {
            return SILENCE_DB;
        }
        return Math.round(20 * Math.log10(linear) * 10) / 10.0;
    }
}

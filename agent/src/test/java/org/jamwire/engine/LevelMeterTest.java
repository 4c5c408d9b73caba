package org.jamwire.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LevelMeterTest {

    private static float[][] constant(float value, int frames) {
        final float[][] a = new float[1][frames];
        java.util.Arrays.fill(a[0], value);
        return a;
    }

    @Test
    void publishes_nothing_until_a_window_is_complete() {
        final LevelMeter m = new LevelMeter(1, 48000); // 1440-frame windows
        m.measure(constant(0.5f, 128), 128);
        assertEquals(0f, m.peak(0));
        assertEquals(0f, m.rms(0));
    }

    @Test
    void reports_peak_and_rms_of_the_last_complete_window() {
        final LevelMeter m = new LevelMeter(1, 48000);
        for (int i = 0; i < 12; i++) {
            m.measure(constant(i == 3 ? -0.8f : 0.25f, 128), 128);
        }
        assertEquals(0.8f, m.peak(0), 1e-6);
        final double expected = Math.sqrt((11 * 128 * 0.0625 + 128 * 0.64) / (12 * 128));
        assertEquals(expected, m.rms(0), 1e-6);
    }

    @Test
    void starts_each_window_afresh() {
        final LevelMeter m = new LevelMeter(1, 48000);
        for (int i = 0; i < 12; i++) {
            m.measure(constant(0.9f, 128), 128);
        }
        for (int i = 0; i < 12; i++) {
            m.measure(constant(0.1f, 128), 128);
        }
        assertEquals(0.1f, m.peak(0), 1e-6);
        assertEquals(0.1f, m.rms(0), 1e-6);
    }
}

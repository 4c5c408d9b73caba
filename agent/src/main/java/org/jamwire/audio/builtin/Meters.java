package org.jamwire.audio.builtin;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Peak and RMS per channel of the last period, written by the clock thread and read by anyone.
 * Stored as float bits so that a reader never sees a torn value; allocation-free to write.
 */
public final class Meters {

    private final AtomicLongArray peakRms;

    /** Creates meters for {@code channels} channels. */
    public Meters(int channels) {
        peakRms = new AtomicLongArray(channels);
    }

    /** Number of channels. */
    public int channels() {
        return peakRms.length();
    }

    /** Measures one period of each channel (clock thread). */
    public void measure(float[][] audio, int frames) {
        for (int c = 0; c < audio.length && c < peakRms.length(); c++) {
            final float[] a = audio[c];
            float peak = 0f;
            double sum = 0;
            for (int i = 0; i < frames; i++) {
                final float v = a[i];
                peak = Math.max(peak, Math.abs(v));
                sum += (double) v * v;
            }
            final float rms = frames == 0 ? 0f : (float) Math.sqrt(sum / frames);
            peakRms.lazySet(c,
                    ((long) Float.floatToRawIntBits(peak) << 32) | (Float.floatToRawIntBits(rms) & 0xFFFFFFFFL));
        }
    }

    /** Peak absolute sample of channel {@code c} in the last period. */
    public float peak(int c) {
        return Float.intBitsToFloat((int) (peakRms.get(c) >>> 32));
    }

    /** RMS of channel {@code c} in the last period. */
    public float rms(int c) {
        return Float.intBitsToFloat((int) peakRms.get(c));
    }
}

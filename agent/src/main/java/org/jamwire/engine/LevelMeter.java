package org.jamwire.engine;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Peak and RMS per channel over windows of about {@value #WINDOW_MILLIS} ms, for meters. The audio
 * thread measures every period into preallocated sums and publishes a window's figures when it is
 * complete, as one atomic word per channel (peak and RMS as float bits), so a reader on any thread
 * never sees a torn pair. Allocation-free and lock-free to measure.
 */
public final class LevelMeter {

    /** Length of a window: a little shorter than a frame of a 30 Hz display. */
    public static final int WINDOW_MILLIS = 30;

    private final int channels;
    private final float[] peaks;
    private final double[] sums;
    private final AtomicLongArray published;
    private int windowFrames;
    private int frames;

    /** A meter for {@code channels} channels at {@code sampleRate} Hz. */
    public LevelMeter(int channels, int sampleRate) {
        this.channels = channels;
        this.peaks = new float[channels];
        this.sums = new double[channels];
        this.published = new AtomicLongArray(channels);
        this.windowFrames = Math.max(1, sampleRate * WINDOW_MILLIS / 1000);
    }

    /** Number of channels. */
    public int channels() {
        return channels;
    }

    /** Measures one period of each channel (audio thread). */
    public void measure(float[][] audio, int count) {
        final int n = Math.min(channels, audio.length);
        for (int c = 0; c < n; c++) {
            final float[] a = audio[c];
            float peak = peaks[c];
            double sum = sums[c];
            for (int i = 0; i < count; i++) {
                final float v = a[i];
                final float abs = Math.abs(v);
                if (abs > peak) {
                    peak = abs;
                }
                sum += (double) v * v;
            }
            peaks[c] = peak;
            sums[c] = sum;
        }
        frames += count;
        if (frames >= windowFrames) {
            publish();
        }
    }

    private void publish() {
        for (int c = 0; c < channels; c++) {
            final float rms = (float) Math.sqrt(sums[c] / frames);
            published.lazySet(c, ((long) Float.floatToRawIntBits(peaks[c]) << 32)
                    | (Float.floatToRawIntBits(rms) & 0xFFFFFFFFL));
            peaks[c] = 0f;
            sums[c] = 0;
        }
        frames = 0;
    }

    /** Peak absolute sample of channel {@code c} in the last complete window (any thread). */
    public float peak(int c) {
        return Float.intBitsToFloat((int) (published.get(c) >>> 32));
    }

    /** RMS of channel {@code c} in the last complete window (any thread). */
    public float rms(int c) {
        return Float.intBitsToFloat((int) published.get(c));
    }
}

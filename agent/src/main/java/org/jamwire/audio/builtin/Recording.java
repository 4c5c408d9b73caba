package org.jamwire.audio.builtin;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A fixed-length capture of the audio a built-in session plays, for tests and measurements: the
 * control thread creates it (all memory up front), the clock thread fills it, and the control
 * thread waits for it to be full. Filling is allocation-free.
 */
public final class Recording {

    private final float[][] samples;
    private final CountDownLatch full = new CountDownLatch(1);
    private int written;

    /** A recording of {@code frames} frames of {@code channels} channels. */
    public Recording(int channels, int frames) {
        samples = new float[channels][frames];
    }

    /** Clock thread: appends one period; returns false once full. */
    boolean append(float[][] audio, int frames) {
        final int n = Math.min(frames, samples.length == 0 ? 0 : samples[0].length - written);
        for (int c = 0; c < samples.length && c < audio.length; c++) {
            System.arraycopy(audio[c], 0, samples[c], written, n);
        }
        written += n;
        if (samples.length == 0 || written >= samples[0].length) {
            full.countDown();
            return false;
        }
        return true;
    }

    /** Waits until full; true if it filled within the timeout. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return full.await(timeout, unit);
    }

    /** The recorded samples of channel {@code c}; complete once {@link #await} returned true. */
    public float[] channel(int c) {
        return samples[c];
    }
}

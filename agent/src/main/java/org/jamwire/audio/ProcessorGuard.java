package org.jamwire.audio;

import java.util.Arrays;

/**
 * Runs a backend's {@link AudioProcessor} for one period on the audio thread, and plays silence for
 * a period in which it throws: the audio server must get its period whatever the processor does.
 * Such periods are counted and the last failure kept, already made, so that keeping it allocates
 * nothing; the control thread reads both.
 */
public final class ProcessorGuard implements AudioProcessor {

    private final AudioProcessor processor;
    /** Written by the audio thread only. */
    private volatile long failures;
    private volatile Throwable lastFailure;

    /** Guards {@code processor}. */
    public ProcessorGuard(AudioProcessor processor) {
        this.processor = processor;
    }

    @Override
    public void process(float[][] inputs, float[][] outputs, int frames) {
        try {
            processor.process(inputs, outputs, frames);
        } catch (RuntimeException | Error e) {
            for (final float[] output : outputs) {
                Arrays.fill(output, 0, frames, 0f);
            }
            lastFailure = e;
            failures = failures + 1;
        }
    }

    /** Periods in which the processor threw; their output was silence. */
    public long failures() {
        return failures;
    }

    /** What the processor last threw, or null. */
    public Throwable lastFailure() {
        return lastFailure;
    }
}

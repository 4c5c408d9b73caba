package org.jamwire.engine;

import java.util.Arrays;

/**
 * The audio-thread half of a latency test. While a {@link Run} is armed, each period replaces what
 * one channel sends with the next frames of a burst (then silence), and copies what that channel
 * plays into the run's capture, frame for frame from the burst's first frame, so that the echo's
 * position in the capture is the round trip in frames; the channel's playback is muted meanwhile,
 * so the burst is not heard here. A control thread arms a run, built with its buffers beforehand,
 * reads its progress and disarms it; the hand-off is one volatile reference and one volatile
 * count. Allocation-free, lock-free and wait-free on the audio thread, armed or idle.
 */
public final class LatencyProbe {

    /**
     * One test: the channel, the burst and the capture, and how far the audio thread has got. Made
     * on the control thread; written by the audio thread only while it is armed.
     */
    public static final class Run {
        private final int channel;
        private final float[] burst;
        private final float[] capture;
        /** Frames sent and captured so far; written by the audio thread only. */
        private int position;
        private volatile int captured;

        /**
         * @param channel the channel, from 0, both sent and received by the link
         * @param burst what to send from the run's first frame; silence follows it
         * @param captureFrames frames to capture at most, from the burst's first frame
         */
        public Run(int channel, float[] burst, int captureFrames) {
            if (channel < 0 || captureFrames < burst.length) {
                throw new IllegalArgumentException("channel " + channel + " or capture of " + captureFrames
                        + " frames for a " + burst.length + "-frame burst");
            }
            this.channel = channel;
            this.burst = burst;
            this.capture = new float[captureFrames];
        }

        /** The channel, from 0. */
        public int channel() {
            return channel;
        }

        /** What came back: valid up to {@link #captured()}. */
        public float[] capture() {
            return capture;
        }

        /** Frames captured so far (any thread). */
        public int captured() {
            return captured;
        }

        /** True once the capture is full. */
        public boolean full() {
            return captured == capture.length;
        }
    }

    private volatile Run armed;
    /** The run of the current period, read once at its start so both halves agree; audio thread. */
    private Run current;

    /** Starts a run at the next period (control thread). Replaces any run still armed. */
    public void arm(Run run) {
        armed = run;
    }

    /** Stops {@code run} if it is still armed: the channel sends and plays as before (control thread). */
    public void disarm(Run run) {
        if (armed == run) {
            armed = null;
        }
    }

    /**
     * Puts the burst, or the silence after it, in place of the channel's audio to send (audio
     * thread, at the start of each period, before the engine encodes {@code inputs}). A run armed
     * later in the period starts at the next one.
     */
    public void replaceSend(float[][] inputs, int frames) {
        final Run r = armed;
        current = r;
        if (r == null || r.channel >= inputs.length) {
            return;
        }
        final float[] in = inputs[r.channel];
        final int fromBurst = Math.max(0, Math.min(frames, r.burst.length - r.position));
        if (fromBurst > 0) {
            System.arraycopy(r.burst, r.position, in, 0, fromBurst);
        }
        Arrays.fill(in, fromBurst, frames, 0f);
    }

    /**
     * Captures what the channel plays and mutes it (audio thread, after the engine has filled
     * {@code outputs}).
     */
    public void capturePlayed(float[][] outputs, int frames) {
        final Run r = current;
        if (r == null || r.channel >= outputs.length) {
            return;
        }
        final float[] out = outputs[r.channel];
        final int n = Math.max(0, Math.min(frames, r.capture.length - r.position));
        System.arraycopy(out, 0, r.capture, r.position, n);
        Arrays.fill(out, 0, frames, 0f);
        r.position += n;
        r.captured = r.position;
    }
}

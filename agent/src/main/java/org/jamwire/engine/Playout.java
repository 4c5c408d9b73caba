package org.jamwire.engine;

import java.util.Arrays;

/**
 * Writes a {@link ReceiveQueue}'s periods out of its {@link FrameRing}: frames as received, the
 * missing ones concealed by the {@link Concealer} (or, for a short gap whose following audio has
 * arrived, interpolated from both sides), and resampled while a drift is corrected. Channels the
 * queue does not play are silenced. JACK thread only; allocation-free.
 */
final class Playout {

    private final FrameRing ring;
    private final Concealer concealer;
    private final DriftCorrection correction;
    private final Counters counters;
    private final int channels;
    /** The audio after a gap, and the gap's interpolation, per channel. */
    private final float[][] after;
    private final float[][] between;
    /** Whether real audio has played: before it there is nothing to conceal from. */
    private boolean started;

    /**
     * A playout that conceals by {@code policy}, with periods of {@code localFrames} at
     * {@code sampleRate}; {@code correction} is null for a queue that does not follow drift.
     */
    Playout(FrameRing ring, DriftCorrection correction, Counters counters, UnderrunPolicy policy, int localFrames,
            int sampleRate) {
        this.ring = ring;
        this.channels = ring.channels();
        this.concealer = new Concealer(policy, channels, localFrames, sampleRate);
        this.correction = correction;
        this.counters = counters;
        this.after = new float[channels][policy == UnderrunPolicy.PREDICT ? concealer.ahead() : 0];
        this.between = new float[channels][policy == UnderrunPolicy.PREDICT ? concealer.maxInterpolation() : 0];
    }

    /** Plays {@code frames} frames from the schedule's position as they are, concealing what is missing. */
    long play(float[][] outputs, int frames) {
        long concealed = 0;
        boolean underrun = false;
        for (int done = 0; done < frames; ) {
            final long at = ring.readPos + done;
            if (at >= ring.writePos) {
                // Not arrived: made up now, and a packet that brings it later is late.
                if (ring.aheadFrom < 0) {
                    ring.aheadFrom = at;
                }
                underrun = true;
                concealed += started ? concealer.conceal(outputs, done, frames - done)
                        : blankFrom(outputs, done, frames);
                break;
            }
            if (ring.isMissing(at)) {
                interpolate(at);
            }
            final boolean gap = ring.isMissing(at);
            final int run = ring.run(at, (int) Math.min(frames - done, ring.writePos - at), gap);
            if (gap) {
                concealed += concealer.conceal(outputs, done, run);
            } else {
                for (int c = 0; c < channels && c < outputs.length; c++) {
                    ring.copyOut(c, at, outputs[c], done, run);
                }
                concealer.play(outputs, done, run);
                started = true;
            }
            done += run;
        }
        blank(outputs, frames);
        ring.readPos += frames;
        if (underrun) {
            counters.increment(LinkCounter.UNDERRUNS);
        }
        return concealed;
    }

    /**
     * Plays the period resampled at the drift believed, if a drift is believed and every frame it
     * reads has arrived; otherwise plays nothing and returns false.
     */
    boolean resample(float[][] outputs, int frames, int targetFrames) {
        if (correction == null || !correction.active() || !correction.resample(outputs, frames, targetFrames)) {
            return false;
        }
        blank(outputs, frames);
        concealer.play(outputs, 0, frames);
        started = true;
        return true;
    }

    /** Conceals the whole period without moving the schedule; returns the frames concealed. */
    long hold(float[][] outputs, int frames) {
        return concealer.conceal(outputs, 0, frames) + blank(outputs, frames);
    }

    /** Silence on every output: playback has not started. */
    void silence(float[][] outputs, int frames) {
        for (float[] out : outputs) {
            Arrays.fill(out, 0, frames, 0f);
        }
    }

    /** The next frames played do not follow the last: they are crossfaded in. */
    void splice() {
        concealer.splice();
    }

    /** Forgets what was played, e.g. when a new peer is adopted. */
    void reset() {
        started = false;
        concealer.reset();
    }

    /** Silences the channels this queue does not play; returns 0 (nothing concealed). */
    private int blank(float[][] outputs, int frames) {
        for (int c = channels; c < outputs.length; c++) {
            Arrays.fill(outputs[c], 0, frames, 0f);
        }
        return 0;
    }

    /** Silence before the first real audio: nothing to conceal from yet. Returns the frames. */
    private int blankFrom(float[][] outputs, int from, int frames) {
        for (int c = 0; c < channels && c < outputs.length; c++) {
            Arrays.fill(outputs[c], from, frames, 0f);
        }
        return frames - from;
    }

    /**
     * Fills the gap starting at {@code at} in the ring from both sides, if the audio after it has
     * arrived and the gap is short (see {@link Concealer#interpolate}); the filled frames then play
     * as received ones, and count as concealed. Returns whether it did.
     */
    private boolean interpolate(long at) {
        if (between.length == 0 || between[0].length == 0 || !concealer.mayInterpolate()) {
            return false;
        }
        final int most = between[0].length;
        final int gapFrames = ring.run(at, (int) Math.min(most + 1, ring.writePos - at), true);
        final long end = at + gapFrames;
        if (gapFrames > most || end >= ring.writePos) {
            return false;
        }
        // Up to the next gap, if another follows closely.
        final int ahead = ring.run(end, (int) Math.min(concealer.ahead(), ring.writePos - end), false);
        for (int c = 0; c < channels; c++) {
            ring.copyOut(c, end, after[c], 0, ahead);
        }
        if (!concealer.interpolate(after, ahead, between, gapFrames)) {
            return false;
        }
        for (int c = 0; c < channels; c++) {
            ring.copyIn(c, at, between[c], gapFrames);
        }
        ring.mark(at, gapFrames, false);
        counters.add(LinkCounter.CONCEALED, gapFrames);
        return true;
    }
}

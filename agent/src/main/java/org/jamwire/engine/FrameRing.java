package org.jamwire.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jamwire.protocol.SampleCodec;

/**
 * The frames of a {@link ReceiveQueue}: one sample ring per channel, indexed by position in the
 * peer's stream, a mark per frame for what has not arrived, and the positions that playback and
 * arrivals have reached. JACK thread only; allocation-free.
 *
 * <p>The positions are plain fields because the queue's parts (arrivals, playout, resizing) all
 * move them on the one thread, in one period.
 */
final class FrameRing {

    /** The most frames a peer's packet may carry. */
    static final int MAX_PEER_FRAMES = 8192;

    private final float[][] rings;
    private final boolean[] missing;
    private final int mask;
    private final int channels;
    private final float[] scratch = new float[MAX_PEER_FRAMES];
    /** The next frame to play, and the fraction of a frame past it while resampling. */
    long readPos;
    double phase;
    /** One past the newest frame queued. */
    long writePos;
    /** No reordered packet goes before this position: a restart or a clipped gap lies there. */
    long floorPos;
    /** The first frame made up because it had not arrived, since the last packet in time; -1 if none. */
    long aheadFrom = -1;

    /** A ring for {@code channels} channels holding at least {@code frames} frames. */
    FrameRing(int channels, int frames) {
        final int capacity = Integer.highestOneBit(frames - 1) << 1;
        this.channels = channels;
        this.mask = capacity - 1;
        this.rings = new float[channels][capacity];
        this.missing = new boolean[capacity];
    }

    /** Channels kept. */
    int channels() {
        return channels;
    }

    /** Frames queued ahead of playback (negative while playback runs ahead of arrivals). */
    long level() {
        return writePos - readPos;
    }

    /** Moves playback past everything queued, as if it had all been played. */
    void skipAll() {
        readPos = writePos;
        phase = 0;
        aheadFrom = -1;
    }

    /** True if the frame at {@code pos} was marked missing. */
    boolean isMissing(long pos) {
        return missing[(int) (pos & mask)];
    }

    /** True where the next frame to play has not arrived, or is marked missing: a gap. */
    boolean atGap() {
        return readPos >= writePos || isMissing(readPos);
    }

    /** Decodes a packet's planar payload to {@code pos}; channels it lacks get silence. */
    void decode(ByteBuffer packet, int payloadOffset, int bits, int frames, int peerChannels, long pos) {
        for (int c = 0; c < channels; c++) {
            if (c < peerChannels) {
                SampleCodec.decodeChannel(packet, payloadOffset, frames, bits, c, scratch, 0);
                copyIn(c, pos, scratch, frames);
            } else {
                fill(rings[c], pos, frames, 0f);
            }
        }
        mark(pos, frames, false);
    }

    /** True if all {@code n} frames from {@code pos} are missing. */
    boolean isGap(long pos, int n) {
        return isMissing(pos) && run(pos, n, true) == n;
    }

    /** True if none of the {@code n} frames from {@code pos} is missing. */
    boolean isWhole(long pos, int n) {
        return !isMissing(pos) && run(pos, n, false) == n;
    }

    /** Length of the run of frames from {@code pos}, at most {@code max}, all missing or all not. */
    int run(long pos, int max, boolean gap) {
        int n = 1;
        while (n < max && missing[(int) ((pos + n) & mask)] == gap) {
            n++;
        }
        return n;
    }

    void mark(long pos, int n, boolean gap) {
        final int start = (int) (pos & mask);
        final int first = Math.min(n, missing.length - start);
        Arrays.fill(missing, start, start + first, gap);
        Arrays.fill(missing, 0, n - first, gap);
    }

    /** Writes {@code n} frames of {@code src} to channel {@code c} from {@code pos}. */
    void copyIn(int c, long pos, float[] src, int n) {
        final float[] ring = rings[c];
        final int start = (int) (pos & mask);
        final int first = Math.min(n, ring.length - start);
        System.arraycopy(src, 0, ring, start, first);
        System.arraycopy(src, first, ring, 0, n - first);
    }

    /** Reads {@code n} frames of channel {@code c} from {@code pos} into {@code dst}. */
    void copyOut(int c, long pos, float[] dst, int dstOffset, int n) {
        if (n <= 0) {
            return;
        }
        final float[] ring = rings[c];
        final int start = (int) (pos & mask);
        final int first = Math.min(n, ring.length - start);
        System.arraycopy(ring, start, dst, dstOffset, first);
        System.arraycopy(ring, 0, dst, dstOffset + first, n - first);
    }

    private void fill(float[] ring, long pos, int n, float v) {
        final int start = (int) (pos & mask);
        final int first = Math.min(n, ring.length - start);
        Arrays.fill(ring, start, start + first, v);
        Arrays.fill(ring, 0, n - first, v);
    }
}

package org.jamwire.link;

/**
 * A latency test's result: the round trip from this end's send port, through the far end (its
 * receive ports looped to its send ports), back to this end's receive port. Made on a control
 * thread by {@link Link#measureLatency}.
 *
 * @param frames the round trip in frames at this end's rate, sample-accurate
 * @param ms the round trip in milliseconds: {@code frames / sampleRate}
 * @param sampleRate this end's sample rate in Hz
 * @param periodFrames this end's frames per period
 * @param channel the channel measured, from 1
 * @param confidence the echo's correlation peak over the strongest correlation away from it
 */
public record Latency(int frames, double ms, int sampleRate, int periodFrames, int channel, double confidence) {
}

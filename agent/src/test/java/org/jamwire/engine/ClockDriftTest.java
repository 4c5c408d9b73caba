package org.jamwire.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.jamwire.protocol.PacketHeader;
import org.jamwire.protocol.SampleCodec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two audio clocks that disagree, simulated in virtual time: the peer sends a 128-frame packet per
 * period of its own clock, this end plays one per period of 48000 Hz, for 30 minutes of audio.
 * Without correction a 104 ppm difference would overflow or drain a 4-period queue about every
 * 25 s; with it the queue stays within one and a half periods of its target and never over- or
 * underruns.
 */
class ClockDriftTest {

    private static final int FRAMES = 128;
    private static final int LOCAL_RATE = 48_000;
    private static final int QUEUE = 4;
    private static final double MINUTES = 30;

    @ParameterizedTest(name = "peer clock at {0} Hz")
    @ValueSource(ints = {48_005, 47_995, 48_048})
    void holds_the_queue_at_its_target_and_measures_the_drift(int peerRate) {
        final Counters counters = new Counters();
        final ReceiveQueue queue = new ReceiveQueue(2, FRAMES, QUEUE, LOCAL_RATE, UnderrunPolicy.PREDICT, counters);
        final ByteBuffer packet = ByteBuffer.allocate(PacketHeader.packetLength(FRAMES, 2, 16));
        final float[][] tone = new float[2][FRAMES];
        final float[][] out = new float[2][FRAMES];
        final double peerPeriod = (double) FRAMES / peerRate;
        final double localPeriod = (double) FRAMES / LOCAL_RATE;
        final long pulls = Math.round(MINUTES * 60 / localPeriod);
        final long warmUp = Math.round(60 / localPeriod);
        long pushes = 0;
        int minLevel = Integer.MAX_VALUE;
        int maxLevel = 0;
        long glitchesAfterWarmUp = 0;
        for (long pull = 0; pull < pulls; pull++) {
            final double now = pull * localPeriod;
            while (pushes * peerPeriod <= now) {
                for (int i = 0; i < FRAMES; i++) {
                    final double t = (pushes * FRAMES + i) / (double) peerRate;
                    tone[0][i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * t));
                    tone[1][i] = -tone[0][i];
                }
                PacketHeader.write(packet, 0, 0L, (int) (pushes & 0xFFFF), FRAMES, 3, 16, 2, 2);
                SampleCodec.encode(tone, 2, FRAMES, 16, packet, PacketHeader.LENGTH);
                queue.push(packet, PacketHeader.LENGTH, 16, FRAMES, 2, (int) (pushes & 0xFFFF));
                pushes++;
            }
            final long before = counters.get(LinkCounter.OVERFLOWS) + counters.get(LinkCounter.UNDERRUNS);
            final int level = queue.level();
            queue.pull(out, FRAMES);
            if (pull > warmUp) {
                minLevel = Math.min(minLevel, level);
                maxLevel = Math.max(maxLevel, level);
                glitchesAfterWarmUp += counters.get(LinkCounter.OVERFLOWS) + counters.get(LinkCounter.UNDERRUNS) - before;
            }
        }
        final double expectedPpm = (peerRate - LOCAL_RATE) * 1e6 / LOCAL_RATE;
        final long ppm = counters.get(LinkCounter.DRIFT_PPM);
        System.out.printf("peer %d Hz: %.0f min, level before each period %d..%d frames (target %d), drift %d ppm"
                        + " (true %.1f), %d corrections, %d overflows, %d underruns%n", peerRate, MINUTES, minLevel,
                maxLevel, QUEUE * FRAMES, ppm, expectedPpm, counters.get(LinkCounter.DRIFT_CORRECTIONS),
                counters.get(LinkCounter.OVERFLOWS), counters.get(LinkCounter.UNDERRUNS));
        assertEquals(0, glitchesAfterWarmUp, "overflows and underruns after the first minute");
        // Bounded by the drift control's half-period dead band plus one period of arrival phase.
        assertTrue(minLevel >= QUEUE * FRAMES - 3 * FRAMES / 2 && maxLevel <= QUEUE * FRAMES + 3 * FRAMES / 2,
                "level " + minLevel + ".." + maxLevel);
        assertTrue(Math.abs(ppm - expectedPpm) <= Math.max(10, Math.abs(expectedPpm) * 0.1),
                "measured " + ppm + " ppm, true " + expectedPpm);
    }

    /**
     * No drift, but an xrun every 10 s at the peer (its clock stalls a period: the level drops by
     * one), here (a period is not played: the level rises by one), or alternately. The queue builds
     * each step up again or plays it off, without a glitch. What it measures is the rate audio
     * arrives at against the rate it plays: one period in 10 s is 267 ppm, so xruns all at one end
     * show as that much drift, and alternating ones cancel out.
     */
    @ParameterizedTest(name = "xruns at {0}")
    @ValueSource(strings = {"peer", "here", "both"})
    void an_xrun_is_a_step_to_recover_from_not_drift(String where) {
        final Counters counters = new Counters();
        final ReceiveQueue queue = new ReceiveQueue(2, FRAMES, QUEUE, LOCAL_RATE, UnderrunPolicy.PREDICT, counters);
        final ByteBuffer packet = ByteBuffer.allocate(PacketHeader.packetLength(FRAMES, 2, 16));
        final float[][] tone = new float[2][FRAMES];
        final float[][] out = new float[2][FRAMES];
        final double period = (double) FRAMES / LOCAL_RATE;
        final long pulls = Math.round(10 * 60 / period);
        final long every = Math.round(10 / period);
        double peerStalled = 0;
        long pushes = 0;
        long steps = 0;
        int level = 0;
        for (long pull = 0; pull < pulls; pull++) {
            final double now = pull * period;
            if (pull > 0 && pull % every == 0) {
                steps++;
                if (where.equals("peer") || where.equals("both") && steps % 2 == 1) {
                    peerStalled += period;
                } else {
                    continue;
                }
            }
            // The peer's packets leave a third of a period out of step with our periods.
            while (pushes * period + peerStalled + period / 3 <= now) {
                PacketHeader.write(packet, 0, 0L, (int) (pushes & 0xFFFF), FRAMES, 3, 16, 2, 2);
                SampleCodec.encode(tone, 2, FRAMES, 16, packet, PacketHeader.LENGTH);
                queue.push(packet, PacketHeader.LENGTH, 16, FRAMES, 2, (int) (pushes & 0xFFFF));
                pushes++;
            }
            level = queue.level();
            queue.pull(out, FRAMES);
        }
        final long ppm = counters.get(LinkCounter.DRIFT_PPM);
        System.out.printf("no drift, xruns at " + where + ", %d in 10 min: drift %d ppm, %d corrections, %d overflows,"
                + " %d underruns%n", steps, ppm, counters.get(LinkCounter.DRIFT_CORRECTIONS),
                counters.get(LinkCounter.OVERFLOWS), counters.get(LinkCounter.UNDERRUNS));
        final double effective = (where.equals("peer") ? -1 : where.equals("here") ? 1 : 0) * 1e6 * FRAMES
                / (10.0 * LOCAL_RATE);
        assertTrue(Math.abs(ppm - effective) <= 10, "measured " + ppm + " ppm, effective " + effective);
        assertEquals(0, counters.get(LinkCounter.OVERFLOWS) + counters.get(LinkCounter.UNDERRUNS));
        assertTrue(Math.abs(level - QUEUE * FRAMES) <= FRAMES, "level " + level + " before the last period");
    }
}

package org.jamwire.engine;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Random;

/**
 * What starting a concealment and interpolating a gap cost the audio thread: the time each
 * {@link Concealer} call takes, for the channel counts and period sizes given, with noise in
 * every channel (noise never lets Burg's fit stop early, so the fit costs the most). For
 * {@code bench/conceal.sh}: prints one Markdown row per case.
 *
 * <p>Usage: {@code ConcealCost CHANNELSxFRAMES...}, e.g. {@code 8x64 2x128}.
 */
public final class ConcealCost {

    private static final int RATE = 48_000;
    private static final int CALLS = 2000;
    /** Calls left out at the start, while the JIT compiles. */
    private static final int WARM_UP = 500;

    private ConcealCost() {}

    public static void main(String[] args) throws ReflectiveOperationException {
        System.out.println("| channels | frames | period (µs) | start a concealment: median / p99 (µs) "
                + "| interpolate a one-period gap: median / p99 (µs) | worst share of the period |");
        System.out.println("|---|---|---|---|---|---|");
        for (final String arg : args) {
            final String[] parts = arg.split("x");
            measure(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
    }

    private static void measure(int channels, int frames) throws ReflectiveOperationException {
        final Concealer c = new Concealer(UnderrunPolicy.PREDICT, channels, frames, RATE);
        final int ahead = ahead(c);
        final float[][] period = new float[channels][frames];
        final float[][] next = new float[channels][ahead];
        final float[][] gap = new float[channels][frames];
        final Random random = new Random(1);
        final long[] starts = new long[CALLS];
        final long[] interpolations = new long[CALLS];
        for (int call = 0; call < CALLS; call++) {
            for (int p = 0; p < 20; p++) {
                noise(period, random);
                c.play(period, 0, frames);
            }
            noise(next, random);
            long t = System.nanoTime();
            c.interpolate(next, ahead, gap, frames);
            interpolations[call] = System.nanoTime() - t;
            // A period played between, so that the concealment fits afresh.
            noise(period, random);
            c.play(period, 0, frames);
            t = System.nanoTime();
            c.conceal(period, 0, frames);
            starts[call] = System.nanoTime() - t;
        }
        final double[] start = stats(starts);
        final double[] interpolation = stats(interpolations);
        final double periodMicros = 1e6 * frames / RATE;
        System.out.printf("| %d | %d | %.0f | %.0f / %.0f | %.0f / %.0f | %.0f %% |%n", channels, frames, periodMicros,
                start[0], start[1], interpolation[0], interpolation[1],
                100 * Math.max(start[1], interpolation[1]) / periodMicros);
    }

    /** {@code Concealer.ahead()}, or 512 for a build that has no such method (it looked 512 frames ahead). */
    private static int ahead(Concealer c) throws ReflectiveOperationException {
        try {
            final Method m = Concealer.class.getMethod("ahead");
            return (int) m.invoke(c);
        } catch (NoSuchMethodException e) {
            return 512;
        }
    }

    private static void noise(float[][] x, Random random) {
        for (final float[] channel : x) {
            for (int i = 0; i < channel.length; i++) {
                channel[i] = (float) random.nextGaussian() * 0.1f;
            }
        }
    }

    /** Median and 99th percentile, in microseconds, of the calls after the warm-up. */
    private static double[] stats(long[] nanos) {
        final long[] kept = Arrays.copyOfRange(nanos, WARM_UP, nanos.length);
        Arrays.sort(kept);
        return new double[] {kept[kept.length / 2] / 1e3, kept[kept.length * 99 / 100] / 1e3};
    }
}

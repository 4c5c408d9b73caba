package org.jamwire.engine;

/**
 * Burg's method: fits an all-pole (autoregressive) model to a block of audio by minimising forward
 * and backward prediction error together, which keeps every reflection coefficient inside the unit
 * circle and so the model stable. Follows Collomb's formulation, the one jacktrip's PLC uses, except
 * that each order's denominator is summed afresh (about 5 multiply-adds per frame and order). Called
 * on the JACK thread by {@link Concealer}; allocation-free after construction.
 */
final class BurgFit {

    /**
     * Below this share of the block's energy the residual is rounding noise; stop adding poles.
     * Audio arrives as floats, whose rounding leaves about 1e-15 of a full-scale signal's energy.
     */
    private static final double RESIDUAL_FLOOR = 1e-16;
    /**
     * A steady tone has a reflection coefficient of almost exactly ±1 (a pole on the unit circle);
     * clamping just inside keeps the model stable with a negligible decay.
     */
    private static final double MAX_REFLECTION = 0.999999999;

    private final double[] forward;
    private final double[] backward;

    BurgFit(int maxBlock) {
        forward = new double[maxBlock];
        backward = new double[maxBlock];
    }

    /**
     * Fits {@code a[0..order]}, with {@code a[0] = 1}, so that {@code x[n] ≈ -Σ a[j]·x[n-j]}.
     *
     * @param x holds the block, oldest sample first
     * @param from where the block starts in {@code x}
     * @param n samples in the block, more than {@code maxOrder}
     * @param a receives the coefficients; at least {@code maxOrder + 1} long
     * @param maxOrder highest model order wanted
     * @return the order reached: lower than {@code maxOrder} when the block is silent or perfectly
     *     predictable already; coefficients above it are zero
     */
    int fit(double[] x, int from, int n, double[] a, int maxOrder) {
        final double[] f = forward;
        final double[] b = backward;
        double energy = 0;
        for (int i = 0; i < n; i++) {
            final double v = x[from + i];
            f[i] = v;
            b[i] = v;
            energy += v * v;
        }
        a[0] = 1;
        for (int j = 1; j <= maxOrder; j++) {
            a[j] = 0;
        }
        final double floor = energy * RESIDUAL_FLOOR;
        for (int k = 0; k < maxOrder; k++) {
            final int m = n - k - 1;
            final int o = k + 1;
            // Numerator and denominator in one pass, two partial sums each so that the additions
            // do not wait on each other. The denominator is summed, not carried from the last order
            // by Collomb's recursion: on tonal audio the recursion lost the residual to rounding
            // after 5 to 8 orders and the fit stopped there, too few poles for more than 2 partials
            // (6 harmonics of 220 Hz were predicted 8 dB above their error; summed, 33 dB).
            double num0 = 0;
            double num1 = 0;
            double den0 = 0;
            double den1 = 0;
            int i = 0;
            for (; i + 1 < m; i += 2) {
                final double f0 = f[i + o];
                final double b0 = b[i];
                final double f1 = f[i + 1 + o];
                final double b1 = b[i + 1];
                num0 += f0 * b0;
                num1 += f1 * b1;
                den0 += f0 * f0 + b0 * b0;
                den1 += f1 * f1 + b1 * b1;
            }
            for (; i < m; i++) {
                final double f0 = f[i + o];
                final double b0 = b[i];
                num0 += f0 * b0;
                den0 += f0 * f0 + b0 * b0;
            }
            final double dk = den0 + den1;
            if (!(dk > floor)) {
                return k;
            }
            final double raw = -2 * (num0 + num1) / dk;
            if (Double.isNaN(raw)) {
                return k;
            }
            final double mu = Math.max(-MAX_REFLECTION, Math.min(MAX_REFLECTION, raw));
            for (int j = 0; j <= (k + 1) / 2; j++) {
                final double lo = a[j] + mu * a[k + 1 - j];
                final double hi = a[k + 1 - j] + mu * a[j];
                a[j] = lo;
                a[k + 1 - j] = hi;
            }
            for (int j = 0; j < m; j++) {
                final double fv = f[j + o];
                final double bv = b[j];
                f[j + o] = fv + mu * bv;
                b[j] = bv + mu * fv;
            }
        }
        return maxOrder;
    }
}

package org.jamwire.engine;

/**
 * Burg's method: fits an all-pole (autoregressive) model to a block of audio by minimising forward
 * and backward prediction error together, which keeps every reflection coefficient inside the unit
 * circle and so the model stable. Follows Collomb's formulation, the one jacktrip's PLC uses. Called
 * on the JACK thread by {@link Concealer}; allocation-free after construction.
 */
final class BurgFit {

    /** Below this share of the block's energy the residual is rounding noise; stop adding poles. */
    private static final double RESIDUAL_FLOOR = 1e-12;
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
     * @param x the block, oldest sample first
     * @param n samples in the block, more than {@code maxOrder}
     * @param a receives the coefficients; at least {@code maxOrder + 1} long
     * @param maxOrder highest model order wanted
     * @return the order reached: lower than {@code maxOrder} when the block is silent or perfectly
     *     predictable already; coefficients above it are zero
     */
    int fit(double[] x, int n, double[] a, int maxOrder) {
        double energy = 0;
        for (int i = 0; i < n; i++) {
            forward[i] = x[i];
            backward[i] = x[i];
            energy += x[i] * x[i];
        }
        a[0] = 1;
        for (int j = 1; j <= maxOrder; j++) {
            a[j] = 0;
        }
        double dk = 2 * energy - x[0] * x[0] - x[n - 1] * x[n - 1];
        final double floor = energy * RESIDUAL_FLOOR;
        for (int k = 0; k < maxOrder; k++) {
            if (!(dk > floor)) {
                return k;
            }
            double num = 0;
            for (int i = 0; i < n - k - 1; i++) {
                num += forward[i + k + 1] * backward[i];
            }
            final double raw = -2 * num / dk;
            if (Double.isNaN(raw)) {
                return k;
            }
            final double mu = Math.max(-MAX_REFLECTION, Math.min(MAX_REFLECTION, raw));
            for (int i = 0; i <= (k + 1) / 2; i++) {
                final double lo = a[i] + mu * a[k + 1 - i];
                final double hi = a[k + 1 - i] + mu * a[i];
                a[i] = lo;
                a[k + 1 - i] = hi;
            }
            for (int i = 0; i < n - k - 1; i++) {
                final double f = forward[i + k + 1] + mu * backward[i];
                final double b = backward[i] + mu * forward[i + k + 1];
                forward[i + k + 1] = f;
                backward[i] = b;
            }
            dk = (1 - mu * mu) * dk - forward[k + 1] * forward[k + 1]
                    - backward[n - k - 2] * backward[n - k - 2];
        }
        return maxOrder;
    }
}

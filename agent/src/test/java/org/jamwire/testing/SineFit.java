package org.jamwire.testing;

/**
 * THD+N of a recorded sine: the best-fitting sine (amplitude, phase, frequency and offset, by the
 * four-parameter least-squares fit of IEEE 1057) is taken out of a window, and what remains,
 * harmonics, noise and glitches alike, is measured against it. Test thread; no state.
 */
public final class SineFit {

    private static final int ITERATIONS = 4;

    private SineFit() {}

    /**
     * The fit of {@code x[from..from+n)}.
     *
     * @param dB residual power against the sine's power, in dB (THD+N)
     * @param cyclesPerFrame the fitted frequency
     * @param amplitude the fitted sine's peak
     */
    public record Fit(double dB, double cyclesPerFrame, double amplitude) {}

    /** Fits a sine near {@code cyclesPerFrame} to {@code x[from..from+n)}. */
    public static Fit fit(float[] x, int from, int n, double cyclesPerFrame) {
        double w = 2 * Math.PI * cyclesPerFrame;
        double a = 0;
        double b = 0;
        double c = 0;
        for (int iteration = 0; iteration <= ITERATIONS; iteration++) {
            final boolean withFrequency = iteration > 0;
            final int k = withFrequency ? 4 : 3;
            final double[][] m = new double[k][k + 1];
            final double[] col = new double[4];
            final double cw = Math.cos(w);
            final double sw = Math.sin(w);
            double cos = 1;
            double sin = 0;
            for (int t = 0; t < n; t++) {
                col[0] = cos;
                col[1] = sin;
                col[2] = 1;
                // d/dw of a·cos(wt) + b·sin(wt): the step in frequency, about the current fit.
                col[3] = t * (-a * sin + b * cos);
                final double y = x[from + t];
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        m[i][j] += col[i] * col[j];
                    }
                    m[i][k] += col[i] * y;
                }
                final double nextCos = cos * cw - sin * sw;
                sin = sin * cw + cos * sw;
                cos = nextCos;
            }
            final double[] p = solve(m, k);
            a = p[0];
            b = p[1];
            c = p[2];
            if (withFrequency) {
                // A Gauss-Newton step in frequency, bounded so that a poor start cannot throw it far.
                final double step = Math.max(-1e-3, Math.min(1e-3, p[3]));
                w += step;
                if (Math.abs(step) < 1e-10) {
                    // Converged: a step this small moves the phase by under 1e-6 over the window.
                    break;
                }
            }
        }
        // The residual at the final frequency, with a, b, c refitted there.
        final double[][] m = new double[3][4];
        final double cw = Math.cos(w);
        final double sw = Math.sin(w);
        double cos = 1;
        double sin = 0;
        for (int t = 0; t < n; t++) {
            final double[] col = {cos, sin, 1};
            final double y = x[from + t];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    m[i][j] += col[i] * col[j];
                }
                m[i][3] += col[i] * y;
            }
            final double nextCos = cos * cw - sin * sw;
            sin = sin * cw + cos * sw;
            cos = nextCos;
        }
        final double[] p = solve(m, 3);
        double residual = 0;
        double signal = 0;
        cos = 1;
        sin = 0;
        for (int t = 0; t < n; t++) {
            final double s = p[0] * cos + p[1] * sin;
            final double e = x[from + t] - s - p[2];
            residual += e * e;
            signal += s * s;
            final double nextCos = cos * cw - sin * sw;
            sin = sin * cw + cos * sw;
            cos = nextCos;
        }
        return new Fit(10 * Math.log10(residual / signal), w / (2 * Math.PI), Math.hypot(p[0], p[1]));
    }

    /** Solves the {@code k}×{@code k} system in {@code m} (augmented) by elimination with pivoting. */
    private static double[] solve(double[][] m, int k) {
        for (int i = 0; i < k; i++) {
            int pivot = i;
            for (int r = i + 1; r < k; r++) {
                if (Math.abs(m[r][i]) > Math.abs(m[pivot][i])) {
                    pivot = r;
                }
            }
            final double[] t = m[i];
            m[i] = m[pivot];
            m[pivot] = t;
            for (int r = i + 1; r < k; r++) {
                final double f = m[r][i] / m[i][i];
                for (int j = i; j <= k; j++) {
                    m[r][j] -= f * m[i][j];
                }
            }
        }
        final double[] p = new double[k];
        for (int i = k - 1; i >= 0; i--) {
            double s = m[i][k];
            for (int j = i + 1; j < k; j++) {
                s -= m[i][j] * p[j];
            }
            p[i] = s / m[i][i];
        }
        return p;
    }
}

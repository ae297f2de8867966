package io.kaiware.bench.memory;

/** Least-squares fits for memory growth. */
public final class Slope {
    private Slope() {}

    /**
     * The least-squares slope of {@code y} against {@code x}: {@code sum((x-mx)(y-my)) / sum((x-mx)^2)}.
     *
     * @return the slope in y units per x unit, or NaN with fewer than two distinct x values
     */
    public static double leastSquares(double[] x, double[] y, int n) {
        if (n < 2) return Double.NaN;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            sxy += dx * (y[i] - my);
            sxx += dx * dx;
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }
}

package io.kaiware.bench.load;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Picks key indexes in {@code [0, keys)}. Immutable and shared by all connections; the per-connection
 * random source is passed in, so picking a key allocates nothing.
 */
public abstract sealed class KeyDistribution {
    final long keys;

    KeyDistribution(long keys) {
        if (keys < 1) throw new IllegalArgumentException("--keys must be >= 1");
        this.keys = keys;
    }

    abstract String name();

    /** @param sequence the request's global sequence number (used by the sequential distribution) */
    abstract long next(long sequence, SplittableRandom random);

    public static KeyDistribution parse(String name, long keys, double zipfTheta) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sequential", "seq" -> new Sequential(keys);
            case "uniform", "random" -> new Uniform(keys);
            case "zipf", "zipfian" -> new Zipf(keys, zipfTheta);
            default -> throw new IllegalArgumentException("unknown key distribution '" + name + "' (sequential, uniform, zipf)");
        };
    }

    static final class Sequential extends KeyDistribution {
        Sequential(long keys) { super(keys); }
        @Override String name() { return "sequential"; }
        @Override long next(long sequence, SplittableRandom random) { return Long.remainderUnsigned(sequence, keys); }
    }

    static final class Uniform extends KeyDistribution {
        Uniform(long keys) { super(keys); }
        @Override String name() { return "uniform"; }
        @Override long next(long sequence, SplittableRandom random) { return random.nextLong(keys); }
    }

    /**
     * Zipfian over {@code [0, keys)} with rank 0 the hottest, after Gray et al., "Quickly generating
     * billion-record synthetic databases" (SIGMOD 1994), as popularised by YCSB: O(keys) set-up to
     * compute zeta(n), then O(1) per sample. theta must be in (0, 1); 0.99 is YCSB's default.
     */
    static final class Zipf extends KeyDistribution {
        private final double theta;
        private final double alpha;
        private final double zetaN;
        private final double eta;
        private final double halfPowTheta;

        Zipf(long keys, double theta) {
            super(keys);
            if (!(theta > 0 && theta < 1)) throw new IllegalArgumentException("--zipf-theta must be in (0, 1)");
            this.theta = theta;
            this.alpha = 1.0 / (1.0 - theta);
            this.zetaN = zeta(keys, theta);
            double zeta2 = zeta(Math.min(2, keys), theta);
            this.eta = keys < 2 ? 0 : (1 - Math.pow(2.0 / keys, 1 - theta)) / (1 - zeta2 / zetaN);
            this.halfPowTheta = Math.pow(0.5, theta);
        }

        private static double zeta(long n, double theta) {
            double sum = 0;
            for (long i = 1; i <= n; i++) sum += 1.0 / Math.pow(i, theta);
            return sum;
        }

        @Override long next(long sequence, SplittableRandom random) {
            double u = random.nextDouble();
            double uz = u * zetaN;
            if (uz < 1.0) return 0;
            if (uz < 1.0 + halfPowTheta) return Math.min(1, keys - 1);
            long k = (long) (keys * Math.pow(eta * u - eta + 1, alpha));
            return Math.min(Math.max(k, 0), keys - 1);
        }

        @Override String name() { return "zipf(" + theta + ")"; }
    }
}

package io.kaiware.bench.report;

import io.kaiware.bench.load.IntervalSample;
import io.kaiware.bench.load.RunResult;
import io.kaiware.bench.memory.Slope;

/**
 * Memory at the start and end of a run and its growth after warm-up (least-squares slope over the
 * samples taken after warm-up, KiB per minute).
 */
public record MemoryTrend(long pid, long startPrivateKb, long endPrivateKb, double privateSlopeKbPerMin,
                          long startRssKb, long endRssKb, double rssSlopeKbPerMin, int samples) {

    /** @return the trend, or null when no memory was sampled */
    public static MemoryTrend of(RunResult r) {
        IntervalSample first = null;
        IntervalSample last = null;
        int n = 0;
        double[] t = new double[r.timeline().size()];
        double[] priv = new double[t.length];
        double[] rss = new double[t.length];
        int total = 0;
        for (IntervalSample s : r.timeline()) {
            if (!s.hasMemory()) continue;
            total++;
            if (first == null) first = s;
            last = s;
            if (!s.warmup()) {
                t[n] = s.elapsedMs() / 60_000.0;
                priv[n] = s.privateKb();
                rss[n] = s.rssKb();
                n++;
            }
        }
        if (first == null) return null;
        return new MemoryTrend(r.pid(), first.privateKb(), last.privateKb(), Slope.leastSquares(t, priv, n),
                first.rssKb(), last.rssKb(), Slope.leastSquares(t, rss, n), total);
    }
}

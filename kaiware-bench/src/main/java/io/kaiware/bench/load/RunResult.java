package io.kaiware.bench.load;

import java.util.List;
import java.util.SortedMap;
import org.HdrHistogram.Histogram;

/**
 * What one run against one target measured. {@code latencyNs} holds the successful replies of the
 * measured period (after warm-up); failures are counted by kind in {@code failures} and are not in
 * the histogram.
 *
 * @param abortReason  why the run ended early (dead server, cannot connect), or null
 * @param pid          the sampled server process, or -1
 */
public record RunResult(LoadSettings settings, Histogram latencyNs, SortedMap<String, Long> failures, long elapsedNs,
                        String abortReason, List<IntervalSample> timeline, long pid, String memoryNote) {

    public long succeeded() {
        return latencyNs.getTotalCount();
    }

    public long failed() {
        long n = 0;
        for (long v : failures.values()) n += v;
        return n;
    }

    public long count() {
        return succeeded() + failed();
    }

    public double successPercent() {
        long c = count();
        return c == 0 ? 0 : 100.0 * succeeded() / c;
    }

    public double ratePerSecond() {
        return elapsedNs <= 0 ? 0 : count() * 1e9 / elapsedNs;
    }

    public boolean aborted() {
        return abortReason != null;
    }
}

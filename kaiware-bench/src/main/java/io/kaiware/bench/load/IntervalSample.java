package io.kaiware.bench.load;

/**
 * One row of the run's timeline (one per progress interval). {@code elapsedMs} counts from the
 * first scheduled request, warm-up included; {@code warmup} is set when any part of the interval
 * belonged to the warm-up phase; {@code requests} counts completions (successes and failures) in the
 * interval, {@code p99Ns} and {@code maxNs} describe its successful ones; memory fields are -1 when
 * not sampled in this row.
 */
public record IntervalSample(long elapsedMs, boolean warmup, long requests, long errors, long p99Ns, long maxNs,
                             long privateKb, long rssKb) {
    public boolean hasMemory() {
        return privateKb >= 0;
    }
}

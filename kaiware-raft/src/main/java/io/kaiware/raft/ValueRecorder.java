package io.kaiware.raft;

import io.kaiware.command.replication.RaftStatus;

/**
 * Count, sum, max, last value and fixed buckets of a stream of values (durations in nanoseconds,
 * batch sizes): what INFO raft and the Prometheus histograms on /metrics read. Thread-safe; one
 * short synchronized block per value, which is cheap at the rates it sees (once per log fsync or per
 * write batch, not per command).
 */
final class ValueRecorder {

  /** Log fsync bounds: 50 µs to 2.5 s, in nanoseconds. */
  static final long[] FSYNC_BOUNDS_NANOS = {50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000,
      10_000_000, 25_000_000, 50_000_000, 100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000L};

  /** Batch commit (submit to reply) bounds: 100 µs to 10 s, in nanoseconds. */
  static final long[] COMMIT_BOUNDS_NANOS = {100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000,
      25_000_000, 50_000_000, 100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000L, 10_000_000_000L};

  /** Commands per log entry: 1 to 4096. */
  static final long[] BATCH_COMMANDS_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

  private final long[] bounds;
  private final long[] counts;
  private long count;
  private long sum;
  private long max;
  private long last;

  ValueRecorder(long[] bounds) {
    this.bounds = bounds.clone();
    this.counts = new long[bounds.length + 1];
  }

  synchronized void record(long value) {
    count++;
    sum += value;
    max = Math.max(max, value);
    last = value;
    counts[bucket(value)]++;
  }

  private int bucket(long value) {
    int i = 0;
    while (i < bounds.length && value > bounds[i]) {
      i++;
    }
    return i;
  }

  synchronized long count() {
    return count;
  }

  synchronized long max() {
    return max;
  }

  /**
   * The smallest bucket bound at or below which {@code percentile} % of the values fall (capped at
   * the max seen): an upper estimate, as precise as the buckets; 0 when nothing was recorded.
   */
  synchronized long percentile(double percentile) {
    if (count == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(count * percentile / 100.0);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= Math.max(1, rank)) {
        return i < bounds.length ? Math.min(bounds[i], max) : max;
      }
    }
    return max;
  }

  synchronized RaftStatus.Distribution snapshot() {
    return new RaftStatus.Distribution(count, sum, max, last, percentile(50), percentile(99), bounds.clone(),
        counts.clone());
  }
}

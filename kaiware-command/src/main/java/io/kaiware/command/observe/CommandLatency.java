package io.kaiware.command.observe;

import org.HdrHistogram.Histogram;

/**
 * Per-command latency distribution for INFO latencystats and LATENCY HISTOGRAM, as Redis 7 keeps
 * them: microseconds from 1 µs to 1 hour at 2 significant digits. Engine thread only; recording is
 * an array increment, no allocation.
 */
public final class CommandLatency {

  private static final long MAX_TRACKED_US = 3_600_000_000L;

  private final Histogram histogram = new Histogram(1, MAX_TRACKED_US, 2);

  public void record(long durationNs) {
    long us = Math.max(1, Math.min(durationNs / 1000, MAX_TRACKED_US));
    histogram.recordValue(us);
  }

  public Histogram histogram() {
    return histogram;
  }

  public void reset() {
    histogram.reset();
  }
}

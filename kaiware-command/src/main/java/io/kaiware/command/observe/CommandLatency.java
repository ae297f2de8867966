package io.kaiware.command.observe;

import org.HdrHistogram.Histogram;

/**
 * Per-command latency distribution for INFO latencystats, LATENCY HISTOGRAM and the admin port's
 * {@code kaiware_command_latency_seconds}, as Redis 7 keeps them: microseconds from 1 µs to 1 hour
 * at 2 significant digits. Engine thread writes; readers on other threads read racily.
 *
 * <p>A histogram of that range is ~27 KB, and the command table has a few hundred entries (with
 * subcommands), most never called: the histogram is allocated on a command's first call. After that,
 * recording is an array increment, no allocation.
 */
public final class CommandLatency {

  private static final long MAX_TRACKED_US = 3_600_000_000L;
  private static final int SIGNIFICANT_DIGITS = 2;
  /** What a never-called command reports: always empty, never written. */
  private static final Histogram EMPTY = new Histogram(1, 2, 0);

  private volatile Histogram histogram;

  public void record(long durationNs) {
    Histogram h = histogram;
    if (h == null) {
      h = new Histogram(1, MAX_TRACKED_US, SIGNIFICANT_DIGITS);
      histogram = h;
    }
    h.recordValue(Math.max(1, Math.min(durationNs / 1000, MAX_TRACKED_US)));
  }

  /** The distribution so far (empty when the command was never recorded). Do not modify it. */
  public Histogram histogram() {
    Histogram h = histogram;
    return h == null ? EMPTY : h;
  }

  public void reset() {
    Histogram h = histogram;
    if (h != null) {
      h.reset();
    }
  }
}

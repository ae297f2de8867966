package io.kaiware.command.observe;

import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when a batch of writes took too long to apply or to commit: the line an operator greps for
 * when clients report that writes "sometimes take hundreds of milliseconds" (incident 3, where GC
 * mark phases stalled the loop that applied batches to the Raft log).
 *
 * <pre>writes delayed: 180 ms, 412 commands, 1.2 MB (apply)</pre>
 *
 * <p>The caller measures the batch itself (two {@code System.nanoTime()} calls) and asks
 * {@link #isDelayed}; only a delayed batch reaches {@link #report}, so the common case costs one
 * comparison. A delayed batch is also a LATENCY event named {@code batch-<stage>} (when it reaches
 * {@code latency-monitor-threshold}). Lines are limited to one per {@link #MIN_LOG_INTERVAL_NS} and
 * stage (a storm of slow applies does not hide the first slow commit); the next line of the stage
 * says how many delayed batches were not logged in between, so a storm is visible without flooding
 * the log. Threshold: {@code write-delay-warn-ms} (0 = off).
 */
public final class WriteDelayWatch {

  private static final Logger log = LoggerFactory.getLogger(WriteDelayWatch.class);

  /** At most one warning line per second. */
  static final long MIN_LOG_INTERVAL_NS = 1_000_000_000L;

  private final LatencyMonitor latencyMonitor;
  private final Consumer<String> sink;
  private volatile long thresholdNs;
  /** Per stage: when its last line was logged and how many delayed batches it has not logged since. */
  private final java.util.Map<String, long[]> lastLogNsAndNotLogged = new java.util.HashMap<>();
  private long delayedBatches;

  public WriteDelayWatch(LatencyMonitor latencyMonitor) {
    this(latencyMonitor, log::warn);
  }

  WriteDelayWatch(LatencyMonitor latencyMonitor, Consumer<String> sink) {
    this.latencyMonitor = latencyMonitor;
    this.sink = sink;
  }

  /** Batches that took at least {@code thresholdMs} are reported; 0 turns the warning off. */
  public void configure(long thresholdMs) {
    this.thresholdNs = thresholdMs <= 0 ? Long.MAX_VALUE : thresholdMs * 1_000_000L;
  }

  /** Whether a batch that took {@code tookNs} must be {@linkplain #report reported}. */
  public boolean isDelayed(long tookNs) {
    return tookNs >= thresholdNs;
  }

  /** Batches reported since start (logged or not). */
  public synchronized long delayedBatches() {
    return delayedBatches;
  }

  /**
   * Reports a delayed batch: {@code stage} is what was slow ("apply", "commit"), {@code commands}
   * and {@code bytes} its size, {@code nowMs} the time for the LATENCY sample.
   */
  public synchronized void report(String stage, long tookNs, int commands, long bytes, long nowMs) {
    delayedBatches++;
    long tookMs = tookNs / 1_000_000;
    latencyMonitor.maybeRecord("batch-" + stage, tookMs, nowMs);
    long now = System.nanoTime();
    long[] limiter = lastLogNsAndNotLogged.get(stage);
    if (limiter != null && now - limiter[0] < MIN_LOG_INTERVAL_NS) {
      limiter[1]++;
      return;
    }
    if (limiter == null) {
      limiter = new long[2];
      lastLogNsAndNotLogged.put(stage, limiter);
    }
    limiter[0] = now;
    long notLogged = limiter[1];
    limiter[1] = 0;
    StringBuilder line = new StringBuilder(96)
        .append("writes delayed: ").append(tookMs).append(" ms, ")
        .append(commands).append(commands == 1 ? " command, " : " commands, ")
        .append(bytes(bytes)).append(" (").append(stage).append(')');
    if (notLogged > 0) {
      line.append("; ").append(notLogged).append(" more delayed batches not logged in the last second");
    }
    sink.accept(line.toString());
  }

  /** 1.2 MB, 640 KB, 87 B: the size as an operator reads it. */
  static String bytes(long bytes) {
    if (bytes >= 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }
    if (bytes >= 1024) {
      return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }
    return bytes + " B";
  }
}

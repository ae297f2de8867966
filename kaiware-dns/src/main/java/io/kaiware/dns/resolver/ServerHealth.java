package io.kaiware.dns.resolver;

import java.net.InetSocketAddress;

/**
 * Health of one nameserver: a smoothed RTT (TCP-style EWMA, alpha 1/8) and a failure count that
 * decays. A server with a recent failure is <em>demoted</em>: tried after every healthy server and
 * probed in the background until it answers again. All methods are synchronized; the contention is
 * one short critical section per query.
 */
final class ServerHealth {
  final InetSocketAddress address;
  /** Configuration order, the tie-breaker between equally healthy servers. */
  final int index;
  private double srttMs = -1;
  private int failures;
  private long lastFailureNanos;
  private long queries;
  private long failuresTotal;

  ServerHealth(InetSocketAddress address, int index) {
    this.address = address;
    this.index = index;
  }

  synchronized void recordSuccess(long rttNanos) {
    double rttMs = rttNanos / 1e6;
    srttMs = srttMs < 0 ? rttMs : srttMs + (rttMs - srttMs) / 8;
    failures = 0;
    queries++;
  }

  synchronized void recordFailure(long nowNanos) {
    failures = Math.min(failures + 1, 16);
    lastFailureNanos = nowNanos;
    queries++;
    failuresTotal++;
  }

  /** Failures older than {@code demoteMs} are forgotten: the decay. */
  synchronized boolean demoted(long nowNanos, int demoteMs) {
    if (failures == 0) return false;
    if (nowNanos - lastFailureNanos > demoteMs * 1_000_000L) {
      failures = 0;
      return false;
    }
    return true;
  }

  /** Smoothed RTT, or {@code fallbackMs} when the server was never measured. */
  synchronized double srttMs(double fallbackMs) {
    return srttMs < 0 ? fallbackMs : srttMs;
  }

  synchronized int failures() {
    return failures;
  }

  synchronized ServerStatus status(long nowNanos, int demoteMs) {
    return new ServerStatus(address, srttMs, failures, demoted(nowNanos, demoteMs), queries, failuresTotal);
  }
}

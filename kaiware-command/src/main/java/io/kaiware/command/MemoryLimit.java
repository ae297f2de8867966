package io.kaiware.command;

/**
 * maxmemory with Redis's default policy, noeviction: above the limit, commands that may grow memory
 * are refused with {@link #OOM}; nothing is evicted. The memory compared is the JVM heap in use
 * (what INFO's {@code used_memory} reports), which includes garbage not yet collected: set the limit
 * with headroom below {@code -Xmx}, and expect a refusal to clear after the next GC cycle.
 *
 * <p>This is an admission check on the node that accepts a client's command, never part of applying
 * the log: replicas must apply an entry whatever their own memory (ADR 0003).
 */
public final class MemoryLimit {

  public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

  private volatile long maxBytes;

  void configure(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Whether a limit is set (maxmemory > 0). */
  public boolean enabled() {
    return maxBytes > 0;
  }

  /** Whether the heap in use is above the limit (always false without one). */
  public boolean exceeded() {
    long limit = maxBytes;
    if (limit <= 0) {
      return false;
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory() > limit;
  }
}

package io.kaiware.engine;

import java.nio.charset.StandardCharsets;

/**
 * A sliding-window counter (WINDOW.*, docs/commands/window.md): a count over the last
 * {@code windowMs}, kept as a ring of sub-buckets {@code precisionMs} wide.
 *
 * <h2>Model</h2>
 * An increment at time t is recorded in the sub-bucket starting at
 * {@code floor(t / precisionMs) * precisionMs}. At time {@code now} the count is the sum of the
 * sub-buckets whose start is {@code > now - windowMs}: a unit leaves the count exactly
 * {@code windowMs} after the start of its sub-bucket, so it is counted for between
 * {@code windowMs - precisionMs + 1} and {@code windowMs} ms. Finer precision costs one slot
 * (two longs) per sub-bucket: {@code ceil(windowMs / precisionMs)} slots.
 *
 * <h2>Why a ring</h2>
 * At most {@code ceil(windowMs / precisionMs)} consecutive sub-bucket starts are ever live, so they
 * are distinct modulo that number: sub-bucket k lives in slot {@code k mod n}, and a slot whose
 * stored start is out of the window is simply stale (treated as 0 and reused). Nothing is ever
 * allocated after creation, and reads never mutate: a read at time t ignores stale slots.
 *
 * <h2>Time</h2>
 * The clock never runs backward: an operation at an earlier time than the latest one seen acts at
 * that latest time. Counts are non-negative (increments are), and a sum that would overflow a long
 * is refused.
 */
public final class WindowCounter implements CollectionValue {

  /** Most sub-buckets per counter. */
  public static final long MAX_SLOTS = 100_000;
  private static final long EMPTY = Long.MIN_VALUE;

  private final long windowMs;
  private final long precisionMs;
  private final long[] starts;
  private final long[] counts;
  private long clockMs = Long.MIN_VALUE;

  public WindowCounter(long windowMs, long precisionMs) {
    this.windowMs = windowMs;
    this.precisionMs = precisionMs;
    int n = (int) slotsFor(windowMs, precisionMs);
    this.starts = new long[n];
    this.counts = new long[n];
    java.util.Arrays.fill(starts, EMPTY);
  }

  /** {@code ceil(windowMs / precisionMs)} without overflow (a window near Long.MAX_VALUE is valid input). */
  private static long slotsFor(long windowMs, long precisionMs) {
    return windowMs / precisionMs + (windowMs % precisionMs == 0 ? 0 : 1);
  }

  /** Why the configuration is invalid, or {@code null}. */
  public static String validate(long windowMs, long precisionMs) {
    if (windowMs <= 0) {
      return "WINDOW must be positive";
    }
    if (precisionMs <= 0 || precisionMs > windowMs) {
      return "PRECISION must be between 1 and WINDOW";
    }
    if (slotsFor(windowMs, precisionMs) > MAX_SLOTS) {
      return "WINDOW / PRECISION must be at most " + MAX_SLOTS;
    }
    return null;
  }

  /** The default precision: a sixtieth of the window (at least 1 ms). */
  public static long defaultPrecision(long windowMs) {
    return Math.max(1, windowMs / 60);
  }

  public long windowMs() {
    return windowMs;
  }

  public long precisionMs() {
    return precisionMs;
  }

  private long time(long nowMs) {
    return Math.max(nowMs, clockMs);
  }

  private int slotOf(long start) {
    return (int) Math.floorMod(Math.floorDiv(start, precisionMs), (long) starts.length);
  }

  /** The count over the last {@code lastMs} (at most the window) at {@code nowMs}; never mutates. */
  public long count(long lastMs, long nowMs) {
    long cutoff = time(nowMs) - Math.min(lastMs, windowMs);
    long sum = 0;
    for (int i = 0; i < starts.length; i++) {
      if (starts[i] != EMPTY && starts[i] > cutoff) {
        sum += counts[i];
      }
    }
    return sum;
  }

  public long count(long nowMs) {
    return count(windowMs, nowMs);
  }

  /**
   * Adds {@code increment} (>= 0) at {@code nowMs}; returns the new count, or -1 (and changes
   * nothing) when the count would overflow.
   */
  public long incrBy(long increment, long nowMs) {
    long now = time(nowMs);
    long count = count(now);
    if (count > Long.MAX_VALUE - increment) {
      return -1;
    }
    clockMs = now;
    if (increment == 0) {
      return count;
    }
    long start = Math.floorDiv(now, precisionMs) * precisionMs;
    int slot = slotOf(start);
    if (starts[slot] != start) {
      starts[slot] = start;
      counts[slot] = 0;
    }
    counts[slot] += increment;
    return count + increment;
  }

  /**
   * Milliseconds from {@code nowMs} until the count leaves room for {@code cost} more under
   * {@code limit}: 0 when there is room now, -1 when there never will be ({@code cost > limit}).
   */
  public long msUntilRoom(long limit, long cost, long nowMs) {
    long now = time(nowMs);
    long count = count(now);
    if (count <= limit - cost) {
      return 0;
    }
    if (cost > limit) {
      return -1;
    }
    // Sub-buckets leave oldest first: walk them in start order until enough has left.
    long current = Math.floorDiv(now, precisionMs) * precisionMs;
    long cutoff = now - windowMs;
    long left = count;
    for (long k = starts.length - 1; k >= 0; k--) {
      long start = current - k * precisionMs;
      if (start <= cutoff) {
        continue;
      }
      int slot = slotOf(start);
      if (starts[slot] != start) {
        continue;
      }
      left -= counts[slot];
      if (left <= limit - cost) {
        return start + windowMs - now;
      }
    }
    return -1; // unreachable: once every sub-bucket has left, the count is 0 and cost <= limit
  }

  // ---------------------------------------------------------------- CollectionValue

  @Override
  public String typeName() {
    return "window-counter";
  }

  @Override
  public String encoding() {
    return "ring";
  }

  @Override
  public WindowCounter deepCopy() {
    WindowCounter copy = new WindowCounter(windowMs, precisionMs);
    System.arraycopy(starts, 0, copy.starts, 0, starts.length);
    System.arraycopy(counts, 0, copy.counts, 0, counts.length);
    copy.clockMs = clockMs;
    return copy;
  }

  @Override
  public long estimateBytes() {
    return 48 + 2 * (16 + 8L * starts.length);
  }

  @Override
  public void digestElements(ElementSink sink) {
    digestElements(sink, Long.MIN_VALUE);
  }

  /** Digests the configuration and the sub-buckets live at {@code nowMs} (stale slots are invisible). */
  @Override
  public void digestElements(ElementSink sink, long nowMs) {
    sink.element("!config".getBytes(StandardCharsets.US_ASCII),
        (windowMs + "/" + precisionMs).getBytes(StandardCharsets.US_ASCII));
    long cutoff = time(nowMs) - windowMs;
    for (int i = 0; i < starts.length; i++) {
      if (starts[i] != EMPTY && starts[i] > cutoff && counts[i] != 0) {
        sink.element(Long.toString(starts[i]).getBytes(StandardCharsets.US_ASCII),
            Long.toString(counts[i]).getBytes(StandardCharsets.US_ASCII));
      }
    }
  }

  // ---------------------------------------------------------------- DUMP body

  void encode(ValueCodec.Out out) {
    out.writeLong(windowMs);
    out.writeLong(precisionMs);
    out.writeLong(clockMs);
    long cutoff = clockMs - windowMs;
    int live = 0;
    for (int i = 0; i < starts.length; i++) {
      if (starts[i] != EMPTY && starts[i] > cutoff) {
        live++;
      }
    }
    out.writeVarint(live);
    for (int i = 0; i < starts.length; i++) {
      if (starts[i] != EMPTY && starts[i] > cutoff) {
        out.writeLong(starts[i]);
        out.writeLong(counts[i]);
      }
    }
  }

  static WindowCounter decode(ValueCodec.In in) {
    long windowMs = in.readLong();
    long precisionMs = in.readLong();
    long clockMs = in.readLong();
    if (validate(windowMs, precisionMs) != null) {
      throw ValueCodec.Malformed.INSTANCE;
    }
    WindowCounter c = new WindowCounter(windowMs, precisionMs);
    c.clockMs = clockMs;
    int live = in.readLength();
    long total = 0;
    for (int i = 0; i < live; i++) {
      long start = in.readLong();
      long count = in.readLong();
      if (Math.floorMod(start, precisionMs) != 0 || start > clockMs || start <= clockMs - windowMs || count < 0
          || count > Long.MAX_VALUE - total) {
        throw ValueCodec.Malformed.INSTANCE;
      }
      total += count;
      int slot = c.slotOf(start);
      if (c.starts[slot] != EMPTY) {
        throw ValueCodec.Malformed.INSTANCE;
      }
      c.starts[slot] = start;
      c.counts[slot] = count;
    }
    return c;
  }
}

package io.kaiware.dns.connect;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-address backoff after connection failures, so that one dead backend does not cost a full
 * connect timeout on every new connection.
 *
 * <p>After the n-th consecutive failure an address is <em>backed off</em> for
 * {@code min(baseMs x 2^(n-1), maxMs)}. A backed-off address is not dropped: {@link #reorder} moves
 * it behind every address that is not backed off (keeping the policy's order among each group),
 * so it is still tried, last, when nothing else answers. A success forgets the failures. Thread-safe.
 */
public final class AddressBackoff {
  private record Failures(int consecutive, long backedOffUntilNanos) {}

  /** Bound on remembered addresses; past it, the table is cleared (failures are cheap to relearn). */
  private static final int MAX_ADDRESSES = 10_000;

  private final long baseNanos;
  private final long maxNanos;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<InetSocketAddress, Failures> failures = new ConcurrentHashMap<>();

  public AddressBackoff(long baseMs, long maxMs) {
    this(baseMs, maxMs, System::nanoTime);
  }

  AddressBackoff(long baseMs, long maxMs, LongSupplier nanoClock) {
    if (baseMs < 0 || maxMs < baseMs) throw new IllegalArgumentException("need 0 <= baseMs <= maxMs");
    this.baseNanos = baseMs * 1_000_000L;
    this.maxNanos = maxMs * 1_000_000L;
    this.nanoClock = nanoClock;
  }

  public void recordFailure(InetSocketAddress address) {
    if (failures.size() >= MAX_ADDRESSES) failures.clear();
    long now = nanoClock.getAsLong();
    failures.compute(address, (a, f) -> {
      int n = f == null ? 1 : Math.min(f.consecutive + 1, 30);
      long delay = Math.min(maxNanos, baseNanos << Math.min(n - 1, 20));
      return new Failures(n, now + delay);
    });
  }

  public void recordSuccess(InetSocketAddress address) {
    failures.remove(address);
  }

  /** True while {@code address} is backed off. */
  public boolean isBackedOff(InetSocketAddress address) {
    Failures f = failures.get(address);
    return f != null && nanoClock.getAsLong() - f.backedOffUntilNanos < 0;
  }

  /** Consecutive failures of {@code address} (0 after a success or when never seen). */
  public int consecutiveFailures(InetSocketAddress address) {
    Failures f = failures.get(address);
    return f == null ? 0 : f.consecutive;
  }

  /**
   * The addresses not backed off, in their given order, then the backed-off ones, the soonest to
   * come out of backoff first. Every address is returned once.
   */
  public List<InetSocketAddress> reorder(List<InetSocketAddress> addresses) {
    record Snapshot(InetSocketAddress address, long remainingNanos) {}
    long now = nanoClock.getAsLong();
    List<InetSocketAddress> out = new ArrayList<>();
    List<Snapshot> backedOff = new ArrayList<>();
    for (InetSocketAddress a : addresses) {
      Failures f = failures.get(a);
      long remaining = f == null ? 0 : f.backedOffUntilNanos - now;
      if (remaining > 0) {
        backedOff.add(new Snapshot(a, remaining));
      } else {
        out.add(a);
      }
    }
    backedOff.sort(Comparator.comparingLong(Snapshot::remainingNanos)); // stable
    for (Snapshot s : backedOff) out.add(s.address());
    return out;
  }
}

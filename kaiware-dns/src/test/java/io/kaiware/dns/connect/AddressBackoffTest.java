package io.kaiware.dns.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AddressBackoffTest {
  private final AtomicLong nowNanos = new AtomicLong(1_000);
  private final AddressBackoff backoff = new AddressBackoff(100, 1_000, nowNanos::get);
  private final InetSocketAddress a = new InetSocketAddress("127.0.0.2", 1);
  private final InetSocketAddress b = new InetSocketAddress("127.0.0.3", 1);
  private final InetSocketAddress c = new InetSocketAddress("127.0.0.4", 1);

  private void advanceMs(long ms) {
    nowNanos.addAndGet(ms * 1_000_000L);
  }

  @Test
  void backoffDoublesPerConsecutiveFailureUpToTheMaximum() {
    long[] expectedMs = {100, 200, 400, 800, 1_000, 1_000};
    for (long expected : expectedMs) {
      backoff.recordFailure(a);
      advanceMs(expected - 1);
      assertThat(backoff.isBackedOff(a)).as("just before %d ms", expected).isTrue();
      advanceMs(1);
      assertThat(backoff.isBackedOff(a)).as("at %d ms", expected).isFalse();
    }
    assertThat(backoff.consecutiveFailures(a)).isEqualTo(expectedMs.length);
  }

  @Test
  void successForgetsFailures() {
    backoff.recordFailure(a);
    backoff.recordFailure(a);
    backoff.recordSuccess(a);
    assertThat(backoff.isBackedOff(a)).isFalse();
    assertThat(backoff.consecutiveFailures(a)).isZero();
    backoff.recordFailure(a);
    advanceMs(100);
    assertThat(backoff.isBackedOff(a)).isFalse(); // back to the base delay
  }

  @Test
  void reorderMovesBackedOffAddressesLastSoonestFirstAndKeepsEveryAddress() {
    backoff.recordFailure(a);
    backoff.recordFailure(a); // 200 ms
    backoff.recordFailure(b); // 100 ms
    assertThat(backoff.reorder(List.of(a, b, c))).containsExactly(c, b, a);
    advanceMs(150);
    assertThat(backoff.reorder(List.of(a, b, c))).containsExactly(b, c, a);
    advanceMs(100);
    assertThat(backoff.reorder(List.of(a, b, c))).containsExactly(a, b, c);
  }
}

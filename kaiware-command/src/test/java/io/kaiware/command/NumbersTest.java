package io.kaiware.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NumbersTest {

  private static void assertFormatsLikeLongToString(long value) {
    assertArrayEquals(Long.toString(value).getBytes(StandardCharsets.US_ASCII), Numbers.toBytes(value),
        () -> "toBytes(" + value + ")");
  }

  @Test
  void toBytesWritesEveryDigitCountAndSign() {
    long[] edges = {0, 1, -1, 9, -9, 10, -10, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1};
    for (long v : edges) {
      assertFormatsLikeLongToString(v);
    }
    for (long p = 1; p <= 1_000_000_000_000_000_000L; p *= 10) {
      for (long v : new long[] {p - 1, p, p + 1, -(p - 1), -p, -(p + 1)}) {
        assertFormatsLikeLongToString(v);
      }
    }
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 100_000; i++) {
      assertFormatsLikeLongToString(random.nextLong() >> random.nextInt(64));
    }
  }

  @Test
  void toBytesRoundTripsThroughParseLong() {
    for (long v : new long[] {0, 7, -7, 1234567890123L, Long.MAX_VALUE, Long.MIN_VALUE}) {
      byte[] bytes = Numbers.toBytes(v);
      assertEquals(v, Numbers.parseLong(bytes));
    }
  }

  @Test
  void minLongIsNotSharedBetweenCallers() {
    byte[] first = Numbers.toBytes(Long.MIN_VALUE);
    first[1] = 'x';
    assertFormatsLikeLongToString(Long.MIN_VALUE);
  }
}

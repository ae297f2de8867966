package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ring of sub-buckets against a log of every increment, under random times and windows. */
class WindowCounterTest {

  @Test
  void agreesWithASlidingLogUnderRandomOperations() {
    Random random = new Random(7);
    for (int round = 0; round < 60; round++) {
      long window = 1 + random.nextInt(5_000);
      long precision = 1 + random.nextInt((int) Math.min(window, 700));
      WindowCounter counter = new WindowCounter(window, precision);
      List<long[]> log = new ArrayList<>(); // {sub-bucket start, amount}
      long now = 1_700_000_000_000L + random.nextInt(10_000);
      long clock = Long.MIN_VALUE;
      for (int op = 0; op < 500; op++) {
        now += random.nextInt(8) == 0 ? random.nextInt(3 * (int) window) - (int) window / 2 : random.nextInt((int) precision + 50);
        long t = Math.max(clock, now); // only writes move the clock
        long cutoff = t - window;
        long expected = log.stream().filter(e -> e[0] > cutoff).mapToLong(e -> e[1]).sum();
        switch (random.nextInt(4)) {
          case 0, 1 -> {
            long amount = random.nextInt(5);
            clock = t;
            log.add(new long[] {Math.floorDiv(t, precision) * precision, amount});
            assertThat(counter.incrBy(amount, now)).isEqualTo(expected + amount);
          }
          case 2 -> {
            long last = 1 + random.nextInt((int) window + 10);
            long c = t - Math.min(last, window);
            assertThat(counter.count(last, now)).isEqualTo(log.stream().filter(e -> e[0] > c).mapToLong(e -> e[1]).sum());
          }
          default -> {
            long limit = random.nextInt(20);
            long cost = random.nextInt(4);
            long wait = counter.msUntilRoom(limit, cost, now);
            if (cost > limit) {
              assertThat(wait).isEqualTo(cost == 0 ? 0 : -1);
            } else {
              // The smallest wait after which the logged count leaves room.
              long w = 0;
              while (true) {
                long at = t + w;
                long cnt = log.stream().filter(e -> e[0] > at - window).mapToLong(e -> e[1]).sum();
                if (cnt + cost <= limit) {
                  break;
                }
                w++;
              }
              assertThat(wait).isEqualTo(w);
            }
          }
        }
        if (op % 50 == 0) {
          ValueCodec.Out out = new ValueCodec.Out();
          ValueCodec.encode(counter, out);
          byte[] body = out.toArray(0);
          WindowCounter restored = (WindowCounter) ValueCodec.decode(body, 0, body.length);
          assertThat(RankingTest.digest(restored, now)).isEqualTo(RankingTest.digest(counter, now));
          assertThat(RankingTest.digest(counter.deepCopy(), now)).isEqualTo(RankingTest.digest(counter, now));
          assertThat(restored.count(now)).isEqualTo(counter.count(now));
        }
      }
    }
  }

  @Test
  void subBucketPrecision() {
    WindowCounter c = new WindowCounter(60_000, 1_000);
    c.incrBy(1, 10_999); // sub-bucket 10_000: counted while now < 70_000
    c.incrBy(2, 30_000);
    assertThat(c.count(69_999)).isEqualTo(3);
    assertThat(c.count(70_000)).isEqualTo(2);
    assertThat(c.count(10_000, 39_999)).isEqualTo(2);
    assertThat(c.msUntilRoom(3, 1, 40_000)).isEqualTo(30_000); // the unit of 10_000 must leave
    assertThat(c.msUntilRoom(2, 1, 40_000)).isEqualTo(50_000); // and the two of 30_000
    assertThat(c.msUntilRoom(4, 1, 40_000)).isZero();
    assertThat(c.msUntilRoom(1, 2, 40_000)).isEqualTo(-1);
  }
}

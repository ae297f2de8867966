package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ranking against a reference model that keeps every increment as (time, member, amount) and
 * re-sums on each read: random increments, reads over every kind of window, time jumps (also
 * backward), with the aggregates' invariants, DUMP round trips and copies checked on the way.
 */
class RankingTest {

  record Event(long bucketStart, String member, long amount) {}

  /** The reference: every event kept; the clock never runs backward, as the ranking's. */
  static final class Model {
    final long bucketMs;
    final long retentionMs;
    final List<Event> events = new ArrayList<>();
    final Map<String, Long> allTime = new HashMap<>();
    long clock = Long.MIN_VALUE;

    Model(long bucketMs, long retentionMs) {
      this.bucketMs = bucketMs;
      this.retentionMs = retentionMs;
    }

    long tick(long now) {
      clock = Math.max(clock, now);
      return clock;
    }

    long incr(String member, long amount, long now) {
      long t = tick(now);
      events.add(new Event(Math.floorDiv(t, bucketMs) * bucketMs, member, amount));
      return allTime.merge(member, amount, Long::sum);
    }

    Map<String, Long> sums(Long windowMs, long now) {
      return sums(windowMs, false, now);
    }

    Map<String, Long> sums(Long windowMs, boolean period, long now) {
      long t = Math.max(clock, now); // reads never move the clock
      if (windowMs == null) {
        return allTime;
      }
      long from = period ? Math.floorDiv(t, windowMs) * windowMs : t - Math.min(windowMs, retentionMs) + 1;
      Map<String, Long> sums = new HashMap<>();
      for (Event e : events) {
        if (e.bucketStart() >= from) {
          sums.merge(e.member(), e.amount(), Long::sum);
        }
      }
      return sums;
    }

    List<Ranking.Entry> sorted(Long windowMs, long now) {
      return sorted(windowMs, false, now);
    }

    List<Ranking.Entry> sorted(Long windowMs, boolean period, long now) {
      List<Ranking.Entry> out = new ArrayList<>();
      sums(windowMs, period, now).forEach((m, s) -> {
        if (s != 0) {
          out.add(new Ranking.Entry(bytes(m), s));
        }
      });
      out.sort(Ranking.BEST_FIRST);
      return out;
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String text(List<Ranking.Entry> entries) {
    StringBuilder sb = new StringBuilder();
    for (Ranking.Entry e : entries) {
      sb.append(new String(e.member(), StandardCharsets.ISO_8859_1)).append('=').append(e.score()).append(' ');
    }
    return sb.toString();
  }

  @Test
  void agreesWithAReferenceModelUnderRandomOperations() {
    Random random = new Random(20261125);
    byte[][] names = {bytes("short"), bytes("long"), bytes("period")};
    long[] lengths = {3_000, 10_000, 5_000};
    boolean[] periodic = {false, false, true};
    long[] lasts = {1, 999, 1_000, 2_500, 3_000, 7_000, 10_000, 15_000, 40_000};
    for (int round = 0; round < 40; round++) {
      Ranking ranking = new Ranking(1_000, 15_000, names, lengths, periodic);
      Model model = new Model(1_000, 15_000);
      long now = 1_700_000_000_000L + random.nextInt(1_000);
      int members = 5 + random.nextInt(60);
      for (int op = 0; op < 600; op++) {
        int jump = random.nextInt(20);
        if (jump < 12) {
          now += random.nextInt(400);
        } else if (jump < 18) {
          now += random.nextInt(4_000);
        } else if (jump == 18) {
          now -= random.nextInt(3_000); // the clock never runs backward
        } else {
          now += random.nextInt(30_000);
        }
        int kind = random.nextInt(10);
        if (kind < 6) {
          String m = "m" + (int) Math.floor(members * Math.pow(random.nextDouble(), 2)); // skewed
          long amount = random.nextInt(10) == 0 ? -random.nextInt(5) : random.nextInt(50);
          assertThat(ranking.incrBy(bytes(m), amount, now)).isEqualTo(model.incr(m, amount, now));
        } else {
          Long windowMs;
          boolean period = false;
          Ranking.Span span;
          switch (random.nextInt(3)) {
            case 0 -> {
              windowMs = null;
              span = new Ranking.AllTime();
            }
            case 1 -> {
              int w = random.nextInt(3);
              windowMs = lengths[w];
              period = periodic[w];
              span = new Ranking.Named(w);
            }
            default -> {
              windowMs = lasts[random.nextInt(lasts.length)];
              span = new Ranking.Last(windowMs);
            }
          }
          if (kind < 8) {
            int offset = random.nextInt(4) == 0 ? random.nextInt(10) : 0;
            int count = 1 + random.nextInt(12);
            List<Ranking.Entry> expected = model.sorted(windowMs, period, now);
            expected = expected.subList(Math.min(offset, expected.size()), Math.min(offset + count, expected.size()));
            assertThat(text(ranking.top(span, offset, count, now))).as("top %s", span).isEqualTo(text(expected));
          } else {
            String m = "m" + random.nextInt(members + 2);
            List<Ranking.Entry> all = model.sorted(windowMs, period, now);
            Ranking.Ranked expected = null;
            for (int i = 0; i < all.size(); i++) {
              if (new String(all.get(i).member(), StandardCharsets.ISO_8859_1).equals(m)) {
                expected = new Ranking.Ranked(i, all.get(i).score());
              }
            }
            assertThat(ranking.rank(bytes(m), span, now)).as("rank %s %s", m, span).isEqualTo(expected);
          }
        }
        if (op % 50 == 0) {
          ranking.checkInvariants();
          assertThat(digest(ranking.deepCopy(), now)).isEqualTo(digest(ranking, now));
          ValueCodec.Out out = new ValueCodec.Out();
          ValueCodec.encode(ranking, out);
          byte[] body = out.toArray(0);
          Ranking restored = (Ranking) ValueCodec.decode(body, 0, body.length);
          restored.checkInvariants();
          assertThat(digest(restored, now)).isEqualTo(digest(ranking, now));
          for (int w = 0; w < 3; w++) {
            assertThat(text(restored.top(new Ranking.Named(w), 0, 100, now)))
                .isEqualTo(text(ranking.top(new Ranking.Named(w), 0, 100, now)));
          }
        }
      }
      ranking.checkInvariants();
    }
  }

  @Test
  void bucketsLeaveWindowsAtTheirStartPlusTheWindow() {
    Ranking r = new Ranking(1_000, 0, new byte[][] {bytes("w")}, new long[] {3_000});
    r.incrBy(bytes("a"), 5, 10_500); // bucket 10_000
    r.incrBy(bytes("b"), 7, 11_200); // bucket 11_000
    assertThat(r.rank(bytes("a"), new Ranking.Named(0), 12_999)).isEqualTo(new Ranking.Ranked(1, 5));
    assertThat(r.rank(bytes("a"), new Ranking.Named(0), 13_000)).isNull();
    assertThat(r.rank(bytes("a"), new Ranking.AllTime(), 13_000)).isEqualTo(new Ranking.Ranked(1, 5));
    assertThat(r.rank(bytes("b"), new Ranking.Named(0), 13_000)).isEqualTo(new Ranking.Ranked(0, 7));
    assertThat(r.bucketCount(13_000)).isEqualTo(1);
    assertThat(r.bucketCount(14_000)).isZero();
    assertThat(r.bucketCount(11_500)).isEqualTo(2);
    // Reads never move the clock: a write back in time acts at the latest write (11_200).
    assertThat(r.incrBy(bytes("a"), 1, 9_000)).isEqualTo(6);
    assertThat(r.top(new Ranking.Named(0), 0, 10, 9_000)).extracting(Ranking.Entry::score).containsExactly(7L, 6L);
  }

  @Test
  void aPeriodEmptiesAtEachMultipleOfItsLength() {
    Ranking r = new Ranking(1_000, 0, new byte[][] {bytes("day")}, new long[] {86_400_000}, new boolean[] {true});
    long midnight = 1_700_006_400_000L; // 2023-11-15T00:00:00Z, a multiple of 86400000
    r.incrBy(bytes("a"), 5, midnight - 1);
    assertThat(r.rank(bytes("a"), new Ranking.Named(0), midnight - 1)).isEqualTo(new Ranking.Ranked(0, 5));
    assertThat(r.rank(bytes("a"), new Ranking.Named(0), midnight)).isNull(); // read path: stale aggregate
    r.incrBy(bytes("b"), 2, midnight + 1);
    assertThat(r.top(new Ranking.Named(0), 0, 10, midnight + 1)).extracting(Ranking.Entry::score).containsExactly(2L);
    assertThat(r.top(new Ranking.Last(86_400_000), 0, 10, midnight + 1)).extracting(Ranking.Entry::score).containsExactly(5L, 2L);
    r.checkInvariants();
  }

  @Test
  void rejectsSumsBeyondTwoToThe53AndChangesNothing() {
    Ranking r = new Ranking(1_000, 0, new byte[0][], new long[0]);
    assertThat(r.incrBy(bytes("a"), Ranking.MAX_ABS_SCORE, 0)).isEqualTo(Ranking.MAX_ABS_SCORE);
    assertThat(r.incrBy(bytes("a"), 1, 5_000)).isEqualTo(Ranking.OUT_OF_RANGE);
    assertThat(r.bucketCount(5_000)).isZero();
    assertThat(r.rank(bytes("a"), new Ranking.AllTime(), 5_000)).isEqualTo(new Ranking.Ranked(0, Ranking.MAX_ABS_SCORE));
  }

  static String digest(CollectionValue v, long now) {
    StringBuilder sb = new StringBuilder();
    List<String> parts = new ArrayList<>();
    v.digestElements((n, c) -> parts.add(new String(n, StandardCharsets.ISO_8859_1) + "=" + new String(c, StandardCharsets.ISO_8859_1)), now);
    parts.sort(null);
    parts.forEach(p -> sb.append(p).append(';'));
    return sb.toString();
  }
}

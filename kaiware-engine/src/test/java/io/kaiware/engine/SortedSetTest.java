package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The skip list against a TreeSet of (score, member) under random inserts, updates and deletions. */
class SortedSetTest {

  record Entry(double score, String member) {}

  private static final Comparator<Entry> ORDER = Comparator.comparingDouble(Entry::score)
      .thenComparing(e -> e.member().getBytes(StandardCharsets.ISO_8859_1), java.util.Arrays::compareUnsigned);

  @Test
  void putKeepsAnEqualScoreAndPutExactStoresTheSignOfZero() {
    SortedSet zset = new SortedSet();
    byte[] a = "a".getBytes(StandardCharsets.US_ASCII);
    zset.put(a, -0.0);
    zset.put(a, 0.0); // ZADD: 0 == -0, nothing changes
    assertThat(Double.doubleToRawLongBits(zset.node(a).score())).isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(zset.putExact(a, 0.0)).isFalse();
    assertThat(Double.doubleToRawLongBits(zset.node(a).score())).isEqualTo(0L);
    assertThat(zset.putExact("b".getBytes(StandardCharsets.US_ASCII), 2.5)).isTrue();
    assertThat(zset.size()).isEqualTo(2);
  }

  @Test
  void ranksRangesAndRemovalsAgreeWithATreeSet() {
    Random random = new Random(42);
    for (int round = 0; round < 20; round++) {
      SortedSet zset = new SortedSet();
      TreeSet<Entry> model = new TreeSet<>(ORDER);
      Map<String, Double> scores = new HashMap<>();
      for (int op = 0; op < 2000; op++) {
        String member = "m" + random.nextInt(300);
        byte[] m = member.getBytes(StandardCharsets.ISO_8859_1);
        int kind = random.nextInt(10);
        if (kind < 6) {
          double score = random.nextInt(50) / 2.0;
          Double old = scores.put(member, score);
          if (old != null) {
            model.remove(new Entry(old, member));
          }
          model.add(new Entry(score, member));
          assertThat(zset.put(m, score)).isEqualTo(old == null);
        } else if (kind < 8) {
          Double old = scores.remove(member);
          if (old != null) {
            model.remove(new Entry(old, member));
          }
          assertThat(zset.remove(m)).isEqualTo(old != null);
        } else if (kind == 8 && !model.isEmpty()) {
          double lo = random.nextInt(50) / 2.0;
          double hi = lo + random.nextInt(10);
          SortedSet.ScoreRange range = new SortedSet.ScoreRange(lo, random.nextBoolean(), hi, random.nextBoolean());
          List<Entry> expected = model.stream().filter(e -> range.aboveMin(e.score()) && range.belowMax(e.score())).toList();
          assertThat(zset.count(range)).isEqualTo(expected.size());
          if (random.nextBoolean()) {
            assertThat(zset.removeRange(range)).isEqualTo(expected.size());
            expected.forEach(e -> {
              model.remove(e);
              scores.remove(e.member());
            });
          }
        } else if (!model.isEmpty()) {
          int start = random.nextInt(model.size());
          int end = Math.min(model.size() - 1, start + random.nextInt(5));
          List<Entry> all = new ArrayList<>(model);
          assertThat(zset.removeRankRange(start, end)).isEqualTo(end - start + 1);
          for (Entry e : all.subList(start, end + 1)) {
            model.remove(e);
            scores.remove(e.member());
          }
        }
        if (op % 100 == 0) {
          zset.checkInvariants();
          List<Entry> all = new ArrayList<>(model);
          for (int i = 0; i < all.size(); i++) {
            SortedSet.Node n = zset.byRank(i);
            assertThat(new Entry(n.score(), new String(n.member(), StandardCharsets.ISO_8859_1))).isEqualTo(all.get(i));
            assertThat(zset.rank(n.member())).isEqualTo(i);
          }
        }
      }
      zset.checkInvariants();
      assertThat(zset.size()).isEqualTo(model.size());
    }
  }

  @Test
  void lexRangesFollowRedisBounds() {
    SortedSet zset = new SortedSet();
    for (String m : new String[] {"a", "b", "c", "d", "e"}) {
      zset.put(m.getBytes(StandardCharsets.ISO_8859_1), 0);
    }
    SortedSet.LexBound b = new SortedSet.LexBound("b".getBytes(StandardCharsets.ISO_8859_1), false, 0);
    SortedSet.LexBound dEx = new SortedSet.LexBound("d".getBytes(StandardCharsets.ISO_8859_1), true, 0);
    assertThat(zset.count(new SortedSet.LexRange(b, dEx))).isEqualTo(2);
    assertThat(zset.count(new SortedSet.LexRange(SortedSet.LexBound.MINUS, SortedSet.LexBound.PLUS))).isEqualTo(5);
    assertThat(zset.count(new SortedSet.LexRange(SortedSet.LexBound.PLUS, SortedSet.LexBound.MINUS))).isZero();
    assertThat(zset.count(new SortedSet.LexRange(SortedSet.LexBound.MINUS, SortedSet.LexBound.MINUS))).isZero();
    assertThat(zset.removeRange(new SortedSet.LexRange(b, dEx))).isEqualTo(2);
    zset.checkInvariants();
    assertThat(zset.size()).isEqualTo(3);
  }
}

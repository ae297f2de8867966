package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The set against a TreeSet under random adds and removes; its encodings; DUMP round trips. */
class SetValueTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static Set<String> members(SetValue set) {
    Set<String> out = new HashSet<>();
    for (int p = 0; p < set.capacity(); p++) {
      if (set.occupied(p)) {
        assertThat(out.add(new String(set.memberAt(p), StandardCharsets.US_ASCII))).isTrue();
      }
    }
    return out;
  }

  @Test
  void isIntegerIsRedisString2ll() {
    for (String yes : new String[] {"0", "1", "-1", "42", "9223372036854775807", "-9223372036854775808", "1000000000000000000"}) {
      assertThat(SetValue.isInteger(b(yes))).as(yes).isTrue();
    }
    for (String no : new String[] {"", "-", "+1", "01", "-0", "00", " 1", "1 ", "1a", "9223372036854775808",
        "-9223372036854775809", "99999999999999999999", "1.5", "0x10", "--1"}) {
      assertThat(SetValue.isInteger(b(no))).as(no).isFalse();
    }
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      long v = random.nextLong() >> random.nextInt(64);
      assertThat(SetValue.isInteger(b(Long.toString(v)))).isTrue();
    }
  }

  @Test
  void agreesWithATreeSetAndKeepsRedisEncodings() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      SetValue set = new SetValue();
      TreeSet<String> model = new TreeSet<>();
      boolean intset = true;
      int ops = random.nextInt(1500);
      boolean onlyInts = random.nextBoolean();
      for (int op = 0; op < ops; op++) {
        String m = onlyInts || random.nextInt(50) > 0 ? Integer.toString(random.nextInt(800) - 100) : "m" + random.nextInt(20);
        if (random.nextInt(3) > 0) {
          boolean added = model.add(m);
          assertThat(set.add(b(m))).isEqualTo(added);
          if (added && (!SetValue.isInteger(b(m)) || model.size() > SetValue.MAX_INTSET_ENTRIES)) {
            intset = false;
          }
        } else {
          assertThat(set.remove(b(m))).isEqualTo(model.remove(m));
        }
        assertThat(set.size()).isEqualTo(model.size());
        assertThat(set.isIntset()).isEqualTo(intset);
      }
      assertThat(members(set)).isEqualTo(model);
      for (String m : new String[] {"1", "m3", "-100", "699", "700", "x"}) {
        assertThat(set.contains(b(m))).isEqualTo(model.contains(m));
      }
      assertThat(set.encoding()).isEqualTo(intset ? "intset" : "hashtable");
      if (set.isIntset()) {
        // Positions of an intset run in ascending numeric order.
        List<Long> order = new ArrayList<>();
        for (int p = 0; p < set.capacity(); p++) {
          order.add(Long.parseLong(new String(set.memberAt(p), StandardCharsets.US_ASCII)));
        }
        assertThat(order).isSorted();
      }
      SetValue copy = set.deepCopy();
      assertThat(copy.encoding()).isEqualTo(set.encoding());
      assertThat(members(copy)).isEqualTo(model);
      copy.add(b("fresh"));
      assertThat(set.contains(b("fresh"))).isFalse();

      if (set.size() > 0) {
        int pos = set.randomPosition(round);
        assertThat(set.occupied(pos)).isTrue();
        ValueCodec.Out out = new ValueCodec.Out();
        ValueCodec.encode(set, out);
        byte[] body = out.toArray(0);
        SetValue back = (SetValue) ValueCodec.decode(body, 0, body.length);
        assertThat(members(back)).isEqualTo(model);
        assertThat(back.isIntset()).isEqualTo(intsetFor(model));
        assertThat(set.estimateBytes()).isPositive();
      }
    }
  }

  private static boolean intsetFor(Set<String> members) {
    return members.size() <= SetValue.MAX_INTSET_ENTRIES && members.stream().allMatch(m -> SetValue.isInteger(b(m)));
  }

  @Test
  void decodeRejectsDuplicatesAndEmptySets() {
    ValueCodec.Out dup = new ValueCodec.Out();
    dup.writeByte(ValueCodec.TYPE_SET);
    dup.writeVarint(2);
    dup.writeBytes(b("a"));
    dup.writeBytes(b("a"));
    byte[] d = dup.toArray(0);
    assertThat(ValueCodec.decode(d, 0, d.length)).isNull();
    ValueCodec.Out empty = new ValueCodec.Out();
    empty.writeByte(ValueCodec.TYPE_SET);
    empty.writeVarint(0);
    byte[] e = empty.toArray(0);
    assertThat(ValueCodec.decode(e, 0, e.length)).isNull();
  }

  /** The definition of {@link KeyTable#slotAtOrAfter}, computed by looking at every entry. */
  private static byte[] naiveAtOrAfter(KeyTable t, int point) {
    byte[] best = null;
    int bestDistance = 0;
    for (int slot = 0; slot < t.capacity(); slot++) {
      if (t.occupied(slot)) {
        int distance = Integer.reverse(KeyTable.hash(t.keyAt(slot))) - point;
        if (best == null || Integer.compareUnsigned(distance, bestDistance) < 0
            || (distance == bestDistance && java.util.Arrays.compare(t.keyAt(slot), best) < 0)) {
          best = t.keyAt(slot);
          bestDistance = distance;
        }
      }
    }
    return best;
  }

  @Test
  void aHashtablePickDependsOnTheMembersNotTheLayout() {
    Random random = new Random(3);
    for (int round = 0; round < 50; round++) {
      int n = 1 + random.nextInt(300);
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        keys.add("k" + random.nextInt(100_000));
      }
      KeyTable forward = new KeyTable();
      KeyTable backward = new KeyTable();
      KeyTable sparse = new KeyTable(); // grown by extra keys, then emptied of them: a bigger capacity
      for (int i = 0; i < 2000; i++) {
        sparse.put(b("extra" + i), null, KeyTable.NO_EXPIRY);
      }
      for (int i = 0; i < n; i++) {
        forward.put(b(keys.get(i)), null, KeyTable.NO_EXPIRY);
        backward.put(b(keys.get(n - 1 - i)), null, KeyTable.NO_EXPIRY);
        sparse.put(b(keys.get(i)), null, KeyTable.NO_EXPIRY);
      }
      for (int i = 0; i < 2000; i++) {
        sparse.remove(b("extra" + i));
      }
      assertThat(sparse.capacity()).isGreaterThan(forward.capacity());
      Set<String> picked = new HashSet<>();
      for (int p = 0; p < 400; p++) {
        int point = p == 0 ? 0 : p == 1 ? -1 : random.nextInt();
        byte[] expected = naiveAtOrAfter(forward, point);
        assertThat(forward.keyAt(forward.slotAtOrAfter(point))).isEqualTo(expected);
        assertThat(backward.keyAt(backward.slotAtOrAfter(point))).isEqualTo(expected);
        assertThat(sparse.keyAt(sparse.slotAtOrAfter(point))).isEqualTo(expected);
        picked.add(new String(expected, StandardCharsets.US_ASCII));
      }
      if (forward.size() <= 20) {
        assertThat(picked).as("every member can be picked").hasSize(forward.size());
      }
    }
    assertThat(new KeyTable().slotAtOrAfter(5)).isEqualTo(-1);
  }

  @Test
  void randomPositionsCoverAnIntsetUniformly() {
    SetValue set = new SetValue();
    for (int i = 0; i < 10; i++) {
      set.add(b(Integer.toString(i)));
    }
    int[] hits = new int[10];
    for (long seed = 0; seed < 10_000; seed++) {
      hits[set.randomPosition(seed)]++;
    }
    for (int h : hits) {
      assertThat(h).isBetween(800, 1200);
    }
  }
}

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
          if (added && (!SetValue.isInteger(b(m)) || model.size() > SetValue.DEFAULT_MAX_INTSET_ENTRIES)) {
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
        assertThat(back.isIntset()).as("a snapshot keeps the encoding").isEqualTo(set.isIntset());
        assertThat(back.memberAt(back.randomPosition(round))).as("SPOP's pick after a snapshot install")
            .isEqualTo(set.memberAt(pos));
        back.encodeAsLoaded(SetValue.DEFAULT_MAX_INTSET_ENTRIES);
        assertThat(back.isIntset()).as("as Redis loads it").isEqualTo(intsetFor(model));
        assertThat(members(back)).isEqualTo(model);
        assertThat(set.estimateBytes()).isPositive();
      }
    }
  }

  private static boolean intsetFor(Set<String> members) {
    return members.size() <= SetValue.DEFAULT_MAX_INTSET_ENTRIES && members.stream().allMatch(m -> SetValue.isInteger(b(m)));
  }

  @Test
  void followsTheIntsetLimitItIsGiven() {
    SetValue set = new SetValue();
    for (int i = 0; i < 4; i++) {
      assertThat(set.add(b(Integer.toString(i)), 4)).isTrue();
    }
    assertThat(set.encoding()).isEqualTo("intset");
    set.add(b("4"), 4);
    assertThat(set.encoding()).as("the 5th member under a limit of 4").isEqualTo("hashtable");
    set.remove(b("4"));
    set.add(b("9"), 1000);
    assertThat(set.encoding()).as("never back by adding").isEqualTo("hashtable");
    set.remove(b("9"));
    set.encodeAsLoaded(4);
    assertThat(set.encoding()).as("loaded: 4 integers fit").isEqualTo("intset");
    assertThat(members(set)).containsExactlyInAnyOrder("0", "1", "2", "3");
    set.encodeAsLoaded(3);
    assertThat(set.encoding()).isEqualTo("hashtable");

    SetValue zero = new SetValue();
    zero.add(b("1"), 0);
    assertThat(zero.encoding()).as("limit 0: Redis creates an intset, then converts at once").isEqualTo("hashtable");
  }

  @Test
  void decodesTheOldSetTagByRedisLoadRules() {
    ValueCodec.Out old = new ValueCodec.Out();
    old.writeByte(ValueCodec.TYPE_SET);
    old.writeVarint(2);
    old.writeBytes(b("2"));
    old.writeBytes(b("1"));
    byte[] d = old.toArray(0);
    SetValue set = (SetValue) ValueCodec.decode(d, 0, d.length);
    assertThat(set.encoding()).isEqualTo("intset");
    assertThat(members(set)).containsExactlyInAnyOrder("1", "2");

    ValueCodec.Out bad = new ValueCodec.Out();
    bad.writeByte(ValueCodec.TYPE_SET_ENCODED);
    bad.writeByte(0); // intset, with a member that is not an integer
    bad.writeVarint(1);
    bad.writeBytes(b("a"));
    byte[] e = bad.toArray(0);
    assertThat(ValueCodec.decode(e, 0, e.length)).isNull();
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
        long seed = random.nextLong();
        byte[] uniform = forward.keyAt(forward.uniformSlotByContent(seed));
        assertThat(backward.keyAt(backward.uniformSlotByContent(seed))).isEqualTo(uniform);
        assertThat(sparse.keyAt(sparse.uniformSlotByContent(seed))).isEqualTo(uniform);
      }
      if (forward.size() <= 20) {
        assertThat(picked).as("every member can be picked").hasSize(forward.size());
      }
    }
    assertThat(new KeyTable().slotAtOrAfter(5)).isEqualTo(-1);
    assertThat(new KeyTable().uniformSlotByContent(5)).isEqualTo(-1);
  }

  /** Pearson's chi-square statistic of {@code counts} against equal expected counts. */
  private static double chiSquare(java.util.Map<String, Integer> counts, int members, int draws) {
    double expected = (double) draws / members;
    double x2 = 0;
    for (int c : counts.values()) {
      x2 += (c - expected) * (c - expected) / expected;
    }
    return x2 + (members - counts.size()) * expected; // members never drawn
  }

  @Test
  void randomMembersAreUniformWhateverTheEncoding() {
    // set.tcl's "SRANDMEMBER histogram distribution" sets, and bigger ones: chi-square under the
    // 0.00001 quantile (df 9: 40; df 299: about 440).
    String[][] sets = {{"1", "5", "10", "50", "125", "MARY", "PATRICIA", "LINDA", "BARBARA", "ELIZABETH"},
        {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}};
    for (String[] members : sets) {
      SetValue set = new SetValue();
      for (String m : members) {
        set.add(b(m));
      }
      java.util.Map<String, Integer> counts = new java.util.HashMap<>();
      for (long seed = 0; seed < 10_000; seed++) {
        counts.merge(new String(set.memberAt(set.randomPosition(seed * 7919)), StandardCharsets.US_ASCII), 1, Integer::sum);
      }
      assertThat(chiSquare(counts, members.length, 10_000)).as(set.encoding()).isLessThan(40);
    }
    for (int trial = 0; trial < 3; trial++) {
      SetValue set = new SetValue();
      for (int i = 0; i < 300 + trial * 1000; i++) {
        set.add(b("member:" + trial + ":" + i));
      }
      for (int i = 300; i < 300 + trial * 1000; i++) {
        set.remove(b("member:" + trial + ":" + i)); // a sparse table for trials 1 and 2
      }
      java.util.Map<String, Integer> counts = new java.util.HashMap<>();
      for (long seed = 0; seed < 300_000; seed++) {
        counts.merge(new String(set.memberAt(set.randomPosition(seed)), StandardCharsets.US_ASCII), 1, Integer::sum);
      }
      assertThat(chiSquare(counts, 300, 300_000)).as("trial %d, capacity %d", trial, set.table().capacity()).isLessThan(440);
    }
  }

  @Test
  void membersBuiltToCollideAreStillPickedSometimes() {
    // Six keys whose hashes share their low 4 bits: with six entries there are 16 virtual buckets
    // (the low 4 bits), so all six land in one bucket over its load of 4.
    KeyTable t = new KeyTable();
    int low = KeyTable.hash(b("seed")) & 15;
    for (int i = 0; t.size() < 6; i++) {
      byte[] k = b("c" + i);
      if ((KeyTable.hash(k) & 15) == low) {
        t.put(k, null, KeyTable.NO_EXPIRY);
      }
    }
    java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    for (long seed = 0; seed < 6_000; seed++) {
      counts.merge(new String(t.keyAt(t.uniformSlotByContent(seed)), StandardCharsets.US_ASCII), 1, Integer::sum);
    }
    assertThat(counts).hasSize(6);
    assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(800, 1200));
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

  /**
   * Replicas configured with different set-max-intset-entries hold one set in two encodings; SPOP
   * re-executes on each, so both encodings must pick the same member for the same seed — through
   * a run of pops, as SPOP with a count does.
   */
  @Test
  void anIntsetPicksTheMemberAHashtableOfTheSameMembersPicks() {
    Random random = new Random(7);
    for (int round = 0; round < 40; round++) {
      SetValue intset = new SetValue();
      SetValue hashtable = new SetValue();
      hashtable.leaveIntset();
      int n = 1 + random.nextInt(round < 20 ? 20 : 600);
      for (int i = 0; i < n; i++) {
        byte[] member = b(Long.toString(random.nextInt(2_000_000) - 1_000_000));
        intset.add(member, Integer.MAX_VALUE);
        hashtable.add(member, Integer.MAX_VALUE);
      }
      assertThat(intset.isIntset()).isTrue();
      while (intset.size() > 0) {
        long seed = random.nextLong();
        byte[] fromIntset = intset.memberAt(intset.randomPosition(seed));
        byte[] fromTable = hashtable.memberAt(hashtable.randomPosition(seed));
        assertThat(new String(fromIntset, StandardCharsets.US_ASCII)).as("round %d, size %d", round, intset.size())
            .isEqualTo(new String(fromTable, StandardCharsets.US_ASCII));
        intset.remove(fromIntset);
        hashtable.remove(fromTable);
        if (random.nextInt(10) == 0) { // an add between pops rebuilds the order
          byte[] member = b(Long.toString(random.nextInt(1000)));
          intset.add(member, Integer.MAX_VALUE);
          hashtable.add(member, Integer.MAX_VALUE);
        }
      }
      assertThat(hashtable.size()).isZero();
    }
  }
}

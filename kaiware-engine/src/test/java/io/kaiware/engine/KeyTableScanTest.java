package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * SCAN's guarantee (KeyTable's essay): every key present for the whole scan is returned, whatever
 * inserts, deletions (backward shifts) and resizes happen between the steps.
 */
class KeyTableScanTest {

  private static byte[] key(int i) {
    return ("k" + i).getBytes(StandardCharsets.US_ASCII);
  }

  /** Between two scan steps: insert {@code inserts} fresh keys, delete {@code deletes} keys, maybe shrink. */
  record Step(int inserts, int deletes, boolean shrink) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> step = Combinators.combine(
        Arbitraries.integers().between(0, 200), Arbitraries.integers().between(0, 200), Arbitraries.of(true, false))
        .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(60);
  }

  @Property(tries = 200)
  void everyKeyPresentThroughoutIsReturned(@ForAll @IntRange(min = 0, max = 3000) int initial,
      @ForAll("steps") List<Step> steps, @ForAll @IntRange(min = 1, max = 64) int bucketsPerCall, @ForAll long seed) {
    KeyTable t = new KeyTable();
    java.util.Random random = new java.util.Random(seed);
    List<Integer> live = new ArrayList<>();
    int next = 0;
    for (; next < initial; next++) {
      t.put(key(next), "v", KeyTable.NO_EXPIRY);
      live.add(next);
    }
    Set<Integer> neverRemoved = new HashSet<>(live);
    Set<String> returned = new HashSet<>();
    long cursor = 0;
    int stepIndex = 0;
    do {
      // One SCAN call: a few buckets, like COUNT.
      for (int b = 0; b < bucketsPerCall && cursor != 0 || b == 0; b++) {
        cursor = t.scan(cursor, slot -> returned.add(new String(t.keyAt(slot), StandardCharsets.US_ASCII)));
      }
      if (stepIndex >= steps.size()) {
        continue; // the mutations are over: finish the scan
      }
      Step s = steps.get(stepIndex++);
      for (int i = 0; i < s.inserts(); i++) {
        t.put(key(next), "v", KeyTable.NO_EXPIRY);
        live.add(next++);
      }
      for (int i = 0; i < s.deletes() && !live.isEmpty(); i++) {
        int victim = live.remove(random.nextInt(live.size()));
        t.remove(key(victim));
        neverRemoved.remove(victim);
      }
      if (s.shrink()) {
        t.shrinkIfSparse();
      }
    } while (cursor != 0);
    for (int k : neverRemoved) {
      assertThat(returned).as("key k%d", k).contains("k" + k);
    }
  }

  @Test
  void fullScanOfStableTableVisitsEachKeyOnce() {
    KeyTable t = new KeyTable();
    for (int i = 0; i < 10_000; i++) {
      t.put(key(i), "v", KeyTable.NO_EXPIRY);
    }
    List<String> returned = new ArrayList<>();
    long cursor = 0;
    do {
      cursor = t.scan(cursor, slot -> returned.add(new String(t.keyAt(slot), StandardCharsets.US_ASCII)));
    } while (cursor != 0);
    assertThat(returned).hasSize(10_000).doesNotHaveDuplicates();
  }

  @Test
  void emptyTableScanEndsAtOnce() {
    KeyTable t = new KeyTable();
    long cursor = 0;
    int steps = 0;
    do {
      cursor = t.scan(cursor, slot -> { });
      steps++;
    } while (cursor != 0);
    assertThat(steps).isEqualTo(t.capacity());
  }

  @Test
  void randomSlotIsDeterministicAndOccupied() {
    KeyTable t = new KeyTable();
    assertThat(t.randomSlot(42)).isEqualTo(-1);
    for (int i = 0; i < 100; i++) {
      t.put(key(i), "v", KeyTable.NO_EXPIRY);
    }
    for (long seed = 0; seed < 1000; seed++) {
      int slot = t.randomSlot(seed);
      assertThat(t.occupied(slot)).isTrue();
      assertThat(t.randomSlot(seed)).isEqualTo(slot);
    }
  }
}

package io.kaiware.it.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.it.history.History.Kind;
import io.kaiware.it.history.History.Op;
import io.kaiware.it.history.History.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RegisterCheckerTest {

  private final List<Op> ops = new ArrayList<>();

  private void op(Kind kind, String input, Status status, String output, long invoke, long complete) {
    ops.add(Op.of(ops.size(), kind, "k", input, status, output, invoke, complete));
  }

  private RegisterChecker.Result check() {
    return RegisterChecker.check(Map.of("k", ops), 1_000_000);
  }

  @Test
  void sequentialReadsOfTheLastWriteAreLinearizable() {
    op(Kind.READ, null, Status.OK, null, 0, 1);
    op(Kind.WRITE, "a", Status.OK, "OK", 2, 3);
    op(Kind.READ, null, Status.OK, "a", 4, 5);
    op(Kind.SWAP, "b", Status.OK, "a", 6, 7);
    op(Kind.READ, null, Status.OK, "b", 8, 9);
    assertThat(check().linearizable()).isTrue();
  }

  @Test
  void aStaleReadIsNot() {
    op(Kind.WRITE, "a", Status.OK, "OK", 0, 1);
    op(Kind.WRITE, "b", Status.OK, "OK", 2, 3);
    op(Kind.READ, null, Status.OK, "a", 4, 5);
    RegisterChecker.Result r = check();
    assertThat(r.linearizable()).isFalse();
    assertThat(r.failedKey()).isEqualTo("k");
    assertThat(r.explanation()).contains("read: ok -> a");
  }

  @Test
  void readsConcurrentWithAWriteMaySeeEitherValueButNotGoBack() {
    op(Kind.WRITE, "a", Status.OK, "OK", 0, 1);
    op(Kind.WRITE, "b", Status.OK, "OK", 2, 10);
    op(Kind.READ, null, Status.OK, "b", 3, 4);
    op(Kind.READ, null, Status.OK, "a", 3, 5); // overlaps the read of b: may come first
    assertThat(check().linearizable()).isTrue();
    op(Kind.READ, null, Status.OK, "a", 6, 7); // begins after b was seen
    assertThat(check().linearizable()).isFalse();
  }

  @Test
  void aValueMayNotComeBackOnceOverwritten() {
    // b was read after a, so b's write came after a's; reading a again needs a second write of a:
    // what a write applied twice (re-sent by a proxy, or replayed) looks like.
    op(Kind.WRITE, "a", Status.OK, "OK", 0, 5);
    op(Kind.WRITE, "b", Status.OK, "OK", 0, 20);
    op(Kind.READ, null, Status.OK, "a", 6, 7);
    op(Kind.READ, null, Status.OK, "b", 8, 9);
    assertThat(check().linearizable()).isTrue();
    op(Kind.READ, null, Status.OK, "a", 21, 22);
    assertThat(check().linearizable()).isFalse();
  }

  @Test
  void anIndeterminateWriteMayTakeEffectLateOrNever() {
    op(Kind.WRITE, "a", Status.OK, "OK", 0, 1);
    op(Kind.WRITE, "b", Status.INFO, null, 2, 0);
    op(Kind.READ, null, Status.OK, "a", 10, 11); // b not (yet) applied
    op(Kind.READ, null, Status.OK, "b", 20, 21); // now it is
    assertThat(check().linearizable()).isTrue();
    op(Kind.READ, null, Status.OK, "a", 30, 31); // but it cannot be undone
    assertThat(check().linearizable()).isFalse();
  }

  @Test
  void anIndeterminateSwapAdmitsAnyOutput() {
    op(Kind.WRITE, "a", Status.OK, "OK", 0, 1);
    op(Kind.SWAP, "b", Status.INFO, null, 2, 0);
    op(Kind.READ, null, Status.OK, "b", 3, 4);
    assertThat(check().linearizable()).isTrue();
  }

  @Test
  void manyUnobservedIndeterminateWritesStayCheap() {
    // 40 writes timed out at once (a paused leader) and nobody saw their values: each could be
    // linearized anywhere after its invocation, 40! orders, unless the checker sets them aside.
    op(Kind.WRITE, "a", Status.OK, "OK", 0, 1);
    for (int i = 0; i < 40; i++) {
      op(Kind.WRITE, "lost" + i, Status.INFO, null, 2 + i, 0);
    }
    op(Kind.WRITE, "b", Status.OK, "OK", 100, 101);
    op(Kind.READ, null, Status.OK, "b", 102, 103);
    op(Kind.READ, null, Status.OK, "a", 104, 105); // a cannot come back
    RegisterChecker.Result r = RegisterChecker.check(Map.of("k", ops), 10_000);
    assertThat(r.complete()).isTrue();
    assertThat(r.linearizable()).isFalse();
    ops.remove(ops.size() - 1);
    r = RegisterChecker.check(Map.of("k", ops), 10_000);
    assertThat(r.complete()).isTrue();
    assertThat(r.linearizable()).isTrue();
  }

  @Test
  void aFailedWriteNeverTookEffect() {
    op(Kind.WRITE, "a", Status.OK, "OK", 0, 1);
    op(Kind.WRITE, "b", Status.FAIL, null, 2, 3);
    op(Kind.READ, null, Status.OK, "b", 4, 5);
    assertThat(check().linearizable()).isFalse();
  }

  @Test
  void aSwapMustSeeTheValueBefore() {
    op(Kind.WRITE, "a", Status.OK, "OK", 0, 1);
    op(Kind.SWAP, "b", Status.OK, "a", 2, 3);
    op(Kind.SWAP, "c", Status.OK, "a", 4, 5); // b was lost
    assertThat(check().linearizable()).isFalse();
  }

  @Test
  void keysAreCheckedIndependently() {
    Map<String, List<Op>> h = new TreeMap<>();
    h.put("x", List.of(Op.of(0, Kind.WRITE, "x", "1", Status.OK, "OK", 0, 1),
        Op.of(1, Kind.READ, "x", null, Status.OK, "1", 2, 3)));
    h.put("y", List.of(Op.of(2, Kind.READ, "y", null, Status.OK, "1", 2, 3)));
    RegisterChecker.Result r = RegisterChecker.check(h, 1_000);
    assertThat(r.linearizable()).isFalse();
    assertThat(r.failedKey()).isEqualTo("y");
  }

  /**
   * Histories generated from a real atomic register: every operation takes effect at one instant
   * strictly inside its [invoke, complete] interval, with many overlapping; each must be found
   * linearizable, within a bounded search. Then a read is changed to a value it could not see.
   */
  @Test
  void concurrentHistoriesOfAnAtomicRegisterAreLinearizableAndACorruptedReadIsCaught() {
    Random random = new Random(42);
    int caught = 0;
    for (int round = 0; round < 200; round++) {
      ops.clear();
      int n = 60 + random.nextInt(140);
      long[] points = random.longs(n, 0, 10_000).sorted().toArray(); // effect instants, distinct w.h.p.
      String state = null;
      List<Integer> reads = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long at = points[i] * 10;
        long invoke = at - 1 - random.nextInt(400);
        long complete = at + 1 + random.nextInt(400);
        int dice = random.nextInt(10);
        if (dice < 4) {
          reads.add(ops.size());
          op(Kind.READ, null, Status.OK, state, invoke, complete);
        } else if (dice < 7) {
          String v = "v" + i;
          boolean unknown = random.nextInt(8) == 0;
          op(Kind.WRITE, v, unknown ? Status.INFO : Status.OK, unknown ? null : "OK", invoke, complete);
          state = v;
        } else if (dice < 9) {
          String v = "v" + i;
          op(Kind.SWAP, v, Status.OK, state, invoke, complete);
          state = v;
        } else {
          op(Kind.WRITE, "never" + i, Status.FAIL, null, invoke, complete); // refused: no effect
        }
      }
      RegisterChecker.Result r = check();
      assertThat(r.complete()).as("round %d decided (%d steps)", round, r.steps()).isTrue();
      assertThat(r.linearizable()).as("round %d: %s", round, r.explanation()).isTrue();
      if (!reads.isEmpty()) {
        int victim = reads.get(random.nextInt(reads.size()));
        Op read = ops.get(victim);
        ops.set(victim, Op.of(read.id, Kind.READ, "k", null, Status.OK, "never-written", read.invokeNanos,
            read.completeNanos()));
        RegisterChecker.Result corrupted = check();
        assertThat(corrupted.linearizable()).as("round %d with read %d corrupted", round, victim).isFalse();
        caught++;
      }
    }
    assertThat(caught).isGreaterThan(150);
  }
}

package io.kaiware.it.history;

import io.kaiware.it.history.History.Kind;
import io.kaiware.it.history.History.Op;
import io.kaiware.it.history.History.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a history of operations on registers is linearizable: whether there is one order
 * of the operations, consistent with real time (an operation that completed before another was
 * invoked comes first), in which every read returns the value of the last write before it.
 *
 * <h2>The search</h2>
 * Linearizability is compositional (Herlihy and Wing): a history is linearizable iff the history
 * of every key is, so each key is checked alone. For one key this is the Wing-Gong algorithm with
 * Lowe's memoization, as in Porcupine and Knossos: the invocation and completion events form one
 * list in time order; the search walks it, and at an invocation tries to linearize that operation
 * now — allowed when the register's state admits its output — removing it and its completion from
 * the list; at a completion whose operation is not linearized yet it has gone too far and
 * backtracks. It succeeds when the list is empty. A configuration (the set of linearized
 * operations and the register's value) already seen is not explored twice, which bounds the work
 * by the history's concurrency rather than its length.
 *
 * <h2>Unknown outcomes</h2>
 * A {@link Status#FAIL} operation never took effect and is dropped. A {@link Status#INFO} one (a
 * timeout, a dropped connection, {@code -INDETERMINATE}) never completes: it may be linearized at
 * any point after its invocation — including after every other operation, which is the same as
 * never — and any output is admitted for it. A read with an unknown outcome constrains nothing
 * and is dropped. So is a write with an unknown outcome whose value no read or swap ever returned
 * (values are unique): if a linearization places it, nothing reads the register between it and the
 * next write, so the same order without it is a linearization too — and the search never has to
 * try it. This keeps the search small under faults, where many writes time out.
 */
public final class RegisterChecker {

  /** The verdict for a whole history. */
  public record Result(boolean linearizable, boolean complete, String failedKey, String explanation, long steps) {

    static Result ok(long steps) {
      return new Result(true, true, null, "", steps);
    }
  }

  private RegisterChecker() {}

  /**
   * Checks every key of {@code history}; each key's search explores at most {@code maxStepsPerKey}
   * steps (a key that needs more is reported as not decided: {@code complete} is false).
   */
  public static Result check(Map<String, List<Op>> history, long maxStepsPerKey) {
    long steps = 0;
    boolean complete = true;
    String undecided = null;
    for (Map.Entry<String, List<Op>> e : history.entrySet()) {
      KeyResult r = checkKey(e.getValue(), maxStepsPerKey);
      steps += r.steps;
      if (r.verdict == Verdict.NOT_LINEARIZABLE) {
        return new Result(false, true, e.getKey(), explain(e.getKey(), e.getValue(), r), steps);
      }
      if (r.verdict == Verdict.UNDECIDED) {
        complete = false;
        undecided = e.getKey();
      }
    }
    return complete ? Result.ok(steps)
        : new Result(true, false, undecided, "key " + undecided + " needed more than " + maxStepsPerKey + " steps", steps);
  }

  enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, UNDECIDED }

  /** One key's verdict; when not linearizable, the longest prefix the search could linearize. */
  record KeyResult(Verdict verdict, long steps, List<Op> longestPrefix, String stateAfterPrefix) {}

  /** One event of the search list: an invocation or a completion. Mutable links (dancing links). */
  private static final class Event {
    final int id;
    final Op op;
    final boolean invocation;
    final long timeNanos;
    Event match;
    Event prev;
    Event next;

    Event(int id, Op op, boolean invocation, long timeNanos) {
      this.id = id;
      this.op = op;
      this.invocation = invocation;
      this.timeNanos = timeNanos;
    }
  }

  private record Frame(Event invocation, String stateBefore) {}

  private record Seen(BitSet linearized, String state) {}

  /** Checks the operations of one key (any order). */
  static KeyResult checkKey(List<Op> keyOps, long maxSteps) {
    Set<String> observed = new HashSet<>();
    for (Op op : keyOps) {
      if (op.status() == Status.OK && op.kind != Kind.WRITE && op.output() != null) {
        observed.add(op.output());
      }
    }
    List<Op> ops = new ArrayList<>();
    for (Op op : keyOps) {
      if (op.status() == Status.FAIL || op.status() == Status.PENDING) {
        continue;
      }
      if (op.status() == Status.INFO && (op.kind == Kind.READ || !observed.contains(op.input))) {
        continue;
      }
      ops.add(op);
    }
    List<Event> events = new ArrayList<>(ops.size() * 2);
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      Event call = new Event(i, op, true, op.invokeNanos);
      Event ret = new Event(i, op, false, op.completeNanos());
      call.match = ret;
      events.add(call);
      events.add(ret);
    }
    // At equal times an invocation sorts first: the two operations then count as concurrent.
    events.sort(Comparator.comparingLong((Event e) -> e.timeNanos).thenComparing(e -> !e.invocation));
    Event head = new Event(-1, null, false, Long.MIN_VALUE);
    Event last = head;
    for (Event e : events) {
      last.next = e;
      e.prev = last;
      last = e;
    }

    BitSet linearized = new BitSet(ops.size());
    Set<Seen> seen = new HashSet<>();
    Deque<Frame> stack = new ArrayDeque<>();
    String state = null; // the key does not exist at the start
    int deepest = 0;
    List<Op> longest = List.of();
    String longestState = null;
    long steps = 0;
    Event entry = head.next;
    while (head.next != null) {
      if (++steps > maxSteps) {
        return new KeyResult(Verdict.UNDECIDED, steps, longest, longestState);
      }
      if (entry.invocation) {
        Op op = entry.op;
        if (admits(op, state)) {
          String after = op.kind == Kind.READ ? state : op.input;
          BitSet next = (BitSet) linearized.clone();
          next.set(entry.id);
          if (seen.add(new Seen(next, after))) {
            stack.push(new Frame(entry, state));
            state = after;
            linearized.set(entry.id);
            lift(entry);
            if (stack.size() > deepest) {
              deepest = stack.size();
              longest = prefix(stack);
              longestState = state;
            }
            entry = head.next;
            continue;
          }
        }
        entry = entry.next;
      } else {
        // A completion of an operation not linearized yet: every order tried from here fails.
        if (stack.isEmpty()) {
          return new KeyResult(Verdict.NOT_LINEARIZABLE, steps, longest, longestState);
        }
        Frame top = stack.pop();
        entry = top.invocation;
        state = top.stateBefore;
        linearized.clear(entry.id);
        unlift(entry);
        entry = entry.next;
      }
    }
    return new KeyResult(Verdict.LINEARIZABLE, steps, List.of(), null);
  }

  /** Whether {@code op} may take effect on a register holding {@code state}. */
  private static boolean admits(Op op, String state) {
    if (op.status() == Status.INFO) {
      return true; // its output is unknown (reads with unknown outcomes were dropped)
    }
    return switch (op.kind) {
      case READ, SWAP -> Objects.equals(op.output(), state);
      case WRITE -> true;
    };
  }

  private static void lift(Event call) {
    call.prev.next = call.next;
    call.next.prev = call.prev; // a call's completion is after it, so call.next exists
    Event ret = call.match;
    ret.prev.next = ret.next;
    if (ret.next != null) {
      ret.next.prev = ret.prev;
    }
  }

  private static void unlift(Event call) {
    Event ret = call.match;
    ret.prev.next = ret;
    if (ret.next != null) {
      ret.next.prev = ret;
    }
    call.prev.next = call;
    call.next.prev = call;
  }

  private static List<Op> prefix(Deque<Frame> stack) {
    List<Op> out = new ArrayList<>(stack.size());
    stack.descendingIterator().forEachRemaining(f -> out.add(f.invocation.op));
    return out;
  }

  private static String explain(String key, List<Op> ops, KeyResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append("key ").append(key).append(" is not linearizable (").append(r.steps).append(" search steps).\n");
    sb.append("The longest linearizable prefix found (").append(r.longestPrefix.size()).append(" operations) ends with value ")
        .append(r.stateAfterPrefix).append(":\n");
    List<Op> tail = r.longestPrefix.subList(Math.max(0, r.longestPrefix.size() - 8), r.longestPrefix.size());
    for (Op op : tail) {
      sb.append("  ").append(op).append('\n');
    }
    Set<Op> in = new HashSet<>(r.longestPrefix);
    long origin = ops.stream().mapToLong(o -> o.invokeNanos).min().orElse(0);
    List<Op> pending = ops.stream().filter(o -> !in.contains(o) && o.status() != Status.FAIL)
        .sorted(Comparator.comparingLong(o -> o.invokeNanos)).limit(12).toList();
    sb.append("None of these could come next (times in ms from the key's first operation):\n");
    for (Op op : pending) {
      sb.append("  [").append(ms(op.invokeNanos - origin)).append(", ")
          .append(op.completeNanos() == Long.MAX_VALUE ? "never" : ms(op.completeNanos() - origin)).append("] ")
          .append(op).append('\n');
    }
    return sb.toString();
  }

  private static String ms(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6);
  }

  /** The operations of a key in invocation order as lines, for a report file. */
  public static String describe(List<Op> ops) {
    long origin = ops.stream().mapToLong(o -> o.invokeNanos).min().orElse(0);
    StringBuilder sb = new StringBuilder();
    Op[] sorted = ops.toArray(new Op[0]);
    Arrays.sort(sorted, Comparator.comparingLong(o -> o.invokeNanos));
    for (Op op : sorted) {
      sb.append('[').append(ms(op.invokeNanos - origin)).append(", ")
          .append(op.completeNanos() == Long.MAX_VALUE ? "never" : ms(op.completeNanos() - origin)).append("] ")
          .append(op).append('\n');
    }
    return sb.toString();
  }
}

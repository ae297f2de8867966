package io.kaiware.it.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A concurrent history of operations on registers, as clients saw them: each operation's
 * invocation and completion times (one monotonic clock, {@link System#nanoTime}) and its outcome.
 * Thread-safe: client threads {@link #invoke} and complete operations concurrently.
 *
 * <p>Outcomes follow Jepsen's convention: {@link Status#OK} (the reply was received),
 * {@link Status#FAIL} (the operation certainly did not take effect: the server refused it before
 * it could, e.g. {@code -MOVED}), {@link Status#INFO} (unknown: a timeout, a dropped connection,
 * {@code -INDETERMINATE}; it may take effect at any time after its invocation, or never).
 */
public final class History {

  /** What an operation does to its key's register. */
  public enum Kind {
    /** {@code GET key}: output is the value (null when absent). */
    READ,
    /** {@code SET key value}: output is "OK". */
    WRITE,
    /** {@code SET key value GET}: writes, and its output is the value before (null when absent). */
    SWAP
  }

  /** How an operation ended. */
  public enum Status { PENDING, OK, FAIL, INFO }

  /** One operation; completed exactly once. */
  public static final class Op {
    public final long id;
    public final int process;
    public final Kind kind;
    public final String key;
    /** The value written (WRITE, SWAP), else null. */
    public final String input;
    public final long invokeNanos;
    private volatile long completeNanos = Long.MAX_VALUE;
    private volatile String output;
    private volatile Status status = Status.PENDING;
    private volatile String note;

    Op(long id, int process, Kind kind, String key, String input, long invokeNanos) {
      this.id = id;
      this.process = process;
      this.kind = kind;
      this.key = key;
      this.input = input;
      this.invokeNanos = invokeNanos;
    }

    /**
     * A completed operation with given times, for building histories by hand (tests of the
     * checker); an INFO operation's completion is ignored (it never completes).
     */
    public static Op of(long id, Kind kind, String key, String input, Status status, String output, long invokeNanos,
        long completeNanos) {
      Op op = new Op(id, (int) id, kind, key, input, invokeNanos);
      op.status = status;
      op.output = output;
      op.completeNanos = status == Status.INFO ? Long.MAX_VALUE : completeNanos;
      op.note = status == Status.OK ? null : "given";
      return op;
    }

    public long completeNanos() {
      return completeNanos;
    }

    public String output() {
      return output;
    }

    public Status status() {
      return status;
    }

    /** What the client saw when it failed (an error reply or exception), for reports. */
    public String note() {
      return note;
    }

    @Override
    public String toString() {
      String what = switch (kind) {
        case READ -> "read";
        case WRITE -> "write " + input;
        case SWAP -> "swap " + input;
      };
      String result = switch (status) {
        case OK -> kind == Kind.WRITE ? "ok" : "ok -> " + output;
        case FAIL -> "FAIL (" + note + ")";
        case INFO -> "INFO (" + note + ")";
        case PENDING -> "pending";
      };
      return "p" + process + " " + key + " " + what + ": " + result;
    }
  }

  private final AtomicLong ids = new AtomicLong();
  private final List<Op> ops = new ArrayList<>();
  private final long originNanos = System.nanoTime();

  /** Records that {@code process} invokes an operation now. */
  public Op invoke(int process, Kind kind, String key, String input) {
    Op op = new Op(ids.getAndIncrement(), process, kind, key, input, System.nanoTime());
    synchronized (ops) {
      ops.add(op);
    }
    return op;
  }

  /** The reply arrived: {@code output} is the value read, or "OK" for a write. */
  public void ok(Op op, String output) {
    complete(op, Status.OK, output, null);
  }

  /** The operation certainly did not take effect. */
  public void fail(Op op, String why) {
    complete(op, Status.FAIL, null, why);
  }

  /** The outcome is unknown: the operation may take effect at any time after its invocation, or never. */
  public void info(Op op, String why) {
    complete(op, Status.INFO, null, why);
  }

  private static void complete(Op op, Status status, String output, String note) {
    if (op.status != Status.PENDING) {
      throw new IllegalStateException("completed twice: " + op);
    }
    op.completeNanos = status == Status.INFO ? Long.MAX_VALUE : System.nanoTime();
    op.output = output;
    op.note = note;
    op.status = status;
  }

  /** Every operation, in invocation order; still-pending ones count as {@link Status#INFO}. */
  public List<Op> operations() {
    List<Op> copy;
    synchronized (ops) {
      copy = new ArrayList<>(ops);
    }
    for (Op op : copy) {
      if (op.status == Status.PENDING) {
        info(op, "no reply before the end of the test");
      }
    }
    copy.sort(Comparator.comparingLong((Op o) -> o.invokeNanos).thenComparingLong(o -> o.id));
    return copy;
  }

  /** The operations grouped by key (each in invocation order). */
  public Map<String, List<Op>> byKey() {
    Map<String, List<Op>> out = new TreeMap<>();
    for (Op op : operations()) {
      out.computeIfAbsent(op.key, k -> new ArrayList<>()).add(op);
    }
    return out;
  }

  /** Milliseconds from this history's creation to {@code nanos}, for reports. */
  public double millis(long nanos) {
    return nanos == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : (nanos - originNanos) / 1e6;
  }

  /** Counts by status: "ok=…, fail=…, info=…". */
  public String summary() {
    int ok = 0;
    int fail = 0;
    int info = 0;
    for (Op op : operations()) {
      switch (op.status) {
        case OK -> ok++;
        case FAIL -> fail++;
        default -> info++;
      }
    }
    return "ok=" + ok + ", fail=" + fail + ", info=" + info;
  }
}

package io.kaiware.command;

/**
 * maxmemory with Redis's default policy, noeviction: above the limit, commands that may grow memory
 * are refused with {@link #OOM}; nothing is evicted. The memory compared is the JVM heap in use
 * (what INFO's {@code used_memory} reports), which includes garbage not yet collected: set the limit
 * with headroom below {@code -Xmx}, and expect a refusal to clear after the next GC cycle.
 *
 * <p>This is an admission check on the node that accepts a client's command, never part of applying
 * the log: replicas must apply an entry whatever their own memory (ADR 0003). {@link #refusal}
 * discards a transaction whose EXEC it refuses, as Redis's EXECABORT does.
 */
public final class MemoryLimit {

  public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

  private volatile long maxBytes;

  void configure(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Whether a limit is set (maxmemory > 0). */
  public boolean enabled() {
    return maxBytes > 0;
  }

  /**
   * Redis's maxmemory admission (processCommand, noeviction) for {@code spec} from a client whose
   * transaction is {@code tx}: null when it may run, else the error to answer. Above the limit a
   * command that may grow memory is refused; inside MULTI every command but EXEC, DISCARD, QUIT and
   * RESET is (the queue itself grows); EXEC of a block holding such a command is refused with
   * EXECABORT, and the caller then discards the transaction.
   */
  public String refusal(CommandSpec spec, io.kaiware.command.transaction.Transaction tx) {
    if (maxBytes <= 0) {
      return null;
    }
    String name = spec.name();
    boolean exec = tx.active() && name.equals("exec");
    boolean mayGrow = spec.has(CommandFlag.DENYOOM);
    if (exec) {
      for (io.kaiware.command.transaction.Transaction.Queued q : tx.queued()) {
        mayGrow |= q.spec().has(CommandFlag.DENYOOM);
      }
    } else if (tx.active() && !name.equals("discard") && !name.equals("quit") && !name.equals("reset")) {
      mayGrow = true;
    }
    if (!mayGrow || !exceeded()) {
      return null;
    }
    if (exec) {
      tx.discard();
      return "EXECABORT Transaction discarded because of: " + OOM;
    }
    return OOM;
  }

  /** Whether the heap in use is above the limit (always false without one). */
  public boolean exceeded() {
    long limit = maxBytes;
    if (limit <= 0) {
      return false;
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory() > limit;
  }
}

package io.kaiware.server;

import io.kaiware.command.ClientSession;
import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandTable;
import io.kaiware.command.Dispatcher;
import io.kaiware.command.ServerHooks;
import io.kaiware.engine.Keyspace;
import io.kaiware.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * The single-threaded command executor: the keyspace, the dispatcher and one reusable reply
 * writer. Every method runs on the engine thread (see ADR 0002); the command time is passed in by
 * the caller, which reads the clock once per batch.
 */
final class Engine {

  /** Slots each active-expiry round visits per database before checking whether to go on. */
  static final int ACTIVE_EXPIRE_SLOTS_PER_ROUND = 16_384;
  /** CPU budget of one active-expiry tick: Redis's 25% of a 1/hz tick, capped at 25 ms. */
  static final long ACTIVE_EXPIRE_BUDGET_NS = 25_000_000L;

  private final Keyspace keyspace;
  private final Dispatcher dispatcher;
  private final RespWriter writer = new RespWriter();
  /**
   * The writer of a command run while a script is running: a client served from inside a busy
   * script (BUSY, SCRIPT KILL, MULTI ...). The script's own reply is still to be written with
   * {@link #writer}, which must keep its target.
   */
  private final RespWriter servedWhileBusy = new RespWriter();

  Engine(Keyspace keyspace, CommandTable table, ServerHooks hooks) {
    this.keyspace = keyspace;
    this.dispatcher = new Dispatcher(table, new CommandContext(keyspace, hooks, table));
  }

  /**
   * Executes {@code commands} in order for one client, appending every reply to {@code out}. Stops
   * after a command that asks to close the connection (QUIT, SHUTDOWN, CLIENT KILL of itself).
   */
  void execute(ClientSession session, List<byte[][]> commands, ByteBuf out, long nowMs) {
    long startNs = System.nanoTime();
    int n = commands.size();
    for (int i = 0; i < n; i++) {
      execute(session, commands.get(i), out, nowMs);
      if (session.closeAfterReply()) {
        break;
      }
    }
    long tookNs = System.nanoTime() - startNs;
    if (dispatcher.writeDelays().isDelayed(tookNs)) {
      dispatcher.writeDelays().report("apply", tookNs, n, requestBytes(commands), nowMs);
    }
  }

  /** The arguments' bytes of a batch (only computed for a delayed batch). */
  private static long requestBytes(List<byte[][]> commands) {
    long bytes = 0;
    for (byte[][] command : commands) {
      for (byte[] arg : command) {
        bytes += arg.length;
      }
    }
    return bytes;
  }

  void execute(ClientSession session, byte[][] command, ByteBuf out, long nowMs) {
    RespWriter w = dispatcher.scriptRunning() ? servedWhileBusy : writer;
    dispatcher.execute(session, command, w.target(out, session.protocol()), nowMs);
  }

  /**
   * One active-expiry tick: sweeps rounds of slots while a round finds more than 10% of its keys
   * expired (Redis's rule) and the time budget lasts.
   */
  void activeExpire(long nowMs) {
    long startNs = System.nanoTime();
    long deadlineNs = startNs + ACTIVE_EXPIRE_BUDGET_NS;
    for (;;) {
      int removed = keyspace.activeExpireCycle(nowMs, ACTIVE_EXPIRE_SLOTS_PER_ROUND);
      if (removed < ACTIVE_EXPIRE_SLOTS_PER_ROUND / 10 / 4 || System.nanoTime() > deadlineNs) {
        break;
      }
    }
    // Redis's "expire-cycle" latency event: a tick that held the engine long enough to notice.
    long tookMs = (System.nanoTime() - startNs) / 1_000_000;
    if (dispatcher.latencyMonitor().wouldRecord(tookMs)) {
      dispatcher.latencyMonitor().maybeRecord("expire-cycle", tookMs, nowMs);
    }
  }

  Keyspace keyspace() {
    return keyspace;
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }
}

package io.kaiware.command.transaction;

import static io.kaiware.command.CommandFlag.ALLOW_BUSY;
import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.LOADING;
import static io.kaiware.command.CommandFlag.NOSCRIPT;
import static io.kaiware.command.CommandFlag.SKIP_SLOWLOG;
import static io.kaiware.command.CommandFlag.STALE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.ClientSession;
import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.resp.RespWriter;
import java.util.List;
import java.util.Set;

/** MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis's multi.c). See {@link Transaction} for the design. */
public final class TransactionCommands {
  private TransactionCommands() {}

  /** Commands that run at once inside MULTI instead of being queued (Redis's processCommand). */
  public static final Set<String> NOT_QUEUED = Set.of("exec", "discard", "multi", "watch", "quit", "reset");

  static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";

  /** Watches registered before WATCH first purges those of departed clients. */
  private static final int PURGE_THRESHOLD = 1024;

  public static List<CommandSpec> specs() {
    return List.of(
        command("multi").arity(1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).group("transactions").since("1.2.0")
            .summary("Starts a transaction.").handler(TransactionCommands::multi).build(),
        command("exec").arity(1).flags(NOSCRIPT, LOADING, STALE, SKIP_SLOWLOG).group("transactions").since("1.2.0")
            .complexity("Depends on commands in the transaction")
            .summary("Executes all commands in a transaction.").handler(TransactionCommands::exec).build(),
        command("discard").arity(1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).group("transactions").since("2.0.0")
            .complexity("O(N), when N is the number of queued commands")
            .summary("Discards a transaction.").handler(TransactionCommands::discard).build(),
        command("watch").arity(-2).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).keys(1, -1, 1).group("transactions")
            .since("2.2.0").complexity("O(1) for every key.")
            .summary("Monitors changes to keys to determine the execution of a transaction.")
            .handler(TransactionCommands::watch).build(),
        command("unwatch").arity(1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).group("transactions").since("2.2.0")
            .summary("Forgets about watched keys of a transaction.").handler(TransactionCommands::unwatch).build());
  }

  private static void multi(CommandContext ctx) {
    Transaction tx = ctx.session().transaction();
    if (tx.active()) {
      throw new CommandError("ERR MULTI calls can not be nested");
    }
    tx.begin();
    ctx.reply().ok();
  }

  private static void discard(CommandContext ctx) {
    Transaction tx = ctx.session().transaction();
    if (!tx.active()) {
      throw new CommandError("ERR DISCARD without MULTI");
    }
    tx.discard();
    ctx.reply().ok();
  }

  private static void exec(CommandContext ctx) {
    ClientSession session = ctx.session();
    Transaction tx = session.transaction();
    if (!tx.active()) {
      throw new CommandError("ERR EXEC without MULTI");
    }
    long nowMs = ctx.nowMs();
    RespWriter out = ctx.reply();
    if (tx.aborted()) {
      tx.discard();
      throw new CommandError(EXECABORT);
    }
    if (tx.watchedKeyChanged(nowMs)) {
      tx.discard();
      out.nullArray();
      return;
    }
    List<Transaction.Queued> queued = tx.takeQueue();
    ctx.propagation().prevent(); // EXEC itself is never replicated: its commands are, wrapped
    out.arrayHeader(queued.size());
    for (Transaction.Queued q : queued) {
      // Rebinds the shared context: nothing of EXEC's own context may be read after this loop.
      ctx.dispatcher().executeQueued(session, q.spec(), q.args(), out, nowMs);
    }
  }

  private static void watch(CommandContext ctx) {
    Transaction tx = ctx.session().transaction();
    if (tx.active()) {
      throw new CommandError("ERR WATCH inside MULTI is not allowed");
    }
    purgeDepartedWatchers(ctx);
    for (int i = 1; i < ctx.argc(); i++) {
      tx.watch(ctx.db(), ctx.arg(i), ctx.session(), ctx.nowMs());
    }
    ctx.reply().ok();
  }

  /**
   * Bounds the watches left behind by clients that disconnected while watching: watches hold their
   * client weakly, and once the registry has doubled since the last purge, those whose client was
   * collected are dropped (amortised O(1) per WATCH).
   */
  private static void purgeDepartedWatchers(CommandContext ctx) {
    int registered = ctx.keyspace().watchCount();
    if (registered < Math.max(PURGE_THRESHOLD, ctx.keyspace().watchPurgeThreshold())) {
      return;
    }
    ctx.keyspace().purgeWatches();
    ctx.keyspace().watchPurgeThreshold(2 * ctx.keyspace().watchCount());
  }

  private static void unwatch(CommandContext ctx) {
    ctx.session().transaction().unwatchAll();
    ctx.reply().ok();
  }
}

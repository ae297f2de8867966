package io.kaiware.command.replication;

import static io.kaiware.command.CommandFlag.NOSCRIPT;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.Numbers;
import io.kaiware.resp.RespWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * WAIT numreplicas timeout: how many replicas hold every write this connection had acknowledged.
 *
 * <p>In Redis a replica acknowledges replication offsets; here a member holds a write once its
 * Raft match index reaches the write's log index. A write is acknowledged only after it committed,
 * and WAIT runs after the connection's earlier commands were answered, so the leader's commit
 * index when WAIT runs covers every write of this connection: WAIT counts the followers and
 * listeners whose match index has reached it (at least a majority minus the leader already has).
 * When fewer than {@code numreplicas} have, the reply waits — the connection's later commands
 * behind it, as a blocked client's in Redis — until enough have or {@code timeout} ms pass (0:
 * forever), then answers the count. Clients such as Redisson send it after a lock's script when
 * the server has replicas.
 *
 * <p>As in Redis: a replica (a follower here) refuses WAIT; inside MULTI ... EXEC it answers the
 * count at once; a one-member group counts 0 (and waits out the timeout when asked for more). In
 * non-durable cache mode, which has no replicas and no Raft, WAIT answers 0 at once.
 */
public final class WaitCommand {
  private WaitCommand() {}

  /** How often a waiting WAIT looks at the followers' match indexes. */
  static final long POLL_MS = 2;

  private static final ScheduledExecutorService POLLER = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("kaiware-wait").factory());

  static CommandSpec spec() {
    return command("wait").arity(3).flags(NOSCRIPT).group("generic").since("3.0.0").complexity("O(1)")
        .summary("Blocks until the Raft followers hold every write of this connection, or the timeout (ms) passes; returns how many do.")
        .handler(WaitCommand::waitForReplicas).build();
  }

  private static void waitForReplicas(CommandContext ctx) {
    ReplicationView view = ctx.server() == null ? null : ctx.server().replication();
    if (view != null && !view.isReadyLeader()) {
      throw new CommandError("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a "
          + "replica is configured to be writable (which is not the default) writes to replicas are just local and are not "
          + "propagated.");
    }
    long numReplicas = ctx.longArg(1);
    long timeoutMs = Numbers.parseLong(ctx.arg(2));
    if (timeoutMs == Numbers.NOT_A_LONG && !Numbers.isMinLong(ctx.arg(2))) {
      throw new CommandError("ERR timeout is not an integer or out of range");
    }
    if (timeoutMs < 0) {
      throw new CommandError("ERR timeout is negative");
    }
    long target = view == null ? 0 : view.commitIndex();
    int acked = holding(view, target);
    // Without Raft (non-durable cache mode) there are no replicas and no deferred replies: 0 now,
    // where Redis would wait out the timeout first.
    if (acked >= numReplicas || view == null || ctx.session().executingQueued() || ctx.session().logApplier()) {
      ctx.reply().integer(acked);
      return;
    }
    CompletableFuture<Consumer<RespWriter>> reply = new CompletableFuture<>();
    long deadlineNanos = timeoutMs == 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    ScheduledFuture<?> poll = POLLER.scheduleWithFixedDelay(() -> {
      int now = holding(view, target);
      if (now >= numReplicas || System.nanoTime() - deadlineNanos >= 0) {
        reply.complete(w -> w.integer(now));
      }
    }, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    reply.whenComplete((w, e) -> poll.cancel(false));
    ctx.session().deferReply(reply);
  }

  /** Members other than the leader whose match index reached {@code index}. */
  private static int holding(ReplicationView view, long index) {
    if (view == null) {
      return 0;
    }
    int n = 0;
    for (long match : view.followerMatchIndexes().values()) {
      if (match >= index) {
        n++;
      }
    }
    return n;
  }
}

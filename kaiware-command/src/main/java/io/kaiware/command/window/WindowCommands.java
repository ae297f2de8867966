package io.kaiware.command.window;

import static io.kaiware.command.CommandFlag.DENYOOM;
import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.TypedKeys;
import io.kaiware.engine.KeyTable;
import io.kaiware.engine.WindowCounter;
import java.util.List;

/**
 * Sliding-window counters (docs/commands/window.md): WINDOW.INCRBY, WINDOW.COUNT, WINDOW.ALLOW.
 * Writes create the counter when given WINDOW (and optionally PRECISION), so a rate limiter is one
 * command. Every time is the command time ({@link CommandContext#nowMs()}).
 */
public final class WindowCommands {
  private WindowCommands() {}

  public static List<CommandSpec> specs() {
    String slots = "O(S) with S = WINDOW / PRECISION, the sub-buckets (60 by default)";
    return List.of(
        command("window.incrby").arity(-3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("window").since("0.1.0")
            .complexity(slots)
            .summary("Adds to a sliding-window counter (creating it with WINDOW ms [PRECISION ms]); returns the count over the window.")
            .handler(WindowCommands::incrby).build(),
        command("window.count").arity(-2).flags(READONLY, FAST).keys(1, 1, 1).group("window").since("0.1.0")
            .complexity(slots)
            .summary("Returns a sliding-window counter's count over its window or the last ms.")
            .handler(WindowCommands::count).build(),
        command("window.allow").arity(-3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("window").since("0.1.0")
            .complexity(slots)
            .summary("Rate limiting: adds COST (default 1) if the count stays within the limit; returns allowed (1/0), the count and the ms until a request of that cost fits.")
            .handler(WindowCommands::allow).build());
  }

  /** The counter at key {@code argument 1}, created from WINDOW/PRECISION when missing; its slot. */
  private static int counter(CommandContext ctx, long windowMs, long precisionMs) {
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), WindowCounter.class);
    if (slot >= 0) {
      WindowCounter c = TypedKeys.valueAt(ctx, slot);
      if ((windowMs > 0 && windowMs != c.windowMs()) || (precisionMs > 0 && precisionMs != c.precisionMs())) {
        throw new CommandError("ERR the counter exists with WINDOW " + c.windowMs() + " PRECISION " + c.precisionMs());
      }
      return slot;
    }
    if (windowMs <= 0) {
      throw new CommandError("ERR no such key; give WINDOW ms to create the counter");
    }
    long precision = precisionMs > 0 ? precisionMs : WindowCounter.defaultPrecision(windowMs);
    String invalid = WindowCounter.validate(windowMs, precision);
    if (invalid != null) {
      throw new CommandError("ERR " + invalid);
    }
    return ctx.db().table().put(ctx.arg(1), new WindowCounter(windowMs, precision), KeyTable.NO_EXPIRY);
  }

  /** Options from {@code from}: WINDOW ms, PRECISION ms, and (for ALLOW) COST n: {window, precision, cost}. */
  private static long[] options(CommandContext ctx, int from, boolean cost) {
    long[] o = {0, 0, 1};
    for (int i = from; i < ctx.argc(); i += 2) {
      if (i + 1 >= ctx.argc()) {
        throw new CommandError(CommandError.SYNTAX);
      }
      if (ctx.argIs(i, "WINDOW")) {
        o[0] = RankingCommands.positiveMs(ctx, i + 1, "WINDOW");
      } else if (ctx.argIs(i, "PRECISION")) {
        o[1] = RankingCommands.positiveMs(ctx, i + 1, "PRECISION");
      } else if (cost && ctx.argIs(i, "COST")) {
        o[2] = nonNegative(ctx, i + 1, "COST");
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    return o;
  }

  private static long nonNegative(CommandContext ctx, int index, String what) {
    long v = ctx.longArg(index);
    if (v < 0) {
      throw new CommandError("ERR " + what + " must not be negative");
    }
    return v;
  }

  /** WINDOW.INCRBY key increment [WINDOW ms] [PRECISION ms] */
  private static void incrby(CommandContext ctx) {
    long increment = nonNegative(ctx, 2, "increment");
    long[] o = options(ctx, 3, false);
    int slot = counter(ctx, o[0], o[1]);
    WindowCounter c = TypedKeys.valueAt(ctx, slot);
    long count = c.incrBy(increment, ctx.nowMs());
    if (count < 0) {
      throw new CommandError("ERR increment or decrement would overflow");
    }
    ctx.db().table().touch(slot);
    ctx.reply().integer(count);
  }

  /** WINDOW.COUNT key [LAST ms] */
  private static void count(CommandContext ctx) {
    long last = Long.MAX_VALUE;
    if (ctx.argc() == 4 && ctx.argIs(2, "LAST")) {
      last = RankingCommands.positiveMs(ctx, 3, "LAST");
    } else if (ctx.argc() != 2) {
      throw new CommandError(CommandError.SYNTAX);
    }
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), WindowCounter.class);
    if (slot < 0) {
      ctx.reply().integer(0);
      return;
    }
    WindowCounter c = TypedKeys.valueAt(ctx, slot);
    if (last != Long.MAX_VALUE && last > c.windowMs()) {
      throw new CommandError("ERR LAST is longer than the counter's window (" + c.windowMs() + " ms)");
    }
    ctx.reply().integer(c.count(last, ctx.nowMs()));
  }

  /** WINDOW.ALLOW key limit [COST n] [WINDOW ms] [PRECISION ms] -> [allowed, count, retry-after ms] */
  private static void allow(CommandContext ctx) {
    long limit = nonNegative(ctx, 2, "limit");
    long[] o = options(ctx, 3, true);
    long cost = o[2];
    boolean existed = ctx.db().lookup(ctx.arg(1), ctx.nowMs()) >= 0;
    int slot = counter(ctx, o[0], o[1]);
    WindowCounter c = TypedKeys.valueAt(ctx, slot);
    long now = ctx.nowMs();
    long count = c.count(now);
    boolean allowed = count <= limit - cost;
    if (allowed) {
      count = c.incrBy(cost, now);
    }
    if (!existed || (allowed && cost > 0)) {
      ctx.db().table().touch(slot); // a denied request changes nothing (WATCH stays clean)
    }
    long retry = c.msUntilRoom(limit, cost, now);
    ctx.reply().arrayHeader(3);
    ctx.reply().integer(allowed ? 1 : 0);
    ctx.reply().integer(count);
    ctx.reply().integer(retry);
  }
}

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
import io.kaiware.engine.Ranking;
import io.kaiware.resp.RespWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Rankings over time windows (docs/commands/ranking.md): RANKING.CREATE, RANKING.INCRBY,
 * RANKING.TOP, RANKING.RANK, RANKING.INFO. Every time is the command time ({@link
 * CommandContext#nowMs()}), the Raft log time in a cluster, so replicas bucket and window alike.
 */
public final class RankingCommands {
  private RankingCommands() {}

  static final String NO_SUCH_KEY = "ERR no such key";
  static final String OUT_OF_RANGE = "ERR ranking score would exceed 2^53 in absolute value";

  public static List<CommandSpec> specs() {
    return List.of(
        command("ranking.create").arity(-4).flags(WRITE, DENYOOM).keys(1, 1, 1).group("ranking").since("0.1.0")
            .complexity("O(1)")
            .summary("Creates a ranking with time buckets of BUCKET ms, kept for RETENTION ms, named sliding windows and named periods.")
            .handler(RankingCommands::create).build(),
        command("ranking.incrby").arity(4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("ranking").since("0.1.0")
            .complexity("O((W+1)*log(N)) with W the number of named windows and N the members of the ranking.")
            .summary("Adds an integer to a member's score in the current time bucket; returns its all-time score.")
            .handler(RankingCommands::incrby).build(),
        command("ranking.top").arity(-3).flags(READONLY).keys(1, 1, 1).group("ranking").since("0.1.0")
            .complexity("O(log(N)+M) for ALL and named windows, M the entries returned; LAST ms over other spans "
                + "merges the buckets' skip lists with the threshold algorithm (O(B*E*log) for the E entries read "
                + "per bucket, B buckets; E is small on skewed scores, at worst every entry).")
            .summary("Returns the top members (rank, member, score) over all time, a named window or the last ms.")
            .handler(RankingCommands::top).build(),
        command("ranking.rank").arity(-3).flags(READONLY).keys(1, 1, 1).group("ranking").since("0.1.0")
            .complexity("O(log(N)) for ALL and named windows; a threshold-algorithm merge for other spans.")
            .summary("Returns a member's rank (0 = best) and score over all time, a named window or the last ms.")
            .handler(RankingCommands::rank).build(),
        command("ranking.info").arity(2).flags(READONLY, FAST).keys(1, 1, 1).group("ranking").since("0.1.0")
            .complexity("O(B) with B the buckets held")
            .summary("Returns a ranking's configuration and size.").handler(RankingCommands::info).build());
  }

  /** A duration argument in ms: a positive integer. */
  static long positiveMs(CommandContext ctx, int index, String what) {
    long v = ctx.longArg(index);
    if (v <= 0) {
      throw new CommandError("ERR " + what + " must be a positive number of milliseconds");
    }
    return v;
  }

  /** RANKING.CREATE key BUCKET ms [RETENTION ms] [WINDOW name ms ...] [PERIOD name ms ...] */
  private static void create(CommandContext ctx) {
    long bucket = -1;
    long retention = 0;
    List<byte[]> names = new ArrayList<>();
    List<Long> lengths = new ArrayList<>();
    List<Boolean> periods = new ArrayList<>();
    for (int i = 2; i < ctx.argc(); i++) {
      boolean more = i + 1 < ctx.argc();
      if (ctx.argIs(i, "BUCKET") && more) {
        bucket = positiveMs(ctx, ++i, "BUCKET");
      } else if (ctx.argIs(i, "RETENTION") && more) {
        retention = positiveMs(ctx, ++i, "RETENTION");
      } else if ((ctx.argIs(i, "WINDOW") || ctx.argIs(i, "PERIOD")) && i + 2 < ctx.argc()) {
        boolean period = ctx.argIs(i, "PERIOD");
        periods.add(period);
        names.add(ctx.arg(++i));
        lengths.add(positiveMs(ctx, ++i, period ? "PERIOD" : "WINDOW"));
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    if (bucket < 0) {
      throw new CommandError("ERR BUCKET is required");
    }
    byte[][] nameArray = names.toArray(new byte[0][]);
    long[] lengthArray = lengths.stream().mapToLong(Long::longValue).toArray();
    boolean[] periodArray = new boolean[periods.size()];
    for (int i = 0; i < periodArray.length; i++) {
      periodArray[i] = periods.get(i);
    }
    String invalid = Ranking.validate(bucket, retention, nameArray, lengthArray, periodArray);
    if (invalid != null) {
      throw new CommandError("ERR " + invalid);
    }
    if (ctx.db().lookup(ctx.arg(1), ctx.nowMs()) >= 0) {
      throw new CommandError("ERR key already exists");
    }
    ctx.db().table().put(ctx.arg(1), new Ranking(bucket, retention, nameArray, lengthArray, periodArray),
        KeyTable.NO_EXPIRY);
    ctx.reply().ok();
  }

  /** RANKING.INCRBY key increment member */
  private static void incrby(CommandContext ctx) {
    long increment = ctx.longArg(2);
    if (Math.abs(increment) > Ranking.MAX_ABS_SCORE) {
      throw new CommandError(OUT_OF_RANGE);
    }
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), Ranking.class);
    if (slot < 0) {
      throw new CommandError(NO_SUCH_KEY);
    }
    Ranking ranking = TypedKeys.valueAt(ctx, slot);
    long total = ranking.incrBy(ctx.arg(3), increment, ctx.nowMs());
    if (total == Ranking.OUT_OF_RANGE) {
      throw new CommandError(OUT_OF_RANGE);
    }
    ctx.db().table().touch(slot);
    ctx.reply().integer(total);
  }

  /** Parses an optional span at {@code i}: ALL | LAST ms | WINDOW name; returns the next index. */
  private static int span(CommandContext ctx, int i, Ranking ranking, Ranking.Span[] out) {
    if (ctx.argIs(i, "ALL")) {
      out[0] = new Ranking.AllTime();
      return i + 1;
    }
    if (ctx.argIs(i, "LAST") && i + 1 < ctx.argc()) {
      out[0] = new Ranking.Last(positiveMs(ctx, i + 1, "LAST"));
      return i + 2;
    }
    if (ctx.argIs(i, "WINDOW") && i + 1 < ctx.argc()) {
      if (ranking == null) {
        out[0] = new Ranking.AllTime(); // the key is missing: any name gives an empty answer
      } else {
        int w = ranking.window(ctx.arg(i + 1));
        if (w < 0) {
          throw new CommandError("ERR no such window");
        }
        out[0] = new Ranking.Named(w);
      }
      return i + 2;
    }
    throw new CommandError(CommandError.SYNTAX);
  }

  private static Ranking readRanking(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), Ranking.class);
    return slot < 0 ? null : TypedKeys.valueAt(ctx, slot);
  }

  private static void checkLast(Ranking ranking, Ranking.Span span) {
    if (ranking != null && span instanceof Ranking.Last last && last.ms() > ranking.retentionMs()) {
      throw new CommandError("ERR LAST is longer than the ranking's retention (" + ranking.retentionMs() + " ms)");
    }
  }

  /** RANKING.TOP key count [OFFSET offset] [ALL | LAST ms | WINDOW name] */
  private static void top(CommandContext ctx) {
    long count = ctx.longArg(2);
    if (count < 0) {
      throw new CommandError("ERR count must not be negative");
    }
    Ranking ranking = readRanking(ctx);
    long offset = 0;
    Ranking.Span[] span = {new Ranking.AllTime()};
    boolean spanSeen = false;
    for (int i = 3; i < ctx.argc(); ) {
      if (ctx.argIs(i, "OFFSET") && i + 1 < ctx.argc()) {
        offset = ctx.longArg(i + 1);
        if (offset < 0) {
          throw new CommandError("ERR OFFSET must not be negative");
        }
        i += 2;
      } else if (!spanSeen) {
        i = span(ctx, i, ranking, span);
        spanSeen = true;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    checkLast(ranking, span[0]);
    RespWriter reply = ctx.reply();
    if (ranking == null) {
      reply.arrayHeader(0);
      return;
    }
    count = Math.min(count, Integer.MAX_VALUE);
    offset = Math.min(offset, Integer.MAX_VALUE);
    List<Ranking.Entry> entries = ranking.top(span[0], offset, count, ctx.nowMs());
    reply.arrayHeader(entries.size());
    long rank = offset;
    for (Ranking.Entry e : entries) {
      reply.arrayHeader(3);
      reply.integer(rank++);
      reply.bulk(e.member());
      reply.integer(e.score());
    }
  }

  /** RANKING.RANK key member [ALL | LAST ms | WINDOW name] */
  private static void rank(CommandContext ctx) {
    Ranking ranking = readRanking(ctx);
    Ranking.Span[] span = {new Ranking.AllTime()};
    if (ctx.argc() > 3 && span(ctx, 3, ranking, span) != ctx.argc()) {
      throw new CommandError(CommandError.SYNTAX);
    }
    checkLast(ranking, span[0]);
    Ranking.Ranked ranked = ranking == null ? null : ranking.rank(ctx.arg(2), span[0], ctx.nowMs());
    if (ranked == null) {
      ctx.reply().nullBulk();
      return;
    }
    ctx.reply().arrayHeader(2);
    ctx.reply().integer(ranked.rank());
    ctx.reply().integer(ranked.score());
  }

  /** RANKING.INFO key: bucket, retention, windows, buckets, members. */
  private static void info(CommandContext ctx) {
    Ranking ranking = readRanking(ctx);
    if (ranking == null) {
      throw new CommandError(NO_SUCH_KEY);
    }
    RespWriter reply = ctx.reply();
    if (reply.isResp3()) {
      reply.mapHeader(5);
    } else {
      reply.arrayHeader(10);
    }
    reply.bulk("bucket");
    reply.integer(ranking.bucketMs());
    reply.bulk("retention");
    reply.integer(ranking.retentionMs());
    reply.bulk("windows");
    reply.arrayHeader(ranking.windowCount());
    for (int w = 0; w < ranking.windowCount(); w++) {
      reply.arrayHeader(3);
      reply.bulk(ranking.windowName(w));
      reply.integer(ranking.windowMs(w));
      reply.bulk(ranking.periodic(w) ? "period" : "sliding");
    }
    reply.bulk("buckets");
    reply.integer(ranking.bucketCount(ctx.nowMs()));
    reply.bulk("members");
    reply.integer(ranking.allTimeSize());
  }
}

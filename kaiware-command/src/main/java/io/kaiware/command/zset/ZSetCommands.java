package io.kaiware.command.zset;

import static io.kaiware.command.CommandFlag.BLOCKING;
import static io.kaiware.command.CommandFlag.DENYOOM;
import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.NOSCRIPT;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.Blocking;
import io.kaiware.command.CommandContext;
import io.kaiware.command.KeyspaceEvents;
import io.kaiware.command.CommandError;
import io.kaiware.command.MultiPop;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.Numbers;
import io.kaiware.command.ElementScan;
import io.kaiware.command.GetKeys;
import io.kaiware.command.KeySpec;
import io.kaiware.command.TypedKeys;
import io.kaiware.command.hash.HashCommands;
import io.kaiware.engine.KeyTable;
import io.kaiware.engine.Scores;
import io.kaiware.engine.SetValue;
import io.kaiware.engine.SortedSet;
import io.kaiware.engine.SortedSet.LexBound;
import io.kaiware.engine.SortedSet.LexRange;
import io.kaiware.engine.SortedSet.Node;
import io.kaiware.engine.SortedSet.Range;
import io.kaiware.engine.SortedSet.ScoreRange;
import io.kaiware.resp.RespWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sorted-set family (Redis's t_zset.c): replies and error texts as Redis 7.0, in RESP2 and
 * RESP3 (scores are doubles in RESP3; WITHSCORES replies are [member, score] pairs in RESP3).
 * Scores print with {@code %.17g} as Redis 7.0 does ({@link Scores}). BZPOPMIN, BZPOPMAX and BZMPOP
 * run as Redis runs them inside MULTI: pop if a key has members, else the timeout reply; the server
 * parks the client and retries ({@link Blocking}).
 */
public final class ZSetCommands {
  private ZSetCommands() {}

  static final String NOT_A_FLOAT_RANGE = "ERR min or max is not a float";
  static final String NOT_A_LEX_RANGE = "ERR min or max not valid string range item";
  static final String NAN_SCORE = "ERR resulting score is not a number (NaN)";
  static final String NOT_POSITIVE = "ERR value is out of range, must be positive";

  enum RangeType { AUTO, RANK, SCORE, LEX }

  enum Aggregate { SUM, MIN, MAX }

  enum SetOp { UNION, INTER, DIFF }

  public static List<CommandSpec> specs() {
    String logN = "O(log(N)) where N is the number of elements in the sorted set.";
    String rangeN = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.";
    return List.of(
        command("zadd").arity(-4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("sorted-set").since("1.2.0")
            .complexity("O(log(N)) for each item added, where N is the number of elements in the sorted set.")
            .summary("Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.")
            .handler(ctx -> zadd(ctx, false)).build(),
        command("zincrby").arity(4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("sorted-set").since("1.2.0").complexity(logN)
            .summary("Increments the score of a member in a sorted set.").handler(ctx -> zadd(ctx, true)).build(),
        command("zscore").arity(3).flags(READONLY, FAST).keys(1, 1, 1).group("sorted-set").since("1.2.0")
            .summary("Returns the score of a member in a sorted set.").handler(ZSetCommands::zscore).build(),
        command("zmscore").arity(-3).flags(READONLY, FAST).keys(1, 1, 1).group("sorted-set").since("6.2.0")
            .complexity("O(N) where N is the number of members being requested.")
            .summary("Returns the score of one or more members in a sorted set.").handler(ZSetCommands::zmscore).build(),
        command("zcard").arity(2).flags(READONLY, FAST).keys(1, 1, 1).group("sorted-set").since("1.2.0")
            .summary("Returns the number of members in a sorted set.").handler(ZSetCommands::zcard).build(),
        command("zcount").arity(4).flags(READONLY, FAST).keys(1, 1, 1).group("sorted-set").since("2.0.0").complexity(logN)
            .summary("Returns the count of members in a sorted set that have scores within a range.")
            .handler(ctx -> zcount(ctx, false)).build(),
        command("zlexcount").arity(4).flags(READONLY, FAST).keys(1, 1, 1).group("sorted-set").since("2.8.9").complexity(logN)
            .summary("Returns the number of members in a sorted set within a lexicographical range.")
            .handler(ctx -> zcount(ctx, true)).build(),
        command("zrank").arity(3).flags(READONLY, FAST).keys(1, 1, 1).group("sorted-set").since("2.0.0").complexity(logN)
            .summary("Returns the index of a member in a sorted set ordered by ascending scores.")
            .handler(ctx -> zrank(ctx, false)).build(),
        command("zrevrank").arity(3).flags(READONLY, FAST).keys(1, 1, 1).group("sorted-set").since("2.0.0").complexity(logN)
            .summary("Returns the index of a member in a sorted set ordered by descending scores.")
            .handler(ctx -> zrank(ctx, true)).build(),
        command("zrange").arity(-4).flags(READONLY).keys(1, 1, 1).group("sorted-set").since("1.2.0").complexity(rangeN)
            .summary("Returns members in a sorted set within a range of indexes.")
            .handler(ctx -> zrange(ctx, false, RangeType.AUTO, false)).build(),
        command("zrangestore").arity(-5).flags(WRITE, DENYOOM).keys(1, 2, 1).group("sorted-set").since("6.2.0")
            .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.")
            .summary("Stores a range of members from sorted set in a key.").handler(ctx -> zrange(ctx, true, RangeType.AUTO, false)).build(),
        command("zrevrange").arity(-4).flags(READONLY).keys(1, 1, 1).group("sorted-set").since("1.2.0").complexity(rangeN)
            .summary("Returns members in a sorted set within a range of indexes in reverse order.")
            .handler(ctx -> zrange(ctx, false, RangeType.RANK, true)).build(),
        command("zrangebyscore").arity(-4).flags(READONLY).keys(1, 1, 1).group("sorted-set").since("1.0.5").complexity(rangeN)
            .summary("Returns members in a sorted set within a range of scores.")
            .handler(ctx -> zrange(ctx, false, RangeType.SCORE, false)).build(),
        command("zrevrangebyscore").arity(-4).flags(READONLY).keys(1, 1, 1).group("sorted-set").since("2.2.0").complexity(rangeN)
            .summary("Returns members in a sorted set within a range of scores in reverse order.")
            .handler(ctx -> zrange(ctx, false, RangeType.SCORE, true)).build(),
        command("zrangebylex").arity(-4).flags(READONLY).keys(1, 1, 1).group("sorted-set").since("2.8.9").complexity(rangeN)
            .summary("Returns members in a sorted set within a lexicographical range.")
            .handler(ctx -> zrange(ctx, false, RangeType.LEX, false)).build(),
        command("zrevrangebylex").arity(-4).flags(READONLY).keys(1, 1, 1).group("sorted-set").since("2.8.9").complexity(rangeN)
            .summary("Returns members in a sorted set within a lexicographical range in reverse order.")
            .handler(ctx -> zrange(ctx, false, RangeType.LEX, true)).build(),
        command("zrem").arity(-3).flags(WRITE, FAST).keys(1, 1, 1).group("sorted-set").since("1.2.0")
            .complexity("O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.")
            .summary("Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.")
            .handler(ZSetCommands::zrem).build(),
        command("zremrangebyrank").arity(4).flags(WRITE).keys(1, 1, 1).group("sorted-set").since("2.0.0").complexity(rangeN)
            .summary("Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.")
            .handler(ctx -> zremrange(ctx, RangeType.RANK)).build(),
        command("zremrangebyscore").arity(4).flags(WRITE).keys(1, 1, 1).group("sorted-set").since("1.2.0").complexity(rangeN)
            .summary("Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.")
            .handler(ctx -> zremrange(ctx, RangeType.SCORE)).build(),
        command("zremrangebylex").arity(4).flags(WRITE).keys(1, 1, 1).group("sorted-set").since("2.8.9").complexity(rangeN)
            .summary("Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.")
            .handler(ctx -> zremrange(ctx, RangeType.LEX)).build(),
        command("zpopmin").arity(-2).flags(WRITE, FAST).keys(1, 1, 1).group("sorted-set").since("5.0.0")
            .complexity("O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.")
            .summary("Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.")
            .handler(ctx -> zpop(ctx, false)).build(),
        command("zpopmax").arity(-2).flags(WRITE, FAST).keys(1, 1, 1).group("sorted-set").since("5.0.0")
            .complexity("O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.")
            .summary("Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.")
            .handler(ctx -> zpop(ctx, true)).build(),
        command("zmpop").arity(-4).flags(WRITE).group("sorted-set").since("7.0.0")
            .keySpecs(KeySpec.keyNum(1, 0, 1, 1, "RW", "access", "delete"))
            .getKeys(GetKeys.numKeys(0, 1, 2, 1))
            .complexity("O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.")
            .summary("Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.")
            .handler(ctx -> zmpop(ctx, 1, false)).build(),
        command("bzpopmin").arity(-3).flags(WRITE, NOSCRIPT, FAST, BLOCKING).keys(1, -2, 1).group("sorted-set").since("5.0.0")
            .complexity("O(log(N)) with N being the number of elements in the sorted set.")
            .summary("Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.")
            .handler(ctx -> bzpop(ctx, false)).build(),
        command("bzpopmax").arity(-3).flags(WRITE, NOSCRIPT, FAST, BLOCKING).keys(1, -2, 1).group("sorted-set").since("5.0.0")
            .complexity("O(log(N)) with N being the number of elements in the sorted set.")
            .summary("Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.")
            .handler(ctx -> bzpop(ctx, true)).build(),
        command("bzmpop").arity(-5).flags(WRITE, BLOCKING).group("sorted-set").since("7.0.0")
            .keySpecs(KeySpec.keyNum(2, 0, 1, 1, "RW", "access", "delete"))
            .getKeys(GetKeys.numKeys(0, 2, 3, 1))
            .complexity("O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.")
            .summary("Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.")
            .handler(ctx -> zmpop(ctx, 2, true)).build(),
        command("zrandmember").arity(-2).flags(READONLY).keys(1, 1, 1).group("sorted-set").since("6.2.0")
            .complexity("O(N) where N is the number of members returned")
            .summary("Returns one or more random members from a sorted set.").handler(ZSetCommands::zrandmember).build(),
        command("zunion").arity(-3).flags(READONLY).group("sorted-set").since("6.2.0")
            .keySpecs(KeySpec.keyNum(1, 0, 1, 1, "RO", "access"))
            .getKeys(GetKeys.numKeys(0, 1, 2, 1))
            .complexity("O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.")
            .summary("Returns the union of multiple sorted sets.").handler(ctx -> setOp(ctx, SetOp.UNION, false, false)).build(),
        command("zunionstore").arity(-4).flags(WRITE, DENYOOM).keys(1, 1, 1).group("sorted-set").since("2.0.0")
            .keySpecs(KeySpec.range(1, 0, 1, "OW", "update"), KeySpec.keyNum(2, 0, 1, 1, "RO", "access"))
            .getKeys(GetKeys.numKeys(1, 2, 3, 1))
            .complexity("O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.")
            .summary("Stores the union of multiple sorted sets in a key.").handler(ctx -> setOp(ctx, SetOp.UNION, true, false)).build(),
        command("zinter").arity(-3).flags(READONLY).group("sorted-set").since("6.2.0")
            .keySpecs(KeySpec.keyNum(1, 0, 1, 1, "RO", "access"))
            .getKeys(GetKeys.numKeys(0, 1, 2, 1))
            .complexity("O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.")
            .summary("Returns the intersect of multiple sorted sets.").handler(ctx -> setOp(ctx, SetOp.INTER, false, false)).build(),
        command("zinterstore").arity(-4).flags(WRITE, DENYOOM).keys(1, 1, 1).group("sorted-set").since("2.0.0")
            .keySpecs(KeySpec.range(1, 0, 1, "OW", "update"), KeySpec.keyNum(2, 0, 1, 1, "RO", "access"))
            .getKeys(GetKeys.numKeys(1, 2, 3, 1))
            .complexity("O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.")
            .summary("Stores the intersect of multiple sorted sets in a key.").handler(ctx -> setOp(ctx, SetOp.INTER, true, false)).build(),
        command("zintercard").arity(-3).flags(READONLY).group("sorted-set").since("7.0.0")
            .keySpecs(KeySpec.keyNum(1, 0, 1, 1, "RO", "access"))
            .getKeys(GetKeys.numKeys(0, 1, 2, 1))
            .complexity("O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.")
            .summary("Returns the number of members of the intersect of multiple sorted sets.")
            .handler(ctx -> setOp(ctx, SetOp.INTER, false, true)).build(),
        command("zdiff").arity(-3).flags(READONLY).group("sorted-set").since("6.2.0")
            .keySpecs(KeySpec.keyNum(1, 0, 1, 1, "RO", "access"))
            .getKeys(GetKeys.numKeys(0, 1, 2, 1))
            .complexity("O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.")
            .summary("Returns the difference between multiple sorted sets.").handler(ctx -> setOp(ctx, SetOp.DIFF, false, false)).build(),
        command("zdiffstore").arity(-4).flags(WRITE, DENYOOM).keys(1, 1, 1).group("sorted-set").since("6.2.0")
            .keySpecs(KeySpec.range(1, 0, 1, "OW", "update"), KeySpec.keyNum(2, 0, 1, 1, "RO", "access"))
            .getKeys(GetKeys.numKeys(1, 2, 3, 1))
            .complexity("O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.")
            .summary("Stores the difference of multiple sorted sets in a key.").handler(ctx -> setOp(ctx, SetOp.DIFF, true, false)).build(),
        command("zscan").arity(-3).flags(READONLY).keys(1, 1, 1).group("sorted-set").since("2.8.0")
            .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.")
            .summary("Iterates over members and scores of a sorted set.").handler(ZSetCommands::zscan).build());
  }

  // ---------------------------------------------------------------- parsing

  /** A score argument (string2d: strtod without surrounding spaces, NaN and ERANGE rejected). */
  static double score(CommandContext ctx, int index, String error) {
    double d = Scores.parseStrict(ctx.arg(index));
    if (Double.isNaN(d)) {
      throw new CommandError(error);
    }
    return d;
  }

  /** One end of a score range as zslParseRange reads it: strtod over the rest, NaN rejected. */
  private static double rangeEnd(byte[] s, int from) {
    int i = from;
    while (i < s.length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) {
      i++;
    }
    if (from == s.length) {
      return 0; // strtod("") converts nothing and stops at the terminator: 0
    }
    if (i == s.length) {
      return Double.NaN;
    }
    return Scores.parse(Arrays.copyOfRange(s, i, s.length));
  }

  static ScoreRange scoreRange(byte[] min, byte[] max) {
    boolean minEx = min.length > 0 && min[0] == '(';
    boolean maxEx = max.length > 0 && max[0] == '(';
    double lo = rangeEnd(min, minEx ? 1 : 0);
    double hi = rangeEnd(max, maxEx ? 1 : 0);
    if (Double.isNaN(lo) || Double.isNaN(hi)) {
      throw new CommandError(NOT_A_FLOAT_RANGE);
    }
    return new ScoreRange(lo, minEx, hi, maxEx);
  }

  private static LexBound lexBound(byte[] s) {
    if (s.length == 0) {
      return null;
    }
    return switch (s[0]) {
      case '+' -> s.length == 1 ? LexBound.PLUS : null;
      case '-' -> s.length == 1 ? LexBound.MINUS : null;
      case '(' -> new LexBound(Arrays.copyOfRange(s, 1, s.length), true, 0);
      case '[' -> new LexBound(Arrays.copyOfRange(s, 1, s.length), false, 0);
      default -> null;
    };
  }

  static LexRange lexRange(byte[] min, byte[] max) {
    LexBound lo = lexBound(min);
    LexBound hi = lexBound(max);
    if (lo == null || hi == null) {
      throw new CommandError(NOT_A_LEX_RANGE);
    }
    return new LexRange(lo, hi);
  }

  private static SortedSet zsetAt(CommandContext ctx, int slot) {
    return TypedKeys.valueAt(ctx, slot);
  }

  private static void replyScore(RespWriter reply, double score) {
    reply.doubleValue(score, Scores.format(score));
  }

  /** Elements as ZRANGE replies them: members, or (RESP2) member score ... / (RESP3) [member, score] pairs. */
  private static void replyElements(RespWriter reply, List<Node> nodes, boolean withScores) {
    boolean nested = withScores && reply.isResp3();
    reply.arrayHeader(withScores && !nested ? nodes.size() * 2 : nodes.size());
    for (Node n : nodes) {
      if (nested) {
        reply.arrayHeader(2);
      }
      reply.bulk(n.member());
      if (withScores) {
        replyScore(reply, n.score());
      }
    }
  }

  // ---------------------------------------------------------------- ZADD, ZINCRBY

  /** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]; ZINCRBY key increment member. */
  private static void zadd(CommandContext ctx, boolean zincrby) {
    boolean nx = false;
    boolean xx = false;
    boolean gt = false;
    boolean lt = false;
    boolean ch = false;
    boolean incr = zincrby;
    int scoreIdx = 2;
    for (; scoreIdx < ctx.argc(); scoreIdx++) {
      if (ctx.argIs(scoreIdx, "NX")) {
        nx = true;
      } else if (ctx.argIs(scoreIdx, "XX")) {
        xx = true;
      } else if (ctx.argIs(scoreIdx, "CH")) {
        ch = true;
      } else if (ctx.argIs(scoreIdx, "INCR")) {
        incr = true;
      } else if (ctx.argIs(scoreIdx, "GT")) {
        gt = true;
      } else if (ctx.argIs(scoreIdx, "LT")) {
        lt = true;
      } else {
        break;
      }
    }
    int elements = ctx.argc() - scoreIdx;
    if (elements % 2 != 0 || elements == 0) {
      throw new CommandError(CommandError.SYNTAX);
    }
    elements /= 2;
    if (nx && xx) {
      throw new CommandError("ERR XX and NX options at the same time are not compatible");
    }
    if ((gt && nx) || (lt && nx) || (gt && lt)) {
      throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
    }
    if (incr && elements > 1) {
      throw new CommandError("ERR INCR option supports a single increment-element pair");
    }
    double[] scores = new double[elements];
    for (int j = 0; j < elements; j++) {
      scores[j] = score(ctx, scoreIdx + j * 2, CommandError.NOT_A_FLOAT);
    }
    byte[] key = ctx.arg(1);
    int slot = TypedKeys.findForWrite(ctx, key, SortedSet.class);
    long added = 0;
    long updated = 0;
    long processed = 0;
    double lastScore = 0;
    if (slot < 0) {
      if (xx) {
        replyZadd(ctx, incr, ch, processed, lastScore, added, updated);
        return;
      }
      slot = ctx.db().table().put(key, new SortedSet(), KeyTable.NO_EXPIRY);
    }
    SortedSet zset = zsetAt(ctx, slot);
    try {
      for (int j = 0; j < elements; j++) {
        byte[] member = ctx.arg(scoreIdx + j * 2 + 1);
        double score = scores[j];
        Node existing = zset.node(member);
        if (existing != null) {
          if (nx) {
            continue;
          }
          double current = existing.score();
          if (incr) {
            score += current;
            if (Double.isNaN(score)) {
              throw new CommandError(NAN_SCORE);
            }
          }
          if ((lt && score >= current) || (gt && score <= current)) {
            continue;
          }
          lastScore = score;
          processed++;
          if (score != current) {
            zset.put(member, score);
            updated++;
          }
        } else if (!xx) {
          zset.put(member, score);
          ctx.dispatcher().compactEncodings().zsetAdded(zset, member);
          lastScore = score;
          added++;
          processed++;
        }
      }
    } finally {
      if (added + updated > 0) {
        ctx.db().table().touch(slot);
      }
      TypedKeys.removeIfEmpty(ctx, slot, zset.size());
      if (added + updated > 0) {
        ctx.notify(KeyspaceEvents.ZSET, incr ? "zincr" : "zadd", key);
      }
    }
    replyZadd(ctx, incr, ch, processed, lastScore, added, updated);
  }

  private static void replyZadd(CommandContext ctx, boolean incr, boolean ch, long processed, double score, long added,
      long updated) {
    if (incr) {
      if (processed > 0) {
        replyScore(ctx.reply(), score);
      } else {
        ctx.reply().nullBulk();
      }
    } else {
      ctx.reply().integer(ch ? added + updated : added);
    }
  }

  // ---------------------------------------------------------------- point reads

  private static void zscore(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), SortedSet.class);
    Node n = slot < 0 ? null : zsetAt(ctx, slot).node(ctx.arg(2));
    if (n == null) {
      ctx.reply().nullBulk();
    } else {
      replyScore(ctx.reply(), n.score());
    }
  }

  private static void zmscore(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), SortedSet.class);
    SortedSet zset = slot < 0 ? null : zsetAt(ctx, slot);
    ctx.reply().arrayHeader(ctx.argc() - 2);
    for (int i = 2; i < ctx.argc(); i++) {
      Node n = zset == null ? null : zset.node(ctx.arg(i));
      if (n == null) {
        ctx.reply().nullBulk();
      } else {
        replyScore(ctx.reply(), n.score());
      }
    }
  }

  private static void zcard(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), SortedSet.class);
    ctx.reply().integer(slot < 0 ? 0 : zsetAt(ctx, slot).size());
  }

  private static void zcount(CommandContext ctx, boolean lex) {
    ScoreRange range = lex ? null : scoreRange(ctx.arg(2), ctx.arg(3));
    LexRange lexRange = lex ? lexRange(ctx.arg(2), ctx.arg(3)) : null;
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), SortedSet.class);
    if (slot < 0) {
      ctx.reply().integer(0);
      return;
    }
    SortedSet zset = zsetAt(ctx, slot);
    ctx.reply().integer(lex ? zset.count(lexRange) : zset.count(range));
  }

  private static void zrank(CommandContext ctx, boolean reverse) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), SortedSet.class);
    if (slot < 0) {
      ctx.reply().nullBulk();
      return;
    }
    SortedSet zset = zsetAt(ctx, slot);
    long rank = zset.rank(ctx.arg(2));
    if (rank < 0) {
      ctx.reply().nullBulk();
    } else {
      ctx.reply().integer(reverse ? zset.size() - 1 - rank : rank);
    }
  }

  // ---------------------------------------------------------------- ranges

  /**
   * Redis's zrangeGenericCommand: ZRANGE, ZRANGESTORE and the legacy Z[REV]RANGE[BYSCORE|BYLEX]
   * commands. {@code type} and {@code reverse} are fixed by the legacy commands; ZRANGE and
   * ZRANGESTORE start from AUTO and take BYSCORE/BYLEX/REV as options.
   */
  private static void zrange(CommandContext ctx, boolean store, RangeType type, boolean reverse) {
    int keyIdx = store ? 2 : 1;
    int minIdx = keyIdx + 1;
    int maxIdx = keyIdx + 2;
    boolean auto = type == RangeType.AUTO;
    boolean directionFixed = !auto;
    boolean withScores = false;
    long offset = 0;
    long limit = -1;
    for (int j = keyIdx + 3; j < ctx.argc(); j++) {
      int left = ctx.argc() - j - 1;
      if (!store && ctx.argIs(j, "WITHSCORES")) {
        withScores = true;
      } else if (ctx.argIs(j, "LIMIT") && left >= 2) {
        offset = ctx.longArg(j + 1);
        limit = ctx.longArg(j + 2);
        j += 2;
      } else if (!directionFixed && !reverse && ctx.argIs(j, "REV")) {
        reverse = true;
      } else if (type == RangeType.AUTO && ctx.argIs(j, "BYLEX")) {
        type = RangeType.LEX;
      } else if (type == RangeType.AUTO && ctx.argIs(j, "BYSCORE")) {
        type = RangeType.SCORE;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    if (type == RangeType.AUTO) {
      type = RangeType.RANK;
    }
    // Redis tests the count, not the word: LIMIT <offset> -1 (no limit) passes with a rank range.
    if (limit != -1 && type == RangeType.RANK) {
      throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    }
    if (withScores && type == RangeType.LEX) {
      throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    }
    if (reverse && type != RangeType.RANK) {
      int tmp = maxIdx;
      maxIdx = minIdx;
      minIdx = tmp;
    }
    long start = 0;
    long end = 0;
    Range range = null;
    switch (type) {
      case RANK -> {
        start = ctx.longArg(minIdx);
        end = ctx.longArg(maxIdx);
      }
      case SCORE -> range = scoreRange(ctx.arg(minIdx), ctx.arg(maxIdx));
      default -> range = lexRange(ctx.arg(minIdx), ctx.arg(maxIdx));
    }
    int slot = store ? TypedKeys.findForWrite(ctx, ctx.arg(keyIdx), SortedSet.class)
        : TypedKeys.findForRead(ctx, ctx.arg(keyIdx), SortedSet.class);
    List<Node> result = new ArrayList<>();
    if (slot >= 0) {
      SortedSet zset = zsetAt(ctx, slot);
      if (type == RangeType.RANK) {
        rankRange(zset, start, end, reverse, result);
      } else if (offset >= 0 && !(offset > 0 && offset >= zset.size())) {
        // BYSCORE and BYLEX: find the first element in the range from the chosen end, skip
        // `offset`, then walk until `limit` elements or the range's other end.
        Node n = reverse ? zset.lastInRange(range) : zset.firstInRange(range);
        for (; n != null && offset > 0; offset--) {
          n = reverse ? n.previous() : n.next();
        }
        for (; n != null && limit != 0; limit--) {
          if (reverse ? !range.aboveMin(n) : !range.belowMax(n)) {
            break;
          }
          result.add(n);
          n = reverse ? n.previous() : n.next();
        }
      }
    }
    if (store) {
      ctx.reply().integer(storeResult(ctx, ctx.arg(1), result));
    } else {
      replyElements(ctx.reply(), result, withScores);
    }
  }

  /** 0-based ranks {@code start..end}, both inside the set. */
  private record Ranks(long start, long end) {
    /**
     * Redis's index rules for ZRANGE and ZREMRANGEBYRANK: negative indexes count from the end, the
     * start is raised to 0 and the end lowered to the last rank; {@code null} when nothing is left.
     */
    static Ranks clamp(long start, long end, long length) {
      if (start < 0) {
        start = length + start;
      }
      if (end < 0) {
        end = length + end;
      }
      if (start < 0) {
        start = 0;
      }
      if (start > end || start >= length) {
        return null;
      }
      return new Ranks(start, Math.min(end, length - 1));
    }
  }

  private static void rankRange(SortedSet zset, long start, long end, boolean reverse, List<Node> out) {
    long length = zset.size();
    Ranks ranks = Ranks.clamp(start, end, length);
    if (ranks == null) {
      return;
    }
    long count = ranks.end() - ranks.start() + 1;
    Node n = zset.byRank(reverse ? length - 1 - ranks.start() : ranks.start());
    for (; n != null && count > 0; count--) {
      out.add(n);
      n = reverse ? n.previous() : n.next();
    }
  }

  /** Replaces {@code dst} with a sorted set of the nodes' members and scores (deletes it when empty). */
  private static long storeResult(CommandContext ctx, byte[] dst, List<Node> nodes) {
    if (nodes.isEmpty()) {
      if (ctx.db().delete(dst, ctx.nowMs())) {
        ctx.notify(KeyspaceEvents.GENERIC, "del", dst);
      }
      return 0;
    }
    SortedSet out = new SortedSet();
    for (Node n : nodes) {
      out.put(n.member(), n.score());
    }
    ctx.dispatcher().compactEncodings().built(out);
    ctx.db().put(dst, out, KeyTable.NO_EXPIRY);
    ctx.notify(KeyspaceEvents.ZSET, "zrangestore", dst);
    return out.size();
  }

  // ---------------------------------------------------------------- removal

  private static void zrem(CommandContext ctx) {
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), SortedSet.class);
    if (slot < 0) {
      ctx.reply().integer(0);
      return;
    }
    SortedSet zset = zsetAt(ctx, slot);
    long removed = 0;
    for (int i = 2; i < ctx.argc(); i++) {
      if (zset.remove(ctx.arg(i))) {
        removed++;
        if (zset.size() == 0) {
          break;
        }
      }
    }
    if (removed > 0) {
      TypedKeys.changed(ctx, slot, zset.size() == 0);
      ctx.notify(KeyspaceEvents.ZSET, "zrem", ctx.arg(1));
      if (zset.size() == 0) {
        ctx.notify(KeyspaceEvents.GENERIC, "del", ctx.arg(1));
      }
    }
    ctx.reply().integer(removed);
  }

  private static void zremrange(CommandContext ctx, RangeType type) {
    long start = 0;
    long end = 0;
    ScoreRange scoreRange = null;
    LexRange lexRange = null;
    switch (type) {
      case RANK -> {
        start = ctx.longArg(2);
        end = ctx.longArg(3);
      }
      case SCORE -> scoreRange = scoreRange(ctx.arg(2), ctx.arg(3));
      default -> lexRange = lexRange(ctx.arg(2), ctx.arg(3));
    }
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), SortedSet.class);
    if (slot < 0) {
      ctx.reply().integer(0);
      return;
    }
    SortedSet zset = zsetAt(ctx, slot);
    long removed;
    switch (type) {
      case RANK -> {
        Ranks ranks = Ranks.clamp(start, end, zset.size());
        if (ranks == null) {
          ctx.reply().integer(0);
          return;
        }
        removed = zset.removeRankRange(ranks.start(), ranks.end());
      }
      case SCORE -> removed = zset.removeRange(scoreRange);
      default -> removed = zset.removeRange(lexRange);
    }
    if (removed > 0) {
      TypedKeys.changed(ctx, slot, zset.size() == 0);
      ctx.notify(KeyspaceEvents.ZSET, switch (type) {
        case RANK -> "zremrangebyrank";
        case SCORE -> "zremrangebyscore";
        default -> "zremrangebylex";
      }, ctx.arg(1));
      if (zset.size() == 0) {
        ctx.notify(KeyspaceEvents.GENERIC, "del", ctx.arg(1));
      }
    }
    ctx.reply().integer(removed);
  }

  // ---------------------------------------------------------------- pops

  private static void zpop(CommandContext ctx, boolean max) {
    if (ctx.argc() > 3) {
      throw new CommandError(CommandError.SYNTAX);
    }
    long count = -1;
    if (ctx.argc() == 3) {
      count = ctx.longArgAtLeast(2, 0, NOT_POSITIVE); // getPositiveLongFromObjectOrReply: one text for both
    }
    boolean nested = count != -1 && ctx.reply().isResp3();
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), SortedSet.class); // WRONGTYPE even for count 0, as Redis
    if (slot < 0 || count == 0) {
      ctx.reply().arrayHeader(0);
      return;
    }
    popFrom(ctx, ctx.arg(1), slot, max, count == -1 ? 1 : count, nested, null);
  }

  /**
   * BZPOPMIN, BZPOPMAX key [key ...] timeout: the timeout first, then the keys in order; the first
   * non-empty set answers [key, member, score]; none: the null array.
   */
  private static final byte[] ZPOPMIN = io.kaiware.command.Propagation.bytes("ZPOPMIN");
  private static final byte[] ZPOPMAX = io.kaiware.command.Propagation.bytes("ZPOPMAX");

  private static void bzpop(CommandContext ctx, boolean max) {
    Blocking.timeoutMs(ctx, ctx.argc() - 1);
    for (int i = 1; i < ctx.argc() - 1; i++) {
      int slot = TypedKeys.findForWrite(ctx, ctx.arg(i), SortedSet.class);
      if (slot >= 0) {
        popFrom(ctx, ctx.arg(i), slot, max, 1, false, ctx.arg(i));
        ctx.propagation().propagateAs(max ? ZPOPMAX : ZPOPMIN, ctx.arg(i)); // Redis: ZPOP instead of BZPOP
        return;
      }
    }
    ctx.reply().nullArray();
  }

  /**
   * Pops up to {@code count} elements from the set in {@code slot} and replies with them;
   * {@code flatKey}, when given, leads the flat reply (BZPOPMIN's [key, member, score]).
   */
  private static void popFrom(CommandContext ctx, byte[] key, int slot, boolean max, long count, boolean nested,
      byte[] flatKey) {
    SortedSet zset = zsetAt(ctx, slot);
    int n = (int) Math.min(count, zset.size());
    RespWriter reply = ctx.reply();
    if (flatKey != null) {
      reply.arrayHeader(n * 2 + 1);
      reply.bulk(flatKey);
    } else {
      reply.arrayHeader(nested ? n : n * 2);
    }
    for (int i = 0; i < n; i++) {
      Node node = max ? zset.last() : zset.first();
      if (nested) {
        reply.arrayHeader(2);
      }
      reply.bulk(node.member());
      replyScore(reply, node.score());
      zset.remove(node.member());
    }
    if (n > 0) {
      ctx.notify(KeyspaceEvents.ZSET, max ? "zpopmax" : "zpopmin", key);
    }
    TypedKeys.changed(ctx, slot, zset.size() == 0);
    if (zset.size() == 0) {
      ctx.notify(KeyspaceEvents.GENERIC, "del", key);
    }
  }

  /**
   * ZMPOP numkeys key [key ...] MIN|MAX [COUNT count], and BZMPOP timeout numkeys ...: numkeys at
   * {@code numkeysIdx}; BZMPOP checks its timeout after the other arguments, as Redis does.
   */
  private static void zmpop(CommandContext ctx, int numkeysIdx, boolean blocking) {
    long numkeys = ctx.longArgAtLeast(numkeysIdx, 1, "ERR numkeys should be greater than 0");
    long whereIdx = numkeysIdx + numkeys + 1;
    if (whereIdx >= ctx.argc()) {
      throw new CommandError(CommandError.SYNTAX);
    }
    boolean max;
    if (ctx.argIs((int) whereIdx, "MIN")) {
      max = false;
    } else if (ctx.argIs((int) whereIdx, "MAX")) {
      max = true;
    } else {
      throw new CommandError(CommandError.SYNTAX);
    }
    long count = MultiPop.count(ctx, (int) whereIdx + 1);
    if (blocking) {
      Blocking.timeoutMs(ctx, 1);
    }
    for (int i = numkeysIdx + 1; i < numkeysIdx + 1 + numkeys; i++) {
      int slot = TypedKeys.findForWrite(ctx, ctx.arg(i), SortedSet.class);
      if (slot >= 0) {
        ctx.reply().arrayHeader(2);
        ctx.reply().bulk(ctx.arg(i));
        long popped = Math.min(count, zsetAt(ctx, slot).size());
        popFrom(ctx, ctx.arg(i), slot, max, count, true, null);
        if (ctx.propagation().wanted()) {
          ctx.propagation().propagateAs(max ? ZPOPMAX : ZPOPMIN, ctx.arg(i), Numbers.toBytes(popped));
        }
        return;
      }
    }
    ctx.reply().nullArray();
  }



  // ---------------------------------------------------------------- random members

  private static void zrandmember(CommandContext ctx) {
    if (ctx.argc() >= 3) {
      long count = ctx.longArg(2);
      if (count == Long.MIN_VALUE) {
        throw new CommandError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
      }
      boolean withScores = false;
      if (ctx.argc() > 4 || (ctx.argc() == 4 && !ctx.argIs(3, "WITHSCORES"))) {
        throw new CommandError(CommandError.SYNTAX);
      } else if (ctx.argc() == 4) {
        withScores = true;
        if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
          throw new CommandError("ERR value is out of range");
        }
      }
      int slot = TypedKeys.findForRead(ctx, ctx.arg(1), SortedSet.class);
      if (slot < 0 || count == 0) {
        ctx.reply().arrayHeader(0);
        return;
      }
      KeyTable t = zsetAt(ctx, slot).memberTable();
      int[] slots = HashCommands.RandomElements.pick(t, count, ctx.db().randomSeed(ctx.nowMs()));
      List<Node> nodes = new ArrayList<>(slots.length);
      for (int s : slots) {
        nodes.add((Node) t.valueAt(s));
      }
      replyElements(ctx.reply(), nodes, withScores);
      return;
    }
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), SortedSet.class);
    if (slot < 0) {
      ctx.reply().nullBulk();
      return;
    }
    KeyTable t = zsetAt(ctx, slot).memberTable();
    ctx.reply().bulk(t.keyAt(t.randomSlot(ctx.db().randomSeed(ctx.nowMs()))));
  }

  // ---------------------------------------------------------------- ZUNION, ZINTER, ZDIFF

  /** Redis's zunionInterDiffGenericCommand. */
  private static void setOp(CommandContext ctx, SetOp op, boolean store, boolean cardinalityOnly) {
    int numkeysIdx = store ? 2 : 1;
    long numkeys = ctx.longArg(numkeysIdx);
    if (numkeys < 1) {
      throw new CommandError("ERR at least 1 input key is needed for '" + ctx.spec().name() + "' command");
    }
    if (numkeys > ctx.argc() - (numkeysIdx + 1)) {
      throw new CommandError(CommandError.SYNTAX);
    }
    int n = (int) numkeys;
    SortedSet[] sources = new SortedSet[n];
    double[] weights = new double[n];
    Arrays.fill(weights, 1.0);
    int j = numkeysIdx + 1;
    for (int i = 0; i < n; i++, j++) {
      sources[i] = setOperationSource(ctx, ctx.arg(j), store);
    }
    Aggregate aggregate = Aggregate.SUM;
    boolean withScores = false;
    long limit = 0;
    int remaining = ctx.argc() - j;
    while (remaining > 0) {
      if (op != SetOp.DIFF && !cardinalityOnly && remaining >= n + 1 && ctx.argIs(j, "WEIGHTS")) {
        j++;
        remaining--;
        for (int i = 0; i < n; i++, j++, remaining--) {
          weights[i] = score(ctx, j, "ERR weight value is not a float");
        }
      } else if (op != SetOp.DIFF && !cardinalityOnly && remaining >= 2 && ctx.argIs(j, "AGGREGATE")) {
        j++;
        remaining--;
        if (ctx.argIs(j, "SUM")) {
          aggregate = Aggregate.SUM;
        } else if (ctx.argIs(j, "MIN")) {
          aggregate = Aggregate.MIN;
        } else if (ctx.argIs(j, "MAX")) {
          aggregate = Aggregate.MAX;
        } else {
          throw new CommandError(CommandError.SYNTAX);
        }
        j++;
        remaining--;
      } else if (remaining >= 1 && !store && !cardinalityOnly && ctx.argIs(j, "WITHSCORES")) {
        j++;
        remaining--;
        withScores = true;
      } else if (cardinalityOnly && remaining >= 2 && ctx.argIs(j, "LIMIT")) {
        j++;
        remaining--;
        limit = ctx.longArg(j, "ERR LIMIT can't be negative");
        if (limit < 0) {
          throw new CommandError("ERR LIMIT can't be negative");
        }
        j++;
        remaining--;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    SortedSet result = new SortedSet();
    long cardinality = 0;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (op != SetOp.DIFF) {
      // Smallest first, as Redis does: intersections then probe the fewest elements.
      Arrays.sort(order, (a, b) -> Integer.compare(size(sources[a]), size(sources[b])));
    }
    switch (op) {
      case INTER -> {
        SortedSet first = sources[order[0]];
        if (first != null && size(sources[order[0]]) > 0) {
          outer:
          for (Node e = first.first(); e != null; e = e.next()) {
            double score = weighted(weights[order[0]], e.score());
            for (int k = 1; k < n; k++) {
              SortedSet other = sources[order[k]];
              Node m = other == null ? null : other.node(e.member());
              if (m == null) {
                continue outer;
              }
              score = aggregate(aggregate, score, weighted(weights[order[k]], m.score()));
            }
            if (cardinalityOnly) {
              cardinality++;
              if (limit > 0 && cardinality >= limit) {
                break;
              }
            } else {
              result.put(e.member(), score);
            }
          }
        }
      }
      case UNION -> {
        for (int k = 0; k < n; k++) {
          SortedSet src = sources[order[k]];
          if (src == null) {
            continue;
          }
          for (Node e = src.first(); e != null; e = e.next()) {
            double score = weighted(weights[order[k]], e.score());
            Node have = result.node(e.member());
            // Exact: Redis's accumulator keeps the sum as computed (0 * 2 + 0 * -1 is "0", not "-0").
            result.putExact(e.member(), have == null ? score : aggregate(aggregate, have.score(), score));
          }
        }
      }
      default -> {
        SortedSet first = sources[0];
        if (first != null) {
          outer:
          for (Node e = first.first(); e != null; e = e.next()) {
            for (int k = 1; k < n; k++) {
              if (sources[k] != null && sources[k].node(e.member()) != null) {
                continue outer;
              }
            }
            result.put(e.member(), e.score());
          }
        }
      }
    }
    if (cardinalityOnly) {
      ctx.reply().integer(cardinality);
    } else if (store) {
      byte[] dst = ctx.arg(1);
      if (result.size() == 0) {
        if (ctx.db().delete(dst, ctx.nowMs())) {
          ctx.notify(KeyspaceEvents.GENERIC, "del", dst);
        }
      } else {
        ctx.dispatcher().compactEncodings().built(result);
        ctx.db().put(dst, result, KeyTable.NO_EXPIRY);
        ctx.notify(KeyspaceEvents.ZSET, switch (op) {
          case UNION -> "zunionstore";
          case INTER -> "zinterstore";
          default -> "zdiffstore";
        }, dst);
      }
      ctx.reply().integer(result.size());
    } else {
      List<Node> nodes = new ArrayList<>(result.size());
      result.forEach(nodes::add);
      replyElements(ctx.reply(), nodes, withScores);
    }
  }

  /**
   * An input of ZUNION/ZINTER/ZDIFF(STORE) and ZINTERCARD: a sorted set, or — as in Redis — a plain
   * set, read as a sorted set whose every member scores 1 (a copy: the set's own representation
   * has no scores). Null when missing; WRONGTYPE for anything else.
   */
  private static SortedSet setOperationSource(CommandContext ctx, byte[] key, boolean store) {
    int slot = ctx.db().lookup(key, ctx.nowMs());
    if (slot < 0) {
      if (!store) {
        ctx.keyspace().recordMiss();
        ctx.notify(KeyspaceEvents.KEY_MISS, "keymiss", key);
      }
      return null;
    }
    Object value = ctx.db().table().valueAt(slot);
    if (!(value instanceof SortedSet) && !(value instanceof SetValue)) {
      throw new CommandError(TypedKeys.WRONGTYPE);
    }
    if (!store) {
      ctx.keyspace().recordHit();
    }
    if (value instanceof SortedSet zset) {
      return zset;
    }
    SetValue set = (SetValue) value;
    SortedSet scored = new SortedSet();
    for (int p = 0; p < set.capacity(); p++) {
      if (set.occupied(p)) {
        scored.put(set.memberAt(p), 1.0);
      }
    }
    return scored;
  }

  private static int size(SortedSet s) {
    return s == null ? 0 : s.size();
  }

  /** weight * score, with Redis's rule that 0 * inf is 0 rather than NaN. */
  private static double weighted(double weight, double score) {
    double v = weight * score;
    return Double.isNaN(v) ? 0 : v;
  }

  private static double aggregate(Aggregate aggregate, double a, double b) {
    return switch (aggregate) {
      case SUM -> {
        double s = a + b;
        yield Double.isNaN(s) ? 0 : s;
      }
      // C comparisons, as Redis: the accumulated value wins ties, so -0.0 vs 0.0 keeps the first.
      case MIN -> b < a ? b : a;
      case MAX -> b > a ? b : a;
    };
  }

  private static void zscan(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), SortedSet.class);
    if (slot < 0) {
      ElementScan.emptyScan(ctx);
      return;
    }
    KeyTable t = zsetAt(ctx, slot).memberTable();
    ElementScan.scan(ctx, t, s -> Scores.formatBytes(((Node) t.valueAt(s)).score()));
  }
}

package io.kaiware.command;

import io.kaiware.command.keys.KeyCommands;
import io.kaiware.engine.GlobMatcher;
import io.kaiware.engine.KeyTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * HSCAN, ZSCAN and SSCAN (Redis's scanGenericCommand over a collection): the cursor walks the element
 * table with {@link KeyTable#scan}'s reverse-binary order, so an element present for the whole
 * iteration is returned at least once across resizes.
 */
public final class ElementScan {
  private ElementScan() {}

  /** The reply for a missing key: cursor 0 and no elements. */
  public static void emptyScan(CommandContext ctx) {
    ctx.reply().arrayHeader(2);
    ctx.reply().bulk("0");
    ctx.reply().arrayHeader(0);
  }

  /** The options of a collection scan: COUNT and MATCH ({@code null} matches everything). */
  private record Options(long count, byte[] pattern) {
    boolean matches(byte[] name) {
      return pattern == null || GlobMatcher.matches(pattern, name, false);
    }
  }

  /** Parses {@code [MATCH pattern] [COUNT count]} from argument 3 on (Redis's order of errors). */
  private static Options options(CommandContext ctx) {
    long count = 10;
    byte[] pattern = null;
    for (int i = 3; i < ctx.argc(); ) {
      int remaining = ctx.argc() - i;
      if (ctx.argIs(i, "COUNT") && remaining >= 2) {
        count = ctx.longArg(i + 1);
        if (count < 1) {
          throw new CommandError(CommandError.SYNTAX);
        }
        i += 2;
      } else if (ctx.argIs(i, "MATCH") && remaining >= 2) {
        byte[] p = ctx.arg(i + 1);
        pattern = (p.length == 1 && p[0] == '*') ? null : p;
        i += 2;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    return new Options(count, pattern);
  }

  /**
   * Parses {@code cursor [MATCH pattern] [COUNT count]} from argument 2 on and replies with the
   * next batch: each element name followed by {@code second.apply(slot)} (a hash value, a score),
   * or the names alone when {@code second} is {@code null} (a set).
   */
  public static void scan(CommandContext ctx, KeyTable table, IntFunction<byte[]> second) {
    long cursor = KeyCommands.parseCursor(ctx.arg(2));
    Options options = options(ctx);
    long count = options.count();
    List<byte[]> out = new ArrayList<>();
    int perElement = second == null ? 1 : 2;
    long maxIterations = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
    do {
      cursor = table.scan(cursor, slot -> {
        byte[] name = table.keyAt(slot);
        if (options.matches(name)) {
          out.add(name);
          if (second != null) {
            out.add(second.apply(slot));
          }
        }
      });
    } while (cursor != 0 && maxIterations-- > 0 && out.size() / perElement < count);
    reply(ctx, cursor, out);
  }

  /**
   * The scan of a collection that is not a hash table (an intset set): as Redis, every element in
   * one reply whatever the cursor and COUNT, filtered by MATCH, and cursor 0.
   */
  public static void scanAll(CommandContext ctx, List<byte[]> elements) {
    KeyCommands.parseCursor(ctx.arg(2));
    Options options = options(ctx);
    List<byte[]> out = new ArrayList<>(elements.size());
    for (byte[] e : elements) {
      if (options.matches(e)) {
        out.add(e);
      }
    }
    reply(ctx, 0, out);
  }

  private static void reply(CommandContext ctx, long cursor, List<byte[]> out) {
    ctx.reply().arrayHeader(2);
    ctx.reply().bulk(Long.toUnsignedString(cursor));
    ctx.reply().arrayHeader(out.size());
    for (byte[] b : out) {
      ctx.reply().bulk(b);
    }
  }
}

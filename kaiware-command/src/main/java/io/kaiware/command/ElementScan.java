package io.kaiware.command;

import io.kaiware.command.keys.KeyCommands;
import io.kaiware.engine.GlobMatcher;
import io.kaiware.engine.KeyTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * HSCAN and ZSCAN (Redis's scanGenericCommand over a collection): the cursor walks the element
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

  /**
   * Parses {@code cursor [MATCH pattern] [COUNT count]} from argument 2 on and replies with the
   * next batch: each element name followed by {@code second.apply(slot)} (a hash value, a score).
   */
  public static void scan(CommandContext ctx, KeyTable table, IntFunction<byte[]> second) {
    long cursor = KeyCommands.parseCursor(ctx.arg(2));
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
    List<byte[]> out = new ArrayList<>();
    long maxIterations = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
    final byte[] match = pattern;
    do {
      cursor = table.scan(cursor, slot -> {
        byte[] name = table.keyAt(slot);
        if (match == null || GlobMatcher.matches(match, name, false)) {
          out.add(name);
          out.add(second.apply(slot));
        }
      });
    } while (cursor != 0 && maxIterations-- > 0 && out.size() / 2 < count);
    ctx.reply().arrayHeader(2);
    ctx.reply().bulk(Long.toUnsignedString(cursor));
    ctx.reply().arrayHeader(out.size());
    for (byte[] b : out) {
      ctx.reply().bulk(b);
    }
  }
}

package io.kaiware.command.keys;

import static io.kaiware.command.CommandFlag.DENYOOM;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.KeyspaceEvents;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.GetKeys;
import io.kaiware.command.KeySpec;
import io.kaiware.command.TypedKeys;
import io.kaiware.engine.HashValue;
import io.kaiware.engine.KeyTable;
import io.kaiware.engine.ListValue;
import io.kaiware.engine.SetValue;
import io.kaiware.engine.Scores;
import io.kaiware.engine.SortedSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO, after Redis 7.0's sort.c: the elements of a list, set or sorted set, ordered
 * numerically or (ALPHA) as binary strings, by themselves or by the values of other keys ({@code BY
 * weight_*}, {@code BY obj_*->field}), cut by LIMIT, projected by GET patterns, and returned or
 * (SORT ... STORE) written as a list.
 *
 * <p>Determinism: the result depends only on the dataset. A constant BY (no {@code *}) skips
 * sorting and keeps the source's own order; for a set, whose iteration order is layout, not
 * content, that is allowed only for a reply — with STORE the set is sorted ALPHA, as Redis does
 * for the same reason (replicas must store the same list).
 */
public final class SortCommand {
  private SortCommand() {}

  /** Redis's notes on SORT's key specs (COMMAND INFO). */
  private static final String BY_GET_NOTES = "For the optional BY/GET keyword. It is marked 'unknown' because the key names "
      + "derive from the content of the key we sort";
  private static final String STORE_NOTES = "For the optional STORE keyword. It is marked 'unknown' because the keyword can "
      + "appear anywhere in the argument array";

  public static List<CommandSpec> specs() {
    String complexity = "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of "
        + "returned elements. When the elements are not sorted, complexity is O(N).";
    return List.of(
        command("sort").arity(-2).flags(WRITE, DENYOOM).keys(1, 1, 1).group("generic").since("1.0.0").complexity(complexity)
            .keySpecs(KeySpec.range(1, 0, 1, "RO", "access"), KeySpec.unknown(BY_GET_NOTES, "RO", "access"),
                KeySpec.unknown(STORE_NOTES, "OW", "update"))
            .getKeys(GetKeys.SORT)
            .summary("Sorts the elements in a list, a set, or a sorted set, optionally storing the result.")
            .handler(ctx -> sort(ctx, false)).build(),
        command("sort_ro").arity(-2).flags(READONLY).keys(1, 1, 1).group("generic").since("7.0.0").complexity(complexity)
            .keySpecs(KeySpec.range(1, 0, 1, "RO", "access"), KeySpec.unknown(BY_GET_NOTES, "RO", "access"))
            .getKeys(GetKeys.SORT_RO)
            .summary("Returns the sorted elements of a list, a set, or a sorted set.").handler(ctx -> sort(ctx, true)).build());
  }

  /** One element to sort, with what it sorts by. */
  private static final class Item {
    final byte[] element;
    double score;
    byte[] sortBy;

    Item(byte[] element) {
      this.element = element;
    }
  }

  private static void sort(CommandContext ctx, boolean readOnly) {
    boolean desc = false;
    boolean alpha = false;
    boolean dontSort = false;
    long limitStart = 0;
    long limitCount = -1;
    byte[] storeKey = null;
    byte[] sortBy = null;
    List<byte[]> gets = new ArrayList<>();
    for (int j = 2; j < ctx.argc(); j++) {
      int left = ctx.argc() - j - 1;
      if (ctx.argIs(j, "ASC")) {
        desc = false;
      } else if (ctx.argIs(j, "DESC")) {
        desc = true;
      } else if (ctx.argIs(j, "ALPHA")) {
        alpha = true;
      } else if (ctx.argIs(j, "LIMIT") && left >= 2) {
        limitStart = ctx.longArg(j + 1);
        limitCount = ctx.longArg(j + 2);
        j += 2;
      } else if (!readOnly && ctx.argIs(j, "STORE") && left >= 1) {
        storeKey = ctx.arg(++j);
      } else if (ctx.argIs(j, "BY") && left >= 1) {
        sortBy = ctx.arg(++j);
        dontSort = indexOf(sortBy, (byte) '*', 0) < 0;
      } else if (ctx.argIs(j, "GET") && left >= 1) {
        gets.add(ctx.arg(++j));
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    Object source = sourceValue(ctx);
    if (dontSort && source instanceof SetValue && (storeKey != null
        || (ctx.dispatcher().hasScripts() && ctx.dispatcher().scripts().isScriptClient(ctx.session())))) {
      dontSort = false; // sort ALPHA: replicas must store the same list, and scripts see the same order (Redis's rule)
      alpha = true;
      sortBy = null;
    }
    if (source instanceof SortedSet zset) {
      zset.leaveCompact(); // Redis: "Destructively convert encoded sorted sets for SORT" (OBJECT ENCODING skiplist)
    }
    List<byte[]> elements = elementsOf(source, dontSort, desc);
    int length = elements.size();
    long start = Math.min(Math.max(limitStart, 0), length);
    long count = Math.min(Math.max(limitCount, -1), length);
    long end = count < 0 ? length - 1 : start + count - 1;
    if (start >= length) {
      start = length - 1;
      end = length - 2;
    }
    if (end >= length) {
      end = length - 1;
    }
    Item[] items = new Item[length];
    for (int i = 0; i < length; i++) {
      items[i] = new Item(elements.get(i));
    }
    if (!dontSort) {
      boolean conversionError = false;
      for (Item item : items) {
        byte[] by = sortBy == null ? item.element : lookupByPattern(ctx, sortBy, item.element);
        if (by == null) {
          continue; // a missing weight sorts as 0 (numeric) or first (ALPHA)
        }
        if (alpha) {
          item.sortBy = sortBy == null ? null : by;
        } else {
          item.score = strtod(by);
          conversionError |= Double.isNaN(item.score);
        }
      }
      if (conversionError) {
        throw new CommandError("ERR One or more scores can't be converted into double");
      }
      Comparator<Item> order = alpha
          ? (sortBy == null ? (a, b) -> Arrays.compareUnsigned(a.element, b.element) : SortCommand::compareSortBy)
          : (a, b) -> a.score > b.score ? 1 : a.score < b.score ? -1 : Arrays.compareUnsigned(a.element, b.element);
      Arrays.sort(items, desc ? order.reversed() : order);
    }
    int outputLength = (int) (end - start + 1) * (gets.isEmpty() ? 1 : gets.size());
    if (storeKey == null) {
      ctx.reply().arrayHeader(outputLength);
      for (long j = start; j <= end; j++) {
        byte[] element = items[(int) j].element;
        if (gets.isEmpty()) {
          ctx.reply().bulk(element);
        }
        for (byte[] pattern : gets) {
          ctx.reply().bulk(lookupByPattern(ctx, pattern, element)); // null: a null bulk
        }
      }
      return;
    }
    List<byte[]> stored = new ArrayList<>(Math.max(0, outputLength));
    for (long j = start; j <= end; j++) {
      byte[] element = items[(int) j].element;
      if (gets.isEmpty()) {
        stored.add(element);
      }
      for (byte[] pattern : gets) {
        byte[] value = lookupByPattern(ctx, pattern, element);
        stored.add(value == null ? new byte[0] : value);
      }
    }
    if (stored.isEmpty()) {
      if (ctx.db().delete(storeKey, ctx.nowMs())) {
        ctx.notify(KeyspaceEvents.GENERIC, "del", storeKey);
      }
    } else {
      ListValue list = new ListValue();
      stored.forEach(list::pushTail);
      ctx.db().put(storeKey, list, KeyTable.NO_EXPIRY);
      ctx.notify(KeyspaceEvents.LIST, "sortstore", storeKey);
    }
    ctx.reply().integer(stored.size());
  }

  /** ALPHA BY: a missing weight first, then binary order of the weights (ties keep no order, as in Redis). */
  private static int compareSortBy(Item a, Item b) {
    if (a.sortBy == null || b.sortBy == null) {
      return a.sortBy == b.sortBy ? 0 : a.sortBy == null ? -1 : 1;
    }
    return Arrays.compareUnsigned(a.sortBy, b.sortBy);
  }

  /** The value to sort: a list, set or sorted set, or null when the key is missing. */
  private static Object sourceValue(CommandContext ctx) {
    int slot = ctx.db().lookup(ctx.arg(1), ctx.nowMs());
    if (slot < 0) {
      return null;
    }
    Object value = ctx.db().table().valueAt(slot);
    if (!(value instanceof SortedSet) && !(value instanceof ListValue) && !(value instanceof SetValue)) {
      throw new CommandError(TypedKeys.WRONGTYPE);
    }
    return value;
  }

  /**
   * The elements in the source's own order: a list front to back, a sorted set by rank, a set in
   * iteration order. With nothing to sort (a constant BY) and DESC, a list or sorted set is read
   * back to front, as Redis does.
   */
  private static List<byte[]> elementsOf(Object source, boolean dontSort, boolean desc) {
    List<byte[]> out = new ArrayList<>();
    if (source == null) {
      return out;
    }
    if (source instanceof SortedSet zset) {
      if (dontSort && desc) {
        for (SortedSet.Node n = zset.last(); n != null; n = n.previous()) {
          out.add(n.member());
        }
      } else {
        for (SortedSet.Node n = zset.first(); n != null; n = n.next()) {
          out.add(n.member());
        }
      }
      return out;
    }
    if (source instanceof ListValue list) {
      for (int i = 0; i < list.size(); i++) {
        out.add(list.get(dontSort && desc ? list.size() - 1 - i : i));
      }
    } else {
      SetValue set = (SetValue) source;
      for (int p = 0; p < set.capacity(); p++) {
        if (set.occupied(p)) {
          out.add(set.memberAt(p));
        }
      }
    }
    return out;
  }

  /**
   * Redis's lookupKeyByPattern: "#" is the element itself; otherwise the first {@code *} is replaced
   * by the element, and {@code ->field} after it reads a hash field. A missing key, a key of another
   * type or a pattern without {@code *} gives null.
   */
  static byte[] lookupByPattern(CommandContext ctx, byte[] pattern, byte[] element) {
    if (pattern.length == 1 && pattern[0] == '#') {
      return element;
    }
    int star = indexOf(pattern, (byte) '*', 0);
    if (star < 0) {
      return null;
    }
    int arrow = -1;
    for (int i = star + 1; i + 1 < pattern.length; i++) {
      if (pattern[i] == '-' && pattern[i + 1] == '>') {
        arrow = i;
        break;
      }
    }
    boolean hashField = arrow >= 0 && arrow + 2 < pattern.length;
    int keyEnd = hashField ? arrow : pattern.length;
    byte[] key = new byte[star + element.length + (keyEnd - star - 1)];
    System.arraycopy(pattern, 0, key, 0, star);
    System.arraycopy(element, 0, key, star, element.length);
    System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
    Object value = ctx.db().get(key, ctx.nowMs());
    if (hashField) {
      return value instanceof HashValue hash ? hash.get(Arrays.copyOfRange(pattern, arrow + 2, pattern.length)) : null;
    }
    return value instanceof byte[] bytes ? bytes : null;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /**
   * C's strtod as SORT uses it: optional leading white space, a decimal or hexadecimal number,
   * inf/infinity, and nothing after it; the empty string is 0. NaN when it is not a number (or is
   * NaN, or overflows: Redis's ERANGE).
   */
  static double strtod(byte[] text) {
    int i = 0;
    while (i < text.length && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) {
      i++;
    }
    if (i == text.length) {
      return i == 0 ? 0 : Double.NaN;
    }
    String s = new String(text, i, text.length - i, java.nio.charset.StandardCharsets.ISO_8859_1);
    String unsigned = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    String lower = unsigned.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf") || lower.equals("infinity")) {
      return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (!unsigned.matches("(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?\\d+)?")) {
      return Double.NaN;
    }
    double d;
    if (lower.startsWith("0x")) {
      String hex = s.contains("p") || s.contains("P") ? s : s + "p0";
      d = Double.parseDouble(hex);
    } else {
      d = Double.parseDouble(s);
    }
    // ERANGE, which SORT refuses whatever the result: an overflow, and an underflow to zero or to
    // a subnormal number (glibc sets it for 5e-324 and 1e-400 alike; Redis 7.0.15 refuses both).
    boolean underflow = d == 0 ? Scores.hasNonZeroMantissa(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
        : Math.abs(d) < Double.MIN_NORMAL;
    if (Double.isInfinite(d) || underflow) {
      return Double.NaN;
    }
    return d;
  }
}

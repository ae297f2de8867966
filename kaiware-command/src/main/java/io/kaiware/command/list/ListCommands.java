package io.kaiware.command.list;

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
import io.kaiware.command.Propagation;
import io.kaiware.command.GetKeys;
import io.kaiware.command.KeySpec;
import io.kaiware.command.Numbers;
import io.kaiware.command.TypedKeys;
import io.kaiware.engine.KeyTable;
import io.kaiware.engine.ListValue;
import io.kaiware.resp.RespWriter;
import java.util.Arrays;
import java.util.List;

/**
 * The list family (Redis's t_list.c), replies and error texts as Redis 7.0 in RESP2 and RESP3,
 * including its order of checks (which commands parse their numbers before looking the key up,
 * which after). An emptied list deletes its key. The blocking variants (BLPOP, BRPOP, BLMOVE,
 * BRPOPLPUSH, BLMPOP) run here as Redis runs them inside MULTI: pop if a key has data, else the
 * timeout reply; the server parks the client and retries ({@link Blocking}).
 */
public final class ListCommands {
  private ListCommands() {}

  static final String NOT_POSITIVE = "ERR value is out of range, must be positive";
  static final String NO_SUCH_KEY = "ERR no such key";
  static final String OUT_OF_RANGE = "ERR index out of range";
  static final String RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
      + "or use negative to start from the end of the list";

  public static List<CommandSpec> specs() {
    String pushN = "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.";
    return List.of(
        command("lpush").arity(-3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("list").since("1.0.0").complexity(pushN)
            .summary("Prepends one or more elements to a list. Creates the key if it doesn't exist.")
            .handler(ctx -> push(ctx, true, false)).build(),
        command("rpush").arity(-3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("list").since("1.0.0").complexity(pushN)
            .summary("Appends one or more elements to a list. Creates the key if it doesn't exist.")
            .handler(ctx -> push(ctx, false, false)).build(),
        command("lpushx").arity(-3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("list").since("2.2.0").complexity(pushN)
            .summary("Prepends one or more elements to a list only when the list exists.")
            .handler(ctx -> push(ctx, true, true)).build(),
        command("rpushx").arity(-3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("list").since("2.2.0").complexity(pushN)
            .summary("Appends an element to a list only when the list exists.")
            .handler(ctx -> push(ctx, false, true)).build(),
        command("lpop").arity(-2).flags(WRITE, FAST).keys(1, 1, 1).group("list").since("1.0.0")
            .complexity("O(N) where N is the number of elements returned")
            .summary("Returns the first elements in a list after removing it. Deletes the list if the last element was popped.")
            .handler(ctx -> pop(ctx, true)).build(),
        command("rpop").arity(-2).flags(WRITE, FAST).keys(1, 1, 1).group("list").since("1.0.0")
            .complexity("O(N) where N is the number of elements returned")
            .summary("Returns and removes the last elements of a list. Deletes the list if the last element was popped.")
            .handler(ctx -> pop(ctx, false)).build(),
        command("llen").arity(2).flags(READONLY, FAST).keys(1, 1, 1).group("list").since("1.0.0")
            .summary("Returns the length of a list.").handler(ListCommands::llen).build(),
        command("lrange").arity(4).flags(READONLY).keys(1, 1, 1).group("list").since("1.0.0")
            .complexity("O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.")
            .summary("Returns a range of elements from a list.").handler(ListCommands::lrange).build(),
        command("lindex").arity(3).flags(READONLY).keys(1, 1, 1).group("list").since("1.0.0")
            .complexity("O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).")
            .summary("Returns an element from a list by its index.").handler(ListCommands::lindex).build(),
        command("lset").arity(4).flags(WRITE, DENYOOM).keys(1, 1, 1).group("list").since("1.0.0")
            .complexity("O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).")
            .summary("Sets the value of an element in a list by its index.").handler(ListCommands::lset).build(),
        command("lrem").arity(4).flags(WRITE).keys(1, 1, 1).group("list").since("1.0.0")
            .complexity("O(N+M) where N is the length of the list and M is the number of elements removed.")
            .summary("Removes elements from a list. Deletes the list if the last element was removed.")
            .handler(ListCommands::lrem).build(),
        command("ltrim").arity(4).flags(WRITE).keys(1, 1, 1).group("list").since("1.0.0")
            .complexity("O(N) where N is the number of elements to be removed by the operation.")
            .summary("Removes elements from both ends a list. Deletes the list if all elements were trimmed.")
            .handler(ListCommands::ltrim).build(),
        command("linsert").arity(5).flags(WRITE, DENYOOM).keys(1, 1, 1).group("list").since("2.2.0")
            .complexity("O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).")
            .summary("Inserts an element before or after another element in a list.").handler(ListCommands::linsert).build(),
        command("lpos").arity(-3).flags(READONLY).keys(1, 1, 1).group("list").since("6.0.6")
            .complexity("O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.")
            .summary("Returns the index of matching elements in a list.").handler(ListCommands::lpos).build(),
        command("lmove").arity(5).flags(WRITE, DENYOOM).keys(1, 2, 1).group("list").since("6.2.0")
            .summary("Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.")
            .handler(ListCommands::lmove).build(),
        command("rpoplpush").arity(3).flags(WRITE, DENYOOM).keys(1, 2, 1).group("list").since("1.2.0")
            .summary("Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.")
            .handler(ctx -> move(ctx, false, true)).build(),
        command("lmpop").arity(-4).flags(WRITE).group("list").since("7.0.0")
            .keySpecs(KeySpec.keyNum(1, 0, 1, 1, "RW", "access", "delete"))
            .getKeys(GetKeys.numKeys(0, 1, 2, 1))
            .complexity("O(N+M) where N is the number of provided keys and M is the number of elements returned.")
            .summary("Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.")
            .handler(ctx -> lmpop(ctx, 1, false)).build(),
        command("blpop").arity(-3).flags(WRITE, NOSCRIPT, BLOCKING).keys(1, -2, 1).group("list").since("2.0.0")
            .complexity("O(N) where N is the number of provided keys.")
            .summary("Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.")
            .handler(ctx -> bpop(ctx, true)).build(),
        command("brpop").arity(-3).flags(WRITE, NOSCRIPT, BLOCKING).keys(1, -2, 1).group("list").since("2.0.0")
            .complexity("O(N) where N is the number of provided keys.")
            .summary("Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.")
            .handler(ctx -> bpop(ctx, false)).build(),
        command("blmove").arity(6).flags(WRITE, DENYOOM, NOSCRIPT, BLOCKING).keys(1, 2, 1).group("list").since("6.2.0")
            .summary("Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.")
            .handler(ListCommands::blmove).build(),
        command("brpoplpush").arity(4).flags(WRITE, DENYOOM, NOSCRIPT, BLOCKING).keys(1, 2, 1).group("list").since("2.2.0")
            .summary("Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.")
            .handler(ListCommands::brpoplpush).build(),
        command("blmpop").arity(-5).flags(WRITE, BLOCKING).group("list").since("7.0.0")
            .keySpecs(KeySpec.keyNum(2, 0, 1, 1, "RW", "access", "delete"))
            .getKeys(GetKeys.numKeys(0, 2, 3, 1))
            .complexity("O(N+M) where N is the number of provided keys and M is the number of elements returned.")
            .summary("Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.")
            .handler(ctx -> lmpop(ctx, 2, true)).build());
  }

  // ---------------------------------------------------------------- helpers

  private static ListValue listAt(CommandContext ctx, int slot) {
    return TypedKeys.valueAt(ctx, slot);
  }

  /** LEFT or RIGHT (case-insensitive): true for LEFT; a syntax error otherwise. */
  private static boolean left(CommandContext ctx, int index) {
    if (ctx.argIs(index, "LEFT")) {
      return true;
    }
    if (ctx.argIs(index, "RIGHT")) {
      return false;
    }
    throw new CommandError(CommandError.SYNTAX);
  }

  /** A Redis index (negative counts from the tail) as a position in [0, size), or -1 when out of range. */
  private static int position(long index, int size) {
    if (index < 0) {
      index += size;
    }
    return index < 0 || index >= size ? -1 : (int) index;
  }

  /**
   * A range with Redis's rules (negative indexes from the tail, clamped): {start, end} inclusive,
   * or null when it is empty.
   */
  private static int[] range(long start, long end, int size) {
    if (start < 0) {
      start += size;
    }
    if (end < 0) {
      end += size;
    }
    if (start < 0) {
      start = 0;
    }
    if (start > end || start >= size) {
      return null;
    }
    if (end >= size) {
      end = size - 1;
    }
    return new int[] {(int) start, (int) end};
  }

  /**
   * Pops {@code count} elements from the head (in order) or from the tail (tail first), replying
   * with them as an array.
   */
  private static void popEnd(RespWriter reply, ListValue list, boolean head, int count) {
    reply.arrayHeader(count);
    int size = list.size();
    for (int i = 0; i < count; i++) {
      reply.bulk(list.get(head ? i : size - 1 - i));
    }
    if (head) {
      list.removeHead(count);
    } else {
      list.removeTail(count);
    }
  }

  // ---------------------------------------------------------------- commands

  /** LPUSH, RPUSH, LPUSHX, RPUSHX key element [element ...]. */
  private static void push(CommandContext ctx, boolean head, boolean onlyIfExists) {
    KeyTable table = ctx.db().table();
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), ListValue.class);
    ListValue list;
    if (slot < 0) {
      if (onlyIfExists) {
        ctx.reply().integer(0);
        return;
      }
      list = new ListValue();
      slot = table.put(ctx.arg(1), list, KeyTable.NO_EXPIRY);
    } else {
      list = listAt(ctx, slot);
    }
    list.reserve(ctx.argc() - 2);
    for (int i = 2; i < ctx.argc(); i++) {
      if (head) {
        list.pushHead(ctx.arg(i));
      } else {
        list.pushTail(ctx.arg(i));
      }
    }
    table.touch(slot);
    ctx.reply().integer(list.size());
    ctx.notify(KeyspaceEvents.LIST, head ? "lpush" : "rpush", ctx.arg(1));
  }

  /** LPOP, RPOP key [count]. */
  private static void pop(CommandContext ctx, boolean head) {
    if (ctx.argc() > 3) {
      throw new CommandError("ERR wrong number of arguments for '" + ctx.spec().name() + "' command");
    }
    boolean hasCount = ctx.argc() == 3;
    long count = hasCount ? ctx.longArgAtLeast(2, 0, NOT_POSITIVE) : 0;
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), ListValue.class);
    RespWriter reply = ctx.reply();
    if (slot < 0) {
      if (hasCount) {
        reply.nullArray();
      } else {
        reply.nullBulk();
      }
      return;
    }
    if (hasCount && count == 0) {
      reply.arrayHeader(0);
      return;
    }
    ListValue list = listAt(ctx, slot);
    if (!hasCount) {
      reply.bulk(head ? list.popHead() : list.popTail());
    } else {
      int n = (int) Math.min(count, list.size());
      popEnd(reply, list, head, n);
    }
    popped(ctx, ctx.arg(1), slot, list, head);
  }

  /** Redis's listElementsRemoved: the pop event, then the key's deletion and "del" if the list emptied. */
  private static void popped(CommandContext ctx, byte[] key, int slot, ListValue list, boolean head) {
    ctx.notify(KeyspaceEvents.LIST, head ? "lpop" : "rpop", key);
    TypedKeys.changed(ctx, slot, list.size() == 0);
    if (list.size() == 0) {
      ctx.notify(KeyspaceEvents.GENERIC, "del", key);
    }
  }

  private static void llen(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), ListValue.class);
    ctx.reply().integer(slot < 0 ? 0 : listAt(ctx, slot).size());
  }

  /** LRANGE key start stop: the numbers are parsed before the key is looked up. */
  private static void lrange(CommandContext ctx) {
    long start = ctx.longArg(2);
    long end = ctx.longArg(3);
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), ListValue.class);
    RespWriter reply = ctx.reply();
    if (slot < 0) {
      reply.arrayHeader(0);
      return;
    }
    ListValue list = listAt(ctx, slot);
    int[] r = range(start, end, list.size());
    if (r == null) {
      reply.arrayHeader(0);
      return;
    }
    reply.arrayHeader(r[1] - r[0] + 1);
    for (int i = r[0]; i <= r[1]; i++) {
      reply.bulk(list.get(i));
    }
  }

  /** LINDEX key index: the key is looked up first (a missing key answers nil whatever the index). */
  private static void lindex(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), ListValue.class);
    if (slot < 0) {
      ctx.reply().nullBulk();
      return;
    }
    long index = ctx.longArg(2);
    ListValue list = listAt(ctx, slot);
    int p = position(index, list.size());
    ctx.reply().bulk(p < 0 ? null : list.get(p));
  }

  /** LSET key index element: no such key, then WRONGTYPE, then the index. */
  private static void lset(CommandContext ctx) {
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), ListValue.class);
    if (slot < 0) {
      throw new CommandError(NO_SUCH_KEY);
    }
    long index = ctx.longArg(2);
    ListValue list = listAt(ctx, slot);
    int p = position(index, list.size());
    if (p < 0) {
      throw new CommandError(OUT_OF_RANGE);
    }
    list.set(p, ctx.arg(3));
    ctx.db().table().touch(slot);
    ctx.reply().ok();
    ctx.notify(KeyspaceEvents.LIST, "lset", ctx.arg(1));
  }

  /** LREM key count element: count > 0 from the head, < 0 from the tail, 0 all. */
  private static void lrem(CommandContext ctx) {
    long count = ctx.longArg(2);
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), ListValue.class);
    if (slot < 0) {
      ctx.reply().integer(0);
      return;
    }
    ListValue list = listAt(ctx, slot);
    // -Long.MIN_VALUE overflows to itself: Redis then never reaches the limit, so removes all.
    long limit = count < 0 ? Math.max(0, -count) : count;
    int removed = list.removeEqual(ctx.arg(3), limit, count < 0);
    if (removed > 0) {
      TypedKeys.changed(ctx, slot, list.size() == 0);
      ctx.notify(KeyspaceEvents.LIST, "lrem", ctx.arg(1));
      if (list.size() == 0) {
        ctx.notify(KeyspaceEvents.GENERIC, "del", ctx.arg(1));
      }
    }
    ctx.reply().integer(removed);
  }

  /** LTRIM key start stop: the numbers first; a missing key answers OK. */
  private static void ltrim(CommandContext ctx) {
    long start = ctx.longArg(2);
    long end = ctx.longArg(3);
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), ListValue.class);
    if (slot < 0) {
      ctx.reply().ok();
      return;
    }
    ListValue list = listAt(ctx, slot);
    int size = list.size();
    int[] r = range(start, end, size);
    int ltrim = r == null ? size : r[0];
    int rtrim = r == null ? 0 : size - r[1] - 1;
    list.removeHead(ltrim);
    list.removeTail(rtrim);
    // Redis signals the key as modified even when nothing was trimmed.
    TypedKeys.changed(ctx, slot, list.size() == 0);
    ctx.notify(KeyspaceEvents.LIST, "ltrim", ctx.arg(1));
    if (list.size() == 0) {
      ctx.notify(KeyspaceEvents.GENERIC, "del", ctx.arg(1));
    }
    ctx.reply().ok();
  }

  /** LINSERT key BEFORE|AFTER pivot element: -1 when the pivot is absent, 0 when the key is. */
  private static void linsert(CommandContext ctx) {
    boolean after;
    if (ctx.argIs(2, "AFTER")) {
      after = true;
    } else if (ctx.argIs(2, "BEFORE")) {
      after = false;
    } else {
      throw new CommandError(CommandError.SYNTAX);
    }
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), ListValue.class);
    if (slot < 0) {
      ctx.reply().integer(0);
      return;
    }
    ListValue list = listAt(ctx, slot);
    int pivot = list.indexOf(ctx.arg(3));
    if (pivot < 0) {
      ctx.reply().integer(-1);
      return;
    }
    list.insert(after ? pivot + 1 : pivot, ctx.arg(4));
    ctx.db().table().touch(slot);
    ctx.notify(KeyspaceEvents.LIST, "linsert", ctx.arg(1));
    ctx.reply().integer(list.size());
  }

  /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. */
  private static void lpos(CommandContext ctx) {
    long rank = 1;
    long count = -1; // -1: no COUNT option
    long maxlen = 0;
    for (int j = 3; j < ctx.argc(); j++) {
      boolean more = j < ctx.argc() - 1;
      if (more && ctx.argIs(j, "RANK")) {
        j++;
        rank = ctx.longArg(j);
        if (rank == 0) {
          throw new CommandError(RANK_ZERO);
        }
      } else if (more && ctx.argIs(j, "COUNT")) {
        j++;
        count = ctx.longArgAtLeast(j, 0, "ERR COUNT can't be negative");
      } else if (more && ctx.argIs(j, "MAXLEN")) {
        j++;
        maxlen = ctx.longArgAtLeast(j, 0, "ERR MAXLEN can't be negative");
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    boolean fromTail = rank < 0;
    if (fromTail) {
      rank = -rank; // Long.MIN_VALUE stays negative, as in Redis: every match then qualifies
    }
    RespWriter reply = ctx.reply();
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), ListValue.class);
    if (slot < 0) {
      if (count != -1) {
        reply.arrayHeader(0);
      } else {
        reply.nullBulk();
      }
      return;
    }
    ListValue list = listAt(ctx, slot);
    byte[] element = ctx.arg(2);
    int size = list.size();
    long matches = 0;
    // Without COUNT the first qualifying match is the answer: nothing to collect.
    long[] found = count == -1 ? null : new long[(int) Math.min(count == 0 ? 16 : count, 16)];
    int foundCount = 0;
    for (int index = 0; index < size && (maxlen == 0 || index < maxlen); index++) {
      int p = fromTail ? size - 1 - index : index;
      if (!Arrays.equals(list.get(p), element)) {
        continue;
      }
      matches++;
      if (matches >= rank) {
        if (found == null) {
          reply.integer(p);
          return;
        }
        if (foundCount == found.length) {
          found = Arrays.copyOf(found, found.length * 2);
        }
        found[foundCount++] = p;
        if (count != 0 && matches - rank + 1 >= count) {
          break;
        }
      }
    }
    if (found == null) {
      reply.nullBulk();
      return;
    }
    reply.arrayHeader(foundCount);
    for (int i = 0; i < foundCount; i++) {
      reply.integer(found[i]);
    }
  }

  /** LMOVE source destination LEFT|RIGHT LEFT|RIGHT. */
  private static void lmove(CommandContext ctx) {
    boolean fromHead = left(ctx, 3);
    boolean toHead = left(ctx, 4);
    move(ctx, fromHead, toHead);
  }

  /**
   * LMOVE and RPOPLPUSH: pops from the source, pushes onto the destination (the same list may be
   * both: the element then rotates), replies with the element. A missing source answers nil
   * before the destination's type is looked at.
   */
  private static void move(CommandContext ctx, boolean fromHead, boolean toHead) {
    byte[] source = ctx.arg(1);
    byte[] destination = ctx.arg(2);
    int slot = TypedKeys.findForWrite(ctx, source, ListValue.class);
    if (slot < 0) {
      ctx.reply().nullBulk();
      return;
    }
    ListValue from = listAt(ctx, slot);
    // The destination lookup may reclaim an expired key and shift slots: hold values, not slots.
    int dslot = TypedKeys.findForWrite(ctx, destination, ListValue.class);
    KeyTable table = ctx.db().table();
    ListValue to = dslot < 0 ? null : listAt(ctx, dslot);
    byte[] element = fromHead ? from.popHead() : from.popTail();
    if (to == null) {
      to = new ListValue();
      table.put(destination, to, KeyTable.NO_EXPIRY);
    }
    if (toHead) {
      to.pushHead(element);
    } else {
      to.pushTail(element);
    }
    table.touch(table.find(destination));
    ctx.notify(KeyspaceEvents.LIST, toHead ? "lpush" : "rpush", destination);
    popped(ctx, source, table.find(source), from, fromHead);
    ctx.reply().bulk(element);
  }

  /**
   * BLPOP, BRPOP key [key ...] timeout: the timeout first, then the keys in order; the first
   * non-empty list answers [key, element], a key of another type WRONGTYPE; none: the null array.
   */
  private static final byte[] LPOP = Propagation.bytes("LPOP");
  private static final byte[] RPOP = Propagation.bytes("RPOP");

  private static void bpop(CommandContext ctx, boolean head) {
    Blocking.timeoutMs(ctx, ctx.argc() - 1);
    for (int i = 1; i < ctx.argc() - 1; i++) {
      int slot = TypedKeys.findForWrite(ctx, ctx.arg(i), ListValue.class);
      if (slot < 0) {
        continue;
      }
      ListValue list = listAt(ctx, slot);
      RespWriter reply = ctx.reply();
      reply.arrayHeader(2);
      reply.bulk(ctx.arg(i));
      reply.bulk(head ? list.popHead() : list.popTail());
      popped(ctx, ctx.arg(i), slot, list, head);
      // Replicated as the pop it was, on the key it served (Redis: "[LR]POP instead of B[LR]POP").
      ctx.propagation().propagateAs(head ? LPOP : RPOP, ctx.arg(i));
      return;
    }
    ctx.reply().nullArray();
  }

  /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout: the directions, the timeout, then LMOVE. */
  private static void blmove(CommandContext ctx) {
    boolean fromHead = left(ctx, 3);
    boolean toHead = left(ctx, 4);
    Blocking.timeoutMs(ctx, 5);
    move(ctx, fromHead, toHead);
    if (ctx.propagation().wanted()) {
      ctx.propagation().propagateAs(Propagation.bytes("LMOVE"), ctx.arg(1), ctx.arg(2), ctx.arg(3), ctx.arg(4));
    }
  }

  /** BRPOPLPUSH source destination timeout. */
  private static void brpoplpush(CommandContext ctx) {
    Blocking.timeoutMs(ctx, 3);
    move(ctx, false, true);
    if (ctx.propagation().wanted()) {
      ctx.propagation().propagateAs(Propagation.bytes("RPOPLPUSH"), ctx.arg(1), ctx.arg(2));
    }
  }

  /**
   * LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count], and BLMPOP timeout numkeys ...: numkeys
   * at {@code numkeysIdx}; BLMPOP checks its timeout after the other arguments, as Redis does.
   */
  private static void lmpop(CommandContext ctx, int numkeysIdx, boolean blocking) {
    String numkeysError = "ERR numkeys should be greater than 0";
    long numkeys = ctx.longArgAtLeast(numkeysIdx, 1, numkeysError);
    if (numkeys >= ctx.argc() - numkeysIdx - 1) {
      throw new CommandError(CommandError.SYNTAX);
    }
    int whereIdx = (int) numkeys + numkeysIdx + 1;
    boolean head = left(ctx, whereIdx);
    long count = MultiPop.count(ctx, whereIdx + 1);
    if (blocking) {
      Blocking.timeoutMs(ctx, 1);
    }
    RespWriter reply = ctx.reply();
    for (int i = numkeysIdx + 1; i < whereIdx; i++) {
      int slot = TypedKeys.findForWrite(ctx, ctx.arg(i), ListValue.class);
      if (slot < 0) {
        continue;
      }
      ListValue list = listAt(ctx, slot);
      int n = (int) Math.min(count, list.size());
      reply.arrayHeader(2);
      reply.bulk(ctx.arg(i));
      popEnd(reply, list, head, n);
      popped(ctx, ctx.arg(i), slot, list, head);
      ctx.propagation().propagateAs(head ? LPOP : RPOP, ctx.arg(i), Numbers.toBytes(n)); // [LR]POP key count
      return;
    }
    reply.nullArray();
  }
}

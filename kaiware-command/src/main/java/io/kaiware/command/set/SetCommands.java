package io.kaiware.command.set;

import static io.kaiware.command.CommandFlag.DENYOOM;
import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.KeyspaceEvents;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.ElementScan;
import io.kaiware.command.GetKeys;
import io.kaiware.command.KeySpec;
import io.kaiware.command.Numbers;
import io.kaiware.command.TypedKeys;
import io.kaiware.command.hash.HashCommands.RandomElements;
import io.kaiware.command.keys.KeyCommands;
import io.kaiware.engine.Database;
import io.kaiware.engine.KeyTable;
import io.kaiware.engine.SetValue;
import io.kaiware.resp.RespWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The set family (Redis 7.0's t_set.c): replies, error texts and resulting encodings as Redis
 * gives them, in RESP2 and RESP3 (SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a count answer a
 * set {@code ~}; SRANDMEMBER an array).
 *
 * <p>Randomness: SRANDMEMBER is a read and draws from {@link Database#randomSeed}; SPOP is a write
 * and draws from {@link Database#writeRandomSeed}, which only writes advance (and the Raft snapshot
 * saves), and turns each draw into a member with {@link SetValue#randomPosition}, uniform and
 * dependent on the members alone, not on the table layout a snapshot install changes: so every replica applying
 * the log pops the same members. (Redis replicates SPOP as SREMs instead; Kaiware replicates the
 * command.) Where Redis switches algorithm with the sizes involved
 * in a way that shows (SPOP's "keep the rest in a new set", SDIFF's two algorithms: both decide the
 * resulting set's encoding), this class makes the same switch.
 */
public final class SetCommands {
  private SetCommands() {}

  static final String POSITIVE = "ERR value is out of range, must be positive";

  /** Redis's SPOP_MOVE_STRATEGY_MUL. */
  private static final int SPOP_MOVE_STRATEGY_MUL = 5;

  public static List<CommandSpec> specs() {
    return List.of(
        command("sadd").arity(-3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("set").since("1.0.0")
            .complexity("O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
            .summary("Add one or more members to a set").handler(SetCommands::sadd).build(),
        command("srem").arity(-3).flags(WRITE, FAST).keys(1, 1, 1).group("set").since("1.0.0")
            .complexity("O(N) where N is the number of members to be removed.")
            .summary("Remove one or more members from a set").handler(SetCommands::srem).build(),
        command("smembers").arity(2).flags(READONLY).keys(1, 1, 1).group("set").since("1.0.0")
            .complexity("O(N) where N is the set cardinality.")
            .summary("Get all the members in a set").handler(ctx -> sinter(ctx, 1, null, false, 0)).build(),
        command("sismember").arity(3).flags(READONLY, FAST).keys(1, 1, 1).group("set").since("1.0.0")
            .summary("Determine if a given value is a member of a set").handler(SetCommands::sismember).build(),
        command("smismember").arity(-3).flags(READONLY, FAST).keys(1, 1, 1).group("set").since("6.2.0")
            .complexity("O(N) where N is the number of elements being checked for membership")
            .summary("Returns the membership associated with the given elements for a set").handler(SetCommands::smismember).build(),
        command("scard").arity(2).flags(READONLY, FAST).keys(1, 1, 1).group("set").since("1.0.0")
            .summary("Get the number of members in a set").handler(SetCommands::scard).build(),
        command("spop").arity(-2).flags(WRITE, FAST).keys(1, 1, 1).group("set").since("1.0.0")
            .complexity("Without the count argument O(1), otherwise O(N) where N is the value of the passed count.")
            .summary("Remove and return one or multiple random members from a set").handler(SetCommands::spop).build(),
        command("srandmember").arity(-2).flags(READONLY).keys(1, 1, 1).group("set").since("1.0.0")
            .complexity("Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.")
            .summary("Get one or multiple random members from a set").handler(SetCommands::srandmember).build(),
        command("smove").arity(4).flags(WRITE, FAST).keys(1, 2, 1).group("set").since("1.0.0")
            .summary("Move a member from one set to another").handler(SetCommands::smove).build(),
        command("sinter").arity(-2).flags(READONLY).keys(1, -1, 1).group("set").since("1.0.0")
            .complexity("O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
            .summary("Intersect multiple sets").handler(ctx -> sinter(ctx, 1, null, false, 0)).build(),
        command("sintercard").arity(-3).flags(READONLY).group("set").since("7.0.0")
            .keySpecs(KeySpec.keyNum(1, 0, 1, 1, "RO", "access"))
            .getKeys(GetKeys.numKeys(0, 1, 2, 1))
            .complexity("O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
            .summary("Intersect multiple sets and return the cardinality of the result").handler(SetCommands::sintercard).build(),
        command("sinterstore").arity(-3).flags(WRITE, DENYOOM).keys(1, -1, 1).group("set").since("1.0.0")
            .complexity("O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
            .summary("Intersect multiple sets and store the resulting set in a key")
            .handler(ctx -> sinter(ctx, 2, ctx.arg(1), false, 0)).build(),
        command("sunion").arity(-2).flags(READONLY).keys(1, -1, 1).group("set").since("1.0.0")
            .complexity("O(N) where N is the total number of elements in all given sets.")
            .summary("Add multiple sets").handler(ctx -> sunionDiff(ctx, 1, null, false)).build(),
        command("sunionstore").arity(-3).flags(WRITE, DENYOOM).keys(1, -1, 1).group("set").since("1.0.0")
            .complexity("O(N) where N is the total number of elements in all given sets.")
            .summary("Add multiple sets and store the resulting set in a key")
            .handler(ctx -> sunionDiff(ctx, 2, ctx.arg(1), false)).build(),
        command("sdiff").arity(-2).flags(READONLY).keys(1, -1, 1).group("set").since("1.0.0")
            .complexity("O(N) where N is the total number of elements in all given sets.")
            .summary("Subtract multiple sets").handler(ctx -> sunionDiff(ctx, 1, null, true)).build(),
        command("sdiffstore").arity(-3).flags(WRITE, DENYOOM).keys(1, -1, 1).group("set").since("1.0.0")
            .complexity("O(N) where N is the total number of elements in all given sets.")
            .summary("Subtract multiple sets and store the resulting set in a key")
            .handler(ctx -> sunionDiff(ctx, 2, ctx.arg(1), true)).build(),
        command("sscan").arity(-3).flags(READONLY).keys(1, 1, 1).group("set").since("2.8.0")
            .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..")
            .summary("Incrementally iterate Set elements").handler(SetCommands::sscan).build());
  }

  /** set-max-intset-entries, for every add: when an intset becomes a hashtable. */
  private static int maxIntset(CommandContext ctx) {
    return ctx.dispatcher().compactEncodings().setMaxIntsetEntries();
  }

  /** The set in {@code slot}. */
  private static SetValue setAt(CommandContext ctx, int slot) {
    return TypedKeys.valueAt(ctx, slot);
  }

  /** The set at {@code key} for a read, or {@code null} when missing (WRONGTYPE for another type). */
  private static SetValue readSet(CommandContext ctx, byte[] key) {
    int slot = TypedKeys.findForRead(ctx, key, SetValue.class);
    return slot < 0 ? null : setAt(ctx, slot);
  }

  /** Replies with every member of {@code set} in its iteration order, as a set (RESP3 {@code ~}). */
  private static void replyMembers(RespWriter reply, SetValue set) {
    reply.setHeader(set.size());
    for (int p = 0; p < set.capacity(); p++) {
      if (set.occupied(p)) {
        reply.bulk(set.memberAt(p));
      }
    }
  }

  /** Argument {@code index} as a long, or {@code message} when it is not one. */
  private static long longArgOr(CommandContext ctx, int index, String message) {
    long value = Numbers.parseLong(ctx.arg(index));
    if (value == Numbers.NOT_A_LONG && !Numbers.isMinLong(ctx.arg(index))) {
      throw new CommandError(message);
    }
    return value;
  }

  // ---------------------------------------------------------------- SADD, SREM, SMOVE

  private static void sadd(CommandContext ctx) {
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), SetValue.class);
    if (slot < 0) {
      slot = ctx.db().table().put(ctx.arg(1), new SetValue(), KeyTable.NO_EXPIRY);
    }
    SetValue set = setAt(ctx, slot);
    int maxIntset = maxIntset(ctx);
    long added = 0;
    for (int i = 2; i < ctx.argc(); i++) {
      if (set.add(ctx.arg(i), maxIntset)) {
        added++;
      }
    }
    if (added > 0) {
      ctx.db().table().touch(slot);
      ctx.notify(KeyspaceEvents.SET, "sadd", ctx.arg(1));
    }
    ctx.reply().integer(added);
  }

  private static void srem(CommandContext ctx) {
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), SetValue.class);
    if (slot < 0) {
      ctx.reply().integer(0);
      return;
    }
    SetValue set = setAt(ctx, slot);
    long deleted = 0;
    for (int i = 2; i < ctx.argc(); i++) {
      if (set.remove(ctx.arg(i))) {
        deleted++;
        if (set.size() == 0) {
          break;
        }
      }
    }
    if (deleted > 0) {
      TypedKeys.changed(ctx, slot, set.size() == 0);
      ctx.notify(KeyspaceEvents.SET, "srem", ctx.arg(1));
      if (set.size() == 0) {
        ctx.notify(KeyspaceEvents.GENERIC, "del", ctx.arg(1));
      }
    }
    ctx.reply().integer(deleted);
  }

  /** SMOVE source destination member, with Redis's order of checks. */
  private static void smove(CommandContext ctx) {
    Database db = ctx.db();
    byte[] srcKey = ctx.arg(1);
    byte[] dstKey = ctx.arg(2);
    byte[] member = ctx.arg(3);
    // Both lookups reclaim an expired key first (as Redis's two lookupKeyWrite); a reclaim can shift
    // the other key's slot, so the slots are found afterwards.
    db.lookup(srcKey, ctx.nowMs());
    db.lookup(dstKey, ctx.nowMs());
    int srcSlot = db.table().find(srcKey);
    int dstSlot = db.table().find(dstKey);
    if (srcSlot < 0) {
      ctx.reply().integer(0); // a missing source answers 0 before any type check
      return;
    }
    if (!(db.table().valueAt(srcSlot) instanceof SetValue src)
        || (dstSlot >= 0 && !(db.table().valueAt(dstSlot) instanceof SetValue))) {
      throw new CommandError(TypedKeys.WRONGTYPE);
    }
    if (srcSlot == dstSlot) {
      ctx.reply().integer(src.contains(member) ? 1 : 0);
      return;
    }
    if (!src.remove(member)) {
      ctx.reply().integer(0);
      return;
    }
    // Deleting the emptied source may shift the destination's slot: look it up again after.
    TypedKeys.changed(ctx, srcSlot, src.size() == 0);
    ctx.notify(KeyspaceEvents.SET, "srem", srcKey);
    if (src.size() == 0) {
      ctx.notify(KeyspaceEvents.GENERIC, "del", srcKey);
    }
    dstSlot = db.table().find(dstKey);
    if (dstSlot < 0) {
      dstSlot = db.table().put(dstKey, new SetValue(), KeyTable.NO_EXPIRY);
    }
    if (setAt(ctx, dstSlot).add(member, maxIntset(ctx))) {
      db.table().touch(dstSlot);
      ctx.notify(KeyspaceEvents.SET, "sadd", dstKey);
    }
    ctx.reply().integer(1);
  }

  // ---------------------------------------------------------------- membership, cardinality

  private static void sismember(CommandContext ctx) {
    SetValue set = readSet(ctx, ctx.arg(1));
    ctx.reply().integer(set != null && set.contains(ctx.arg(2)) ? 1 : 0);
  }

  private static void smismember(CommandContext ctx) {
    SetValue set = readSet(ctx, ctx.arg(1));
    ctx.reply().arrayHeader(ctx.argc() - 2);
    for (int i = 2; i < ctx.argc(); i++) {
      ctx.reply().integer(set != null && set.contains(ctx.arg(i)) ? 1 : 0);
    }
  }

  private static void scard(CommandContext ctx) {
    SetValue set = readSet(ctx, ctx.arg(1));
    ctx.reply().integer(set == null ? 0 : set.size());
  }

  // ---------------------------------------------------------------- SPOP, SRANDMEMBER

  /** SPOP key [count]. */
  private static void spop(CommandContext ctx) {
    if (ctx.argc() > 3) {
      throw new CommandError(CommandError.SYNTAX);
    }
    if (ctx.argc() == 3) {
      spopWithCount(ctx);
      return;
    }
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), SetValue.class);
    if (slot < 0) {
      ctx.reply().nullBulk();
      return;
    }
    SetValue set = setAt(ctx, slot);
    byte[] member = set.memberAt(set.randomPosition(ctx.db().writeRandomSeed(ctx.nowMs())));
    set.remove(member);
    ctx.notify(KeyspaceEvents.SET, "spop", ctx.arg(1));
    ctx.propagation().propagateAs(SREM, ctx.arg(1), member); // the member drawn, not the draw
    ctx.reply().bulk(member);
    TypedKeys.changed(ctx, slot, set.size() == 0);
    if (set.size() == 0) {
      ctx.notify(KeyspaceEvents.GENERIC, "del", ctx.arg(1));
    }
  }

  /** Redis's spopWithCountCommand: its three cases, which decide what the set looks like after. */
  private static void spopWithCount(CommandContext ctx) {
    long count = longArgOr(ctx, 2, POSITIVE);
    if (count < 0) {
      throw new CommandError(POSITIVE);
    }
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), SetValue.class);
    if (slot < 0 || count == 0) {
      ctx.reply().setHeader(0);
      return;
    }
    SetValue set = setAt(ctx, slot);
    int size = set.size();
    ctx.notify(KeyspaceEvents.SET, "spop", ctx.arg(1));
    if (count >= size) {
      // Case 1: the whole set, answered as Redis does (through a union into a fresh set), then gone.
      replyMembers(ctx.reply(), union(List.of(set), maxIntset(ctx)));
      ctx.db().table().removeAt(slot);
      ctx.notify(KeyspaceEvents.GENERIC, "del", ctx.arg(1));
      ctx.propagation().propagateAs(io.kaiware.command.Propagation.DEL_WORD, ctx.arg(1));
      return;
    }
    SplittableRandom random = new SplittableRandom(ctx.db().writeRandomSeed(ctx.nowMs()));
    RespWriter reply = ctx.reply();
    reply.setHeader((int) count);
    long remaining = size - count;
    if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
      // Case 2: pop random members one by one.
      for (long i = 0; i < count; i++) {
        byte[] member = set.memberAt(set.randomPosition(random.nextLong()));
        set.remove(member);
        reply.bulk(member);
        propagateSrem(ctx, member);
      }
      ctx.db().table().touch(slot);
    } else {
      // Case 3: move the members that stay into a new set (its encoding decided afresh), answer
      // the rest.
      SetValue kept = new SetValue();
      for (long i = 0; i < remaining; i++) {
        byte[] member = set.memberAt(set.randomPosition(random.nextLong()));
        kept.add(member, maxIntset(ctx));
        set.remove(member);
      }
      for (int p = 0; p < set.capacity(); p++) {
        if (set.occupied(p)) {
          reply.bulk(set.memberAt(p));
          propagateSrem(ctx, set.memberAt(p));
        }
      }
      ctx.db().table().setValueAt(slot, kept);
    }
  }

  private static final byte[] SREM = io.kaiware.command.Propagation.bytes("SREM");

  /** SPOP with a count replicates as one SREM per member popped (Redis 7.0), not as itself. */
  private static void propagateSrem(CommandContext ctx, byte[] member) {
    if (ctx.propagation().wanted()) {
      ctx.propagation().prevent();
      ctx.propagation().also(ctx.session().db(), SREM, ctx.arg(1), member);
    }
  }

  /** SRANDMEMBER key [count]. */
  private static void srandmember(CommandContext ctx) {
    if (ctx.argc() > 3) {
      throw new CommandError(CommandError.SYNTAX);
    }
    if (ctx.argc() == 3) {
      long count = ctx.longArg(2);
      if (count == Long.MIN_VALUE) {
        throw new CommandError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
      }
      SetValue set = readSet(ctx, ctx.arg(1));
      if (set == null || count == 0) {
        ctx.reply().arrayHeader(0);
        return;
      }
      int[] positions = RandomElements.pick(set.size(), set.capacity(), set::occupied, set::randomPosition, count,
          ctx.db().randomSeed(ctx.nowMs()));
      ctx.reply().arrayHeader(positions.length);
      for (int p : positions) {
        ctx.reply().bulk(set.memberAt(p));
      }
      return;
    }
    SetValue set = readSet(ctx, ctx.arg(1));
    if (set == null) {
      ctx.reply().nullBulk();
      return;
    }
    ctx.reply().bulk(set.memberAt(set.randomPosition(ctx.db().randomSeed(ctx.nowMs()))));
  }

  // ---------------------------------------------------------------- SINTER, SUNION, SDIFF

  /**
   * Redis's sinterGenericCommand over the keys from argument {@code first} on (SMEMBERS is SINTER
   * of one key): every key is looked up and type-checked before a missing one empties the result.
   */
  private static void sinter(CommandContext ctx, int first, byte[] dstKey, boolean cardinalityOnly, long limit) {
    sinter(ctx, first, ctx.argc(), dstKey, cardinalityOnly, limit);
  }

  private static void sinter(CommandContext ctx, int first, int end, byte[] dstKey, boolean cardinalityOnly, long limit) {
    SetValue[] sets = new SetValue[end - first];
    boolean empty = false;
    for (int i = first; i < end; i++) {
      sets[i - first] = readSet(ctx, ctx.arg(i));
      empty |= sets[i - first] == null;
    }
    if (empty) {
      if (dstKey != null) {
        if (ctx.db().delete(dstKey, ctx.nowMs())) {
          ctx.notify(KeyspaceEvents.GENERIC, "del", dstKey);
        }
        ctx.reply().integer(0);
      } else if (cardinalityOnly) {
        ctx.reply().integer(0);
      } else {
        ctx.reply().setHeader(0);
      }
      return;
    }
    // Smallest first (a stable sort: equal sizes keep the argument order).
    Arrays.sort(sets, Comparator.comparingInt(SetValue::size));
    SetValue smallest = sets[0];
    List<byte[]> members = new ArrayList<>();
    long cardinality = 0;
    for (int p = 0; p < smallest.capacity(); p++) {
      if (!smallest.occupied(p)) {
        continue;
      }
      byte[] member = smallest.memberAt(p);
      boolean inAll = true;
      for (int j = 1; j < sets.length && inAll; j++) {
        inAll = sets[j] == smallest || sets[j].contains(member);
      }
      if (inAll) {
        cardinality++;
        if (cardinalityOnly) {
          if (limit > 0 && cardinality >= limit) {
            break;
          }
        } else {
          members.add(member);
        }
      }
    }
    if (cardinalityOnly) {
      ctx.reply().integer(cardinality);
    } else if (dstKey == null) {
      ctx.reply().setHeader(members.size());
      for (byte[] m : members) {
        ctx.reply().bulk(m);
      }
    } else {
      SetValue result = new SetValue();
      int maxIntset = maxIntset(ctx);
      for (byte[] m : members) {
        result.add(m, maxIntset);
      }
      store(ctx, dstKey, result, "sinterstore");
    }
  }

  /** SINTERCARD numkeys key [key ...] [LIMIT limit]. */
  private static void sintercard(CommandContext ctx) {
    long numkeys = longArgOr(ctx, 1, "ERR numkeys should be greater than 0");
    if (numkeys < 1) {
      throw new CommandError("ERR numkeys should be greater than 0");
    }
    if (numkeys > ctx.argc() - 2) {
      throw new CommandError("ERR Number of keys can't be greater than number of args");
    }
    int end = 2 + (int) numkeys;
    long limit = 0;
    for (int j = end; j < ctx.argc(); j++) {
      if (ctx.argIs(j, "LIMIT") && j + 1 < ctx.argc()) {
        j++;
        limit = longArgOr(ctx, j, "ERR LIMIT can't be negative");
        if (limit < 0) {
          throw new CommandError("ERR LIMIT can't be negative");
        }
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    sinter(ctx, 2, end, null, true, limit);
  }

  /** A fresh set holding every member of {@code sets} (nulls are empty sets). */
  private static SetValue union(List<SetValue> sets, int maxIntset) {
    SetValue result = new SetValue();
    for (SetValue s : sets) {
      if (s == null) {
        continue;
      }
      for (int p = 0; p < s.capacity(); p++) {
        if (s.occupied(p)) {
          result.add(s.memberAt(p), maxIntset);
        }
      }
    }
    return result;
  }

  /** Redis's sunionDiffGenericCommand over the keys from argument {@code first} on. */
  private static void sunionDiff(CommandContext ctx, int first, byte[] dstKey, boolean diff) {
    List<SetValue> sets = new ArrayList<>(ctx.argc() - first);
    boolean sameSet = false;
    for (int i = first; i < ctx.argc(); i++) {
      SetValue s = readSet(ctx, ctx.arg(i));
      if (s != null && !sets.isEmpty() && s == sets.get(0)) {
        sameSet = true;
      }
      sets.add(s);
    }
    SetValue result;
    if (!diff) {
      result = union(sets, maxIntset(ctx));
    } else if (sameSet || sets.get(0) == null) {
      result = new SetValue(); // the first set minus itself, or a missing first set: empty
    } else {
      result = difference(sets, maxIntset(ctx));
    }
    if (dstKey == null) {
      replyMembers(ctx.reply(), result);
    } else {
      store(ctx, dstKey, result, diff ? "sdiffstore" : "sunionstore");
    }
  }

  /**
   * The first set minus the others, by whichever of Redis's two algorithms Redis would pick for
   * these sizes: the choice shows in the result's encoding (algorithm 2 adds every member of the
   * first set before removing, which can leave a hashtable where algorithm 1 builds an intset).
   */
  private static SetValue difference(List<SetValue> sets, int maxIntset) {
    SetValue head = sets.get(0);
    long algoOneWork = 0;
    long algoTwoWork = 0;
    for (SetValue s : sets) {
      if (s != null) {
        algoOneWork += head.size();
        algoTwoWork += s.size();
      }
    }
    algoOneWork /= 2;
    SetValue result = new SetValue();
    if (algoOneWork <= algoTwoWork) {
      for (int p = 0; p < head.capacity(); p++) {
        if (!head.occupied(p)) {
          continue;
        }
        byte[] member = head.memberAt(p);
        boolean elsewhere = false;
        for (int j = 1; j < sets.size() && !elsewhere; j++) {
          elsewhere = sets.get(j) != null && sets.get(j).contains(member);
        }
        if (!elsewhere) {
          result.add(member, maxIntset);
        }
      }
      return result;
    }
    for (int j = 0; j < sets.size(); j++) {
      SetValue s = sets.get(j);
      if (s == null) {
        continue;
      }
      for (int p = 0; p < s.capacity(); p++) {
        if (s.occupied(p)) {
          if (j == 0) {
            result.add(s.memberAt(p), maxIntset);
          } else {
            result.remove(s.memberAt(p));
          }
        }
      }
      if (result.size() == 0) {
        break;
      }
    }
    return result;
  }

  /**
   * The *STORE ending: a non-empty result replaces whatever {@code dstKey} held (any type; the key
   * loses its TTL, as Redis's setKey), an empty one deletes it; the reply is the result's size.
   */
  private static void store(CommandContext ctx, byte[] dstKey, SetValue result, String event) {
    if (result.size() > 0) {
      ctx.db().lookup(dstKey, ctx.nowMs()); // reclaim an expired destination first
      ctx.db().put(dstKey, result, KeyTable.NO_EXPIRY);
      ctx.notify(KeyspaceEvents.SET, event, dstKey);
    } else if (ctx.db().delete(dstKey, ctx.nowMs())) {
      ctx.notify(KeyspaceEvents.GENERIC, "del", dstKey);
    }
    ctx.reply().integer(result.size());
  }

  // ---------------------------------------------------------------- SSCAN

  private static void sscan(CommandContext ctx) {
    KeyCommands.parseCursor(ctx.arg(2)); // an invalid cursor is an error even for a missing key
    SetValue set = readSet(ctx, ctx.arg(1));
    if (set == null) {
      ElementScan.emptyScan(ctx);
    } else if (set.table() != null) {
      ElementScan.scan(ctx, set.table(), null);
    } else {
      List<byte[]> members = new ArrayList<>(set.size());
      for (int p = 0; p < set.capacity(); p++) {
        members.add(set.memberAt(p));
      }
      ElementScan.scanAll(ctx, members);
    }
  }
}

package io.kaiware.command.hash;

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
import io.kaiware.command.Numbers;
import io.kaiware.command.TypedKeys;
import io.kaiware.command.string.LongDoubles;
import io.kaiware.engine.HashValue;
import io.kaiware.engine.KeyTable;
import io.kaiware.resp.RespWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.function.LongToIntFunction;

/**
 * The hash family (Redis's t_hash.c), replies and error texts as Redis 7.0 in RESP2 and RESP3.
 * HRANDFIELD draws from {@link io.kaiware.engine.Database#randomSeed}, so it is deterministic in
 * the command log.
 */
public final class HashCommands {
  private HashCommands() {}

  static final String NOT_AN_INTEGER = "ERR hash value is not an integer";
  static final String NOT_A_FLOAT = "ERR hash value is not a float";
  static final String OVERFLOW = "ERR increment or decrement would overflow";
  static final String NAN_OR_INF = "ERR increment would produce NaN or Infinity";

  public static List<CommandSpec> specs() {
    return List.of(
        command("hset").arity(-4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
            .complexity("O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.")
            .summary("Creates or modifies the value of a field in a hash.").handler(ctx -> hset(ctx, false)).build(),
        command("hmset").arity(-4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
            .complexity("O(N) where N is the number of fields being set.")
            .summary("Sets the values of multiple fields.").handler(ctx -> hset(ctx, true)).build(),
        command("hsetnx").arity(4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
            .summary("Sets the value of a field in a hash only when the field doesn't exist.").handler(HashCommands::hsetnx).build(),
        command("hget").arity(3).flags(READONLY, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
            .summary("Returns the value of a field in a hash.").handler(HashCommands::hget).build(),
        command("hmget").arity(-3).flags(READONLY, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
            .complexity("O(N) where N is the number of fields being requested.")
            .summary("Returns the values of all fields in a hash.").handler(HashCommands::hmget).build(),
        command("hdel").arity(-3).flags(WRITE, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
            .complexity("O(N) where N is the number of fields to be removed.")
            .summary("Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.")
            .handler(HashCommands::hdel).build(),
        command("hexists").arity(3).flags(READONLY, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
            .summary("Determines whether a field exists in a hash.").handler(HashCommands::hexists).build(),
        command("hlen").arity(2).flags(READONLY, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
            .summary("Returns the number of fields in a hash.").handler(HashCommands::hlen).build(),
        command("hstrlen").arity(3).flags(READONLY, FAST).keys(1, 1, 1).group("hash").since("3.2.0")
            .summary("Returns the length of the value of a field.").handler(HashCommands::hstrlen).build(),
        command("hkeys").arity(2).flags(READONLY).keys(1, 1, 1).group("hash").since("2.0.0")
            .complexity("O(N) where N is the size of the hash.")
            .summary("Returns all fields in a hash.").handler(ctx -> hgetall(ctx, true, false)).build(),
        command("hvals").arity(2).flags(READONLY).keys(1, 1, 1).group("hash").since("2.0.0")
            .complexity("O(N) where N is the size of the hash.")
            .summary("Returns all values in a hash.").handler(ctx -> hgetall(ctx, false, true)).build(),
        command("hgetall").arity(2).flags(READONLY).keys(1, 1, 1).group("hash").since("2.0.0")
            .complexity("O(N) where N is the size of the hash.")
            .summary("Returns all fields and values in a hash.").handler(ctx -> hgetall(ctx, true, true)).build(),
        command("hincrby").arity(4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
            .summary("Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.")
            .handler(HashCommands::hincrby).build(),
        command("hincrbyfloat").arity(4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("hash").since("2.6.0")
            .summary("Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.")
            .handler(HashCommands::hincrbyfloat).build(),
        command("hrandfield").arity(-2).flags(READONLY).keys(1, 1, 1).group("hash").since("6.2.0")
            .complexity("O(N) where N is the number of fields returned")
            .summary("Returns one or more random fields from a hash.").handler(HashCommands::hrandfield).build(),
        command("hscan").arity(-3).flags(READONLY).keys(1, 1, 1).group("hash").since("2.8.0")
            .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.")
            .summary("Iterates over fields and values of a hash.").handler(HashCommands::hscan).build());
  }

  /** The hash in {@code slot}. */
  private static HashValue hashAt(CommandContext ctx, int slot) {
    return TypedKeys.valueAt(ctx, slot);
  }

  /** The slot of the hash at {@code key}, created empty if missing (WRONGTYPE for another type). */
  private static int findOrCreate(CommandContext ctx, byte[] key) {
    int slot = TypedKeys.findForWrite(ctx, key, HashValue.class);
    if (slot < 0) {
      slot = ctx.db().table().put(key, new HashValue(), KeyTable.NO_EXPIRY);
    }
    return slot;
  }

  private static void hset(CommandContext ctx, boolean hmset) {
    if (ctx.argc() % 2 == 1) {
      throw new CommandError("ERR wrong number of arguments for '" + ctx.spec().name() + "' command");
    }
    int slot = findOrCreate(ctx, ctx.arg(1));
    HashValue hash = hashAt(ctx, slot);
    long created = 0;
    for (int i = 2; i < ctx.argc(); i += 2) {
      if (hash.put(ctx.arg(i), ctx.arg(i + 1))) {
        created++;
      }
      ctx.dispatcher().compactEncodings().hashWritten(hash, ctx.arg(i), ctx.arg(i + 1));
    }
    ctx.db().table().touch(slot);
    ctx.notify(KeyspaceEvents.HASH, "hset", ctx.arg(1));
    if (hmset) {
      ctx.reply().ok();
    } else {
      ctx.reply().integer(created);
    }
  }

  private static void hsetnx(CommandContext ctx) {
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), HashValue.class);
    if (slot >= 0 && hashAt(ctx, slot).get(ctx.arg(2)) != null) {
      // Redis converts on the lengths before it looks for the field.
      ctx.dispatcher().compactEncodings().hashWritten(hashAt(ctx, slot), ctx.arg(2), ctx.arg(3));
      ctx.reply().integer(0);
      return;
    }
    slot = findOrCreate(ctx, ctx.arg(1));
    hashAt(ctx, slot).put(ctx.arg(2), ctx.arg(3));
    ctx.dispatcher().compactEncodings().hashWritten(hashAt(ctx, slot), ctx.arg(2), ctx.arg(3));
    ctx.db().table().touch(slot);
    ctx.notify(KeyspaceEvents.HASH, "hset", ctx.arg(1));
    ctx.reply().integer(1);
  }

  private static void hget(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), HashValue.class);
    ctx.reply().bulk(slot < 0 ? null : hashAt(ctx, slot).get(ctx.arg(2)));
  }

  private static void hmget(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), HashValue.class);
    HashValue hash = slot < 0 ? null : hashAt(ctx, slot);
    ctx.reply().arrayHeader(ctx.argc() - 2);
    for (int i = 2; i < ctx.argc(); i++) {
      ctx.reply().bulk(hash == null ? null : hash.get(ctx.arg(i)));
    }
  }

  private static void hdel(CommandContext ctx) {
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), HashValue.class);
    if (slot < 0) {
      ctx.reply().integer(0);
      return;
    }
    HashValue hash = hashAt(ctx, slot);
    long deleted = 0;
    for (int i = 2; i < ctx.argc(); i++) {
      if (hash.remove(ctx.arg(i))) {
        deleted++;
        if (hash.size() == 0) {
          break;
        }
      }
    }
    if (deleted > 0) {
      TypedKeys.changed(ctx, slot, hash.size() == 0);
      ctx.notify(KeyspaceEvents.HASH, "hdel", ctx.arg(1));
      if (hash.size() == 0) {
        ctx.notify(KeyspaceEvents.GENERIC, "del", ctx.arg(1));
      }
    }
    ctx.reply().integer(deleted);
  }

  private static void hexists(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), HashValue.class);
    ctx.reply().integer(slot >= 0 && hashAt(ctx, slot).get(ctx.arg(2)) != null ? 1 : 0);
  }

  private static void hlen(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), HashValue.class);
    ctx.reply().integer(slot < 0 ? 0 : hashAt(ctx, slot).size());
  }

  private static void hstrlen(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), HashValue.class);
    byte[] value = slot < 0 ? null : hashAt(ctx, slot).get(ctx.arg(2));
    ctx.reply().integer(value == null ? 0 : value.length);
  }

  /** HKEYS, HVALS, HGETALL (a map in RESP3). */
  private static void hgetall(CommandContext ctx, boolean fields, boolean values) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), HashValue.class);
    RespWriter reply = ctx.reply();
    if (slot < 0) {
      if (fields && values) {
        reply.mapHeader(0);
      } else {
        reply.arrayHeader(0);
      }
      return;
    }
    HashValue hash = hashAt(ctx, slot);
    if (fields && values) {
      reply.mapHeader(hash.size());
    } else {
      reply.arrayHeader(hash.size());
    }
    hash.forEach((field, value) -> {
      if (fields) {
        reply.bulk(field);
      }
      if (values) {
        reply.bulk(value);
      }
    });
  }

  private static void hincrby(CommandContext ctx) {
    long increment = ctx.longArg(3);
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), HashValue.class);
    long value = 0;
    byte[] current = slot < 0 ? null : hashAt(ctx, slot).get(ctx.arg(2));
    if (current != null) {
      value = Numbers.parseLong(current);
      if (value == Numbers.NOT_A_LONG && !Numbers.isMinLong(current)) {
        throw new CommandError(NOT_AN_INTEGER);
      }
    }
    if ((increment < 0 && value < 0 && increment < Long.MIN_VALUE - value)
        || (increment > 0 && value > 0 && increment > Long.MAX_VALUE - value)) {
      throw new CommandError(OVERFLOW);
    }
    long result = value + increment;
    slot = findOrCreate(ctx, ctx.arg(1));
    byte[] text = Numbers.toBytes(result);
    hashAt(ctx, slot).put(ctx.arg(2), text);
    ctx.dispatcher().compactEncodings().hashWritten(hashAt(ctx, slot), ctx.arg(2), text);
    ctx.db().table().touch(slot);
    ctx.notify(KeyspaceEvents.HASH, "hincrby", ctx.arg(1));
    ctx.reply().integer(result);
  }

  private static void hincrbyfloat(CommandContext ctx) {
    BigDecimal increment = LongDoubles.parse(ctx.arg(3));
    if (increment == null) {
      throw new CommandError(CommandError.NOT_A_FLOAT);
    }
    if (LongDoubles.isInfinite(increment)) {
      throw new CommandError("ERR value is NaN or Infinity");
    }
    int slot = TypedKeys.findForWrite(ctx, ctx.arg(1), HashValue.class);
    BigDecimal value = BigDecimal.ZERO;
    byte[] current = slot < 0 ? null : hashAt(ctx, slot).get(ctx.arg(2));
    if (current != null) {
      value = LongDoubles.parse(current);
      if (value == null) {
        throw new CommandError(NOT_A_FLOAT);
      }
    }
    BigDecimal sum = LongDoubles.add(value, increment);
    if (sum == null || LongDoubles.isInfinite(sum)) {
      throw new CommandError(NAN_OR_INF);
    }
    byte[] text = LongDoubles.format(sum).getBytes(StandardCharsets.US_ASCII);
    slot = findOrCreate(ctx, ctx.arg(1));
    hashAt(ctx, slot).put(ctx.arg(2), text);
    ctx.dispatcher().compactEncodings().hashWritten(hashAt(ctx, slot), ctx.arg(2), text);
    ctx.db().table().touch(slot);
    ctx.notify(KeyspaceEvents.HASH, "hincrbyfloat", ctx.arg(1));
    ctx.propagation().propagateAs(io.kaiware.command.Propagation.bytes("HSET"), ctx.arg(1), ctx.arg(2), text);
    ctx.reply().bulk(text);
  }

  /** HRANDFIELD key [count [WITHVALUES]]. */
  private static void hrandfield(CommandContext ctx) {
    if (ctx.argc() >= 3) {
      long count = ctx.longArg(2);
      if (count == Long.MIN_VALUE) {
        throw new CommandError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
      }
      boolean withValues = false;
      if (ctx.argc() > 4 || (ctx.argc() == 4 && !ctx.argIs(3, "WITHVALUES"))) {
        throw new CommandError(CommandError.SYNTAX);
      } else if (ctx.argc() == 4) {
        withValues = true;
        if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
          throw new CommandError("ERR value is out of range");
        }
      }
      int slot = TypedKeys.findForRead(ctx, ctx.arg(1), HashValue.class);
      if (slot < 0 || count == 0) {
        ctx.reply().arrayHeader(0);
        return;
      }
      KeyTable t = hashAt(ctx, slot).table();
      int[] slots = RandomElements.pick(t, count, ctx.db().randomSeed(ctx.nowMs()));
      RespWriter reply = ctx.reply();
      boolean nested = withValues && reply.isResp3();
      reply.arrayHeader(withValues && !nested ? slots.length * 2 : slots.length);
      for (int s : slots) {
        if (nested) {
          reply.arrayHeader(2);
        }
        reply.bulk(t.keyAt(s));
        if (withValues) {
          reply.bulk((byte[]) t.valueAt(s));
        }
      }
      return;
    }
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), HashValue.class);
    if (slot < 0) {
      ctx.reply().nullBulk();
      return;
    }
    KeyTable t = hashAt(ctx, slot).table();
    ctx.reply().bulk(t.keyAt(t.randomSlot(ctx.db().randomSeed(ctx.nowMs()))));
  }

  private static void hscan(CommandContext ctx) {
    int slot = TypedKeys.findForRead(ctx, ctx.arg(1), HashValue.class);
    if (slot < 0) {
      ElementScan.emptyScan(ctx);
      return;
    }
    KeyTable t = hashAt(ctx, slot).table();
    ElementScan.scan(ctx, t, s -> (byte[]) t.valueAt(s));
  }

  /** Random element choice shared with ZRANDMEMBER and SRANDMEMBER, seeded from the command log. */
  public static final class RandomElements {
    private RandomElements() {}

    /**
     * Slots of {@code table} for a random-elements command with Redis's count rules: a negative
     * count draws |count| slots with repetition; a positive count draws min(count, size) distinct
     * slots (all of them, in table order, when count >= size).
     */
    public static int[] pick(KeyTable table, long count, long seed) {
      return pick(table.size(), table.capacity(), table::occupied, table::randomSlot, count, seed);
    }

    /**
     * As {@link #pick(KeyTable, long, long)} over any collection addressed by positions
     * 0..capacity-1 (a set's intset indexes or table slots): {@code occupied} tells the positions
     * in use, {@code randomPosition} maps a seed to one of them.
     */
    public static int[] pick(int size, int capacity, IntPredicate occupied, LongToIntFunction randomPosition,
        long count, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      if (count < 0 || count == 1) {
        long n = count < 0 ? -count : 1;
        if (n > Integer.MAX_VALUE - 16) {
          throw new CommandError("ERR value is out of range");
        }
        int[] out = new int[(int) n];
        for (int i = 0; i < out.length; i++) {
          out[i] = randomPosition.applyAsInt(random.nextLong());
        }
        return out;
      }
      int[] all = new int[size];
      int k = 0;
      for (int s = 0; s < capacity; s++) {
        if (occupied.test(s)) {
          all[k++] = s;
        }
      }
      if (count >= size) {
        return all;
      }
      int n = (int) count;
      for (int i = 0; i < n; i++) {
        int j = i + random.nextInt(size - i);
        int tmp = all[i];
        all[i] = all[j];
        all[j] = tmp;
      }
      return java.util.Arrays.copyOf(all, n);
    }
  }
}

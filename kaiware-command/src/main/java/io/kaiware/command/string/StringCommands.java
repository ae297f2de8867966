package io.kaiware.command.string;

import static io.kaiware.command.CommandFlag.DENYOOM;
import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.KeyspaceEvents;
import io.kaiware.command.Numbers;
import io.kaiware.command.Propagation;
import io.kaiware.engine.Database;
import io.kaiware.engine.KeyTable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import java.util.List;

/**
 * The string family (Redis's t_string.c). Values are {@code byte[]}: the decoder's argument array
 * stored as-is, or a fresh array built by the command (never mutated after it is stored, so a value
 * can be shared by reference with a reply or a queued transaction).
 */
public final class StringCommands {
  private StringCommands() {}

  public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
  static final String OVERFLOW = "ERR increment or decrement would overflow";
  static final String TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
  static final String NAN_OR_INF = "ERR increment would produce NaN or Infinity";

  private static final byte[] EMPTY = new byte[0];

  public static List<CommandSpec> specs() {
    return List.of(
        command("get").arity(2).flags(READONLY, FAST).keys(1, 1, 1).group("string").summary("Returns the string value of a key.")
            .handler(StringCommands::get).build(),
        command("set").arity(-3).flags(WRITE, DENYOOM).keys(1, 1, 1).group("string")
            .summary("Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.")
            .handler(StringCommands::set).build(),
        command("setex").arity(4).flags(WRITE, DENYOOM).keys(1, 1, 1).group("string").since("2.0.0")
            .summary("Sets the string value and expiration time of a key. Creates the key if it doesn't exist.")
            .handler(ctx -> setWithExpiry(ctx, true)).build(),
        command("psetex").arity(4).flags(WRITE, DENYOOM).keys(1, 1, 1).group("string").since("2.6.0")
            .summary("Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.")
            .handler(ctx -> setWithExpiry(ctx, false)).build(),
        command("setnx").arity(3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("string")
            .summary("Set the string value of a key only when the key doesn't exist.").handler(StringCommands::setnx).build(),
        command("getset").arity(3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("string")
            .summary("Returns the previous string value of a key after setting it to a new value.")
            .handler(StringCommands::getset).build(),
        command("getdel").arity(2).flags(WRITE, FAST).keys(1, 1, 1).group("string").since("6.2.0")
            .summary("Returns the string value of a key after deleting the key.").handler(StringCommands::getdel).build(),
        command("getex").arity(-2).flags(WRITE, FAST).keys(1, 1, 1).group("string").since("6.2.0")
            .summary("Returns the string value of a key after setting its expiration time.").handler(StringCommands::getex).build(),
        command("mget").arity(-2).flags(READONLY, FAST).keys(1, -1, 1).group("string")
            .complexity("O(N) where N is the number of keys to retrieve.")
            .summary("Atomically returns the string values of one or more keys.").handler(StringCommands::mget).build(),
        command("mset").arity(-3).flags(WRITE, DENYOOM).keys(1, -1, 2).group("string").since("1.0.1")
            .complexity("O(N) where N is the number of keys to set.")
            .summary("Atomically creates or modifies the string values of one or more keys.")
            .handler(ctx -> mset(ctx, false)).build(),
        command("msetnx").arity(-3).flags(WRITE, DENYOOM).keys(1, -1, 2).group("string").since("1.0.1")
            .complexity("O(N) where N is the number of keys to set.")
            .summary("Atomically modifies the string values of one or more keys only when all keys don't exist.")
            .handler(ctx -> mset(ctx, true)).build(),
        command("incr").arity(2).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("string")
            .summary("Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.")
            .handler(ctx -> incrBy(ctx, 1)).build(),
        command("decr").arity(2).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("string")
            .summary("Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.")
            .handler(ctx -> incrBy(ctx, -1)).build(),
        command("incrby").arity(3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("string")
            .summary("Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.")
            .handler(ctx -> incrBy(ctx, ctx.longArg(2))).build(),
        command("decrby").arity(3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("string")
            .summary("Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.")
            .handler(StringCommands::decrby).build(),
        command("incrbyfloat").arity(3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("string").since("2.6.0")
            .summary("Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.")
            .handler(StringCommands::incrbyfloat).build(),
        command("append").arity(3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).group("string").since("2.0.0")
            .summary("Appends a string to the value of a key. Creates the key if it doesn't exist.")
            .handler(StringCommands::append).build(),
        command("strlen").arity(2).flags(READONLY, FAST).keys(1, 1, 1).group("string").since("2.2.0")
            .summary("Returns the length of a string value.").handler(StringCommands::strlen).build(),
        command("getrange").arity(4).flags(READONLY).keys(1, 1, 1).group("string").since("2.4.0")
            .complexity("O(N) where N is the length of the returned string.")
            .summary("Returns a substring of the string stored at a key.").handler(StringCommands::getrange).build(),
        command("substr").arity(4).flags(READONLY).keys(1, 1, 1).group("string").since("1.0.0")
            .complexity("O(N) where N is the length of the returned string.")
            .summary("Returns a substring from a string value.").handler(StringCommands::getrange).build(),
        command("setrange").arity(4).flags(WRITE, DENYOOM).keys(1, 1, 1).group("string").since("2.2.0")
            .complexity("O(1), not counting the time taken to copy the new string in place.")
            .summary("Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.")
            .handler(StringCommands::setrange).build(),
        command("lcs").arity(-3).flags(READONLY).keys(1, 2, 1).group("string").since("7.0.0")
            .complexity("O(N*M) where N and M are the lengths of s1 and s2, respectively")
            .summary("Finds the longest common substring.").handler(Lcs::lcs).build());
  }

  /** The live string value of {@code key}, {@code null} if absent; WRONGTYPE for another type. */
  static byte[] lookupString(CommandContext ctx, byte[] key) {
    Object value = ctx.db().get(key, ctx.nowMs());
    if (value == null) {
      ctx.keyspace().recordMiss();
      ctx.notify(KeyspaceEvents.KEY_MISS, "keymiss", key);
      return null;
    }
    if (!(value instanceof byte[] bytes)) {
      throw new CommandError(WRONGTYPE);
    }
    ctx.keyspace().recordHit();
    return bytes;
  }

  /** Like {@link #lookupString} for a write: no hit/miss accounting (Redis's lookupKeyWrite). */
  static byte[] lookupStringForWrite(CommandContext ctx, byte[] key) {
    Object value = ctx.db().get(key, ctx.nowMs());
    if (value != null && !(value instanceof byte[])) {
      throw new CommandError(WRONGTYPE);
    }
    return (byte[]) value;
  }

  /** The configured proto-max-bulk-len, the largest string a command may build. */
  static long protoMaxBulkLen(CommandContext ctx) {
    try {
      return ctx.server().config().getLong("proto-max-bulk-len");
    } catch (RuntimeException e) {
      return 512L * 1024 * 1024;
    }
  }

  private static void get(CommandContext ctx) {
    byte[] value = lookupString(ctx, ctx.arg(1));
    ctx.reply().bulk(value);
  }

  // ---------------------------------------------------------------- SET and friends

  /** The options of SET and GETEX, parsed as Redis's parseExtendedStringArgumentsOrReply does. */
  private static final int NX = 1;
  private static final int XX = 2;
  private static final int GET = 4;
  private static final int KEEPTTL = 8;
  private static final int PERSIST = 16;
  private static final int EX = 32;
  private static final int PX = 64;
  private static final int EXAT = 128;
  private static final int PXAT = 256;
  private static final int ANY_EXPIRY = EX | PX | EXAT | PXAT;

  /** Parsed options: the flags and the index of the expiry amount (0 for none). */
  private record Options(int flags, int expireArg) {
    boolean has(int flag) {
      return (flags & flag) != 0;
    }
  }

  private static Options parseOptions(CommandContext ctx, boolean setCommand) {
    int flags = 0;
    int expireArg = 0;
    for (int j = setCommand ? 3 : 2; j < ctx.argc(); j++) {
      boolean hasNext = j + 1 < ctx.argc();
      if (setCommand && ctx.argIs(j, "NX") && (flags & XX) == 0) {
        flags |= NX;
      } else if (setCommand && ctx.argIs(j, "XX") && (flags & NX) == 0) {
        flags |= XX;
      } else if (setCommand && ctx.argIs(j, "GET")) {
        flags |= GET;
      } else if (setCommand && ctx.argIs(j, "KEEPTTL") && (flags & (PERSIST | ANY_EXPIRY)) == 0) {
        flags |= KEEPTTL;
      } else if (!setCommand && ctx.argIs(j, "PERSIST") && (flags & (KEEPTTL | ANY_EXPIRY)) == 0) {
        flags |= PERSIST;
      } else if (hasNext && ctx.argIs(j, "EX") && (flags & (KEEPTTL | PERSIST | EXAT | PX | PXAT)) == 0) {
        flags |= EX;
        expireArg = ++j;
      } else if (hasNext && ctx.argIs(j, "PX") && (flags & (KEEPTTL | PERSIST | EX | EXAT | PXAT)) == 0) {
        flags |= PX;
        expireArg = ++j;
      } else if (hasNext && ctx.argIs(j, "EXAT") && (flags & (KEEPTTL | PERSIST | EX | PX | PXAT)) == 0) {
        flags |= EXAT;
        expireArg = ++j;
      } else if (hasNext && ctx.argIs(j, "PXAT") && (flags & (KEEPTTL | PERSIST | EX | EXAT | PX)) == 0) {
        flags |= PXAT;
        expireArg = ++j;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    return new Options(flags, expireArg);
  }

  /**
   * Redis's getExpireMillisecondsOrReply: the absolute expiry for an amount in seconds or
   * milliseconds, relative to the command time or absolute, with Redis's range checks.
   */
  static long expireAtMs(CommandContext ctx, int argIndex, boolean seconds, boolean relative) {
    long amount = ctx.longArg(argIndex);
    if (amount <= 0 || (seconds && amount > Long.MAX_VALUE / 1000)) {
      throw invalidExpireTime(ctx);
    }
    long ms = seconds ? amount * 1000 : amount;
    if (relative) {
      ms += ctx.nowMs();
    }
    if (ms <= 0) {
      throw invalidExpireTime(ctx);
    }
    return ms;
  }

  /** "ERR invalid expire time in 'set' command", naming the running command. */
  public static CommandError invalidExpireTime(CommandContext ctx) {
    return new CommandError("ERR invalid expire time in '" + ctx.spec().name() + "' command");
  }

  private static long expireFromOptions(CommandContext ctx, Options o) {
    if (o.expireArg == 0) {
      return KeyTable.NO_EXPIRY;
    }
    return expireAtMs(ctx, o.expireArg, o.has(EX) || o.has(EXAT), o.has(EX) || o.has(PX));
  }

  /** SET key value [NX | XX] [GET] [EX s | PX ms | EXAT unix-s | PXAT unix-ms | KEEPTTL]. */
  private static void set(CommandContext ctx) {
    Options o = parseOptions(ctx, true);
    long expireAtMs = expireFromOptions(ctx, o);
    Database db = ctx.db();
    byte[] key = ctx.arg(1);
    byte[] old = null;
    if (o.has(GET)) {
      old = lookupString(ctx, key);
    }
    int slot = db.lookup(key, ctx.nowMs());
    if ((o.has(NX) && slot >= 0) || (o.has(XX) && slot < 0)) {
      if (o.has(GET)) {
        ctx.reply().bulk(old);
      } else {
        ctx.reply().nullBulk();
      }
      return;
    }
    if (o.has(KEEPTTL) && slot >= 0) {
      db.table().setValueAt(slot, ctx.arg(2));
    } else {
      db.put(key, ctx.arg(2), expireAtMs);
    }
    ctx.notify(KeyspaceEvents.STRING, "set", key);
    if (o.expireArg != 0) {
      ctx.notify(KeyspaceEvents.GENERIC, "expire", key);
    }
    if (ctx.propagation().wanted()) {
      if (o.expireArg != 0) {
        propagateAsSetPxat(ctx, key, ctx.arg(2), expireAtMs);
      } else if (o.has(GET)) {
        propagateWithoutGet(ctx);
      }
    }
    if (o.has(GET)) {
      ctx.reply().bulk(old);
    } else {
      ctx.reply().ok();
    }
  }

  /** SETEX key seconds value / PSETEX key milliseconds value. */
  private static void setWithExpiry(CommandContext ctx, boolean seconds) {
    long expireAtMs = expireAtMs(ctx, 2, seconds, true);
    ctx.db().put(ctx.arg(1), ctx.arg(3), expireAtMs);
    ctx.notify(KeyspaceEvents.STRING, "set", ctx.arg(1));
    ctx.notify(KeyspaceEvents.GENERIC, "expire", ctx.arg(1));
    if (ctx.propagation().wanted()) {
      propagateAsSetPxat(ctx, ctx.arg(1), ctx.arg(3), expireAtMs);
    }
    ctx.reply().ok();
  }

  /** Redis 7.0 replicates every SET with an expiry as {@code SET key value PXAT <absolute ms>}. */
  private static void propagateAsSetPxat(CommandContext ctx, byte[] key, byte[] value, long expireAtMs) {
    ctx.propagation().propagateAs(Propagation.SET_WORD, key, value, Propagation.PXAT_WORD, Numbers.toBytes(expireAtMs));
  }

  /** SET ... GET without an expiry replicates without its GET words (the reply is not replicated). */
  private static void propagateWithoutGet(CommandContext ctx) {
    java.util.List<byte[]> argv = new java.util.ArrayList<>(ctx.argc());
    for (int j = 0; j < ctx.argc(); j++) {
      if (j < 3 || !ctx.argIs(j, "GET")) {
        argv.add(ctx.arg(j));
      }
    }
    ctx.propagation().propagateAs(argv.toArray(new byte[0][]));
  }

  private static void setnx(CommandContext ctx) {
    Database db = ctx.db();
    if (db.lookup(ctx.arg(1), ctx.nowMs()) >= 0) {
      ctx.reply().integer(0);
      return;
    }
    db.put(ctx.arg(1), ctx.arg(2), KeyTable.NO_EXPIRY);
    ctx.notify(KeyspaceEvents.STRING, "set", ctx.arg(1));
    ctx.reply().integer(1);
  }

  /** GETSET: replies the old value, then sets the new one without a TTL. */
  private static void getset(CommandContext ctx) {
    byte[] old = lookupString(ctx, ctx.arg(1));
    ctx.db().put(ctx.arg(1), ctx.arg(2), KeyTable.NO_EXPIRY);
    ctx.notify(KeyspaceEvents.STRING, "set", ctx.arg(1));
    ctx.reply().bulk(old);
  }

  private static void getdel(CommandContext ctx) {
    byte[] old = lookupString(ctx, ctx.arg(1));
    if (old != null) {
      ctx.db().delete(ctx.arg(1), ctx.nowMs());
      ctx.notify(KeyspaceEvents.GENERIC, "del", ctx.arg(1));
      ctx.propagation().propagateAs(Propagation.DEL_WORD, ctx.arg(1));
    }
    ctx.reply().bulk(old);
  }

  /** GETEX key [EX s | PX ms | EXAT unix-s | PXAT unix-ms | PERSIST]. */
  private static void getex(CommandContext ctx) {
    Options o = parseOptions(ctx, false);
    byte[] value = lookupString(ctx, ctx.arg(1));
    if (value == null) {
      ctx.reply().nullBulk();
      return;
    }
    long expireAtMs = expireFromOptions(ctx, o);
    ctx.reply().bulk(value);
    Database db = ctx.db();
    int slot = db.table().find(ctx.arg(1));
    if ((o.has(EXAT) || o.has(PXAT)) && expireAtMs <= ctx.nowMs()) {
      db.table().removeAt(slot);
      ctx.notify(KeyspaceEvents.GENERIC, "del", ctx.arg(1));
      ctx.propagation().propagateAs(Propagation.DEL_WORD, ctx.arg(1));
    } else if (o.expireArg != 0) {
      db.table().setExpireAtMs(slot, expireAtMs);
      ctx.notify(KeyspaceEvents.GENERIC, "expire", ctx.arg(1));
      ctx.propagation().propagateAs(Propagation.PEXPIREAT_WORD, ctx.arg(1), Numbers.toBytes(expireAtMs));
    } else if (o.has(PERSIST) && db.table().expireAtMs(slot) != KeyTable.NO_EXPIRY) {
      db.table().setExpireAtMs(slot, KeyTable.NO_EXPIRY);
      ctx.notify(KeyspaceEvents.GENERIC, "persist", ctx.arg(1));
      ctx.propagation().propagateAs(Propagation.PERSIST_WORD, ctx.arg(1));
    }
  }

  private static void mget(CommandContext ctx) {
    Database db = ctx.db();
    ctx.reply().arrayHeader(ctx.argc() - 1);
    for (int i = 1; i < ctx.argc(); i++) {
      Object value = db.get(ctx.arg(i), ctx.nowMs());
      if (value instanceof byte[] bytes) {
        ctx.keyspace().recordHit();
        ctx.reply().bulk(bytes);
      } else {
        if (value == null) {
          ctx.keyspace().recordMiss();
          ctx.notify(KeyspaceEvents.KEY_MISS, "keymiss", ctx.arg(i));
        }
        ctx.reply().nullBulk();
      }
    }
  }

  private static void mset(CommandContext ctx, boolean nx) {
    if (ctx.argc() % 2 == 0) {
      throw new CommandError("ERR wrong number of arguments for '" + ctx.spec().name() + "' command");
    }
    Database db = ctx.db();
    if (nx) {
      for (int i = 1; i < ctx.argc(); i += 2) {
        if (db.lookup(ctx.arg(i), ctx.nowMs()) >= 0) {
          ctx.reply().integer(0);
          return;
        }
      }
    }
    for (int i = 1; i < ctx.argc(); i += 2) {
      db.put(ctx.arg(i), ctx.arg(i + 1), KeyTable.NO_EXPIRY);
      ctx.notify(KeyspaceEvents.STRING, "set", ctx.arg(i));
    }
    if (nx) {
      ctx.reply().integer(1);
    } else {
      ctx.reply().ok();
    }
  }

  // ---------------------------------------------------------------- counters

  private static void decrby(CommandContext ctx) {
    long decrement = ctx.longArg(2);
    if (decrement == Long.MIN_VALUE) {
      throw new CommandError("ERR decrement would overflow");
    }
    incrBy(ctx, -decrement);
  }

  /** INCR, DECR, INCRBY, DECRBY: the value keeps its TTL. */
  private static void incrBy(CommandContext ctx, long increment) {
    byte[] key = ctx.arg(1);
    byte[] current = lookupStringForWrite(ctx, key);
    long value = 0;
    if (current != null) {
      value = Numbers.parseLong(current);
      if (value == Numbers.NOT_A_LONG && !Numbers.isMinLong(current)) {
        throw new CommandError(CommandError.NOT_AN_INTEGER);
      }
    }
    if ((increment < 0 && value < 0 && increment < Long.MIN_VALUE - value)
        || (increment > 0 && value > 0 && increment > Long.MAX_VALUE - value)) {
      throw new CommandError(OVERFLOW);
    }
    value += increment;
    ctx.db().putKeepTtl(key, Numbers.toBytes(value), ctx.nowMs());
    ctx.notify(KeyspaceEvents.STRING, "incrby", key);
    ctx.reply().integer(value);
  }

  private static void incrbyfloat(CommandContext ctx) {
    byte[] key = ctx.arg(1);
    byte[] current = lookupStringForWrite(ctx, key);
    BigDecimal value = current == null ? BigDecimal.ZERO : LongDoubles.parse(current);
    if (value == null) {
      throw new CommandError(CommandError.NOT_A_FLOAT);
    }
    BigDecimal increment = LongDoubles.parse(ctx.arg(2));
    if (increment == null) {
      throw new CommandError(CommandError.NOT_A_FLOAT);
    }
    BigDecimal sum = LongDoubles.add(value, increment);
    if (sum == null || LongDoubles.isInfinite(sum)) {
      throw new CommandError(NAN_OR_INF);
    }
    byte[] text = LongDoubles.format(sum).getBytes(StandardCharsets.US_ASCII);
    ctx.db().putKeepTtl(key, text, ctx.nowMs());
    if (Numbers.parseLong(text) != Numbers.NOT_A_LONG) {
      ctx.keyspace().markNotIntEncoded(text); // createStringObjectFromLongDouble: embstr, never int
    }
    ctx.notify(KeyspaceEvents.STRING, "incrbyfloat", key);
    // Replicated as the value it produced, so float formatting can never make replicas differ.
    ctx.propagation().propagateAs(Propagation.SET_WORD, key, text, Propagation.KEEPTTL_WORD);
    ctx.reply().bulk(text);
  }

  // ---------------------------------------------------------------- ranges

  private static void append(CommandContext ctx) {
    byte[] key = ctx.arg(1);
    byte[] suffix = ctx.arg(2);
    byte[] current = lookupStringForWrite(ctx, key);
    if (current == null) {
      ctx.db().put(key, suffix, KeyTable.NO_EXPIRY);
      ctx.notify(KeyspaceEvents.STRING, "append", key);
      ctx.reply().integer(suffix.length);
      return;
    }
    long total = (long) current.length + suffix.length;
    if (total > protoMaxBulkLen(ctx) || total > Integer.MAX_VALUE - 16) {
      throw new CommandError(TOO_LONG);
    }
    byte[] joined = new byte[(int) total];
    System.arraycopy(current, 0, joined, 0, current.length);
    System.arraycopy(suffix, 0, joined, current.length, suffix.length);
    ctx.db().putKeepTtl(key, joined, ctx.nowMs());
    ctx.keyspace().markRawString(joined);
    ctx.notify(KeyspaceEvents.STRING, "append", key);
    ctx.reply().integer(total);
  }

  private static void strlen(CommandContext ctx) {
    byte[] value = lookupString(ctx, ctx.arg(1));
    ctx.reply().integer(value == null ? 0 : value.length);
  }

  /** GETRANGE / SUBSTR key start end, with Redis 7.0's negative-index rules. */
  private static void getrange(CommandContext ctx) {
    long start = ctx.longArg(2);
    long end = ctx.longArg(3);
    byte[] value = lookupString(ctx, ctx.arg(1));
    if (value == null) {
      ctx.reply().bulk(EMPTY);
      return;
    }
    long len = value.length;
    if (start < 0 && end < 0 && start > end) {
      ctx.reply().bulk(EMPTY);
      return;
    }
    if (start < 0) {
      start = len + start;
    }
    if (end < 0) {
      end = len + end;
    }
    if (start < 0) {
      start = 0;
    }
    if (end < 0) {
      end = 0;
    }
    if (end >= len) {
      end = len - 1;
    }
    if (start > end || len == 0) {
      ctx.reply().bulk(EMPTY);
    } else {
      ctx.reply().bulk(value, (int) start, (int) (end - start + 1));
    }
  }

  private static void setrange(CommandContext ctx) {
    long offset = ctx.longArg(2);
    byte[] patch = ctx.arg(3);
    if (offset < 0) {
      throw new CommandError("ERR offset is out of range");
    }
    byte[] key = ctx.arg(1);
    byte[] current = lookupStringForWrite(ctx, key);
    if (current == null) {
      if (patch.length == 0) {
        ctx.reply().integer(0);
        return;
      }
      checkLength(ctx, offset, patch.length);
      byte[] created = new byte[(int) (offset + patch.length)];
      System.arraycopy(patch, 0, created, (int) offset, patch.length);
      ctx.db().put(key, created, KeyTable.NO_EXPIRY);
      ctx.keyspace().markRawString(created);
      ctx.notify(KeyspaceEvents.STRING, "setrange", key);
      ctx.reply().integer(created.length);
      return;
    }
    if (patch.length == 0) {
      ctx.reply().integer(current.length);
      return;
    }
    checkLength(ctx, offset, patch.length);
    byte[] updated = new byte[(int) Math.max(current.length, offset + patch.length)];
    System.arraycopy(current, 0, updated, 0, current.length);
    System.arraycopy(patch, 0, updated, (int) offset, patch.length);
    ctx.db().putKeepTtl(key, updated, ctx.nowMs());
    ctx.keyspace().markRawString(updated);
    ctx.notify(KeyspaceEvents.STRING, "setrange", key);
    ctx.reply().integer(updated.length);
  }

  private static void checkLength(CommandContext ctx, long offset, long appendLength) {
    long total = offset + appendLength;
    if (total < 0 || total > protoMaxBulkLen(ctx) || total > Integer.MAX_VALUE - 16) {
      throw new CommandError(TOO_LONG);
    }
  }

}

package io.kaiware.command.keys;

import static io.kaiware.command.CommandFlag.DENYOOM;
import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.KeyspaceEvents;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.Numbers;
import io.kaiware.engine.CollectionValue;
import io.kaiware.engine.Database;
import io.kaiware.engine.GlobMatcher;
import io.kaiware.engine.KeyTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The generic key family (Redis's db.c and expire.c). */
public final class KeyCommands {
  private KeyCommands() {}

  static final String NO_SUCH_KEY = "ERR no such key";
  static final String SAME_OBJECT = "ERR source and destination objects are the same";
  static final String DB_OUT_OF_RANGE = "ERR DB index is out of range";

  public static List<CommandSpec> specs() {
    List<CommandSpec> specs = new ArrayList<>(List.of(
        command("del").arity(-2).flags(WRITE).keys(1, -1, 1).group("generic").summary("Deletes one or more keys.")
            .complexity("O(N) where N is the number of keys that will be removed.").handler(KeyCommands::del).build(),
        command("unlink").arity(-2).flags(WRITE, FAST).keys(1, -1, 1).group("generic").since("4.0.0")
            .complexity("O(1) for each key removed regardless of its size.")
            .summary("Asynchronously deletes one or more keys.").handler(KeyCommands::del).build(),
        command("exists").arity(-2).flags(READONLY, FAST).keys(1, -1, 1).group("generic").since("1.0.0")
            .complexity("O(N) where N is the number of keys to check.")
            .summary("Determines whether one or more keys exist.").handler(KeyCommands::exists).build(),
        command("touch").arity(-2).flags(READONLY, FAST).keys(1, -1, 1).group("generic").since("3.2.1")
            .complexity("O(N) where N is the number of keys that will be touched.")
            .summary("Returns the number of existing keys out of those specified after updating the time they were last accessed.")
            .handler(KeyCommands::exists).build(),
        command("type").arity(2).flags(READONLY, FAST).keys(1, 1, 1).group("generic")
            .summary("Determines the type of value stored at a key.").handler(KeyCommands::type).build(),
        command("keys").arity(2).flags(READONLY).group("generic")
            .complexity("O(N) with N being the number of keys in the database")
            .summary("Returns all key names that match a pattern.").handler(KeyCommands::keys).build(),
        command("scan").arity(-2).flags(READONLY).group("generic").since("2.8.0")
            .complexity("O(1) for every call. O(N) for a complete iteration.")
            .summary("Iterates over the key names in the database.").handler(KeyCommands::scan).build(),
        command("randomkey").arity(1).flags(READONLY).group("generic")
            .summary("Returns a random key name from the database.").handler(KeyCommands::randomkey).build(),
        command("rename").arity(3).flags(WRITE).keys(1, 2, 1).group("generic")
            .summary("Renames a key and overwrites the destination.").handler(ctx -> rename(ctx, false)).build(),
        command("renamenx").arity(3).flags(WRITE, FAST).keys(1, 2, 1).group("generic")
            .summary("Renames a key only when the target key name doesn't exist.").handler(ctx -> rename(ctx, true)).build(),
        command("copy").arity(-3).flags(WRITE, DENYOOM).keys(1, 2, 1).group("generic").since("6.2.0")
            .complexity("O(N) worst case for collections, where N is the number of nested items. O(1) for string values.")
            .summary("Copies the value of a key to a new key.").handler(KeyCommands::copy).build(),
        command("move").arity(3).flags(WRITE, FAST).keys(1, 1, 1).group("generic")
            .summary("Moves a key to another database.").handler(KeyCommands::move).build(),
        command("swapdb").arity(3).flags(WRITE, FAST).group("server").since("4.0.0")
            .complexity("O(N) where N is the count of clients watching or blocking on keys from both databases.")
            .summary("Swaps two Redis databases.").handler(KeyCommands::swapdb).build()));
    specs.addAll(ExpireCommands.specs());
    specs.addAll(DumpCommands.specs());
    return specs;
  }

  private static void del(CommandContext ctx) {
    Database db = ctx.db();
    long removed = 0;
    for (int i = 1; i < ctx.argc(); i++) {
      if (db.delete(ctx.arg(i), ctx.nowMs())) {
        ctx.notify(KeyspaceEvents.GENERIC, "del", ctx.arg(i));
        removed++;
      }
    }
    ctx.reply().integer(removed);
  }

  private static void exists(CommandContext ctx) {
    Database db = ctx.db();
    long count = 0;
    for (int i = 1; i < ctx.argc(); i++) {
      if (db.lookup(ctx.arg(i), ctx.nowMs()) >= 0) {
        count++;
      }
    }
    ctx.reply().integer(count);
  }

  /** Redis's type names, as TYPE and SCAN TYPE use them. */
  static String typeName(Object value) {
    if (value == null) {
      return "none";
    }
    if (value instanceof byte[]) {
      return "string";
    }
    if (value instanceof CollectionValue collection) {
      return collection.typeName();
    }
    return "none";
  }

  private static void type(CommandContext ctx) {
    ctx.reply().simpleString(typeName(ctx.db().get(ctx.arg(1), ctx.nowMs())));
  }

  /** KEYS pattern: every live key that matches; "*" alone matches all without the glob matcher. */
  private static void keys(CommandContext ctx) {
    byte[] pattern = ctx.arg(1);
    boolean all = pattern.length == 1 && pattern[0] == '*';
    Database db = ctx.db();
    KeyTable t = db.table();
    List<byte[]> found = new ArrayList<>();
    for (int slot = 0; slot < t.capacity(); slot++) {
      if (t.occupied(slot) && (all || GlobMatcher.matches(pattern, t.keyAt(slot), false))
          && !db.expiredAt(slot, ctx.nowMs())) {
        found.add(t.keyAt(slot));
      }
    }
    ctx.reply().arrayHeader(found.size());
    for (byte[] k : found) {
      ctx.reply().bulk(k);
    }
  }

  /** Redis's parseScanCursorOrReply: strtoul semantics (an optional sign; "-1" wraps around). */
  public static long parseCursor(byte[] s) {
    int i = 0;
    boolean negative = false;
    if (s.length > 0 && (s[0] == '+' || s[0] == '-')) {
      negative = s[0] == '-';
      i = 1;
    }
    if (s.length == 0) {
      return 0; // strtoul("") converts nothing and stops at the terminator: cursor 0
    }
    if (i >= s.length) {
      throw new CommandError("ERR invalid cursor");
    }
    long value = 0;
    for (; i < s.length; i++) {
      int d = s[i] - '0';
      if (d < 0 || d > 9 || Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, 10)) > 0) {
        throw new CommandError("ERR invalid cursor");
      }
      value = value * 10 + d;
    }
    return negative ? -value : value;
  }

  /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]. See KeyTable's essay for the cursor. */
  private static void scan(CommandContext ctx) {
    long cursor = parseCursor(ctx.arg(1));
    long count = 10;
    byte[] pattern = null;
    String type = null;
    for (int i = 2; i < ctx.argc(); ) {
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
      } else if (ctx.argIs(i, "TYPE") && remaining >= 2) {
        type = ctx.argString(i + 1);
        i += 2;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    Database db = ctx.db();
    KeyTable t = db.table();
    List<byte[]> batch = new ArrayList<>();
    long maxIterations = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
    do {
      cursor = t.scan(cursor, slot -> batch.add(t.keyAt(slot)));
    } while (cursor != 0 && maxIterations-- > 0 && batch.size() < count);
    List<byte[]> keys = new ArrayList<>(batch.size());
    for (byte[] key : batch) {
      if (pattern != null && !GlobMatcher.matches(pattern, key, false)) {
        continue;
      }
      int slot = db.lookup(key, ctx.nowMs()); // removes the key if it expired
      if (slot < 0) {
        continue;
      }
      if (type != null && !type.equalsIgnoreCase(typeName(t.valueAt(slot)))) {
        continue;
      }
      keys.add(key);
    }
    ctx.reply().arrayHeader(2);
    ctx.reply().bulk(Long.toUnsignedString(cursor));
    ctx.reply().arrayHeader(keys.size());
    for (byte[] k : keys) {
      ctx.reply().bulk(k);
    }
  }

  /**
   * RANDOMKEY: a pseudo-random live key. The draw comes from {@link Database#randomSeed} (command
   * time and a per-database draw counter: no unseeded randomness, and two calls in the same
   * millisecond differ). Expired keys met on the way are reclaimed, as in Redis; after 100 draws
   * that met only expired keys (Redis bounds its loop the same way) a sweep from the last draw
   * finds the first live key, so a database whose keys are all expired but not yet reclaimable
   * (see {@link Database#lookup}) answers nil instead of looping.
   */
  private static void randomkey(CommandContext ctx) {
    Database db = ctx.db();
    KeyTable t = db.table();
    long seed = db.randomSeed(ctx.nowMs());
    int slot = -1;
    for (int attempt = 0; attempt < 100; attempt++) {
      slot = t.randomSlot(seed + attempt);
      if (slot < 0) {
        ctx.reply().nullBulk();
        return;
      }
      if (!db.expiredAt(slot, ctx.nowMs())) {
        ctx.reply().bulk(t.keyAt(slot));
        return;
      }
      db.lookup(t.keyAt(slot), ctx.nowMs()); // reclaims it when the log allows
    }
    for (int i = 0; i < t.capacity(); i++) {
      int s = (slot + i) & (t.capacity() - 1);
      if (t.occupied(s) && !db.expiredAt(s, ctx.nowMs())) {
        ctx.reply().bulk(t.keyAt(s));
        return;
      }
    }
    ctx.reply().nullBulk();
  }

  private static void rename(CommandContext ctx, boolean nx) {
    Database db = ctx.db();
    byte[] src = ctx.arg(1);
    byte[] dst = ctx.arg(2);
    int slot = db.lookup(src, ctx.nowMs());
    if (slot < 0) {
      throw new CommandError(NO_SUCH_KEY);
    }
    if (Arrays.equals(src, dst)) {
      if (nx) {
        ctx.reply().integer(0);
      } else {
        ctx.reply().ok();
      }
      return;
    }
    Object value = db.table().valueAt(slot);
    long expireAtMs = db.table().expireAtMs(slot);
    if (db.lookup(dst, ctx.nowMs()) >= 0) {
      if (nx) {
        ctx.reply().integer(0);
        return;
      }
      db.delete(dst, ctx.nowMs());
    }
    db.put(dst, value, expireAtMs);
    db.table().remove(src);
    ctx.notify(KeyspaceEvents.GENERIC, "rename_from", src);
    ctx.notify(KeyspaceEvents.GENERIC, "rename_to", dst);
    if (nx) {
      ctx.reply().integer(1);
    } else {
      ctx.reply().ok();
    }
  }

  /** A database index argument: Redis's getIntFromObjectOrReply, then the range check. */
  private static int dbIndex(CommandContext ctx, int arg) {
    int index = ctx.intArg(arg);
    if (index < 0 || index >= ctx.keyspace().databaseCount()) {
      throw new CommandError(DB_OUT_OF_RANGE);
    }
    return index;
  }

  /** COPY source destination [DB destination-db] [REPLACE]. Strings are immutable: the copy shares the array. */
  private static void copy(CommandContext ctx) {
    boolean replace = false;
    int dstIndex = ctx.session().db();
    for (int j = 3; j < ctx.argc(); j++) {
      int additional = ctx.argc() - j - 1;
      if (ctx.argIs(j, "REPLACE")) {
        replace = true;
      } else if (ctx.argIs(j, "DB") && additional >= 1) {
        dstIndex = dbIndex(ctx, j + 1);
        j++;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    Database src = ctx.db();
    Database dst = ctx.keyspace().db(dstIndex);
    byte[] key = ctx.arg(1);
    byte[] newKey = ctx.arg(2);
    if (src == dst && Arrays.equals(key, newKey)) {
      throw new CommandError(SAME_OBJECT);
    }
    int slot = src.lookup(key, ctx.nowMs());
    if (slot < 0) {
      ctx.reply().integer(0);
      return;
    }
    Object value = src.table().valueAt(slot);
    long expireAtMs = src.table().expireAtMs(slot);
    if (dst.lookup(newKey, ctx.nowMs()) >= 0) {
      if (!replace) {
        ctx.reply().integer(0);
        return;
      }
      dst.delete(newKey, ctx.nowMs());
    }
    // Strings are immutable and shared; collections are mutated in place, so the copy is deep.
    Object copy = value instanceof CollectionValue c ? c.deepCopy() : value;
    if (value instanceof byte[] bytes && bytes.length <= 4 && !ctx.keyspace().isUnshared(bytes)) {
      // dupStringObject gives a small integer an object of its own (refcount 1, not a shared one).
      byte[] own = bytes.clone();
      ctx.keyspace().markUnshared(own);
      copy = own;
    }
    dst.put(newKey, copy, expireAtMs);
    ctx.notify(KeyspaceEvents.GENERIC, "copy_to", newKey, dstIndex);
    ctx.reply().integer(1);
  }

  private static void move(CommandContext ctx) {
    int dstIndex = dbIndex(ctx, 2);
    Database src = ctx.db();
    Database dst = ctx.keyspace().db(dstIndex);
    if (src == dst) {
      throw new CommandError(SAME_OBJECT);
    }
    byte[] key = ctx.arg(1);
    int slot = src.lookup(key, ctx.nowMs());
    if (slot < 0) {
      ctx.reply().integer(0);
      return;
    }
    Object value = src.table().valueAt(slot);
    long expireAtMs = src.table().expireAtMs(slot);
    if (dst.lookup(key, ctx.nowMs()) >= 0) {
      ctx.reply().integer(0);
      return;
    }
    dst.put(key, value, expireAtMs);
    src.table().remove(key);
    ctx.notify(KeyspaceEvents.GENERIC, "move_from", key, src.index());
    ctx.notify(KeyspaceEvents.GENERIC, "move_to", key, dstIndex);
    ctx.reply().integer(1);
  }

  private static void swapdb(CommandContext ctx) {
    int a = swapIndex(ctx, 1, "ERR invalid first DB index");
    int b = swapIndex(ctx, 2, "ERR invalid second DB index");
    if (a < 0 || b < 0 || a >= ctx.keyspace().databaseCount() || b >= ctx.keyspace().databaseCount()) {
      throw new CommandError(DB_OUT_OF_RANGE);
    }
    ctx.keyspace().swapDatabases(a, b, ctx.nowMs());
    ctx.propagation().force(); // Redis's server.dirty++: swapping moves no key
    ctx.reply().ok();
  }

  private static int swapIndex(CommandContext ctx, int arg, String error) {
    long index = Numbers.parseLong(ctx.arg(arg));
    if ((index == Numbers.NOT_A_LONG && !Numbers.isMinLong(ctx.arg(arg)))
        || index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
      throw new CommandError(error);
    }
    return (int) index;
  }
}

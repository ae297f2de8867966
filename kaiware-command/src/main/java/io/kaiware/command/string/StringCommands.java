package io.kaiware.command.string;

import static io.kaiware.command.CommandFlag.DENYOOM;
import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.engine.Database;
import io.kaiware.engine.KeyTable;
import java.util.List;

/** The string family (Redis's t_string.c). Values are the {@code byte[]} the decoder produced. */
public final class StringCommands {
  private StringCommands() {}

  public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

  public static List<CommandSpec> specs() {
    return List.of(
        command("get").arity(2).flags(READONLY, FAST).keys(1, 1, 1).group("string").summary("Returns the string value of a key.")
            .handler(StringCommands::get).build(),
        command("set").arity(-3).flags(WRITE, DENYOOM).keys(1, 1, 1).group("string")
            .summary("Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.")
            .handler(StringCommands::set).build());
  }

  /** The live string value of {@code key}, {@code null} if absent; WRONGTYPE for another type. */
  static byte[] lookupString(CommandContext ctx, byte[] key) {
    Object value = ctx.db().get(key, ctx.nowMs());
    if (value == null) {
      ctx.keyspace().recordMiss();
      return null;
    }
    if (!(value instanceof byte[] bytes)) {
      throw new CommandError(WRONGTYPE);
    }
    ctx.keyspace().recordHit();
    return bytes;
  }

  private static void get(CommandContext ctx) {
    byte[] value = lookupString(ctx, ctx.arg(1));
    ctx.reply().bulk(value);
  }

  /** SET key value [NX | XX] [GET] [EX s | PX ms | EXAT unix-s | PXAT unix-ms | KEEPTTL]. */
  private static void set(CommandContext ctx) {
    boolean nx = false;
    boolean xx = false;
    boolean get = false;
    boolean keepTtl = false;
    long expireAtMs = KeyTable.NO_EXPIRY;
    boolean expirySet = false;
    for (int i = 3; i < ctx.argc(); i++) {
      boolean hasNext = i + 1 < ctx.argc();
      if (ctx.argIs(i, "NX") && !xx) {
        nx = true;
      } else if (ctx.argIs(i, "XX") && !nx) {
        xx = true;
      } else if (ctx.argIs(i, "GET")) {
        get = true;
      } else if (ctx.argIs(i, "KEEPTTL") && !expirySet) {
        keepTtl = true;
      } else if (hasNext && !keepTtl && !expirySet
          && (ctx.argIs(i, "EX") || ctx.argIs(i, "PX") || ctx.argIs(i, "EXAT") || ctx.argIs(i, "PXAT"))) {
        expireAtMs = expireAt(ctx, i);
        expirySet = true;
        i++;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    Database db = ctx.db();
    byte[] key = ctx.arg(1);
    byte[] old = null;
    int slot = db.lookup(key, ctx.nowMs());
    if (get && slot >= 0) {
      if (!(db.table().valueAt(slot) instanceof byte[] bytes)) {
        throw new CommandError(WRONGTYPE);
      }
      old = bytes;
    }
    if ((nx && slot >= 0) || (xx && slot < 0)) {
      if (get) {
        ctx.reply().bulk(old);
      } else {
        ctx.reply().nullBulk();
      }
      return;
    }
    if (keepTtl && slot >= 0) {
      db.table().setValueAt(slot, ctx.arg(2));
    } else {
      db.put(key, ctx.arg(2), expireAtMs);
    }
    if (get) {
      ctx.reply().bulk(old);
    } else {
      ctx.reply().ok();
    }
  }

  /** The absolute expiry of an EX/PX/EXAT/PXAT option at {@code i}, with Redis's checks and errors. */
  static long expireAt(CommandContext ctx, int i) {
    long amount = ctx.longArg(i + 1);
    boolean seconds = ctx.argIs(i, "EX") || ctx.argIs(i, "EXAT");
    boolean relative = ctx.argIs(i, "EX") || ctx.argIs(i, "PX");
    String invalid = "ERR invalid expire time in '" + ctx.spec().name() + "' command";
    if (amount <= 0 || (seconds && amount > Long.MAX_VALUE / 1000)) {
      throw new CommandError(invalid);
    }
    long ms = seconds ? amount * 1000 : amount;
    if (relative) {
      if (ms > Long.MAX_VALUE - ctx.nowMs()) {
        throw new CommandError(invalid);
      }
      ms += ctx.nowMs();
    }
    return ms;
  }
}

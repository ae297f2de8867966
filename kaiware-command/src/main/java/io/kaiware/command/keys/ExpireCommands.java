package io.kaiware.command.keys;

import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.KeyspaceEvents;
import io.kaiware.command.Numbers;
import io.kaiware.command.Propagation;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.string.StringCommands;
import io.kaiware.engine.Database;
import io.kaiware.engine.KeyTable;
import java.util.List;

/** EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST (Redis's expire.c). */
final class ExpireCommands {
  private ExpireCommands() {}

  private static final int NX = 1;
  private static final int XX = 2;
  private static final int GT = 4;
  private static final int LT = 8;

  static List<CommandSpec> specs() {
    return List.of(
        command("expire").arity(-3).flags(WRITE, FAST).keys(1, 1, 1).group("generic")
            .summary("Sets the expiration time of a key in seconds.").handler(ctx -> expire(ctx, true, true)).build(),
        command("pexpire").arity(-3).flags(WRITE, FAST).keys(1, 1, 1).group("generic").since("2.6.0")
            .summary("Sets the expiration time of a key in milliseconds.").handler(ctx -> expire(ctx, false, true)).build(),
        command("expireat").arity(-3).flags(WRITE, FAST).keys(1, 1, 1).group("generic").since("1.2.0")
            .summary("Sets the expiration time of a key to a Unix timestamp.").handler(ctx -> expire(ctx, true, false)).build(),
        command("pexpireat").arity(-3).flags(WRITE, FAST).keys(1, 1, 1).group("generic").since("2.6.0")
            .summary("Sets the expiration time of a key to a Unix milliseconds timestamp.")
            .handler(ctx -> expire(ctx, false, false)).build(),
        command("ttl").arity(2).flags(READONLY, FAST).keys(1, 1, 1).group("generic")
            .summary("Returns the expiration time in seconds of a key.").handler(ctx -> ttl(ctx, false, false)).build(),
        command("pttl").arity(2).flags(READONLY, FAST).keys(1, 1, 1).group("generic").since("2.6.0")
            .summary("Returns the expiration time in milliseconds of a key.").handler(ctx -> ttl(ctx, true, false)).build(),
        command("expiretime").arity(2).flags(READONLY, FAST).keys(1, 1, 1).group("generic").since("7.0.0")
            .summary("Returns the expiration time of a key as a Unix timestamp.").handler(ctx -> ttl(ctx, false, true)).build(),
        command("pexpiretime").arity(2).flags(READONLY, FAST).keys(1, 1, 1).group("generic").since("7.0.0")
            .summary("Returns the expiration time of a key as a Unix milliseconds timestamp.")
            .handler(ctx -> ttl(ctx, true, true)).build(),
        command("persist").arity(2).flags(WRITE, FAST).keys(1, 1, 1).group("generic").since("2.2.0")
            .summary("Removes the expiration time of a key.").handler(ExpireCommands::persist).build());
  }

  /** Redis's parseExtendedExpireArgumentsOrReply. */
  private static int parseFlags(CommandContext ctx) {
    int flags = 0;
    for (int j = 3; j < ctx.argc(); j++) {
      if (ctx.argIs(j, "NX")) {
        flags |= NX;
      } else if (ctx.argIs(j, "XX")) {
        flags |= XX;
      } else if (ctx.argIs(j, "GT")) {
        flags |= GT;
      } else if (ctx.argIs(j, "LT")) {
        flags |= LT;
      } else {
        throw new CommandError("ERR Unsupported option " + ctx.argCString(j));
      }
    }
    if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
      throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
    }
    if ((flags & GT) != 0 && (flags & LT) != 0) {
      throw new CommandError("ERR GT and LT options at the same time are not compatible");
    }
    return flags;
  }

  /** Redis's expireGenericCommand: a past or present expiry deletes the key. */
  private static void expire(CommandContext ctx, boolean seconds, boolean relative) {
    int flags = parseFlags(ctx);
    long when = ctx.longArg(2);
    if (seconds) {
      if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
        throw StringCommands.invalidExpireTime(ctx);
      }
      when *= 1000;
    }
    long base = relative ? ctx.nowMs() : 0;
    if (when > Long.MAX_VALUE - base) {
      throw StringCommands.invalidExpireTime(ctx);
    }
    when += base;
    Database db = ctx.db();
    int slot = db.lookup(ctx.arg(1), ctx.nowMs());
    if (slot < 0) {
      ctx.reply().integer(0);
      return;
    }
    long current = db.table().expireAtMs(slot);
    boolean persistent = current == KeyTable.NO_EXPIRY;
    boolean refused = ((flags & NX) != 0 && !persistent)
        || ((flags & XX) != 0 && persistent)
        // GT: a persistent key counts as an infinite TTL, which nothing exceeds.
        || ((flags & GT) != 0 && (persistent || when <= current))
        // LT: likewise anything is less than infinite.
        || ((flags & LT) != 0 && !persistent && when >= current);
    if (refused) {
      ctx.reply().integer(0);
      return;
    }
    if (when <= ctx.nowMs()) {
      db.table().removeAt(slot);
      ctx.notify(KeyspaceEvents.GENERIC, "del", ctx.arg(1));
      ctx.propagation().propagateAs(Propagation.DEL_WORD, ctx.arg(1));
    } else {
      db.table().setExpireAtMs(slot, when);
      ctx.notify(KeyspaceEvents.GENERIC, "expire", ctx.arg(1));
      if ((seconds || relative) && ctx.propagation().wanted()) {
        // Replicated as PEXPIREAT with the absolute time, options kept (Redis's expireGenericCommand).
        byte[][] argv = ctx.args().clone();
        argv[0] = Propagation.PEXPIREAT_WORD;
        argv[2] = Numbers.toBytes(when);
        ctx.propagation().propagateAs(argv);
      }
    }
    ctx.reply().integer(1);
  }

  /** TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for a missing key, -1 without expiry. */
  private static void ttl(CommandContext ctx, boolean millis, boolean absolute) {
    Database db = ctx.db();
    int slot = db.lookup(ctx.arg(1), ctx.nowMs());
    if (slot < 0) {
      ctx.reply().integer(-2);
      return;
    }
    long expire = db.table().expireAtMs(slot);
    if (expire == KeyTable.NO_EXPIRY) {
      ctx.reply().integer(-1);
      return;
    }
    long t = absolute ? expire : expire - ctx.nowMs();
    if (t < 0) {
      t = 0;
    }
    // (t + 500) / 1000 without overflowing near Long.MAX_VALUE (an expiry PEXPIREAT can set): Redis
    // answers 9223372036854776 there, the rounded value, not a wrapped negative one.
    ctx.reply().integer(millis ? t : t / 1000 + (t % 1000 + 500) / 1000);
  }

  private static void persist(CommandContext ctx) {
    Database db = ctx.db();
    int slot = db.lookup(ctx.arg(1), ctx.nowMs());
    if (slot < 0 || db.table().expireAtMs(slot) == KeyTable.NO_EXPIRY) {
      ctx.reply().integer(0);
      return;
    }
    db.table().setExpireAtMs(slot, KeyTable.NO_EXPIRY);
    ctx.notify(KeyspaceEvents.GENERIC, "persist", ctx.arg(1));
    ctx.reply().integer(1);
  }
}

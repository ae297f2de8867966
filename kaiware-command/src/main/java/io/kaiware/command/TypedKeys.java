package io.kaiware.command;

import io.kaiware.engine.Database;

/**
 * Looking up a key that must hold a given type, for the collection families (hash, set, zset, list,
 * ranking, window counter): the slot of the live key, -1 when it is missing, or a WRONGTYPE error
 * reply.
 *
 * <p>Collections are mutated in place, so a command that changes one must report it with
 * {@code db.table().touch(slot)} (WATCH), or delete the key when it becomes empty
 * ({@link #removeIfEmpty}): Redis never keeps an empty collection.
 */
public final class TypedKeys {
  private TypedKeys() {}

  public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

  /** For reads: counts a keyspace hit or miss, as Redis's lookupKeyRead. */
  public static int findForRead(CommandContext ctx, byte[] key, Class<?> type) {
    int slot = ctx.db().lookup(key, ctx.nowMs());
    if (slot < 0) {
      ctx.keyspace().recordMiss();
      ctx.notify(KeyspaceEvents.KEY_MISS, "keymiss", key);
      return -1;
    }
    if (!type.isInstance(ctx.db().table().valueAt(slot))) {
      throw new CommandError(WRONGTYPE);
    }
    ctx.keyspace().recordHit();
    return slot;
  }

  /** For writes: no hit/miss accounting (Redis's lookupKeyWrite). */
  public static int findForWrite(CommandContext ctx, byte[] key, Class<?> type) {
    int slot = ctx.db().lookup(key, ctx.nowMs());
    if (slot >= 0 && !type.isInstance(ctx.db().table().valueAt(slot))) {
      throw new CommandError(WRONGTYPE);
    }
    return slot;
  }

  /** The value in {@code slot} of the current database. */
  @SuppressWarnings("unchecked")
  public static <T> T valueAt(CommandContext ctx, int slot) {
    return (T) ctx.db().table().valueAt(slot);
  }

  /** After an in-place change: deletes the key if {@code emptied}, else reports the write (WATCH). */
  public static void changed(CommandContext ctx, int slot, boolean emptied) {
    Database db = ctx.db();
    if (emptied) {
      db.table().removeAt(slot);
    } else {
      db.table().touch(slot);
    }
  }

  /** Deletes the key in {@code slot} when its collection is empty; returns whether it did. */
  public static boolean removeIfEmpty(CommandContext ctx, int slot, int size) {
    if (size == 0) {
      ctx.db().table().removeAt(slot);
      return true;
    }
    return false;
  }
}

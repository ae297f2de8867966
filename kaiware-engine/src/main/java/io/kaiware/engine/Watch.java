package io.kaiware.engine;

import java.lang.ref.WeakReference;

/**
 * One client's WATCH on one key of one database, as Redis 7.0's {@code watchedKey}.
 *
 * <p>The owning {@link Database} marks it {@linkplain #dirty() dirty} when the key is written,
 * deleted, expired, flushed or swapped away (see {@link Database#watch}). A key that was already
 * logically expired when it was watched is "stale": deleting it later is no logical change, so it
 * does not dirty the watch (Redis's {@code wk->expired}).
 */
public final class Watch {
  final Database db;
  final byte[] key;
  /** Weak: a client that disconnects without UNWATCH must not be kept alive by its watches. */
  final WeakReference<Object> owner;
  /** The key existed but was already expired when watched. */
  boolean expiredAtWatch;
  boolean dirty;
  boolean registered = true;

  Watch(Database db, byte[] key, Object owner, boolean expiredAtWatch) {
    this.db = db;
    this.key = key;
    this.owner = new WeakReference<>(owner);
    this.expiredAtWatch = expiredAtWatch;
  }

  public Database db() {
    return db;
  }

  public byte[] key() {
    return key;
  }

  /** The client that watches, as passed to {@link Database#watch}; {@code null} once it is gone. */
  public Object owner() {
    return owner.get();
  }

  /** Whether the key changed since WATCH (not counting expiry that has not been noticed yet). */
  public boolean dirty() {
    return dirty;
  }

  /**
   * Whether EXEC must fail: the key was touched, or it was live when watched and has logically
   * expired by {@code nowMs} although nothing deleted it yet (Redis's {@code isWatchedKeyExpired}).
   */
  public boolean changed(long nowMs) {
    if (dirty) {
      return true;
    }
    if (expiredAtWatch) {
      return false;
    }
    int slot = db.table().find(key);
    return slot >= 0 && Database.isExpired(db.table().expireAtMs(slot), nowMs);
  }
}

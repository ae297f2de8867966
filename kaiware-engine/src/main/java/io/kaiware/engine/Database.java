package io.kaiware.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One of the numbered databases (SELECT n): a {@link KeyTable} with Redis's expiry semantics.
 *
 * <p>Time is always passed in ({@code nowMs}), never read here: on a Raft cluster it is the time
 * stamped into the log entry, so every replica decides expiry identically. As in Redis
 * ({@code keyIsExpired}: {@code now > when}), a key whose expiry is strictly before {@code nowMs}
 * is logically gone; a key expiring exactly at {@code nowMs} still lives (TTL 0). Lookups remove
 * expired keys on the way (lazy expiry) and {@link #activeExpire} reclaims the rest without a
 * client touching them.
 *
 * <p>Reads may run at a later time than the log (a replicated server's reads see expiry at the
 * reader's clock, so a 100 ms TTL ends after 100 ms even on an idle group), but removal must never
 * get ahead of the log: a key is reclaimed only if it is expired at the <em>reclaim horizon</em>
 * too (the log time, set by the state machine; unbounded on a server without a log). A key expired
 * at the read time but not at the horizon is reported absent and left in place for a later write or
 * tick to reclaim.
 *
 * <h2>WATCH</h2>
 * The database keeps the watched keys (usually none) in a map from key to the {@link Watch}es on
 * it, and while that map is non-empty it listens to its table: every put, removal, value or expiry
 * change of a watched key — whichever command, lazy or active expiry caused it — dirties the
 * watches on the key. FLUSHDB/FLUSHALL ({@link #clear}) and SWAPDB ({@link Keyspace#swapDatabases})
 * dirty the watched keys they make disappear or change, following Redis 7.0's
 * {@code touchAllWatchedKeysInDb}, including its rules for keys that were already expired.
 */
public final class Database {

  private final int index;
  private KeyTable table = new KeyTable();
  private int sweepCursor;
  private long expiredKeys;
  private long reclaimHorizonMs = Long.MAX_VALUE;
  /** Watched key -> its watches; empty while nobody watches (then the table has no listener). */
  private final Map<WatchKey, List<Watch>> watched = new HashMap<>();
  private int watchCount;
  private final KeyTable.TouchListener onTouch = this::keyTouched;

  Database(int index) {
    this.index = index;
  }

  public int index() {
    return index;
  }

  /** The underlying table, for commands that iterate (KEYS, SCAN, RANDOMKEY, DIGEST). */
  public KeyTable table() {
    return table;
  }

  /** Keys held, counting expired keys not yet reclaimed (as Redis's DBSIZE does). */
  public int size() {
    return table.size();
  }

  public int volatileCount() {
    return table.volatileCount();
  }

  /** Redis's rule: expired when the expiry is strictly before the command time. */
  public static boolean isExpired(long expireAtMs, long nowMs) {
    return expireAtMs != KeyTable.NO_EXPIRY && expireAtMs < nowMs;
  }

  /**
   * The slot of the live key, or -1; an expired key is removed on the way if it is expired at the
   * reclaim horizon too.
   */
  public int lookup(byte[] key, long nowMs) {
    int slot = table.find(key);
    if (slot >= 0) {
      long expireAtMs = table.expireAtMs(slot);
      if (isExpired(expireAtMs, nowMs)) {
        if (isExpired(expireAtMs, Math.min(nowMs, reclaimHorizonMs))) {
          byte[] expiredKey = table.keyAt(slot);
          table.removeExpiredAt(slot);
          expiredKeys++;
          if (expiredListener != null) {
            expiredListener.expired(index, expiredKey);
          }
        } else if (deferredExpiryListener != null) {
          deferredExpiryListener.deferred(index, table.keyAt(slot));
        }
        return -1;
      }
    }
    return slot;
  }

  private Keyspace.ExpiredListener expiredListener;
  private Keyspace.DeferredExpiryListener deferredExpiryListener;

  void deferredExpiryListener(Keyspace.DeferredExpiryListener listener) {
    this.deferredExpiryListener = listener;
  }

  void expiredListener(Keyspace.ExpiredListener listener) {
    this.expiredListener = listener;
  }

  private KeyTable.InsertListener onInsert;

  /** Reports every key inserted into this database to {@code listener} (null: none). */
  void newKeyListener(Keyspace.NewKeyListener listener) {
    onInsert = listener == null ? null : key -> listener.added(index, key);
    table.insertListener(onInsert);
  }

  void reclaimHorizonMs(long horizonMs) {
    reclaimHorizonMs = horizonMs;
  }

  /** Whether the slot holds a key that is logically expired at {@code nowMs} (nothing is removed). */
  public boolean expiredAt(int slot, long nowMs) {
    return isExpired(table.expireAtMs(slot), nowMs);
  }

  /** The live value of {@code key}, or {@code null}. */
  public Object get(byte[] key, long nowMs) {
    int slot = lookup(key, nowMs);
    return slot < 0 ? null : table.valueAt(slot);
  }

  /** Sets a value with an absolute expiry ({@link KeyTable#NO_EXPIRY} for none). */
  public void put(byte[] key, Object value, long expireAtMs) {
    table.put(key, value, expireAtMs);
  }

  /** Replaces the value of a live key in place, keeping its expiry; inserts a persistent key otherwise. */
  public void putKeepTtl(byte[] key, Object value, long nowMs) {
    int slot = lookup(key, nowMs);
    if (slot >= 0) {
      table.setValueAt(slot, value);
    } else {
      table.put(key, value, KeyTable.NO_EXPIRY);
    }
  }

  /** Deletes a live key; returns whether it existed. */
  public boolean delete(byte[] key, long nowMs) {
    int slot = lookup(key, nowMs);
    if (slot < 0) {
      return false;
    }
    table.removeAt(slot);
    return true;
  }

  private long randomDraws;

  /**
   * A seed for one random command (HRANDFIELD, ZRANDMEMBER): the command time mixed with this
   * database's number and a per-database draw counter. Every input is a function of the command
   * log, so replicas that apply the same commands draw the same "random" elements; two draws in
   * the same millisecond still differ.
   */
  public long randomSeed(long nowMs) {
    randomDraws++;
    return KeyTable.mix64(nowMs * 0x9E3779B97F4A7C15L + randomDraws * 0xC2B2AE3D27D4EB4FL + index);
  }

  private long writeDraws;

  /**
   * A seed for a random choice that changes the dataset (SPOP), kept apart from
   * {@link #randomSeed}: plain reads run on the leader only (and read commands draw from that
   * counter), so a write seeded from it would pick differently on each replica. This counter is
   * advanced only here, by writes, which every replica applies in log order; it is part of the
   * replicated state, so the Raft snapshot stores it ({@link #writeDraws()}) and a replica that
   * installs a snapshot or replays the log after one continues with the same seeds. Seeds mix the
   * command time, the counter and the database number, so two pops in one millisecond differ.
   */
  public long writeRandomSeed(long nowMs) {
    writeDraws++;
    return KeyTable.mix64((nowMs * 0xD6E8FEB86659FD93L + writeDraws * 0x9E3779B97F4A7C15L + index) ^ 0x5350_4F50L);
  }

  /** Seeds drawn by {@link #writeRandomSeed} so far: replicated state, saved in snapshots. */
  public long writeDraws() {
    return writeDraws;
  }

  /** Restores the {@link #writeRandomSeed} counter from a snapshot. */
  public void writeDraws(long draws) {
    this.writeDraws = draws;
  }

  /** Keys removed because they expired, lazily or actively. */
  public long expiredKeys() {
    return expiredKeys;
  }

  void resetStats() {
    expiredKeys = 0;
  }

  /** FLUSHDB: drops every key, dirtying the watches on keys that existed (Redis's flush rules). */
  public void clear() {
    touchAllWatched(null, 0);
    table.clear();
    sweepCursor = 0;
  }

  /**
   * Active expiry: sweeps up to {@code maxSlots} slots from where the last sweep stopped, removing
   * keys expired at {@code nowMs}.
   *
   * @return the number of keys removed
   */
  public int activeExpire(long nowMs, int maxSlots) {
    if (table.volatileCount() == 0) {
      return 0;
    }
    int removed = 0;
    int capacity = table.capacity();
    int slot = sweepCursor < capacity ? sweepCursor : 0;
    for (int visited = 0; visited < maxSlots && visited < capacity; visited++) {
      if (table.occupied(slot) && isExpired(table.expireAtMs(slot), nowMs)) {
        byte[] expiredKey = table.keyAt(slot);
        table.removeExpiredAt(slot);
        removed++;
        expiredKeys++;
        if (expiredListener != null) {
          expiredListener.expired(index, expiredKey);
        }
        // Backward shift may have moved another entry into this slot: look at it again.
        continue;
      }
      slot = (slot + 1) & (capacity - 1);
    }
    sweepCursor = slot;
    if (removed > 0) {
      int before = table.capacity();
      table.shrinkIfSparse();
      if (table.capacity() != before) {
        sweepCursor = 0;
      }
    }
    return removed;
  }

  // ---------------------------------------------------------------- WATCH

  /** A {@code byte[]} with value equality, for the watched-keys map only. */
  private record WatchKey(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof WatchKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return KeyTable.hash(bytes);
    }
  }

  /**
   * Registers {@code owner}'s watch on {@code key}. A key present but already expired at
   * {@code nowMs} is watched as stale (its later deletion is no change).
   */
  public Watch watch(byte[] key, Object owner, long nowMs) {
    int slot = table.find(key);
    boolean stale = slot >= 0 && isExpired(table.expireAtMs(slot), nowMs);
    Watch w = new Watch(this, key, owner, stale);
    watched.computeIfAbsent(new WatchKey(key), k -> new ArrayList<>(2)).add(w);
    watchCount++;
    table.touchListener(onTouch);
    return w;
  }

  /** Removes a watch registered by {@link #watch}; idempotent. */
  public void unwatch(Watch w) {
    if (!w.registered) {
      return;
    }
    w.registered = false;
    WatchKey k = new WatchKey(w.key);
    List<Watch> list = watched.get(k);
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) == w) {
          list.remove(i);
          watchCount--;
          break;
        }
      }
      if (list.isEmpty()) {
        watched.remove(k);
      }
    }
    if (watched.isEmpty()) {
      table.touchListener(null);
    }
  }

  /** Watches registered on this database. */
  public int watchCount() {
    return watchCount;
  }

  /**
   * Drops the watches whose owner has been garbage-collected (a client that disconnected without
   * UNWATCH). Only unreachable owners are dropped, so no live client ever loses a watch: what GC
   * timing changes is memory, never a reply.
   */
  int purgeWatches() {
    int purged = 0;
    for (Iterator<List<Watch>> it = watched.values().iterator(); it.hasNext(); ) {
      List<Watch> list = it.next();
      for (Iterator<Watch> wi = list.iterator(); wi.hasNext(); ) {
        Watch w = wi.next();
        if (w.owner.get() == null) {
          w.registered = false;
          wi.remove();
          watchCount--;
          purged++;
        }
      }
      if (list.isEmpty()) {
        it.remove();
      }
    }
    if (watched.isEmpty()) {
      table.touchListener(null);
    }
    return purged;
  }

  /** Redis's {@code touchWatchedKey}, called by the table after every write of a key. */
  private void keyTouched(byte[] key) {
    List<Watch> list = watched.get(new WatchKey(key));
    if (list == null) {
      return;
    }
    for (Watch w : list) {
      if (w.expiredAtWatch) {
        if (table.find(key) < 0) {
          // The stale key was deleted: logically nothing changed. Deleted keys are not stale.
          w.expiredAtWatch = false;
          continue;
        }
      }
      w.dirty = true;
    }
  }

  /**
   * Redis's {@code touchAllWatchedKeysInDb}: this database is emptied (FLUSHDB) or, with
   * {@code replacedWith}, about to take that database's content (SWAPDB, whose expiry checks use
   * the command time {@code nowMs}).
   */
  void touchAllWatched(KeyTable replacedWith, long nowMs) {
    if (watched.isEmpty()) {
      return;
    }
    for (List<Watch> list : watched.values()) {
      byte[] key = list.get(0).key;
      boolean existsHere = table.find(key) >= 0;
      int otherSlot = replacedWith == null ? -1 : replacedWith.find(key);
      if (!existsHere && otherSlot < 0) {
        continue;
      }
      for (Watch w : list) {
        if (w.expiredAtWatch) {
          if (otherSlot < 0) {
            // The stale key is deleted: no logical change.
            w.expiredAtWatch = false;
            continue;
          } else if (isExpired(replacedWith.expireAtMs(otherSlot), nowMs)) {
            // A stale key replaced with another expired key: still logically absent.
            continue;
          }
        } else if (!existsHere && isExpired(replacedWith.expireAtMs(otherSlot), nowMs)) {
          // A missing key replaced with an expired one: still absent, but stale from now on.
          w.expiredAtWatch = true;
          continue;
        }
        w.dirty = true;
      }
    }
  }

  /** SWAPDB: exchanges the tables of two databases; watches stay with the database numbers. */
  static void swap(Database a, Database b, long nowMs) {
    a.touchAllWatched(b.table, nowMs);
    b.touchAllWatched(a.table, nowMs);
    KeyTable t = a.table;
    a.table = b.table;
    b.table = t;
    a.sweepCursor = 0;
    b.sweepCursor = 0;
    a.table.touchListener(a.watched.isEmpty() ? null : a.onTouch);
    a.table.insertListener(a.onInsert);
    b.table.insertListener(b.onInsert);
    b.table.touchListener(b.watched.isEmpty() ? null : b.onTouch);
  }
}

package io.kaiware.engine;

/**
 * One of the numbered databases (SELECT n): a {@link KeyTable} with Redis's expiry semantics.
 *
 * <p>Time is always passed in ({@code nowMs}), never read here: on a Raft cluster it is the time
 * stamped into the log entry, so every replica decides expiry identically. A key whose expiry is at
 * or before {@code nowMs} is logically gone; lookups remove it on the way (lazy expiry) and
 * {@link #activeExpire} reclaims the rest without a client touching them.
 */
public final class Database {

  private final int index;
  private final KeyTable table = new KeyTable();
  private int sweepCursor;
  private long expiredKeys;

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

  static boolean isExpired(long expireAtMs, long nowMs) {
    return expireAtMs != KeyTable.NO_EXPIRY && expireAtMs <= nowMs;
  }

  /** The slot of the live key, or -1; an expired key is removed on the way. */
  public int lookup(byte[] key, long nowMs) {
    int slot = table.find(key);
    if (slot >= 0 && isExpired(table.expireAtMs(slot), nowMs)) {
      table.removeAt(slot);
      expiredKeys++;
      return -1;
    }
    return slot;
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

  /** Keys removed because they expired, lazily or actively. */
  public long expiredKeys() {
    return expiredKeys;
  }

  void resetStats() {
    expiredKeys = 0;
  }

  public void clear() {
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
        table.removeAt(slot);
        removed++;
        expiredKeys++;
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
}

package io.kaiware.engine;

import java.util.Arrays;

/**
 * The keyspace of one database: an open-addressing hash table from {@code byte[]} keys to values
 * and expiry times.
 *
 * <h2>Why not {@code HashMap<Key, Entry>}</h2>
 * Memory per key is a first-class figure for a cache. A {@code HashMap} costs a node (32 B), a key
 * wrapper (16 B) and a boxed or wrapped expiry per key, before the key and value bytes. Here a key
 * costs its {@code byte[]} plus, per slot, a key reference, a value reference, an {@code int} hash
 * and a {@code long} expiry — about 20 B per slot, ~27 B per key at the maximum load factor of 0.75.
 * Lookups hash the request's {@code byte[]} directly: no wrapper is allocated per command.
 *
 * <h2>How</h2>
 * Linear probing over power-of-two arrays. Deletion shifts the following run of entries back
 * (Knuth's algorithm R), so there are no tombstones and a lookup never scans more than its run.
 * The stored hash is never 0 (0 marks an empty slot) and is a mixed FNV-1a of the key bytes.
 * An expiry of {@link #NO_EXPIRY} means the key is persistent; time semantics belong to the caller.
 *
 * <p>Not thread-safe: the engine is single-threaded by design (ADR 0003).
 */
public final class KeyTable {

  /** The expiry value of a key that never expires. */
  public static final long NO_EXPIRY = 0L;

  private static final int MIN_CAPACITY = 16;

  private byte[][] keys;
  private Object[] values;
  private int[] hashes;
  private long[] expiresAtMs;
  private int size;
  private int volatileCount;
  private int resizeThreshold;
  private int mask;

  public KeyTable() {
    allocate(MIN_CAPACITY);
  }

  private void allocate(int capacity) {
    keys = new byte[capacity][];
    values = new Object[capacity];
    hashes = new int[capacity];
    expiresAtMs = new long[capacity];
    mask = capacity - 1;
    resizeThreshold = (int) (capacity * 0.75);
  }

  public int size() {
    return size;
  }

  /** How many keys have an expiry set. */
  public int volatileCount() {
    return volatileCount;
  }

  /** The slot count; slots are numbered 0..capacity-1 for {@link #keyAt} and friends. */
  public int capacity() {
    return keys.length;
  }

  public static int hash(byte[] key) {
    int h = 0x811c9dc5;
    for (byte b : key) {
      h = (h ^ (b & 0xff)) * 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h == 0 ? 1 : h;
  }

  /** The slot holding {@code key}, or -1. */
  public int find(byte[] key) {
    int h = hash(key);
    int i = h & mask;
    for (;;) {
      int sh = hashes[i];
      if (sh == 0) {
        return -1;
      }
      if (sh == h && Arrays.equals(keys[i], key)) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  public byte[] keyAt(int slot) {
    return keys[slot];
  }

  public Object valueAt(int slot) {
    return values[slot];
  }

  public long expireAtMs(int slot) {
    return expiresAtMs[slot];
  }

  public boolean occupied(int slot) {
    return hashes[slot] != 0;
  }

  public void setValueAt(int slot, Object value) {
    values[slot] = value;
  }

  public void setExpireAtMs(int slot, long expireAtMs) {
    long old = expiresAtMs[slot];
    if ((old == NO_EXPIRY) != (expireAtMs == NO_EXPIRY)) {
      volatileCount += expireAtMs == NO_EXPIRY ? -1 : 1;
    }
    expiresAtMs[slot] = expireAtMs;
  }

  /**
   * Inserts or replaces {@code key}. The key array is kept by reference: callers pass arrays they
   * own (the decoder's fresh argument arrays).
   *
   * @return the slot now holding the key
   */
  public int put(byte[] key, Object value, long expireAtMs) {
    int h = hash(key);
    int i = h & mask;
    for (;;) {
      int sh = hashes[i];
      if (sh == 0) {
        if (size >= resizeThreshold) {
          resize(keys.length * 2);
          return put(key, value, expireAtMs);
        }
        hashes[i] = h;
        keys[i] = key;
        values[i] = value;
        expiresAtMs[i] = expireAtMs;
        if (expireAtMs != NO_EXPIRY) {
          volatileCount++;
        }
        size++;
        return i;
      }
      if (sh == h && Arrays.equals(keys[i], key)) {
        values[i] = value;
        setExpireAtMs(i, expireAtMs);
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  /** Removes the key, returning its value or {@code null}. */
  public Object remove(byte[] key) {
    int slot = find(key);
    if (slot < 0) {
      return null;
    }
    Object old = values[slot];
    removeAt(slot);
    return old;
  }

  /**
   * Removes the entry in {@code slot} and shifts the rest of its probe run back. Entries that move
   * come from higher slots (modulo wrap-around) into lower ones, so a caller sweeping slots upwards
   * must look at {@code slot} again after a removal. Never shrinks: see {@link #shrinkIfSparse}.
   */
  public void removeAt(int slot) {
    if (expiresAtMs[slot] != NO_EXPIRY) {
      volatileCount--;
    }
    int hole = slot;
    int i = slot;
    for (;;) {
      i = (i + 1) & mask;
      int h = hashes[i];
      if (h == 0) {
        break;
      }
      int home = h & mask;
      // Move i into the hole when its home slot is not cyclically in (hole, i].
      boolean homeInRange = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
      if (!homeInRange) {
        hashes[hole] = h;
        keys[hole] = keys[i];
        values[hole] = values[i];
        expiresAtMs[hole] = expiresAtMs[i];
        hole = i;
      }
    }
    hashes[hole] = 0;
    keys[hole] = null;
    values[hole] = null;
    expiresAtMs[hole] = NO_EXPIRY;
    size--;
  }

  /**
   * Gives memory back after mass deletion (expiry, DEL): halves the table while it is under 1/8 full.
   * Separate from {@link #removeAt} so that slot sweeps are never reordered under the sweeper.
   */
  public void shrinkIfSparse() {
    if (keys.length > MIN_CAPACITY && size < keys.length / 8) {
      resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size)) * 4));
    }
  }

  public void clear() {
    allocate(MIN_CAPACITY);
    size = 0;
    volatileCount = 0;
  }

  private void resize(int capacity) {
    byte[][] oldKeys = keys;
    Object[] oldValues = values;
    int[] oldHashes = hashes;
    long[] oldExpires = expiresAtMs;
    allocate(capacity);
    for (int j = 0; j < oldKeys.length; j++) {
      int h = oldHashes[j];
      if (h != 0) {
        int i = h & mask;
        while (hashes[i] != 0) {
          i = (i + 1) & mask;
        }
        hashes[i] = h;
        keys[i] = oldKeys[j];
        values[i] = oldValues[j];
        expiresAtMs[i] = oldExpires[j];
      }
    }
  }
}

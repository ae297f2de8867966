package io.kaiware.engine;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The keyspace of one database: an open-addressing hash table from {@code byte[]} keys to values
 * and expiry times.
 *
 * <h2>Why not {@code HashMap<Key, Entry>}</h2>
 * Memory per key is a first-class figure for a cache. A {@code HashMap} costs a node (32 B), a key
 * wrapper (16 B) and a boxed or wrapped expiry per key, before the key and value bytes. Here a key
 * costs its {@code byte[]} plus, per slot, a key reference, a value reference, an {@code int} hash
 * and a {@code long} expiry — about 20 B per slot, ~27 B per key at the maximum load factor of 0.75.
 * The expiry array exists only while some entry has an expiry: a table whose entries never expire
 * (most databases' keys, and every hash's fields and sorted set's member index) saves its 8 B per
 * slot. Lookups hash the request's {@code byte[]} directly: no wrapper is allocated per command.
 *
 * <p>The hash is stored although its {@code int[]} costs 4 B per slot (8.4 B per key at a load of
 * 0.477): without it every probe, resize move, deletion shift and SCAN step reads a key's bytes,
 * one cache miss each in a big table. Measured with {@code KeyTableSpeedBenchmark} on 1M keys (ZGC,
 * compact headers): a hit lookup took 340 ns instead of 180, an insert with its resizes 490 ns
 * instead of 120, a full SCAN 610 ns per key instead of 55 (docs/benchmarks/memory-per-key.md).
 *
 * <h2>How</h2>
 * Linear probing over power-of-two arrays. Deletion shifts the following run of entries back
 * (Knuth's algorithm R), so there are no tombstones and a lookup never scans more than its run.
 * The stored hash is never 0 (0 marks an empty slot) and is a mixed FNV-1a of the key bytes.
 * An expiry of {@link #NO_EXPIRY} means the key is persistent; time semantics belong to the caller.
 *
 * <h2>The SCAN cursor: why it never misses a key</h2>
 * SCAN promises that a key present for the whole iteration is returned at least once, although
 * between two calls the table may grow, shrink, or shift entries backwards on deletion. Slot
 * positions are therefore useless as a cursor: a backward shift moves an entry from a slot the
 * cursor has not reached into one it has already passed, and a resize moves everything.
 *
 * <p>What does not move is an entry's <em>home bucket</em>, {@code hash & mask}: it depends only on
 * the stored hash and the capacity. So the cursor walks home buckets, not slots, and
 * {@link #scan} returns every entry whose home is the visited bucket. Linear probing guarantees
 * those entries sit in the run that starts at the bucket (every slot between an entry's home and
 * its position is occupied, an invariant backward-shift deletion preserves), so a bucket is
 * collected by walking from its slot to the next empty one. Deletions and shifts are thereby
 * invisible to the cursor.
 *
 * <p>Resizes are handled exactly as in Redis's {@code dictScan}: buckets are visited in
 * <em>reverse-binary</em> order (increment the bit-reversed cursor). With a power-of-two capacity,
 * bucket {@code b} under mask {@code m} becomes buckets {@code b}, {@code b + m + 1}, ... under a
 * larger mask — the same low bits with every combination of new high bits. Reverse-binary order
 * varies the high bits fastest, so after a grow the cursor continues through the expansions of the
 * buckets not yet visited and never revisits or skips a low-bit pattern; after a shrink the high
 * bits are dropped ({@code cursor | ~mask}), which may return some keys twice but never skips one.
 * The cursor is 0 again exactly when every bucket has been visited. {@code KeyTableScanTest} checks
 * this with random inserts, deletions and resizes between calls.
 *
 * <h2>Watching writes</h2>
 * Every mutation of an entry ({@link #put}, {@link #removeAt}, {@link #setValueAt},
 * {@link #setExpireAtMs}, {@link #touch}) reports the key to the {@link TouchListener}, if one is
 * installed. WATCH relies on it: no command handler has to remember to signal its writes. The
 * listener is {@code null} while nobody watches, so the write path pays one null check.
 *
 * <p>Not thread-safe: the engine is single-threaded by design (ADR 0003).
 */
public final class KeyTable {

  /** The expiry value of a key that never expires. */
  public static final long NO_EXPIRY = 0L;

  /** Smallest capacity; the table never shrinks below it. */
  private static final int MIN_CAPACITY = 16;

  /** Receives every key whose entry was written or removed (see "Watching writes"). */
  @FunctionalInterface
  public interface TouchListener {
    void keyTouched(byte[] key);
  }

  private byte[][] keys;
  private Object[] values;
  private int[] hashes;
  /** Per slot; {@code null} (every entry persistent) until an entry first gets an expiry. */
  private long[] expiresAtMs;
  private int size;
  private int volatileCount;
  private int resizeThreshold;
  private int mask;
  private TouchListener touchListener;
  /**
   * False while every value ever stored since the last {@link #clear} or {@link #cut}
   * is a {@code byte[]}: a snapshot cut of such a table copies the slot arrays and nothing else.
   */
  private boolean mayHoldNonStrings;

  public KeyTable() {
    allocate(MIN_CAPACITY);
  }

  private void allocate(int capacity) {
    keys = new byte[capacity][];
    values = new Object[capacity];
    hashes = new int[capacity];
    expiresAtMs = volatileCount > 0 ? new long[capacity] : null;
    mask = capacity - 1;
    resizeThreshold = (int) (capacity * 0.75);
  }

  /**
   * Writes since the table was created: every {@link #put}, {@link #removeAt}, {@link #setValueAt},
   * {@link #setExpireAtMs} and {@link #touch}, plus one per key a {@link #clear} drops; removals of
   * expired keys ({@link #removeExpiredAt}) do not count. Redis's {@code server.dirty} for one
   * database: a command that moved it changed the dataset (the replication stream propagates it),
   * and INFO's {@code rdb_changes_since_last_save} is its growth since the last snapshot.
   */
  private long writes;

  /** See {@link #writes}. */
  public long writes() {
    return writes;
  }

  /**
   * Counts a change that is not a write of an entry WATCH should see: Redis's {@code server.dirty++}
   * without {@code signalModifiedKey} (a stream consumer group's state: XGROUP, XACK, XREADGROUP).
   */
  public void noteWrite() {
    writes++;
  }

  /**
   * Removes a key because it expired: the listener still hears of it (WATCH), but it is not one of
   * the {@link #writes} — reclaiming what time already removed is not a change, as in Redis.
   */
  public void removeExpiredAt(int slot) {
    removeAt(slot);
    writes--;
  }

  /** Installs (or with {@code null} removes) the listener told about every write. */
  public void touchListener(TouchListener listener) {
    this.touchListener = listener;
  }

  /** Told of every key {@link #put} inserts (not of replacements): Redis's "new" keyspace event. */
  @FunctionalInterface
  public interface InsertListener {
    void inserted(byte[] key);
  }

  private InsertListener insertListener;

  /** Sets (or with {@code null} clears) the {@link InsertListener}. */
  public void insertListener(InsertListener listener) {
    this.insertListener = listener;
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
    long[] expires = expiresAtMs;
    return expires == null ? NO_EXPIRY : expires[slot];
  }

  public boolean occupied(int slot) {
    return hashes[slot] != 0;
  }

  /** Replaces the value in {@code slot}, keeping its expiry. */
  public void setValueAt(int slot, Object value) {
    values[slot] = value;
    noteValueType(value);
    touched(keys[slot]);
  }

  /** Sets the absolute expiry of the entry in {@code slot} ({@link #NO_EXPIRY} makes it persistent). */
  public void setExpireAtMs(int slot, long expireAtMs) {
    storeExpiry(slot, expireAtMs);
    touched(keys[slot]);
  }

  /**
   * Reports an in-place change of the value in {@code slot} (a data type mutating its own
   * structure) to the listener, so WATCH sees it.
   */
  public void touch(int slot) {
    touched(keys[slot]);
  }

  private void storeExpiry(int slot, long expireAtMs) {
    long[] expires = expiresAtMs;
    if (expires == null) {
      if (expireAtMs == NO_EXPIRY) {
        return;
      }
      expires = expiresAtMs = new long[keys.length];
    }
    long old = expires[slot];
    if ((old == NO_EXPIRY) != (expireAtMs == NO_EXPIRY)) {
      volatileCount += expireAtMs == NO_EXPIRY ? -1 : 1;
    }
    expires[slot] = expireAtMs;
  }

  private void touched(byte[] key) {
    writes++;
    TouchListener l = touchListener;
    if (l != null) {
      l.keyTouched(key);
    }
  }

  /**
   * Inserts or replaces {@code key}. The key array is kept by reference: callers pass arrays they
   * own (the decoder's fresh argument arrays).
   *
   * @return the slot now holding the key
   */
  public int put(byte[] key, Object value, long expireAtMs) {
    noteValueType(value);
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
        storeExpiry(i, expireAtMs); // an empty slot's expiry is always NO_EXPIRY
        size++;
        touched(key);
        if (insertListener != null) {
          insertListener.inserted(key);
        }
        return i;
      }
      if (sh == h && Arrays.equals(keys[i], key)) {
        values[i] = value;
        storeExpiry(i, expireAtMs);
        touched(keys[i]);
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
    byte[] removedKey = keys[slot];
    long[] expires = expiresAtMs;
    if (expires != null && expires[slot] != NO_EXPIRY) {
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
        if (expires != null) {
          expires[hole] = expires[i];
        }
        hole = i;
      }
    }
    hashes[hole] = 0;
    keys[hole] = null;
    values[hole] = null;
    if (expires != null) {
      expires[hole] = NO_EXPIRY;
    }
    size--;
    touched(removedKey);
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

  private void noteValueType(Object value) {
    if (!(value instanceof byte[])) {
      mayHoldNonStrings = true;
    }
  }

  /**
   * Whether a value other than a {@code byte[]} may be in the table. False guarantees there is
   * none; true may be stale (the hash was deleted since) until a {@link #cut} finds only strings.
   */
  public boolean mayHoldNonStrings() {
    return mayHoldNonStrings;
  }

  /** Copies of the slot arrays, for a snapshot cut: an empty slot has a null key. */
  public record Slots(byte[][] keys, Object[] values, long[] expiresAtMs) {
    /** The expiry in {@code slot}. */
    public long expireAtMs(int slot) {
      return expiresAtMs == null ? NO_EXPIRY : expiresAtMs[slot];
    }
  }

  /**
   * {@link Slots} of the whole table for a cut taken on the owning thread and written from another
   * (a snapshot, a replica's copy). Keys and strings are never changed in place, so they are held by
   * reference; every other value is replaced by what {@code encodeNow} makes of it (its bytes,
   * captured before the engine changes it). A table that has only held strings since the last full
   * pass is cut by copying its arrays; a pass that finds only strings lets the next cut do that.
   */
  public Slots cut(java.util.function.UnaryOperator<Object> encodeNow) {
    if (!mayHoldNonStrings) {
      return copySlots();
    }
    byte[][] cutKeys = new byte[size][];
    Object[] cutValues = new Object[size];
    long[] cutExpiresAtMs = new long[size];
    boolean onlyStrings = true;
    int i = 0;
    for (int slot = 0; slot < keys.length; slot++) {
      if (hashes[slot] == 0) {
        continue;
      }
      Object value = values[slot];
      if (!(value instanceof byte[])) {
        onlyStrings = false;
        value = encodeNow.apply(value);
      }
      cutKeys[i] = keys[slot];
      cutValues[i] = value;
      cutExpiresAtMs[i] = expireAtMs(slot);
      i++;
    }
    if (onlyStrings) {
      mayHoldNonStrings = false;
    }
    return new Slots(cutKeys, cutValues, cutExpiresAtMs);
  }

  /** {@link Slots} of the whole table: three array copies, no per-entry work. */
  public Slots copySlots() {
    return new Slots(keys.clone(), values.clone(), expiresAtMs == null ? null : expiresAtMs.clone());
  }

  /** Drops every entry without telling the listener (FLUSHDB handles WATCH itself). */
  public void clear() {
    writes += size;
    size = 0;
    volatileCount = 0;
    mayHoldNonStrings = false;
    allocate(MIN_CAPACITY);
  }

  /**
   * One SCAN step: passes to {@code slotVisitor} the slot of every entry whose home bucket is
   * {@code cursor & mask} (see the class essay), and returns the cursor of the next bucket in
   * reverse-binary order, 0 when the iteration is complete. The visitor must not change the table.
   */
  public long scan(long cursor, IntConsumer slotVisitor) {
    int bucket = (int) (cursor & mask);
    for (int i = bucket; hashes[i] != 0; i = (i + 1) & mask) {
      if ((hashes[i] & mask) == bucket) {
        slotVisitor.accept(i);
      }
    }
    return nextCursor(cursor, mask);
  }

  /** Redis's reverse-binary increment: set the bits above the mask, reverse, add one, reverse back. */
  static long nextCursor(long cursor, int mask) {
    long v = cursor | ~(long) mask;
    v = Long.reverse(v);
    v++;
    return Long.reverse(v);
  }

  /**
   * A pseudo-randomly chosen occupied slot, or -1 when empty; every occupied slot equally likely.
   * Deterministic in {@code seed}: the caller derives it from replicated inputs, never from an
   * unseeded source.
   *
   * <p>Rejection sampling: draw slots until one is occupied (the table is kept at least a quarter
   * full, so a few draws on average). Taking the next occupied slot after one random draw, as this
   * did before, favours keys that follow long empty runs: Redis's HRANDFIELD/ZRANDMEMBER
   * chi-square tests caught it. After {@value #FAIR_DRAWS} misses (a table left very sparse) it
   * falls back to that probe.
   */
  public int randomSlot(long seed) {
    if (size == 0) {
      return -1;
    }
    long state = seed;
    int i = 0;
    for (int draw = 0; draw < FAIR_DRAWS; draw++) {
      state += 0x9E3779B97F4A7C15L;
      i = (int) (mix64(state) & mask);
      if (hashes[i] != 0) {
        return i;
      }
    }
    while (hashes[i] == 0) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private static final int FAIR_DRAWS = 64;
  /**
   * A pseudo-random occupied slot chosen by the table's <em>content</em> alone, or -1 when empty:
   * the entry whose bit-reversed stored hash comes first at or after {@code point}, cyclically
   * (equal hashes: the smaller key). {@link #randomSlot} depends on the layout — capacity, insertion
   * and deletion history — which differs between a table and its copy rebuilt from a snapshot; a
   * write that picks at random (SPOP) must pick the same on every replica, so it uses this.
   *
   * <p>Why it is cheap: the home bucket is the low bits of the hash, so the bit-reversed hashes of a
   * bucket's entries share their top bits, the reversed bucket index — buckets visited in
   * reverse-binary order (as SCAN's cursor) cover the reversed-hash space in increasing order. The
   * search starts at the bucket of {@code point} and stops at the first bucket holding a candidate:
   * a few buckets at the usual load factors.
   */
  public int slotAtOrAfter(int point) {
    if (size == 0) {
      return -1;
    }
    int bits = Integer.numberOfTrailingZeros(keys.length);
    int prefix = point >>> (32 - bits);
    for (int step = 0; step <= keys.length; step++) {
      int bucket = Integer.reverse((prefix + step) & mask) >>> (32 - bits);
      int best = -1;
      int bestKey = 0;
      for (int i = bucket; hashes[i] != 0; i = (i + 1) & mask) {
        int h = hashes[i];
        if ((h & mask) != bucket) {
          continue;
        }
        int reversed = Integer.reverse(h);
        if (step == 0 && Integer.compareUnsigned(reversed, point) < 0) {
          continue; // before the point: only once the search has wrapped around (step == capacity)
        }
        if (best < 0 || Integer.compareUnsigned(reversed, bestKey) < 0
            || (reversed == bestKey && Arrays.compare(keys[i], keys[best]) < 0)) {
          best = i;
          bestKey = reversed;
        }
      }
      if (best >= 0) {
        return best;
      }
    }
    throw new IllegalStateException("no entry in a non-empty table");
  }

  /** Entries a virtual bucket holds before {@link #uniformSlotByContent} under-samples them. */
  static final int VIRTUAL_BUCKET_LOAD = 4;

  /** Draws {@link #uniformSlotByContent} makes before it settles for {@link #slotAtOrAfter}. */
  static final int MAX_UNIFORM_DRAWS = 1 << 16;

  /**
   * A uniformly random occupied slot, deterministic in {@code seed} and chosen by the table's
   * <em>content</em> alone (as {@link #slotAtOrAfter}, but without its bias towards entries after
   * a wide gap of hash space), or -1 when empty.
   *
   * <p>The reversed-hash space is cut into {@code G} <em>virtual buckets</em>, G the power of two
   * in (2 size, 4 size]: a function of the size, so replicas whose capacities differ cut alike. A
   * draw picks a virtual bucket and an index below {@value #VIRTUAL_BUCKET_LOAD}; it succeeds when
   * the bucket holds more entries than the index, and takes that entry in (reversed hash, key)
   * order: each entry is equally likely, 1 / (4 G) per draw, about 1/8 to 1/16 of draws succeed. A
   * bucket holding more than 4 entries (at a load of at most 1/2, one in several thousand; or
   * members built to collide) answers one of them uniformly on success: its entries are less
   * likely, never impossible. A virtual bucket is one real bucket's run, or the runs of the few
   * real buckets it spans when the table is larger than G.
   */
  public int uniformSlotByContent(long seed) {
    if (size == 0) {
      return -1;
    }
    int g = Math.min(30, 33 - Integer.numberOfLeadingZeros(size)); // bit length of size, plus one
    int k = Integer.numberOfTrailingZeros(keys.length);
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    int[] found = new int[VIRTUAL_BUCKET_LOAD];
    for (int draw = 0; draw < MAX_UNIFORM_DRAWS; draw++) {
      int virtual = random.nextInt(1 << g);
      int index = random.nextInt(VIRTUAL_BUCKET_LOAD);
      // A hash whose reversed top g bits are the virtual bucket: its low bits name the real buckets.
      int base = Integer.reverse(virtual << (32 - g));
      int m = 0;
      int spanned = g >= k ? 1 : 1 << (k - g);
      for (int t = 0; t < spanned; t++) {
        int bucket = g >= k ? base & mask : (base & ((1 << g) - 1)) | (t << g);
        for (int i = bucket; hashes[i] != 0; i = (i + 1) & mask) {
          if ((hashes[i] & mask) == bucket && Integer.reverse(hashes[i]) >>> (32 - g) == virtual) {
            if (m == found.length) {
              found = Arrays.copyOf(found, m * 2);
            }
            found[m++] = i;
          }
        }
      }
      if (index >= m) {
        continue;
      }
      // Sort the bucket's entries into (reversed hash, key) order: a handful, insertion sort.
      for (int a = 1; a < m; a++) {
        int slot = found[a];
        int b = a - 1;
        while (b >= 0 && contentOrder(found[b], slot) > 0) {
          found[b + 1] = found[b];
          b--;
        }
        found[b + 1] = slot;
      }
      return found[m <= VIRTUAL_BUCKET_LOAD ? index : random.nextInt(m)];
    }
    return slotAtOrAfter(random.nextInt());
  }

  /** The (reversed hash, key) order of two occupied slots. */
  private int contentOrder(int a, int b) {
    int c = Integer.compareUnsigned(Integer.reverse(hashes[a]), Integer.reverse(hashes[b]));
    return c != 0 ? c : Arrays.compare(keys[a], keys[b]);
  }

  /** SplitMix64's finaliser: spreads a seed's bits over the whole word. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
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
        if (expiresAtMs != null) { // allocated by allocate() exactly when some entry has an expiry
          expiresAtMs[i] = oldExpires[j];
        }
      }
    }
  }
}

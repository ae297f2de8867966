package io.kaiware.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A Redis set of binary members, with Redis 7.0's two encodings (t_set.c).
 *
 * <p><b>intset</b>: while every member is the canonical decimal form of a 64-bit integer (Redis's
 * {@code string2ll}: no sign but '-', no leading zeros, no "-0") and there are at most
 * {@code set-max-intset-entries} of them (passed to {@link #add(byte[], int)}; Redis's default
 * {@link #DEFAULT_MAX_INTSET_ENTRIES}), the members are a sorted {@code long[]}: 8 bytes per member,
 * binary-search lookups, and iteration in ascending numeric order — the order Redis answers SMEMBERS,
 * SSCAN (one call, cursor 0) and SUNION in for such sets. <b>hashtable</b>: members in a
 * {@link KeyTable} (values unused), which gives SSCAN its reverse-binary cursor and a seeded random
 * choice that depends on the members alone ({@link #randomPosition}). Adding a non-integer member
 * or an integer past the limit converts an intset to a hashtable once and for all; removals never
 * convert back (as in Redis). A new set starts as an intset, so a set built by adding members has the
 * encoding Redis would give it ({@code setTypeCreate} and {@code createIntsetObject} followed by
 * {@code setTypeAdd}).
 *
 * <p>Iteration is by <em>position</em>, 0 to {@link #capacity()} - 1, valid while
 * {@link #occupied}: intset positions are indexes into the sorted array, hashtable positions are
 * table slots. Member arrays are kept by reference and never mutated once stored.
 */
public final class SetValue implements CollectionValue {

  /** Redis's {@code set-max-intset-entries} default. */
  public static final int DEFAULT_MAX_INTSET_ENTRIES = 512;

  /** Redis's cap on {@code set-max-intset-entries} whatever it is set to (intset internals: 1G entries). */
  public static final int INTSET_ENTRIES_CAP = 1 << 30;

  /** The sorted members while intset-encoded ({@code table == null}); unused slots past {@code intCount}. */
  private long[] ints = new long[4];
  private int intCount;
  /** The members once hashtable-encoded, else {@code null}. */
  private KeyTable table;
  /**
   * An intset's members in the order {@link KeyTable#uniformSlotByContent} sees a table's entries —
   * (bit-reversed {@link KeyTable#hash} of the decimal form, unsigned; then the decimal bytes) — as
   * intset indexes, and their reversed hashes alongside; built by the first random pick after a
   * change, kept up to date by removals (SPOP pops many). Null when not built.
   */
  private int[] contentOrder;
  private int[] contentReversedHashes;

  public int size() {
    return table == null ? intCount : table.size();
  }

  /** Whether the set is intset-encoded. */
  public boolean isIntset() {
    return table == null;
  }

  /** {@link #add(byte[], int)} under Redis's default limit. */
  public boolean add(byte[] member) {
    return add(member, DEFAULT_MAX_INTSET_ENTRIES);
  }

  /**
   * Adds {@code member} (kept by reference); returns whether it is new. An intset that now holds
   * more than {@code maxIntsetEntries} members (Redis's {@code set-max-intset-entries}, capped at
   * {@link #INTSET_ENTRIES_CAP}) becomes a hashtable, as {@code setTypeAdd} does.
   */
  public boolean add(byte[] member, int maxIntsetEntries) {
    if (table == null) {
      if (isInteger(member)) {
        long v = parseInteger(member);
        int i = Arrays.binarySearch(ints, 0, intCount, v);
        if (i >= 0) {
          return false;
        }
        int at = -i - 1;
        if (intCount == ints.length) {
          ints = Arrays.copyOf(ints, ints.length * 2);
        }
        System.arraycopy(ints, at, ints, at + 1, intCount - at);
        ints[at] = v;
        intCount++;
        contentOrder = null;
        if (intCount > Math.min(maxIntsetEntries, INTSET_ENTRIES_CAP)) {
          convertToHashtable();
        }
        return true;
      }
      convertToHashtable();
    }
    if (table.find(member) >= 0) {
      return false;
    }
    table.put(member, null, KeyTable.NO_EXPIRY);
    return true;
  }

  /** Removes {@code member}; returns whether it was there. */
  public boolean remove(byte[] member) {
    if (table == null) {
      int i = intIndex(member);
      if (i < 0) {
        return false;
      }
      System.arraycopy(ints, i + 1, ints, i, intCount - i - 1);
      intCount--;
      forgetInContentOrder(i);
      if (ints.length > 16 && intCount < ints.length / 4) {
        ints = Arrays.copyOf(ints, ints.length / 2);
      }
      return true;
    }
    int slot = table.find(member);
    if (slot < 0) {
      return false;
    }
    table.removeAt(slot);
    table.shrinkIfSparse();
    return true;
  }

  public boolean contains(byte[] member) {
    return table == null ? intIndex(member) >= 0 : table.find(member) >= 0;
  }

  private int intIndex(byte[] member) {
    if (!isInteger(member)) {
      return -1;
    }
    int i = Arrays.binarySearch(ints, 0, intCount, parseInteger(member));
    return i >= 0 ? i : -1;
  }

  /** Converts an intset to a hashtable (no-op for a hashtable): a decoded snapshot keeps its encoding. */
  public void leaveIntset() {
    if (table == null) {
      convertToHashtable();
    }
  }

  /**
   * Re-decides the encoding as Redis does for a set it loads (RESTORE, {@code rdbLoadObject}):
   * intset exactly when every member is an integer and there are at most {@code maxIntsetEntries}.
   */
  public void encodeAsLoaded(int maxIntsetEntries) {
    int max = Math.min(maxIntsetEntries, INTSET_ENTRIES_CAP);
    if (table == null) {
      if (intCount > max) {
        convertToHashtable();
      }
      return;
    }
    if (table.size() > max) {
      return;
    }
    long[] values = new long[Math.max(4, table.size())];
    int n = 0;
    for (int slot = 0; slot < table.capacity(); slot++) {
      if (table.occupied(slot)) {
        byte[] m = table.keyAt(slot);
        if (!isInteger(m)) {
          return;
        }
        values[n++] = parseInteger(m);
      }
    }
    Arrays.sort(values, 0, n);
    ints = values;
    intCount = n;
    table = null;
    contentOrder = null;
  }

  private void convertToHashtable() {
    KeyTable t = new KeyTable();
    for (int i = 0; i < intCount; i++) {
      t.put(format(ints[i]), null, KeyTable.NO_EXPIRY);
    }
    table = t;
    ints = null;
    intCount = 0;
    contentOrder = null;
  }

  /** Positions run from 0 to {@code capacity() - 1}; see the class comment. */
  public int capacity() {
    return table == null ? intCount : table.capacity();
  }

  public boolean occupied(int position) {
    return table == null ? position < intCount : table.occupied(position);
  }

  /** The member at an occupied position (a fresh array for an intset member). */
  public byte[] memberAt(int position) {
    return table == null ? format(ints[position]) : table.keyAt(position);
  }

  /**
   * A uniformly random occupied position, or -1 when empty, that depends on {@code seed} and the
   * members only — never on the layout (capacity, insertion order), which differs between a set and
   * its copy rebuilt from a snapshot or a DUMP: SPOP re-executes on every replica and must pop the
   * same member everywhere. Nor on the encoding: replicas configured with different
   * set-max-intset-entries may hold one set in two encodings, so an intset answers exactly the
   * member a hashtable of the same members would ({@link KeyTable#uniformSlotByContent}).
   */
  public int randomPosition(long seed) {
    if (table != null) {
      return table.uniformSlotByContent(seed);
    }
    if (intCount == 0) {
      return -1;
    }
    if (contentOrder == null) {
      buildContentOrder();
    }
    // KeyTable.uniformSlotByContent's draws, over the members sorted by reversed hash: a virtual
    // bucket is a run of that order.
    int g = Math.min(30, 33 - Integer.numberOfLeadingZeros(intCount));
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    for (int draw = 0; draw < KeyTable.MAX_UNIFORM_DRAWS; draw++) {
      int virtual = random.nextInt(1 << g);
      int index = random.nextInt(KeyTable.VIRTUAL_BUCKET_LOAD);
      int from = firstAtOrAfter(virtual << (32 - g));
      int to = virtual + 1 == 1 << g ? intCount : firstAtOrAfter((virtual + 1) << (32 - g));
      int m = to - from;
      if (index >= m) {
        continue;
      }
      return contentOrder[from + (m <= KeyTable.VIRTUAL_BUCKET_LOAD ? index : random.nextInt(m))];
    }
    int at = firstAtOrAfter(random.nextInt()); // KeyTable.slotAtOrAfter: cyclic
    return contentOrder[at == intCount ? 0 : at];
  }

  /** The first index of {@link #contentOrder} whose reversed hash is at or after {@code point} (unsigned). */
  private int firstAtOrAfter(int point) {
    int lo = 0;
    int hi = intCount;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Integer.compareUnsigned(contentReversedHashes[mid], point) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private void buildContentOrder() {
    int n = intCount;
    long[] packed = new long[n];
    for (int i = 0; i < n; i++) {
      int reversed = Integer.reverse(KeyTable.hash(format(ints[i])));
      // Flipping the sign bit makes the signed order of the packed longs the unsigned order of the hashes.
      packed[i] = ((long) (reversed ^ Integer.MIN_VALUE) << 32) | i;
    }
    Arrays.sort(packed);
    int[] order = new int[n];
    int[] hashes = new int[n];
    for (int j = 0; j < n; j++) {
      order[j] = (int) packed[j];
      hashes[j] = (int) (packed[j] >>> 32) ^ Integer.MIN_VALUE;
    }
    // Equal hashes (rare): by the members' decimal bytes, as KeyTable orders equal hashes by key.
    for (int j = 1; j < n; j++) {
      int k = j;
      while (k > 0 && hashes[k - 1] == hashes[k]
          && Arrays.compare(format(ints[order[k - 1]]), format(ints[order[k]])) > 0) {
        int t = order[k];
        order[k] = order[k - 1];
        order[k - 1] = t;
        k--;
      }
    }
    contentOrder = order;
    contentReversedHashes = hashes;
  }

  /** Intset index {@code removed} is gone: drop it from the content order and renumber the indexes after it. */
  private void forgetInContentOrder(int removed) {
    if (contentOrder == null) {
      return;
    }
    int n = intCount; // already decremented
    int w = 0;
    for (int j = 0; j <= n; j++) {
      int index = contentOrder[j];
      if (index == removed) {
        continue;
      }
      contentOrder[w] = index > removed ? index - 1 : index;
      contentReversedHashes[w] = contentReversedHashes[j];
      w++;
    }
  }

  /** The member table of a hashtable-encoded set (SSCAN's cursor), or {@code null} for an intset. */
  public KeyTable table() {
    return table;
  }

  @Override
  public String typeName() {
    return "set";
  }

  @Override
  public String encoding() {
    return table == null ? "intset" : "hashtable";
  }

  /** A copy with the same encoding (Redis's {@code setTypeDup}), as COPY requires. */
  @Override
  public SetValue deepCopy() {
    SetValue copy = new SetValue();
    if (table == null) {
      copy.ints = Arrays.copyOf(ints, Math.max(4, intCount));
      copy.intCount = intCount;
    } else {
      copy.ints = null;
      copy.table = new KeyTable();
      for (int slot = 0; slot < table.capacity(); slot++) {
        if (table.occupied(slot)) {
          copy.table.put(table.keyAt(slot), null, KeyTable.NO_EXPIRY);
        }
      }
    }
    return copy;
  }

  @Override
  public long estimateBytes() {
    if (table == null) {
      return 16 + HeapLayout.array(8, ints.length);
    }
    // The value object, the table's three array headers, two references and a hash per slot.
    long bytes = 16 + 3 * HeapLayout.ARRAY_HEADER_BYTES + HeapLayout.keyTableSlotBytes() * table.capacity();
    for (int slot = 0; slot < table.capacity(); slot++) {
      if (table.occupied(slot)) {
        bytes += CollectionValue.arrayBytes(table.keyAt(slot).length);
      }
    }
    return bytes;
  }

  /** Each member with no content (Redis digests a set member by its name alone), in any order. */
  @Override
  public void digestElements(ElementSink sink) {
    for (int p = 0; p < capacity(); p++) {
      if (occupied(p)) {
        sink.element(memberAt(p), null);
      }
    }
  }

  /**
   * Redis's {@code string2ll} test: whether {@code s} is exactly the decimal form
   * {@link Long#toString(long)} gives some {@code long}.
   */
  public static boolean isInteger(byte[] s) {
    int n = s.length;
    if (n == 0 || n > 20) {
      return false;
    }
    int i = s[0] == '-' ? 1 : 0;
    int digits = n - i;
    if (digits == 0 || digits > 19 || (s[i] == '0' && (digits > 1 || i == 1))) {
      return false;
    }
    for (int j = i; j < n; j++) {
      if (s[j] < '0' || s[j] > '9') {
        return false;
      }
    }
    if (digits < 19) {
      return true;
    }
    byte[] limit = i == 1 ? MIN_DIGITS : MAX_DIGITS;
    for (int j = 0; j < 19; j++) {
      if (s[i + j] != limit[j]) {
        return s[i + j] < limit[j];
      }
    }
    return true;
  }

  private static final byte[] MAX_DIGITS = "9223372036854775807".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MIN_DIGITS = "9223372036854775808".getBytes(StandardCharsets.US_ASCII);

  /** The value of bytes {@link #isInteger} accepted (accumulated negatively, so MIN_VALUE fits). */
  static long parseInteger(byte[] s) {
    boolean negative = s[0] == '-';
    long v = 0;
    for (int j = negative ? 1 : 0; j < s.length; j++) {
      v = v * 10 - (s[j] - '0');
    }
    return negative ? v : -v;
  }

  private static byte[] format(long v) {
    return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("set{");
    for (int p = 0; p < capacity(); p++) {
      if (occupied(p)) {
        sb.append(new String(memberAt(p), StandardCharsets.ISO_8859_1)).append(',');
      }
    }
    return sb.append('}').toString();
  }
}

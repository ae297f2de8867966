package io.kaiware.engine;

import java.util.Arrays;

/**
 * A Redis hash: binary field names mapped to binary values.
 *
 * <p>The fields live in a {@link KeyTable} (expiry unused), which brings exactly the properties
 * HSCAN and HRANDFIELD need: a reverse-binary SCAN cursor that never misses a field across resizes
 * and deletions, and seeded random slot choice. Field and value arrays are kept by reference (the
 * decoder's fresh argument arrays) and never mutated after they are stored.
 *
 * <p>The representation is always this table. OBJECT ENCODING reports what Redis 7.0 would have
 * for the same history — tools and Redis's own tests check it: "listpack" until a field or value
 * longer than hash-max-listpack-value is written or the size passes hash-max-listpack-entries,
 * "hashtable" from then on (never back, as in Redis). The commands keep {@link #compact()}.
 */
public final class HashValue implements CollectionValue {

  private final KeyTable fields = new KeyTable();
  private boolean compact = true;
  /**
   * While compact: the fields in insertion order (the arrays the table holds), because a Redis
   * listpack hash answers HGETALL, HKEYS and HVALS in that order and clients and tests see it. Null
   * once the hash is no longer compact: a Redis hash table has no order either.
   */
  private byte[][] order = new byte[4][];
  private int orderSize;

  /** Whether Redis would still hold this hash as a listpack (see the class comment). */
  public boolean compact() {
    return compact;
  }

  /** Redis's conversion to a hash table: one way. */
  public void leaveCompact() {
    compact = false;
    order = null;
    orderSize = 0;
  }

  /**
   * Every field and value: in insertion order while compact (Redis's listpack order), else in table
   * order.
   */
  public void forEach(java.util.function.BiConsumer<byte[], byte[]> visitor) {
    if (order != null) {
      for (int i = 0; i < orderSize; i++) {
        visitor.accept(order[i], get(order[i]));
      }
      return;
    }
    for (int slot = 0; slot < fields.capacity(); slot++) {
      if (fields.occupied(slot)) {
        visitor.accept(fields.keyAt(slot), (byte[]) fields.valueAt(slot));
      }
    }
  }

  private void appendOrder(byte[] field) {
    if (orderSize == order.length) {
      order = Arrays.copyOf(order, orderSize * 2);
    }
    order[orderSize++] = field;
  }

  private void removeOrder(byte[] storedField) {
    for (int i = 0; i < orderSize; i++) {
      if (order[i] == storedField) {
        System.arraycopy(order, i + 1, order, i, orderSize - i - 1);
        order[--orderSize] = null;
        return;
      }
    }
  }

  /** Whether every field and value fits {@code maxValueBytes} and the size {@code maxEntries}. */
  public boolean fits(int maxEntries, int maxValueBytes) {
    if (fields.size() > maxEntries) {
      return false;
    }
    for (int slot = 0; slot < fields.capacity(); slot++) {
      if (fields.occupied(slot) && (fields.keyAt(slot).length > maxValueBytes || ((byte[]) fields.valueAt(slot)).length > maxValueBytes)) {
        return false;
      }
    }
    return true;
  }

  /**
   * As a Redis load (RDB, RESTORE) decides: compact exactly when the content fits. A value decoded
   * field by field keeps the order it was decoded in (DUMP writes the listpack order).
   */
  public void compactIfFits(int maxEntries, int maxValueBytes) {
    if (!fits(maxEntries, maxValueBytes)) {
      leaveCompact();
    } else if (!compact) {
      compact = true;
      order = new byte[Math.max(4, fields.size())][];
      forEach((f, v) -> appendOrder(f));
    }
  }

  public int size() {
    return fields.size();
  }

  /** The value of {@code field}, or {@code null}. */
  public byte[] get(byte[] field) {
    int slot = fields.find(field);
    return slot < 0 ? null : (byte[]) fields.valueAt(slot);
  }

  /** Sets {@code field}; returns whether the field is new. */
  public boolean put(byte[] field, byte[] value) {
    int slot = fields.find(field);
    if (slot >= 0) {
      fields.setValueAt(slot, value);
      return false;
    }
    fields.put(field, value, KeyTable.NO_EXPIRY);
    if (order != null) {
      appendOrder(field);
    }
    return true;
  }

  /** Removes {@code field}; returns whether it existed. */
  public boolean remove(byte[] field) {
    int slot = fields.find(field);
    if (slot < 0) {
      return false;
    }
    if (order != null) {
      removeOrder(fields.keyAt(slot));
    }
    fields.removeAt(slot);
    fields.shrinkIfSparse();
    return true;
  }

  /** The field table, for iteration (HGETALL, HSCAN, HRANDFIELD): slots hold field -> value. */
  public KeyTable table() {
    return fields;
  }

  @Override
  public String typeName() {
    return "hash";
  }

  @Override
  public String encoding() {
    return compact ? "listpack" : "hashtable";
  }

  @Override
  public HashValue deepCopy() {
    HashValue copy = new HashValue();
    forEach(copy::put);
    if (!compact) {
      copy.leaveCompact();
    }
    return copy;
  }

  @Override
  public long estimateBytes() {
    // The value object, the table's three array headers, and two references and a hash per slot
    // (fields never expire, so the table has no expiry array).
    long bytes = 24 + 3 * HeapLayout.ARRAY_HEADER_BYTES + HeapLayout.keyTableSlotBytes() * fields.capacity()
        + (order == null ? 0 : HeapLayout.array(HeapLayout.REFERENCE_BYTES, order.length));
    for (int slot = 0; slot < fields.capacity(); slot++) {
      if (fields.occupied(slot)) {
        bytes += CollectionValue.arrayBytes(fields.keyAt(slot).length)
            + CollectionValue.arrayBytes(((byte[]) fields.valueAt(slot)).length);
      }
    }
    return bytes;
  }

  @Override
  public void digestElements(ElementSink sink) {
    for (int slot = 0; slot < fields.capacity(); slot++) {
      if (fields.occupied(slot)) {
        sink.element(fields.keyAt(slot), (byte[]) fields.valueAt(slot));
      }
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("hash{");
    for (int slot = 0; slot < fields.capacity(); slot++) {
      if (fields.occupied(slot)) {
        sb.append(Arrays.toString(fields.keyAt(slot))).append('=').append(Arrays.toString((byte[]) fields.valueAt(slot)));
      }
    }
    return sb.append('}').toString();
  }
}

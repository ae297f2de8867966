package io.kaiware.command.server;

import io.kaiware.command.Numbers;
import io.kaiware.engine.CollectionValue;
import io.kaiware.engine.Keyspace;

/** What OBJECT ENCODING, DEBUG OBJECT and MEMORY USAGE report about a stored value. */
final class Values {
  private Values() {}

  /**
   * Bytes a key costs beyond its key and value arrays: its share of the table's four parallel
   * arrays (4 + 4 + 4 + 8 bytes per slot) at a typical load factor of 0.5–0.75.
   */
  static final int SLOT_OVERHEAD_BYTES = 32;

  /**
   * Redis's string encodings: "raw" for a value written in place (APPEND, SETRANGE, SETBIT) or
   * longer than 44 bytes, else "int" for a value that is a 64-bit integer (unless Redis made it
   * without trying, as INCRBYFLOAT does), else "embstr".
   */
  static String encoding(Keyspace keyspace, Object value) {
    if (value instanceof byte[] bytes) {
      if (keyspace.isRawString(bytes)) {
        return "raw";
      }
      if (bytes.length <= 20 && !keyspace.isNotIntEncoded(bytes)
          && (Numbers.parseLong(bytes) != Numbers.NOT_A_LONG || Numbers.isMinLong(bytes))) {
        return "int";
      }
      return "embstr";
    }
    if (value instanceof CollectionValue collection) {
      return collection.encoding();
    }
    return "unknown";
  }

  /** Redis's OBJ_SHARED_REFCOUNT: what OBJECT REFCOUNT answers for a shared object. */
  static final int SHARED_REFCOUNT = Integer.MAX_VALUE;

  /** Redis shares one object per integer value 0-9999 (OBJ_SHARED_INTEGERS). */
  private static final long SHARED_INTEGERS = 10_000;

  /**
   * OBJECT REFCOUNT and DEBUG OBJECT's refcount, as Redis 7.0 reports them: a string holding an
   * integer from 0 to 9999 is one of Redis's shared integers ({@link #SHARED_REFCOUNT}; Kaiware's
   * only {@code maxmemory-policy} is noeviction, under which Redis always shares them); any other
   * value is referenced once.
   */
  static int refcount(Keyspace keyspace, Object value) {
    if (value instanceof byte[] bytes && bytes.length <= 4 && !keyspace.isUnshared(bytes)) {
      long n = Numbers.parseLong(bytes);
      if (n != Numbers.NOT_A_LONG && n >= 0 && n < SHARED_INTEGERS) {
        return SHARED_REFCOUNT;
      }
    }
    return 1;
  }

  /**
   * DEBUG OBJECT's {@code at:}: an identity of the stored object, not a memory address. Redis
   * updates an integer in place (INCR on a value outside the shared range keeps its object), while
   * Kaiware stores a new array; so for an integer the identity is the key's entry, which lives as
   * long as the key, and for any other value it is the value itself.
   */
  static String identity(byte[] key, Keyspace keyspace, Object value) {
    Object identified = "int".equals(encoding(keyspace, value)) ? key : value;
    return "0x" + Integer.toHexString(System.identityHashCode(identified));
  }

  static long serializedLength(Object value) {
    return value instanceof byte[] bytes ? bytes.length : 0;
  }

  /** Estimated heap bytes for a key and its value: array headers (16 B) padded to 8, plus the slot. */
  static long estimateBytes(byte[] key, Object value) {
    long bytes = arrayBytes(key.length) + SLOT_OVERHEAD_BYTES;
    if (value instanceof byte[] v) {
      bytes += arrayBytes(v.length);
    } else if (value instanceof CollectionValue collection) {
      bytes += collection.estimateBytes();
    }
    return bytes;
  }

  private static long arrayBytes(int length) {
    return (16 + length + 7) & ~7L;
  }
}

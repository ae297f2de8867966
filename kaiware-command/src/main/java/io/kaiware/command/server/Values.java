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
   * longer than 44 bytes, else "int" for a value that is a 64-bit integer, else "embstr".
   */
  static String encoding(Keyspace keyspace, Object value) {
    if (value instanceof byte[] bytes) {
      if (keyspace.isRawString(bytes)) {
        return "raw";
      }
      if (bytes.length <= 20 && (Numbers.parseLong(bytes) != Numbers.NOT_A_LONG || Numbers.isMinLong(bytes))) {
        return "int";
      }
      return "embstr";
    }
    if (value instanceof CollectionValue collection) {
      return collection.encoding();
    }
    return "unknown";
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

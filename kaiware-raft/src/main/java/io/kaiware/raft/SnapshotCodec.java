package io.kaiware.raft;

import io.kaiware.engine.Database;
import io.kaiware.engine.KeyTable;
import io.kaiware.engine.Keyspace;
import io.kaiware.engine.ValueCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The snapshot file format: the whole keyspace at one applied log index.
 *
 * <h2>Version 1</h2>
 * <pre>
 *   u32     magic              "KWS1"
 *   u8      version            = 1
 *   i64     term, i64 index    the last log entry the snapshot includes
 *   i64     logTimeMs          the log time after that entry (see KaiwareStateMachine)
 *   i32     databaseCount      of the keyspace that wrote it
 *   database * (until db = -1):
 *     i32   db                 -1 ends the list
 *     i32   keyCount
 *     key * keyCount:
 *       u8  type               0 = string (the only type today)
 *       i32 keyLength, key bytes
 *       i32 valueLength, value bytes
 *       i64 expireAtMs         0 = no expiry
 *   u32     crc32c             of every byte before it
 * </pre>
 *
 * <h2>Version 2 (written since the server wiring; version 1 is still read)</h2>
 * The same layout, but each key is {@code i32 keyLength, key, i32 valueLength, value, i64 expireAtMs}
 * with no type byte: the value is {@link ValueCodec}'s encoding (the DUMP body: its own type tag,
 * so strings, hashes, sorted sets, rankings and window counters all snapshot).
 * Only keys alive at {@code logTimeMs} are written: an expired key is logically gone (ADR 0003).
 * Big-endian throughout. A value of a type the codec does not know fails the snapshot with an
 * {@link IOException} — Ratis then keeps the log instead of losing data.
 */
public final class SnapshotCodec {

  static final int MAGIC = 0x4B575331; // "KWS1"
  static final byte VERSION_1 = 1;
  static final byte VERSION_2 = 2;
  static final byte TYPE_STRING = 0;

  private SnapshotCodec() {}

  /** The header of a snapshot. */
  public record Header(long term, long index, long logTimeMs, int databaseCount) {}

  /** Serialises {@code keyspace}; must run on the engine thread. */
  public static byte[] write(Keyspace keyspace, long term, long index, long logTimeMs) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    out.writeByte(VERSION_2);
    out.writeLong(term);
    out.writeLong(index);
    out.writeLong(logTimeMs);
    out.writeInt(keyspace.databaseCount());
    for (int d = 0; d < keyspace.databaseCount(); d++) {
      Database db = keyspace.db(d);
      KeyTable t = db.table();
      int live = 0;
      for (int slot = 0; slot < t.capacity(); slot++) {
        if (t.occupied(slot) && !db.expiredAt(slot, logTimeMs)) {
          live++;
        }
      }
      if (live == 0) {
        continue;
      }
      out.writeInt(d);
      out.writeInt(live);
      for (int slot = 0; slot < t.capacity(); slot++) {
        if (!t.occupied(slot) || db.expiredAt(slot, logTimeMs)) {
          continue;
        }
        Object value = t.valueAt(slot);
        ValueCodec.Out encoded = new ValueCodec.Out();
        try {
          ValueCodec.encode(value, encoded);
        } catch (IllegalArgumentException e) {
          throw new IOException("snapshot codec v2 cannot write a value of type " + value.getClass().getName());
        }
        byte[] v = encoded.toArray(0);
        byte[] k = t.keyAt(slot);
        out.writeInt(k.length);
        out.write(k);
        out.writeInt(v.length);
        out.write(v);
        out.writeLong(t.expireAtMs(slot));
      }
    }
    out.writeInt(-1);
    out.flush();
    CRC32C crc = new CRC32C();
    byte[] body = bytes.toByteArray();
    crc.update(body);
    out.writeInt((int) crc.getValue());
    out.flush();
    return bytes.toByteArray();
  }

  /** Checks the magic, version and checksum, and returns the header; does not change anything. */
  public static Header verify(byte[] data) throws IOException {
    if (data.length < 4 + 1 + 8 * 3 + 4 + 4 + 4) {
      throw new IOException("snapshot too short: " + data.length + " bytes");
    }
    CRC32C crc = new CRC32C();
    crc.update(data, 0, data.length - 4);
    ByteBuffer b = ByteBuffer.wrap(data);
    if (b.getInt(data.length - 4) != (int) crc.getValue()) {
      throw new IOException("snapshot checksum mismatch");
    }
    if (b.getInt() != MAGIC) {
      throw new IOException("not a Kaiware snapshot");
    }
    byte version = b.get();
    if (version != VERSION_1 && version != VERSION_2) {
      throw new IOException("unknown snapshot version " + version);
    }
    return new Header(b.getLong(), b.getLong(), b.getLong(), b.getInt());
  }

  /**
   * Replaces the content of {@code keyspace} with the snapshot's; must run on the engine thread.
   * The data is verified first, so a corrupt snapshot leaves the keyspace untouched.
   */
  public static Header read(byte[] data, Keyspace keyspace) throws IOException {
    Header h = verify(data);
    if (h.databaseCount() > keyspace.databaseCount()) {
      // Refuse rather than drop databases silently.
      throw new IOException("snapshot has " + h.databaseCount() + " databases, this server " + keyspace.databaseCount());
    }
    ByteBuffer b = ByteBuffer.wrap(data, 0, data.length - 4);
    boolean v1 = data[4] == VERSION_1;
    b.position(4 + 1 + 8 * 3 + 4);
    try {
      // The checksum matched, so a parse error below means a codec bug, not a torn file: fail loudly.
      keyspace.flushAll();
      for (;;) {
        int d = b.getInt();
        if (d == -1) {
          break;
        }
        if (d < 0 || d >= keyspace.databaseCount()) {
          throw new IOException("bad database " + d);
        }
        Database db = keyspace.db(d);
        int n = b.getInt();
        for (int i = 0; i < n; i++) {
          if (v1) {
            byte type = b.get();
            if (type != TYPE_STRING) {
              throw new IOException("unknown value type " + type);
            }
          }
          byte[] k = new byte[b.getInt()];
          b.get(k);
          byte[] v = new byte[b.getInt()];
          b.get(v);
          Object value = v1 ? v : ValueCodec.decode(v, 0, v.length);
          if (value == null) {
            throw new IOException("malformed value of key " + new String(k, java.nio.charset.StandardCharsets.ISO_8859_1));
          }
          db.put(k, value, b.getLong());
        }
      }
    } catch (BufferUnderflowException | NegativeArraySizeException e) {
      throw new IOException("malformed snapshot", e);
    }
    return h;
  }
}

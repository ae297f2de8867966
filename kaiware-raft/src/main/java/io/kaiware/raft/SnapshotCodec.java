package io.kaiware.raft;

import io.kaiware.engine.Database;
import io.kaiware.engine.KeyTable;
import io.kaiware.engine.Keyspace;
import io.kaiware.engine.ValueCodec;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

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
 * so strings, hashes, sets, sorted sets, lists, rankings and window counters all snapshot).
 * Only keys alive at {@code logTimeMs} are written: an expired key is logically gone (ADR 0003).
 *
 * <h2>Version 3 (written since sets; versions 1 and 2 are still read)</h2>
 * Version 2 with, right after {@code databaseCount}, {@code i64 writeDraws} for each of the
 * databaseCount databases: {@link Database#writeDraws()}, the counter SPOP's seeds come from. It
 * is replicated state (every replica advances it applying the same writes), so a replica that
 * installs the snapshot, or restarts and replays the log after it, draws the same seeds as the
 * others. Reading version 1 or 2 sets every counter to 0.
 *
 * <p>Big-endian throughout. A value of a type the codec does not know fails the snapshot with an
 * {@link IOException} — Ratis then keeps the log instead of losing data.
 */
public final class SnapshotCodec {

  static final int MAGIC = 0x4B575331; // "KWS1"
  static final byte VERSION_1 = 1;
  static final byte VERSION_2 = 2;
  static final byte VERSION_3 = 3;
  static final byte TYPE_STRING = 0;

  private SnapshotCodec() {}

  /** The header of a snapshot. */
  public record Header(long term, long index, long logTimeMs, int databaseCount) {}

  /**
   * The keyspace at one applied index, taken on the engine thread and written from any other.
   *
   * <p>Taking a cut copies references, not data: keys and string values are never changed in place
   * (every string write stores a new array: SET, APPEND, SETRANGE, INCR...), so the arrays a cut
   * holds keep the content they had at its index while the engine goes on. A database that has only
   * ever held strings ({@link KeyTable#mayHoldNonStrings} false) is cut by copying its slot arrays
   * whole — three array copies, no per-key work (for 100,000 keys about 1 ms, against ~10 ms for
   * visiting each entry: every value's type check is a cache miss). Otherwise each entry is visited
   * and the mutable types (hashes, sets, sorted sets, lists, streams, rankings, window counters) are encoded on the
   * engine thread there and then. Until soak run P the whole dataset was serialised on the engine
   * thread: ~120 ms for 100,000 keys.
   */
  public record Cut(long term, long index, long logTimeMs, int databaseCount, long[] writeDraws,
      List<DatabaseCut> databases) {}

  /**
   * One database of a {@link Cut}: slot arrays in which a null key is an empty slot; a value is a
   * string's own array or an {@link Encoded} body. Expired entries are skipped when written.
   */
  public record DatabaseCut(int db, KeyTable.Slots slots) {}

  /** A value already in {@link ValueCodec}'s encoding (type tag and body). */
  record Encoded(byte[] bytes) {}

  /**
   * Takes a cut of the keyspace; must run on the engine thread.
   *
   * @throws IOException when a value has a type the codec cannot write (Ratis then keeps the log)
   */
  public static Cut cut(Keyspace keyspace, long term, long index, long logTimeMs) throws IOException {
    List<DatabaseCut> databases = new ArrayList<>();
    long[] writeDraws = new long[keyspace.databaseCount()];
    for (int d = 0; d < keyspace.databaseCount(); d++) {
      writeDraws[d] = keyspace.db(d).writeDraws();
      KeyTable t = keyspace.db(d).table();
      if (t.size() == 0) {
        continue;
      }
      try {
        databases.add(new DatabaseCut(d, t.cut(SnapshotCodec::encodeNow)));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    return new Cut(term, index, logTimeMs, keyspace.databaseCount(), writeDraws, databases);
  }

  /** A mutable value as a cut holds it: its codec bytes, taken now. */
  private static Object encodeNow(Object value) {
    ValueCodec.Out encoded = new ValueCodec.Out();
    try {
      ValueCodec.encode(value, encoded);
    } catch (IllegalArgumentException e) {
      throw new UncheckedIOException(
          new IOException("snapshot codec v2 cannot write a value of type " + value.getClass().getName()));
    }
    return new Encoded(encoded.toArray(0));
  }

  /**
   * Writes {@code cut} in format version 3, checksum included; any thread. Does not close
   * {@code sink}.
   *
   * @return the number of keys written
   */
  public static long write(Cut cut, OutputStream sink) throws IOException {
    CRC32C crc = new CRC32C();
    DataOutputStream out = new DataOutputStream(new CheckedOutputStream(sink, crc));
    out.writeInt(MAGIC);
    out.writeByte(VERSION_3);
    out.writeLong(cut.term());
    out.writeLong(cut.index());
    out.writeLong(cut.logTimeMs());
    out.writeInt(cut.databaseCount());
    for (long draws : cut.writeDraws()) {
      out.writeLong(draws);
    }
    byte[] varint = new byte[10];
    long written = 0;
    for (DatabaseCut d : cut.databases()) {
      KeyTable.Slots slots = d.slots();
      int live = 0;
      for (int slot = 0; slot < slots.keys().length; slot++) {
        if (alive(slots, slot, cut.logTimeMs())) {
          live++;
        }
      }
      if (live == 0) {
        continue;
      }
      out.writeInt(d.db());
      out.writeInt(live);
      for (int slot = 0; slot < slots.keys().length; slot++) {
        if (!alive(slots, slot, cut.logTimeMs())) {
          continue;
        }
        byte[] k = slots.keys()[slot];
        out.writeInt(k.length);
        out.write(k);
        Object value = slots.values()[slot];
        if (value instanceof Encoded e) {
          out.writeInt(e.bytes().length);
          out.write(e.bytes());
        } else if (value instanceof byte[] v) {
          // ValueCodec's string encoding, without building it: tag, varint length, bytes.
          int varintLength = varint(v.length, varint);
          out.writeInt(1 + varintLength + v.length);
          out.writeByte(ValueCodec.TYPE_STRING);
          out.write(varint, 0, varintLength);
          out.write(v);
        } else {
          // Only if a table said "strings only" wrongly: fail the snapshot, keep the log.
          throw new IOException("snapshot cut holds an unencoded " + value.getClass().getName());
        }
        out.writeLong(slots.expireAtMs(slot));
      }
      written += live;
    }
    out.writeInt(-1);
    out.flush();
    // The checksum covers every byte before it; write it past the CheckedOutputStream.
    int checksum = (int) crc.getValue();
    new DataOutputStream(sink).writeInt(checksum);
    sink.flush();
    return written;
  }

  private static boolean alive(KeyTable.Slots slots, int slot, long logTimeMs) {
    return slots.keys()[slot] != null && !Database.isExpired(slots.expireAtMs(slot), logTimeMs);
  }

  /** Unsigned LEB128, as {@link ValueCodec.Out#writeVarint}; returns the length. */
  private static int varint(long n, byte[] into) {
    int i = 0;
    while ((n & ~0x7fL) != 0) {
      into[i++] = (byte) ((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    into[i++] = (byte) n;
    return i;
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
    if (version != VERSION_1 && version != VERSION_2 && version != VERSION_3) {
      throw new IOException("unknown snapshot version " + version);
    }
    return new Header(b.getLong(), b.getLong(), b.getLong(), b.getInt());
  }

  /**
   * Replaces the content of {@code keyspace} with the snapshot's; must run on the engine thread.
   * The data is verified first, so a corrupt snapshot leaves the keyspace untouched.
   */
  public static Header read(byte[] data, Keyspace keyspace) throws IOException {
    // A load adds every key, but publishes no "new" keyspace event (as Redis's RDB load).
    Keyspace.NewKeyListener newKeys = keyspace.newKeyListener();
    keyspace.newKeyListener(null);
    try {
      return readInto(data, keyspace);
    } finally {
      keyspace.newKeyListener(newKeys);
    }
  }

  private static Header readInto(byte[] data, Keyspace keyspace) throws IOException {
    Header h = verify(data);
    if (h.databaseCount() > keyspace.databaseCount()) {
      // Refuse rather than drop databases silently.
      throw new IOException("snapshot has " + h.databaseCount() + " databases, this server " + keyspace.databaseCount());
    }
    ByteBuffer b = ByteBuffer.wrap(data, 0, data.length - 4);
    boolean v1 = data[4] == VERSION_1;
    b.position(4 + 1 + 8 * 3 + 4);
    try {
      long[] writeDraws = new long[keyspace.databaseCount()];
      if (data[4] == VERSION_3) {
        for (int d = 0; d < h.databaseCount(); d++) {
          writeDraws[d] = b.getLong();
        }
      }
      // The checksum matched, so a parse error below means a codec bug, not a torn file: fail loudly.
      keyspace.flushAll();
      for (int d = 0; d < writeDraws.length; d++) {
        keyspace.db(d).writeDraws(writeDraws[d]);
      }
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

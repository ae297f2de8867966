package io.kaiware.engine;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CheckedOutputStream;
import java.util.zip.Checksum;

/**
 * Serialises a whole {@link Keyspace} as a Redis 7.0 RDB file (version 10, {@code REDIS0010}):
 * the snapshot a {@code SYNC}/{@code PSYNC} client — a real Redis replica, or Redis's test suite —
 * loads before the stream of writes, so it holds every key live at the given time, each with its
 * absolute expiry, and nothing else.
 *
 * <h2>Layout (rdb.c's {@code rdbSaveRio})</h2>
 * The magic, the AUX fields Redis writes ({@code redis-ver}, {@code redis-bits}, {@code ctime},
 * {@code used-mem}, {@code aof-base}), then for every database holding a key written here:
 * {@code SELECTDB n}, {@code RESIZEDB keys keys-with-ttl}, and per key an optional
 * {@code EXPIRETIME_MS} (8 bytes little-endian, absolute), the type byte, the key and the value.
 * Last the {@code EOF} opcode and the CRC-64 (Jones polynomial, reflected, as crc64.c) of every
 * byte before the checksum, little-endian. Lengths are rdbSaveLen's 6-, 14-, 32- or 64-bit forms
 * (unsigned, so a -1 read counter is the 64-bit all-ones form Redis writes too); strings are
 * rdbSaveRawString's, integer-encoded when they are the canonical decimal of a 32-bit value, else
 * length-prefixed and never LZF-compressed (Redis with {@code rdbcompression no} writes the same
 * bytes).
 *
 * <h2>Why these encodings</h2>
 * Redis 7.0 saves small collections as listpacks, intsets and quicklists, but still loads the
 * plain forms older versions wrote and re-encodes them itself under its own configured limits
 * (rdbLoadObject): lists as {@code RDB_TYPE_LIST} (a count, then the elements; loaded into a
 * quicklist), sets as {@code RDB_TYPE_SET} (an intset when every member is an integer and they are
 * few enough), hashes as {@code RDB_TYPE_HASH} (a listpack when small enough) and sorted sets as
 * {@code RDB_TYPE_ZSET_2} (binary little-endian doubles; a listpack when small enough). Writing
 * the plain forms keeps this class free of Redis's memory layouts and lets the replica decide its
 * encodings, exactly as it does when it loads its own file under different limits.
 *
 * <p>Streams have no plain form: {@code RDB_TYPE_STREAM_LISTPACKS_2} stores the radix tree's
 * nodes as they are, each a listpack with a master entry (listpack.c, t_stream.c). Kaiware's
 * stream nodes are cut where Redis cuts its listpacks, so each becomes one listpack keyed by its
 * first ID, followed by the length, the last, first and largest deleted IDs, the added-entries
 * counter and the consumer groups with their pending entries lists. An entry deleted with XDEL
 * keeps its ID and flag but not its fields (Kaiware drops them), so it is written with none; the
 * master fields are those of the node's first live entry.
 *
 * <p>Rankings and window counters are Kaiware's own types with no RDB form: they are left out,
 * counted in {@link Result#keysSkipped()} and named in {@link Result#skippedTypes()}.
 *
 * <p>DUMP uses the same value encodings: {@link #dumpPayload} is Redis's DUMP payload (type byte,
 * value, RDB version, CRC-64), which {@link RdbValueReader} reads back.
 */
public final class RdbWriter {
  private RdbWriter() {}

  /** What a write left out. */
  public record Result(long keysWritten, long keysSkipped, Set<String> skippedTypes) {}

  /** The RDB version written: Redis 7.0's (the {@code REDIS0010} magic, the DUMP payload's footer). */
  public static final int RDB_VERSION = 10;
  /** The version this file claims to come from (AUX {@code redis-ver}). */
  static final String REDIS_VERSION = "7.0.15";
  static final byte[] MAGIC = "REDIS0010".getBytes(StandardCharsets.US_ASCII);

  // rdb.h opcodes and types.
  static final int OPCODE_AUX = 250;
  static final int OPCODE_RESIZEDB = 251;
  static final int OPCODE_EXPIRETIME_MS = 252;
  static final int OPCODE_SELECTDB = 254;
  static final int OPCODE_EOF = 255;
  static final int TYPE_STRING = 0;
  static final int TYPE_LIST = 1;
  static final int TYPE_SET = 2;
  static final int TYPE_HASH = 4;
  static final int TYPE_ZSET_2 = 5;
  static final int TYPE_STREAM_LISTPACKS_2 = 19;
  /** Not a type: a value with no RDB form ({@link #rdbType}). */
  public static final int NO_RDB_TYPE = -1;

  // t_stream.c's entry flags.
  private static final int STREAM_ITEM_FLAG_DELETED = 1;
  private static final int STREAM_ITEM_FLAG_SAMEFIELDS = 2;

  /**
   * The keyspace at one instant, taken on the engine thread by {@link #cut} and written from any
   * thread by {@link #write(Cut, OutputStream)}, so that a replica's copy costs the engine only the
   * cut (as {@code SnapshotCodec.Cut} does for snapshots). Keys and strings are held by reference —
   * they are never changed in place — and every other value is encoded there and then. Expired
   * entries are skipped when written, at the cut's {@code nowMs}.
   */
  public record Cut(long nowMs, List<DatabaseCut> databases) {}

  /** One non-empty database of a {@link Cut}: slot arrays in which a null key is an empty slot. */
  public record DatabaseCut(int index, KeyTable.Slots slots) {}

  /** A value already encoded at the cut: its RDB type and the bytes after the type. */
  private record Encoded(int type, byte[] body) {}

  /** A value with no RDB form, by type name (rankings, window counters). */
  private record Skipped(String typeName) {}

  /** Takes a {@link Cut} ({@link KeyTable#cut}); must run on the thread that owns the keyspace. */
  public static Cut cut(Keyspace keyspace, long nowMs) {
    List<DatabaseCut> databases = new ArrayList<>();
    for (int index = 0; index < keyspace.databaseCount(); index++) {
      KeyTable table = keyspace.db(index).table();
      if (table.size() == 0) {
        continue;
      }
      databases.add(new DatabaseCut(index, table.cut(RdbWriter::encodeNow)));
    }
    return new Cut(nowMs, databases);
  }

  /** A collection as a cut holds it: encoded now, or marked as having no RDB form. */
  private static Object encodeNow(Object value) {
    int type = rdbType(value);
    if (type == NO_RDB_TYPE) {
      return new Skipped(((CollectionValue) value).typeName());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeValue(new Out(body), value);
    return new Encoded(type, body.toByteArray());
  }

  /** Writes every key live at nowMs (expired ones are left out), with its absolute expiry, as RDB 10. */
  public static Result write(Keyspace keyspace, long nowMs, OutputStream out) throws IOException {
    return write(cut(keyspace, nowMs), out);
  }

  /** Writes a {@link Cut} as RDB 10; any thread. */
  public static Result write(Cut cut, OutputStream out) throws IOException {
    long nowMs = cut.nowMs();
    Crc64 crc = new Crc64();
    // The buffer sits above the checksum, so the CRC is updated a block at a time.
    BufferedOutputStream checked = new BufferedOutputStream(new CheckedOutputStream(out, crc), 1 << 16);
    Out rdb = new Out(checked);
    long written = 0;
    long skipped = 0;
    TreeSet<String> skippedTypes = new TreeSet<>();
    try {
      rdb.raw(MAGIC);
      aux(rdb, "redis-ver", REDIS_VERSION);
      aux(rdb, "redis-bits", "64");
      aux(rdb, "ctime", Long.toString(Math.floorDiv(nowMs, 1000)));
      aux(rdb, "used-mem", "0");
      aux(rdb, "aof-base", "0");
      for (DatabaseCut db : cut.databases()) {
        KeyTable.Slots slots = db.slots();
        // First pass: what RESIZEDB announces, and what is left out.
        long keys = 0;
        long keysWithTtl = 0;
        for (int slot = 0; slot < slots.keys().length; slot++) {
          if (slots.keys()[slot] == null || Database.isExpired(slots.expireAtMs(slot), nowMs)) {
            continue;
          }
          if (slots.values()[slot] instanceof Skipped s) {
            skipped++;
            skippedTypes.add(s.typeName());
          } else {
            keys++;
            if (slots.expireAtMs(slot) != KeyTable.NO_EXPIRY) {
              keysWithTtl++;
            }
          }
        }
        if (keys == 0) {
          continue; // as rdbSaveRio, an empty database gets no SELECTDB
        }
        rdb.opcode(OPCODE_SELECTDB);
        rdb.length(db.index());
        rdb.opcode(OPCODE_RESIZEDB);
        rdb.length(keys);
        rdb.length(keysWithTtl);
        for (int slot = 0; slot < slots.keys().length; slot++) {
          Object value = slots.values()[slot];
          if (slots.keys()[slot] == null || value instanceof Skipped || Database.isExpired(slots.expireAtMs(slot), nowMs)) {
            continue;
          }
          long expireAtMs = slots.expireAtMs(slot);
          if (expireAtMs != KeyTable.NO_EXPIRY) {
            rdb.opcode(OPCODE_EXPIRETIME_MS);
            rdb.littleEndianLong(expireAtMs);
          }
          if (value instanceof Encoded e) {
            rdb.opcode(e.type());
            rdb.string(slots.keys()[slot]);
            rdb.raw(e.body());
          } else {
            rdb.opcode(TYPE_STRING);
            rdb.string(slots.keys()[slot]);
            rdb.string((byte[]) value);
          }
          written++;
        }
      }
      rdb.opcode(OPCODE_EOF);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    checked.flush();
    // The checksum covers everything up to and including EOF, not itself.
    long checksum = crc.getValue();
    byte[] trailer = new byte[8];
    for (int i = 0; i < 8; i++) {
      trailer[i] = (byte) (checksum >>> (8 * i));
    }
    out.write(trailer);
    out.flush();
    return new Result(written, skipped, Collections.unmodifiableSet(skippedTypes));
  }

  private static void aux(Out rdb, String name, String value) {
    rdb.opcode(OPCODE_AUX);
    rdb.string(name.getBytes(StandardCharsets.US_ASCII));
    rdb.string(value.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A value as Redis's DUMP payload (cluster.c createDumpPayload): the RDB type byte and the value
   * as this class writes it in a file, the RDB version (2 bytes little-endian) and the CRC-64 of
   * everything before it (8 bytes little-endian). Null when the value has no RDB form (rankings,
   * window counters).
   */
  public static byte[] dumpPayload(Object value) {
    int type = rdbType(value);
    if (type == NO_RDB_TYPE) {
      return null;
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Out rdb = new Out(buf);
    rdb.opcode(type);
    writeValue(rdb, value);
    rdb.opcode(RDB_VERSION & 0xff);
    rdb.opcode(RDB_VERSION >>> 8);
    byte[] body = buf.toByteArray();
    Crc64 crc = new Crc64();
    crc.update(body, 0, body.length);
    byte[] payload = Arrays.copyOf(body, body.length + 8);
    long checksum = crc.getValue();
    for (int i = 0; i < 8; i++) {
      payload[body.length + i] = (byte) (checksum >>> (8 * i));
    }
    return payload;
  }

  /** The RDB type {@code value} is written as (rdbSaveObjectType's byte), or {@link #NO_RDB_TYPE}. */
  public static int rdbType(Object value) {
    return switch (value) {
      case byte[] s -> TYPE_STRING;
      case ListValue l -> TYPE_LIST;
      case SetValue s -> TYPE_SET;
      case HashValue h -> TYPE_HASH;
      case SortedSet z -> TYPE_ZSET_2;
      case StreamValue s -> TYPE_STREAM_LISTPACKS_2;
      default -> NO_RDB_TYPE;
    };
  }

  /** The value after its type byte (rdbSaveObject), in the forms the class comment describes. */
  static void writeValue(Out rdb, Object value) {
    switch (value) {
      case byte[] s -> rdb.string(s);
      case ListValue list -> {
        rdb.length(list.size());
        for (int i = 0; i < list.size(); i++) {
          rdb.string(list.get(i));
        }
      }
      case SetValue set -> {
        rdb.length(set.size());
        for (int p = 0; p < set.capacity(); p++) {
          if (set.occupied(p)) {
            rdb.string(set.memberAt(p));
          }
        }
      }
      case HashValue hash -> {
        rdb.length(hash.size());
        hash.forEach((field, v) -> {
          rdb.string(field);
          rdb.string(v);
        });
      }
      case SortedSet zset -> {
        rdb.length(zset.size());
        for (SortedSet.Node n = zset.first(); n != null; n = n.next()) {
          rdb.string(n.member());
          rdb.littleEndianLong(Double.doubleToRawLongBits(n.score()));
        }
      }
      case StreamValue stream -> writeStream(rdb, stream);
      default -> throw new IllegalArgumentException("no RDB form for " + value.getClass());
    }
  }

  /** rdbSaveObject's stream: the nodes as listpacks, the IDs and counters, the consumer groups. */
  private static void writeStream(Out rdb, StreamValue stream) {
    rdb.length(stream.nodes().size());
    for (StreamValue.Node node : stream.nodes()) {
      rdb.string(streamIdBytes(node.ms[0], node.seq[0]));
      rdb.string(streamListpack(node));
    }
    rdb.length(stream.length());
    rdb.streamId(stream.lastId());
    rdb.streamId(stream.firstId());
    rdb.streamId(stream.maxDeletedId());
    rdb.length(stream.entriesAdded());
    rdb.length(stream.groups().size());
    for (Map.Entry<byte[], StreamValue.Group> e : stream.groups().entrySet()) {
      StreamValue.Group group = e.getValue();
      rdb.string(e.getKey());
      rdb.streamId(group.lastId);
      rdb.length(group.entriesRead);
      // The group's PEL with the delivery data; each consumer's PEL as IDs only (rdbSaveStreamPEL).
      rdb.length(group.pel().size());
      for (Map.Entry<StreamId, StreamValue.Nack> p : group.pel().entrySet()) {
        rdb.raw(streamIdBytes(p.getKey().ms(), p.getKey().seq()));
        rdb.littleEndianLong(p.getValue().deliveryTimeMs);
        rdb.length(p.getValue().deliveryCount);
      }
      rdb.length(group.consumers().size());
      for (StreamValue.Consumer consumer : group.consumers().values()) {
        rdb.string(consumer.name());
        rdb.littleEndianLong(consumer.seenTimeMs);
        rdb.length(consumer.pel().size());
        for (StreamId id : consumer.pel().keySet()) {
          rdb.raw(streamIdBytes(id.ms(), id.seq()));
        }
      }
    }
  }

  /** A stream ID as Redis keys its radix trees: 128 bits, big-endian (streamEncodeID). */
  private static byte[] streamIdBytes(long ms, long seq) {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (ms >>> (56 - 8 * i));
      b[8 + i] = (byte) (seq >>> (56 - 8 * i));
    }
    return b;
  }

  /**
   * One stream node as t_stream.c's streamAppendItem lays out its listpack: the master entry
   * (live count, deleted count, the master fields, 0), then per entry its flags, the ID as deltas
   * from the node's first ID, the fields unless they are the master's, the values, and the count
   * of listpack elements the entry spans (for backward iteration).
   */
  static byte[] streamListpack(StreamValue.Node node) {
    byte[][] master = null;
    for (int i = 0; master == null; i++) {
      master = node.fieldsValues[i]; // a node always holds a live entry
    }
    Listpack lp = new Listpack();
    lp.integer(node.live);
    lp.integer(node.count - node.live);
    lp.integer(master.length / 2);
    for (int i = 0; i < master.length; i += 2) {
      lp.string(master[i]);
    }
    lp.integer(0);
    for (int i = 0; i < node.count; i++) {
      byte[][] fv = node.fieldsValues[i];
      long msDelta = node.ms[i] - node.ms[0];
      long seqDelta = node.seq[i] - node.seq[0];
      if (fv == null) {
        // A tombstone whose fields are gone: no fields, no values (flags, ID, count, lp-count).
        lp.integer(STREAM_ITEM_FLAG_DELETED);
        lp.integer(msDelta);
        lp.integer(seqDelta);
        lp.integer(0);
        lp.integer(4);
        continue;
      }
      int fields = fv.length / 2;
      boolean sameFields = fv.length == master.length;
      for (int j = 0; sameFields && j < fv.length; j += 2) {
        sameFields = Arrays.equals(fv[j], master[j]);
      }
      lp.integer(sameFields ? STREAM_ITEM_FLAG_SAMEFIELDS : 0);
      lp.integer(msDelta);
      lp.integer(seqDelta);
      if (!sameFields) {
        lp.integer(fields);
      }
      for (int j = 0; j < fv.length; j += 2) {
        if (!sameFields) {
          lp.string(fv[j]);
        }
        lp.string(fv[j + 1]);
      }
      lp.integer(sameFields ? fields + 3 : 2L * fields + 4);
    }
    return lp.toBytes();
  }

  /**
   * A listpack (listpack.c) built by appending: a 6-byte header (total bytes and element count,
   * little-endian), the elements — each an encoding, its data and a back-length — and 0xFF.
   */
  static final class Listpack {
    /** LP_HDR_NUMELE_UNKNOWN: the header's count saturates here. */
    private static final int NUMELE_UNKNOWN = 0xFFFF;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final byte[] element = new byte[10];
    private int elements;

    Listpack() {
      buf.write(new byte[6], 0, 6);
    }

    /** lpAppend: an integer encoding when {@code s} is one (lpStringToInt64), else a string. */
    void string(byte[] s) {
      if (SetValue.isInteger(s)) {
        integer(SetValue.parseInteger(s));
        return;
      }
      int n = s.length;
      int header;
      if (n < 64) {
        element[0] = (byte) (0x80 | n);
        header = 1;
      } else if (n < 4096) {
        element[0] = (byte) (0xE0 | (n >>> 8));
        element[1] = (byte) n;
        header = 2;
      } else {
        element[0] = (byte) 0xF0;
        for (int i = 0; i < 4; i++) {
          element[1 + i] = (byte) (n >>> (8 * i));
        }
        header = 5;
      }
      buf.write(element, 0, header);
      buf.write(s, 0, n);
      backLength(header + (long) n);
      elements++;
    }

    /** lpAppendInteger, with lpEncodeIntegerGetType's smallest encoding. */
    void integer(long v) {
      int size;
      if (v >= 0 && v <= 127) {
        element[0] = (byte) v;
        size = 1;
      } else if (v >= -4096 && v <= 4095) {
        long u = v < 0 ? (1L << 13) + v : v;
        element[0] = (byte) (0xC0 | (u >>> 8));
        element[1] = (byte) u;
        size = 2;
      } else {
        int bytes = v >= Short.MIN_VALUE && v <= Short.MAX_VALUE ? 2
            : v >= -(1 << 23) && v < (1 << 23) ? 3
            : v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 4 : 8;
        element[0] = (byte) (bytes == 2 ? 0xF1 : bytes == 3 ? 0xF2 : bytes == 4 ? 0xF3 : 0xF4);
        for (int i = 0; i < bytes; i++) {
          element[1 + i] = (byte) (v >>> (8 * i)); // two's complement, little-endian
        }
        size = 1 + bytes;
      }
      buf.write(element, 0, size);
      backLength(size);
      elements++;
    }

    /** lpEncodeBacklen: the element's size, 7 bits a byte, read from the end. */
    private void backLength(long l) {
      int bytes = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
      for (int i = 0; i < bytes; i++) {
        int shift = 7 * (bytes - 1 - i);
        int b = (int) ((l >>> shift) & 127);
        buf.write(i == 0 ? b : b | 128);
      }
    }

    byte[] toBytes() {
      buf.write(0xFF);
      byte[] b = buf.toByteArray();
      int total = b.length;
      int count = Math.min(elements, NUMELE_UNKNOWN);
      for (int i = 0; i < 4; i++) {
        b[i] = (byte) (total >>> (8 * i));
      }
      b[4] = (byte) count;
      b[5] = (byte) (count >>> 8);
      return b;
    }
  }

  /** The RDB primitives (rdb.c) over a stream; an I/O failure is thrown as {@link UncheckedIOException}. */
  static final class Out {
    private final OutputStream out;
    private final byte[] scratch = new byte[9];

    Out(OutputStream out) {
      this.out = out;
    }

    private void write(byte[] b, int off, int len) {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void raw(byte[] b) {
      write(b, 0, b.length);
    }

    void opcode(int code) {
      scratch[0] = (byte) code;
      write(scratch, 0, 1);
    }

    /** rdbSaveLen, {@code len} taken as unsigned: 6 bits, 14 bits, 0x80 + 32 bits or 0x81 + 64 bits (big-endian). */
    void length(long len) {
      if (len >= 0 && len < (1 << 6)) {
        scratch[0] = (byte) len;
        write(scratch, 0, 1);
      } else if (len >= 0 && len < (1 << 14)) {
        scratch[0] = (byte) (0x40 | (len >>> 8));
        scratch[1] = (byte) len;
        write(scratch, 0, 2);
      } else if (len >= 0 && len <= 0xFFFF_FFFFL) {
        scratch[0] = (byte) 0x80;
        bigEndian(len, 4);
      } else {
        scratch[0] = (byte) 0x81;
        bigEndian(len, 8);
      }
    }

    private void bigEndian(long v, int bytes) {
      for (int i = 0; i < bytes; i++) {
        scratch[1 + i] = (byte) (v >>> (8 * (bytes - 1 - i)));
      }
      write(scratch, 0, 1 + bytes);
    }

    /**
     * rdbSaveRawString without LZF: the canonical decimal of a 32-bit integer as rdbEncodeInteger
     * (0xC0 | 8, 16 or 32 bits, little-endian), anything else as its length and bytes.
     */
    void string(byte[] s) {
      if (s.length <= 11 && SetValue.isInteger(s)) {
        long v = SetValue.parseInteger(s);
        int bytes = v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE ? 1
            : v >= Short.MIN_VALUE && v <= Short.MAX_VALUE ? 2
            : v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 4 : 0;
        if (bytes > 0) {
          scratch[0] = (byte) (0xC0 | (bytes == 1 ? 0 : bytes == 2 ? 1 : 2));
          for (int i = 0; i < bytes; i++) {
            scratch[1 + i] = (byte) (v >>> (8 * i));
          }
          write(scratch, 0, 1 + bytes);
          return;
        }
      }
      length(s.length);
      raw(s);
    }

    /** rdbSaveMillisecondTime and binary doubles: 8 bytes, little-endian. */
    void littleEndianLong(long v) {
      for (int i = 0; i < 8; i++) {
        scratch[i] = (byte) (v >>> (8 * i));
      }
      write(scratch, 0, 8);
    }

    /** A stream ID as two lengths (ms, then seq), as rdbSaveObject writes the stream's IDs. */
    void streamId(StreamId id) {
      length(id.ms());
      length(id.seq());
    }
  }

  /**
   * Redis's CRC-64 (crc64.c): the Jones polynomial 0xad93d23594c935a9, reflected input and
   * output, initial value 0, no final XOR; computed a byte at a time with the reflected table.
   */
  static final class Crc64 implements Checksum {
    private static final long REFLECTED_POLY = Long.reverse(0xad93d23594c935a9L);
    private static final long[] TABLE = new long[256];

    static {
      for (int n = 0; n < 256; n++) {
        long crc = n;
        for (int k = 0; k < 8; k++) {
          crc = (crc & 1) != 0 ? (crc >>> 1) ^ REFLECTED_POLY : crc >>> 1;
        }
        TABLE[n] = crc;
      }
    }

    private long crc;

    @Override
    public void update(int b) {
      crc = TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
    }

    @Override
    public void update(byte[] b, int off, int len) {
      long c = crc;
      for (int i = off; i < off + len; i++) {
        c = TABLE[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
      }
      crc = c;
    }

    @Override
    public long getValue() {
      return crc;
    }

    @Override
    public void reset() {
      crc = 0;
    }
  }
}

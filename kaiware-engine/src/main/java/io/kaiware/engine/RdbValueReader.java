package io.kaiware.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads one value in Redis's RDB encoding (rdb.c rdbLoadObject) into Kaiware's value objects, and
 * checks Redis's DUMP payload around it (cluster.c verifyDumpPayload): every encoding Redis 7.0
 * DUMPs, and every older one it still loads.
 *
 * <h2>What is read</h2>
 * <ul>
 *   <li><b>Strings</b> ({@code RDB_TYPE_STRING}): length-prefixed, integer-encoded (8, 16 or 32
 *       bits, little-endian) or LZF-compressed (lzf_d.c; Redis compresses strings over 20 bytes
 *       when {@code rdbcompression} is on). Every string inside the collections below is read the
 *       same way.
 *   <li><b>Lists</b>: {@code RDB_TYPE_LIST} (the elements), {@code RDB_TYPE_LIST_ZIPLIST} (one
 *       ziplist), {@code RDB_TYPE_LIST_QUICKLIST} (ziplist nodes) and
 *       {@code RDB_TYPE_LIST_QUICKLIST_2} (nodes with a container: a listpack, or one plain element).
 *   <li><b>Sets</b>: {@code RDB_TYPE_SET} (the members) and {@code RDB_TYPE_SET_INTSET} (intset.c:
 *       encoding, count, sorted little-endian integers).
 *   <li><b>Sorted sets</b>: {@code RDB_TYPE_ZSET} (scores as strings; 253, 254, 255 for NaN,
 *       +inf, -inf), {@code RDB_TYPE_ZSET_2} (binary doubles), {@code RDB_TYPE_ZSET_ZIPLIST} and
 *       {@code RDB_TYPE_ZSET_LISTPACK} (member and score pairs).
 *   <li><b>Hashes</b>: {@code RDB_TYPE_HASH}, {@code RDB_TYPE_HASH_ZIPMAP} (zipmap.c),
 *       {@code RDB_TYPE_HASH_ZIPLIST}, {@code RDB_TYPE_HASH_LISTPACK} (field and value pairs).
 *   <li><b>Streams</b>: {@code RDB_TYPE_STREAM_LISTPACKS} (6.x: without the first and max-deleted
 *       IDs, the added-entries counter and the groups' read counters, which are derived as Redis
 *       derives them) and {@code RDB_TYPE_STREAM_LISTPACKS_2} (7.0). Each listpack becomes one
 *       node (t_stream.c's layout: master entry, then flags, ID deltas, fields unless the
 *       master's, values and back count per entry); deleted entries keep their ID and lose their
 *       fields, as in Kaiware.
 * </ul>
 * Redis 7.2's types are read too (what a file from a 7.2 master holds; a DUMP payload's version
 * stays limited to 10 by {@link #verifyPayload}): {@code RDB_TYPE_SET_LISTPACK} (the members in a
 * listpack, which becomes an intset or a hash table as {@code RDB_TYPE_SET} does) and
 * {@code RDB_TYPE_STREAM_LISTPACKS_3} (as {@code _2}, with each consumer's active time after its
 * seen time; Kaiware, like 7.0, keeps only the seen time). Modules' types and 7.4's hashes with
 * field expiries are not read.
 *
 * <h2>Validation</h2>
 * Every read is bounded by the bytes left: a declared length or count larger than the input
 * could hold is refused before anything is allocated, and LZF output is bounded by the largest
 * expansion the format allows. The compact blobs are checked as Redis's deep sanitization
 * ({@code sanitize-dump-payload yes}) checks them — header sizes and counts, terminators,
 * listpack back-lengths, ziplist previous-entry lengths, intset order — and, as it, an empty
 * collection, a duplicate member or field, a NaN score, a stream PEL entry no consumer owns, or a
 * stream whose length disagrees with its entries is refused. Kaiware decodes every value
 * completely, so a malformed one is refused at RESTORE instead of crashing a later command.
 * Malformed input gives {@code null}, never an exception.
 *
 * <p>The values are built with Redis's default limits for compact encodings; RESTORE then
 * re-decides them under the server's configuration, as rdbLoadObject does.
 */
public final class RdbValueReader {
  private RdbValueReader() {}

  // rdb.h's value types.
  static final int TYPE_STRING = 0;
  static final int TYPE_LIST = 1;
  static final int TYPE_SET = 2;
  static final int TYPE_ZSET = 3;
  static final int TYPE_HASH = 4;
  static final int TYPE_ZSET_2 = 5;
  static final int TYPE_HASH_ZIPMAP = 9;
  static final int TYPE_LIST_ZIPLIST = 10;
  static final int TYPE_SET_INTSET = 11;
  static final int TYPE_ZSET_ZIPLIST = 12;
  static final int TYPE_HASH_ZIPLIST = 13;
  static final int TYPE_LIST_QUICKLIST = 14;
  static final int TYPE_STREAM_LISTPACKS = 15;
  static final int TYPE_HASH_LISTPACK = 16;
  static final int TYPE_ZSET_LISTPACK = 17;
  static final int TYPE_LIST_QUICKLIST_2 = 18;
  static final int TYPE_STREAM_LISTPACKS_2 = 19;
  static final int TYPE_SET_LISTPACK = 20; // Redis 7.2
  static final int TYPE_STREAM_LISTPACKS_3 = 21; // Redis 7.2

  /** The DUMP payload's footer: 2 bytes of RDB version, 8 of CRC-64. */
  public static final int PAYLOAD_TRAILER = 10;

  private static final int QUICKLIST_NODE_CONTAINER_PLAIN = 1;
  private static final int QUICKLIST_NODE_CONTAINER_PACKED = 2;
  private static final int STREAM_ITEM_FLAG_DELETED = 1;
  private static final int STREAM_ITEM_FLAG_SAMEFIELDS = 2;
  /** The most one LZF input byte can expand to: a 3-byte back reference copies 264 bytes. */
  private static final int LZF_MAX_EXPANSION = 88;

  /**
   * verifyDumpPayload: at least the 10-byte footer, an RDB version no newer than
   * {@link RdbWriter#RDB_VERSION}, and the CRC-64 of everything before the checksum (Redis 7.0
   * compares it always: unlike an RDB file's, a DUMP payload's zero checksum is not "none").
   */
  public static boolean verifyPayload(byte[] p) {
    if (p.length < PAYLOAD_TRAILER) {
      return false;
    }
    int footer = p.length - PAYLOAD_TRAILER;
    int version = (p[footer] & 0xff) | (p[footer + 1] & 0xff) << 8;
    if (version > RdbWriter.RDB_VERSION) {
      return false;
    }
    RdbWriter.Crc64 crc = new RdbWriter.Crc64();
    crc.update(p, 0, p.length - 8);
    return crc.getValue() == littleEndianAt(p, p.length - 8, 8);
  }

  /**
   * The value in a payload that passed {@link #verifyPayload}: its type byte, then the value, which
   * must end exactly at the footer. Null for a malformed value or a type Kaiware cannot load — and
   * for 7.2's types, which no payload of version 10 or older holds (Redis 7.0 refuses them too).
   */
  public static Object decodePayload(byte[] p) {
    if (p.length < PAYLOAD_TRAILER + 1 || (p[0] & 0xff) > TYPE_STREAM_LISTPACKS_2) {
      return null;
    }
    return read(p[0] & 0xff, p, 1, p.length - PAYLOAD_TRAILER);
  }

  /** The value of RDB type {@code type} encoded in exactly {@code p[from, to)}, or null. */
  public static Object read(int type, byte[] p, int from, int to) {
    In in = new In(p, from, to);
    try {
      Object value = readValue(type, in);
      return value != null && in.pos == to ? value : null;
    } catch (RuntimeException e) { // Malformed, and any slip on hostile input
      return null;
    }
  }

  /**
   * Whether {@link #readAt} reads values of this RDB type: 0-5, 9-21 (not modules' 6 and 7, nor
   * Redis 7.4's hashes with field expiries, 22-25).
   */
  static boolean readsType(int type) {
    return type >= TYPE_STRING && type <= TYPE_ZSET_2
        || type >= TYPE_HASH_ZIPMAP && type <= TYPE_STREAM_LISTPACKS_3;
  }

  /**
   * The value of RDB type {@code type} starting at {@code in}'s position, which is left just past
   * it (an RDB file's reader goes on from there). Null for a type not {@link #readsType read} or an
   * empty collection; throws {@link ValueCodec.Malformed} (or, on hostile input, possibly another
   * RuntimeException) for anything malformed.
   */
  static Object readAt(int type, In in) {
    return readValue(type, in);
  }

  private static Object readValue(int type, In in) {
    return switch (type) {
      case TYPE_STRING -> in.string();
      case TYPE_LIST -> {
        int n = nonEmpty(in.count(1));
        ListValue list = new ListValue();
        for (int i = 0; i < n; i++) {
          list.pushTail(in.string());
        }
        yield list;
      }
      case TYPE_LIST_QUICKLIST, TYPE_LIST_QUICKLIST_2 -> quicklist(in, type == TYPE_LIST_QUICKLIST_2);
      case TYPE_LIST_ZIPLIST -> {
        ListValue list = new ListValue();
        Ziplist zl = new Ziplist(in.string());
        while (zl.next()) {
          list.pushTail(zl.bytes());
        }
        yield list.size() == 0 ? null : list;
      }
      case TYPE_SET -> {
        int n = nonEmpty(in.count(1));
        SetValue set = new SetValue();
        if (n > SetValue.DEFAULT_MAX_INTSET_ENTRIES) {
          set.leaveIntset(); // as rdbLoadObject: too many for an intset, a hash table from the start
        }
        for (int i = 0; i < n; i++) {
          check(set.add(in.string(), SetValue.INTSET_ENTRIES_CAP));
        }
        yield set;
      }
      case TYPE_SET_INTSET -> intset(in.string());
      case TYPE_SET_LISTPACK -> {
        // Redis 7.2: the members in one listpack (lpValidateIntegrityAndDups: no duplicates).
        Listpack lp = new Listpack(in.string());
        SetValue set = new SetValue();
        while (lp.next()) {
          check(set.add(lp.bytes(), SetValue.DEFAULT_MAX_INTSET_ENTRIES)); // a hash table past 512, as below
        }
        check(set.size() > 0);
        set.encodeAsLoaded(SetValue.DEFAULT_MAX_INTSET_ENTRIES); // as RDB_TYPE_SET: intset or hashtable
        yield set;
      }
      case TYPE_ZSET, TYPE_ZSET_2 -> {
        int n = nonEmpty(in.count(type == TYPE_ZSET_2 ? 9 : 2));
        SortedSet zset = new SortedSet();
        for (int i = 0; i < n; i++) {
          byte[] member = in.string();
          double score = type == TYPE_ZSET_2 ? Double.longBitsToDouble(in.littleEndian(8)) : in.stringDouble();
          check(!Double.isNaN(score) && zset.put(member, score));
        }
        yield compact(zset);
      }
      case TYPE_ZSET_ZIPLIST, TYPE_ZSET_LISTPACK -> {
        byte[] blob = in.string();
        Elements e = type == TYPE_ZSET_LISTPACK ? new Listpack(blob) : new Ziplist(blob);
        SortedSet zset = new SortedSet();
        while (e.next()) {
          byte[] member = e.bytes();
          check(e.next());
          double score = e.isInteger() ? (double) e.integer() : Scores.parse(e.bytes());
          check(!Double.isNaN(score) && zset.put(member, score));
        }
        yield zset.size() == 0 ? null : compact(zset);
      }
      case TYPE_HASH -> {
        int n = nonEmpty(in.count(2));
        HashValue hash = new HashValue();
        for (int i = 0; i < n; i++) {
          check(hash.put(in.string(), in.string()));
        }
        yield compact(hash);
      }
      case TYPE_HASH_ZIPLIST, TYPE_HASH_LISTPACK -> {
        byte[] blob = in.string();
        Elements e = type == TYPE_HASH_LISTPACK ? new Listpack(blob) : new Ziplist(blob);
        HashValue hash = new HashValue();
        while (e.next()) {
          byte[] field = e.bytes();
          check(e.next());
          check(hash.put(field, e.bytes()));
        }
        yield hash.size() == 0 ? null : compact(hash);
      }
      case TYPE_HASH_ZIPMAP -> zipmap(in.string());
      case TYPE_STREAM_LISTPACKS, TYPE_STREAM_LISTPACKS_2, TYPE_STREAM_LISTPACKS_3 ->
          stream(in, type != TYPE_STREAM_LISTPACKS, type == TYPE_STREAM_LISTPACKS_3);
      default -> null;
    };
  }

  private static HashValue compact(HashValue hash) {
    hash.compactIfFits(ValueCodec.REDIS_MAX_COMPACT_ENTRIES, ValueCodec.REDIS_MAX_COMPACT_VALUE_BYTES);
    return hash;
  }

  private static SortedSet compact(SortedSet zset) {
    zset.compactIfFits(ValueCodec.REDIS_MAX_COMPACT_ENTRIES, ValueCodec.REDIS_MAX_COMPACT_VALUE_BYTES);
    return zset;
  }

  private static ListValue quicklist(In in, boolean withContainers) {
    int n = nonEmpty(in.count(withContainers ? 2 : 1));
    ListValue list = new ListValue();
    for (int i = 0; i < n; i++) {
      long container = withContainers ? in.length() : QUICKLIST_NODE_CONTAINER_PACKED;
      check(container == QUICKLIST_NODE_CONTAINER_PLAIN || container == QUICKLIST_NODE_CONTAINER_PACKED);
      byte[] data = in.string();
      check(data.length > 0);
      if (container == QUICKLIST_NODE_CONTAINER_PLAIN) {
        list.pushTail(data);
        continue;
      }
      // An empty node is skipped, as Redis does; a list left empty is refused below.
      Elements e = withContainers ? new Listpack(data) : new Ziplist(data);
      while (e.next()) {
        list.pushTail(e.bytes());
      }
    }
    return list.size() == 0 ? null : list;
  }

  /** intset.c: encoding (2, 4 or 8) and count, 32 bits little-endian each, then the members ascending. */
  private static SetValue intset(byte[] b) {
    check(b.length >= 8);
    long encoding = littleEndianAt(b, 0, 4);
    long count = littleEndianAt(b, 4, 4);
    check((encoding == 2 || encoding == 4 || encoding == 8) && count > 0 && 8 + count * encoding == b.length);
    SetValue set = new SetValue();
    int width = (int) encoding;
    long previous = 0;
    for (int i = 0; i < count; i++) {
      long v = littleEndianAt(b, 8 + i * width, width) << (64 - 8 * width) >> (64 - 8 * width);
      check(i == 0 || v > previous);
      previous = v;
      set.add(Long.toString(v).getBytes(StandardCharsets.US_ASCII), SetValue.INTSET_ENTRIES_CAP);
    }
    set.encodeAsLoaded(SetValue.DEFAULT_MAX_INTSET_ENTRIES);
    return set;
  }

  /**
   * zipmap.c (Redis before 2.6): a count byte (254: unknown), then per pair the field's length (one
   * byte below 254, else 254 and 4 bytes little-endian) and bytes, the value's length, a free-space
   * byte, the value and that many free bytes; 0xFF ends it.
   */
  private static HashValue zipmap(byte[] b) {
    check(b.length >= 2 && (b[b.length - 1] & 0xff) == 0xFF);
    HashValue hash = new HashValue();
    int p = 1;
    int count = 0;
    while ((b[p] & 0xff) != 0xFF) {
      int[] at = {p};
      byte[] field = zipmapString(b, at, false);
      byte[] value = zipmapString(b, at, true);
      p = at[0];
      check(p <= b.length - 1 && hash.put(field, value));
      count++;
    }
    check(p == b.length - 1 && count > 0 && ((b[0] & 0xff) == 254 || (b[0] & 0xff) == count));
    return compact(hash);
  }

  private static byte[] zipmapString(byte[] b, int[] at, boolean withFree) {
    int p = at[0];
    check(p < b.length - 1);
    long len = b[p] & 0xff;
    check(len != 255);
    if (len == 254) {
      check(p + 5 <= b.length - 1);
      len = littleEndianAt(b, p + 1, 4);
      p += 5;
    } else {
      p++;
    }
    long free = 0;
    if (withFree) {
      check(p < b.length - 1);
      free = b[p++] & 0xff;
    }
    check(p + len + free <= b.length - 1);
    at[0] = (int) (p + len + free);
    return Arrays.copyOfRange(b, p, (int) (p + len));
  }

  /** rdbLoadObject's stream: listpack nodes, length and IDs, consumer groups with their PELs. */
  private static StreamValue stream(In in, boolean v2, boolean v3) {
    int nodeCount = in.count(2);
    List<StreamValue.Node> nodes = new ArrayList<>();
    long live = 0;
    StreamId previous = null;
    for (int n = 0; n < nodeCount; n++) {
      byte[] key = in.string();
      check(key.length == 16);
      long masterMs = bigEndian(key, 0);
      long masterSeq = bigEndian(key, 8);
      Listpack lp = new Listpack(in.string());
      check(lp.next());
      long count = lp.integer();
      check(lp.next());
      long deleted = lp.integer();
      check(lp.next());
      long masterFields = lp.integer();
      check(count >= 0 && deleted >= 0 && masterFields >= 0 && masterFields <= lp.remaining());
      byte[][] master = new byte[(int) masterFields][];
      for (int i = 0; i < master.length; i++) {
        check(lp.next());
        master[i] = lp.bytes();
      }
      check(lp.next() && lp.integer() == 0);
      check(count + deleted > 0 && count + deleted <= lp.remaining());
      StreamValue.Node node = new StreamValue.Node();
      boolean[] tombstone = new boolean[(int) (count + deleted)];
      for (int i = 0; i < tombstone.length; i++) {
        check(lp.next());
        long flags = lp.integer();
        check(lp.next());
        long ms = masterMs + lp.integer();
        check(lp.next());
        long seq = masterSeq + lp.integer();
        StreamId id = new StreamId(ms, seq);
        check(previous == null || id.compareTo(previous) > 0);
        previous = id;
        boolean sameFields = (flags & STREAM_ITEM_FLAG_SAMEFIELDS) != 0;
        long fields = masterFields;
        if (!sameFields) {
          check(lp.next());
          fields = lp.integer();
          check(fields <= lp.remaining());
        }
        // XADD takes at least one field; Kaiware writes a deleted entry, whose fields it dropped, with none.
        check(fields > 0 || (fields == 0 && (flags & STREAM_ITEM_FLAG_DELETED) != 0));
        byte[][] fv = new byte[(int) (2 * fields)][];
        for (int j = 0; j < fields; j++) {
          if (sameFields) {
            fv[2 * j] = master[j];
          } else {
            check(lp.next());
            fv[2 * j] = lp.bytes();
          }
          check(lp.next());
          fv[2 * j + 1] = lp.bytes();
        }
        check(lp.next() && lp.integer() == (sameFields ? fields + 3 : 2 * fields + 4));
        tombstone[i] = (flags & STREAM_ITEM_FLAG_DELETED) != 0;
        node.add(ms, seq, fv);
      }
      check(!lp.next());
      // The size estimate counts deleted entries with their fields, as when they were appended.
      node.bytes = StreamValue.estimatedBytes(node);
      for (int i = 0; i < tombstone.length; i++) {
        if (tombstone[i]) {
          node.fieldsValues[i] = null;
          node.live--;
        }
      }
      check(node.live == count && node.live > 0); // Redis drops a node whose entries are all deleted
      live += count;
      nodes.add(node);
    }
    check(in.length() == live);
    StreamId last = new StreamId(in.length(), in.length());
    check(previous == null || previous.compareTo(last) <= 0);
    StreamValue stream;
    if (v2) {
      StreamId first = new StreamId(in.length(), in.length());
      StreamId maxDeleted = new StreamId(in.length(), in.length());
      stream = StreamValue.loaded(nodes, last, first, maxDeleted, in.length());
    } else {
      // As Redis loads a 6.x stream: no tombstones known, as many added as there are, the first
      // ID found (streamGetEdgeID: the largest ID when there is none).
      stream = StreamValue.loaded(nodes, last, StreamId.MIN, StreamId.MIN, live);
      StreamId first = stream.edgeId(true);
      stream = StreamValue.loaded(nodes, last, first == null ? StreamId.MAX : first, StreamId.MIN, live);
    }
    int groups = in.count(3);
    for (int g = 0; g < groups; g++) {
      byte[] name = in.string();
      StreamId lastDelivered = new StreamId(in.length(), in.length());
      long entriesRead = v2 ? in.length() : stream.estimateDistanceFromFirstEverEntry(lastDelivered);
      StreamValue.Group group = stream.createGroup(name, lastDelivered, entriesRead);
      check(group != null);
      int pending = in.count(25);
      TreeMap<StreamId, StreamValue.Nack> pel = group.pel;
      for (int i = 0; i < pending; i++) {
        StreamId id = in.rawStreamId();
        StreamValue.Nack nack = new StreamValue.Nack(null, in.littleEndian(8), in.length());
        check(pel.put(id, nack) == null);
      }
      int consumers = in.count(10);
      for (int c = 0; c < consumers; c++) {
        byte[] consumerName = in.string();
        StreamValue.Consumer consumer = group.createConsumer(consumerName, in.littleEndian(8));
        check(consumer != null);
        if (v3) {
          in.littleEndian(8); // 7.2's active time: Kaiware keeps the seen time only (as 7.0)
        }
        int owned = in.count(16);
        for (int i = 0; i < owned; i++) {
          StreamId id = in.rawStreamId();
          StreamValue.Nack nack = pel.get(id);
          check(nack != null && nack.consumer == null);
          nack.consumer = consumer;
          consumer.pel.put(id, nack);
        }
      }
      for (StreamValue.Nack nack : pel.values()) {
        check(nack.consumer != null);
      }
    }
    return stream;
  }

  // ---------------------------------------------------------------- primitives

  private static int nonEmpty(int n) {
    check(n > 0); // rdbLoadObject's "emptykey": Redis keeps no empty collection
    return n;
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw ValueCodec.Malformed.INSTANCE;
    }
  }

  private static long littleEndianAt(byte[] b, int at, int bytes) {
    long v = 0;
    for (int i = bytes - 1; i >= 0; i--) {
      v = v << 8 | (b[at + i] & 0xff);
    }
    return v;
  }

  private static long bigEndian(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (b[at + i] & 0xff);
    }
    return v;
  }

  /** The RDB primitives (rdb.c's rdbLoadLen, rdbGenericLoadStringObject, ...) over {@code p[pos, end)}. */
  static final class In {
    final byte[] p;
    int pos;
    final int end;

    In(byte[] p, int pos, int end) {
      this.p = p;
      this.pos = pos;
      this.end = end;
    }

    int remaining() {
      return end - pos;
    }

    int u8() {
      check(pos < end);
      return p[pos++] & 0xff;
    }

    long littleEndian(int bytes) {
      check(remaining() >= bytes);
      long v = littleEndianAt(p, pos, bytes);
      pos += bytes;
      return v;
    }

    /** rdbLoadLen: 6 bits, 14 bits, or 0x80/0x81 and 32/64 bits big-endian (unsigned; read as a long). */
    long length() {
      int b = u8();
      switch (b >>> 6) {
        case 0:
          return b & 0x3f;
        case 1:
          return (b & 0x3f) << 8 | u8();
        case 2:
          if (b == 0x80 || b == 0x81) {
            int bytes = b == 0x80 ? 4 : 8;
            check(remaining() >= bytes);
            long v = 0;
            for (int i = 0; i < bytes; i++) {
              v = v << 8 | (p[pos++] & 0xff);
            }
            return v;
          }
          throw ValueCodec.Malformed.INSTANCE;
        default:
          throw ValueCodec.Malformed.INSTANCE; // an encoded string where a length belongs
      }
    }

    /** A count of items that take at least {@code minBytes} each: refused when the input cannot hold them. */
    int count(int minBytes) {
      long n = length();
      check(n >= 0 && n <= remaining() / minBytes);
      return (int) n;
    }

    /** rdbGenericLoadStringObject: length-prefixed, an 8/16/32-bit integer, or LZF-compressed. */
    byte[] string() {
      int b = u8();
      if (b >>> 6 == 3) {
        return switch (b & 0x3f) {
          case 0 -> decimal((byte) u8());
          case 1 -> decimal((short) littleEndian(2));
          case 2 -> decimal((int) littleEndian(4));
          case 3 -> lzf();
          default -> throw ValueCodec.Malformed.INSTANCE;
        };
      }
      pos--;
      long n = length();
      check(n >= 0 && n <= remaining());
      byte[] s = Arrays.copyOfRange(p, pos, pos + (int) n);
      pos += (int) n;
      return s;
    }

    private static byte[] decimal(long v) {
      return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** rdbLoadLzfStringObject: compressed length, uncompressed length, then lzf_decompress's input. */
    private byte[] lzf() {
      long clen = length();
      long len = length();
      check(clen > 0 && clen <= remaining() && len > 0 && len <= clen * LZF_MAX_EXPANSION
          && len <= Integer.MAX_VALUE - 16);
      byte[] out = lzfDecompress(p, pos, pos + (int) clen, (int) len);
      pos += (int) clen;
      return out;
    }

    /** rdbLoadDoubleValue (RDB_TYPE_ZSET): a length byte (253 NaN, 254 +inf, 255 -inf) and the decimal text. */
    double stringDouble() {
      int len = u8();
      if (len == 255) {
        return Double.NEGATIVE_INFINITY;
      } else if (len == 254) {
        return Double.POSITIVE_INFINITY;
      } else if (len == 253) {
        return Double.NaN;
      }
      check(len <= remaining());
      byte[] text = Arrays.copyOfRange(p, pos, pos + len);
      pos += len;
      return Scores.parse(text);
    }

    /** A stream ID as the PELs store it: 16 raw bytes, ms then seq, big-endian. */
    StreamId rawStreamId() {
      check(remaining() >= 16);
      StreamId id = new StreamId(bigEndian(p, pos), bigEndian(p, pos + 8));
      pos += 16;
      return id;
    }
  }

  /** lzf_d.c's lzf_decompress, which must produce exactly {@code outLen} bytes. */
  static byte[] lzfDecompress(byte[] in, int ip, int inEnd, int outLen) {
    byte[] out = new byte[outLen];
    int op = 0;
    while (ip < inEnd) {
      int ctrl = in[ip++] & 0xff;
      if (ctrl < (1 << 5)) { // a literal run of ctrl + 1 bytes
        ctrl++;
        check(op + ctrl <= outLen && ip + ctrl <= inEnd);
        System.arraycopy(in, ip, out, op, ctrl);
        ip += ctrl;
        op += ctrl;
      } else { // a back reference: length (3 bits, 7 = one more byte) + 2, offset 13 bits + 1
        int len = ctrl >>> 5;
        int ref = op - ((ctrl & 0x1f) << 8) - 1;
        check(ip < inEnd);
        if (len == 7) {
          len += in[ip++] & 0xff;
          check(ip < inEnd);
        }
        ref -= in[ip++] & 0xff;
        len += 2;
        check(op + len <= outLen && ref >= 0);
        for (int i = 0; i < len; i++) {
          out[op++] = out[ref++]; // may overlap: byte by byte
        }
      }
    }
    check(op == outLen);
    return out;
  }

  // ---------------------------------------------------------------- compact blobs

  /** The elements of a listpack or ziplist, read in order: each a string or an integer. */
  private abstract static class Elements {
    final byte[] b;
    int pos;
    int end;
    private boolean isInteger;
    private long integer;
    private int strStart;
    private int strLength;
    int seen;

    Elements(byte[] b) {
      this.b = b;
    }

    /** Advances to the next element; false at the end (after checking the header's count). */
    abstract boolean next();

    /** Elements that could still follow, at most (each takes at least 2 bytes). */
    long remaining() {
      return (end - pos) / 2;
    }

    void setInteger(long v) {
      isInteger = true;
      integer = v;
    }

    void setString(int start, long length) {
      check(length >= 0 && length <= end - start);
      isInteger = false;
      strStart = start;
      strLength = (int) length;
    }

    boolean isInteger() {
      return isInteger;
    }

    /** The element as an integer: an integer encoding, or a string in string2ll's canonical form. */
    long integer() {
      if (isInteger) {
        return integer;
      }
      byte[] s = bytes();
      check(SetValue.isInteger(s));
      return SetValue.parseInteger(s);
    }

    /** The element as bytes (an integer as its decimal). */
    byte[] bytes() {
      return isInteger ? Long.toString(integer).getBytes(StandardCharsets.US_ASCII)
          : Arrays.copyOfRange(b, strStart, strStart + strLength);
    }

    int u8() {
      check(pos < end);
      return b[pos++] & 0xff;
    }

    long littleEndian(int bytes) {
      check(end - pos >= bytes);
      long v = littleEndianAt(b, pos, bytes);
      pos += bytes;
      return v;
    }
  }

  /**
   * listpack.c: total bytes (32 bits) and element count (16 bits, 65535 = unknown) little-endian,
   * the elements — an encoding byte (7-bit and 13-bit integers, 6-, 12- and 32-bit string lengths,
   * 16/24/32/64-bit integers), the data and the entry's size as a back-length — and 0xFF.
   */
  private static final class Listpack extends Elements {
    private final int declared;

    Listpack(byte[] b) {
      super(b);
      check(b.length >= 7 && littleEndianAt(b, 0, 4) == b.length && (b[b.length - 1] & 0xff) == 0xFF);
      declared = (int) littleEndianAt(b, 4, 2);
      pos = 6;
      end = b.length - 1;
    }

    @Override
    boolean next() {
      if (pos == end) {
        check(declared == 0xFFFF || declared == seen);
        return false;
      }
      int start = pos;
      int e = u8();
      if ((e & 0x80) == 0) {
        setInteger(e);
      } else if ((e & 0xC0) == 0x80) {
        setString(pos, e & 0x3f);
        pos += e & 0x3f;
      } else if ((e & 0xE0) == 0xC0) {
        long v = (e & 0x1f) << 8 | u8();
        setInteger(v >= 1 << 12 ? v - (1 << 13) : v);
      } else if ((e & 0xF0) == 0xE0) {
        int len = (e & 0x0f) << 8 | u8();
        setString(pos, len);
        pos += len;
      } else {
        switch (e) {
          case 0xF0 -> {
            long len = littleEndian(4);
            setString(pos, len);
            pos += (int) len;
          }
          case 0xF1 -> setInteger((short) littleEndian(2));
          case 0xF2 -> setInteger(littleEndian(3) << 40 >> 40);
          case 0xF3 -> setInteger((int) littleEndian(4));
          case 0xF4 -> setInteger(littleEndian(8));
          default -> throw ValueCodec.Malformed.INSTANCE; // 0xF5..0xFE unused, 0xFF before the end
        }
      }
      // lpEncodeBacklen: the entry's size, 7 bits a byte, most significant first, all but the first marked.
      long size = pos - start;
      int bytes = size <= 127 ? 1 : size < 16383 ? 2 : size < 2097151 ? 3 : size < 268435455 ? 4 : 5;
      check(end - pos >= bytes);
      for (int i = 0; i < bytes; i++) {
        int expected = (int) ((size >>> (7 * (bytes - 1 - i))) & 127) | (i == 0 ? 0 : 128);
        check((b[pos++] & 0xff) == expected);
      }
      seen++;
      return true;
    }
  }

  /**
   * ziplist.c: total bytes and tail offset (32 bits), entry count (16 bits, 65535 = unknown), all
   * little-endian; per entry the previous entry's size (1 byte below 254, else 254 and 32 bits
   * little-endian), the encoding (6-, 14- or 32-bit big-endian string lengths; 8/16/24/32/64-bit
   * integers; 4-bit immediates 0..12) and the data; 0xFF ends it.
   */
  private static final class Ziplist extends Elements {
    private final long tail;
    private final int declared;
    private int previousSize;
    private int lastStart = 10;

    Ziplist(byte[] b) {
      super(b);
      check(b.length >= 11 && littleEndianAt(b, 0, 4) == b.length && (b[b.length - 1] & 0xff) == 0xFF);
      tail = littleEndianAt(b, 4, 4);
      declared = (int) littleEndianAt(b, 8, 2);
      pos = 10;
      end = b.length - 1;
    }

    @Override
    boolean next() {
      if (pos == end) {
        check(tail == lastStart && (declared == 0xFFFF || declared == seen));
        return false;
      }
      int start = pos;
      int prev = u8();
      check(prev != 255);
      if (prev == 254) {
        prev = (int) littleEndian(4);
      }
      check(prev == previousSize);
      int e = u8();
      switch (e >>> 6) {
        case 0 -> {
          setString(pos, e & 0x3f);
          pos += e & 0x3f;
        }
        case 1 -> {
          int len = (e & 0x3f) << 8 | u8();
          setString(pos, len);
          pos += len;
        }
        case 2 -> {
          check(e == 0x80);
          long len = 0;
          for (int i = 0; i < 4; i++) {
            len = len << 8 | u8();
          }
          setString(pos, len);
          pos += (int) len;
        }
        default -> {
          switch (e) {
            case 0xC0 -> setInteger((short) littleEndian(2));
            case 0xD0 -> setInteger((int) littleEndian(4));
            case 0xE0 -> setInteger(littleEndian(8));
            case 0xF0 -> setInteger(littleEndian(3) << 40 >> 40);
            case 0xFE -> setInteger((byte) littleEndian(1));
            default -> {
              check(e >= 0xF1 && e <= 0xFD);
              setInteger((e & 0x0f) - 1);
            }
          }
        }
      }
      previousSize = pos - start;
      lastStart = start;
      seen++;
      return true;
    }
  }
}

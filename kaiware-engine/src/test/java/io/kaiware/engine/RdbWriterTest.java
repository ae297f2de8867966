package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * RdbWriter against bytes Redis 7.0.15 wrote itself and bytes built by hand from rdb.c,
 * listpack.c and t_stream.c. (Loading into a real redis-server is checked outside the unit tests.)
 */
class RdbWriterTest {

  private static final HexFormat HEX = HexFormat.of();

  /**
   * What Redis 7.0.15 wrote on SAVE ({@code rdbcompression no}) after: SET k (64 x "x"),
   * PEXPIREAT k 4102444800123; in db 1 SET n 12345; db 2 SET neg -129; db 3 SET 7 "";
   * db 4 SET big 99999999999.
   */
  private static final byte[] REDIS_SAVE = HEX.parseHex(
      // REDIS0010, AUX redis-ver 7.0.15, redis-bits 64, ctime, used-mem, aof-base 0
      "524544495330303130fa0972656469732d76657206372e302e3135fa0a72656469732d62697473c040"
          + "fa056374696d65c23fbc166bfa08757365642d6d656dc2b0180f00fa08616f662d62617365c000"
          // the databases
          + "fe00fb0101fc7bd8c32cbb03000000016b4040" + "78".repeat(64)
          + "fe01fb010000016ec13930"
          + "fe02fb010000036e6567c17fff"
          + "fe03fb010000c00700"
          + "fe04fb010000036269670b3939393939393939393939"
          // EOF, CRC-64
          + "ff6ed4f86095f6a7e0");
  /** Where REDIS_SAVE's databases start (after the AUX fields). */
  private static final int REDIS_SAVE_BODY = 80;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] write(Keyspace ks, long nowMs, RdbWriter.Result[] result) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RdbWriter.Result r = RdbWriter.write(ks, nowMs, out);
    if (result != null) {
      result[0] = r;
    }
    return out.toByteArray();
  }

  private static long crc64(byte[] b, int len) {
    RdbWriter.Crc64 crc = new RdbWriter.Crc64();
    crc.update(b, 0, len);
    return crc.getValue();
  }

  private static long littleEndian(byte[] b, int from) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[from + i] & 0xff);
    }
    return v;
  }

  /** The header this writer puts before the databases for a given ctime (seconds). */
  private static String header(String ctimeEncoded) {
    return "524544495330303130fa0972656469732d76657206372e302e3135fa0a72656469732d62697473c040"
        + "fa056374696d65" + ctimeEncoded + "fa08757365642d6d656dc000fa08616f662d62617365c000";
  }

  private static String rdbBytes(Consumer<RdbWriter.Out> writes) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    writes.accept(new RdbWriter.Out(buf));
    return HEX.formatHex(buf.toByteArray());
  }

  @Test
  void crc64IsRedisCrc64() {
    assertThat(crc64(b("123456789"), 9)).isEqualTo(0xe9c6d914c4b8d9caL);
    assertThat(crc64(new byte[0], 0)).isZero();
    // Redis's own file: the trailer is the CRC of everything before it, EOF included.
    int body = REDIS_SAVE.length - 8;
    assertThat(crc64(REDIS_SAVE, body)).isEqualTo(littleEndian(REDIS_SAVE, body));
  }

  @Test
  void databasesAreWhatRedisSaveWrites() throws IOException {
    Keyspace ks = new Keyspace();
    ks.db(0).put(b("k"), b("x".repeat(64)), 4102444800123L);
    ks.db(1).put(b("n"), b("12345"), KeyTable.NO_EXPIRY);
    ks.db(2).put(b("neg"), b("-129"), KeyTable.NO_EXPIRY);
    ks.db(3).put(b("7"), new byte[0], KeyTable.NO_EXPIRY);
    ks.db(4).put(b("big"), b("99999999999"), KeyTable.NO_EXPIRY);
    long nowMs = 1_700_000_000_999L; // ctime 1700000000 = 0x6553f100
    RdbWriter.Result[] result = new RdbWriter.Result[1];
    byte[] rdb = write(ks, nowMs, result);

    byte[] redisBody = Arrays.copyOfRange(REDIS_SAVE, REDIS_SAVE_BODY, REDIS_SAVE.length - 8);
    byte[] expected = HEX.parseHex(header("c200f15365") + HEX.formatHex(redisBody));
    assertThat(HEX.formatHex(Arrays.copyOf(rdb, rdb.length - 8))).isEqualTo(HEX.formatHex(expected));
    assertThat(littleEndian(rdb, rdb.length - 8)).isEqualTo(crc64(rdb, rdb.length - 8));
    assertThat(result[0]).isEqualTo(new RdbWriter.Result(5, 0, java.util.Set.of()));
  }

  @Test
  void emptyKeyspaceIsHeaderEofAndChecksum() throws IOException {
    byte[] rdb = write(new Keyspace(), 0, null);
    assertThat(HEX.formatHex(Arrays.copyOf(rdb, rdb.length - 8))).isEqualTo(header("c000") + "ff");
  }

  @Test
  void lengthsAtTheirBoundaries() {
    assertThat(rdbBytes(o -> o.length(63))).isEqualTo("3f");
    assertThat(rdbBytes(o -> o.length(64))).isEqualTo("4040");
    assertThat(rdbBytes(o -> o.length(16383))).isEqualTo("7fff");
    assertThat(rdbBytes(o -> o.length(16384))).isEqualTo("8000004000");
    assertThat(rdbBytes(o -> o.length(0xFFFF_FFFFL))).isEqualTo("80ffffffff");
    assertThat(rdbBytes(o -> o.length(1L << 32))).isEqualTo("810000000100000000");
    // Unsigned: a stream group's unknown read counter (-1) is the largest 64-bit length.
    assertThat(rdbBytes(o -> o.length(-1))).isEqualTo("81ffffffffffffffff");
  }

  @Test
  void stringsAreIntegerEncodedOnlyWhenCanonical32BitDecimals() {
    assertThat(rdbBytes(o -> o.string(b("-128")))).isEqualTo("c080");
    assertThat(rdbBytes(o -> o.string(b("127")))).isEqualTo("c07f");
    assertThat(rdbBytes(o -> o.string(b("128")))).isEqualTo("c18000");
    assertThat(rdbBytes(o -> o.string(b("-32769")))).isEqualTo("c2ff7fffff");
    assertThat(rdbBytes(o -> o.string(b("-2147483648")))).isEqualTo("c200000080");
    assertThat(rdbBytes(o -> o.string(b("2147483648")))).isEqualTo("0a32313437343833363438");
    assertThat(rdbBytes(o -> o.string(b("007")))).isEqualTo("03303037");
    assertThat(rdbBytes(o -> o.string(b("-0")))).isEqualTo("022d30");
    assertThat(rdbBytes(o -> o.string(b(" 1")))).isEqualTo("022031");
    assertThat(rdbBytes(o -> o.string(new byte[0]))).isEqualTo("00");
    byte[] long16384 = new byte[16384];
    assertThat(rdbBytes(o -> o.string(long16384))).startsWith("8000004000").hasSize(2 * (5 + 16384));
  }

  @Test
  void collectionsInTheirPlainForms_expiredLeftOut_kaiwareTypesSkipped() throws IOException {
    long nowMs = 1_000_000L; // ctime 1000 = 0x03e8
    Keyspace ks = new Keyspace();
    ListValue list = new ListValue();
    list.pushTail(b("a"));
    list.pushTail(b("1"));
    ks.db(0).put(b("l"), list, KeyTable.NO_EXPIRY);
    SetValue set = new SetValue();
    set.add(b("m"));
    ks.db(1).put(b("s"), set, KeyTable.NO_EXPIRY);
    HashValue hash = new HashValue();
    hash.put(b("f"), b("v"));
    ks.db(2).put(b("h"), hash, KeyTable.NO_EXPIRY);
    SortedSet zset = new SortedSet();
    zset.put(b("a"), 1.5);
    ks.db(3).put(b("z"), zset, KeyTable.NO_EXPIRY);
    // Live at nowMs exactly (Redis: expired only when strictly before now); the others are gone.
    ks.db(4).put(b("e"), b("x"), nowMs);
    ks.db(4).put(b("gone"), b("x"), nowMs - 1);
    ks.db(4).put(b("r"), new Ranking(1000, 60000, new byte[][] {b("1m")}, new long[] {60000}), KeyTable.NO_EXPIRY);
    ks.db(5).put(b("w"), new WindowCounter(60000, 1000), KeyTable.NO_EXPIRY);
    ks.db(6).put(b("gone"), list.deepCopy(), nowMs - 1);
    RdbWriter.Result[] result = new RdbWriter.Result[1];
    byte[] rdb = write(ks, nowMs, result);

    String expected = header("c1e803")
        + "fe00fb0100" + "01016c" + "02" + "0161" + "c001" // list: count, elements
        + "fe01fb0100" + "020173" + "01" + "016d" // set
        + "fe02fb0100" + "040168" + "01" + "0166" + "0176" // hash: count, field, value
        + "fe03fb0100" + "05017a" + "01" + "0161" + "000000000000f83f" // zset_2: member, LE double
        + "fe04fb0101" + "fc" + "40420f0000000000" + "000165" + "0178" // RESIZEDB 1 key, 1 with TTL
        + "ff"; // dbs 5 and 6 hold nothing written: no SELECTDB
    assertThat(HEX.formatHex(Arrays.copyOf(rdb, rdb.length - 8))).isEqualTo(expected);
    assertThat(result[0].keysWritten()).isEqualTo(5);
    assertThat(result[0].keysSkipped()).isEqualTo(2);
    assertThat(result[0].skippedTypes()).containsExactly("ranking", "window-counter");
  }

  @Test
  void resizeDbCountsLiveWrittenKeysAndThoseWithTtl() throws IOException {
    long nowMs = 5_000L;
    Keyspace ks = new Keyspace(1);
    for (int i = 0; i < 70; i++) {
      ks.db(0).put(b("k" + i), b("v"), i < 10 ? nowMs - 1 : i < 30 ? nowMs + 1 : KeyTable.NO_EXPIRY);
    }
    byte[] rdb = write(ks, nowMs, null);
    // 60 keys (6-bit length 0x3c), 20 of them with a TTL (0x14).
    assertThat(HEX.formatHex(rdb)).contains(header("c005") + "fe00fb3c14");
  }

  @Test
  void listpackIntegersAndStringsAsListpackC() {
    assertThat(listpack(lp -> lp.integer(127))).isEqualTo("7f01");
    assertThat(listpack(lp -> lp.integer(128))).isEqualTo("c08002");
    assertThat(listpack(lp -> lp.integer(-1))).isEqualTo("dfff02");
    assertThat(listpack(lp -> lp.integer(-4096))).isEqualTo("d00002");
    assertThat(listpack(lp -> lp.integer(4096))).isEqualTo("f1001003");
    assertThat(listpack(lp -> lp.integer(-32769))).isEqualTo("f2ff7fff04");
    assertThat(listpack(lp -> lp.integer(8388608))).isEqualTo("f30000800005");
    assertThat(listpack(lp -> lp.integer(Long.MIN_VALUE))).isEqualTo("f4000000000000008009");
    assertThat(listpack(lp -> lp.string(b("-5000000")))).isEqualTo("f2c0b4b304");
    assertThat(listpack(lp -> lp.string(b("007")))).isEqualTo("8330303704");
    // A 126-byte string: 12-bit header, element of 128 bytes, so a two-byte back-length.
    assertThat(listpack(lp -> lp.string(new byte[126]))).isEqualTo("e07e" + "00".repeat(126) + "0180");
    byte[] big = new byte[4096];
    assertThat(listpack(lp -> lp.string(big))).startsWith("f000100000").endsWith("00" + "2085"); // 4101-byte element
  }

  /** The elements of a one-element listpack, without its header and terminator. */
  private static String listpack(Consumer<RdbWriter.Listpack> appends) {
    RdbWriter.Listpack lp = new RdbWriter.Listpack();
    appends.accept(lp);
    byte[] b = lp.toBytes();
    assertThat(littleEndian(Arrays.copyOf(b, 8), 0) & 0xFFFF_FFFFL).isEqualTo(b.length);
    assertThat(b[4] & 0xff | (b[5] & 0xff) << 8).isEqualTo(1);
    assertThat(b[b.length - 1]).isEqualTo((byte) 0xff);
    return HEX.formatHex(b, 6, b.length - 1);
  }

  @Test
  void streamAsListpacksWithGroups() throws IOException {
    StreamValue s = new StreamValue();
    s.append(new StreamId(1, 1), new byte[][] {b("f"), b("v")}, 4096, 100);
    s.append(new StreamId(2, 0), new byte[][] {b("f"), b("-5000000")}, 4096, 100);
    s.append(new StreamId(3, 0), new byte[][] {b("g"), b("x")}, 4096, 100);
    s.delete(new StreamId(2, 0));
    StreamValue.Group group = s.createGroup(b("g"), StreamId.MIN, StreamValue.INVALID_ENTRIES_READ);
    StreamValue.Consumer consumer = group.createConsumer(b("c"), 900);
    group.deliver(new StreamId(1, 1), consumer, 1000);
    group.lastId = new StreamId(1, 1);
    Keyspace ks = new Keyspace(1);
    ks.db(0).put(b("x"), s, KeyTable.NO_EXPIRY);
    byte[] rdb = write(ks, 0, null);

    String listpack = "39000000" + "1600" // 57 bytes, 22 elements
        + "0201" + "0101" + "0101" + "816602" + "0001" // master: 2 live, 1 deleted, fields [f], 0
        + "0201" + "0001" + "0001" + "817602" + "0401" // 1-1: SAMEFIELDS, +0, +0, v, lp-count 4
        + "0101" + "0101" + "dfff02" + "0001" + "0401" // 2-0: DELETED, +1, -1, no fields, lp-count 4
        + "0001" + "0201" + "dfff02" + "0101" + "816702" + "817802" + "0601" // 3-0: own fields [g]
        + "ff";
    String id11 = "0000000000000001" + "0000000000000001";
    String expected = header("c000") + "fe00fb0100" + "13" + "0178" // RDB_TYPE_STREAM_LISTPACKS_2, key
        + "01" + "10" + id11 + "39" + listpack // one node: its master ID, its listpack
        + "02" + "0300" + "0101" + "0200" + "03" // length, last ID, first ID, max deleted ID, entries added
        + "01" + "0167" + "0101" + "81ffffffffffffffff" // group g: last ID 1-1, entries read unknown
        + "01" + id11 + "e803000000000000" + "01" // global PEL: ID, delivery time, count
        + "01" + "0163" + "8403000000000000" + "01" + id11 // consumer c: seen time, its PEL's IDs
        + "ff";
    assertThat(HEX.formatHex(Arrays.copyOf(rdb, rdb.length - 8))).isEqualTo(expected);
  }
}

package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * RdbFileReader against files Redis 7.0.15 wrote with SAVE (src/test/resources/rdb, made by
 * make-fixtures.sh with src/test/redis/rdb_fixtures.py): every key, database, expiry and value
 * compared with what that Redis read back itself (redis-7.0.15.expected.tsv, in
 * {@link RdbValueReaderTest#canonical}'s text). Also: files cut short or corrupted, refused types
 * and versions, hand-built files of Redis 7.2's types and of the opcodes Redis 7.0 no longer
 * writes, and Kaiware's own RdbWriter read back.
 */
class RdbFileReaderTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String FIXTURE = "redis-7.0.15.rdb";
  private static final String FIXTURE_PLAIN = "redis-7.0.15-nocompress-nochecksum.rdb";

  /** A key as read: where, when it expires, and its value's canonical text. */
  record Read(int db, String keyHex, long expireAtMs, String canonical) {
    String id() {
      return db + "/" + keyHex;
    }
  }

  /** Collects everything a file holds. */
  static final class Collector implements RdbFileReader.Visitor {
    final Map<String, Read> keys = new LinkedHashMap<>();
    final Map<String, Object> values = new LinkedHashMap<>();
    final Map<String, String> aux = new LinkedHashMap<>();
    final List<String> functions = new ArrayList<>();

    @Override
    public void aux(byte[] name, byte[] value) {
      aux.put(new String(name, StandardCharsets.ISO_8859_1), new String(value, StandardCharsets.ISO_8859_1));
    }

    @Override
    public void key(int db, byte[] key, Object value, long expireAtMs) {
      Read r = new Read(db, HEX.formatHex(key), expireAtMs, RdbValueReaderTest.canonical(value));
      assertThat(keys.put(r.id(), r)).as("duplicate " + r.id()).isNull();
      values.put(r.id(), value);
    }

    @Override
    public void function(byte[] code) {
      functions.add(new String(code, StandardCharsets.ISO_8859_1));
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = RdbFileReaderTest.class.getResourceAsStream("/rdb/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** redis-7.0.15.expected.tsv: db, key, PEXPIRETIME, canonical value, as Redis read them. */
  private static Map<String, Read> expected() throws IOException {
    Map<String, Read> out = new LinkedHashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        RdbFileReaderTest.class.getResourceAsStream("/rdb/redis-7.0.15.expected.tsv"), StandardCharsets.US_ASCII))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        Read read = new Read(Integer.parseInt(f[0]), f[1], Long.parseLong(f[2]), f[3]);
        out.put(read.id(), read);
      }
    }
    return out;
  }

  private static Collector read(byte[] rdb, RdbFileReader.Summary[] summary) {
    Collector c = new Collector();
    RdbFileReader.Summary s = RdbFileReader.read(rdb, 0, rdb.length, c);
    if (summary != null) {
      summary[0] = s;
    }
    return c;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- Redis's own files

  @Test
  void redisSaveReadsAsRedisReadsIt() throws IOException {
    Map<String, Read> expected = expected();
    assertThat(expected).hasSize(33);
    for (String name : List.of(FIXTURE, FIXTURE_PLAIN)) {
      byte[] rdb = resource(name);
      RdbFileReader.Summary[] summary = new RdbFileReader.Summary[1];
      Collector c = read(rdb, summary);
      assertThat(c.keys.keySet()).as(name).containsExactlyInAnyOrderElementsOf(expected.keySet());
      for (Read want : expected.values()) {
        assertThat(c.keys.get(want.id())).as(name + " " + want.id()).isEqualTo(want);
      }
      assertThat(summary[0]).isEqualTo(new RdbFileReader.Summary(10, 33, 4, 0, name.equals(FIXTURE)));
      assertThat(c.aux).containsEntry("redis-ver", "7.0.15").containsEntry("redis-bits", "64").containsKey("ctime");
      assertThat(c.functions).isEmpty();
      // What the replica link does with each: RESTORE of Kaiware's DUMP payload gives the same value.
      for (Map.Entry<String, Object> e : c.values.entrySet()) {
        Object again = RdbValueReader.decodePayload(RdbWriter.dumpPayload(e.getValue()));
        assertThat(RdbValueReaderTest.canonical(again)).as(e.getKey()).isEqualTo(c.keys.get(e.getKey()).canonical());
      }
    }
  }

  @Test
  void fixturesHoldTheEncodingsTheyAreMeantTo() throws IOException {
    // The compressed file has LZF strings, the plain one none, and no checksum (zero).
    byte[] rdb = resource(FIXTURE);
    byte[] plain = resource(FIXTURE_PLAIN);
    assertThat(Arrays.copyOfRange(plain, plain.length - 8, plain.length)).containsOnly(0);
    assertThat(Arrays.copyOfRange(rdb, rdb.length - 8, rdb.length)).isNotEqualTo(new byte[8]);
    assertThat(plain.length).isGreaterThan(rdb.length * 2);
    Collector c = read(rdb, null);
    // Large collections in their plain encodings, small ones compact (RESTORE re-decides them anyway).
    assertThat(((SetValue) c.values.get("0/" + HEX.formatHex(b("set_intset")))).isIntset()).isTrue();
    assertThat(((SetValue) c.values.get("0/" + HEX.formatHex(b("set_big_ints")))).isIntset()).isFalse();
    assertThat(((CollectionValue) c.values.get("0/" + HEX.formatHex(b("hash_small")))).encoding()).isEqualTo("listpack");
    assertThat(((CollectionValue) c.values.get("0/" + HEX.formatHex(b("zset_big")))).encoding()).isEqualTo("skiplist");
    assertThat(((StreamValue) c.values.get("1/" + HEX.formatHex(b("stream_big")))).nodeCount()).isEqualTo(5);
  }

  // ---------------------------------------------------------------- refused files

  @Test
  void corruptedChecksumIsRefusedBeforeAnyKey() throws IOException {
    byte[] rdb = resource(FIXTURE);
    for (int at : new int[] {20, rdb.length / 2, rdb.length - 1}) { // an AUX, a value, the checksum
      byte[] bad = rdb.clone();
      bad[at] ^= 0x10;
      Collector c = new Collector();
      assertThatThrownBy(() -> RdbFileReader.read(bad, 0, bad.length, c))
          .isInstanceOf(RdbFormatException.class)
          .hasMessageContaining("wrong checksum")
          .satisfies(e -> assertThat(((RdbFormatException) e).offset()).isEqualTo(rdb.length - 8));
      assertThat(c.keys).isEmpty();
    }
  }

  @Test
  void truncatedFilesAreRefusedWithRdbFormatException() throws IOException {
    for (String name : List.of(FIXTURE, FIXTURE_PLAIN)) {
      byte[] rdb = resource(name);
      int step = Math.max(1, rdb.length / 400);
      for (int cut = 0; cut < rdb.length; cut += step) {
        expectRefused(Arrays.copyOf(rdb, cut), name + " cut at " + cut);
      }
      for (int cut = rdb.length - 20; cut < rdb.length; cut++) {
        expectRefused(Arrays.copyOf(rdb, cut), name + " cut at " + cut);
      }
      expectRefused(Arrays.copyOf(rdb, rdb.length + 1), name + " with a byte more");
    }
  }

  /**
   * The file without a checksum, corrupted at random: read or refused with RdbFormatException,
   * nothing else thrown.
   */
  @Test
  void corruptedFilesWithoutChecksumNeverThrowAnythingElse() throws IOException {
    byte[] rdb = resource(FIXTURE_PLAIN);
    Random random = new Random(7);
    int refused = 0;
    for (int round = 0; round < 300; round++) {
      byte[] bad = rdb.clone();
      for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
        int at = random.nextInt(bad.length - 8);
        bad[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : bad[at] ^ (1 << random.nextInt(8)));
      }
      try {
        read(bad, null);
      } catch (RdbFormatException e) {
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(50); // most flips land in string contents, which stay valid
  }

  private static void expectRefused(byte[] rdb, String what) {
    try {
      read(rdb, null);
      fail(what + " was read");
    } catch (RdbFormatException e) {
      assertThat(e.offset()).as(what).isBetween(0L, (long) rdb.length);
    }
  }

  @Test
  void unsupportedTypesAndVersionsAreRefusedByName() {
    assertThatThrownBy(() -> read(rdb(10, o -> key(o, 30, "k")), null))
        .isInstanceOf(RdbFormatException.class).hasMessageContaining("unknown value type 30 for key 'k'")
        .hasMessageStartingWith("RDB offset 9:");
    assertThatThrownBy(() -> read(rdb(10, o -> key(o, 7, "mod")), null))
        .isInstanceOf(RdbFormatException.class).hasMessageContaining("a module's value (type 7)");
    assertThatThrownBy(() -> read(rdb(12, o -> key(o, 25, "h")), null))
        .isInstanceOf(RdbFormatException.class).hasMessageContaining("hash with field expiries (type 25");
    assertThatThrownBy(() -> read(rdb(10, o -> o.opcode(RdbFileReader.OPCODE_MODULE_AUX)), null))
        .isInstanceOf(RdbFormatException.class).hasMessageContaining("MODULE_AUX");
    assertThatThrownBy(() -> read(rdb(13, o -> {}), null))
        .isInstanceOf(RdbFormatException.class).hasMessageContaining("RDB version 13 is not supported");
    assertThatThrownBy(() -> read(rdb(0, o -> {}), null))
        .isInstanceOf(RdbFormatException.class).hasMessageContaining("RDB version 0 is not supported");
    assertThatThrownBy(() -> read(b("REDIX0010\u00ff00000000"), null))
        .isInstanceOf(RdbFormatException.class).hasMessageContaining("no REDIS signature");
    // A malformed value names its type and key: an empty list (count 0).
    assertThatThrownBy(() -> read(rdb(10, o -> {
      key(o, 1, "empty");
      o.length(0);
    }), null)).isInstanceOf(RdbFormatException.class)
        .hasMessageContaining("malformed or truncated value of type 1 (list) for key 'empty'");
    // An EOF with more bytes after it.
    assertThatThrownBy(() -> read(rdb(10, o -> o.opcode(RdbFileReader.OPCODE_EOF)), null))
        .isInstanceOf(RdbFormatException.class).hasMessageContaining("an EOF opcode before the end");
    // Every version from 1 to 12 is taken.
    for (int v = 1; v <= 12; v++) {
      int version = v;
      assertThat(RdbFileReader.read(rdb(v, o -> {}), 0, rdb(v, o -> {}).length, new Collector()).version()).isEqualTo(version);
    }
  }

  // ---------------------------------------------------------------- hand-built files

  /**
   * An RDB file: {@code REDIS} and the version, the body, EOF and (from version 5) the CRC-64 —
   * written here from rdb.c, not with the reader's code.
   */
  static byte[] rdb(int version, Consumer<RdbWriter.Out> body) {
    return rdb(version, body, true);
  }

  static byte[] rdb(int version, Consumer<RdbWriter.Out> body, boolean checksum) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    RdbWriter.Out out = new RdbWriter.Out(buf);
    out.raw(b(String.format("REDIS%04d", version)));
    body.accept(out);
    out.opcode(RdbFileReader.OPCODE_EOF);
    byte[] b = buf.toByteArray();
    if (version < 5) {
      return b;
    }
    RdbWriter.Crc64 crc = new RdbWriter.Crc64();
    crc.update(b, 0, b.length);
    long c = checksum ? crc.getValue() : 0;
    byte[] withCrc = Arrays.copyOf(b, b.length + 8);
    for (int i = 0; i < 8; i++) {
      withCrc[b.length + i] = (byte) (c >>> (8 * i));
    }
    return withCrc;
  }

  private static void key(RdbWriter.Out o, int type, String key) {
    o.opcode(type);
    o.string(b(key));
  }

  private static byte[] listpack(String... elements) {
    RdbWriter.Listpack lp = new RdbWriter.Listpack();
    for (String e : elements) {
      lp.string(b(e));
    }
    return lp.toBytes();
  }

  private static byte[] streamIdBytes(long ms, long seq) {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (ms >>> (56 - 8 * i));
      b[8 + i] = (byte) (seq >>> (56 - 8 * i));
    }
    return b;
  }

  /**
   * Redis 7.2's types, as its rdbSaveObject writes them: RDB_TYPE_SET_LISTPACK (20, the members in
   * one listpack) and RDB_TYPE_STREAM_LISTPACKS_3 (21: as 19, with each consumer's active time
   * after its seen time), in an RDB 11 file.
   */
  @Test
  void redis72SetListpackAndStreamListpacks3() {
    StreamValue entries = new StreamValue();
    entries.append(new StreamId(1, 1), new byte[][] {b("f"), b("v")}, 4096, 100);
    entries.append(new StreamId(2, 0), new byte[][] {b("f"), b("w")}, 4096, 100);
    entries.append(new StreamId(3, 0), new byte[][] {b("g"), b("x")}, 4096, 100);
    assertThat(entries.nodes()).hasSize(1);
    byte[] file = rdb(11, o -> {
      o.opcode(RdbFileReader.OPCODE_AUX);
      o.string(b("redis-ver"));
      o.string(b("7.2.4"));
      o.opcode(RdbWriter.OPCODE_SELECTDB);
      o.length(2);
      key(o, 20, "set_lp");
      o.string(listpack("a", "b", "7", "-3"));
      key(o, 20, "set_lp_ints");
      o.string(listpack("7", "-3", "100"));
      key(o, 21, "stream3");
      o.length(1); // one node: its master ID, its listpack
      o.string(streamIdBytes(1, 1));
      o.string(RdbWriter.streamListpack(entries.nodes().get(0)));
      o.length(3); // length
      o.streamId(new StreamId(3, 0)); // last ID
      o.streamId(new StreamId(1, 1)); // first ID
      o.streamId(new StreamId(0, 0)); // max deleted ID
      o.length(3); // entries added
      o.length(1); // one group
      o.string(b("g"));
      o.streamId(new StreamId(3, 0)); // last delivered
      o.length(3); // entries read
      o.length(2); // the group's PEL: ID, delivery time, delivery count
      o.raw(streamIdBytes(1, 1));
      o.littleEndianLong(1000);
      o.length(2);
      o.raw(streamIdBytes(3, 0));
      o.littleEndianLong(2000);
      o.length(1);
      o.length(3); // consumers: name, seen time, active time, PEL IDs
      o.string(b("alice"));
      o.littleEndianLong(500);
      o.littleEndianLong(600);
      o.length(1);
      o.raw(streamIdBytes(1, 1));
      o.string(b("bob"));
      o.littleEndianLong(700);
      o.littleEndianLong(800);
      o.length(1);
      o.raw(streamIdBytes(3, 0));
      o.string(b("carol"));
      o.littleEndianLong(900);
      o.littleEndianLong(-1); // never active
      o.length(0);
    });
    RdbFileReader.Summary[] summary = new RdbFileReader.Summary[1];
    Collector c = read(file, summary);
    assertThat(summary[0]).isEqualTo(new RdbFileReader.Summary(11, 3, 0, 0, true));
    assertThat(c.aux).containsEntry("redis-ver", "7.2.4");
    assertThat(c.keys.get("2/" + HEX.formatHex(b("set_lp"))).canonical()).isEqualTo("set:2d33,37,61,62");
    SetValue ints = (SetValue) c.values.get("2/" + HEX.formatHex(b("set_lp_ints")));
    assertThat(RdbValueReaderTest.canonical(ints)).isEqualTo("set:2d33,313030,37");
    assertThat(ints.isIntset()).isTrue(); // as Redis 7.0 would load the same members from RDB_TYPE_SET
    assertThat(((SetValue) c.values.get("2/" + HEX.formatHex(b("set_lp")))).isIntset()).isFalse();
    Read stream = c.keys.get("2/" + HEX.formatHex(b("stream3")));
    assertThat(stream.canonical()).isEqualTo("stream:1-1[66,76] 2-0[66,77] 3-0[67,78]"
        + " |len=3 last=3-0 maxdel=0-0 added=3 first=1-1"
        + " |67:last=3-0 read=3 pel=[1-1@616c696365#2;3-0@626f62#1] consumers=[616c696365;626f62;6361726f6c]");
    StreamValue.Group group = ((StreamValue) c.values.get(stream.id())).group(b("g"));
    assertThat(group.consumer(b("alice")).seenTimeMs).isEqualTo(500);
    assertThat(group.consumer(b("carol")).seenTimeMs).isEqualTo(900);
    assertThat(group.pel().get(new StreamId(3, 0)).deliveryTimeMs).isEqualTo(2000);

    // A listpack set with a duplicate, or none, is refused as the other set encodings are.
    for (String[] members : new String[][] {{"a", "b", "a"}, {"5", "5"}, {}}) {
      assertThatThrownBy(() -> read(rdb(11, o -> {
        key(o, 20, "bad");
        o.string(listpack(members));
      }), null)).isInstanceOf(RdbFormatException.class).hasMessageContaining("of type 20 (set) for key 'bad'");
    }
    // And a DUMP payload, which Redis 7.0 makes and takes, still never holds them.
    byte[] payload = RdbWriter.dumpPayload(c.values.get("2/" + HEX.formatHex(b("set_lp"))));
    payload[0] = 20;
    assertThat(RdbValueReader.decodePayload(payload)).isNull();
  }

  /**
   * What Redis 7.0 still loads but no longer writes: an RDB 4 file (no checksum) with EXPIRETIME in
   * seconds, FREQ and IDLE before keys; an RDB 10 file with both function opcodes, RESIZEDB and a
   * zero checksum; 7.4's SLOT_INFO in an RDB 12 file.
   */
  @Test
  void olderOpcodesAndFunctions() {
    byte[] v4 = rdb(4, o -> {
      o.opcode(RdbFileReader.OPCODE_EXPIRETIME);
      o.raw(new byte[] {0x00, (byte) 0xf1, 0x53, 0x65}); // 1700000000 s, little-endian
      key(o, 0, "secs");
      o.string(b("v"));
      o.opcode(RdbFileReader.OPCODE_FREQ);
      o.opcode(5);
      o.opcode(RdbFileReader.OPCODE_IDLE);
      o.length(1234);
      key(o, 0, "plain"); // the expiry applied to the previous key only
      o.string(b("w"));
      o.opcode(RdbFileReader.OPCODE_SELECTDB);
      o.length(3);
      o.opcode(RdbFileReader.OPCODE_EXPIRETIME_MS);
      o.littleEndianLong(-5); // before 1970: given as 0
      key(o, 0, "old");
      o.string(b("x"));
    });
    RdbFileReader.Summary[] summary = new RdbFileReader.Summary[1];
    Collector c = read(v4, summary);
    assertThat(summary[0]).isEqualTo(new RdbFileReader.Summary(4, 3, 2, 0, false));
    assertThat(c.keys.values()).containsExactly(
        new Read(0, HEX.formatHex(b("secs")), 1_700_000_000_000L, "string:76"),
        new Read(0, HEX.formatHex(b("plain")), -1, "string:77"),
        new Read(3, HEX.formatHex(b("old")), 0, "string:78"));

    byte[] v10 = rdb(10, o -> {
      o.opcode(RdbFileReader.OPCODE_FUNCTION2);
      o.string(b("#!lua name=mylib\nredis.register_function('f', function() return 1 end)"));
      o.opcode(RdbFileReader.OPCODE_FUNCTION_PRE_GA); // 7.0-rc: name, engine, has description, description, code
      o.string(b("old"));
      o.string(b("LUA"));
      o.length(1);
      o.string(b("a description"));
      o.string(b("return 2"));
      o.opcode(RdbFileReader.OPCODE_RESIZEDB);
      o.length(1);
      o.length(0);
      key(o, 0, "k");
      o.string(b("v"));
    }, false);
    c = read(v10, summary);
    assertThat(summary[0]).isEqualTo(new RdbFileReader.Summary(10, 1, 0, 2, false));
    assertThat(c.functions).containsExactly(
        "#!lua name=mylib\nredis.register_function('f', function() return 1 end)", "#!LUA name=old\nreturn 2");

    byte[] v12 = rdb(12, o -> {
      o.opcode(RdbWriter.OPCODE_SELECTDB);
      o.length(0);
      o.opcode(RdbFileReader.OPCODE_SLOT_INFO);
      o.length(866);
      o.length(1);
      o.length(0);
      key(o, 0, "k");
      o.string(b("v"));
    });
    assertThat(read(v12, null).keys).containsOnlyKeys("0/" + HEX.formatHex(b("k")));
  }

  @Test
  void readsASliceOfALargerBuffer() throws IOException {
    byte[] rdb = resource(FIXTURE);
    byte[] framed = new byte[rdb.length + 10];
    System.arraycopy(rdb, 0, framed, 7, rdb.length);
    Collector c = new Collector();
    assertThat(RdbFileReader.read(framed, 7, 7 + rdb.length, c).keys()).isEqualTo(33);
    // Offsets in messages are from the file's start.
    framed[7 + rdb.length - 1] ^= 1;
    assertThatThrownBy(() -> RdbFileReader.read(framed, 7, 7 + rdb.length, new Collector()))
        .isInstanceOf(RdbFormatException.class).hasMessageStartingWith("RDB offset " + (rdb.length - 8) + ":");
  }

  // ---------------------------------------------------------------- Kaiware's own files

  /** Redis's keyspace, loaded into a Kaiware keyspace, written by RdbWriter and read back: the same keys. */
  @Test
  void rdbWriterFilesReadBackToTheSameKeyspace() throws IOException {
    Map<String, Read> expected = expected();
    Keyspace ks = new Keyspace();
    RdbFileReader.read(resource(FIXTURE), 0, resource(FIXTURE).length,
        (db, key, value, expireAtMs) -> ks.db(db).put(key, value, expireAtMs == -1 ? KeyTable.NO_EXPIRY : expireAtMs));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RdbWriter.Result written = RdbWriter.write(ks, 1_700_000_000_000L, out);
    assertThat(written.keysWritten()).isEqualTo(33);
    RdbFileReader.Summary[] summary = new RdbFileReader.Summary[1];
    Collector c = read(out.toByteArray(), summary);
    assertThat(summary[0]).isEqualTo(new RdbFileReader.Summary(10, 33, 4, 0, true));
    assertThat(c.keys.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Read want : expected.values()) {
      assertThat(c.keys.get(want.id())).as(want.id()).isEqualTo(want);
    }
  }
}

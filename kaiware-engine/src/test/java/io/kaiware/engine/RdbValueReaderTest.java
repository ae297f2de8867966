package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
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
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * RdbValueReader against DUMP payloads captured from a real Redis 7.0.15
 * (redis-7.0.15-dumps.tsv): every type in its small and large encodings, strings integer-encoded
 * and LZF-compressed, quicklist plain nodes, and the pre-7.0 encodings taken from the RDB files in
 * Redis's tests/assets (zipmap, ziplists, intsets, quicklist 1, zset with string scores) and
 * RESTOREd by that Redis to check them. Each line holds the value as Redis read it back (type and
 * elements in hex), which {@link #canonical} computes from Kaiware's value. The file is written by
 * src/test/redis/capture.py against a redis-server of one's own.
 */
class RdbValueReaderTest {

  private static final HexFormat HEX = HexFormat.of();

  record Captured(String name, byte[] payload, String expected, String redisEncoding) {}

  static Map<String, Captured> captured() throws IOException {
    Map<String, Captured> out = new LinkedHashMap<>();
    try (InputStream in = RdbValueReaderTest.class.getResourceAsStream("redis-7.0.15-dumps.tsv");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        out.put(f[0], new Captured(f[0], HEX.parseHex(f[1]), f[2], f[3]));
      }
    }
    return out;
  }

  /** The text capture.py builds from Redis's replies (TYPE, GET, LRANGE, SMEMBERS, ...), from a Kaiware value. */
  static String canonical(Object value) {
    return switch (value) {
      case byte[] s -> "string:" + HEX.formatHex(s);
      case ListValue l -> {
        List<String> e = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
          e.add(HEX.formatHex(l.get(i)));
        }
        yield "list:" + String.join(",", e);
      }
      case SetValue s -> {
        TreeSet<String> e = new TreeSet<>();
        for (int p = 0; p < s.capacity(); p++) {
          if (s.occupied(p)) {
            e.add(HEX.formatHex(s.memberAt(p)));
          }
        }
        yield "set:" + String.join(",", e);
      }
      case HashValue h -> {
        TreeSet<String> e = new TreeSet<>();
        h.forEach((f, v) -> e.add(HEX.formatHex(f) + "=" + HEX.formatHex(v)));
        yield "hash:" + String.join(",", e);
      }
      case SortedSet z -> {
        List<String> e = new ArrayList<>();
        for (SortedSet.Node n = z.first(); n != null; n = n.next()) {
          e.add(HEX.formatHex(n.member()) + "=" + Scores.format(n.score()));
        }
        yield "zset:" + String.join(",", e);
      }
      case StreamValue s -> {
        List<String> entries = new ArrayList<>();
        s.range(StreamId.MIN, StreamId.MAX, false, (ms, seq, fv) -> {
          List<String> parts = new ArrayList<>();
          for (byte[] b : fv) {
            parts.add(HEX.formatHex(b));
          }
          entries.add(new StreamId(ms, seq) + "[" + String.join(",", parts) + "]");
          return true;
        });
        String meta = "len=" + s.length() + " last=" + s.lastId() + " maxdel=" + s.maxDeletedId()
            + " added=" + s.entriesAdded() + " first=" + s.firstId();
        List<String> groups = new ArrayList<>();
        s.groups().forEach((name, g) -> {
          List<String> pel = new ArrayList<>();
          g.pel().forEach((id, nack) -> pel.add(id + "@" + HEX.formatHex(nack.consumer().name()) + "#" + nack.deliveryCount));
          TreeSet<String> consumers = new TreeSet<>();
          g.consumers().keySet().forEach(c -> consumers.add(HEX.formatHex(c)));
          groups.add(HEX.formatHex(name) + ":last=" + g.lastId + " read="
              + (g.entriesRead == StreamValue.INVALID_ENTRIES_READ ? "nil" : Long.toString(g.entriesRead))
              + " pel=[" + String.join(";", pel) + "] consumers=[" + String.join(";", consumers) + "]");
        });
        yield "stream:" + String.join(" ", entries) + " |" + meta + " |" + String.join(" ", groups);
      }
      default -> throw new IllegalArgumentException(value.getClass().toString());
    };
  }

  private static Object restore(byte[] payload) {
    assertThat(RdbValueReader.verifyPayload(payload)).isTrue();
    return RdbValueReader.decodePayload(payload);
  }

  @Test
  void everyCapturedPayloadReadsAsRedisReadsIt() throws IOException {
    Map<String, Captured> all = captured();
    assertThat(all).hasSizeGreaterThan(50);
    TreeSet<Integer> types = new TreeSet<>();
    for (Captured c : all.values()) {
      Object value = restore(c.payload());
      assertThat(value).as(c.name()).isNotNull();
      assertThat(canonical(value)).as(c.name()).isEqualTo(c.expected());
      types.add(c.payload()[0] & 0xff);
      // And back: Kaiware's DUMP of the value reads as the same value.
      byte[] again = RdbWriter.dumpPayload(value);
      assertThat(canonical(restore(again))).as(c.name() + " rewritten").isEqualTo(c.expected());
    }
    // Every type Redis 7.0 loads except modules: 0-5, 9-19.
    assertThat(types).containsExactly(0, 1, 2, 3, 4, 5, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
  }

  @Test
  void encodingsAreThoseRedisGaveTheLoadedValue() throws IOException {
    for (Captured c : captured().values()) {
      Object value = restore(c.payload());
      if (value instanceof CollectionValue cv && !(value instanceof ListValue) && !(value instanceof StreamValue)) {
        // Hashes: Kaiware's reader applies 128 entries (Redis's shipped config), the captured
        // Redis ran with its built-in 512; RESTORE applies the server's own limits anyway.
        if (!(value instanceof HashValue h && h.size() > ValueCodec.REDIS_MAX_COMPACT_ENTRIES)) {
          assertThat(cv.encoding()).as(c.name()).isEqualTo(c.redisEncoding());
        }
      }
    }
  }

  @Test
  void specificShapes() throws IOException {
    Map<String, Captured> all = captured();
    // Integer-encoded strings come back as their decimal text.
    assertThat(new String((byte[]) restore(all.get("str_int16").payload()), StandardCharsets.US_ASCII)).isEqualTo("1000");
    assertThat(all.get("str_int32").payload()[1] & 0xff).isEqualTo(0xC2);
    // LZF: 'a' x 200 is 0xC3, compressed and plain lengths, 24 bytes in all.
    assertThat(all.get("str_lzf").payload()[1] & 0xff).isEqualTo(0xC3);
    assertThat((byte[]) restore(all.get("str_lzf").payload())).isEqualTo("a".repeat(200).getBytes(StandardCharsets.US_ASCII));
    // A stream's deleted entry is a tombstone; the nodes split as Redis split them (100 entries).
    StreamValue big = (StreamValue) restore(all.get("stream_big").payload());
    assertThat(big.nodeCount()).isEqualTo(5);
    assertThat(big.length()).isEqualTo(450);
    StreamValue small = (StreamValue) restore(all.get("stream_small").payload());
    assertThat(small.get(new StreamId(1, 2))).isNull();
    assertThat(small.group("grp".getBytes(StandardCharsets.US_ASCII)).consumer("carol".getBytes(StandardCharsets.US_ASCII)).pel()).isEmpty();
    // A 6.x stream gets its first ID found and its counters derived as Redis derives them.
    StreamValue empty15 = (StreamValue) restore(all.get("stream_empty_type15").payload());
    assertThat(empty15.firstId()).isEqualTo(StreamId.MAX);
    // A list with plain nodes keeps its order.
    ListValue plain = (ListValue) restore(all.get("list_plain").payload());
    assertThat(plain.size()).isEqualTo(4);
    assertThat(plain.get(1)).isEqualTo("p".repeat(150).getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void streamNodesKeepTheirSizeEstimate() {
    StreamValue s = new StreamValue();
    for (int i = 1; i <= 250; i++) {
      s.append(new StreamId(i, 0), new byte[][] {"f".getBytes(), ("v" + i).getBytes()}, 4096, 100);
    }
    s.delete(new StreamId(5, 0));
    StreamValue back = (StreamValue) restore(RdbWriter.dumpPayload(s));
    assertThat(back.nodeCount()).isEqualTo(s.nodeCount());
    for (int i = 0; i < s.nodes().size(); i++) {
      assertThat(back.nodes().get(i).count).isEqualTo(s.nodes().get(i).count);
    }
    assertThat(canonical(back)).isEqualTo(canonical(s));
  }

  // ---------------------------------------------------------------- footer

  private static byte[] withFooter(byte[] typeAndValue, int version) {
    byte[] p = Arrays.copyOf(typeAndValue, typeAndValue.length + 10);
    p[typeAndValue.length] = (byte) version;
    p[typeAndValue.length + 1] = (byte) (version >>> 8);
    RdbWriter.Crc64 crc = new RdbWriter.Crc64();
    crc.update(p, 0, typeAndValue.length + 2);
    long c = crc.getValue();
    for (int i = 0; i < 8; i++) {
      p[typeAndValue.length + 2 + i] = (byte) (c >>> (8 * i));
    }
    return p;
  }

  @Test
  void footerIsVerifiedAsVerifyDumpPayload() throws IOException {
    byte[] p = captured().get("str_short").payload();
    assertThat(RdbValueReader.verifyPayload(p)).isTrue();
    byte[] body = Arrays.copyOf(p, p.length - 10);
    assertThat(RdbValueReader.verifyPayload(withFooter(body, 9))).isTrue(); // older versions load
    assertThat(RdbValueReader.verifyPayload(withFooter(body, 11))).isFalse(); // newer do not
    byte[] flipped = p.clone();
    flipped[2] ^= 1;
    assertThat(RdbValueReader.verifyPayload(flipped)).isFalse();
    byte[] zero = p.clone();
    Arrays.fill(zero, zero.length - 8, zero.length, (byte) 0);
    assertThat(RdbValueReader.verifyPayload(zero)).as("a zero CRC is no exemption in a DUMP payload").isFalse();
    assertThat(RdbValueReader.verifyPayload(new byte[9])).isFalse();
    // Bytes after the value are refused.
    byte[] trailing = Arrays.copyOf(body, body.length + 1);
    assertThat(RdbValueReader.decodePayload(withFooter(trailing, 10))).isNull();
  }

  // ---------------------------------------------------------------- LZF

  @Test
  void lzfLiteralsAndBackReferences() {
    // 3 literals "abc", then a back reference of 7 + 2 = 9 bytes at distance 3 (overlapping): "abcabcabcabc".
    byte[] in = {2, 'a', 'b', 'c', (byte) 0xE0, 0, 2};
    assertThat(new String(RdbValueReader.lzfDecompress(in, 0, 3 + 1, 3), StandardCharsets.US_ASCII)).isEqualTo("abc");
    byte[] in2 = {2, 'a', 'b', 'c', (byte) ((7 << 5) | 0), 2, 2};
    assertThat(new String(RdbValueReader.lzfDecompress(in2, 0, in2.length, 3 + 11), StandardCharsets.US_ASCII))
        .isEqualTo("abcabcabcabcab");
    byte[] shortRef = {0, 'x', (byte) ((1 << 5) | 0), 0}; // x, then 3 bytes from distance 1
    assertThat(new String(RdbValueReader.lzfDecompress(shortRef, 0, 4, 4), StandardCharsets.US_ASCII)).isEqualTo("xxxx");
  }

  @Test
  void lzfRefusesBadInput() {
    byte[] before = {(byte) ((1 << 5) | 0), 5}; // a reference before the start
    assertThat(decodeLzf(before, 3)).isNull();
    byte[] runOver = {5, 'a', 'b'}; // a literal run past the input
    assertThat(decodeLzf(runOver, 6)).isNull();
    byte[] tooLong = {0, 'a'}; // produces 1 byte, 2 declared
    assertThat(decodeLzf(tooLong, 2)).isNull();
    // A huge declared length with a tiny input: refused before anything is allocated.
    byte[] huge = HEX.parseHex("00c3" + "02" + "8100ffffffffffffff" + "0061");
    assertThat(RdbValueReader.read(0, huge, 1, huge.length)).isNull();
  }

  private static byte[] decodeLzf(byte[] compressed, int len) {
    byte[] p = new byte[3 + compressed.length];
    p[0] = (byte) 0xC3;
    p[1] = (byte) compressed.length;
    p[2] = (byte) len;
    System.arraycopy(compressed, 0, p, 3, compressed.length);
    return (byte[]) RdbValueReader.read(0, p, 0, p.length);
  }

  // ---------------------------------------------------------------- malformed input

  @Test
  void truncatedPayloadsAreRefused() throws IOException {
    for (Captured c : captured().values()) {
      byte[] body = Arrays.copyOf(c.payload(), c.payload().length - 10);
      int step = Math.max(1, body.length / 300);
      for (int cut = 1; cut < body.length; cut += step) {
        byte[] p = withFooter(Arrays.copyOf(body, cut), 10);
        assertThat(RdbValueReader.verifyPayload(p)).isTrue();
        Object v = RdbValueReader.decodePayload(p);
        if (v != null) {
          // Only a string can be cut into another valid value... and not even that: its length is declared.
          throw new AssertionError(c.name() + " cut at " + cut + " decoded as " + v);
        }
      }
    }
  }

  @Test
  void corruptedPayloadsNeverThrow() throws IOException {
    Random random = new Random(42);
    for (Captured c : captured().values()) {
      byte[] body = Arrays.copyOf(c.payload(), c.payload().length - 10);
      for (int round = 0; round < 200; round++) {
        byte[] b = body.clone();
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++) {
          int at = random.nextInt(b.length);
          b[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : b[at] ^ (1 << random.nextInt(8)));
        }
        Object v = RdbValueReader.decodePayload(withFooter(b, 10)); // null or a value, never an exception
        if (v != null) {
          RdbWriter.dumpPayload(v); // and a value that was accepted is whole
        }
      }
    }
  }

  @Test
  void hugeDeclaredCountsAreRefusedWithoutAllocating() {
    // A list of 2^32-1 elements, a set, a hash, a zset, a quicklist: each with one byte of data.
    for (int type : new int[] {1, 2, 3, 4, 5, 14, 18, 15, 19}) {
      byte[] p = HEX.parseHex(String.format("%02x80ffffffff00", type));
      assertThat(RdbValueReader.read(type, p, 1, p.length)).as("type %d", type).isNull();
    }
    // A listpack blob claiming 4 GB: the string length itself is bounded by the input.
    byte[] lp = HEX.parseHex("1080ffffffff00");
    assertThat(RdbValueReader.read(16, lp, 1, lp.length)).isNull();
    // Unknown types (modules, nonsense), and 7.2's listpack set and stream cut short.
    for (int type : new int[] {6, 7, 8, 20, 21, 255}) {
      byte[] p = {(byte) type, 0};
      assertThat(RdbValueReader.read(type, p, 1, p.length)).isNull();
    }
  }

  @Test
  void emptyCollectionsAndDuplicatesAreRefused() {
    // RDB_TYPE_LIST with 0 elements; RDB_TYPE_SET with "a" twice; RDB_TYPE_HASH with field "f" twice.
    assertThat(RdbValueReader.read(1, HEX.parseHex("00"), 0, 1)).isNull();
    byte[] set = HEX.parseHex("0201610161");
    assertThat(RdbValueReader.read(2, set, 0, set.length)).isNull();
    byte[] hash = HEX.parseHex("02016601760166017a");
    assertThat(RdbValueReader.read(4, hash, 0, hash.length)).isNull();
    // RDB_TYPE_ZSET_2 with a NaN score.
    byte[] zset = HEX.parseHex("0101610000000000f8ff7f");
    assertThat(RdbValueReader.read(5, zset, 0, zset.length)).isNull();
    byte[] zsetOk = HEX.parseHex("010161000000000000f03f");
    assertThat(canonical(RdbValueReader.read(5, zsetOk, 0, zsetOk.length))).isEqualTo("zset:61=1");
  }

  /**
   * Every payload Redis's corrupt-dump.tcl RESTOREs (its checksum made right, as the suite's
   * skip-checksum-validation does): none throws, and none is taken but the one the suite
   * restores successfully ("hash crash": a valid ziplist hash, 0 => 0, 1 => _1, 2 => 2).
   */
  @Test
  void redisCorruptDumpPayloadsAreRefused() throws IOException {
    List<String> accepted = new ArrayList<>();
    int n = 0;
    try (InputStream in = RdbValueReaderTest.class.getResourceAsStream("redis-7.0.15-corrupt-dump.tsv");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        byte[] p = HEX.parseHex(f[1]);
        Object v = RdbValueReader.decodePayload(withFooter(Arrays.copyOf(p, p.length - 10), 10));
        n++;
        if (v != null) {
          accepted.add(f[0]);
          assertThat(canonical(v)).isEqualTo("hash:30=30,31=5f31,32=32");
        }
      }
    }
    assertThat(n).isEqualTo(66);
    assertThat(accepted).containsExactly("corrupt payload: fuzzer findings - hash crash");
  }
}

package io.kaiware.command.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import io.kaiware.engine.ValueCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DUMP and RESTORE in Redis 7.0's payload: Redis's own payloads (captured from redis-server
 * 7.0.15) restore, Kaiware's DUMP has Redis's footer and layout, Kaiware's former payloads still
 * restore, and rankings and window counters keep Kaiware's.
 *
 * <p>{@link #exportForRedis} also writes target/kaiware-dumps.tsv: per case the commands that
 * built the value and Kaiware's DUMP of it, which kaiware-engine/src/test/redis/verify_kaiware.py
 * replays in a real Redis and RESTOREs there to compare the two values.
 */
class DumpCommandsTest {

  private static final HexFormat HEX = HexFormat.of();

  private final CommandHarness r = new CommandHarness();

  private static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static byte[] bytes(Object reply) {
    return ((String) reply).getBytes(StandardCharsets.ISO_8859_1);
  }

  private Object restore(String key, String hex, String... options) {
    List<String> args = new ArrayList<>(List.of("RESTORE", key, "0", latin1(HEX.parseHex(hex))));
    args.addAll(Arrays.asList(options));
    return r.exec(args.toArray(String[]::new));
  }

  @Test
  void redisPayloadsRestore() throws IOException {
    Map<String, String> redis = capturedRedisPayloads();
    assertThat(restore("s", redis.get("str_lzf"))).isEqualTo("OK");
    assertThat(r.exec("GET", "s")).isEqualTo("a".repeat(200));
    assertThat(restore("i", redis.get("str_int32"))).isEqualTo("OK");
    assertThat(r.exec("GET", "i")).isEqualTo("-100000");
    assertThat(restore("l", redis.get("list_small"))).isEqualTo("OK");
    assertThat(r.exec("LRANGE", "l", "0", "-1")).isEqualTo(List.of("a", "b", "c", "1", "2", "-3", ""));
    assertThat(restore("h", redis.get("hash_small"))).isEqualTo("OK");
    assertThat(r.exec("HGETALL", "h")).isEqualTo(List.of("name", "kaiware", "n", "42", "neg", "-7", "empty", "", "big", "99999999999"));
    assertThat(r.exec("OBJECT", "ENCODING", "h")).isEqualTo("listpack");
    assertThat(restore("hb", redis.get("hash_big"))).isEqualTo("OK");
    assertThat(r.exec("HLEN", "hb")).isEqualTo(600L);
    assertThat(r.exec("HGET", "hb", "field:599")).isEqualTo("value:599");
    assertThat(restore("z", redis.get("zset_small"))).isEqualTo("OK");
    assertThat(r.exec("ZSCORE", "z", "tenth")).isEqualTo("0.10000000000000001");
    assertThat(r.exec("ZRANGE", "z", "0", "0")).isEqualTo(List.of("ninf"));
    assertThat(restore("is", redis.get("set_intset64"))).isEqualTo("OK");
    assertThat(r.exec("OBJECT", "ENCODING", "is")).isEqualTo("intset");
    assertThat(r.exec("SMEMBERS", "is")).isEqualTo(List.of("-9223372036854775808", "1", "5000000000", "9223372036854775807"));
    assertThat(restore("zm", redis.get("asset_hash_zipmap_hash_type9"))).isEqualTo("OK");
    assertThat(r.exec("HGETALL", "zm")).isEqualTo(List.of("f1", "v1", "f2", "v2"));
    assertThat(restore("st", redis.get("stream_small"))).isEqualTo("OK");
    assertThat(r.exec("XLEN", "st")).isEqualTo(4L);
    assertThat(r.exec("XPENDING", "st", "grp")).isEqualTo(List.of(3L, "1-1", "3-0", List.of(List.of("alice", "2"), List.of("bob", "1"))));
    // The encodings follow the server's limits, as a Redis load decides them.
    r.exec("CONFIG", "SET", "set-max-intset-entries", "2");
    assertThat(restore("is2", redis.get("set_intset64"))).isEqualTo("OK");
    assertThat(r.exec("OBJECT", "ENCODING", "is2")).isEqualTo("hashtable");
    // Every captured payload restores and DUMPs back to something that restores to the same value.
    for (Map.Entry<String, String> e : redis.entrySet()) {
      assertThat(restore("all:" + e.getKey(), e.getValue())).as(e.getKey()).isEqualTo("OK");
      byte[] again = bytes(r.exec("DUMP", "all:" + e.getKey()));
      assertThat(r.exec(new byte[][] {"RESTORE".getBytes(), ("again:" + e.getKey()).getBytes(), "0".getBytes(), again}))
          .isEqualTo("OK");
      assertThat(r.exec("DEBUG", "DIGEST-VALUE", "all:" + e.getKey(), "again:" + e.getKey()))
          .satisfies(d -> assertThat(((List<?>) d).get(0)).isEqualTo(((List<?>) d).get(1)));
    }
  }

  /**
   * stream-cgroups.tcl, "Loading from legacy (Redis <= v6.2.x, rdb_ver < 10) persistence": a
   * stream DUMPed by Redis 5 (RDB_TYPE_STREAM_LISTPACKS, an LZF-compressed listpack) after XADD x
   * 1-0 .. 6-0, XDEL x 3-0, XGROUP CREATE x g1 0 / g2 0, XREADGROUP GROUP g1 c11 COUNT 4, XTRIM x
   * MAXLEN = 2. The counters Redis 7.0 derives on load are the test's.
   */
  @Test
  void legacyStreamFromRedisTestSuite() {
    String payload = "0f011000000000000000010000000000000000c3404a40571657000000230002010401010184646174610500010301002001"
          + "0381610204200a0001400a0062600a0002400a0063600a4022018164200a4039200a0065600a0005400a0066200a00ff0206"
          + "0002026731050004000000000000000100000000000000003ef783437a01000001000000000000000200000000000000003e"
          + "f783437a01000001000000000000000400000000000000003ef783437a01000001000000000000000500000000000000003e"
          + "f783437a0100000101036331313ef783437a0100000400000000000000010000000000000000000000000000000200000000"
          + "0000000000000000000000040000000000000000000000000000000500000000000000000267320000000009003d52ef6867"
          + "521dfa";
    assertThat(restore("x", payload)).isEqualTo("OK");
    assertThat(r.exec("XRANGE", "x", "-", "+")).isEqualTo(List.of(List.of("5-0", List.of("data", "e")), List.of("6-0", List.of("data", "f"))));
    List<?> info = (List<?>) r.exec("XINFO", "STREAM", "x");
    assertThat(info.get(info.indexOf("max-deleted-entry-id") + 1)).isEqualTo("0-0");
    assertThat(info.get(info.indexOf("entries-added") + 1)).isEqualTo(2L);
    List<?> groups = (List<?>) r.exec("XINFO", "GROUPS", "x");
    List<?> g1 = (List<?>) groups.get(0);
    List<?> g2 = (List<?>) groups.get(1);
    assertThat(g1.get(g1.indexOf("entries-read") + 1)).isEqualTo(1L);
    assertThat(g1.get(g1.indexOf("lag") + 1)).isEqualTo(1L);
    assertThat(g2.get(g2.indexOf("entries-read") + 1)).isEqualTo(0L);
    assertThat(g2.get(g2.indexOf("lag") + 1)).isEqualTo(2L);
    assertThat(r.exec("XPENDING", "x", "g1")).isEqualTo(List.of(4L, "1-0", "5-0", List.of(List.of("c11", "4"))));
  }

  /** name -> payload hex, from kaiware-engine's test resource (the payloads Redis 7.0.15 DUMPed). */
  static Map<String, String> capturedRedisPayloads() throws IOException {
    Path tsv = Path.of("..", "kaiware-engine", "src", "test", "resources", "io", "kaiware", "engine", "redis-7.0.15-dumps.tsv");
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(tsv, StandardCharsets.US_ASCII)) {
      if (!line.startsWith("#")) {
        String[] f = line.split("\t");
        out.put(f[0], f[1]);
      }
    }
    return out;
  }

  @Test
  void dumpWritesRedisPayloads() {
    r.exec("SET", "k", "hello");
    byte[] p = bytes(r.exec("DUMP", "k"));
    // RDB_TYPE_STRING, "hello", RDB version 10, CRC-64 (Redis 7.0.15 DUMPs exactly these bytes).
    assertThat(HEX.formatHex(p)).startsWith("000568656c6c6f0a00").isEqualTo(capturedString("str_short"));
    r.exec("SET", "n", "-100000");
    assertThat(HEX.formatHex(bytes(r.exec("DUMP", "n")))).isEqualTo(capturedString("str_int32"));
    r.exec("RPUSH", "l", "a", "bc");
    assertThat(HEX.formatHex(bytes(r.exec("DUMP", "l"))).substring(0, 18)).isEqualTo("010201610262630a00");
    r.exec("SADD", "s", "1");
    assertThat(bytes(r.exec("DUMP", "s"))[0]).isEqualTo((byte) 2);
    r.exec("HSET", "h", "f", "v");
    assertThat(bytes(r.exec("DUMP", "h"))[0]).isEqualTo((byte) 4);
    r.exec("ZADD", "z", "1", "m");
    assertThat(bytes(r.exec("DUMP", "z"))[0]).isEqualTo((byte) 5);
    r.exec("XADD", "x", "1-1", "f", "v");
    assertThat(bytes(r.exec("DUMP", "x"))[0]).isEqualTo((byte) 19);
    // Kaiware's own types keep Kaiware's payload (tag 16 / 17, version 1, CRC-32C).
    r.exec("WINDOW.INCRBY", "w", "1", "WINDOW", "10000");
    byte[] w = bytes(r.exec("DUMP", "w"));
    assertThat(w[0]).isEqualTo((byte) ValueCodec.TYPE_WINDOW_COUNTER);
    assertThat(w[w.length - 6]).isEqualTo((byte) 1);
  }

  private static String capturedString(String name) {
    try {
      return capturedRedisPayloads().get(name);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void formerKaiwarePayloadsStillRestore() {
    // As docs/commands/dump-format.md documented them: SET k hello; RPUSH k a bc.
    assertThat(restore("s", kaiware("000568656c6c6f0100"))).isEqualTo("OK");
    assertThat(r.exec("GET", "s")).isEqualTo("hello");
    assertThat(restore("l", kaiware("030201610262630100"))).isEqualTo("OK");
    assertThat(r.exec("LRANGE", "l", "0", "-1")).isEqualTo(List.of("a", "bc"));
    // Every type as ValueCodec wrote it.
    r.exec("HSET", "h", "f", "v", "g", "w");
    r.exec("ZADD", "z", "1.5", "m", "-2", "n");
    r.exec("SADD", "si", "1", "2");
    r.exec("SADD", "ss", "a", "2");
    r.exec("XADD", "x", "1-1", "f", "v");
    r.exec("XGROUP", "CREATE", "x", "g", "0");
    r.exec("XREADGROUP", "GROUP", "g", "c", "STREAMS", "x", ">");
    for (String key : List.of("h", "z", "si", "ss", "x", "l")) {
      Object value = r.keyspace().db(0).get(key.getBytes(), r.nowMs());
      byte[] old = DumpCommands.encodeKaiware(value);
      assertThat(old[0]).isNotIn((byte) 0x0a); // Kaiware's tags, not RDB's
      assertThat(r.exec(new byte[][] {"RESTORE".getBytes(), ("old:" + key).getBytes(), "0".getBytes(), old})).as(key).isEqualTo("OK");
      assertThat(r.exec("DEBUG", "DIGEST-VALUE", key, "old:" + key))
          .satisfies(d -> assertThat(((List<?>) d).get(0)).isEqualTo(((List<?>) d).get(1)));
    }
    // A corrupted one is refused on its checksum.
    byte[] bad = HEX.parseHex(kaiware("000568656c6c6f0100"));
    bad[2] ^= 1;
    assertThat(r.exec(new byte[][] {"RESTORE".getBytes(), "bad".getBytes(), "0".getBytes(), bad}))
        .isEqualTo(new Err("ERR DUMP payload version or checksum are wrong"));
  }

  /** {@code bodyAndVersion} with Kaiware's CRC-32C appended, as hex. */
  private static String kaiware(String bodyAndVersion) {
    byte[] b = HEX.parseHex(bodyAndVersion);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(b);
    long c = crc.getValue();
    byte[] out = Arrays.copyOf(b, b.length + 4);
    for (int i = 0; i < 4; i++) {
      out[b.length + i] = (byte) (c >>> (8 * i));
    }
    return HEX.formatHex(out);
  }

  @Test
  void badPayloads() throws IOException {
    String list = capturedRedisPayloads().get("list_small");
    byte[] p = HEX.parseHex(list);
    // A wrong checksum, a newer RDB version: the footer is refused.
    byte[] crc = p.clone();
    crc[crc.length - 1] ^= 1;
    assertThat(r.exec(new byte[][] {"RESTORE".getBytes(), "k".getBytes(), "0".getBytes(), crc}))
        .isEqualTo(new Err("ERR DUMP payload version or checksum are wrong"));
    byte[] v11 = redisFooter(Arrays.copyOf(p, p.length - 10), 11);
    assertThat(r.exec(new byte[][] {"RESTORE".getBytes(), "k".getBytes(), "0".getBytes(), v11}))
        .isEqualTo(new Err("ERR DUMP payload version or checksum are wrong"));
    // A good footer around a bad body: Bad data format, nothing created.
    byte[] truncated = redisFooter(Arrays.copyOf(p, p.length - 14), 10);
    assertThat(r.exec(new byte[][] {"RESTORE".getBytes(), "k".getBytes(), "0".getBytes(), truncated}))
        .isEqualTo(new Err("ERR Bad data format"));
    byte[] module = redisFooter(new byte[] {7, 0}, 10);
    assertThat(r.exec(new byte[][] {"RESTORE".getBytes(), "k".getBytes(), "0".getBytes(), module}))
        .isEqualTo(new Err("ERR Bad data format"));
    // Redis's corrupt-dump.tcl (the checksums are right): a hash ziplist with a bad entry length,
    // a quicklist whose node is empty, a listpack entry starting with EOF.
    for (String hex : List.of(
        "0d1b1b00000016000000040000026100040262000414630004026400ff0900d910549215f55f52",
        "120101000a008fc6c0571c0ab33c",
        "1201020b0b0000000100816102ffff0a007ed8de5b0dd770b8")) {
      assertThat(r.exec(new byte[][] {"RESTORE".getBytes(), "k".getBytes(), "0".getBytes(), HEX.parseHex(hex)}))
          .isEqualTo(new Err("ERR Bad data format"));
    }
    assertThat(r.exec("EXISTS", "k")).isEqualTo(0L);
  }

  private static byte[] redisFooter(byte[] typeAndValue, int version) {
    byte[] p = Arrays.copyOf(typeAndValue, typeAndValue.length + 10);
    p[typeAndValue.length] = (byte) version;
    p[typeAndValue.length + 1] = (byte) (version >>> 8);
    long c = crc64(p, typeAndValue.length + 2);
    for (int i = 0; i < 8; i++) {
      p[typeAndValue.length + 2 + i] = (byte) (c >>> (8 * i));
    }
    return p;
  }

  /** Redis's CRC-64 (Jones, reflected), bit by bit. */
  private static long crc64(byte[] b, int len) {
    long poly = Long.reverse(0xad93d23594c935a9L);
    long crc = 0;
    for (int i = 0; i < len; i++) {
      crc ^= b[i] & 0xff;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
      }
    }
    return crc;
  }

  // ---------------------------------------------------------------- for Redis

  /** Key "K" built by these commands, in every encoding Redis has for its type. */
  static Map<String, List<String[]>> exportCases() {
    Map<String, List<String[]>> c = new LinkedHashMap<>();
    c.put("str_short", List.<String[]>of(new String[] {"SET", "K", "hello"}));
    c.put("str_int", List.<String[]>of(new String[] {"SET", "K", "-123456"}));
    c.put("str_int64", List.<String[]>of(new String[] {"SET", "K", "9223372036854775807"}));
    c.put("str_lzf_able", List.<String[]>of(new String[] {"SET", "K", "a".repeat(300)}));
    StringBuilder bin = new StringBuilder();
    for (int i = 0; i < 256; i++) {
      bin.append((char) i);
    }
    c.put("str_bin", List.<String[]>of(new String[] {"SET", "K", bin.toString()}));
    c.put("list_small", List.<String[]>of(new String[] {"RPUSH", "K", "a", "1", "-7", "", "x".repeat(100)}));
    c.put("list_big", List.<String[]>of(cmd("RPUSH", "K", 2000, i -> "element-" + i)));
    c.put("set_intset", List.<String[]>of(new String[] {"SADD", "K", "1", "-5", "70000", "5000000000"}));
    c.put("set_strs", List.<String[]>of(new String[] {"SADD", "K", "a", "b", "3"}));
    c.put("set_big", List.<String[]>of(cmd("SADD", "K", 1000, i -> Integer.toString(i * 7))));
    c.put("hash_small", List.<String[]>of(new String[] {"HSET", "K", "name", "kaiware", "n", "42", "empty", ""}));
    c.put("hash_big", List.<String[]>of(pairs("HSET", 600, true)));
    c.put("hash_long", List.<String[]>of(new String[] {"HSET", "K", "a", "v".repeat(100)}));
    c.put("zset_small", List.<String[]>of(new String[] {"ZADD", "K", "1", "one", "2.5", "two", "-inf", "ninf", "+inf", "inf", "0.1", "tenth"}));
    c.put("zset_big", List.<String[]>of(pairs("ZADD", 300, false)));
    c.put("zset_long", List.<String[]>of(new String[] {"ZADD", "K", "1", "m".repeat(100), "2", "x"}));
    c.put("stream_small", List.of(
        new String[] {"XADD", "K", "1-1", "f", "v1", "g", "w1"},
        new String[] {"XADD", "K", "1-2", "f", "v2", "g", "w2"},
        new String[] {"XADD", "K", "2-0", "other", "x"},
        new String[] {"XADD", "K", "3-0", "f", "v3", "g", "w3"},
        new String[] {"XDEL", "K", "1-2"},
        new String[] {"XGROUP", "CREATE", "K", "grp", "0"},
        new String[] {"XGROUP", "CREATE", "K", "idle", "$"},
        new String[] {"XREADGROUP", "GROUP", "grp", "alice", "COUNT", "2", "STREAMS", "K", ">"},
        new String[] {"XREADGROUP", "GROUP", "grp", "bob", "STREAMS", "K", ">"},
        new String[] {"XGROUP", "CREATECONSUMER", "K", "grp", "carol"}));
    List<String[]> big = new ArrayList<>();
    for (int i = 1; i <= 500; i++) {
      big.add(new String[] {"XADD", "K", (1000 + i) + "-0", "field", "value-" + i});
    }
    big.add(new String[] {"XDEL", "K", "1007-0", "1300-0"});
    big.add(new String[] {"XTRIM", "K", "MAXLEN", "450"});
    big.add(new String[] {"XGROUP", "CREATE", "K", "g", "1100-0"});
    c.put("stream_big", big);
    c.put("stream_empty", List.of(
        new String[] {"XADD", "K", "5-5", "a", "b"},
        new String[] {"XDEL", "K", "5-5"},
        new String[] {"XGROUP", "CREATE", "K", "g", "$"}));
    return c;
  }

  private static String[] cmd(String name, String key, int n, java.util.function.IntFunction<String> member) {
    String[] a = new String[2 + n];
    a[0] = name;
    a[1] = key;
    for (int i = 0; i < n; i++) {
      a[2 + i] = member.apply(i);
    }
    return a;
  }

  /** Pairs: HSET field value (hash), or ZADD score member (zset). */
  private static String[] pairs(String name, int n, boolean hash) {
    String[] a = new String[2 + 2 * n];
    a[0] = name;
    a[1] = "K";
    for (int i = 0; i < n; i++) {
      a[2 + 2 * i] = hash ? "field:" + i : Double.toString(i * 0.25);
      a[3 + 2 * i] = hash ? "value:" + i : "member:" + i;
    }
    return a;
  }

  @Test
  void exportForRedis() throws IOException {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, List<String[]>> e : exportCases().entrySet()) {
      CommandHarness h = new CommandHarness();
      List<String> commands = new ArrayList<>();
      for (String[] command : e.getValue()) {
        Object reply = h.exec(command);
        assertThat(reply).as(e.getKey() + " " + command[0]).isNotInstanceOf(Err.class);
        List<String> hex = new ArrayList<>();
        for (String arg : command) {
          hex.add(HEX.formatHex(arg.getBytes(StandardCharsets.ISO_8859_1)));
        }
        commands.add(String.join(",", hex));
      }
      byte[] payload = bytes(h.exec("DUMP", "K"));
      assertThat(payload[payload.length - 10]).as(e.getKey()).isEqualTo((byte) 10); // Redis's footer
      // Kaiware reads its own DUMP back to the same value.
      assertThat(h.exec(new byte[][] {"RESTORE".getBytes(), "R".getBytes(), "0".getBytes(), payload})).isEqualTo("OK");
      assertThat(h.exec("DEBUG", "DIGEST-VALUE", "K", "R"))
          .satisfies(d -> assertThat(((List<?>) d).get(0)).as(e.getKey()).isEqualTo(((List<?>) d).get(1)));
      out.append(e.getKey()).append('\t').append(HEX.formatHex(payload)).append('\t').append(String.join(";", commands)).append('\n');
    }
    Path target = Path.of("target", "kaiware-dumps.tsv");
    Files.createDirectories(target.getParent());
    Files.writeString(target, out.toString(), StandardCharsets.US_ASCII);
  }
}

package io.kaiware.command.hll;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PFADD, PFCOUNT, PFMERGE and PFDEBUG. The expected bytes, SHA-1s and counts were captured from a
 * real Redis 7.0.15 (redis-cli, EVAL returning the hex or redis.sha1hex of GET) for the same commands.
 */
class HllCommandsTest {

  private static final Err NOT_HLL = new Err("WRONGTYPE Key is not a valid HyperLogLog string value.");
  private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");
  private static final Err CORRUPT = new Err("INVALIDOBJ Corrupted HLL object detected");
  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
  }

  private String hex(String key) {
    return HexFormat.of().formatHex(((String) r.exec("GET", key)).getBytes(StandardCharsets.ISO_8859_1));
  }

  private String sha1(String key) throws Exception {
    byte[] value = ((String) r.exec("GET", key)).getBytes(StandardCharsets.ISO_8859_1);
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(value));
  }

  private static String unhex(String hex) {
    return new String(HexFormat.of().parseHex(hex), StandardCharsets.ISO_8859_1);
  }

  /** PFADD key prefix0 ... prefix(n-1), in one command. */
  private Object pfaddRange(String key, String prefix, int n) {
    List<String> args = new ArrayList<>(List.of("PFADD", key));
    for (int i = 0; i < n; i++) {
      args.add(prefix + i);
    }
    return r.exec(args.toArray(String[]::new));
  }

  @Test
  void murmurHash64aMatchesRedis() {
    // Redis's sparse bytes for a, b, c below decode to registers 8436 (1), 12711 (2), 15780 (1).
    assertThat(HyperLogLog.patLen("a".getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(2L << 32 | 12711);
  }

  @Test
  void pfaddWithoutElementsCreatesAnEmptySparseHll() {
    assertThat(r.exec("PFADD", "h")).isEqualTo(1L);
    assertThat(hex("h")).isEqualTo("48594c4c0100000000000000000000807fff");
    assertThat(r.exec("PFCOUNT", "h")).isEqualTo(0L);
    assertThat(r.exec("PFADD", "h")).isEqualTo(0L);
    assertThat(r.exec("PFDEBUG", "ENCODING", "h")).isEqualTo("sparse");
  }

  @Test
  void sparseBytesAndCountsMatchRedis() {
    assertThat(r.exec("PFADD", "h1", "a", "b", "c")).isEqualTo(1L);
    assertThat(hex("h1")).isEqualTo("48594c4c01000000000000000000008060f38050b1844bfb80425a");
    assertThat(r.exec("PFCOUNT", "h1")).isEqualTo(3L);
    assertThat(r.exec("PFADD", "h1", "a", "b", "c")).isEqualTo(0L);
    assertThat(r.exec("PFDEBUG", "DECODE", "h1")).isEqualTo("Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603");
    // Every MurmurHash64A tail length (0-7 bytes after the 8-byte blocks).
    r.exec("PFADD", "h2", "", "x", "xy", "xyz", "xyzw", "xyzwv", "xyzwvu", "xyzwvut", "xyzwvuts", "xyzwvutsr", "hello world 123");
    assertThat(hex("h2")).isEqualTo(
        "48594c4c0100000000000000000000804b72984bbd84409f80417184421b8045b188482688462884413d8049338046188408");
    assertThat(r.exec("PFCOUNT", "h2")).isEqualTo(11L);
  }

  @Test
  void largerSparseAndDenseMatchRedis() throws Exception {
    pfaddRange("h3", "e", 200);
    assertThat(r.exec("PFDEBUG", "ENCODING", "h3")).isEqualTo("sparse");
    assertThat(r.exec("STRLEN", "h3")).isEqualTo(513L);
    assertThat(sha1("h3")).isEqualTo("5fd07f80046e426606d132cce7cc68ed6ce9601d");
    assertThat(r.exec("PFCOUNT", "h3")).isEqualTo(200L);

    pfaddRange("h6", "k", 1000);
    assertThat(r.exec("PFDEBUG", "ENCODING", "h6")).isEqualTo("sparse");
    assertThat(r.exec("STRLEN", "h6")).isEqualTo(1902L);
    assertThat(sha1("h6")).isEqualTo("0c0fa5c437247a15c381e8a3d17de6a97f66576e");
    assertThat(r.exec("PFCOUNT", "h6")).isEqualTo(998L);

    pfaddRange("h4", "e", 5000); // promoted past hll-sparse-max-bytes (3000)
    assertThat(r.exec("PFDEBUG", "ENCODING", "h4")).isEqualTo("dense");
    assertThat(r.exec("STRLEN", "h4")).isEqualTo(12304L);
    assertThat(sha1("h4")).isEqualTo("21f2bcbf124c89c42b46e149b5d2218e30c42fd1");
    assertThat(r.exec("PFCOUNT", "h4")).isEqualTo(4968L);
    assertThat(r.exec("PFCOUNT", "h1", "h4", "nokey")).isEqualTo(0L + (Long) r.exec("PFCOUNT", "h4", "nokey") + 0L)
        .isEqualTo(4968L); // h1 is empty here
  }

  @Test
  void pfcountOfSeveralKeysAndPfmergeMatchRedis() throws Exception {
    r.exec("PFADD", "h1", "a", "b", "c");
    r.exec("PFADD", "h2", "", "x", "xy", "xyz", "xyzw", "xyzwv", "xyzwvu", "xyzwvut", "xyzwvuts", "xyzwvutsr", "hello world 123");
    pfaddRange("h3", "e", 200);
    pfaddRange("h4", "e", 5000);
    pfaddRange("h7", "k", 300);
    assertThat(r.exec("PFCOUNT", "h1", "h2", "h3")).isEqualTo(214L);
    assertThat(r.exec("PFCOUNT", "h1", "h4", "nokey")).isEqualTo(4972L);

    assertThat(r.exec("PFMERGE", "m1", "h1", "h2")).isEqualTo("OK");
    assertThat(r.exec("PFDEBUG", "ENCODING", "m1")).isEqualTo("sparse"); // 7.0.15 keeps all-sparse merges sparse
    assertThat(hex("m1")).isEqualTo("48594c4c0100000000000000000000804b72984bbd84409f80417184421b80458f802088482688462884413d8040fe8448338043c68042508408");
    assertThat(r.exec("PFCOUNT", "m1")).isEqualTo(14L);

    r.exec("PFMERGE", "m2", "h3", "h4");
    assertThat(r.exec("PFDEBUG", "ENCODING", "m2")).isEqualTo("dense");
    assertThat(sha1("m2")).isEqualTo("21f2bcbf124c89c42b46e149b5d2218e30c42fd1");

    r.exec("PFMERGE", "m3", "h7", "h3");
    assertThat(r.exec("STRLEN", "m3")).isEqualTo(1049L);
    assertThat(sha1("m3")).isEqualTo("54f4a407db461410116adfaead646d13cdac361d");
    assertThat(r.exec("PFCOUNT", "m3")).isEqualTo(496L);
  }

  @Test
  void hllSparseMaxBytesPromotesEarlier() throws Exception {
    assertThat(r.exec("CONFIG", "GET", "hll-sparse-max-bytes")).isEqualTo(List.of("hll-sparse-max-bytes", "3000"));
    assertThat(r.exec("CONFIG", "SET", "hll-sparse-max-bytes", "30")).isEqualTo("OK");
    r.exec("PFADD", "h5", "a", "b", "c", "d", "e", "f", "g", "h");
    assertThat(r.exec("PFDEBUG", "ENCODING", "h5")).isEqualTo("dense");
    assertThat(sha1("h5")).isEqualTo("50f4fc3885b84e751425acf2aac795283d0f6ebf");
    assertThat(r.exec("PFCOUNT", "h5")).isEqualTo(8L);
  }

  @Test
  void pfcountIsAReadAndNeverStoresTheCache() {
    r.exec("PFADD", "h", "a", "b", "c");
    String before = hex("h");
    assertThat(r.exec("PFCOUNT", "h")).isEqualTo(3L);
    assertThat(hex("h")).isEqualTo(before); // Redis would clear the stale bit and store 3 here
    assertThat(before.substring(30, 32)).isEqualTo("80");
    // A valid cache (as Redis leaves it after PFCOUNT) is answered as is.
    r.exec("SET", "c", unhex("48594c4c01000000030000000000000060f38050b1844bfb80425a"));
    assertThat(r.exec("PFCOUNT", "c")).isEqualTo(3L);
    r.exec("SET", "c", unhex("48594c4c01000000090000000000000060f38050b1844bfb80425a"));
    assertThat(r.exec("PFCOUNT", "c")).isEqualTo(9L); // the cache is trusted, as Redis does
    assertThat(r.exec("PFADD", "c", "a")).isEqualTo(0L);
    assertThat(hex("c")).isEqualTo("48594c4c01000000090000000000000060f38050b1844bfb80425a");
  }

  @Test
  void typeAndCorruptionErrorsMatchRedis() {
    r.exec("SET", "s", "foo");
    assertThat(r.exec("PFADD", "s", "1")).isEqualTo(NOT_HLL);
    assertThat(r.exec("PFCOUNT", "s")).isEqualTo(NOT_HLL);
    assertThat(r.exec("PFMERGE", "s", "h1")).isEqualTo(NOT_HLL);
    assertThat(r.exec("PFMERGE", "d", "s")).isEqualTo(NOT_HLL);
    assertThat(r.exec("EXISTS", "d")).isEqualTo(0L);
    r.exec("HSET", "hh", "f", "v");
    assertThat(r.exec("PFADD", "hh", "1")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("PFCOUNT", "hh")).isEqualTo(WRONGTYPE);

    r.exec("PFADD", "c1", "a", "b", "c");
    r.exec("APPEND", "c1", "hello");
    assertThat(r.exec("PFCOUNT", "c1")).isEqualTo(CORRUPT);
    assertThat(r.exec("PFCOUNT", "c1", "c1")).isEqualTo(CORRUPT);
    assertThat(r.exec("PFADD", "c1", "zzz")).isEqualTo(1L); // as Redis: the register lies before the garbage
    assertThat(r.exec("PFMERGE", "c2", "c1")).isEqualTo(CORRUPT);

    // A VAL past the 16384th register (the CVE-2025-32023 checks), as Debian's patched 7.0.15 answers.
    r.exec("PFADD", "t");
    r.exec("APPEND", "t", "\u0080");
    assertThat(r.exec("PFCOUNT", "t", "nokey")).isEqualTo(CORRUPT);
    assertThat(r.exec("PFCOUNT", "t")).isEqualTo(CORRUPT);
    assertThat(r.exec("PFMERGE", "t2", "t")).isEqualTo(CORRUPT);
    assertThat(r.exec("PFADD", "t", "a")).isEqualTo(1L);

    r.exec("PFADD", "m", "a");
    r.exec("SETRANGE", "m", "0", "0123");
    assertThat(r.exec("PFCOUNT", "m")).isEqualTo(NOT_HLL);
    r.exec("DEL", "m");
    r.exec("PFADD", "m", "a");
    r.exec("SETRANGE", "m", "4", "x");
    assertThat(r.exec("PFCOUNT", "m")).isEqualTo(NOT_HLL);
    r.exec("SETRANGE", "m", "4", "\u0000"); // dense of the wrong length
    assertThat(r.exec("PFCOUNT", "m")).isEqualTo(NOT_HLL);

    assertThat(r.exec("PFADD")).isEqualTo(new Err("ERR wrong number of arguments for 'pfadd' command"));
    assertThat(r.exec("PFDEBUG", "x")).isEqualTo(new Err("ERR wrong number of arguments for 'pfdebug' command"));
    assertThat(r.exec("PFSELFTEST", "x")).isEqualTo(new Err("ERR wrong number of arguments for 'pfselftest' command"));
  }

  @Test
  void pfdebugSubcommands() {
    r.exec("PFADD", "h", "a", "b", "c");
    assertThat(r.exec("PFDEBUG", "FOO", "h")).isEqualTo(new Err("ERR Unknown PFDEBUG subcommand 'FOO'"));
    assertThat(r.exec("PFDEBUG", "encoding", "nokey")).isEqualTo(new Err("ERR The specified key does not exist"));
    assertThat(r.exec("PFDEBUG", "TODENSE", "h")).isEqualTo(1L);
    assertThat(r.exec("PFDEBUG", "TODENSE", "h")).isEqualTo(0L);
    assertThat(r.exec("STRLEN", "h")).isEqualTo(12304L);
    assertThat(r.exec("PFDEBUG", "DECODE", "h")).isEqualTo(new Err("ERR HLL encoding is not sparse"));
    assertThat(r.exec("PFCOUNT", "h")).isEqualTo(3L);
    r.exec("PFADD", "g", "a", "b", "c");
    @SuppressWarnings("unchecked")
    List<Long> regs = (List<Long>) r.exec("PFDEBUG", "GETREG", "g");
    assertThat(regs).hasSize(16384);
    assertThat(regs.get(8436)).isEqualTo(1L);
    assertThat(regs.get(12711)).isEqualTo(2L);
    assertThat(regs.stream().mapToLong(Long::longValue).sum()).isEqualTo(4L);
    assertThat(r.exec("PFDEBUG", "ENCODING", "g")).isEqualTo("dense"); // GETREG converts, as Redis
  }

  @Test
  void sparseAndDenseAgreeAndKeepTheTtl() {
    for (int round = 0; round < 30; round++) {
      r.exec("DEL", "s", "d", "sd");
      r.exec("PFADD", "d");
      r.exec("PFDEBUG", "TODENSE", "d");
      int n = round * 7;
      pfaddRange("s", "r" + round + "-", n);
      pfaddRange("d", "r" + round + "-", n);
      assertThat(r.exec("PFDEBUG", "ENCODING", "s")).isEqualTo("sparse");
      assertThat(r.exec("PFCOUNT", "s")).isEqualTo(r.exec("PFCOUNT", "d"));
      r.exec("PFMERGE", "sd", "s");
      assertThat(r.exec("PFCOUNT", "sd", "d")).isEqualTo(r.exec("PFCOUNT", "d"));
    }
    r.exec("PEXPIRE", "s", "5000");
    r.exec("PFADD", "s", "new-element-1", "new-element-2");
    r.exec("PFMERGE", "s", "d");
    assertThat(r.exec("PTTL", "s")).isEqualTo(5000L);
  }

  @Test
  void pfaddThatChangesNothingDoesNotDirtyAWatch() {
    r.exec("PFADD", "h", "a");
    r.exec("WATCH", "h");
    r.exec("PFADD", "h", "a");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNotNull();
    r.exec("WATCH", "h");
    r.exec("PFADD", "h", "b");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNull();
  }

  @Test
  void storedValuesAreNeverMutated() {
    r.exec("PFADD", "h", "a");
    String before = (String) r.exec("GET", "h");
    byte[] stored = (byte[]) r.keyspace().db(0).get("h".getBytes(StandardCharsets.ISO_8859_1), r.nowMs());
    byte[] copy = stored.clone();
    r.exec("PFADD", "h", "b", "c");
    r.exec("PFMERGE", "h", "h");
    r.exec("PFDEBUG", "TODENSE", "h");
    assertThat(stored).isEqualTo(copy);
    assertThat(r.exec("GET", "h")).isNotEqualTo(before);
  }

  @Test
  void selfTestAndCommandDeclarations() {
    assertThat(r.exec("PFSELFTEST")).isEqualTo("OK");
    assertThat(r.exec("COMMAND", "GETKEYS", "PFMERGE", "d", "a", "b")).isEqualTo(List.of("d", "a", "b"));
    assertThat(r.exec("COMMAND", "GETKEYS", "PFDEBUG", "GETREG", "k")).isEqualTo(List.of("k"));
    @SuppressWarnings("unchecked")
    List<Object> info = (List<Object>) ((List<Object>) r.exec("COMMAND", "INFO", "PFCOUNT")).get(0);
    assertThat(info.subList(0, 2)).isEqualTo(List.of("pfcount", -2L));
    assertThat(info.get(6)).isEqualTo(List.of("@read", "@hyperloglog", "@slow"));
  }
}

package io.kaiware.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OBJECT ENCODING of hashes and sorted sets follows Redis 7.0's listpack rules and knobs. */
class CompactEncodingsTest {

  private final CommandHarness r = new CommandHarness();

  @Test
  void hashesAreListpackUntilALimitIsPassedAndNeverComeBack() {
    r.exec("HSET", "h", "tmp", "17179869184");
    assertThat(r.exec("OBJECT", "ENCODING", "h")).isEqualTo("listpack");
    r.exec("HSET", "h", "long", "x".repeat(65));
    assertThat(r.exec("OBJECT", "ENCODING", "h")).isEqualTo("hashtable");
    r.exec("HDEL", "h", "long");
    assertThat(r.exec("OBJECT", "ENCODING", "h")).isEqualTo("hashtable");
    for (int i = 0; i < 128; i++) {
      r.exec("HSET", "big", "f" + i, "v");
    }
    assertThat(r.exec("OBJECT", "ENCODING", "big")).isEqualTo("listpack");
    r.exec("HINCRBY", "big", "f128", "1");
    assertThat(r.exec("OBJECT", "ENCODING", "big")).isEqualTo("hashtable");
    r.exec("HSETNX", "n", "a", "1");
    r.exec("HSETNX", "n", "a", "y".repeat(100)); // not set, but Redis converts on the lengths first
    assertThat(r.exec("OBJECT", "ENCODING", "n")).isEqualTo("hashtable");
  }

  @Test
  void aCompactHashAnswersInInsertionOrderAsARedisListpackDoes() {
    // tests/unit/type/hash.tcl "Hash ziplist of various encodings": fields come back as written.
    String[] fields = {"ZIP_INT_8B", "ZIP_INT_16B", "ZIP_INT_32B", "ZIP_INT_64B", "ZIP_INT_IMM_MIN", "ZIP_INT_IMM_MAX"};
    for (String f : fields) {
      r.exec("HSET", "h", f, "1");
    }
    r.exec("HSET", "h", "ZIP_INT_16B", "2"); // an update keeps its place
    r.exec("HDEL", "h", "ZIP_INT_32B");
    r.exec("HSET", "h", "ZIP_INT_32B", "3"); // deleted and written again: at the end
    List<String> expected = List.of("ZIP_INT_8B", "ZIP_INT_16B", "ZIP_INT_64B", "ZIP_INT_IMM_MIN", "ZIP_INT_IMM_MAX", "ZIP_INT_32B");
    assertThat(r.exec("HKEYS", "h")).isEqualTo(expected);
    assertThat(r.exec("HVALS", "h")).isEqualTo(List.of("1", "2", "1", "1", "1", "3"));
    // COPY, DUMP/RESTORE keep the order.
    r.exec("COPY", "h", "copy");
    assertThat(r.exec("HKEYS", "copy")).isEqualTo(expected);
    r.exec("RESTORE", "restored", "0", (String) r.exec("DUMP", "h"));
    assertThat(r.exec("HKEYS", "restored")).isEqualTo(expected);
  }

  @Test
  void theZiplistNamesAreAliasesAndTheLimitsApplyToNewWrites() {
    assertThat(r.exec("CONFIG", "SET", "hash-max-ziplist-entries", "0")).isEqualTo("OK");
    assertThat(r.exec("CONFIG", "GET", "hash-max-listpack-entries")).isEqualTo(List.of("hash-max-listpack-entries", "0"));
    r.exec("HSET", "h", "a", "1");
    assertThat(r.exec("OBJECT", "ENCODING", "h")).isEqualTo("hashtable");
    r.exec("CONFIG", "SET", "hash-max-listpack-entries", "128");
    assertThat(r.exec("CONFIG", "GET", "hash-max-ziplist-entries")).isEqualTo(List.of("hash-max-ziplist-entries", "128"));
    r.exec("CONFIG", "SET", "zset-max-ziplist-entries", "0");
    r.exec("ZADD", "z", "1", "a");
    assertThat(r.exec("OBJECT", "ENCODING", "z")).isEqualTo("skiplist");
    r.exec("COPY", "z", "z2");
    assertThat(r.exec("OBJECT", "ENCODING", "z2")).isEqualTo("skiplist");
    r.exec("CONFIG", "SET", "zset-max-ziplist-entries", "128");
    // A RESTOREd value is compact when it fits, whatever it was when dumped.
    Object dump = r.exec("DUMP", "z");
    r.exec("RESTORE", "z3", "0", (String) dump);
    assertThat(r.exec("OBJECT", "ENCODING", "z3")).isEqualTo("listpack");
  }

  @Test
  void sortedSetsFollowZaddAndStoreRules() {
    r.exec("ZADD", "z", "123", "foobar");
    assertThat(r.exec("OBJECT", "ENCODING", "z")).isEqualTo("listpack");
    r.exec("ZADD", "long", "1", "m".repeat(65));
    assertThat(r.exec("OBJECT", "ENCODING", "long")).isEqualTo("skiplist");
    for (int i = 0; i < 129; i++) {
      r.exec("ZADD", "big", String.valueOf(i), "e" + i);
    }
    assertThat(r.exec("OBJECT", "ENCODING", "big")).isEqualTo("skiplist");
    r.exec("ZREMRANGEBYRANK", "big", "0", "100");
    assertThat(r.exec("OBJECT", "ENCODING", "big")).isEqualTo("skiplist");
    // A *STORE result is built whole: compact when it fits.
    r.exec("ZUNIONSTORE", "u", "1", "big");
    assertThat(r.exec("OBJECT", "ENCODING", "u")).isEqualTo("listpack");
    r.exec("ZRANGESTORE", "rs", "long", "0", "-1");
    assertThat(r.exec("OBJECT", "ENCODING", "rs")).isEqualTo("skiplist");
  }
}

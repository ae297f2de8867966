package io.kaiware.command.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generic key family against Redis 7.0 (cases from tests/unit/keyspace.tcl). */
class KeyCommandsTest {

  private static final Err SYNTAX = new Err("ERR syntax error");
  private static final Err NOT_INT = new Err("ERR value is not an integer or out of range");
  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
  }

  @Test
  void delUnlinkExistsTouchType() {
    r.exec("MSET", "a", "1", "b", "2");
    assertThat(r.exec("EXISTS", "a", "a", "b", "c")).isEqualTo(3L);
    assertThat(r.exec("TOUCH", "a", "c")).isEqualTo(1L);
    assertThat(r.exec("TYPE", "a")).isEqualTo("string");
    assertThat(r.exec("TYPE", "c")).isEqualTo("none");
    assertThat(r.exec("UNLINK", "a", "c")).isEqualTo(1L);
    assertThat(r.exec("DEL", "b", "b")).isEqualTo(1L);
    assertThat(r.exec("DBSIZE")).isEqualTo(0L);
  }

  @Test
  @SuppressWarnings("unchecked")
  void keysWithGlobs() {
    r.exec("MSET", "foo_a", "1", "foo_b", "1", "foo_c", "1", "key_x", "1", "key_y", "1", "key_z", "1", "a*b", "1", "", "e");
    assertThat((List<Object>) r.exec("KEYS", "foo*")).containsExactlyInAnyOrder("foo_a", "foo_b", "foo_c");
    assertThat((List<Object>) r.exec("KEYS", "*")).hasSize(8);
    assertThat((List<Object>) r.exec("KEYS", "key_[xy]")).containsExactlyInAnyOrder("key_x", "key_y");
    assertThat((List<Object>) r.exec("KEYS", "key_[^x]")).containsExactlyInAnyOrder("key_y", "key_z");
    assertThat((List<Object>) r.exec("KEYS", "a\\*b")).containsExactly("a*b");
    assertThat((List<Object>) r.exec("KEYS", "???_?")).hasSize(6);
    assertThat((List<Object>) r.exec("KEYS", "**")).hasSize(7); // Redis: only a lone "*" matches the empty key
    r.exec("PSETEX", "foo_d", "10", "1");
    r.advance(11);
    assertThat((List<Object>) r.exec("KEYS", "foo*")).hasSize(3);
  }

  @Test
  void renameAndRenamenx() {
    assertThat(r.exec("RENAME", "nokey", "x")).isEqualTo(new Err("ERR no such key"));
    assertThat(r.exec("RENAMENX", "nokey", "x")).isEqualTo(new Err("ERR no such key"));
    r.exec("SET", "a", "1", "EX", "100");
    assertThat(r.exec("RENAME", "a", "a")).isEqualTo("OK");
    assertThat(r.exec("RENAMENX", "a", "a")).isEqualTo(0L);
    assertThat(r.exec("RENAME", "a", "b")).isEqualTo("OK");
    assertThat(r.exec("GET", "b")).isEqualTo("1");
    assertThat(r.exec("TTL", "b")).isEqualTo(100L);
    assertThat(r.exec("EXISTS", "a")).isEqualTo(0L);
    r.exec("SET", "c", "3");
    assertThat(r.exec("RENAMENX", "b", "c")).isEqualTo(0L);
    assertThat(r.exec("RENAMENX", "b", "d")).isEqualTo(1L);
    r.exec("SET", "e", "5", "EX", "10");
    assertThat(r.exec("RENAME", "c", "e")).isEqualTo("OK");
    assertThat(r.exec("TTL", "e")).isEqualTo(-1L);
  }

  @Test
  void copy() {
    r.exec("SET", "src", "v", "EX", "100");
    assertThat(r.exec("COPY", "src", "dst")).isEqualTo(1L);
    assertThat(r.exec("GET", "dst")).isEqualTo("v");
    assertThat(r.exec("TTL", "dst")).isEqualTo(100L);
    assertThat(r.exec("COPY", "src", "dst")).isEqualTo(0L);
    r.exec("SET", "src", "w");
    assertThat(r.exec("COPY", "src", "dst", "REPLACE")).isEqualTo(1L);
    assertThat(r.exec("GET", "dst")).isEqualTo("w");
    assertThat(r.exec("TTL", "dst")).isEqualTo(-1L);
    assertThat(r.exec("COPY", "src", "src")).isEqualTo(new Err("ERR source and destination objects are the same"));
    assertThat(r.exec("COPY", "src", "src", "DB", "1")).isEqualTo(1L);
    assertThat(r.exec("COPY", "src", "x", "DB", "16")).isEqualTo(new Err("ERR DB index is out of range"));
    assertThat(r.exec("COPY", "src", "x", "DB", "abc")).isEqualTo(NOT_INT);
    assertThat(r.exec("COPY", "src", "x", "DB")).isEqualTo(SYNTAX);
    assertThat(r.exec("COPY", "src", "x", "FOO")).isEqualTo(SYNTAX);
    assertThat(r.exec("COPY", "missing", "x")).isEqualTo(0L);
    r.exec("SELECT", "1");
    assertThat(r.exec("GET", "src")).isEqualTo("w");
  }

  @Test
  void moveAndSwapdb() {
    r.exec("SET", "k", "v", "EX", "50");
    assertThat(r.exec("MOVE", "k", "0")).isEqualTo(new Err("ERR source and destination objects are the same"));
    assertThat(r.exec("MOVE", "k", "16")).isEqualTo(new Err("ERR DB index is out of range"));
    assertThat(r.exec("MOVE", "k", "x")).isEqualTo(NOT_INT);
    assertThat(r.exec("MOVE", "k", "1")).isEqualTo(1L);
    assertThat(r.exec("EXISTS", "k")).isEqualTo(0L);
    assertThat(r.exec("MOVE", "k", "1")).isEqualTo(0L);
    r.exec("SET", "k", "mine");
    assertThat(r.exec("MOVE", "k", "1")).isEqualTo(0L);
    assertThat(r.exec("SWAPDB", "0", "1")).isEqualTo("OK");
    assertThat(r.exec("GET", "k")).isEqualTo("v");
    assertThat(r.exec("TTL", "k")).isEqualTo(50L);
    assertThat(r.exec("SWAPDB", "0", "16")).isEqualTo(new Err("ERR DB index is out of range"));
    assertThat(r.exec("SWAPDB", "x", "1")).isEqualTo(new Err("ERR invalid first DB index"));
    assertThat(r.exec("SWAPDB", "0", "y")).isEqualTo(new Err("ERR invalid second DB index"));
    assertThat(r.exec("SWAPDB", "-1", "1")).isEqualTo(new Err("ERR DB index is out of range"));
  }

  @Test
  void randomkey() {
    assertThat(r.exec("RANDOMKEY")).isNull();
    r.exec("SET", "only", "1");
    assertThat(r.exec("RANDOMKEY")).isEqualTo("only");
    for (int i = 0; i < 100; i++) {
      r.exec("SET", "k" + i, "v");
    }
    Set<Object> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      r.advance(1);
      seen.add(r.exec("RANDOMKEY"));
    }
    assertThat(seen.size()).isGreaterThan(50);
    // Deterministic: the same commands at the same times give the same keys.
    CommandHarness a = new CommandHarness();
    CommandHarness b = new CommandHarness();
    for (CommandHarness h : List.of(a, b)) {
      for (int i = 0; i < 100; i++) {
        h.exec("SET", "k" + i, "v");
      }
    }
    for (int i = 0; i < 10; i++) {
      assertThat(a.exec("RANDOMKEY")).isEqualTo(b.exec("RANDOMKEY"));
    }
  }

  @Test
  void randomkeyDrawsDifferentKeysWithinOneMillisecond() {
    // tests/unit/keyspace.tcl "RANDOMKEY": two keys, 100 calls, both must be seen (the clock may not move).
    r.exec("SET", "foo", "x");
    r.exec("SET", "bar", "y");
    Set<Object> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      seen.add(r.exec("RANDOMKEY"));
    }
    assertThat(seen).containsExactlyInAnyOrder("foo", "bar");
  }

  @Test
  void randomkeyWithOnlyExpiredKeysTheLogCannotReclaimYetAnswersNil() {
    r.keyspace().reclaimHorizonMs(r.nowMs());
    for (int i = 0; i < 20; i++) {
      r.exec("PSETEX", "gone" + i, "10", "v");
    }
    r.advance(11); // reads run past the horizon: the keys are gone for them but may not be removed
    assertThat(r.exec("RANDOMKEY")).isNull();
    assertThat(r.exec("DBSIZE")).isEqualTo(20L);
    r.keyspace().reclaimHorizonMs(Long.MAX_VALUE);
    assertThat(r.exec("RANDOMKEY")).isNull();
  }

  @Test
  void randomkeyNeverReturnsExpiredKeys() {
    for (int i = 0; i < 50; i++) {
      r.exec("PSETEX", "gone" + i, "10", "v");
    }
    r.exec("SET", "live", "v");
    r.advance(11);
    for (int i = 0; i < 20; i++) {
      r.advance(1);
      assertThat(r.exec("RANDOMKEY")).isEqualTo("live");
    }
    for (int i = 0; i < 50; i++) {
      r.exec("PSETEX", "gone" + i, "10", "v");
    }
    r.exec("DEL", "live");
    r.advance(11);
    assertThat(r.exec("RANDOMKEY")).isNull();
    assertThat(r.exec("DBSIZE")).isEqualTo(0L);
  }

  @Test
  @SuppressWarnings("unchecked")
  void scanReturnsEverythingOnce() {
    for (int i = 0; i < 1000; i++) {
      r.exec("SET", "key:" + i, "v");
    }
    Set<Object> seen = new HashSet<>();
    String cursor = "0";
    int calls = 0;
    do {
      List<Object> reply = (List<Object>) r.exec("SCAN", cursor, "COUNT", "100");
      cursor = (String) reply.get(0);
      seen.addAll((List<Object>) reply.get(1));
      calls++;
    } while (!cursor.equals("0"));
    assertThat(seen).hasSize(1000);
    assertThat(calls).isLessThan(30);
  }

  @Test
  @SuppressWarnings("unchecked")
  void scanOptions() {
    for (int i = 0; i < 100; i++) {
      r.exec("SET", "key:" + i, "v");
    }
    r.exec("SET", "other", "v");
    r.exec("PSETEX", "expired", "1", "v");
    r.advance(2);
    List<Object> all = new ArrayList<>();
    String cursor = "0";
    do {
      List<Object> reply = (List<Object>) r.exec("SCAN", cursor, "MATCH", "key:1*", "COUNT", "7", "TYPE", "STRING");
      cursor = (String) reply.get(0);
      all.addAll((List<Object>) reply.get(1));
    } while (!cursor.equals("0"));
    assertThat(all).hasSize(11);
    List<Object> none = scanAll("TYPE", "hash");
    assertThat(none).isEmpty();
    assertThat(scanAll()).hasSize(101).doesNotContain("expired");
    assertThat(r.exec("SCAN", "abc")).isEqualTo(new Err("ERR invalid cursor"));
    assertThat(r.exec("SCAN", " 0")).isEqualTo(new Err("ERR invalid cursor"));
    assertThat(r.exec("SCAN", "+")).isEqualTo(new Err("ERR invalid cursor"));
    assertThat(r.exec("SCAN", "")).isInstanceOf(List.class); // strtoul semantics: cursor 0
    assertThat(r.exec("SCAN", "0", "COUNT", "0")).isEqualTo(SYNTAX);
    assertThat(r.exec("SCAN", "0", "COUNT", "x")).isEqualTo(NOT_INT);
    assertThat(r.exec("SCAN", "0", "MATCH")).isEqualTo(SYNTAX);
    assertThat(r.exec("SCAN", "0", "FOO", "bar")).isEqualTo(SYNTAX);
    assertThat(r.exec("SCAN", "18446744073709551615")).isInstanceOf(List.class);
    assertThat(r.exec("SCAN", "18446744073709551616")).isEqualTo(new Err("ERR invalid cursor"));
  }

  @SuppressWarnings("unchecked")
  private List<Object> scanAll(String... options) {
    List<Object> all = new ArrayList<>();
    String cursor = "0";
    do {
      String[] argv = new String[2 + options.length];
      argv[0] = "SCAN";
      argv[1] = cursor;
      System.arraycopy(options, 0, argv, 2, options.length);
      List<Object> reply = (List<Object>) r.exec(argv);
      cursor = (String) reply.get(0);
      all.addAll((List<Object>) reply.get(1));
    } while (!cursor.equals("0"));
    return all;
  }

  @Test
  void dumpAndRestore() {
    r.exec("SET", "k", "hello");
    String payload = (String) r.exec("DUMP", "k");
    assertThat(r.exec("DUMP", "missing")).isNull();
    assertThat(r.exec("RESTORE", "k", "0", payload)).isEqualTo(new Err("BUSYKEY Target key name already exists."));
    assertThat(r.exec("RESTORE", "k2", "0", payload)).isEqualTo("OK");
    assertThat(r.exec("GET", "k2")).isEqualTo("hello");
    assertThat(r.exec("TTL", "k2")).isEqualTo(-1L);
    assertThat(r.exec("RESTORE", "k", "5000", payload, "REPLACE")).isEqualTo("OK");
    assertThat(r.exec("PTTL", "k")).isEqualTo(5000L);
    long at = r.nowMs() + 7000;
    assertThat(r.exec("RESTORE", "k", Long.toString(at), payload, "REPLACE", "ABSTTL", "IDLETIME", "10")).isEqualTo("OK");
    assertThat(r.exec("PTTL", "k")).isEqualTo(7000L);
    assertThat(r.exec("RESTORE", "k", "1", payload, "REPLACE", "ABSTTL")).isEqualTo("OK");
    assertThat(r.exec("EXISTS", "k")).isEqualTo(0L);
    assertThat(r.exec("RESTORE", "k", "-1", payload)).isEqualTo(new Err("ERR Invalid TTL value, must be >= 0"));
    assertThat(r.exec("RESTORE", "k", "0", payload, "IDLETIME", "-1"))
        .isEqualTo(new Err("ERR Invalid IDLETIME value, must be >= 0"));
    assertThat(r.exec("RESTORE", "k", "0", payload, "FREQ", "256"))
        .isEqualTo(new Err("ERR Invalid FREQ value, must be >= 0 and <= 255"));
    assertThat(r.exec("RESTORE", "k", "0", payload, "FREQ", "1", "IDLETIME", "1")).isEqualTo(SYNTAX);
    String corrupt = payload.substring(0, 2) + "X" + payload.substring(3);
    assertThat(r.exec("RESTORE", "k", "0", corrupt)).isEqualTo(new Err("ERR DUMP payload version or checksum are wrong"));
    assertThat(r.exec("RESTORE", "k", "0", "")).isEqualTo(new Err("ERR DUMP payload version or checksum are wrong"));
    // Binary-safe round trip.
    byte[] binary = new byte[300];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    r.exec("SET".getBytes(), "bin".getBytes(), binary);
    String dump = (String) r.exec("DUMP", "bin");
    r.exec("DEL", "bin");
    r.exec("RESTORE", "bin", "0", dump);
    assertThat(r.exec("GET", "bin")).isEqualTo(new String(binary, java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  @Test
  void debugDigest() {
    String zeros = "0000000000000000000000000000000000000000";
    assertThat(r.exec("DEBUG", "DIGEST")).isEqualTo(zeros);
    r.exec("MSET", "a", "1", "b", "2");
    String digest = (String) r.exec("DEBUG", "DIGEST");
    assertThat(digest).hasSize(40).isNotEqualTo(zeros);
    CommandHarness other = new CommandHarness();
    other.now(r.nowMs());
    other.exec("SET", "b", "2");
    other.exec("SET", "a", "1");
    assertThat(other.exec("DEBUG", "DIGEST")).isEqualTo(digest);
    assertThat(r.exec("DEBUG", "DIGEST-VALUE", "a", "missing")).isEqualTo(List.of(
        r.keyspace().digestValue(0, "a".getBytes(), r.nowMs()), zeros));
    assertThat(r.exec("DEBUG", "DIGEST-VALUE")).isEqualTo(List.of());
    r.exec("FLUSHALL");
    assertThat(r.exec("DEBUG", "DIGEST")).isEqualTo(zeros);
  }
}

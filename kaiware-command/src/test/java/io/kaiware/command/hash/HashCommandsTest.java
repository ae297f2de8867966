package io.kaiware.command.hash;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hash family against Redis 7.0's replies (cases after tests/unit/type/hash.tcl). */
@SuppressWarnings("unchecked")
class HashCommandsTest {

  private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");
  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
  }

  @Test
  void setGetDeleteAndEmptyHashDisappears() {
    assertThat(r.exec("HSET", "h", "a", "1", "b", "2")).isEqualTo(2L);
    assertThat(r.exec("HSET", "h", "a", "3", "c", "4")).isEqualTo(1L);
    assertThat(r.exec("HSET", "h", "a")).isEqualTo(new Err("ERR wrong number of arguments for 'hset' command"));
    assertThat(r.exec("HMSET", "h", "d", "5")).isEqualTo("OK");
    assertThat(r.exec("HGET", "h", "a")).isEqualTo("3");
    assertThat(r.exec("HGET", "h", "zz")).isNull();
    assertThat(r.exec("HGET", "nokey", "a")).isNull();
    assertThat(r.exec("HMGET", "h", "a", "zz", "d")).isEqualTo(java.util.Arrays.asList("3", null, "5"));
    assertThat(r.exec("HLEN", "h")).isEqualTo(4L);
    assertThat(r.exec("HSTRLEN", "h", "a")).isEqualTo(1L);
    assertThat(r.exec("HEXISTS", "h", "b")).isEqualTo(1L);
    assertThat(r.exec("HSETNX", "h", "b", "x")).isEqualTo(0L);
    assertThat(r.exec("HSETNX", "h", "e", "x")).isEqualTo(1L);
    assertThat(r.exec("TYPE", "h")).isEqualTo("hash");
    assertThat(r.exec("OBJECT", "ENCODING", "h")).isEqualTo("listpack");
    assertThat(r.exec("HDEL", "h", "a", "a", "zz", "b")).isEqualTo(2L);
    assertThat(r.exec("HDEL", "h", "c", "d", "e")).isEqualTo(3L);
    assertThat(r.exec("EXISTS", "h")).isEqualTo(0L);
    assertThat(r.exec("HDEL", "h", "c")).isEqualTo(0L);
  }

  @Test
  void wrongTypeEverywhere() {
    r.exec("SET", "s", "v");
    for (String[] cmd : new String[][] {{"HSET", "s", "a", "1"}, {"HGET", "s", "a"}, {"HMGET", "s", "a"}, {"HDEL", "s", "a"},
        {"HLEN", "s"}, {"HGETALL", "s"}, {"HINCRBY", "s", "a", "1"}, {"HINCRBYFLOAT", "s", "a", "1"}, {"HRANDFIELD", "s"},
        {"HSCAN", "s", "0"}, {"HSETNX", "s", "a", "1"}, {"HEXISTS", "s", "a"}, {"HSTRLEN", "s", "a"}, {"HKEYS", "s"}}) {
      assertThat(r.exec(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
    }
    r.exec("HSET", "h", "a", "1");
    assertThat(r.exec("GET", "h")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("INCR", "h")).isEqualTo(WRONGTYPE);
  }

  @Test
  void incrementsWithRedisErrors() {
    assertThat(r.exec("HINCRBY", "h", "n", "5")).isEqualTo(5L);
    assertThat(r.exec("HINCRBY", "h", "n", "-7")).isEqualTo(-2L);
    assertThat(r.exec("HINCRBY", "h", "n", "x")).isEqualTo(new Err("ERR value is not an integer or out of range"));
    r.exec("HSET", "h", "s", "abc", "big", "9223372036854775807", "f", "10.5");
    assertThat(r.exec("HINCRBY", "h", "s", "1")).isEqualTo(new Err("ERR hash value is not an integer"));
    assertThat(r.exec("HINCRBY", "h", "big", "1")).isEqualTo(new Err("ERR increment or decrement would overflow"));
    assertThat(r.exec("HINCRBYFLOAT", "h", "f", "0.1")).isEqualTo("10.6");
    assertThat(r.exec("HINCRBYFLOAT", "h", "s", "1")).isEqualTo(new Err("ERR hash value is not a float"));
    assertThat(r.exec("HINCRBYFLOAT", "h", "f", "inf")).isEqualTo(new Err("ERR value is NaN or Infinity"));
    assertThat(r.exec("HINCRBYFLOAT", "h", "f", "x")).isEqualTo(new Err("ERR value is not a valid float"));
    assertThat(r.exec("HINCRBYFLOAT", "h", "new", "1.5e3")).isEqualTo("1500");
  }

  @Test
  void getAllShapesInBothProtocols() {
    assertThat(r.exec("HGETALL", "h")).isEqualTo(List.of());
    r.exec("HSET", "h", "a", "1", "b", "2");
    @SuppressWarnings("unchecked")
    List<Object> flat = (List<Object>) r.exec("HGETALL", "h");
    assertThat(flat).hasSize(4).containsSubsequence("a", "1").containsSubsequence("b", "2");
    assertThat((List<Object>) r.exec("HKEYS", "h")).containsExactlyInAnyOrder("a", "b");
    assertThat((List<Object>) r.exec("HVALS", "h")).containsExactlyInAnyOrder("1", "2");
    r.exec("HELLO", "3");
    assertThat(r.exec("HGETALL", "h")).isEqualTo(Map.of("a", "1", "b", "2"));
    assertThat(r.exec("HGETALL", "missing")).isEqualTo(Map.of());
    @SuppressWarnings("unchecked")
    List<Object> pairs = (List<Object>) r.exec("HRANDFIELD", "h", "-3", "WITHVALUES");
    assertThat(pairs).hasSize(3).allSatisfy(p -> assertThat(p).isIn(List.of("a", "1"), List.of("b", "2")));
  }

  @Test
  void randomFieldsFollowRedisCountRulesAndAreReplayable() {
    assertThat(r.exec("HRANDFIELD", "nokey")).isNull();
    assertThat(r.exec("HRANDFIELD", "nokey", "3")).isEqualTo(List.of());
    for (int i = 0; i < 20; i++) {
      r.exec("HSET", "h", "f" + i, "v" + i);
    }
    assertThat((List<Object>) r.exec("HRANDFIELD", "h", "5")).hasSize(5).doesNotHaveDuplicates();
    assertThat((List<Object>) r.exec("HRANDFIELD", "h", "50")).hasSize(20).doesNotHaveDuplicates();
    assertThat((List<Object>) r.exec("HRANDFIELD", "h", "-50")).hasSize(50);
    assertThat((List<Object>) r.exec("HRANDFIELD", "h", "3", "WITHVALUES")).hasSize(6);
    assertThat(r.exec("HRANDFIELD", "h", "3", "WITHVALUES", "x")).isEqualTo(new Err("ERR syntax error"));
    assertThat(r.exec("HRANDFIELD", "h", "0")).isEqualTo(List.of());
    // Replay: a second engine fed the same commands at the same times draws the same fields.
    CommandHarness other = new CommandHarness();
    CommandHarness first = new CommandHarness();
    for (CommandHarness h : List.of(first, other)) {
      for (int i = 0; i < 20; i++) {
        h.exec("HSET", "h", "f" + i, "v" + i);
      }
    }
    for (int i = 0; i < 5; i++) {
      assertThat(other.exec("HRANDFIELD", "h", "4")).isEqualTo(first.exec("HRANDFIELD", "h", "4"));
    }
    // ... and two draws in the same millisecond still differ somewhere.
    boolean differed = false;
    for (int i = 0; i < 10 && !differed; i++) {
      differed = !first.exec("HRANDFIELD", "h", "-4").equals(first.exec("HRANDFIELD", "h", "-4"));
    }
    assertThat(differed).isTrue();
  }

  @Test
  void scanVisitsEveryFieldOnce() {
    for (int i = 0; i < 500; i++) {
      r.exec("HSET", "h", "f" + i, "v" + i);
    }
    java.util.Map<Object, Object> seen = new java.util.HashMap<>();
    String cursor = "0";
    do {
      @SuppressWarnings("unchecked")
      List<Object> reply = (List<Object>) r.exec("HSCAN", "h", cursor, "COUNT", "20");
      cursor = (String) reply.get(0);
      @SuppressWarnings("unchecked")
      List<Object> items = (List<Object>) reply.get(1);
      for (int i = 0; i < items.size(); i += 2) {
        seen.put(items.get(i), items.get(i + 1));
      }
    } while (!cursor.equals("0"));
    assertThat(seen).hasSize(500).containsEntry("f7", "v7");
    assertThat(r.exec("HSCAN", "nokey", "0")).isEqualTo(List.of("0", List.of()));
    @SuppressWarnings("unchecked")
    List<Object> matched = (List<Object>) ((List<Object>) r.exec("HSCAN", "h", "0", "MATCH", "f1?", "COUNT", "1000")).get(1);
    assertThat(matched).hasSize(20);
    assertThat(r.exec("HSCAN", "h", "0", "TYPE", "string")).isEqualTo(new Err("ERR syntax error"));
    assertThat(r.exec("HSCAN", "h", "x")).isEqualTo(new Err("ERR invalid cursor"));
  }

  @Test
  void keyCommandsHandleHashes() {
    r.exec("HSET", "h", "a", "1", "b", "2");
    String payload = (String) r.exec("DUMP", "h");
    assertThat(r.exec("RESTORE", "h2", "0", payload)).isEqualTo("OK");
    assertThat(r.exec("HGETALL", "h2")).isEqualTo(r.exec("HGETALL", "h"));
    assertThat(r.exec("DEBUG", "DIGEST-VALUE", "h", "h2")).satisfies(d -> assertThat(((List<Object>) d).get(0)).isEqualTo(((List<Object>) d).get(1)));
    assertThat(r.exec("COPY", "h", "h3")).isEqualTo(1L);
    r.exec("HSET", "h3", "c", "3");
    assertThat(r.exec("HLEN", "h")).isEqualTo(2L);
    assertThat((List<Object>) ((List<Object>) r.exec("SCAN", "0", "TYPE", "hash", "COUNT", "100")).get(1)).containsExactlyInAnyOrder("h", "h2", "h3");
    assertThat((Long) r.exec("MEMORY", "USAGE", "h")).isGreaterThan(100L);
    String before = (String) r.exec("DEBUG", "DIGEST");
    r.exec("HSET", "h", "a", "9");
    assertThat(r.exec("DEBUG", "DIGEST")).isNotEqualTo(before);
    r.exec("HSET", "h", "a", "1");
    assertThat(r.exec("DEBUG", "DIGEST")).isEqualTo(before);
  }

  @Test
  void watchSeesInPlaceChanges() {
    r.exec("HSET", "h", "a", "1");
    CommandHarness other = r.otherClient();
    r.exec("WATCH", "h");
    other.exec("HSET", "h", "a", "2");
    r.exec("MULTI");
    r.exec("HGET", "h", "a");
    assertThat(r.exec("EXEC")).isNull();
    r.exec("WATCH", "h");
    other.exec("HINCRBY", "h", "n", "1");
    r.exec("MULTI");
    assertThat(r.exec("EXEC")).isNull();
  }
}

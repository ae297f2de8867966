package io.kaiware.command.list;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** List replies and errors as Redis 7.0.15 gives them (after tests/unit/type/list.tcl, checked against redis-server). */
@SuppressWarnings("unchecked")
class ListCommandsTest {

  private static final Err SYNTAX = new Err("ERR syntax error");
  private static final Err NOT_INTEGER = new Err("ERR value is not an integer or out of range");
  private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");
  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
  }

  private List<Object> all(String key) {
    return (List<Object>) r.exec("LRANGE", key, "0", "-1");
  }

  @Test
  void quicklistPackedThresholdIsCheckedAsRedisChecksItAndChangesNoReply() {
    Err bad = new Err("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
    assertThat(r.exec("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1b")).isEqualTo("OK");
    assertThat(r.exec("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "4gb")).isEqualTo(bad);
    assertThat(r.exec("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "x")).isEqualTo(bad);
    assertThat(r.exec("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "-1")).isEqualTo(bad);
    String big = "x".repeat(500);
    r.exec("RPUSH", "p", big, "1");
    r.exec("LINSERT", "p", "AFTER", big, "y".repeat(500));
    assertThat(all("p")).isEqualTo(List.of(big, "y".repeat(500), "1"));
    assertThat(r.exec("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0")).isEqualTo("OK");
  }

  @Test
  void pushesAndLength() {
    assertThat(r.exec("LPUSH", "l", "a", "b", "c")).isEqualTo(3L);
    assertThat(all("l")).isEqualTo(List.of("c", "b", "a"));
    assertThat(r.exec("RPUSH", "l", "d", "e")).isEqualTo(5L);
    assertThat(all("l")).isEqualTo(List.of("c", "b", "a", "d", "e"));
    assertThat(r.exec("LLEN", "l")).isEqualTo(5L);
    assertThat(r.exec("LLEN", "nokey")).isEqualTo(0L);
    assertThat(r.exec("LPUSHX", "nokey", "a")).isEqualTo(0L);
    assertThat(r.exec("RPUSHX", "nokey", "a", "b")).isEqualTo(0L);
    assertThat(r.exec("EXISTS", "nokey")).isEqualTo(0L);
    assertThat(r.exec("LPUSHX", "l", "x", "y")).isEqualTo(7L);
    assertThat(r.exec("RPUSHX", "l", "z")).isEqualTo(8L);
    assertThat(all("l")).isEqualTo(List.of("y", "x", "c", "b", "a", "d", "e", "z"));
    assertThat(r.exec("LPUSH", "l")).isEqualTo(new Err("ERR wrong number of arguments for 'lpush' command"));
    assertThat(r.exec("TYPE", "l")).isEqualTo("list");
    assertThat(r.exec("OBJECT", "ENCODING", "l")).isEqualTo("quicklist");
    // Binary elements and integers round-trip as given.
    assertThat(r.exec("RPUSH", "b", "\u0000\u00ff", "007", "-0", "12")).isEqualTo(4L);
    assertThat(all("b")).isEqualTo(List.of("\u0000\u00ff", "007", "-0", "12"));
  }

  @Test
  void wrongTypeEverywhere() {
    r.exec("SET", "s", "v");
    r.exec("RPUSH", "l", "a");
    for (String[] cmd : new String[][] {
        {"LPUSH", "s", "a"}, {"RPUSH", "s", "a"}, {"LPUSHX", "s", "a"}, {"RPUSHX", "s", "a"}, {"LPOP", "s"},
        {"RPOP", "s", "2"}, {"LLEN", "s"}, {"LRANGE", "s", "0", "-1"}, {"LINDEX", "s", "0"}, {"LINDEX", "s", "x"},
        {"LSET", "s", "x", "v"}, {"LREM", "s", "0", "a"}, {"LTRIM", "s", "0", "1"}, {"LINSERT", "s", "BEFORE", "a", "b"},
        {"LPOS", "s", "a"}, {"LMOVE", "s", "l", "LEFT", "RIGHT"}, {"LMOVE", "l", "s", "LEFT", "RIGHT"},
        {"RPOPLPUSH", "s", "l"}, {"RPOPLPUSH", "l", "s"}, {"LMPOP", "2", "nokey", "s", "LEFT"}}) {
      assertThat(r.exec(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
    }
    assertThat(all("l")).as("a failed move pops nothing").isEqualTo(List.of("a"));
    assertThat(r.exec("GET", "s")).isEqualTo("v");
    assertThat(r.exec("INCR", "l")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("HSET", "l", "f", "v")).isEqualTo(WRONGTYPE);
    // A missing source answers nil before the destination's type is checked.
    assertThat(r.exec("RPOPLPUSH", "nokey", "s")).isNull();
    // LMPOP stops at the first list: a later wrong-typed key is not looked at.
    assertThat(r.exec("LMPOP", "2", "l", "s", "LEFT")).isEqualTo(List.of("l", List.of("a")));
  }

  @Test
  void popsWithAndWithoutCount() {
    r.exec("RPUSH", "l", "a", "b", "c", "d", "e");
    assertThat(r.exec("LPOP", "l")).isEqualTo("a");
    assertThat(r.exec("RPOP", "l")).isEqualTo("e");
    assertThat(r.exec("LPOP", "l", "2")).isEqualTo(List.of("b", "c"));
    assertThat(r.exec("LPOP", "l", "0")).isEqualTo(List.of());
    assertThat(r.exec("RPOP", "l", "-1")).isEqualTo(new Err("ERR value is out of range, must be positive"));
    assertThat(r.exec("RPOP", "l", "x")).isEqualTo(new Err("ERR value is out of range, must be positive"));
    assertThat(r.exec("LPOP", "l", "1", "1")).isEqualTo(new Err("ERR wrong number of arguments for 'lpop' command"));
    assertThat(r.exec("RPOP", "l", "2", "2")).isEqualTo(new Err("ERR wrong number of arguments for 'rpop' command"));
    assertThat(r.exec("RPOP", "l", "10")).isEqualTo(List.of("d"));
    assertThat(r.exec("EXISTS", "l")).as("the emptied list is deleted").isEqualTo(0L);
    // A missing key: nil bulk without a count, nil array with one (even count 0); RESP3 null for both.
    assertThat(r.execRaw("LPOP", "l")).isEqualTo("$-1\r\n");
    assertThat(r.execRaw("LPOP", "l", "1")).isEqualTo("*-1\r\n");
    assertThat(r.execRaw("RPOP", "l", "0")).isEqualTo("*-1\r\n");
    r.exec("RPUSH", "l", "a", "b", "c");
    assertThat(r.exec("RPOP", "l", "2")).as("from the tail, tail first").isEqualTo(List.of("c", "b"));
  }

  @Test
  void resp3ReplyShapes() {
    r.exec("HELLO", "3");
    r.exec("RPUSH", "l", "a", "b", "c");
    assertThat(r.execRaw("LPOP", "nokey")).isEqualTo("_\r\n");
    assertThat(r.execRaw("LPOP", "nokey", "2")).isEqualTo("_\r\n");
    assertThat(r.execRaw("LINDEX", "l", "9")).isEqualTo("_\r\n");
    assertThat(r.execRaw("LPOS", "l", "x")).isEqualTo("_\r\n");
    assertThat(r.execRaw("LMOVE", "nokey", "l", "LEFT", "LEFT")).isEqualTo("_\r\n");
    assertThat(r.execRaw("LMPOP", "1", "nokey", "LEFT")).isEqualTo("_\r\n");
    assertThat(r.execRaw("LPOP", "l", "2")).isEqualTo("*2\r\n$1\r\na\r\n$1\r\nb\r\n");
    assertThat(r.execRaw("LMPOP", "1", "l", "RIGHT", "COUNT", "3")).isEqualTo("*2\r\n$1\r\nl\r\n*1\r\n$1\r\nc\r\n");
    assertThat(r.execRaw("LPOS", "nokey", "x", "COUNT", "0")).isEqualTo("*0\r\n");
  }

  @Test
  void rangeAndIndexWithNegativeIndexes() {
    r.exec("RPUSH", "l", "0", "1", "2", "3", "4", "5");
    assertThat(r.exec("LRANGE", "l", "1", "-2")).isEqualTo(List.of("1", "2", "3", "4"));
    assertThat(r.exec("LRANGE", "l", "-3", "-1")).isEqualTo(List.of("3", "4", "5"));
    assertThat(r.exec("LRANGE", "l", "-100", "1")).isEqualTo(List.of("0", "1"));
    assertThat(r.exec("LRANGE", "l", "4", "100")).isEqualTo(List.of("4", "5"));
    assertThat(r.exec("LRANGE", "l", "3", "2")).isEqualTo(List.of());
    assertThat(r.exec("LRANGE", "l", "6", "10")).isEqualTo(List.of());
    assertThat(r.exec("LRANGE", "l", "0", "-7")).isEqualTo(List.of());
    assertThat(r.exec("LRANGE", "l", "-9223372036854775808", "9223372036854775807")).isEqualTo(List.of("0", "1", "2", "3", "4", "5"));
    assertThat(r.exec("LRANGE", "nokey", "0", "-1")).isEqualTo(List.of());
    assertThat(r.exec("LRANGE", "nokey", "x", "-1")).as("numbers before the key").isEqualTo(NOT_INTEGER);
    assertThat(r.exec("LINDEX", "l", "0")).isEqualTo("0");
    assertThat(r.exec("LINDEX", "l", "-1")).isEqualTo("5");
    assertThat(r.exec("LINDEX", "l", "-6")).isEqualTo("0");
    assertThat(r.exec("LINDEX", "l", "-7")).isNull();
    assertThat(r.exec("LINDEX", "l", "6")).isNull();
    assertThat(r.exec("LINDEX", "l", "-9223372036854775808")).isNull();
    assertThat(r.exec("LINDEX", "l", "x")).isEqualTo(NOT_INTEGER);
    assertThat(r.exec("LINDEX", "nokey", "x")).as("the key before the index").isNull();
  }

  @Test
  void lsetErrorsInRedisOrder() {
    r.exec("RPUSH", "l", "a", "b", "c");
    assertThat(r.exec("LSET", "l", "1", "B")).isEqualTo("OK");
    assertThat(r.exec("LSET", "l", "-1", "C")).isEqualTo("OK");
    assertThat(all("l")).isEqualTo(List.of("a", "B", "C"));
    assertThat(r.exec("LSET", "l", "3", "x")).isEqualTo(new Err("ERR index out of range"));
    assertThat(r.exec("LSET", "l", "-4", "x")).isEqualTo(new Err("ERR index out of range"));
    assertThat(r.exec("LSET", "l", "x", "x")).isEqualTo(NOT_INTEGER);
    assertThat(r.exec("LSET", "nokey", "x", "x")).isEqualTo(new Err("ERR no such key"));
    assertThat(r.exec("LSET", "nokey", "0", "x")).isEqualTo(new Err("ERR no such key"));
  }

  @Test
  void lremFromEitherEnd() {
    r.exec("RPUSH", "l", "a", "x", "b", "x", "c", "x", "d");
    assertThat(r.exec("LREM", "l", "1", "x")).isEqualTo(1L);
    assertThat(all("l")).isEqualTo(List.of("a", "b", "x", "c", "x", "d"));
    assertThat(r.exec("LREM", "l", "-1", "x")).isEqualTo(1L);
    assertThat(all("l")).isEqualTo(List.of("a", "b", "x", "c", "d"));
    r.exec("LPUSH", "l", "x", "x");
    assertThat(r.exec("LREM", "l", "0", "x")).isEqualTo(3L);
    assertThat(all("l")).isEqualTo(List.of("a", "b", "c", "d"));
    assertThat(r.exec("LREM", "l", "0", "nothere")).isEqualTo(0L);
    assertThat(r.exec("LREM", "l", "x", "a")).isEqualTo(NOT_INTEGER);
    assertThat(r.exec("LREM", "nokey", "1", "a")).isEqualTo(0L);
    r.exec("RPUSH", "m", "y", "y", "y");
    assertThat(r.exec("LREM", "m", "-9223372036854775808", "y")).as("-LONG_MIN: no limit").isEqualTo(3L);
    assertThat(r.exec("EXISTS", "m")).isEqualTo(0L);
  }

  @Test
  void ltrimKeepsARangeAndDeletesAnEmptyList() {
    r.exec("RPUSH", "l", "0", "1", "2", "3", "4");
    assertThat(r.exec("LTRIM", "l", "1", "-2")).isEqualTo("OK");
    assertThat(all("l")).isEqualTo(List.of("1", "2", "3"));
    assertThat(r.exec("LTRIM", "l", "-2", "100")).isEqualTo("OK");
    assertThat(all("l")).isEqualTo(List.of("2", "3"));
    assertThat(r.exec("LTRIM", "l", "0", "-1")).isEqualTo("OK");
    assertThat(all("l")).isEqualTo(List.of("2", "3"));
    assertThat(r.exec("LTRIM", "l", "x", "1")).isEqualTo(NOT_INTEGER);
    assertThat(r.exec("LTRIM", "nokey", "0", "1")).isEqualTo("OK");
    assertThat(r.exec("EXISTS", "nokey")).isEqualTo(0L);
    assertThat(r.exec("LTRIM", "l", "1", "0")).isEqualTo("OK");
    assertThat(r.exec("EXISTS", "l")).isEqualTo(0L);
  }

  @Test
  void linsertBeforeAndAfter() {
    r.exec("RPUSH", "l", "a", "b", "c", "b");
    assertThat(r.exec("LINSERT", "l", "BEFORE", "b", "x")).isEqualTo(5L);
    assertThat(r.exec("LINSERT", "l", "after", "b", "y")).isEqualTo(6L);
    assertThat(all("l")).isEqualTo(List.of("a", "x", "b", "y", "c", "b"));
    assertThat(r.exec("LINSERT", "l", "AFTER", "b", "z")).isEqualTo(7L);
    assertThat(r.exec("LINSERT", "l", "AFTER", "c", "end")).isEqualTo(8L);
    assertThat(r.exec("LINSERT", "l", "BEFORE", "a", "start")).isEqualTo(9L);
    assertThat(all("l")).isEqualTo(List.of("start", "a", "x", "b", "z", "y", "c", "end", "b"));
    assertThat(r.exec("LINSERT", "l", "BEFORE", "nothere", "q")).isEqualTo(-1L);
    assertThat(r.exec("LINSERT", "nokey", "BEFORE", "a", "q")).isEqualTo(0L);
    assertThat(r.exec("LINSERT", "l", "aft3r", "a", "q")).isEqualTo(SYNTAX);
    assertThat(r.exec("LINSERT", "nokey", "aft3r", "a", "q")).as("syntax before the key").isEqualTo(SYNTAX);
  }

  @Test
  void lposOptions() {
    r.exec("RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c");
    assertThat(r.exec("LPOS", "l", "c")).isEqualTo(2L);
    assertThat(r.exec("LPOS", "l", "c", "RANK", "2")).isEqualTo(6L);
    assertThat(r.exec("LPOS", "l", "c", "RANK", "-1")).isEqualTo(7L);
    assertThat(r.exec("LPOS", "l", "c", "RANK", "-3")).isEqualTo(2L);
    assertThat(r.exec("LPOS", "l", "c", "RANK", "4")).isNull();
    assertThat(r.exec("LPOS", "l", "c", "COUNT", "0")).isEqualTo(List.of(2L, 6L, 7L));
    assertThat(r.exec("LPOS", "l", "c", "COUNT", "2")).isEqualTo(List.of(2L, 6L));
    assertThat(r.exec("LPOS", "l", "c", "COUNT", "2", "RANK", "-1")).isEqualTo(List.of(7L, 6L));
    assertThat(r.exec("LPOS", "l", "c", "RANK", "2", "COUNT", "0")).isEqualTo(List.of(6L, 7L));
    assertThat(r.exec("LPOS", "l", "x", "COUNT", "0")).isEqualTo(List.of());
    assertThat(r.exec("LPOS", "l", "c", "MAXLEN", "2")).isNull();
    assertThat(r.exec("LPOS", "l", "c", "MAXLEN", "3")).isEqualTo(2L);
    assertThat(r.exec("LPOS", "l", "c", "COUNT", "0", "MAXLEN", "7")).isEqualTo(List.of(2L, 6L));
    assertThat(r.exec("LPOS", "l", "c", "RANK", "-1", "MAXLEN", "1", "COUNT", "0")).isEqualTo(List.of(7L));
    assertThat(r.exec("LPOS", "l", "c", "RANK", "-9223372036854775808")).as("rank overflows as in C").isEqualTo(7L);
    assertThat(r.exec("LPOS", "l", "c", "RANK", "0")).isEqualTo(new Err(
        "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"));
    assertThat(r.exec("LPOS", "l", "c", "RANK", "x")).isEqualTo(NOT_INTEGER);
    assertThat(r.exec("LPOS", "l", "c", "COUNT", "-1")).isEqualTo(new Err("ERR COUNT can't be negative"));
    assertThat(r.exec("LPOS", "l", "c", "COUNT", "x")).isEqualTo(new Err("ERR COUNT can't be negative"));
    assertThat(r.exec("LPOS", "l", "c", "MAXLEN", "-1")).isEqualTo(new Err("ERR MAXLEN can't be negative"));
    assertThat(r.exec("LPOS", "l", "c", "COUNT")).isEqualTo(SYNTAX);
    assertThat(r.exec("LPOS", "l", "c", "FOO", "1")).isEqualTo(SYNTAX);
    assertThat(r.exec("LPOS", "nokey", "c", "RANK", "0")).as("options before the key").isEqualTo(new Err(
        "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"));
    assertThat(r.exec("LPOS", "nokey", "c")).isNull();
  }

  @Test
  void lmoveAndRpoplpush() {
    r.exec("RPUSH", "src", "a", "b", "c");
    assertThat(r.exec("RPOPLPUSH", "src", "dst")).isEqualTo("c");
    assertThat(r.exec("LMOVE", "src", "dst", "LEFT", "RIGHT")).isEqualTo("a");
    assertThat(all("src")).isEqualTo(List.of("b"));
    assertThat(all("dst")).isEqualTo(List.of("c", "a"));
    assertThat(r.exec("LMOVE", "src", "dst", "right", "left")).isEqualTo("b");
    assertThat(r.exec("EXISTS", "src")).isEqualTo(0L);
    assertThat(all("dst")).isEqualTo(List.of("b", "c", "a"));
    // The same list as source and destination rotates; a one-element list stays.
    assertThat(r.exec("LMOVE", "dst", "dst", "LEFT", "RIGHT")).isEqualTo("b");
    assertThat(all("dst")).isEqualTo(List.of("c", "a", "b"));
    assertThat(r.exec("RPOPLPUSH", "dst", "dst")).isEqualTo("b");
    assertThat(all("dst")).isEqualTo(List.of("b", "c", "a"));
    r.exec("RPUSH", "one", "x");
    assertThat(r.exec("RPOPLPUSH", "one", "one")).isEqualTo("x");
    assertThat(all("one")).isEqualTo(List.of("x"));
    assertThat(r.exec("LMOVE", "dst", "x", "UP", "LEFT")).isEqualTo(SYNTAX);
    assertThat(r.exec("LMOVE", "nokey", "x", "LEFT", "DOWN")).isEqualTo(SYNTAX);
    assertThat(r.exec("LMOVE", "nokey", "x", "LEFT", "LEFT")).isNull();
    assertThat(r.exec("EXISTS", "x")).isEqualTo(0L);
  }

  @Test
  void lmoveOntoAnExpiredDestinationCreatesAFreshList() {
    r.exec("RPUSH", "dst", "old");
    r.exec("PEXPIRE", "dst", "10");
    r.exec("RPUSH", "src", "a", "b");
    r.advance(20);
    assertThat(r.exec("LMOVE", "src", "dst", "LEFT", "LEFT")).isEqualTo("a");
    assertThat(all("dst")).isEqualTo(List.of("a"));
    assertThat(r.exec("TTL", "dst")).isEqualTo(-1L);
    assertThat(all("src")).isEqualTo(List.of("b"));
  }

  @Test
  void lmoveWhenReclaimingTheExpiredDestinationShiftsTheSourceSlot() {
    // Two keys with the same home bucket: the source sits in the probe run after the destination.
    // Looking the expired destination up removes it and shifts the source back one slot, so the
    // move must not use the source slot it found before that lookup.
    String dst = "dst";
    int home = io.kaiware.engine.KeyTable.hash(dst.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)) & 0xfffff;
    String src = null;
    for (int i = 0; src == null; i++) {
      String candidate = "src" + i;
      if ((io.kaiware.engine.KeyTable.hash(candidate.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)) & 0xfffff) == home) {
        src = candidate;
      }
    }
    for (boolean emptiesSource : new boolean[] {true, false}) {
      r.exec("FLUSHALL");
      r.exec("RPUSH", dst, "old");
      r.exec("PEXPIRE", dst, "10");
      r.exec(emptiesSource ? new String[] {"RPUSH", src, "a"} : new String[] {"RPUSH", src, "a", "b"});
      r.exec("SET", "other", "v");
      r.advance(20);
      assertThat(r.exec("LMOVE", src, dst, "LEFT", "RIGHT")).isEqualTo("a");
      assertThat(all(dst)).isEqualTo(List.of("a"));
      assertThat(all(src)).isEqualTo(emptiesSource ? List.of() : List.of("b"));
      assertThat(r.exec("EXISTS", src)).isEqualTo(emptiesSource ? 0L : 1L);
      assertThat(r.exec("DBSIZE")).isEqualTo(emptiesSource ? 2L : 3L);
      assertThat(r.exec("GET", "other")).isEqualTo("v");
    }
  }

  @Test
  void lmpopParsingAndReplies() {
    assertThat(r.exec("LMPOP")).isEqualTo(new Err("ERR wrong number of arguments for 'lmpop' command"));
    assertThat(r.exec("LMPOP", "1", "l")).isEqualTo(new Err("ERR wrong number of arguments for 'lmpop' command"));
    assertThat(r.exec("LMPOP", "0", "l", "LEFT")).isEqualTo(new Err("ERR numkeys should be greater than 0"));
    assertThat(r.exec("LMPOP", "a", "l", "LEFT")).isEqualTo(new Err("ERR numkeys should be greater than 0"));
    assertThat(r.exec("LMPOP", "-1", "l", "LEFT")).isEqualTo(new Err("ERR numkeys should be greater than 0"));
    assertThat(r.exec("LMPOP", "9223372036854775807", "l", "LEFT")).isEqualTo(SYNTAX);
    assertThat(r.exec("LMPOP", "2", "l", "LEFT")).isEqualTo(SYNTAX);
    assertThat(r.exec("LMPOP", "1", "l", "bad_where")).isEqualTo(SYNTAX);
    assertThat(r.exec("LMPOP", "1", "l", "LEFT", "bar_arg")).isEqualTo(SYNTAX);
    assertThat(r.exec("LMPOP", "1", "l", "RIGHT", "LEFT")).isEqualTo(SYNTAX);
    assertThat(r.exec("LMPOP", "1", "l", "COUNT")).isEqualTo(SYNTAX);
    assertThat(r.exec("LMPOP", "1", "l", "LEFT", "COUNT", "1", "COUNT", "2")).isEqualTo(SYNTAX);
    assertThat(r.exec("LMPOP", "1", "l", "LEFT", "COUNT")).isEqualTo(SYNTAX);
    assertThat(r.exec("LMPOP", "1", "l", "LEFT", "COUNT", "0")).isEqualTo(new Err("ERR count should be greater than 0"));
    assertThat(r.exec("LMPOP", "1", "l", "RIGHT", "COUNT", "a")).isEqualTo(new Err("ERR count should be greater than 0"));
    assertThat(r.execRaw("LMPOP", "2", "l", "m", "LEFT")).isEqualTo("*-1\r\n");
    r.exec("RPUSH", "m", "1", "2", "3", "4");
    assertThat(r.exec("LMPOP", "2", "l", "m", "left")).isEqualTo(List.of("m", List.of("1")));
    assertThat(r.exec("LMPOP", "2", "l", "m", "RIGHT", "COUNT", "2")).isEqualTo(List.of("m", List.of("4", "3")));
    assertThat(r.exec("LMPOP", "1", "m", "LEFT", "COUNT", "10")).isEqualTo(List.of("m", List.of("2")));
    assertThat(r.exec("EXISTS", "m")).isEqualTo(0L);
  }

  @Test
  void writesTouchWatchedKeysAndFailedOnesDoNot() {
    CommandHarness other = r.otherClient();
    r.exec("RPUSH", "l", "a", "b", "c");
    String[][] writes = {
        {"LPUSH", "l", "x"}, {"RPUSHX", "l", "y"}, {"LPOP", "l"}, {"RPOP", "l", "1"}, {"LSET", "l", "0", "z"},
        {"LREM", "l", "1", "z"}, {"LTRIM", "l", "0", "-1"}, {"LINSERT", "l", "BEFORE", "b", "q"},
        {"LMOVE", "l", "l", "LEFT", "RIGHT"}, {"RPOPLPUSH", "other", "l"}, {"LMPOP", "1", "l", "LEFT"}};
    r.exec("RPUSH", "other", "o1", "o2", "o3");
    for (String[] write : writes) {
      r.exec("WATCH", "l");
      assertThat(other.exec(write)).as(String.join(" ", write)).isNotInstanceOf(Err.class);
      r.exec("MULTI");
      assertThat(r.exec("EXEC")).as(String.join(" ", write) + " dirties the watch").isNull();
    }
    String[][] noOps = {
        {"LPUSHX", "nokey", "a"}, {"LREM", "l", "0", "nothere"}, {"LINSERT", "l", "BEFORE", "nothere", "x"},
        {"LSET", "l", "99", "x"}, {"LPOP", "l", "0"}, {"LRANGE", "l", "0", "-1"}, {"LPOS", "l", "b"}};
    for (String[] noOp : noOps) {
      r.exec("WATCH", "l", "nokey");
      other.exec(noOp);
      r.exec("MULTI");
      assertThat(r.exec("EXEC")).as(String.join(" ", noOp) + " leaves the watch clean").isEqualTo(List.of());
    }
  }

  @Test
  void insideMultiAndInCommandInfo() {
    // multi.tcl's first tests: queued list commands run in order and EXEC returns their replies.
    r.exec("RPUSH", "mylist", "a", "b", "c");
    assertThat(r.exec("MULTI")).isEqualTo("OK");
    assertThat(r.exec("LRANGE", "mylist", "0", "-1")).isEqualTo("QUEUED");
    assertThat(r.exec("SET", "foo", "bar")).isEqualTo("QUEUED");
    assertThat(r.exec("LPOP", "mylist", "2")).isEqualTo("QUEUED");
    assertThat(r.exec("LPOP", "foo")).isEqualTo("QUEUED");
    assertThat(r.exec("LPOP", "mylist", "1", "2")).isEqualTo("QUEUED");
    assertThat(r.exec("EXEC")).isEqualTo(List.of(List.of("a", "b", "c"), "OK", List.of("a", "b"), WRONGTYPE,
        new Err("ERR wrong number of arguments for 'lpop' command")));
    assertThat(all("mylist")).isEqualTo(List.of("c"));
    assertThat(r.exec("BLPOP", "mylist", "0")).isEqualTo(List.of("mylist", "c"));
    List<Object> blpop = (List<Object>) ((List<Object>) r.exec("COMMAND", "INFO", "blpop")).get(0);
    assertThat(blpop.subList(0, 7)).isEqualTo(List.of("blpop", -3L, List.of("write", "noscript", "blocking"), 1L, -2L, 1L,
        List.of("@write", "@list", "@slow", "@blocking")));
    List<Object> info = (List<Object>) ((List<Object>) r.exec("COMMAND", "INFO", "lpush")).get(0);
    assertThat(info.subList(0, 7)).isEqualTo(List.of("lpush", -3L, List.of("write", "denyoom", "fast"), 1L, 1L, 1L,
        List.of("@write", "@list", "@fast")));
    List<Object> lmove = (List<Object>) ((List<Object>) r.exec("COMMAND", "INFO", "lmove")).get(0);
    assertThat(lmove.subList(0, 7)).isEqualTo(List.of("lmove", 5L, List.of("write", "denyoom"), 1L, 2L, 1L,
        List.of("@write", "@list", "@slow")));
  }

  @Test
  void emptiedListsAreDeleted() {
    String[][] emptying = {
        {"LPOP", "l"}, {"RPOP", "l", "5"}, {"LREM", "l", "0", "a"}, {"LTRIM", "l", "5", "10"},
        {"LMOVE", "l", "d", "LEFT", "LEFT"}, {"RPOPLPUSH", "l", "d"}, {"LMPOP", "1", "l", "RIGHT"}};
    for (String[] cmd : emptying) {
      r.exec("RPUSH", "l", "a");
      r.exec(cmd);
      assertThat(r.exec("EXISTS", "l")).as(String.join(" ", cmd)).isEqualTo(0L);
      assertThat(r.exec("TYPE", "l")).isEqualTo("none");
    }
  }

  @Test
  void dumpRestoreCopyAndDigest() {
    for (int i = 0; i < 100; i++) {
      r.exec(i % 2 == 0 ? "RPUSH" : "LPUSH", "l", "e" + i);
    }
    r.exec("RPUSH", "l", "", "\u0000\u0001\u00ff");
    String payload = (String) r.exec("DUMP", "l");
    assertThat(payload.charAt(0)).as("RDB_TYPE_LIST").isEqualTo('\u0001');
    assertThat(r.exec("RESTORE", "l2", "0", payload)).isEqualTo("OK");
    assertThat(all("l2")).isEqualTo(all("l")).hasSize(102);
    assertThat(r.exec("DEBUG", "DIGEST-VALUE", "l2")).isEqualTo(r.exec("DEBUG", "DIGEST-VALUE", "l"));
    assertThat(r.exec("RESTORE", "l2", "0", payload)).isEqualTo(new Err("BUSYKEY Target key name already exists."));
    // An empty list body is malformed: Redis never stores an empty list.
    String empty = "\u0003\u0000\u0001\u0000"; // Kaiware's former payload: list tag, no element, version 1
    assertThat(r.exec("RESTORE", "e", "0", withChecksum(empty))).isEqualTo(new Err("ERR Bad data format"));

    assertThat(r.exec("COPY", "l", "l3")).isEqualTo(1L);
    r.exec("LSET", "l3", "0", "changed");
    r.exec("RPOP", "l3");
    assertThat(r.exec("LLEN", "l")).isEqualTo(102L);
    assertThat(r.exec("LINDEX", "l", "0")).isEqualTo("e99");
    assertThat(r.exec("DEBUG", "DIGEST-VALUE", "l3")).isNotEqualTo(r.exec("DEBUG", "DIGEST-VALUE", "l"));

    // The digest depends on the order of the elements.
    r.exec("RPUSH", "ab", "a", "b");
    r.exec("RPUSH", "ba", "b", "a");
    assertThat(r.exec("DEBUG", "DIGEST-VALUE", "ab")).isNotEqualTo(r.exec("DEBUG", "DIGEST-VALUE", "ba"));
    r.exec("LMOVE", "ba", "ba", "LEFT", "RIGHT");
    assertThat(r.exec("DEBUG", "DIGEST-VALUE", "ab")).isEqualTo(r.exec("DEBUG", "DIGEST-VALUE", "ba"));

    assertThat((Long) r.exec("MEMORY", "USAGE", "l")).isGreaterThan(102L * 24);
    r.exec("SET", "str", "v");
    r.exec("HSET", "h", "f", "v");
    List<Object> scan = (List<Object>) r.exec("SCAN", "0", "TYPE", "list", "COUNT", "100");
    assertThat(scan.get(0)).isEqualTo("0");
    assertThat((List<Object>) scan.get(1)).containsExactlyInAnyOrder("ab", "ba", "l", "l2", "l3");
  }

  /** A DUMP payload for {@code body + version}: the body and version with their CRC-32C appended. */
  private static String withChecksum(String bodyAndVersion) {
    byte[] b = bodyAndVersion.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(b);
    long c = crc.getValue();
    StringBuilder sb = new StringBuilder(bodyAndVersion);
    for (int i = 0; i < 4; i++) {
      sb.append((char) ((c >>> (8 * i)) & 0xff));
    }
    return sb.toString();
  }
}

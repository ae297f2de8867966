package io.kaiware.command.zset;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sorted-set replies and errors as Redis 7.0 gives them (after tests/unit/type/zset.tcl). */
@SuppressWarnings("unchecked")
class ZSetCommandsTest {

  private static final Err SYNTAX = new Err("ERR syntax error");
  private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");
  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
  }

  @Test
  void zaddOptionsAndErrors() {
    assertThat(r.exec("ZADD", "z", "1", "a", "2", "b")).isEqualTo(2L);
    assertThat(r.exec("ZADD", "z", "NX", "XX", "1", "a")).isEqualTo(new Err("ERR XX and NX options at the same time are not compatible"));
    assertThat(r.exec("ZADD", "z", "GT", "LT", "1", "a")).isEqualTo(new Err("ERR GT, LT, and/or NX options at the same time are not compatible"));
    assertThat(r.exec("ZADD", "z", "INCR", "1", "a", "2", "b")).isEqualTo(new Err("ERR INCR option supports a single increment-element pair"));
    assertThat(r.exec("ZADD", "z", "1", "a", "2")).isEqualTo(SYNTAX);
    assertThat(r.exec("ZADD", "z", "x", "a")).isEqualTo(new Err("ERR value is not a valid float"));
    assertThat(r.exec("ZADD", "z", "nan", "a")).isEqualTo(new Err("ERR value is not a valid float"));
    assertThat(r.exec("ZADD", "z", "CH", "5", "a", "2", "b", "3", "c")).isEqualTo(2L);
    assertThat(r.exec("ZADD", "z", "GT", "CH", "1", "a", "9", "b")).isEqualTo(1L);
    assertThat(r.exec("ZADD", "z", "XX", "INCR", "1", "nope")).isNull();
    assertThat(r.exec("ZADD", "z", "INCR", "0.1", "a")).isEqualTo("5.0999999999999996");
    assertThat(r.exec("ZADD", "z", "inf", "i")).isEqualTo(1L);
    assertThat(r.exec("ZINCRBY", "z", "-inf", "i")).isEqualTo(new Err("ERR resulting score is not a number (NaN)"));
    assertThat(r.exec("ZSCORE", "z", "i")).isEqualTo("inf");
    assertThat(r.exec("ZADD", "nokey", "XX", "1", "a")).isEqualTo(0L);
    assertThat(r.exec("EXISTS", "nokey")).isEqualTo(0L);
    r.exec("SET", "s", "v");
    assertThat(r.exec("ZADD", "s", "1", "a")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("ZRANGE", "s", "0", "-1")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("ZUNION", "2", "z", "s")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("ZPOPMIN", "s", "0")).as("the type is checked before the count").isEqualTo(WRONGTYPE);
    // Found by ZSetModelPropertyTest: the union's sum of 0 * 2 and 0 * -1 is 0, never -0.
    r.exec("ZADD", "u0", "0", "a", "0", "b");
    r.exec("ZADD", "u1", "0", "a");
    r.exec("ZUNIONSTORE", "u0", "2", "u0", "u1", "WEIGHTS", "2", "-1", "AGGREGATE", "SUM");
    assertThat(r.exec("ZRANGE", "u0", "0", "0", "WITHSCORES")).isEqualTo(java.util.List.of("a", "0"));
    assertThat(r.exec("ZPOPMAX", "s", "0")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("ZPOPMIN", "z", "0")).isEqualTo(java.util.List.of());
    assertThat(r.exec("ZPOPMIN", "nokey", "0")).isEqualTo(java.util.List.of());
    assertThat(r.exec("TYPE", "z")).isEqualTo("zset");
    assertThat(r.exec("OBJECT", "ENCODING", "z")).isEqualTo("listpack");
  }

  @Test
  void setOperationsReadAPlainSetAsScoresOfOne() {
    // tests/unit/type/zset.tcl "ZUNIONSTORE with a regular set and weights" and its ZINTER/ZDIFF twins.
    r.exec("SADD", "seta", "a", "b", "c");
    r.exec("ZADD", "zsetb", "1", "b", "2", "c", "3", "d");
    assertThat(r.exec("ZUNIONSTORE", "zsetc", "2", "seta", "zsetb", "WEIGHTS", "2", "3")).isEqualTo(4L);
    assertThat(r.exec("ZRANGE", "zsetc", "0", "-1", "WITHSCORES")).isEqualTo(List.of("a", "2", "b", "5", "c", "8", "d", "9"));
    assertThat(r.exec("ZINTERSTORE", "zsetc", "2", "seta", "zsetb", "WEIGHTS", "2", "3")).isEqualTo(2L);
    assertThat(r.exec("ZRANGE", "zsetc", "0", "-1", "WITHSCORES")).isEqualTo(List.of("b", "5", "c", "8"));
    assertThat(r.exec("ZDIFFSTORE", "zsetc", "2", "seta", "zsetb")).isEqualTo(1L);
    assertThat(r.exec("ZRANGE", "zsetc", "0", "-1", "WITHSCORES")).isEqualTo(List.of("a", "1"));
    assertThat(r.exec("ZINTERCARD", "2", "seta", "zsetb")).isEqualTo(2L);
    assertThat(r.exec("SCARD", "seta")).isEqualTo(3L); // the set itself is untouched
    assertThat(r.exec("TYPE", "seta")).isEqualTo("set");
    r.exec("RPUSH", "list", "a");
    assertThat(r.exec("ZUNION", "2", "seta", "list")).isEqualTo(WRONGTYPE);
  }

  @Test
  void negativeZeroTiesWithZero() {
    // Found by ZSetModelPropertyTest: 2*0 + -1*0 is 0 and -1*0 is -0; Redis compares scores with C's
    // < and ==, so the two tie and the member decides the order.
    r.exec("ZADD", "z0", "0", "a");
    r.exec("ZADD", "z1", "0", "a", "0", "b");
    assertThat(r.exec("ZUNIONSTORE", "z0", "2", "z0", "z1", "WEIGHTS", "2", "-1", "AGGREGATE", "SUM")).isEqualTo(2L);
    assertThat(r.exec("ZSCORE", "z0", "b")).isEqualTo("-0");
    assertThat(r.exec("ZRANK", "z0", "a")).isEqualTo(0L);
    assertThat(r.exec("ZRANGEBYSCORE", "z0", "0", "0")).isEqualTo(List.of("a", "b"));
    assertThat(r.exec("ZADD", "z0", "-0", "c")).isEqualTo(1L);
    assertThat(r.exec("ZRANGE", "z0", "0", "-1")).isEqualTo(List.of("a", "b", "c"));
  }

  @Test
  void rangeSyntaxRules() {
    r.exec("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
    assertThat(r.exec("ZRANGE", "z", "0", "-1", "LIMIT", "0", "1")).isEqualTo(
        new Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"));
    assertThat(r.exec("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES")).isEqualTo(
        new Err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"));
    assertThat(r.exec("ZRANGEBYSCORE", "z", "0", "10", "REV")).isEqualTo(SYNTAX);
    assertThat(r.exec("ZRANGESTORE", "d", "z", "0", "-1", "WITHSCORES")).isEqualTo(SYNTAX);
    assertThat(r.exec("ZRANGEBYSCORE", "z", "a", "1")).isEqualTo(new Err("ERR min or max is not a float"));
    assertThat(r.exec("ZRANGEBYLEX", "z", "a", "+")).isEqualTo(new Err("ERR min or max not valid string range item"));
    assertThat(r.exec("ZRANGE", "z", "(4", "2", "BYSCORE", "REV", "LIMIT", "1", "5", "WITHSCORES")).isEqualTo(List.of("b", "2"));
    assertThat(r.exec("ZRANGE", "z", "0", "1", "REV")).isEqualTo(List.of("d", "c"));
    assertThat(r.exec("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "-1", "2")).isEqualTo(List.of());
    assertThat(r.exec("ZRANGEBYSCORE", "z", "(1", "(4")).isEqualTo(List.of("b", "c"));
    assertThat(r.exec("ZRANGESTORE", "d", "z", "1", "2")).isEqualTo(2L);
    assertThat(r.exec("ZRANGE", "d", "0", "-1", "WITHSCORES")).isEqualTo(List.of("b", "2", "c", "3"));
    assertThat(r.exec("ZRANGESTORE", "d", "z", "5", "6")).isEqualTo(0L);
    assertThat(r.exec("EXISTS", "d")).isEqualTo(0L);
  }

  @Test
  void resp3ReplyShapes() {
    r.exec("ZADD", "z", "1", "a", "2.5", "b", "3", "c");
    r.exec("HELLO", "3");
    assertThat(r.exec("ZSCORE", "z", "b")).isEqualTo(2.5);
    assertThat(r.exec("ZMSCORE", "z", "a", "x")).isEqualTo(Arrays.asList(1.0, null));
    assertThat(r.exec("ZRANGE", "z", "0", "1", "WITHSCORES")).isEqualTo(List.of(List.of("a", 1.0), List.of("b", 2.5)));
    assertThat(r.exec("ZRANGE", "z", "0", "1")).isEqualTo(List.of("a", "b"));
    assertThat(r.exec("ZINCRBY", "z", "1", "a")).isEqualTo(2.0);
    assertThat(r.exec("ZPOPMIN", "z")).isEqualTo(List.of("a", 2.0));
    assertThat(r.exec("ZPOPMAX", "z", "1")).isEqualTo(List.of(List.of("c", 3.0)));
    assertThat(r.exec("ZUNION", "1", "z", "WITHSCORES")).isEqualTo(List.of(List.of("b", 2.5)));
    assertThat(r.exec("ZRANDMEMBER", "z", "-2", "WITHSCORES")).isEqualTo(List.of(List.of("b", 2.5), List.of("b", 2.5)));
    assertThat(r.exec("ZMPOP", "2", "nokey", "z", "MIN")).isEqualTo(List.of("z", List.of(List.of("b", 2.5))));
    assertThat(r.exec("ZMPOP", "1", "z", "MIN")).isNull();
    assertThat(r.exec("ZSCORE", "z", "b")).isNull();
  }

  @Test
  void popsAndMpopInResp2() {
    r.exec("ZADD", "z", "1", "a", "2", "b", "3", "c");
    assertThat(r.exec("ZPOPMIN", "z", "-1")).isEqualTo(new Err("ERR value is out of range, must be positive"));
    assertThat(r.exec("ZPOPMIN", "z", "0")).isEqualTo(List.of());
    assertThat(r.exec("ZPOPMIN", "z", "1", "2")).isEqualTo(SYNTAX);
    assertThat(r.exec("ZPOPMAX", "z", "2")).isEqualTo(List.of("c", "3", "b", "2"));
    assertThat(r.exec("ZMPOP", "0", "z", "MIN")).isEqualTo(new Err("ERR numkeys should be greater than 0"));
    assertThat(r.exec("ZMPOP", "1", "z", "MIN", "COUNT", "0")).isEqualTo(new Err("ERR count should be greater than 0"));
    assertThat(r.exec("ZMPOP", "1", "z", "MID")).isEqualTo(SYNTAX);
    assertThat(r.exec("ZMPOP", "1", "z", "MIN", "COUNT", "5")).isEqualTo(List.of("z", List.of(List.of("a", "1"))));
    assertThat(r.exec("EXISTS", "z")).isEqualTo(0L);
    assertThat(r.exec("ZMPOP", "1", "z", "MIN")).isNull();
  }

  @Test
  void setOperations() {
    r.exec("ZADD", "a", "1", "x", "2", "y", "3", "z");
    r.exec("ZADD", "b", "10", "y", "20", "z", "30", "w");
    assertThat(r.exec("ZUNION", "2", "a", "b", "WITHSCORES")).isEqualTo(List.of("x", "1", "y", "12", "z", "23", "w", "30"));
    assertThat(r.exec("ZINTER", "2", "a", "b", "AGGREGATE", "MAX", "WITHSCORES")).isEqualTo(List.of("y", "10", "z", "20"));
    assertThat(r.exec("ZINTER", "2", "a", "b", "WEIGHTS", "2", "0.5", "WITHSCORES")).isEqualTo(List.of("y", "9", "z", "16"));
    assertThat(r.exec("ZDIFF", "2", "a", "b", "WITHSCORES")).isEqualTo(List.of("x", "1"));
    assertThat(r.exec("ZINTERCARD", "2", "a", "b")).isEqualTo(2L);
    assertThat(r.exec("ZINTERCARD", "2", "a", "b", "LIMIT", "1")).isEqualTo(1L);
    assertThat(r.exec("ZINTERCARD", "2", "a", "b", "LIMIT", "-1")).isEqualTo(new Err("ERR LIMIT can't be negative"));
    assertThat(r.exec("ZUNIONSTORE", "d", "0", "a")).isEqualTo(new Err("ERR at least 1 input key is needed for 'zunionstore' command"));
    assertThat(r.exec("ZUNIONSTORE", "d", "3", "a", "b")).isEqualTo(SYNTAX);
    assertThat(r.exec("ZUNION", "2", "a", "b", "WEIGHTS", "1", "x")).isEqualTo(new Err("ERR weight value is not a float"));
    assertThat(r.exec("ZDIFF", "2", "a", "b", "WEIGHTS", "1", "1")).isEqualTo(SYNTAX);
    assertThat(r.exec("ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "0", "1", "AGGREGATE", "SUM")).isEqualTo(4L);
    assertThat(r.exec("ZRANGE", "d", "0", "-1", "WITHSCORES")).isEqualTo(List.of("x", "0", "y", "10", "z", "20", "w", "30"));
    assertThat(r.exec("ZINTERSTORE", "d", "2", "a", "nokey")).isEqualTo(0L);
    assertThat(r.exec("EXISTS", "d")).isEqualTo(0L);
    r.exec("ZADD", "inf", "inf", "p");
    assertThat(r.exec("ZUNION", "1", "inf", "WEIGHTS", "0", "WITHSCORES")).isEqualTo(List.of("p", "0"));
  }

  @Test
  void scanRandomDumpCopyAndWatch() {
    for (int i = 0; i < 300; i++) {
      r.exec("ZADD", "z", Integer.toString(i), "m" + i);
    }
    java.util.Set<Object> seen = new java.util.HashSet<>();
    String cursor = "0";
    do {
      List<Object> reply = (List<Object>) r.exec("ZSCAN", "z", cursor);
      cursor = (String) reply.get(0);
      List<Object> items = (List<Object>) reply.get(1);
      for (int i = 0; i < items.size(); i += 2) {
        assertThat(items.get(i)).isEqualTo("m" + items.get(i + 1));
        seen.add(items.get(i));
      }
    } while (!cursor.equals("0"));
    assertThat(seen).hasSize(300);
    assertThat((List<Object>) r.exec("ZRANDMEMBER", "z", "10")).hasSize(10).doesNotHaveDuplicates();
    assertThat(r.exec("ZRANDMEMBER", "nokey")).isNull();
    String payload = (String) r.exec("DUMP", "z");
    assertThat(r.exec("RESTORE", "z2", "0", payload)).isEqualTo("OK");
    assertThat(r.exec("ZRANGE", "z2", "0", "-1", "WITHSCORES")).isEqualTo(r.exec("ZRANGE", "z", "0", "-1", "WITHSCORES"));
    assertThat(r.exec("COPY", "z", "z3")).isEqualTo(1L);
    r.exec("ZREM", "z3", "m1");
    assertThat(r.exec("ZCARD", "z")).isEqualTo(300L);
    CommandHarness other = r.otherClient();
    r.exec("WATCH", "z");
    other.exec("ZINCRBY", "z", "1", "m5");
    r.exec("MULTI");
    assertThat(r.exec("EXEC")).isNull();
  }
}

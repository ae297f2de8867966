package io.kaiware.command.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SORT and SORT_RO (cases from Redis 7.0's tests/unit/sort.tcl). */
class SortCommandTest {

  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
    // tosort: 1..4 pushed in a shuffled order, weights weight_N = 10 - N, hashes wobj_N weight.
    for (String n : new String[] {"3", "1", "4", "2"}) {
      r.exec("RPUSH", "tosort", n);
      r.exec("SET", "weight_" + n, String.valueOf(10 - Integer.parseInt(n)));
      r.exec("HSET", "wobj_" + n, "weight", String.valueOf(Integer.parseInt(n) * 2));
    }
  }

  @Test
  void numericAlphaDescAndLimit() {
    assertThat(r.exec("SORT", "tosort")).isEqualTo(List.of("1", "2", "3", "4"));
    assertThat(r.exec("SORT", "tosort", "DESC")).isEqualTo(List.of("4", "3", "2", "1"));
    assertThat(r.exec("SORT", "tosort", "LIMIT", "1", "2")).isEqualTo(List.of("2", "3"));
    assertThat(r.exec("SORT", "tosort", "LIMIT", "-5", "2")).isEqualTo(List.of("1", "2"));
    assertThat(r.exec("SORT", "tosort", "LIMIT", "10", "2")).isEqualTo(List.of());
    assertThat(r.exec("SORT", "tosort", "LIMIT", "2", "-1")).isEqualTo(List.of("3", "4"));
    r.exec("RPUSH", "mixed", "10", "9", "b", "a");
    assertThat(r.exec("SORT", "mixed", "ALPHA")).isEqualTo(List.of("10", "9", "a", "b"));
    assertThat(r.exec("SORT", "mixed")).isEqualTo(new Err("ERR One or more scores can't be converted into double"));
    assertThat(r.exec("SORT", "nokey")).isEqualTo(List.of());
    assertThat(r.exec("SORT", "tosort", "BOGUS")).isEqualTo(new Err("ERR syntax error"));
    r.exec("SET", "str", "x");
    assertThat(r.exec("SORT", "str")).isEqualTo(new Err("WRONGTYPE Operation against a key holding the wrong kind of value"));
  }

  @Test
  void byKeysHashFieldsAndGet() {
    assertThat(r.exec("SORT", "tosort", "BY", "weight_*")).isEqualTo(List.of("4", "3", "2", "1"));
    assertThat(r.exec("SORT", "tosort", "BY", "weight_*", "LIMIT", "0", "1")).isEqualTo(List.of("4"));
    assertThat(r.exec("SORT", "tosort", "BY", "wobj_*->weight")).isEqualTo(List.of("1", "2", "3", "4"));
    assertThat(r.exec("SORT", "tosort", "GET", "#")).isEqualTo(List.of("1", "2", "3", "4"));
    assertThat(r.exec("SORT", "tosort", "GET", "foo")).isEqualTo(Arrays.asList(null, null, null, null));
    assertThat(r.exec("SORT", "tosort", "GET", "#", "GET", "weight_*", "GET", "wobj_*->weight", "LIMIT", "0", "2"))
        .isEqualTo(List.of("1", "9", "2", "2", "8", "4"));
    // A pattern that ends with "->" is a key name, not a hash field.
    r.exec("SET", "wobj_1->", "x");
    assertThat(r.exec("SORT", "tosort", "GET", "wobj_*->", "LIMIT", "0", "1")).isEqualTo(List.of("x"));
    // Missing weights sort as 0; equal scores fall back to the elements.
    r.exec("DEL", "weight_2", "weight_3");
    assertThat(r.exec("SORT", "tosort", "BY", "weight_*")).isEqualTo(List.of("2", "3", "4", "1"));
  }

  @Test
  void constantByKeepsNativeOrder() {
    assertThat(r.exec("SORT", "tosort", "BY", "nosort")).isEqualTo(List.of("3", "1", "4", "2"));
    assertThat(r.exec("SORT", "tosort", "BY", "nosort", "DESC")).isEqualTo(List.of("2", "4", "1", "3"));
    assertThat(r.exec("SORT", "tosort", "BY", "nosort", "LIMIT", "1", "2")).isEqualTo(List.of("1", "4"));
    r.exec("ZADD", "zset", "1", "a", "5", "b", "2", "c", "10", "d", "3", "e");
    assertThat(r.exec("SORT", "zset", "BY", "nosort", "ASC")).isEqualTo(List.of("a", "c", "e", "b", "d"));
    assertThat(r.exec("SORT", "zset", "BY", "nosort", "DESC", "LIMIT", "1", "2")).isEqualTo(List.of("b", "e"));
    assertThat(r.exec("SORT", "zset", "ALPHA")).isEqualTo(List.of("a", "b", "c", "d", "e"));
    // A set has no order of its own: with STORE it is sorted ALPHA so that replicas store the same list.
    r.exec("SADD", "set", "c", "a", "b", "10");
    assertThat(r.exec("SORT", "set", "BY", "nosort", "STORE", "out")).isEqualTo(4L);
    assertThat(r.exec("LRANGE", "out", "0", "-1")).isEqualTo(List.of("10", "a", "b", "c"));
  }

  @Test
  void storeWritesAListOrDeletesTheDestination() {
    assertThat(r.exec("SORT", "tosort", "BY", "weight_*", "STORE", "sorted")).isEqualTo(4L);
    assertThat(r.exec("LRANGE", "sorted", "0", "-1")).isEqualTo(List.of("4", "3", "2", "1"));
    assertThat(r.exec("SORT", "tosort", "GET", "nokey_*", "STORE", "sorted")).isEqualTo(4L);
    assertThat(r.exec("LRANGE", "sorted", "0", "-1")).isEqualTo(List.of("", "", "", ""));
    assertThat(r.exec("SORT", "emptylist", "STORE", "sorted")).isEqualTo(0L);
    assertThat(r.exec("EXISTS", "sorted")).isEqualTo(0L);
    // WATCH sees the destination deleted even when the result is empty.
    r.exec("LPUSH", "foo", "bar");
    r.exec("WATCH", "foo");
    r.exec("SORT", "emptylist", "STORE", "foo");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNull();
  }

  @Test
  void sortRoReadsOnlyAndRefusesStore() {
    assertThat(r.exec("SORT_RO", "tosort", "DESC")).isEqualTo(List.of("4", "3", "2", "1"));
    assertThat(r.exec("SORT_RO", "tosort", "STORE", "x")).isEqualTo(new Err("ERR syntax error"));
  }

  @Test
  void floatsInfinitiesAndStrtod() {
    r.exec("ZADD", "zinf", "0", "a", "0", "b");
    r.exec("SET", "w_a", "+inf");
    r.exec("SET", "w_b", "-inf");
    assertThat(r.exec("SORT", "zinf", "BY", "w_*")).isEqualTo(List.of("b", "a"));
    r.exec("RPUSH", "floats", "1.1", "5.10", "3.10", "7.44", "2.1", "5.75", "6.12", "0.25", "1.15");
    assertThat(r.exec("SORT", "floats")).isEqualTo(List.of("0.25", "1.1", "1.15", "2.1", "3.10", "5.10", "5.75", "6.12", "7.44"));
    assertThat(SortCommand.strtod("  12".getBytes())).isEqualTo(12.0);
    assertThat(SortCommand.strtod("".getBytes())).isEqualTo(0.0);
    assertThat(SortCommand.strtod("0x10".getBytes())).isEqualTo(16.0);
    assertThat(SortCommand.strtod("1e400".getBytes())).isNaN();
    assertThat(SortCommand.strtod("12a".getBytes())).isNaN();
    assertThat(SortCommand.strtod("nan".getBytes())).isNaN();
  }
}

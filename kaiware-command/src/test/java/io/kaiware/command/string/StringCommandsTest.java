package io.kaiware.command.string;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The string family, reply for reply against Redis 7.0 (cases from tests/unit/type/string.tcl and incr.tcl). */
class StringCommandsTest {

  private static final Err NOT_INT = new Err("ERR value is not an integer or out of range");
  private static final Err NOT_FLOAT = new Err("ERR value is not a valid float");
  private static final Err SYNTAX = new Err("ERR syntax error");
  private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");

  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
  }

  @Test
  void setexAndPsetex() {
    assertThat(r.exec("SETEX", "k", "10", "v")).isEqualTo("OK");
    assertThat(r.exec("TTL", "k")).isEqualTo(10L);
    assertThat(r.exec("PSETEX", "p", "1500", "v")).isEqualTo("OK");
    assertThat(r.exec("PTTL", "p")).isEqualTo(1500L);
    assertThat(r.exec("SETEX", "k", "0", "v")).isEqualTo(new Err("ERR invalid expire time in 'setex' command"));
    assertThat(r.exec("SETEX", "k", "-10", "v")).isEqualTo(new Err("ERR invalid expire time in 'setex' command"));
    assertThat(r.exec("PSETEX", "k", "0", "v")).isEqualTo(new Err("ERR invalid expire time in 'psetex' command"));
    assertThat(r.exec("SETEX", "k", "x", "v")).isEqualTo(NOT_INT);
    assertThat(r.exec("SETEX", "k", "9223372036854775807", "v"))
        .isEqualTo(new Err("ERR invalid expire time in 'setex' command"));
    assertThat(r.exec("SETEX", "k", "10")).isEqualTo(new Err("ERR wrong number of arguments for 'setex' command"));
    r.advance(10_001);
    assertThat(r.exec("GET", "k")).isNull();
  }

  /** incr.tcl "INCR uses shared objects in the 0-9999 range" and "INCR can modify objects in-place". */
  @Test
  void smallIntegersReportRedisSharedObjectsAndIncrKeepsTheObjectIdentity() {
    r.exec("SET", "foo", "-1");
    r.exec("INCR", "foo");
    assertThat(r.exec("OBJECT", "REFCOUNT", "foo")).isEqualTo((long) Integer.MAX_VALUE);
    r.exec("SET", "foo", "9998");
    r.exec("INCR", "foo");
    assertThat(r.exec("OBJECT", "REFCOUNT", "foo")).isEqualTo((long) Integer.MAX_VALUE);
    r.exec("INCR", "foo");
    assertThat(r.exec("OBJECT", "REFCOUNT", "foo")).isEqualTo(1L);
    r.exec("SET", "text", "12a");
    assertThat(r.exec("OBJECT", "REFCOUNT", "text")).isEqualTo(1L);
    r.exec("SETRANGE", "foo", "0", "1");
    assertThat(r.exec("OBJECT", "REFCOUNT", "foo")).isEqualTo(1L); // raw: written in place

    r.exec("SET", "foo", "20000");
    r.exec("INCR", "foo");
    String before = ((String) r.exec("DEBUG", "OBJECT", "foo")).split(" ")[1];
    r.exec("INCR", "foo");
    String after = ((String) r.exec("DEBUG", "OBJECT", "foo")).split(" ")[1];
    assertThat(before).startsWith("at:").isEqualTo(after);
    assertThat((String) r.exec("DEBUG", "OBJECT", "foo")).contains(" refcount:1 encoding:int ");
  }

  /** string.tcl "SETRANGE against integer-encoded key", and APPEND/SETBIT: written in place means raw. */
  @Test
  void inPlaceWritesLeaveARawStringUntilTheNextSet() {
    r.exec("SET", "mykey", "1234");
    assertThat(r.exec("OBJECT", "ENCODING", "mykey")).isEqualTo("int");
    assertThat(r.exec("SETRANGE", "mykey", "0", "2")).isEqualTo(4L);
    assertThat(r.exec("OBJECT", "ENCODING", "mykey")).isEqualTo("raw");
    assertThat(r.exec("GET", "mykey")).isEqualTo("2234");
    r.exec("SET", "mykey", "1234");
    assertThat(r.exec("SETRANGE", "mykey", "0", "")).isEqualTo(4L); // nothing set: the encoding stays
    assertThat(r.exec("OBJECT", "ENCODING", "mykey")).isEqualTo("int");
    assertThat(r.exec("SETRANGE", "fresh", "1", "3")).isEqualTo(2L);
    assertThat(r.exec("OBJECT", "ENCODING", "fresh")).isEqualTo("raw");

    r.exec("SET", "foo", "1");
    r.exec("APPEND", "foo", "2");
    assertThat(r.exec("GET", "foo")).isEqualTo("12");
    assertThat(r.exec("OBJECT", "ENCODING", "foo")).isEqualTo("raw");
    r.exec("APPEND", "new", "5"); // APPEND creating the key stores the argument as SET would
    assertThat(r.exec("OBJECT", "ENCODING", "new")).isEqualTo("int");

    r.exec("SET", "bits", "hello");
    assertThat(r.exec("OBJECT", "ENCODING", "bits")).isEqualTo("embstr");
    r.exec("SETBIT", "bits", "0", "0"); // the bit was already 0: Redis unshares the value anyway
    assertThat(r.exec("OBJECT", "ENCODING", "bits")).isEqualTo("raw");

    r.exec("SET", "foo", "12");
    assertThat(r.exec("OBJECT", "ENCODING", "foo")).isEqualTo("int");
    r.exec("SET", "long", "x".repeat(45));
    assertThat(r.exec("OBJECT", "ENCODING", "long")).isEqualTo("raw");
  }

  @Test
  void setnxGetsetGetdel() {
    assertThat(r.exec("SETNX", "k", "a")).isEqualTo(1L);
    assertThat(r.exec("SETNX", "k", "b")).isEqualTo(0L);
    assertThat(r.exec("GET", "k")).isEqualTo("a");
    r.exec("EXPIRE", "k", "100");
    assertThat(r.exec("GETSET", "k", "c")).isEqualTo("a");
    assertThat(r.exec("TTL", "k")).isEqualTo(-1L);
    assertThat(r.exec("GETSET", "nokey", "c")).isNull();
    assertThat(r.exec("GETDEL", "k")).isEqualTo("c");
    assertThat(r.exec("EXISTS", "k")).isEqualTo(0L);
    assertThat(r.exec("GETDEL", "k")).isNull();
  }

  @Test
  void setnxOnExpiredKeySucceeds() {
    r.exec("PSETEX", "k", "100", "old");
    r.advance(101);
    assertThat(r.exec("SETNX", "k", "new")).isEqualTo(1L);
    assertThat(r.exec("GET", "k")).isEqualTo("new");
  }

  @Test
  void setOptions() {
    assertThat(r.exec("SET", "k", "v", "NX", "XX")).isEqualTo(SYNTAX);
    assertThat(r.exec("SET", "k", "v", "EX", "10", "PX", "100")).isEqualTo(SYNTAX);
    assertThat(r.exec("SET", "k", "v", "KEEPTTL", "EX", "10")).isEqualTo(SYNTAX);
    assertThat(r.exec("SET", "k", "v", "EX")).isEqualTo(SYNTAX);
    assertThat(r.exec("SET", "k", "v", "PERSIST")).isEqualTo(SYNTAX);
    assertThat(r.exec("SET", "k", "v", "EX", "abc", "FOO")).isEqualTo(SYNTAX);
    assertThat(r.exec("SET", "k", "v", "EX", "abc")).isEqualTo(NOT_INT);
    assertThat(r.exec("SET", "k", "v", "EX", "0")).isEqualTo(new Err("ERR invalid expire time in 'set' command"));
    // Redis accepts a repeated EX: the last one wins.
    assertThat(r.exec("SET", "k", "v", "EX", "10", "EX", "20")).isEqualTo("OK");
    assertThat(r.exec("TTL", "k")).isEqualTo(20L);
    assertThat(r.exec("SET", "k", "w", "KEEPTTL")).isEqualTo("OK");
    assertThat(r.exec("TTL", "k")).isEqualTo(20L);
    assertThat(r.exec("SET", "k", "x", "GET")).isEqualTo("w");
    assertThat(r.exec("TTL", "k")).isEqualTo(-1L);
    assertThat(r.exec("SET", "k", "y", "NX", "GET")).isEqualTo("x");
    assertThat(r.exec("GET", "k")).isEqualTo("x");
    assertThat(r.exec("SET", "n", "y", "XX", "GET")).isNull();
    assertThat(r.exec("SET", "n", "y", "XX")).isNull();
    long at = r.nowMs() + 5000;
    assertThat(r.exec("SET", "k", "v", "PXAT", Long.toString(at))).isEqualTo("OK");
    assertThat(r.exec("PEXPIRETIME", "k")).isEqualTo(at);
  }

  @Test
  void getex() {
    r.exec("SET", "k", "v");
    assertThat(r.exec("GETEX", "k", "EX", "100")).isEqualTo("v");
    assertThat(r.exec("TTL", "k")).isEqualTo(100L);
    assertThat(r.exec("GETEX", "k", "PX", "5000")).isEqualTo("v");
    assertThat(r.exec("PTTL", "k")).isEqualTo(5000L);
    assertThat(r.exec("GETEX", "k", "PERSIST")).isEqualTo("v");
    assertThat(r.exec("TTL", "k")).isEqualTo(-1L);
    assertThat(r.exec("GETEX", "k", "EXAT", Long.toString(r.nowMs() / 1000 + 50))).isEqualTo("v");
    assertThat(r.exec("TTL", "k")).isEqualTo(50L);
    assertThat(r.exec("GETEX", "k")).isEqualTo("v");
    assertThat(r.exec("TTL", "k")).isEqualTo(50L);
    assertThat(r.exec("GETEX", "k", "PERSIST", "EX", "10")).isEqualTo(SYNTAX);
    assertThat(r.exec("GETEX", "k", "NX")).isEqualTo(SYNTAX);
    assertThat(r.exec("GETEX", "k", "KEEPTTL")).isEqualTo(SYNTAX);
    assertThat(r.exec("GETEX", "k", "EX", "-1")).isEqualTo(new Err("ERR invalid expire time in 'getex' command"));
    assertThat(r.exec("GETEX", "missing", "EX", "-1")).isNull();
    // An absolute time in the past deletes the key after replying its value.
    assertThat(r.exec("GETEX", "k", "PXAT", "1")).isEqualTo("v");
    assertThat(r.exec("EXISTS", "k")).isEqualTo(0L);
    r.exec("INCR", "counter");
    r.exec("LCS", "a", "b");
  }

  @Test
  void mgetMsetMsetnx() {
    assertThat(r.exec("MSET", "a", "1", "b", "2")).isEqualTo("OK");
    assertThat(r.exec("MGET", "a", "b", "c")).isEqualTo(Arrays.asList("1", "2", null));
    assertThat(r.exec("MSET", "a", "1", "b")).isEqualTo(new Err("ERR wrong number of arguments for 'mset' command"));
    assertThat(r.exec("MSETNX", "a", "1", "b")).isEqualTo(new Err("ERR wrong number of arguments for 'msetnx' command"));
    assertThat(r.exec("MSETNX", "c", "3", "a", "9")).isEqualTo(0L);
    assertThat(r.exec("EXISTS", "c")).isEqualTo(0L);
    assertThat(r.exec("MSETNX", "c", "3", "d", "4")).isEqualTo(1L);
    assertThat(r.exec("MSET", "x", "1", "x", "2")).isEqualTo("OK");
    assertThat(r.exec("GET", "x")).isEqualTo("2");
    r.exec("EXPIRE", "a", "100");
    r.exec("MSET", "a", "5");
    assertThat(r.exec("TTL", "a")).isEqualTo(-1L);
  }

  @Test
  void incrFamily() {
    assertThat(r.exec("INCR", "n")).isEqualTo(1L);
    assertThat(r.exec("INCRBY", "n", "10")).isEqualTo(11L);
    assertThat(r.exec("DECR", "n")).isEqualTo(10L);
    assertThat(r.exec("DECRBY", "n", "20")).isEqualTo(-10L);
    assertThat(r.exec("GET", "n")).isEqualTo("-10");
    r.exec("SET", "big", "9223372036854775807");
    assertThat(r.exec("INCR", "big")).isEqualTo(new Err("ERR increment or decrement would overflow"));
    r.exec("SET", "small", "-9223372036854775808");
    assertThat(r.exec("DECR", "small")).isEqualTo(new Err("ERR increment or decrement would overflow"));
    assertThat(r.exec("INCRBY", "small", "9223372036854775807")).isEqualTo(-1L);
    assertThat(r.exec("DECRBY", "n", "-9223372036854775808")).isEqualTo(new Err("ERR decrement would overflow"));
    assertThat(r.exec("INCRBY", "n", "1.5")).isEqualTo(NOT_INT);
    assertThat(r.exec("INCRBY", "n", "9223372036854775808")).isEqualTo(NOT_INT);
    for (String bad : List.of("abc", " 1", "1 ", "01", "+1", "", "1.0", "12345678901234567890")) {
      r.exec("SET", "s", bad);
      assertThat(r.exec("INCR", "s")).as(bad).isEqualTo(NOT_INT);
    }
    r.exec("SET", "z", "0");
    assertThat(r.exec("DECR", "z")).isEqualTo(-1L);
  }

  @Test
  void incrKeepsTtl() {
    r.exec("SET", "n", "1", "EX", "100");
    r.exec("INCR", "n");
    r.exec("INCRBYFLOAT", "n", "1.5");
    r.exec("APPEND", "n", "0");
    r.exec("SETRANGE", "n", "0", "9");
    assertThat(r.exec("TTL", "n")).isEqualTo(100L);
    assertThat(r.exec("GET", "n")).isEqualTo("9.50");
  }

  @Test
  void wrongType() throws Exception {
    // Only strings exist yet: plant another type directly in the engine.
    r.keyspace().db(0).put("h".getBytes(), new Object(), 0);
    for (String[] cmd : new String[][] {{"GET", "h"}, {"INCR", "h"}, {"INCRBYFLOAT", "h", "1"}, {"APPEND", "h", "x"},
        {"STRLEN", "h"}, {"GETRANGE", "h", "0", "1"}, {"SETRANGE", "h", "0", "x"}, {"GETSET", "h", "x"},
        {"GETDEL", "h"}, {"GETEX", "h"}, {"SET", "h", "x", "GET"}}) {
      assertThat(r.exec(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
    }
    assertThat(r.exec("MGET", "h")).isEqualTo(Arrays.asList((Object) null));
    assertThat(r.exec("LCS", "h", "x")).isEqualTo(new Err("ERR The specified keys must contain string values"));
    assertThat(r.exec("SET", "h", "x")).isEqualTo("OK");
  }

  @ParameterizedTest(name = "{0} + {1} = {2}")
  @CsvSource(delimiter = '|', value = {
      "10.50 | 0.1 | 10.6",
      "10.5 | 0 | 10.5",
      "5.0e3 | 0 | 5000",
      "5.0e3 | 200 | 5200",
      "3 | 1.5 | 4.5",
      "1 | -1 | 0",
      "-1 | 0.5 | -0.5",
      "0.1 | 0.2 | 0.3",
      "1e10 | 1 | 10000000001",
      "17179869184 | 1.5 | 17179869185.5",
      "-0.00000000000000000001 | 0 | 0",
      "1.23456789012345678 | 0 | 1.23456789012345678",
      "0x10 | 1 | 17",
      "1 | inf | ERR increment would produce NaN or Infinity",
      "inf | -inf | ERR increment would produce NaN or Infinity",
      "nan | 1 | ERR value is not a valid float",
      "1 | nan | ERR value is not a valid float",
      "abc | 1 | ERR value is not a valid float",
      "' 1' | 1 | ERR value is not a valid float",
      "'1 ' | 1 | ERR value is not a valid float",
      "1 | 1e5000 | ERR value is not a valid float",
      "1 | 1e-5000 | ERR value is not a valid float",
      "1.7976931348623157e308 | 1.7976931348623157e308 | 359538626972463140000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
  })
  void incrbyfloat(String start, String increment, String expected) {
    r.exec("SET", "f", start);
    Object reply = r.exec("INCRBYFLOAT", "f", increment);
    if (expected.startsWith("ERR")) {
      assertThat(reply).isEqualTo(new Err(expected));
      assertThat(r.exec("GET", "f")).isEqualTo(start);
    } else if (expected.length() > 60) {
      // 2 * DBL_MAX in long double, printed exactly: check its shape, not every digit.
      assertThat((String) reply).startsWith("3595386269724631").hasSize(309);
    } else {
      assertThat(reply).isEqualTo(expected);
      assertThat(r.exec("GET", "f")).isEqualTo(expected);
    }
  }

  @Test
  void incrbyfloatOnMissingKeyAndRepeatedSums() {
    assertThat(r.exec("INCRBYFLOAT", "f", "1.1")).isEqualTo("1.1");
    for (int i = 0; i < 9; i++) {
      r.exec("INCRBYFLOAT", "f", "1.1");
    }
    assertThat(r.exec("GET", "f")).isEqualTo("11");
    assertThat(r.exec("INCRBYFLOAT", "g", "-0")).isEqualTo("0");
  }

  @Test
  void appendAndStrlen() {
    assertThat(r.exec("APPEND", "k", "foo")).isEqualTo(3L);
    assertThat(r.exec("APPEND", "k", "bar")).isEqualTo(6L);
    assertThat(r.exec("GET", "k")).isEqualTo("foobar");
    assertThat(r.exec("STRLEN", "k")).isEqualTo(6L);
    assertThat(r.exec("STRLEN", "none")).isEqualTo(0L);
    assertThat(r.exec("APPEND", "k", "")).isEqualTo(6L);
  }

  @ParameterizedTest(name = "GETRANGE {0} {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "0 | 3 | This",
      "-3 | -1 | ing",
      "0 | -1 | This is a string",
      "10 | 100 | string",
      "-1 | -5 | ''",
      "5 | 3 | ''",
      "-100 | 3 | This",
      "-100 | -100 | T",
      "100 | 200 | ''",
      "0 | -100 | T",
      "-1 | 0 | ''",
  })
  void getrange(long start, long end, String expected) {
    r.exec("SET", "s", "This is a string");
    assertThat(r.exec("GETRANGE", "s", Long.toString(start), Long.toString(end))).isEqualTo(expected);
    assertThat(r.exec("SUBSTR", "s", Long.toString(start), Long.toString(end))).isEqualTo(expected);
  }

  @Test
  void getrangeEdges() {
    assertThat(r.exec("GETRANGE", "missing", "0", "-1")).isEqualTo("");
    r.exec("SET", "e", "");
    assertThat(r.exec("GETRANGE", "e", "0", "-1")).isEqualTo("");
    assertThat(r.exec("GETRANGE", "e", "x", "1")).isEqualTo(NOT_INT);
    r.exec("SET", "n", "1234");
    assertThat(r.exec("GETRANGE", "n", "0", "-2")).isEqualTo("123");
  }

  @Test
  void setrange() {
    assertThat(r.exec("SETRANGE", "k", "5", "x")).isEqualTo(6L);
    assertThat(r.exec("GET", "k")).isEqualTo("\0\0\0\0\0x");
    assertThat(r.exec("SETRANGE", "k", "0", "ab")).isEqualTo(6L);
    assertThat(r.exec("GET", "k")).isEqualTo("ab\0\0\0x");
    assertThat(r.exec("SETRANGE", "k", "4", "WORLD")).isEqualTo(9L);
    assertThat(r.exec("GET", "k")).isEqualTo("ab\0\0WORLD");
    assertThat(r.exec("SETRANGE", "k", "100", "")).isEqualTo(9L);
    assertThat(r.exec("SETRANGE", "empty", "100", "")).isEqualTo(0L);
    assertThat(r.exec("EXISTS", "empty")).isEqualTo(0L);
    assertThat(r.exec("SETRANGE", "k", "-1", "x")).isEqualTo(new Err("ERR offset is out of range"));
    assertThat(r.exec("SETRANGE", "k", "x", "x")).isEqualTo(NOT_INT);
    Err tooLong = new Err("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    assertThat(r.exec("SETRANGE", "k", "536870911", "xy")).isEqualTo(tooLong);
    assertThat(r.exec("SETRANGE", "new", "536870912", "x")).isEqualTo(tooLong);
    assertThat(r.exec("SETRANGE", "k", "9223372036854775807", "x")).isEqualTo(tooLong);
  }

  @Test
  void appendAndSetrangeObeyProtoMaxBulkLen() {
    assertThat(r.exec("CONFIG", "SET", "proto-max-bulk-len", "1048576")).isEqualTo("OK");
    r.exec("SET", "k", "x".repeat(1_048_575));
    assertThat(r.exec("APPEND", "k", "y")).isEqualTo(1_048_576L);
    Err tooLong = new Err("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    assertThat(r.exec("APPEND", "k", "z")).isEqualTo(tooLong);
    assertThat(r.exec("SETRANGE", "k", "1048576", "z")).isEqualTo(tooLong);
    assertThat(r.exec("SETRANGE", "k", "1048575", "z")).isEqualTo(1_048_576L);
    assertThat(r.exec("STRLEN", "k")).isEqualTo(1_048_576L);
  }

  @Test
  void lcs() {
    r.exec("MSET", "key1", "ohmytext", "key2", "mynewtext");
    assertThat(r.exec("LCS", "key1", "key2")).isEqualTo("mytext");
    assertThat(r.exec("LCS", "key1", "key2", "LEN")).isEqualTo(6L);
    assertThat(r.exec("LCS", "key1", "key2", "IDX")).isEqualTo(List.of("matches",
        List.of(List.of(List.of(4L, 7L), List.of(5L, 8L)), List.of(List.of(2L, 3L), List.of(0L, 1L))), "len", 6L));
    assertThat(r.exec("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN")).isEqualTo(List.of("matches",
        List.of(List.of(List.of(4L, 7L), List.of(5L, 8L), 4L)), "len", 6L));
    assertThat(r.exec("LCS", "key1", "key2", "IDX", "LEN"))
        .isEqualTo(new Err("ERR If you want both the length and indexes, please just use IDX."));
    assertThat(r.exec("LCS", "key1", "key2", "FOO")).isEqualTo(SYNTAX);
    assertThat(r.exec("LCS", "key1", "missing")).isEqualTo("");
    assertThat(r.exec("LCS", "key1", "key2", "MINMATCHLEN")).isEqualTo(SYNTAX);
  }
}

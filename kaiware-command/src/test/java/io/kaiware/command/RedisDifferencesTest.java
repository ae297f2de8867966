package io.kaiware.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness.Err;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replies that differed from redis-server 7.0.15's until RedisDifferentialIT compared the two on
 * random command sequences; each expected value here is what Redis answered.
 */
class RedisDifferencesTest {

  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
  }

  @Test
  void aRefusedExecAbortsTheTransactionWithTheRefusalsTextWithoutItsErrCode() {
    r.exec("SET", "w", "1");
    r.exec("WATCH", "w");
    r.exec("MULTI");
    r.exec("INCR", "x");
    assertThat(r.exec("EXEC", "extra"))
        .isEqualTo(new Err("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command"));
    // The transaction and its watches are gone: a write to w no longer fails a later EXEC.
    assertThat(r.exec("GET", "x")).isNull();
    r.exec("SET", "w", "2");
    r.exec("MULTI");
    r.exec("INCR", "x");
    assertThat(r.exec("EXEC")).isEqualTo(java.util.List.of(1L));
    // Outside MULTI too: Redis's rejectCommand aborts whatever EXEC it refuses.
    assertThat(r.exec("EXEC", "extra"))
        .isEqualTo(new Err("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command"));
  }

  @Test
  void databaseIndexesOutsideTheIntRangeGetRedisRangeError() {
    Err range = new Err("ERR value is out of range, value must between -2147483648 and 2147483647");
    assertThat(r.exec("SELECT", "2147483648")).isEqualTo(range);
    assertThat(r.exec("SELECT", "9223372036854775808")).isEqualTo(new Err("ERR value is not an integer or out of range"));
    assertThat(r.exec("SELECT", "2147483647")).isEqualTo(new Err("ERR DB index is out of range"));
    r.exec("SET", "k", "v");
    assertThat(r.exec("MOVE", "k", "9223372036854775807")).isEqualTo(range);
    assertThat(r.exec("COPY", "k", "k2", "DB", "-2147483649")).isEqualTo(range);
    assertThat(r.exec("SWAPDB", "0", "2147483648")).isEqualTo(new Err("ERR invalid second DB index"));
  }

  @Test
  void argumentsInErrorsEndAtTheirFirstNulByteAsCStrings() {
    assertThat(r.exec("NOSUCH", "abc\0def", "x"))
        .isEqualTo(new Err("ERR unknown command 'NOSUCH', with args beginning with: 'abc' 'x' "));
    r.exec("SET", "k", "v");
    assertThat(r.exec("EXPIRE", "k", "100", "abc\0def")).isEqualTo(new Err("ERR Unsupported option abc"));
  }

  @Test
  void lineEndsAtTheEndOfAnErrorAreTrimmedAndInsideItBecomeSpaces() {
    r.exec("SET", "k", "v");
    assertThat(r.exec("EXPIRE", "k", "100", "\n")).isEqualTo(new Err("ERR Unsupported option "));
    assertThat(r.exec("EXPIRE", "k", "100", "a\r\nb\n")).isEqualTo(new Err("ERR Unsupported option a  b"));
  }

  @Test
  void expiretimeOfAnExpiryAtTheEndOfTimeRoundsWithoutOverflowing() {
    r.exec("SET", "k", "v");
    r.exec("PEXPIREAT", "k", "9223372036854775807");
    assertThat(r.exec("EXPIRETIME", "k")).isEqualTo(9223372036854776L);
    assertThat(r.exec("PEXPIRETIME", "k")).isEqualTo(9223372036854775807L);
  }

  @Test
  void incrbyfloatResultsAreEmbstrEvenWhenTheyReadAsIntegers() {
    r.exec("SET", "f", "2990");
    assertThat(r.exec("OBJECT", "ENCODING", "f")).isEqualTo("int");
    assertThat(r.exec("INCRBYFLOAT", "f", "10")).isEqualTo("3000");
    assertThat(r.exec("OBJECT", "ENCODING", "f")).isEqualTo("embstr");
    assertThat(r.exec("OBJECT", "REFCOUNT", "f")).isEqualTo(1L);
    assertThat(r.exec("INCRBYFLOAT", "f", "5")).isEqualTo("3005");
    r.exec("INCR", "f");
    assertThat(r.exec("OBJECT", "ENCODING", "f")).isEqualTo("int"); // INCR makes a new integer value
    r.exec("SET", "small", "5");
    r.exec("INCRBYFLOAT", "small", "1");
    assertThat(r.exec("OBJECT", "REFCOUNT", "small")).as("not one of Redis's shared integers").isEqualTo(1L);
  }

  @Test
  void scoresThatStrtodCanOnlyReachWithErangeAreNotValidFloats() {
    Err notFloat = new Err("ERR value is not a valid float");
    assertThat(r.exec("ZADD", "z", "1e309", "m")).isEqualTo(notFloat);
    assertThat(r.exec("ZADD", "z", "-1e309", "m")).isEqualTo(notFloat);
    assertThat(r.exec("ZINCRBY", "z", "1e-400", "m")).isEqualTo(notFloat);
    assertThat(r.exec("ZADD", "z", "inf", "a", "0e-400", "b", "5e-324", "c")).isEqualTo(3L);
    assertThat(r.exec("ZINTERSTORE", "d", "1", "z", "WEIGHTS", "1e309")).isEqualTo(new Err("ERR weight value is not a float"));
    assertThat(r.exec("ZCOUNT", "z", "-1e309", "1e309")).as("range ends are strtod's: no ERANGE check").isEqualTo(3L);
    r.exec("SET", "str", "v");
    assertThat(r.exec("ZADD", "str", "1e309", "m")).as("scores are read before the key").isEqualTo(notFloat);
  }

  @Test
  void zrangeByRankAcceptsALimitOfMinusOneWhichMeansNone() {
    r.exec("ZADD", "z", "1", "a", "2", "b");
    assertThat(r.exec("ZRANGE", "z", "0", "-1", "LIMIT", "5", "-1")).isEqualTo(java.util.List.of("a", "b"));
    assertThat(r.exec("ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"))
        .isEqualTo(new Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"));
  }

  @Test
  void zpopCountsThatAreNotPositiveIntegersShareOneError() {
    Err notPositive = new Err("ERR value is out of range, must be positive");
    assertThat(r.exec("ZPOPMAX", "z", " 1")).isEqualTo(notPositive);
    assertThat(r.exec("ZPOPMIN", "z", "")).isEqualTo(notPositive);
    assertThat(r.exec("ZPOPMIN", "z", "-1")).isEqualTo(notPositive);
  }

  @Test
  void aCopiedSmallIntegerIsAnObjectOfItsOwnNotASharedOne() {
    r.exec("SET", "n", "5");
    assertThat(r.exec("OBJECT", "REFCOUNT", "n")).isEqualTo(2147483647L);
    r.exec("COPY", "n", "m");
    assertThat(r.exec("OBJECT", "REFCOUNT", "m")).isEqualTo(1L);
    assertThat(r.exec("OBJECT", "ENCODING", "m")).isEqualTo("int");
    assertThat(r.exec("OBJECT", "REFCOUNT", "n")).as("the source keeps its shared integer").isEqualTo(2147483647L);
  }

  @Test
  void sortConvertsASmallSortedSetToASkipList() {
    r.exec("ZADD", "z", "11", "7", "2", "3");
    assertThat(r.exec("OBJECT", "ENCODING", "z")).isEqualTo("listpack");
    assertThat(r.exec("SORT", "z", "DESC")).isEqualTo(java.util.List.of("7", "3"));
    assertThat(r.exec("OBJECT", "ENCODING", "z")).isEqualTo("skiplist");
  }

  @Test
  void sortRefusesNumbersStrtodReadsWithErange() {
    Err notDouble = new Err("ERR One or more scores can't be converted into double");
    r.exec("RPUSH", "a", "3", "1", "2");
    assertThat(r.exec("SORT", "a")).isEqualTo(java.util.List.of("1", "2", "3"));
    r.exec("RPUSH", "b", "1", "5e-324");
    assertThat(r.exec("SORT", "b")).as("a subnormal result").isEqualTo(notDouble);
    r.exec("RPUSH", "c", "1", "1e-400");
    assertThat(r.exec("SORT", "c")).as("an underflow to zero").isEqualTo(notDouble);
    r.exec("RPUSH", "d", "0e-400", "0.0");
    assertThat(r.exec("SORT", "d")).as("equal scores: by the bytes").isEqualTo(java.util.List.of("0.0", "0e-400"));
  }

  @Test
  void unknownCommandArgumentsShareRedisBudgetOf128Characters() {
    String x50 = "x".repeat(50);
    assertThat(r.exec("NOSUCHCOMMAND", "z", "12345678901234567890", x50, x50)).isEqualTo(new Err(
        "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'z' '12345678901234567890' '" + x50 + "' '"
            + "x".repeat(48) + "' "));
  }
}

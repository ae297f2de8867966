package io.kaiware.command.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EXPIRE and friends against Redis 7.0 (cases from tests/unit/expire.tcl). */
class ExpireCommandsTest {

  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
    r.now(1_000_000_000_000L);
  }

  @Test
  void expireSetsAndReports() {
    r.exec("SET", "k", "v");
    assertThat(r.exec("TTL", "k")).isEqualTo(-1L);
    assertThat(r.exec("TTL", "missing")).isEqualTo(-2L);
    assertThat(r.exec("PTTL", "missing")).isEqualTo(-2L);
    assertThat(r.exec("EXPIRETIME", "missing")).isEqualTo(-2L);
    assertThat(r.exec("EXPIRETIME", "k")).isEqualTo(-1L);
    assertThat(r.exec("EXPIRE", "k", "100")).isEqualTo(1L);
    assertThat(r.exec("TTL", "k")).isEqualTo(100L);
    assertThat(r.exec("PTTL", "k")).isEqualTo(100_000L);
    assertThat(r.exec("EXPIRETIME", "k")).isEqualTo(1_000_000_100L);
    assertThat(r.exec("PEXPIRETIME", "k")).isEqualTo(1_000_000_100_000L);
    assertThat(r.exec("PEXPIRE", "k", "1499")).isEqualTo(1L);
    assertThat(r.exec("TTL", "k")).isEqualTo(1L); // rounded
    assertThat(r.exec("PEXPIRE", "k", "1500")).isEqualTo(1L);
    assertThat(r.exec("TTL", "k")).isEqualTo(2L);
    assertThat(r.exec("EXPIREAT", "k", "1000000200")).isEqualTo(1L);
    assertThat(r.exec("TTL", "k")).isEqualTo(200L);
    assertThat(r.exec("PEXPIREAT", "k", "1000000000300")).isEqualTo(1L);
    assertThat(r.exec("PTTL", "k")).isEqualTo(300L);
    assertThat(r.exec("EXPIRE", "missing", "100")).isEqualTo(0L);
    assertThat(r.exec("PERSIST", "k")).isEqualTo(1L);
    assertThat(r.exec("PERSIST", "k")).isEqualTo(0L);
    assertThat(r.exec("PERSIST", "missing")).isEqualTo(0L);
    assertThat(r.exec("TTL", "k")).isEqualTo(-1L);
  }

  @Test
  void lazyExpiryUsesRedisStrictComparison() {
    r.exec("SET", "k", "v", "PX", "100");
    r.advance(100);
    assertThat(r.exec("GET", "k")).isEqualTo("v"); // expires when now > when
    assertThat(r.exec("PTTL", "k")).isEqualTo(0L);
    r.advance(1);
    assertThat(r.exec("GET", "k")).isNull();
    assertThat(r.exec("TTL", "k")).isEqualTo(-2L);
    assertThat(r.keyspace().expiredKeys()).isEqualTo(1L);
  }

  @Test
  void pastOrZeroExpiryDeletes() {
    for (String[] cmd : new String[][] {{"EXPIRE", "k", "0"}, {"EXPIRE", "k", "-10"}, {"PEXPIRE", "k", "0"},
        {"EXPIREAT", "k", "1"}, {"PEXPIREAT", "k", "1000000000000"}, {"EXPIREAT", "k", "-5"}}) {
      r.exec("SET", "k", "v");
      assertThat(r.exec(cmd)).as(String.join(" ", cmd)).isEqualTo(1L);
      assertThat(r.exec("EXISTS", "k")).as(String.join(" ", cmd)).isEqualTo(0L);
    }
  }

  @Test
  void invalidTimes() {
    r.exec("SET", "k", "v");
    assertThat(r.exec("EXPIRE", "k", "abc")).isEqualTo(new Err("ERR value is not an integer or out of range"));
    assertThat(r.exec("EXPIRE", "k", "9223372036854775807"))
        .isEqualTo(new Err("ERR invalid expire time in 'expire' command"));
    assertThat(r.exec("EXPIRE", "k", "-9223372036854775808"))
        .isEqualTo(new Err("ERR invalid expire time in 'expire' command"));
    assertThat(r.exec("PEXPIRE", "k", "9223372036854770000"))
        .isEqualTo(new Err("ERR invalid expire time in 'pexpire' command"));
    assertThat(r.exec("EXPIREAT", "k", "9223372036854775807"))
        .isEqualTo(new Err("ERR invalid expire time in 'expireat' command"));
    assertThat(r.exec("PEXPIREAT", "k", "9223372036854775807")).isEqualTo(1L);
    assertThat(r.exec("EXPIRE", "missing", "abc")).isEqualTo(new Err("ERR value is not an integer or out of range"));
  }

  @Test
  void nxXxGtLt() {
    r.exec("SET", "k", "v");
    assertThat(r.exec("EXPIRE", "k", "100", "XX")).isEqualTo(0L);
    assertThat(r.exec("EXPIRE", "k", "100", "GT")).isEqualTo(0L);
    assertThat(r.exec("EXPIRE", "k", "100", "LT")).isEqualTo(1L);
    assertThat(r.exec("EXPIRE", "k", "200", "NX")).isEqualTo(0L);
    assertThat(r.exec("EXPIRE", "k", "200", "XX")).isEqualTo(1L);
    assertThat(r.exec("EXPIRE", "k", "100", "GT")).isEqualTo(0L);
    assertThat(r.exec("EXPIRE", "k", "300", "GT")).isEqualTo(1L);
    assertThat(r.exec("EXPIRE", "k", "400", "LT")).isEqualTo(0L);
    assertThat(r.exec("EXPIRE", "k", "50", "LT", "XX")).isEqualTo(1L);
    assertThat(r.exec("TTL", "k")).isEqualTo(50L);
    r.exec("PERSIST", "k");
    assertThat(r.exec("EXPIRE", "k", "100", "NX")).isEqualTo(1L);
    assertThat(r.exec("EXPIRE", "k", "100", "nx", "xx"))
        .isEqualTo(new Err("ERR NX and XX, GT or LT options at the same time are not compatible"));
    assertThat(r.exec("EXPIRE", "k", "100", "NX", "GT"))
        .isEqualTo(new Err("ERR NX and XX, GT or LT options at the same time are not compatible"));
    assertThat(r.exec("EXPIRE", "k", "100", "GT", "LT"))
        .isEqualTo(new Err("ERR GT and LT options at the same time are not compatible"));
    assertThat(r.exec("EXPIRE", "k", "100", "FOO")).isEqualTo(new Err("ERR Unsupported option FOO"));
    assertThat(r.exec("EXPIRE", "k", "abc", "FOO")).isEqualTo(new Err("ERR Unsupported option FOO"));
  }

  @Test
  void activeExpiryReclaims() {
    for (int i = 0; i < 1000; i++) {
      r.exec("SET", "k" + i, "v", "PX", "10");
    }
    r.exec("SET", "keep", "v");
    assertThat(r.exec("DBSIZE")).isEqualTo(1001L);
    r.advance(11);
    assertThat(r.exec("DBSIZE")).isEqualTo(1001L); // Redis counts not-yet-reclaimed keys too
    while (r.keyspace().activeExpireCycle(r.nowMs(), 256) > 0) {
      // sweep
    }
    assertThat(r.exec("DBSIZE")).isEqualTo(1L);
  }
}

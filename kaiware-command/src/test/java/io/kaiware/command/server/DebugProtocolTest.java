package io.kaiware.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import org.junit.jupiter.api.Test;

/** DEBUG PROTOCOL: Redis 7.0's sample of every RESP type (debug.c), byte for byte, in RESP3 and RESP2. */
class DebugProtocolTest {

  private final CommandHarness r = new CommandHarness();

  @Test
  void resp3WritesEveryType() {
    r.exec("HELLO", "3");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "string")).isEqualTo("$11\r\nHello World\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "integer")).isEqualTo(":12345\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "double")).isEqualTo(",3.141\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "bignum")).isEqualTo("(1234567999999999999999999999999999999\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "null")).isEqualTo("_\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "array")).isEqualTo("*3\r\n:0\r\n:1\r\n:2\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "set")).isEqualTo("~3\r\n:0\r\n:1\r\n:2\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "map")).isEqualTo("%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "attrib"))
        .isEqualTo("|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "push"))
        .isEqualTo(">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "true")).isEqualTo("#t\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "verbatim")).isEqualTo("=29\r\ntxt:This is a verbatim\nstring\r\n");
  }

  @Test
  void resp2DowngradesAndRefusesPush() {
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "double")).isEqualTo("$5\r\n3.141\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "bignum")).isEqualTo("$37\r\n1234567999999999999999999999999999999\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "null")).isEqualTo("$-1\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "map")).isEqualTo("*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "attrib")).isEqualTo("$39\r\nSome real reply following the attribute\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "false")).isEqualTo(":0\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "push")).isEqualTo("-ERR RESP2 is not supported by this command\r\n");
    assertThat(r.execRaw("DEBUG", "PROTOCOL", "nope")).startsWith("-ERR Wrong protocol type name.");
  }
}

package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Debian's redis-cli and redis-benchmark against Kaiware, as an operator would run them. */
class RedisToolsIT {

  @RegisterExtension
  static final KaiwareServerExtension kaiware = new KaiwareServerExtension();

  private static String cli(String... args) throws Exception {
    String[] command = new String[args.length + 3];
    command[0] = "redis-cli";
    command[1] = "-p";
    command[2] = Integer.toString(kaiware.port());
    System.arraycopy(args, 0, command, 3, args.length);
    Object[] result = KaiwareProcess.run(30, command);
    assertThat(result[0]).as("redis-cli exit code, output: %s", result[1]).isEqualTo(0);
    return ((String) result[1]).trim();
  }

  @Test
  void redisCliBasics() throws Exception {
    assertThat(cli("ping")).isEqualTo("PONG");
    assertThat(cli("set", "cli:k", "hello world")).isEqualTo("OK");
    assertThat(cli("get", "cli:k")).isEqualTo("hello world");
    assertThat(cli("info", "server")).contains("redis_version:7.0.15").contains("kaiware_version:");
    assertThat(cli("hello", "3")).contains("proto").contains("3").contains("kaiware_version");
    assertThat(cli("command", "count")).matches("\\d+");
    assertThat(cli("nosuch")).isEqualTo("ERR unknown command 'nosuch', with args beginning with:");
  }

  @Test
  void redisBenchmarkRuns() throws Exception {
    Object[] result = KaiwareProcess.run(120, "redis-benchmark", "-p", Integer.toString(kaiware.port()),
        "-t", "ping,set,get", "-n", "20000", "-c", "10", "-P", "4", "-q");
    String output = (String) result[1];
    assertThat(result[0]).as(output).isEqualTo(0);
    assertThat(output).contains("PING_INLINE:").contains("PING_MBULK:").contains("SET:").contains("GET:")
        .contains("requests per second").doesNotContain("ERR");
  }
}

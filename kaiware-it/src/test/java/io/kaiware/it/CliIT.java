package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The kaiware command line: --version says which build it is; bad options are refused clearly. */
class CliIT {

  private static String[] run(String... args) throws Exception {
    Method factory = Main.class.getDeclaredMethod("commandLine");
    factory.setAccessible(true);
    CommandLine cli = (CommandLine) factory.invoke(null);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void versionReportsBuildCommitJdkAndGc() throws Exception {
    String[] result = run("--version");
    assertThat(result[0]).isEqualTo("0");
    assertThat(result[1]).contains("kaiware 0.").contains("commit:").contains("built:").contains("jdk:").contains("gc:");
  }

  @Test
  void helpListsEverySubcommand() throws Exception {
    String[] result = run("--help");
    assertThat(result[0]).isEqualTo("0");
    assertThat(result[1]).contains("server").contains("bench").contains("dns");
  }

  @Test
  void benchDrivesAFixedRateAgainstALiveServer() throws Exception {
    try (KaiwareProcess server = KaiwareProcess.start(java.util.Map.of())) {
      String[] result = run("bench", "--port", Integer.toString(server.port()), "--rate", "500",
          "--duration", "1s", "-c", "4", "--command", "set", "--keys", "100", "--format", "json");
      assertThat(result[0]).as(result[2]).isEqualTo("0");
      // 500/s for 1 s: every scheduled request was sent and answered; the keys landed in the server.
      assertThat(result[1]).contains("\"count\":500,\"failed\":0,");
      try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis("127.0.0.1", server.port())) {
        assertThat(jedis.dbSize()).isEqualTo(100);
      }
    }
  }

  @Test
  void unknownServerOptionIsAnError() throws Exception {
    String[] result = run("server", "--no-such-option", "1");
    assertThat(result[0]).isEqualTo("2");
    assertThat(result[2]).contains("option --no-such-option: unknown configuration key 'no-such-option'");
  }
}

package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ScriptBusyTests} on the default server: a durable one-member group, scripts probed before the log. */
class ScriptBusyIT extends ScriptBusyTests {

  @RegisterExtension
  static final KaiwareServerExtension server = new KaiwareServerExtension();

  @Override
  int port() {
    return server.port();
  }

  /** A script that reads before it writes is probed, then applied from the log: once, as one call. */
  @Test
  void aScriptThatWritesAfterReadingRunsOnceThroughTheLog() {
    r.del("busy:n", "busy:list");
    r.configResetStat();
    String script = "local v = tonumber(redis.call('get', KEYS[1]) or '0') "
        + "redis.call('rpush', KEYS[2], v) return redis.call('incr', KEYS[1])";
    for (int i = 1; i <= 5; i++) {
      assertThat(r.eval(script, 2, "busy:n", "busy:list")).isEqualTo((long) i);
    }
    assertThat(r.lrange("busy:list", 0, -1)).isEqualTo(List.of("0", "1", "2", "3", "4"));
    assertThat(r.info("commandstats")).contains("cmdstat_eval:calls=5,");
    // a read-only script completes in its probe: nothing reaches the log
    long appliedBefore = appliedIndex();
    for (int i = 0; i < 20; i++) {
      assertThat(r.eval("return redis.call('get', KEYS[1])", 1, "busy:n")).isEqualTo("5");
    }
    assertThat(appliedIndex()).isEqualTo(appliedBefore);
  }

  private long appliedIndex() {
    for (String line : r.info("raft").split("\r\n")) {
      if (line.startsWith("raft_applied_index:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1));
      }
    }
    throw new AssertionError("no raft_applied_index in INFO raft");
  }
}

package io.kaiware.command.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * WAIT on a server without replicas (the harness has no Raft group): Redis's argument errors, 0
 * replicas at once, and inside MULTI. The waiting itself is RedissonReplicatedIT's (three members).
 */
class WaitCommandTest {

  private final CommandHarness r = new CommandHarness();

  @Test
  void withoutReplicasWaitCountsNoneAtOnce() {
    assertThat(r.exec("SET", "k", "v")).isEqualTo("OK");
    assertThat(r.exec("WAIT", "0", "0")).isEqualTo(0L);
    assertThat(r.exec("WAIT", "2", "100")).isEqualTo(0L);
    assertThat(r.exec("MULTI")).isEqualTo("OK");
    assertThat(r.exec("WAIT", "1", "0")).isEqualTo("QUEUED");
    assertThat(r.exec("EXEC")).isEqualTo(List.of(0L));
  }

  @Test
  void argumentsAreCheckedAsRedisDoes() {
    assertThat(r.exec("WAIT", "x", "1")).isEqualTo(new Err("ERR value is not an integer or out of range"));
    assertThat(r.exec("WAIT", "1", "-1")).isEqualTo(new Err("ERR timeout is negative"));
    assertThat(r.exec("WAIT", "1", "1.5")).isEqualTo(new Err("ERR timeout is not an integer or out of range"));
    assertThat(r.exec("WAIT", "1")).isEqualTo(new Err("ERR wrong number of arguments for 'wait' command"));
  }
}

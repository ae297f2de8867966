package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * A member removed with RAFT REMOVE stops with exit status 3 ({@code KaiwareServer.EXIT_SHUT_OUT_BY_GROUP}),
 * so that a supervisor restarts it; started again with its data it idles — it runs no election and
 * disturbs nobody — because the group no longer holds it. Slow (member JVMs): {@code -Pslow} only.
 */
@Tag("slow")
class RaftRemoveIT {

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aRemovedMemberExitsNonZeroAndIdlesWhenRestarted() throws Exception {
    try (ProcessCluster cluster = ProcessCluster.start(3, Map.of())) {
      String leader = cluster.awaitLeader(60_000);
      String removed = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      try (Jedis j = new Jedis("127.0.0.1", cluster.port(leader), 30_000)) {
        assertThat(raft(j, "REMOVE", removed)).isEqualTo("OK");
      }

      Integer status = cluster.awaitExit(removed, 30_000);
      assertThat(status).as("%s's exit status once removed (log: %s)", removed, cluster.log(removed)).isEqualTo(3);

      cluster.launchAgain(removed);
      Thread.sleep(5_000); // many election timeouts: a member that campaigned would have disturbed the leader by now
      assertThat(cluster.awaitExit(removed, 1)).as("the restarted removed member still runs").isNull();
      try (Jedis j = new Jedis("127.0.0.1", cluster.port(leader), 30_000)) {
        String info = raft(j, "INFO");
        assertThat(info).contains("raft_role:leader").doesNotContain("id=" + removed + ",");
        assertThat(j.set("after-remove", "1")).isEqualTo("OK");
      }
      try (Jedis j = new Jedis("127.0.0.1", cluster.port(removed), 5_000)) {
        assertThat(raft(j, "INFO")).doesNotContain("raft_role:leader");
      }
    }
  }

  private static String raft(Jedis j, String... args) {
    Object reply = j.sendCommand(() -> "RAFT".getBytes(StandardCharsets.US_ASCII), args);
    return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
  }
}

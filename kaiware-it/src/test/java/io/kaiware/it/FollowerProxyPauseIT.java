package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A frozen leader (SIGSTOP: a stalled VM or a long pause, its sockets still open) must not hold the
 * requests a follower proxies to it ({@code follower-proxy yes}) until it runs again: once the
 * other members elect a new leader, the follower closes its link to the old one and answers what
 * was outstanding there ({@code -INDETERMINATE} for a write), and the same client connection then
 * reaches the new leader. Slow (member JVMs): {@code -Pslow} only.
 */
@Tag("slow")
class FollowerProxyPauseIT {

  private static final long FROZEN_MS = 12_000;

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void aWriteProxiedToAFrozenLeaderIsAnsweredOnceAnotherLeads() throws Exception {
    try (ProcessCluster cluster = ProcessCluster.start(3, Map.of("follower-proxy", "yes"))) {
      String leader = cluster.awaitLeader(60_000);
      String follower = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      try (Jedis client = new Jedis("127.0.0.1", cluster.port(follower), (int) FROZEN_MS * 2)) {
        assertThat(client.set("before", "1")).isEqualTo("OK"); // proxied to the leader
        cluster.pause(leader);
        long frozenAt = System.nanoTime();
        String outcome;
        try {
          outcome = client.set("during", "1");
        } catch (JedisDataException e) {
          outcome = e.getMessage();
        }
        long answeredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
        System.out.printf("follower proxy: a write proxied to the frozen leader %s answered after %d ms: %s%n", leader,
            answeredMs, outcome);
        assertThat(answeredMs).as("answered while %s is still frozen (%d ms)", leader, FROZEN_MS).isLessThan(FROZEN_MS - 2_000);
        // Unknown outcome, or (when the follower had already heard of the new leader) a plain +OK from it.
        assertThat(outcome).matches("INDETERMINATE .*|CLUSTERDOWN .*|OK");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String after = null;
        while (!"OK".equals(after) && System.nanoTime() < deadline) {
          try {
            after = client.set("after", "1");
          } catch (JedisDataException e) {
            after = e.getMessage();
            Thread.sleep(50);
          }
        }
        assertThat(after).as("a write on the same connection, through the new leader").isEqualTo("OK");
      } finally {
        cluster.resume(leader);
      }
    }
  }
}

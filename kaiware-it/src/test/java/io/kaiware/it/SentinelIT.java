package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentinelPool;

/**
 * The Sentinel facade with a stock Sentinel client: JedisSentinelPool, given the three members as
 * sentinels, finds the leader through SENTINEL get-master-addr-by-name, writes to it, and moves to
 * the new leader when the old one stops (it hears +switch-master from a surviving member).
 */
class SentinelIT {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void jedisSentinelPoolFollowsTheLeader() throws Exception {
    try (RaftCluster cluster = RaftCluster.start(3, Map.of())) {
      String leader = cluster.awaitLeader(30_000);
      cluster.awaitDirectory(30_000);
      Set<String> sentinels = new LinkedHashSet<>();
      for (String id : cluster.servers.keySet()) {
        sentinels.add("127.0.0.1:" + cluster.port(id));
      }
      try (Jedis any = new Jedis("127.0.0.1", cluster.port("n1"))) {
        assertThat(any.sentinelGetMasterAddrByName("kaiware")).containsExactly("127.0.0.1", Integer.toString(cluster.port(leader)));
        assertThat(any.sentinelGetMasterAddrByName("other")).isNull();
        List<Map<String, String>> masters = any.sentinelMasters();
        assertThat(masters).hasSize(1);
        assertThat(masters.get(0)).containsEntry("name", "kaiware").containsEntry("port", Integer.toString(cluster.port(leader)));
        assertThat(any.sentinelReplicas("kaiware")).hasSize(2);
        assertThat(any.sentinelSentinels("kaiware")).hasSize(2);
      }
      try (JedisSentinelPool pool = new JedisSentinelPool("kaiware", sentinels)) {
        assertThat(pool.getCurrentHostMaster()).isEqualTo(new HostAndPort("127.0.0.1", cluster.port(leader)));
        try (Jedis jedis = pool.getResource()) {
          assertThat(jedis.set("s", "1")).isEqualTo("OK");
        }
        cluster.stop(leader);
        String newLeader = cluster.awaitLeader(30_000);
        HostAndPort expected = new HostAndPort("127.0.0.1", cluster.port(newLeader));
        RaftCluster.await(30_000, "the pool follows +switch-master to " + expected,
            () -> expected.equals(pool.getCurrentHostMaster()));
        RaftCluster.await(30_000, "a write through the pool on the new leader", () -> {
          try (Jedis jedis = pool.getResource()) {
            return "OK".equals(jedis.set("s", "2"));
          } catch (RuntimeException e) {
            return false; // the new leader may answer CLUSTERDOWN until its first entry commits
          }
        });
        try (Jedis jedis = pool.getResource()) {
          assertThat(jedis.get("s")).isEqualTo("2");
        }
      }
    }
  }
}

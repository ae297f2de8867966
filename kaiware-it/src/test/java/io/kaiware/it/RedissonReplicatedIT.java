package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Redisson's replicated mode against a three-member group: it finds the leader by ROLE and, since
 * the leader reports two replicas, follows each lock's script with WAIT for them (Redisson's
 * "synced slaves" check) — so WAIT must answer how many followers hold the connection's writes.
 */
class RedissonReplicatedIT {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void locksAndMapsWorkInReplicatedModeAndWaitCountsTheFollowers() throws Exception {
    try (RaftCluster cluster = RaftCluster.start(3, Map.of())) {
      String leader = cluster.awaitLeader(30_000);
      cluster.awaitDirectory(30_000);
      int leaderPort = cluster.port(leader);

      try (Jedis jedis = new Jedis("127.0.0.1", leaderPort)) {
        assertThat(jedis.set("w", "1")).isEqualTo("OK");
        assertThat(jedis.waitReplicas(2, 5_000)).as("both followers hold the write").isEqualTo(2);
        assertThat(jedis.waitReplicas(5, 200)).as("only two exist: the timeout answers the count").isEqualTo(2);
        redis.clients.jedis.Transaction tx = jedis.multi();
        tx.set("w", "2");
        tx.waitReplicas(5, 0); // inside EXEC: answered at once
        assertThat(tx.exec()).hasSize(2);
      }
      String follower = cluster.servers.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      try (Jedis onFollower = new Jedis("127.0.0.1", cluster.port(follower))) {
        assertThatThrownBy(() -> onFollower.waitReplicas(1, 100)).isInstanceOf(JedisDataException.class)
            .hasMessageContaining("WAIT cannot be used with replica instances");
      }

      Config config = new Config();
      var replicated = config.useReplicatedServers().setTimeout(10_000);
      for (String id : cluster.servers.keySet()) {
        replicated.addNodeAddress("redis://127.0.0.1:" + cluster.port(id));
      }
      RedissonClient redisson = Redisson.create(config);
      try {
        RLock lock = redisson.getLock("replicated:lock");
        assertThat(lock.tryLock(5, 30, TimeUnit.SECONDS)).isTrue();
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        lock.unlock();
        assertThat(lock.isLocked()).isFalse();
        RMap<String, String> map = redisson.getMap("replicated:map");
        map.put("a", "1");
        assertThat(map.get("a")).isEqualTo("1");
      } finally {
        redisson.shutdown();
      }
      try (Jedis jedis = new Jedis("127.0.0.1", leaderPort)) {
        assertThat(jedis.info("commandstats")).as("Redisson asked for its replicas").contains("cmdstat_wait:");
      }
      cluster.assertConverged(20_000);
    }
  }
}

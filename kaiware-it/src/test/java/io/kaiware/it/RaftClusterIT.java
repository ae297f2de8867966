package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A three-member Raft group of real servers on loopback ports, driven by stock clients: writes
 * replicate, followers redirect with MOVED to the leader's client port, JedisCluster and Lettuce's
 * cluster client follow the leader, and a leader stopped in the middle of writes loses no
 * acknowledged write.
 */
class RaftClusterIT {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void replicatesRedirectsAndServesClusterClients() throws Exception {
    try (RaftCluster cluster = RaftCluster.start(3, Map.of())) {
      String leader = cluster.awaitLeader(30_000);
      cluster.awaitDirectory(30_000);
      int leaderPort = cluster.port(leader);

      try (Jedis jedis = new Jedis("127.0.0.1", leaderPort)) {
        assertThat(jedis.set("k", "v")).isEqualTo("OK");
        assertThat(jedis.get("k")).isEqualTo("v");
        assertThat(jedis.incr("n")).isEqualTo(1L);
        List<Object> role = jedis.role();
        assertThat(role.get(0)).isEqualTo("master");
        assertThat((List<?>) role.get(2)).hasSize(2);
        assertThat(jedis.info("replication")).contains("role:master").contains("connected_slaves:2");
        assertThat(jedis.clusterNodes()).contains("myself,master").contains(":" + leaderPort + "@");
      }

      for (String id : cluster.servers.keySet()) {
        if (id.equals(leader)) {
          continue;
        }
        try (Jedis follower = new Jedis("127.0.0.1", cluster.port(id))) {
          // A write on a follower: redirected to the leader's client port, not its Raft port.
          assertThatThrownBy(() -> follower.set("k", "other")).isInstanceOf(JedisDataException.class)
              .hasMessageContaining("127.0.0.1:" + leaderPort);
          assertThat(follower.role().get(0)).isEqualTo("slave");
          String info = follower.info("replication");
          assertThat(info).contains("role:slave").contains("master_port:" + leaderPort).contains("master_link_status:up");
          assertThat(follower.clusterNodes()).contains("myself,slave");
          // READONLY: Redis Cluster's replica reads, served from the follower's own state.
          RaftCluster.await(10_000, "the write reaches follower " + id, () -> {
            follower.readonly();
            try {
              return "v".equals(follower.get("k"));
            } catch (redis.clients.jedis.exceptions.JedisRedirectionException lagging) {
              return false; // -MOVED while the follower's log time lags by more than replica-max-lag-ms
            }
          });
        }
      }

      // follower-proxy: a plain client on a follower is served through the leader.
      String proxyFollower = cluster.servers.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      try (Jedis plain = new Jedis("127.0.0.1", cluster.port(proxyFollower))) {
        assertThat(plain.configSet("follower-proxy", "yes")).isEqualTo("OK");
        assertThat(plain.set("proxied", "1")).isEqualTo("OK");
        assertThat(plain.incr("proxied")).isEqualTo(2L);
        assertThat(plain.get("proxied")).isEqualTo("2");
        plain.select(3);
        assertThat(plain.set("in-db3", "x")).isEqualTo("OK");
        redis.clients.jedis.Transaction tx = plain.multi();
        tx.incr("proxied-tx");
        tx.incr("proxied-tx");
        assertThat(tx.exec()).containsExactly(1L, 2L);
        plain.select(0);
        assertThat(plain.configSet("follower-proxy", "no")).isEqualTo("OK");
      }
      try (Jedis onLeader = new Jedis("127.0.0.1", leaderPort)) {
        assertThat(onLeader.get("proxied")).isEqualTo("2");
        onLeader.select(3);
        assertThat(onLeader.get("in-db3")).isEqualTo("x");
        assertThat(onLeader.get("proxied-tx")).isEqualTo("2");
      }

      // JedisCluster: topology from CLUSTER SLOTS, writes go to the leader.
      Set<HostAndPort> seeds = new HashSet<>();
      for (String id : cluster.servers.keySet()) {
        seeds.add(new HostAndPort("127.0.0.1", cluster.port(id)));
      }
      try (JedisCluster jc = new JedisCluster(seeds, DefaultJedisClientConfig.builder().socketTimeoutMillis(5000).build())) {
        for (int i = 0; i < 200; i++) {
          assertThat(jc.set("jc:" + i, Integer.toString(i))).isEqualTo("OK");
        }
        for (int i = 0; i < 200; i += 17) {
          assertThat(jc.get("jc:" + i)).isEqualTo(Integer.toString(i));
        }
      }

      // Lettuce's cluster client: topology from CLUSTER NODES, seeded with a follower only.
      String follower = cluster.servers.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      RedisClusterClient lettuce = RedisClusterClient.create(RedisURI.create("127.0.0.1", cluster.port(follower)));
      try (StatefulRedisClusterConnection<String, String> connection = lettuce.connect()) {
        connection.setTimeout(Duration.ofSeconds(5));
        RedisAdvancedClusterCommands<String, String> sync = connection.sync();
        for (int i = 0; i < 100; i++) {
          assertThat(sync.set("lt:" + i, "x" + i)).isEqualTo("OK");
        }
        assertThat(sync.get("lt:42")).isEqualTo("x42");
        assertThat(sync.incr("lt:n")).isEqualTo(1L);
      } finally {
        lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }

      cluster.assertConverged(20_000);
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void leaderStoppedDuringWritesLosesNoAcknowledgedWrite() throws Exception {
    try (RaftCluster cluster = RaftCluster.start(3, Map.of())) {
      String leader = cluster.awaitLeader(30_000);
      cluster.awaitDirectory(30_000);
      Set<HostAndPort> seeds = new HashSet<>();
      for (String id : cluster.servers.keySet()) {
        seeds.add(new HostAndPort("127.0.0.1", cluster.port(id)));
      }
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> writers = new ArrayList<>();
      try (JedisCluster jc = new JedisCluster(seeds, DefaultJedisClientConfig.builder().socketTimeoutMillis(2000).build(),
          10, Duration.ofSeconds(10))) {
        for (int w = 0; w < 4; w++) {
          int writer = w;
          Thread t = Thread.ofPlatform().name("writer-" + w).start(() -> {
            for (int i = 0; !stop.get(); i++) {
              String key = "w" + writer + ":" + i;
              try {
                if ("OK".equals(jc.set(key, key))) {
                  acknowledged.add(key);
                }
              } catch (RuntimeException e) {
                // not acknowledged: the write may or may not be there, either is fine
              }
            }
          });
          writers.add(t);
        }
        RaftCluster.await(20_000, "some writes acknowledged", () -> acknowledged.size() > 500);
        int before = acknowledged.size();
        cluster.stop(leader);
        String newLeader = cluster.awaitLeader(30_000);
        assertThat(newLeader).isNotEqualTo(leader);
        RaftCluster.await(30_000, "writes acknowledged by the new leader", () -> acknowledged.size() > before + 500);
        stop.set(true);
        for (Thread t : writers) {
          t.join(30_000);
        }
      }
      // The old leader comes back with its data dir and catches up.
      cluster.startMember(leader);
      cluster.assertConverged(30_000);
      for (String id : cluster.servers.keySet()) {
        try (Jedis jedis = new Jedis("127.0.0.1", cluster.port(id))) {
          // What is checked here is what each member holds, not the lag policy: on a CPU-starved
          // machine a follower's log time can trail the clock by over a second, and READONLY reads
          // would then be redirected (-MOVED) instead of answered.
          jedis.configSet("replica-max-lag-ms", "600000");
          jedis.readonly();
          List<String> missing = new ArrayList<>();
          for (String key : acknowledged) {
            if (jedis.get(key) == null) {
              missing.add(key);
            }
          }
          assertThat(missing).as("acknowledged writes missing on %s", id).isEmpty();
        }
      }
    }
  }
}

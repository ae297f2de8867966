package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.SetParams;

/**
 * REPLICAOF host port on the embedded default (a durable one-member group): Kaiware follows
 * Debian's redis-server 7.0 — loads its copy, applies its stream through the log, refuses clients'
 * writes — until REPLICAOF NO ONE; and the admission checks that come with a replication role
 * (READONLY, MASTERDOWN, NOREPLICAS) as Redis answers them.
 */
class FollowRedisMasterIT {

  @RegisterExtension
  static final KaiwareServerExtension kaiware = new KaiwareServerExtension();

  @AfterEach
  void masterAgain() {
    try (Jedis k = new Jedis("127.0.0.1", kaiware.port())) {
      k.replicaofNoOne();
      k.configSet("replica-serve-stale-data", "yes");
      k.configSet("min-replicas-to-write", "0");
      k.flushAll();
    }
  }

  @Test
  void followsARedisMasterThenBecomesAMasterWithItsData() throws Exception {
    Path dir = Files.createTempDirectory("kaiware-redis-master");
    int port = RaftCluster.freePort();
    Process redis = RedisData.startRedisServer(dir, port);
    try (Jedis r = new Jedis("127.0.0.1", port); Jedis k = new Jedis("127.0.0.1", kaiware.port())) {
      k.set("k:stale", "removed by the copy");
      r.set("m:str", "hello");
      r.set("m:ttl", "v", SetParams.setParams().ex(1000));
      r.set("m:int", "12345");
      r.set("m:long", "x".repeat(300)); // LZF-compressed in the copy
      r.hset("m:hash", Map.of("a", "1", "b", "2"));
      r.zadd("m:zset", Map.of("m1", 1.5, "m2", -2.0));
      r.rpush("m:list", "a", "b", "c");
      for (int i = 0; i < 300; i++) {
        r.rpush("m:biglist", "element-" + i);
      }
      r.sadd("m:intset", "1", "2", "3");
      r.sadd("m:set", "x", "y");
      r.xadd("m:stream", StreamEntryID.NEW_ENTRY, Map.of("f", "v"));
      r.select(3);
      r.set("m:db3", "three");
      r.select(0);

      assertThat(k.replicaof("127.0.0.1", port)).isEqualTo("OK");
      assertThat(k.replicaof("127.0.0.1", port)).isEqualTo("OK Already connected to specified master");
      RedisData.awaitTrue("the link is up", dir, () -> k.info("replication").contains("master_link_status:up"));
      RedisData.assertSameData(r, k, 0);
      assertThat(k.pttl("m:ttl")).isBetween(900_000L, 1_000_000L);
      assertThat(k.exists("k:stale")).as("the copy replaces the data").isFalse();
      k.select(3);
      assertThat(k.get("m:db3")).isEqualTo("three");
      k.select(0);
      assertThat(k.role().subList(0, 4)).containsExactly("slave", "127.0.0.1", (long) port, "connected");
      assertThatThrownBy(() -> k.set("k:write", "1")).hasMessageStartingWith("READONLY");

      // The master's stream: rewritten commands, MULTI blocks, other databases.
      r.incrByFloat("m:float", 1.25);
      r.expire("m:str", 500);
      r.spop("m:set");
      r.del("m:int");
      redis.clients.jedis.Transaction tx = r.multi();
      tx.hset("m:hash", "c", "3");
      tx.lpush("m:list", "z");
      tx.exec();
      r.select(3);
      r.set("m:db3b", "more");
      r.select(0);
      r.set("m:done", "1");
      assertThat(r.waitReplicas(1, 10_000)).as("WAIT counts Kaiware's REPLCONF ACK").isEqualTo(1);
      RedisData.awaitTrue("the last write arrived", dir, () -> "1".equals(k.get("m:done")));
      RedisData.assertSameData(r, k, 0);
      assertThat(k.pttl("m:str")).isBetween(400_000L, 500_000L);
      r.select(3);
      k.select(3);
      RedisData.assertSameData(r, k, 3);
      k.select(0);

      // The link breaks (Redis drops its replicas): Kaiware continues from its offset, no new copy.
      r.select(0);
      long fullSyncs = stat(r, "sync_full");
      r.clientKill(ClientKillParams.clientKillParams().type(ClientType.REPLICA));
      r.set("m:after-break", "1");
      RedisData.awaitTrue("the write after the break arrived", dir, () -> "1".equals(k.get("m:after-break")));
      assertThat(stat(r, "sync_partial_ok")).as("a partial resynchronisation").isEqualTo(1);
      assertThat(stat(r, "sync_full")).as("no second copy").isEqualTo(fullSyncs);
      RedisData.assertSameData(r, k, 0);

      // The master goes away: the link is down, the data stays and is served.
      redis.destroy();
      redis.waitFor();
      RedisData.awaitTrue("the link is down", dir, () -> k.info("replication").contains("master_link_status:down"));
      assertThat(k.get("m:done")).isEqualTo("1");

      assertThat(k.replicaofNoOne()).isEqualTo("OK");
      assertThat(k.info("replication")).contains("role:master");
      assertThat(k.set("k:write", "1")).isEqualTo("OK");
      assertThat(k.lrange("m:list", 0, -1)).containsExactly("z", "a", "b", "c");
    } finally {
      redis.destroy();
      redis.waitFor();
      KaiwareProcess.deleteTree(dir);
    }
  }

  private static long stat(Jedis redis, String field) {
    return redis.info("stats").lines().filter(l -> l.startsWith(field + ":")).findFirst()
        .map(l -> Long.parseLong(l.substring(field.length() + 1).trim())).orElseThrow();
  }

  @Test
  void aThreeMemberGroupFollowsThroughItsLeader() throws Exception {
    Path dir = Files.createTempDirectory("kaiware-redis-master");
    int port = RaftCluster.freePort();
    Process redis = RedisData.startRedisServer(dir, port);
    try (RaftCluster cluster = RaftCluster.start(3, Map.of()); Jedis r = new Jedis("127.0.0.1", port)) {
      r.set("g:copied", "1");
      String leader = cluster.awaitLeader(30_000);
      String follower = cluster.servers.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      try (Jedis f = new Jedis("127.0.0.1", cluster.port(follower)); Jedis l = new Jedis("127.0.0.1", cluster.port(leader))) {
        assertThatThrownBy(() -> f.replicaof("127.0.0.1", port))
            .hasMessageContaining("must be sent to the Raft leader");
        assertThat(l.replicaof("127.0.0.1", port)).isEqualTo("OK");
        RedisData.awaitTrue("the leader's link is up", dir, () -> l.info("replication").contains("master_link_status:up"));
        r.set("g:streamed", "2");
        for (String id : cluster.servers.keySet()) {
          try (Jedis member = new Jedis("127.0.0.1", cluster.port(id))) {
            member.readonly(); // a follower's own state (Redis Cluster's replica reads)
            RaftCluster.await(10_000, "the master's writes reach " + id, () -> {
              try {
                return "1".equals(member.get("g:copied")) && "2".equals(member.get("g:streamed"));
              } catch (redis.clients.jedis.exceptions.JedisMovedDataException e) {
                return false; // a follower further behind than the stale-read bound redirects: not yet
              } catch (redis.clients.jedis.exceptions.JedisClusterException e) {
                if (!String.valueOf(e.getMessage()).startsWith("CLUSTERDOWN")) {
                  throw e;
                }
                return false; // the member has not yet heard the leader's client address: not yet
              }
            });
          }
        }
        assertThat(l.replicaofNoOne()).isEqualTo("OK");
        assertThat(l.set("g:own", "3")).isEqualTo("OK");
      }
    } finally {
      redis.destroy();
      redis.waitFor();
      KaiwareProcess.deleteTree(dir);
    }
  }

  @Test
  void replicaofInsideMultiTurnsTheServerIntoAReplicaAndTheBlockStillRuns() throws Exception {
    int unused = RaftCluster.freePort();
    try (Jedis k = new Jedis("127.0.0.1", kaiware.port())) {
      redis.clients.jedis.Transaction tx = k.multi();
      tx.set("t:before", "1");
      tx.sendCommand(() -> "REPLICAOF".getBytes(StandardCharsets.US_ASCII), "127.0.0.1", Integer.toString(unused));
      tx.set("t:after", "1");
      List<Object> replies = tx.exec();
      assertThat(replies).hasSize(3);
      assertThat(k.mget("t:before", "t:after")).containsExactly("1", "1");
      assertThatThrownBy(() -> k.set("t:later", "1")).hasMessageStartingWith("READONLY");
      assertThat(k.role().subList(0, 3)).containsExactly("slave", "127.0.0.1", (long) unused);
      assertThat(k.info("replication")).contains("master_link_status:down");

      // replica-serve-stale-data no: the link is down, so what is not flagged stale is refused.
      k.configSet("replica-serve-stale-data", "no");
      assertThatThrownBy(() -> k.get("t:before")).hasMessageStartingWith("MASTERDOWN");
      assertThat(k.info("replication")).contains("role:slave"); // INFO is flagged stale
      k.configSet("replica-serve-stale-data", "yes");
      assertThat(k.get("t:before")).isEqualTo("1");
    }
  }

  @Test
  void minReplicasToWriteCountsReplicasThatAck() throws Exception {
    try (Jedis k = new Jedis("127.0.0.1", kaiware.port())) {
      k.sendCommand(Protocol.Command.MULTI);
      assertThat(new String((byte[]) k.sendCommand(Protocol.Command.SET, "n:1", "1"), StandardCharsets.UTF_8)).isEqualTo("QUEUED");
      try (Jedis admin = new Jedis("127.0.0.1", kaiware.port())) {
        admin.configSet("min-replicas-to-write", "1"); // after queueing: EXEC finds too few replicas
      }
      assertThatThrownBy(() -> k.sendCommand(Protocol.Command.EXEC))
          .hasMessageStartingWith("EXECABORT Transaction discarded because of: NOREPLICAS");
      assertThat(k.get("n:1")).isNull();
      assertThatThrownBy(() -> k.set("n:1", "1")).hasMessage("NOREPLICAS Not enough good replicas to write.");

      // A SYNC replica that ACKs counts as a good replica.
      try (Socket replica = new Socket("127.0.0.1", kaiware.port())) {
        OutputStream out = replica.getOutputStream();
        out.write("SYNC\r\nREPLCONF ACK 0\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // The count is refreshed every 100 ms (Redis: every second), not per write.
        RedisData.awaitTrue("writes are accepted with one good replica", Path.of("/nonexistent"), () -> {
          try {
            return "OK".equals(k.set("n:1", "1"));
          } catch (redis.clients.jedis.exceptions.JedisDataException e) {
            return false; // NOREPLICAS until the count is refreshed
          }
        });
        assertThat(k.clientList()).contains("flags=S");
      }
    }
  }
}

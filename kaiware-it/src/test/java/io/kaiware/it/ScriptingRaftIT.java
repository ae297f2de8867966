package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/**
 * Scripts on a three-member Raft group: replicated as scripts, every member runs each EVAL when
 * it applies the entry, so their datasets must be equal — random draws, time and all (ADR 0006).
 * A script loaded on the old leader is known to the new one after a failover, since SCRIPT LOAD
 * and EVAL go through the log.
 */
class ScriptingRaftIT {

  private static final String WRITER = "local n = tonumber(ARGV[1]) "
      + "for i = 1, n do redis.call('hset', KEYS[1], 'f' .. math.random(100000), math.random()) end "
      + "redis.call('set', KEYS[2], tostring(math.random(1000000))) "
      + "redis.call('pexpire', KEYS[2], 60000) "
      + "return redis.call('hlen', KEYS[1])";

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void followersRunTheSameScriptsToTheSameDigest() throws Exception {
    try (RaftCluster cluster = RaftCluster.start(3, Map.of())) {
      String leader = cluster.awaitLeader(30_000);
      cluster.awaitDirectory(30_000);
      String sha;
      try (Jedis jedis = new Jedis("127.0.0.1", cluster.port(leader))) {
        sha = jedis.scriptLoad(WRITER);
        for (int i = 0; i < 50; i++) {
          Object hlen = i % 2 == 0
              ? jedis.eval(WRITER, 2, "h" + (i % 5), "s" + i, Integer.toString(5 + i % 7))
              : jedis.evalsha(sha, 2, "h" + (i % 5), "s" + i, Integer.toString(5 + i % 7));
          assertThat((Long) hlen).isPositive();
        }
        Transaction tx = jedis.multi();
        tx.evalsha(sha, 2, "h-multi", "s-multi", "3");
        tx.eval("return redis.call('incr', KEYS[1])", 1, "c");
        assertThat(tx.exec()).containsExactly(3L, 1L);
        assertThatThrownBy(() -> jedis.eval("redis.call('set', KEYS[1], 'partial') error('boom')", 1, "p"))
            .hasMessageContaining("boom");
        assertThat(jedis.get("p")).isEqualTo("partial");
      }
      cluster.assertConverged(30_000);

      for (String id : cluster.servers.keySet()) {
        try (Jedis jedis = new Jedis("127.0.0.1", cluster.port(id))) {
          assertThat(jedis.scriptExists(sha)).as("script cached on %s", id).isTrue();
        }
      }
      // A follower redirects an EVAL (a write) to the leader, like any write.
      String follower = cluster.servers.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      try (Jedis jedis = new Jedis("127.0.0.1", cluster.port(follower))) {
        assertThatThrownBy(() -> jedis.eval("return redis.call('set', 'x', 'y')")).hasMessageStartingWith("MOVED 0 ");
      }
    }
  }

  /**
   * Busy scripts on a group: a probe on the leader that runs long before writing is killed and
   * leaves no trace on any member; a script that wrote runs on every member from the log, and a
   * follower applying it answers its own clients BUSY and refuses SCRIPT KILL, like Redis's
   * replica does for a script from its master. The members end at one digest.
   */
  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void busyScriptsOnAGroupAreKilledOnlyBeforeTheLog() throws Exception {
    try (RaftCluster cluster = RaftCluster.start(3, Map.of())) {
      String leader = cluster.awaitLeader(30_000);
      cluster.awaitDirectory(30_000);
      String follower = cluster.servers.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      for (String id : cluster.servers.keySet()) {
        try (Jedis jedis = new Jedis("127.0.0.1", cluster.port(id))) {
          jedis.configSet("lua-time-limit", "10");
          jedis.configSet("lua-max-instructions", "60000000"); // the same on every member
        }
      }
      try (Jedis r = new Jedis("127.0.0.1", cluster.port(leader), 10_000);
          ScriptBusyTests.Deferred rd = new ScriptBusyTests.Deferred(cluster.port(leader))) {
        r.set("x", "1");
        rd.send("EVAL", "local v = redis.call('get', 'x') while true do end", "0");
        ScriptBusyTests.awaitBusy(r);
        assertThat(r.scriptKill()).isEqualTo("OK");
        assertThat(rd.readLine()).startsWith("-ERR Script killed by user with SCRIPT KILL...");

        rd.send("EVAL", "redis.call('incr', 'x') local i = 0 while true do i = i + 1 end", "0");
        try (Jedis f = new Jedis("127.0.0.1", cluster.port(follower), 10_000)) {
          ScriptBusyTests.awaitBusy(f);
          assertThatThrownBy(f::scriptKill).hasMessageStartingWith("UNKILLABLE Sorry the script already executed write commands");
        }
        assertThat(rd.readLine()).startsWith("-ERR Script exceeded lua-max-instructions");
        assertThat(r.get("x")).isEqualTo("2");
      }
      cluster.assertConverged(30_000);
    }
  }

  /** Slow (a failover and a catch-up, ~15 s more): in the {@code slow} profile. */
  @Test
  @Tag("slow")
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aNewLeaderKnowsTheScriptsLoadedOnTheOldOne() throws Exception {
    try (RaftCluster cluster = RaftCluster.start(3, Map.of())) {
      String leader = cluster.awaitLeader(30_000);
      cluster.awaitDirectory(30_000);
      String sha;
      try (Jedis jedis = new Jedis("127.0.0.1", cluster.port(leader))) {
        sha = jedis.scriptLoad(WRITER);
        assertThat((Long) jedis.evalsha(sha, 2, "h-before", "s-before", "4")).isPositive();
      }
      cluster.stop(leader);
      String newLeader = cluster.awaitLeader(30_000);
      assertThat(newLeader).isNotEqualTo(leader);
      try (Jedis jedis = new Jedis("127.0.0.1", cluster.port(newLeader))) {
        assertThat((Long) jedis.evalsha(sha, 2, "h-after", "s-after", "4")).isPositive();
      }
      cluster.startMember(leader);
      cluster.assertConverged(30_000);
    }
  }
}

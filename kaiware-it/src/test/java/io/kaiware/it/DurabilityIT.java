package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * The embedded default is a durable one-member Raft group: what was acknowledged survives a restart
 * in the same dir, whether it comes back from the log alone or from a snapshot plus the log behind
 * it; a non-durable cache keeps nothing.
 */
class DurabilityIT {

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void acknowledgedWritesSurviveARestartFromLogAndSnapshot() throws Exception {
    Path dir = Files.createTempDirectory("kaiware-durable-");
    try {
      try (KaiwareProcess kaiware = KaiwareProcess.start(Map.of("dir", dir.toString()))) {
        try (Jedis jedis = new Jedis("127.0.0.1", kaiware.port())) {
          assertThat(jedis.set("before-snapshot", "1")).isEqualTo("OK");
          jedis.hset("hash", Map.of("f1", "v1", "f2", "v2"));
          jedis.zadd("zset", 2.5, "m");
          jedis.setex("ttl", 1000, "t");
          assertThat(jedis.sendCommand(() -> "RAFT".getBytes(), "SNAPSHOT")).isInstanceOf(Long.class);
          assertThat(jedis.set("after-snapshot", "2")).isEqualTo("OK");
          assertThat(jedis.incr("counter")).isEqualTo(1L);
          assertThat(jedis.info("replication")).contains("role:master").contains("raft_role:leader");
        }
      }
      try (KaiwareProcess kaiware = KaiwareProcess.start(Map.of("dir", dir.toString()))) {
        try (Jedis jedis = new Jedis("127.0.0.1", kaiware.port())) {
          assertThat(jedis.get("before-snapshot")).isEqualTo("1");
          assertThat(jedis.hgetAll("hash")).isEqualTo(Map.of("f1", "v1", "f2", "v2"));
          assertThat(jedis.zscore("zset", "m")).isEqualTo(2.5);
          assertThat(jedis.ttl("ttl")).isBetween(990L, 1000L);
          assertThat(jedis.get("after-snapshot")).isEqualTo("2");
          assertThat(jedis.incr("counter")).isEqualTo(2L);
        }
      }
      try (KaiwareProcess cache = KaiwareProcess.start(Map.of("non-durable-cache", "yes"))) {
        try (Jedis jedis = new Jedis("127.0.0.1", cache.port())) {
          assertThat(jedis.set("k", "v")).isEqualTo("OK");
          assertThat(jedis.info("replication")).contains("role:master").doesNotContain("raft_role");
          assertThatThrownBy(jedis::save).hasMessageContaining("non-durable-cache");
          assertThat(jedis.configGet("appendonly")).containsEntry("appendonly", "no");
          assertThat(jedis.info("persistence")).contains("aof_enabled:0");
        }
      }
    } finally {
      KaiwareProcess.deleteTree(dir);
    }
  }

  /** SAVE and BGSAVE are Raft snapshots; LASTSAVE and INFO persistence say when the latest was written. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void saveAndBgsaveWriteSnapshots() throws Exception {
    Path dir = Files.createTempDirectory("kaiware-save-");
    try (KaiwareProcess kaiware = KaiwareProcess.start(Map.of("dir", dir.toString()));
        Jedis jedis = new Jedis("127.0.0.1", kaiware.port())) {
      long startSeconds = jedis.lastsave();
      Thread.sleep(1100); // LASTSAVE has a resolution of one second
      jedis.set("k", "v");
      assertThat(jedis.save()).isEqualTo("OK");
      long savedAt = jedis.lastsave();
      assertThat(savedAt).isGreaterThan(startSeconds);
      assertThat(jedis.info("persistence")).contains("rdb_last_save_time:" + savedAt);
      assertThat(jedis.info("raft")).containsPattern("raft_snapshot_index:[1-9]");
      jedis.set("k2", "v2");
      assertThat(jedis.bgsave()).isEqualTo("Background saving started");
      assertThatThrownBy(() -> jedis.sendCommand(() -> "BGSAVE".getBytes(), "NOW")).hasMessage("ERR syntax error");
      jedis.sendCommand(() -> "MULTI".getBytes());
      assertThatThrownBy(jedis::save).hasMessageContaining("Command not allowed inside a transaction");
    } finally {
      KaiwareProcess.deleteTree(dir);
    }
  }

  /** DEBUG RELOAD and LOADAOF pass every type through the snapshot codec and back: same digest. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void debugReloadKeepsTheDataset() throws Exception {
    Path dir = Files.createTempDirectory("kaiware-reload-");
    try (KaiwareProcess kaiware = KaiwareProcess.start(Map.of("dir", dir.toString()));
        Jedis jedis = new Jedis("127.0.0.1", kaiware.port())) {
      jedis.setex("s", 1000, "v");
      jedis.hset("h", Map.of("f1", "v1", "f2", "v2"));
      jedis.zadd("z", 1.5, "m");
      jedis.rpush("l", "a", "b", "a");
      jedis.sadd("set", "1", "2", "x");
      Object digest = jedis.sendCommand(() -> "DEBUG".getBytes(), "DIGEST");
      for (String sub : new String[] {"RELOAD", "LOADAOF"}) {
        assertThat(jedis.sendCommand(() -> "DEBUG".getBytes(), sub)).isEqualTo("OK".getBytes());
        assertThat(jedis.sendCommand(() -> "DEBUG".getBytes(), "DIGEST")).isEqualTo(digest);
      }
      assertThat(jedis.ttl("s")).isBetween(990L, 1000L);
      assertThat(jedis.lrange("l", 0, -1)).containsExactly("a", "b", "a");

      // Loaded values take the encodings the configuration gives them now, as Redis's RDB load.
      assertThat(jedis.objectEncoding("z")).isEqualTo("listpack");
      jedis.configSet("zset-max-listpack-entries", "0");
      jedis.configSet("hash-max-listpack-entries", "0");
      jedis.sendCommand(() -> "DEBUG".getBytes(), "RELOAD");
      assertThat(jedis.objectEncoding("z")).isEqualTo("skiplist");
      assertThat(jedis.objectEncoding("h")).isEqualTo("hashtable");
      assertThat(jedis.zscore("z", "m")).isEqualTo(1.5);
    } finally {
      KaiwareProcess.deleteTree(dir);
    }
  }
}

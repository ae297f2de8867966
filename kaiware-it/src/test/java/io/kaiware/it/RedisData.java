package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.Jedis;

/** Comparing a Kaiware server's data with a Redis server's, for the replication tests both ways. */
final class RedisData {
  private RedisData() {}

  /**
   * Debian's redis-server on {@code port} (loopback, no persistence, data and {@code redis.log} in
   * {@code dir}, then {@code extraArgs}); it answers PING when this returns.
   */
  static Process startRedisServer(Path dir, int port, String... extraArgs) throws Exception {
    KaiwareProcess.requireTool("redis-server");
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("redis-server", "--port",
        Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
    command.addAll(java.util.List.of(extraArgs));
    Process redis = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    try (Jedis r = new Jedis("127.0.0.1", port)) {
      awaitTrue("redis-server is up", dir, () -> {
        try {
          return "PONG".equals(r.ping());
        } catch (RuntimeException e) {
          return false; // still starting
        }
      });
    } catch (Exception | AssertionError e) {
      redis.destroy();
      throw e;
    }
    return redis;
  }

  /** Every key of database {@code db}: same type and same content on both servers. */
  static void assertSameData(Jedis k, Jedis r, int db) {
    Set<String> keys = new TreeSet<>(k.keys("*"));
    assertThat(new TreeSet<>(r.keys("*"))).as("keys of db %d", db).isEqualTo(keys);
    for (String key : keys) {
      String type = k.type(key);
      assertThat(r.type(key)).as(key).isEqualTo(type);
      switch (type) {
        case "string" -> assertThat(r.get(key)).as(key).isEqualTo(k.get(key));
        case "hash" -> assertThat(r.hgetAll(key)).as(key).isEqualTo(k.hgetAll(key));
        case "zset" -> assertThat(r.zrangeWithScores(key, 0, -1)).as(key).isEqualTo(k.zrangeWithScores(key, 0, -1));
        case "list" -> assertThat(r.lrange(key, 0, -1)).as(key).isEqualTo(k.lrange(key, 0, -1));
        case "set" -> assertThat(r.smembers(key)).as(key).isEqualTo(k.smembers(key));
        case "stream" -> assertThat(r.xrange(key, "-", "+").toString()).as(key)
            .isEqualTo(k.xrange(key, "-", "+").toString());
        default -> throw new AssertionError("unexpected type " + type + " of " + key);
      }
    }
  }

  static void awaitTrue(String what, Path dir, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        Path log = dir.resolve("redis.log");
        throw new AssertionError(what + ": not within 30 s; redis-server's log:\n"
            + (Files.exists(log) ? Files.readString(log) : "(none)"));
      }
      Thread.sleep(50);
    }
  }

}

package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RAtomicLong;
import org.redisson.api.RLock;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Redisson, unmodified, against the default server (a durable one-member Raft group): its locks,
 * maps and counters are Lua scripts (EVAL/EVALSHA) under the hood, so this runs the scripting
 * engine the way a real application does. Two clients: a lock one holds is seen held by the other.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedissonIT {

  @RegisterExtension
  static final KaiwareServerExtension server = new KaiwareServerExtension();

  private static RedissonClient first;
  private static RedissonClient second;

  private static RedissonClient client() {
    Config config = new Config();
    config.useSingleServer().setAddress("redis://127.0.0.1:" + server.port())
        .setConnectionMinimumIdleSize(1).setConnectionPoolSize(2)
        .setSubscriptionConnectionMinimumIdleSize(1).setSubscriptionConnectionPoolSize(2)
        .setTimeout(10_000);
    return Redisson.create(config);
  }

  @BeforeAll
  static void connect() {
    first = client();
    second = client();
  }

  @AfterAll
  static void disconnect() {
    if (first != null) {
      first.shutdown();
    }
    if (second != null) {
      second.shutdown();
    }
  }

  @Test
  void lockIsHeldForOtherClientsUntilUnlocked() throws Exception {
    RLock lock = first.getLock("redisson:lock");
    lock.lock(30, TimeUnit.SECONDS);
    try {
      assertThat(lock.isLocked()).isTrue();
      assertThat(lock.isHeldByCurrentThread()).isTrue();
      RLock other = second.getLock("redisson:lock");
      assertThat(other.isLocked()).isTrue();
      // tryLock from another thread of the other client: held, so it fails without waiting.
      boolean acquired = CompletableFuture.supplyAsync(() -> {
        try {
          return other.tryLock(0, 10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return true;
        }
      }).get(15, TimeUnit.SECONDS);
      assertThat(acquired).isFalse();
      assertThat(lock.getHoldCount()).isEqualTo(1);
      lock.lock(30, TimeUnit.SECONDS); // re-entrant
      assertThat(lock.getHoldCount()).isEqualTo(2);
      lock.unlock();
    } finally {
      lock.unlock();
    }
    assertThat(lock.isLocked()).isFalse();
    RLock other = second.getLock("redisson:lock");
    boolean acquired = CompletableFuture.supplyAsync(() -> {
      try {
        boolean ok = other.tryLock(5, 10, TimeUnit.SECONDS);
        if (ok) {
          other.unlock();
        }
        return ok;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }).get(15, TimeUnit.SECONDS);
    assertThat(acquired).isTrue();
  }

  @Test
  void mapPutGetAndAtomicLong() {
    RMap<String, String> map = first.getMap("redisson:map");
    map.delete();
    assertThat(map.put("a", "1")).isNull();
    assertThat(map.put("a", "2")).isEqualTo("1");
    assertThat(map.putIfAbsent("b", "3")).isNull();
    assertThat(map.fastPut("c", "4")).isTrue();
    assertThat(second.<String, String>getMap("redisson:map").get("a")).isEqualTo("2");
    assertThat(map.remove("b")).isEqualTo("3");
    assertThat(map.readAllMap()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("a", "2", "c", "4"));

    RAtomicLong counter = first.getAtomicLong("redisson:counter");
    counter.set(0);
    for (int i = 0; i < 10; i++) {
      counter.incrementAndGet();
    }
    assertThat(second.getAtomicLong("redisson:counter").incrementAndGet()).isEqualTo(11L);
    assertThat(counter.compareAndSet(11, 100)).isTrue();
    assertThat(counter.getAndDelete()).isEqualTo(100L);
  }
}

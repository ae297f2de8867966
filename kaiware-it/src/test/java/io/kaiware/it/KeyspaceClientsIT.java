package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/** Strings, keys, expiry, SCAN, DUMP/RESTORE and transactions through Jedis 8 and Lettuce 7 with default settings. */
class KeyspaceClientsIT {

  @RegisterExtension
  static final KaiwareServerExtension server = new KaiwareServerExtension();

  @BeforeEach
  void flush() {
    try (Jedis jedis = jedis()) {
      jedis.flushAll();
    }
  }

  private static Jedis jedis() {
    return new Jedis("127.0.0.1", server.port());
  }

  @Test
  void aLoggedTransactionCountsEachCommandOnce() {
    // Redis's introspection-2.tcl "command stats for MULTI": the block's MULTI runs again where the
    // log applies it, and is counted only where the client sent it.
    try (Jedis k = new Jedis("127.0.0.1", server.port())) {
      k.configResetStat();
      Transaction tx = k.multi();
      tx.set("s:1", "v");
      tx.expire("s:2", 0);
      tx.exec();
      String stats = k.info("commandstats");
      for (String cmd : new String[] {"multi", "exec", "set", "expire"}) {
        assertThat(stats).as(cmd).containsPattern("cmdstat_" + cmd + ":calls=1,");
      }
    }
  }

  @Test
  void aSelectInALoggedTransactionStaysSelectedAfterExec() throws Exception {
    // Found by RedisDifferentialIT: a block with writes runs in the log's session, and the client's
    // own session used to stay in the database it had before EXEC.
    String ran = server.process().raw("SELECT 0\r\nSET where db0\r\nSELECT 2\r\nSET where db2\r\nSELECT 0\r\n"
        + "MULTI\r\nSET w 1\r\nSELECT 2\r\nSELECT 99\r\nEXEC\r\nGET where\r\nSET after 1\r\nQUIT\r\n", 5000);
    assertThat(ran).endsWith("*3\r\n+OK\r\n+OK\r\n-ERR DB index is out of range\r\n$3\r\ndb2\r\n+OK\r\n+OK\r\n");
    try (Jedis k = jedis()) {
      k.select(2);
      assertThat(k.get("after")).as("the write after EXEC went to database 2").isEqualTo("1");
    }
    // A block whose WATCH failed did not run: the database stays.
    try (Jedis watcher = jedis(); Jedis other = jedis()) {
      watcher.watch("w");
      other.set("w", "changed");
      Transaction tx = watcher.multi();
      tx.set("w", "mine");
      tx.sendCommand(Protocol.Command.SELECT, "2");
      assertThat(tx.exec()).isNull();
      assertThat(watcher.get("where")).isEqualTo("db0");
    }
  }

  @Test
  void jedisStrings() {
    try (Jedis jedis = jedis()) {
      assertThat(jedis.set("s", "v1", SetParams.setParams().nx().px(60_000))).isEqualTo("OK");
      assertThat(jedis.set("s", "v2", SetParams.setParams().nx())).isNull();
      assertThat(jedis.setGet("s", "v3")).isEqualTo("v1");
      assertThat(jedis.pttl("s")).isEqualTo(-1); // SET without KEEPTTL clears the TTL
      assertThat(jedis.getEx("s", GetExParams.getExParams().ex(100))).isEqualTo("v3");
      assertThat(jedis.ttl("s")).isBetween(99L, 100L);
      assertThat(jedis.incrBy("n", 41)).isEqualTo(41);
      assertThat(jedis.incr("n")).isEqualTo(42);
      assertThat(jedis.incrByFloat("f", 10.5)).isEqualTo(10.5);
      assertThat(jedis.incrByFloat("f", 0.1)).isEqualTo(10.6);
      assertThat(jedis.get("f")).isEqualTo("10.6");
      assertThat(jedis.append("a", "Hello")).isEqualTo(5);
      assertThat(jedis.setrange("a", 6, "World")).isEqualTo(11);
      assertThat(jedis.get("a")).isEqualTo("Hello\0World");
      assertThat(jedis.getrange("a", -5, -1)).isEqualTo("World");
      assertThat(jedis.mset("k1", "ohmytext", "k2", "mynewtext")).isEqualTo("OK");
      assertThat(jedis.lcs("k1", "k2", redis.clients.jedis.params.LCSParams.LCSParams()).getMatchString()).isEqualTo("mytext");
      assertThat(jedis.mget("k1", "nope", "k2")).containsExactly("ohmytext", null, "mynewtext");
      assertThatThrownBy(() -> jedis.incr("a")).isInstanceOf(JedisDataException.class)
          .hasMessage("ERR value is not an integer or out of range");
    }
  }

  @Test
  void jedisKeysAndExpiry() {
    try (Jedis jedis = jedis()) {
      jedis.set("k", "v");
      assertThat(jedis.expire("k", 100, ExpiryOption.XX)).isZero(); // no TTL yet
      assertThat(jedis.expire("k", 100, ExpiryOption.NX)).isOne();
      assertThat(jedis.expire("k", 50, ExpiryOption.GT)).isZero();
      assertThat(jedis.expire("k", 200, ExpiryOption.GT)).isOne();
      assertThat(jedis.expireTime("k")).isGreaterThan(System.currentTimeMillis() / 1000);
      assertThat(jedis.persist("k")).isOne();
      assertThat(jedis.ttl("k")).isEqualTo(-1);
      assertThat(jedis.ttl("missing")).isEqualTo(-2);
      assertThat(jedis.type("k")).isEqualTo("string");
      assertThat(jedis.copy("k", "k2", false)).isTrue();
      assertThat(jedis.copy("k", "k2", false)).isFalse();
      assertThat(jedis.rename("k2", "k3")).isEqualTo("OK");
      assertThat(jedis.exists("k", "k2", "k3")).isEqualTo(2);
      byte[] dumped = jedis.dump("k");
      assertThat(jedis.restore("restored", 0, dumped)).isEqualTo("OK");
      assertThat(jedis.get("restored")).isEqualTo("v");
      assertThatThrownBy(() -> jedis.restore("restored", 0, dumped)).isInstanceOf(JedisDataException.class)
          .hasMessage("BUSYKEY Target key name already exists.");
      assertThat(jedis.del("k", "k3", "restored", "missing")).isEqualTo(3);

      jedis.set("short", "lived", SetParams.setParams().px(50));
      await(() -> !jedis.exists("short"));
      assertThat(jedis.get("short")).isNull();
    }
  }

  /**
   * The default server is a one-member Raft group whose idle log advances on 100 ms ticks; reads
   * must still see a 100 ms TTL end after 100 ms (Redis's expire.tcl "PSETEX can set sub-second
   * expires"), and PTTL must count down without writes.
   */
  @Test
  void subSecondExpiryIsSeenByReadsOnAnIdleServer() throws InterruptedException {
    try (Jedis jedis = jedis()) {
      for (int round = 0; round < 5; round++) {
        assertThat(jedis.psetex("x", 100, "somevalue")).isEqualTo("OK");
        assertThat(jedis.get("x")).isEqualTo("somevalue");
        Thread.sleep(120); // the key's expiry was stamped before the reply came back
        assertThat(jedis.get("x")).as("round %d", round).isNull();
        assertThat(jedis.exists("x")).isFalse();
      }
      jedis.psetex("y", 10_000, "v");
      long first = jedis.pttl("y");
      Thread.sleep(300);
      assertThat(jedis.pttl("y")).isLessThanOrEqualTo(first - 300);
    }
  }

  /** maxmemory on the replicated path: the pipeline refuses before the log, MULTI and EXEC as Redis. */
  @Test
  void maxmemoryRefusesGrowingWritesBeforeTheLog() {
    try (Jedis client = jedis(); Jedis admin = jedis()) {
      client.set("k", "v");
      try {
        admin.configSet("maxmemory", "1");
        assertThatThrownBy(() -> client.set("x", "1")).hasMessage("OOM command not allowed when used memory > 'maxmemory'.");
        assertThat(client.get("k")).isEqualTo("v");
        assertThat(client.del("k")).isEqualTo(1L);
        admin.configSet("maxmemory", "0");
        // Each command sent and answered at once (Jedis's Transaction would hold SET back until EXEC).
        assertThat(client.sendCommand(Protocol.Command.MULTI)).isEqualTo("OK".getBytes());
        assertThat(client.sendCommand(Protocol.Command.SET, "foo", "bar")).isEqualTo("QUEUED".getBytes());
        admin.configSet("maxmemory", "1");
        assertThatThrownBy(() -> client.sendCommand(Protocol.Command.EXEC))
            .hasMessage("EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.");
      } finally {
        admin.configSet("maxmemory", "0");
      }
      assertThat(client.exists("foo")).isFalse();
      assertThat(client.set("x", "1")).isEqualTo("OK");
    }
  }

  @Test
  void jedisScanVisitsEveryKeyOnce() {
    try (Jedis jedis = jedis()) {
      for (int i = 0; i < 1000; i++) {
        jedis.set("scan:" + i, "v");
      }
      jedis.set("other", "v");
      Set<String> seen = new HashSet<>();
      String cursor = ScanParams.SCAN_POINTER_START;
      int calls = 0;
      do {
        ScanResult<String> page = jedis.scan(cursor, new ScanParams().match("scan:*").count(100));
        seen.addAll(page.getResult());
        cursor = page.getCursor();
        calls++;
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START) && calls < 10_000);
      assertThat(seen).hasSize(1000).allMatch(k -> k.startsWith("scan:"));
    }
  }

  @Test
  void jedisTransactionsAndWatch() {
    try (Jedis jedis = jedis(); Jedis other = jedis()) {
      Transaction tx = jedis.multi();
      tx.set("t", "1");
      tx.incr("t");
      tx.get("t");
      assertThat(tx.exec()).containsExactly("OK", 2L, "2");

      jedis.watch("t");
      other.set("t", "changed");
      Transaction aborted = jedis.multi();
      aborted.set("t", "mine");
      assertThat(aborted.exec()).isNull();
      assertThat(jedis.get("t")).isEqualTo("changed");

      // A runtime error inside EXEC does not abort the other commands.
      Transaction mixed = jedis.multi();
      mixed.set("x", "abc");
      mixed.incr("x");
      mixed.set("y", "1");
      List<Object> replies = mixed.exec();
      assertThat(replies.get(0)).isEqualTo("OK");
      assertThat(replies.get(1)).isInstanceOf(JedisDataException.class);
      assertThat(jedis.get("y")).isEqualTo("1");
    }
  }

  @Test
  void lettuceStringsKeysTransactionsAndPipelines() {
    RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> sync = connection.sync();
      assertThat(sync.set("l", "v", SetArgs.Builder.ex(100))).isEqualTo("OK");
      assertThat(sync.ttl("l")).isBetween(99L, 100L);
      assertThat(sync.getdel("l")).isEqualTo("v");
      assertThat(sync.exists("l")).isZero();

      sync.multi();
      sync.set("lt", "10");
      sync.incrby("lt", 5);
      TransactionResult result = sync.exec();
      assertThat(result.wasDiscarded()).isFalse();
      assertThat(result.<Long>get(1)).isEqualTo(15L);

      RedisAsyncCommands<String, String> async = connection.async();
      connection.setAutoFlushCommands(false);
      List<RedisFuture<Long>> futures = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        futures.add(async.incr("counter"));
      }
      connection.flushCommands();
      connection.setAutoFlushCommands(true);
      assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(10), futures.toArray(new RedisFuture[0]))).isTrue();
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).toCompletableFuture().join()).isEqualTo(i + 1L);
      }

      for (int i = 0; i < 300; i++) {
        sync.set("ls:" + i, "v");
      }
      Set<String> seen = new HashSet<>();
      ScanIterator<String> it = ScanIterator.scan(sync, ScanArgs.Builder.matches("ls:*").limit(50));
      while (it.hasNext()) {
        seen.add(it.next());
      }
      assertThat(seen).hasSize(300);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    long deadlineNs = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadlineNs) {
        throw new AssertionError("condition not met within 5 s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}

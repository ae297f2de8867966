package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.KeyValue;

/**
 * Blocking pops through real clients: a client parked on BRPOP/BLPOP/BZPOPMIN gets what another
 * client pushes, a timeout answers nil after it, one push wakes exactly one of two waiters, and
 * commands pipelined behind a parked pop are answered (and applied) after it. Run against the
 * default replicated server ({@link BlockingPopsIT}) and in non-durable cache mode
 * ({@link BlockingPopsCacheIT}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class BlockingPopsTests {

  private ExecutorService pool;

  abstract int port();

  @BeforeEach
  void setUp() {
    pool = Executors.newCachedThreadPool();
    try (Jedis jedis = jedis()) {
      jedis.flushAll();
    }
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  private Jedis jedis() {
    return new Jedis("127.0.0.1", port());
  }

  private Jedis jedis(RedisProtocol protocol) {
    return new Jedis(new HostAndPort("127.0.0.1", port()), DefaultJedisClientConfig.builder().protocol(protocol).build());
  }

  /** Waits until INFO reports {@code n} blocked clients. */
  private void awaitBlocked(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try (Jedis jedis = jedis()) {
      while (!jedis.info("clients").contains("blocked_clients:" + n + "\r")) {
        assertThat(System.nanoTime()).as("blocked_clients:" + n).isLessThan(deadline);
        Thread.sleep(10);
      }
    }
  }

  @Test
  void brpopGetsWhatAnotherClientPushes() throws Exception {
    try (Jedis waiter = jedis(); Jedis pusher = jedis()) {
      Future<List<String>> popped = pool.submit(() -> waiter.brpop(10, "queue"));
      awaitBlocked(1);
      assertThat(popped.isDone()).isFalse();
      assertThat(pusher.lpush("queue", "job1")).isEqualTo(1L);
      assertThat(popped.get(5, TimeUnit.SECONDS)).containsExactly("queue", "job1");
      awaitBlocked(0);
      assertThat(pusher.exists("queue")).isFalse();
    }
  }

  @Test
  void blpopTimesOutWithNil() {
    try (Jedis jedis = jedis(RedisProtocol.RESP3); Jedis resp2 = jedis(RedisProtocol.RESP2)) {
      long start = System.nanoTime();
      KeyValue<String, String> none = jedis.blpop(0.2, "nokey");
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(none).isNull();
      assertThat(tookMs).isBetween(200L, 3000L);
      start = System.nanoTime();
      assertThat(resp2.blmove("nokey", "dst", redis.clients.jedis.args.ListDirection.LEFT,
          redis.clients.jedis.args.ListDirection.RIGHT, 0.1)).isNull();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(100L);
      assertThat(resp2.info("clients")).contains("blocked_clients:0");
    }
  }

  @Test
  void onePushWakesExactlyOneOfTwoWaiters() throws Exception {
    try (Jedis a = jedis(); Jedis b = jedis(); Jedis pusher = jedis()) {
      Future<List<String>> first = pool.submit(() -> a.blpop(20, "q"));
      awaitBlocked(1);
      Future<List<String>> second = pool.submit(() -> b.blpop(20, "q"));
      awaitBlocked(2);
      pusher.rpush("q", "only");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!first.isDone() && !second.isDone()) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(5);
      }
      Thread.sleep(300);
      assertThat(first.isDone() ^ second.isDone()).as("exactly one served").isTrue();
      assertThat(first.isDone()).as("the first to block is served first").isTrue();
      assertThat(first.get()).containsExactly("q", "only");
      awaitBlocked(1);
      assertThat(pusher.exists("q")).isFalse();
      pusher.rpush("q", "next");
      assertThat(second.get(5, TimeUnit.SECONDS)).containsExactly("q", "next");
      awaitBlocked(0);
    }
  }

  @Test
  void commandsPipelinedBehindAParkedPopWaitForIt() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port()); Jedis other = jedis()) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$2\r\n10\r\n"
          + "*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$1\r\n1\r\n"
          + "*1\r\n$4\r\nPING\r\n"
          + "*2\r\n$3\r\nGET\r\n$5\r\nafter\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      awaitBlocked(1);
      Thread.sleep(200);
      assertThat(in.available()).as("nothing answered while parked").isZero();
      assertThat(other.get("after")).as("the SET behind the pop is not applied yet").isNull();
      other.rpush("q", "v");
      String expected = "*2\r\n$1\r\nq\r\n$1\r\nv\r\n+OK\r\n+PONG\r\n$1\r\n1\r\n";
      byte[] reply = in.readNBytes(expected.length());
      assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo(expected);
      assertThat(other.get("after")).isEqualTo("1");
      // A pop that times out releases what is behind it too.
      out.write(("*3\r\n$5\r\nBRPOP\r\n$1\r\nq\r\n$3\r\n0.1\r\n*1\r\n$4\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      expected = "*-1\r\n+PONG\r\n";
      assertThat(new String(in.readNBytes(expected.length()), StandardCharsets.US_ASCII)).isEqualTo(expected);
    }
  }

  @Test
  void bzpopminThroughJedisAndLettuce() throws Exception {
    try (Jedis waiter = jedis(RedisProtocol.RESP2); Jedis other = jedis()) {
      Future<KeyValue<String, Tuple>> popped = pool.submit(() -> waiter.bzpopmin(10, "z1", "z2"));
      awaitBlocked(1);
      other.zadd("z2", 2.5, "b");
      other.zadd("z2", 1.5, "a");
      KeyValue<String, Tuple> got = popped.get(5, TimeUnit.SECONDS);
      assertThat(got.getKey()).isEqualTo("z2");
      assertThat(got.getValue().getElement()).isIn("a", "b");
      other.del("z2");
    }
    RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port()));
    try (StatefulRedisConnection<String, String> waiter = client.connect();
        StatefulRedisConnection<String, String> other = client.connect()) {
      RedisAsyncCommands<String, String> async = waiter.async();
      CompletableFuture<io.lettuce.core.KeyValue<String, ScoredValue<String>>> popped = async.bzpopmin(10, "z").toCompletableFuture();
      awaitBlocked(1);
      other.sync().zadd("z", 3.0, "m");
      io.lettuce.core.KeyValue<String, ScoredValue<String>> got = popped.get(5, TimeUnit.SECONDS);
      assertThat(got.getKey()).isEqualTo("z");
      assertThat(got.getValue().getValue()).isEqualTo("m");
      assertThat(got.getValue().getScore()).isEqualTo(3.0);
      // BZPOPMAX timing out: Lettuce decodes the RESP3 null.
      assertThat(async.bzpopmax(0.1, "z").get(5, TimeUnit.SECONDS)).isNull();
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void insideMultiAPopNeverBlocks() {
    try (Jedis jedis = jedis()) {
      Transaction tx = jedis.multi();
      tx.blpop(0, "nokey");
      tx.rpush("nokey", "a");
      tx.brpop(0, "nokey");
      long start = System.nanoTime();
      List<Object> replies = tx.exec();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000L);
      assertThat(replies).hasSize(3);
      assertThat(replies.get(0)).isNull();
      assertThat(replies.get(1)).isEqualTo(1L);
      assertThat(replies.get(2)).isEqualTo(List.of("nokey", "a"));
    }
  }

  @Test
  void clientUnblockAnswersTheWaiter() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port()); Jedis other = jedis()) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write("*2\r\n$6\r\nCLIENT\r\n$2\r\nID\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        line.append((char) c);
      }
      long id = Long.parseLong(line.substring(1).trim());
      String blpop = "*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n";
      out.write(blpop.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      awaitBlocked(1);
      assertThat(other.clientUnblock(id, redis.clients.jedis.args.UnblockType.ERROR)).isEqualTo(1L);
      String expected = "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n";
      assertThat(new String(in.readNBytes(expected.length()), StandardCharsets.US_ASCII)).isEqualTo(expected);
      out.write(blpop.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      awaitBlocked(1);
      assertThat(other.clientUnblock(id)).isEqualTo(1L);
      assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("*-1\r\n");
      awaitBlocked(0);
      assertThat(other.clientUnblock(id)).as("not blocked").isEqualTo(0L);
    }
  }

  @Test
  void aDisconnectedWaiterIsForgotten() throws Exception {
    try (Jedis other = jedis()) {
      Socket socket = new Socket("127.0.0.1", port());
      socket.getOutputStream().write("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      awaitBlocked(1);
      socket.close();
      awaitBlocked(0);
      other.rpush("q", "kept");
      Thread.sleep(100);
      assertThat(other.lrange("q", 0, -1)).containsExactly("kept");
    }
  }

  /**
   * Redis serves a woken waiter inside the push that fed it, so a read after the push's reply finds
   * the waiter already served — along a chain of waiters too (list.tcl's "Linked LMOVEs"), and a
   * WATCH of the waiter's destination sees the push (list.tcl's "PUSH resulting from BRPOPLPUSH
   * affect WATCH"). Each round reads right after the push, from the pusher's own connection.
   */
  @Test
  void aReadAfterThePushSeesTheWokenWaitersServed() throws Exception {
    try (Jedis a = jedis(); Jedis b = jedis(); Jedis pusher = jedis(); Jedis watcher = jedis()) {
      for (int round = 0; round < 20; round++) {
        Future<String> first = pool.submit(() -> a.blmove("list1", "list2", redis.clients.jedis.args.ListDirection.RIGHT,
            redis.clients.jedis.args.ListDirection.LEFT, 20));
        awaitBlocked(1);
        Future<String> second = pool.submit(() -> b.blmove("list2", "list3", redis.clients.jedis.args.ListDirection.LEFT,
            redis.clients.jedis.args.ListDirection.RIGHT, 20));
        awaitBlocked(2);
        pusher.rpush("list1", "foo" + round);
        assertThat(pusher.lrange("list1", 0, -1)).as("round %d: list1", round).isEmpty();
        assertThat(pusher.lrange("list2", 0, -1)).as("round %d: list2", round).isEmpty();
        assertThat(pusher.lrange("list3", 0, -1)).as("round %d: list3", round).containsExactly("foo" + round);
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("foo" + round);
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("foo" + round);
        pusher.del("list3");
      }

      // A circle (list.tcl's "Circular BRPOPLPUSH"): the second waiter is woken by the first's re-run.
      Future<String> there = pool.submit(() -> a.brpoplpush("c1", "c2", 20));
      awaitBlocked(1);
      Future<String> back = pool.submit(() -> b.brpoplpush("c2", "c1", 20));
      awaitBlocked(2);
      pusher.rpush("c1", "foo");
      assertThat(pusher.lrange("c1", 0, -1)).as("circle: c1").containsExactly("foo");
      assertThat(pusher.lrange("c2", 0, -1)).as("circle: c2").isEmpty();
      assertThat(there.get(5, TimeUnit.SECONDS)).isEqualTo("foo");
      assertThat(back.get(5, TimeUnit.SECONDS)).isEqualTo("foo");

      Future<String> mover = pool.submit(() -> a.brpoplpush("src", "dst", 20));
      awaitBlocked(1);
      watcher.watch("dst");
      Transaction tx = watcher.multi();
      tx.get("somekey");
      pusher.lpush("src", "element");
      assertThat(tx.exec()).as("EXEC after a push that fed a WATCHed key through a waiter").isNull();
      assertThat(mover.get(5, TimeUnit.SECONDS)).isEqualTo("element");
    }
  }

  /**
   * INFO commandstats counts a blocking command once, however it ends, as Redis does: served at
   * once, served after parking (its re-run adds no call), or answered at its timeout; a failure on
   * the re-run still counts as a failed call (stream-cgroups.tcl's "XGROUP DESTROY should unblock
   * XREADGROUP with -NOGROUP").
   */
  @Test
  void aBlockingCommandCountsOneCallHoweverItEnds() throws Exception {
    try (Jedis waiter = jedis(); Jedis other = jedis()) {
      other.configResetStat();
      other.rpush("ready", "x");
      assertThat(waiter.blpop(5, "ready")).containsExactly("ready", "x"); // served at once
      Future<List<String>> parked = pool.submit(() -> waiter.blpop(20, "later"));
      awaitBlocked(1);
      other.rpush("later", "y");
      assertThat(parked.get(5, TimeUnit.SECONDS)).containsExactly("later", "y"); // served after parking
      assertThat(waiter.blpop(0.2, "never")).isNull(); // answered at its timeout
      assertThat(commandStat(other, "blpop")).startsWith("calls=3,").contains("failed_calls=0");

      other.xgroupCreate("stream", "group", redis.clients.jedis.StreamEntryID.LAST_ENTRY, true);
      Future<Object> reader = pool.submit(() -> waiter.sendCommand(redis.clients.jedis.Protocol.Command.XREADGROUP,
          "GROUP", "group", "alice", "BLOCK", "20000", "STREAMS", "stream", ">"));
      awaitBlocked(1);
      other.xgroupDestroy("stream", "group");
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> reader.get(5, TimeUnit.SECONDS)))
          .hasMessageContaining("NOGROUP");
      assertThat(commandStat(other, "xreadgroup")).startsWith("calls=1,").endsWith("failed_calls=1");
    }
  }

  /** The cmdstat_NAME line of INFO commandstats, after the colon. */
  private static String commandStat(Jedis jedis, String name) {
    for (String line : jedis.info("commandstats").split("\r\n")) {
      if (line.startsWith("cmdstat_" + name + ":")) {
        return line.substring(line.indexOf(':') + 1);
      }
    }
    return "";
  }
}

package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * SYNC and PSYNC on the embedded default (a durable one-member group): a raw SYNC client reads the
 * RDB copy and then Redis 7.0's propagated commands; Debian's redis-server 7.0, started with
 * {@code --replicaof} this member, loads the copy and follows the stream until both hold the same
 * data.
 */
class ReplicationStreamIT {

  @RegisterExtension
  static final KaiwareServerExtension kaiware = new KaiwareServerExtension();

  private static final ProtocolCommand DEBUG = () -> "DEBUG".getBytes(StandardCharsets.US_ASCII);

  @Test
  void aSyncClientReadsAnRdbCopyThenThePropagatedCommands() throws Exception {
    try (Jedis k = new Jedis("127.0.0.1", kaiware.port()); Socket s = new Socket("127.0.0.1", kaiware.port())) {
      k.set("sync:before", "1");
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      DataInputStream in = new DataInputStream(s.getInputStream());
      out.write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String header = line(in);
      assertThat(header).startsWith("$");
      byte[] rdb = new byte[Integer.parseInt(header.substring(1))];
      in.readFully(rdb);
      assertThat(new String(rdb, 0, 9, StandardCharsets.US_ASCII)).isEqualTo("REDIS0010");
      assertThat(new String(rdb, StandardCharsets.ISO_8859_1)).contains("sync:before");

      long beforeMs = System.currentTimeMillis();
      k.setex("sync:ttl", 100, "v");
      k.getDel("sync:before");
      redis.clients.jedis.Transaction tx = k.multi();
      tx.incr("sync:n");
      tx.incr("sync:n");
      tx.exec();
      assertThat(command(in)).containsExactly("SELECT", "0");
      List<String> set = command(in);
      assertThat(set.subList(0, 4)).containsExactly("SET", "sync:ttl", "v", "PXAT");
      assertThat(Long.parseLong(set.get(4))).isBetween(beforeMs + 100_000, System.currentTimeMillis() + 100_000);
      assertThat(command(in)).containsExactly("DEL", "sync:before");
      assertThat(command(in)).containsExactly("MULTI");
      assertThat(command(in)).containsExactly("INCR", "sync:n");
      assertThat(command(in)).containsExactly("INCR", "sync:n");
      assertThat(command(in)).containsExactly("EXEC");
      assertThat(k.clientList()).contains("flags=S");
    }
  }

  @Test
  void aReadThatFindsAKeyExpiredAheadOfTheLogReclaimsItThroughTheLog() throws Exception {
    // Redis's expire.tcl "SCAN: Lazy-expire should not be wrapped in MULTI/EXEC": a read that finds
    // keys expired deletes them, a DEL each on the stream. On the durable default the read is ahead
    // of log time, so the leader appends a RECLAIM entry that deletes them on every member.
    try (Jedis k = new Jedis("127.0.0.1", kaiware.port()); Socket s = new Socket("127.0.0.1", kaiware.port())) {
      k.sendCommand(DEBUG, "SET-ACTIVE-EXPIRE", "0"); // nothing but the reads reclaims them
      k.flushAll();
      k.set("lazy:1", "v", redis.clients.jedis.params.SetParams.setParams().px(1));
      k.set("lazy:2", "v", redis.clients.jedis.params.SetParams.setParams().px(1));
      Thread.sleep(20);
      assertThat(k.dbSize()).as("expired, not reclaimed").isEqualTo(2);
      long expiredBefore = Long.parseLong(k.info("stats").lines()
          .filter(l -> l.startsWith("expired_keys:")).findFirst().orElseThrow().substring(13).trim());
      s.setSoTimeout(10_000);
      s.getOutputStream().write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      String header = line(in);
      in.readFully(new byte[Integer.parseInt(header.substring(1))]);

      assertThat(k.scan("0").getResult()).isEmpty();
      assertThat(command(in)).containsExactly("SELECT", "0");
      List<String> first = command(in);
      List<String> second = command(in);
      assertThat(List.of(first, second)).containsExactlyInAnyOrder(List.of("DEL", "lazy:1"), List.of("DEL", "lazy:2"));
      RedisData.awaitTrue("the keys are gone", Path.of("/nonexistent"), () -> k.dbSize() == 0);
      assertThat(k.info("stats")).contains("expired_keys:" + (expiredBefore + 2));
    } finally {
      try (Jedis k = new Jedis("127.0.0.1", kaiware.port())) {
        k.sendCommand(DEBUG, "SET-ACTIVE-EXPIRE", "1");
      }
    }
  }

  @Test
  void aWakeUpThatFindsTheKeyExpiredDeletesItAndTheClientStaysBlocked() throws Exception {
    try (Jedis k = new Jedis("127.0.0.1", kaiware.port()); Jedis waiter = new Jedis("127.0.0.1", kaiware.port());
        Socket s = new Socket("127.0.0.1", kaiware.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      in.readFully(new byte[Integer.parseInt(line(in).substring(1))]);
      k.sendCommand(DEBUG, "SET-ACTIVE-EXPIRE", "0"); // only the wake-up deletes
      k.select(1);
      k.rpush("wake:k", "hello");
      k.pexpire("wake:k", 100);
      waiter.select(9);
      long waiterId = waiter.clientId();
      Thread blocked = new Thread(() -> {
        try {
          waiter.brpop(2, "wake:k");
        } catch (RuntimeException e) {
          // the connection closes at the end of the test
        }
      });
      blocked.start();
      RedisData.awaitTrue("the waiter is blocked", Path.of("/nonexistent"), () -> k.clientList().contains("id=" + waiterId + " ")
          && k.clientList().lines().anyMatch(l -> l.startsWith("id=" + waiterId + " ") && l.contains("flags=b")));
      Thread.sleep(150);
      k.swapDB(1, 9); // the expired list lands under the waiter, which wakes, finds it expired, and waits on
      assertThat(command(in)).containsExactly("SELECT", "1");
      assertThat(command(in)).containsExactly("RPUSH", "wake:k", "hello");
      assertThat(command(in).get(0)).isEqualTo("PEXPIREAT");
      assertThat(command(in)).containsExactly("SWAPDB", "1", "9");
      assertThat(command(in)).containsExactly("SELECT", "9");
      assertThat(command(in)).containsExactly("DEL", "wake:k");
      assertThat(k.clientList().lines().filter(l -> l.startsWith("id=" + waiterId + " ")).findFirst().orElseThrow())
          .contains("flags=b");
      blocked.join(5_000);
    } finally {
      try (Jedis k = new Jedis("127.0.0.1", kaiware.port())) {
        k.sendCommand(DEBUG, "SET-ACTIVE-EXPIRE", "1");
      }
    }
  }

  @Test
  void aReplicaThatStopsReadingIsDisconnectedAtTheOutputLimit() throws Exception {
    try (Jedis k = new Jedis("127.0.0.1", kaiware.port()); Socket s = new Socket()) {
      k.configSet("replica-output-buffer-limit", "1mb");
      try {
        s.setReceiveBufferSize(4096);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", kaiware.port()));
        s.getOutputStream().write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        RedisData.awaitTrue("the SYNC client is attached", Path.of("/nonexistent"), () -> k.clientList().contains("flags=S"));
        // Never read: the stream piles up in the member until it passes the limit.
        String value = "v".repeat(64 * 1024);
        for (int i = 0; i < 200 && k.clientList().contains("flags=S"); i++) {
          k.set("limit:" + (i % 10), value);
        }
        RedisData.awaitTrue("the replica is disconnected", Path.of("/nonexistent"), () -> !k.clientList().contains("flags=S"));
        assertThat(k.ping()).isEqualTo("PONG");
      } finally {
        k.configSet("replica-output-buffer-limit", "256mb");
      }
    }
  }

  @Test
  void aRedisReplicaLoadsTheCopyAndFollowsTheStream() throws Exception {
    try (Jedis k = new Jedis("127.0.0.1", kaiware.port())) {
      k.set("r:str", "hello");
      k.set("r:ttl", "v", redis.clients.jedis.params.SetParams.setParams().ex(1000));
      k.set("r:int", "12345");
      k.hset("r:hash", Map.of("a", "1", "b", "2"));
      k.zadd("r:zset", Map.of("m1", 1.5, "m2", -2.0));
      k.rpush("r:list", "a", "b", "c");
      k.sadd("r:set", "x", "1", "2");
      k.xadd("r:stream", StreamEntryID.NEW_ENTRY, Map.of("f", "v"));
      k.select(3);
      k.set("r:db3", "three");
      k.select(0);

      Path dir = Files.createTempDirectory("kaiware-redis-replica");
      int port = RaftCluster.freePort();
      Process redis = RedisData.startRedisServer(dir, port, "--replicaof", "127.0.0.1", Integer.toString(kaiware.port()));
      try (Jedis r = new Jedis("127.0.0.1", port)) {
        RedisData.awaitTrue("the replica's link is up", dir, () -> {
          try {
            return r.info("replication").contains("master_link_status:up");
          } catch (RuntimeException e) {
            return false; // still starting
          }
        });
        RedisData.assertSameData(k, r, 0);
        assertThat(r.pttl("r:ttl")).isBetween(900_000L, 1_000_000L);

        // Writes after the copy arrive through the stream, rewritten so that the replica ends the same.
        k.incrByFloat("r:float", 1.25);
        k.expire("r:str", 500);
        k.spop("r:set");
        k.del("r:int");
        k.hset("r:hash", "c", "3");
        k.zincrby("r:zset", 1, "m1");
        k.lpush("r:list", "z");
        k.eval("redis.call('set', KEYS[1], 'x'); redis.call('incr', KEYS[2])", 2, "r:e1", "r:e2");
        k.xadd("r:stream", StreamEntryID.NEW_ENTRY, Map.of("g", "w"));
        k.select(3);
        k.set("r:db3b", "more");
        k.select(0);
        k.set("r:done", "1");
        RedisData.awaitTrue("the last write reached the replica", dir, () -> "1".equals(r.get("r:done")));
        RedisData.assertSameData(k, r, 0);
        assertThat(r.pttl("r:str")).isBetween(400_000L, 500_000L);
        k.select(3);
        r.select(3);
        RedisData.assertSameData(k, r, 3);
      } finally {
        redis.destroy();
        redis.waitFor();
        KaiwareProcess.deleteTree(dir);
      }
    }
  }

  private static String line(DataInputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("stream closed");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  /** The next command of the stream (PINGs, sent every repl-ping-replica-period, skipped). */
  private static List<String> command(DataInputStream in) throws IOException {
    for (;;) {
      String header = line(in);
      assertThat(header).startsWith("*");
      int n = Integer.parseInt(header.substring(1));
      List<String> words = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] word = new byte[Integer.parseInt(line(in).substring(1))];
        in.readFully(word);
        line(in);
        words.add(new String(word, StandardCharsets.ISO_8859_1));
      }
      if (!words.equals(List.of("PING"))) {
        return words;
      }
    }
  }
}

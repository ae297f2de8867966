package io.kaiware.command.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.Propagation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The replication stream a SYNC client reads: which commands propagate, rewritten how, wrapped in
 * MULTI/EXEC when, with SELECT where — Redis 7.0's rules (server.c call/propagatePendingCommands and
 * the rewrites in t_string.c, expire.c, t_set.c ...).
 */
class PropagationTest {

  private CommandHarness r;
  private final ByteArrayOutputStream stream = new ByteArrayOutputStream();
  private boolean open = true;

  @BeforeEach
  void attach() {
    r = new CommandHarness();
    r.dispatcher().propagation().attach(new Propagation.Sink() {
      @Override
      public void send(byte[] bytes) {
        stream.writeBytes(bytes);
      }

      @Override
      public boolean open() {
        return open;
      }
    });
  }

  /** The commands received so far, each as its words joined by spaces; the stream is consumed. */
  private List<String> received() {
    byte[] b = stream.toByteArray();
    stream.reset();
    List<String> out = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < b.length) {
      assertEquals('*', b[pos[0]], "every command is an array");
      int n = Integer.parseInt(line(b, pos).substring(1));
      List<String> words = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int len = Integer.parseInt(line(b, pos).substring(1));
        words.add(new String(b, pos[0], len, StandardCharsets.ISO_8859_1));
        pos[0] += len + 2;
      }
      out.add(String.join(" ", words));
    }
    return out;
  }

  private static String line(byte[] b, int[] pos) {
    int start = pos[0];
    while (b[pos[0]] != '\r') {
      pos[0]++;
    }
    String s = new String(b, start, pos[0] - start, StandardCharsets.US_ASCII);
    pos[0] += 2;
    return s;
  }

  @Test
  void aWriteGoesOutAfterASelectAndAReadOrANoOpDoesNot() {
    r.exec("set", "foo", "bar");
    r.exec("get", "foo");
    r.exec("del", "missing");
    r.exec("set", "foo2", "bar");
    assertEquals(List.of("SELECT 0", "set foo bar", "set foo2 bar"), received());
    r.exec("select", "3");
    r.exec("incr", "n");
    r.exec("incr", "n");
    assertEquals(List.of("SELECT 3", "incr n", "incr n"), received());
  }

  @Test
  void everyExpiryIsPropagatedAsAnAbsoluteTime() {
    long now = r.nowMs();
    r.exec("set", "a", "v", "EX", "100");
    r.exec("set", "a", "v", "PX", "5000", "NX");
    r.exec("set", "a", "v", "PXAT", Long.toString(now + 7000), "GET");
    r.exec("setex", "a", "10", "v");
    r.exec("psetex", "a", "10", "v");
    r.exec("expire", "a", "100", "GT");
    r.exec("pexpireat", "a", Long.toString(now + 99_000));
    r.exec("expireat", "a", Long.toString(now / 1000 - 100));
    assertEquals(List.of("SELECT 0",
        "SET a v PXAT " + (now + 100_000),
        // NX refused: nothing; PXAT with GET: still rewritten, without GET
        "SET a v PXAT " + (now + 7000),
        "SET a v PXAT " + (now + 10_000),
        "SET a v PXAT " + (now + 10),
        "PEXPIREAT a " + (now + 100_000) + " GT",
        "pexpireat a " + (now + 99_000),
        "DEL a"), received());
  }

  @Test
  void getexAndGetdelPropagateWhatTheyDid() {
    long now = r.nowMs();
    r.exec("set", "k", "v", "EX", "100");
    r.exec("getex", "k");
    r.exec("getex", "k", "PERSIST");
    r.exec("getex", "k", "PERSIST"); // no TTL left: no change
    r.exec("getex", "k", "PX", "500");
    r.exec("getdel", "k");
    r.exec("getdel", "k");
    assertEquals(List.of("SELECT 0", "SET k v PXAT " + (now + 100_000), "PERSIST k", "PEXPIREAT k " + (now + 500), "DEL k"),
        received());
  }

  @Test
  void setWithGetLosesItsGetAndIncrbyfloatBecomesTheValueItMade() {
    r.exec("set", "k", "1", "GET");
    r.exec("incrbyfloat", "k", "0.5");
    r.exec("hincrbyfloat", "h", "f", "2.5");
    assertEquals(List.of("SELECT 0", "set k 1", "SET k 1.5 KEEPTTL", "HSET h f 2.5"), received());
  }

  @Test
  void transactionsAreWrappedOnlyWhenMoreThanOneCommandWrote() {
    r.exec("multi");
    r.exec("set", "foo", "bar");
    r.exec("exec");
    r.exec("multi");
    r.exec("set", "a", "1");
    r.exec("get", "a");
    r.exec("select", "2");
    r.exec("set", "b", "2");
    r.exec("exec");
    r.exec("multi");
    r.exec("get", "a");
    r.exec("exec");
    assertEquals(List.of("SELECT 0", "set foo bar", "MULTI", "set a 1", "SELECT 2", "set b 2", "EXEC"), received());
  }

  @Test
  void scriptsPropagateTheirEffects() {
    r.exec("eval", "redis.call('set', KEYS[1], 'x')", "1", "one");
    r.exec("eval", "redis.call('set', KEYS[1], 'x'); redis.call('incr', 'n'); return redis.call('get', 'n')", "1", "k");
    r.exec("eval", "return redis.call('get', KEYS[1])", "1", "k");
    r.exec("script", "load", "return 1");
    r.exec("script", "flush");
    assertEquals(List.of("SELECT 0", "set one x", "MULTI", "set k x", "incr n", "EXEC"), received());
  }

  @Test
  void lazyExpiryIsADelBeforeTheCommandAndUnwrappedForScan() {
    r.exec("debug", "set-active-expire", "0");
    r.exec("set", "a", "1", "PX", "1");
    r.exec("set", "b", "1", "PX", "1");
    r.exec("set", "c", "1", "PX", "1");
    received();
    r.advance(10);
    r.exec("incr", "a"); // finds a expired: DEL a, then the INCR, as one unit
    r.exec("scan", "0");
    List<String> got = received();
    assertEquals(List.of("MULTI", "DEL a", "incr a", "EXEC"), got.subList(0, 4));
    // SCAN's deletions, in table order, each on its own
    assertEquals(java.util.Set.of("DEL b", "DEL c"), java.util.Set.copyOf(got.subList(4, got.size())));
    assertEquals(6, got.size());
  }

  @Test
  void spopPropagatesTheMembersItTookAndPublishAndFlushAlwaysGoOut() {
    r.exec("sadd", "s", "a", "b", "c", "d", "e");
    received();
    Object one = r.exec("spop", "s");
    assertEquals(List.of("SREM s " + one), received());
    @SuppressWarnings("unchecked")
    List<Object> two = (List<Object>) r.exec("spop", "s", "2");
    List<String> got = received();
    assertEquals(List.of("MULTI", "SREM s " + two.get(0), "SREM s " + two.get(1), "EXEC"), got);
    r.exec("spop", "s", "10");
    assertEquals(List.of("DEL s"), received());
    r.exec("publish", "ch", "hello");
    r.exec("flushall");
    assertEquals(List.of("publish ch hello", "flushall"), received());
  }

  @Test
  void aClosedClientIsDroppedAndPingsCarryNoSelect() {
    r.dispatcher().propagation().ping();
    assertEquals(List.of("PING"), received());
    open = false;
    r.exec("set", "a", "1");
    assertEquals(0, r.dispatcher().propagation().attachedCount());
    assertTrue(received().isEmpty());
  }

  @Test
  void consumerGroupChangesPropagateThoughWatchDoesNotSeeThem() {
    r.exec("xadd", "st", "1-1", "f", "v");
    r.exec("xgroup", "create", "st", "g", "0");
    r.exec("xreadgroup", "group", "g", "c", "streams", "st", ">");
    r.exec("xreadgroup", "group", "g", "c", "streams", "st", ">"); // nothing new: no change
    r.exec("xack", "st", "g", "1-1");
    r.exec("xack", "st", "g", "1-1"); // already acknowledged
    long now = r.nowMs();
    assertEquals(List.of("SELECT 0", "xadd st 1-1 f v", "xgroup create st g 0",
        "XCLAIM st g c 0 1-1 TIME " + now + " RETRYCOUNT 1 FORCE JUSTID LASTID 1-1", "xack st g 1-1"), received());
    r.exec("xadd", "st", "2-1", "f", "v");
    r.exec("xreadgroup", "group", "g", "c3", "noack", "streams", "st", ">");
    assertEquals(List.of("xadd st 2-1 f v", "MULTI", "XGROUP CREATECONSUMER st g c3", "XGROUP SETID st g 2-1 ENTRIESREAD 2",
        "EXEC"), received());
    CommandHarness other = r.otherClient();
    r.exec("watch", "st");
    other.exec("xgroup", "createconsumer", "st", "g", "c2");
    r.exec("multi");
    r.exec("xlen", "st");
    assertEquals(List.of(2L), r.exec("exec"), "group state does not dirty a WATCH (Redis: no signalModifiedKey)");
  }

  @Test
  void syncNeedsAConnectionAndReplconfIsAccepted() {
    assertEquals("-ERR SYNC needs a network connection", r.exec("sync").toString());
    assertEquals("OK", r.exec("replconf", "listening-port", "6380"));
  }

  @Test
  void aReplicaSendsItsReplicasOnlyWhatItsMasterSent() {
    // Redis's multi.tcl "MULTI / EXEC with REPLICAOF": the block that made the server a replica
    // is not propagated, nor anything after it that did not come from the master.
    r.exec("set", "foo", "bar");
    r.exec("multi");
    r.exec("set", "foo2", "bar");
    r.exec("replicaof", "localhost", "9999");
    r.exec("set", "foo3", "bar");
    assertEquals(List.of("OK", "OK", "OK"), r.exec("exec"));
    assertEquals(List.of("SELECT 0", "set foo bar"), received());
    assertEquals(List.of("localhost:9999"), r.hooks().followed);

    r.session().fromMaster(true); // the master link's session
    r.exec("set", "from-master", "1");
    r.session().fromMaster(false);
    assertEquals(List.of("set from-master 1"), received());
    r.exec("replicaof", "no", "one");
    r.exec("set", "again", "1");
    assertEquals(List.of("set again 1"), received());
  }

  @Test
  void dirtyCountsChangesOnlyAndNotReclaimedKeys() {
    long before = r.keyspace().writesSinceLastSave();
    r.exec("setbit", "bits", "0", "1");
    r.exec("setbit", "bits", "0", "1"); // same bit: no change
    r.exec("set", "t", "v", "PX", "1");
    r.exec("debug", "set-active-expire", "0");
    r.advance(5);
    r.exec("get", "t"); // reclaimed on access: not a write
    assertEquals(before + 2, r.keyspace().writesSinceLastSave());
  }
}

package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamInfo;
import redis.clients.jedis.resps.StreamPendingEntry;
import redis.clients.jedis.resps.StreamPendingSummary;

/**
 * Streams through Jedis 8 over RESP2 and RESP3 ({@link StreamsClientsIT}: the default, Raft-replicated
 * server; {@link StreamsCacheIT}: non-durable cache mode): every
 * assertion is on what the client decoded — entries, XREAD's array (RESP2) or map (RESP3), the
 * pending summaries, XINFO's maps — and a blocked XREAD and XREADGROUP are served by an XADD from
 * another connection.
 */
abstract class StreamsClientsTests {

  abstract int port();

  @BeforeEach
  void flush() {
    try (Jedis jedis = new Jedis("127.0.0.1", port())) {
      jedis.flushAll();
    }
  }

  private Jedis jedis(RedisProtocol protocol) {
    return new Jedis(new HostAndPort("127.0.0.1", port()),
        DefaultJedisClientConfig.builder().protocol(protocol).socketTimeoutMillis(10_000).build());
  }

  @ParameterizedTest
  @EnumSource(RedisProtocol.class)
  void entriesRangesAndTrimming(RedisProtocol protocol) {
    try (Jedis j = jedis(protocol)) {
      StreamEntryID first = j.xadd("s", XAddParams.xAddParams(), Map.of("f", "1"));
      assertThat(first.getTime()).isGreaterThan(1_600_000_000_000L);
      assertThat(j.xadd("s", XAddParams.xAddParams().id(first.getTime() + 1000, 0), Map.of("f", "2")))
          .isEqualTo(new StreamEntryID(first.getTime() + 1000, 0));
      List<StreamEntry> all = j.xrange("s", "-", "+");
      assertThat(all).extracting(e -> e.getFields().get("f")).containsExactly("1", "2");
      assertThat(j.xrevrange("s", "+", "-", 1).get(0).getFields()).isEqualTo(Map.of("f", "2"));
      assertThat(j.xlen("s")).isEqualTo(2);
      for (int i = 0; i < 10; i++) {
        j.xadd("s", XAddParams.xAddParams().maxLen(5), Map.of("f", "x" + i));
      }
      assertThat(j.xlen("s")).isEqualTo(5);
      assertThat(j.xdel("s", j.xrange("s", "-", "+").get(0).getID())).isEqualTo(1);
      assertThat(j.xtrim("s", 2, false)).isEqualTo(2);
      assertThat(j.type("s")).isEqualTo("stream");
      StreamInfo info = j.xinfoStream("s");
      assertThat(info.getLength()).isEqualTo(2);
      assertThat(info.getLastEntry().getFields()).isEqualTo(Map.of("f", "x9"));
      j.set("str", "v");
      assertThatThrownBy(() -> j.xlen("str")).isInstanceOf(JedisDataException.class).hasMessageStartingWith("WRONGTYPE");
      assertThatThrownBy(() -> j.xadd("s", XAddParams.xAddParams().id(1, 0), Map.of("f", "v")))
          .hasMessage("ERR The ID specified in XADD is equal or smaller than the target stream top item");
    }
  }

  @ParameterizedTest
  @EnumSource(RedisProtocol.class)
  void consumerGroups(RedisProtocol protocol) {
    try (Jedis j = jedis(protocol)) {
      j.xadd("s", XAddParams.xAddParams().id(1, 0), Map.of("a", "1"));
      j.xadd("s", XAddParams.xAddParams().id(2, 0), Map.of("b", "2"));
      assertThat(j.xgroupCreate("s", "g", new StreamEntryID(0, 0), false)).isEqualTo("OK");
      List<Map.Entry<String, List<StreamEntry>>> read = j.xreadGroup("g", "alice", XReadGroupParams.xReadGroupParams().count(10),
          Map.of("s", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
      assertThat(read).hasSize(1);
      assertThat(read.get(0).getKey()).isEqualTo("s");
      assertThat(read.get(0).getValue()).extracting(StreamEntry::getID)
          .containsExactly(new StreamEntryID(1, 0), new StreamEntryID(2, 0));
      StreamPendingSummary summary = j.xpending("s", "g");
      assertThat(summary.getTotal()).isEqualTo(2);
      assertThat(summary.getConsumerMessageCount()).isEqualTo(Map.of("alice", 2L));
      List<StreamPendingEntry> pending = j.xpending("s", "g", XPendingParams.xPendingParams().count(10));
      assertThat(pending).extracting(StreamPendingEntry::getConsumerName).containsExactly("alice", "alice");
      assertThat(j.xack("s", "g", new StreamEntryID(1, 0))).isEqualTo(1);
      List<StreamEntry> claimed = j.xclaim("s", "g", "bob", 0, XClaimParams.xClaimParams(), new StreamEntryID(2, 0));
      assertThat(claimed).extracting(StreamEntry::getFields).containsExactly(Map.of("b", "2"));
      List<StreamGroupInfo> groups = j.xinfoGroups("s");
      assertThat(groups).hasSize(1);
      assertThat(groups.get(0).getName()).isEqualTo("g");
      assertThat(groups.get(0).getPending()).isEqualTo(1);
      assertThat(j.xinfoConsumers("s", "g")).hasSize(2);
      assertThatThrownBy(() -> j.xreadGroup("nope", "c", XReadGroupParams.xReadGroupParams(),
          Map.of("s", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)))
          .hasMessageStartingWith("NOGROUP No such key 's' or consumer group 'nope'");
    }
  }

  @ParameterizedTest
  @EnumSource(RedisProtocol.class)
  void blockedReadsAreServedByALaterXadd(RedisProtocol protocol) throws Exception {
    // Own threads: the common pool may have a single one on a small machine.
    try (Jedis reader = jedis(protocol); Jedis groupReader = jedis(protocol); Jedis writer = jedis(protocol);
        ExecutorService threads = Executors.newFixedThreadPool(2)) {
      writer.xadd("s", XAddParams.xAddParams().id(1, 0), Map.of("old", "1"));
      writer.xgroupCreate("s", "g", StreamEntryID.XGROUP_LAST_ENTRY, false);
      CompletableFuture<List<Map.Entry<String, List<StreamEntry>>>> blocked = CompletableFuture.supplyAsync(() ->
          reader.xread(XReadParams.xReadParams().block(5000), Map.of("s", StreamEntryID.XREAD_NEW_ENTRY)), threads);
      CompletableFuture<List<Map.Entry<String, List<StreamEntry>>>> groupBlocked = CompletableFuture.supplyAsync(() ->
          groupReader.xreadGroup("g", "c", XReadGroupParams.xReadGroupParams().block(5000),
              Map.of("s", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)), threads);
      long deadline = System.currentTimeMillis() + 5000;
      while (!writer.info("clients").contains("blocked_clients:2") && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertThat(writer.info("clients")).contains("blocked_clients:2");
      writer.xadd("s", XAddParams.xAddParams().id(2, 0), Map.of("new", "2"));
      List<Map.Entry<String, List<StreamEntry>>> got = blocked.get(5, TimeUnit.SECONDS);
      assertThat(got.get(0).getValue()).extracting(StreamEntry::getID).containsExactly(new StreamEntryID(2, 0));
      List<Map.Entry<String, List<StreamEntry>>> groupGot = groupBlocked.get(5, TimeUnit.SECONDS);
      assertThat(groupGot.get(0).getValue()).extracting(StreamEntry::getID).containsExactly(new StreamEntryID(2, 0));
      assertThat(writer.xpending("s", "g").getTotal()).isEqualTo(1);
      // A timeout answers null.
      assertThat(reader.xread(XReadParams.xReadParams().block(50), Map.of("s", StreamEntryID.XREAD_NEW_ENTRY))).isNull();
    }
  }
}

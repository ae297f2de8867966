package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.Range.Boundary;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.ZAggregateArgs;
import io.lettuce.core.ZPopArgs;
import io.lettuce.core.ZStoreArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.args.SortedSetOption;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.params.ZParams;
import redis.clients.jedis.params.ZRangeParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * Hashes, sorted sets, lists, sets and SORT through unmodified clients over a real socket: Jedis 8 (RESP2 and RESP3)
 * and Lettuce 7 (default settings, which negotiate RESP3 with HELLO 3, and forced RESP2). Every
 * assertion is on the value the client decoded, so these tests fail when a client cannot parse a
 * reply: RESP3 doubles ({@code ,inf}), maps (HGETALL), nested [member, score] pairs (WITHSCORES,
 * ZPOPMIN with a count, ZMPOP, ZRANDMEMBER) and their RESP2 flat forms.
 */
class CollectionsClientsIT {

  private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

  @RegisterExtension
  static final KaiwareServerExtension server = new KaiwareServerExtension();

  @BeforeEach
  void flush() {
    try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      jedis.flushAll();
    }
  }

  private static Jedis jedis(RedisProtocol protocol) {
    Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", server.port()),
        DefaultJedisClientConfig.builder().protocol(protocol).build());
    assertThat(jedis.clientInfo()).contains(protocol == RedisProtocol.RESP3 ? "resp=3" : "resp=2");
    return jedis;
  }

  private static Tuple t(String member, double score) {
    return new Tuple(member, score);
  }

  // ---------------------------------------------------------------- Jedis

  @ParameterizedTest
  @EnumSource(RedisProtocol.class)
  void jedisListsSetsAndSort(RedisProtocol protocol) {
    try (Jedis jedis = jedis(protocol)) {
      assertThat(jedis.rpush("l", "a", "b", "c")).isEqualTo(3);
      assertThat(jedis.lpush("l", "z")).isEqualTo(4);
      assertThat(jedis.lrange("l", 0, -1)).containsExactly("z", "a", "b", "c");
      assertThat(jedis.lpop("l", 2)).containsExactly("z", "a");
      assertThat(jedis.rpop("missing")).isNull();
      assertThat(jedis.lpop("missing", 2)).isNull();
      assertThat(jedis.lmove("l", "l2", redis.clients.jedis.args.ListDirection.LEFT, redis.clients.jedis.args.ListDirection.RIGHT))
          .isEqualTo("b");
      assertThat(jedis.lpos("l2", "b")).isZero();
      redis.clients.jedis.util.KeyValue<String, List<String>> popped =
          jedis.lmpop(redis.clients.jedis.args.ListDirection.RIGHT, 5, "nope", "l");
      assertThat(popped.getKey()).isEqualTo("l");
      assertThat(popped.getValue()).containsExactly("c");
      assertThat(jedis.exists("l")).isFalse(); // emptied: deleted

      assertThat(jedis.sadd("s", "3", "1", "2")).isEqualTo(3);
      assertThat(jedis.objectEncoding("s")).isEqualTo("intset");
      assertThat(jedis.smembers("s")).containsExactlyInAnyOrder("1", "2", "3");
      assertThat(jedis.sadd("t", "2", "x")).isEqualTo(2);
      assertThat(jedis.sinter("s", "t")).containsExactly("2");
      assertThat(jedis.sunion("s", "t")).containsExactlyInAnyOrder("1", "2", "3", "x");
      assertThat(jedis.smismember("s", "1", "9")).containsExactly(true, false);
      assertThat(jedis.spop("s", 3)).containsExactlyInAnyOrder("1", "2", "3");
      assertThat(jedis.exists("s")).isFalse();

      jedis.rpush("nums", "10", "2", "33");
      jedis.set("w_10", "3");
      jedis.set("w_2", "1");
      jedis.set("w_33", "2");
      assertThat(jedis.sort("nums")).containsExactly("2", "10", "33");
      assertThat(jedis.sort("nums", new redis.clients.jedis.params.SortingParams().by("w_*").get("#", "w_*")))
          .containsExactly("2", "1", "33", "2", "10", "3");
      assertThat(jedis.sort("nums", new redis.clients.jedis.params.SortingParams().alpha().desc(), "sorted")).isEqualTo(3);
      assertThat(jedis.lrange("sorted", 0, -1)).containsExactly("33", "2", "10");
      assertThatThrownBy(() -> jedis.sadd("nums", "x")).isInstanceOf(JedisDataException.class).hasMessage(WRONGTYPE);
    }
  }

  @ParameterizedTest
  @EnumSource(RedisProtocol.class)
  void jedisHashes(RedisProtocol protocol) {
    try (Jedis jedis = jedis(protocol)) {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("name", "kaiware");
      fields.put("visits", "10");
      fields.put("ratio", "5.0e3");
      assertThat(jedis.hset("h", fields)).isEqualTo(3);
      assertThat(jedis.hset("h", "name", "kw")).isZero(); // an update, not a new field
      assertThat(jedis.hsetnx("h", "name", "other")).isZero();
      assertThat(jedis.hgetAll("h")).isEqualTo(Map.of("name", "kw", "visits", "10", "ratio", "5.0e3"));
      assertThat(jedis.hgetAll("missing")).isEmpty();
      assertThat(jedis.hincrByFloat("h", "ratio", 2.0e2)).isEqualTo(5200.0);
      assertThat(jedis.hget("h", "ratio")).isEqualTo("5200");
      assertThat(jedis.hincrByFloat("h", "f", 10.5)).isEqualTo(10.5);
      assertThat(jedis.hincrByFloat("h", "f", 0.1)).isEqualTo(10.6);
      assertThat(jedis.hget("h", "f")).isEqualTo("10.6");
      assertThat(jedis.hincrByFloat("h", "f", -10.6)).isEqualTo(0.0);
      assertThatThrownBy(() -> jedis.hincrByFloat("h", "name", 1)).isInstanceOf(JedisDataException.class)
          .hasMessage("ERR hash value is not a float");
      assertThat(jedis.hincrBy("h", "visits", 5)).isEqualTo(15);
      assertThat(jedis.hmget("h", "name", "nope", "visits")).containsExactly("kw", null, "15");
      assertThat(jedis.hlen("h")).isEqualTo(4);
      assertThat(jedis.hstrlen("h", "name")).isEqualTo(2);

      List<Map.Entry<String, String>> random = jedis.hrandfieldWithValues("h", -6);
      assertThat(random).hasSize(6).allSatisfy(e -> assertThat(jedis.hget("h", e.getKey())).isEqualTo(e.getValue()));
      assertThat(new HashSet<>(jedis.hrandfield("h", 10))).containsExactlyInAnyOrder("name", "visits", "ratio", "f");

      Map<String, String> expected = new HashMap<>();
      for (int i = 0; i < 500; i++) {
        jedis.hset("big", "field:" + i, "value:" + i);
        if (Integer.toString(i).startsWith("1")) {
          expected.put("field:" + i, "value:" + i);
        }
      }
      Map<String, String> seen = new HashMap<>();
      String cursor = ScanParams.SCAN_POINTER_START;
      int calls = 0;
      do {
        ScanResult<Map.Entry<String, String>> page = jedis.hscan("big", cursor, new ScanParams().match("field:1*").count(50));
        page.getResult().forEach(e -> seen.put(e.getKey(), e.getValue()));
        cursor = page.getCursor();
        calls++;
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START) && calls < 10_000);
      assertThat(seen).isEqualTo(expected);
      assertThat(jedis.hdel("big", "field:1", "field:2", "nope")).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(RedisProtocol.class)
  void jedisZaddOptionsAndInfiniteScores(RedisProtocol protocol) {
    try (Jedis jedis = jedis(protocol)) {
      assertThat(jedis.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0))).isEqualTo(3);
      assertThat(jedis.zadd("z", 5, "a", ZAddParams.zAddParams().nx())).isZero();
      assertThat(jedis.zscore("z", "a")).isEqualTo(1.0);
      assertThat(jedis.zadd("z", 5, "a", ZAddParams.zAddParams().xx().ch())).isOne();
      assertThat(jedis.zadd("z", 5, "new", ZAddParams.zAddParams().xx())).isZero();
      assertThat(jedis.zscore("z", "new")).isNull();
      assertThat(jedis.zadd("z", 4, "a", ZAddParams.zAddParams().gt().ch())).isZero(); // 4 < 5: not applied
      assertThat(jedis.zadd("z", 6, "a", ZAddParams.zAddParams().gt().ch())).isOne();
      assertThat(jedis.zadd("z", 7, "a", ZAddParams.zAddParams().lt().ch())).isZero();
      assertThat(jedis.zscore("z", "a")).isEqualTo(6.0);
      assertThat(jedis.zaddIncr("z", 2.5, "b", ZAddParams.zAddParams())).isEqualTo(4.5);
      assertThat(jedis.zaddIncr("z", 1, "b", ZAddParams.zAddParams().nx())).isNull(); // NX + existing: nil
      assertThat(jedis.zincrby("z", -0.25, "b")).isEqualTo(4.25);
      assertThatThrownBy(() -> jedis.zadd("z", 1, "x", ZAddParams.zAddParams().nx().gt()))
          .isInstanceOf(JedisDataException.class).hasMessage("ERR GT, LT, and/or NX options at the same time are not compatible");

      assertThat(jedis.zadd("z", Double.POSITIVE_INFINITY, "top")).isOne();
      assertThat(jedis.zadd("z", Double.NEGATIVE_INFINITY, "bottom")).isOne();
      assertThat(jedis.zscore("z", "top")).isEqualTo(Double.POSITIVE_INFINITY);
      assertThat(jedis.zmscore("z", "bottom", "nope", "c")).containsExactly(Double.NEGATIVE_INFINITY, null, 3.0);
      assertThatThrownBy(() -> jedis.zincrby("z", Double.NEGATIVE_INFINITY, "top")).isInstanceOf(JedisDataException.class)
          .hasMessage("ERR resulting score is not a number (NaN)");
      assertThat(jedis.zrangeWithScores("z", 0, -1)).containsExactly(t("bottom", Double.NEGATIVE_INFINITY), t("c", 3),
          t("b", 4.25), t("a", 6), t("top", Double.POSITIVE_INFINITY));
      assertThat(jedis.zrank("z", "b")).isEqualTo(2);
      assertThat(jedis.zrevrank("z", "b")).isEqualTo(2);
      assertThat(jedis.zcard("z")).isEqualTo(5);
    }
  }

  @ParameterizedTest
  @EnumSource(RedisProtocol.class)
  void jedisRanges(RedisProtocol protocol) {
    try (Jedis jedis = jedis(protocol)) {
      jedis.zadd("z", Map.of("m1", 1.0, "m2", 2.0, "m3", 3.0, "m4", 4.0, "m5", 5.0));
      jedis.zadd("z", Double.POSITIVE_INFINITY, "top");
      assertThat(jedis.zrangeByScore("z", "(1", "3")).containsExactly("m2", "m3");
      assertThat(jedis.zrangeByScoreWithScores("z", "(4", "+inf"))
          .containsExactly(t("m5", 5), t("top", Double.POSITIVE_INFINITY));
      assertThat(jedis.zrangeByScoreWithScores("z", "(5", "(inf")).isEmpty(); // top's inf is excluded
      assertThat(jedis.zrevrangeByScoreWithScores("z", "+inf", "(2", 1, 2)).containsExactly(t("m5", 5), t("m4", 4));
      assertThat(jedis.zrangeWithScores("z", ZRangeParams.zrangeByScoreParams(4, 2).rev()))
          .containsExactly(t("m4", 4), t("m3", 3), t("m2", 2));
      assertThat(jedis.zrange("z", ZRangeParams.zrangeByScoreParams(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY).limit(1, 3)))
          .containsExactly("m2", "m3", "m4");
      assertThat(jedis.zrange("z", ZRangeParams.zrangeParams(-2, -1).rev())).containsExactly("m2", "m1");
      assertThat(jedis.zcount("z", "(1", "+inf")).isEqualTo(5);
      assertThat(jedis.zcount("z", "-inf", "(1")).isZero();
      assertThatThrownBy(() -> jedis.zrangeByScore("z", "one", "2")).isInstanceOf(JedisDataException.class)
          .hasMessage("ERR min or max is not a float");

      jedis.zadd("lex", Map.of("a", 0.0, "b", 0.0, "c", 0.0, "d", 0.0, "e", 0.0, "f", 0.0, "g", 0.0));
      assertThat(jedis.zrangeByLex("lex", "[b", "(e")).containsExactly("b", "c", "d");
      assertThat(jedis.zrangeByLex("lex", "-", "+", 5, 10)).containsExactly("f", "g");
      assertThat(jedis.zrange("lex", ZRangeParams.zrangeByLexParams("+", "-").rev().limit(1, 2))).containsExactly("f", "e");
      assertThat(jedis.zlexcount("lex", "(a", "[c")).isEqualTo(2);
      assertThatThrownBy(() -> jedis.zrangeByLex("lex", "b", "[e")).isInstanceOf(JedisDataException.class)
          .hasMessage("ERR min or max not valid string range item");
      assertThat(jedis.zrangestore("stored", "z", ZRangeParams.zrangeByScoreParams(2, 3))).isEqualTo(2);
      assertThat(jedis.zrangeWithScores("stored", 0, -1)).containsExactly(t("m2", 2), t("m3", 3));
      assertThat(jedis.zremrangeByScore("z", "(4", "+inf")).isEqualTo(2);
      assertThat(jedis.zremrangeByLex("lex", "[a", "[c")).isEqualTo(3);
      assertThat(jedis.zremrangeByRank("z", 0, 0)).isOne();
      assertThat(jedis.zrange("z", 0, -1)).containsExactly("m2", "m3", "m4");
    }
  }

  @ParameterizedTest
  @EnumSource(RedisProtocol.class)
  void jedisSetOperationsPopsScanAndRandom(RedisProtocol protocol) {
    try (Jedis jedis = jedis(protocol)) {
      jedis.zadd("z1", Map.of("a", 1.0, "b", 2.0, "c", 3.0));
      jedis.zadd("z2", Map.of("b", 10.0, "c", 1.0, "d", 4.0));
      assertThat(jedis.zunionstore("u", new ZParams().weights(2, 3).aggregate(ZParams.Aggregate.MAX), "z1", "z2")).isEqualTo(4);
      assertThat(jedis.zrangeWithScores("u", 0, -1)).containsExactly(t("a", 2), t("c", 6), t("d", 12), t("b", 30));
      assertThat(jedis.zunionWithScores(new ZParams().aggregate(ZParams.Aggregate.MIN), "z1", "z2"))
          .containsExactly(t("a", 1), t("c", 1), t("b", 2), t("d", 4));
      assertThat(jedis.zunionstore("u", "z1", "z2")).isEqualTo(4); // SUM by default; replaces u
      assertThat(jedis.zscore("u", "b")).isEqualTo(12.0);
      assertThat(jedis.zinterWithScores(new ZParams().weights(1, -1), "z1", "z2")).containsExactly(t("b", -8), t("c", 2));
      assertThat(jedis.zintercard("z1", "z2")).isEqualTo(2);
      assertThat(jedis.zdiffWithScores("z1", "z2")).containsExactly(t("a", 1));
      assertThat(jedis.zunionstore("empty", "missing1", "missing2")).isZero();
      assertThat(jedis.exists("empty")).isFalse();

      assertThat(jedis.zpopmin("u")).isEqualTo(t("a", 1));
      assertThat(jedis.zpopmin("u", 2)).containsExactly(t("c", 4), t("d", 4));
      assertThat(jedis.zpopmax("u", 5)).containsExactly(t("b", 12));
      assertThat(jedis.exists("u")).isFalse();
      assertThat(jedis.zpopmin("u")).isNull();

      redis.clients.jedis.util.KeyValue<String, List<Tuple>> popped = jedis.zmpop(SortedSetOption.MAX, 2, "missing", "z2");
      assertThat(popped.getKey()).isEqualTo("z2");
      assertThat(popped.getValue()).containsExactly(t("b", 10), t("d", 4));
      assertThat(jedis.zmpop(SortedSetOption.MIN, "missing", "z2").getValue()).containsExactly(t("c", 1));
      assertThat(jedis.zmpop(SortedSetOption.MIN, "missing", "z2")).isNull();

      Map<String, Double> members = new HashMap<>();
      for (int i = 0; i < 300; i++) {
        members.put("member:" + i, i / 4.0);
      }
      jedis.zadd("big", members);
      Map<String, Double> seen = new HashMap<>();
      String cursor = ScanParams.SCAN_POINTER_START;
      int calls = 0;
      do {
        ScanResult<Tuple> page = jedis.zscan("big", cursor, new ScanParams().count(40));
        page.getResult().forEach(tuple -> seen.put(tuple.getElement(), tuple.getScore()));
        cursor = page.getCursor();
        calls++;
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START) && calls < 10_000);
      assertThat(seen).isEqualTo(members);

      List<Tuple> random = jedis.zrandmemberWithScores("big", -20);
      assertThat(random).hasSize(20).allSatisfy(tuple -> assertThat(members.get(tuple.getElement())).isEqualTo(tuple.getScore()));
      List<String> distinct = jedis.zrandmember("big", 50);
      assertThat(new HashSet<>(distinct)).hasSize(50);
      assertThat(members).containsKeys(distinct.toArray(new String[0]));
      assertThat(members).containsKey(jedis.zrandmember("big"));
      assertThat(jedis.zrandmember("missing")).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(RedisProtocol.class)
  void jedisWrongTypeErrors(RedisProtocol protocol) {
    try (Jedis jedis = jedis(protocol)) {
      jedis.set("s", "string");
      jedis.hset("h", "f", "v");
      jedis.zadd("z", 1, "m");
      List<Consumer<Jedis>> wrong = List.of(
          j -> j.hset("s", "f", "v"), j -> j.hgetAll("s"), j -> j.hincrByFloat("z", "f", 1), j -> j.hscan("z", "0"),
          j -> j.zadd("s", 1, "m"), j -> j.zadd("h", 1, "m"), j -> j.zrange("h", 0, -1), j -> j.zscore("s", "m"),
          j -> j.zrangeByScore("h", "-inf", "+inf"), j -> j.zunionstore("out", "z", "h"), j -> j.zpopmin("s"),
          j -> j.zmpop(SortedSetOption.MIN, "missing", "h"), j -> j.zscan("s", "0"), j -> j.zrandmember("h"),
          j -> j.get("z"));
      for (Consumer<Jedis> command : wrong) {
        assertThatThrownBy(() -> command.accept(jedis)).isInstanceOf(JedisDataException.class).hasMessage(WRONGTYPE);
      }
      assertThat(jedis.exists("out")).isFalse();
      assertThat(jedis.zrange("z", 0, -1)).containsExactly("m");
    }
  }

  // ---------------------------------------------------------------- Lettuce

  private static ScoredValue<String> sv(double score, String member) {
    return ScoredValue.just(score, member);
  }

  /** Lettuce with default settings (HELLO 3), or forced to RESP2. */
  private static void withLettuce(boolean resp2, Consumer<RedisCommands<String, String>> body) {
    RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
    if (resp2) {
      client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
    }
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> sync = connection.sync();
      assertThat(sync.clientInfo()).contains(resp2 ? "resp=2" : "resp=3");
      body.accept(sync);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @ParameterizedTest(name = "resp2={0}")
  @ValueSource(booleans = {false, true})
  void lettuceHashes(boolean resp2) {
    withLettuce(resp2, sync -> {
      assertThat(sync.hset("h", Map.of("name", "kaiware", "visits", "10", "ratio", "5.0e3"))).isEqualTo(3L);
      assertThat(sync.hset("h", "name", "kw")).isFalse();
      assertThat(sync.hgetall("h")).isEqualTo(Map.of("name", "kw", "visits", "10", "ratio", "5.0e3"));
      assertThat(sync.hgetall("missing")).isEmpty();
      assertThat(sync.hincrbyfloat("h", "ratio", 2.0e2)).isEqualTo(5200.0);
      assertThat(sync.hincrbyfloat("h", "f", 10.5)).isEqualTo(10.5);
      assertThat(sync.hincrbyfloat("h", "f", 0.1)).isEqualTo(10.6);
      assertThat(sync.hget("h", "f")).isEqualTo("10.6");
      assertThat(sync.hmget("h", "name", "nope")).containsExactly(KeyValue.just("name", "kw"), KeyValue.empty("nope"));
      assertThat(sync.hrandfieldWithvalues("h", -5))
          .hasSize(5).allSatisfy(kv -> assertThat(sync.hget("h", kv.getKey())).isEqualTo(kv.getValue()));

      Map<String, String> expected = new HashMap<>();
      for (int i = 0; i < 300; i++) {
        expected.put("field:" + i, "value:" + i);
      }
      sync.hset("big", expected);
      Map<String, String> seen = new HashMap<>();
      ScanIterator<KeyValue<String, String>> it = ScanIterator.hscan(sync, "big", ScanArgs.Builder.limit(25));
      while (it.hasNext()) {
        KeyValue<String, String> kv = it.next();
        seen.put(kv.getKey(), kv.getValue());
      }
      assertThat(seen).isEqualTo(expected);

      sync.set("s", "string");
      assertThatThrownBy(() -> sync.hgetall("s")).isInstanceOf(RedisCommandExecutionException.class).hasMessage(WRONGTYPE);
      assertThatThrownBy(() -> sync.hincrbyfloat("s", "f", 1)).isInstanceOf(RedisCommandExecutionException.class)
          .hasMessage(WRONGTYPE);
    });
  }

  @ParameterizedTest(name = "resp2={0}")
  @ValueSource(booleans = {false, true})
  void lettuceListsAndSets(boolean resp2) {
    withLettuce(resp2, sync -> {
      assertThat(sync.rpush("l", "a", "b", "c", "b")).isEqualTo(4L);
      assertThat(sync.lrem("l", 0, "b")).isEqualTo(2L);
      assertThat(sync.linsert("l", true, "c", "x")).isEqualTo(3L);
      assertThat(sync.lrange("l", 0, -1)).containsExactly("a", "x", "c");
      assertThat(sync.lindex("l", -1)).isEqualTo("c");
      assertThat(sync.llen("l")).isEqualTo(3L);
      assertThat(sync.lpop("l", 5)).containsExactly("a", "x", "c");
      assertThat(sync.exists("l")).isZero();

      assertThat(sync.sadd("s", "a", "b", "c")).isEqualTo(3L);
      assertThat(sync.smembers("s")).containsExactlyInAnyOrder("a", "b", "c");
      assertThat(sync.sismember("s", "a")).isTrue();
      assertThat(sync.srandmember("s", -10)).hasSize(10).allSatisfy(m -> assertThat(m).isIn("a", "b", "c"));
      assertThat(sync.smove("s", "d", "a")).isTrue();
      assertThat(sync.sdiffstore("e", "s", "d")).isEqualTo(2L);
      assertThat(sync.sintercard("s", "e")).isEqualTo(2L);
      Set<String> scanned = new HashSet<>();
      ScanIterator.sscan(sync, "e").forEachRemaining(scanned::add);
      assertThat(scanned).containsExactlyInAnyOrder("b", "c");
      assertThat(sync.sort("e", io.lettuce.core.SortArgs.Builder.alpha().desc())).containsExactly("c", "b");

      sync.set("str", "v");
      assertThatThrownBy(() -> sync.lpush("str", "x")).isInstanceOf(RedisCommandExecutionException.class).hasMessage(WRONGTYPE);
      assertThatThrownBy(() -> sync.smembers("str")).isInstanceOf(RedisCommandExecutionException.class).hasMessage(WRONGTYPE);
    });
  }

  @ParameterizedTest(name = "resp2={0}")
  @ValueSource(booleans = {false, true})
  void lettuceSortedSets(boolean resp2) {
    withLettuce(resp2, sync -> {
      assertThat(sync.zadd("z", sv(1, "a"), sv(2, "b"), sv(3, "c"))).isEqualTo(3L);
      assertThat(sync.zadd("z", ZAddArgs.Builder.nx(), 5, "a")).isZero();
      assertThat(sync.zadd("z", ZAddArgs.Builder.xx().ch(), 5, "a")).isOne();
      assertThat(sync.zadd("z", ZAddArgs.Builder.gt().ch(), 4, "a")).isZero();
      assertThat(sync.zadd("z", ZAddArgs.Builder.lt().ch(), 4, "a")).isOne();
      assertThat(sync.zaddincr("z", 2.5, "b")).isEqualTo(4.5);
      assertThat(sync.zaddincr("z", ZAddArgs.Builder.xx(), 1, "nope")).isNull();
      assertThat(sync.zadd("z", Double.POSITIVE_INFINITY, "top")).isOne();
      assertThat(sync.zadd("z", Double.NEGATIVE_INFINITY, "bottom")).isOne();
      assertThat(sync.zscore("z", "top")).isEqualTo(Double.POSITIVE_INFINITY);
      assertThat(sync.zmscore("z", "bottom", "nope")).containsExactly(Double.NEGATIVE_INFINITY, null);
      assertThat(sync.zrangeWithScores("z", 0, -1)).containsExactly(sv(Double.NEGATIVE_INFINITY, "bottom"), sv(3, "c"),
          sv(4, "a"), sv(4.5, "b"), sv(Double.POSITIVE_INFINITY, "top"));

      // Exclusive and unbounded score ranges, LIMIT, reverse.
      assertThat(sync.zrangebyscoreWithScores("z", Range.from(Boundary.excluding(3), Boundary.unbounded())))
          .containsExactly(sv(4, "a"), sv(4.5, "b"), sv(Double.POSITIVE_INFINITY, "top"));
      assertThat(sync.zrangebyscore("z", "(-inf", "(4")).containsExactly("c");
      assertThat(sync.zrevrangebyscoreWithScores("z", Range.create(3, 4.5), Limit.create(1, 5)))
          .containsExactly(sv(4, "a"), sv(3, "c"));
      assertThat(sync.zrevrangeWithScores("z", 0, 1)).containsExactly(sv(Double.POSITIVE_INFINITY, "top"), sv(4.5, "b"));
      assertThat(sync.zcount("z", Range.from(Boundary.excluding(3), Boundary.unbounded()))).isEqualTo(3L);
      assertThat(sync.zrangestorebyscore("stored", "z", Range.create(3, 4), Limit.unlimited())).isEqualTo(2L);
      assertThat(sync.zrange("stored", 0, -1)).containsExactly("c", "a");

      sync.zadd("lex", sv(0, "a"), sv(0, "b"), sv(0, "c"), sv(0, "d"), sv(0, "e"));
      assertThat(sync.zrangebylex("lex", Range.from(Boundary.excluding("a"), Boundary.including("c")))).containsExactly("b", "c");
      assertThat(sync.zrevrangebylex("lex", Range.unbounded(), Limit.create(0, 2))).containsExactly("e", "d");

      sync.zadd("z1", sv(1, "a"), sv(2, "b"), sv(3, "c"));
      sync.zadd("z2", sv(10, "b"), sv(1, "c"), sv(4, "d"));
      assertThat(sync.zunionstore("u", ZStoreArgs.Builder.weights(2, 3).max(), "z1", "z2")).isEqualTo(4L);
      assertThat(sync.zrangeWithScores("u", 0, -1)).containsExactly(sv(2, "a"), sv(6, "c"), sv(12, "d"), sv(30, "b"));
      assertThat(sync.zunionWithScores(ZAggregateArgs.Builder.min(), "z1", "z2"))
          .containsExactly(sv(1, "a"), sv(1, "c"), sv(2, "b"), sv(4, "d"));
      assertThat(sync.zinter("z1", "z2")).containsExactly("c", "b");

      assertThat(sync.zpopmin("u")).isEqualTo(sv(2, "a"));
      assertThat(sync.zpopmin("u", 2)).containsExactly(sv(6, "c"), sv(12, "d"));
      assertThat(sync.zpopmax("u", 3)).containsExactly(sv(30, "b"));
      assertThat(sync.zpopmin("u").hasValue()).isFalse();
      KeyValue<String, List<ScoredValue<String>>> popped = sync.zmpop(2, ZPopArgs.Builder.max(), "missing", "z2");
      assertThat(popped.getKey()).isEqualTo("z2");
      assertThat(popped.getValue()).containsExactly(sv(10, "b"), sv(4, "d"));
      KeyValue<String, ScoredValue<String>> one = sync.zmpop(ZPopArgs.Builder.min(), "z2");
      assertThat(one.getKey()).isEqualTo("z2");
      assertThat(one.getValue()).isEqualTo(sv(1, "c"));

      Map<String, Double> members = new HashMap<>();
      for (int i = 0; i < 300; i++) {
        members.put("member:" + i, i / 4.0);
        sync.zadd("big", i / 4.0, "member:" + i);
      }
      Map<String, Double> seen = new HashMap<>();
      ScanIterator<ScoredValue<String>> it = ScanIterator.zscan(sync, "big", ScanArgs.Builder.limit(40));
      while (it.hasNext()) {
        ScoredValue<String> v = it.next();
        seen.put(v.getValue(), v.getScore());
      }
      assertThat(seen).isEqualTo(members);
      assertThat(sync.zrandmemberWithScores("big", -20))
          .hasSize(20).allSatisfy(v -> assertThat(members.get(v.getValue())).isEqualTo(v.getScore()));
      Set<String> distinct = new HashSet<>(sync.zrandmember("big", 30));
      assertThat(distinct).hasSize(30);
      assertThat(members.keySet()).containsAll(distinct);

      sync.set("s", "string");
      assertThatThrownBy(() -> sync.zadd("s", 1, "m")).isInstanceOf(RedisCommandExecutionException.class).hasMessage(WRONGTYPE);
      assertThatThrownBy(() -> sync.zpopmin("s")).isInstanceOf(RedisCommandExecutionException.class).hasMessage(WRONGTYPE);
      assertThatThrownBy(() -> sync.zunionstore("out", "big", "s")).isInstanceOf(RedisCommandExecutionException.class)
          .hasMessage(WRONGTYPE);
    });
  }
}

package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Kaiware's own RANKING.* and WINDOW.* commands through an unmodified Jedis (sendCommand with a
 * custom command, RESP2) and Lettuce (dispatch with a custom keyword; Lettuce negotiates RESP3),
 * over a real socket. The server uses its own clock here, so windows are long
 * enough (one hour) that no answer depends on when the test runs; the time-dependent behaviour is
 * tested on the engine clock in kaiware-command.
 */
class WindowCommandsIT {

  @RegisterExtension
  static final KaiwareServerExtension server = new KaiwareServerExtension();

  private static ProtocolCommand cmd(String name) {
    return () -> SafeEncoder.encode(name);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object reply) {
    return (List<Object>) reply;
  }

  private static String text(Object bulk) {
    return SafeEncoder.encode((byte[]) bulk);
  }

  @Test
  void rankingsAndRateLimitsThroughJedis() {
    try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      jedis.del("gifts", "rl");
      assertThat(jedis.sendCommand(cmd("RANKING.CREATE"), "gifts", "BUCKET", "60000", "WINDOW", "hour", "3600000"))
          .isEqualTo(SafeEncoder.encode("OK"));
      for (int i = 0; i < 100; i++) {
        jedis.sendCommand(cmd("RANKING.INCRBY"), "gifts", Integer.toString(i), "user:" + i);
      }
      assertThat(jedis.sendCommand(cmd("RANKING.INCRBY"), "gifts", "1000", "user:7")).isEqualTo(1007L);
      List<Object> top = list(jedis.sendCommand(cmd("RANKING.TOP"), "gifts", "3", "WINDOW", "hour"));
      assertThat(top).hasSize(3);
      assertThat(list(top.get(0)).get(0)).isEqualTo(0L);
      assertThat(text(list(top.get(0)).get(1))).isEqualTo("user:7");
      assertThat(list(top.get(0)).get(2)).isEqualTo(1007L);
      assertThat(text(list(top.get(1)).get(1))).isEqualTo("user:99");
      assertThat(text(list(top.get(2)).get(1))).isEqualTo("user:98");
      assertThat(list(jedis.sendCommand(cmd("RANKING.RANK"), "gifts", "user:98", "LAST", "3600000"))).containsExactly(2L, 98L);
      assertThat(jedis.type("gifts")).isEqualTo("ranking");
      assertThatThrownBy(() -> jedis.sendCommand(cmd("RANKING.TOP"), "gifts", "3", "WINDOW", "day"))
          .isInstanceOf(JedisDataException.class).hasMessage("ERR no such window");

      List<Object> first = list(jedis.sendCommand(cmd("WINDOW.ALLOW"), "rl", "2", "WINDOW", "3600000"));
      assertThat(first).containsExactly(1L, 1L, 0L);
      List<Object> second = list(jedis.sendCommand(cmd("WINDOW.ALLOW"), "rl", "2"));
      assertThat(second.subList(0, 2)).containsExactly(1L, 2L);
      List<Object> denied = list(jedis.sendCommand(cmd("WINDOW.ALLOW"), "rl", "2"));
      assertThat(denied.subList(0, 2)).containsExactly(0L, 2L);
      assertThat((Long) denied.get(2)).isBetween(3_600_000L - 60_000L - 5_000L, 3_600_000L);
      assertThat(jedis.sendCommand(cmd("WINDOW.COUNT"), "rl")).isEqualTo(2L);
      byte[] dumped = jedis.dump("rl");
      assertThat(jedis.restore("rl2", 0, dumped)).isEqualTo("OK");
      assertThat(jedis.sendCommand(cmd("WINDOW.COUNT"), "rl2")).isEqualTo(2L);
      assertThat(jedis.del("gifts", "rl", "rl2")).isEqualTo(3);
    }
  }

  /** Custom command names for Lettuce's dispatch. */
  enum Kaiware implements ProtocolKeyword {
    RANKING_CREATE("RANKING.CREATE"), RANKING_INCRBY("RANKING.INCRBY"), RANKING_TOP("RANKING.TOP"),
    WINDOW_INCRBY("WINDOW.INCRBY"), WINDOW_ALLOW("WINDOW.ALLOW");

    private final byte[] bytes;

    Kaiware(String name) {
      this.bytes = name.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] getBytes() {
      return bytes;
    }
  }

  @Test
  void rankingsAndRateLimitsThroughLettuceOverResp3() {
    RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
    try (StatefulRedisConnection<String, String> conn = client.connect()) {
      var sync = conn.sync();
      assertThat(sync.clientInfo()).contains("resp=3");
      sync.del("lboard", "lrl");
      sync.dispatch(Kaiware.RANKING_CREATE, new io.lettuce.core.output.StatusOutput<>(StringCodec.UTF8),
          new CommandArgs<>(StringCodec.UTF8).addKey("lboard").add("BUCKET").add(1000).add("PERIOD").add("day").add(86_400_000));
      for (String[] gift : new String[][] {{"5", "a"}, {"9", "b"}, {"7", "a"}}) {
        sync.dispatch(Kaiware.RANKING_INCRBY, new IntegerOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).addKey("lboard").add(gift[0]).add(gift[1]));
      }
      List<Object> top = sync.dispatch(Kaiware.RANKING_TOP, new ArrayOutput<>(StringCodec.UTF8),
          new CommandArgs<>(StringCodec.UTF8).addKey("lboard").add(5).add("ALL"));
      assertThat(top).isEqualTo(List.of(List.of(0L, "a", 12L), List.of(1L, "b", 9L)));
      Long count = sync.dispatch(Kaiware.WINDOW_INCRBY, new IntegerOutput<>(StringCodec.UTF8),
          new CommandArgs<>(StringCodec.UTF8).addKey("lrl").add(3).add("WINDOW").add(3_600_000));
      assertThat(count).isEqualTo(3L);
      List<Object> denied = sync.dispatch(Kaiware.WINDOW_ALLOW, new ArrayOutput<>(StringCodec.UTF8),
          new CommandArgs<>(StringCodec.UTF8).addKey("lrl").add(3));
      assertThat(denied.subList(0, 2)).isEqualTo(List.of(0L, 3L));
      assertThat(sync.type("lboard")).isEqualTo("ranking");
      assertThat(sync.type("lrl")).isEqualTo("window-counter");
      assertThat(sync.del("lboard", "lrl")).isEqualTo(2L);
    } finally {
      client.shutdown();
    }
  }
}

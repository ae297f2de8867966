package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/** Jedis 8 with default settings, RESP2 and RESP3, against a real server over loopback. */
class JedisIT {

  @RegisterExtension
  static final KaiwareServerExtension kaiware = new KaiwareServerExtension();

  private static Jedis jedis(RedisProtocol protocol) {
    return new Jedis(new HostAndPort("127.0.0.1", kaiware.port()),
        DefaultJedisClientConfig.builder().protocol(protocol).clientName("it-" + protocol).build());
  }

  @Test
  void defaultSettingsWork() {
    try (Jedis jedis = new Jedis("127.0.0.1", kaiware.port())) {
      assertThat(jedis.ping()).isEqualTo("PONG");
      assertThat(jedis.echo("hello")).isEqualTo("hello");
      assertThat(jedis.set("jedis:k", "v")).isEqualTo("OK");
      assertThat(jedis.get("jedis:k")).isEqualTo("v");
      assertThat(jedis.get("jedis:missing")).isNull();
      assertThat(jedis.del("jedis:k")).isEqualTo(1);
      assertThat(jedis.exists("jedis:k")).isFalse();
    }
  }

  @Test
  void resp3AndClientSetInfo() {
    try (Jedis jedis = jedis(RedisProtocol.RESP3)) {
      assertThat(jedis.ping()).isEqualTo("PONG");
      assertThat(jedis.clientGetname()).isEqualTo("it-RESP3");
      String info = jedis.clientInfo();
      assertThat(info).contains("resp=3").contains("lib-name=jedis").contains("name=it-RESP3");
      assertThat(jedis.configGet("save")).containsEntry("save", "");
    }
  }

  @Test
  void selectIsolatesDatabases() {
    try (Jedis jedis = jedis(RedisProtocol.RESP2)) {
      jedis.select(3);
      jedis.set("db3-key", "x");
      assertThat(jedis.dbSize()).isEqualTo(1);
      jedis.select(4);
      assertThat(jedis.get("db3-key")).isNull();
      assertThatThrownBy(() -> jedis.select(16)).isInstanceOf(JedisDataException.class)
          .hasMessage("ERR DB index is out of range");
      jedis.select(3);
      jedis.flushDB();
      assertThat(jedis.dbSize()).isZero();
    }
  }

  @Test
  void pipelinesOfManyCommandsKeepOrder() {
    try (Jedis jedis = jedis(RedisProtocol.RESP2)) {
      Pipeline pipeline = jedis.pipelined();
      List<Response<String>> gets = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        pipeline.set("p:" + i, "v" + i);
        gets.add(pipeline.get("p:" + i));
      }
      pipeline.sync();
      for (int i = 0; i < 2000; i++) {
        assertThat(gets.get(i).get()).isEqualTo("v" + i);
      }
    }
  }

  @Test
  void errorsAreWordedLikeRedis() {
    try (Jedis jedis = jedis(RedisProtocol.RESP2)) {
      assertThatThrownBy(() -> jedis.sendCommand(() -> "NOSUCHCMD".getBytes(), "a", "b"))
          .hasMessage("ERR unknown command 'NOSUCHCMD', with args beginning with: 'a' 'b' ");
      assertThatThrownBy(() -> jedis.sendCommand(() -> "GET".getBytes()))
          .hasMessage("ERR wrong number of arguments for 'get' command");
      assertThatThrownBy(() -> jedis.sendCommand(() -> "CONFIG".getBytes(), "NOPE"))
          .hasMessage("ERR unknown subcommand 'NOPE'. Try CONFIG HELP.");
    }
  }

  @Test
  void infoSaysWhichBuildIsRunning() {
    try (Jedis jedis = jedis(RedisProtocol.RESP2)) {
      String info = jedis.info("server");
      assertThat(info).contains("redis_version:7.0.15").contains("kaiware_version:").contains("java_version:")
          .contains("java_gc:").containsPattern("kaiware_git_commit:[0-9a-f]{40}|kaiware_git_commit:unknown")
          .contains("tcp_port:" + kaiware.port());
      assertThat(jedis.info()).contains("# Keyspace").contains("# Stats").contains("total_commands_processed:");
    }
  }
}

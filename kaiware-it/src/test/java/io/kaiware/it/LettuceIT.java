package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lettuce 7 with default settings (HELLO 3 negotiation) and forced RESP2. */
class LettuceIT {

  static KaiwareProcess kaiware;
  static KaiwareProcess secured;

  @BeforeAll
  static void start() throws Exception {
    kaiware = KaiwareProcess.start(Map.of());
    secured = KaiwareProcess.start(Map.of("requirepass", "s3cret"));
  }

  @AfterAll
  static void stop() {
    kaiware.close();
    secured.close();
  }

  @Test
  void defaultClientNegotiatesResp3() {
    RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", kaiware.port()));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> sync = connection.sync();
      assertThat(sync.ping()).isEqualTo("PONG");
      assertThat(sync.set("lettuce:k", "v")).isEqualTo("OK");
      assertThat(sync.get("lettuce:k")).isEqualTo("v");
      assertThat(sync.clientInfo()).contains("resp=3").contains("lib-name=Lettuce");
      assertThat(sync.info("server")).contains("kaiware_version:");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void resp2AndAsyncPipelining() {
    RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", kaiware.port()));
    client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisAsyncCommands<String, String> async = connection.async();
      connection.setAutoFlushCommands(false);
      List<RedisFuture<?>> futures = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        futures.add(async.set("lp:" + i, Integer.toString(i)));
      }
      connection.flushCommands();
      assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(10), futures.toArray(new RedisFuture[0]))).isTrue();
      connection.setAutoFlushCommands(true);
      assertThat(connection.sync().get("lp:999")).isEqualTo("999");
      assertThat(connection.sync().clientInfo()).contains("resp=2");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void authenticatesThroughHello() {
    RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(secured.port())
        .withPassword("s3cret".toCharArray()).withClientName("lettuce-auth").build());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().ping()).isEqualTo("PONG");
      assertThat(connection.sync().clientGetname()).isEqualTo("lettuce-auth");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}

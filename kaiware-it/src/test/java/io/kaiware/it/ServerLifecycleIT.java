package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaiware.command.config.ConfigFile;
import io.kaiware.command.config.ServerConfig;
import io.kaiware.server.KaiwareServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** Security defaults, configuration files, CONFIG, and SHUTDOWN. */
class ServerLifecycleIT {

  @Test
  void protectedModeRefusesAnOpenBindWithoutPassword() {
    ServerConfig config = ServerConfig.defaults();
    config.setAtStartup("bind", "0.0.0.0");
    config.setAtStartup("port", "0");
    assertThatThrownBy(() -> KaiwareServer.start(config, null)).isInstanceOf(KaiwareServer.StartupException.class)
        .hasMessageContaining("protected-mode is on").hasMessageContaining("--requirepass");
  }

  @Test
  void configFileErrorsNameTheLineAndKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("kaiware.conf");
    Files.writeString(file, "# comment\nport 7000\nbogus-key 1\n");
    assertThatThrownBy(() -> ConfigFile.load(file, ServerConfig.defaults()))
        .hasMessage(file + ":3: unknown configuration key 'bogus-key'");
    Files.writeString(file, "port notanumber\n");
    assertThatThrownBy(() -> ConfigFile.load(file, ServerConfig.defaults()))
        .hasMessageContaining(":1: argument couldn't be parsed into an integer (key 'port')");
  }

  @Test
  void configGetSetAndRewrite(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("kaiware.conf");
    Files.writeString(file, "# my server\nbind 127.0.0.1\nport 0\nhz 10\ndir " + dir.resolve("data") + "\n");
    ServerConfig config = ServerConfig.defaults();
    ConfigFile.load(file, config);
    KaiwareServer server = KaiwareServer.start(config, file.toString());
    try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      // The durable default logs and fsyncs every write: Redis's appendonly yes, appendfsync always.
      assertThat(jedis.configGet("append*")).containsEntry("appendonly", "yes").containsEntry("appendfsync", "always");
      assertThat(jedis.configSet("appendonly", "yes")).isEqualTo("OK");
      assertThatThrownBy(() -> jedis.configSet("appendonly", "no")).hasMessageContaining("Kaiware does not support changing 'appendonly'");
      assertThat(jedis.info("persistence")).contains("aof_enabled:1");
      assertThat(jedis.configGet("proto-max-bulk-len")).containsEntry("proto-max-bulk-len", "536870912");
      assertThat(jedis.configSet("hz", "20")).isEqualTo("OK");
      assertThat(jedis.configGet("h?")).containsEntry("hz", "20");
      assertThatThrownBy(() -> jedis.configSet("port", "1234"))
          .hasMessage("ERR CONFIG SET failed (possibly related to argument 'port') - can't set immutable config");
      assertThatThrownBy(() -> jedis.configSet("nosuch", "1"))
          .hasMessage("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
      assertThatThrownBy(() -> jedis.configSet("hz", "abc"))
          .hasMessage("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer");
      assertThat(jedis.configRewrite()).isEqualTo("OK");
    } finally {
      server.close();
    }
    assertThat(Files.readString(file)).contains("# my server").contains("hz 20").contains("port 0");
  }

  @Test
  void shutdownCommandStopsTheServer() throws Exception {
    try (KaiwareProcess kaiware = KaiwareProcess.start(Map.of())) {
      CompletableFuture<Void> terminated = CompletableFuture.runAsync(() -> {
        try {
          kaiware.server.awaitTermination();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertThat(kaiware.raw("SHUTDOWN NOSAVE\r\n", 5000)).isEmpty();
      terminated.get(10, TimeUnit.SECONDS);
      assertThat(terminated).isDone();
    }
  }

  @Test
  void idleClientsAreClosedAfterTimeout() throws Exception {
    try (KaiwareProcess kaiware = KaiwareProcess.start(Map.of("timeout", "1"))) {
      long startNs = System.nanoTime();
      // No command after PING: the server closes the connection after 1-2 s; raw() returns at close.
      assertThat(kaiware.raw("PING\r\n", 10_000)).isEqualTo("+PONG\r\n");
      long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
      assertThat(elapsedMs).isBetween(900L, 5_000L);
    }
  }
}

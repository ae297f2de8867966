package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.util.SafeEncoder;

/** The admin HTTP port of a running server: metrics fed by real commands, and the leak drill. */
class AdminIT {

  private static final ProtocolCommand DEBUG = () -> SafeEncoder.encode("DEBUG");
  private static final ProtocolCommand LATENCY = () -> SafeEncoder.encode("LATENCY");
  private static KaiwareProcess server;
  private static int adminPort;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("kaiware.debug.leak-drill", "true");
    adminPort = RaftCluster.freePort(); // below the ephemeral range: the server's port-0 listener cannot take it
    server = KaiwareProcess.start(Map.of("admin-port", Integer.toString(adminPort)));
    assertThat(server.server.adminPort()).isEqualTo(adminPort);
  }

  @AfterAll
  static void stop() {
    server.close();
    System.clearProperty("kaiware.debug.leak-drill");
  }

  private static HttpResponse<String> get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
        .timeout(Duration.ofSeconds(60)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsReflectCommandsKeysAndTheBuild() throws Exception {
    try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      for (int i = 0; i < 25; i++) {
        jedis.set("admin-it:" + i, "v");
      }
      try {
        jedis.incr("admin-it:0");
      } catch (redis.clients.jedis.exceptions.JedisDataException expected) {
        // ERR value is not an integer
      }
    }
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("kaiware_build_info{")
        .containsPattern("kaiware_commands_calls_total\\{command=\"set\"} (2[5-9]|[3-9]\\d|\\d{3,})\\.0")
        .containsPattern("kaiware_command_latency_seconds_bucket\\{command=\"set\",le=\"\\+Inf\"} (2[5-9]|[3-9]\\d|\\d{3,})")
        .containsPattern("kaiware_keys \\d+")
        .containsPattern("kaiware_error_replies_total\\{kind=\"ERR\"} [1-9]")
        .contains("kaiware_process_private_memory_bytes")
        .contains("jvm_gc_collection_seconds");
    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(get("/ready").statusCode()).isEqualTo(200);
  }

  /** Every metric the Grafana dashboard queries is one the server actually exports. */
  @Test
  void grafanaDashboardQueriesOnlyExportedMetrics() throws Exception {
    try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      jedis.set("dashboard", "v");
      jedis.sendCommand(() -> SafeEncoder.encode("NO-SUCH-COMMAND")); // no failed series without a failure
    } catch (redis.clients.jedis.exceptions.JedisDataException expected) {
      // the unknown command's error
    }
    java.nio.file.Path dashboard = java.nio.file.Path.of(System.getProperty("user.dir")).getParent()
        .resolve("docs/grafana/kaiware-dashboard.json");
    String json = java.nio.file.Files.readString(dashboard);
    String metrics = get("/metrics").body();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b((?:kaiware|jvm)_[a-z_]+)\\{").matcher(json);
    int checked = 0;
    while (m.find()) {
      assertThat(metrics).as("dashboard metric %s", m.group(1)).containsPattern("(?m)^" + m.group(1) + "[{ ]");
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(10);
  }

  @Test
  void leakDrillIsNamedFirstByTheHeapDiff() throws Exception {
    HttpResponse<String> before = get("/debug/heap?top=5");
    assertThat(before.statusCode()).isEqualTo(200);
    String id = before.headers().firstValue("X-Kaiware-Heap-Id").orElseThrow();

    try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      Object held = jedis.sendCommand(DEBUG, SafeEncoder.encode("LEAK-DRILL"), SafeEncoder.encode("300000"));
      assertThat(held).isEqualTo(300000L);
      try {
        HttpResponse<String> diff = get("/debug/heap?diff=" + id + "&top=5");
        assertThat(diff.statusCode()).isEqualTo(200);
        List<String> rows = diff.body().lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(rows.get(1)).endsWith("io.kaiware.command.server.LeakDrill$LeakedEntry").contains("+300000");
      } finally {
        jedis.sendCommand(DEBUG, SafeEncoder.encode("LEAK-DRILL"), SafeEncoder.encode("RESET"));
      }
    }
  }

  /** A batch that stalls the engine is reported as delayed writes: a LATENCY "batch-apply" event (and a log line). */
  @Test
  void stalledBatchIsReportedAsDelayedWrites() {
    try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      jedis.configSet("write-delay-warn-ms", "50");
      jedis.sendCommand(DEBUG, SafeEncoder.encode("SLEEP"), SafeEncoder.encode("0.12"));
      @SuppressWarnings("unchecked")
      List<List<Object>> latest = (List<List<Object>>) jedis.sendCommand(LATENCY, SafeEncoder.encode("LATEST"));
      List<String> events = latest.stream().map(e -> SafeEncoder.encode((byte[]) e.get(0))).toList();
      assertThat(events).contains("batch-apply");
      long maxMs = latest.stream().filter(e -> SafeEncoder.encode((byte[]) e.get(0)).equals("batch-apply"))
          .mapToLong(e -> (Long) e.get(2)).findFirst().orElseThrow();
      assertThat(maxMs).isGreaterThanOrEqualTo(120);
    }
  }
}

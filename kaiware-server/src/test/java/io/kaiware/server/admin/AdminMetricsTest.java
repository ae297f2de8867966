package io.kaiware.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdminMetricsTest {

  static FakeSources sources = new FakeSources();
  static AdminHttpServer server;
  static AdminClient client;

  @BeforeAll
  static void start() throws Exception {
    sources.command("get", 500, 2_500_000, 1, 0);
    sources.command("set", 300, 1_000_000, 0, 2);
    sources.command("flushall", 0, 0, 0, 0);
    server = AdminHttpServer.start("127.0.0.1", 0, "", sources);
    client = new AdminClient(server.port(), null);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void metricsExposeKaiwareFamiliesFromTheSources() throws Exception {
    HttpResponse<String> r = client.get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
    String body = r.body();
    assertThat(body).contains(
        "kaiware_build_info{commit=\"0123456789abcdef\",gc=\"G1\",jdk=\"Eclipse Adoptium 25\",version=\"1.2.3\"} 1.0",
        "kaiware_connected_clients 12.0",
        "kaiware_connections_received_total 1000.0",
        "kaiware_connections_rejected_total 3.0",
        "kaiware_net_input_bytes_total 123456.0",
        "kaiware_net_output_bytes_total 654321.0",
        "kaiware_keys 42.0",
        "kaiware_expired_keys_total 7.0",
        "kaiware_ready 1.0",
        "kaiware_commands_calls_total{command=\"get\"} 500.0",
        "kaiware_commands_calls_total{command=\"set\"} 300.0",
        "kaiware_commands_duration_seconds_total{command=\"get\"} 2.5",
        "kaiware_commands_failed_total{command=\"set\"} 2.0",
        "kaiware_commands_rejected_total{command=\"get\"} 1.0");
    assertThat(body).as("commands never called are left out").doesNotContain("command=\"flushall\"");
    // JVM instrumentation: GC pauses, memory pools, heap used/committed, threads, process RSS.
    assertThat(body).contains("# TYPE jvm_gc_collection_seconds summary", "jvm_memory_used_bytes{area=\"heap\"}",
        "jvm_memory_committed_bytes{area=\"heap\"}", "jvm_memory_pool_used_bytes{", "jvm_threads_current",
        "process_resident_memory_bytes");
    assertThat(body).containsPattern("(?m)^kaiware_process_private_memory_bytes [0-9.E]+$");
  }

  @Test
  void metricsFollowTheSources() throws Exception {
    long before = sources.keys;
    sources.keys = 99;
    try {
      assertThat(client.get("/metrics").body()).contains("kaiware_keys 99.0");
    } finally {
      sources.keys = before;
    }
  }

  @Test
  void privateMemoryIsTheSumOfPrivateLines() {
    List<String> rollup = List.of(
        "00400000-7ffd4a3f7000 ---p 00000000 00:00 0                          [rollup]",
        "Rss:              204800 kB",
        "Pss:              200000 kB",
        "Shared_Clean:       4000 kB",
        "Private_Clean:      1000 kB",
        "Private_Dirty:    190000 kB",
        "Private_Hugetlb:       24 kB",
        "Swap:                  0 kB");
    assertThat(AdminMetrics.sumPrivateKb(rollup)).isEqualTo(191_024);
    assertThat(AdminMetrics.privateMemoryBytes(AdminMetrics.SMAPS_ROLLUP)).isGreaterThan(10L << 20);
  }
}

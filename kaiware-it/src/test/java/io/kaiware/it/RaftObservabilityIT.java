package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.util.SafeEncoder;

/**
 * The Raft side of observability on real servers: INFO raft, /ready, the kaiware_raft_* metrics and
 * the LATENCY events and delay warning of slow Raft work.
 */
class RaftObservabilityIT {

  private static final ProtocolCommand LATENCY = () -> SafeEncoder.encode("LATENCY");
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static HttpResponse<String> get(int adminPort, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
        .timeout(Duration.ofSeconds(10)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static Map<String, String> fields(String info) {
    Map<String, String> m = new HashMap<>();
    for (String line : info.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        m.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    return m;
  }

  static long number(Map<String, String> fields, String name) {
    assertThat(fields).containsKey(name);
    return (long) Double.parseDouble(fields.get(name));
  }

  @SuppressWarnings("unchecked")
  static List<String> latencyEvents(Jedis jedis) {
    List<List<Object>> latest = (List<List<Object>>) jedis.sendCommand(LATENCY, SafeEncoder.encode("LATEST"));
    return latest.stream().map(e -> SafeEncoder.encode((byte[]) e.get(0))).toList();
  }

  /**
   * The one-member default: INFO raft (alone and in INFO / INFO all), ready once leader, the raft
   * metrics, and a commit slower than write-delay-warn-ms reported as delayed writes (stage commit).
   */
  @Test
  @Timeout(60)
  void oneMemberReportsItsLogFsyncsBatchesAndSlowCommits() throws Exception {
    int adminPort = RaftCluster.freePort();
    Logger watchLog = (Logger) LoggerFactory.getLogger("io.kaiware.command.observe.WriteDelayWatch");
    ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    warnings.start();
    watchLog.addAppender(warnings);
    try (KaiwareProcess server = KaiwareProcess.start(Map.of("admin-port", Integer.toString(adminPort),
        "latency-monitor-threshold", "1"));
        Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      HttpResponse<String> ready = get(adminPort, "/ready");
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("READY\n");

      for (int i = 0; i < 20; i++) {
        jedis.set("raft-obs:" + i, "v" + i);
      }
      Map<String, String> raft = fields(jedis.info("raft"));
      assertThat(raft).containsEntry("raft_enabled", "1").containsEntry("raft_node", "n1")
          .containsEntry("raft_role", "leader").containsEntry("raft_leader_ready", "1")
          .containsEntry("raft_leader_id", "n1").containsEntry("raft_leader_address", "127.0.0.1:" + server.port())
          .containsEntry("raft_voters", "1");
      assertThat(number(raft, "raft_term")).isPositive();
      // The applier runs on its own thread: applied may trail commit for a moment.
      assertThat(number(raft, "raft_applied_index")).isPositive()
          .isBetween(number(raft, "raft_commit_index") - 3, number(raft, "raft_commit_index"));
      assertThat(number(raft, "raft_log_last_index")).isGreaterThanOrEqualTo(number(raft, "raft_commit_index"));
      assertThat(number(raft, "raft_log_entries")).isPositive();
      assertThat(number(raft, "raft_log_bytes")).isPositive();
      assertThat(number(raft, "raft_fsync_count")).as("every acknowledged write was fsynced").isGreaterThanOrEqualTo(20);
      assertThat(number(raft, "raft_fsync_max_usec")).isGreaterThanOrEqualTo(number(raft, "raft_fsync_p50_usec"));
      assertThat(number(raft, "raft_batch_commands")).isGreaterThanOrEqualTo(20);
      assertThat(number(raft, "raft_batches")).isBetween(1L, number(raft, "raft_batch_commands"));
      assertThat(number(raft, "raft_batch_commands_last")).isEqualTo(1);
      assertThat(raft).containsKeys("raft_snapshot_index", "raft_snapshot_age_seconds", "raft_snapshot_bytes",
          "raft_fsync_avg_usec", "raft_fsync_p99_usec", "raft_batch_bytes_avg", "raft_batch_commit_max_usec",
          "raft_leader_changes");
      assertThat(jedis.info()).contains("# Raft\r\n").contains("# Replication\r\n");
      assertThat(jedis.info("all")).contains("# Raft\r\n");
      assertThat(jedis.info("everything")).contains("# Raft\r\n");
      assertThat(jedis.info("replication")).contains("raft_term:").doesNotContain("# Raft");

      String metrics = get(adminPort, "/metrics").body();
      assertThat(metrics).contains("kaiware_raft_role{role=\"leader\"} 1.0", "kaiware_raft_is_leader 1.0",
          "kaiware_raft_fsync_seconds_bucket{le=\"+Inf\"}", "kaiware_raft_batch_commands_bucket{le=\"1.0\"}",
          "kaiware_raft_leader_changes_total")
          .containsPattern("(?m)^kaiware_raft_applied_index [1-9]")
          .containsPattern("(?m)^kaiware_raft_log_bytes [1-9]");

      // A 3 MB block of 6,000 SETs: one log entry (MULTI, the SETs, EXEC) whose append, fsync and
      // execution take well over the 1 ms write-delay-warn-ms set here.
      jedis.configSet("write-delay-warn-ms", "1");
      Transaction tx = jedis.multi();
      String value = "x".repeat(500);
      for (int i = 0; i < 6000; i++) {
        tx.set("raft-obs:big:" + i, value);
      }
      assertThat(tx.exec()).hasSize(6000);
      jedis.configSet("write-delay-warn-ms", "100");
      Map<String, String> after = fields(jedis.info("raft")); // before LATENCY: see the raft-fsync check below
      List<String> events = latencyEvents(jedis);
      assertThat(events).contains("batch-commit");
      List<ILoggingEvent> logged;
      synchronized (warnings) { // AppenderBase.doAppend appends under the appender's lock, on a server thread
        logged = List.copyOf(warnings.list);
      }
      assertThat(logged).as("events %s", events).extracting(ILoggingEvent::getFormattedMessage)
          .anySatisfy(line -> assertThat(line).matches("writes delayed: \\d+ ms, 6002 commands, [0-9.]+ MB \\(commit\\).*"));
      // An fsync of at least the threshold (1 ms, set from the start) is a raft-fsync event.
      if (number(after, "raft_fsync_max_usec") >= 1000) {
        assertThat(events).as("INFO raft %s", after).contains("raft-fsync");
      }
      assertThat(number(after, "raft_batch_commands_max")).isEqualTo(6002); // MULTI + 6,000 SETs + EXEC
      assertThat(number(after, "raft_batch_bytes_max")).isGreaterThan(3_000_000);
    } finally {
      watchLog.detachAppender(warnings);
    }
  }

  /**
   * /ready on a three-member group: leader and followers are ready once they know the leader and
   * have applied the log; a leader that loses its majority steps down and is no longer ready, while
   * /health stays 200. INFO raft on a follower names the leader and its client address.
   */
  @Test
  @Timeout(120)
  void readyFollowsLeadershipAndMajority() throws Exception {
    Map<String, Integer> adminPorts = new HashMap<>();
    for (String id : List.of("n1", "n2", "n3")) {
      adminPorts.put(id, RaftCluster.freePort());
    }
    try (RaftCluster cluster = RaftCluster.start(3, Map.of(),
        id -> Map.of("admin-port", Integer.toString(adminPorts.get(id))))) {
      String leader = cluster.awaitLeader(20_000);
      cluster.awaitDirectory(20_000);
      try (Jedis jedis = new Jedis("127.0.0.1", cluster.port(leader))) {
        jedis.set("ready", "1");
      }
      for (String id : List.of("n1", "n2", "n3")) {
        RaftCluster.await(20_000, id + " ready", () -> status(adminPorts.get(id)) == 200);
      }
      String follower = cluster.servers.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      try (Jedis jedis = new Jedis("127.0.0.1", cluster.port(follower))) {
        Map<String, String> raft = fields(jedis.info("raft"));
        assertThat(raft).containsEntry("raft_role", "follower").containsEntry("raft_leader_ready", "0")
            .containsEntry("raft_leader_id", leader)
            .containsEntry("raft_leader_address", "127.0.0.1:" + cluster.port(leader))
            .containsEntry("raft_voters", "3");
        assertThat(number(raft, "raft_fsync_count")).as("followers fsync what they acknowledge").isPositive();
      }
      String metrics = get(adminPorts.get(follower), "/metrics").body();
      assertThat(metrics).contains("kaiware_raft_role{role=\"follower\"} 1.0", "kaiware_raft_is_leader 0.0");

      // Both followers stop: the leader no longer hears from a majority, steps down, and has no leader.
      for (String id : List.copyOf(cluster.servers.keySet())) {
        if (!id.equals(leader)) {
          cluster.stop(id);
        }
      }
      int port = adminPorts.get(leader);
      RaftCluster.await(30_000, "the leader without a majority is not ready", () -> status(port) == 503);
      HttpResponse<String> notReady = get(port, "/ready");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).startsWith("NOT READY: no Raft leader known");
      assertThat(get(port, "/health").statusCode()).isEqualTo(200);
      assertThat(get(port, "/metrics").body()).contains("kaiware_ready 0.0", "kaiware_raft_is_leader 0.0");
    }
  }

  private static int status(int adminPort) {
    try {
      return get(adminPort, "/ready").statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}

package io.kaiware.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.replication.RaftStatus;
import org.junit.jupiter.api.Test;

/** The kaiware_raft_* families on /metrics, from a member's RaftStatus. */
class RaftMetricsTest {

  static RaftStatus follower() {
    RaftStatus.Distribution fsync = new RaftStatus.Distribution(4, 3_300_000, 2_000_000, 500_000, 500_000, 2_000_000,
        new long[] {1_000_000, 5_000_000}, new long[] {3, 1, 0});
    RaftStatus.Distribution commands = new RaftStatus.Distribution(3, 12, 8, 8, 2, 8, new long[] {1, 2, 4, 8},
        new long[] {1, 1, 0, 1, 0});
    RaftStatus.Distribution commit = new RaftStatus.Distribution(3, 9_000_000, 5_000_000, 1_000_000, 3_000_000,
        5_000_000, new long[] {10_000_000}, new long[] {3, 0});
    return new RaftStatus("n2", "FOLLOWER", false, 7, "n1", "127.0.0.1:6381", 3, 120, 118,
        new RaftStatus.Log(50, 121, 72, 65_536, 2),
        new RaftStatus.Snapshot(49, 6, 1_700_000_000_000L, 4096, 1, 2_000_000, 300_000),
        fsync, new RaftStatus.Batches(3, 12, 900, 8, 8, 500, 500, commands, commit), 2, 1, 40, 3);
  }

  @Test
  void raftFamiliesFollowTheMembersStatus() throws Exception {
    FakeSources sources = new FakeSources();
    try (AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, "", sources)) {
      AdminClient client = new AdminClient(server.port(), null);
      assertThat(client.get("/metrics").body()).as("no Raft, no raft families").doesNotContain("kaiware_raft_");

      sources.raft = follower();
      String body = client.get("/metrics").body();
      assertThat(body).contains(
          "kaiware_raft_role{role=\"follower\"} 1.0",
          "kaiware_raft_role{role=\"leader\"} 0.0",
          "kaiware_raft_role{role=\"candidate\"} 0.0",
          "kaiware_raft_is_leader 0.0",
          "kaiware_raft_term 7.0",
          "kaiware_raft_commit_index 120.0",
          "kaiware_raft_applied_index 118.0",
          "kaiware_raft_log_entries 72.0",
          "kaiware_raft_log_bytes 65536.0",
          "kaiware_raft_snapshot_index 49.0",
          "kaiware_raft_snapshot_bytes 4096.0",
          "kaiware_raft_snapshot_timestamp_seconds 1.7E9",
          "kaiware_raft_snapshots_taken_total 1.0",
          "kaiware_raft_snapshots_installed_total 1.0",
          "kaiware_raft_leader_changes_total 2.0",
          "kaiware_raft_read_rounds_total 40.0",
          "kaiware_raft_read_ticks_total 3.0",
          "kaiware_raft_fsync_seconds_bucket{le=\"0.001\"} 3",
          "kaiware_raft_fsync_seconds_bucket{le=\"0.005\"} 4",
          "kaiware_raft_fsync_seconds_bucket{le=\"+Inf\"} 4",
          "kaiware_raft_fsync_seconds_count 4",
          "kaiware_raft_fsync_seconds_sum 0.0033",
          "kaiware_raft_batch_commands_bucket{le=\"2.0\"} 2",
          "kaiware_raft_batch_commands_bucket{le=\"8.0\"} 3",
          "kaiware_raft_batch_commands_sum 12.0",
          "kaiware_raft_batch_bytes_total 900.0",
          "kaiware_raft_batch_commit_seconds_count 3");
    }
  }
}

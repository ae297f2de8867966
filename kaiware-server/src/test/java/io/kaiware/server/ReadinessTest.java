package io.kaiware.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.replication.RaftStatus;
import org.junit.jupiter.api.Test;

/** /ready's decision from a member's Raft status. */
class ReadinessTest {

  private static RaftStatus status(String role, boolean readyLeader, String leader, long commit, long applied) {
    return new RaftStatus("n1", role, readyLeader, 3, leader, null, 3, commit, applied, RaftStatus.Log.EMPTY,
        RaftStatus.Snapshot.NONE, RaftStatus.Distribution.EMPTY, RaftStatus.Batches.NONE, 0, 0, 0, 0);
  }

  @Test
  void withoutRaftTheServerIsReady() {
    assertThat(Readiness.problem(null, 100)).isNull();
  }

  @Test
  void aReadyLeaderIsReady() {
    assertThat(Readiness.problem(status("LEADER", true, "n1", 10, 10), 100)).isNull();
  }

  @Test
  void aLeaderWhoseTermHasNoCommittedEntryIsNotReady() {
    assertThat(Readiness.problem(status("LEADER", false, "n1", 10, 10), 100)).contains("not ready yet");
  }

  @Test
  void aFollowerOfAKnownLeaderWithinTheLagIsReady() {
    assertThat(Readiness.problem(status("FOLLOWER", false, "n2", 150, 50), 100)).isNull();
  }

  @Test
  void aFollowerTooFarBehindIsNotReady() {
    assertThat(Readiness.problem(status("FOLLOWER", false, "n2", 151, 50), 100))
        .isEqualTo("catching up: applied index 50 is 101 entries behind commit index 151 (ready-max-lag-entries 100)");
  }

  @Test
  void noKnownLeaderIsNotReady() {
    assertThat(Readiness.problem(status("CANDIDATE", false, null, 10, 10), 100))
        .startsWith("no Raft leader known (role candidate, term 3)");
  }

  @Test
  void aLeaderThatSteppedDownButStillNamesItselfIsNotReady() {
    assertThat(Readiness.problem(status("FOLLOWER", false, "n1", 10, 10), 100))
        .startsWith("no Raft leader known (role follower, term 3)");
  }
}

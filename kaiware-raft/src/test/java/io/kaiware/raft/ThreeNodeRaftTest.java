package io.kaiware.raft;

import static io.kaiware.raft.TestGroup.readLinearizable;
import static io.kaiware.raft.TestGroup.readStale;
import static io.kaiware.raft.TestGroup.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three in-process replicas on loopback ports. */
class ThreeNodeRaftTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static RaftNode aFollower(TestGroup g, RaftNode leader) {
    return g.nodes.values().stream().filter(n -> n != leader).findFirst().orElseThrow();
  }

  @Test
  @Timeout(60)
  void writesOnTheLeaderReplicateToIdenticalDigests(@TempDir Path dir) throws Exception {
    try (TestGroup g = new TestGroup(dir, 3, null, b -> {})) {
      g.startAll();
      RaftNode leader = g.awaitLeader(WAIT);
      List<CompletableFuture<byte[]>> acks = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        acks.add(leader.submitWrite(i % 4, 2, TestGroup.cmd("SET", "key:" + i, "value:" + i)));
      }
      for (CompletableFuture<byte[]> f : acks) {
        assertThat(TestGroup.text(f.get(20, TimeUnit.SECONDS))).isEqualTo("+OK\r\n");
      }
      // Group commit: far fewer entries than requests.
      assertThat(leader.requestsSubmitted()).isEqualTo(500);
      assertThat(leader.batchesSubmitted()).isLessThan(500);
      g.assertConverged(WAIT);
      assertThat(g.digests().values().iterator().next().digest()).isNotEqualTo(io.kaiware.engine.Keyspace.EMPTY_DIGEST);

      RaftNode follower = aFollower(g, leader);
      assertThat(TestGroup.text(follower.read(3, 2, TestGroup.cmd("GET", "key:499"), RaftNode.ReadConsistency.STALE)
          .get(5, TimeUnit.SECONDS))).isEqualTo("$9\r\nvalue:499\r\n");
      // On a CPU-starved machine a follower can miss heartbeats and briefly know no leader (or a new
      // one): wait until it names the current leader, then check that the refusal names it too.
      long deadlineNs = System.nanoTime() + WAIT.toNanos();
      while (!leader.id().equals(follower.leaderId()) && System.nanoTime() < deadlineNs) {
        Thread.sleep(20);
      }
      assertThatThrownBy(() -> follower.submitWrite(0, 2, TestGroup.cmd("SET", "x", "y")).get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOf(NotLeaderException.class)
          .extracting(e -> ((NotLeaderException) e).leaderId()).isEqualTo(leader.id());
    }
  }

  @Test
  @Timeout(60)
  void expiryIsDecidedByTheLogTimeIdenticallyOnEveryReplica(@TempDir Path dir) throws Exception {
    // The leader's clock is driven by hand and sits in 1970: a replica that consulted its own wall
    // clock would see every key expired at once.
    AtomicLong clock = new AtomicLong(1_000_000);
    try (TestGroup g = new TestGroup(dir, 3, clock, b -> {})) {
      g.startAll();
      RaftNode leader = g.awaitLeader(WAIT);
      assertThat(write(leader, "SET", "k", "v", "PX", "100")).isEqualTo("+OK\r\n");
      clock.set(1_000_050);
      write(leader, "SET", "other", "1");
      g.assertConverged(WAIT);
      for (RaftNode n : g.nodes.values()) {
        assertThat(readStale(n, "PTTL", "k")).as(n.id()).isEqualTo(":50\r\n");
      }
      String alive = g.digests().values().iterator().next().digest();

      clock.set(1_000_200);
      write(leader, "SET", "other", "2");
      g.assertConverged(WAIT);
      for (RaftNode n : g.nodes.values()) {
        assertThat(readStale(n, "EXISTS", "k")).as(n.id()).isEqualTo(":0\r\n");
        assertThat(n.stateMachine().logTimeMs()).isEqualTo(1_000_200);
      }
      assertThat(g.digests().values().iterator().next().digest()).isNotEqualTo(alive);

      // A clock that steps back (a new leader behind the old one) never moves log time backwards.
      clock.set(999_000);
      assertThat(write(leader, "SET", "k", "again", "PX", "100")).isEqualTo("+OK\r\n");
      assertThat(readLinearizable(leader, "PTTL", "k")).isEqualTo(":100\r\n");
      g.assertConverged(WAIT);
    }
  }

  /**
   * Linearizable reads in a read-only stretch are proven by the followers' answers
   * ({@link LeadershipProbe}), not by log entries; one follower suffices; with none, no read is served.
   */
  @Test
  @Timeout(60)
  void readsAreProvenByAMajorityOfAnswersWithoutLogEntries(@TempDir Path dir) throws Exception {
    try (TestGroup g = new TestGroup(dir, 3, null, b -> {})) {
      g.startAll();
      RaftNode leader = g.awaitLeader(WAIT);
      assertThat(write(leader, "SET", "k", "v1")).isEqualTo("+OK\r\n");
      long commit = leader.commitIndex();
      List<CompletableFuture<byte[]>> reads = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        reads.add(leader.read(0, 2, TestGroup.cmd("GET", "k"), RaftNode.ReadConsistency.LINEARIZABLE));
      }
      for (CompletableFuture<byte[]> r : reads) {
        assertThat(TestGroup.text(r.get(10, TimeUnit.SECONDS))).isEqualTo("$2\r\nv1\r\n");
      }
      assertThat(leader.commitIndex()).as("no entry was appended for the reads").isEqualTo(commit);
      assertThat(leader.status().readRounds()).as("rounds are shared by the reads waiting for one").isBetween(1L, 200L);
      assertThat(leader.status().readTicks()).isZero();

      RaftNode down = aFollower(g, leader);
      g.stop(down.id());
      assertThat(readLinearizable(leader, "GET", "k")).isEqualTo("$2\r\nv1\r\n");
      assertThat(leader.commitIndex()).as("the other follower's answer sufficed").isEqualTo(commit);

      g.stop(aFollower(g, leader).id());
      CompletableFuture<byte[]> alone = leader.read(0, 2, TestGroup.cmd("GET", "k"), RaftNode.ReadConsistency.LINEARIZABLE);
      Thread.sleep(3_000);
      assertThat(alone.isDone() && !alone.isCompletedExceptionally())
          .as("a leader without a majority serves no linearizable read").isFalse();
    }
  }

  @Test
  @Timeout(60)
  void acknowledgedWritesSurviveTheLeadersDeath(@TempDir Path dir) throws Exception {
    try (TestGroup g = new TestGroup(dir, 3, null, b -> {})) {
      g.startAll();
      RaftNode leader = g.awaitLeader(WAIT);
      List<CompletableFuture<byte[]>> acks = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        acks.add(leader.submitWrite(0, 2, TestGroup.cmd("SET", "k" + i, "v" + i)));
      }
      for (CompletableFuture<byte[]> f : acks) {
        f.get(20, TimeUnit.SECONDS);
      }
      g.stop(leader.id());

      RaftNode next = g.awaitLeader(WAIT);
      assertThat(next.id()).isNotEqualTo(leader.id());
      for (int i = 0; i < 100; i++) {
        assertThat(readLinearizable(next, "GET", "k" + i)).isEqualTo("$" + ("v" + i).length() + "\r\nv" + i + "\r\n");
      }
      assertThat(write(next, "SET", "after", "failover")).isEqualTo("+OK\r\n");
      g.assertConverged(WAIT);
    }
  }

  @Test
  @Timeout(60)
  void aRestartedFollowerCatchesUpFromASnapshot(@TempDir Path dir) throws Exception {
    // Small segments: only closed segments are purged behind a snapshot.
    try (TestGroup g = new TestGroup(dir, 3, null, b -> b.snapshotThreshold(20)
        .raftProperty("raft.server.log.segment.size.max", "1KB"))) {
      g.startAll();
      RaftNode leader = g.awaitLeader(WAIT);
      write(leader, "SET", "first", "1");
      RaftNode follower = aFollower(g, leader);
      String followerId = follower.id();
      g.stop(followerId);
      // Sequential writes: one entry each, several snapshots' worth, so the leader purges the log
      // the follower would need and must send it a snapshot.
      for (int i = 0; i < 120; i++) {
        write(leader, "SET", "k" + i, "v" + i);
      }
      leader.snapshot().get(10, TimeUnit.SECONDS);
      write(leader, "SET", "last", "1");

      RaftNode back = g.start(followerId);
      g.assertConverged(WAIT);
      assertThat(readStale(back, "GET", "k119")).isEqualTo("$4\r\nv119\r\n");
      assertThat(readStale(back, "GET", "last")).isEqualTo("$1\r\n1\r\n");
      assertThat(back.stateMachine().snapshotsInstalled()).as("caught up through an installed snapshot").isPositive();
    }
  }

  @Test
  @Timeout(60)
  void spopPicksTheSameMembersOnEveryReplicaThroughReadsAndASnapshotInstall(@TempDir Path dir) throws Exception {
    try (TestGroup g = new TestGroup(dir, 3, null, b -> b.snapshotThreshold(20)
        .raftProperty("raft.server.log.segment.size.max", "1KB"))) {
      g.startAll();
      RaftNode leader = g.awaitLeader(WAIT);
      String[] sadd = new String[2 + 300];
      sadd[0] = "SADD";
      sadd[1] = "s";
      for (int i = 0; i < 300; i++) {
        sadd[i + 2] = i % 3 == 0 ? "m" + i : Integer.toString(i);
      }
      assertThat(write(leader, sadd)).isEqualTo(":300\r\n");
      RaftNode follower = aFollower(g, leader);
      String followerId = follower.id();
      g.stop(followerId);
      // Pops (writes, through the log) between random reads that run on the leader alone.
      for (int i = 0; i < 60; i++) {
        readLinearizable(leader, "SRANDMEMBER", "s", "-3");
        write(leader, "SPOP", "s");
        write(leader, "SPOP", "s", "2");
      }
      leader.snapshot().get(10, TimeUnit.SECONDS);
      RaftNode back = g.start(followerId);
      g.assertConverged(WAIT);
      assertThat(back.stateMachine().snapshotsInstalled()).as("caught up through an installed snapshot").isPositive();
      // After the install the follower must continue from the snapshot's seed counter.
      for (int i = 0; i < 10; i++) {
        write(leader, "SPOP", "s");
        readLinearizable(leader, "SRANDMEMBER", "s");
      }
      g.assertConverged(WAIT);
      assertThat(readStale(back, "SCARD", "s")).isEqualTo(":110\r\n");
    }
  }

  @Test
  @Timeout(60)
  void leadershipTransfersAndANewNodeJoinsAsAListenerThenVotes(@TempDir Path dir) throws Exception {
    try (TestGroup g = new TestGroup(dir, 3, null, b -> {})) {
      g.startAll();
      RaftNode leader = g.awaitLeader(WAIT);
      write(leader, "SET", "a", "1");
      RaftNode target = aFollower(g, leader);
      leader.transferLeadership(target.id(), Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!target.isLeader() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(target.isLeader()).isTrue();
      RaftNode newLeader = target;
      assertThat(write(newLeader, "SET", "b", "2")).isEqualTo("+OK\r\n");

      String address = "127.0.0.1:" + TestGroup.freePort();
      g.peers.put("n4", address);
      RaftNode n4 = g.start("n4", true);
      newLeader.addPeer("n4", address, true).get(20, TimeUnit.SECONDS);
      assertThat(newLeader.listenerIds()).containsExactly("n4");
      write(newLeader, "SET", "c", "3");
      g.assertConverged(WAIT);
      assertThat(n4.listenerIds()).containsExactly("n4");
      assertThat(readStale(n4, "GET", "a")).isEqualTo("$1\r\n1\r\n");

      newLeader.addPeer("n4", address, false).get(20, TimeUnit.SECONDS);
      assertThat(newLeader.members()).containsKeys("n1", "n2", "n3", "n4");
      assertThat(newLeader.listenerIds()).isEmpty();
      write(newLeader, "SET", "d", "4");
      g.assertConverged(WAIT);
      assertThat(n4.role()).isEqualTo("FOLLOWER");

      newLeader.removePeer(leader.id()).get(20, TimeUnit.SECONDS);
      assertThat(newLeader.members()).doesNotContainKey(leader.id());
      assertThat(write(newLeader, "SET", "e", "5")).isEqualTo("+OK\r\n");
    }
  }

  /**
   * A configuration change the leader took, then lost leadership before committing: its entry may
   * still commit under the next leader, so the failure must say the outcome is unknown, not that
   * the change failed (a client would otherwise believe a removed member is still one).
   */
  @Test
  @Timeout(60)
  void aMembershipChangeCutShortByALostLeadershipIsReportedAsMaybeApplied(@TempDir Path dir) throws Exception {
    // Long election timeouts: the leader keeps leading for seconds after its followers stop, long
    // enough to take the change.
    try (TestGroup g = new TestGroup(dir, 3, null, b -> b.electionTimeout(Duration.ofSeconds(4), Duration.ofSeconds(6)))) {
      g.startAll();
      RaftNode leader = g.awaitLeader(WAIT);
      write(leader, "SET", "a", "1");
      List<String> followers = new ArrayList<>(g.nodes.keySet());
      followers.remove(leader.id());
      for (String id : followers) {
        g.stop(id);
      }
      assertThat(leader.isLeader()).as("still leading when the change is submitted").isTrue();
      CompletableFuture<Void> removal = leader.removePeer(followers.get(0));
      // No majority: the change cannot commit, and the leader steps down after an election timeout.
      assertThatThrownBy(() -> removal.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(ReplicationException.class)
          .hasMessageStartingWith(RaftNode.MAYBE_APPLIED);
    }
  }

  /**
   * A follower removed from the group is shut down by it (its peers answer its vote requests with
   * shouldShutdown once it stops hearing from the leader): the node says so, so that the server can
   * stop instead of lingering with a dead Raft division. A node closed on purpose does not.
   */
  @Test
  @Timeout(60)
  void aRemovedFollowerIsShutDownByTheGroupAndSaysSo(@TempDir Path dir) throws Exception {
    try (TestGroup g = new TestGroup(dir, 3, null, b -> {})) {
      g.startAll();
      RaftNode leader = g.awaitLeader(WAIT);
      write(leader, "SET", "a", "1");
      List<String> followers = new ArrayList<>(g.nodes.keySet());
      followers.remove(leader.id());
      RaftNode removed = g.nodes.get(followers.get(0));
      RaftNode kept = g.nodes.get(followers.get(1));
      CompletableFuture<String> shutDown = new CompletableFuture<>();
      removed.onShutDownByGroup(() -> shutDown.complete(removed.id()));
      CompletableFuture<String> keptShutDown = new CompletableFuture<>();
      kept.onShutDownByGroup(() -> keptShutDown.complete(kept.id()));

      leader.removePeer(removed.id()).get(20, TimeUnit.SECONDS);
      assertThat(shutDown.get(30, TimeUnit.SECONDS)).isEqualTo(removed.id());
      assertThat(write(leader, "SET", "b", "2")).isEqualTo("+OK\r\n");

      g.stop(kept.id()); // closed on purpose: not a shutdown by the group
      Thread.sleep(500);
      assertThat(keptShutDown).isNotDone();
    }
  }
}

package io.kaiware.raft;

import static io.kaiware.raft.TestGroup.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.replication.RaftStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What INFO raft and /metrics read from a node: log, snapshot, fsyncs, batches, as they happen. */
class RaftStatsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  @Timeout(40)
  void countsFsyncsBatchesTheLogAndSnapshots(@TempDir Path dir) throws Exception {
    try (TestGroup g = new TestGroup(dir, 1, null, b -> b.snapshotThreshold(8).tick(Duration.ofHours(1)))) {
      g.startAll();
      RaftNode n = g.awaitLeader(WAIT);
      assertThat(n.fsyncTimed()).as("Ratis's log worker records into our fsync timer").isTrue();
      List<Long> fsyncs = new CopyOnWriteArrayList<>();
      List<long[]> commits = new CopyOnWriteArrayList<>();
      List<Long> snapshots = new CopyOnWriteArrayList<>();
      n.stats().onFsync(fsyncs::add);
      n.stats().onBatchCommitted((nanos, commands, bytes) -> commits.add(new long[] {nanos, commands, bytes}));
      n.stats().onSnapshot(snapshots::add);
      RaftStatus before = n.status();

      for (int i = 0; i < 10; i++) {
        write(n, "SET", "k" + i, "value-" + i);
      }

      RaftStatus s = n.status();
      assertThat(s.nodeId()).isEqualTo("n1");
      assertThat(s.role()).isEqualTo("LEADER");
      assertThat(s.readyLeader()).isTrue();
      assertThat(s.leaderId()).isEqualTo("n1");
      assertThat(s.voters()).isEqualTo(1);
      assertThat(s.leaderChanges()).isGreaterThanOrEqualTo(1);
      // The applier runs on its own thread: applied may trail commit for a moment.
      assertThat(s.appliedIndex()).isPositive().isBetween(s.commitIndex() - 3, s.commitIndex());
      // One write at a time: ten entries of one command each, every one fsynced before it committed.
      assertThat(s.batches().entries() - before.batches().entries()).isEqualTo(10);
      assertThat(s.batches().commands() - before.batches().commands()).isEqualTo(10);
      assertThat(s.batches().lastCommands()).isEqualTo(1);
      assertThat(s.batches().maxCommands()).isEqualTo(1);
      assertThat(s.batches().lastBytes()).isPositive();
      assertThat(s.batches().commandsPerEntry().bucketCounts()[0]).isEqualTo(s.batches().entries());
      assertThat(s.batches().commitNanos().count()).isEqualTo(s.batches().entries());
      assertThat(commits).hasSize(10).allSatisfy(c -> {
        assertThat(c[0]).isPositive();
        assertThat(c[1]).isEqualTo(1);
        assertThat(c[2]).isPositive();
      });
      assertThat(s.fsync().count() - before.fsync().count()).isGreaterThanOrEqualTo(10);
      assertThat(fsyncs).hasSizeGreaterThanOrEqualTo(10).allSatisfy(ns -> assertThat(ns).isPositive());
      assertThat(s.fsync().max()).isGreaterThanOrEqualTo(s.fsync().p50()).isPositive();
      assertThat(s.log().lastIndex()).isGreaterThanOrEqualTo(s.commitIndex());
      assertThat(s.log().firstIndex()).isBetween(0L, s.log().lastIndex());
      assertThat(s.log().entries()).isEqualTo(s.log().lastIndex() - s.log().firstIndex() + 1);
      assertThat(s.log().bytesOnDisk()).isPositive();
      assertThat(s.log().segmentFiles()).isPositive();

      long snapshotIndex = n.snapshot().get(10, TimeUnit.SECONDS);
      RaftStatus after = n.status();
      // Automatic every 8 entries: at least one was written, the latest at or after the index asked for.
      assertThat(snapshotIndex).isPositive();
      assertThat(after.snapshot().index()).isGreaterThanOrEqualTo(snapshotIndex);
      assertThat(after.snapshot().term()).isEqualTo(after.term());
      assertThat(after.snapshot().bytes()).isPositive();
      assertThat(after.snapshot().fileTimeMs()).isPositive();
      assertThat(after.snapshot().taken()).isPositive();
      assertThat(after.snapshot().lastDurationNanos()).isPositive();
      assertThat(snapshots).hasSize((int) after.snapshot().taken());
    }
  }

  @Test
  void recorderPercentilesAreBucketBoundsCappedAtTheMax() {
    ValueRecorder r = new ValueRecorder(new long[] {10, 100, 1000});
    assertThat(r.percentile(50)).isZero();
    for (int i = 0; i < 98; i++) {
      r.record(5);
    }
    r.record(50);
    r.record(700);
    RaftStatus.Distribution d = r.snapshot();
    assertThat(d.count()).isEqualTo(100);
    assertThat(d.sum()).isEqualTo(98 * 5 + 50 + 700);
    assertThat(d.max()).isEqualTo(700);
    assertThat(d.last()).isEqualTo(700);
    assertThat(d.bucketCounts()).containsExactly(98, 1, 1, 0);
    assertThat(d.p50()).isEqualTo(10);
    assertThat(d.p99()).isEqualTo(100);
    assertThat(r.percentile(100)).isEqualTo(700);
    r.record(5000);
    assertThat(r.snapshot().bucketCounts()).containsExactly(98, 1, 1, 1);
    assertThat(r.percentile(100)).isEqualTo(5000);
  }
}

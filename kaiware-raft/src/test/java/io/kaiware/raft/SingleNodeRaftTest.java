package io.kaiware.raft;

import static io.kaiware.raft.TestGroup.readLinearizable;
import static io.kaiware.raft.TestGroup.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default: a durable one-node group on the same code path as a cluster. */
class SingleNodeRaftTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  @Timeout(40)
  void writesSurviveARestartByLogReplay(@TempDir Path dir) throws Exception {
    try (TestGroup g = new TestGroup(dir, 1, null, b -> b.snapshotThreshold(1_000_000))) {
      g.startAll();
      RaftNode n = g.awaitLeader(WAIT);
      assertThat(write(n, "SET", "a", "1")).isEqualTo("+OK\r\n");
      for (int i = 0; i < 20; i++) {
        write(n, "INCR", "counter");
      }
      assertThat(write(n, "GET", "counter")).isEqualTo("$2\r\n20\r\n");
      String before = n.digest().get(5, TimeUnit.SECONDS).digest();
      g.stop("n1");

      RaftNode again = g.start("n1");
      g.awaitLeader(WAIT);
      assertThat(readLinearizable(again, "GET", "a")).isEqualTo("$1\r\n1\r\n");
      assertThat(readLinearizable(again, "GET", "counter")).isEqualTo("$2\r\n20\r\n");
      assertThat(again.digest().get(5, TimeUnit.SECONDS).digest()).isEqualTo(before);
    }
  }

  @Test
  @Timeout(40)
  void recoversFromASnapshotPlusTheLogAfterIt(@TempDir Path dir) throws Exception {
    try (TestGroup g = new TestGroup(dir, 1, null, b -> b.snapshotThreshold(10).tick(Duration.ofHours(1)))) {
      g.startAll();
      RaftNode n = g.awaitLeader(WAIT);
      for (int i = 0; i < 35; i++) {
        write(n, "SET", "k" + i, "v" + i);
      }
      long appliedBefore = n.appliedIndex();
      long snapshotIndex = n.snapshot().get(10, TimeUnit.SECONDS);
      // An operator's snapshot is written before it answers, at least up to what was applied then
      // (automatic ones, every 10 entries here, are written beside the engine and may lag).
      assertThat(snapshotIndex).isGreaterThanOrEqualTo(appliedBefore);
      assertThat(n.stateMachine().getLatestSnapshot().getIndex()).isEqualTo(snapshotIndex);
      write(n, "SET", "after", "snapshot");
      write(n, "DEL", "k0");
      String before = n.digest().get(5, TimeUnit.SECONDS).digest();
      g.stop("n1");
      try (Stream<Path> files = Files.walk(dir)) {
        assertThat(files.map(p -> p.getFileName().toString()).filter(f -> f.matches("snapshot\\.\\d+_\\d+")))
            .isNotEmpty();
      }

      RaftNode again = g.start("n1");
      g.awaitLeader(WAIT);
      assertThat(readLinearizable(again, "GET", "k34")).isEqualTo("$3\r\nv34\r\n");
      assertThat(readLinearizable(again, "GET", "after")).isEqualTo("$8\r\nsnapshot\r\n");
      assertThat(readLinearizable(again, "EXISTS", "k0")).isEqualTo(":0\r\n");
      assertThat(again.digest().get(5, TimeUnit.SECONDS).digest()).isEqualTo(before);
    }
  }

  @Test
  @Timeout(60)
  void automaticSnapshotsAreWrittenBesideTheEngineAndARestartLoadsThem(@TempDir Path dir) throws Exception {
    try (TestGroup g = new TestGroup(dir, 1, null, b -> b.snapshotThreshold(20).tick(Duration.ofHours(1)))) {
      g.startAll();
      RaftNode n = g.awaitLeader(WAIT);
      int i = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      // Writes go on while snapshots are cut and written; Ratis learns of each on a later apply.
      while (n.stateMachine().getLatestSnapshot() == null || i < 200) {
        write(n, "SET", "k" + (i % 50), "v" + i);
        i++;
        assertThat(System.nanoTime()).as("a snapshot within 30 s").isLessThan(deadline);
      }
      long snapshotIndex = n.stateMachine().getLatestSnapshot().getIndex();
      assertThat(snapshotIndex).isPositive();
      String before = n.digest().get(5, TimeUnit.SECONDS).digest();
      g.stop("n1");

      RaftNode again = g.start("n1");
      g.awaitLeader(WAIT);
      assertThat(again.stateMachine().getLatestSnapshot().getIndex()).isGreaterThanOrEqualTo(snapshotIndex);
      assertThat(readLinearizable(again, "GET", "k" + ((i - 1) % 50))).isEqualTo(
          "$" + ("v" + (i - 1)).length() + "\r\nv" + (i - 1) + "\r\n");
      assertThat(again.digest().get(5, TimeUnit.SECONDS).digest()).isEqualTo(before);
    }
  }

  @Test
  @Timeout(40)
  void readsSeeExpiryAtTheirClockAndIdleTicksMoveLogTimePastIt(@TempDir Path dir) throws Exception {
    try (TestGroup g = new TestGroup(dir, 1, null, b -> b.tick(Duration.ofMillis(20)))) {
      g.startAll();
      RaftNode n = g.awaitLeader(WAIT);
      // The entry's stamp is taken after this, so the key expires at or after before + 100 (reading
      // the log time after the reply could already see a later tick's time).
      long before = System.currentTimeMillis();
      assertThat(write(n, "SET", "k", "v", "PX", "100")).isEqualTo("+OK\r\n");
      // Reads see the expiry at their own clock: gone once 100 ms have passed, whatever the log did.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (readLinearizable(n, "EXISTS", "k").equals(":1\r\n") && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(System.currentTimeMillis()).isGreaterThan(before + 100);
      assertThat(readLinearizable(n, "EXISTS", "k")).isEqualTo(":0\r\n");
      // Idle ticks move the log time past the expiry too, so the key is reclaimed without a write.
      while (n.stateMachine().logTimeMs() <= before + 100 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(n.stateMachine().logTimeMs()).isGreaterThan(before + 100);
    }
  }

  @Test
  @Timeout(40)
  void answersErrorsAsRepliesAndRefusesNonReplicableCommands(@TempDir Path dir) throws Exception {
    try (TestGroup g = new TestGroup(dir, 1, null, b -> {})) {
      g.startAll();
      RaftNode n = g.awaitLeader(WAIT);
      write(n, "SET", "s", "text");
      assertThat(write(n, "INCR", "s")).startsWith("-ERR value is not an integer");
      assertThat(write(n, "CONFIG", "SET", "maxmemory", "1")).startsWith("-ERR 'config|set' cannot run");
      assertThat(write(n, "NOSUCHCOMMAND")).startsWith("-ERR unknown command");
      // A MULTI ... EXEC block is one request: atomic within its entry.
      byte[] reply = n.submit(new LogEntryCodec.Request(0, 2, java.util.List.of(
          TestGroup.cmd("MULTI"), TestGroup.cmd("INCR", "c"), TestGroup.cmd("INCR", "c"), TestGroup.cmd("EXEC"))))
          .get(10, TimeUnit.SECONDS);
      assertThat(TestGroup.text(reply)).isEqualTo("+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n:1\r\n:2\r\n");
      // Reads refuse writes: a write sent as a read would change one replica only.
      assertThat(readLinearizable(n, "SET", "x", "1")).startsWith("-ERR 'set' is not a read-only command");
      assertThat(readLinearizable(n, "GET", "s")).isEqualTo("$4\r\ntext\r\n");
    }
  }

  @Test
  @Timeout(40)
  void aWatchGuardAbortsTheBlockWhenAWatchedKeyChangedBeforeItsEntry(@TempDir Path dir) throws Exception {
    try (TestGroup g = new TestGroup(dir, 1, null, b -> {})) {
      g.startAll();
      RaftNode n = g.awaitLeader(WAIT);
      write(n, "SET", "w", "v1");
      // The leader checked the watch at EXEC: the guard carries the digest it saw then.
      byte[] seen = n.stateMachine().onEngine(ks -> KaiwareStateMachine.watchDigest(ks, 0, TestGroup.cmd("w")[0],
          n.stateMachine().logTimeMs())).get(5, TimeUnit.SECONDS);
      byte[][] guard = {KaiwareStateMachine.WATCH_GUARD, TestGroup.cmd("0")[0], TestGroup.cmd("w")[0], seen};
      java.util.List<byte[][]> block = java.util.List.of(guard, TestGroup.cmd("MULTI"), TestGroup.cmd("SET", "w", "mine"),
          TestGroup.cmd("EXEC"));
      // Another client's write lands in the log before the block: the block must not run.
      write(n, "SET", "w", "theirs");
      byte[] aborted = n.submit(new LogEntryCodec.Request(0, 2, block)).get(10, TimeUnit.SECONDS);
      assertThat(TestGroup.text(aborted)).isEqualTo("*-1\r\n");
      assertThat(readLinearizable(n, "GET", "w")).isEqualTo("$6\r\ntheirs\r\n");
      // Unchanged since the guard was taken: the block runs.
      byte[] now = n.stateMachine().onEngine(ks -> KaiwareStateMachine.watchDigest(ks, 0, TestGroup.cmd("w")[0],
          n.stateMachine().logTimeMs())).get(5, TimeUnit.SECONDS);
      byte[][] fresh = {KaiwareStateMachine.WATCH_GUARD, TestGroup.cmd("0")[0], TestGroup.cmd("w")[0], now};
      byte[] ran = n.submit(new LogEntryCodec.Request(0, 2, java.util.List.of(fresh, TestGroup.cmd("MULTI"),
          TestGroup.cmd("SET", "w", "mine"), TestGroup.cmd("EXEC")))).get(10, TimeUnit.SECONDS);
      assertThat(TestGroup.text(ran)).isEqualTo("+OK\r\n+QUEUED\r\n*1\r\n+OK\r\n");
      assertThat(readLinearizable(n, "GET", "w")).isEqualTo("$4\r\nmine\r\n");
    }
  }
}

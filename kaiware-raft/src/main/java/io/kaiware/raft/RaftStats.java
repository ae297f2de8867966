package io.kaiware.raft;

import io.kaiware.command.replication.RaftStatus;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * What a {@link RaftNode} counts for INFO raft, /metrics and LATENCY: log fsyncs (from Ratis's log
 * worker, see {@link FsyncTimer}), snapshots written, leader changes, and the write batches the
 * node cut as leader (commands and bytes per entry, time from submit to the committed reply).
 * Listeners registered here see each fsync, snapshot and committed batch as it happens, on the
 * Ratis thread that observed it: they must be quick and must not block.
 */
public final class RaftStats {

  /** Sees each committed write batch. */
  @FunctionalInterface
  public interface BatchCommitListener {
    /**
     * @param tookNanos from the batch's submission to Raft to its reply (committed on a majority and
     *                  applied here)
     * @param commands  commands in the batch (a MULTI ... EXEC block counts MULTI, each queued command and EXEC)
     * @param bytes     the encoded entry's size
     */
    void committed(long tookNanos, int commands, long bytes);
  }

  private final ValueRecorder fsync = new ValueRecorder(ValueRecorder.FSYNC_BOUNDS_NANOS);
  private final ValueRecorder commit = new ValueRecorder(ValueRecorder.COMMIT_BOUNDS_NANOS);
  private final ValueRecorder batchCommands = new ValueRecorder(ValueRecorder.BATCH_COMMANDS_BOUNDS);
  private final AtomicLong leaderChanges = new AtomicLong();
  private final AtomicLong snapshotsTaken = new AtomicLong();
  private volatile long lastSnapshotNanos;
  private volatile long lastSnapshotCutNanos;
  // Batch bytes (guarded by this).
  private long batchBytes;
  private long lastBatchBytes;
  private long maxBatchBytes;

  private volatile LongConsumer fsyncListener = ns -> { };
  private volatile LongConsumer snapshotListener = ns -> { };
  private volatile LongConsumer snapshotCutListener = ns -> { };
  private volatile BatchCommitListener commitListener = (ns, c, b) -> { };

  /** Called with each log fsync's duration (nanoseconds). */
  public void onFsync(LongConsumer listener) {
    this.fsyncListener = listener;
  }

  /** Called with each snapshot's duration (nanoseconds: cut, encode, write, fsync, rename). */
  public void onSnapshot(LongConsumer listener) {
    this.snapshotListener = listener;
  }

  /** Called with the time each snapshot held the engine thread (nanoseconds: its cut). */
  public void onSnapshotCut(LongConsumer listener) {
    this.snapshotCutListener = listener;
  }

  /** Called for each committed write batch this node submitted. */
  public void onBatchCommitted(BatchCommitListener listener) {
    this.commitListener = listener;
  }

  // ---------------------------------------------------------------- recorded by the node

  void fsynced(long nanos) {
    fsyncListener.accept(nanos); // first: whoever sees the figure in INFO also finds the LATENCY event
    fsync.record(nanos);
  }

  void snapshotCut(long nanos) {
    lastSnapshotCutNanos = nanos;
    snapshotCutListener.accept(nanos);
  }

  void snapshotTaken(long nanos) {
    snapshotsTaken.incrementAndGet();
    lastSnapshotNanos = nanos;
    snapshotListener.accept(nanos);
  }

  void leaderChanged() {
    leaderChanges.incrementAndGet();
  }

  /** A batch of {@code commands} commands (ticks excluded) in an entry of {@code bytes} was submitted. */
  void batchSubmitted(int commands, long bytes) {
    batchCommands.record(commands);
    synchronized (this) {
      batchBytes += bytes;
      lastBatchBytes = bytes;
      maxBatchBytes = Math.max(maxBatchBytes, bytes);
    }
  }

  void batchCommitted(long tookNanos, int commands, long bytes) {
    commit.record(tookNanos);
    commitListener.committed(tookNanos, commands, bytes);
  }

  // ---------------------------------------------------------------- read

  public long fsyncCount() {
    return fsync.count();
  }

  public long leaderChanges() {
    return leaderChanges.get();
  }

  public long snapshotsTaken() {
    return snapshotsTaken.get();
  }

  long lastSnapshotNanos() {
    return lastSnapshotNanos;
  }

  long lastSnapshotCutNanos() {
    return lastSnapshotCutNanos;
  }

  RaftStatus.Distribution fsyncDistribution() {
    return fsync.snapshot();
  }

  RaftStatus.Batches batches() {
    RaftStatus.Distribution commands = batchCommands.snapshot();
    long bytes;
    long last;
    long max;
    synchronized (this) {
      bytes = batchBytes;
      last = lastBatchBytes;
      max = maxBatchBytes;
    }
    return new RaftStatus.Batches(commands.count(), commands.sum(), bytes, commands.last(), commands.max(), last, max,
        commands, commit.snapshot());
  }
}

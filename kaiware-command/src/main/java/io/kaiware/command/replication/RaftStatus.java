package io.kaiware.command.replication;

/**
 * A point-in-time view of this server's Raft member for {@code INFO raft}, {@code /metrics} and
 * {@code /ready}: where the log and the state machine stand, what the log costs on disk, the last
 * snapshot, fsync latency and the write batches this node submitted while it led. Built on request
 * from fields the Raft side keeps anyway; every value is a recent one, not an exact cut.
 *
 * @param nodeId              this member's id
 * @param role                Ratis's role: LEADER, FOLLOWER, CANDIDATE, LISTENER (UNKNOWN before start)
 * @param readyLeader         whether this member leads and an entry of its term has committed
 * @param term                current term (-1 before start)
 * @param leaderId            the leader this member knows of, or {@code null} during an election
 * @param leaderClientAddress the leader's client (RESP) "host:port", or {@code null} while unknown
 * @param voters              voting members in the current configuration
 * @param commitIndex         the highest index this member knows to be committed
 * @param appliedIndex        the index of the last entry executed on this member's dataset
 * @param log                 the Raft log on disk
 * @param snapshot            the latest snapshot
 * @param fsync               log fsync durations (nanoseconds)
 * @param batches             write batches this member submitted while it led
 * @param leaderChanges       times this member saw the leader change to another member or itself
 * @param snapshotsInstalled  snapshots received from a leader and loaded (a follower that fell behind)
 * @param readRounds          rounds in which this member, leading, asked its followers' terms to prove
 *                            a linearizable read (one round serves every read that arrived before it)
 * @param readTicks           linearizable reads proven by a tick entry instead (the round proved nothing)
 */
public record RaftStatus(
    String nodeId,
    String role,
    boolean readyLeader,
    long term,
    String leaderId,
    String leaderClientAddress,
    int voters,
    long commitIndex,
    long appliedIndex,
    Log log,
    Snapshot snapshot,
    Distribution fsync,
    Batches batches,
    long leaderChanges,
    long snapshotsInstalled,
    long readRounds,
    long readTicks) {

  /**
   * The Raft log: its first and last index (-1 when empty), entries between them, and the bytes and
   * files of its segments on disk.
   */
  public record Log(long firstIndex, long lastIndex, long entries, long bytesOnDisk, int segmentFiles) {
    public static final Log EMPTY = new Log(-1, -1, 0, 0, 0);
  }

  /**
   * The latest snapshot on disk (index -1: none yet), when it was written ({@code fileTimeMs}, epoch
   * ms, 0 when none), its size, how many this member wrote since start, how long the last took in
   * all and how long of that it held the engine thread (its cut).
   */
  public record Snapshot(long index, long term, long fileTimeMs, long bytes, long taken, long lastDurationNanos,
      long lastCutNanos) {
    public static final Snapshot NONE = new Snapshot(-1, -1, 0, 0, 0, 0, 0);
  }

  /**
   * Write batches (one Raft log entry each) this member cut as leader: their number, the commands
   * (a MULTI ... EXEC block counts MULTI, each queued command and EXEC) and bytes in them (totals, last, max, and a distribution of commands per entry), and the time
   * from submit to the committed, applied reply.
   */
  public record Batches(long entries, long commands, long bytes, long lastCommands, long maxCommands, long lastBytes,
      long maxBytes, Distribution commandsPerEntry, Distribution commitNanos) {
    public static final Batches NONE = new Batches(0, 0, 0, 0, 0, 0, 0, Distribution.EMPTY, Distribution.EMPTY);

    public double avgCommands() {
      return entries == 0 ? 0 : (double) commands / entries;
    }

    public double avgBytes() {
      return entries == 0 ? 0 : (double) bytes / entries;
    }
  }

  /**
   * A distribution of recorded values: count, sum, max, the last value, and counts per bucket
   * ({@code bucketCounts[i]} values were at most {@code bucketBounds[i]} and above the bound before;
   * the last count, one more than the bounds, is everything above the last bound). {@code p50} and
   * {@code p99} are estimates from a recent sample (0 when unknown).
   */
  public record Distribution(long count, long sum, long max, long last, long p50, long p99, long[] bucketBounds,
      long[] bucketCounts) {
    public static final Distribution EMPTY = new Distribution(0, 0, 0, 0, 0, 0, new long[0], new long[] {0});

    public double mean() {
      return count == 0 ? 0 : (double) sum / count;
    }
  }
}

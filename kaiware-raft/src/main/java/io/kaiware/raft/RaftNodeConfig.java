package io.kaiware.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How to start a {@link RaftNode}. Build with {@link #builder(String, Path)}; a node with no peers
 * other than itself is the embedded default, a durable one-node group.
 *
 * @param nodeId             this node's id (letters, digits, '-', '_')
 * @param peers              every voting member, id -> host:port of its Raft (gRPC) endpoint,
 *                           including this node (with {@code joining}, only this node is needed)
 * @param dataDir            where the log and snapshots live (one subdirectory per group)
 * @param groupName          the group's name; its Raft group id is a UUID derived from it
 * @param batch              group commit limits
 * @param tick               how long the log may stay idle before the leader appends a tick entry
 *                           (the resolution of expiry as reads see it)
 * @param snapshotThreshold  entries applied since the last snapshot that trigger a new one (the
 *                           log behind a snapshot is then purged)
 * @param electionTimeoutMin Raft's randomised election timeout, lower bound
 * @param electionTimeoutMax upper bound
 * @param readLease          answer linearizable reads from the leader's lease, without the
 *                           ReadIndex heartbeat round (needs bounded clock drift)
 * @param joining            start with an empty configuration and wait to be added by the leader
 *                           ({@link RaftNode#addPeer}); the data dir must be new
 * @param raftProperties     raw Ratis properties applied last (expert tuning, tests)
 * @param clockMs            the clock the leader stamps entries with (tests drive it by hand)
 */
public record RaftNodeConfig(
    String nodeId,
    Map<String, String> peers,
    Path dataDir,
    String groupName,
    RaftWriteBatcher.Options batch,
    Duration tick,
    long snapshotThreshold,
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    boolean readLease,
    boolean joining,
    Map<String, String> raftProperties,
    LongSupplier clockMs) {

  public RaftNodeConfig {
    Objects.requireNonNull(nodeId, "nodeId");
    peers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(peers));
    if (!peers.containsKey(nodeId)) {
      throw new IllegalArgumentException("peers must include this node '" + nodeId + "'");
    }
    raftProperties = Map.copyOf(raftProperties);
  }

  /** This node's Raft endpoint. */
  public String address() {
    return peers.get(nodeId);
  }

  public static Builder builder(String nodeId, Path dataDir) {
    return new Builder(nodeId, dataDir);
  }

  /** Defaults: group "kaiware", batches of 1024 requests / 1 MiB / 200 µs, tick 100 ms, snapshot every 100k entries. */
  public static final class Builder {
    private final String nodeId;
    private final Path dataDir;
    private final Map<String, String> peers = new LinkedHashMap<>();
    private String groupName = "kaiware";
    private RaftWriteBatcher.Options batch = RaftWriteBatcher.Options.defaults();
    private Duration tick = Duration.ofMillis(100);
    private long snapshotThreshold = 100_000;
    private Duration electionTimeoutMin = Duration.ofMillis(300);
    private Duration electionTimeoutMax = Duration.ofMillis(600);
    private boolean readLease;
    private boolean joining;
    private final Map<String, String> raftProperties = new LinkedHashMap<>();
    private LongSupplier clockMs = System::currentTimeMillis;

    private Builder(String nodeId, Path dataDir) {
      this.nodeId = nodeId;
      this.dataDir = dataDir;
    }

    public Builder peer(String id, String hostPort) {
      peers.put(id, hostPort);
      return this;
    }

    public Builder peers(Map<String, String> idToHostPort) {
      peers.putAll(idToHostPort);
      return this;
    }

    public Builder groupName(String name) {
      this.groupName = name;
      return this;
    }

    public Builder batch(RaftWriteBatcher.Options options) {
      this.batch = options;
      return this;
    }

    public Builder tick(Duration tick) {
      this.tick = tick;
      return this;
    }

    public Builder snapshotThreshold(long entries) {
      this.snapshotThreshold = entries;
      return this;
    }

    public Builder electionTimeout(Duration min, Duration max) {
      this.electionTimeoutMin = min;
      this.electionTimeoutMax = max;
      return this;
    }

    public Builder readLease(boolean enabled) {
      this.readLease = enabled;
      return this;
    }

    public Builder joining(boolean joining) {
      this.joining = joining;
      return this;
    }

    public Builder raftProperty(String key, String value) {
      raftProperties.put(key, value);
      return this;
    }

    public Builder clock(LongSupplier clockMs) {
      this.clockMs = clockMs;
      return this;
    }

    public RaftNodeConfig build() {
      return new RaftNodeConfig(nodeId, peers, dataDir, groupName, batch, tick, snapshotThreshold,
          electionTimeoutMin, electionTimeoutMax, readLease, joining, raftProperties, clockMs);
    }
  }
}

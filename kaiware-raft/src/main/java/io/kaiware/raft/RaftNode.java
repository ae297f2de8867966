package io.kaiware.raft;

import io.kaiware.command.CommandTable;
import io.kaiware.command.ServerHooks;
import io.kaiware.engine.Keyspace;
import io.kaiware.raft.LogEntryCodec.Request;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a replicated Kaiware group: a Ratis server running a {@link KaiwareStateMachine},
 * fed by a {@link RaftWriteBatcher}. This is the whole API the network server needs:
 *
 * <ul>
 *   <li>{@link #submitWrite} / {@link #submit}: a write (or a MULTI ... EXEC block) goes through the
 *       log; the future yields its RESP reply once the entry is committed (fsynced on a majority)
 *       and applied. Fails with {@link io.kaiware.raft.NotLeaderException} on a follower.</li>
 *   <li>{@link #read}: a read-only command, {@link ReadConsistency#LINEARIZABLE} (ReadIndex, or the
 *       leader's lease when configured) or {@link ReadConsistency#STALE} (any replica, local).</li>
 *   <li>{@link #isLeader}, {@link #leaderId}, {@link #leaderAddress}: for redirects
 *       ({@code MOVED}, {@code -READONLY}) and a follower proxy.</li>
 *   <li>{@link #transferLeadership}, {@link #addPeer}, {@link #removePeer}, {@link #snapshot}.</li>
 * </ul>
 *
 * <p>All calls are thread-safe and asynchronous; none blocks the caller. Futures complete on Ratis
 * threads: a Netty server should hop back to the connection's event loop before writing.
 *
 * <p>A one-node group (peers = this node only) is the embedded default: the same code path, a
 * durable log in {@code dataDir}, elected leader by itself at start.
 */
public final class RaftNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RaftNode.class);

  /** How fresh a read must be. */
  public enum ReadConsistency {
    /** Sees every write acknowledged before the read began (ReadIndex or leader lease); leader only. */
    LINEARIZABLE,
    /** This replica's state, however far behind; any replica, no network round. */
    STALE
  }

  private final RaftNodeConfig config;
  private final RaftPeerId peerId;
  private final RaftGroupId groupId;
  private final KaiwareStateMachine stateMachine;
  private final RaftServer server;
  private final RaftWriteBatcher batcher;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final ExecutorService ownedEngine;
  private final ScheduledExecutorService timer;
  private volatile boolean closed;
  /** Fsyncs, snapshots, leader changes and write batches, for INFO raft, /metrics and LATENCY. */
  private final RaftStats stats = new RaftStats();
  /** Ratis's log fsync timer, replaced by one that reports to {@link #stats} (null if impossible). */
  private final FsyncTimer fsyncTimer;

  private RaftNode(RaftNodeConfig config, Keyspace keyspace, CommandTable table, ServerHooks hooks,
      io.kaiware.command.Dispatcher dispatcher, Executor engine) throws IOException {
    this.config = config;
    this.peerId = RaftPeerId.valueOf(config.nodeId());
    this.groupId = groupId(config.groupName());
    this.probe = new LeadershipProbe(groupId, this::probeVoters);
    if (engine == null) {
      ownedEngine = Executors.newSingleThreadExecutor(
          Thread.ofPlatform().daemon().name("kaiware-raft-engine-" + config.nodeId()).factory());
      engine = ownedEngine;
    } else {
      ownedEngine = null;
    }
    this.stateMachine = dispatcher == null ? new KaiwareStateMachine(keyspace, table, hooks, engine)
        : new KaiwareStateMachine(keyspace, table, dispatcher, engine);
    this.stateMachine.clockMs(config.clockMs());
    this.stateMachine.stats(stats);
    this.fsyncTimer = FsyncTimer.install(org.apache.ratis.protocol.RaftGroupMemberId.valueOf(peerId, groupId),
        stats::fsynced);
    RaftGroup group = config.joining() ? RaftGroup.valueOf(groupId) : RaftGroup.valueOf(groupId, peers(config.peers()));
    try {
      this.server = RaftServer.newBuilder()
          .setServerId(peerId)
          .setGroup(group)
          .setStateMachine(stateMachine)
          .setProperties(properties(config))
          .setOption(RaftStorage.StartupOption.RECOVER)
          .build();
    } catch (IOException | RuntimeException e) {
      if (fsyncTimer != null) {
        fsyncTimer.close();
      }
      throw e;
    }
    this.batcher = new RaftWriteBatcher(this::submitEntry, config.clockMs(), stateMachine::logTimeMs,
        config.batch(), config.nodeId());
    this.batcher.stats(stats);
    this.timer = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("kaiware-raft-tick-" + config.nodeId()).factory());
  }

  /**
   * Starts a node. The keyspace must be empty: it is filled from the latest snapshot and the log.
   *
   * @param engine the engine executor (one task at a time, in order), or {@code null} for a
   *               dedicated thread; every keyspace access of the node runs there
   */
  public static RaftNode start(RaftNodeConfig config, Keyspace keyspace, CommandTable table, ServerHooks hooks,
      Executor engine) throws IOException {
    return start(config, keyspace, table, hooks, null, engine, "");
  }

  /**
   * Starts a node inside a network server: replicated commands run through the server's own
   * {@code dispatcher} (on {@code engine}, the server's engine loop), and {@code clientAddress} is
   * the RESP "host:port" this node tells its peers, so that followers can redirect clients to the
   * leader ({@code -MOVED}) and list every member in CLUSTER NODES.
   */
  public static RaftNode start(RaftNodeConfig config, Keyspace keyspace, CommandTable table, ServerHooks hooks,
      io.kaiware.command.Dispatcher dispatcher, Executor engine, String clientAddress) throws IOException {
    RaftNode node = new RaftNode(config, keyspace, table, hooks, dispatcher, engine);
    node.stateMachine.clientAddress(clientAddress);
    if (!clientAddress.isEmpty()) {
      node.clientAddresses.put(config.nodeId(), clientAddress);
    }
    try {
      node.server.start();
    } catch (IOException | RuntimeException e) {
      node.close();
      throw e;
    }
    long tickMs = Math.max(1, config.tick().toMillis());
    node.timer.scheduleWithFixedDelay(node::tickIfIdle, tickMs, tickMs, TimeUnit.MILLISECONDS);
    if (config.peers().size() > 1 || config.joining()) {
      node.directoryTimer.scheduleWithFixedDelay(node::refreshClientAddresses, 0, PEER_DIRECTORY_REFRESH_MS,
          TimeUnit.MILLISECONDS);
    }
    return node;
  }

  /** The Raft group id of a group name: every member derives the same one. */
  public static RaftGroupId groupId(String groupName) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("kaiware-raft-group:" + groupName).getBytes(StandardCharsets.UTF_8)));
  }

  private static List<RaftPeer> peers(Map<String, String> peers) {
    List<RaftPeer> list = new ArrayList<>();
    peers.forEach((id, address) -> list.add(peer(id, address, RaftPeerRole.FOLLOWER)));
    return list;
  }

  private static RaftPeer peer(String id, String address, RaftPeerRole role) {
    return RaftPeer.newBuilder().setId(id).setAddress(address).setStartupRole(role).build();
  }

  /** How long a node being added may stay silent before Ratis gives up adding it (see {@link #properties}). */
  static final long STAGING_TIMEOUT_MS = 15_000;

  /** Most log entries one AppendEntries call carries (see {@link #properties}). */
  static final int APPEND_ENTRIES_MAX = 512;

  /** How close to the commit index a node being added must be before it is given a vote (see {@link #properties}). */
  static final int STAGING_CATCHUP_GAP = 64;

  static RaftProperties properties(RaftNodeConfig c) {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(c.dataDir().toFile()));
    String address = c.address();
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    GrpcConfigKeys.Server.setPort(p, port);
    GrpcConfigKeys.Server.setHost(p, address.substring(0, address.lastIndexOf(':')));
    // Reads: ReadIndex by default; the lease skips its heartbeat round while the lease holds.
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, c.readLease());
    // Snapshots: automatic, and the log behind them is purged.
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, c.snapshotThreshold());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.max(1, Math.min(1024, c.snapshotThreshold() / 2)));
    // Durability is Ratis's default and is kept: the log is flushed and FileChannel.force()d before
    // the leader counts its own copy (raft.server.log.unsafe-flush.enabled=false,
    // raft.server.log.async-flush.enabled=false), and followers force before they acknowledge.
    // Ratis by default also logs a METADATA entry (the commit index) after commits, fsynced like any
    // other: at a few thousand writes a second, when batches are small, that is a second entry and
    // a second fsync per batch, on every member. Raft does not need the commit index on disk; a
    // restarted member learns it from the leader (or, alone, by committing its first entry of the
    // new term) and applies the log then. Off: RaftBenchmark at 2,500 SET/s, docs/benchmarks/raft.md.
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
    // The leader's appender otherwise waits at least 1 ms between two AppendEntries calls; new
    // entries should leave at once (Apache Ozone sets the same 0 ms).
    RaftServerConfigKeys.Log.Appender.setWaitTimeMin(p, TimeDuration.ZERO);
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(c.electionTimeoutMin().toMillis(), TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(c.electionTimeoutMax().toMillis(), TimeUnit.MILLISECONDS));
    // RAFT ADD: Ratis fails a configuration change when a node being staged has not answered for
    // the staging timeout, 3 x the maximum election timeout by default (1.8 s here). A node
    // catching up a snapshot and thousands of entries on a busy machine goes quiet that long (GC,
    // JIT warm-up, a slow fsync), and the change then fails though the node was progressing. The
    // bound only matters for a node that died while joining; keep it inside RAFT ADD's 20 s answer.
    RaftServerConfigKeys.setStagingTimeout(p, TimeDuration.valueOf(
        Math.max(STAGING_TIMEOUT_MS, 3 * c.electionTimeoutMax().toMillis()), TimeUnit.MILLISECONDS));
    // Ratis ends the staging once the new node is within the catch-up gap of the commit index (1,000
    // entries by default), then appends the configuration holding it and sends it requests that
    // start its election timer. Until the node has appended that configuration, the newest one it
    // holds leaves it out (it was never in one, or one removed it before), and Ratis closes a node
    // whose timer fires then (LeaderElection's NOT_IN_CONF). With a gap of 1,000 entries that window
    // spans several requests and, on a busy machine, an election timeout: RAFT ADD's node was closed
    // (LinearizabilityIT). A gap below APPEND_ENTRIES_MAX puts the configuration in the first
    // request that starts the timer.
    RaftServerConfigKeys.setStagingCatchupGap(p, STAGING_CATCHUP_GAP);
    // Entries are batches: let one carry the batch limit plus headroom.
    long maxEntry = Math.max(c.batch().maxBytes() * 2L, SizeInBytes.valueOf("4MB").getSize());
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(maxEntry + "B"));
    // ...and at most APPEND_ENTRIES_MAX entries per AppendEntries (Ratis: no count limit). Steady
    // state sends a few entries per call; this bounds catch-up calls. A restarted member thousands
    // of entries behind otherwise got one call of 2,000-39,000 entries, which a freshly started JVM
    // on a busy machine did not finish within the leader's 3 s request timeout: the leader
    // cancelled it and sent it again, and between the two the member's election timer fired. A
    // member that had once been removed and re-added holds its removal among those entries, and
    // Ratis closes a member whose timer fires while its newest configuration leaves it out
    // (LinearizabilityIT, docs/benchmarks/raft.md).
    RaftServerConfigKeys.Log.Appender.setBufferElementLimit(p, APPEND_ENTRIES_MAX);
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf((maxEntry * 2) + "B"));
    // The log's in-memory cache. Ratis keeps every entry of the open segment and of up to 6 closed
    // segments of 32 MB on the heap; an entry of a few small writes is ~100 B on disk but ~500 B as
    // objects, so at 2,500 SET/s the defaults held ~130 MB more live heap every minute for many
    // minutes (found with /debug/heap?diff, docs/benchmarks/soak.md). Small segments, and at most
    // two closed ones cached, bound it to tens of MB; a lagging follower reads older entries from
    // disk instead. A segment must still hold the largest entry.
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(Math.max(8L << 20, maxEntry * 2) + "B"));
    RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, 2);
    RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SizeInBytes.valueOf("32MB"));
    // Ratis's retry cache keeps every request's reply for its expiry time (60 s by default: ~74,000
    // replies at 2,500 unpipelined SETs a second) so that a client that resends a request gets the
    // first reply instead of a second execution. Our requests are submitted in-process with a fresh
    // call id and never resent through Ratis (a follower proxies over RESP, and an error after
    // submission is reported as indeterminate, not retried), so a short expiry only bounds memory.
    RaftServerConfigKeys.RetryCache.setExpiryTime(p, TimeDuration.valueOf(10, TimeUnit.SECONDS));
    c.raftProperties().forEach(p::set);
    return p;
  }

  // ---------------------------------------------------------------- writes

  /** Replicates one write command run in database {@code db}; the future yields its RESP reply. */
  public CompletableFuture<byte[]> submitWrite(int db, int protocol, byte[][] command) {
    return submit(Request.of(db, protocol, command));
  }

  /**
   * Replicates one request: its commands run in order in one session starting in its database,
   * with nothing else in between (a MULTI ... EXEC block). The reply is every command's RESP reply
   * concatenated.
   */
  public CompletableFuture<byte[]> submit(Request request) {
    if (closed) {
      return CompletableFuture.failedFuture(new ReplicationException("closed"));
    }
    if (!isLeader()) {
      return CompletableFuture.failedFuture(notLeader());
    }
    return batcher.submit(request);
  }

  private CompletableFuture<ByteBuffer> submitEntry(byte[] entry) {
    RaftClientRequest request = newRequest(entry, RaftClientRequest.writeRequestType());
    return send(request);
  }

  private RaftClientRequest newRequest(byte[] message, RaftClientRequest.Type type) {
    return RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setServerId(peerId)
        .setGroupId(groupId)
        .setCallId(callIds.incrementAndGet())
        .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(message)))
        .setType(type)
        .build();
  }

  private CompletableFuture<ByteBuffer> send(RaftClientRequest request) {
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = server.submitClientRequestAsync(request);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new ReplicationException("submit failed", e));
    }
    return reply.thenApply(r -> {
      if (!r.isSuccess()) {
        throw new CompletionException(toException(r));
      }
      return r.getMessage().getContent().asReadOnlyByteBuffer();
    });
  }

  private ReplicationException toException(RaftClientReply reply) {
    NotLeaderException nle = reply.getNotLeaderException();
    if (nle != null) {
      RaftPeer suggested = nle.getSuggestedLeader();
      return suggested == null ? new io.kaiware.raft.NotLeaderException(null, null)
          : new io.kaiware.raft.NotLeaderException(suggested.getId().toString(), suggested.getAddress());
    }
    RaftException e = reply.getException();
    return new ReplicationException(e == null ? "request failed" : e.getMessage(), e);
  }

  private io.kaiware.raft.NotLeaderException notLeader() {
    String leader = leaderId();
    return new io.kaiware.raft.NotLeaderException(leader, leader == null ? null : leaderAddress());
  }

  /** On the leader, appends a tick entry when nothing was submitted for a tick interval. */
  private void tickIfIdle() {
    try {
      if (closed || !isLeader()) {
        return;
      }
      long idleNanos = System.nanoTime() - batcher.lastSubmitNanos();
      if (idleNanos >= config.tick().toNanos()) {
        batcher.tick();
      }
    } catch (RuntimeException e) {
      log.debug("tick failed", e);
    }
  }

  // ---------------------------------------------------------------- reads

  /** Runs a read-only command; the future yields its RESP reply. */
  public CompletableFuture<byte[]> read(int db, int protocol, byte[][] command, ReadConsistency consistency) {
    if (closed) {
      return CompletableFuture.failedFuture(new ReplicationException("closed"));
    }
    byte[] message = LogEntryCodec.encode(0, List.of(Request.of(db, protocol, command)));
    if (consistency == ReadConsistency.STALE) {
      return queryApplied(message);
    }
    if (isSingleVoter() || (config.readLease() && commitIndex() > commitIndexAtLastReadIndex.get())) {
      // A single voter cannot be deposed. The lease (when configured) answers at once while a majority
      // acknowledged heartbeats sent within its timeout, else Ratis's ReadIndex runs a round, which is
      // sound only when the commit index moved past the mark (see commitIndexAtLastReadIndex).
      return send(newRequest(message, RaftClientRequest.readRequestType())).thenApply(reply -> {
        commitIndexAtLastReadIndex.accumulateAndGet(commitIndex(), Math::max);
        return single(reply);
      });
    }
    // ReadIndex: the commit index when the read arrived, then a round of questions sent after it
    // arrived that proves this node still led (LeadershipProbe); once that index is applied, the
    // state holds every write acknowledged before the read arrived.
    long term = currentTerm();
    long readIndex = commitIndex();
    if (!isLeader()) {
      return CompletableFuture.failedFuture(notLeader());
    }
    return probe.confirm(term).handle((proven, failure) -> failure == null)
        .thenCompose(proven -> proven && currentTerm() == term && isLeader()
            ? stateMachine.whenApplied(readIndex).thenCompose(applied -> queryApplied(message))
            : readAfterTick(message));
  }

  /**
   * A read proven by a tick entry: one of this term, appended after the read arrived; once it is
   * committed and applied, so is every write acknowledged before the read arrived. What a read does
   * when the {@link LeadershipProbe} proves nothing (a follower down and another slow, a
   * configuration in transition, leadership lost: then the tick fails as a write would).
   */
  private CompletableFuture<byte[]> readAfterTick(byte[] message) {
    readTicks.incrementAndGet();
    return batcher.tick().thenCompose(ignored -> {
      commitIndexAtLastReadIndex.accumulateAndGet(commitIndex(), Math::max);
      return queryApplied(message);
    });
  }

  /** Who votes, for the {@link LeadershipProbe}: {@code null} in joint consensus or when this node has no vote. */
  private LeadershipProbe.Voters probeVoters() {
    try {
      var conf = server.getDivision(groupId).getRaftConf();
      if (!conf.getPreviousPeers().isEmpty()) {
        return null;
      }
      var voters = conf.getCurrentPeers();
      if (voters.stream().noneMatch(p -> p.getId().equals(peerId))) {
        return null;
      }
      List<RaftPeer> followers = voters.stream().filter(p -> !p.getId().equals(peerId)).toList();
      return new LeadershipProbe.Voters(followers, voters.size() / 2 + 1);
    } catch (IOException e) {
      return null;
    }
  }

  /** Local and immediate: the state this replica has applied (minIndex 0 never waits). */
  private CompletableFuture<byte[]> queryApplied(byte[] message) {
    return stateMachine.query(Message.valueOf(UnsafeByteOperations.unsafeWrap(message)))
        .thenApply(m -> single(m.getContent().asReadOnlyByteBuffer()));
  }

  /**
   * The commit index when a ReadIndex read last completed: at least Ratis's {@code ackedCommitIndex}.
   *
   * <p>Ratis 3.3's ReadIndex skips its heartbeat round when the commit index has not moved past the
   * highest one a previous round confirmed ({@code ReadIndexHeartbeats}: "commitIndex <=
   * ackedCommitIndex" completes at once). That round may be long past: a leader frozen for seconds
   * (SIGSTOP, a stalled VM) that wakes up still believing it leads, with no new commit since its
   * last round, answered a read from before writes another leader had acknowledged meanwhile
   * (LinearizabilityIT found it: a read returned a value overwritten 8 ms before the read began).
   * Raft's ReadIndex needs a round of heartbeats after the read arrived. So {@link #read} makes its
   * own round ({@link LeadershipProbe}) and uses Ratis's only for a single voter, or for the lease
   * while the commit index moves past this mark.
   */
  private final AtomicLong commitIndexAtLastReadIndex = new AtomicLong(-1);

  /** Linearizable reads that fell back to {@link #readAfterTick} (INFO raft). */
  private final AtomicLong readTicks = new AtomicLong();

  /** Proves leadership for linearizable reads on a leader with followers (see {@link #read}). */
  private final LeadershipProbe probe;

  private static byte[] single(ByteBuffer replies) {
    try {
      return LogEntryCodec.decodeReplies(replies).get(0);
    } catch (LogEntryCodec.CorruptEntryException | IndexOutOfBoundsException e) {
      throw new ReplicationException("undecodable read reply", e);
    }
  }

  // ---------------------------------------------------------------- membership and roles

  public String id() {
    return config.nodeId();
  }

  private DivisionInfo info() {
    try {
      return server.getDivision(groupId).getInfo();
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether this node is the leader and ready to serve (its first entry of the term is committed). */
  public boolean isLeader() {
    DivisionInfo i = info();
    return i != null && i.isLeader() && i.isLeaderReady();
  }

  /** The leader this node knows of, or {@code null} during an election. */
  public String leaderId() {
    DivisionInfo i = info();
    RaftPeerId leader = i == null ? null : i.getLeaderId();
    return leader == null ? null : leader.toString();
  }

  /** The Raft address of the leader, or {@code null}. */
  public String leaderAddress() {
    String leader = leaderId();
    if (leader == null) {
      return null;
    }
    try {
      RaftPeer p = server.getDivision(groupId).getRaftConf().getPeer(RaftPeerId.valueOf(leader));
      return p == null ? config.peers().get(leader) : p.getAddress();
    } catch (IOException e) {
      return config.peers().get(leader);
    }
  }

  /**
   * Ratis's role of this node: LEADER, FOLLOWER or CANDIDATE (a listener reports FOLLOWER here;
   * see {@link #listenerIds()}).
   */
  public String role() {
    DivisionInfo i = info();
    return i == null ? "UNKNOWN" : i.getCurrentRole().name();
  }

  /** The current members, id -> address, voting members and listeners alike. */
  public Map<String, String> members() {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    try {
      var conf = server.getDivision(groupId).getRaftConf();
      for (RaftPeer p : conf.getAllPeers(RaftPeerRole.FOLLOWER)) {
        m.put(p.getId().toString(), p.getAddress());
      }
      for (RaftPeer p : conf.getAllPeers(RaftPeerRole.LISTENER)) {
        m.put(p.getId().toString(), p.getAddress());
      }
    } catch (IOException e) {
      // not started
    }
    return m;
  }

  /** The ids of the non-voting listeners in this node's view of the configuration. */
  public java.util.Set<String> listenerIds() {
    java.util.Set<String> ids = new java.util.LinkedHashSet<>();
    try {
      server.getDivision(groupId).getRaftConf().getAllPeers(RaftPeerRole.LISTENER)
          .forEach(p -> ids.add(p.getId().toString()));
    } catch (IOException e) {
      // not started
    }
    return ids;
  }

  /** Asks the leader (this node) to hand leadership to {@code newLeaderId}. */
  public CompletableFuture<Void> transferLeadership(String newLeaderId, Duration timeout) {
    TransferLeadershipRequest r = new TransferLeadershipRequest(clientId, peerId, groupId, callIds.incrementAndGet(),
        RaftPeerId.valueOf(newLeaderId), timeout.toMillis());
    try {
      return admin(server.transferLeadershipAsync(r));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Adds a member (on the leader). With {@code asListener} the node joins as a non-voting listener
   * that receives the log (and a snapshot) without counting for quorum; promote it later with
   * {@code addPeer(id, address, false)} once it has caught up. The new node must have been started
   * with {@link RaftNodeConfig#joining()}.
   */
  public CompletableFuture<Void> addPeer(String id, String address, boolean asListener) {
    if (holdsStaleLinkTo(id)) {
      return handOffForStaleLink(id);
    }
    return changeMembers(members -> {
      members.voters.remove(id);
      members.listeners.remove(id);
      (asListener ? members.listeners : members.voters).put(id, address);
    });
  }

  /**
   * Whether this leader still runs a log appender to {@code id} although its configuration holds no
   * such member. Ratis 3.3 can leave one behind when a removal commits across a change of leader
   * (LinearizabilityIT). Such a link breaks a re-add of that id: Ratis refuses the new
   * configuration ("Found duplicated element", then bare IllegalStateExceptions), and the link
   * treats the empty new node as a caught-up follower, which starts its election timer early and
   * gets it closed (see {@link #onShutDownByGroup}). A new leader builds its appenders from the
   * configuration, so handing leadership over drops the link.
   */
  private boolean holdsStaleLinkTo(String id) {
    if (!followerMatchIndexes().containsKey(id)) {
      return false;
    }
    try {
      var conf = server.getDivision(groupId).getRaftConf();
      RaftPeerId peer = RaftPeerId.valueOf(id);
      return conf.getPeer(peer, RaftPeerRole.FOLLOWER, RaftPeerRole.LISTENER) == null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Answers a RAFT ADD refused for a stale link (see {@link #holdsStaleLinkTo}) and hands leadership on. */
  private CompletableFuture<Void> handOffForStaleLink(String id) {
    Map<String, Long> match = followerMatchIndexes();
    String successor = null;
    long best = -1;
    try {
      for (RaftPeer p : server.getDivision(groupId).getRaftConf().getAllPeers(RaftPeerRole.FOLLOWER)) {
        String other = p.getId().toString();
        long index = match.getOrDefault(other, -1L);
        if (!other.equals(config.nodeId()) && !other.equals(id) && index > best) {
          successor = other;
          best = index;
        }
      }
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new ReplicationException("not started", e));
    }
    String why = "this leader still replicates to " + id + ", which its configuration no longer holds (a link Ratis "
        + "left behind when " + id + " was removed)";
    if (successor == null) {
      return CompletableFuture.failedFuture(new ReplicationException(why + "; no other voter to hand leadership to"));
    }
    log.warn("{}: RAFT ADD {}: {}; handing leadership to {} to drop it", config.nodeId(), id, why, successor);
    String to = successor;
    return transferLeadership(to, Duration.ofSeconds(5)).handle((ok, e) -> {
      throw new CompletionException(new ReplicationException(why + "; leadership "
          + (e == null ? "handed to " + to : "could not be handed to " + to + " (" + e.getMessage() + ")")
          + ": run RAFT ADD again on the leader"));
    });
  }

  /** Removes a member (on the leader). */
  public CompletableFuture<Void> removePeer(String id) {
    return changeMembers(members -> {
      members.voters.remove(id);
      members.listeners.remove(id);
    });
  }

  private static final class Members {
    final Map<String, String> voters = new java.util.LinkedHashMap<>();
    final Map<String, String> listeners = new java.util.LinkedHashMap<>();
  }

  /**
   * Submits a new configuration. A failure once this node, leading, has taken the change may not
   * be final: the configuration entry can be in the log already, and a later leader commits it
   * (seen in LinearizabilityIT: RAFT REMOVE answered "not the leader" while the member was gone).
   * Such failures are reported as {@link #MAYBE_APPLIED}; refusals before (not the leader, a change
   * already in progress) stay what they are.
   */
  private CompletableFuture<Void> changeMembers(java.util.function.Consumer<Members> change) {
    boolean leadingAtSubmit = isLeader();
    return submitMembers(change).exceptionallyCompose(e -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (leadingAtSubmit && mayStillCommit(cause)) {
        return CompletableFuture.failedFuture(new ReplicationException(MAYBE_APPLIED + cause.getMessage()
            + " (check RAFT INFO)", cause));
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  /** Prefix of a configuration change's error when its outcome is unknown. */
  public static final String MAYBE_APPLIED = "the configuration change may or may not have been applied: ";

  /** Whether a failure of a configuration change submitted by the leader leaves its outcome open. */
  private static boolean mayStillCommit(Throwable cause) {
    if (cause instanceof io.kaiware.raft.NotLeaderException) {
      return true; // lost leadership after taking the change
    }
    Throwable ratis = cause instanceof ReplicationException && cause.getCause() != null ? cause.getCause() : cause;
    return ratis instanceof org.apache.ratis.protocol.exceptions.LeaderSteppingDownException
        || ratis instanceof org.apache.ratis.protocol.exceptions.AlreadyClosedException
        || ratis instanceof org.apache.ratis.protocol.exceptions.TimeoutIOException;
  }

  private CompletableFuture<Void> submitMembers(java.util.function.Consumer<Members> change) {
    Members m = new Members();
    try {
      var conf = server.getDivision(groupId).getRaftConf();
      conf.getAllPeers(RaftPeerRole.FOLLOWER).forEach(p -> m.voters.put(p.getId().toString(), p.getAddress()));
      conf.getAllPeers(RaftPeerRole.LISTENER).forEach(p -> m.listeners.put(p.getId().toString(), p.getAddress()));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new ReplicationException("not started", e));
    }
    change.accept(m);
    List<RaftPeer> voters = new ArrayList<>();
    m.voters.forEach((id, a) -> voters.add(peer(id, a, RaftPeerRole.FOLLOWER)));
    List<RaftPeer> listeners = new ArrayList<>();
    m.listeners.forEach((id, a) -> listeners.add(peer(id, a, RaftPeerRole.LISTENER)));
    SetConfigurationRequest r = new SetConfigurationRequest(clientId, peerId, groupId, callIds.incrementAndGet(),
        SetConfigurationRequest.Arguments.newBuilder().setServersInNewConf(voters).setListenersInNewConf(listeners)
            .build());
    try {
      return admin(server.setConfigurationAsync(r));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Takes a snapshot now (normally automatic every {@link RaftNodeConfig#snapshotThreshold()} entries). */
  public CompletableFuture<Long> snapshot() {
    // Creation gap 1: a snapshot unless nothing was applied since the latest one (Ratis's default
    // gap, 1,024 entries, would answer with an older snapshot's index).
    SnapshotManagementRequest r = SnapshotManagementRequest.newCreate(clientId, peerId, groupId,
        callIds.incrementAndGet(), 30_000, 1);
    long ticket = stateMachine.requestSynchronousSnapshot(); // the index answered must be on disk
    return server.snapshotManagementAsync(r)
        .whenComplete((reply, error) -> stateMachine.synchronousSnapshotAnswered(ticket))
        .thenApply(reply -> {
          if (!reply.isSuccess()) {
            throw new CompletionException(toException(reply));
          }
          return reply.getLogIndex();
        });
  }

  private CompletableFuture<Void> admin(CompletableFuture<RaftClientReply> f) {
    return f.thenApply(reply -> {
      if (!reply.isSuccess()) {
        throw new CompletionException(toException(reply));
      }
      return null;
    });
  }


  // ---------------------------------------------------------------- the peer directory

  /** How often a node asks its peers for their client (RESP) addresses while one is unknown. */
  static final long PEER_DIRECTORY_REFRESH_MS = 500;
  /** A known address is asked again this often (a peer may restart on another port). */
  static final long PEER_DIRECTORY_REVALIDATE_MS = 10_000;

  /** Member id -> its client (RESP) address, as that member reported it. */
  private final Map<String, String> clientAddresses = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile org.apache.ratis.client.RaftClient directoryClient;
  private final ScheduledExecutorService directoryTimer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("kaiware-raft-directory").factory());
  private volatile java.util.Set<String> directoryClientMembers = java.util.Set.of();
  private long lastRevalidateMs;

  /**
   * The client (RESP) address of member {@code id}, or {@code null} while it is unknown. Each member
   * reports its own (a stale read on that member: no log entry, nothing replicated), so Raft
   * addresses and client ports need not follow any convention.
   */
  public String clientAddressOf(String id) {
    return id == null ? null : clientAddresses.get(id);
  }

  /** Timer thread: asks peers whose client address is unknown (and every peer now and then). */
  private void refreshClientAddresses() {
    if (closed) {
      return;
    }
    try {
      Map<String, String> members = members();
      clientAddresses.keySet().retainAll(members.keySet());
      if (!stateMachine.clientAddress().isEmpty()) {
        clientAddresses.put(config.nodeId(), stateMachine.clientAddress());
      }
      long nowMs = System.currentTimeMillis();
      boolean revalidate = nowMs - lastRevalidateMs >= PEER_DIRECTORY_REVALIDATE_MS;
      if (revalidate) {
        lastRevalidateMs = nowMs;
      }
      for (String id : members.keySet()) {
        if (id.equals(config.nodeId()) || (!revalidate && clientAddresses.containsKey(id))) {
          continue;
        }
        // Blocking and unordered (the async API orders requests: one dead peer would hold up the
        // others); this runs on the directory thread, never on the tick timer.
        try {
          RaftClientReply reply = directoryClient(members).io().sendStaleRead(Message.valueOf(
              UnsafeByteOperations.unsafeWrap(new byte[] {KaiwareStateMachine.NODE_INFO_QUERY})), 0, RaftPeerId.valueOf(id));
          if (reply.isSuccess()) {
            String address = reply.getMessage().getContent().toStringUtf8();
            if (!address.isEmpty()) {
              clientAddresses.put(id, address);
            }
          }
        } catch (IOException | RuntimeException e) {
          log.debug("peer {} did not report its client address: {}", id, e.toString());
        }
      }
    } catch (RuntimeException e) {
      log.debug("peer directory refresh failed", e);
    }
  }

  private org.apache.ratis.client.RaftClient directoryClient(Map<String, String> members) {
    org.apache.ratis.client.RaftClient client = directoryClient;
    if (client != null && directoryClientMembers.equals(members.keySet())) {
      return client;
    }
    if (client != null) {
      try {
        client.close();
      } catch (IOException e) {
        log.debug("closing directory client", e);
      }
    }
    RaftProperties p = new RaftProperties();
    org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(2, TimeUnit.SECONDS));
    client = org.apache.ratis.client.RaftClient.newBuilder()
        .setProperties(p)
        .setRaftGroup(RaftGroup.valueOf(groupId, peers(members)))
        .setRetryPolicy(org.apache.ratis.retry.RetryPolicies.noRetry())
        .build();
    directoryClient = client;
    directoryClientMembers = java.util.Set.copyOf(members.keySet());
    return client;
  }

  // ---------------------------------------------------------------- Raft facts for INFO, ROLE, RAFT INFO

  /** Whether this node is the only voting member (no configuration change in progress). */
  public boolean isSingleVoter() {
    try {
      var conf = server.getDivision(groupId).getRaftConf();
      var voters = conf.getCurrentPeers();
      return voters.size() == 1 && voters.iterator().next().getId().equals(peerId) && conf.getPreviousPeers().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /** The current term, or -1 before start. */
  public long currentTerm() {
    DivisionInfo i = info();
    return i == null ? -1 : i.getCurrentTerm();
  }

  /** The commit index this node knows, or -1 before start. */
  public long commitIndex() {
    try {
      return server.getDivision(groupId).getRaftLog().getLastCommittedIndex();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The index of the last entry whose commands have executed here (the replication offset). */
  public long appliedIndex() {
    return stateMachine.engineAppliedIndex();
  }

  /** The leader's view of each follower's match index (id -> index); empty on a follower. */
  public Map<String, Long> followerMatchIndexes() {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    try {
      var division = server.getDivision(groupId);
      var role = division.getInfo().getRoleInfoProto();
      long[] match = division.getInfo().getFollowerMatchIndices();
      if (role.hasLeaderInfo() && match != null) {
        // Ratis lists followers and their match indexes from the same appender list, in one order.
        var followers = role.getLeaderInfo().getFollowerInfoList();
        for (int i = 0; i < followers.size() && i < match.length; i++) {
          out.put(followers.get(i).getId().getId().toStringUtf8(), match[i]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not started
    }
    return out;
  }

  /**
   * On the leader: how many followers it heard from within {@code maxElapsedMs} (min-replicas-to-write
   * counts them as good replicas); 0 on a follower.
   */
  public int followersHeardWithin(long maxElapsedMs) {
    try {
      var role = server.getDivision(groupId).getInfo().getRoleInfoProto();
      if (!role.hasLeaderInfo()) {
        return 0;
      }
      int n = 0;
      for (var follower : role.getLeaderInfo().getFollowerInfoList()) {
        if (follower.getLastRpcElapsedTimeMs() <= maxElapsedMs) {
          n++;
        }
      }
      return n;
    } catch (IOException | RuntimeException e) {
      return 0; // not started
    }
  }

  // ---------------------------------------------------------------- observability

  /** Counters and listeners of fsyncs, snapshots and batches (LATENCY events and the delay warning hook in here). */
  public RaftStats stats() {
    return stats;
  }

  /** Whether log fsyncs are being timed (Ratis's log worker records into {@link FsyncTimer}). */
  public boolean fsyncTimed() {
    return fsyncTimer != null && fsyncTimer.hooked();
  }

  /** Everything INFO raft, /metrics and /ready show about this member, read now. */
  public io.kaiware.command.replication.RaftStatus status() {
    String leader = leaderId();
    int voters = 0;
    io.kaiware.command.replication.RaftStatus.Log logStatus = io.kaiware.command.replication.RaftStatus.Log.EMPTY;
    try {
      var division = server.getDivision(groupId);
      voters = division.getRaftConf().getCurrentPeers().size();
      logStatus = logStatus(division);
    } catch (IOException | RuntimeException e) {
      // not started, or closing
    }
    String role = listenerIds().contains(config.nodeId()) ? "LISTENER" : role();
    return new io.kaiware.command.replication.RaftStatus(config.nodeId(), role, isLeader(), currentTerm(), leader,
        clientAddressOf(leader), voters, commitIndex(), appliedIndex(), logStatus, snapshotStatus(),
        stats.fsyncDistribution(), stats.batches(), stats.leaderChanges(), stateMachine.snapshotsInstalled(),
        probe.rounds(), readTicks.get());
  }

  private static io.kaiware.command.replication.RaftStatus.Log logStatus(org.apache.ratis.server.RaftServer.Division division) {
    var raftLog = division.getRaftLog();
    long first = raftLog.getStartIndex();
    var lastEntry = raftLog.getLastEntryTermIndex();
    long last = lastEntry == null ? -1 : lastEntry.getIndex();
    long entries = last < 0 || first < 0 || last < first ? 0 : last - first + 1;
    long bytes = 0;
    int files = 0;
    java.io.File[] segments = division.getRaftStorage().getStorageDir().getCurrentDir()
        .listFiles((dir, name) -> name.startsWith("log_"));
    if (segments != null) {
      for (java.io.File f : segments) {
        bytes += f.length();
        files++;
      }
    }
    return new io.kaiware.command.replication.RaftStatus.Log(last < 0 ? -1 : first, last, entries, bytes, files);
  }

  private io.kaiware.command.replication.RaftStatus.Snapshot snapshotStatus() {
    var info = stateMachine.getLatestSnapshot();
    if (info == null) {
      return new io.kaiware.command.replication.RaftStatus.Snapshot(-1, -1, 0, 0, stats.snapshotsTaken(),
          stats.lastSnapshotNanos(), stats.lastSnapshotCutNanos());
    }
    long bytes = 0;
    long timeMs = 0;
    if (info instanceof org.apache.ratis.statemachine.impl.FileListSnapshotInfo files && !files.getFiles().isEmpty()) {
      java.io.File f = files.getFiles().get(0).getPath().toFile();
      bytes = f.length();
      timeMs = f.lastModified();
    }
    return new io.kaiware.command.replication.RaftStatus.Snapshot(info.getIndex(), info.getTerm(), timeMs, bytes,
        stats.snapshotsTaken(), stats.lastSnapshotNanos(), stats.lastSnapshotCutNanos());
  }

  // ---------------------------------------------------------------- state

  public KaiwareStateMachine stateMachine() {
    return stateMachine;
  }

  /** The dataset digest of this replica with the log index it reflects. */
  public CompletableFuture<KaiwareStateMachine.StateDigest> digest() {
    return stateMachine.digest();
  }

  /** Entries and requests submitted by this node's batcher (while it was leader). */
  public long batchesSubmitted() {
    return batcher.batches();
  }

  public long requestsSubmitted() {
    return batcher.requests();
  }

  public RaftNodeConfig config() {
    return config;
  }

  /**
   * Registers what runs when Ratis shuts this member's division down without {@link #close} being
   * called. Mostly the member is not in the configuration: removed by RAFT REMOVE, it either
   * campaigns and its peers answer with Ratis's shouldShutdown, or its election timer fires while
   * the newest configuration it holds leaves it out (Ratis's LeaderElection result NOT_IN_CONF
   * closes the server). The second also strikes a voter whose data was wiped while the group still
   * held it: caught up as an existing follower, it passes through older log entries, among them the
   * configuration that had once removed it. So never wipe a member that RAFT INFO still lists.
   * Ratis also closes the division when its state machine updater fails. Either way the member
   * serves nothing and cannot be added back while it runs: the server stops, as an etcd member
   * removed from its cluster does. Ratis thread.
   */
  public void onShutDownByGroup(Runnable listener) {
    stateMachine.onClose(() -> {
      if (!closed) {
        log.error("{}: Ratis shut this member's Raft division down: it is not in the group's configuration (removed, "
            + "or re-added while a configuration without it was committing), or its state machine failed (an error "
            + "above says so). Stopping. To bring it back as a member: start it with an empty --dir and --raft-join "
            + "yes, then RAFT ADD it on the leader.", config.nodeId());
        listener.run();
      }
    });
  }

  /** Stops the node: pending writes fail; Ratis closes its log (and may snapshot on the way out). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    directoryTimer.shutdownNow();
    batcher.close();
    probe.close();
    org.apache.ratis.client.RaftClient client = directoryClient;
    if (client != null) {
      try {
        client.close();
      } catch (IOException | RuntimeException e) {
        log.debug("closing directory client", e);
      }
    }
    try {
      server.close();
    } catch (IOException | RuntimeException e) {
      log.warn("closing raft server {} failed", config.nodeId(), e);
    }
    if (fsyncTimer != null) {
      fsyncTimer.close();
    }
    if (ownedEngine != null) {
      ownedEngine.shutdown();
      try {
        ownedEngine.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "RaftNode[" + config.nodeId() + " " + role() + "]";
  }
}

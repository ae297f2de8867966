package io.kaiware.command.replication;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What ROLE, INFO replication, CLUSTER and RAFT need to know about the Raft group this server is a
 * member of. Implemented by kaiware-server over {@code RaftNode}; {@code null} from
 * {@link io.kaiware.command.ServerHooks#replication()} when the server is not replicated
 * (non-durable cache mode, command tests) — then the server is a master on its own.
 *
 * <p>Every method is safe to call from the engine thread and returns at once.
 */
public interface ReplicationView {

  /** This member's id ("n1"). */
  String nodeId();

  /** Ratis's role: LEADER, FOLLOWER, CANDIDATE, LISTENER (or UNKNOWN before start). */
  String role();

  /** Whether this node is the leader and ready (an entry of its own term has committed). */
  boolean isReadyLeader();

  /** The leader's id as this node knows it, or {@code null} during an election. */
  String leaderId();

  /** Every member, voting and listener: id -> Raft address. */
  Map<String, String> members();

  /** Whether {@code id} is a non-voting listener. */
  boolean isListener(String id);

  /** The client (RESP) "host:port" of member {@code id}, or {@code null} while unknown. */
  String clientAddressOf(String id);

  long term();

  long commitIndex();

  /** Index of the last entry applied to this node's dataset: the replication offset. */
  long appliedIndex();

  /** The log time of the last applied entry (ms since the epoch). */
  long logTimeMs();

  /** On the leader: each follower's match index; empty elsewhere. */
  Map<String, Long> followerMatchIndexes();

  /** The server's read-consistency setting (linearizable, lease, stale). */
  String readConsistency();

  /** RAFT ADD: adds {@code id} at Raft address {@code address} (as a listener first when asked). */
  CompletableFuture<Void> addMember(String id, String address, boolean asListener);

  /** RAFT REMOVE. */
  CompletableFuture<Void> removeMember(String id);

  /** RAFT TRANSFER. */
  CompletableFuture<Void> transferLeadership(String id);

  /** RAFT SNAPSHOT: the index of the snapshot taken. */
  CompletableFuture<Long> snapshot();

  /**
   * INFO raft, /metrics and /ready: where this member stands (log, snapshot, fsync, batches), or
   * {@code null} when the implementation does not know. Cheap enough for every scrape.
   */
  default RaftStatus raftStatus() {
    return null;
  }
}

package io.kaiware.raft;

/**
 * This node is not the leader: nothing was submitted. {@link #leaderId()} and
 * {@link #leaderAddress()} name the leader this node believes in, when it knows one — what a
 * server needs to answer {@code MOVED}, redirect or proxy.
 */
public final class NotLeaderException extends ReplicationException {
  private final String leaderId;
  private final String leaderAddress;

  public NotLeaderException(String leaderId, String leaderAddress) {
    super("not the leader" + (leaderId == null ? "; no leader known" : "; leader is " + leaderId + " at " + leaderAddress));
    this.leaderId = leaderId;
    this.leaderAddress = leaderAddress;
  }

  /** The leader's node id, or {@code null} when none is known (an election is in progress). */
  public String leaderId() {
    return leaderId;
  }

  /** The leader's Raft address (host:port), or {@code null}. */
  public String leaderAddress() {
    return leaderAddress;
  }
}

package io.kaiware.command.replication;

/**
 * Whether this server follows a Redis master (REPLICAOF host port), and how its link to that master
 * stands: what INFO replication, ROLE and the dispatcher's admission checks (READONLY, MASTERDOWN)
 * read. The link itself (kaiware-server's {@code MasterLink}) writes the link fields from its own
 * thread; every field is volatile and each is read on its own.
 *
 * <p>Following is this server's own state, as it is in Redis: it is not in the dataset, not in the
 * Raft log and not in snapshots. On a replicated group only the leader follows (REPLICAOF is
 * refused elsewhere), and what the master sends reaches the other members through the log.
 */
public final class ReplicaRole {

  /** Redis's repl_state as ROLE names it. */
  public enum LinkState {
    /** Not connected; the next attempt is due. */
    CONNECT("connect"),
    /** Connecting and shaking hands. */
    CONNECTING("connecting"),
    /** Receiving or loading the master's copy. */
    SYNC("sync"),
    /** Receiving the master's stream. */
    CONNECTED("connected");

    private final String redisName;

    LinkState(String redisName) {
      this.redisName = redisName;
    }

    /** The word ROLE answers ("connect", "connecting", "sync", "connected"). */
    public String redisName() {
      return redisName;
    }
  }

  /** The master followed; {@code null}: this server is a master. */
  private volatile Master master;
  private volatile LinkState linkState = LinkState.CONNECT;
  /** Bytes of the master's stream applied (slave_repl_offset), from the offset its +FULLRESYNC gave. */
  private volatile long offset;
  /** When data last came from the master (ms), or 0 if never on this link. */
  private volatile long lastIoMs;
  /** When the link last went down (ms): master_link_down_since_seconds. */
  private volatile long linkDownSinceMs;

  /** A master's address; a new one for every REPLICAOF, so a link can tell that it was replaced. */
  public record Master(String host, int port) {}

  /** The master followed, or {@code null} when this server is a master. */
  public Master master() {
    return master;
  }

  /** Whether this server follows a Redis master. */
  public boolean following() {
    return master != null;
  }

  /** Starts following the master at {@code host:port}; the link begins in CONNECT. */
  public void follow(String host, int port, long nowMs) {
    linkState = LinkState.CONNECT;
    offset = 0;
    lastIoMs = 0;
    linkDownSinceMs = nowMs;
    master = new Master(host, port);
  }

  /** Puts back {@code previous} (null: a master) after a REPLICAOF the host refused. */
  public void restore(Master previous) {
    master = previous;
  }

  /** Stops following: this server is a master again (REPLICAOF NO ONE). */
  public void unfollow() {
    master = null;
    linkState = LinkState.CONNECT;
  }

  public LinkState linkState() {
    return linkState;
  }

  /** Whether the link is up and past the copy: Redis's repl_state == REPL_STATE_CONNECTED. */
  public boolean linkUp() {
    return linkState == LinkState.CONNECTED;
  }

  /** The link's thread: its state changed. Going down records when (master_link_down_since_seconds). */
  public void linkState(LinkState state, long nowMs) {
    if (linkState == LinkState.CONNECTED && state != LinkState.CONNECTED) {
      linkDownSinceMs = nowMs;
    }
    linkState = state;
  }

  public long offset() {
    return offset;
  }

  public void offset(long offset) {
    this.offset = offset;
  }

  public long lastIoMs() {
    return lastIoMs;
  }

  public void lastIoMs(long ms) {
    lastIoMs = ms;
  }

  public long linkDownSinceMs() {
    return linkDownSinceMs;
  }
}

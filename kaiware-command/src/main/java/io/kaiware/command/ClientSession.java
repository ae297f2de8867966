package io.kaiware.command;

import io.kaiware.command.transaction.Transaction;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of one client connection that commands read and change: selected database, protocol
 * version, authentication, names. Owned by the engine thread; the I/O side only reads the
 * {@code volatile} fields it needs (protocol version for encoding, closing flags).
 */
public final class ClientSession {

  /** CLIENT REPLY modes. */
  public enum ReplyMode { ON, OFF, SKIP }

  private static final AtomicLong NEXT_ID = new AtomicLong(1);

  private final long id = NEXT_ID.getAndIncrement();
  private final String remoteAddress;
  private final String localAddress;
  private final long createdAtMs;
  private volatile int protocol = 2;
  private volatile boolean authenticated;
  private volatile boolean closeAfterReply;
  private volatile String name = "";
  private volatile String libName = "";
  private volatile String libVersion = "";
  private volatile String user = "default";
  private volatile int db;
  private volatile long lastInteractionMs;
  private volatile String lastCommand = "NULL";
  private ReplyMode replyMode = ReplyMode.ON;
  private boolean skipNextReply;
  private volatile boolean noEvict;
  private volatile boolean noTouch;
  private volatile boolean readOnlyMode;
  private final Transaction transaction = new Transaction();

  public ClientSession(String remoteAddress, String localAddress, long createdAtMs, boolean authenticated) {
    this.remoteAddress = remoteAddress;
    this.localAddress = localAddress;
    this.createdAtMs = createdAtMs;
    this.lastInteractionMs = createdAtMs;
    this.authenticated = authenticated;
  }

  private boolean logApplier;
  private int executingQueued;

  /** Whether the command now running is one EXEC runs from its queue (Redis's CLIENT_MULTI during EXEC). */
  public boolean executingQueued() {
    return executingQueued > 0;
  }

  void enterQueued() {
    executingQueued++;
  }

  void leaveQueued() {
    executingQueued--;
  }

  /** Marks the session that applies committed log entries: admission checks (maxmemory) do not apply. */
  public void markLogApplier() {
    logApplier = true;
  }

  /** Whether this session applies the log rather than serving a client. */
  public boolean logApplier() {
    return logApplier;
  }

  /** How a script run as a probe ended ({@link #scriptProbe}). */
  public enum ProbeEnd {
    /** It completed, failed or was killed, having changed nothing: its reply is final. */
    COMPLETED,
    /** It stopped at its first write, with nothing changed: the log must run it. */
    NEEDS_LOG,
    /**
     * It stopped, with nothing changed, because it outlasted the first check of its count hook
     * inside the engine thread's I/O pass, where it could not serve other clients were it to run
     * past busy-reply-threshold: it must run again from a task.
     */
    NEEDS_TASK
  }

  private boolean scriptProbe;
  private ProbeEnd probeEnd = ProbeEnd.COMPLETED;

  /**
   * Marks the next script this session runs as a probe (ADR 0006): it runs here, outside the log,
   * until it completes or calls its first command that writes; then it stops with nothing changed
   * and {@link #takeProbeEnd} says so, and the script goes to the log. A probe that completes was
   * a read; one killed (SCRIPT KILL) changed nothing, on this member or any other.
   */
  public void scriptProbe(boolean probe) {
    scriptProbe = probe;
  }

  public boolean scriptProbe() {
    return scriptProbe;
  }

  /** Set by the script engine when a probe stops short. */
  public void probeEnded(ProbeEnd end) {
    probeEnd = end;
  }

  /** How the last probe ended; resets to {@link ProbeEnd#COMPLETED}. */
  public ProbeEnd takeProbeEnd() {
    ProbeEnd end = probeEnd;
    probeEnd = ProbeEnd.COMPLETED;
    return end;
  }

  private boolean fromMaster;

  /**
   * Marks (or clears) this session as carrying the commands of the Redis master this server follows
   * (Redis's CLIENT_MASTER): they are obeyed without admission checks (READONLY, OOM ...) and are
   * propagated to this server's own replicas while it follows.
   */
  public void fromMaster(boolean fromMaster) {
    this.fromMaster = fromMaster;
  }

  /** Whether this session carries the followed master's commands. */
  public boolean fromMaster() {
    return fromMaster;
  }

  private volatile long replicaAckMs;

  /** A SYNC replica's REPLCONF ACK arrived at {@code nowMs} (min-replicas-max-lag counts from it). */
  public void replicaAck(long nowMs) {
    replicaAckMs = nowMs;
  }

  /** When this replica last sent REPLCONF ACK (ms), or 0. */
  public long replicaAckMs() {
    return replicaAckMs;
  }

  private boolean rerunOfParkedCommand;
  private boolean counted;

  /**
   * The command about to run was already counted (INFO commandstats calls) where a client sent it:
   * the MULTI that opens a logged block, counted by the member that queued it. Cleared by the
   * next command that runs.
   */
  public void alreadyCounted() {
    counted = true;
  }

  /** Whether the running command was counted already; clears the mark. */
  public boolean consumeAlreadyCounted() {
    boolean was = counted;
    counted = false;
    return was;
  }
  private boolean scriptsOverMaxmemory;

  /**
   * Set by the log applier for a request whose receiving node was over maxmemory: its scripts run
   * as if the server were over maxmemory when they started (ADR 0006). Cleared by {@link #reset}, like the re-run mark.
   */
  public void scriptsOverMaxmemory(boolean over) {
    scriptsOverMaxmemory = over;
  }

  public boolean scriptsOverMaxmemory() {
    return scriptsOverMaxmemory;
  }

  /**
   * Marks the commands run from now on as the re-run of a parked blocking command (BLPOP ...
   * woken by a push): Redis counts a blocked command as one call, so the re-run adds no call to
   * INFO commandstats — the first run counted it — while its failures still count.
   */
  public void rerunOfParkedCommand(boolean rerun) {
    rerunOfParkedCommand = rerun;
  }

  /** Whether the command running is the re-run of a parked blocking command. */
  public boolean rerunOfParkedCommand() {
    return rerunOfParkedCommand;
  }

  public long id() {
    return id;
  }

  public String remoteAddress() {
    return remoteAddress;
  }

  public String localAddress() {
    return localAddress;
  }

  public long createdAtMs() {
    return createdAtMs;
  }

  public int protocol() {
    return protocol;
  }

  public void setProtocol(int protocol) {
    this.protocol = protocol;
  }

  public boolean authenticated() {
    return authenticated;
  }

  public void setAuthenticated(boolean authenticated) {
    this.authenticated = authenticated;
  }

  /** Set by QUIT and CLIENT KILL: the connection closes once the pending replies are written. */
  public boolean closeAfterReply() {
    return closeAfterReply;
  }

  public void setCloseAfterReply() {
    this.closeAfterReply = true;
  }

  public String name() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String libName() {
    return libName;
  }

  public void setLibName(String libName) {
    this.libName = libName;
  }

  public String libVersion() {
    return libVersion;
  }

  public void setLibVersion(String libVersion) {
    this.libVersion = libVersion;
  }

  public String user() {
    return user;
  }

  public void setUser(String user) {
    this.user = user;
  }

  public int db() {
    return db;
  }

  public void setDb(int db) {
    this.db = db;
  }

  public long lastInteractionMs() {
    return lastInteractionMs;
  }

  public String lastCommand() {
    return lastCommand;
  }

  void touched(long nowMs, String command) {
    this.lastInteractionMs = nowMs;
    this.lastCommand = command;
  }

  public ReplyMode replyMode() {
    return replyMode;
  }

  public void setReplyMode(ReplyMode replyMode) {
    this.replyMode = replyMode;
    this.skipNextReply = false;
  }

  /** CLIENT REPLY SKIP: the next command's reply is dropped. */
  public void skipNextReply() {
    this.skipNextReply = true;
  }

  /** Whether the reply of the command now executing is dropped (CLIENT REPLY OFF/SKIP). */
  public boolean consumeReplySuppressed() {
    if (skipNextReply) {
      skipNextReply = false;
      return true;
    }
    return replyMode == ReplyMode.OFF || replica;
  }

  private volatile boolean replica;

  /**
   * Makes this client a replica (SYNC/PSYNC): it receives the replication stream and no reply to
   * anything it sends (REPLCONF ACK), as Redis answers nothing on a replica link.
   */
  public void markReplica() {
    replica = true;
  }

  private volatile boolean monitor;

  /** Makes this client a monitor (MONITOR): it receives a line for every command the server runs. */
  public void markMonitor() {
    monitor = true;
  }

  /** Whether this client is in MONITOR mode (CLIENT LIST flag O). */
  public boolean monitor() {
    return monitor;
  }

  /** Whether this client attached with SYNC/PSYNC (CLIENT LIST flag S). */
  public boolean replica() {
    return replica;
  }

  boolean isReplySkipPending() {
    return skipNextReply;
  }

  public boolean noEvict() {
    return noEvict;
  }

  public void setNoEvict(boolean noEvict) {
    this.noEvict = noEvict;
  }

  public boolean noTouch() {
    return noTouch;
  }

  public void setNoTouch(boolean noTouch) {
    this.noTouch = noTouch;
  }

  public boolean readOnlyMode() {
    return readOnlyMode;
  }

  public void setReadOnlyMode(boolean readOnlyMode) {
    this.readOnlyMode = readOnlyMode;
  }

  /** The client's MULTI/EXEC and WATCH state; engine thread only. */
  public Transaction transaction() {
    return transaction;
  }

  /** Back to a fresh connection's state, as RESET does (authentication included). */
  public void reset(boolean authenticatedByDefault) {
    transaction.discard();
    scriptsOverMaxmemory = false;
    rerunOfParkedCommand = false;
    counted = false;
    fromMaster = false;
    protocol = 2;
    db = 0;
    name = "";
    replyMode = ReplyMode.ON;
    skipNextReply = false;
    noEvict = false;
    noTouch = false;
    readOnlyMode = false;
    subscriptions.clear();
    patterns.clear();
    shardSubscriptions.clear();
    authenticated = authenticatedByDefault;
    user = "default";
  }

  /**
   * A reply that arrives later (RAFT ADD waits for a configuration change): the handler sets it and
   * writes nothing; the server writes what the future yields — or "-ERR message" when it fails — in
   * this connection's reply order. Only commands the server runs outside MULTI may defer.
   */
  private java.util.concurrent.CompletableFuture<java.util.function.Consumer<io.kaiware.resp.RespWriter>> deferredReply;

  public void deferReply(java.util.concurrent.CompletableFuture<java.util.function.Consumer<io.kaiware.resp.RespWriter>> reply) {
    this.deferredReply = reply;
  }

  /** The deferred reply of the command just executed, if any, and forgets it. */
  public java.util.concurrent.CompletableFuture<java.util.function.Consumer<io.kaiware.resp.RespWriter>> takeDeferredReply() {
    var r = deferredReply;
    deferredReply = null;
    return r;
  }

  /** Channels this connection SUBSCRIBEd to (engine thread; read by PUBLISH). */
  private final java.util.Set<String> subscriptions = new java.util.LinkedHashSet<>();

  public java.util.Set<String> subscriptions() {
    return subscriptions;
  }

  /** Glob patterns this connection PSUBSCRIBEd to (engine thread; read by PUBLISH). */
  private final java.util.Set<String> patterns = new java.util.LinkedHashSet<>();

  public java.util.Set<String> patterns() {
    return patterns;
  }

  /** Shard channels this connection SSUBSCRIBEd to (engine thread; read by SPUBLISH). */
  private final java.util.Set<String> shardSubscriptions = new java.util.LinkedHashSet<>();

  public java.util.Set<String> shardSubscriptions() {
    return shardSubscriptions;
  }

  /** Channels plus patterns: the count SUBSCRIBE and friends confirm (Redis's clientSubscriptionsCount). */
  public int subscriptionCount() {
    return subscriptions.size() + patterns.size();
  }

  /** Whether the connection is in the subscribed state: any channel, pattern or shard channel. */
  public boolean subscribed() {
    return !subscriptions.isEmpty() || !patterns.isEmpty() || !shardSubscriptions.isEmpty();
  }
}

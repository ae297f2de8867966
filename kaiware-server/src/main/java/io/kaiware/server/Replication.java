package io.kaiware.server;

import io.kaiware.command.CommandTable;
import io.kaiware.command.Dispatcher;
import io.kaiware.command.config.ServerConfig;
import io.kaiware.command.replication.ReplicationView;
import io.kaiware.engine.Keyspace;
import io.kaiware.raft.RaftNode;
import io.kaiware.raft.RaftNodeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of its Raft group: starts the {@link RaftNode} on the engine loop, decides when
 * a read may run locally, and closes client connections when this node stops being the leader.
 *
 * <h2>Reads</h2>
 * Writes are linearizable by construction (they go through the log). A read is linearizable when it
 * runs on the leader after the leader has confirmed, once the read arrived, that it still leads and
 * has applied everything committed (ReadIndex). Confirming once per read would cost a Ratis request
 * per GET, so reads are <em>batched behind barriers</em>: the first read that finds no barrier in
 * flight starts one (a Ratis linearizable read of PING, which runs on the engine after every entry
 * up to the read index has executed); reads arriving while it is in flight wait for the next
 * barrier, started as soon as the current one returns. When a barrier completes, every read that
 * waited for it runs on the engine loop, in arrival order. One Raft round trip thus serves all the
 * reads of every connection that arrived during the previous one.
 *
 * <p>A group whose only voter is this node needs no barrier: no other node can be elected, and every
 * acknowledged write has executed on this engine before its reply was sent. Reads then run inline,
 * exactly like the non-replicated server, once a first barrier in the current term has shown that
 * the log of previous terms has executed.
 *
 * <p>{@code read-consistency lease} lets Ratis answer the barrier from the leader's lease (no
 * heartbeat round; needs bounded clock drift). {@code stale} serves reads from any member's local
 * state, refused (redirected) on a follower whose log time lags the wall clock by more than
 * {@code replica-max-lag-ms}. On a follower, a connection that sent READONLY (Redis Cluster's
 * replica reads) gets stale reads too; other reads are redirected to the leader with -MOVED.
 *
 * <h2>Leadership changes</h2>
 * When this node stops being the leader it closes every client connection, so no client keeps
 * talking to a deposed leader; cluster clients reconnect and find the new leader.
 */
final class Replication implements ReplicationView {

  private static final Logger log = LoggerFactory.getLogger(Replication.class);

  /** The read-consistency setting. */
  enum ReadConsistency { LINEARIZABLE, LEASE, STALE }

  /** A read waiting for its barrier; both methods run on the engine loop. */
  interface ReadTicket {
    void run();

    void fail(Throwable error);
  }

  private static final byte[][] PING = {"PING".getBytes(StandardCharsets.US_ASCII)};

  private final RaftNode node;
  private final EventLoop engineLoop;
  private final ServerState server;
  private final ReadConsistency readConsistency;
  private final ServerConfig config;

  // Engine-loop state.
  private List<ReadTicket> waitingForBarrier = new ArrayList<>();
  private boolean barrierInFlight;
  /** Barriers started / the highest one completed (engine loop). */
  private long barriersStarted;
  private long barriersCompleted;
  /** The term in which a barrier completed on a single-voter group: local reads are safe in it. */
  private long localReadsTerm = -1;
  private volatile boolean wasLeader;
  /**
   * Re-runs of woken blocked clients (engine loop): the last number handed out, the ones not yet
   * answered, and the reads waiting for some of them. Redis serves a woken client inside the
   * command that fed it — a chain of waiters (BLMOVE a→b, BLMOVE b→c) all at once — so a read that
   * arrives after that command's reply finds every waiter served. Here a re-run is a log entry of
   * its own, submitted before the feeding command's reply leaves ({@link ConnectionPipeline#resume}),
   * and a read waits for the re-runs submitted before it arrived ({@link #wakeRunMark}); when one of
   * those is answered and its effects woke further waiters (re-runs submitted meanwhile: the
   * next link of a chain), the read waits for those too. Never longer than their commits.
   */
  private long wakeRunsSubmitted;
  private final TreeSet<Long> wakeRunsInFlight = new TreeSet<>();
  private final ArrayDeque<WakeRunWait> readsAfterWakeRuns = new ArrayDeque<>();
  /** {@link #wakeRunsSubmitted} when the latest re-run was answered; -1 when no release is scheduled. */
  private long submittedAtLastAnswer = -1;

  private record WakeRunWait(long mark, ReadRetry read) {}

  @FunctionalInterface
  private interface ReadRetry {
    void readWith(long wakeMark);
  }

  private Replication(RaftNode node, EventLoop engineLoop, ServerState server, ReadConsistency readConsistency,
      ServerConfig config) {
    this.node = node;
    this.engineLoop = engineLoop;
    this.server = server;
    this.readConsistency = readConsistency;
    this.config = config;
  }

  /** Parses {@code peers} ("n1=host:port,n2=host:port"); empty = a one-member group on a free loopback port. */
  static Map<String, String> parsePeers(String nodeId, String peers) {
    Map<String, String> map = new LinkedHashMap<>();
    if (peers.isBlank()) {
      map.put(nodeId, "127.0.0.1:0");
      return map;
    }
    for (String item : peers.split(",")) {
      String p = item.trim();
      int eq = p.indexOf('=');
      int colon = p.lastIndexOf(':');
      if (eq <= 0 || colon < eq + 2 || colon == p.length() - 1) {
        throw new IllegalArgumentException("peers: '" + p + "' is not id=host:port");
      }
      try {
        Integer.parseInt(p.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("peers: bad port in '" + p + "'");
      }
      if (map.put(p.substring(0, eq), p.substring(eq + 1)) != null) {
        throw new IllegalArgumentException("peers: '" + p.substring(0, eq) + "' appears twice");
      }
    }
    if (!map.containsKey(nodeId)) {
      throw new IllegalArgumentException("peers must include this node '" + nodeId + "' (see --node)");
    }
    return map;
  }

  static Replication start(ServerConfig config, Keyspace keyspace, CommandTable table, Dispatcher dispatcher,
      EventLoop engineLoop, ServerState server, String clientAddress) throws IOException {
    String nodeId = config.get("node");
    Map<String, String> peers = parsePeers(nodeId, config.get("peers"));
    ReadConsistency consistency = ReadConsistency.valueOf(config.get("read-consistency").toUpperCase(Locale.ROOT));
    long electionMs = config.getLong("raft-election-timeout-ms");
    RaftNodeConfig raftConfig = RaftNodeConfig.builder(nodeId, Path.of(config.get("dir")).resolve("raft"))
        .peers(peers)
        .joining(config.getBool("raft-join"))
        .readLease(consistency == ReadConsistency.LEASE)
        .electionTimeout(Duration.ofMillis(electionMs), Duration.ofMillis(electionMs * 2))
        .build();
    RaftNode node = RaftNode.start(raftConfig, keyspace, table, server, dispatcher, engineLoop, clientAddress);
    Replication r = new Replication(node, engineLoop, server, consistency, config);
    node.stateMachine().onLeaderChange(r::leaderChanged);
    node.onShutDownByGroup(server::shutdownShutOutByGroup);
    r.reportSlowRaftWork(dispatcher);
    keyspace.deferredExpiryListener(r::expiredAheadOfTheLog);
    return r;
  }

  // ---------------------------------------------------------------- lazy expiry found by reads

  /** Keys waiting to be reclaimed through the log, per database. */
  private final Map<Integer, java.util.Set<java.nio.ByteBuffer>> toReclaim = new java.util.HashMap<>();
  /** Keys whose RECLAIM request is in the log's hands, per database. */
  private final Map<Integer, java.util.Set<java.nio.ByteBuffer>> reclaiming = new java.util.HashMap<>();
  private int reclaimsPending;
  private boolean reclaimScheduled;
  static final int MAX_RECLAIMS = 10_000;

  /**
   * Engine loop: a read on this leader found {@code key} expired by its clock, ahead of log time,
   * which no read may act on (ADR 0004). Redis's master deletes such a key at once and sends its
   * replicas a DEL; here the key goes into a RECLAIM request appended after the current engine
   * task, whose lookup at the entry's time removes it on every member (and sends the DEL). A key is
   * asked for once until its request completes; beyond {@link #MAX_RECLAIMS} keys pending, the
   * log's tick entries reclaim the rest.
   */
  private void expiredAheadOfTheLog(int db, byte[] key) {
    if (reclaimsPending >= MAX_RECLAIMS || !node.isLeader()) {
      return;
    }
    java.nio.ByteBuffer k = java.nio.ByteBuffer.wrap(key);
    java.util.Set<java.nio.ByteBuffer> inFlight = reclaiming.get(db);
    if (inFlight != null && inFlight.contains(k)) {
      return;
    }
    if (toReclaim.computeIfAbsent(db, d -> new java.util.LinkedHashSet<>()).add(k)) {
      reclaimsPending++;
      if (!reclaimScheduled) {
        reclaimScheduled = true;
        engineLoop.execute(this::submitReclaims);
      }
    }
  }

  private void submitReclaims() {
    reclaimScheduled = false;
    for (Map.Entry<Integer, java.util.Set<java.nio.ByteBuffer>> e : toReclaim.entrySet()) {
      int db = e.getKey();
      List<java.nio.ByteBuffer> keys = new ArrayList<>(e.getValue());
      if (keys.isEmpty()) {
        continue;
      }
      e.getValue().clear();
      byte[][] reclaim = new byte[keys.size() + 1][];
      reclaim[0] = io.kaiware.raft.KaiwareStateMachine.RECLAIM;
      for (int i = 0; i < keys.size(); i++) {
        reclaim[i + 1] = keys.get(i).array();
      }
      reclaiming.computeIfAbsent(db, d -> new java.util.HashSet<>()).addAll(keys);
      node.submit(io.kaiware.raft.LogEntryCodec.Request.of(db, 2, reclaim))
          .whenComplete((reply, error) -> engineLoop.execute(() -> {
            reclaiming.get(db).removeAll(keys);
            reclaimsPending -= keys.size();
          }));
    }
  }

  RaftNode node() {
    return node;
  }

  /**
   * Blocks until this single-voter node leads and has executed its log (a barrier passed), so the
   * embedded server accepts connections only once it can serve. Multi-member groups do not wait:
   * they answer CLUSTERDOWN until a leader is known.
   */
  void awaitReadyIfAlone(long timeoutMs) {
    if (config.get("peers").isBlank() && !config.getBool("raft-join")) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
      while (System.nanoTime() < deadline) {
        if (node.isLeader()) {
          try {
            node.read(0, 2, PING, RaftNode.ReadConsistency.LINEARIZABLE).get(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS);
            return;
          } catch (Exception e) {
            log.debug("first barrier failed, retrying", e);
          }
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      log.warn("the one-member Raft group did not elect itself within {} ms", timeoutMs);
    }
  }

  // ---------------------------------------------------------------- completions

  /** Write replies completed on Ratis threads, waiting to be handed to their connections. */
  private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> completions = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean drainScheduled = new java.util.concurrent.atomic.AtomicBoolean();
  /** Connections that received replies during the current drain (engine loop). */
  private final List<ConnectionPipeline> touched = new ArrayList<>();

  /**
   * Runs {@code completion} on the engine loop. A batch of a thousand writes completes its futures
   * together on one Ratis thread: one engine task takes them all, and each connection then writes
   * (and flushes) its replies once, not once per write.
   */
  void completeOnEngine(Runnable completion) {
    completions.add(completion);
    if (drainScheduled.compareAndSet(false, true)) {
      engineLoop.execute(this::drainCompletions);
    }
  }

  /** Engine loop: {@code pipeline} has new replies; it resumes at the end of the current drain. */
  void touched(ConnectionPipeline pipeline) {
    if (pipeline.markTouched()) {
      touched.add(pipeline);
    }
  }

  private void drainCompletions() {
    drainScheduled.set(false);
    Runnable r;
    while ((r = completions.poll()) != null) {
      r.run();
    }
    for (ConnectionPipeline p : touched) {
      p.resume();
    }
    touched.clear();
  }

  /**
   * The time local commands (reads, WATCH, EXEC's checks) run at: the state machine's read time,
   * this node's clock or the log time if that is ahead (ADR 0004 §5). Writes run at log time.
   */
  long commandTimeMs() {
    return node.stateMachine().readTimeMs();
  }

  // ---------------------------------------------------------------- reads

  /**
   * Engine loop: runs {@code ticket} once a read by {@code session} may see the dataset —
   * immediately, after a barrier, or never (then {@link ReadTicket#fail} with the redirect).
   * Returns true when it ran synchronously.
   */
  boolean read(boolean connectionReadOnly, long readMark, long wakeMark, ReadTicket ticket) {
    if (!wakeRunsAnsweredThrough(wakeMark)) {
      readsAfterWakeRuns.add(new WakeRunWait(wakeMark, mark -> read(connectionReadOnly, readMark, mark, ticket)));
      return false;
    }
    if (readableNow(connectionReadOnly, readMark)) {
      ticket.run();
      return true;
    }
    boolean leader = node.isLeader();
    if (!leader) {
      ticket.fail(redirect());
      return false;
    }
    waitingForBarrier.add(ticket);
    if (!barrierInFlight) {
      startBarrier();
    }
    return false;
  }

  /**
   * The read mark of requests arriving now: the number of barriers started so far. A barrier started
   * later (number > mark) covers them once it completes.
   */
  long readMark() {
    return barriersStarted;
  }

  /** The wake mark of a request arriving now: the number of blocked clients' re-runs submitted so far. */
  long wakeRunMark() {
    return wakeRunsSubmitted;
  }

  /** Whether every re-run numbered up to {@code wakeMark} has been answered. */
  boolean wakeRunsAnsweredThrough(long wakeMark) {
    return wakeRunsInFlight.isEmpty() || wakeRunsInFlight.first() > wakeMark;
  }

  /** Engine loop: a woken blocked client's command is being submitted again; returns its number. */
  long wakeRunSubmitted() {
    long run = ++wakeRunsSubmitted;
    wakeRunsInFlight.add(run);
    return run;
  }

  /**
   * Engine loop: re-run {@code run} was answered. The reads waiting for it go on once the current
   * engine-loop task is over — after the pokes that follow a drain of completions, which submit the
   * re-runs its effects woke: a read whose re-runs are all answered then waits for those as well if
   * any were submitted since, else runs.
   */
  void wakeRunAnswered(long run) {
    wakeRunsInFlight.remove(run);
    if (readsAfterWakeRuns.isEmpty()) {
      return;
    }
    if (submittedAtLastAnswer < 0) {
      engineLoop.execute(this::releaseReadsAfterWakeRuns);
    }
    submittedAtLastAnswer = wakeRunsSubmitted;
  }

  private void releaseReadsAfterWakeRuns() {
    boolean chained = wakeRunsSubmitted > submittedAtLastAnswer;
    submittedAtLastAnswer = -1;
    int waiting = readsAfterWakeRuns.size();
    for (int i = 0; i < waiting; i++) {
      WakeRunWait w = readsAfterWakeRuns.pollFirst();
      if (!wakeRunsAnsweredThrough(w.mark())) {
        readsAfterWakeRuns.addLast(w);
      } else {
        w.read().readWith(chained ? wakeRunsSubmitted : w.mark());
      }
    }
  }

  /** Whether a read that arrived at {@code readMark} may run on the engine right now, without waiting. */
  boolean readableNow(boolean connectionReadOnly, long readMark) {
    if (!node.isLeader()) {
      if (readConsistency == ReadConsistency.STALE || connectionReadOnly) {
        return System.currentTimeMillis() - node.stateMachine().logTimeMs() <= config.getLong("replica-max-lag-ms");
      }
      return false;
    }
    return readConsistency == ReadConsistency.STALE
        || barriersCompleted > readMark
        || (localReadsTerm == node.currentTerm() && node.isSingleVoter());
  }

  private void startBarrier() {
    List<ReadTicket> batch = waitingForBarrier;
    waitingForBarrier = new ArrayList<>();
    barrierInFlight = true;
    long number = ++barriersStarted;
    long term = node.currentTerm();
    boolean singleVoter = node.isSingleVoter();
    node.read(0, 2, PING, RaftNode.ReadConsistency.LINEARIZABLE).whenComplete((reply, error) -> engineLoop.execute(() -> {
      barrierInFlight = false;
      if (error == null) {
        barriersCompleted = Math.max(barriersCompleted, number);
        if (singleVoter && node.currentTerm() == term) {
          localReadsTerm = term;
        }
        for (ReadTicket t : batch) {
          t.run();
        }
      } else {
        Throwable redirect = redirect();
        for (ReadTicket t : batch) {
          t.fail(redirect);
        }
      }
      if (!waitingForBarrier.isEmpty()) {
        startBarrier();
      }
    }));
  }

  /** The error that sends a client elsewhere: -MOVED to the leader, or -CLUSTERDOWN. */
  RedirectException redirect() {
    String leader = node.leaderId();
    if (leader != null && !leader.equals(node.id())) {
      String address = node.clientAddressOf(leader);
      if (address != null) {
        return new RedirectException("MOVED 0 " + address);
      }
      return new RedirectException("CLUSTERDOWN The cluster is down: leader " + leader + "'s client address is not known yet");
    }
    if (leader != null) {
      // Names itself but does not lead ready: elected and its first entry not committed yet, or
      // stepping down (Ratis drops the role before the leader id; seen when a leader is cut off).
      return new RedirectException(
          "CLUSTERDOWN The cluster is down: this node was just elected and is not ready yet, or is stepping down");
    }
    return new RedirectException("CLUSTERDOWN The cluster is down: no Raft leader (election in progress or no quorum)");
  }

  /** A reply that redirects or refuses; never an indeterminate outcome. */
  static final class RedirectException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RedirectException(String reply) {
      super(reply, null, false, false);
    }
  }

  // ---------------------------------------------------------------- leadership

  /** Ratis thread: the leader changed (or this node became ready). */
  private void leaderChanged(String newLeaderId) {
    boolean leaderNow = node.id().equals(newLeaderId);
    if (wasLeader && !leaderNow) {
      log.info("no longer the Raft leader (new leader: {}): closing client connections", newLeaderId);
      engineLoop.execute(() -> {
        for (ConnectionPipeline p : pipelines) {
          p.closeWhenIdle();
        }
      });
    }
    if (leaderNow && !wasLeader) {
      log.info("Raft leader of term {}", node.currentTerm());
    }
    wasLeader = leaderNow;
    if (newLeaderId != null) {
      engineLoop.execute(() -> {
        announceLeader(newLeaderId, 50);
        for (ConnectionPipeline p : pipelines) {
          p.leaderMoved();
        }
      });
    }
  }

  /** Every live connection's pipeline, to close them all when leadership is lost. */
  private final java.util.Set<ConnectionPipeline> pipelines = java.util.concurrent.ConcurrentHashMap.newKeySet();

  void register(ConnectionPipeline pipeline) {
    pipelines.add(pipeline);
  }

  void unregister(ConnectionPipeline pipeline) {
    pipelines.remove(pipeline);
  }

  /** The leader address last announced with +switch-master (engine loop). */
  private String announcedLeaderAddress;

  /**
   * Engine loop: publishes Sentinel's {@code +switch-master <name> <old-ip> <old-port> <new-ip>
   * <new-port>} to this server's subscribers once the new leader's client address is known (retried
   * every 100 ms a few times while the peer directory learns it).
   */
  private void announceLeader(String leaderId, int attemptsLeft) {
    if (!leaderId.equals(node.leaderId())) {
      return; // superseded by a newer change
    }
    String address = node.clientAddressOf(leaderId);
    if (address == null) {
      if (attemptsLeft > 0) {
        engineLoop.schedule(() -> announceLeader(leaderId, attemptsLeft - 1), 100, TimeUnit.MILLISECONDS);
      }
      return;
    }
    if (address.equals(announcedLeaderAddress)) {
      return;
    }
    String old = announcedLeaderAddress == null ? address : announcedLeaderAddress;
    announcedLeaderAddress = address;
    String message = config.get("sentinel-master-name") + " " + hostPort(old) + " " + hostPort(address);
    int receivers = server.publish("+switch-master", message.getBytes(StandardCharsets.UTF_8));
    log.debug("+switch-master {} to {} subscribers", message, receivers);
  }

  private static String hostPort(String address) {
    int colon = address.lastIndexOf(':');
    return address.substring(0, colon) + " " + address.substring(colon + 1);
  }

  void close() {
    node.close();
  }

  // ---------------------------------------------------------------- ReplicationView

  @Override
  public String nodeId() {
    return node.id();
  }

  @Override
  public String role() {
    return node.listenerIds().contains(node.id()) ? "LISTENER" : node.role();
  }

  @Override
  public boolean isReadyLeader() {
    return node.isLeader();
  }

  @Override
  public String leaderId() {
    return node.leaderId();
  }

  @Override
  public Map<String, String> members() {
    return node.members();
  }

  @Override
  public boolean isListener(String id) {
    return node.listenerIds().contains(id);
  }

  @Override
  public String clientAddressOf(String id) {
    return node.clientAddressOf(id);
  }

  @Override
  public long term() {
    return node.currentTerm();
  }

  @Override
  public long commitIndex() {
    return node.commitIndex();
  }

  @Override
  public long appliedIndex() {
    return node.appliedIndex();
  }

  @Override
  public long logTimeMs() {
    return node.stateMachine().logTimeMs();
  }

  @Override
  public Map<String, Long> followerMatchIndexes() {
    return node.followerMatchIndexes();
  }

  @Override
  public String readConsistency() {
    return readConsistency.name().toLowerCase(Locale.ROOT);
  }

  /**
   * How long RAFT ADD / REMOVE wait for the configuration change (Ratis waits for a new member to
   * catch up; one that never starts would hold the reply forever). After it the reply is an error
   * saying the change may still complete.
   */
  static final long MEMBERSHIP_CHANGE_TIMEOUT_MS = 20_000;

  private static <T> CompletableFuture<T> bounded(CompletableFuture<T> change) {
    return change.orTimeout(MEMBERSHIP_CHANGE_TIMEOUT_MS, TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof java.util.concurrent.TimeoutException) {
        return CompletableFuture.failedFuture(new IllegalStateException("no answer within " + MEMBERSHIP_CHANGE_TIMEOUT_MS
            + " ms; the configuration change may still complete (check RAFT INFO)"));
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  @Override
  public CompletableFuture<Void> addMember(String id, String address, boolean asListener) {
    return bounded(node.addPeer(id, address, asListener));
  }

  @Override
  public CompletableFuture<Void> removeMember(String id) {
    return bounded(node.removePeer(id));
  }

  @Override
  public CompletableFuture<Void> transferLeadership(String id) {
    return node.transferLeadership(id, Duration.ofSeconds(5));
  }

  @Override
  public CompletableFuture<Long> snapshot() {
    return node.snapshot();
  }

  /** Formats an admin failure for "-ERR ...". */
  static String describe(Throwable error) {
    Throwable t = error;
    while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return message == null ? t.getClass().getSimpleName() : message.replace('\r', ' ').replace('\n', ' ');
  }

  // ---------------------------------------------------------------- observability

  @Override
  public io.kaiware.command.replication.RaftStatus raftStatus() {
    return node.status();
  }

  /** Null when this member should receive traffic (/ready), else why not; see {@link Readiness}. */
  String readinessProblem() {
    return Readiness.problem(node.status(), config.getLong("ready-max-lag-entries"));
  }

  /**
   * LATENCY events {@code raft-fsync} and {@code raft-snapshot} (at least latency-monitor-threshold
   * ms), and the "writes delayed" warning for the commit stage: a write batch that took at least
   * write-delay-warn-ms from its submission to Raft to its committed reply (LATENCY {@code batch-commit}).
   */
  private void reportSlowRaftWork(Dispatcher dispatcher) {
    io.kaiware.command.observe.LatencyMonitor latency = dispatcher.latencyMonitor();
    io.kaiware.command.observe.WriteDelayWatch delays = dispatcher.writeDelays();
    node.stats().onFsync(latencyEvent(latency, "raft-fsync"));
    node.stats().onSnapshot(latencyEvent(latency, "raft-snapshot"));
    node.stats().onSnapshotCut(latencyEvent(latency, "raft-snapshot-cut"));
    node.stats().onBatchCommitted((nanos, commands, bytes) -> {
      if (delays.isDelayed(nanos)) {
        delays.report("commit", nanos, commands, bytes, System.currentTimeMillis());
      }
    });
  }

  /** A LATENCY sample of {@code event} per duration (nanoseconds); the check skips the lock below the threshold. */
  private static java.util.function.LongConsumer latencyEvent(io.kaiware.command.observe.LatencyMonitor latency,
      String event) {
    return nanos -> {
      long ms = nanos / 1_000_000;
      if (latency.wouldRecord(ms)) {
        latency.maybeRecord(event, ms, System.currentTimeMillis());
      }
    };
  }
}

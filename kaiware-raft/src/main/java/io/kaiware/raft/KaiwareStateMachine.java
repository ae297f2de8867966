package io.kaiware.raft;

import io.kaiware.command.ClientSession;
import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandFlag;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.CommandTable;
import io.kaiware.command.Dispatcher;
import io.kaiware.command.ServerHooks;
import io.kaiware.engine.Keyspace;
import io.kaiware.raft.LogEntryCodec.CorruptEntryException;
import io.kaiware.raft.LogEntryCodec.Entry;
import io.kaiware.raft.LogEntryCodec.Request;
import io.kaiware.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine of Kaiware: a thin adapter that feeds committed log entries to the same
 * {@link Dispatcher} and {@link Keyspace} a standalone server runs. The engine <em>is</em> the state
 * machine; this class only decodes entries, picks the command time and carries replies back.
 *
 * <h2>One engine thread</h2>
 * Every access to the keyspace — applying entries, answering reads ({@link #query}), cutting and
 * loading snapshots, {@link #onEngine} — runs as a task on one {@link Executor}, the <em>engine
 * executor</em>, which must run tasks one at a time in submission order (a single-thread executor,
 * or the server's engine event loop: ADR 0002). Ratis calls {@code applyTransaction} in log order on
 * its state-machine-updater thread; that thread only decodes the entry and enqueues it, so entries
 * execute in log order and a read enqueued after Ratis has seen the apply future complete (ReadIndex
 * waits for exactly that) observes every entry up to its read index. {@code takeSnapshot} is called
 * by the updater after every apply future has completed, and enqueues a cut of the keyspace (a
 * reference copy, {@link SnapshotCodec.Cut}) too, so a snapshot is the state at exactly its index;
 * the cut is encoded and written on another thread while the engine goes on.
 *
 * <h2>Time comes from the log</h2>
 * Each entry carries the leader's clock when it cut the batch. The command time of every command
 * in the entry is {@code logTimeMs = max(logTimeMs, stamp)}: the log time never goes backwards,
 * even when a new leader's clock is behind the old one's, and every replica computes the same
 * value because it is a function of the log alone (it is saved in snapshots). Reads run at the
 * current log time too, never at a replica's wall clock: lazy expiry inside a read may reclaim a
 * key, and that is only harmless if the key is expired for every later entry as well. The leader
 * appends an empty "tick" entry when the log is idle so that log time — and so expiry as reads see
 * it — keeps moving (see {@link RaftNode}).
 *
 * <h2>Never throw</h2>
 * An exception out of {@code applyTransaction} stops the Ratis server. The dispatcher already turns
 * every command failure into an error reply; an entry that does not decode (corrupt, or written by
 * a newer format) is logged and skipped, which every replica does identically, and its callers get
 * an error. Commands that must not be replicated (they read or change process state: CONFIG,
 * CLIENT, DEBUG ...) are answered with an error instead of being executed — a safety net, since the
 * server should never submit them.
 */
public final class KaiwareStateMachine extends BaseStateMachine {

  private static final Logger log = LoggerFactory.getLogger(KaiwareStateMachine.class);

  /**
   * Commands without the WRITE or READONLY flag that may still run from the log: transactions, and
   * scripts (Redis flags EVAL neither; it runs on every replica, ADR 0006) with the script-cache
   * changes that must reach every replica's cache (SCRIPT LOAD, SCRIPT FLUSH). An EVALSHA in the
   * log is answered NOSCRIPT by the script engine whatever this replica's cache holds.
   */
  private static final Set<String> REPLICABLE_CONTROL =
      Set.of("multi", "exec", "discard", "watch", "unwatch", "select", "ping", "echo",
          "eval", "evalsha", "script|load", "script|flush",
          "wait"); // inside MULTI: answers the count at once, changes nothing
  /** Commands without the READONLY flag that a read may still run. */
  private static final Set<String> READABLE_CONTROL = Set.of("select", "ping", "echo", "wait");

  /** Error reply of every request of an entry that could not be decoded. */
  static final String CORRUPT_ENTRY_ERROR = "ERR corrupt replicated log entry skipped";

  /** Slots per database that active expiry visits on each tick entry. */
  static final int TICK_EXPIRE_SLOTS_PER_DB = 4096;

  private final Keyspace keyspace;
  private final CommandTable table;
  private final Dispatcher dispatcher;
  private final Executor engine;
  /** Held while a snapshot file and its .md5 appear, and by Ratis's retention pass (see below). */
  private final Object snapshotFiles = new Object();
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage() {
    /**
     * Ratis runs this after every takeSnapshot call, from its updater thread, while a snapshot may
     * be being renamed into place by the writer thread: without the lock it could see the file
     * before its .md5 and warn "has missing MD5 file".
     */
    @Override
    public void cleanupOldSnapshots(org.apache.ratis.statemachine.SnapshotRetentionPolicy policy) throws IOException {
      synchronized (snapshotFiles) {
        super.cleanupOldSnapshots(policy);
      }
    }
  };

  // Engine-thread state.
  private final ClientSession session = new ClientSession("raft-log", "raft-log", 0, true);
  private final ByteBuf replyBuf = Unpooled.buffer(4096);
  private final RespWriter writer = new RespWriter();
  /** The log time: written on the engine thread only, read anywhere. */
  private volatile long logTimeMs;
  /**
   * The time a read runs at: this node's clock, or the log time when that is ahead (the clock of a
   * node may lag the leader that stamped the log). Reads see expiry at their own time — a 100 ms
   * TTL ends after 100 ms although an idle log advances only on 100 ms ticks, as on a Redis
   * replica — while removal stays at the log time ({@link Keyspace#reclaimHorizonMs}), so a read
   * never changes what a later entry finds. ADR 0004 §5.
   */
  public long readTimeMs() {
    return Math.max(logTimeMs, clockMs.getAsLong());
  }

  /** This node's clock for {@link #readTimeMs()}: the one its leader side stamps entries with. */
  private volatile java.util.function.LongSupplier clockMs = System::currentTimeMillis;

  /** Sets the clock reads run at (RaftNode passes the one it stamps entries with). */
  void clockMs(java.util.function.LongSupplier clockMs) {
    this.clockMs = clockMs;
  }

  /** The index of the last entry the engine executed (or loaded from a snapshot). */
  private volatile long engineAppliedIndex;

  /**
   * @param keyspace the engine's keyspace; only touched from {@code engine}
   * @param table    the command table (the same on every replica)
   * @param hooks    server hooks for commands that read the configuration
   * @param engine   runs one task at a time, in order (see the class comment)
   */
  public KaiwareStateMachine(Keyspace keyspace, CommandTable table, ServerHooks hooks, Executor engine) {
    this(keyspace, table, new Dispatcher(table, new CommandContext(keyspace, hooks, table)), engine);
  }

  /**
   * With the network server's own {@code dispatcher} (over the same {@code keyspace}), so that INFO
   * commandstats, SLOWLOG and LATENCY count replicated commands too. The dispatcher is single
   * threaded: {@code engine} must be the thread the server runs it on (ADR 0002).
   */
  public KaiwareStateMachine(Keyspace keyspace, CommandTable table, Dispatcher dispatcher, Executor engine) {
    this.keyspace = keyspace;
    this.table = table;
    this.dispatcher = dispatcher;
    this.engine = engine;
    keyspace.reclaimHorizonMs(logTimeMs);
    session.markLogApplier();
  }

  /** First byte of a {@link #query} asking for this node's identity (not a log entry: those start with 1). */
  static final byte NODE_INFO_QUERY = 0x7F;
  /**
   * First byte of a {@link #query} asking for this member's current Raft term (8 bytes): a leader's
   * {@link LeadershipProbe} question, answered without touching the dataset.
   */
  static final byte TERM_QUERY = 0x7E;
  /** What this node answers to {@link #NODE_INFO_QUERY}: its client (RESP) address, set by the server. */
  private volatile String clientAddress = "";
  /** Called (on a Ratis thread) whenever the leader changes, with the new leader's id or null. */
  private volatile java.util.function.Consumer<String> leaderListener = id -> { };

  /** The RESP address clients should use for this node ("host:port"), reported to peers. */
  public void clientAddress(String hostPort) {
    this.clientAddress = hostPort == null ? "" : hostPort;
  }

  public String clientAddress() {
    return clientAddress;
  }

  /** Counts snapshots and leader changes (set by {@link RaftNode}). */
  private volatile RaftStats stats = new RaftStats();

  void stats(RaftStats stats) {
    this.stats = stats;
  }

  private volatile Runnable closeListener = () -> {};

  /** Registers what runs once this state machine is closed, whoever closed its Raft division. */
  public void onClose(Runnable listener) {
    this.closeListener = listener;
  }

  /** Registers the callback of leader changes (one listener; the server's). */
  public void onLeaderChange(java.util.function.Consumer<String> listener) {
    this.leaderListener = listener;
  }

  @Override
  public void notifyLeaderChanged(org.apache.ratis.protocol.RaftGroupMemberId member,
      org.apache.ratis.protocol.RaftPeerId newLeaderId) {
    if (member != null && newLeaderId != null) {
      stats.leaderChanged(); // Ratis's notification (notifyLeaderReady below passes no member)
    }
    try {
      leaderListener.accept(newLeaderId == null ? null : newLeaderId.toString());
    } catch (RuntimeException e) {
      log.warn("leader change listener failed", e);
    }
  }

  @Override
  public void notifyLeaderReady() {
    notifyLeaderChanged(null, getId());
  }

  /** This member's current term, read from its Raft division (any thread). */
  private CompletableFuture<Long> currentTerm() {
    return getServer().thenApply(server -> {
      try {
        return server.getDivision(getGroupId()).getInfo().getCurrentTerm();
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    });
  }

  // ------------------------------------------------ waiting for an index to reach the engine

  /** Futures waiting for {@link #getLastAppliedTermIndex()} to reach their index; guarded by itself. */
  private final java.util.TreeMap<Long, List<CompletableFuture<Void>>> appliedWaiters = new java.util.TreeMap<>();
  /** The lowest index waited for ({@link Long#MAX_VALUE}: none), read without the lock on every apply. */
  private volatile long lowestAwaitedIndex = Long.MAX_VALUE;

  /**
   * Completes once the entry at {@code index} has been handed to the engine thread — applied, as
   * Ratis counts it. A query submitted afterwards runs after it on the engine (tasks run in order).
   */
  CompletableFuture<Void> whenApplied(long index) {
    if (appliedIndex() >= index) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    synchronized (appliedWaiters) {
      appliedWaiters.computeIfAbsent(index, i -> new ArrayList<>(1)).add(waiter);
      lowestAwaitedIndex = appliedWaiters.firstKey();
    }
    releaseAppliedWaiters(); // the index may have been reached meanwhile
    return waiter;
  }

  private long appliedIndex() {
    TermIndex last = getLastAppliedTermIndex();
    return last == null ? -1 : last.getIndex();
  }

  private void releaseAppliedWaiters() {
    long applied = appliedIndex();
    if (applied < lowestAwaitedIndex) {
      return;
    }
    List<CompletableFuture<Void>> released = new ArrayList<>();
    synchronized (appliedWaiters) {
      var reached = appliedWaiters.headMap(applied, true);
      reached.values().forEach(released::addAll);
      reached.clear();
      lowestAwaitedIndex = appliedWaiters.isEmpty() ? Long.MAX_VALUE : appliedWaiters.firstKey();
    }
    released.forEach(w -> w.complete(null));
  }

  // Every way Ratis's applied index moves (entries, configuration entries, snapshots) passes here.
  @Override
  protected boolean updateLastAppliedTermIndex(TermIndex newTermIndex) {
    boolean updated = super.updateLastAppliedTermIndex(newTermIndex);
    releaseAppliedWaiters();
    return updated;
  }

  @Override
  protected void setLastAppliedTermIndex(TermIndex newTermIndex) {
    super.setLastAppliedTermIndex(newTermIndex);
    releaseAppliedWaiters();
  }

  /** The time the last applied entry ran at (0 before the first). */
  public long logTimeMs() {
    return logTimeMs;
  }

  /** The index of the last log entry whose commands have executed on this replica. */
  public long engineAppliedIndex() {
    return engineAppliedIndex;
  }

  /** Runs {@code task} on the engine thread, in order with applies and reads. */
  public <T> CompletableFuture<T> onEngine(Function<Keyspace, T> task) {
    return CompletableFuture.supplyAsync(() -> task.apply(keyspace), engine);
  }

  /** The dataset digest (DEBUG DIGEST) at the current log time, with the index it reflects. */
  public CompletableFuture<StateDigest> digest() {
    return onEngine(ks -> new StateDigest(engineAppliedIndex, logTimeMs, ks.digest(logTimeMs)));
  }

  /** What a replica holds at one applied index: equal digests at equal indexes prove agreement. */
  public record StateDigest(long appliedIndex, long logTimeMs, String digest) {}

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    getLifeCycle().transition(LifeCycle.State.STARTING);
    storage.init(raftStorage);
    latestSnapshot = storage.loadLatestSnapshot();
    load(latestSnapshot);
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  /** Ratis pauses the state machine before installing a leader's snapshot, then calls {@link #reinitialize}. */
  @Override
  public void pause() {
    // Its file must not become "latest" after the installed one, and its (older) index must never
    // reach Ratis, which only lets its snapshot index grow and stops the server otherwise.
    finishSnapshotInFlight();
    snapshotInFlight = null;
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  @Override
  public void reinitialize() throws IOException {
    // A follower installed a snapshot from the leader: replace everything with it.
    getLifeCycle().transition(LifeCycle.State.STARTING);
    latestSnapshot = storage.loadLatestSnapshot();
    load(latestSnapshot);
    snapshotsInstalled.incrementAndGet();
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  private final java.util.concurrent.atomic.AtomicLong snapshotsInstalled = new java.util.concurrent.atomic.AtomicLong();

  /** Snapshots received from a leader and loaded (a follower that fell behind the purged log). */
  public long snapshotsInstalled() {
    return snapshotsInstalled.get();
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  // ---------------------------------------------------------------- writes

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto e = trx.getLogEntry();
    long index = e.getIndex();
    updateLastAppliedTermIndex(e.getTerm(), index);
    Entry entry;
    try {
      entry = LogEntryCodec.decode(e.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
    } catch (CorruptEntryException ex) {
      // Deterministic: every replica decodes the same bytes and skips the same entry.
      log.error("log entry {} skipped: {}", index, ex.getMessage());
      entry = null;
    }
    Entry decoded = entry;
    return CompletableFuture.supplyAsync(() -> {
      byte[] replies = apply(decoded, index);
      return Message.valueOf(UnsafeByteOperations.unsafeWrap(replies));
    }, engine);
  }

  /** Engine thread: executes one entry; returns its encoded replies. */
  private byte[] apply(Entry entry, long index) {
    engineAppliedIndex = index;
    if (entry == null) {
      return LogEntryCodec.encodeReplies(List.of());
    }
    long now = Math.max(logTimeMs, entry.stampMs());
    logTimeMs = now;
    keyspace.reclaimHorizonMs(now);
    List<Request> requests = entry.requests();
    if (requests.isEmpty()) {
      // A tick: log time moved; reclaim some expired keys (purely local housekeeping: the logical
      // state is already decided by the time).
      keyspace.activeExpireCycle(now, TICK_EXPIRE_SLOTS_PER_DB);
      return LogEntryCodec.encodeReplies(List.of());
    }
    List<byte[]> replies = new ArrayList<>(requests.size());
    for (Request r : requests) {
      replies.add(run(r, now, false));
    }
    return LogEntryCodec.encodeReplies(replies);
  }

  /** Engine thread: runs one request's commands in a fresh session; returns the RESP bytes. */
  private byte[] run(Request r, long now, boolean readOnly) {
    session.reset(true);
    session.setProtocol(r.protocol());
    session.rerunOfParkedCommand(r.rerun());
    session.scriptsOverMaxmemory(r.scriptsOverMaxmemory());
    replyBuf.clear();
    writer.target(replyBuf, r.protocol());
    if (r.db() >= keyspace.databaseCount()) {
      writer.error("ERR DB index is out of range");
    } else {
      session.setDb(r.db());
      List<byte[][]> commands = r.commands();
      boolean originMarked = false;
      boolean fromHere = false;
      if (!readOnly && !commands.isEmpty() && isMarker(commands.get(0), FROM_MASTER)) {
        session.fromMaster(true); // the followed Redis master's commands (MasterLink): relayed to SYNC replicas
        commands = commands.subList(1, commands.size());
      }
      if (!readOnly && !commands.isEmpty() && isMarker(commands.get(0), ORIGIN)) {
        originMarked = true;
        fromHere = commands.get(0).length == 2 && java.util.Arrays.equals(commands.get(0)[1], originToken);
        commands = commands.subList(1, commands.size());
      }
      if (!readOnly && !commands.isEmpty() && isMarker(commands.get(0), RECLAIM)) {
        // Keys a read on the leader found expired before log time reached them: a lookup at this
        // entry's time removes each one expired now — Redis's lazy expiry, a DEL each to replicas.
        byte[][] reclaim = commands.get(0);
        io.kaiware.engine.Database db = keyspace.db(r.db());
        for (int i = 1; i < reclaim.length; i++) {
          db.lookup(reclaim[i], now);
        }
        commands = List.of();
      }
      if (!readOnly && !commands.isEmpty() && isWatchGuard(commands.get(0))) {
        if (!watchGuardHolds(commands.get(0), now)) {
          writer.nullArray(); // EXEC's reply when a watched key changed: the block does not run
          commands = List.of();
        } else {
          commands = commands.subList(1, commands.size());
        }
      }
      if (!readOnly && !session.fromMaster() && commands.size() > 1 && commands.get(0).length == 1 && isMulti(commands.get(0)[0])) {
        session.alreadyCounted(); // a block's MULTI: counted where the client sent it (INFO commandstats)
      }
      for (byte[][] command : commands) {
        String refusal;
        if (originMarked && isNodeLocal(command)) {
          // REPLICAOF or CONFIG inside a MULTI block: runs on the member that received the block, in
          // this run of it; a PING everywhere else (and on replay), so no transaction differs.
          command = fromHere ? command : PING_COMMAND;
          refusal = null;
        } else {
          refusal = readOnly ? readable(command) : replicable(command);
        }
        if (refusal != null) {
          if (session.transaction().active()) {
            session.transaction().flagError();
          }
          writer.error(refusal);
        } else {
          dispatcher.execute(session, command, writer, now);
        }
      }
    }
    session.reset(true); // drop a MULTI left open: nothing carries over to the next request
    byte[] out = new byte[replyBuf.readableBytes()];
    replyBuf.readBytes(out);
    if (replyBuf.capacity() > 1 << 20) {
      replyBuf.capacity(4096); // do not keep one huge reply's buffer forever
    }
    return out;
  }

  // ---------------------------------------------------------------- WATCH across the log

  /**
   * The first command of a request that carries a WATCHed MULTI ... EXEC block: {@code [marker,
   * db, key, digest, db, key, digest ...]}, where each digest is {@link #watchDigest} of the key
   * when the leader checked the watches at EXEC. Applying the request first recomputes every digest
   * at the log time: if one differs, a write between EXEC and this entry (or expiry) changed a
   * watched key, and the block is answered like Redis's aborted EXEC (a null array) without running.
   * The marker starts with a NUL byte, so no client command can spell it (and the server never
   * submits unknown commands).
   */
  public static final byte[] WATCH_GUARD = "\0kaiware-watch-guard".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  static boolean isWatchGuard(byte[][] command) {
    return java.util.Arrays.equals(command[0], WATCH_GUARD);
  }

  /**
   * The first command of a request that carries the commands of the Redis master this member
   * follows (REPLICAOF host port): they run as the master's (Redis's CLIENT_MASTER), so they reach
   * this member's own SYNC replicas.
   */
  public static final byte[] FROM_MASTER = "\0kaiware-from-master".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * {@code [RECLAIM, key ...]}: the whole request; each key a read found expired ahead of the log
   * is looked up at the entry's time, which removes it if it is expired then (see
   * {@code Replication}). Nothing else runs; the reply is empty.
   */
  public static final byte[] RECLAIM = "\0kaiware-reclaim".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * {@code [ORIGIN, token]} first in a MULTI block that holds node-local commands (REPLICAOF,
   * CONFIG): they run only on the state machine whose {@link #originToken} it is — the member that
   * received the block, in this run of its process — and are a PING on every other member and on
   * any replay of the log, so each member's transaction runs the same commands on the dataset.
   */
  public static final byte[] ORIGIN = "\0kaiware-origin".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static final byte[][] PING_COMMAND = {"PING".getBytes(java.nio.charset.StandardCharsets.US_ASCII)};

  /** Node-local commands a MULTI block may carry through the log (see {@link #ORIGIN}). */
  private static final Set<String> NODE_LOCAL_IN_BLOCK = Set.of("replicaof", "slaveof", "config");

  private final byte[] originToken = randomToken();

  private static byte[] randomToken() {
    byte[] random = new byte[16];
    new java.security.SecureRandom().nextBytes(random);
    return java.util.HexFormat.of().formatHex(random).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** This state machine's token for {@link #ORIGIN}: random, new in every run. */
  public byte[] originToken() {
    return originToken;
  }

  /** Whether {@code command} is one {@link #NODE_LOCAL_IN_BLOCK} names (container or not). */
  public boolean isNodeLocal(byte[][] command) {
    CommandSpec spec = table.lookup(command[0]);
    return spec != null && NODE_LOCAL_IN_BLOCK.contains(spec.name());
  }

  private static final byte[] MULTI_NAME = "multi".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static boolean isMulti(byte[] name) {
    return CommandTable.equalsIgnoreCase(MULTI_NAME, name); // no String per logged block
  }

  private static boolean isMarker(byte[][] command, byte[] marker) {
    return java.util.Arrays.equals(command[0], marker);
  }

  /** The value-and-expiry digest of {@code key} in {@code db} at {@code nowMs} (all zeros when absent). */
  public static byte[] watchDigest(Keyspace keyspace, int db, byte[] key, long nowMs) {
    return keyspace.digestValue(db, key, nowMs).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private boolean watchGuardHolds(byte[][] guard, long now) {
    if ((guard.length - 1) % 3 != 0) {
      return false;
    }
    for (int i = 1; i < guard.length; i += 3) {
      int db;
      try {
        db = Integer.parseInt(new String(guard[i], java.nio.charset.StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        return false;
      }
      if (db < 0 || db >= keyspace.databaseCount()
          || !java.util.Arrays.equals(watchDigest(keyspace, db, guard[i + 1], now), guard[i + 2])) {
        return false;
      }
    }
    return true;
  }

  private CommandSpec spec(byte[][] command) {
    CommandSpec spec = table.lookup(command[0]);
    if (spec != null && spec.isContainer() && command.length >= 2) {
      CommandSpec sub = CommandTable.subcommand(spec, command[1]);
      if (sub != null) {
        return sub;
      }
    }
    return spec;
  }

  /** Null when {@code command} may run from the log, else the error to answer. */
  String replicable(byte[][] command) {
    CommandSpec spec = spec(command);
    if (spec == null || spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.READONLY)
        || REPLICABLE_CONTROL.contains(spec.name()) || isDebugSleep(spec, command)) {
      return null; // an unknown command gets the dispatcher's (deterministic) error
    }
    return "ERR '" + spec.name() + "' cannot run on a replicated group";
  }

  /**
   * DEBUG SLEEP inside MULTI (Redis's tests use it to let time pass in a transaction): every member
   * sleeps, nothing changes. Log time stands still within an entry, so keys do not expire meanwhile.
   */
  private static boolean isDebugSleep(CommandSpec spec, byte[][] command) {
    return spec.name().equals("debug") && command.length == 3
        && new String(command[1], java.nio.charset.StandardCharsets.US_ASCII).equalsIgnoreCase("sleep");
  }

  /** Null when {@code command} may run as a read (it changes nothing), else the error to answer. */
  String readable(byte[][] command) {
    CommandSpec spec = spec(command);
    if (spec == null || spec.has(CommandFlag.READONLY) || READABLE_CONTROL.contains(spec.name())) {
      return null;
    }
    return "ERR '" + spec.name() + "' is not a read-only command";
  }

  /** Whether the command changes the dataset and so must go through the log. */
  public boolean isWrite(byte[][] command) {
    CommandSpec spec = spec(command);
    return spec != null && spec.has(CommandFlag.WRITE);
  }

  // ---------------------------------------------------------------- reads

  /**
   * A read after ReadIndex (linearizable), on the leader directly, or on any replica for a stale
   * read: the message is an entry (its stamp is ignored); only read-only commands run, at
   * {@link #readTimeMs()}.
   */
  @Override
  public CompletableFuture<Message> query(Message request) {
    ByteBuffer content = request.getContent().asReadOnlyByteBuffer();
    if (content.remaining() == 1 && content.get(content.position()) == NODE_INFO_QUERY) {
      return CompletableFuture.completedFuture(Message.valueOf(clientAddress));
    }
    if (content.remaining() == 1 && content.get(content.position()) == TERM_QUERY) {
      return currentTerm().thenApply(term ->
          Message.valueOf(UnsafeByteOperations.unsafeWrap(ByteBuffer.allocate(Long.BYTES).putLong(0, term))));
    }
    Entry entry;
    try {
      entry = LogEntryCodec.decode(request.getContent().asReadOnlyByteBuffer());
    } catch (CorruptEntryException ex) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("bad read request: " + ex.getMessage()));
    }
    return CompletableFuture.supplyAsync(() -> {
      List<byte[]> replies = new ArrayList<>(entry.requests().size());
      for (Request r : entry.requests()) {
        replies.add(run(r, readTimeMs(), true));
      }
      return Message.valueOf(UnsafeByteOperations.unsafeWrap(LogEntryCodec.encodeReplies(replies)));
    }, engine);
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * The newest snapshot on disk, or null. Ratis asks for it all the time (each log appender, on
   * every round, checks whether its follower needs one), and {@link SimpleStateMachineStorage}
   * answers "none yet" by listing the directory again: in a 3-member throughput run before the
   * first snapshot, about 4% of the leader's CPU went to directory listings. It only changes where this
   * class sets it: at start, after a snapshot install, and when a snapshot is written.
   */
  private volatile SingleFileSnapshotInfo latestSnapshot;

  @Override
  public SingleFileSnapshotInfo getLatestSnapshot() {
    return latestSnapshot;
  }

  /** The snapshot being written in the background, or null; see {@link #takeSnapshot}. */
  private volatile CompletableFuture<Long> snapshotInFlight;
  /**
   * Operators' snapshot requests ({@link RaftNode#snapshot}), which must wait for their file:
   * tickets issued, and the newest one a takeSnapshot call or a reply has settled (guarded by
   * {@code this}). Ratis answers some requests without calling takeSnapshot (nothing applied since
   * the latest snapshot), so the reply settles its ticket too.
   */
  private long synchronousTicketsIssued;
  private long synchronousTicketsSettled;
  private final java.util.concurrent.ExecutorService snapshotWriter =
      java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kaiware-snapshot-writer");
        t.setDaemon(true);
        return t;
      });

  /**
   * Makes the next {@link #takeSnapshot} write its file before it returns (an operator's request);
   * pass the ticket to {@link #synchronousSnapshotAnswered} when Ratis replies.
   */
  synchronized long requestSynchronousSnapshot() {
    return ++synchronousTicketsIssued;
  }

  /** Ratis replied to the request of {@code ticket}, with or without a takeSnapshot call. */
  synchronized void synchronousSnapshotAnswered(long ticket) {
    synchronousTicketsSettled = Math.max(synchronousTicketsSettled, ticket);
  }

  /** Whether an operator's request is waiting; settles every ticket issued so far. */
  private synchronized boolean takeSynchronousTickets() {
    boolean waiting = synchronousTicketsSettled < synchronousTicketsIssued;
    synchronousTicketsSettled = synchronousTicketsIssued;
    return waiting;
  }

  /** Set by {@link #discardStateOnExit}: no snapshot is written any more. */
  private volatile boolean stateDiscarded;

  /**
   * The applied state stopped following the log (SHUTDOWN NOSAVE ended a script an entry was
   * running) and the process is exiting: no snapshot is written from now on — not even the one
   * Ratis takes when it stops — so a restart applies the log again from the last good snapshot.
   */
  public void discardStateOnExit() {
    stateDiscarded = true;
  }

  /**
   * Snapshots the keyspace at the last applied index into {@code snapshot.<term>_<index>} without
   * stopping the engine for the whole serialisation.
   *
   * <p>Ratis calls this on its state machine updater thread, the thread that also hands committed
   * entries to {@link #applyTransaction}, so whatever this method does in line stops applies (and
   * the replies of acknowledged writes) for as long. It therefore only takes a {@link
   * SnapshotCodec.Cut} on the engine thread (array copies for a string-only database: 1-9 ms for
   * 100,000 keys), hands the encoding and file writing to the snapshot writer thread, and returns
   * {@code -1}: "no new snapshot yet", so Ratis purges nothing and asks again after its next batch
   * of applies. The call after the file is durable returns its index, and only then does Ratis
   * purge the log behind it. An operator's snapshot ({@link #requestSynchronousSnapshot}) is
   * written in line so the index it answers is on disk.
   *
   * <p>The file is written to a temporary name, fsynced, atomically renamed and the directory
   * fsynced; an MD5 file next to it lets Ratis pick and ship it to followers. The content carries its
   * own CRC32C.
   */
  @Override
  public long takeSnapshot() throws IOException {
    if (stateDiscarded) {
      return RaftLog.INVALID_LOG_INDEX; // what is applied no longer follows the log: never saved
    }
    boolean synchronous = takeSynchronousTickets();
    CompletableFuture<Long> inFlight = snapshotInFlight;
    if (inFlight != null) {
      if (!inFlight.isDone() && !synchronous) {
        return RaftLog.INVALID_LOG_INDEX;
      }
      snapshotInFlight = null;
      long written = awaitSnapshot(inFlight);
      if (!synchronous) {
        return written;
      }
    }
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() < 0) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    long startNanos = System.nanoTime();
    SnapshotCodec.Cut cut;
    try {
      cut = CompletableFuture.supplyAsync(() -> {
        try {
          SnapshotCodec.Cut c = SnapshotCodec.cut(keyspace, last.getTerm(), last.getIndex(), logTimeMs);
          keyspace.markSaved(); // as Redis at fork: the changes since are what the next save must cover
          return c;
        } catch (IOException e) {
          throw new CompletionException(e);
        }
      }, engine).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
    long cutNanos = System.nanoTime() - startNanos;
    stats.snapshotCut(cutNanos);
    if (synchronous) {
      return writeSnapshot(cut, startNanos, cutNanos);
    }
    snapshotInFlight = CompletableFuture.supplyAsync(() -> {
      try {
        return writeSnapshot(cut, startNanos, cutNanos);
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    }, snapshotWriter);
    return RaftLog.INVALID_LOG_INDEX;
  }

  /** The index of a finished background snapshot, or -1 (logged) when it failed. */
  private static long awaitSnapshot(CompletableFuture<Long> snapshot) {
    try {
      return snapshot.join();
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      log.error("snapshot failed; the log is kept and the next one is tried later", cause);
      return RaftLog.INVALID_LOG_INDEX;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      finishSnapshotInFlight();
      snapshotWriter.shutdown();
      super.close();
    } finally {
      try {
        closeListener.run();
      } catch (RuntimeException e) {
        log.warn("close listener failed", e);
      }
    }
  }

  /** Waits for a snapshot being written in the background (before a snapshot install, or on close). */
  private void finishSnapshotInFlight() {
    CompletableFuture<Long> inFlight = snapshotInFlight;
    if (inFlight != null) {
      awaitSnapshot(inFlight);
    }
  }

  private long writeSnapshot(SnapshotCodec.Cut cut, long startNanos, long cutNanos) throws IOException {
    File file = storage.getSnapshotFile(cut.term(), cut.index());
    Path target = file.toPath();
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    java.security.MessageDigest digest = MD5FileUtil.newMD5();
    long keys;
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      java.io.OutputStream out = new java.io.BufferedOutputStream(new java.security.DigestOutputStream(
          java.nio.channels.Channels.newOutputStream(ch), digest), 1 << 16);
      keys = SnapshotCodec.write(cut, out);
      out.flush();
      ch.force(true);
    }
    MD5Hash md5 = MD5Hash.newInstance(digest.digest());
    // The .md5 (computed while streaming rather than re-read) appears with the file, as far as
    // Ratis's retention pass can tell.
    synchronized (snapshotFiles) {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      MD5FileUtil.saveMD5File(file, md5);
    }
    fsyncDirectory(target.getParent());
    // Never moves "latest" backwards (a follower may have installed a newer one meanwhile).
    latestSnapshot = storage.updateLatestSnapshot(
        new SingleFileSnapshotInfo(new FileInfo(target, md5), cut.term(), cut.index()));
    long nanos = System.nanoTime() - startNanos;
    log.info("snapshot {}_{} written: {} keys, {} bytes in {} ms ({} us of it on the engine thread)",
        cut.term(), cut.index(), keys, Files.size(target), nanos / 1_000_000, cutNanos / 1_000);
    stats.snapshotTaken(nanos);
    return cut.index();
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      log.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  /** Replaces the keyspace with {@code snapshot}'s content (on the engine thread). */
  private void load(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      return;
    }
    Path path = snapshot.getFile().getPath();
    if (!Files.exists(path)) {
      log.warn("snapshot {} is missing", path);
      return;
    }
    byte[] data = Files.readAllBytes(path);
    SnapshotCodec.Header h = SnapshotCodec.verify(data);
    if (h.term() != snapshot.getTerm() || h.index() != snapshot.getIndex()) {
      throw new IOException("snapshot " + path + " holds " + h.term() + "_" + h.index());
    }
    try {
      CompletableFuture.runAsync(() -> {
        try {
          SnapshotCodec.read(data, keyspace);
        } catch (IOException e) {
          throw new CompletionException(e);
        }
        keyspace.markSaved();
        logTimeMs = h.logTimeMs();
        keyspace.reclaimHorizonMs(logTimeMs);
        engineAppliedIndex = h.index();
      }, engine).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
    setLastAppliedTermIndex(TermIndex.valueOf(h.term(), h.index()));
    log.info("loaded snapshot {} (log time {})", path.getFileName(), h.logTimeMs());
  }
}

package io.kaiware.command;

import io.kaiware.command.config.ServerConfig;
import io.kaiware.command.observe.CommandLatency;
import io.kaiware.command.observe.LatencyMonitor;
import io.kaiware.command.observe.SlowLog;
import io.kaiware.command.observe.WriteDelayWatch;
import io.kaiware.command.replication.ReplicaRole;
import io.kaiware.command.transaction.Transaction;
import io.kaiware.command.transaction.TransactionCommands;
import io.kaiware.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one command the way Redis's {@code processCommand} does: look it up in the {@link CommandTable},
 * resolve a subcommand, check arity, authentication and the other flag gates, then call the handler.
 * Every failure becomes an error reply; nothing escapes as an exception (the engine must never throw
 * out of apply).
 *
 * <p>Single-threaded: owned by the engine thread.
 */
public final class Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final CommandTable table;
  private final CommandContext ctx;
  private final Map<CommandSpec, CommandStats> stats = new IdentityHashMap<>();
  /** Commands that run at once inside MULTI (EXEC, DISCARD, MULTI, WATCH, QUIT, RESET). */
  private final java.util.Set<CommandSpec> notQueued = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private long totalCommandsProcessed;
  private long totalErrorReplies;
  /** Redis's errorstats limit: distinct error kinds tracked. */
  static final int MAX_ERROR_KINDS = 128;
  static final int MAX_ERROR_KIND_LENGTH = 32;
  private final Map<String, java.util.concurrent.atomic.AtomicLong> errorReplies =
      new java.util.concurrent.ConcurrentSkipListMap<>();
  private final SlowLog slowLog = new SlowLog();
  private final LatencyMonitor latencyMonitor = new LatencyMonitor();
  private final WriteDelayWatch writeDelays = new WriteDelayWatch(latencyMonitor);
  /** latency-tracking: whether each call is recorded into its command's histogram. */
  private boolean latencyTracking = true;

  public Dispatcher(CommandTable table, CommandContext ctx) {
    this.table = table;
    this.ctx = ctx;
    ctx.dispatcher(this);
    for (CommandSpec spec : table.allWithSubcommands()) {
      stats.put(spec, new CommandStats(spec.name()));
      if (TransactionCommands.NOT_QUEUED.contains(spec.name())) {
        notQueued.add(spec);
      }
    }
    if (ctx.server() != null) {
      followConfig(ctx.server().config());
    }
  }

  /** Applies the slow log and latency settings now and again whenever CONFIG SET changes them. */
  private void followConfig(ServerConfig config) {
    Runnable apply = () -> {
      slowLog.configure(config.getLong("slowlog-log-slower-than"), config.getInt("slowlog-max-len"));
      latencyMonitor.configure(config.getLong("latency-monitor-threshold"));
      latencyTracking = config.getBool("latency-tracking");
      writeDelays.configure(config.getLong("write-delay-warn-ms"));
      memoryLimit.configure(config.getLong("maxmemory"));
      compactEncodings.configure(config);
      minReplicasToWrite = config.getInt("min-replicas-to-write");
      minReplicasMaxLagMs = config.getLong("min-replicas-max-lag") * 1000;
      replicaReadOnly = config.getBool("replica-read-only");
      replicaServeStaleData = config.getBool("replica-serve-stale-data");
    };
    apply.run();
    for (String key : new String[] {"slowlog-log-slower-than", "slowlog-max-len", "latency-monitor-threshold", "latency-tracking",
        "write-delay-warn-ms", "maxmemory", "min-replicas-to-write", "min-replicas-max-lag", "replica-read-only",
        "replica-serve-stale-data"}) {
      config.onChange(key, p -> apply.run());
    }
    for (String key : CompactEncodings.PARAMS) {
      config.onChange(key, p -> apply.run());
    }
  }

  /** SLOWLOG's entries. */
  public SlowLog slowLog() {
    return slowLog;
  }

  /** LATENCY's events: slow commands here, GC pauses and other spikes from elsewhere in the process. */
  public LatencyMonitor latencyMonitor() {
    return latencyMonitor;
  }

  /** The "writes delayed" warning for batches that took too long to apply or commit. */
  public WriteDelayWatch writeDelays() {
    return writeDelays;
  }

  public CommandTable table() {
    return table;
  }

  /** Calls, time and errors of one command, for INFO commandstats. */
  public static final class CommandStats {
    public final String name;
    public long calls;
    public long usec;
    public long rejectedCalls;
    public long failedCalls;
    /** Per-call latency, for INFO latencystats and LATENCY HISTOGRAM (when latency-tracking is on). */
    public final CommandLatency latency = new CommandLatency();

    CommandStats(String name) {
      this.name = name;
    }
  }

  public Iterable<CommandStats> commandStats() {
    return stats.values();
  }

  public long totalCommandsProcessed() {
    return totalCommandsProcessed;
  }

  public long totalErrorReplies() {
    return totalErrorReplies;
  }

  public void resetStats() {
    for (CommandStats s : stats.values()) {
      s.calls = 0;
      s.usec = 0;
      s.rejectedCalls = 0;
      s.failedCalls = 0;
      s.latency.reset();
    }
    totalCommandsProcessed = 0;
    totalErrorReplies = 0;
    errorReplies.clear();
  }

  /** Commands whose confirmations Redis 7.0 pushes, so CLIENT REPLY OFF/SKIP do not silence them. */
  private static final java.util.Set<String> PUSHED_REPLIES =
      java.util.Set.of("subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe");

  /**
   * Executes {@code args} (never empty) for {@code session}, writing the reply to {@code out}.
   *
   * @param nowMs the command time: the log entry's time on a replicated group
   */
  public void execute(ClientSession session, byte[][] args, RespWriter out, long nowMs) {
    boolean suppressed = session.consumeReplySuppressed();
    int mark = out.buffer().writerIndex();
    totalCommandsProcessed++;
    CommandSpec spec = table.lookup(args[0]);
    String rejection = null;
    if (spec == null) {
      rejection = unknownCommand(args);
    } else if (spec.isContainer() && args.length >= 2) {
      CommandSpec sub = CommandTable.subcommand(spec, args[1]);
      if (sub == null) {
        rejection = "ERR unknown subcommand '" + truncate(latin1(args[1]), 128) + "'. Try "
            + spec.name().toUpperCase(java.util.Locale.ROOT) + " HELP.";
      } else {
        spec = sub;
      }
    }
    if (rejection == null) {
      // A container runs only when it has a body of its own (COMMAND with no subcommand).
      if (!spec.arityAccepts(args.length) || (spec.isContainer() && spec.handler() == null)) {
        rejection = "ERR wrong number of arguments for '" + spec.name() + "' command";
      } else if (!session.authenticated() && !spec.has(CommandFlag.NO_AUTH)) {
        rejection = "NOAUTH Authentication required.";
      }
    }
    if (rejection == null && session.protocol() == 2 && session.subscribed()
        && !io.kaiware.command.pubsub.PubSubCommands.ALLOWED_WHILE_SUBSCRIBED.contains(spec.name())) {
      rejection = "ERR Can't execute '" + spec.name()
          + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";
    }
    Transaction tx = session.transaction();
    boolean queuing = tx.active();
    if (rejection == null && queuing && spec.has(CommandFlag.NO_MULTI)) {
      rejection = "ERR Command not allowed inside a transaction";
    }
    if (rejection == null) {
      rejection = admission(session, spec, args, tx);
    }
    if (rejection == null && scripts != null && scripts.busy() && !spec.has(CommandFlag.ALLOW_BUSY)) {
      // A client served from inside a script that runs past busy-reply-threshold (processCommand's
      // isInsideYieldingLongCommand): only SCRIPT KILL, MULTI, WATCH ... may run meanwhile.
      rejection = io.kaiware.command.script.LuaEngine.BUSY;
    }
    if (rejection != null) {
      if (spec != null) {
        stats.get(spec).rejectedCalls++;
      }
      if (spec != null && spec.name().equals("exec") && !rejection.startsWith("EXECABORT")) {
        // Redis's rejectCommand: a refused EXEC aborts the transaction (execCommandAbort), in MULTI
        // or not, and drops the watches with it. Its text is the refusal's without a leading ERR
        // (rejectCommandFormat's messages have none; shared errors keep their code: NOAUTH).
        tx.discard();
        rejection = "EXECABORT Transaction discarded because of: "
            + (rejection.startsWith("ERR ") ? rejection.substring(4) : rejection);
      } else if (queuing) {
        tx.flagError();
      }
      out.error(rejection);
    } else if (queuing && !notQueued.contains(spec)) {
      session.touched(nowMs, spec.name());
      tx.queue(spec, args);
      out.simpleString("QUEUED");
    } else {
      session.touched(nowMs, spec.name());
      invoke(session, spec, args, out, nowMs);
      // Redis 7.0 writes (un)subscribe confirmations as pushes (CLIENT_PUSHING), which CLIENT REPLY
      // OFF/SKIP do not silence.
      if (suppressed && PUSHED_REPLIES.contains(spec.name())) {
        suppressed = false;
      }
      // CLIENT REPLY ON clears OFF and SKIP before it answers, so its OK is sent (Redis's clientCommand).
      if (suppressed && spec.name().equals("client|reply") && session.replyMode() == ClientSession.ReplyMode.ON) {
        suppressed = false;
      }
    }
    if (session.closeAfterReply()) {
      // QUIT or a killed client: like Redis freeing the client, drop its transaction and watches.
      tx.discard();
    }
    countErrorReply(out, mark);
    if (suppressed) {
      out.buffer().writerIndex(mark);
    }
  }

  private final Propagation propagation = new Propagation();
  private final Monitors monitors = new Monitors();

  /** The clients in MONITOR mode. */
  public Monitors monitors() {
    return monitors;
  }

  private boolean isScriptClient(ClientSession session) {
    return scripts != null && scripts.isScriptClient(session);
  }
  private final ReplicaRole replicaRole = new ReplicaRole();
  private int minReplicasToWrite;
  private long minReplicasMaxLagMs;
  private boolean replicaReadOnly = true;
  private boolean replicaServeStaleData = true;

  static final String NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";
  static final String READONLY = "READONLY You can't write against a read only replica.";
  static final String MASTERDOWN = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

  /** Whether this server follows a Redis master, and how its link stands. */
  public ReplicaRole replicaRole() {
    return replicaRole;
  }

  /**
   * EVAL or EVALSHA of a script that does not declare {@code no-writes}: counted as a write while
   * following a master, so a read-only replica refuses it up front. (Redis refuses such a script's
   * first write instead; a script's write here happens in apply, where no admission may differ
   * between members. Read-only scripts are EVAL_RO, EVALSHA_RO, or a no-writes shebang.)
   */
  private boolean mayWriteByScript(CommandSpec spec, byte[][] args) {
    if (!replicaRole.following() || args.length < 2 || !"scripting".equals(spec.group())) {
      return false;
    }
    if (spec.name().equals("eval")) {
      return !io.kaiware.command.script.LuaEngine.declaresNoWrites(args[1]);
    }
    if (spec.name().equals("evalsha")) {
      io.kaiware.command.script.LuaEngine.Script script = scripts().cached(args[1]);
      return script == null || !script.readOnly();
    }
    return false;
  }

  /** Whether {@link #admission} can refuse anything now (a limit set, or following a master). */
  public boolean admissionMayRefuse() {
    return memoryLimit.enabled() || minReplicasToWrite > 0 || replicaRole.following();
  }

  /**
   * Redis's admission of a client's command (processCommand), in its order: maxmemory (OOM),
   * min-replicas-to-write (NOREPLICAS), a read-only replica of a Redis master (READONLY), a
   * replica whose master link is down with replica-serve-stale-data no (MASTERDOWN, for commands
   * not flagged STALE). EXEC is judged by the commands it would run and refused with EXECABORT,
   * its transaction discarded; a command refused while queued condemns its transaction (the
   * caller flags it). Null when the command may run. Nothing applies to the log applier or to the
   * master's own commands: the entries were admitted where they were received (ADR 0003).
   */
  public String admission(ClientSession session, CommandSpec spec, byte[][] args, Transaction tx) {
    if (session.logApplier() || session.fromMaster()) {
      return null;
    }
    String refusal = memoryLimit.refusal(spec, tx);
    if (refusal != null || (minReplicasToWrite == 0 && !replicaRole.following())) {
      return refusal; // the usual case: two field reads
    }
    boolean exec = tx.active() && spec.name().equals("exec");
    boolean writes = spec.has(CommandFlag.WRITE) || mayWriteByScript(spec, args);
    boolean denyStale = !spec.has(CommandFlag.STALE);
    if (exec) {
      for (Transaction.Queued q : tx.queued()) {
        writes |= q.spec().has(CommandFlag.WRITE) || mayWriteByScript(q.spec(), q.args());
        denyStale |= !q.spec().has(CommandFlag.STALE);
      }
    }
    if (writes && !replicaRole.following() && minReplicasToWrite > 0 && minReplicasMaxLagMs > 0
        && (ctx.server() == null ? 0 : ctx.server().goodReplicaCount(minReplicasMaxLagMs)) < minReplicasToWrite) {
      refusal = NOREPLICAS;
    } else if (writes && replicaRole.following() && replicaReadOnly) {
      refusal = READONLY;
    } else if (denyStale && replicaRole.following() && !replicaRole.linkUp() && !replicaServeStaleData) {
      refusal = MASTERDOWN;
    }
    if (refusal != null && exec) {
      tx.discard();
      return "EXECABORT Transaction discarded because of: " + refusal;
    }
    return refusal;
  }

  /** The server hosting the engine (null in tests that have none). */
  public ServerHooks serverHooks() {
    return ctx.server();
  }

  /** The replication stream of the clients attached with SYNC/PSYNC. */
  public Propagation propagation() {
    return propagation;
  }

  private final MemoryLimit memoryLimit = new MemoryLimit();
  private final CompactEncodings compactEncodings = new CompactEncodings();

  /** The listpack limits OBJECT ENCODING follows for hashes and sorted sets, and the sets' intset limit. */
  public CompactEncodings compactEncodings() {
    return compactEncodings;
  }

  /** The maxmemory check, for paths that admit writes without this dispatcher (the Raft pipeline). */
  public MemoryLimit memoryLimit() {
    return memoryLimit;
  }

  /** The Lua engine: created on first use (most dispatchers never run a script). */
  private io.kaiware.command.script.LuaEngine scripts;

  /** Whether a script is running past busy-reply-threshold (other clients' commands are answered BUSY). */
  public boolean scriptBusy() {
    return scripts != null && scripts.busy();
  }

  /** Whether a script is running now: a command executed meanwhile comes from a client served from inside it. */
  public boolean scriptRunning() {
    return scripts != null && scripts.running();
  }

  /** This engine's Lua scripting: its script cache and sandboxed Lua state. Engine thread only. */
  public io.kaiware.command.script.LuaEngine scripts() {
    if (scripts == null) {
      scripts = new io.kaiware.command.script.LuaEngine(this, table, ctx.server() == null ? null : ctx.server().config());
    }
    return scripts;
  }

  /** Whether a script engine exists (INFO reads its figures without creating one). */
  public boolean hasScripts() {
    return scripts != null;
  }

  /**
   * Runs a command a script called (redis.call): the script checked it (arity, flags) as Redis's
   * scriptCall does; it is counted, timed and slow-logged like any command, and its reply (or
   * error) is appended to {@code out}. Rebinds the shared context.
   */
  public void executeFromScript(ClientSession scriptClient, CommandSpec spec, byte[][] args, RespWriter out, long nowMs) {
    totalCommandsProcessed++;
    invoke(scriptClient, spec, args, out, nowMs);
  }

  /** A command a script called was refused before it ran (scriptCall's checks): one rejected call. */
  public void rejectedFromScript(CommandSpec spec) {
    stats.get(spec).rejectedCalls++;
  }

  /**
   * Runs one command queued by MULTI, for EXEC: the checks were made when it was queued. Its reply
   * (or error) is appended to {@code out}.
   */
  public void executeQueued(ClientSession session, CommandSpec spec, byte[][] args, RespWriter out, long nowMs) {
    totalCommandsProcessed++;
    int mark = out.buffer().writerIndex();
    session.enterQueued();
    try {
      invoke(session, spec, args, out, nowMs);
    } finally {
      session.leaveQueued();
    }
    countErrorReply(out, mark);
  }

  /**
   * Counts the reply written since {@code mark} if it is an error, by its first word (ERR,
   * WRONGTYPE, NOAUTH ...), for INFO errorstats and the admin port. Every error reply passes here,
   * whether a handler threw or wrote it; EXEC's own array is not an error, the queued commands'
   * errors are counted as they run. One byte read per command when there is no error.
   */
  private void countErrorReply(RespWriter out, int mark) {
    io.netty.buffer.ByteBuf buf = out.buffer();
    int end = buf.writerIndex();
    if (end <= mark || buf.getByte(mark) != '-') {
      return;
    }
    totalErrorReplies++;
    int kindEnd = mark + 1;
    int limit = Math.min(end, mark + 1 + MAX_ERROR_KIND_LENGTH);
    while (kindEnd < limit && buf.getByte(kindEnd) != ' ' && buf.getByte(kindEnd) != '\r') {
      kindEnd++;
    }
    String kind = buf.toString(mark + 1, kindEnd - mark - 1, StandardCharsets.US_ASCII);
    java.util.concurrent.atomic.AtomicLong count = errorReplies.get(kind);
    if (count == null) {
      if (errorReplies.size() >= MAX_ERROR_KINDS) {
        // Like Redis: past 128 kinds, stop tracking new ones (a client could invent endless prefixes).
        return;
      }
      count = new java.util.concurrent.atomic.AtomicLong();
      errorReplies.put(kind, count);
    }
    count.incrementAndGet();
  }

  /** Error replies by kind since start or CONFIG RESETSTAT; safe to read from other threads. */
  public Map<String, java.util.concurrent.atomic.AtomicLong> errorReplies() {
    return errorReplies;
  }

  /** Calls the handler, turning a thrown error into an error reply that replaces any partial reply. */
  private void invoke(ClientSession session, CommandSpec spec, byte[][] args, RespWriter out, long nowMs) {
    int mark = out.buffer().writerIndex();
    ctx.bind(args, session, out, nowMs);
    ctx.spec(spec);
    CommandStats s = stats.get(spec);
    Propagation p = propagation;
    // MONITOR (Redis's call()): after the command, not ADMIN ones; scripts before they run. The
    // member applying the log does not feed: the write was fed where a client sent it.
    boolean monitored = monitors.active() && !spec.has(CommandFlag.ADMIN) && !session.logApplier();
    if (monitored && spec.has(CommandFlag.SKIP_MONITOR)) {
      monitors.feed(session, isScriptClient(session), session.db(), args);
    }
    int frame = -1;
    long writesBefore = 0;
    if (p.active()) {
      frame = p.enter();
      writesBefore = ctx.keyspace().writes();
    }
    long startNs = System.nanoTime();
    try {
      spec.handler().execute(ctx);
    } catch (CommandError e) {
      out.buffer().writerIndex(mark);
      out.error(e.getMessage());
      s.failedCalls++;
    } catch (RuntimeException | StackOverflowError e) {
      log.error("command {} failed", spec.name(), e);
      out.buffer().writerIndex(mark);
      out.error("ERR internal error in '" + spec.name() + "': " + e);
      s.failedCalls++;
    }
    long durationNs = System.nanoTime() - startNs;
    if (monitored && !spec.has(CommandFlag.SKIP_MONITOR)) {
      monitors.feed(session, isScriptClient(session), session.db(), args);
    }
    if (frame >= 0) {
      p.leave(frame, spec, args, session.db(), ctx.keyspace().writes() != writesBefore, p.relays(session));
    }
    if (!session.consumeAlreadyCounted() && !session.rerunOfParkedCommand()) {
      s.calls++;
    }
    s.usec += durationNs / 1000;
    if (latencyTracking) {
      s.latency.record(durationNs);
    }
    if (!spec.has(CommandFlag.SKIP_SLOWLOG)) {
      slowLog.maybeRecord(session, args, durationNs / 1000, nowMs);
    }
    long durationMs = durationNs / 1_000_000;
    if (latencyMonitor.wouldRecord(durationMs)) {
      latencyMonitor.maybeRecord(spec.has(CommandFlag.FAST) ? "fast-command" : "command", durationMs, nowMs);
    }
  }

  /** Redis's exact text: the name, then up to ~128 characters of the arguments, each quoted. */
  static String unknownCommand(byte[][] args) {
    StringBuilder rest = new StringBuilder();
    for (int i = 1; i < args.length && rest.length() < 128; i++) {
      int width = 128 - rest.length(); // Redis's "'%.*s' " takes its width before the quote is written
      rest.append('\'').append(truncate(latin1(args[i]), width)).append("' ");
    }
    return "ERR unknown command '" + truncate(latin1(args[0]), 128) + "', with args beginning with: " + rest;
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Redis's {@code %.*s} of an argument: at most {@code max} characters, and none from a NUL byte on (a C string). */
  private static String truncate(String s, int max) {
    String c = CommandContext.cString(s);
    return c.length() <= max ? c : c.substring(0, max);
  }
}

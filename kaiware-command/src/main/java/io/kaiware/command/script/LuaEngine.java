package io.kaiware.command.script;

import io.kaiware.command.ClientSession;
import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandFlag;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.CommandTable;
import io.kaiware.command.Dispatcher;
import io.kaiware.command.MemoryLimit;
import io.kaiware.command.config.ServerConfig;
import io.kaiware.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lua scripting engine of one Kaiware engine thread: one sandboxed Lua state (LuaJ, see
 * {@link LuaSandbox}), the script cache by SHA1, and the run of one script with its
 * {@code redis.call}s going through the same {@link Dispatcher} as every other command.
 *
 * <h2>Determinism (ADR 0006)</h2>
 * Scripts are replicated as scripts: every replica runs an EVAL when it applies the log entry, so
 * a script must do exactly the same on every replica. Therefore:
 * <ul>
 *   <li>scripts cannot change globals or any table reachable from them ({@link ReadOnlyTables}):
 *       a fresh Lua state (a restarted replica, SCRIPT FLUSH) behaves like one that ran many scripts;</li>
 *   <li>time is the command time of the EVAL (the log entry's), for every command the script calls;</li>
 *   <li>{@code math.random} is Redis's rand48, seeded for every call from replicated state: the
 *       database's write-draw counter for a script that may write (the one SPOP draws from), a
 *       local counter for a read-only one (it runs on one node and changes nothing);</li>
 *   <li>a script that runs more than {@code lua-max-instructions} Lua instructions ends with an
 *       error reply (its writes so far stay, as after a Lua runtime error in Redis), on every
 *       replica at the same instruction;</li>
 *   <li>a script runs first as a <em>probe</em> on the member that received it, outside the log,
 *       and stops before its first write (the log then runs it from the start, everywhere); only
 *       a script that changed nothing and did not come through the log may be killed (SCRIPT
 *       KILL), so the wall clock behind BUSY and kills never makes replicas differ;</li>
 *   <li>an EVALSHA never reaches the log: the node that receives it resolves it to the script body
 *       first (ConnectionPipeline); the log applier answers NOSCRIPT to any that does, whatever its
 *       cache holds.</li>
 * </ul>
 *
 * <p>Engine-thread confined, like the dispatcher that owns it.
 */
public final class LuaEngine {

  private static final Logger log = LoggerFactory.getLogger(LuaEngine.class);

  public static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";
  /** The default of {@code lua-max-instructions}. */
  public static final long DEFAULT_MAX_INSTRUCTIONS = 200_000_000L;

  /** A cached script: its SHA1 (lowercase hex), body, shebang flags and compiled function. */
  public record Script(String sha, byte[] body, int flags, LuaValue function) {
    /** Whether the script declared {@code no-writes} in a shebang: it runs like a read. */
    public boolean readOnly() {
      return Shebang.readOnly(flags);
    }
  }

  private final Dispatcher dispatcher;
  private final CommandTable table;
  private final ServerConfig config;
  private final Map<String, Script> scripts = new HashMap<>();
  private long scriptBytes;
  private LuaSandbox sandbox;
  private final Rand48 random = new Rand48();
  private long readOnlyDraws;
  /** The client the scripts' commands run as (Redis's lua_client). */
  private final ClientSession luaClient = new ClientSession("lua", "lua", 0, true);
  private final ByteBuf callReply = Unpooled.buffer(256);
  private final RespWriter callWriter = new RespWriter();
  /** The script running now, or null. */
  private Run run;

  /** What one script run needs while its redis.call()s execute. */
  private static final class Run {
    final ClientSession caller;
    final long nowMs;
    final boolean readOnly;
    final boolean allowOom;
    final boolean oomAtStart;
    final String funcName;
    /** A probe (ADR 0006): it stops at its first write, which the log then runs. */
    final boolean probe;
    final long startNs = System.nanoTime();
    boolean writeDirty;
    int resp = 2;
    /** It has run past busy-reply-threshold: other clients are answered BUSY meanwhile. */
    boolean timedOut;
    /** SCRIPT KILL asked it to stop. */
    boolean killed;

    Run(ClientSession caller, long nowMs, boolean readOnly, boolean allowOom, boolean oomAtStart, String funcName,
        boolean probe) {
      this.caller = caller;
      this.nowMs = nowMs;
      this.readOnly = readOnly;
      this.allowOom = allowOom;
      this.oomAtStart = oomAtStart;
      this.funcName = funcName;
      this.probe = probe;
    }
  }

  /**
   * Ends a probe with nothing changed: {@link #PROBE_STOP} at its first write (the log runs the
   * script), {@link #PROBE_MOVE} when it outlasts its first hook check inside the I/O pass (a task
   * runs it again). An Error, not an Exception, so that no pcall in the script can catch it (LuaJ's
   * own pcall catches Exceptions; the sandbox's catches LuaError and StackOverflowError).
   */
  private static final class ProbeStop extends Error {
    private static final long serialVersionUID = 1L;

    ProbeStop() {
      super(null, null, false, false);
    }
  }

  private static final ProbeStop PROBE_STOP = new ProbeStop();
  private static final ProbeStop PROBE_MOVE = new ProbeStop();

  public LuaEngine(Dispatcher dispatcher, CommandTable table, ServerConfig config) {
    this.dispatcher = dispatcher;
    this.table = table;
    this.config = config;
  }

  private LuaSandbox sandbox() {
    if (sandbox == null) {
      sandbox = new LuaSandbox(this);
    }
    return sandbox;
  }

  // ---------------------------------------------------------------- the cache

  /** The cached script of {@code sha} (any letter case), or null. */
  public Script cached(byte[] sha) {
    if (sha.length != 40) {
      return null;
    }
    return scripts.get(new String(sha, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT));
  }

  /** How many scripts are cached (INFO's number_of_cached_scripts). */
  public int cachedCount() {
    return scripts.size();
  }

  /** The bytes of the cached bodies plus a per-script overhead (INFO's used_memory_scripts_eval). */
  public long cachedBytes() {
    return scriptBytes + scripts.size() * 120L;
  }

  /** SCRIPT FLUSH: forgets every script and starts a fresh Lua state (Redis's scriptingReset). */
  public void flush() {
    scripts.clear();
    probeRecords.clear();
    scriptBytes = 0;
    sandbox = null;
  }

  // ---------------------------------------------------------------- which scripts are probed

  /** Probes of a script that stopped at a write within its first hook interval, in a row, after which it is not probed. */
  static final int QUICK_WRITES_BEFORE_SKIPPING = 4;
  /** While skipped, one run in this many is probed again, so that a script that changed its ways is seen. */
  static final int PROBE_ONE_IN = 64;

  /** How the recent probes of a script (by SHA1) ended. */
  private static final class ProbeRecord {
    int quickWrites;
    int skipped;
  }

  private final Map<String, ProbeRecord> probeRecords = new HashMap<>();

  /**
   * Whether the script of {@code command} (EVAL or EVALSHA, from a client) should run as a probe
   * before the log (ADR 0006). A probe of a script that writes almost at once is pure cost — it
   * runs the script's first instructions twice — and such a script cannot be killed after its
   * first write anyway. So once {@link #QUICK_WRITES_BEFORE_SKIPPING} probes in a row of the same
   * script stopped at a write within the first {@link LuaSandbox#INTERRUPT_EVERY} instructions,
   * the script goes to the log unprobed, except one run in {@link #PROBE_ONE_IN}; a probe that
   * completes, or runs longer, resets the count. The price: a script so marked that, with other
   * arguments or data, runs long before its first write is not killable in that run (the
   * instruction limit still ends it).
   */
  public boolean shouldProbe(byte[][] command, boolean evalsha) {
    if (probeRecords.isEmpty()) {
      return true;
    }
    String sha = evalsha ? new String(command[1], StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT)
        : sha1hex(command[1]);
    ProbeRecord record = probeRecords.get(sha);
    if (record == null || record.quickWrites < QUICK_WRITES_BEFORE_SKIPPING) {
      return true;
    }
    return ++record.skipped % PROBE_ONE_IN == 0;
  }

  /** Notes how a probe of {@code sha} ended: at a write after {@code instructions}, or otherwise. */
  private void recordProbe(String sha, boolean stoppedAtWrite, long instructions) {
    boolean quick = stoppedAtWrite && instructions < LuaSandbox.INTERRUPT_EVERY;
    ProbeRecord record = probeRecords.get(sha);
    if (record == null) {
      if (!quick || !scripts.containsKey(sha)) {
        return;
      }
      record = new ProbeRecord();
      probeRecords.put(sha, record);
    }
    record.quickWrites = quick ? record.quickWrites + 1 : 0;
  }

  /**
   * The script of {@code body}, compiled and cached if new (Redis's luaCreateFunction); a
   * {@link CommandError} with Redis's text when its shebang or its code is invalid.
   */
  public Script load(byte[] body) {
    String sha = sha1hex(body);
    Script s = scripts.get(sha);
    if (s != null) {
      return s;
    }
    Shebang.Parsed shebang = Shebang.parse(body);
    LuaValue function;
    try {
      function = sandbox().compile(new ByteArrayInputStream(body, shebang.length(), body.length - shebang.length()));
    } catch (LuaError e) {
      throw new CommandError("ERR Error compiling script (new function): " + LuaSandbox.compileMessage(e));
    }
    s = new Script(sha, body, shebang.flags(), function);
    scripts.put(sha, s);
    scriptBytes += body.length + 40;
    return s;
  }

  /** Whether {@code spec} runs a script: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO. */
  public static boolean isScriptRun(CommandSpec spec) {
    return "scripting".equals(spec.group()) && spec.name().startsWith("eval");
  }

  /** Whether a script body declares {@code no-writes} in a valid shebang (read without compiling or caching it). */
  public static boolean declaresNoWrites(byte[] body) {
    if (body.length < 2 || body[0] != '#' || body[1] != '!') {
      return false;
    }
    try {
      return Shebang.readOnly(Shebang.parse(body).flags());
    } catch (CommandError e) {
      return false;
    }
  }

  static final String OOM_NOT_ALLOWED = "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'";

  // ---------------------------------------------------------------- EVAL

  /**
   * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO (Redis's evalGenericCommand). The reply goes to the
   * command's writer; the shared {@link CommandContext} is rebound by every redis.call, so nothing
   * of it is read after the script has started.
   */
  public void eval(CommandContext ctx, boolean evalsha, boolean ro) {
    ctx.propagation().prevent(); // a script replicates its effects: the commands it called
    long numKeys = ctx.longArg(2);
    int argc = ctx.argc();
    if (numKeys > argc - 3) {
      throw new CommandError("ERR Number of keys can't be greater than number of args");
    } else if (numKeys < 0) {
      throw new CommandError("ERR Number of keys can't be negative");
    }
    ClientSession caller = ctx.session();
    Script script;
    if (evalsha) {
      // From the log an EVALSHA is never resolved against this replica's cache, which differs
      // between replicas (the receiving node resolves it to EVAL before submitting).
      script = caller.logApplier() ? null : cached(ctx.arg(1));
      if (script == null) {
        throw new CommandError(NOSCRIPT);
      }
    } else {
      script = load(ctx.arg(1));
    }
    RespWriter out = ctx.reply();
    int flags = script.flags();
    boolean compat = (flags & Shebang.EVAL_COMPAT_MODE) != 0;
    boolean oomAtStart = false;
    if (!compat) {
      if ((flags & Shebang.NO_WRITES) == 0 && ro) {
        throw new CommandError("ERR Can not execute a script with write flag using *_ro command.");
      }
    }
    // Redis's "OOM when the script started": on the log, the receiving node's decision, which the
    // request carries (a replica never looks at its own memory, ADR 0003); else this node's memory.
    MemoryLimit memory = dispatcher.memoryLimit();
    if (caller.logApplier()) {
      oomAtStart = caller.scriptsOverMaxmemory();
    } else if (memory.enabled()) {
      oomAtStart = memory.exceeded();
    }
    if (oomAtStart && !compat && (flags & (Shebang.ALLOW_OOM | Shebang.NO_WRITES)) == 0) {
      throw new CommandError(OOM_NOT_ALLOWED);
    }
    boolean readOnly = ro || Shebang.readOnly(flags);
    int n = (int) numKeys;
    LuaTable keys = new LuaTable(n, 0);
    for (int i = 0; i < n; i++) {
      keys.rawset(i + 1, LuaString.valueOf(ctx.arg(3 + i)));
    }
    LuaTable argv = new LuaTable(argc - 3 - n, 0);
    for (int i = 3 + n; i < argc; i++) {
      argv.rawset(i - 2 - n, LuaString.valueOf(ctx.arg(i)));
    }
    long nowMs = ctx.nowMs();
    boolean probe = caller.scriptProbe() && !caller.logApplier();
    // A script that may write draws its seed from replicated state (the database's write-draw
    // counter, saved in snapshots); a read-only one, or a probe, runs on one node and may not change it.
    long seed = readOnly || probe ? mix(++readOnlyDraws ^ nowMs) : ctx.db().writeRandomSeed(nowMs);
    random.seed((int) (seed ^ (seed >>> 32)));
    LuaSandbox box = sandbox();
    run = new Run(caller, nowMs, readOnly, !compat && (flags & Shebang.ALLOW_OOM) != 0, oomAtStart, script.sha(), // Redis 7.0 names the script by its SHA1 alone (funcname + 2)
        probe);
    luaClient.reset(true);
    luaClient.setDb(caller.db());
    int mark = out.buffer().writerIndex();
    boolean probeRecorded = false;
    io.kaiware.command.Monitors monitors = dispatcher.monitors();
    boolean holdMonitor = probe && monitors.active();
    if (holdMonitor) {
      monitors.hold(); // fed only if the probe's run is the run
    }
    try {
      Varargs result = box.call(script.function(), keys, argv, maxInstructions());
      LuaReplies.write(result.arg1(), out, run.resp);
    } catch (ProbeStop e) {
      // Nothing was changed and nothing is answered: the log, or a task, runs the script again
      // (and counts the call).
      out.buffer().writerIndex(mark);
      caller.probeEnded(e == PROBE_STOP ? ClientSession.ProbeEnd.NEEDS_LOG : ClientSession.ProbeEnd.NEEDS_TASK);
      caller.alreadyCounted();
      recordProbe(script.sha(), e == PROBE_STOP, box.instructionsExecuted());
      probeRecorded = true;
    } catch (LuaError e) {
      out.error(box.errorReply(e, run.funcName));
    } catch (StackOverflowError e) {
      out.error(box.stackOverflowReply(run.funcName));
    } catch (OutOfMemoryError e) {
      // Not deterministic (another replica may have the heap it needed; ADR 0006), but an error
      // reply rather than an error thrown out of apply.
      log.error("script {} ran out of memory", run.funcName);
      out.error("ERR Error running script (call to " + run.funcName + "): out of memory");
    } finally {
      if (holdMonitor) {
        monitors.release(!probeRecorded);
      }
      if (probe && !probeRecorded) {
        recordProbe(script.sha(), false, 0); // it completed (or failed, or was killed): probe it next time
      }
      run = null;
      box.afterCall();
    }
  }

  private long maxInstructions() {
    if (config == null) {
      return DEFAULT_MAX_INSTRUCTIONS;
    }
    long max = config.getLong("lua-max-instructions");
    return max <= 0 ? Long.MAX_VALUE : max;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  Rand48 random() {
    return random;
  }

  // ---------------------------------------------------------------- busy scripts and SCRIPT KILL

  /**
   * Called by the sandbox every {@link LuaSandbox#INTERRUPT_EVERY} instructions (Redis's count
   * hook and scriptInterrupt): past busy-reply-threshold the script is timed out, and from then on
   * every call serves the other clients once ({@link io.kaiware.command.ServerHooks#serveClientsWhileBusy}),
   * one of whom may kill it. Whether it is killed only ever ends a script that changed nothing
   * (see {@link #kill}), so the wall clock read here cannot make replicas diverge.
   *
   * @return whether the script was killed: the sandbox then raises the kill error at every instruction
   */
  boolean interrupt() {
    Run r = run;
    if (r == null) {
      return false;
    }
    io.kaiware.command.ServerHooks hooks = dispatcher.serverHooks();
    if (!r.timedOut) {
      if (r.probe && hooks != null && hooks.insideIoPass()) {
        throw PROBE_MOVE; // longer than a moment, where it could not serve anyone: again from a task
      }
      long elapsedMs = (System.nanoTime() - r.startNs) / 1_000_000;
      if (elapsedMs < busyReplyThresholdMs()) {
        return false;
      }
      log.warn("Slow script detected: still in execution after {} milliseconds. You can try killing the script "
          + "using the SCRIPT KILL command. Script name is: {}.", elapsedMs, r.funcName);
      r.timedOut = true;
    }
    if (hooks != null) {
      hooks.serveClientsWhileBusy();
    }
    if (r.killed) {
      log.warn("Lua script killed by user with SCRIPT KILL.");
    }
    return r.killed;
  }

  private long busyReplyThresholdMs() {
    return config == null ? 5000 : config.getLong("busy-reply-threshold");
  }

  /** Whether a script runs past busy-reply-threshold: other clients' commands are answered BUSY. */
  public boolean busy() {
    return run != null && run.timedOut;
  }

  public static final String BUSY = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

  /**
   * SCRIPT KILL (Redis's scriptKill): stops the running script if it has changed nothing. A
   * script is killable only where it runs alone: a probe or a read-only script on the member that
   * received it, or any script of a server without a log. One that came through the log runs on
   * every replica, which a kill on one of them would make diverge.
   */
  void kill(CommandContext ctx) {
    Run r = run;
    if (r == null) {
      throw new CommandError("NOTBUSY No scripts in execution right now.");
    }
    if (r.caller.fromMaster()) {
      throw new CommandError(
          "UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.");
    }
    if (r.writeDirty) {
      throw new CommandError("UNKILLABLE Sorry the script already executed write commands against the dataset. "
          + "You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
    }
    if (r.caller.logApplier()) {
      throw new CommandError("UNKILLABLE The busy script came through the replicated log, which every member runs, and "
          + "cannot be killed on one of them. Wait for it to end (lua-max-instructions bounds it).");
    }
    r.killed = true;
    ctx.reply().ok();
  }

  /**
   * SHUTDOWN NOSAVE from inside a busy script: ends it at its next hook check whatever it did —
   * the process is going away.
   *
   * @return whether the script came through the log: this member's state then differs from what
   *     the log says, and must not be saved (the caller tells the server)
   */
  public boolean killForShutdown() {
    if (run == null) {
      return false;
    }
    run.killed = true;
    return run.caller.logApplier();
  }

  public boolean running() {
    return run != null;
  }

  void setResp(int resp) {
    run.resp = resp;
  }

  // ---------------------------------------------------------------- redis.call

  /**
   * {@code redis.call} / {@code redis.pcall} (Redis's luaRedisGenericCommand and scriptCall): runs
   * one command as the script's client and converts its reply. Returns the Lua value, or the error
   * table; {@code raise} throws the error table as a Lua error instead.
   */
  LuaValue call(Varargs args, boolean raise) {
    if (run == null) {
      throw new LuaError(LuaReplies.errorTable("ERR redis.call/pcall can only be called inside a script invocation"));
    }
    int argc = args.narg();
    if (argc == 0) {
      return fail(LuaReplies.errorTable("ERR Please specify at least one argument for this redis lib call"), raise);
    }
    byte[][] argv = new byte[argc][];
    for (int i = 0; i < argc; i++) {
      LuaValue v = args.arg(i + 1);
      if (v.type() == LuaValue.TNUMBER) {
        argv[i] = CFormat.g17(v.todouble()).getBytes(StandardCharsets.US_ASCII);
      } else if (v.type() == LuaValue.TSTRING) {
        LuaString s = v.checkstring();
        argv[i] = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, argv[i], 0, s.m_length);
      } else {
        return fail(LuaReplies.errorTable("ERR Lua redis lib command arguments must be strings or integers"), raise);
      }
    }
    CommandSpec spec = resolve(argv);
    String refusal = refusal(spec, argv);
    if (refusal != null) {
      if (spec != null) {
        dispatcher.rejectedFromScript(spec); // INFO commandstats: rejected_calls, as Redis counts them
      }
      return fail(LuaReplies.errorTable(refusal), raise);
    }
    if (spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE)) {
      if (run.probe) {
        throw PROBE_STOP; // the log runs it from the start, on every member
      }
    }
    if (spec.has(CommandFlag.WRITE)) {
      run.writeDirty = true;
    }
    callReply.clear();
    luaClient.setProtocol(run.resp);
    callWriter.target(callReply, run.resp);
    dispatcher.executeFromScript(luaClient, spec, argv, callWriter, run.nowMs);
    if (luaClient.transaction().active()) {
      luaClient.transaction().discard(); // never: MULTI is not allowed from scripts
    }
    LuaValue value = LuaReplies.parse(callReply, SORTED_FOR_SCRIPTS.contains(spec.name()), spec.name().equals("hgetall"));
    if (raise && callReply.getByte(0) == '-') {
      throw new LuaError(value);
    }
    return value;
  }

  /**
   * Replies whose order depends on a table's layout, which may differ between replicas (ADR 0004
   * §5): a script sees them sorted, as Redis's scripts did when they were replicated as scripts
   * (its old {@code sort_for_script} flag); HGETALL by field.
   */
  static final java.util.Set<String> SORTED_FOR_SCRIPTS =
      java.util.Set.of("keys", "smembers", "sinter", "sunion", "sdiff", "hkeys", "hvals", "hgetall");

  /**
   * Reads whose result depends on the node that runs them — its layout (which expired keys it
   * reclaimed: DBSIZE, SCAN), its own random draws (reads draw from a counter only the leader
   * advances), its process (INFO, OBJECT IDLETIME, the Raft and cluster views): refused in a
   * script that may write, which every replica runs. A read-only script runs on one node and may
   * use them. (PUBLISH stays allowed — Redisson's unlock publishes — though the receiver count it
   * answers is each node's own.)
   */
  static final java.util.Set<String> NOT_DETERMINISTIC = java.util.Set.of(
      "randomkey", "scan", "sscan", "hscan", "zscan", "srandmember", "hrandfield", "zrandmember", "dbsize", "info",
      "lastsave", "role", "object|idletime", "object|freq", "memory|usage", "memory|stats", "cluster|info",
      "cluster|myid", "cluster|slots", "cluster|shards", "cluster|nodes", "raft|info", "slowlog|get", "slowlog|len",
      "latency|latest", "latency|history", "latency|doctor", "latency|histogram", "pubsub|channels", "pubsub|numsub",
      "pubsub|numpat", "pubsub|shardchannels", "pubsub|shardnumsub");

  private static LuaValue fail(LuaValue errorTable, boolean raise) {
    if (raise) {
      throw new LuaError(errorTable);
    }
    return errorTable;
  }

  /** Redis's lookupCommand for a script: the subcommand when there is one, else the command; null if unknown. */
  private CommandSpec resolve(byte[][] argv) {
    CommandSpec spec = table.lookup(argv[0]);
    if (spec != null && spec.isContainer() && argv.length >= 2) {
      spec = CommandTable.subcommand(spec, argv[1]);
    }
    return spec;
  }

  /** Why the script may not run {@code argv} (scriptCall's checks, in Redis's order): the error text, or null. */
  private String refusal(CommandSpec spec, byte[][] argv) {
    if (spec == null) {
      return "ERR Unknown Redis command called from script";
    }
    if (!spec.arityAccepts(argv.length) || (spec.isContainer() && spec.handler() == null)) {
      return "ERR Wrong number of args calling Redis command from script";
    }
    if (spec.has(CommandFlag.NOSCRIPT)) {
      return "ERR This Redis command is not allowed from script";
    }
    if (run.readOnly && (spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE))) {
      return "ERR Write commands are not allowed from read-only scripts.";
    }
    if (!run.readOnly && NOT_DETERMINISTIC.contains(spec.name())) {
      return "ERR " + spec.name().toUpperCase(java.util.Locale.ROOT) + " is not allowed from a script that may write: "
          + "its result may differ between replicas, which all run the script. Use EVAL_RO or a no-writes script.";
    }
    if (!run.allowOom && !run.writeDirty && run.oomAtStart && spec.has(CommandFlag.DENYOOM)) {
      return MemoryLimit.OOM;
    }
    return null;
  }

  /** The script client: commands that must refuse scripts (XREAD BLOCK) recognise it. */
  public boolean isScriptClient(ClientSession session) {
    return session == luaClient;
  }

  // ---------------------------------------------------------------- helpers

  /** Redis's sha1hex: 40 lowercase hex digits. */
  public static String sha1hex(byte[] data) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-1").digest(data);
      char[] hex = new char[40];
      for (int i = 0; i < 20; i++) {
        hex[2 * i] = Character.forDigit((d[i] >> 4) & 0xF, 16);
        hex[2 * i + 1] = Character.forDigit(d[i] & 0xF, 16);
      }
      return new String(hex);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void logFromScript(int level, String message) {
    switch (level) {
      case 0 -> log.debug("{}", message);
      case 1 -> log.info("{}", message);
      case 2 -> log.info("{}", message);
      default -> log.warn("{}", message);
    }
  }
}

package io.kaiware.command.config;

import io.kaiware.command.config.ConfigParam.Kind;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every configuration parameter, declared in one table with its default: the source for the config
 * file parser, command-line options, CONFIG GET/SET/REWRITE and the documented {@code kaiware.conf}.
 *
 * <p>Parameters Redis tools read but Kaiware does not act on (save, appendonly, encoding knobs) are
 * declared {@code compatOnly}: CONFIG GET answers them sensibly so tools such as redis-benchmark
 * work, and setting them to anything but their default is refused with a clear error.
 */
public final class ServerConfig {

  private final Map<String, ConfigParam> params = new LinkedHashMap<>();
  private final Map<String, Consumer<ConfigParam>> listeners = new LinkedHashMap<>();

  public static ServerConfig defaults() {
    ServerConfig c = new ServerConfig();
    // --- network
    c.string("bind", "127.0.0.1 -::1", false, "Addresses to listen on, space separated; '-' prefix: skip if unavailable.");
    c.integer("port", 6379, 0, 65535, false, "TCP port; 0 picks a free port.");
    c.bool("protected-mode", true, true, "Refuse to start on a non-loopback address without requirepass.");
    c.integer("tcp-backlog", 511, 0, 65535, false, "Listen backlog.");
    c.integer("timeout", 0, 0, Integer.MAX_VALUE, true, "Close idle clients after N seconds (0 = never).");
    c.integer("tcp-keepalive", 300, 0, Integer.MAX_VALUE, true, "TCP keepalive period in seconds.");
    c.integer("maxclients", 10000, 1, Integer.MAX_VALUE, true, "Maximum simultaneous clients.");
    c.integer("io-threads", 1, 1, 128, false,
        "Network threads. 1: one thread does I/O and runs commands (like Redis); N > 1: N I/O threads feed one engine thread.");
    // --- admin HTTP port (metrics, health, profiling)
    c.integer("admin-port", 0, 0, 65535, false, "HTTP port for /metrics, /health, /ready and /debug/*; 0 = off.");
    c.string("admin-bind", "127.0.0.1", false, "Address of the admin HTTP port.");
    c.add("admin-token", Kind.PASSWORD, "", false, 0, 0, List.of(),
        "Bearer token for the admin port; required when admin-bind is not a loopback address.", false);
    // --- security
    c.add("requirepass", Kind.PASSWORD, "", true, 0, 0, List.of(), "Password for AUTH; empty = no password.", false);
    // --- general
    c.string("dir", ".", false, "Working directory for data files.");
    c.integer("databases", 16, 1, 1024, false, "Number of databases (SELECT 0..N-1).");
    c.enumeration("loglevel", "notice", List.of("debug", "verbose", "notice", "warning", "nothing"), true, "Log verbosity.");
    c.string("logfile", "", false, "Log file; empty = stdout.");
    c.string("pidfile", "", false, "Write the process id here when set.");
    c.integer("hz", 10, 1, 500, true, "Background task frequency (active expiry) per second.");
    c.memory("proto-max-bulk-len", 512L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE, true, "Longest bulk string a client may send.");
    c.integer("slowlog-log-slower-than", 10000, -1, Long.MAX_VALUE, true, "Log commands slower than N microseconds.");
    c.integer("slowlog-max-len", 128, 0, Integer.MAX_VALUE, true, "Slow log length.");
    c.integer("latency-monitor-threshold", 100, 0, Long.MAX_VALUE, true,
        "Record latency events (slow commands, GC pauses) of at least N ms for LATENCY; 0 = off. Redis's default is 0.");
    c.integer("write-delay-warn-ms", 100, 0, Long.MAX_VALUE, true,
        "Log 'writes delayed: T ms, N commands, B bytes' when a batch takes at least N ms to apply or commit; 0 = off.");
    c.bool("latency-tracking", true, true, "Track per-command latency percentiles (INFO latencystats, LATENCY HISTOGRAM).");
    c.string("latency-tracking-info-percentiles", "50 99 99.9", true, "Percentiles INFO latencystats reports.");
    // --- Lua scripting: see docs/adr/0006-lua-scripting.md
    c.integer("lua-max-instructions", io.kaiware.command.script.LuaEngine.DEFAULT_MAX_INSTRUCTIONS, 0, Long.MAX_VALUE, true,
        "A script that runs more Lua instructions ends with an error reply (its writes so far stay); 0 = no limit. "
            + "Every member of a Raft group must have the same value.");
    c.integer("busy-reply-threshold", 5000, 0, Long.MAX_VALUE, true,
        "Accepted for compatibility, not enforced: Kaiware answers no BUSY and never interrupts a script by time (see lua-max-instructions).");
    c.alias("lua-time-limit", "busy-reply-threshold");
    // --- replication (Raft): see docs/adr/0004 and README "Replication"
    c.bool("non-durable-cache", false, false,
        "yes: no Raft, no log, nothing survives a restart (a pure cache). no (default): a durable Raft group, one member unless peers is set.");
    c.string("node", "n1", false, "This member's Raft id (letters, digits, '-', '_').");
    c.string("peers", "", false,
        "Raft members as id=host:raftport,... including this node; empty: a one-member group (Raft on a free loopback port).");
    c.bool("raft-join", false, false, "Start with no configuration and wait to be added by the leader (RAFT ADD); the dir must be new.");
    c.enumeration("read-consistency", "linearizable", List.of("linearizable", "lease", "stale"), false,
        "linearizable: ReadIndex on the leader; lease: the leader's lease (bounded clock drift); stale: any member's local state.");
    c.integer("replica-max-lag-ms", 1000, 0, Long.MAX_VALUE, true,
        "Stale reads on a follower (read-consistency stale, or after READONLY) are redirected when its log time lags the clock by more.");
    c.bool("follower-proxy", false, true,
        "A follower forwards requests it cannot serve to the leader (once each, never retried) instead of answering -MOVED.");
    c.integer("ready-max-lag-entries", 100, 0, Long.MAX_VALUE, true,
        "The admin port's /ready answers 503 while this member's applied index is more than N entries behind its commit index.");
    c.string("sentinel-master-name", "kaiware", false,
        "The master name the Sentinel facade answers for (SENTINEL get-master-addr-by-name <name>, +switch-master).");
    c.integer("raft-election-timeout-ms", 300, 50, 60_000, false,
        "Raft election timeout, lower bound (the upper bound is twice it): how soon followers notice a dead leader.");
    c.memory("replica-output-buffer-limit", 256L * 1024 * 1024, 0, Long.MAX_VALUE, true,
        "A SYNC/PSYNC client whose unsent stream (its copy included) passes this many bytes is disconnected "
            + "(Redis's client-output-buffer-limit replica hard limit); 0: no limit.");
    c.integer("repl-ping-replica-period", 10, 1, Integer.MAX_VALUE, true,
        "Seconds between the PINGs sent to clients attached with SYNC/PSYNC (Redis's replication stream; Raft members do not use it).");
    // --- following a Redis master (REPLICAOF host port): see docs/operations.md
    c.bool("replica-read-only", true, true,
        "While following a Redis master (REPLICAOF host port), refuse clients' writes with -READONLY.");
    c.alias("slave-read-only", "replica-read-only");
    c.bool("replica-serve-stale-data", true, true,
        "While following a Redis master whose link is down or still syncing: yes, serve the data held; "
            + "no, answer -MASTERDOWN to commands not flagged stale.");
    c.alias("slave-serve-stale-data", "replica-serve-stale-data");
    c.string("masteruser", "", true, "The user REPLICAOF authenticates as on the Redis master (AUTH masteruser masterauth).");
    c.add("masterauth", Kind.PASSWORD, "", true, 0, 0, List.of(), "The password REPLICAOF sends to the Redis master; empty: none.", false);
    c.integer("repl-timeout", 60, 1, Integer.MAX_VALUE, true,
        "Seconds without data from the Redis master (or during its copy) before the link is dropped and reconnected.");
    c.integer("min-replicas-to-write", 0, 0, Integer.MAX_VALUE, true,
        "Refuse writes (-NOREPLICAS) unless at least this many replicas (Raft followers and SYNC replicas) "
            + "answered within min-replicas-max-lag seconds; 0: off.");
    c.alias("min-slaves-to-write", "min-replicas-to-write");
    c.integer("min-replicas-max-lag", 10, 0, Integer.MAX_VALUE, true,
        "The lag, in seconds, under which a replica counts for min-replicas-to-write; 0: off.");
    c.alias("min-slaves-max-lag", "min-replicas-max-lag");
    // --- Redis parameters tools read; answered, not acted on
    c.compat("save", "", "Kaiware persists through its own log (see docs); RDB save points are not used.");
    c.reportDurability(true);
    c.memory("maxmemory", 0, 0, Long.MAX_VALUE, true,
        "Refuse commands that may grow memory (-OOM) while the heap in use is above this many bytes; 0: no limit.");
    c.enumeration("maxmemory-policy", "noeviction", List.of("noeviction"), true,
        "Only noeviction: Kaiware refuses writes above maxmemory and never evicts keys.");
    c.compat("daemonize", "no", "Run in the foreground; use your service manager.");
    c.compat("cluster-enabled", "no", "");
    // Redis's encoding knobs. Kaiware keeps one representation per hash and zset; OBJECT ENCODING
    // reports the encoding Redis would have under these limits (listpack or not), so tools and tests
    // that set them see Redis's answers. Sets have Redis's two encodings for real. Per server: the
    // members of a Raft group must agree on them (CompactEncodings). The ziplist names are Redis's aliases.
    String encodingDoc = "OBJECT ENCODING reports Redis's encoding under this limit; Kaiware's representation does not change.";
    c.integer("hash-max-listpack-entries", 128, 0, Integer.MAX_VALUE, true, encodingDoc);
    c.integer("hash-max-listpack-value", 64, 0, Integer.MAX_VALUE, true, encodingDoc);
    c.integer("zset-max-listpack-entries", 128, 0, Integer.MAX_VALUE, true, encodingDoc);
    c.integer("zset-max-listpack-value", 64, 0, Integer.MAX_VALUE, true, encodingDoc);
    c.integer("set-max-intset-entries", 512, 0, Long.MAX_VALUE, true,
        "A set of integers stays intset up to this many members (at most 2^30, as Redis); sets are kept in that encoding.");
    c.bool("aof-use-rdb-preamble", true, true,
        "Accepted for compatibility: the Raft log and snapshots are Kaiware's one format (DEBUG LOADAOF reloads from them).");
    c.integer("stream-node-max-bytes", 4096, 0, Long.MAX_VALUE, true,
        "A stream node takes entries until its (estimated) listpack reaches this many bytes (0: no limit); trimming with ~ removes whole nodes.");
    c.integer("stream-node-max-entries", 100, 0, Long.MAX_VALUE, true,
        "A stream node takes at most this many entries, deleted ones included (0: no limit); trimming with ~ removes whole nodes.");
    c.memory("hll-sparse-max-bytes", 3000, 0, Long.MAX_VALUE, true,
        "A sparse HyperLogLog longer than this many bytes (16-byte header included) is promoted to dense, as in Redis. "
            + "It shapes the stored bytes: every member of a Raft group must have the same value.");
    c.integer("list-max-listpack-size", -2, Integer.MIN_VALUE, Integer.MAX_VALUE, true,
        "Accepted for compatibility: lists have one encoding here (Redis 7.0 reports quicklist for every list).");
    c.integer("list-compress-depth", 0, 0, Integer.MAX_VALUE, true,
        "Accepted for compatibility: lists are never compressed here.");
    c.alias("hash-max-ziplist-entries", "hash-max-listpack-entries");
    c.alias("hash-max-ziplist-value", "hash-max-listpack-value");
    c.alias("zset-max-ziplist-entries", "zset-max-listpack-entries");
    c.alias("zset-max-ziplist-value", "zset-max-listpack-value");
    c.alias("list-max-ziplist-size", "list-max-listpack-size");
    c.compat("lazyfree-lazy-user-del", "no", "");
    c.add("notify-keyspace-events", Kind.KEYSPACE_EVENTS, "", true, 0, 0, List.of(),
        "Keyspace notifications (Redis's classes K E g $ l s h z x e t m n d A; empty = off). "
            + "Published by each member to its own subscribers for the writes it applies; not replicated.", false);
    return c;
  }

  private void add(String name, Kind kind, String def, boolean mutable, long min, long max, List<String> choices,
      String doc, boolean compat) {
    params.put(name, new ConfigParam(name, kind, def, mutable, min, max, choices, doc, compat));
  }

  private void string(String name, String def, boolean mutable, String doc) {
    add(name, Kind.STRING, def, mutable, 0, 0, List.of(), doc, false);
  }

  private void integer(String name, long def, long min, long max, boolean mutable, String doc) {
    add(name, Kind.INT, Long.toString(def), mutable, min, max, List.of(), doc, false);
  }

  private void memory(String name, long def, long min, long max, boolean mutable, String doc) {
    add(name, Kind.MEMORY, Long.toString(def), mutable, min, max, List.of(), doc, false);
  }

  private void bool(String name, boolean def, boolean mutable, String doc) {
    add(name, Kind.BOOL, def ? "yes" : "no", mutable, 0, 0, List.of(), doc, false);
  }

  private void enumeration(String name, String def, List<String> choices, boolean mutable, String doc) {
    add(name, Kind.ENUM, def, mutable, 0, 0, choices, doc, false);
  }

  /**
   * Another name for {@code target} (Redis's old names): a parameter of its own for CONFIG GET,
   * whose value follows the target's, and setting either sets both.
   */
  private void alias(String name, String target) {
    ConfigParam t = params.get(target);
    add(name, t.kind(), t.defaultValue(), true, t.min(), t.max(), t.choices(), "Alias of " + target + ".", false);
    aliases.put(name, target);
    aliases.put(target, name);
  }

  /** notify-keyspace-events as {@link io.kaiware.command.KeyspaceEvents} flags (0: off). */
  private int notifyKeyspaceEvents;

  /** notify-keyspace-events as {@link io.kaiware.command.KeyspaceEvents} flags; 0 when off. */
  public int notifyKeyspaceEvents() {
    return notifyKeyspaceEvents;
  }

  /** name -> the other name of the same setting (both directions). */
  private final Map<String, String> aliases = new LinkedHashMap<>();

  private void setWithAlias(ConfigParam p, String value) {
    p.set(value);
    if (p.kind() == Kind.KEYSPACE_EVENTS) {
      // The value as given: Redis's canonical text drops n when A is set, its flags do not.
      notifyKeyspaceEvents = io.kaiware.command.KeyspaceEvents.parse(value);
    }
    String other = aliases.get(p.name());
    if (other != null) {
      params.get(other).set(value);
    }
  }

  /**
   * appendonly and appendfsync say how the server keeps writes: a durable server (the default, a
   * Raft member) appends every write to its log and fsyncs it before the reply — Redis's
   * {@code appendonly yes} with {@code appendfsync always}; a non-durable cache keeps nothing. They
   * are read-only facts: CONFIG SET accepts only the value in effect.
   */
  public List<String> reportDurability(boolean durable) {
    String doc = durable ? "Every write is in the Raft log, fsynced before the reply; start with non-durable-cache yes to keep nothing."
        : "non-durable-cache: nothing is kept; start without it for a durable log.";
    compat("appendonly", durable ? "yes" : "no", doc);
    compat("appendfsync", durable ? "always" : "everysec", doc);
    List<String> ignored = new java.util.ArrayList<>();
    derivedAtStartup.forEach((name, value) -> {
      if (!params.get(name).value().equals(value)) {
        ignored.add(name + " " + value + " ignored: " + doc);
      }
    });
    return ignored;
  }

  /** appendonly/appendfsync as a configuration file gave them: they follow non-durable-cache instead. */
  private final Map<String, String> derivedAtStartup = new LinkedHashMap<>();

  private void compat(String name, String def, String doc) {
    add(name, Kind.STRING, def, true, 0, 0, List.of(), doc, true);
  }

  public Collection<ConfigParam> all() {
    return Collections.unmodifiableCollection(params.values());
  }

  public ConfigParam param(String name) {
    return params.get(name.toLowerCase(Locale.ROOT));
  }

  public String get(String name) {
    ConfigParam p = params.get(name);
    if (p == null) {
      throw new IllegalArgumentException("unknown config " + name);
    }
    return p.value();
  }

  public int getInt(String name) {
    return (int) Long.parseLong(get(name));
  }

  public long getLong(String name) {
    return Long.parseLong(get(name));
  }

  public boolean getBool(String name) {
    return "yes".equals(get(name));
  }

  /** Runs {@code listener} after {@code name} changes at runtime (CONFIG SET). */
  public void onChange(String name, Consumer<ConfigParam> listener) {
    listeners.merge(name, listener, Consumer::andThen);
  }

  /**
   * Sets a parameter at startup (config file or command line): any parameter, mutable or not.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public void setAtStartup(String name, String value) {
    ConfigParam p = params.get(name.toLowerCase(Locale.ROOT));
    if (p == null) {
      throw new IllegalArgumentException("unknown configuration key '" + name + "'");
    }
    if (p.name().equals("appendonly") || p.name().equals("appendfsync")) {
      derivedAtStartup.put(p.name(), value.trim()); // decided by non-durable-cache: see reportDurability
      return;
    }
    checkCompat(p, value);
    String canonical = p.canonical(value);
    setWithAlias(p, p.kind() == Kind.KEYSPACE_EVENTS ? value : canonical);
  }

  /**
   * CONFIG SET of several parameters, all or nothing, with Redis 7's error texts.
   *
   * @return {@code null} on success, else the error reply text
   */
  public String setAtRuntime(List<String[]> nameValues) {
    Map<ConfigParam, String> validated = new LinkedHashMap<>();
    for (String[] nv : nameValues) {
      ConfigParam p = params.get(nv[0].toLowerCase(Locale.ROOT));
      if (p == null) {
        return "ERR Unknown option or number of arguments for CONFIG SET - '" + nv[0] + "'";
      }
      if (validated.containsKey(p)) {
        return "ERR CONFIG SET failed (possibly related to argument '" + nv[0] + "') - duplicate parameter";
      }
      if (!p.mutable()) {
        return "ERR CONFIG SET failed (possibly related to argument '" + nv[0] + "') - can't set immutable config";
      }
      try {
        checkCompat(p, nv[1]);
        String canonical = p.canonical(nv[1]);
        // notify-keyspace-events keeps the classes named, even those its canonical text drops (n with A).
        validated.put(p, p.kind() == Kind.KEYSPACE_EVENTS ? nv[1] : canonical);
      } catch (IllegalArgumentException e) {
        return "ERR CONFIG SET failed (possibly related to argument '" + nv[0] + "') - " + e.getMessage();
      }
    }
    validated.forEach((p, v) -> {
      setWithAlias(p, v);
      for (String name : new String[] {p.name(), aliases.get(p.name())}) {
        Consumer<ConfigParam> listener = name == null ? null : listeners.get(name);
        if (listener != null) {
          listener.accept(params.get(name));
        }
      }
    });
    return null;
  }

  private static void checkCompat(ConfigParam p, String value) {
    if (p.compatOnly() && !p.defaultValue().equals(value.trim())) {
      throw new IllegalArgumentException("Kaiware does not support changing '" + p.name() + "' (" + p.doc() + ")");
    }
  }
}

package io.kaiware.command.server;

import static io.kaiware.command.CommandFlag.LOADING;
import static io.kaiware.command.CommandFlag.STALE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.BuildInfo;
import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.Dispatcher;
import io.kaiware.command.ServerHooks;
import io.kaiware.command.config.ServerConfig;
import io.kaiware.command.connection.RedisCompat;
import io.kaiware.engine.Database;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * INFO [section ...]: Redis's sections and field names, so dashboards and tools that parse INFO work,
 * plus Kaiware's own fields (build, JVM, GC) where an operator needs them.
 */
public final class InfoCommand {
  private InfoCommand() {}

  /** Section name to its writer, in Redis's order. */
  private static final Map<String, BiConsumer<CommandContext, StringBuilder>> SECTIONS = new LinkedHashMap<>();
  private static final List<String> DEFAULT_SECTIONS =
      List.of("server", "clients", "memory", "persistence", "stats", "replication", "raft", "cpu", "cluster", "keyspace");

  static {
    SECTIONS.put("server", InfoCommand::server);
    SECTIONS.put("clients", InfoCommand::clients);
    SECTIONS.put("memory", InfoCommand::memory);
    SECTIONS.put("persistence", InfoCommand::persistence);
    SECTIONS.put("stats", InfoCommand::stats);
    SECTIONS.put("replication", InfoCommand::replication);
    SECTIONS.put("raft", InfoCommand::raft);
    SECTIONS.put("cpu", InfoCommand::cpu);
    SECTIONS.put("commandstats", InfoCommand::commandstats);
    SECTIONS.put("errorstats", (ctx, sb) -> ctx.dispatcher().errorReplies()
        .forEach((kind, count) -> field(sb, "errorstat_" + kind, "count=" + count.get())));
    SECTIONS.put("latencystats", InfoCommand::latencystats);
    SECTIONS.put("cluster", (ctx, sb) -> field(sb, "cluster_enabled", ctx.server() != null && ctx.server().replication() != null ? "1" : "0"));
    SECTIONS.put("keyspace", InfoCommand::keyspace);
  }

  static CommandSpec spec() {
    return command("info").arity(-1).flags(LOADING, STALE).group("server").since("1.0.0")
        .summary("Returns information and statistics about the server.").complexity("O(1)")
        .handler(InfoCommand::info).build();
  }

  private static void info(CommandContext ctx) {
    Set<String> wanted = new LinkedHashSet<>();
    if (ctx.argc() == 1) {
      wanted.addAll(DEFAULT_SECTIONS);
    }
    for (int i = 1; i < ctx.argc(); i++) {
      String name = ctx.argString(i).toLowerCase(Locale.ROOT);
      switch (name) {
        case "default" -> wanted.addAll(DEFAULT_SECTIONS);
        case "all", "everything" -> wanted.addAll(SECTIONS.keySet());
        default -> wanted.add(name);
      }
    }
    StringBuilder sb = new StringBuilder(2048);
    for (Map.Entry<String, BiConsumer<CommandContext, StringBuilder>> section : SECTIONS.entrySet()) {
      if (wanted.contains(section.getKey())) {
        if (!sb.isEmpty()) {
          sb.append("\r\n");
        }
        sb.append("# ").append(Character.toUpperCase(section.getKey().charAt(0))).append(section.getKey().substring(1))
            .append("\r\n");
        section.getValue().accept(ctx, sb);
      }
    }
    ctx.reply().verbatim("txt", sb.toString());
  }

  private static void field(StringBuilder sb, String name, Object value) {
    sb.append(name).append(':').append(value).append("\r\n");
  }

  private static void server(CommandContext ctx, StringBuilder sb) {
    ServerHooks server = ctx.server();
    BuildInfo build = server.build();
    long uptimeS = Math.max(0, (ctx.nowMs() - server.startTimeMs()) / 1000);
    field(sb, "redis_version", RedisCompat.REDIS_VERSION);
    field(sb, "redis_git_sha1", build.shortCommit());
    field(sb, "redis_git_dirty", build.gitDirty() ? 1 : 0);
    field(sb, "redis_build_id", build.shortCommit());
    field(sb, "redis_mode", "standalone");
    field(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    field(sb, "arch_bits", "64");
    field(sb, "multiplexing_api", server.transport());
    field(sb, "process_id", ProcessHandle.current().pid());
    field(sb, "process_supervised", "no");
    field(sb, "run_id", server.runId());
    field(sb, "tcp_port", server.boundPort());
    field(sb, "server_time_usec", ctx.nowMs() * 1000);
    field(sb, "uptime_in_seconds", uptimeS);
    field(sb, "uptime_in_days", uptimeS / 86400);
    field(sb, "hz", server.config().get("hz"));
    field(sb, "configured_hz", server.config().get("hz"));
    field(sb, "executable", ProcessHandle.current().info().command().orElse(""));
    field(sb, "config_file", server.configFile() == null ? "" : server.configFile());
    field(sb, "io_threads_active", server.config().getInt("io-threads") > 1 ? 1 : 0);
    field(sb, "kaiware_version", build.version());
    field(sb, "kaiware_git_commit", build.gitCommit() + (build.gitDirty() ? "-dirty" : ""));
    field(sb, "kaiware_build_time", build.buildTime());
    field(sb, "java_version", build.jdk());
    field(sb, "java_gc", build.gc());
  }

  private static void clients(CommandContext ctx, StringBuilder sb) {
    field(sb, "connected_clients", ctx.server().stats().connectedClients());
    field(sb, "cluster_connections", 0);
    field(sb, "maxclients", ctx.server().config().get("maxclients"));
    field(sb, "client_recent_max_input_buffer", 0);
    field(sb, "client_recent_max_output_buffer", 0);
    field(sb, "blocked_clients", ctx.server().blockedClientCount());
    field(sb, "tracking_clients", 0);
    field(sb, "clients_in_timeout_table", 0);
  }

  private static void memory(CommandContext ctx, StringBuilder sb) {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long rss = ProcessMemory.rssBytes();
    field(sb, "used_memory", heap.getUsed());
    field(sb, "used_memory_human", human(heap.getUsed()));
    field(sb, "used_memory_rss", rss);
    field(sb, "used_memory_rss_human", human(rss));
    field(sb, "used_memory_peak", ProcessMemory.peakHeapUsed());
    field(sb, "used_memory_peak_human", human(ProcessMemory.peakHeapUsed()));
    field(sb, "total_system_memory", ProcessMemory.totalSystemMemoryBytes());
    field(sb, "total_system_memory_human", human(ProcessMemory.totalSystemMemoryBytes()));
    // Scripts: the cache's bodies plus a fixed overhead per script, an estimate (the JVM cannot
    // tell the Lua state's share of the heap); no engine is created just to answer INFO.
    Dispatcher dispatcher = ctx.dispatcher();
    long scriptBytes = dispatcher.hasScripts() ? dispatcher.scripts().cachedBytes() : 0;
    long scripts = dispatcher.hasScripts() ? dispatcher.scripts().cachedCount() : 0;
    field(sb, "used_memory_lua", scriptBytes);
    field(sb, "used_memory_vm_eval", scriptBytes);
    field(sb, "used_memory_lua_human", human(scriptBytes));
    field(sb, "used_memory_scripts_eval", scriptBytes);
    field(sb, "number_of_cached_scripts", scripts);
    field(sb, "number_of_functions", 0);
    field(sb, "number_of_libraries", 0);
    field(sb, "used_memory_scripts", scriptBytes);
    field(sb, "used_memory_scripts_human", human(scriptBytes));
    ServerConfig config = ctx.server().config();
    field(sb, "maxmemory", config.get("maxmemory"));
    field(sb, "maxmemory_human", human(Long.parseLong(config.get("maxmemory"))));
    field(sb, "maxmemory_policy", config.get("maxmemory-policy"));
    field(sb, "mem_fragmentation_ratio", String.format(Locale.ROOT, "%.2f", heap.getUsed() == 0 ? 0.0 : (double) rss / heap.getUsed()));
    field(sb, "mem_allocator", "jvm");
    field(sb, "jvm_heap_used", heap.getUsed());
    field(sb, "jvm_heap_committed", heap.getCommitted());
    field(sb, "jvm_heap_max", heap.getMax());
    field(sb, "jvm_allocated_bytes", ProcessMemory.allocatedBytes());
    field(sb, "process_private_memory", ProcessMemory.privateBytes());
  }

  private static void persistence(CommandContext ctx, StringBuilder sb) {
    field(sb, "loading", 0);
    field(sb, "async_loading", 0);
    field(sb, "rdb_changes_since_last_save", ctx.keyspace().writesSinceLastSave());
    field(sb, "rdb_bgsave_in_progress", 0);
    field(sb, "rdb_last_save_time", ServerCommands.lastSaveTimeMs(ctx) / 1000);
    field(sb, "rdb_last_bgsave_status", "ok");
    field(sb, "aof_enabled", "yes".equals(ctx.server().config().get("appendonly")) ? 1 : 0);
    field(sb, "aof_rewrite_in_progress", 0);
    field(sb, "aof_last_bgrewrite_status", "ok");
    field(sb, "aof_last_write_status", "ok");
  }

  private static void stats(CommandContext ctx, StringBuilder sb) {
    ServerHooks.ServerStats stats = ctx.server().stats();
    Dispatcher dispatcher = ctx.dispatcher();
    field(sb, "total_connections_received", stats.totalConnectionsReceived());
    field(sb, "total_commands_processed", dispatcher.totalCommandsProcessed());
    field(sb, "total_net_input_bytes", stats.netInputBytes());
    field(sb, "total_net_output_bytes", stats.netOutputBytes());
    field(sb, "rejected_connections", stats.rejectedConnections());
    field(sb, "expired_keys", ctx.keyspace().expiredKeys());
    field(sb, "evicted_keys", 0);
    field(sb, "keyspace_hits", ctx.keyspace().keyspaceHits());
    field(sb, "keyspace_misses", ctx.keyspace().keyspaceMisses());
    field(sb, "pubsub_channels", 0);
    field(sb, "pubsub_patterns", 0);
    field(sb, "total_error_replies", dispatcher.totalErrorReplies());
  }

  private static void replication(CommandContext ctx, StringBuilder sb) {
    io.kaiware.command.replication.ReplicationView view = ctx.server() == null ? null : ctx.server().replication();
    io.kaiware.command.replication.ReplicaRole following = ctx.dispatcher().replicaRole();
    io.kaiware.command.replication.ReplicaRole.Master master = following.master();
    if (master != null) {
      // Following a Redis master (REPLICAOF host port): Redis's replica fields, then the group's.
      long nowMs = System.currentTimeMillis();
      boolean up = following.linkUp();
      field(sb, "role", "slave");
      field(sb, "master_host", master.host());
      field(sb, "master_port", master.port());
      field(sb, "master_link_status", up ? "up" : "down");
      field(sb, "master_last_io_seconds_ago", following.lastIoMs() == 0 ? -1 : (nowMs - following.lastIoMs()) / 1000);
      field(sb, "master_sync_in_progress",
          following.linkState() == io.kaiware.command.replication.ReplicaRole.LinkState.SYNC ? 1 : 0);
      field(sb, "slave_read_repl_offset", following.offset());
      field(sb, "slave_repl_offset", following.offset());
      if (!up) {
        field(sb, "master_link_down_since_seconds", (nowMs - following.linkDownSinceMs()) / 1000);
      }
      field(sb, "slave_priority", 100);
      field(sb, "slave_read_only", ctx.server().config().getBool("replica-read-only") ? 1 : 0);
      field(sb, "replica_announced", 1);
      field(sb, "connected_slaves", ctx.propagation().attachedCount());
      field(sb, "master_failover_state", "no-failover");
      field(sb, "master_replid", ctx.server().runId());
      field(sb, "master_replid2", "0000000000000000000000000000000000000000");
      field(sb, "master_repl_offset", following.offset());
      field(sb, "second_repl_offset", -1);
      field(sb, "repl_backlog_active", 0);
      if (view != null) {
        field(sb, "raft_node", view.nodeId());
        field(sb, "raft_role", view.role().toLowerCase(Locale.ROOT));
        field(sb, "raft_term", view.term());
        field(sb, "raft_applied_index", view.appliedIndex());
      }
      return;
    }
    if (view == null) {
      field(sb, "role", "master");
      field(sb, "connected_slaves", 0);
      field(sb, "master_failover_state", "no-failover");
      field(sb, "master_replid", ctx.server().runId());
      field(sb, "master_replid2", "0000000000000000000000000000000000000000");
      field(sb, "master_repl_offset", 0);
      field(sb, "second_repl_offset", -1);
      field(sb, "repl_backlog_active", 0);
      return;
    }
    // Raft's view in Redis's fields: the leader is the master, followers are replicas, offsets are
    // applied log indexes (ROLE and Redisson/Lettuce master-replica discovery read these).
    long applied = view.appliedIndex();
    String leader = view.leaderId();
    if (view.isReadyLeader()) {
      field(sb, "role", "master");
      java.util.Map<String, Long> match = view.followerMatchIndexes();
      java.util.List<String> replicas = new java.util.ArrayList<>();
      for (String id : view.members().keySet()) {
        String address = view.clientAddressOf(id);
        if (!id.equals(view.nodeId()) && address != null) {
          int colon = address.lastIndexOf(':');
          replicas.add("ip=" + address.substring(0, colon) + ",port=" + address.substring(colon + 1) + ",state=online,offset="
              + match.getOrDefault(id, 0L) + ",lag=0");
        }
      }
      field(sb, "connected_slaves", replicas.size());
      for (int i = 0; i < replicas.size(); i++) {
        field(sb, "slave" + i, replicas.get(i));
      }
    } else {
      field(sb, "role", "slave");
      String address = leader == null || leader.equals(view.nodeId()) ? null : view.clientAddressOf(leader);
      int colon = address == null ? -1 : address.lastIndexOf(':');
      field(sb, "master_host", address == null ? "?" : address.substring(0, colon));
      field(sb, "master_port", address == null ? "0" : address.substring(colon + 1));
      field(sb, "master_link_status", address == null ? "down" : "up");
      field(sb, "master_last_io_seconds_ago", address == null ? -1 : 0);
      field(sb, "master_sync_in_progress", 0);
      field(sb, "slave_read_repl_offset", applied);
      field(sb, "slave_repl_offset", applied);
      field(sb, "slave_priority", 100);
      field(sb, "slave_read_only", 1);
      field(sb, "replica_announced", 1);
      field(sb, "connected_slaves", 0);
    }
    field(sb, "master_failover_state", "no-failover");
    field(sb, "master_replid", io.kaiware.command.replication.ReplicationCommands.clusterId("group").substring(0, 40));
    field(sb, "master_replid2", "0000000000000000000000000000000000000000");
    field(sb, "master_repl_offset", applied);
    field(sb, "second_repl_offset", -1);
    field(sb, "repl_backlog_active", 0);
    field(sb, "raft_node", view.nodeId());
    field(sb, "raft_role", view.role().toLowerCase(Locale.ROOT));
    field(sb, "raft_term", view.term());
    field(sb, "raft_leader", leader == null ? "" : leader);
    field(sb, "raft_commit_index", view.commitIndex());
    field(sb, "raft_applied_index", applied);
  }

  /**
   * Kaiware's Raft member: role, term, leader, indexes, the log on disk, the last snapshot, fsync
   * latency and write batch sizes (fields in docs/operations.md). {@code raft_enabled:0} when the
   * server runs without Raft (non-durable-cache).
   */
  private static void raft(CommandContext ctx, StringBuilder sb) {
    io.kaiware.command.replication.ReplicationView view = ctx.server() == null ? null : ctx.server().replication();
    io.kaiware.command.replication.RaftStatus s = view == null ? null : view.raftStatus();
    if (s == null) {
      field(sb, "raft_enabled", 0);
      return;
    }
    field(sb, "raft_enabled", 1);
    field(sb, "raft_node", s.nodeId());
    field(sb, "raft_role", s.role().toLowerCase(Locale.ROOT));
    field(sb, "raft_leader_ready", s.readyLeader() ? 1 : 0);
    field(sb, "raft_term", s.term());
    field(sb, "raft_leader_id", s.leaderId() == null ? "" : s.leaderId());
    field(sb, "raft_leader_address", s.leaderClientAddress() == null ? "" : s.leaderClientAddress());
    field(sb, "raft_voters", s.voters());
    field(sb, "raft_leader_changes", s.leaderChanges());
    field(sb, "raft_commit_index", s.commitIndex());
    field(sb, "raft_applied_index", s.appliedIndex());
    field(sb, "raft_apply_lag_entries", Math.max(0, s.commitIndex() - s.appliedIndex()));
    var log = s.log();
    field(sb, "raft_log_first_index", log.firstIndex());
    field(sb, "raft_log_last_index", log.lastIndex());
    field(sb, "raft_log_entries", log.entries());
    field(sb, "raft_log_bytes", log.bytesOnDisk());
    field(sb, "raft_log_bytes_human", human(log.bytesOnDisk()));
    field(sb, "raft_log_segment_files", log.segmentFiles());
    var snap = s.snapshot();
    field(sb, "raft_snapshot_index", snap.index());
    field(sb, "raft_snapshot_term", snap.term());
    field(sb, "raft_snapshot_age_seconds", snap.index() < 0 || snap.fileTimeMs() <= 0 ? -1
        : Math.max(0, (System.currentTimeMillis() - snap.fileTimeMs()) / 1000));
    field(sb, "raft_snapshot_bytes", snap.bytes());
    field(sb, "raft_snapshots_taken", snap.taken());
    field(sb, "raft_snapshot_last_duration_ms", snap.lastDurationNanos() / 1_000_000);
    field(sb, "raft_snapshot_last_cut_usec", snap.lastCutNanos() / 1_000);
    field(sb, "raft_snapshots_installed", s.snapshotsInstalled());
    field(sb, "raft_read_rounds", s.readRounds());
    field(sb, "raft_read_ticks", s.readTicks());
    var fsync = s.fsync();
    field(sb, "raft_fsync_count", fsync.count());
    field(sb, "raft_fsync_avg_usec", String.format(Locale.ROOT, "%.1f", fsync.mean() / 1000));
    field(sb, "raft_fsync_max_usec", fsync.max() / 1000);
    field(sb, "raft_fsync_p50_usec", fsync.p50() / 1000);
    field(sb, "raft_fsync_p99_usec", fsync.p99() / 1000);
    var b = s.batches();
    field(sb, "raft_batches", b.entries());
    field(sb, "raft_batch_commands", b.commands());
    field(sb, "raft_batch_commands_last", b.lastCommands());
    field(sb, "raft_batch_commands_avg", String.format(Locale.ROOT, "%.2f", b.avgCommands()));
    field(sb, "raft_batch_commands_max", b.maxCommands());
    field(sb, "raft_batch_bytes_last", b.lastBytes());
    field(sb, "raft_batch_bytes_avg", String.format(Locale.ROOT, "%.1f", b.avgBytes()));
    field(sb, "raft_batch_bytes_max", b.maxBytes());
    var commit = b.commitNanos();
    field(sb, "raft_batch_commit_avg_usec", String.format(Locale.ROOT, "%.1f", commit.mean() / 1000));
    field(sb, "raft_batch_commit_max_usec", commit.max() / 1000);
  }

  private static void cpu(CommandContext ctx, StringBuilder sb) {
    double[] userSys = ProcessMemory.cpuSeconds();
    field(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", userSys[1]));
    field(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", userSys[0]));
  }

  private static void commandstats(CommandContext ctx, StringBuilder sb) {
    for (Dispatcher.CommandStats s : ctx.dispatcher().commandStats()) {
      if (s.calls == 0 && s.rejectedCalls == 0 && s.failedCalls == 0) {
        continue;
      }
      field(sb, "cmdstat_" + s.name, "calls=" + s.calls + ",usec=" + s.usec + ",usec_per_call="
          + String.format(Locale.ROOT, "%.2f", s.calls == 0 ? 0.0 : (double) s.usec / s.calls)
          + ",rejected_calls=" + s.rejectedCalls + ",failed_calls=" + s.failedCalls);
    }
  }

  /**
   * Redis 7's {@code latency_percentiles_usec_<cmd>:p50=1.003,p99=3.007,p99.9=12.031}, from each
   * command's HdrHistogram, at the percentiles in latency-tracking-info-percentiles.
   */
  private static void latencystats(CommandContext ctx, StringBuilder sb) {
    String configured = ctx.server() == null ? "50 99 99.9" : ctx.server().config().get("latency-tracking-info-percentiles");
    List<Double> percentiles = new ArrayList<>();
    for (String p : configured.trim().split("\\s+")) {
      if (!p.isEmpty()) {
        try {
          percentiles.add(Double.parseDouble(p));
        } catch (NumberFormatException e) {
          // CONFIG SET validates nothing beyond the string; an unusable entry is skipped.
        }
      }
    }
    for (Dispatcher.CommandStats s : ctx.dispatcher().commandStats()) {
      org.HdrHistogram.Histogram h = s.latency.histogram();
      if (h.getTotalCount() == 0) {
        continue;
      }
      StringBuilder value = new StringBuilder();
      for (double p : percentiles) {
        if (value.length() > 0) {
          value.append(',');
        }
        value.append('p').append(percentileName(p)).append('=')
            .append(String.format(Locale.ROOT, "%.3f", (double) h.getValueAtPercentile(p)));
      }
      field(sb, "latency_percentiles_usec_" + s.name, value.toString());
    }
  }

  /** 50 -> "50", 99.9 -> "99.9", as Redis prints the percentile names. */
  private static String percentileName(double p) {
    return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
  }

  private static void keyspace(CommandContext ctx, StringBuilder sb) {
    for (int i = 0; i < ctx.keyspace().databaseCount(); i++) {
      Database db = ctx.keyspace().db(i);
      if (db.size() > 0) {
        field(sb, "db" + i, "keys=" + db.size() + ",expires=" + db.volatileCount() + ",avg_ttl=0");
      }
    }
  }

  /** Redis's bytesToHuman: 1.50K, 2.00M ... */
  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + "B";
    }
    String[] units = {"K", "M", "G", "T", "P"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.2f%s", value, units[unit]);
  }
}

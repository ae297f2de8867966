package io.kaiware.server.admin;

import io.kaiware.command.BuildInfo;
import io.kaiware.command.Dispatcher;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The {@code /metrics} registry: Kaiware's own families, read from {@link AdminSources} by callbacks
 * at scrape time (nothing is recorded on the hot path), plus the Prometheus JVM instrumentation
 * (GC, memory pools, threads, class loading, process RSS and CPU).
 *
 * <p>Names follow Prometheus conventions: counters end in {@code _total}, times are seconds, sizes
 * bytes. The Kaiware families are listed in {@code docs/operations.md}.
 */
final class AdminMetrics {

  /** Linux per-process memory summary; its {@code Private_*} lines sum to the private memory. */
  static final Path SMAPS_ROLLUP = Path.of("/proc/self/smaps_rollup");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  AdminMetrics(AdminSources sources) {
    JvmMetrics.builder().register(registry);

    GaugeWithCallback.builder().name("kaiware_build_info")
        .help("Which build is running: version, git commit, JDK and GC; always 1.")
        .labelNames("version", "commit", "jdk", "gc")
        .callback(cb -> {
          BuildInfo b = sources.build();
          cb.call(1, b.version(), b.gitCommit() + (b.gitDirty() ? "-dirty" : ""), b.jdk(), b.gc());
        }).register(registry);

    gauge("kaiware_connected_clients", "Client connections currently open.",
        s -> s.stats().connectedClients(), sources);
    counter("kaiware_connections_received", "Client connections accepted since start.",
        s -> s.stats().totalConnectionsReceived(), sources);
    counter("kaiware_connections_rejected", "Client connections refused (maxclients) since start.",
        s -> s.stats().rejectedConnections(), sources);
    counter("kaiware_net_input_bytes", "Bytes read from clients since start.",
        s -> s.stats().netInputBytes(), sources);
    counter("kaiware_net_output_bytes", "Bytes written to clients since start.",
        s -> s.stats().netOutputBytes(), sources);
    gauge("kaiware_keys", "Keys in the keyspace.", AdminSources::keyCount, sources);
    counter("kaiware_expired_keys", "Keys removed by expiry since start.", AdminSources::expiredKeys, sources);
    gauge("kaiware_ready", "1 when the server reports itself ready for traffic (see /ready), else 0.",
        s -> s.ready() ? 1 : 0, sources);

    commandCounter("kaiware_commands_calls", "Calls per command.", s -> s.calls, sources);
    CounterWithCallback.builder().name("kaiware_commands_duration_seconds")
        .help("Time spent executing each command, in seconds (INFO commandstats usec / 1e6).")
        .unit(Unit.SECONDS).labelNames("command")
        .callback(cb -> {
          for (Dispatcher.CommandStats s : sources.commandStats()) {
            if (used(s)) {
              cb.call(s.usec / 1_000_000.0, s.name);
            }
          }
        }).register(registry);
    commandCounter("kaiware_commands_failed", "Calls per command that replied with an error.",
        s -> s.failedCalls, sources);
    commandCounter("kaiware_commands_rejected",
        "Calls per command refused before execution (arity, auth, OOM, unknown subcommand...).",
        s -> s.rejectedCalls, sources);

    CounterWithCallback.builder().name("kaiware_error_replies")
        .help("Error replies by kind (the error's first word: ERR, WRONGTYPE, NOAUTH ...), as INFO errorstats.")
        .labelNames("kind")
        .callback(cb -> sources.errorReplies().forEach((kind, count) -> cb.call(count.get(), kind)))
        .register(registry);
    registry.register(new CommandLatencyCollector(sources));
    registry.register(new RaftCollector(sources));

    GaugeWithCallback.builder().name("kaiware_process_private_memory_bytes")
        .help("Sum of the Private_* lines of /proc/self/smaps_rollup: memory only this process holds.")
        .callback(cb -> {
          long bytes = privateMemoryBytes(SMAPS_ROLLUP);
          if (bytes >= 0) {
            cb.call(bytes);
          }
        }).register(registry);
  }

  /**
   * {@code kaiware_command_latency_seconds}: each command's execution time as a Prometheus histogram,
   * bucketed at scrape time from the command's HdrHistogram (the one behind INFO latencystats), so
   * the engine records nothing extra. Read racily from the admin thread: a scrape may miss a call
   * recorded at the same moment, never more.
   */
  static final class CommandLatencyCollector implements Collector {
    /** Bucket upper bounds in microseconds: 10 µs to 10 s. */
    static final long[] BUCKET_BOUNDS_US = {10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000,
        100_000, 250_000, 500_000, 1_000_000, 10_000_000};

    private final AdminSources sources;

    CommandLatencyCollector(AdminSources sources) {
      this.sources = sources;
    }

    @Override
    public String getPrometheusName() {
      return "kaiware_command_latency_seconds";
    }

    @Override
    public MetricSnapshot collect() {
      HistogramSnapshot.Builder family = HistogramSnapshot.builder().name("kaiware_command_latency_seconds")
          .help("Execution time of each command (engine time, not network), from its latency histogram.")
          .unit(Unit.SECONDS);
      for (Dispatcher.CommandStats s : sources.commandStats()) {
        org.HdrHistogram.Histogram h = s.latency.histogram();
        if (h.getTotalCount() == 0) {
          continue;
        }
        ClassicHistogramBuckets.Builder buckets = ClassicHistogramBuckets.builder();
        long total = h.getTotalCount();
        long countedSoFar = 0;
        for (long boundUs : BUCKET_BOUNDS_US) {
          long atOrBelow = Math.min(total, h.getCountBetweenValues(0, boundUs));
          buckets.bucket(boundUs / 1e6, atOrBelow - countedSoFar);
          countedSoFar = atOrBelow;
        }
        buckets.bucket(Double.POSITIVE_INFINITY, total - countedSoFar);
        family.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
            .labels(Labels.of("command", s.name))
            .classicHistogramBuckets(buckets.build())
            .sum(s.usec / 1e6)
            .build());
      }
      return family.build();
    }
  }

  /**
   * The {@code kaiware_raft_*} families, all from one {@link AdminSources#raftStatus()} per scrape
   * (nothing when the server runs without Raft).
   */
  static final class RaftCollector implements io.prometheus.metrics.model.registry.MultiCollector {
    static final List<String> ROLES = List.of("leader", "follower", "candidate", "listener");
    static final List<String> NAMES = List.of("kaiware_raft_role", "kaiware_raft_is_leader", "kaiware_raft_term",
        "kaiware_raft_commit_index", "kaiware_raft_applied_index", "kaiware_raft_log_entries", "kaiware_raft_log_bytes",
        "kaiware_raft_snapshot_index", "kaiware_raft_snapshot_bytes", "kaiware_raft_snapshot_timestamp_seconds",
        "kaiware_raft_snapshots_taken", "kaiware_raft_snapshots_installed", "kaiware_raft_leader_changes",
        "kaiware_raft_fsync_seconds", "kaiware_raft_batch_commands", "kaiware_raft_batch_bytes",
        "kaiware_raft_batch_commit_seconds");

    private final AdminSources sources;

    RaftCollector(AdminSources sources) {
      this.sources = sources;
    }

    @Override
    public List<String> getPrometheusNames() {
      return NAMES;
    }

    @Override
    public io.prometheus.metrics.model.snapshots.MetricSnapshots collect() {
      io.kaiware.command.replication.RaftStatus s = sources.raftStatus();
      if (s == null) {
        return new io.prometheus.metrics.model.snapshots.MetricSnapshots();
      }
      List<MetricSnapshot> out = new java.util.ArrayList<>();
      String role = s.role().toLowerCase(java.util.Locale.ROOT);
      var roles = io.prometheus.metrics.model.snapshots.GaugeSnapshot.builder().name("kaiware_raft_role")
          .help("1 for this member's Raft role (leader, follower, candidate, listener), 0 for the others.");
      for (String r : ROLES) {
        roles.dataPoint(io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot.builder()
            .labels(Labels.of("role", r)).value(r.equals(role) ? 1 : 0).build());
      }
      out.add(roles.build());
      out.add(gauge("kaiware_raft_is_leader", "1 when this member is the Raft leader and ready, else 0.",
          s.readyLeader() ? 1 : 0));
      out.add(gauge("kaiware_raft_term", "The current Raft term.", s.term()));
      out.add(gauge("kaiware_raft_commit_index", "The highest log index this member knows to be committed.",
          s.commitIndex()));
      out.add(gauge("kaiware_raft_applied_index", "The index of the last log entry executed on this member.",
          s.appliedIndex()));
      out.add(gauge("kaiware_raft_log_entries", "Entries in the Raft log (first to last index, after purges).",
          s.log().entries()));
      out.add(gauge("kaiware_raft_log_bytes", "Bytes of the Raft log's segment files on disk.", s.log().bytesOnDisk()));
      out.add(gauge("kaiware_raft_snapshot_index", "Log index of the latest snapshot (-1: none).", s.snapshot().index()));
      out.add(gauge("kaiware_raft_snapshot_bytes", "Size of the latest snapshot file.", s.snapshot().bytes()));
      out.add(gauge("kaiware_raft_snapshot_timestamp_seconds",
          "When the latest snapshot file was written (Unix time; 0: none).", s.snapshot().fileTimeMs() / 1000.0));
      out.add(counter("kaiware_raft_snapshots_taken", "Snapshots this member wrote since start.", s.snapshot().taken()));
      out.add(counter("kaiware_raft_snapshots_installed",
          "Snapshots received from a leader and loaded since start (a follower that fell behind the log).",
          s.snapshotsInstalled()));
      out.add(counter("kaiware_raft_leader_changes", "Leader changes this member saw since start.", s.leaderChanges()));
      out.add(counter("kaiware_raft_read_rounds",
          "Rounds asking the followers' terms that proved linearizable reads (each serves the reads that arrived before it).",
          s.readRounds()));
      out.add(counter("kaiware_raft_read_ticks",
          "Linearizable reads proven by a tick log entry because a round proved nothing.", s.readTicks()));
      out.add(histogram("kaiware_raft_fsync_seconds", "Raft log fsync time (write and force of a log segment).",
          s.fsync(), 1e-9, Unit.SECONDS));
      out.add(histogram("kaiware_raft_batch_commands",
          "Commands per Raft log entry (write batch) this member submitted as leader.", s.batches().commandsPerEntry(), 1,
          null));
      out.add(counter("kaiware_raft_batch_bytes", "Bytes of the write batches this member submitted as leader.",
          s.batches().bytes()));
      out.add(histogram("kaiware_raft_batch_commit_seconds",
          "Time from a write batch's submission to Raft to its reply (committed on a majority and applied).",
          s.batches().commitNanos(), 1e-9, Unit.SECONDS));
      return new io.prometheus.metrics.model.snapshots.MetricSnapshots(out);
    }

    private static MetricSnapshot gauge(String name, String help, double value) {
      return io.prometheus.metrics.model.snapshots.GaugeSnapshot.builder().name(name).help(help)
          .dataPoint(io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build())
          .build();
    }

    private static MetricSnapshot counter(String name, String help, double value) {
      return io.prometheus.metrics.model.snapshots.CounterSnapshot.builder().name(name).help(help)
          .dataPoint(io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot.builder().value(value)
              .build())
          .build();
    }

    /** A classic histogram from a distribution's buckets, each bound and the sum scaled by {@code scale}. */
    static MetricSnapshot histogram(String name, String help, io.kaiware.command.replication.RaftStatus.Distribution d,
        double scale, Unit unit) {
      ClassicHistogramBuckets.Builder buckets = ClassicHistogramBuckets.builder();
      long[] bounds = d.bucketBounds();
      long[] counts = d.bucketCounts();
      for (int i = 0; i < bounds.length; i++) {
        buckets.bucket(bounds[i] * scale, counts[i]);
      }
      buckets.bucket(Double.POSITIVE_INFINITY, counts[counts.length - 1]);
      HistogramSnapshot.Builder family = HistogramSnapshot.builder().name(name).help(help);
      if (unit != null) {
        family.unit(unit);
      }
      return family.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
          .classicHistogramBuckets(buckets.build()).sum(d.sum() * scale).build()).build();
    }
  }

  private static boolean used(Dispatcher.CommandStats s) {
    return s.calls != 0 || s.failedCalls != 0 || s.rejectedCalls != 0;
  }

  private void gauge(String name, String help, ToDoubleFunction<AdminSources> value, AdminSources sources) {
    GaugeWithCallback.builder().name(name).help(help)
        .callback(cb -> cb.call(value.applyAsDouble(sources))).register(registry);
  }

  private void counter(String name, String help, ToDoubleFunction<AdminSources> value, AdminSources sources) {
    CounterWithCallback.builder().name(name).help(help)
        .callback(cb -> cb.call(value.applyAsDouble(sources))).register(registry);
  }

  private void commandCounter(String name, String help, ToDoubleFunction<Dispatcher.CommandStats> value,
      AdminSources sources) {
    CounterWithCallback.builder().name(name).help(help).labelNames("command")
        .callback(cb -> {
          for (Dispatcher.CommandStats s : sources.commandStats()) {
            if (used(s)) {
              cb.call(value.applyAsDouble(s), s.name);
            }
          }
        }).register(registry);
  }

  /** The Prometheus text exposition (format 0.0.4) of every family. */
  byte[] scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
    writer.write(out, registry.scrape());
    return out.toByteArray();
  }

  String contentType() {
    return writer.getContentType();
  }

  /**
   * Sums the {@code Private_Clean}, {@code Private_Dirty} and {@code Private_Hugetlb} lines (kB) of
   * an smaps or smaps_rollup file, in bytes; -1 when the file cannot be read (not Linux).
   */
  static long privateMemoryBytes(Path smaps) {
    List<String> lines;
    try {
      lines = Files.readAllLines(smaps);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return sumPrivateKb(lines) * 1024;
  }

  static long sumPrivateKb(List<String> lines) {
    long kb = 0;
    for (String line : lines) {
      if (line.startsWith("Private_")) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length >= 2) {
          try {
            kb += Long.parseLong(parts[1]);
          } catch (NumberFormatException ignored) {
            // not a size line
          }
        }
      }
    }
    return kb;
  }
}

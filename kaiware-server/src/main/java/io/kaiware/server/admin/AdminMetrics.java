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

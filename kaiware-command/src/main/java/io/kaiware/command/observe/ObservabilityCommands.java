package io.kaiware.command.observe;

import static io.kaiware.command.CommandFlag.ADMIN;
import static io.kaiware.command.CommandFlag.LOADING;
import static io.kaiware.command.CommandFlag.NOSCRIPT;
import static io.kaiware.command.CommandFlag.STALE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.Dispatcher;
import io.kaiware.command.Help;
import io.kaiware.command.Numbers;
import io.kaiware.resp.RespWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** SLOWLOG and LATENCY, answered from the dispatcher's {@link SlowLog}, {@link LatencyMonitor} and {@link CommandLatency}. */
public final class ObservabilityCommands {
  private ObservabilityCommands() {}

  public static List<CommandSpec> specs() {
    return List.of(
        command("slowlog").arity(-2).group("server").since("2.2.12").summary("A container for slow log commands.")
            .subcommand(command("get").arity(-2).flags(ADMIN, LOADING, STALE).complexity("O(N) where N is the number of entries returned")
                .summary("Returns the slow log's entries.").handler(ObservabilityCommands::slowlogGet))
            .subcommand(command("len").arity(2).flags(ADMIN, LOADING, STALE)
                .summary("Returns the number of entries in the slow log.")
                .handler(ctx -> ctx.reply().integer(ctx.dispatcher().slowLog().length())))
            .subcommand(command("reset").arity(2).flags(ADMIN, LOADING, STALE).complexity("O(N) where N is the number of entries in the slowlog")
                .summary("Clears all entries from the slow log.").handler(ctx -> {
                  ctx.dispatcher().slowLog().reset();
                  ctx.reply().ok();
                }))
            .subcommand(command("help").arity(2).flags(LOADING, STALE).summary("Show helpful text about the different subcommands")
                .handler(ctx -> Help.reply(ctx, "SLOWLOG",
                    "GET [<count>]", "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                    "LEN", "    Return the length of the slowlog.",
                    "RESET", "    Reset the slowlog.")))
            .build(),
        command("latency").arity(-2).group("server").since("2.8.13").summary("A container for latency diagnostics commands.")
            .subcommand(command("latest").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                .summary("Returns the latest latency samples for all events.").handler(ObservabilityCommands::latencyLatest))
            .subcommand(command("history").arity(3).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                .summary("Returns timestamp-latency samples for an event.").handler(ObservabilityCommands::latencyHistory))
            .subcommand(command("reset").arity(-2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                .summary("Resets the latency data for one or more events.").handler(ctx -> {
                  List<String> names = new ArrayList<>();
                  for (int i = 2; i < ctx.argc(); i++) {
                    names.add(ctx.argString(i));
                  }
                  ctx.reply().integer(ctx.dispatcher().latencyMonitor().reset(names));
                }))
            .subcommand(command("histogram").arity(-2).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("7.0.0")
                .complexity("O(N) where N is the number of commands with latency information being retrieved.")
                .summary("Returns the cumulative distribution of latencies of a subset or all commands.")
                .handler(ObservabilityCommands::latencyHistogram))
            .subcommand(command("doctor").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                .summary("Returns a human-readable latency analysis report.").handler(ObservabilityCommands::latencyDoctor))
            .subcommand(command("help").arity(2).flags(LOADING, STALE).summary("Returns helpful text about the different subcommands.")
                .handler(ctx -> Help.reply(ctx, "LATENCY",
                    "DOCTOR", "    Return a human readable latency analysis report.",
                    "HISTORY <event>", "    Return time-latency samples for the <event> class.",
                    "LATEST", "    Return the latest latency samples for all events.",
                    "RESET [<event> ...]", "    Reset latency data of one or more <event> classes.",
                    "HISTOGRAM [COMMAND ...]", "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.")))
            .build());
  }

  private static void slowlogGet(CommandContext ctx) {
    long count = 10;
    if (ctx.argc() == 3) {
      count = Numbers.parseLong(ctx.arg(2));
      if (count == Numbers.NOT_A_LONG || count < -1) {
        throw new CommandError("ERR count should be greater than or equal to -1");
      }
    } else if (ctx.argc() > 3) {
      throw new CommandError("ERR wrong number of arguments for 'slowlog|get' command");
    }
    List<SlowLog.Entry> entries = ctx.dispatcher().slowLog().newest(count);
    RespWriter out = ctx.reply();
    out.arrayHeader(entries.size());
    for (SlowLog.Entry e : entries) {
      out.arrayHeader(6);
      out.integer(e.id());
      out.integer(e.timestampS());
      out.integer(e.durationUs());
      out.arrayHeader(e.args().length);
      for (byte[] arg : e.args()) {
        out.bulk(arg);
      }
      out.bulk(e.clientAddress());
      out.bulk(e.clientName());
    }
  }

  private static void latencyLatest(CommandContext ctx) {
    List<LatencyMonitor.Event> events = ctx.dispatcher().latencyMonitor().snapshot();
    ctx.reply().arrayHeader(events.size());
    for (LatencyMonitor.Event e : events) {
      ctx.reply().arrayHeader(4);
      ctx.reply().bulk(e.name());
      ctx.reply().integer(e.latest().timestampS());
      ctx.reply().integer(e.latest().latencyMs());
      ctx.reply().integer(e.maxMs());
    }
  }

  private static void latencyHistory(CommandContext ctx) {
    String name = ctx.argString(2);
    for (LatencyMonitor.Event e : ctx.dispatcher().latencyMonitor().snapshot()) {
      if (e.name().equals(name)) {
        ctx.reply().arrayHeader(e.samples().size());
        for (LatencyMonitor.Sample s : e.samples()) {
          ctx.reply().arrayHeader(2);
          ctx.reply().integer(s.timestampS());
          ctx.reply().integer(s.latencyMs());
        }
        return;
      }
    }
    ctx.reply().arrayHeader(0);
  }

  private static void latencyHistogram(CommandContext ctx) {
    Dispatcher dispatcher = ctx.dispatcher();
    List<Dispatcher.CommandStats> selected = new ArrayList<>();
    for (Dispatcher.CommandStats s : dispatcher.commandStats()) {
      if (s.calls == 0) {
        continue;
      }
      if (ctx.argc() == 2) {
        selected.add(s);
      } else {
        for (int i = 2; i < ctx.argc(); i++) {
          // A container names itself and its subcommands ("client": client|id, client|list ...), as Redis.
          String wanted = ctx.argString(i).toLowerCase(Locale.ROOT);
          if (wanted.equals(s.name) || s.name.startsWith(wanted + "|")) {
            selected.add(s);
            break;
          }
        }
      }
    }
    RespWriter out = ctx.reply();
    out.mapHeader(selected.size());
    for (Dispatcher.CommandStats s : selected) {
      Histogram h = s.latency.histogram();
      out.bulk(s.name);
      out.mapHeader(2);
      out.bulk("calls");
      out.integer(s.calls);
      out.bulk("histogram_usec");
      List<long[]> buckets = new ArrayList<>();
      long previous = 0;
      for (HistogramIterationValue v : h.logarithmicBucketValues(1, 2)) {
        long cumulative = v.getTotalCountToThisValue();
        if (cumulative != previous) {
          buckets.add(new long[] {v.getValueIteratedTo(), cumulative});
          previous = cumulative;
        }
      }
      out.mapHeader(buckets.size());
      for (long[] b : buckets) {
        out.integer(b[0]);
        out.integer(b[1]);
      }
    }
  }

  private static void latencyDoctor(CommandContext ctx) {
    List<LatencyMonitor.Event> events = ctx.dispatcher().latencyMonitor().snapshot();
    StringBuilder sb = new StringBuilder();
    if (events.isEmpty()) {
      sb.append("Dave, no latency spike was observed during the lifetime of this Kaiware instance, not in the slightest bit.");
      if (!ctx.dispatcher().latencyMonitor().wouldRecord(Long.MAX_VALUE)) {
        sb.append(" The latency monitor is off: CONFIG SET latency-monitor-threshold <milliseconds> turns it on.");
      }
      sb.append('\n');
    } else {
      sb.append("Latency spikes observed by this Kaiware instance:\n\n");
      int n = 1;
      for (LatencyMonitor.Event e : events) {
        long sum = 0;
        for (LatencyMonitor.Sample s : e.samples()) {
          sum += s.latencyMs();
        }
        sb.append(n++).append(". ").append(e.name()).append(": ").append(e.samples().size())
            .append(" latency spikes (average ").append(sum / e.samples().size()).append("ms, worst ").append(e.maxMs())
            .append("ms).\n");
      }
      sb.append("\nEvents: command = slow commands; expire-cycle = active expiry rounds; gc = JVM garbage collection pauses;"
          + " batch-apply / batch-commit = write batches slow to execute / to commit through Raft (write-delay-warn-ms);"
          + " raft-fsync = Raft log fsyncs; raft-snapshot = Raft snapshots.\n");
    }
    ctx.reply().verbatim("txt", sb.toString());
  }
}

package io.kaiware.bench.report;

import io.kaiware.bench.load.LoadSettings;
import io.kaiware.bench.load.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Renders run results as text, JSON or CSV. */
public final class Reports {
    /** Upper bounds of the log-scale histogram bins, in ns: 1 µs ... 10 s; the last bin is open. */
    static final long[] BIN_UPPER_NS = {1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L,
        1_000_000_000L, 10_000_000_000L};
    static final String[] BIN_LABELS = {"< 1 µs", "< 10 µs", "< 100 µs", "< 1 ms", "< 10 ms", "< 100 ms",
        "< 1 s", "< 10 s", ">= 10 s"};
    /** Latency columns, in report order. */
    static final String[] STAT_NAMES = {"AVG", "P50", "P90", "P95", "P99", "P99.5", "P99.9", "MAX", "STDDEV"};
    private static final int BAR_WIDTH = 40;

    private Reports() {}

    /** The latency row in ns, in {@link #STAT_NAMES} order. */
    static double[] latencyStatsNs(Histogram h) {
        if (h.getTotalCount() == 0) return new double[STAT_NAMES.length];
        return new double[] {h.getMean(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
            h.getValueAtPercentile(95), h.getValueAtPercentile(99), h.getValueAtPercentile(99.5),
            h.getValueAtPercentile(99.9), h.getMaxValue(), h.getStdDeviation()};
    }

    /** Counts per log-scale bin; bin i holds latencies in {@code [BIN_UPPER_NS[i-1], BIN_UPPER_NS[i])}. */
    static long[] binCounts(Histogram h) {
        long[] counts = new long[BIN_LABELS.length];
        long below = 0;
        for (int i = 0; i < BIN_UPPER_NS.length; i++) {
            long upTo = h.getTotalCount() == 0 ? 0 : countBelow(h, BIN_UPPER_NS[i]);
            counts[i] = upTo - below;
            below = upTo;
        }
        counts[BIN_UPPER_NS.length] = h.getTotalCount() - below;
        return counts;
    }

    private static long countBelow(Histogram h, long boundNs) {
        // Values equivalent to the bound (within the histogram's precision) count as reaching it.
        long lowestEquivalent = h.lowestEquivalentValue(boundNs);
        return lowestEquivalent == 0 ? 0 : h.getCountBetweenValues(0, lowestEquivalent - 1);
    }

    static String mode(LoadSettings s) {
        return s.openLoop()
                ? String.format(Locale.ROOT, "open loop at %s req/s (latency from the scheduled time: coordinated omission corrected)", num(s.ratePerSecond()))
                : "closed loop, max throughput (latency from the send time: NOT corrected for coordinated omission)";
    }

    public static String text(RunResult r) {
        StringBuilder b = new StringBuilder();
        LoadSettings s = r.settings();
        b.append("== ").append(s.name()).append(" ").append(s.address()).append(" ==\n");
        b.append("Mode:      ").append(mode(s)).append('\n');
        b.append(String.format(Locale.ROOT, "Workload:  %s; %d connections, pipeline %d, warm-up %.1f s%n",
                s.workload().description(), s.connections(), s.pipeline(), s.warmupNs() / 1e9));
        if (r.aborted()) b.append("ABORTED:   ").append(r.abortReason()).append(" (partial report)\n");
        b.append(String.format(Locale.ROOT, "Count: %d   Failed: %d   Success: %.2f%%   Elapsed: %.3f s   Rate: %.1f/s (%.0f/min)%n",
                r.count(), r.failed(), r.successPercent(), r.elapsedNs() / 1e9, r.ratePerSecond(), r.ratePerSecond() * 60));
        b.append('\n');
        b.append(String.format(Locale.ROOT, "%-13s", "Latency (ms)"));
        for (String n : STAT_NAMES) b.append(String.format(Locale.ROOT, "%10s", n));
        b.append('\n').append(String.format(Locale.ROOT, "%-13s", ""));
        for (double v : latencyStatsNs(r.latencyNs())) b.append(String.format(Locale.ROOT, "%10.3f", v / 1e6));
        b.append("\n\n");
        b.append("Histogram (successful requests)\n");
        long[] bins = binCounts(r.latencyNs());
        long max = 1;
        for (long c : bins) max = Math.max(max, c);
        long total = Math.max(1, r.latencyNs().getTotalCount());
        for (int i = 0; i < bins.length; i++) {
            int bar = (int) Math.round((double) bins[i] * BAR_WIDTH / max);
            if (bins[i] > 0 && bar == 0) bar = 1;
            b.append(String.format(Locale.ROOT, "  %-9s %12d %8.3f%%  %s%n", BIN_LABELS[i], bins[i], 100.0 * bins[i] / total, "#".repeat(bar)));
        }
        if (!r.failures().isEmpty()) {
            b.append("\nFailures by kind\n");
            for (Map.Entry<String, Long> e : r.failures().entrySet()) {
                b.append(String.format(Locale.ROOT, "  %-20s %12d%n", e.getKey(), e.getValue()));
            }
        }
        MemoryTrend m = MemoryTrend.of(r);
        if (m != null) {
            b.append(String.format(Locale.ROOT,
                    "%nMemory (pid %d, %d samples; private = sum of Private_* in smaps_rollup)%n"
                            + "  private: start %d KB, end %d KB, growth after warm-up %s KB/min%n"
                            + "  RSS:     start %d KB, end %d KB, growth after warm-up %s KB/min%n",
                    m.pid(), m.samples(), m.startPrivateKb(), m.endPrivateKb(), slope(m.privateSlopeKbPerMin()),
                    m.startRssKb(), m.endRssKb(), slope(m.rssSlopeKbPerMin())));
        } else if (r.memoryNote() != null) {
            b.append("\nMemory: ").append(r.memoryNote()).append('\n');
        }
        return b.toString();
    }

    private static String slope(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%+.1f", v);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }

    /** Side-by-side table of several runs with ratios to the first. */
    public static String compare(List<RunResult> runs) {
        List<String> names = new ArrayList<>();
        for (RunResult r : runs) names.add(r.settings().name());
        List<String[]> rows = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        addRow(rows, values, "count", runs, r -> (double) r.count(), "%.0f");
        addRow(rows, values, "failed", runs, r -> (double) r.failed(), "%.0f");
        addRow(rows, values, "success %", runs, RunResult::successPercent, "%.2f");
        addRow(rows, values, "rate/s", runs, RunResult::ratePerSecond, "%.1f");
        for (int i = 0; i < STAT_NAMES.length; i++) {
            int stat = i;
            addRow(rows, values, STAT_NAMES[i] + " ms", runs, r -> latencyStatsNs(r.latencyNs())[stat] / 1e6, "%.3f");
        }
        addRow(rows, values, "mem start KB", runs, r -> memory(r, 0), "%.0f");
        addRow(rows, values, "mem end KB", runs, r -> memory(r, 1), "%.0f");
        addRow(rows, values, "mem KB/min", runs, r -> memory(r, 2), "%.1f");
        StringBuilder b = new StringBuilder("== comparison (ratios to ").append(names.get(0)).append(") ==\n");
        b.append(String.format(Locale.ROOT, "%-14s", ""));
        for (String n : names) b.append(String.format(Locale.ROOT, "%14s", n));
        for (int i = 1; i < names.size(); i++) b.append(String.format(Locale.ROOT, "%14s", names.get(i) + "/" + names.get(0)));
        b.append('\n');
        for (int row = 0; row < rows.size(); row++) {
            String[] cells = rows.get(row);
            double[] v = values.get(row);
            b.append(String.format(Locale.ROOT, "%-14s", cells[0]));
            for (int i = 1; i < cells.length; i++) b.append(String.format(Locale.ROOT, "%14s", cells[i]));
            for (int i = 1; i < v.length; i++) {
                boolean defined = v[0] != 0 && !Double.isNaN(v[0]) && !Double.isNaN(v[i]);
                b.append(String.format(Locale.ROOT, "%14s", defined ? String.format(Locale.ROOT, "%.2fx", v[i] / v[0]) : "-"));
            }
            b.append('\n');
        }
        for (RunResult r : runs) {
            if (r.aborted()) b.append("ABORTED ").append(r.settings().name()).append(": ").append(r.abortReason()).append('\n');
        }
        return b.toString();
    }

    private static double memory(RunResult r, int which) {
        MemoryTrend m = MemoryTrend.of(r);
        if (m == null) return Double.NaN;
        return which == 0 ? m.startPrivateKb() : which == 1 ? m.endPrivateKb() : m.privateSlopeKbPerMin();
    }

    private static void addRow(List<String[]> rows, List<double[]> values, String label, List<RunResult> runs,
                               java.util.function.ToDoubleFunction<RunResult> f, String fmt) {
        String[] cells = new String[runs.size() + 1];
        double[] v = new double[runs.size()];
        cells[0] = label;
        for (int i = 0; i < runs.size(); i++) {
            v[i] = f.applyAsDouble(runs.get(i));
            cells[i + 1] = Double.isNaN(v[i]) ? "-" : String.format(Locale.ROOT, fmt, v[i]);
        }
        rows.add(cells);
        values.add(v);
    }

    /** {@code {"runs":[...]}}, one object per run. */
    public static String json(List<RunResult> runs) {
        StringBuilder b = new StringBuilder("{\"runs\":[");
        for (int i = 0; i < runs.size(); i++) {
            if (i > 0) b.append(',');
            json(b, runs.get(i));
        }
        return b.append("]}\n").toString();
    }

    private static void json(StringBuilder b, RunResult r) {
        LoadSettings s = r.settings();
        b.append("{\"name\":").append(quote(s.name()))
                .append(",\"address\":").append(quote(s.address()))
                .append(",\"mode\":").append(quote(s.openLoop() ? "open-loop" : "closed-loop"))
                .append(",\"target_rate_per_s\":").append(s.openLoop() ? num(s.ratePerSecond()) : "null")
                .append(",\"workload\":").append(quote(s.workload().description()))
                .append(",\"connections\":").append(s.connections())
                .append(",\"pipeline\":").append(s.pipeline())
                .append(",\"count\":").append(r.count())
                .append(",\"failed\":").append(r.failed())
                .append(",\"success_pct\":").append(fmt(r.successPercent()))
                .append(",\"elapsed_s\":").append(fmt(r.elapsedNs() / 1e9))
                .append(",\"rate_per_s\":").append(fmt(r.ratePerSecond()))
                .append(",\"rate_per_min\":").append(fmt(r.ratePerSecond() * 60))
                .append(",\"latency_ms\":{");
        double[] stats = latencyStatsNs(r.latencyNs());
        for (int i = 0; i < STAT_NAMES.length; i++) {
            if (i > 0) b.append(',');
            b.append(quote(STAT_NAMES[i].toLowerCase(Locale.ROOT))).append(':').append(fmt(stats[i] / 1e6));
        }
        b.append("},\"histogram\":[");
        long[] bins = binCounts(r.latencyNs());
        for (int i = 0; i < bins.length; i++) {
            if (i > 0) b.append(',');
            b.append("{\"bin\":").append(quote(BIN_LABELS[i])).append(",\"count\":").append(bins[i]).append('}');
        }
        b.append("],\"failures\":{");
        boolean first = true;
        for (Map.Entry<String, Long> e : r.failures().entrySet()) {
            if (!first) b.append(',');
            first = false;
            b.append(quote(e.getKey())).append(':').append(e.getValue());
        }
        b.append('}');
        MemoryTrend m = MemoryTrend.of(r);
        if (m != null) {
            b.append(",\"memory\":{\"pid\":").append(m.pid())
                    .append(",\"start_private_kb\":").append(m.startPrivateKb())
                    .append(",\"end_private_kb\":").append(m.endPrivateKb())
                    .append(",\"private_slope_kb_per_min\":").append(fmtOrNull(m.privateSlopeKbPerMin()))
                    .append(",\"start_rss_kb\":").append(m.startRssKb())
                    .append(",\"end_rss_kb\":").append(m.endRssKb())
                    .append(",\"rss_slope_kb_per_min\":").append(fmtOrNull(m.rssSlopeKbPerMin()))
                    .append('}');
        }
        b.append(",\"aborted\":").append(r.aborted() ? quote(r.abortReason()) : "null").append('}');
    }

    /** One header line and one row per run. */
    public static String csv(List<RunResult> runs) {
        StringBuilder b = new StringBuilder("name,address,mode,count,failed,success_pct,elapsed_s,rate_per_s,rate_per_min");
        for (String n : STAT_NAMES) b.append(',').append(n.toLowerCase(Locale.ROOT)).append("_ms");
        b.append(",mem_start_private_kb,mem_end_private_kb,mem_private_slope_kb_per_min,aborted\n");
        for (RunResult r : runs) {
            LoadSettings s = r.settings();
            b.append(csvCell(s.name())).append(',').append(csvCell(s.address())).append(',')
                    .append(s.openLoop() ? "open-loop" : "closed-loop").append(',')
                    .append(r.count()).append(',').append(r.failed()).append(',').append(fmt(r.successPercent())).append(',')
                    .append(fmt(r.elapsedNs() / 1e9)).append(',').append(fmt(r.ratePerSecond())).append(',')
                    .append(fmt(r.ratePerSecond() * 60));
            for (double v : latencyStatsNs(r.latencyNs())) b.append(',').append(fmt(v / 1e6));
            MemoryTrend m = MemoryTrend.of(r);
            b.append(',').append(m == null ? "" : Long.toString(m.startPrivateKb()))
                    .append(',').append(m == null ? "" : Long.toString(m.endPrivateKb()))
                    .append(',').append(m == null || Double.isNaN(m.privateSlopeKbPerMin()) ? "" : fmt(m.privateSlopeKbPerMin()))
                    .append(',').append(r.aborted() ? csvCell(r.abortReason()) : "").append('\n');
        }
        return b.toString();
    }

    /** The run's timeline: one row per progress interval. */
    public static String timelineCsv(RunResult r) {
        StringBuilder b = new StringBuilder("elapsed_s,warmup,requests,errors,p99_ms,max_ms,private_kb,rss_kb\n");
        for (var s : r.timeline()) {
            b.append(fmt(s.elapsedMs() / 1e3)).append(',').append(s.warmup()).append(',').append(s.requests()).append(',')
                    .append(s.errors()).append(',').append(fmt(s.p99Ns() / 1e6)).append(',').append(fmt(s.maxNs() / 1e6)).append(',')
                    .append(s.hasMemory() ? Long.toString(s.privateKb()) : "").append(',')
                    .append(s.hasMemory() ? Long.toString(s.rssKb()) : "").append('\n');
        }
        return b.toString();
    }

    static String fmt(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "0";
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String fmtOrNull(double v) {
        return Double.isNaN(v) ? "null" : fmt(v);
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}

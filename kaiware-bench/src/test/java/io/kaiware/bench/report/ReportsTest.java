package io.kaiware.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kaiware.bench.load.IntervalSample;
import io.kaiware.bench.load.KeyDistribution;
import io.kaiware.bench.load.LoadSettings;
import io.kaiware.bench.load.RunResult;
import io.kaiware.bench.load.Workload;
import java.util.List;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ReportsTest {
    private static final long S = 1_000_000_000L;

    static LoadSettings settings(String name, long warmupNs) {
        Workload w = Workload.parse("set", null, KeyDistribution.parse("sequential", 100, 0.99), "key:", "32");
        return new LoadSettings(name, "127.0.0.1", 6379, 2500, 60 * S, warmupNs, 50, 1, 1, 5 * S, S, S, 1, w);
    }

    /** 1,000 requests: 900 at 500 µs, 90 at 5 ms, 9 at 50 ms, 1 at 2 s; 10 errors. */
    static RunResult sample(String name, long scale) {
        Histogram h = new Histogram(1, 3_600_000_000_000L, 3);
        h.recordValueWithCount(500_000 * scale, 900);
        h.recordValueWithCount(5_000_000 * scale, 90);
        h.recordValueWithCount(50_000_000 * scale, 9);
        h.recordValue(2_000_000_000L * scale);
        TreeMap<String, Long> failures = new TreeMap<>();
        failures.put("ERR", 6L);
        failures.put("timeout", 4L);
        List<IntervalSample> timeline = List.of(
                new IntervalSample(0, true, 0, 0, 0, 0, 1000, 2000),
                new IntervalSample(10_000, false, 100, 0, 1_000_000, 2_000_000, 1100, 2100),
                new IntervalSample(70_000, false, 100, 0, 1_000_000, 2_000_000, 1200, 2200));
        return new RunResult(settings(name, 10 * S), h, failures, 10 * S, null, timeline, 4242, null);
    }

    @Test
    void binsAreLogScale() {
        long[] bins = Reports.binCounts(sample("a", 1).latencyNs());
        assertThat(bins).containsExactly(0, 0, 0, 900, 90, 9, 0, 1, 0);
    }

    @Test
    void textHasTheSummaryTheLatencyRowTheHistogramFailuresAndMemory() {
        String text = Reports.text(sample("kaiware", 1));
        assertThat(text).contains("Count: 1010   Failed: 10   Success: 99.01%   Elapsed: 10.000 s   Rate: 101.0/s (6060/min)");
        assertThat(text).containsPattern("Latency \\(ms\\)\\s+AVG\\s+P50\\s+P90\\s+P95\\s+P99\\s+P99.5\\s+P99.9\\s+MAX\\s+STDDEV");
        assertThat(text).containsPattern("< 1 ms\\s+900\\s+90.000%\\s+#{40}\n");
        assertThat(text).containsPattern(">= 10 s\\s+0\\s+0.000%");
        assertThat(text).containsPattern("timeout\\s+4");
        assertThat(text).contains("pid 4242").contains("start 1000 KB, end 1200 KB, growth after warm-up +100.0 KB/min");
        assertThat(text).contains("coordinated omission corrected");
    }

    @Test
    void memoryTrendFitsOnlyAfterWarmup() {
        MemoryTrend m = MemoryTrend.of(sample("a", 1));
        assertThat(m.startPrivateKb()).isEqualTo(1000);
        assertThat(m.endPrivateKb()).isEqualTo(1200);
        // after warm-up (10 s): (10 s, 1100), (70 s, 1200) -> 100 KB per minute
        assertThat(m.privateSlopeKbPerMin()).isCloseTo(100.0, within(1e-9));
        assertThat(m.samples()).isEqualTo(3);
    }

    @Test
    void jsonAndCsvCarryTheSameNumbers() {
        List<RunResult> runs = List.of(sample("kaiware", 1), sample("redis", 2));
        String json = Reports.json(runs);
        assertThat(json).startsWith("{\"runs\":[{\"name\":\"kaiware\"");
        assertThat(json).contains("\"count\":1010", "\"failed\":10", "\"p50\":0.500", "\"failures\":{\"ERR\":6,\"timeout\":4}",
                "\"start_private_kb\":1000", "\"aborted\":null", "{\"bin\":\"< 1 ms\",\"count\":900}");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());

        String[] csv = Reports.csv(runs).split("\n");
        assertThat(csv).hasSize(3);
        assertThat(csv[0]).startsWith("name,address,mode,count,failed,success_pct,elapsed_s,rate_per_s,rate_per_min,avg_ms,p50_ms");
        assertThat(csv[1].split(",", -1)).hasSize(csv[0].split(",", -1).length);
        assertThat(csv[1]).startsWith("kaiware,127.0.0.1:6379,open-loop,1010,10,99.010,10.000,101.000,6060.000,");
    }

    @Test
    void compareShowsRatiosToTheFirstTarget() {
        String table = Reports.compare(List.of(sample("kaiware", 1), sample("redis", 2)));
        assertThat(table).contains("redis/kaiware");
        assertThat(table).containsPattern("P50 ms\\s+0.500\\s+1.000\\s+2.00x");
        assertThat(table).containsPattern("count\\s+1010\\s+1010\\s+1.00x");
    }

    @Test
    void timelineCsvAndSvg() {
        RunResult r = sample("kaiware", 1);
        String csv = Reports.timelineCsv(r);
        assertThat(csv.split("\n")).hasSize(4);
        assertThat(csv).contains("10.000,false,100,0,1.000,2.000,1100,2100");
        String svg = SvgChart.render(r);
        assertThat(svg).startsWith("<svg").endsWith("</svg>\n").contains("<polyline", "memory (MiB)", "p99 (ms)");
    }
}

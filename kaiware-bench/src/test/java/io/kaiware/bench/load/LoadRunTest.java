package io.kaiware.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LoadRunTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    static LoadSettings settings(int port, double rate, long durationNs, int connections, int pipeline) {
        Workload w = Workload.parse("set", null, KeyDistribution.parse("sequential", 1000, 0.99), "key:", "8");
        return new LoadSettings("fake", "127.0.0.1", port, rate, durationNs, 0, connections, pipeline, 1, 5 * S,
                250 * MS, S, 1, w);
    }

    private static long countAtOrAbove(Histogram h, long valueNs) {
        return h.getCountBetweenValues(valueNs, h.getMaxValue());
    }

    /**
     * Runs {@code action} once, at the first progress sample at least {@code elapsedMs} into the
     * schedule (the run's own clock: set-up time of a cold JVM does not shift it).
     */
    private static LoadRun.Progress at(long elapsedMs, Runnable action) {
        boolean[] done = {false};
        return (s, soFar, failed) -> {
            if (!done[0] && s.elapsedMs() >= elapsedMs) {
                done[0] = true;
                action.run();
            }
        };
    }

    @Test
    void aOneSecondStallAtOneThousandPerSecondShowsAboutOneThousandSlowRequests() throws Exception {
        try (FakeRespServer server = new FakeRespServer()) {
            RunResult r = new LoadRun(settings(server.port(), 1000, 3 * S, 4, 1), null, at(1000, () -> server.pauseFor(1000))).run();

            assertThat(r.aborted()).isFalse();
            assertThat(r.count()).isEqualTo(3000);
            assertThat(r.failed()).isZero();
            Histogram h = r.latencyNs();
            // Requests due during the stall wait for its end: ~1,000 of them, from ~1 s down to 0, so
            // ~900 wait 100 ms or more and ~500 wait 500 ms or more. Without the correction there would
            // be one per connection (4). Upper bounds are loose: on a loaded 2-core CI machine, stalls of
            // the test JVM itself add slow requests too (seen: +290 at load average 10).
            assertThat(countAtOrAbove(h, 100 * MS)).isBetween(800L, 1600L);
            assertThat(countAtOrAbove(h, 500 * MS)).isBetween(400L, 1000L);
            assertThat(h.getMaxValue()).isGreaterThan(900 * MS);
            assertThat(h.getValueAtPercentile(50)).isLessThan(500 * MS);
        }
    }

    @Test
    void closedLoopMeasuresFromSendTimeSoTheSameStallShowsOnlyOneSlowRequestPerConnection() throws Exception {
        try (FakeRespServer server = new FakeRespServer()) {
            RunResult r = new LoadRun(settings(server.port(), 0, 2 * S, 4, 1), null, at(500, () -> server.pauseFor(1000))).run();

            assertThat(r.aborted()).isFalse();
            assertThat(r.failed()).isZero();
            assertThat(r.latencyNs().getMaxValue()).isGreaterThan(800 * MS);
            assertThat(countAtOrAbove(r.latencyNs(), 500 * MS)).isBetween(1L, 12L);
        }
    }

    @Test
    void errorRepliesAreCountedByKindAndNotRecordedAsLatency() throws Exception {
        try (FakeRespServer server = new FakeRespServer()) {
            server.errorEvery(10, "WRONGTYPE Operation against a key holding the wrong kind of value");
            RunResult r = new LoadRun(settings(server.port(), 1000, S, 2, 1), null, null).run();

            assertThat(r.count()).isEqualTo(1000);
            assertThat(r.failures()).containsOnlyKeys("WRONGTYPE");
            assertThat(r.failures().get("WRONGTYPE")).isEqualTo(server.errorsSent()).isBetween(99L, 101L);
            assertThat(r.succeeded()).isEqualTo(1000 - r.failed());
            assertThat(r.successPercent()).isBetween(89.0, 91.0);
        }
    }

    @Test
    void aDeadServerEndsTheRunWithAPartialResult() throws Exception {
        FakeRespServer server = new FakeRespServer();
        server.dieAfter(2 + 500); // the PINGs, then one second at 500/s
        long t0 = System.nanoTime();
        RunResult r = new LoadRun(settings(server.port(), 500, 10 * S, 2, 1), null, null).run();

        assertThat(System.nanoTime() - t0).isLessThan(8 * S);
        assertThat(r.aborted()).isTrue();
        assertThat(r.abortReason()).contains("closed by the server");
        // 499 when the connection that reads the 502nd command is the last to reply; a reply the other
        // connection had written but not flushed, or had flushed before its own next read, moves it by one
        // (seen as 500 under load).
        assertThat(r.succeeded()).isBetween(498L, 500L);
        // The request the server died on, and the other connection's in-flight one (if any): counted
        // as "connection closed" when that connection saw its close first, else as "aborted (in flight)".
        assertThat(r.failures()).isNotEmpty();
        assertThat(r.failures().keySet()).isSubsetOf("connection closed", "aborted (in flight)");
        assertThat(r.failed()).isBetween(1L, 2L);
        assertThat(r.elapsedNs()).isBetween(900 * MS, 3 * S);
    }

    @Test
    void cannotConnectIsReportedNotThrown() throws Exception {
        FakeRespServer server = new FakeRespServer();
        int port = server.port();
        server.close();
        RunResult r = new LoadRun(settings(port, 100, S, 2, 1), null, null).run();
        assertThat(r.aborted()).isTrue();
        assertThat(r.abortReason()).startsWith("cannot connect to 127.0.0.1:" + port);
        assertThat(r.count()).isZero();
    }

    @Test
    void requestsWithoutRepliesAreCountedAsTimeoutsAndNoneIsDropped() throws Exception {
        try (FakeRespServer server = new FakeRespServer()) {
            LoadSettings base = settings(server.port(), 200, 1500 * MS, 2, 4);
            LoadSettings s = new LoadSettings(base.name(), base.host(), base.port(), base.ratePerSecond(), base.durationNs(), 0,
                    base.connections(), base.pipeline(), 1, 200 * MS, base.progressIntervalNs(), base.memoryIntervalNs(), 1, base.workload());
            RunResult r = new LoadRun(s, null, at(500, () -> server.blackhole(true))).run();

            assertThat(r.aborted()).isFalse();
            assertThat(r.count()).isEqualTo(300);
            assertThat(r.failures()).containsKey("timeout");
            assertThat(r.failures().get("timeout")).isGreaterThan(120);
            assertThat(r.succeeded()).isBetween(80L, 180L);
            assertThat(r.succeeded() + r.failed()).isEqualTo(300);
        }
    }

    @Test
    void warmupRequestsAreExcludedFromTheReport() throws Exception {
        try (FakeRespServer server = new FakeRespServer()) {
            LoadSettings b = settings(server.port(), 1000, S, 2, 1);
            LoadSettings s = new LoadSettings(b.name(), b.host(), b.port(), 1000, S, 500 * MS, 2, 1, 1, b.timeoutNs(),
                    b.progressIntervalNs(), b.memoryIntervalNs(), 1, b.workload());
            RunResult r = new LoadRun(s, null, null).run();

            assertThat(r.count()).isEqualTo(1000);
            assertThat(server.commands()).isEqualTo(1500 + 2); // + one PING per connection
            assertThat(r.timeline()).anyMatch(IntervalSample::warmup);
            assertThat(r.elapsedNs()).isEqualTo(S);
        }
    }

    @Test
    void aBacklogBuiltDuringWarmupIsDrainedAndNotChargedToTheMeasurement() throws Exception {
        try (FakeRespServer server = new FakeRespServer()) {
            LoadSettings b = settings(server.port(), 1000, S, 2, 1);
            LoadSettings s = new LoadSettings(b.name(), b.host(), b.port(), 1000, S, S, 2, 1, 1, b.timeoutNs(),
                    b.progressIntervalNs(), b.memoryIntervalNs(), 1, b.workload());
            RunResult r = new LoadRun(s, null, at(250, () -> server.pauseFor(800))).run();

            assertThat(r.count()).isEqualTo(1000);
            assertThat(r.failed()).isZero();
            // Had the backlog leaked, ~500 measured requests would wait 300 ms or more.
            assertThat(countAtOrAbove(r.latencyNs(), 300 * MS)).isLessThan(150);
            // ...while the warm-up rows of the timeline do show the stall
            assertThat(r.timeline()).anyMatch(t -> t.warmup() && t.maxNs() > 500 * MS);
        }
    }

    @Test
    void pipelinedOpenLoopKeepsTheScheduleAcrossConnectionsAndThreads() throws Exception {
        try (FakeRespServer server = new FakeRespServer()) {
            LoadSettings b = settings(server.port(), 5000, S, 3, 8);
            LoadSettings s = new LoadSettings(b.name(), b.host(), b.port(), 5000, S, 0, 3, 8, 2, b.timeoutNs(),
                    b.progressIntervalNs(), b.memoryIntervalNs(), 1, b.workload());
            RunResult r = new LoadRun(s, null, null).run();

            assertThat(r.count()).isEqualTo(5000);
            assertThat(r.failed()).isZero();
            assertThat(r.ratePerSecond()).isEqualTo(5000.0);
            assertThat(r.timeline()).isNotEmpty();
        }
    }
}

package io.kaiware.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Drives the connections of one event loop through a phase (warm-up, then measurement); every
 * method except {@link #startPhase} runs on that loop (single writer). See {@link LoadRun}.
 */
final class Worker {
    /** Shortest sleep between ticks: above ~20k requests/s, due requests are sent in batches. */
    static final long MIN_TICK_NS = TimeUnit.MICROSECONDS.toNanos(50);
    /** Longest sleep between ticks, and the housekeeping period (timeouts, aborts, the end of a phase). */
    static final long MAX_TICK_NS = TimeUnit.MILLISECONDS.toNanos(10);

    final LoadRun run;
    final EventLoop loop;
    final Bootstrap bootstrap;
    final SingleWriterRecorder measured = newRecorder();
    final SingleWriterRecorder warmup = newRecorder();
    /** Monitor thread only: the interval histograms handed back to the recorders on the next swap. */
    Histogram measuredSpare;
    Histogram warmupSpare;

    private final Runnable tickTask = this::tick;
    private final boolean openLoop;
    private Connection[] connections = new Connection[0];
    /** This loop's connections by their global index; null where another loop owns the connection. */
    private Connection[] byGlobalIndex = new Connection[0];

    // The current phase; written by startPhase before loop.execute (which publishes them), then loop-only.
    /** Whether the current phase is the measured one (else warm-up). */
    boolean measuring;
    long startNs;
    long endNs;
    private long drainDeadlineNs;
    private CountDownLatch phaseDone;
    /** Open loop: nanoseconds between two requests over all connections. */
    double intervalNs;
    /** Open loop: requests scheduled in this phase over all connections. */
    long totalRequests;
    /** Open loop: the first global request that no tick has seen due yet. */
    private long nextGlobal;
    private long nextHousekeepingNs;
    /** True before the first phase, between phases and after the last one. */
    private boolean phaseOver = true;
    private boolean closed;

    Worker(LoadRun run, EventLoop loop, Bootstrap bootstrap) {
        this.run = run;
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.openLoop = run.settings().openLoop();
    }

    private static SingleWriterRecorder newRecorder() {
        return new SingleWriterRecorder(1, LoadRun.HIGHEST_TRACKABLE_NS, LoadRun.SIGNIFICANT_DIGITS);
    }

    void setConnections(Connection[] connections, int totalConnections) {
        this.connections = connections;
        this.byGlobalIndex = new Connection[totalConnections];
        for (Connection c : connections) byGlobalIndex[c.index()] = c;
    }

    /**
     * Called from the monitor thread, when the previous phase (if any) is over on every worker:
     * requests of this phase are due from {@code startNs} until {@code endNs}.
     */
    void startPhase(boolean measuring, long startNs, long endNs, CountDownLatch phaseDone) {
        loop.execute(() -> {
            this.measuring = measuring;
            this.startNs = startNs;
            this.endNs = endNs;
            this.drainDeadlineNs = endNs + run.settings().timeoutNs();
            this.phaseDone = phaseDone;
            this.nextGlobal = 0;
            this.nextHousekeepingNs = 0;
            this.phaseOver = false;
            if (openLoop) {
                intervalNs = 1e9 / run.settings().ratePerSecond();
                totalRequests = (long) Math.ceil((endNs - startNs) / intervalNs);
            }
            for (Connection c : connections) c.startPhase();
            if (run.aborting()) {
                endPhase("aborted (in flight)");
            } else {
                scheduleTick(System.nanoTime());
            }
        });
    }

    private void scheduleTick(long nowNs) {
        long nextNs;
        if (nowNs < startNs) {
            nextNs = startNs;
        } else if (openLoop && nextGlobal < totalRequests) {
            nextNs = dueNs(nextGlobal);
        } else {
            nextNs = Long.MAX_VALUE;
        }
        long delayNs = Math.max(MIN_TICK_NS, Math.min(MAX_TICK_NS, nextNs - nowNs));
        loop.schedule(tickTask, delayNs, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        if (phaseOver) return;
        long nowNs = System.nanoTime();
        if (run.aborting()) {
            endPhase("aborted (in flight)");
            return;
        }
        if (openLoop) pumpNewlyDue(nowNs);
        if (nowNs >= nextHousekeepingNs) {
            nextHousekeepingNs = nowNs + MAX_TICK_NS;
            boolean allComplete = true;
            for (Connection c : connections) {
                c.checkTimeout(nowNs);
                c.pump(nowNs);
                if (!c.complete(nowNs)) allComplete = false;
            }
            if (allComplete) {
                endPhase(null);
                return;
            }
            if (nowNs >= drainDeadlineNs) {
                endPhase("timeout");
                return;
            }
        }
        scheduleTick(nowNs);
    }

    /**
     * Open loop: pumps only the connections that own the requests which became due since the last
     * tick (round robin: global request g belongs to connection g mod N), so a tick costs in
     * proportion to the requests due, not to the number of connections.
     */
    private void pumpNewlyDue(long nowNs) {
        if (nowNs < startNs) return;
        long due = Math.min(totalRequests, (long) ((nowNs - startNs) / intervalNs) + 1);
        long from = nextGlobal;
        if (due <= from) return;
        nextGlobal = due;
        int n = byGlobalIndex.length;
        if (due - from >= n) {
            for (Connection c : connections) c.pump(nowNs);
            return;
        }
        for (long g = from; g < due; g++) {
            Connection c = byGlobalIndex[(int) (g % n)];
            if (c != null) c.pump(nowNs);
        }
    }

    /** Ends this worker's part of the phase; outstanding requests are counted as {@code outstandingKind}. */
    private void endPhase(String outstandingKind) {
        phaseOver = true;
        boolean last = measuring || run.aborting();
        for (Connection c : connections) {
            if (outstandingKind != null) c.countOutstanding(outstandingKind, !last);
            if (last) c.closeQuietly();
        }
        closed = last;
        phaseDone.countDown();
    }

    /** No more requests may be sent in this phase (and, after the last phase, none at all). */
    boolean isPhaseOver() {
        return phaseOver;
    }

    boolean isClosed() {
        return closed;
    }

    /** Open loop: when global request {@code g} of the current phase is due. */
    long dueNs(long g) {
        return startNs + (long) (g * intervalNs);
    }
}

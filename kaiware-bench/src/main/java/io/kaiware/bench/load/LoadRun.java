package io.kaiware.bench.load;

import io.kaiware.bench.memory.MemoryReading;
import io.kaiware.bench.memory.ProcessMemory;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * One load run against one target: connects, drives requests on a timetable (open loop) or as fast
 * as replies come back (closed loop), records latencies, samples server memory, and returns a
 * {@link RunResult}.
 *
 * <h2>Design</h2>
 *
 * <p><b>Threads.</b> A few Netty event loops (1–2) own all connections; each loop runs one
 * {@link Worker} that owns the connections bound to that loop, so every piece of per-connection
 * state (counters, in-flight ring, random source, histogram recorder) has exactly one writer and
 * needs no locks. The calling thread is the <i>monitor</i>: once per progress interval it swaps the
 * workers' {@link org.HdrHistogram.SingleWriterRecorder}s (HdrHistogram's double buffering: the
 * writer records into the active histogram without ever blocking, the reader takes the inactive one
 * and recycles it), folds the interval into the totals, samples memory and reports progress.
 *
 * <p><b>The timetable.</b> In open-loop mode request {@code g} (a global sequence number over all
 * connections) is <i>due</i> at {@code startNs + g * intervalNs}, with {@code intervalNs = 1e9 /
 * rate}; connection {@code k} of {@code N} owns the requests {@code g = i * N + k}. A request's due
 * time is therefore a pure function of its number, and because Redis answers in order, the reply
 * that arrives on a connection belongs to its oldest outstanding request: the bench keeps no per
 * request objects, only counters ({@code sent}, {@code acked}) and a ring of send times sized by the
 * pipeline depth. Each worker wakes at the next due time (at least {@link Worker#MIN_TICK_NS} apart),
 * writes every due request of each connection into one pooled buffer, and flushes once per
 * connection per tick; replies also trigger sending, so a freed pipeline slot is refilled at once.
 *
 * <p><b>Coordinated omission.</b> A closed-loop client that waits for a reply before sending the
 * next request stops sending while the server stalls, so it takes one slow sample per connection
 * where users would have seen one slow request per scheduled arrival. Here latency is measured from
 * the request's <i>due</i> time, not from when it was sent: requests that could not be sent during a
 * stall (pipeline full) stay due, and each is charged the full wait when its reply arrives. A 1 s
 * stall at 1,000 requests/s thus shows ~1,000 slow requests whose latencies spread from 1 s down to
 * 0 — the same result as {@code recordValueWithExpectedInterval}, but exact, because the real
 * schedule is known. Closed-loop mode measures from the send time and says so in the report; it is
 * for throughput, not for latency claims.
 *
 * <p><b>Failures.</b> Error replies are counted by their first word (ERR, WRONGTYPE, MOVED...);
 * a request without a reply for {@code timeoutNs} after it was sent is counted as "timeout" together
 * with the rest of its connection's in-flight requests (the reply stream can no longer be matched),
 * and the connection is re-opened. A connection closed by the server counts its in-flight requests
 * as "connection closed" and aborts the run, which then ends with a partial report. When the
 * schedule ends, outstanding requests get {@code timeoutNs} to complete; what is still outstanding
 * then (in flight or never sent) is counted as "timeout". Nothing is dropped silently.
 *
 * <p><b>Warm-up.</b> The warm-up is a phase of its own with its own timetable and recorder (which
 * only feeds the timeline). When it ends, every connection is drained, and the measured timetable
 * starts afresh: a backlog built while the JVMs were still compiling is not carried into the
 * measurement, and every measured request was due (or sent) inside the measured window.
 */
public final class LoadRun {
    /** Highest latency the histograms track; larger values are clamped. */
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.HOURS.toNanos(1);
    /** Histogram precision. */
    static final int SIGNIFICANT_DIGITS = 3;
    /** Delay between connecting and the first scheduled request. */
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private final LoadSettings settings;
    private final ProcessMemory memory;
    private final Progress onInterval;

    /** Receives the timeline as it is built, on the thread that called {@link #run()}. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param interval       the interval just ended
         * @param measuredSoFar  successful requests of the measured period so far (read-only; valid during the call)
         * @param failedSoFar    failed requests so far, warm-up included
         */
        void onInterval(IntervalSample interval, Histogram measuredSoFar, long failedSoFar);
    }

    private final ConcurrentHashMap<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final LongAdder allErrors = new LongAdder();
    private final AtomicReference<String> abortReason = new AtomicReference<>();
    private volatile long abortNs;

    /**
     * @param memory     the server process to sample, or null
     * @param onInterval called on the calling thread once per progress interval (may be null)
     */
    public LoadRun(LoadSettings settings, ProcessMemory memory, Progress onInterval) {
        this.settings = settings;
        this.memory = memory;
        this.onInterval = onInterval == null ? (s, h, e) -> { } : onInterval;
    }

    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    /** Runs to completion (or abort) on the calling thread. */
    public RunResult run() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(settings.ioThreads(),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try {
            return run(group, epoll ? EpollSocketChannel.class : NioSocketChannel.class);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    private RunResult run(EventLoopGroup group, Class<? extends Channel> channelClass) throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(10_000, TimeUnit.NANOSECONDS.toMillis(settings.timeoutNs())))
                .option(ChannelOption.AUTO_READ, true);

        int n = settings.connections();
        Connection[] connections = new Connection[n];
        Map<EventLoop, List<Connection>> byLoop = new IdentityHashMap<>();
        List<Worker> workers = new ArrayList<>();
        Map<EventLoop, Worker> workerOfLoop = new IdentityHashMap<>();
        for (int k = 0; k < n; k++) {
            EventLoop loop = group.next();
            Worker w = workerOfLoop.get(loop);
            if (w == null) {
                w = new Worker(this, loop, bootstrap);
                workerOfLoop.put(loop, w);
                workers.add(w);
            }
            connections[k] = new Connection(k, w);
            byLoop.computeIfAbsent(loop, l -> new ArrayList<>()).add(connections[k]);
        }
        MemoryReading first = memory == null ? null : memory.read();
        String memoryNote = memory == null ? null : first == null ? "cannot read /proc/" + memory.pid() + "/smaps_rollup" : null;

        for (Connection c : connections) {
            String error = c.connectSync();
            if (error == null) error = c.primeSync(settings.timeoutNs());
            if (error != null) {
                for (Connection other : connections) other.closeQuietly();
                return new RunResult(settings, newHistogram(), new TreeMap<>(), 0,
                        "cannot connect to " + settings.address() + ": " + error, List.of(), pidOrMinus1(), memoryNote);
            }
        }
        for (Worker w : workers) w.setConnections(byLoop.get(w.loop).toArray(new Connection[0]), n);

        Monitor monitor = new Monitor(workers, first);
        long runStartNs = System.nanoTime() + START_DELAY_NS;
        monitor.begin(runStartNs);
        if (settings.warmupNs() > 0) {
            runPhase(workers, monitor, false, runStartNs, runStartNs + settings.warmupNs());
        }
        long measureStartNs = settings.warmupNs() > 0 ? System.nanoTime() + START_DELAY_NS : runStartNs;
        long measureEndNs = measureStartNs + settings.durationNs();
        if (abortReason.get() == null) runPhase(workers, monitor, true, measureStartNs, measureEndNs);
        monitor.finish();

        long elapsedNs = abortReason.get() != null ? Math.max(0, Math.min(abortNs, measureEndNs) - measureStartNs) : settings.durationNs();
        TreeMap<String, Long> failureCounts = new TreeMap<>();
        failures.forEach((k, v) -> failureCounts.put(k, v.sum()));
        return new RunResult(settings, monitor.total, Collections.unmodifiableSortedMap(failureCounts), elapsedNs,
                abortReason.get(), List.copyOf(monitor.timeline), pidOrMinus1(), memoryNote);
    }

    /**
     * Runs one phase on every worker and samples until all are done. After warm-up every worker
     * drains its connections, so the measured timetable starts fresh: a backlog built while the JVMs
     * (ours and the server's) were still compiling does not leak into the measurement.
     */
    private void runPhase(List<Worker> workers, Monitor monitor, boolean measuring, long startNs, long endNs)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(workers.size());
        for (Worker w : workers) w.startPhase(measuring, startNs, endNs, done);
        monitor.measuring = measuring;
        if (!measuring) monitor.warmupInInterval = true;
        while (true) {
            long waitNs = monitor.nextSampleNs - System.nanoTime();
            if (done.await(Math.max(0, waitNs), TimeUnit.NANOSECONDS)) return;
            monitor.sample(false);
            if (abortReason.get() != null && !done.await(5, TimeUnit.SECONDS)) {
                return; // workers notice an abort within one tick; do not wait for ever on a wedged loop
            }
        }
    }

    /** The monitor thread's state: folds interval histograms into totals and builds the timeline. */
    private final class Monitor {
        final List<Worker> workers;
        final Histogram total = newHistogram();
        final Histogram interval = newHistogram();
        final List<IntervalSample> timeline = new ArrayList<>();
        final long progressNs = Math.min(settings.progressIntervalNs(), settings.memoryIntervalNs());
        final MemoryReading first;
        long runStartNs;
        long nextSampleNs;
        long nextMemoryNs;
        long errorsBefore;
        boolean measuring;
        /** Whether any part of the current interval belonged to the warm-up (labels the timeline row). */
        boolean warmupInInterval;

        Monitor(List<Worker> workers, MemoryReading first) {
            this.workers = workers;
            this.first = first;
        }

        void begin(long startNs) {
            runStartNs = startNs;
            nextSampleNs = startNs + progressNs;
            nextMemoryNs = startNs + settings.memoryIntervalNs();
            if (first != null) {
                timeline.add(new IntervalSample(0, settings.warmupNs() > 0, 0, 0, 0, 0, first.privateKb(), first.rssKb()));
            }
        }

        void finish() {
            sample(true);
        }

        void sample(boolean last) {
            long nowNs = System.nanoTime();
            interval.reset();
            for (Worker w : workers) {
                w.measuredSpare = w.measured.getIntervalHistogram(w.measuredSpare);
                total.add(w.measuredSpare);
                interval.add(w.measuredSpare);
                w.warmupSpare = w.warmup.getIntervalHistogram(w.warmupSpare);
                interval.add(w.warmupSpare);
            }
            long errorsNow = allErrors.sum();
            MemoryReading m = null;
            if (memory != null && (nowNs >= nextMemoryNs || last)) {
                m = memory.read();
                while (nextMemoryNs <= nowNs) nextMemoryNs += settings.memoryIntervalNs();
            }
            IntervalSample sample = new IntervalSample(TimeUnit.NANOSECONDS.toMillis(Math.max(0, nowNs - runStartNs)), warmupInInterval,
                    interval.getTotalCount() + (errorsNow - errorsBefore), errorsNow - errorsBefore,
                    interval.getValueAtPercentile(99), interval.getMaxValue(),
                    m == null ? -1 : m.privateKb(), m == null ? -1 : m.rssKb());
            errorsBefore = errorsNow;
            warmupInInterval = !measuring;
            timeline.add(sample);
            onInterval.onInterval(sample, total, errorsNow);
            while (nextSampleNs <= nowNs) nextSampleNs += progressNs;
        }
    }

    private long pidOrMinus1() {
        return memory == null ? -1 : memory.pid();
    }

    LoadSettings settings() {
        return settings;
    }

    /** Counts one failed request of the measured period. */
    void countFailure(String kind, boolean measured, long requests) {
        if (requests <= 0) return;
        allErrors.add(requests);
        if (measured) failures.computeIfAbsent(kind, k -> new LongAdder()).add(requests);
    }

    void abort(String reason) {
        if (abortReason.compareAndSet(null, reason)) abortNs = System.nanoTime();
    }

    boolean aborting() {
        return abortReason.get() != null;
    }
}

package io.kaiware.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One client connection and its requests. Runs on its worker's event loop only, except
 * {@link #connectSync} which runs before the loop starts driving it.
 *
 * <p>Open loop: this is connection {@code k} of {@code N}; its {@code i}-th request is global request
 * {@code i * N + k}. Requests {@code [acked, sent)} are in flight; their send times sit in a ring
 * indexed by request number modulo the pipeline depth.
 */
final class Connection {
    /** Largest buffer allocated up front for one tick's requests (it grows if needed). */
    private static final int MAX_INITIAL_BUFFER_BYTES = 64 * 1024;
    /** Requests up to this size are encoded into a heap scratch array and copied in one go. */
    private static final int MAX_SCRATCH_BYTES = 1024 * 1024;

    private final int index;
    private final Worker worker;
    private final LoadSettings settings;
    private final Workload workload;
    private final int stride;
    private final int pipeline;
    private final long[] sentNsRing;
    private final int maxRequestBytes;
    /** Encoding scratch, or null when requests are too large for it (then encoded straight into the buffer). */
    private final byte[] scratch;
    private final SplittableRandom random;

    private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Set while {@link #primeSync} waits for its PING reply. */
    private volatile CountDownLatch priming;
    private volatile String primingError;
    private Channel channel;
    /** True while a channel is being closed or re-opened by us, so its closing is not an error. */
    private boolean closing;
    private long sent;
    private long acked;
    /** Open loop: requests this connection owns; closed loop: unused. */
    private long ownedRequests;

    Connection(int index, Worker worker) {
        this.index = index;
        this.worker = worker;
        this.settings = worker.run.settings();
        this.workload = settings.workload();
        this.stride = settings.connections();
        this.pipeline = settings.pipeline();
        this.sentNsRing = new long[pipeline];
        this.maxRequestBytes = workload.maxRequestBytes();
        this.scratch = maxRequestBytes <= MAX_SCRATCH_BYTES ? new byte[maxRequestBytes] : null;
        this.random = new SplittableRandom(settings.seed() * 1_000_003L + index);
    }

    /** @return null on success, else the reason */
    String connectSync() throws InterruptedException {
        ChannelFuture f = worker.bootstrap.clone(worker.loop).handler(new ReplyHandler(this))
                .connect(settings.host(), settings.port()).await();
        if (!f.isSuccess()) return String.valueOf(f.cause() == null ? "failed" : f.cause().getMessage());
        channel = f.channel();
        return null;
    }

    /**
     * Sends one PING and waits for its reply, so connection set-up and the first trip through the
     * I/O path (class loading, buffer pools) happen before the timetable starts.
     *
     * @return null on success, else the reason
     */
    String primeSync(long timeoutNs) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        priming = latch;
        channel.writeAndFlush(channel.alloc().ioBuffer(16).writeBytes(PING));
        if (!latch.await(timeoutNs, TimeUnit.NANOSECONDS)) return "no reply to PING within the timeout";
        return primingError;
    }

    /** On the loop, at the start of a phase (nothing is in flight then). */
    void startPhase() {
        sent = 0;
        acked = 0;
        if (settings.openLoop()) {
            long total = worker.totalRequests;
            ownedRequests = total > index ? (total - 1 - index) / stride + 1 : 0;
        }
    }

    private long globalIndex(long i) {
        return i * stride + index;
    }

    /** Open loop: how many of this connection's requests are due at {@code nowNs}. */
    private long dueCount(long nowNs) {
        if (nowNs < worker.startNs) return 0;
        long g = (long) ((nowNs - worker.startNs) / worker.intervalNs);
        long due = g >= index ? (g - index) / stride + 1 : 0;
        return Math.min(due, ownedRequests);
    }

    int index() {
        return index;
    }

    /** Sends what may be sent now (due, and within the pipeline depth), then flushes once. */
    void pump(long nowNs) {
        if (channel == null || closing || worker.isPhaseOver()) return;
        long limit;
        if (settings.openLoop()) {
            limit = dueCount(nowNs);
        } else {
            if (nowNs >= worker.endNs || nowNs < worker.startNs) return;
            limit = Long.MAX_VALUE;
        }
        long n = Math.min(limit - sent, pipeline - (sent - acked));
        if (n <= 0) return;
        ByteBuf buf = channel.alloc().ioBuffer((int) Math.min(MAX_INITIAL_BUFFER_BYTES, n * maxRequestBytes));
        for (long j = 0; j < n; j++) {
            if (scratch != null) {
                buf.writeBytes(scratch, 0, workload.encode(scratch, globalIndex(sent), random));
            } else {
                workload.write(buf, globalIndex(sent), random);
            }
            sentNsRing[(int) (sent % pipeline)] = nowNs;
            sent++;
        }
        channel.writeAndFlush(buf, channel.voidPromise());
    }

    /** A complete reply arrived at {@code nowNs}. */
    void onReply(long nowNs, String errorKind) {
        CountDownLatch p = priming;
        if (p != null) {
            priming = null;
            if (errorKind != null) primingError = "PING failed: " + errorKind;
            p.countDown();
            return;
        }
        if (acked == sent) {
            worker.run.countFailure("unexpected reply", true, 1);
            return;
        }
        long i = acked++;
        long startedNs = settings.openLoop() ? worker.dueNs(globalIndex(i)) : sentNsRing[(int) (i % pipeline)];
        boolean measured = worker.measuring;
        if (errorKind != null) {
            worker.run.countFailure(errorKind, measured, 1);
        } else {
            long latencyNs = Math.min(LoadRun.HIGHEST_TRACKABLE_NS, Math.max(1, nowNs - startedNs));
            (measured ? worker.measured : worker.warmup).recordValue(latencyNs);
        }
    }

    /** Counts in-flight requests as failed because their replies can no longer arrive. */
    private void failInFlight(String kind) {
        worker.run.countFailure(kind, worker.measuring, sent - acked);
        acked = sent;
    }

    void checkTimeout(long nowNs) {
        if (channel == null || closing || acked == sent) return;
        long oldestSentNs = sentNsRing[(int) (acked % pipeline)];
        if (nowNs - oldestSentNs < settings.timeoutNs()) return;
        failInFlight("timeout");
        reconnect();
    }

    private void reconnect() {
        Channel old = channel;
        closing = true;
        channel = null;
        if (old != null) old.close();
        worker.bootstrap.clone(worker.loop).handler(new ReplyHandler(this))
                .connect(settings.host(), settings.port()).addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        if (worker.isClosed()) {
                            f.channel().close();
                            return;
                        }
                        channel = f.channel();
                        closing = false;
                        pump(System.nanoTime());
                    } else {
                        worker.run.abort("lost connection to " + settings.address() + " after a timeout and cannot reconnect: "
                                + f.cause().getMessage());
                    }
                });
    }

    /** Whether this connection has nothing left to do. */
    boolean complete(long nowNs) {
        if (acked != sent) return false;
        return settings.openLoop() ? sent >= ownedRequests : nowNs >= worker.endNs;
    }

    /**
     * At the end of a phase: what is still outstanding (in flight, or due and never sent) failed.
     *
     * @param reconnect whether to re-open the connection when requests were in flight (their late
     *                  replies would otherwise be taken for the next phase's)
     */
    void countOutstanding(String kind, boolean reconnect) {
        boolean inFlight = acked != sent;
        failInFlight(kind);
        if (settings.openLoop() && !worker.run.aborting()) {
            worker.run.countFailure(kind, worker.measuring, ownedRequests - sent);
            sent = ownedRequests;
            acked = sent;
        }
        if (inFlight && reconnect && channel != null && !closing) reconnect();
    }

    void closeQuietly() {
        closing = true;
        if (channel != null) channel.close();
    }

    /** Decodes replies straight off the socket buffer: no reply objects. */
    private static final class ReplyHandler extends ByteToMessageDecoder {
        private final Connection connection;

        ReplyHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (ctx.channel() != connection.channel) {
                in.skipBytes(in.readableBytes());
                return;
            }
            long nowNs = System.nanoTime();
            int r = in.readerIndex();
            int w = in.writerIndex();
            while (r < w) {
                int end = RespReplies.scan(in, r, w);
                if (end < 0) break;
                connection.onReply(nowNs, RespReplies.isError(in, r) ? RespReplies.errorKind(in, r, end) : null);
                r = end;
            }
            in.readerIndex(r);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            super.channelReadComplete(ctx);
            if (ctx.channel() == connection.channel) connection.pump(System.nanoTime());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            super.channelInactive(ctx);
            Connection c = connection;
            if (ctx.channel() == c.channel && !c.closing && !c.worker.isClosed()) {
                c.failInFlight("connection closed");
                c.channel = null;
                c.worker.run.abort("connection to " + c.settings.address() + " closed by the server");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Connection c = connection;
            if (ctx.channel() == c.channel && !c.closing && !c.worker.isClosed()) {
                c.failInFlight("connection error");
                c.channel = null;
                c.worker.run.abort("connection to " + c.settings.address() + " failed: " + cause.getMessage());
            }
            ctx.close();
        }
    }
}

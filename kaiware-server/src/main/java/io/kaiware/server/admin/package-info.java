/**
 * The admin HTTP port: what an operator needs to see inside a running Kaiware server.
 *
 * <p>Incident 3 (a Redis-compatible, Raft-replicated middleware whose memory grew without bound and
 * whose writes stalled for seconds in GC) was found by measuring private memory continuously,
 * diffing two heap profiles taken minutes apart, and reading an execution trace. This package makes
 * each of those one {@code curl} away, without a restart or an attached agent:
 *
 * <ul>
 *   <li>{@code /metrics}: Prometheus text format ({@code AdminMetrics}):
 *       build info, connections, network bytes, keys, per-command calls/time/errors, private
 *       memory from {@code /proc/self/smaps_rollup}, and the JVM's GC, memory pools and threads.
 *   <li>{@code /debug/heap} and {@code /debug/heap?diff=ID}: live-object class histograms and their
 *       difference, biggest growth first ({@code HeapHistograms});
 *       {@code /debug/heapdump} for a full .hprof.
 *   <li>{@code /debug/profile}: async-profiler flame graphs (CPU, allocation, lock, wall clock);
 *       {@code /debug/jfr}: a JDK Flight Recorder file, the JVM's execution trace
 *       ({@code Profiling}).
 *   <li>{@code /debug/threads}, {@code /health}, {@code /ready}.
 * </ul>
 *
 * <p>The public surface is {@link io.kaiware.server.admin.AdminHttpServer#start} and
 * {@link io.kaiware.server.admin.AdminSources}, which the server implements from its internals;
 * everything else is package-private. The server runs on the JDK's {@code com.sun.net.httpserver}
 * with a few daemon threads, apart from Netty's event loops and the engine thread, and reads the
 * engine's counters racily: it never makes the engine wait. Operator documentation:
 * {@code docs/operations.md}.
 */
package io.kaiware.server.admin;

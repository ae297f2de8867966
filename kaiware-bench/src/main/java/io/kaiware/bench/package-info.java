/**
 * {@code kaiware bench}: a load generator for any Redis-compatible server. {@link io.kaiware.bench.BenchCommand}
 * is the only entry point (a picocli command registered as a subcommand by kaiware-cli).
 *
 * <ul>
 *   <li>{@code load}: the engine — open-loop timetable and closed-loop driving over Netty, RESP request
 *       encoding and reply scanning, latency recording (see {@link io.kaiware.bench.load.LoadRun} for the design);</li>
 *   <li>{@code memory}: the server's private memory and RSS from {@code /proc}, pid discovery, the slope fit;</li>
 *   <li>{@code report}: text, JSON, CSV, comparison table, timeline CSV and SVG chart.</li>
 * </ul>
 */
package io.kaiware.bench;

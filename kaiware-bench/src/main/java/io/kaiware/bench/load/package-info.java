/**
 * The load engine: {@link io.kaiware.bench.load.LoadRun} (design essay), per-event-loop workers, connections,
 * allocation-free request encoding ({@link io.kaiware.bench.load.Workload}) and reply scanning.
 */
package io.kaiware.bench.load;

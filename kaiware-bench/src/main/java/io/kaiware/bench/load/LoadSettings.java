package io.kaiware.bench.load;

/**
 * One run's parameters.
 *
 * @param ratePerSecond     requests per second over all connections for the open-loop (fixed-rate)
 *                          mode; 0 selects the closed-loop (max-throughput) mode
 * @param pipeline          requests in flight per connection at most
 * @param ioThreads         Netty event loops (1 or 2 is plenty)
 * @param memoryIntervalNs  memory sampling interval (when a pid is known)
 */
public record LoadSettings(String name, String host, int port, double ratePerSecond, long durationNs, long warmupNs,
                           int connections, int pipeline, int ioThreads, long timeoutNs, long progressIntervalNs,
                           long memoryIntervalNs, long seed, Workload workload) {
    public LoadSettings {
        if (connections < 1) throw new IllegalArgumentException("--connections must be >= 1");
        if (pipeline < 1) throw new IllegalArgumentException("--pipeline must be >= 1");
        if (ioThreads < 1) throw new IllegalArgumentException("--threads must be >= 1");
        if (ratePerSecond < 0) throw new IllegalArgumentException("--rate must be > 0");
        if (durationNs <= 0) throw new IllegalArgumentException("--duration must be > 0");
        if (timeoutNs <= 0) throw new IllegalArgumentException("--timeout must be > 0");
        if (progressIntervalNs <= 0 || memoryIntervalNs <= 0) throw new IllegalArgumentException("intervals must be > 0");
    }

    public boolean openLoop() {
        return ratePerSecond > 0;
    }

    public String address() {
        return host + ":" + port;
    }

    public LoadSettings withTarget(String newName, String newHost, int newPort) {
        return new LoadSettings(newName, newHost, newPort, ratePerSecond, durationNs, warmupNs, connections, pipeline,
                ioThreads, timeoutNs, progressIntervalNs, memoryIntervalNs, seed, workload);
    }
}

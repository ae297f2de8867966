package io.kaiware.bench.memory;

/**
 * One sample of a process's memory, in KiB: {@code privateKb} is the sum of the {@code Private_*}
 * lines of {@code /proc/PID/smaps_rollup} (memory only this process holds), {@code rssKb} its
 * resident set size.
 */
public record MemoryReading(long privateKb, long rssKb) {}

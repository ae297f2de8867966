package io.kaiware.command.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's memory and CPU as the kernel sees them (Linux /proc), for INFO memory and cpu.
 * Off Linux every figure is 0. Private memory is the sum of the Private_* lines of smaps_rollup:
 * the figure the leak in incident 3 was measured with.
 */
final class ProcessMemory {
  private ProcessMemory() {}

  private static long peakHeapUsed;

  /**
   * Bytes the JVM's threads have allocated on the heap since it started (HotSpot's per-thread TLAB
   * accounting, summed; -1 where unsupported): the allocation rate behind every GC cycle, and the
   * figure that tells how much a command allocates (its delta over a benchmark, per request).
   */
  static long allocatedBytes() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
        && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
      return threads.getTotalThreadAllocatedBytes();
    }
    return -1;
  }

  static long rssBytes() {
    try {
      String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
      return Long.parseLong(statm[1]) * 4096;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static long privateBytes() {
    try {
      long kb = 0;
      for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
        if (line.startsWith("Private_")) {
          kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return kb * 1024;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static synchronized long peakHeapUsed() {
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    peakHeapUsed = Math.max(peakHeapUsed, used);
    return peakHeapUsed;
  }

  static long totalSystemMemoryBytes() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 0;
  }

  /** {user, system} CPU seconds of the process, from /proc/self/stat (clock ticks of 1/100 s). */
  static double[] cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
      // After "pid (comm) ", field 3 (state) is index 0; utime is field 14 -> index 11, stime index 12.
      return new double[] {Long.parseLong(fields.get(11)) / 100.0, Long.parseLong(fields.get(12)) / 100.0};
    } catch (IOException | RuntimeException e) {
      return new double[] {0, 0};
    }
  }
}

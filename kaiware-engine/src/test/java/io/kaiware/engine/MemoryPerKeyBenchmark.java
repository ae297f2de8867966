package io.kaiware.engine;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Heap and RSS bytes per key: inserts N keys "key:0".."key:N-1" with distinct 16-byte values into a
 * {@link Keyspace}, forces GC, and prints the heap growth and RSS growth per key. Not a test (no
 * assertions, takes a few seconds); run it by hand:
 *
 * <pre>
 * export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 * ./mvnw -q -B -o -pl kaiware-engine -am test-compile
 * $JAVA_HOME/bin/java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp kaiware-engine/target/classes:kaiware-engine/target/test-classes \
 *     io.kaiware.engine.MemoryPerKeyBenchmark 1000000
 * </pre>
 *
 * Heap figures come from {@code MemoryMXBean} after repeated {@code System.gc()}; RSS from
 * {@code /proc/self/statm} (with {@code -Xms = -Xmx} and pre-touch the heap is resident up front,
 * so the RSS delta mostly shows non-heap growth; the heap figure is the one to compare).
 */
public final class MemoryPerKeyBenchmark {
  private MemoryPerKeyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    long heapBefore = usedHeapAfterGc();
    long rssBefore = rssBytes();
    Keyspace keyspace = new Keyspace();
    Database db = keyspace.db(0);
    for (int i = 0; i < n; i++) {
      byte[] key = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
      byte[] value = new byte[16];
      for (int j = 0; j < 16; j++) {
        value[j] = (byte) ('a' + (i + j) % 26);
      }
      db.put(key, value, KeyTable.NO_EXPIRY);
    }
    long heapAfter = usedHeapAfterGc();
    long rssAfter = rssBytes();
    System.out.printf("keys=%d table.capacity=%d load=%.3f%n", db.size(), db.table().capacity(),
        db.size() / (double) db.table().capacity());
    System.out.printf("heap: %d bytes total, %.1f B/key%n", heapAfter - heapBefore, (heapAfter - heapBefore) / (double) n);
    System.out.printf("rss:  %d bytes total, %.1f B/key (process RSS %d MB)%n", rssAfter - rssBefore,
        (rssAfter - rssBefore) / (double) n, rssAfter >> 20);
    System.out.printf("jvm: %s %s, gc=%s%n", System.getProperty("java.vm.name"), System.getProperty("java.version"),
        ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
    if (db.size() != n) {
      throw new IllegalStateException("lost keys");
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static long rssBytes() throws Exception {
    String[] fields = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
    return Long.parseLong(fields[1]) * 4096;
  }
}

package io.kaiware.engine;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Nanoseconds per {@link KeyTable} operation on a table of N keys "key:0".."key:N-1" (16-byte
 * values), looked up in random order so that most accesses miss the CPU caches, as a big keyspace
 * does. Not a test; run it by hand, with the server's JVM options, before and after a change to the
 * table:
 *
 * <pre>
 * ./mvnw -q -B -o -pl kaiware-engine -am test-compile
 * $JAVA_HOME/bin/java -XX:+UseZGC -Xms1g -XX:+AlwaysPreTouch -XX:+UseCompactObjectHeaders \
 *     -cp kaiware-engine/target/classes:kaiware-engine/target/test-classes \
 *     io.kaiware.engine.KeyTableSpeedBenchmark 1000000
 * </pre>
 *
 * Prints, per round, the time of: inserting all keys into an empty table (with its resizes), a
 * random hit lookup, a random miss lookup, overwriting a random key's value, removing and
 * re-inserting a random key, and a full SCAN. The first rounds warm the JIT: read the last ones.
 */
public final class KeyTableSpeedBenchmark {
  private KeyTableSpeedBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    byte[][] keys = new byte[n][];
    byte[][] misses = new byte[n][];
    for (int i = 0; i < n; i++) {
      keys[i] = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
      misses[i] = ("nokey:" + i).getBytes(StandardCharsets.US_ASCII);
    }
    byte[] value = new byte[16];
    int[] order = new int[n];
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < n; i++) {
      order[i] = random.nextInt(n);
    }
    long sink = 0;
    for (int round = 1; round <= rounds; round++) {
      KeyTable table = new KeyTable();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        table.put(keys[i], value, KeyTable.NO_EXPIRY);
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += table.find(keys[order[i]]);
      }
      long t2 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += table.find(misses[order[i]]);
      }
      long t3 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += table.put(keys[order[i]], value, KeyTable.NO_EXPIRY);
      }
      long t4 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        byte[] key = keys[order[i]];
        table.remove(key);
        sink += table.put(key, value, KeyTable.NO_EXPIRY);
      }
      long t5 = System.nanoTime();
      long[] visited = new long[1];
      long cursor = 0;
      do {
        cursor = table.scan(cursor, slot -> visited[0]++);
      } while (cursor != 0);
      long t6 = System.nanoTime();
      sink += visited[0];
      System.out.printf(
          "round %d: insert %.1f ns, hit %.1f ns, miss %.1f ns, overwrite %.1f ns, remove+insert %.1f ns, scan %.1f ns per key (capacity %d)%n",
          round, per(t1 - t0, n), per(t2 - t1, n), per(t3 - t2, n), per(t4 - t3, n), per(t5 - t4, n),
          per(t6 - t5, n), table.capacity());
    }
    System.out.println("(checksum " + sink + ")");
  }

  private static double per(long nanos, int n) {
    return (double) nanos / n;
  }
}

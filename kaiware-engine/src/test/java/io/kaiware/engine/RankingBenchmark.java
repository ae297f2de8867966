package io.kaiware.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Ranking add and top-N-over-window read at 100k members, on the engine alone (no network, no
 * dispatcher). Not a test; run it by hand (bench/ranking.sh does exactly this):
 *
 * <pre>
 * export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 * ./mvnw -q -B -o -pl kaiware-engine -am test-compile
 * $JAVA_HOME/bin/java -Xms2g -Xmx2g -cp kaiware-engine/target/classes:kaiware-engine/target/test-classes \
 *     io.kaiware.engine.RankingBenchmark 100000
 * </pre>
 *
 * Setup: a ranking with 1 s buckets and named windows of 60 s and 600 s; every member gets one
 * increment at t0, then 2,000 increments per simulated second for 599 s with members drawn from a
 * Zipf(1.1) distribution (a few members get most of the gifts, as on a live stream). Measured:
 * <ul>
 *   <li>add: 1M further increments, the simulated clock moving 0.5 ms per add (buckets roll over and
 *       leave the windows during the run, so their subtraction is included);</li>
 *   <li>top 10 over all time, over each named window (aggregate skip lists) at the time of the last
 *       add (exact) and 1 ms later across a bucket boundary (the aggregate still holds the bucket
 *       that left: corrected scan), over LAST 300 s (no
 *       aggregate: threshold algorithm over 300 bucket skip lists), and, for comparison, the naive
 *       way to answer LAST 300 s: sum every entry of the 300 buckets into a hash map, keep the best
 *       10 with a heap.</li>
 * </ul>
 * Each figure is the mean of a timed loop after a warm-up loop of the same length; single thread.
 */
public final class RankingBenchmark {
  private RankingBenchmark() {}

  public static void main(String[] args) {
    int members = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    byte[][] names = new byte[members][];
    for (int i = 0; i < members; i++) {
      names[i] = ("user:" + i).getBytes(StandardCharsets.US_ASCII);
    }
    double[] cdf = zipfCdf(members, 1.1);
    Random random = new Random(42);
    Ranking ranking = new Ranking(1_000, 0, new byte[][] {b("1m"), b("10m")}, new long[] {60_000, 600_000});
    long t = 1_700_000_000_000L;
    for (int i = 0; i < members; i++) {
      ranking.incrBy(names[i], 1 + random.nextInt(10), t);
    }
    for (int s = 1; s < 600; s++) {
      for (int i = 0; i < 2_000; i++) {
        ranking.incrBy(names[sample(cdf, random)], 1 + random.nextInt(100), t + s * 1_000L + i / 2);
      }
    }
    t += 599_000;
    System.out.printf("setup: %d members all time, %d buckets, %d members in 10m window%n",
        ranking.allTimeSize(), ranking.bucketCount(t), ranking.top(new Ranking.Named(1), 0, Integer.MAX_VALUE, t).size());

    // add
    int adds = 1_000_000;
    int[] picks = new int[adds];
    long[] amounts = new long[adds];
    for (int i = 0; i < adds; i++) {
      picks[i] = sample(cdf, random);
      amounts[i] = 1 + random.nextInt(100);
    }
    long[] clock = {t};
    for (int round = 0; round < 2; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < adds; i++) {
        ranking.incrBy(names[picks[i]], amounts[i], clock[0] + i / 2);
      }
      clock[0] += adds / 2;
      long ns = System.nanoTime() - start;
      System.out.printf("%s add: %.0f ns/op (%.0f ops/s)%n", round == 0 ? "warm-up" : "measured", (double) ns / adds,
          adds * 1e9 / ns);
    }
    long now = clock[0] - 1; // the time of the last add: every aggregate is exact
    long later = clock[0]; // 1 ms later, a bucket boundary: the 1m and 10m aggregates each hold one stale bucket
    System.out.printf("after adds: %d members all time, %d in 10m, %d in 1m, %d buckets%n", ranking.allTimeSize(),
        ranking.top(new Ranking.Named(1), 0, Integer.MAX_VALUE, now).size(),
        ranking.top(new Ranking.Named(0), 0, Integer.MAX_VALUE, now).size(), ranking.bucketCount(now));

    read("top 10 ALL", 20_000, () -> ranking.top(new Ranking.AllTime(), 0, 10, now).size());
    read("top 10 WINDOW 1m (exact aggregate)", 20_000, () -> ranking.top(new Ranking.Named(0), 0, 10, now).size());
    read("top 10 WINDOW 10m (exact aggregate)", 20_000, () -> ranking.top(new Ranking.Named(1), 0, 10, now).size());
    read("top 100 WINDOW 10m (exact aggregate)", 20_000, () -> ranking.top(new Ranking.Named(1), 0, 100, now).size());
    read("rank WINDOW 10m (exact aggregate)", 20_000, () -> (int) ranking.rank(names[12_345], new Ranking.Named(1), now).rank());
    long before = Ranking.scannedEntries;
    int runs = read("top 10 WINDOW 1m (aggregate minus 1 stale bucket)", 20_000,
        () -> ranking.top(new Ranking.Named(0), 0, 10, later).size());
    System.out.printf("  read %d aggregate entries per query%n", (Ranking.scannedEntries - before) / (2L * runs));
    before = Ranking.scannedEntries;
    runs = read("top 10 WINDOW 10m (aggregate minus 1 stale bucket)", 20_000,
        () -> ranking.top(new Ranking.Named(1), 0, 10, later).size());
    System.out.printf("  read %d aggregate entries per query%n", (Ranking.scannedEntries - before) / (2L * runs));
    before = Ranking.scannedEntries;
    runs = read("top 10 LAST 300s (threshold scan, 300 buckets)", 100, () -> ranking.top(new Ranking.Last(300_000), 0, 10, now).size());
    System.out.printf("  read %d bucket entries per query%n", (Ranking.scannedEntries - before) / (2L * runs));
    read("top 10 LAST 300s (naive: sum all + heap)", 10, () -> naiveTop(ranking, 300_000, 10, now));
    List<Ranking.Entry> a = ranking.top(new Ranking.Last(300_000), 0, 10, now);
    int ok = 0;
    for (Ranking.Entry e : a) {
      ok += e.score() > 0 ? 1 : 0;
    }
    System.out.printf("  (scan answered %d entries; first %s = %d)%n", ok, new String(a.get(0).member(), StandardCharsets.US_ASCII),
        a.get(0).score());
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  interface Op {
    int run();
  }

  /** Runs {@code op} {@code n} times to warm up, then {@code n} times timed; prints the mean. */
  private static int read(String name, int n, Op op) {
    long sink = 0;
    for (int i = 0; i < n; i++) {
      sink += op.run();
    }
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sink += op.run();
    }
    long ns = System.nanoTime() - start;
    System.out.printf("%s: %.1f us/op (%d ops, checksum %d)%n", name, ns / 1e3 / n, n, sink);
    return n;
  }

  /** What "copy the window" costs: every entry of the window's buckets summed, then a heap of N. */
  private static int naiveTop(Ranking ranking, long ms, int n, long now) {
    Map<String, Long> sums = new HashMap<>();
    for (Ranking.Bucket bucket : bucketsWithin(ranking, ms, now)) {
      for (SortedSet.Node x = bucket.scores.first(); x != null; x = x.next()) {
        sums.merge(new String(x.member(), StandardCharsets.ISO_8859_1), (long) x.score(), Long::sum);
      }
    }
    PriorityQueue<Map.Entry<String, Long>> heap = new PriorityQueue<>(Map.Entry.comparingByValue());
    for (Map.Entry<String, Long> e : sums.entrySet()) {
      heap.add(e);
      if (heap.size() > n) {
        heap.poll();
      }
    }
    return heap.size();
  }

  private static List<Ranking.Bucket> bucketsWithin(Ranking ranking, long ms, long now) {
    try {
      var f = Ranking.class.getDeclaredField("buckets");
      f.setAccessible(true);
      @SuppressWarnings("unchecked")
      List<Ranking.Bucket> all = (List<Ranking.Bucket>) f.get(ranking);
      List<Ranking.Bucket> out = new ArrayList<>();
      for (Ranking.Bucket bucket : all) {
        if (bucket.startMs > now - ms) {
          out.add(bucket);
        }
      }
      return out;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double[] zipfCdf(int n, double s) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1 / Math.pow(i + 1, s);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    return cdf;
  }

  private static int sample(double[] cdf, Random random) {
    int i = Arrays.binarySearch(cdf, random.nextDouble());
    return Math.min(i < 0 ? -i - 1 : i, cdf.length - 1);
  }
}

package io.kaiware.raft;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Not a test: measures replicated SET throughput and latency on an in-process group (gRPC on
 * loopback, real fsyncs in a directory on disk). Run it after {@code verify}:
 *
 * <pre>
 * ./mvnw -q -B -pl kaiware-raft -am test-compile -o
 * ./mvnw -q -B -pl kaiware-raft dependency:build-classpath -Dmdep.outputFile=/tmp/raft.cp -o
 * java --enable-native-access=ALL-UNNAMED -cp kaiware-raft/target/test-classes:kaiware-raft/target/classes:$(cat /tmp/raft.cp) \
 *     io.kaiware.raft.RaftBenchmark [nodes=3] [seconds=10] [rates=2000,10000] [metadata=false] [inflight=4] [raft.some.property=value ...]
 * </pre>
 *
 * <ul>
 *   <li><b>throughput</b>: an open stream of SETs with at most 4096 outstanding, for {@code seconds};
 *       reports SETs/s and the mean batch (requests per log entry).</li>
 *   <li><b>latency at a fixed rate</b>: SETs issued on a fixed schedule; each latency is measured
 *       from the <em>intended</em> send time, so a stall is charged to every request it delays
 *       (no coordinated omission).</li>
 * </ul>
 */
public final class RaftBenchmark {

  public static void main(String[] argv) throws Exception {
    int nodes = 3;
    int seconds = 10;
    long[] rates = {2_000, 10_000};
    boolean metadata = false; // the server's default (RaftNode.properties)
    int inFlight = RaftWriteBatcher.Options.defaults().maxInFlight();
    java.util.Map<String, String> props = new java.util.LinkedHashMap<>();
    for (String a : argv) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "nodes" -> nodes = Integer.parseInt(kv[1]);
        case "seconds" -> seconds = Integer.parseInt(kv[1]);
        case "rates" -> rates = Stream.of(kv[1].split(",")).mapToLong(Long::parseLong).toArray();
        case "metadata" -> metadata = Boolean.parseBoolean(kv[1]);
        case "inflight" -> inFlight = Integer.parseInt(kv[1]);
        default -> {
          if (!kv[0].startsWith("raft.")) {
            throw new IllegalArgumentException("unknown argument " + a);
          }
          props.put(kv[0], kv[1]); // a raw Ratis property, e.g. raft.server.log.unsafe-flush.enabled=true
        }
      }
    }
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "kaiware-raft-bench");
    boolean logMetadata = metadata;
    RaftWriteBatcher.Options d = RaftWriteBatcher.Options.defaults();
    RaftWriteBatcher.Options batch = new RaftWriteBatcher.Options(d.maxRequests(), d.maxBytes(), d.maxDelayMicros(), inFlight);
    try (TestGroup g = new TestGroup(dir, nodes, null,
        b -> {
          b.batch(batch).raftProperty("raft.server.log.log-metadata.enabled", Boolean.toString(logMetadata));
          props.forEach(b::raftProperty);
        })) {
      long t0 = System.nanoTime();
      g.startAll();
      RaftNode leader = g.awaitLeader(Duration.ofSeconds(30));
      TestGroup.write(leader, "SET", "warm", "up");
      System.out.printf("nodes=%d log-metadata=%s inflight=%d %s dir=%s first write after %d ms%n", nodes, metadata,
          inFlight, props, dir,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));

      throughput(leader, 3, "warm-up");
      throughput(leader, seconds, "throughput");
      for (long rate : rates) {
        fixedRate(leader, rate, seconds);
      }
      g.assertConverged(Duration.ofSeconds(30));
      System.out.println("replicas converged: " + g.digests().values().iterator().next());
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static byte[][] set(long i) {
    return TestGroup.cmd("SET", "key:" + (i % 100_000), "value-" + i);
  }

  static void throughput(RaftNode leader, int seconds, String label) throws InterruptedException {
    Semaphore window = new Semaphore(4096);
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long batches0 = leader.batchesSubmitted();
    long requests0 = leader.requestsSubmitted();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long start = System.nanoTime();
    long i = 0;
    while (System.nanoTime() < end) {
      if (!window.tryAcquire(10, TimeUnit.MILLISECONDS)) {
        continue;
      }
      leader.submitWrite(0, 2, set(i++)).whenComplete((r, e) -> {
        (e == null ? done : failed).incrementAndGet();
        window.release();
      });
    }
    window.acquire(4096);
    double secs = (System.nanoTime() - start) / 1e9;
    long batches = leader.batchesSubmitted() - batches0;
    long requests = leader.requestsSubmitted() - requests0;
    System.out.printf("%s: %,d SETs in %.1f s = %,.0f SETs/s; %,d entries (%,.0f/s), mean batch %.1f; failed %d%n",
        label, done.get(), secs, done.get() / secs, batches, batches / secs, (double) requests / Math.max(1, batches),
        failed.get());
  }

  static void fixedRate(RaftNode leader, long perSecond, int seconds) throws InterruptedException {
    Histogram h = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
    AtomicLong failed = new AtomicLong();
    long n = perSecond * seconds;
    long intervalNs = TimeUnit.SECONDS.toNanos(1) / perSecond;
    long batches0 = leader.batchesSubmitted();
    long requests0 = leader.requestsSubmitted();
    AtomicLong outstanding = new AtomicLong();
    long start = System.nanoTime();
    for (long i = 0; i < n; i++) {
      long intended = start + i * intervalNs;
      long now;
      while ((now = System.nanoTime()) < intended) {
        long gap = intended - now;
        if (gap > 100_000) {
          java.util.concurrent.locks.LockSupport.parkNanos(gap - 50_000);
        } else {
          Thread.onSpinWait();
        }
      }
      outstanding.incrementAndGet();
      leader.submitWrite(0, 2, set(i)).whenComplete((r, e) -> {
        if (e == null) {
          h.recordValue(System.nanoTime() - intended);
        } else {
          failed.incrementAndGet();
        }
        outstanding.decrementAndGet();
      });
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (outstanding.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    long batches = leader.batchesSubmitted() - batches0;
    long requests = leader.requestsSubmitted() - requests0;
    System.out.printf("fixed rate %,d SETs/s for %d s: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms;"
            + " mean batch %.1f; failed %d%n",
        perSecond, seconds, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
        ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
        (double) requests / Math.max(1, batches), failed.get());
  }

  private static double ms(long ns) {
    return ns / 1e6;
  }
}

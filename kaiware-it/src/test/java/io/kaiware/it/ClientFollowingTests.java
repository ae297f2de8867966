package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.masterreplica.StatefulRedisMasterReplicaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Stock clients keep writing through one client object while the Raft leader goes down: each test
 * writes from one thread in a loop (an error is retried with the next key after a short pause, as
 * an application would), takes the leader down, and asserts that writes are acknowledged again by
 * the new leader within {@link #RESUME_BOUND_MS} and that every acknowledged write is on the leader
 * at the end. Two figures are printed (docs/benchmarks/raft.md records them): the <em>write
 * gap</em>, the longest time between two acknowledgements around the failure — what the application
 * sees —, and the <em>error window</em>, from the start of the take-down to the first
 * acknowledgement of a write sent after it returned (an upper bound: an in-process stop takes about
 * 1 s, during which the survivors may already have elected a leader).
 *
 * <p>Two shapes of group run the same tests: {@link ClientFailoverIT} stops an in-process member
 * (default run), {@link ClientKillNineIT} SIGKILLs a member JVM ({@code -Pslow}).
 * {@code -Dkaiware.failover.runs=N} repeats the failure N times per client (the member restarts on
 * its client port between runs); by default it happens once.
 *
 * <p>The configuration each client needs is the one docs/commands/raft.md gives ("Client
 * configuration"); the tests use exactly that.
 */
abstract class ClientFollowingTests {

  /** A behaviour bound, not a performance target: writes must resume within it after the stop. */
  static final long RESUME_BOUND_MS = 20_000;

  /**
   * How long a client may take to find the leader and write at all, before any stop: not what the
   * test measures. Lettuce's MasterReplica discovers its topology through the sentinels first, and
   * once took over 20 s to do so on this 2-core machine while two builds ran beside the test.
   */
  static final long CONNECT_BOUND_MS = 60_000;

  private static final int RUNS = Integer.getInteger("kaiware.failover.runs", 1);

  /** One write through the client under test; true when acknowledged (+OK). */
  @FunctionalInterface
  interface Write {
    boolean set(String key, String value) throws Exception;
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void jedisSentinelPool() throws Exception {
    try (MemberGroup cluster = group(Map.of());
        JedisSentinelPool pool = new JedisSentinelPool("kaiware", sentinelHostAndPorts(cluster),
            DefaultJedisClientConfig.builder().socketTimeoutMillis(5000).build(),
            DefaultJedisClientConfig.builder().socketTimeoutMillis(2000).build())) {
      survivesLeaderStops("JedisSentinelPool", cluster, (k, v) -> {
        try (Jedis jedis = pool.getResource()) {
          return "OK".equals(jedis.set(k, v));
        }
      });
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void lettuceSentinelUri() throws Exception {
    try (MemberGroup cluster = group(Map.of())) {
      RedisClient client = RedisClient.create();
      try (StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8, sentinelUri(cluster))) {
        connection.setTimeout(Duration.ofSeconds(5));
        RedisCommands<String, String> sync = connection.sync();
        survivesLeaderStops("Lettuce redis-sentinel:// (RedisClient.connect)", cluster, (k, v) -> "OK".equals(sync.set(k, v)));
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void lettuceMasterReplicaWithSentinelUri() throws Exception {
    try (MemberGroup cluster = group(Map.of())) {
      RedisClient client = RedisClient.create();
      try (StatefulRedisMasterReplicaConnection<String, String> connection =
               MasterReplica.connect(client, StringCodec.UTF8, sentinelUri(cluster))) {
        connection.setReadFrom(ReadFrom.UPSTREAM);
        connection.setTimeout(Duration.ofSeconds(5));
        RedisCommands<String, String> sync = connection.sync();
        survivesLeaderStops("Lettuce MasterReplica + redis-sentinel://", cluster, (k, v) -> "OK".equals(sync.set(k, v)));
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void jedisCluster() throws Exception {
    try (MemberGroup cluster = group(Map.of())) {
      Set<HostAndPort> seeds = new HashSet<>();
      for (String id : cluster.ids()) {
        seeds.add(new HostAndPort("127.0.0.1", cluster.port(id)));
      }
      try (JedisCluster jc = new JedisCluster(seeds, DefaultJedisClientConfig.builder().socketTimeoutMillis(2000).build(),
          10, Duration.ofSeconds(10))) {
        survivesLeaderStops("JedisCluster", cluster, (k, v) -> "OK".equals(jc.set(k, v)));
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void lettuceClusterClient() throws Exception {
    try (MemberGroup cluster = group(Map.of())) {
      List<RedisURI> seeds = new ArrayList<>();
      for (String id : cluster.ids()) {
        seeds.add(RedisURI.create("127.0.0.1", cluster.port(id)));
      }
      RedisClusterClient client = RedisClusterClient.create(seeds);
      client.setOptions(ClusterClientOptions.builder()
          .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
              .enableAllAdaptiveRefreshTriggers()
              .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
              .refreshTriggersReconnectAttempts(1)
              .enablePeriodicRefresh(Duration.ofSeconds(5))
              .build())
          .build());
      try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
        connection.setTimeout(Duration.ofSeconds(2));
        var sync = connection.sync();
        survivesLeaderStops("Lettuce RedisClusterClient (adaptive refresh)", cluster, (k, v) -> "OK".equals(sync.set(k, v)));
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }

  /**
   * follower-proxy: a plain Jedis on a follower keeps INCRementing one counter while the leader
   * stops. Every error is a clear -INDETERMINATE or -CLUSTERDOWN (no hang: the socket timeout is
   * never hit), requests through the same connection work again once a new leader is elected, and
   * no INCR is applied twice: the counter ends at most at acknowledged + indeterminate INCRs.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void followerProxyThroughALeaderStop() throws Exception {
    try (MemberGroup cluster = group(Map.of("follower-proxy", "yes"))) {
      String leader = cluster.awaitLeader(30_000);
      String follower = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      List<Long> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicLong indeterminate = new AtomicLong();
      AtomicLong refused = new AtomicLong();
      AtomicLong slowestNs = new AtomicLong();
      AtomicReference<Throwable> unexpected = new AtomicReference<>();
      AtomicLong stopReturnedNs = new AtomicLong(Long.MAX_VALUE);
      AtomicLong firstAckAfterStopNs = new AtomicLong();
      java.util.concurrent.ConcurrentLinkedDeque<Long> ackTimes = new java.util.concurrent.ConcurrentLinkedDeque<>();
      Map<String, Integer> errorKinds = new ConcurrentHashMap<>();
      try (Jedis plain = new Jedis("127.0.0.1", cluster.port(follower), 10_000)) {
        Thread writer = Thread.ofPlatform().name("proxy-writer").start(() -> {
          while (!Thread.currentThread().isInterrupted()) {
            long started = System.nanoTime();
            try {
              acknowledged.add(plain.incr("counter"));
              ackTimes.add(System.nanoTime());
              if (started > stopReturnedNs.get()) {
                firstAckAfterStopNs.compareAndSet(0, System.nanoTime());
              }
            } catch (JedisDataException e) {
              if (e.getMessage().startsWith("INDETERMINATE ")) {
                indeterminate.incrementAndGet();
                errorKinds.merge(e.getMessage().replaceAll("[0-9]+", "N"), 1, Integer::sum);
              } else if (e.getMessage().startsWith("CLUSTERDOWN ")) {
                refused.incrementAndGet();
                errorKinds.merge(e.getMessage().replaceAll("[0-9]+", "N"), 1, Integer::sum);
              } else {
                unexpected.compareAndSet(null, e);
                return;
              }
              try {
                Thread.sleep(20);
              } catch (InterruptedException stop) {
                return;
              }
            } catch (RuntimeException e) {
              unexpected.compareAndSet(null, e); // a timeout (a hang) or a dropped connection
              return;
            } finally {
              slowestNs.accumulateAndGet(System.nanoTime() - started, Math::max);
            }
          }
        });
        try {
          RaftCluster.await(RESUME_BOUND_MS, "proxied INCRs before the stop", () -> acknowledged.size() >= 50);
          long stopStarted = System.nanoTime();
          cluster.takeDown(leader);
          stopReturnedNs.set(System.nanoTime());
          RaftCluster.await(RESUME_BOUND_MS, "a proxied INCR acknowledged after the stop",
              () -> firstAckAfterStopNs.get() != 0 || unexpected.get() != null);
          int after = acknowledged.size();
          RaftCluster.await(RESUME_BOUND_MS, "more proxied INCRs", () -> acknowledged.size() >= after + 20 || unexpected.get() != null);
          String newLeader = cluster.awaitLeader(30_000);
          System.out.printf("failover window follower-proxy (Jedis on %s, %s): write gap %d ms, error window %d ms (%s %s"
                  + " in %d ms; %d INDETERMINATE, %d CLUSTERDOWN; slowest request %d ms)%n", follower,
              follower.equals(newLeader) ? "became the leader" : "still a follower",
              TimeUnit.NANOSECONDS.toMillis(longestGap(ackTimes, stopStarted, firstAckAfterStopNs.get())),
              TimeUnit.NANOSECONDS.toMillis(firstAckAfterStopNs.get() - stopStarted), cluster.howDown(), leader,
              TimeUnit.NANOSECONDS.toMillis(stopReturnedNs.get() - stopStarted), indeterminate.get(), refused.get(),
              TimeUnit.NANOSECONDS.toMillis(slowestNs.get()));
          System.out.printf("follower-proxy errors: %s%n", errorKinds);
        } finally {
          writer.interrupt();
          writer.join(15_000);
        }
      }
      assertThat(unexpected.get()).as("every error is -INDETERMINATE or -CLUSTERDOWN, none a timeout").isNull();
      assertThat(acknowledged).as("each acknowledged INCR saw a new value").doesNotHaveDuplicates().isSorted();
      String newLeader = cluster.awaitLeader(30_000);
      try (Jedis onLeader = new Jedis("127.0.0.1", cluster.port(newLeader))) {
        long counter = Long.parseLong(mgetRetrying(onLeader, List.of("counter")).get(0));
        assertThat(counter).as("never applied twice: at most acknowledged + indeterminate INCRs")
            .isBetween(acknowledged.getLast(), acknowledged.size() + indeterminate.get());
      }
    }
  }

  // ---------------------------------------------------------------- the shared loop

  /** A three-member group with {@code settings}, every member knowing the leader's client address. */
  abstract MemberGroup group(Map<String, String> settings) throws Exception;

  private static Set<String> sentinelAddresses(MemberGroup cluster) {
    Set<String> sentinels = new LinkedHashSet<>();
    for (String id : cluster.ids()) {
      sentinels.add("127.0.0.1:" + cluster.port(id));
    }
    return sentinels;
  }

  private static Set<HostAndPort> sentinelHostAndPorts(MemberGroup cluster) {
    Set<HostAndPort> sentinels = new LinkedHashSet<>();
    for (String id : cluster.ids()) {
      sentinels.add(new HostAndPort("127.0.0.1", cluster.port(id)));
    }
    return sentinels;
  }

  /** Lettuce's Sentinel URI: the members as sentinels, the master id as the fragment. */
  private static RedisURI sentinelUri(MemberGroup cluster) {
    return RedisURI.create("redis-sentinel://" + String.join(",", sentinelAddresses(cluster)) + "#kaiware");
  }

  /**
   * Writes through {@code write} from one thread while the leader stops {@link #RUNS} times (the
   * stopped member restarts between runs); asserts the writes resume and none acknowledged is lost.
   */
  private static void survivesLeaderStops(String client, MemberGroup cluster, Write write) throws Exception {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> lastError = new AtomicReference<>();
    AtomicLong stopReturnedNs = new AtomicLong(Long.MAX_VALUE);
    AtomicLong firstAckAfterStopNs = new AtomicLong();
    AtomicLong sequence = new AtomicLong();
    java.util.concurrent.ConcurrentLinkedDeque<Long> ackTimes = new java.util.concurrent.ConcurrentLinkedDeque<>();
    Thread writer = Thread.ofPlatform().name("writer-" + client).start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        String key = "k:" + sequence.incrementAndGet();
        long started = System.nanoTime();
        try {
          if (write.set(key, key)) {
            acknowledged.add(key);
            ackTimes.add(System.nanoTime());
            if (started > stopReturnedNs.get()) {
              firstAckAfterStopNs.compareAndSet(0, System.nanoTime());
            }
          }
        } catch (Exception e) {
          // Not acknowledged: the write may or may not be there, either is fine. Retry shortly.
          errors.incrementAndGet();
          lastError.set(e.getClass().getSimpleName() + ": " + e.getMessage());
          try {
            Thread.sleep(20);
          } catch (InterruptedException stop) {
            return;
          }
        }
      }
    });
    List<Long> windows = new ArrayList<>();
    List<Long> gaps = new ArrayList<>();
    try {
      for (int run = 1; run <= RUNS; run++) {
        int before = acknowledged.size();
        RaftCluster.await(run == 1 ? CONNECT_BOUND_MS : RESUME_BOUND_MS, () -> client + " acknowledges writes before the stop"
            + " (last error: " + lastError.get() + ")", () -> acknowledged.size() >= before + 50);
        String leader = cluster.awaitLeader(30_000);
        long errorsBefore = errors.get();
        firstAckAfterStopNs.set(0);
        long stopStarted = System.nanoTime();
        cluster.takeDown(leader);
        stopReturnedNs.set(System.nanoTime());
        RaftCluster.await(RESUME_BOUND_MS, () -> client + " acknowledges a write after " + leader + " stopped (last error: "
            + lastError.get() + ")", () -> firstAckAfterStopNs.get() != 0);
        long windowMs = TimeUnit.NANOSECONDS.toMillis(firstAckAfterStopNs.get() - stopStarted);
        long gapMs = TimeUnit.NANOSECONDS.toMillis(longestGap(ackTimes, stopStarted, firstAckAfterStopNs.get()));
        windows.add(windowMs);
        gaps.add(gapMs);
        System.out.printf("failover window %s run %d/%d: write gap %d ms, error window %d ms (%s %s in %d ms; %d errors,"
                + " last: %s)%n", client, run, RUNS, gapMs, windowMs, cluster.howDown(), leader,
            TimeUnit.NANOSECONDS.toMillis(stopReturnedNs.get() - stopStarted), errors.get() - errorsBefore, lastError.get());
        stopReturnedNs.set(Long.MAX_VALUE);
        cluster.restart(leader);
      }
      int after = acknowledged.size();
      RaftCluster.await(RESUME_BOUND_MS, client + " keeps writing", () -> acknowledged.size() >= after + 20);
    } finally {
      writer.interrupt();
      writer.join(15_000);
    }
    assertThat(writer.isAlive()).as("the writer thread ended").isFalse();
    System.out.printf("failover summary %s: write gaps %s ms, error windows %s ms over %d run(s); %d writes acknowledged%n",
        client, gaps, windows, RUNS, acknowledged.size());
    assertAllPresent(cluster, acknowledged);
  }

  /**
   * The longest time between consecutive acknowledgements from the last one before {@code fromNs}
   * (the stop) to {@code toNs} (the first acknowledgement of a write sent after the stop).
   */
  static long longestGap(java.util.Collection<Long> ackTimes, long fromNs, long toNs) {
    long previous = fromNs;
    for (long t : ackTimes) {
      if (t <= fromNs) {
        previous = t; // acknowledgement times are appended in order by one writer
      }
    }
    long longest = 0;
    for (long t : ackTimes) {
      if (t > previous && t <= toNs) {
        longest = Math.max(longest, t - previous);
        previous = t;
      }
    }
    return longest;
  }

  /** Every acknowledged key is on the leader (a linearizable read). */
  private static void assertAllPresent(MemberGroup cluster, Set<String> acknowledged) throws Exception {
    String leader = cluster.awaitLeader(30_000);
    List<String> keys = new ArrayList<>(acknowledged);
    List<String> missing = new ArrayList<>();
    try (Jedis jedis = new Jedis("127.0.0.1", cluster.port(leader), 10_000)) {
      for (int from = 0; from < keys.size(); from += 500) {
        List<String> chunk = keys.subList(from, Math.min(keys.size(), from + 500));
        List<String> values = mgetRetrying(jedis, chunk);
        for (int i = 0; i < chunk.size(); i++) {
          if (!chunk.get(i).equals(values.get(i))) {
            missing.add(chunk.get(i));
          }
        }
      }
    }
    assertThat(missing).as("acknowledged writes missing on the leader (%d acknowledged)", keys.size()).isEmpty();
  }

  /** MGET on the leader; a leader that just took over answers -CLUSTERDOWN until it is ready. */
  private static List<String> mgetRetrying(Jedis jedis, List<String> keys) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        return jedis.mget(keys.toArray(new String[0]));
      } catch (JedisDataException | JedisConnectionException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }
}

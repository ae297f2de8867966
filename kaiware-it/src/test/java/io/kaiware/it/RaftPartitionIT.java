package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Network partitions between three member JVMs, each in its own network namespace ({@link
 * NetnsCluster}): a member's link to its peers is cut while clients still reach it, then healed.
 *
 * <ul>
 *   <li>The leader, cut off alone, acknowledges no write sent to it while cut off, serves no read
 *       that misses a write acknowledged before the read began (with read-consistency linearizable
 *       and lease), and steps down; the other two elect a leader that acknowledges writes; after
 *       the heal the old leader follows, the writes it took alone are gone, and every member holds
 *       every acknowledged write with equal digests at one applied index.</li>
 *   <li>A follower cut off alone does not stop the leader acknowledging writes; after the heal it
 *       catches up to the same digest, through the log or, once the leader has purged the log
 *       behind a snapshot, by installing that snapshot over its live dataset (keys deleted
 *       meanwhile are gone).</li>
 * </ul>
 *
 * A writer thread follows the leader the way a plain client would (RAFT INFO after an error) and
 * records every write answered +OK; a write answered with an error or a timeout may or may not be
 * there. Needs root and {@code ip netns} (skipped otherwise); slow: {@code -Pslow} only.
 */
@Tag("slow")
class RaftPartitionIT {

  private NetnsCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * {@code throughSnapshot}: the new leader purges its log behind a snapshot before the heal, so
   * the old leader must drop its own unreplicated entries and install that snapshot.
   */
  @ParameterizedTest(name = "read-consistency {0}, through a snapshot: {1}")
  @CsvSource({"linearizable, false", "lease, false", "linearizable, true"})
  @Timeout(value = 420, unit = TimeUnit.SECONDS)
  void isolatedLeaderAcknowledgesNothingTheMajorityMovesOnAndTheHealConverges(String readConsistency,
      boolean throughSnapshot) throws Exception {
    cluster = NetnsCluster.create(3, "--read-consistency", readConsistency);
    try {
      cluster.startAll();
      String first = awaitReadyLeader(cluster.members.keySet(), 90_000);
      try (Writer writer = new Writer(cluster, "a", first); Reader reader = new Reader(cluster, writer)) {
        writer.awaitAcks(300, 60_000, "writes acknowledged before the partition");

        // The leader now (a starved machine may have moved it since).
        String old = awaitReadyLeader(cluster.members.keySet(), 60_000);
        cluster.isolate(old);
        reader.start(old);
        Set<String> majority = new LinkedHashSet<>(cluster.members.keySet());
        majority.remove(old);
        long isolatedAt = System.nanoTime();
        // Writes sent to the cut-off leader: none may be acknowledged. It steps down once it has
        // not heard from a majority for an election timeout; the other two elect a leader.
        List<String> probeReplies = new ArrayList<>();
        Set<String> probeKeys = new LinkedHashSet<>();
        String leader = null;
        boolean steppedDown = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Jedis probe = cluster.jedis(old, 2000)) {
          for (int i = 0; leader == null || !steppedDown || probeReplies.size() < 5; i++) {
            assertThat(System.nanoTime()).as("new leader %s, %s stepped down %s within 30 s; probes %s", leader, old,
                steppedDown, probeReplies).isLessThan(deadline);
            String key = "isolated:" + i;
            probeKeys.add(key);
            probeReplies.add(send(probe, key));
            if (leader == null) {
              leader = readyLeader(majority);
            }
            steppedDown = steppedDown || !"1".equals(cluster.raftInfo(old, 1000).get("raft_leader_ready"));
          }
        }
        long electedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - isolatedAt);
        System.out.printf("partition: %s cut off; %s elected, %s stepped down within %d ms; probes: %s%n", old, leader,
            old, electedMs, summarize(probeReplies));
        assertThat(probeReplies).as("replies of the cut-off leader").noneMatch("OK"::equals);
        assertThat(leader).isNotEqualTo(old);

        int byNewLeader = writer.acksBy(leader);
        String newLeader = leader;
        RaftCluster.await(60_000, "writes acknowledged by the new leader " + newLeader + " " + writer,
            () -> writer.acksBy(newLeader) > byNewLeader + 100);

        reader.close();
        synchronized (reader) {
          System.out.printf("reads on the cut-off %s: %s%n", old, reader.replies);
        }
        assertThat(reader.stale).as("reads on the cut-off leader that missed an acknowledged write").isEmpty();
        if (throughSnapshot) {
          purgeLogBehindSnapshot(leader, Long.parseLong(cluster.raftInfo(old, 2000).get("raft_applied_index")));
        }

        // The cut-off leader's own entries never reached a majority: the new leader's log replaced them.
        healAndCheck(old, writer, probeKeys, "writes the cut-off leader took", throughSnapshot);
      }
    } catch (Throwable e) {
      System.out.println(cluster.logTails(40));
      throw e;
    }
  }

  /**
   * {@code throughSnapshot}: while the follower is cut off, 20 MB of writes roll the leader's log
   * segments and RAFT SNAPSHOT purges the log behind the snapshot, so the follower — running, with
   * its own dataset — must install the leader's snapshot instead of replaying the log.
   */
  @ParameterizedTest(name = "through a snapshot: {0}")
  @ValueSource(booleans = {false, true})
  @Timeout(value = 420, unit = TimeUnit.SECONDS)
  void isolatedFollowerLeavesTheLeaderWritingAndCatchesUpAfterTheHeal(boolean throughSnapshot) throws Exception {
    cluster = NetnsCluster.create(3);
    try {
      cluster.startAll();
      String leader = awaitReadyLeader(cluster.members.keySet(), 90_000);
      String follower = cluster.members.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      Set<String> doomed = new LinkedHashSet<>();
      try (Writer writer = new Writer(cluster, "b", leader)) {
        writer.awaitAcks(300, 60_000, "writes acknowledged before the partition");
        // Keys the follower holds when it is cut off and the others delete meanwhile.
        try (Jedis j = cluster.jedis(leader, 10_000)) {
          for (int i = 0; i < 100; i++) {
            assertThat(j.set("doomed:" + i, "doomed:" + i)).isEqualTo("OK");
            doomed.add("doomed:" + i);
          }
        }
        RaftCluster.await(60_000, follower + " holding the doomed keys", () -> {
          try {
            return missingOnce(follower, doomed).isEmpty();
          } catch (RuntimeException e) {
            return false;
          }
        });

        cluster.isolate(follower);
        int before = writer.acksBy(leader);
        try (Jedis j = cluster.jedis(leader, 10_000)) {
          assertThat(j.del(doomed.toArray(String[]::new))).isEqualTo(doomed.size());
        }
        RaftCluster.await(60_000, "writes acknowledged by " + leader + " with " + follower + " cut off " + writer,
            () -> writer.acksBy(leader) > before + 500);
        Map<String, String> followerInfo = cluster.raftInfo(follower, 2000);
        if (throughSnapshot) {
          purgeLogBehindSnapshot(leader, Long.parseLong(followerInfo.get("raft_applied_index")));
        }
        Map<String, String> leaderInfo = cluster.raftInfo(leader, 2000);
        assertThat(leaderInfo.get("raft_leader_ready")).as("%s still leads", leader).isEqualTo("1");
        assertThat(followerInfo.get("raft_leader_ready")).as("the cut-off %s", follower).isEqualTo("0");
        assertThat(Long.parseLong(followerInfo.get("raft_applied_index")))
            .as("the cut-off follower's applied index").isLessThan(Long.parseLong(leaderInfo.get("raft_applied_index")));

        healAndCheck(follower, writer, doomed, "deleted keys", throughSnapshot);
      }
    } catch (Throwable e) {
      System.out.println(cluster.logTails(40));
      throw e;
    }
  }

  /**
   * Rolls {@code leader}'s log segments (20 MB of writes: segments are 8 MB, and only closed ones
   * are purged) and takes a snapshot, which purges the log behind it: a member whose applied index
   * is {@code behind} can then catch up only by installing the snapshot. Ratis purges only when at
   * least the purge gap (1024 entries here) lies behind the snapshot, so the log is first filled
   * past that with one-entry writes (a slow machine may not have written that many yet).
   */
  /**
   * Heals {@code cutOff} and, once it follows the leader, checks the outcome: no write acknowledged
   * by a member cut off for the whole request, every acknowledged write on every member at equal
   * digests, none of {@code absent} anywhere, and — {@code throughSnapshot} — a snapshot installed on
   * {@code cutOff}.
   */
  private void healAndCheck(String cutOff, Writer writer, Set<String> absent, String absentWhat, boolean throughSnapshot)
      throws Exception {
    cluster.heal(cutOff);
    awaitFollowing(cutOff, 60_000);
    writer.awaitAcks(writer.acks() + 100, 60_000, "writes acknowledged after the heal");
    writer.close();
    assertThat(writer.violations).as("writes acknowledged by a member cut off for the whole request").isEmpty();

    Map<String, NetnsCluster.State> states = cluster.statesAtOneIndex(60_000);
    System.out.printf("healed: %d acknowledged, errors %s; %s%n", writer.acked.size(), writer.errorKinds, states);
    assertAllPresent(writer.acked);
    for (String id : cluster.members.keySet()) {
      assertThat(missing(id, absent)).as("%s, on %s", absentWhat, id).hasSameSizeAs(absent);
    }
    long installed = Long.parseLong(infoRaft(cutOff).getOrDefault("raft_snapshots_installed", "-1"));
    System.out.printf("%s installed %d snapshots%n", cutOff, installed);
    if (throughSnapshot) {
      assertThat(installed).as("snapshots %s installed", cutOff).isPositive();
    }
  }

  private void purgeLogBehindSnapshot(String leader, long behind) throws InterruptedException {
    long target = Math.max(behind, 0) + 1100;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Jedis j = cluster.jedis(leader, 30_000)) {
      for (int i = 0; Long.parseLong(infoRaft(leader).getOrDefault("raft_applied_index", "-1")) < target; i++) {
        assertThat(System.nanoTime()).as("%s's log past index %d", leader, target).isLessThan(deadline);
        for (int k = 0; k < 50; k++) {
          j.set("filler:" + i + ":" + k, "f");
        }
      }
      String big = "v".repeat(512 * 1024);
      for (int i = 0; i < 40; i++) {
        assertThat(j.set("big:" + (i % 8), big)).isEqualTo("OK");
      }
      j.sendCommand(() -> "RAFT".getBytes(StandardCharsets.UTF_8), "SNAPSHOT".getBytes(StandardCharsets.UTF_8));
    }
    // Ratis purges in the background once the snapshot is written.
    RaftCluster.await(60_000, leader + "'s log purged past index " + (behind + 1) + " behind its snapshot",
        () -> Long.parseLong(infoRaft(leader).getOrDefault("raft_log_first_index", "-1")) > behind + 1);
  }

  /** INFO raft of member {@code id} as field -> value; empty when it does not answer. */
  private Map<String, String> infoRaft(String id) {
    Map<String, String> out = new HashMap<>();
    try (Jedis j = cluster.jedis(id, 5000)) {
      for (String line : j.info("raft").split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          out.put(line.substring(0, colon), line.substring(colon + 1));
        }
      }
    } catch (RuntimeException e) {
      // not answering: empty
    }
    return out;
  }

  // ---------------------------------------------------------------- helpers

  /** One SET's outcome: "OK", the error reply, or the exception. */
  private static String send(Jedis j, String key) {
    try {
      return j.set(key, key);
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private static String summarize(List<String> replies) {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    for (String r : replies) {
      counts.merge(r.length() > 60 ? r.substring(0, 60) : r, 1, Integer::sum);
    }
    return counts.toString();
  }

  private String readyLeader(Set<String> ids) {
    return cluster.readyLeader(ids);
  }

  private String awaitReadyLeader(Set<String> ids, long timeoutMs) throws InterruptedException {
    return cluster.awaitReadyLeader(ids, timeoutMs);
  }

  /** Waits until {@code id}'s ROLE is slave of another member that leads. */
  private void awaitFollowing(String id, long timeoutMs) throws InterruptedException {
    RaftCluster.await(timeoutMs, id + " following a leader (ROLE slave)", () -> {
      try (Jedis j = cluster.jedis(id, 1000)) {
        List<Object> role = j.role();
        String leader = cluster.raftInfo(id, 1000).get("raft_leader");
        return "slave".equals(role.get(0)) && leader != null && !leader.isEmpty() && !leader.equals(id);
      } catch (RuntimeException e) {
        return false;
      }
    });
  }

  private void assertAllPresent(Set<String> acknowledged) throws InterruptedException {
    for (String id : cluster.members.keySet()) {
      assertThat(missing(id, acknowledged)).as("acknowledged writes missing on %s", id).isEmpty();
    }
  }

  /**
   * The keys of {@code keys} (each set to its own name) that member {@code id} does not hold, read
   * locally (READONLY). A follower whose log time lags redirects READONLY reads (replica-max-lag-ms):
   * retried for up to 60 s.
   */
  private List<String> missing(String id, Set<String> keys) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        return missingOnce(id, keys);
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private List<String> missingOnce(String id, Set<String> keys) {
    List<String> missing = new ArrayList<>();
    List<String> all = new ArrayList<>(keys);
    try (Jedis j = cluster.jedis(id, 10_000)) {
      j.readonly();
      for (int from = 0; from < all.size(); from += 500) {
        List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
        List<String> values = j.mget(chunk.toArray(String[]::new));
        for (int i = 0; i < chunk.size(); i++) {
          if (!chunk.get(i).equals(values.get(i))) {
            missing.add(chunk.get(i));
          }
        }
      }
    }
    return missing;
  }

  /**
   * A client reading, on one member, the write the {@link Writer} last saw acknowledged (by any
   * member) before the read began: a reply without it is a stale read. Errors (-MOVED,
   * -CLUSTERDOWN, timeouts) are fine.
   */
  static final class Reader implements AutoCloseable {

    final List<String> stale = new CopyOnWriteArrayList<>();
    /** Reply kind (first 60 characters) -> how many. */
    final Map<String, Integer> replies = new java.util.TreeMap<>();
    private final NetnsCluster cluster;
    private final Writer writer;
    private final AtomicBoolean stop = new AtomicBoolean();
    private Thread thread;

    Reader(NetnsCluster cluster, Writer writer) {
      this.cluster = cluster;
      this.writer = writer;
    }

    void start(String member) {
      thread = Thread.ofPlatform().name("partition-reader").start(() -> run(member));
    }

    private void run(String member) {
      Jedis j = null;
      while (!stop.get()) {
        String key = writer.lastAcked;
        try {
          if (j == null) {
            j = cluster.jedis(member, 2000);
          }
          String value = j.get(key);
          count(value == null ? "nil" : "value");
          if (!key.equals(value)) {
            stale.add("GET " + key + " answered " + value);
          }
        } catch (RuntimeException e) {
          String reply = e.getClass().getSimpleName() + ": " + e.getMessage();
          count(reply.length() > 60 ? reply.substring(0, 60) : reply);
          if (j != null) {
            j.close();
            j = null;
          }
          try {
            Thread.sleep(5);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
      if (j != null) {
        j.close();
      }
    }

    private synchronized void count(String reply) {
      replies.merge(reply, 1, Integer::sum);
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      if (thread != null) {
        thread.join(30_000);
      }
    }
  }

  /**
   * One client writing SET k v in a loop to the member it believes leads; after an error it asks
   * every member (RAFT INFO) who leads. Records each write answered +OK, by member, and as a
   * violation any +OK from a member that was cut off from its peers for the whole request.
   */
  static final class Writer implements AutoCloseable {

    final Set<String> acked = ConcurrentHashMap.newKeySet();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final AtomicInteger errors = new AtomicInteger();
    /** Member and error (first 80 characters) -> how many. */
    final Map<String, Integer> errorKinds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> acksBy = new ConcurrentHashMap<>();
    private final NetnsCluster cluster;
    private final String prefix;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private volatile String target;
    /** The key of the newest write answered +OK. */
    volatile String lastAcked;

    Writer(NetnsCluster cluster, String prefix, String target) {
      this.cluster = cluster;
      this.prefix = prefix;
      this.target = target;
      this.thread = Thread.ofPlatform().name("partition-writer").start(this::run);
    }

    int acks() {
      return acked.size();
    }

    int acksBy(String id) {
      AtomicInteger n = acksBy.get(id);
      return n == null ? 0 : n.get();
    }

    void awaitAcks(int count, long timeoutMs, String what) throws InterruptedException {
      RaftCluster.await(timeoutMs, what + " (" + count + ") " + this, () -> acks() >= count);
    }

    @Override
    public String toString() {
      return "writer to " + target + ": " + acks() + " acknowledged " + acksBy + ", errors " + errorKinds;
    }

    private void run() {
      Jedis j = null;
      String connectedTo = null;
      for (long i = 0; !stop.get(); i++) {
        String key = prefix + ":" + i;
        String to = target;
        try {
          if (j == null || !to.equals(connectedTo)) {
            if (j != null) {
              j.close();
            }
            j = cluster.jedis(to, 2000);
            connectedTo = to;
          }
          boolean cutOffAtSend = cluster.isIsolated(to);
          String reply = j.set(key, key);
          if ("OK".equals(reply)) {
            acked.add(key);
            lastAcked = key;
            acksBy.computeIfAbsent(to, id -> new AtomicInteger()).incrementAndGet();
            if (cutOffAtSend && cluster.isIsolated(to)) {
              violations.add(key + " acknowledged by " + to);
            }
          }
        } catch (RuntimeException e) {
          errors.incrementAndGet();
          String error = to + " " + e.getClass().getSimpleName() + ": " + e.getMessage();
          errorKinds.merge(error.length() > 80 ? error.substring(0, 80) : error, 1, Integer::sum);
          if (j != null) {
            j.close();
            j = null;
          }
          findLeader();
        }
      }
      if (j != null) {
        j.close();
      }
    }

    private void findLeader() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!stop.get() && System.nanoTime() < deadline) {
        for (String id : cluster.members.keySet()) {
          if ("1".equals(cluster.raftInfo(id, 500).get("raft_leader_ready"))) {
            target = id;
            return;
          }
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(30_000);
    }
  }
}

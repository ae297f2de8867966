package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.it.history.History;
import io.kaiware.it.history.History.Kind;
import io.kaiware.it.history.History.Op;
import io.kaiware.it.history.RegisterChecker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A Jepsen-style test: concurrent clients read, write and swap ({@code SET key value GET}) a set of
 * registers on a three-member group while a nemesis cuts members off the network, kills them with
 * SIGKILL and restarts them, freezes them with SIGSTOP (a process pause longer than an election
 * timeout), transfers leadership, and removes a follower from the group and adds it back as a new,
 * empty node. Every operation's invocation, completion and outcome is
 * recorded; at the end the faults are healed, every register is read once more, and the history is
 * checked for linearizability ({@link RegisterChecker}), and the members for equal digests.
 *
 * <p>Clients behave as plain Redis clients: each talks to one member, follows {@code -MOVED} to the
 * leader, and after a timeout or a dropped connection moves to a random member. Outcomes follow the
 * server's contract: {@code -MOVED} and {@code -CLUSTERDOWN} mean "not executed" (the checker
 * holds the server to that), {@code -INDETERMINATE}, timeouts and dropped connections mean
 * "unknown". Values are unique, so a write applied twice, a lost acknowledged write or a stale read
 * shows up as a read no linearization explains.
 *
 * <p>Needs root and {@code ip netns} (skipped otherwise); slow ({@code -Pslow}). The run time is
 * {@code -Dkaiware.linearizability.seconds=N} (60 by default); the seed of the nemesis and the
 * clients {@code -Dkaiware.linearizability.seed=N} (printed on every run).
 */
@Tag("slow")
class LinearizabilityIT {

  private static final int CLIENTS = 6;
  /** Operations per key on average: the checker's work grows with a key's concurrency, not the run's length. */
  private static final int OPS_PER_KEY = 120;
  private static final int CLIENT_TIMEOUT_MS = 1_500;

  /**
   * The nemesis's faults: 0 isolate, 1 SIGKILL, 2 SIGSTOP, 3 remove and re-add, 4 transfer;
   * {@code -Dkaiware.linearizability.faults=3} for membership changes only.
   */
  private static final int[] FAULTS = java.util.Arrays.stream(
      System.getProperty("kaiware.linearizability.faults", "0,1,2,3,4").split(",")).mapToInt(Integer::parseInt).toArray();

  private NetnsCluster cluster;
  private boolean passed;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      if (!passed) {
        keepLogs();
      }
      cluster.close();
    }
  }

  @ParameterizedTest(name = "read-consistency {0}, follower-proxy {1}")
  @CsvSource({"linearizable, no", "lease, yes"})
  @Timeout(value = 600, unit = TimeUnit.SECONDS)
  void registersStayLinearizableUnderPartitionsKillsPausesAndTransfers(String readConsistency, String followerProxy)
      throws Exception {
    long seconds = Long.getLong("kaiware.linearizability.seconds", 60);
    long seed = Long.getLong("kaiware.linearizability.seed", System.nanoTime());
    System.out.printf("linearizability: read-consistency %s, follower-proxy %s, %d s, seed %d%n", readConsistency,
        followerProxy, seconds, seed);
    cluster = NetnsCluster.create(3, "--read-consistency", readConsistency, "--follower-proxy", followerProxy);
    cluster.startAll();
    cluster.awaitReadyLeader(cluster.members.keySet(), 90_000);

    History history = new History();
    AtomicLong sequence = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    Map<String, Integer> errorKinds = new ConcurrentHashMap<>();
    AtomicInteger processes = new AtomicInteger();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      Client client = new Client(history, sequence, stop, errorKinds, processes, new Random(seed + c));
      clients.add(Thread.ofPlatform().name("lin-client-" + c).start(client::run));
    }
    Nemesis nemesis = new Nemesis(new Random(seed));
    try {
      nemesis.run(TimeUnit.SECONDS.toNanos(seconds));
    } finally {
      nemesis.healAll();
      stop.set(true);
      for (Thread t : clients) {
        t.join(30_000);
      }
    }
    String leader = cluster.awaitReadyLeader(cluster.members.keySet(), 90_000);
    System.out.printf("linearizability: nemesis %s; errors %s%n", nemesis.log, errorKinds);
    Set<String> keys = new TreeSet<>(history.byKey().keySet());
    finalReads(history, keys, errorKinds);
    System.out.printf("linearizability: %d operations on %d keys (%s); leader at the end %s; errors with the final reads %s%n",
        history.operations().size(), keys.size(), history.summary(), leader, errorKinds);

    RegisterChecker.Result result = RegisterChecker.check(history.byKey(), 5_000_000);
    System.out.printf("linearizability: checker %s in %d steps%n",
        result.linearizable() ? (result.complete() ? "linearizable" : "undecided") : "NOT linearizable", result.steps());
    if (!result.linearizable() || !result.complete()) {
      Path report = Files.createTempFile("kaiware-linearizability-", ".txt");
      Files.writeString(report, result.explanation() + "\nFull history of " + result.failedKey() + ":\n"
          + RegisterChecker.describe(history.byKey().get(result.failedKey())) + "\nNemesis: " + nemesis.log + "\n"
          + cluster.logTails(40), StandardCharsets.UTF_8);
      System.out.println("linearizability: report in " + report);
    }
    assertThat(result.linearizable()).as("%s (seed %d)", result.explanation(), seed).isTrue();
    assertThat(result.complete()).as(result.explanation()).isTrue();
    long acknowledged = history.operations().stream()
        .filter(o -> o.kind != Kind.READ && o.status() == History.Status.OK).count();
    assertThat(acknowledged).as("acknowledged writes: the group must make progress between faults").isGreaterThan(100);
    cluster.statesAtOneIndex(60_000);
    passed = true;
  }

  /** A failed run's member logs, kept under target/linearizability-logs/ (the cluster's dir goes with it). */
  private void keepLogs() {
    try {
      Path to = Path.of("target", "linearizability-logs", Long.toString(System.currentTimeMillis()));
      Files.createDirectories(to);
      try (var logs = Files.list(cluster.dataRoot)) {
        for (Path log : logs.filter(f -> f.toString().endsWith(".log")).toList()) {
          Files.copy(log, to.resolve(log.getFileName()));
        }
      }
      System.out.println("linearizability: member logs kept in " + to.toAbsolutePath());
    } catch (java.io.IOException e) {
      System.out.println("linearizability: could not keep the member logs: " + e);
    }
  }

  /** Reads every key once more, through the leader, after the faults healed: each read must see the last write. */
  private void finalReads(History history, Set<String> keys, Map<String, Integer> errorKinds) throws Exception {
    Client reader = new Client(history, new AtomicLong(), new AtomicBoolean(), errorKinds, new AtomicInteger(-1000),
        new Random(0));
    for (String key : keys) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!reader.read(key)) {
        assertThat(System.nanoTime()).as("a final read of %s within 30 s (last error from %s: %s; %s)", key,
            reader.member, reader.lastError, cluster.logTails(30)).isLessThan(deadline);
        Thread.sleep(50);
      }
    }
    reader.close();
  }

  /** One client process: operations on random keys of a sliding window, one at a time. */
  private final class Client {
    private final History history;
    private final AtomicLong sequence;
    private final AtomicBoolean stop;
    private final Map<String, Integer> errorKinds;
    private final AtomicInteger processes;
    private final Random random;
    private int process;
    private String member;
    private Jedis jedis;
    private volatile String lastError;

    Client(History history, AtomicLong sequence, AtomicBoolean stop, Map<String, Integer> errorKinds,
        AtomicInteger processes, Random random) {
      this.history = history;
      this.sequence = sequence;
      this.stop = stop;
      this.errorKinds = errorKinds;
      this.processes = processes;
      this.random = random;
      this.process = processes.incrementAndGet();
      List<String> ids = new ArrayList<>(cluster.members.keySet());
      this.member = ids.get(random.nextInt(ids.size()));
    }

    void run() {
      try {
        while (!stop.get()) {
          long n = sequence.getAndIncrement();
          String key = "r" + (n / OPS_PER_KEY + random.nextInt(3));
          int dice = random.nextInt(10);
          if (dice < 5) {
            read(key);
          } else {
            write(key, dice < 8 ? Kind.WRITE : Kind.SWAP, "p" + process + "-" + n);
          }
        }
      } finally {
        close();
      }
    }

    /** Returns whether the read got a reply. */
    boolean read(String key) {
      Op op = history.invoke(process, Kind.READ, key, null);
      try {
        history.ok(op, connection().get(key));
        return true;
      } catch (RuntimeException e) {
        // A read that failed changed nothing, whatever the reason.
        history.fail(op, failed(e));
        return false;
      }
    }

    void write(String key, Kind kind, String value) {
      Op op = history.invoke(process, kind, key, value);
      try {
        Jedis j = connection();
        if (kind == Kind.WRITE) {
          history.ok(op, j.set(key, value));
        } else {
          Object old = j.sendCommand(Protocol.Command.SET, key, value, "GET");
          history.ok(op, old == null ? null : new String((byte[]) old, StandardCharsets.UTF_8));
        }
      } catch (JedisDataException e) {
        String error = failed(e);
        if (error.startsWith("MOVED") || error.startsWith("CLUSTERDOWN")) {
          history.fail(op, error); // the server says: not executed
        } else {
          history.info(op, error);
          process = processes.incrementAndGet(); // Jepsen's rule: a process with an unknown outcome is replaced
        }
      } catch (RuntimeException e) {
        history.info(op, failed(e));
        process = processes.incrementAndGet();
      }
    }

    private Jedis connection() {
      if (jedis == null) {
        jedis = cluster.jedis(member, CLIENT_TIMEOUT_MS);
      }
      return jedis;
    }

    /** Counts the error, and moves: to the leader a -MOVED names, else (a dead connection) to a random member. */
    private String failed(RuntimeException e) {
      String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      String kind = e instanceof JedisConnectionException ? "connection: " + e.getClass().getSimpleName()
          : text.startsWith("CLUSTERDOWN") || text.startsWith("INDETERMINATE") ? text.replaceAll("n\\d@group-\\S+|\\d+", "#")
          : text.split(" ", 2)[0];
      errorKinds.merge(kind, 1, Integer::sum);
      lastError = text;
      if (text.startsWith("MOVED")) {
        String address = text.substring(text.lastIndexOf(' ') + 1);
        String leader = cluster.memberAt(address.substring(0, address.lastIndexOf(':')));
        if (leader != null && !leader.equals(member)) {
          close();
          member = leader;
        }
      } else if (e instanceof JedisConnectionException || text.startsWith("INDETERMINATE")) {
        close();
        List<String> ids = new ArrayList<>(cluster.members.keySet());
        member = ids.get(random.nextInt(ids.size()));
      } else if (text.startsWith("CLUSTERDOWN")) {
        pause(20);
      }
      return text.length() > 120 ? text.substring(0, 120) : text;
    }

    void close() {
      if (jedis != null) {
        try {
          jedis.close();
        } catch (RuntimeException ignored) {
          // the connection is gone anyway
        }
        jedis = null;
      }
    }
  }

  /** Faults, one at a time with healthy gaps between them; every fault is undone before the next. */
  private final class Nemesis {
    private final Random random;
    final List<String> log = new ArrayList<>();
    private final Set<String> isolated = new TreeSet<>();
    private final Set<String> paused = new TreeSet<>();
    private final Set<String> killed = new TreeSet<>();
    private final Set<String> removed = new TreeSet<>();

    Nemesis(Random random) {
      this.random = random;
    }

    void run(long durationNanos) throws Exception {
      long start = System.nanoTime();
      long end = start + durationNanos;
      while (System.nanoTime() < end) {
        sleep(1_000 + random.nextInt(2_000));
        restartExitedMembers();
        String target = target();
        long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        switch (FAULTS[random.nextInt(FAULTS.length)]) {
          case 0 -> timed(at, "isolate", target, 2_000 + random.nextInt(4_000), isolated,
              () -> cluster.isolate(target), () -> cluster.heal(target));
          case 1 -> timed(at, "kill -9 (restarted after)", target, 1_000 + random.nextInt(3_000), killed,
              () -> cluster.kill(target), () -> cluster.start(target));
          case 2 -> timed(at, "SIGSTOP", target, 1_000 + random.nextInt(4_000), paused,
              () -> cluster.pause(target), () -> cluster.resume(target));
          case 3 -> {
            // Membership: a follower leaves the group (RAFT REMOVE), its process and data go, and
            // it joins again as a new, empty node (RAFT ADD) that the leader catches up.
            String leader = cluster.readyLeader(cluster.members.keySet());
            if (leader == null) {
              log.add(at + "ms remove: no leader");
              continue;
            }
            List<String> followers = new ArrayList<>(cluster.members.keySet());
            followers.remove(leader);
            String member = followers.get(random.nextInt(followers.size()));
            String reply = raft(leader, "REMOVE", member);
            log.add(at + "ms remove " + member + " on " + leader + ": " + reply);
            if (!"OK".equals(reply) && !removedAfterAll(member)) {
              continue; // refused, or its outcome never settled: still a member
            }
            cluster.kill(member);
            removed.add(member);
            sleep(1_000 + random.nextInt(2_000));
            rejoin(member);
          }
          default -> {
            String leader = cluster.readyLeader(cluster.members.keySet());
            if (leader == null) {
              log.add(at + "ms transfer: no leader");
              continue;
            }
            List<String> others = new ArrayList<>(cluster.members.keySet());
            others.remove(leader);
            String to = others.get(random.nextInt(others.size()));
            log.add(at + "ms transfer " + leader + " -> " + to + ": " + raft(leader, "TRANSFER", to));
          }
        }
      }
    }

    /** A fault on {@code target} for {@code ms}, undone after; {@code faulty} holds it meanwhile (for {@link #healAll}). */
    private void timed(long at, String what, String target, long ms, Set<String> faulty, Action apply, Action undo)
        throws Exception {
      apply.run();
      faulty.add(target);
      log.add(at + "ms " + what + " " + target + " " + ms + "ms");
      sleep(ms);
      undo.run();
      faulty.remove(target);
    }

    /** A RAFT subcommand on {@code member}: its reply, or the error's text. */
    private String raft(String member, String... args) {
      try (Jedis j = cluster.jedis(member, 30_000)) {
        Object r = j.sendCommand(() -> "RAFT".getBytes(StandardCharsets.UTF_8), args);
        return r instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(r);
      } catch (RuntimeException e) {
        return e.getMessage();
      }
    }

    /**
     * After a RAFT REMOVE that did not answer +OK (the server says when its outcome is open): whether
     * the member is out of the configuration once a leader is ready again (waits up to 30 s).
     */
    private boolean removedAfterAll(String member) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        String leader = cluster.readyLeader(cluster.members.keySet());
        if (leader != null) {
          String info = raft(leader, "INFO");
          if (info.contains("raft_leader_ready:1")) {
            boolean stillMember = info.contains("id=" + member + ",");
            log.add("  " + member + (stillMember ? " still a member" : " removed after all") + " (RAFT INFO on " + leader + ")");
            return !stillMember;
          }
        }
        sleep(200);
      }
      log.add("  no ready leader to ask whether " + member + " is a member");
      return false;
    }

    /**
     * Starts a removed member as a new node and adds it on whichever member leads. RAFT ADD waits
     * for the new node to catch up and gives up answering after 20 s while the change goes on
     * ("Reconfiguration is already in progress" meanwhile), so success is the member voting in the
     * leader's RAFT INFO; ADD is asked again every few seconds until then (120 s at most).
     *
     * <p>A member is started empty only while the group is known not to hold it. A rejoin cut short
     * (the nemesis stopped at the end of the run) may have been admitted already: wiping it then
     * would delete a voter's log and vote, which Raft's safety rests on (run 12's "re-add" failure
     * was that: the emptied voter was caught up as an existing follower through entries holding an
     * older configuration without it, and Ratis closed it when it found itself outside the
     * configuration it had). Such a member is restarted with its data.
     */
    private void rejoin(String member) throws Exception {
      startAfresh(member);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      long nextAddNanos = 0;
      String reply = "not asked";
      while (true) {
        if (!cluster.isRunning(member)) {
          log.add("  " + member + " exited");
          startAfresh(member);
        }
        String leader = cluster.awaitReadyLeader(others(member), 60_000);
        String info = raft(leader, "INFO");
        if (info.contains("id=" + member + ",") && info.matches("(?s).*id=" + member + ",[^\\r\\n]*voting=1.*")) {
          log.add("  " + member + " votes again (RAFT INFO on " + leader + ")");
          removed.remove(member);
          return;
        }
        if (System.nanoTime() >= nextAddNanos) {
          reply = raft(leader, "ADD", member, cluster.raftAddress(member));
          log.add("  add " + member + " on " + leader + ": " + reply);
          nextAddNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        }
        assertThat(System.nanoTime()).as("%s a voting member again within 120 s; last RAFT ADD: %s; nemesis: %s",
            member, reply, log).isLessThan(deadline);
        sleep(200);
      }
    }

    /** Starts {@code member} empty if the group does not hold it, else restarts it with its data. */
    private void startAfresh(String member) throws Exception {
      Boolean inConfiguration = inConfiguration(member);
      if (Boolean.FALSE.equals(inConfiguration)) {
        cluster.startJoining(member);
        return;
      }
      log.add("  " + member + (inConfiguration == null ? ": membership unknown" : " is in the configuration already")
          + ", so it keeps its data");
      if (!cluster.isRunning(member)) {
        cluster.start(member);
      }
    }

    /**
     * Whether a ready leader's configuration (RAFT INFO) lists {@code member}, as a voter or a
     * listener; null when no leader answers within 30 s.
     */
    private Boolean inConfiguration(String member) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        String leader = cluster.readyLeader(others(member));
        if (leader != null) {
          String info = raft(leader, "INFO");
          if (info.contains("raft_leader_ready:1")) {
            return info.contains("id=" + member + ",");
          }
        }
        sleep(200);
      }
      return null;
    }

    private Set<String> others(String member) {
      Set<String> ids = new TreeSet<>(cluster.members.keySet());
      ids.remove(member);
      return ids;
    }

    /** The leader half of the time (the interesting victim), else a random member. */
    private String target() {
      String leader = random.nextBoolean() ? cluster.readyLeader(cluster.members.keySet()) : null;
      if (leader != null) {
        return leader;
      }
      List<String> ids = new ArrayList<>(cluster.members.keySet());
      return ids.get(random.nextInt(ids.size()));
    }

    /**
     * A member whose process stopped by itself (Ratis closed it: it found itself outside the
     * configuration it held) is started again with its data, as a supervisor such as systemd's
     * {@code Restart=on-failure} would: the server exits non-zero for exactly that. A member the
     * group no longer holds then idles; one it still holds (a removal that never committed, an
     * addition whose configuration had not reached it yet) catches up.
     */
    private void restartExitedMembers() throws IOException {
      for (String id : cluster.members.keySet()) {
        if (!removed.contains(id) && cluster.exitedByItself(id)) {
          log.add("  " + id + " had stopped; restarted with its data");
          cluster.start(id);
        }
      }
    }

    void healAll() throws Exception {
      restartExitedMembers();
      for (String id : isolated) {
        cluster.heal(id);
      }
      for (String id : paused) {
        cluster.resume(id);
      }
      for (String id : killed) {
        cluster.start(id);
      }
      for (String id : new ArrayList<>(removed)) {
        rejoin(id);
      }
      isolated.clear();
      paused.clear();
      killed.clear();
    }
  }

  /** A nemesis step. */
  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }

  private static void sleep(long ms) throws InterruptedException {
    Thread.sleep(ms);
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

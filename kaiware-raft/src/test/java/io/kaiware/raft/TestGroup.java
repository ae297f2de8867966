package io.kaiware.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.StandardCommands;
import io.kaiware.engine.Keyspace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** An in-process group of {@link RaftNode}s on loopback ports, for tests and the benchmark. */
final class TestGroup implements AutoCloseable {

  final Map<String, String> peers = new LinkedHashMap<>();
  final Map<String, RaftNode> nodes = new LinkedHashMap<>();
  final Path dir;
  final AtomicLong clock;
  private final Consumer<RaftNodeConfig.Builder> tweak;

  /** {@code clock} null = the wall clock. */
  TestGroup(Path dir, int size, AtomicLong clock, Consumer<RaftNodeConfig.Builder> tweak) throws IOException {
    this.dir = dir;
    this.clock = clock;
    this.tweak = tweak;
    for (int i = 1; i <= size; i++) {
      peers.put("n" + i, "127.0.0.1:" + freePort());
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  TestGroup startAll() throws IOException {
    for (String id : peers.keySet()) {
      start(id);
    }
    return this;
  }

  RaftNode start(String id) throws IOException {
    return start(id, false);
  }

  /** Starts {@code id}; with {@code joining}, it waits to be added by the leader. */
  RaftNode start(String id, boolean joining) throws IOException {
    RaftNodeConfig.Builder b = RaftNodeConfig.builder(id, dir.resolve(id)).peers(peers).joining(joining)
        .electionTimeout(Duration.ofMillis(300), Duration.ofMillis(600))
        // No idle ticks unless a test asks: digests are compared at one applied index, which ticks move.
        .tick(Duration.ofHours(1));
    if (clock != null) {
      b.clock(clock::get);
    }
    tweak.accept(b);
    RaftNode node = RaftNode.start(b.build(), new Keyspace(), StandardCommands.table(), new ReplicaHooks(), null);
    nodes.put(id, node);
    return node;
  }

  void stop(String id) {
    RaftNode n = nodes.remove(id);
    if (n != null) {
      n.close();
    }
  }

  /** Waits (bounded) until exactly one running node is a ready leader; returns it. */
  RaftNode awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<RaftNode> leaders = new ArrayList<>();
      for (RaftNode n : nodes.values()) {
        if (n.isLeader()) {
          leaders.add(n);
        }
      }
      if (leaders.size() == 1) {
        return leaders.get(0);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no leader within " + timeout);
  }

  /** Waits (bounded) until every running node has applied at least {@code index}. */
  void awaitApplied(long index, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (RaftNode n : nodes.values()) {
        all &= n.stateMachine().engineAppliedIndex() >= index;
      }
      if (all) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("not every node applied " + index + " within " + timeout);
  }

  static byte[][] cmd(String... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    return argv;
  }

  static String text(byte[] resp) {
    return new String(resp, StandardCharsets.UTF_8);
  }

  /** A write on {@code node}, waited for (bounded). */
  static String write(RaftNode node, String... args) throws Exception {
    return text(node.submitWrite(0, 2, cmd(args)).get(10, TimeUnit.SECONDS));
  }

  static String readStale(RaftNode node, String... args) throws Exception {
    return text(node.read(0, 2, cmd(args), RaftNode.ReadConsistency.STALE).get(10, TimeUnit.SECONDS));
  }

  static String readLinearizable(RaftNode node, String... args) throws Exception {
    return text(node.read(0, 2, cmd(args), RaftNode.ReadConsistency.LINEARIZABLE).get(10, TimeUnit.SECONDS));
  }

  /** Digests of every running node, taken after each applied {@code index} (and nothing later is pending). */
  Map<String, KaiwareStateMachine.StateDigest> digests() throws Exception {
    Map<String, KaiwareStateMachine.StateDigest> d = new LinkedHashMap<>();
    for (var e : nodes.entrySet()) {
      d.put(e.getKey(), e.getValue().digest().get(10, TimeUnit.SECONDS));
    }
    return d;
  }

  /**
   * Waits (bounded) until every running node reports the same applied index and digest — with
   * ticks running the index moves, so compare snapshots taken at one index.
   */
  void assertConverged(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, KaiwareStateMachine.StateDigest> last = null;
    while (System.nanoTime() < deadline) {
      last = digests();
      long idx = -1;
      String digest = null;
      boolean same = true;
      for (var d : last.values()) {
        if (idx == -1) {
          idx = d.appliedIndex();
          digest = d.digest();
        } else if (d.appliedIndex() != idx || !d.digest().equals(digest)) {
          same = false;
        }
      }
      if (same) {
        assertThat(digest).isNotNull();
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("replicas did not converge: " + last);
  }

  @Override
  public void close() {
    for (RaftNode n : nodes.values()) {
      n.close();
    }
    nodes.clear();
  }
}

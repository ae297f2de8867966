package io.kaiware.it;

import io.kaiware.command.config.ServerConfig;
import io.kaiware.raft.KaiwareStateMachine.StateDigest;
import io.kaiware.raft.RaftNode;
import io.kaiware.server.KaiwareServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A Raft group of Kaiware servers in this JVM, each on its own loopback client port and Raft port,
 * each with its own data dir — the same code path as separate processes, minus the process. Stops
 * every member and deletes the data at close.
 */
final class RaftCluster implements AutoCloseable {

  final Path dataRoot;
  final Map<String, String> raftAddresses = new LinkedHashMap<>();
  final Map<String, KaiwareServer> servers = new LinkedHashMap<>();
  /** Each member's client port once it first started: a restarted member binds it again, as a real one would. */
  private final Map<String, Integer> clientPorts = new LinkedHashMap<>();
  private final Map<String, String> extraSettings;
  /** Settings of one member (member id -> its settings), applied after {@link #extraSettings}. */
  private final java.util.function.Function<String, Map<String, String>> memberSettings;

  private RaftCluster(Path dataRoot, Map<String, String> extraSettings,
      java.util.function.Function<String, Map<String, String>> memberSettings) {
    this.dataRoot = dataRoot;
    this.extraSettings = extraSettings;
    this.memberSettings = memberSettings;
  }

  /** Starts {@code size} members n1..nN. */
  static RaftCluster start(int size, Map<String, String> settings) throws Exception {
    return start(size, settings, id -> Map.of());
  }

  /** Starts {@code size} members n1..nN, each also with {@code memberSettings.apply(id)} (an admin port, say). */
  static RaftCluster start(int size, Map<String, String> settings,
      java.util.function.Function<String, Map<String, String>> memberSettings) throws Exception {
    RaftCluster c = new RaftCluster(Files.createTempDirectory("kaiware-raft-it-"), settings, memberSettings);
    for (int i = 1; i <= size; i++) {
      c.raftAddresses.put("n" + i, "127.0.0.1:" + freePort());
    }
    try {
      for (String id : c.raftAddresses.keySet()) {
        c.startMember(id);
      }
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
    return c;
  }

  void startMember(String id) throws Exception {
    ServerConfig config = ServerConfig.defaults();
    config.setAtStartup("bind", "127.0.0.1");
    config.setAtStartup("port", Integer.toString(clientPorts.getOrDefault(id, 0)));
    config.setAtStartup("node", id);
    config.setAtStartup("dir", dataRoot.resolve(id).toString());
    StringBuilder peers = new StringBuilder();
    raftAddresses.forEach((peer, address) -> peers.append(peers.isEmpty() ? "" : ",").append(peer).append('=').append(address));
    config.setAtStartup("peers", peers.toString());
    extraSettings.forEach(config::setAtStartup);
    memberSettings.apply(id).forEach(config::setAtStartup);
    KaiwareServer server = KaiwareServer.start(config, null);
    servers.put(id, server);
    clientPorts.put(id, server.port());
  }

  /** Stops member {@code id} (its data stays, so it can restart on the same client port). */
  void stop(String id) {
    KaiwareServer s = servers.remove(id);
    if (s != null) {
      s.close();
    }
  }

  /**
   * A port for a listener bound later (a Raft peer, a redis-server): free now, and below the
   * kernel's ephemeral range (32768-60999 on Linux), so no port-0 listener or outgoing connection
   * takes it in between. A port-0 client listener once got the very port chosen for its member's
   * Raft peer, and Ratis's failed bind exited the test JVM. Never the same port twice in one JVM.
   */
  static int freePort() throws IOException {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
      if (!HANDED_OUT.add(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException inUse) {
        // taken: try another
      }
    }
    throw new IOException("no free port in 20000-31999 after 1000 tries");
  }

  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  RaftNode node(String id) {
    return servers.get(id).raftNode();
  }

  int port(String id) {
    return servers.get(id).port();
  }

  /** The id of the ready leader, waiting up to {@code timeoutMs} for one. */
  String awaitLeader(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      for (Map.Entry<String, KaiwareServer> e : servers.entrySet()) {
        if (e.getValue().raftNode().isLeader()) {
          return e.getKey();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no leader within " + timeoutMs + " ms");
  }

  /** Waits until every running member knows every running member's client address. */
  void awaitDirectory(long timeoutMs) throws InterruptedException {
    await(timeoutMs, "every member's client address known everywhere", () -> {
      for (KaiwareServer s : servers.values()) {
        for (String id : servers.keySet()) {
          if (s.raftNode().clientAddressOf(id) == null) {
            return false;
          }
        }
      }
      return true;
    });
  }

  /**
   * The digests of every running member taken at one applied index: retried until all members
   * report the same index (ticks keep the index moving, so the members are sampled together).
   */
  List<StateDigest> digestsAtOneIndex(long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    List<StateDigest> last = List.of();
    while (System.nanoTime() < deadline) {
      List<java.util.concurrent.CompletableFuture<StateDigest>> futures = new ArrayList<>();
      for (KaiwareServer s : servers.values()) {
        futures.add(s.raftNode().digest());
      }
      List<StateDigest> digests = new ArrayList<>();
      for (var f : futures) {
        digests.add(f.get(5, TimeUnit.SECONDS));
      }
      last = digests;
      if (digests.stream().map(StateDigest::appliedIndex).distinct().count() == 1) {
        return digests;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("members never reported the same applied index: " + last);
  }

  /**
   * Asserts that every running member holds the same dataset at one applied index
   * ({@link #digestsAtOneIndex}): the replicas converged.
   */
  void assertConverged(long timeoutMs) throws Exception {
    List<StateDigest> digests = digestsAtOneIndex(timeoutMs);
    org.assertj.core.api.Assertions.assertThat(digests).hasSize(servers.size());
    org.assertj.core.api.Assertions.assertThat(digests.stream().map(StateDigest::digest).distinct())
        .as("digests at index %s", digests.get(0).appliedIndex()).hasSize(1);
  }

  static void await(long timeoutMs, String what, BooleanSupplier condition) throws InterruptedException {
    await(timeoutMs, () -> what, condition);
  }

  /** As {@link #await(long, String, BooleanSupplier)}, describing the wait when it times out (a last error, say). */
  static void await(long timeoutMs, java.util.function.Supplier<String> what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what.get());
  }

  @Override
  public void close() {
    for (String id : new ArrayList<>(servers.keySet())) {
      try {
        stop(id);
      } catch (RuntimeException e) {
        e.printStackTrace();
      }
    }
    KaiwareProcess.deleteTree(dataRoot);
  }
}

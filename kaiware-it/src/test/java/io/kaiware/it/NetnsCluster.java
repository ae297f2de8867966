package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * A Raft group of member JVMs, each in its own Linux network namespace, so that the network
 * between members can be cut and healed per member — what a TCP proxy cannot do when every peer
 * connects from 127.0.0.1.
 *
 * <pre>
 *   root namespace                              namespace kwpart-PID-R-nN
 *   bridge kwbR ── kwpR N (veth) ──────────────  kwqR N  10.X.0.1N/24  Raft  :7001
 *   kwcR N 10.X.N.1/24 (veth, point to point) ─  kwdR N  10.X.N.2/24  RESP  :6379
 * </pre>
 *
 * Raft traffic crosses the bridge; the test JVM reaches each member's client port over its own
 * point-to-point link, which a partition leaves up, and so do the other members (routed through
 * the root namespace: a follower proxies to the leader's client address). {@link #isolate} sets the member's bridge port
 * down (its peers can neither reach it nor be reached), {@link #heal} sets it up again. Members
 * bind only their client-link address, so the address they advertise (ROLE, -MOVED, CLUSTER
 * NODES) is one the test JVM can reach.
 *
 * <p>Needs root and {@code ip netns}: {@link #create} skips the test (a JUnit assumption) without
 * them. {@link #close} kills the members and deletes the namespaces, links and data; leftovers of
 * an earlier run whose JVM died (names carry its pid) are removed first.
 */
final class NetnsCluster implements AutoCloseable {

  /** Namespace names start with it, and root-namespace links carry it (plus the owner's pid) as their alias. */
  static final String PREFIX = "kwpart";

  static final int CLIENT_PORT = 6379;
  static final int RAFT_PORT = 7001;

  private static final long PID = ProcessHandle.current().pid();

  /** One member: its namespace, its bridge port (root side) and its addresses. */
  record Member(String id, String namespace, String bridgePort, String peerHost, String clientHost) {}

  final Path dataRoot;
  final Map<String, Member> members = new LinkedHashMap<>();
  private final String tag;
  private final String bridge;
  private final String peers;
  private final List<String> serverArgs;
  private final Map<String, Process> processes = new ConcurrentHashMap<>();
  private final Set<String> isolated = ConcurrentHashMap.newKeySet();
  private final List<String> createdNamespaces = new ArrayList<>();
  private final List<String> createdLinks = new ArrayList<>();

  private NetnsCluster(int size, int subnet, String tag, List<String> serverArgs) throws IOException {
    this.tag = tag;
    this.serverArgs = serverArgs;
    this.bridge = "kwb" + tag;
    this.dataRoot = Files.createTempDirectory("kaiware-netns-");
    StringBuilder p = new StringBuilder();
    for (int i = 1; i <= size; i++) {
      String id = "n" + i;
      Member m = new Member(id, PREFIX + "-" + PID + "-" + tag + "-" + id, "kwp" + tag + i,
          "10." + subnet + ".0." + (10 + i), "10." + subnet + "." + i + ".2");
      members.put(id, m);
      p.append(p.isEmpty() ? "" : ",").append(id).append('=').append(m.peerHost()).append(':').append(RAFT_PORT);
    }
    this.peers = p.toString();
  }

  /**
   * Builds the namespaces and links for {@code size} members n1..nN (not started: see {@link
   * #startAll}), each to be started with {@code serverArgs} too ("--read-consistency", "lease").
   * Skips the calling test when this is not root on Linux with {@code ip netns}.
   */
  static NetnsCluster create(int size, String... serverArgs) throws Exception {
    assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"),
        "network namespaces need Linux");
    String uid;
    try {
      uid = run(List.of("id", "-u"), false).trim();
      run(List.of("ip", "-V"), true);
    } catch (IOException e) {
      uid = "unknown: " + e.getMessage();
    }
    assumeTrue(uid.equals("0"), "partition tests need root and iproute2 (ip netns, veth, bridge); skipped");
    removeLeftovers();
    String tag = String.format("%05x", ThreadLocalRandom.current().nextInt(1 << 20));
    int subnet = freeSubnet();
    NetnsCluster c = new NetnsCluster(size, subnet, tag, List.of(serverArgs));
    try {
      String probe = c.members.get("n1").namespace();
      String failure = tryRun(List.of("ip", "netns", "add", probe));
      assumeTrue(failure == null, () -> "partition tests need 'ip netns add' (" + failure + "); skipped");
      c.createdNamespaces.add(probe);
      c.build();
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void build() throws IOException, InterruptedException {
    ip("link", "add", bridge, "type", "bridge");
    createdLinks.add(bridge);
    ip("link", "set", bridge, "alias", PREFIX + "-" + PID);
    ip("link", "set", bridge, "up");
    int i = 0;
    for (Member m : members.values()) {
      i++;
      String ns = m.namespace();
      if (!createdNamespaces.contains(ns)) {
        ip("netns", "add", ns);
        createdNamespaces.add(ns);
      }
      ip("-n", ns, "link", "set", "lo", "up");
      // Peer network: a veth with one end on the bridge.
      ip("link", "add", m.bridgePort(), "type", "veth", "peer", "name", "kwq" + tag + i, "netns", ns);
      createdLinks.add(m.bridgePort());
      ip("link", "set", m.bridgePort(), "alias", PREFIX + "-" + PID);
      ip("link", "set", m.bridgePort(), "master", bridge);
      ip("link", "set", m.bridgePort(), "up");
      ip("-n", ns, "addr", "add", m.peerHost() + "/24", "dev", "kwq" + tag + i);
      ip("-n", ns, "link", "set", "kwq" + tag + i, "up");
      // Client network: a point-to-point veth to the root namespace.
      String rootEnd = "kwc" + tag + i;
      ip("link", "add", rootEnd, "type", "veth", "peer", "name", "kwd" + tag + i, "netns", ns);
      createdLinks.add(rootEnd);
      ip("link", "set", rootEnd, "alias", PREFIX + "-" + PID);
      String clientNet = m.clientHost().substring(0, m.clientHost().lastIndexOf('.'));
      ip("addr", "add", clientNet + ".1/24", "dev", rootEnd);
      ip("link", "set", rootEnd, "up");
      ip("-n", ns, "addr", "add", m.clientHost() + "/24", "dev", "kwd" + tag + i);
      ip("-n", ns, "link", "set", "kwd" + tag + i, "up");
      // Members reach each other's client addresses (follower-proxy, RAFT commands) through the
      // root namespace: a route to the other client links, and forwarding on this link's root end
      // only (the host's ip_forward is left alone).
      String wholeNet = clientNet.substring(0, clientNet.lastIndexOf('.')) + ".0.0/16";
      ip("-n", ns, "route", "add", wholeNet, "via", clientNet + ".1");
      Files.writeString(Path.of("/proc/sys/net/ipv4/conf", rootEnd, "forwarding"), "1");
    }
  }

  /** Starts every member. */
  void startAll() throws IOException {
    for (String id : members.keySet()) {
      start(id);
    }
  }

  /** Starts member {@code id} as its own JVM inside its namespace; output goes to {@code <dataRoot>/<id>.log}. */
  void start(String id) throws IOException {
    launch(id, peers, List.of());
  }

  /**
   * Starts member {@code id} afresh, its data deleted, as a node that joins the running group
   * ({@code --raft-join yes}, only itself in {@code --peers}): {@code RAFT ADD} on the leader admits it.
   * A process of {@code id} still running (a rejoin cut short, e.g. by the end of a nemesis run) is
   * killed first: two processes of one member would fight over its ports and its data directory.
   */
  void startJoining(String id) throws IOException, InterruptedException {
    kill(id);
    KaiwareProcess.deleteTree(dataRoot.resolve(id));
    Member m = members.get(id);
    launch(id, id + "=" + m.peerHost() + ":" + RAFT_PORT, List.of("--raft-join", "yes"));
  }

  /** Member {@code id}'s Raft address, as {@code RAFT ADD} takes it. */
  String raftAddress(String id) {
    return members.get(id).peerHost() + ":" + RAFT_PORT;
  }

  private void launch(String id, String peers, List<String> extraArgs) throws IOException {
    Member m = members.get(id);
    Path log = dataRoot.resolve(id + ".log");
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", m.namespace()));
    command.addAll(ProcessCluster.memberJvm());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.kaiware.cli.Main", "server", "--node", id, "--peers", peers,
        "--bind", m.clientHost(), "--port", Integer.toString(CLIENT_PORT),
        // The client link is a private veth to the test JVM: no password needed on it.
        "--protected-mode", "no",
        "--dir", dataRoot.resolve(id).toString(), "--loglevel", "warning"));
    command.addAll(serverArgs);
    command.addAll(extraArgs);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    processes.put(id, p);
  }

  /** Cuts member {@code id} off from every peer (its client link stays up). */
  void isolate(String id) throws IOException, InterruptedException {
    ip("link", "set", members.get(id).bridgePort(), "down");
    isolated.add(id);
  }

  /** Reconnects member {@code id} to its peers. */
  void heal(String id) throws IOException, InterruptedException {
    isolated.remove(id);
    ip("link", "set", members.get(id).bridgePort(), "up");
  }

  boolean isIsolated(String id) {
    return isolated.contains(id);
  }

  /** A plain client on member {@code id}'s client address. */
  Jedis jedis(String id, int timeoutMs) {
    return new Jedis(new HostAndPort(members.get(id).clientHost(), CLIENT_PORT), DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(timeoutMs).socketTimeoutMillis(timeoutMs).serverDefaultProtocol().build());
  }

  /** The member whose client address is {@code host}, or null. */
  String memberAt(String host) {
    for (Member m : members.values()) {
      if (m.clientHost().equals(host)) {
        return m.id();
      }
    }
    return null;
  }

  /** RAFT INFO of member {@code id} as field -> value; empty when it does not answer within {@code timeoutMs}. */
  Map<String, String> raftInfo(String id, int timeoutMs) {
    Map<String, String> out = new HashMap<>();
    try (Jedis j = jedis(id, timeoutMs)) {
      Object reply = j.sendCommand(() -> "RAFT".getBytes(StandardCharsets.UTF_8), "INFO".getBytes(StandardCharsets.UTF_8));
      for (String line : new String((byte[]) reply, StandardCharsets.UTF_8).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          out.put(line.substring(0, colon), line.substring(colon + 1));
        }
      }
    } catch (RuntimeException e) {
      // not up, or not answering: empty
    }
    return out;
  }

  /** The member among {@code ids} that says it is the ready leader, or null. */
  String readyLeader(Set<String> ids) {
    for (String id : ids) {
      if ("1".equals(raftInfo(id, 1000).get("raft_leader_ready"))) {
        return id;
      }
    }
    return null;
  }

  /** The ready leader among {@code ids}, waiting up to {@code timeoutMs}. */
  String awaitReadyLeader(Set<String> ids, long timeoutMs) throws InterruptedException {
    String[] leader = new String[1];
    RaftCluster.await(timeoutMs, "a ready leader among " + ids, () -> (leader[0] = readyLeader(ids)) != null);
    return leader[0];
  }

  /** A member's applied index and DEBUG DIGEST, read together. */
  record State(long appliedIndex, String digest) {}

  /**
   * Each member's digest at one applied index: RAFT INFO, DEBUG DIGEST and RAFT INFO pipelined on
   * one connection (the engine runs them in order, so equal indexes around the digest pin it to that
   * index), all members sampled at once, retried until they agree on the index.
   */
  Map<String, State> statesAtOneIndex(long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    Map<String, State> last = Map.of();
    while (System.nanoTime() < deadline) {
      Map<String, State> states = new ConcurrentHashMap<>();
      List<Thread> samplers = new ArrayList<>();
      for (String id : members.keySet()) {
        samplers.add(Thread.ofVirtual().start(() -> {
          State s = state(id);
          if (s != null) {
            states.put(id, s);
          }
        }));
      }
      for (Thread t : samplers) {
        t.join(10_000);
      }
      last = new HashMap<>(states);
      if (states.size() == members.size() && states.values().stream().map(State::appliedIndex).distinct().count() == 1) {
        assertThat(states.values().stream().map(State::digest).distinct()).as("digests at one applied index: %s", states)
            .hasSize(1);
        return states;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("members never reported their digests at one applied index: " + last);
  }

  private State state(String id) {
    try (Jedis j = jedis(id, 5000)) {
      Pipeline p = j.pipelined();
      Response<Object> before = p.sendCommand(() -> "RAFT".getBytes(StandardCharsets.UTF_8), "INFO".getBytes(StandardCharsets.UTF_8));
      Response<Object> digest = p.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.UTF_8), "DIGEST".getBytes(StandardCharsets.UTF_8));
      Response<Object> after = p.sendCommand(() -> "RAFT".getBytes(StandardCharsets.UTF_8), "INFO".getBytes(StandardCharsets.UTF_8));
      p.sync();
      long a = appliedIndex(before.get());
      long b = appliedIndex(after.get());
      return a == b ? new State(a, new String((byte[]) digest.get(), StandardCharsets.UTF_8)) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static long appliedIndex(Object raftInfo) {
    for (String line : new String((byte[]) raftInfo, StandardCharsets.UTF_8).split("\r\n")) {
      if (line.startsWith("raft_applied_index:")) {
        return Long.parseLong(line.substring("raft_applied_index:".length()));
      }
    }
    throw new IllegalStateException("no raft_applied_index in RAFT INFO");
  }

  /** Last lines of every member's log, for a failure message (without a cut-off peer's heartbeat timeouts). */
  String logTails(int lines) {
    StringBuilder sb = new StringBuilder();
    for (String id : members.keySet()) {
      Path log = dataRoot.resolve(id + ".log");
      sb.append("---- ").append(id).append(" (").append(log).append(")\n");
      try {
        List<String> all = Files.readAllLines(log).stream().filter(l -> !l.contains("Timed out HEARTBEAT")).toList();
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> sb.append(l).append('\n'));
      } catch (IOException e) {
        sb.append("(no log: ").append(e.getMessage()).append(")\n");
      }
    }
    return sb.toString();
  }

  /** Kills member {@code id} (SIGKILL). */
  void kill(String id) throws InterruptedException {
    Process p = processes.remove(id);
    if (p != null) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Whether member {@code id}'s JVM exited by itself (the test did not kill it): the member stopped. */
  boolean exitedByItself(String id) {
    Process p = processes.get(id);
    return p != null && !p.isAlive();
  }

  /** Whether member {@code id}'s JVM runs (it may be paused). */
  boolean isRunning(String id) {
    Process p = processes.get(id);
    return p != null && p.isAlive();
  }

  /**
   * Freezes member {@code id}'s JVM (SIGSTOP) — a process pause, as a long GC pause or a stalled
   * VM looks to its peers: it holds its sockets but answers nothing. {@code ip netns exec} execs
   * the JVM, so the process started is the JVM itself.
   */
  void pause(String id) throws IOException, InterruptedException {
    signal(id, "STOP");
  }

  /** Lets a paused member run again (SIGCONT). */
  void resume(String id) throws IOException, InterruptedException {
    signal(id, "CONT");
  }

  private void signal(String id, String signal) throws IOException, InterruptedException {
    Process p = processes.get(id);
    if (p != null && p.isAlive()) {
      run(List.of("kill", "-" + signal, Long.toString(p.pid())), true);
    }
  }

  @Override
  public void close() {
    for (String id : new ArrayList<>(processes.keySet())) {
      try {
        kill(id);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (String ns : createdNamespaces) {
      deleteNamespace(ns);
    }
    for (String link : createdLinks) {
      tryRun(List.of("ip", "link", "del", link)); // most went with their namespace
    }
    KaiwareProcess.deleteTree(dataRoot);
  }

  // ---------------------------------------------------------------- host plumbing

  /** A 10.X.0.0/16 no interface of this host uses. */
  private static int freeSubnet() throws IOException, InterruptedException {
    String addresses = run(List.of("ip", "-o", "addr", "show"), false);
    for (int attempt = 0; attempt < 100; attempt++) {
      int x = ThreadLocalRandom.current().nextInt(64, 192);
      if (!addresses.contains(" 10." + x + ".")) {
        return x;
      }
    }
    throw new IllegalStateException("no free 10.X.0.0/16 for the test networks");
  }

  /** Removes namespaces and links of this helper left by a JVM that is gone (killed mid-test). */
  private static void removeLeftovers() throws IOException, InterruptedException {
    for (String line : run(List.of("ip", "netns", "list"), false).split("\n")) {
      String ns = line.trim().split("\\s+")[0];
      if (ns.startsWith(PREFIX + "-") && !ownerAlive(ns.substring(PREFIX.length() + 1))) {
        deleteNamespace(ns);
      }
    }
    for (String line : run(List.of("ip", "-o", "link", "show"), false).split("\n")) {
      int alias = line.indexOf("alias " + PREFIX + "-");
      if (alias < 0) {
        continue;
      }
      String name = line.split(":\\s+", 3)[1].split("@")[0];
      if (!ownerAlive(line.substring(alias + 6 + PREFIX.length() + 1).trim())) {
        tryRun(List.of("ip", "link", "del", name));
      }
    }
  }

  private static boolean ownerAlive(String pidAndRest) {
    try {
      long pid = Long.parseLong(pidAndRest.split("[-\\s\\\\]")[0]);
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Kills every process in {@code ns} (a member that outlived its parent), then deletes it. */
  private static void deleteNamespace(String ns) {
    try {
      for (String pid : run(List.of("ip", "netns", "pids", ns), false).split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    } catch (IOException | RuntimeException e) {
      // deleted below anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tryRun(List.of("ip", "netns", "del", ns));
  }

  private static void ip(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("ip");
    command.addAll(List.of(args));
    run(command, true);
  }

  /** Runs {@code command} (bounded: 10 s); null on success, else what went wrong. */
  private static String tryRun(List<String> command) {
    try {
      run(command, true);
      return null;
    } catch (IOException | RuntimeException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Runs {@code command}, returning its output; with {@code check}, a non-zero exit throws with it. */
  private static String run(List<String> command, boolean check) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + ": no exit within 10 s");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (check && p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text.trim());
    }
    return text;
  }
}

package io.kaiware.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A Raft group of member JVMs ({@code io.kaiware.cli.Main server}) on fixed loopback ports, each
 * with its own data dir and log file; {@link #takeDown} is SIGKILL, so clients see what a crash
 * looks like (the kernel resets the sockets, nothing is said first). Kills every member and deletes
 * the data at close.
 */
final class ProcessCluster implements MemberGroup {

  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private final Path dataRoot;
  private final Map<String, Integer> clientPorts = new LinkedHashMap<>();
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, String> settings;
  private final String peers;

  private ProcessCluster(Path dataRoot, int size, Map<String, String> settings) throws IOException {
    this.dataRoot = dataRoot;
    this.settings = settings;
    StringBuilder p = new StringBuilder();
    for (int i = 1; i <= size; i++) {
      clientPorts.put("n" + i, RaftCluster.freePort());
      p.append(p.isEmpty() ? "" : ",").append("n").append(i).append("=127.0.0.1:").append(RaftCluster.freePort());
    }
    this.peers = p.toString();
  }

  /** Starts {@code size} member processes n1..nN with {@code settings} as {@code --name value} options. */
  static ProcessCluster start(int size, Map<String, String> settings) throws Exception {
    ProcessCluster c = new ProcessCluster(Files.createTempDirectory("kaiware-processes-"), size, settings);
    try {
      for (String id : c.clientPorts.keySet()) {
        c.launch(id);
      }
      c.awaitLeader(120_000); // JVM starts on a busy two-core machine can take most of a minute
      for (String id : c.clientPorts.keySet()) {
        c.awaitLeaderAddressKnown(id, 60_000);
      }
    } catch (Exception | Error e) {
      c.printLogTails();
      c.close();
      throw e;
    }
    return c;
  }

  /** The java command and JVM options of a member process, as bin/kaiware would start it (bin/find-java.sh). */
  static List<String> memberJvm() {
    List<String> command = new ArrayList<>(List.of(JAVA, "--enable-native-access=ALL-UNNAMED", "-Xmx256m"));
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    return command;
  }

  private void launch(String id) throws IOException {
    List<String> command = memberJvm();
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.kaiware.cli.Main", "server", "--node", id, "--peers", peers,
        "--bind", "127.0.0.1", "--port", Integer.toString(clientPorts.get(id)), "--dir", dataRoot.resolve(id).toString(),
        "--loglevel", "warning"));
    settings.forEach((name, value) -> command.addAll(List.of("--" + name, value)));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dataRoot.resolve(id + ".log").toFile())).start();
    processes.put(id, p);
  }

  /** The last lines of every member's log, for a failed start. */
  private void printLogTails() {
    for (String id : clientPorts.keySet()) {
      try {
        List<String> lines = Files.readAllLines(dataRoot.resolve(id + ".log"));
        System.out.println("--- " + id + ".log (last 30 lines)");
        lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.out::println);
      } catch (IOException e) {
        System.out.println("--- " + id + ".log: " + e.getMessage());
      }
    }
  }

  @Override
  public Set<String> ids() {
    return clientPorts.keySet();
  }

  @Override
  public int port(String id) {
    return clientPorts.get(id);
  }

  @Override
  public String awaitLeader(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      for (String id : processes.keySet()) {
        try (Jedis j = new Jedis("127.0.0.1", clientPorts.get(id), 1000)) {
          Object reply = j.sendCommand(() -> "RAFT".getBytes(StandardCharsets.US_ASCII), "INFO".getBytes(StandardCharsets.US_ASCII));
          if (reply instanceof byte[] b && new String(b, StandardCharsets.UTF_8).contains("raft_leader_ready:1")) {
            return id;
          }
        } catch (RuntimeException e) {
          // not up yet, or just killed
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no leader within " + timeoutMs + " ms");
  }

  /** Waits until member {@code id} names the leader's client address (SENTINEL get-master-addr-by-name). */
  private void awaitLeaderAddressKnown(String id, long timeoutMs) throws InterruptedException {
    RaftCluster.await(timeoutMs, id + " knows the leader's client address", () -> {
      try (Jedis j = new Jedis("127.0.0.1", clientPorts.get(id), 1000)) {
        return j.sentinelGetMasterAddrByName("kaiware") != null;
      } catch (RuntimeException e) {
        return false;
      }
    });
  }

  @Override
  public void takeDown(String id) throws InterruptedException {
    Process p = processes.remove(id);
    if (p != null) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
    }
  }

  @Override
  public void restart(String id) throws Exception {
    launch(id);
    awaitLeaderAddressKnown(id, 60_000);
  }

  /** Starts member {@code id} again with its data, without waiting for anything. */
  void launchAgain(String id) throws IOException {
    launch(id);
  }

  /** Waits up to {@code timeoutMs} for member {@code id}'s process to exit: its exit status, or null if it still runs. */
  Integer awaitExit(String id, long timeoutMs) throws InterruptedException {
    Process p = processes.get(id);
    if (p == null || !p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      return null;
    }
    processes.remove(id);
    return p.exitValue();
  }

  /** The text of member {@code id}'s log. */
  String log(String id) throws IOException {
    return Files.readString(dataRoot.resolve(id + ".log"));
  }

  /** Freezes member {@code id}'s JVM (SIGSTOP): it keeps its sockets but answers nothing. */
  void pause(String id) throws Exception {
    signal(id, "STOP");
  }

  /** Lets a paused member run again (SIGCONT). */
  void resume(String id) throws Exception {
    signal(id, "CONT");
  }

  private void signal(String id, String signal) throws Exception {
    Process p = processes.get(id);
    if (p != null && p.isAlive()) {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed");
      }
    }
  }

  @Override
  public String howDown() {
    return "SIGKILLed";
  }

  @Override
  public void close() {
    for (Process p : processes.values()) {
      p.destroyForcibly();
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
    KaiwareProcess.deleteTree(dataRoot);
  }
}

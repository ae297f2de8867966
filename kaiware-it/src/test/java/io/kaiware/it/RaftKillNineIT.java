package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;

/**
 * Three members as separate JVMs; the leader is killed with SIGKILL in the middle of writes
 * (twice), then restarted from its data dir. Every acknowledged write must be on every member, and
 * the members' datasets must be equal. Slow (process starts, elections): {@code -Pslow} only.
 */
@Tag("slow")
class RaftKillNineIT {


  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, Integer> clientPorts = new LinkedHashMap<>();
  private String peers;
  private Path dataRoot;

  private void start(String id) throws IOException {
    Path log = dataRoot.resolve(id + ".log");
    List<String> command = ProcessCluster.memberJvm();
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.kaiware.cli.Main", "server", "--node", id, "--peers", peers,
        "--bind", "127.0.0.1", "--port", Integer.toString(clientPorts.get(id)), "--dir", dataRoot.resolve(id).toString(),
        "--loglevel", "warning"));
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    processes.put(id, p);
  }

  private String leader(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      for (String id : processes.keySet()) {
        try (Jedis j = new Jedis("127.0.0.1", clientPorts.get(id), 1000)) {
          Object reply = j.sendCommand(() -> "RAFT".getBytes(), "INFO".getBytes());
          String info = reply instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : "";
          if (info.contains("raft_leader_ready:1")) {
            return id;
          }
        } catch (RuntimeException e) {
          // not up yet
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no leader within " + timeoutMs + " ms");
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void killNineTheLeaderDuringWritesThenRestartIt() throws Exception {
    dataRoot = Files.createTempDirectory("kaiware-kill9-");
    StringBuilder p = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      clientPorts.put("n" + i, RaftCluster.freePort());
      p.append(p.isEmpty() ? "" : ",").append("n").append(i).append("=127.0.0.1:").append(RaftCluster.freePort());
    }
    peers = p.toString();
    try {
      for (String id : clientPorts.keySet()) {
        start(id);
      }
      Set<HostAndPort> seeds = new HashSet<>();
      clientPorts.values().forEach(port -> seeds.add(new HostAndPort("127.0.0.1", port)));
      String leader = leader(60_000);
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> writers = new ArrayList<>();
      try (JedisCluster jc = new JedisCluster(seeds, DefaultJedisClientConfig.builder().socketTimeoutMillis(2000).build(),
          10, java.time.Duration.ofSeconds(10))) {
        for (int w = 0; w < 4; w++) {
          int writer = w;
          writers.add(Thread.ofPlatform().start(() -> {
            for (int i = 0; !stop.get(); i++) {
              String key = "k" + writer + ":" + i;
              try {
                if ("OK".equals(jc.set(key, key))) {
                  acknowledged.add(key);
                }
              } catch (RuntimeException e) {
                // unacknowledged: may or may not be there
              }
            }
          }));
        }
        for (int round = 0; round < 2; round++) {
          int before = acknowledged.size();
          RaftCluster.await(30_000, "writes acknowledged", () -> acknowledged.size() > before + 300);
          processes.get(leader).destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
          String killed = leader;
          leader = leader(60_000);
          assertThat(leader).isNotEqualTo(killed);
          int afterKill = acknowledged.size();
          RaftCluster.await(60_000, "writes acknowledged by the new leader", () -> acknowledged.size() > afterKill + 300);
          start(killed);
        }
        stop.set(true);
        for (Thread t : writers) {
          t.join(30_000);
        }
      }
      // Every member, including the restarted ones, converges to the same dataset with every
      // acknowledged write.
      RaftCluster.await(60_000, "equal digests on all members", () -> {
        Set<String> digests = new HashSet<>();
        for (int port : clientPorts.values()) {
          try (Jedis j = new Jedis("127.0.0.1", port, 2000)) {
            digests.add(new String((byte[]) j.sendCommand(() -> "DEBUG".getBytes(), "DIGEST".getBytes()),
                java.nio.charset.StandardCharsets.UTF_8));
          } catch (RuntimeException e) {
            return false;
          }
        }
        return digests.size() == 1;
      });
      for (Map.Entry<String, Integer> e : clientPorts.entrySet()) {
        try (Jedis j = new Jedis("127.0.0.1", e.getValue(), 5000)) {
          j.readonly();
          List<String> missing = new ArrayList<>();
          for (String key : acknowledged) {
            if (j.get(key) == null) {
              missing.add(key);
            }
          }
          assertThat(missing).as("acknowledged writes missing on %s", e.getKey()).isEmpty();
        }
      }
    } finally {
      for (Process proc : processes.values()) {
        proc.destroyForcibly();
        proc.waitFor(10, TimeUnit.SECONDS);
      }
      KaiwareProcess.deleteTree(dataRoot);
    }
  }
}

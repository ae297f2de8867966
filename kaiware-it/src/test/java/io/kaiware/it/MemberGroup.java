package io.kaiware.it;

import java.util.Map;
import java.util.Set;

/**
 * A Raft group under test as the client-following tests see it: members by id, their client ports,
 * the leader, and a way to take a member down and bring it back on the same client port. Two
 * shapes: {@link #inProcess} (a {@link RaftCluster}; "down" is a stop) and {@link ProcessCluster}
 * (member JVMs; "down" is SIGKILL).
 */
interface MemberGroup extends AutoCloseable {

  /** Every member id, running or not. */
  Set<String> ids();

  /** The client port of {@code id} (the same after a restart). */
  int port(String id);

  /** The id of the ready leader, waiting up to {@code timeoutMs} for one. */
  String awaitLeader(long timeoutMs) throws Exception;

  /** Takes {@code id} down: stops it (in-process) or SIGKILLs it (processes). */
  void takeDown(String id) throws Exception;

  /** Starts {@code id} again from its data dir on its client port and waits until it knows the leader's address. */
  void restart(String id) throws Exception;

  /** How {@link #takeDown} takes a member down, for the printed figures. */
  String howDown();

  @Override
  void close();

  /** A {@link RaftCluster} of {@code size} members with {@code settings}, its directory complete. */
  static MemberGroup inProcess(int size, Map<String, String> settings) throws Exception {
    RaftCluster cluster = RaftCluster.start(size, settings);
    try {
      cluster.awaitLeader(30_000);
      cluster.awaitDirectory(30_000);
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
    Map<String, Integer> ports = new java.util.LinkedHashMap<>();
    for (String id : cluster.servers.keySet()) {
      ports.put(id, cluster.port(id));
    }
    return new MemberGroup() {
      @Override
      public Set<String> ids() {
        return ports.keySet();
      }

      @Override
      public int port(String id) {
        return ports.get(id);
      }

      @Override
      public String awaitLeader(long timeoutMs) throws InterruptedException {
        return cluster.awaitLeader(timeoutMs);
      }

      @Override
      public void takeDown(String id) {
        cluster.stop(id);
      }

      @Override
      public void restart(String id) throws Exception {
        cluster.startMember(id);
        cluster.awaitDirectory(30_000);
      }

      @Override
      public String howDown() {
        return "stopped";
      }

      @Override
      public void close() {
        cluster.close();
      }
    };
  }
}

package io.kaiware.command;

import io.kaiware.command.config.ServerConfig;
import java.util.Collection;

/**
 * What server-level commands (INFO, CLIENT, CONFIG, SHUTDOWN ...) need from the process hosting the
 * engine. Implemented by kaiware-server; tests supply a small fake.
 */
public interface ServerHooks {

  BuildInfo build();

  ServerConfig config();

  /** Live client sessions, in connection order. */
  Collection<ClientSession> clients();

  /** Closes a client's connection (CLIENT KILL); safe to call from the engine thread. */
  void kill(ClientSession session);

  /** Begins an orderly shutdown after the current reply is written (SHUTDOWN). */
  void shutdown();

  /** Process-wide counters for INFO stats and clients. */
  ServerStats stats();

  /** The port actually bound (differs from the config's when it asked for 0). */
  int boundPort();

  /** Path of the config file the server was started with, or {@code null}. */
  String configFile();

  long startTimeMs();

  /** The network transport in use: "epoll" or "nio". */
  String transport();

  /** A random 40-hex-digit id for this run, like Redis's run_id. */
  String runId();

  /** Whether client {@code clientId} waits in a blocking command (CLIENT LIST flag b). */
  default boolean isBlocked(long clientId) {
    return false;
  }

  /**
   * Serves the other clients once, from inside a script that has run past busy-reply-threshold
   * (Redis's processEventsWhileBlocked): their requests are read and answered now — BUSY, or the
   * few commands flagged ALLOW_BUSY such as SCRIPT KILL — without leaving the script. Does nothing
   * where the engine thread cannot poll the network itself (io-threads > 1, a script run in line
   * from a read, tests).
   */
  default void serveClientsWhileBusy() {}

  /**
   * Whether the engine thread is inside its I/O pass now, where {@link #serveClientsWhileBusy}
   * cannot poll but a task of the engine loop could: a probe that runs long stops and runs again
   * from a task. False where no task could poll either (io-threads > 1, tests).
   */
  default boolean insideIoPass() {
    return false;
  }

  /**
   * The applied state no longer follows the log (SHUTDOWN NOSAVE ended a script a log entry was
   * running): the process is exiting, and must not save a snapshot of it on the way out. A
   * restarted member applies the log again from its last snapshot.
   */
  default void discardStateOnExit() {}

  /** Runs {@code task} on the engine thread, after what it is doing now (tests: at once). */
  default void onEngineThread(Runnable task) {
    task.run();
  }

  /**
   * Where SYNC/PSYNC send {@code session}'s replication stream: its connection, written in order
   * from the engine thread; null when the session has no connection (tests, the log applier).
   */
  default io.kaiware.command.Propagation.Sink replicaSink(ClientSession session) {
    return null;
  }

  /**
   * PUBLISH: sends {@code message} on {@code channel} to this server's subscribers (pushed on their
   * connections); returns how many received it. Engine thread. Not replicated.
   */
  default int publish(String channel, byte[] message) {
    return 0;
  }

  /**
   * SPUBLISH: sends {@code message} to this server's subscribers of shard channel {@code channel}
   * ({@code smessage} pushes); returns how many received it. Engine thread. Not replicated.
   */
  default int publishShard(String channel, byte[] message) {
    return 0;
  }

  /**
   * DEBUG RELOAD and DEBUG LOADAOF: passes the whole dataset — keys alive at {@code cutTimeMs} —
   * through the persistence format (the Raft snapshot codec) and loads it back in place of the
   * keyspace, as Redis saves and reloads its RDB or AOF. Engine thread.
   *
   * @throws UnsupportedOperationException where there is no codec (unit-test hooks)
   */
  default void reloadDataset(io.kaiware.engine.Keyspace keyspace, long cutTimeMs) throws java.io.IOException {
    throw new UnsupportedOperationException("no persistence codec here");
  }

  /** The Raft group this server belongs to, or {@code null} when it is not replicated. */
  /** Clients parked on a blocking pop (INFO's blocked_clients). Engine thread. */
  default int blockedClientCount() {
    return 0;
  }

  /**
   * CLIENT UNBLOCK: answers client {@code clientId}, if it is parked on a blocking pop, with its
   * timeout reply or ({@code error}) the UNBLOCKED error; whether it was parked. Engine thread.
   */
  default boolean unblock(long clientId, boolean error) {
    return false;
  }

  default io.kaiware.command.replication.ReplicationView replication() {
    return null;
  }

  /**
   * Replicas that answered within {@code maxLagMs}, for min-replicas-to-write: the Raft followers
   * the leader heard from, and the SYNC replicas whose REPLCONF ACK came. Engine thread.
   */
  default int goodReplicaCount(long maxLagMs) {
    return 0;
  }

  /**
   * REPLICAOF host port: this server has started following that Redis master ({@code role} says
   * which), and the host connects to it, loads its copy and applies its stream. Engine thread.
   *
   * @return null when the link was started, else the error to answer (the role is left unchanged)
   */
  default String followMaster(io.kaiware.command.replication.ReplicaRole role) {
    return "ERR this server cannot connect to a master";
  }

  /** REPLICAOF NO ONE: the link to the master followed until now is closed. Engine thread. */
  default void unfollowMaster() {}

  /** Server counters kept by the I/O side. */
  interface ServerStats {
    long totalConnectionsReceived();

    long rejectedConnections();

    long netInputBytes();

    long netOutputBytes();

    int connectedClients();

    void reset();
  }
}

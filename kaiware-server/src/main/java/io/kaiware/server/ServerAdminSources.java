package io.kaiware.server;

import io.kaiware.command.BuildInfo;
import io.kaiware.command.Dispatcher;
import io.kaiware.command.ServerHooks;
import io.kaiware.server.admin.AdminSources;

/**
 * The admin HTTP port's view of this server: counters read racily from the engine's fields (a
 * scrape wants a recent value, not an exact one; the engine never waits for the admin thread).
 */
final class ServerAdminSources implements AdminSources {

  private final ServerState state;

  ServerAdminSources(ServerState state) {
    this.state = state;
  }

  @Override
  public BuildInfo build() {
    return state.build();
  }

  @Override
  public ServerHooks.ServerStats stats() {
    return state.stats();
  }

  @Override
  public long keyCount() {
    return state.engine().keyspace().keyCount();
  }

  @Override
  public long expiredKeys() {
    return state.engine().keyspace().expiredKeys();
  }

  @Override
  public Iterable<Dispatcher.CommandStats> commandStats() {
    return state.engine().dispatcher().commandStats();
  }

  @Override
  public java.util.Map<String, java.util.concurrent.atomic.AtomicLong> errorReplies() {
    return state.engine().dispatcher().errorReplies();
  }

  /** Ready without Raft (non-durable-cache) once serving; with Raft see {@link Readiness}. */
  @Override
  public boolean ready() {
    return notReadyReason() == null;
  }

  @Override
  public String notReadyReason() {
    Replication replication = state.replicationOrNull();
    return replication == null ? null : replication.readinessProblem();
  }

  @Override
  public io.kaiware.command.replication.RaftStatus raftStatus() {
    Replication replication = state.replicationOrNull();
    return replication == null ? null : replication.raftStatus();
  }
}

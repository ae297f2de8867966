package io.kaiware.server.admin;

import io.kaiware.command.BuildInfo;
import io.kaiware.command.Dispatcher;
import io.kaiware.command.ServerHooks;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;

/** A settable {@link AdminSources} for tests. */
final class FakeSources implements AdminSources {

  volatile boolean ready = true;
  volatile long keys = 42;
  volatile long expired = 7;
  final List<Dispatcher.CommandStats> commands = new ArrayList<>();
  final Stats stats = new Stats();

  static final class Stats implements ServerHooks.ServerStats {
    long received = 1000;
    long rejected = 3;
    long in = 123_456;
    long out = 654_321;
    int connected = 12;

    @Override public long totalConnectionsReceived() { return received; }
    @Override public long rejectedConnections() { return rejected; }
    @Override public long netInputBytes() { return in; }
    @Override public long netOutputBytes() { return out; }
    @Override public int connectedClients() { return connected; }
    @Override public void reset() {}
  }

  /** Adds a command's counters (Dispatcher.CommandStats has a package-private constructor). */
  Dispatcher.CommandStats command(String name, long calls, long usec, long rejected, long failed) {
    try {
      Constructor<Dispatcher.CommandStats> c = Dispatcher.CommandStats.class.getDeclaredConstructor(String.class);
      c.setAccessible(true);
      Dispatcher.CommandStats s = c.newInstance(name);
      s.calls = calls;
      s.usec = usec;
      s.rejectedCalls = rejected;
      s.failedCalls = failed;
      commands.add(s);
      return s;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public BuildInfo build() {
    return new BuildInfo("1.2.3", "0123456789abcdef", false, "2026-11-25T00:00:00Z", "Eclipse Adoptium 25", "G1");
  }

  @Override
  public ServerHooks.ServerStats stats() {
    return stats;
  }

  @Override
  public long keyCount() {
    return keys;
  }

  @Override
  public long expiredKeys() {
    return expired;
  }

  @Override
  public Iterable<Dispatcher.CommandStats> commandStats() {
    return commands;
  }

  final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> errors = new java.util.TreeMap<>();

  @Override
  public java.util.Map<String, java.util.concurrent.atomic.AtomicLong> errorReplies() {
    return errors;
  }

  @Override
  public boolean ready() {
    return ready;
  }

  volatile io.kaiware.command.replication.RaftStatus raft;

  @Override
  public io.kaiware.command.replication.RaftStatus raftStatus() {
    return raft;
  }
}

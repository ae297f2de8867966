package io.kaiware.server.admin;

import io.kaiware.command.BuildInfo;
import io.kaiware.command.Dispatcher;
import io.kaiware.command.ServerHooks;

/**
 * What the admin HTTP server reads from the running Kaiware process. The server implements it from
 * its internals; tests supply a fake.
 *
 * <p>Every method is called on an admin HTTP thread, never on the engine thread, once per request
 * (for {@code /metrics}: once per scrape). Implementations must be cheap and must not block on the
 * engine: reading plain fields racily is fine, since a scrape only needs a recent value, not an
 * exact one.
 */
public interface AdminSources {

  /** Which build is running; exported as {@code kaiware_build_info{version,commit,jdk,gc} 1}. */
  BuildInfo build();

  /** Connection and network counters kept by the I/O side. */
  ServerHooks.ServerStats stats();

  /** Number of keys in the keyspace (all databases); a recent value is enough. */
  long keyCount();

  /** Keys removed by expiry since start (lazy and active), a monotonic counter. */
  long expiredKeys();

  /**
   * Per-command counters, one entry per command (and subcommand). Read racily; commands never
   * called are left out of the metrics. The iterable must be safe to walk while the engine updates
   * the counters (a collection that is only built at startup is).
   */
  Iterable<Dispatcher.CommandStats> commandStats();

  /** Error replies by kind (ERR, WRONGTYPE, NOAUTH ...), as INFO errorstats counts them. */
  java.util.Map<String, java.util.concurrent.atomic.AtomicLong> errorReplies();

  /** Whether the server should receive traffic: {@code /ready} answers 200 when true, else 503. */
  boolean ready();

  /**
   * Why the server is not ready ({@code /ready}'s 503 body), or {@code null} when it is. The default
   * follows {@link #ready()}.
   */
  default String notReadyReason() {
    return ready() ? null : "not ready";
  }

  /** This server's Raft member for the {@code kaiware_raft_*} metrics, or {@code null} without Raft. */
  default io.kaiware.command.replication.RaftStatus raftStatus() {
    return null;
  }
}

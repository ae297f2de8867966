package io.kaiware.server;

import io.kaiware.command.replication.RaftStatus;
import java.util.Locale;

/**
 * When a Raft member should receive traffic ({@code /ready}): it knows a leader — itself, ready
 * (an entry of its own term has committed), or another member that is replicating to it — and it
 * has applied the log up to within {@code ready-max-lag-entries} of the commit index it knows. A
 * member that lost its majority has no leader (a deposed leader steps down when it stops hearing
 * from a majority; an isolated follower becomes a candidate) and is not ready.
 */
final class Readiness {
  private Readiness() {}

  /** Null when ready, else why not (one line, for the /ready body and the log). */
  static String problem(RaftStatus s, long maxLagEntries) {
    if (s == null) {
      return null; // no Raft (non-durable-cache): a standalone server is ready once it serves
    }
    String role = s.role().toLowerCase(Locale.ROOT);
    String leader = s.leaderId();
    boolean self = leader != null && leader.equals(s.nodeId());
    if (leader == null || (self && !role.equals("leader"))) {
      // A leader that stepped down may still name itself until the next election.
      return "no Raft leader known (role " + role + ", term " + s.term() + "): election in progress or no majority";
    }
    if (self && !s.readyLeader()) {
      return "elected leader of term " + s.term() + " but not ready yet (no entry of its term committed)";
    }
    long lag = s.commitIndex() - s.appliedIndex();
    if (lag > maxLagEntries) {
      return "catching up: applied index " + s.appliedIndex() + " is " + lag + " entries behind commit index "
          + s.commitIndex() + " (ready-max-lag-entries " + maxLagEntries + ")";
    }
    return null;
  }
}

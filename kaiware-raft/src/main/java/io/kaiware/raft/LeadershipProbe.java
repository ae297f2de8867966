package io.kaiware.raft;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves to a leader that it still leads, after a read arrived, without appending a log entry: the
 * heartbeat round of Raft's ReadIndex, done with a question instead of an AppendEntries.
 *
 * <p><b>Why.</b> A linearizable read must see every write acknowledged before it arrived. The leader's
 * commit index covers those writes unless a newer leader was elected meanwhile and acknowledged
 * writes of its own — which a leader frozen by the VM or SIGSTOP cannot tell by looking at itself.
 * Raft's answer (ReadIndex, Ongaro's thesis §6.4) is a round of heartbeats sent after the read
 * arrived and acknowledged by a majority. Ratis 3.3 skips that round when its commit index has not
 * moved since an earlier one ({@link RaftNode#read} explains the stale read this caused); the cure
 * used until now was a tick entry, whose commit proves the same thing but costs a log flush on a
 * majority (~7 ms on this VM) for every read-only stretch.
 *
 * <p><b>The proof.</b> Each voting follower is asked its current term: a Ratis stale read of
 * {@link KaiwareStateMachine#TERM_QUERY}, which touches no state. A member that answers a term
 * {@code <= T} (this leader's term) at instant {@code t} has granted no vote in a later term before
 * {@code t}: granting one raises its term first. If, after the read arrived, enough followers answer
 * so that with this leader they form a majority of the voters — and this leader is still leader of
 * term {@code T} when the answers are in, so it voted for nobody either — then no leader of a later
 * term had been elected when the read arrived: every election needs a majority's votes, and every
 * majority shares a member with this one. Every write acknowledged before the read arrived is
 * therefore at or below this leader's commit index at that moment, and the read runs once that index
 * is applied. (Pre-votes change no term and elect nobody.)
 *
 * <p><b>Rounds.</b> One round is in flight at a time; a read joins the next round that starts after
 * it arrived, so a burst of reads shares one round trip. Each follower is asked from its own thread
 * with a blocking call and a one-second timeout: a dead or frozen follower holds up only its own
 * answer, and while a question to it is outstanding it sits out later rounds. A round that can no
 * longer reach a majority fails at once, and {@link RaftNode#read} falls back to the tick entry.
 * A configuration in transition (joint consensus, or this node not a voter) is not probed at all.
 */
final class LeadershipProbe implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeadershipProbe.class);

  /** How long one follower may take to answer before its answer counts as missing. */
  static final long ANSWER_TIMEOUT_MS = 1_000;

  /** Who votes now, as this leader sees its configuration; {@code null} when it cannot be probed. */
  record Voters(List<RaftPeer> followers, int majority) {}

  /** Why a round proved nothing: {@link RaftNode#read} then proves leadership with a tick entry. */
  static final class Unproven extends RuntimeException {
    Unproven(String message) {
      super(message, null, false, false);
    }
  }

  /** Asks one follower its current term, blocking: -1 when it did not answer. */
  interface Asker extends AutoCloseable {
    long term();

    @Override
    void close();
  }

  private final Function<RaftPeer, Asker> askers;
  private final Supplier<Voters> voters;
  private final Object lock = new Object();
  private final Map<String, Follower> followers = new HashMap<>();
  private Round inFlight;
  private Round next;
  private boolean closed;
  private long rounds;

  /** A probe asking over Ratis (a stale read of {@link KaiwareStateMachine#TERM_QUERY}). */
  LeadershipProbe(RaftGroupId groupId, Supplier<Voters> voters) {
    this(voters, peer -> new RatisAsker(groupId, peer));
  }

  LeadershipProbe(Supplier<Voters> voters, Function<RaftPeer, Asker> askers) {
    this.voters = voters;
    this.askers = askers;
  }

  /**
   * Completes when a round that started after this call proved that no leader of a term after
   * {@code term} had been elected when it was called; fails with {@link Unproven} otherwise.
   */
  CompletableFuture<Void> confirm(long term) {
    List<Runnable> completions = new ArrayList<>();
    CompletableFuture<Void> proof;
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new Unproven("closed"));
      }
      if (inFlight == null) {
        inFlight = new Round(term);
        proof = inFlight.proof;
        start(inFlight, completions);
      } else {
        if (next == null) {
          next = new Round(term);
        } else if (next.term != term) {
          return CompletableFuture.failedFuture(new Unproven("the term changed"));
        }
        proof = next.proof;
      }
    }
    completions.forEach(Runnable::run);
    return proof;
  }

  /** Rounds started so far (INFO raft). */
  long rounds() {
    synchronized (lock) {
      return rounds;
    }
  }

  /** Under the lock: asks every voting follower, or settles the round at once when it cannot succeed. */
  private void start(Round round, List<Runnable> completions) {
    rounds++;
    Voters now = voters.get();
    if (now == null) {
      round.settle(new Unproven("configuration in transition"), completions);
      return;
    }
    List<String> voting = now.followers().stream().map(p -> p.getId().toString()).toList();
    followers.values().removeIf(f -> {
      boolean gone = !voting.contains(f.peer.getId().toString());
      if (gone) {
        f.close(); // a member removed from the group
      }
      return gone;
    });
    round.needed = now.majority() - 1; // this leader's own vote
    for (RaftPeer peer : now.followers()) {
      Follower f = followers.compute(peer.getId().toString(),
          (id, old) -> old != null && old.peer.getAddress().equals(peer.getAddress()) ? old : replace(old, peer));
      if (f.asking) {
        continue; // still waiting on an earlier question: sits this round out
      }
      f.asking = true;
      round.outstanding++;
      f.thread.execute(() -> ask(f, round));
    }
    round.check(completions);
  }

  private Follower replace(Follower old, RaftPeer peer) {
    if (old != null) {
      old.close();
    }
    return new Follower(peer);
  }

  /** A follower's thread: one blocking question, then the answer is counted. */
  private void ask(Follower f, Round round) {
    long term = f.term();
    List<Runnable> completions = new ArrayList<>();
    synchronized (lock) {
      f.asking = false;
      round.outstanding--;
      if (term >= 0 && term <= round.term) {
        round.confirmed++;
      }
      round.check(completions);
    }
    completions.forEach(Runnable::run);
  }

  /** Under the lock, once {@code round} is settled: the next round (if any reads wait for one) starts. */
  private void settled(Round round, List<Runnable> completions) {
    if (inFlight != round) {
      return;
    }
    inFlight = next;
    next = null;
    if (inFlight != null && !closed) {
      start(inFlight, completions);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      for (Round r : new Round[] {inFlight, next}) {
        if (r != null) {
          r.proof.completeExceptionally(new Unproven("closed"));
        }
      }
      inFlight = null;
      next = null;
      followers.values().forEach(Follower::close);
      followers.clear();
    }
  }

  /** One round of questions; every field is guarded by the probe's lock. */
  private final class Round {
    final long term;
    int needed;
    int outstanding;
    int confirmed;
    boolean done;
    final CompletableFuture<Void> proof = new CompletableFuture<>();

    Round(long term) {
      this.term = term;
    }

    void check(List<Runnable> completions) {
      if (done) {
        return;
      }
      if (confirmed >= needed) {
        done = true;
        completions.add(() -> proof.complete(null));
        settled(this, completions);
      } else if (confirmed + outstanding < needed) {
        settle(new Unproven("no majority answered with term <= " + term), completions);
      }
    }

    void settle(Unproven failure, List<Runnable> completions) {
      done = true;
      completions.add(() -> proof.completeExceptionally(failure));
      settled(this, completions);
    }
  }

  /** A voting follower: its own asker and thread, so that a dead one holds up only itself. */
  private final class Follower {
    final RaftPeer peer;
    final Asker asker;
    final ExecutorService thread;
    boolean asking;

    Follower(RaftPeer peer) {
      this.peer = peer;
      this.asker = askers.apply(peer);
      this.thread = Executors.newSingleThreadExecutor(
          Thread.ofPlatform().daemon().name("kaiware-raft-probe-" + peer.getId()).factory());
    }

    long term() {
      return asker.term();
    }

    void close() {
      thread.shutdownNow();
      asker.close();
    }
  }

  /** Asks with a Ratis stale read, one second at most, no retry. */
  static final class RatisAsker implements Asker {
    private final RaftPeer peer;
    private final RaftClient client;

    RatisAsker(RaftGroupId groupId, RaftPeer peer) {
      this.peer = peer;
      RaftProperties p = new RaftProperties();
      RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS));
      this.client = RaftClient.newBuilder()
          .setProperties(p)
          .setRaftGroup(RaftGroup.valueOf(groupId, peer))
          .setRetryPolicy(RetryPolicies.noRetry())
          .build();
    }

    @Override
    public long term() {
      try {
        RaftClientReply reply = client.io().sendStaleRead(
            Message.valueOf(UnsafeByteOperations.unsafeWrap(new byte[] {KaiwareStateMachine.TERM_QUERY})), 0, peer.getId());
        if (reply.isSuccess()) {
          ByteBuffer b = reply.getMessage().getContent().asReadOnlyByteBuffer();
          return b.remaining() == Long.BYTES ? b.getLong() : -1;
        }
      } catch (IOException | RuntimeException e) {
        log.debug("{} did not answer a leadership probe: {}", peer.getId(), e.toString());
      }
      return -1;
    }

    @Override
    public void close() {
      try {
        client.close();
      } catch (IOException | RuntimeException e) {
        log.debug("closing probe client of {}", peer.getId(), e);
      }
    }
  }
}

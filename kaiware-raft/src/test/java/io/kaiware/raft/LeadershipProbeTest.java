package io.kaiware.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rounds of {@link LeadershipProbe}, with followers whose answers the test gives one by one. */
@Timeout(30)
class LeadershipProbeTest {

  /** A follower that reports each question and answers what the test puts in {@link #answers}. */
  static final class ScriptedFollower implements LeadershipProbe.Asker {
    final BlockingQueue<Long> answers = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> questions = new LinkedBlockingQueue<>();
    final AtomicInteger asked = new AtomicInteger();

    @Override
    public long term() {
      questions.add(asked.incrementAndGet());
      try {
        return answers.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }

    /** Waits (bounded) for this follower's {@code n}th question. */
    void awaitQuestion(int n) throws InterruptedException {
      Integer q;
      do {
        q = questions.poll(10, TimeUnit.SECONDS);
        assertThat(q).as("question %d", n).isNotNull();
      } while (q < n);
    }

    @Override
    public void close() {}
  }

  private final Map<String, ScriptedFollower> followers = new LinkedHashMap<>();

  private LeadershipProbe probe(int voters) {
    List<RaftPeer> peers = new ArrayList<>();
    for (int i = 2; i <= voters; i++) {
      String id = "n" + i;
      followers.put(id, new ScriptedFollower());
      peers.add(RaftPeer.newBuilder().setId(id).setAddress("127.0.0.1:" + (7000 + i)).build());
    }
    LeadershipProbe.Voters v = new LeadershipProbe.Voters(List.copyOf(peers), voters / 2 + 1);
    return new LeadershipProbe(() -> v, peer -> followers.get(peer.getId().toString()));
  }

  @Test
  void aReadWaitsForARoundThatStartedAfterItArrived() throws Exception {
    try (LeadershipProbe probe = probe(3)) {
      ScriptedFollower n2 = followers.get("n2");
      ScriptedFollower n3 = followers.get("n3");
      CompletableFuture<Void> first = probe.confirm(5);
      n2.awaitQuestion(1);
      n3.awaitQuestion(1);

      CompletableFuture<Void> second = probe.confirm(5); // arrives while round 1 is out
      n2.answers.add(5L);
      first.get(10, TimeUnit.SECONDS);
      assertThat(second).as("round 1 was sent before the second read arrived").isNotDone();

      n2.awaitQuestion(2); // round 2; n3 still owes round 1 its answer and sits round 2 out
      assertThat(n3.asked.get()).isEqualTo(1);
      n3.answers.add(5L); // a late answer to round 1 proves nothing for round 2
      Thread.sleep(50);
      assertThat(second).isNotDone();
      n2.answers.add(5L);
      second.get(10, TimeUnit.SECONDS);
      assertThat(probe.rounds()).isEqualTo(2);
    }
  }

  @Test
  void followersOfALaterTermOrSilentOnesProveNothing() throws Exception {
    try (LeadershipProbe probe = probe(3)) {
      CompletableFuture<Void> read = probe.confirm(5);
      followers.get("n2").answers.add(6L); // voted in term 6: a newer leader may exist
      followers.get("n3").answers.add(-1L); // no answer
      assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(LeadershipProbe.Unproven.class);

      CompletableFuture<Void> next = probe.confirm(5);
      followers.get("n2").answers.add(4L); // an older term is fine: it has voted in no later one
      next.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void fiveVotersNeedTwoFollowers() throws Exception {
    try (LeadershipProbe probe = probe(5)) {
      CompletableFuture<Void> read = probe.confirm(9);
      followers.get("n2").answers.add(9L);
      followers.get("n3").answers.add(-1L);
      followers.get("n3").awaitQuestion(1);
      Thread.sleep(50);
      assertThat(read).as("the leader and one follower are two of five").isNotDone();
      followers.get("n4").answers.add(9L);
      read.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFollowerThatIsNotThereAnswersNothingWithinTheTimeout() throws Exception {
    RaftPeer nobody = RaftPeer.newBuilder().setId("n9").setAddress("127.0.0.1:" + TestGroup.freePort()).build();
    try (LeadershipProbe.RatisAsker asker = new LeadershipProbe.RatisAsker(RaftNode.groupId("probe-test"), nobody)) {
      for (int i = 0; i < 2; i++) {
        long startNanos = System.nanoTime();
        assertThat(asker.term()).isEqualTo(-1);
        assertThat((System.nanoTime() - startNanos) / 1_000_000).as("ms to give up").isLessThan(3 * LeadershipProbe.ANSWER_TIMEOUT_MS);
      }
    }
  }

  @Test
  void noVotersNoProof() {
    try (LeadershipProbe probe = new LeadershipProbe(() -> null, peer -> {
      throw new AssertionError("nobody to ask");
    })) {
      assertThatThrownBy(() -> probe.confirm(1).get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(LeadershipProbe.Unproven.class);
    }
  }
}

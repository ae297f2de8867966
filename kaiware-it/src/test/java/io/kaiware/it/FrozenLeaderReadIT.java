package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * A leader frozen for seconds (SIGSTOP: a stalled VM) wakes up still believing it leads. A read it
 * received while frozen, after another leader had acknowledged a newer write, must not be answered
 * from its old state. Ratis 3.3's ReadIndex answered it without a heartbeat round when no entry had
 * committed since its previous round (LinearizabilityIT found the stale read); {@code RaftNode.read}
 * now proves leadership with an entry of its term in that case. Slow (member JVMs): {@code -Pslow} only.
 */
@Tag("slow")
class FrozenLeaderReadIT {

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void aReadQueuedAtAFrozenLeaderDoesNotReturnAValueOverwrittenElsewhere() throws Exception {
    try (ProcessCluster cluster = ProcessCluster.start(3, Map.of())) {
      String leader = cluster.awaitLeader(60_000);
      try (Jedis reads = new Jedis("127.0.0.1", cluster.port(leader), 60_000);
          Jedis late = new Jedis("127.0.0.1", cluster.port(leader), 60_000)) {
        assertThat(reads.set("k", "old")).isEqualTo("OK");
        assertThat(late.ping()).isEqualTo("PONG");
        // Reads back to back up to the freeze: each completes a ReadIndex round, so the last round
        // before the freeze has most likely confirmed the commit index the leader still has then.
        AtomicBoolean reading = new AtomicBoolean(true);
        CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> {
          try {
            while (reading.get()) {
              reads.get("k");
            }
          } catch (RuntimeException e) {
            // the leader steps down and closes its connections: expected once it wakes up
          }
        });
        Thread.sleep(300);
        cluster.pause(leader);
        reading.set(false);
        String newLeader;
        String written;
        try {
          newLeader = awaitOtherLeader(cluster, leader);
          try (Jedis j = new Jedis("127.0.0.1", cluster.port(newLeader), 30_000)) {
            written = j.set("k", "new");
          }
          assertThat(written).isEqualTo("OK");
          // Sent after "new" was acknowledged; it waits in the frozen leader's socket.
          CompletableFuture<String> lateRead = CompletableFuture.supplyAsync(() -> {
            try {
              return "value " + late.get("k");
            } catch (RuntimeException e) {
              return "error " + e.getMessage();
            }
          });
          Thread.sleep(500);
          cluster.resume(leader);
          String outcome = lateRead.get(60, TimeUnit.SECONDS);
          System.out.printf("frozen leader %s, new leader %s: a read queued at the frozen one got: %s%n", leader,
              newLeader, outcome);
          assertThat(outcome).as("a read that began after 'new' was acknowledged").isNotEqualTo("value old");
        } finally {
          cluster.resume(leader);
          loop.get(60, TimeUnit.SECONDS);
        }
      }
    }
  }

  /** A ready leader other than {@code frozen}, asked of the other members only. */
  private static String awaitOtherLeader(ProcessCluster cluster, String frozen) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (String id : cluster.ids()) {
        if (id.equals(frozen)) {
          continue;
        }
        try (Jedis j = new Jedis("127.0.0.1", cluster.port(id), 1_000)) {
          Object info = j.sendCommand(() -> "RAFT".getBytes(), "INFO".getBytes());
          if (info instanceof byte[] b && new String(b).contains("raft_leader_ready:1")) {
            return id;
          }
        } catch (RuntimeException e) {
          // not answering yet
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no other leader within 30 s");
  }
}

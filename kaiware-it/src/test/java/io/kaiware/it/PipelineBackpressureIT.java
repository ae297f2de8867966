package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * A leader that cannot commit (both followers stopped) must not read a pipelining client's writes
 * without bound: the connection stops reading once a few thousand requests wait for the log, and the
 * rest stays in the socket buffers. Without the pause the server would decode all 60,000 SETs into
 * its queue within milliseconds.
 */
class PipelineBackpressureIT {

  private static final int PIPELINED_SETS = 60_000;
  private static final long ELECTION_TIMEOUT_MS = 8_000;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aLeaderThatCannotCommitStopsReadingAPipeliningClient() throws Exception {
    // A long election timeout keeps the leader in office for seconds after it loses its majority.
    try (RaftCluster cluster = RaftCluster.start(3, Map.of("raft-election-timeout-ms", Long.toString(ELECTION_TIMEOUT_MS)))) {
      String leader = cluster.awaitLeader(60_000);
      int port = cluster.port(leader);
      try (Jedis jedis = new Jedis("127.0.0.1", port)) {
        assertThat(jedis.set("before", "1")).isEqualTo("OK");
      }
      for (String id : List.copyOf(cluster.servers.keySet())) {
        if (!id.equals(leader)) {
          cluster.stop(id);
        }
      }

      StringBuilder sets = new StringBuilder();
      for (int i = 0; i < PIPELINED_SETS; i++) {
        String key = "bp:" + i;
        sets.append("*3\r\n$3\r\nSET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n$1\r\nv\r\n");
      }
      byte[] bytes = sets.toString().getBytes(StandardCharsets.US_ASCII);
      try (Jedis observer = new Jedis("127.0.0.1", port, 5_000); Socket client = new Socket("127.0.0.1", port)) {
        long inputBefore = inputBytes(observer);
        Thread writer = Thread.ofVirtual().start(() -> {
          try {
            OutputStream out = client.getOutputStream();
            out.write(bytes); // blocks once the socket buffers are full; unblocked by closing the socket
          } catch (java.io.IOException closed) {
            // the test closed the socket, or the deposed leader closed the connection
          }
        });
        Thread.sleep(3_000);
        long read = inputBytes(observer) - inputBefore;
        // Still the leader (it steps down only after an election timeout without a majority), so the
        // writes are waiting for a commit, not refused: the pause, not an error, keeps `read` small.
        assertThat(observer.info("raft")).contains("raft_role:leader");
        assertThat(read).as("bytes the leader read of %s sent", bytes.length).isLessThan(bytes.length / 4);
        client.close();
        writer.join(10_000);
      }
    }
  }

  private static long inputBytes(Jedis jedis) {
    for (String line : jedis.info("stats").split("\r\n")) {
      if (line.startsWith("total_net_input_bytes:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1));
      }
    }
    throw new AssertionError("no total_net_input_bytes in INFO stats");
  }
}

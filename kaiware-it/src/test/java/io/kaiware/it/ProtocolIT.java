package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * The wire protocol over real sockets, in both threading shapes (io-threads 1: inline; 2: engine
 * hand-off): inline commands, pipelining, protocol errors that close only the offending connection.
 */
class ProtocolIT {

  @ParameterizedTest(name = "io-threads {0}")
  @ValueSource(strings = {"1", "2"})
  void wireBehaviour(String ioThreads) throws Exception {
    try (KaiwareProcess kaiware = KaiwareProcess.start(Map.of("io-threads", ioThreads))) {
      // Inline commands, as redis-benchmark's PING_INLINE and telnet users send them.
      assertThat(kaiware.raw("PING\r\nECHO \"a b\"\r\nQUIT\r\n", 5000)).isEqualTo("+PONG\r\n$3\r\na b\r\n+OK\r\n");
      // A pipeline is answered in order, then QUIT closes the connection.
      assertThat(kaiware.raw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nQUIT\r\n", 5000))
          .isEqualTo("+OK\r\n$1\r\nv\r\n+OK\r\n");
      // RESP3 after HELLO 3: nulls and maps change shape on this connection only.
      String hello = kaiware.raw("HELLO 3\r\nGET nothing\r\nQUIT\r\n", 5000);
      assertThat(hello).startsWith("%8\r\n").contains("_\r\n");
      // A protocol error answers what came before, then the error, then closes.
      try (Jedis bystander = new Jedis("127.0.0.1", kaiware.port())) {
        bystander.ping();
        assertThat(kaiware.raw("PING\r\n*1\r\n+bad\r\nPING\r\n", 5000))
            .isEqualTo("+PONG\r\n-ERR Protocol error: expected '$', got '+'\r\n");
        assertThat(kaiware.raw("*1\r\n$-7\r\n", 5000)).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
        assertThat(bystander.ping()).as("other clients are unaffected").isEqualTo("PONG");
      }
    }
  }

  /**
   * A client that sends its requests and shuts its side at once (EOF in the same read) gets every
   * reply before the server closes, writes after the log, as from Redis. With io-threads 1 only: in
   * the hand-off shape the connection still closes at the EOF.
   */
  @ParameterizedTest(name = "non-durable-cache {0}")
  @ValueSource(strings = {"no", "yes"})
  void aClientThatShutsItsSideGetsItsReplies(String nonDurable) throws Exception {
    try (KaiwareProcess kaiware = KaiwareProcess.start(Map.of("non-durable-cache", nonDurable))) {
      assertThat(kaiware.raw("PING\r\nSET a 1\r\nGET a\r\n", 5000, true)).isEqualTo("+PONG\r\n+OK\r\n$1\r\n1\r\n");
      assertThat(kaiware.raw("INCR n\r\nINCR n\r\nGET n\r\n", 5000, true)).isEqualTo(":1\r\n:2\r\n$1\r\n2\r\n");
      assertThat(kaiware.raw("GET a\r\nPING\r\n", 5000, true)).isEqualTo("$1\r\n1\r\n+PONG\r\n");
      // A pop that would wait for ever for a client that can send nothing more: closed at once.
      long startNs = System.nanoTime();
      assertThat(kaiware.raw("PING\r\nBLPOP nolist 0\r\n", 5000, true)).isEqualTo("+PONG\r\n");
      assertThat((System.nanoTime() - startNs) / 1_000_000).as("closed, not timed out").isLessThan(4000);
      try (Jedis jedis = new Jedis("127.0.0.1", kaiware.port())) {
        assertThat(jedis.get("n")).isEqualTo("2");
        assertThat(jedis.clientList().lines().count()).as("no half-closed connection left").isEqualTo(1);
      }
    }
  }

  @ParameterizedTest(name = "io-threads {0}")
  @ValueSource(strings = {"1", "2"})
  void unauthenticatedClientsCannotSendHugeRequests(String ioThreads) throws Exception {
    try (KaiwareProcess kaiware = KaiwareProcess.start(Map.of("io-threads", ioThreads, "requirepass", "pw"))) {
      assertThat(kaiware.raw("GET k\r\n", 2000)).startsWith("-NOAUTH Authentication required.\r\n");
      assertThat(kaiware.raw("*100\r\n", 5000)).isEqualTo("-ERR Protocol error: unauthenticated multibulk length\r\n");
      assertThat(kaiware.raw("AUTH wrong\r\nAUTH pw\r\nPING\r\nQUIT\r\n", 5000))
          .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n+OK\r\n+PONG\r\n+OK\r\n");
    }
  }
}

package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * Scripts that run past busy-reply-threshold, over real sockets: the other clients get BUSY, the
 * commands flagged ALLOW_BUSY still run, SCRIPT KILL ends a script that changed nothing and
 * refuses one that wrote — the cases of Redis's scripting.tcl and multi.tcl. Run on the default
 * server ({@link ScriptBusyIT}), where a script reaches the log only once it writes (its probe,
 * ADR 0006), and in non-durable cache mode ({@link ScriptBusyCacheIT}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class ScriptBusyTests {

  abstract int port();

  private static final String BUSY = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

  Jedis r;

  @BeforeEach
  void setUp() {
    r = new Jedis("127.0.0.1", port(), 10_000);
    r.configSet("lua-time-limit", "10");
  }

  @AfterEach
  void tearDown() {
    r.configSet("lua-time-limit", "5000");
    r.configSet("lua-max-instructions", "200000000");
    r.close();
  }

  /** A connection that sends without waiting for replies (Redis's redis_deferring_client). */
  static final class Deferred implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final InputStream in;

    Deferred(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(20_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream());
    }

    void send(String... args) throws IOException {
      StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
      }
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    /** One simple-string, error or integer reply line (what these tests expect), without its CRLF. */
    String readLine() throws IOException {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) != '\r') {
        if (c < 0) {
          throw new IOException("connection closed after " + b);
        }
        b.append((char) c);
      }
      in.read();
      return b.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private void awaitBusy() throws InterruptedException {
    awaitBusy(r);
  }

  /** PING on {@code jedis} until it is answered BUSY (within 10 s): a script there has timed out. */
  static void awaitBusy(Jedis jedis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try {
        jedis.ping();
      } catch (RuntimeException e) {
        assertThat(e).hasMessage(BUSY);
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("the script never became busy");
  }

  @Test
  void aTimedOutReadOnlyScriptIsKilledAndItsConnectionStaysUsable() throws Exception {
    try (Deferred rd = new Deferred(port())) {
      // pipelined: the PING behind the script is answered after it (scripting.tcl: "no false dead client")
      rd.send("EVAL", "local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end", "0");
      rd.send("PING");
      awaitBusy();
      assertThatThrownBy(() -> r.get("x")).hasMessage(BUSY);
      assertThat(r.scriptKill()).isEqualTo("OK");
      assertThat(rd.readLine()).startsWith("-ERR Script killed by user with SCRIPT KILL... script: ");
      assertThat(rd.readLine()).isEqualTo("+PONG");
      assertThat(r.ping()).isEqualTo("PONG");
      assertThatThrownBy(r::scriptKill).hasMessage("NOTBUSY No scripts in execution right now.");
    }
    // a script that merely takes longer than the threshold ends normally
    assertThat(r.eval("for i = 1, 100000 do redis.call('ping') end return 'ok'")).isEqualTo("ok");
    assertThat(r.ping()).isEqualTo("PONG");
  }

  /** The script's own client goes away while it is busy; the server kills it and carries on. */
  @Test
  void aBusyScriptWhoseClientLeftIsKilledAndTheServerGoesOn() throws Exception {
    Deferred rd = new Deferred(port());
    rd.send("EVAL", "while true do end", "0");
    awaitBusy();
    rd.close();
    try (Jedis other = new Jedis("127.0.0.1", port(), 10_000)) {
      assertThatThrownBy(other::ping).hasMessage(BUSY); // a connection accepted while the script is busy
      assertThat(other.sendCommand(redis.clients.jedis.Protocol.Command.HELLO, "2")).isNotNull(); // ALLOW_BUSY
    }
    assertThat(r.scriptKill()).isEqualTo("OK");
    assertThat(r.ping()).isEqualTo("PONG");
    assertThat(r.eval("return 1")).isEqualTo(1L);
  }

  @Test
  void aScriptThatWroteIsNotKillableAndEndsAtTheInstructionLimit() throws Exception {
    r.configSet("lua-max-instructions", "30000000");
    r.del("busy:x");
    try (Deferred rd = new Deferred(port())) {
      rd.send("EVAL", "redis.call('set', KEYS[1], 'y') while true do end", "1", "busy:x");
      awaitBusy();
      assertThatThrownBy(r::scriptKill).hasMessageStartingWith("UNKILLABLE Sorry the script already executed write commands");
      assertThat(rd.readLine()).startsWith("-ERR Script exceeded lua-max-instructions");
    }
    assertThat(r.get("busy:x")).isEqualTo("y");
  }

  /** multi.tcl's "MULTI and script timeout" and "just EXEC and script timeout". */
  @Test
  void transactionsAroundABusyScriptRunWholeOrNotAtAll() throws Exception {
    r.set("busy:xx", "1");
    try (Deferred rd = new Deferred(port()); Jedis r2 = new Jedis("127.0.0.1", port(), 10_000)) {
      rd.send("EVAL", "while true do end", "0");
      awaitBusy();
      r2.sendCommand(redis.clients.jedis.Protocol.Command.MULTI); // ALLOW_BUSY: runs
      assertThatThrownBy(() -> r2.sendCommand(redis.clients.jedis.Protocol.Command.INCR, "busy:xx")).hasMessage(BUSY);
      assertThat(r.scriptKill()).isEqualTo("OK");
      assertThat(rd.readLine()).contains("killed by user");
      assertThat(r2.sendCommand(redis.clients.jedis.Protocol.Command.INCR, "busy:xx")).isEqualTo("QUEUED".getBytes());
      assertThatThrownBy(() -> r2.sendCommand(redis.clients.jedis.Protocol.Command.EXEC))
          .hasMessage("EXECABORT Transaction discarded because of previous errors.");
      assertThat(r.get("busy:xx")).isEqualTo("1");
      assertThat(r2.ping("asdf")).isEqualTo("asdf");

      r2.sendCommand(redis.clients.jedis.Protocol.Command.MULTI);
      assertThat(r2.sendCommand(redis.clients.jedis.Protocol.Command.INCR, "busy:xx")).isEqualTo("QUEUED".getBytes());
      rd.send("EVAL", "while true do end", "0");
      awaitBusy();
      assertThatThrownBy(() -> r2.sendCommand(redis.clients.jedis.Protocol.Command.EXEC))
          .hasMessage("EXECABORT Transaction discarded because of: " + BUSY);
      assertThat(r.scriptKill()).isEqualTo("OK");
      assertThat(rd.readLine()).contains("killed by user");
      assertThat(r.get("busy:xx")).isEqualTo("1");
      assertThat(r2.ping("asdf")).isEqualTo("asdf");
    }
  }
}

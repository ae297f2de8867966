package io.kaiware.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MONITOR's lines: which commands, in which order, formatted and redacted as Redis 7.0 writes them. */
class MonitorsTest {

  private final CommandHarness r = new CommandHarness();
  private final List<String> lines = new ArrayList<>();
  private boolean open = true;

  @BeforeEach
  void monitor() {
    ClientSession watcher = new ClientSession("127.0.0.1:1", "127.0.0.1:6379", 0, true);
    r.dispatcher().monitors().attach(watcher, new Propagation.Sink() {
      @Override
      public void send(byte[] bytes) {
        lines.add(new String(bytes, StandardCharsets.ISO_8859_1));
      }

      @Override
      public boolean open() {
        return open;
      }
    });
  }

  /** The lines so far without their time stamps; consumed. */
  private List<String> fed() {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      assertThat(l).matches("\\+\\d+\\.\\d{6} \\[.*\\r\\n");
      out.add(l.substring(l.indexOf('[')).trim());
    }
    lines.clear();
    return out;
  }

  @Test
  void commandsAreFedAfterTheyRunAndAdminCommandsNever() {
    String addr = r.session().remoteAddress();
    r.exec("set", "foo", "bar");
    r.exec("get", "foo");
    r.exec("config", "get", "maxmemory");
    r.exec("select", "2");
    r.exec("get", "foo");
    assertThat(fed()).containsExactly("[0 " + addr + "] \"set\" \"foo\" \"bar\"", "[0 " + addr + "] \"get\" \"foo\"",
        "[2 " + addr + "] \"select\" \"2\"", "[2 " + addr + "] \"get\" \"foo\"");
  }

  /** A probe that stops at a write shows only the EVAL: the log's run feeds the script's commands. */
  @Test
  void aScriptProbeFeedsItsCommandsOnlyWhenItsRunIsTheRun() {
    String addr = r.session().remoteAddress();
    r.session().scriptProbe(true);
    r.execRaw("eval", "redis.call('get', 'a') redis.call('set', 'a', '1')", "0");
    assertThat(fed()).containsExactly("[0 " + addr + "] \"eval\" \"redis.call('get', 'a') redis.call('set', 'a', '1')\" \"0\"");
    r.exec("eval", "return redis.call('get', 'a')", "0");
    assertThat(fed()).containsExactly("[0 " + addr + "] \"eval\" \"return redis.call('get', 'a')\" \"0\"",
        "[0 lua] \"get\" \"a\"");
    r.session().scriptProbe(false);
  }

  @Test
  void transactionsScriptsAndSecretsAsRedisShowsThem() {
    // Redis's introspection.tcl "MONITOR correctly handles multi-exec cases".
    r.exec("multi");
    r.exec("set", "foo", "bar");
    r.exec("exec");
    r.exec("multi");
    r.exec("syntax", "error");
    r.exec("exec");
    List<String> words = fed().stream().map(l -> l.substring(l.indexOf(']') + 2)).toList();
    assertThat(words).containsExactly("\"multi\"", "\"set\" \"foo\" \"bar\"", "\"exec\"", "\"multi\"", "\"exec\"");

    // "MONITOR can log commands issued by the scripting engine": the script first, then its calls.
    r.exec("eval", "redis.call('set',KEYS[1],ARGV[1])", "1", "foo", "bar");
    List<String> script = fed();
    assertThat(script).hasSize(2);
    assertThat(script.get(0)).contains("\"eval\"");
    assertThat(script.get(1)).startsWith("[0 lua] \"set\" \"foo\" \"bar\"");

    // "MONITOR supports redacting command arguments".
    r.exec("auth", "not-real");
    r.exec("auth", "not-real", "not-a-password");
    r.exec("hello", "2", "AUTH", "not-real", "not-a-password");
    List<String> secrets = fed();
    assertThat(secrets.get(0)).endsWith("\"auth\" \"(redacted)\"");
    assertThat(secrets.get(1)).endsWith("\"auth\" \"(redacted)\" \"(redacted)\"");
    assertThat(secrets.get(2)).endsWith("\"hello\" \"2\" \"AUTH\" \"(redacted)\" \"(redacted)\"");
  }

  @Test
  void argumentsAreQuotedAsSdscatreprQuotesThem() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Monitors.repr(out, "a\"b\\c\n\r\t\u0007\u0008\u0001\u00ff ~".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\a\\b\\x01\\xff ~\"");
  }

  @Test
  void aClosedMonitorIsDropped() {
    open = false;
    r.exec("ping");
    assertThat(lines).isEmpty();
    assertThat(r.dispatcher().monitors().active()).isFalse();
  }
}

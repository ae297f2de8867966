package io.kaiware.command.list;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.Blocking;
import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine side of the blocking pops: Redis 7.0's replies when a key has data, the timeout reply
 * when none has (what Redis answers inside MULTI), timeout parsing and its order of checks.
 */
@SuppressWarnings("unchecked")
class BlockingPopsTest {

  private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");
  private static final Err NOT_A_FLOAT = new Err("ERR timeout is not a float or out of range");
  private static final Err NEGATIVE = new Err("ERR timeout is negative");
  private static final Err SYNTAX = new Err("ERR syntax error");
  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
  }

  @Test
  void listPopsInKeyOrder() {
    r.exec("RPUSH", "b", "1", "2", "3");
    r.exec("RPUSH", "c", "x");
    assertThat(r.exec("BLPOP", "a", "b", "c", "0")).isEqualTo(List.of("b", "1"));
    assertThat(r.exec("BRPOP", "a", "b", "c", "1.5")).isEqualTo(List.of("b", "3"));
    assertThat(r.exec("BRPOP", "c", "b", "0")).isEqualTo(List.of("c", "x"));
    assertThat(r.exec("EXISTS", "c")).as("emptied list deleted").isEqualTo(0L);
    assertThat(r.exec("BLMPOP", "0", "2", "a", "b", "LEFT", "COUNT", "5")).isEqualTo(List.of("b", List.of("2")));
    assertThat(r.exec("EXISTS", "b")).isEqualTo(0L);
    r.exec("RPUSH", "s", "1", "2");
    assertThat(r.exec("BRPOPLPUSH", "s", "d", "0")).isEqualTo("2");
    assertThat(r.exec("BLMOVE", "s", "d", "LEFT", "RIGHT", "0.01")).isEqualTo("1");
    assertThat(r.exec("LRANGE", "d", "0", "-1")).isEqualTo(List.of("2", "1"));
    assertThat(r.exec("BLMOVE", "d", "d", "LEFT", "RIGHT", "0")).as("rotation").isEqualTo("2");
    assertThat(r.exec("LRANGE", "d", "0", "-1")).isEqualTo(List.of("1", "2"));
  }

  @Test
  void timeoutRepliesInBothProtocols() {
    assertThat(r.execRaw("BLPOP", "a", "b", "0")).isEqualTo("*-1\r\n");
    assertThat(r.execRaw("BRPOP", "a", "0.1")).isEqualTo("*-1\r\n");
    assertThat(r.execRaw("BLMPOP", "1", "1", "a", "RIGHT")).isEqualTo("*-1\r\n");
    assertThat(r.execRaw("BLMOVE", "a", "b", "LEFT", "LEFT", "0")).isEqualTo("$-1\r\n");
    assertThat(r.execRaw("BRPOPLPUSH", "a", "b", "0")).isEqualTo("$-1\r\n");
    assertThat(r.execRaw("BZPOPMIN", "z", "0")).isEqualTo("*-1\r\n");
    assertThat(r.execRaw("BZPOPMAX", "z", "y", "0")).isEqualTo("*-1\r\n");
    assertThat(r.execRaw("BZMPOP", "0", "1", "z", "MIN")).isEqualTo("*-1\r\n");
    r.exec("HELLO", "3");
    for (String[] cmd : new String[][] {{"BLPOP", "a", "0"}, {"BRPOP", "a", "0"}, {"BLMPOP", "0", "1", "a", "LEFT"},
        {"BLMOVE", "a", "b", "LEFT", "LEFT", "0"}, {"BRPOPLPUSH", "a", "b", "0"}, {"BZPOPMIN", "z", "0"},
        {"BZPOPMAX", "z", "0"}, {"BZMPOP", "0", "1", "z", "MAX"}}) {
      byte[] reply = r.execRaw(cmd).getBytes(StandardCharsets.ISO_8859_1);
      assertThat(new String(reply, StandardCharsets.ISO_8859_1)).as(cmd[0]).isEqualTo("_\r\n");
      assertThat(Blocking.isTimeoutReply(reply)).isTrue();
    }
    assertThat(r.exec("EXISTS", "b")).as("a missing source moves nothing").isEqualTo(0L);
  }

  @Test
  void sortedSetPops() {
    r.exec("ZADD", "z", "1", "a", "2", "b", "3", "c");
    assertThat(r.exec("BZPOPMIN", "nokey", "z", "0")).isEqualTo(List.of("z", "a", "1"));
    assertThat(r.exec("BZPOPMAX", "z", "0")).isEqualTo(List.of("z", "c", "3"));
    r.exec("ZADD", "z", "5", "e");
    assertThat(r.exec("BZMPOP", "0", "2", "nokey", "z", "MIN", "COUNT", "10"))
        .isEqualTo(List.of("z", List.of(List.of("b", "2"), List.of("e", "5"))));
    assertThat(r.exec("EXISTS", "z")).isEqualTo(0L);
    r.exec("ZADD", "z", "1.5", "a", "2", "b");
    r.exec("HELLO", "3");
    assertThat(r.exec("BZPOPMIN", "z", "0")).isEqualTo(List.of("z", "a", 1.5));
    assertThat(r.exec("BZMPOP", "1", "1", "z", "MAX")).isEqualTo(List.of("z", List.of(List.of("b", 2.0))));
  }

  @Test
  void wrongType() {
    r.exec("SET", "s", "v");
    r.exec("RPUSH", "l", "a");
    r.exec("ZADD", "z", "1", "m");
    for (String[] cmd : new String[][] {{"BLPOP", "nokey", "s", "0"}, {"BRPOP", "s", "l", "0"},
        {"BLMOVE", "s", "l", "LEFT", "LEFT", "0"}, {"BLMOVE", "l", "s", "LEFT", "LEFT", "0"},
        {"BRPOPLPUSH", "s", "l", "0"}, {"BLMPOP", "0", "2", "z", "l", "LEFT"},
        {"BZPOPMIN", "l", "z", "0"}, {"BZPOPMAX", "s", "0"}, {"BZMPOP", "0", "1", "l", "MIN"}}) {
      assertThat(r.exec(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
    }
    assertThat(r.exec("LRANGE", "l", "0", "-1")).isEqualTo(List.of("a"));
    // The first non-empty key answers: a later wrong-typed key is not looked at.
    assertThat(r.exec("BLPOP", "l", "s", "0")).isEqualTo(List.of("l", "a"));
  }

  @Test
  void timeoutParsing() {
    r.exec("RPUSH", "l", "a");
    for (String t : new String[] {"x", "", " 1", "1 ", "nan", "1e", "0x"}) {
      assertThat(r.exec("BLPOP", "l", t)).as(t).isEqualTo(NOT_A_FLOAT);
    }
    assertThat(r.exec("BLPOP", "l", "-1")).isEqualTo(NEGATIVE);
    assertThat(r.exec("BRPOP", "l", "-0.001")).isEqualTo(NEGATIVE);
    assertThat(r.exec("BZPOPMIN", "l", "abc")).as("timeout before the type").isEqualTo(NOT_A_FLOAT);
    assertThat(r.exec("BRPOPLPUSH", "l", "d", "-1")).isEqualTo(NEGATIVE);
    // BLMOVE: the directions before the timeout.
    assertThat(r.exec("BLMOVE", "l", "d", "UP", "LEFT", "x")).isEqualTo(SYNTAX);
    assertThat(r.exec("BLMOVE", "l", "d", "LEFT", "LEFT", "x")).isEqualTo(NOT_A_FLOAT);
    // BLMPOP / BZMPOP: numkeys, where and COUNT before the timeout.
    assertThat(r.exec("BLMPOP", "x", "0", "l", "LEFT")).isEqualTo(new Err("ERR numkeys should be greater than 0"));
    assertThat(r.exec("BLMPOP", "x", "1", "l", "MIDDLE")).isEqualTo(SYNTAX);
    assertThat(r.exec("BLMPOP", "-1", "1", "l", "LEFT")).isEqualTo(NEGATIVE);
    assertThat(r.exec("BZMPOP", "x", "1", "l", "MIN", "COUNT", "0")).isEqualTo(new Err("ERR count should be greater than 0"));
    assertThat(r.exec("BZMPOP", "x", "1", "z", "MIN")).isEqualTo(NOT_A_FLOAT);
    assertThat(r.exec("LRANGE", "l", "0", "-1")).as("nothing popped").isEqualTo(List.of("a"));
    assertThat(r.exec("BLPOP", "l", "1e-3")).isEqualTo(List.of("l", "a"));
    assertThat(r.exec("BLPOP", "l")).isEqualTo(new Err("ERR wrong number of arguments for 'blpop' command"));
    assertThat(Blocking.timeoutMs("0.0001".getBytes(StandardCharsets.US_ASCII))).isEqualTo(1L);
    assertThat(Blocking.timeoutMs("2".getBytes(StandardCharsets.US_ASCII))).isEqualTo(2000L);
    assertThat(Blocking.timeoutMs("0".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0L);
  }

  @Test
  void insideMultiNeverBlocks() {
    r.exec("MULTI");
    assertThat(r.exec("BLPOP", "l", "0")).isEqualTo("QUEUED");
    assertThat(r.exec("RPUSH", "l", "a")).isEqualTo("QUEUED");
    assertThat(r.exec("BRPOP", "l", "0")).isEqualTo("QUEUED");
    assertThat(r.exec("BZPOPMIN", "z", "0")).isEqualTo("QUEUED");
    assertThat(r.exec("BLMOVE", "l", "d", "LEFT", "LEFT", "0")).isEqualTo("QUEUED");
    List<Object> replies = (List<Object>) r.exec("EXEC");
    assertThat(replies).containsExactly(null, 1L, List.of("l", "a"), null, null);
  }

  @Test
  void helpersForTheServer() {
    byte[][] blpop = CommandHarness.argv("BLPOP", "a", "b", "1.5");
    assertThat(Blocking.isBlocking(blpop)).isTrue();
    assertThat(Blocking.isBlocking(CommandHarness.argv("LPOP", "a"))).isFalse();
    assertThat(Blocking.timeoutMsOf(blpop)).isEqualTo(1500L);
    assertThat(Blocking.timeoutMsOf(CommandHarness.argv("BLPOP", "a", "x"))).isEqualTo(-1L);
    assertThat(Blocking.keys(blpop)).extracting(String::new).containsExactly("a", "b");
    assertThat(Blocking.keys(CommandHarness.argv("BLMPOP", "0", "2", "a", "b", "LEFT"))).extracting(String::new).containsExactly("a", "b");
    assertThat(Blocking.keys(CommandHarness.argv("bzmpop", "0", "1", "z", "MIN"))).extracting(String::new).containsExactly("z");
    assertThat(Blocking.keys(CommandHarness.argv("BLMOVE", "s", "d", "LEFT", "LEFT", "0"))).extracting(String::new).containsExactly("s");
    assertThat(Blocking.timeoutMsOf(CommandHarness.argv("BLMOVE", "s", "d", "LEFT", "LEFT", "3"))).isEqualTo(3000L);
    assertThat(Blocking.timeoutMsOf(CommandHarness.argv("BZMPOP", "0.5", "1", "z", "MIN"))).isEqualTo(500L);
    assertThat(new String(Blocking.timeoutReply(CommandHarness.argv("BLMOVE", "s", "d", "LEFT", "LEFT", "0"), 2))).isEqualTo("$-1\r\n");
    assertThat(new String(Blocking.timeoutReply(blpop, 2))).isEqualTo("*-1\r\n");
    assertThat(new String(Blocking.timeoutReply(blpop, 3))).isEqualTo("_\r\n");
    assertThat(r.exec("COMMAND", "INFO", "blpop").toString()).contains("blocking");
  }

  @Test
  void clientUnblockArguments() {
    assertThat(r.exec("CLIENT", "UNBLOCK", "1", "FOO")).isEqualTo(new Err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"));
    assertThat(r.exec("CLIENT", "UNBLOCK", "asd")).isEqualTo(new Err("ERR value is not an integer or out of range"));
    assertThat(r.exec("CLIENT", "UNBLOCK", "12345")).isEqualTo(0L);
    assertThat(r.exec("CLIENT", "UNBLOCK", "12345", "error")).isEqualTo(0L);
    assertThat((String) r.exec("INFO", "clients")).contains("blocked_clients:0");
  }
}

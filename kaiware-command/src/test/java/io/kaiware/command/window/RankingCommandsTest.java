package io.kaiware.command.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RANKING.* through the dispatcher, on the harness's command clock (no sleeps). */
class RankingCommandsTest {

  private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");
  private static final long T0 = 1_700_000_000_000L; // a multiple of 1000: bucket boundaries are T0 + k*1000
  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness().now(T0);
  }

  private void leaderboard() {
    assertThat(r.exec("RANKING.CREATE", "gifts", "BUCKET", "1000", "WINDOW", "3s", "3000", "WINDOW", "10s", "10000"))
        .isEqualTo("OK");
  }

  @Test
  void createValidatesItsArguments() {
    assertThat(r.exec("RANKING.CREATE", "k", "RETENTION", "5000")).isEqualTo(new Err("ERR BUCKET is required"));
    assertThat(r.exec("RANKING.CREATE", "k", "BUCKET", "0")).isEqualTo(new Err("ERR BUCKET must be a positive number of milliseconds"));
    assertThat(r.exec("RANKING.CREATE", "k", "BUCKET", "x")).isEqualTo(new Err("ERR value is not an integer or out of range"));
    assertThat(r.exec("RANKING.CREATE", "k", "BUCKET", "1000", "WINDOW", "w", "500"))
        .isEqualTo(new Err("ERR a WINDOW must be at least one BUCKET long"));
    assertThat(r.exec("RANKING.CREATE", "k", "BUCKET", "1000", "WINDOW", "w", "5000", "WINDOW", "w", "6000"))
        .isEqualTo(new Err("ERR duplicate WINDOW name"));
    assertThat(r.exec("RANKING.CREATE", "k", "BUCKET", "1", "RETENTION", "100001"))
        .isEqualTo(new Err("ERR the retention holds more than 100000 buckets"));
    assertThat(r.exec("RANKING.CREATE", "k", "BUCKET", "1000", "NOPE")).isEqualTo(new Err("ERR syntax error"));
    assertThat(r.exec("RANKING.CREATE", "k", "BUCKET")).isEqualTo(new Err("ERR wrong number of arguments for 'ranking.create' command"));
    assertThat(r.exec("RANKING.CREATE", "k", "BUCKET", "1000")).isEqualTo("OK");
    assertThat(r.exec("RANKING.CREATE", "k", "BUCKET", "1000")).isEqualTo(new Err("ERR key already exists"));
    assertThat(r.exec("RANKING.INCRBY", "missing", "1", "a")).isEqualTo(new Err("ERR no such key"));
    assertThat(r.exec("RANKING.INCRBY", "k", "1.5", "a")).isEqualTo(new Err("ERR value is not an integer or out of range"));
    assertThat(r.exec("RANKING.INCRBY", "k", "9007199254740993", "a"))
        .isEqualTo(new Err("ERR ranking score would exceed 2^53 in absolute value"));
  }

  @Test
  void topAndRankOverAllTimeNamedWindowsAndLastMs() {
    leaderboard();
    assertThat(r.exec("RANKING.INCRBY", "gifts", "50", "alice")).isEqualTo(50L);
    assertThat(r.exec("RANKING.INCRBY", "gifts", "30", "bob")).isEqualTo(30L);
    r.advance(2_000); // bucket T0+2000
    assertThat(r.exec("RANKING.INCRBY", "gifts", "40", "bob")).isEqualTo(70L);
    assertThat(r.exec("RANKING.INCRBY", "gifts", "5", "carol")).isEqualTo(5L);
    assertThat(r.exec("RANKING.TOP", "gifts", "10")).isEqualTo(List.of(
        List.of(0L, "bob", 70L), List.of(1L, "alice", 50L), List.of(2L, "carol", 5L)));
    r.advance(1_000); // T0+3000: the bucket T0 left the 3 s window
    assertThat(r.exec("RANKING.TOP", "gifts", "10", "WINDOW", "3s")).isEqualTo(List.of(
        List.of(0L, "bob", 40L), List.of(1L, "carol", 5L)));
    assertThat(r.exec("RANKING.TOP", "gifts", "10", "LAST", "3000")).isEqualTo(List.of(
        List.of(0L, "bob", 40L), List.of(1L, "carol", 5L)));
    assertThat(r.exec("RANKING.TOP", "gifts", "10", "LAST", "1500")).isEqualTo(List.of(
        List.of(0L, "bob", 40L), List.of(1L, "carol", 5L)));
    assertThat(r.exec("RANKING.TOP", "gifts", "1", "OFFSET", "1", "WINDOW", "10s")).isEqualTo(List.of(List.of(1L, "alice", 50L)));
    assertThat(r.exec("RANKING.TOP", "gifts", "1", "WINDOW", "10s", "OFFSET", "2")).isEqualTo(List.of(List.of(2L, "carol", 5L)));
    assertThat(r.exec("RANKING.RANK", "gifts", "alice")).isEqualTo(List.of(1L, 50L));
    assertThat(r.exec("RANKING.RANK", "gifts", "alice", "WINDOW", "3s")).isNull();
    assertThat(r.exec("RANKING.RANK", "gifts", "carol", "LAST", "2000")).isEqualTo(List.of(1L, 5L));
    assertThat(r.exec("RANKING.RANK", "gifts", "nobody", "ALL")).isNull();
    // Ties: ZREVRANGE's order (member descending).
    r.exec("RANKING.INCRBY", "gifts", "35", "carol");
    assertThat(r.exec("RANKING.TOP", "gifts", "2", "WINDOW", "3s")).isEqualTo(List.of(
        List.of(0L, "carol", 40L), List.of(1L, "bob", 40L)));
    // A zero total is no entry.
    r.exec("RANKING.INCRBY", "gifts", "-40", "carol");
    assertThat(r.exec("RANKING.RANK", "gifts", "carol", "WINDOW", "3s")).isNull();
    assertThat(r.exec("RANKING.RANK", "gifts", "carol", "ALL")).isNull(); // 5 + 35 - 40
    assertThat(r.exec("RANKING.RANK", "gifts", "carol", "LAST", "10000")).isNull();
    // Ten seconds on, every window is empty; all time stays.
    r.advance(12_000);
    assertThat(r.exec("RANKING.TOP", "gifts", "10", "WINDOW", "10s")).isEqualTo(List.of());
    assertThat(r.exec("RANKING.TOP", "gifts", "10", "LAST", "10000")).isEqualTo(List.of());
    assertThat(r.exec("RANKING.TOP", "gifts", "1", "ALL")).isEqualTo(List.of(List.of(0L, "bob", 70L)));
    assertThat(r.exec("RANKING.INFO", "gifts")).isEqualTo(List.of("bucket", 1000L, "retention", 10000L,
        "windows", List.of(List.of("3s", 3000L, "sliding"), List.of("10s", 10000L, "sliding")), "buckets", 0L, "members", 2L));
  }

  @Test
  void periodsEmptyAtEachBoundary() {
    long midnight = 1_700_006_400_000L; // 2023-11-15T00:00:00Z
    r.now(midnight - 2_000);
    assertThat(r.exec("RANKING.CREATE", "daily", "BUCKET", "60000", "PERIOD", "today", "86400000", "WINDOW", "1h", "3600000"))
        .isEqualTo("OK");
    assertThat(r.exec("RANKING.CREATE", "bad", "BUCKET", "7000", "PERIOD", "p", "10000"))
        .isEqualTo(new Err("ERR a PERIOD must be a multiple of BUCKET"));
    r.exec("RANKING.INCRBY", "daily", "10", "late-night");
    assertThat(r.exec("RANKING.TOP", "daily", "5", "WINDOW", "today")).isEqualTo(List.of(List.of(0L, "late-night", 10L)));
    r.now(midnight);
    assertThat(r.exec("RANKING.TOP", "daily", "5", "WINDOW", "today")).isEqualTo(List.of());
    assertThat(r.exec("RANKING.TOP", "daily", "5", "WINDOW", "1h")).isEqualTo(List.of(List.of(0L, "late-night", 10L)));
    r.exec("RANKING.INCRBY", "daily", "3", "early-bird");
    assertThat(r.exec("RANKING.TOP", "daily", "5", "WINDOW", "today")).isEqualTo(List.of(List.of(0L, "early-bird", 3L)));
    assertThat(r.exec("RANKING.RANK", "daily", "early-bird", "WINDOW", "1h")).isEqualTo(List.of(1L, 3L));
    assertThat(r.exec("RANKING.INFO", "daily")).isEqualTo(List.of("bucket", 60000L, "retention", 86400000L,
        "windows", List.of(List.of("today", 86400000L, "period"), List.of("1h", 3600000L, "sliding")), "buckets", 2L, "members", 2L));
  }

  @Test
  void writesDirtyWatchAndReadsDoNot() {
    leaderboard();
    CommandHarness other = r.otherClient();
    r.exec("WATCH", "gifts");
    r.advance(20_000); // buckets would have left: reads still change nothing
    other.exec("RANKING.TOP", "gifts", "3", "WINDOW", "3s");
    other.exec("RANKING.RANK", "gifts", "x", "LAST", "5000");
    r.exec("MULTI");
    r.exec("RANKING.INCRBY", "gifts", "1", "a");
    assertThat(r.exec("EXEC")).isEqualTo(List.of(1L));
    r.exec("WATCH", "gifts");
    other.exec("RANKING.INCRBY", "gifts", "1", "b");
    r.exec("MULTI");
    r.exec("RANKING.INCRBY", "gifts", "1", "a");
    assertThat(r.exec("EXEC")).isNull();
  }

  @Test
  void spanErrors() {
    leaderboard();
    assertThat(r.exec("RANKING.TOP", "gifts", "3", "WINDOW", "nope")).isEqualTo(new Err("ERR no such window"));
    assertThat(r.exec("RANKING.TOP", "gifts", "3", "LAST", "10001"))
        .isEqualTo(new Err("ERR LAST is longer than the ranking's retention (10000 ms)"));
    assertThat(r.exec("RANKING.TOP", "gifts", "3", "LAST", "0")).isEqualTo(new Err("ERR LAST must be a positive number of milliseconds"));
    assertThat(r.exec("RANKING.TOP", "gifts", "-1")).isEqualTo(new Err("ERR count must not be negative"));
    assertThat(r.exec("RANKING.TOP", "gifts", "3", "ALL", "ALL")).isEqualTo(new Err("ERR syntax error"));
    assertThat(r.exec("RANKING.RANK", "gifts", "a", "ALL", "x")).isEqualTo(new Err("ERR syntax error"));
    assertThat(r.exec("RANKING.TOP", "missing", "3", "WINDOW", "any")).isEqualTo(List.of());
    assertThat(r.exec("RANKING.RANK", "missing", "a")).isNull();
    assertThat(r.exec("RANKING.INFO", "missing")).isEqualTo(new Err("ERR no such key"));
  }

  @Test
  void resp3Replies() {
    leaderboard();
    r.exec("RANKING.INCRBY", "gifts", "7", "a");
    r.exec("HELLO", "3");
    assertThat(r.execRaw("RANKING.TOP", "gifts", "1")).isEqualTo("*1\r\n*3\r\n:0\r\n$1\r\na\r\n:7\r\n");
    assertThat(r.execRaw("RANKING.RANK", "gifts", "zz")).isEqualTo("_\r\n");
    assertThat(r.exec("RANKING.RANK", "gifts", "a")).isEqualTo(List.of(0L, 7L));
    Map<Object, Object> info = new LinkedHashMap<>();
    info.put("bucket", 1000L);
    info.put("retention", 10000L);
    info.put("windows", List.of(List.of("3s", 3000L, "sliding"), List.of("10s", 10000L, "sliding")));
    info.put("buckets", 1L);
    info.put("members", 1L);
    assertThat(r.exec("RANKING.INFO", "gifts")).isEqualTo(info);
  }

  @Test
  void worksWithTheGenericKeyCommands() {
    leaderboard();
    r.exec("RANKING.INCRBY", "gifts", "7", "a");
    r.exec("SET", "s", "v");
    assertThat(r.exec("RANKING.INCRBY", "s", "1", "a")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("RANKING.TOP", "s", "1")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("ZADD", "gifts", "1", "a")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("GET", "gifts")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("RANKING.CREATE", "s", "BUCKET", "1000")).isEqualTo(new Err("ERR key already exists"));
    assertThat(r.exec("TYPE", "gifts")).isEqualTo("ranking");
    assertThat(r.exec("OBJECT", "ENCODING", "gifts")).isEqualTo("bucketed");
    assertThat(r.exec("SCAN", "0", "TYPE", "ranking")).isEqualTo(List.of("0", List.of("gifts")));
    assertThat((Long) r.exec("MEMORY", "USAGE", "gifts")).isGreaterThan(200L);
    String payload = (String) r.exec("DUMP", "gifts");
    assertThat(payload.charAt(0)).isEqualTo((char) 16);
    assertThat(r.exec("RESTORE", "copy", "0", payload)).isEqualTo("OK");
    assertThat(r.exec("COPY", "gifts", "copy2")).isEqualTo(1L);
    r.exec("RANKING.INCRBY", "gifts", "1", "b"); // the copies are independent
    assertThat(r.exec("RANKING.TOP", "copy", "5", "WINDOW", "3s")).isEqualTo(List.of(List.of(0L, "a", 7L)));
    assertThat(r.exec("RANKING.TOP", "copy2", "5", "WINDOW", "3s")).isEqualTo(List.of(List.of(0L, "a", 7L)));
    assertThat(r.exec("DEBUG", "DIGEST-VALUE", "copy")).isEqualTo(r.exec("DEBUG", "DIGEST-VALUE", "copy2"));
    assertThat(r.exec("DEBUG", "DIGEST-VALUE", "copy")).isNotEqualTo(r.exec("DEBUG", "DIGEST-VALUE", "gifts"));
    assertThat(r.exec("RESTORE", "bad", "0", payload.substring(0, 5) + "x" + payload.substring(6)))
        .isEqualTo(new Err("ERR DUMP payload version or checksum are wrong"));
    assertThat(r.exec("PEXPIRE", "gifts", "500")).isEqualTo(1L);
    r.advance(501);
    assertThat(r.exec("EXISTS", "gifts")).isEqualTo(0L);
    assertThat(r.exec("DEL", "copy", "copy2")).isEqualTo(2L);
    List<?> info = (List<?>) ((List<?>) r.exec("COMMAND", "INFO", "ranking.top")).get(0);
    assertThat(info.subList(0, 7)).isEqualTo(List.of("ranking.top", -3L, List.of("readonly"), 1L, 1L, 1L, List.of("@read", "@slow")));
    info = (List<?>) ((List<?>) r.exec("COMMAND", "INFO", "ranking.incrby")).get(0);
    assertThat(info.subList(0, 6)).isEqualTo(List.of("ranking.incrby", 4L, List.of("write", "denyoom", "fast"), 1L, 1L, 1L));
  }

  /**
   * Two engines fed the same writes at the same log times end identical, whatever reads either
   * serves in between (reads never move a ranking's clock or its aggregates).
   */
  @Test
  void replicasAgreeFromTheLogTimeAlone() {
    CommandHarness a = new CommandHarness().now(T0);
    CommandHarness b = new CommandHarness().now(T0);
    for (CommandHarness h : List.of(a, b)) {
      h.exec("RANKING.CREATE", "g", "BUCKET", "1000", "WINDOW", "w", "5000");
    }
    java.util.Random random = new java.util.Random(3);
    long t = T0;
    for (int i = 0; i < 300; i++) {
      t += random.nextInt(700);
      String member = "m" + random.nextInt(20);
      String amount = Integer.toString(random.nextInt(100));
      a.now(t).exec("RANKING.INCRBY", "g", amount, member);
      b.now(t).exec("RANKING.INCRBY", "g", amount, member);
      if (random.nextBoolean()) {
        a.now(t + random.nextInt(20_000)).exec("RANKING.TOP", "g", "3", "WINDOW", "w"); // a read on one replica only
      }
    }
    a.now(t + 1);
    b.now(t + 1);
    assertThat(a.exec("DEBUG", "DIGEST")).isEqualTo(b.exec("DEBUG", "DIGEST"));
    assertThat(a.exec("RANKING.TOP", "g", "20", "WINDOW", "w")).isEqualTo(b.exec("RANKING.TOP", "g", "20", "WINDOW", "w"));
    assertThat(Arrays.asList(a.exec("RANKING.TOP", "g", "20", "LAST", "5000")))
        .isEqualTo(Arrays.asList(b.exec("RANKING.TOP", "g", "20", "WINDOW", "w")));
  }
}

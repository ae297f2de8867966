package io.kaiware.command.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WINDOW.* through the dispatcher, on the harness's command clock (no sleeps). */
class WindowCommandsTest {

  private static final long T0 = 1_700_000_000_000L;
  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness().now(T0);
  }

  @Test
  void incrbyAndCountSlideWithSubBucketPrecision() {
    assertThat(r.exec("WINDOW.INCRBY", "views", "1")).isEqualTo(new Err("ERR no such key; give WINDOW ms to create the counter"));
    assertThat(r.exec("WINDOW.INCRBY", "views", "1", "WINDOW", "60000", "PRECISION", "1000")).isEqualTo(1L);
    r.advance(999);
    assertThat(r.exec("WINDOW.INCRBY", "views", "2")).isEqualTo(3L);
    r.advance(1);
    assertThat(r.exec("WINDOW.INCRBY", "views", "4", "WINDOW", "60000")).isEqualTo(7L);
    assertThat(r.exec("WINDOW.COUNT", "views", "LAST", "1")).isEqualTo(4L);
    r.now(T0 + 59_999);
    assertThat(r.exec("WINDOW.COUNT", "views")).isEqualTo(7L);
    r.now(T0 + 60_000); // the sub-bucket T0 (3 units) has left
    assertThat(r.exec("WINDOW.COUNT", "views")).isEqualTo(4L);
    r.now(T0 + 61_000);
    assertThat(r.exec("WINDOW.COUNT", "views")).isEqualTo(0L);
    assertThat(r.exec("WINDOW.COUNT", "nothing")).isEqualTo(0L);
    assertThat(r.exec("WINDOW.INCRBY", "views", "1", "WINDOW", "1000"))
        .isEqualTo(new Err("ERR the counter exists with WINDOW 60000 PRECISION 1000"));
    assertThat(r.exec("WINDOW.INCRBY", "views", "-1")).isEqualTo(new Err("ERR increment must not be negative"));
    assertThat(r.exec("WINDOW.INCRBY", "x", "1", "WINDOW", "1000", "PRECISION", "2000"))
        .isEqualTo(new Err("ERR PRECISION must be between 1 and WINDOW"));
    assertThat(r.exec("WINDOW.INCRBY", "x", "1", "WINDOW", "9223372036854775807", "PRECISION", "2"))
        .isEqualTo(new Err("ERR WINDOW / PRECISION must be at most 100000")); // found by ValueCodecFuzzer
    assertThat(r.exec("WINDOW.COUNT", "views", "LAST", "60001")).isEqualTo(new Err("ERR LAST is longer than the counter's window (60000 ms)"));
    assertThat(r.exec("WINDOW.COUNT", "views", "LAST")).isEqualTo(new Err("ERR syntax error"));
    assertThat(r.exec("WINDOW.INCRBY", "d", "1", "WINDOW", "60000")).isEqualTo(1L); // default precision: 1000
    assertThat(r.exec("DEBUG", "DIGEST-VALUE", "d")).isNotEqualTo(r.exec("DEBUG", "DIGEST-VALUE", "nothing"));
  }

  @Test
  void allowIsAnAtomicRateLimiter() {
    // 3 requests per 10 s, 1 s precision.
    for (int i = 1; i <= 3; i++) {
      assertThat(r.exec("WINDOW.ALLOW", "rl:ip", "3", "WINDOW", "10000", "PRECISION", "1000"))
          .isEqualTo(List.of(1L, (long) i, i < 3 ? 0L : 8_000L)); // full at T0+2000 until T0 leaves
      r.advance(1_000);
    }
    // T0+3000: full; the first request's sub-bucket (T0) leaves at T0+10000.
    assertThat(r.exec("WINDOW.ALLOW", "rl:ip", "3")).isEqualTo(List.of(0L, 3L, 7_000L));
    assertThat(r.exec("WINDOW.ALLOW", "rl:ip", "3", "COST", "2")).isEqualTo(List.of(0L, 3L, 8_000L));
    assertThat(r.exec("WINDOW.ALLOW", "rl:ip", "3", "COST", "4")).isEqualTo(List.of(0L, 3L, -1L));
    r.now(T0 + 10_000);
    assertThat(r.exec("WINDOW.ALLOW", "rl:ip", "3")).isEqualTo(List.of(1L, 3L, 1_000L));
    assertThat(r.exec("WINDOW.ALLOW", "rl:ip", "3", "COST", "0")).isEqualTo(List.of(1L, 3L, 0L));
    assertThat(r.exec("WINDOW.ALLOW", "rl:ip", "3", "NOPE", "1")).isEqualTo(new Err("ERR syntax error"));
    assertThat(r.exec("WINDOW.ALLOW", "rl:ip", "-1")).isEqualTo(new Err("ERR limit must not be negative"));
    r.exec("HELLO", "3");
    assertThat(r.execRaw("WINDOW.ALLOW", "rl:ip", "3")).isEqualTo("*3\r\n:0\r\n:3\r\n:1000\r\n");
    assertThat(r.execRaw("WINDOW.COUNT", "rl:ip")).isEqualTo(":3\r\n");
  }

  @Test
  void deniedRequestsLeaveWatchClean() {
    r.exec("WINDOW.ALLOW", "rl", "1", "WINDOW", "10000", "PRECISION", "1000");
    CommandHarness other = r.otherClient();
    assertThat(r.exec("WATCH", "rl")).isEqualTo("OK");
    assertThat(other.exec("WINDOW.ALLOW", "rl", "1")).isEqualTo(List.of(0L, 1L, 10_000L));
    r.exec("MULTI");
    r.exec("WINDOW.COUNT", "rl");
    assertThat(r.exec("EXEC")).isEqualTo(List.of(1L));
    r.exec("WATCH", "rl");
    r.advance(10_000);
    assertThat(other.exec("WINDOW.ALLOW", "rl", "1")).isEqualTo(List.of(1L, 1L, 10_000L));
    r.exec("MULTI");
    r.exec("WINDOW.COUNT", "rl");
    assertThat(r.exec("EXEC")).isNull();
  }

  @Test
  void worksWithTheGenericKeyCommands() {
    r.exec("WINDOW.INCRBY", "c", "5", "WINDOW", "60000");
    r.exec("SET", "s", "v");
    assertThat(r.exec("WINDOW.INCRBY", "s", "1")).isEqualTo(new Err("WRONGTYPE Operation against a key holding the wrong kind of value"));
    assertThat(r.exec("WINDOW.COUNT", "s")).isEqualTo(new Err("WRONGTYPE Operation against a key holding the wrong kind of value"));
    assertThat(r.exec("RANKING.TOP", "c", "1")).isEqualTo(new Err("WRONGTYPE Operation against a key holding the wrong kind of value"));
    assertThat(r.exec("TYPE", "c")).isEqualTo("window-counter");
    assertThat(r.exec("OBJECT", "ENCODING", "c")).isEqualTo("ring");
    assertThat((Long) r.exec("MEMORY", "USAGE", "c")).isGreaterThan(900L);
    String payload = (String) r.exec("DUMP", "c");
    assertThat(payload.charAt(0)).isEqualTo((char) 17);
    assertThat(r.exec("RESTORE", "c2", "0", payload)).isEqualTo("OK");
    assertThat(r.exec("COPY", "c", "c3")).isEqualTo(1L);
    r.exec("WINDOW.INCRBY", "c", "1");
    assertThat(r.exec("WINDOW.COUNT", "c2")).isEqualTo(5L);
    assertThat(r.exec("WINDOW.COUNT", "c3")).isEqualTo(5L);
    assertThat(r.exec("WINDOW.COUNT", "c")).isEqualTo(6L);
    assertThat(r.exec("DEBUG", "DIGEST-VALUE", "c2")).isEqualTo(r.exec("DEBUG", "DIGEST-VALUE", "c3"));
    assertThat(r.exec("EXPIRE", "c", "1")).isEqualTo(1L);
    r.advance(1_001);
    assertThat(r.exec("WINDOW.COUNT", "c")).isEqualTo(0L);
    assertThat(r.exec("DEL", "c2", "c3")).isEqualTo(2L);
  }
}

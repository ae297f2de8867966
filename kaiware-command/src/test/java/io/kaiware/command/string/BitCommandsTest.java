package io.kaiware.command.string;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SETBIT, GETBIT and BITCOUNT (cases from Redis 7.0's tests/unit/type/string.tcl and bitops.tcl). */
class BitCommandsTest {

  private static final Err OFFSET = new Err("ERR bit offset is not an integer or out of range");
  private static final Err BIT = new Err("ERR bit is not an integer or out of range");
  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
  }

  private static String bits(String binary) {
    byte[] out = new byte[binary.length() / 8];
    for (int i = 0; i < binary.length(); i++) {
      if (binary.charAt(i) == '1') {
        out[i / 8] |= (byte) (0x80 >>> (i % 8));
      }
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  @Test
  void setbitCreatesGrowsAndAnswersTheOldBit() {
    assertThat(r.exec("SETBIT", "k", "1", "1")).isEqualTo(0L);
    assertThat(r.exec("GET", "k")).isEqualTo(bits("01000000"));
    r.exec("SET", "k", "@");
    assertThat(r.exec("SETBIT", "k", "2", "1")).isEqualTo(0L);
    assertThat(r.exec("GET", "k")).isEqualTo(bits("01100000"));
    assertThat(r.exec("SETBIT", "k", "1", "0")).isEqualTo(1L);
    assertThat(r.exec("GET", "k")).isEqualTo(bits("00100000"));
    r.exec("SET", "n", "1");
    assertThat(r.exec("SETBIT", "n", "6", "1")).isEqualTo(0L);
    assertThat(r.exec("GET", "n")).isEqualTo(bits("00110011"));
    assertThat(r.exec("SETBIT", "z", "23", "0")).isEqualTo(0L);
    assertThat(r.exec("STRLEN", "z")).isEqualTo(3L);
  }

  @Test
  void setbitKeepsTheTtlAndRejectsBadArguments() {
    r.exec("SET", "k", "x", "PX", "5000");
    r.exec("SETBIT", "k", "100", "1");
    assertThat((Long) r.exec("PTTL", "k")).isEqualTo(5000L);
    assertThat(r.exec("SETBIT", "k", String.valueOf(4L * 1024 * 1024 * 1024), "1")).isEqualTo(OFFSET);
    assertThat(r.exec("SETBIT", "k", "-1", "1")).isEqualTo(OFFSET);
    assertThat(r.exec("SETBIT", "k", "x", "1")).isEqualTo(OFFSET);
    for (String bad : new String[] {"-1", "2", "10", "20", "x"}) {
      assertThat(r.exec("SETBIT", "k", "0", bad)).isEqualTo(BIT);
    }
    r.exec("HSET", "h", "f", "v");
    assertThat(r.exec("SETBIT", "h", "0", "1")).isEqualTo(new Err("WRONGTYPE Operation against a key holding the wrong kind of value"));
    assertThat(r.exec("GETBIT", "h", "0")).isEqualTo(new Err("WRONGTYPE Operation against a key holding the wrong kind of value"));
  }

  @Test
  void setbitThatChangesNothingDoesNotDirtyAWatch() {
    r.exec("SET", "k", "@");
    r.exec("WATCH", "k");
    r.exec("SETBIT", "k", "1", "1"); // already 1
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNotNull();
    r.exec("WATCH", "k");
    r.exec("SETBIT", "k", "0", "1");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNull();
  }

  @Test
  void getbit() {
    assertThat(r.exec("GETBIT", "nokey", "0")).isEqualTo(0L);
    r.exec("SET", "k", "`"); // 01100000
    assertThat(r.exec("GETBIT", "k", "0")).isEqualTo(0L);
    assertThat(r.exec("GETBIT", "k", "1")).isEqualTo(1L);
    assertThat(r.exec("GETBIT", "k", "2")).isEqualTo(1L);
    assertThat(r.exec("GETBIT", "k", "3")).isEqualTo(0L);
    assertThat(r.exec("GETBIT", "k", "8")).isEqualTo(0L);
    assertThat(r.exec("GETBIT", "k", "100000")).isEqualTo(0L);
    assertThat(r.exec("GETBIT", "k", "-1")).isEqualTo(OFFSET);
  }

  @Test
  void setbitFuzzAgainstABitSet() {
    Random random = new Random(42);
    BitSet model = new BitSet();
    for (int i = 0; i < 2000; i++) {
      int bit = random.nextInt(256 * 8);
      boolean on = random.nextBoolean();
      assertThat(r.exec("SETBIT", "k", String.valueOf(bit), on ? "1" : "0")).isEqualTo(model.get(bit) ? 1L : 0L);
      model.set(bit, on);
      assertThat(r.exec("GETBIT", "k", String.valueOf(bit))).isEqualTo(on ? 1L : 0L);
    }
    assertThat(r.exec("BITCOUNT", "k")).isEqualTo((long) model.cardinality());
    int from = 37;
    int to = 1500;
    assertThat(r.exec("BITCOUNT", "k", String.valueOf(from), String.valueOf(to), "BIT"))
        .isEqualTo((long) model.get(from, to + 1).cardinality());
  }

  @Test
  void bitcountRanges() {
    assertThat(r.exec("BITCOUNT", "no-key")).isEqualTo(0L);
    assertThat(r.exec("BITCOUNT", "no-key", "0", "1000", "bit")).isEqualTo(0L);
    r.exec("SET", "str", "xxxx");
    assertThat(r.exec("BITCOUNT", "str", "4", "10")).isEqualTo(0L);
    assertThat(r.exec("BITCOUNT", "str", "32", "87", "bit")).isEqualTo(0L);
    assertThat(r.exec("BITCOUNT", "str", "-6", "-7")).isEqualTo(0L);
    assertThat(r.exec("BITCOUNT", "str", "-6", "-15", "bit")).isEqualTo(0L);
    r.exec("SET", "s", "foobar");
    assertThat(r.exec("BITCOUNT", "s")).isEqualTo(26L);
    assertThat(r.exec("BITCOUNT", "s", "0", "-1")).isEqualTo(26L);
    assertThat(r.exec("BITCOUNT", "s", "1", "-2")).isEqualTo(18L); // "ooba"
    assertThat(r.exec("BITCOUNT", "s", "-2", "1")).isEqualTo(0L);
    assertThat(r.exec("BITCOUNT", "s", "5", "30", "BIT")).isEqualTo(17L);
    assertThat(r.exec("BITCOUNT", "s", "10", "-34", "bit")).isEqualTo(r.exec("BITCOUNT", "s", "10", "14", "bit"));
    assertThat(r.exec("BITCOUNT", "s", "0")).isEqualTo(new Err("ERR syntax error"));
    assertThat(r.exec("BITCOUNT", "s", "0", "1", "hello")).isEqualTo(new Err("ERR syntax error"));
    assertThat(r.exec("BITCOUNT", "s", "0", "x")).isEqualTo(new Err("ERR value is not an integer or out of range"));
    r.exec("SET", "str", "ab");
    assertThat(r.exec("BITCOUNT", "str", "1", "-1")).isEqualTo(3L);
    r.exec("SET", "str", "__PPxxxxxxxxxxxxxxxxRR__");
    assertThat(r.exec("BITCOUNT", "str", "2", "-3")).isEqualTo(74L);
  }
}

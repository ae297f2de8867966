package io.kaiware.command.string;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SETBIT, GETBIT, BITCOUNT, BITOP, BITPOS, BITFIELD and BITFIELD_RO (cases from Redis 7.0's
 * tests/unit/type/string.tcl, bitops.tcl and bitfield.tcl, plus models of bitops.c's rules).
 */
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

  // ---------------------------------------------------------------- BITOP

  private static final Err SYNTAX = new Err("ERR syntax error");
  private static final Err NOT_INT = new Err("ERR value is not an integer or out of range");
  private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");

  private static String hex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /** bitops.tcl's vectors: NOT, same key, single inputs, missing keys, zero padding, integers. */
  @Test
  void bitopRedisVectors() {
    r.exec("SET", "s", "");
    assertThat(r.exec("BITOP", "not", "dest", "s")).isEqualTo(0L);
    assertThat(r.exec("GET", "dest")).isNull();
    r.exec("SET", "s", hex("aa00ff55"));
    assertThat(r.exec("BITOP", "not", "dest", "s")).isEqualTo(4L);
    assertThat(r.exec("GET", "dest")).isEqualTo(hex("55ff00aa"));
    assertThat(r.exec("BITOP", "NOT", "s", "s")).isEqualTo(4L);
    assertThat(r.exec("GET", "s")).isEqualTo(hex("55ff00aa"));

    r.exec("SET", "a", hex("0102ff"));
    for (String op : new String[] {"and", "OR", "Xor"}) {
      assertThat(r.exec("BITOP", op, "res", "a")).isEqualTo(3L);
      assertThat(r.exec("GET", "res")).isEqualTo(hex("0102ff"));
    }
    r.exec("BITOP", "and", "res1", "no-such-key", "a");
    r.exec("BITOP", "or", "res2", "no-such-key", "a", "no-such-key");
    r.exec("BITOP", "xor", "res3", "no-such-key", "a");
    assertThat(r.exec("MGET", "res1", "res2", "res3")).isEqualTo(List.of(hex("000000"), hex("0102ff"), hex("0102ff")));

    r.exec("SET", "a", hex("0102ffff"));
    r.exec("SET", "b", hex("0102ff"));
    assertThat(r.exec("BITOP", "and", "res1", "a", "b")).isEqualTo(4L);
    assertThat(r.exec("BITOP", "or", "res2", "a", "b")).isEqualTo(4L);
    assertThat(r.exec("BITOP", "xor", "res3", "a", "b")).isEqualTo(4L);
    assertThat(r.exec("MGET", "res1", "res2", "res3"))
        .isEqualTo(List.of(hex("0102ff00"), hex("0102ffff"), hex("000000ff")));

    r.exec("SET", "a", "1");
    r.exec("SET", "b", "2");
    r.exec("BITOP", "xor", "dest", "a", "b", "a");
    assertThat(r.exec("GET", "dest")).isEqualTo("2");

    r.exec("SET", "z", "\0".repeat(32));
    r.exec("DEL", "missing");
    assertThat(r.exec("BITOP", "or", "x", "z", "missing")).isEqualTo(32L); // issue #529
  }

  @Test
  void bitopErrorsAndTheDestination() {
    r.exec("SET", "a", "x");
    assertThat(r.exec("BITOP", "nand", "d", "a")).isEqualTo(SYNTAX);
    assertThat(r.exec("BITOP", "an", "d", "a")).isEqualTo(SYNTAX);
    assertThat(r.exec("BITOP", "not", "d", "a", "a"))
        .isEqualTo(new Err("ERR BITOP NOT must be called with a single source key."));
    assertThat(r.exec("BITOP", "and", "d")).isEqualTo(new Err("ERR wrong number of arguments for 'bitop' command"));
    r.exec("LPUSH", "list", "foo");
    assertThat(r.exec("BITOP", "xor", "d", "a", "list", "nokey")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("EXISTS", "d")).isEqualTo(0L);

    // The destination: any type is replaced, its TTL dropped; an all-empty result deletes it.
    r.exec("HSET", "d", "f", "v");
    assertThat(r.exec("BITOP", "or", "d", "a")).isEqualTo(1L);
    assertThat(r.exec("TYPE", "d")).isEqualTo("string");
    r.exec("SET", "t", "old", "EX", "100");
    r.exec("BITOP", "and", "t", "a");
    assertThat(r.exec("TTL", "t")).isEqualTo(-1L);
    assertThat(r.exec("GET", "t")).isEqualTo("x");
    r.exec("SET", "empty", "");
    assertThat(r.exec("BITOP", "or", "t", "empty", "nokey")).isEqualTo(0L);
    assertThat(r.exec("EXISTS", "t")).isEqualTo(0L);
    assertThat(r.exec("BITOP", "or", "t", "nokey")).isEqualTo(0L);
    assertThat(r.exec("EXISTS", "t")).isEqualTo(0L);

    // The result is a raw string however short, and a write that always dirties WATCH (setKey).
    r.exec("SET", "n", "12");
    r.exec("BITOP", "or", "copy", "n");
    assertThat(r.exec("GET", "copy")).isEqualTo("12");
    assertThat(r.exec("OBJECT", "ENCODING", "copy")).isEqualTo("raw");
    r.exec("WATCH", "copy");
    r.exec("BITOP", "or", "copy", "n"); // same value
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNull();
    // Sources are read, not written: a source's TTL and encoding stay.
    r.exec("SET", "src", "5", "PX", "9000");
    r.exec("BITOP", "not", "dst", "src");
    assertThat(r.exec("PTTL", "src")).isEqualTo(9000L);
    assertThat(r.exec("OBJECT", "ENCODING", "src")).isEqualTo("int");
  }

  /** The reference: bit by bit over the inputs zero-padded to the longest (bitops.tcl's simulate_bit_op). */
  private static byte[] simulateBitop(String op, List<byte[]> inputs) {
    int maxBits = inputs.stream().mapToInt(b -> b.length * 8).max().orElse(0);
    byte[] out = new byte[maxBits / 8];
    for (int x = 0; x < maxBits; x++) {
      boolean bit = bitOf(inputs.get(0), x);
      if (op.equals("not")) {
        bit = !bit;
      }
      for (int j = 1; j < inputs.size(); j++) {
        boolean b2 = bitOf(inputs.get(j), x);
        bit = switch (op) {
          case "and" -> bit & b2;
          case "or" -> bit | b2;
          default -> bit ^ b2;
        };
      }
      if (bit) {
        out[x / 8] |= (byte) (0x80 >>> (x % 8));
      }
    }
    return out;
  }

  private static boolean bitOf(byte[] b, long x) {
    return x / 8 < b.length && (b[(int) (x / 8)] & (0x80 >>> (x % 8))) != 0;
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static byte[] randomBytes(Random random, int maxLen) {
    byte[] b = new byte[random.nextInt(maxLen + 1)];
    random.nextBytes(b);
    return b;
  }

  @Test
  void bitopFuzzAgainstABitByBitModel() {
    Random random = new Random(7);
    for (String op : new String[] {"and", "or", "xor", "not"}) {
      for (int round = 0; round < 40; round++) {
        r.exec("FLUSHALL");
        int n = op.equals("not") ? 1 : random.nextInt(10) + 1;
        List<byte[]> inputs = new ArrayList<>();
        List<String> argv = new ArrayList<>(List.of("BITOP", op, "target"));
        for (int j = 0; j < n; j++) {
          byte[] value = randomBytes(random, 100);
          if (random.nextInt(5) > 0) {
            r.exec("SET".getBytes(), ("v" + j).getBytes(), value);
          } else {
            value = new byte[0]; // a missing key
          }
          inputs.add(value);
          argv.add("v" + j);
        }
        byte[] expected = simulateBitop(op, inputs);
        assertThat(r.exec(argv.toArray(String[]::new))).isEqualTo((long) expected.length);
        assertThat(r.exec("GET", "target")).isEqualTo(expected.length == 0 ? null : text(expected));
      }
    }
  }

  // ---------------------------------------------------------------- BITPOS

  @Test
  void bitposRedisVectors() {
    assertThat(r.exec("BITPOS", "str", "0")).isEqualTo(0L);
    assertThat(r.exec("BITPOS", "str", "0", "0", "-1", "bit")).isEqualTo(0L);
    assertThat(r.exec("BITPOS", "str", "1")).isEqualTo(-1L);
    assertThat(r.exec("BITPOS", "str", "1", "0", "-1")).isEqualTo(-1L);

    r.exec("SET", "str", hex("fff000"));
    assertThat(r.exec("BITPOS", "str", "0")).isEqualTo(12L);
    assertThat(r.exec("BITPOS", "str", "0", "0", "-1", "bit")).isEqualTo(12L);
    assertThat(r.exec("BITPOS", "str", "0", "1")).isEqualTo(12L);
    assertThat(r.exec("BITPOS", "str", "0", "1", "-1", "bit")).isEqualTo(12L);
    r.exec("SET", "str", hex("000f00"));
    assertThat(r.exec("BITPOS", "str", "1")).isEqualTo(12L);
    assertThat(r.exec("BITPOS", "str", "1", "0", "-1", "bit")).isEqualTo(12L);
    r.exec("SET", "str", hex("000fff"));
    assertThat(r.exec("BITPOS", "str", "1", "1")).isEqualTo(12L);
    assertThat(r.exec("BITPOS", "str", "1", "1", "-1", "bit")).isEqualTo(12L);

    r.exec("SET", "str", hex("ff".repeat(27) + "0f"));
    r.exec("SET", "one", hex("00".repeat(27) + "f0"));
    for (int start = 0; start <= 8; start++) {
      assertThat(r.exec("BITPOS", "str", "0", String.valueOf(start))).isEqualTo(216L);
      assertThat(r.exec("BITPOS", "str", "0", String.valueOf(start * 8 + 1), "-1", "bit")).isEqualTo(216L);
      assertThat(r.exec("BITPOS", "one", "1", String.valueOf(start))).isEqualTo(216L);
      assertThat(r.exec("BITPOS", "one", "1", String.valueOf(start * 8 + 1), "-1", "bit")).isEqualTo(216L);
    }

    r.exec("SET", "str", "");
    for (int j = 0; j < 20; j++) {
      assertThat(r.exec("BITPOS", "str", "1")).isEqualTo(-1L);
      assertThat(r.exec("BITPOS", "str", "1", "0", "-1", "bit")).isEqualTo(-1L);
      r.exec("APPEND", "str", "\0");
    }
    r.exec("SET", "empty", "");
    assertThat(r.exec("BITPOS", "empty", "0")).isEqualTo(-1L); // an existing empty string: an empty range

    r.exec("SET", "str", hex("00ff00"));
    Object[][] intervals = {
        {"0", "0", "-1", null, 0L}, {"0", "1", "-1", null, 16L}, {"0", "2", "-1", null, 16L},
        {"0", "2", "200", null, 16L}, {"0", "1", "1", null, -1L},
        {"0", "0", "-1", "bit", 0L}, {"0", "8", "-1", "bit", 16L}, {"0", "16", "-1", "bit", 16L},
        {"0", "16", "200", "bit", 16L}, {"0", "8", "8", "bit", -1L},
        {"1", "0", "-1", null, 8L}, {"1", "1", "-1", null, 8L}, {"1", "2", "-1", null, -1L},
        {"1", "2", "200", null, -1L}, {"1", "1", "1", null, 8L},
        {"1", "0", "-1", "bit", 8L}, {"1", "8", "-1", "bit", 8L}, {"1", "16", "-1", "bit", -1L},
        {"1", "16", "200", "bit", -1L}, {"1", "8", "8", "bit", 8L}};
    for (Object[] c : intervals) {
      Object reply = c[3] == null ? r.exec("BITPOS", "str", (String) c[0], (String) c[1], (String) c[2])
          : r.exec("BITPOS", "str", (String) c[0], (String) c[1], (String) c[2], (String) c[3]);
      assertThat(reply).as("BITPOS str %s %s %s %s", c).isEqualTo(c[4]);
    }

    // "BITPOS bit=0 changes behavior if end is given"
    r.exec("SET", "str", hex("ffffff"));
    assertThat(r.exec("BITPOS", "str", "0")).isEqualTo(24L);
    assertThat(r.exec("BITPOS", "str", "0", "0")).isEqualTo(24L);
    assertThat(r.exec("BITPOS", "str", "0", "0", "-1")).isEqualTo(-1L);
    assertThat(r.exec("BITPOS", "str", "0", "0", "-1", "bit")).isEqualTo(-1L);
    assertThat(r.exec("BITPOS", "str", "0", "1", "1", "bit")).isEqualTo(-1L);
  }

  @Test
  void bitposErrors() {
    assertThat(r.exec("BITPOS", "nokey", "2")).isEqualTo(new Err("ERR The bit argument must be 1 or 0."));
    assertThat(r.exec("BITPOS", "nokey", "-1")).isEqualTo(new Err("ERR The bit argument must be 1 or 0."));
    assertThat(r.exec("BITPOS", "nokey", "x")).isEqualTo(NOT_INT);
    // A missing key answers before the range is parsed.
    assertThat(r.exec("BITPOS", "nokey", "1", "x")).isEqualTo(-1L);
    assertThat(r.exec("BITPOS", "nokey", "0", "0", "1", "bad", "extra")).isEqualTo(0L);
    r.exec("SET", "s", "foobar");
    assertThat(r.exec("BITPOS", "s", "1", "x")).isEqualTo(NOT_INT);
    assertThat(r.exec("BITPOS", "s", "1", "0", "x")).isEqualTo(NOT_INT);
    assertThat(r.exec("BITPOS", "s", "1", "0", "1", "bits")).isEqualTo(SYNTAX);
    assertThat(r.exec("BITPOS", "s", "1", "x", "1", "bits")).isEqualTo(NOT_INT); // start before the unit
    assertThat(r.exec("BITPOS", "s", "1", "0", "x", "bits")).isEqualTo(SYNTAX); // the unit before end
    assertThat(r.exec("BITPOS", "s", "1", "0", "1", "bit", "x")).isEqualTo(SYNTAX);
    assertThat(r.exec("BITPOS", "s")).isEqualTo(new Err("ERR wrong number of arguments for 'bitpos' command"));
    assertThat(r.exec("BITPOS", "s", "1", "0", "-1", "BYTE")).isEqualTo(1L);
    assertThat(r.exec("BITPOS", "s", "1", "-2", "-3")).isEqualTo(-1L); // start > end
    assertThat(r.exec("BITPOS", "s", "1", "-100", "-100")).isEqualTo(1L); // both clamp to 0
    r.exec("LPUSH", "l", "x");
    assertThat(r.exec("BITPOS", "l", "1")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("BITPOS", "l", "2")).isEqualTo(new Err("ERR The bit argument must be 1 or 0.")); // before the lookup
  }

  /**
   * The model of bitposCommand's rules: the range normalized as BITCOUNT's (negative from the end,
   * clamped), scanned bit by bit; no clear bit found is -1 with an explicit end, else the first bit
   * past the string.
   */
  private static long bitposModel(byte[] s, int bit, Long start, Long end, boolean isBit) {
    long len = s.length;
    long st;
    long en;
    if (start == null) {
      st = 0;
      en = len - 1;
    } else {
      long total = isBit ? len * 8 : len;
      st = start;
      en = end == null ? (isBit ? len * 8 + 7 : len - 1) : end;
      st = st < 0 ? total + st : st;
      en = en < 0 ? total + en : en;
      st = Math.max(st, 0);
      en = Math.max(en, 0);
      en = Math.min(en, total - 1);
    }
    if (st > en) {
      return -1;
    }
    long firstBit = isBit ? st : st * 8;
    long lastBit = isBit ? en : en * 8 + 7;
    for (long x = firstBit; x <= lastBit; x++) {
      if (bitOf(s, x) == (bit == 1)) {
        return x;
      }
    }
    if (bit == 1 || end != null) {
      return -1;
    }
    return len * 8;
  }

  @Test
  void bitposFuzzAgainstTheModel() {
    Random random = new Random(11);
    for (int round = 0; round < 3000; round++) {
      byte[] s = new byte[random.nextInt(24)];
      for (int i = 0; i < s.length; i++) { // runs of 0x00 and 0xff make the edges interesting
        int kind = random.nextInt(4);
        s[i] = (byte) (kind == 0 ? 0 : kind == 1 ? 0xff : random.nextInt(256));
      }
      r.exec("SET".getBytes(), "k".getBytes(), s);
      int bit = random.nextInt(2);
      int form = random.nextInt(5);
      long bound = s.length * 8L + 20;
      Long start = form == 0 ? null : random.nextLong(-bound, bound);
      Long end = form <= 1 ? null : random.nextLong(-bound, bound);
      boolean isBit = form == 4;
      List<String> argv = new ArrayList<>(List.of("BITPOS", "k", String.valueOf(bit)));
      if (start != null) {
        argv.add(String.valueOf(start));
      }
      if (end != null) {
        argv.add(String.valueOf(end));
      }
      if (form == 3) {
        argv.add("BYTE");
      } else if (form == 4) {
        argv.add("bit");
      }
      assertThat(r.exec(argv.toArray(String[]::new))).as("%s on %s", argv, Arrays.toString(s))
          .isEqualTo(bitposModel(s, bit, start, end, isBit));
    }
  }

  /** bitops.tcl "BITPOS/BITCOUNT fuzzy testing using SETBIT": one odd bit in 80, every range form. */
  @Test
  void bitposAndBitcountWithOneOddBit() {
    r.exec("SETBIT", "str", "79", "0");
    for (int bit = 0; bit < 2; bit++) {
      r.exec("BITOP", "not", "str", "str");
      for (int j = 0; j < 80; j++) {
        r.exec("SETBIT", "str", String.valueOf(j), String.valueOf(bit));
        for (int start = 0; start < 80; start += 3) {
          for (int end = start; end < 80; end += 5) {
            boolean in = j >= start && j <= end;
            assertThat(r.exec("BITPOS", "str", String.valueOf(bit), String.valueOf(start), String.valueOf(end), "bit"))
                .isEqualTo(in ? (long) j : -1L);
            long count = (end - start + 1L) * (1 - bit) + (in ? (bit == 1 ? 1 : -1) : 0);
            assertThat(r.exec("BITCOUNT", "str", String.valueOf(start), String.valueOf(end), "bit")).isEqualTo(count);
          }
        }
        for (int start = 0; start < 10; start++) {
          boolean in = j >= start * 8;
          assertThat(r.exec("BITPOS", "str", String.valueOf(bit), String.valueOf(start), "9", "byte"))
              .isEqualTo(in ? (long) j : -1L);
        }
        r.exec("SETBIT", "str", String.valueOf(j), String.valueOf(1 - bit));
      }
    }
  }

  // ---------------------------------------------------------------- BITFIELD

  private static final Err BAD_TYPE =
      new Err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");

  @Test
  void bitfieldRedisVectors() {
    assertThat(r.exec("BITFIELD", "bits", "set", "i8", "0", "-100")).isEqualTo(List.of(0L));
    assertThat(r.exec("BITFIELD", "bits", "set", "i8", "0", "101")).isEqualTo(List.of(-100L));
    assertThat(r.exec("BITFIELD", "bits", "get", "i8", "0")).isEqualTo(List.of(101L));
    r.exec("DEL", "bits");
    assertThat(r.exec("BITFIELD", "bits", "set", "u8", "0", "255")).isEqualTo(List.of(0L));
    assertThat(r.exec("BITFIELD", "bits", "set", "u8", "0", "100")).isEqualTo(List.of(255L));
    assertThat(r.exec("BITFIELD", "bits", "get", "u8", "0")).isEqualTo(List.of(100L));
    r.exec("DEL", "bits");
    assertThat(r.exec("BITFIELD", "bits", "set", "i8", "0", "255", "set", "i8", "0", "100", "get", "i8", "0"))
        .isEqualTo(List.of(0L, -1L, 100L));
    r.exec("DEL", "bits");
    assertThat(r.exec("BITFIELD", "bits", "set", "u8", "0", "255", "incrby", "u8", "0", "100", "get", "u8", "0"))
        .isEqualTo(List.of(0L, 99L, 99L));
    r.exec("DEL", "bits");
    assertThat(r.exec("BITFIELD", "bits")).isEqualTo(List.of());
    assertThat(r.exec("EXISTS", "bits")).isEqualTo(0L);

    r.exec("BITFIELD", "bits", "set", "u8", "#0", "65");
    r.exec("BITFIELD", "bits", "set", "u8", "#1", "66");
    r.exec("BITFIELD", "bits", "set", "u8", "#2", "67");
    assertThat(r.exec("GET", "bits")).isEqualTo("ABC");

    r.exec("DEL", "bits");
    r.exec("BITFIELD", "bits", "set", "u8", "#0", "10");
    assertThat(r.exec("BITFIELD", "bits", "incrby", "u8", "#0", "100", "incrby", "u8", "#0", "100"))
        .isEqualTo(List.of(110L, 210L));

    Object[][] overflow = {
        {"u8", "wrap", "257", 101L, "255", 100L}, {"u8", "sat", "257", 255L, "-255", 0L},
        {"i8", "wrap", "257", 101L, "255", 100L}, {"i8", "sat", "257", 127L, "-255", -128L}};
    for (Object[] c : overflow) {
      r.exec("DEL", "bits");
      r.exec("BITFIELD", "bits", "set", "u8", "#0", "100");
      String type = (String) c[0];
      assertThat(r.exec("BITFIELD", "bits", "overflow", (String) c[1], "incrby", type, "#0", (String) c[2]))
          .isEqualTo(List.of(c[3]));
      assertThat(r.exec("BITFIELD", "bits", "get", type, "#0")).isEqualTo(List.of(c[3]));
      assertThat(r.exec("BITFIELD", "bits", "OVERFLOW", ((String) c[1]).toUpperCase(), "INCRBY", type, "#0", (String) c[4]))
          .isEqualTo(List.of(c[5]));
      assertThat(r.exec("BITFIELD", "bits", "GET", type, "#0")).isEqualTo(List.of(c[5]));
    }

    r.exec("SET", "bits", "1"); // #3221: an integer-looking string is read as its bytes
    assertThat(r.exec("BITFIELD", "bits", "get", "u1", "0")).isEqualTo(List.of(0L));
    r.exec("DEL", "mystring"); // #3564
    assertThat(r.exec("BITFIELD", "mystring", "SET", "i8", "0", "10", "SET", "i8", "64", "10", "INCRBY", "i8", "10", "99900"))
        .isEqualTo(List.of(0L, 0L, 60L));
  }

  @Test
  void bitfieldOverflowFail() {
    r.exec("BITFIELD", "k", "set", "u8", "0", "250");
    assertThat(r.exec("BITFIELD", "k", "overflow", "fail", "incrby", "u8", "0", "10", "get", "u8", "0",
        "overflow", "wrap", "incrby", "u8", "0", "10")).isEqualTo(Arrays.asList(null, 250L, 4L));
    // OVERFLOW applies to the operations after it, until the next one.
    assertThat(r.exec("BITFIELD", "k", "overflow", "sat", "set", "u4", "0", "16", "set", "i4", "4", "-9",
        "incrby", "u4", "0", "-20")).isEqualTo(List.of(0L, 4L, 0L));
    assertThat(r.exec("BITFIELD", "k", "get", "u4", "0", "get", "i4", "4")).isEqualTo(List.of(0L, -8L));
    // FAIL on SET refuses out-of-range values, unsigned SET of a negative value included.
    assertThat(r.exec("BITFIELD", "k", "overflow", "fail", "set", "u8", "0", "256", "set", "u8", "0", "-1",
        "set", "i8", "0", "128", "set", "i8", "0", "-129", "set", "i8", "0", "-128"))
        .isEqualTo(Arrays.asList(null, null, null, null, 8L));
    assertThat(r.exec("BITFIELD", "k", "overflow", "sat", "set", "u8", "0", "-1")).isEqualTo(List.of(128L));
    assertThat(r.exec("BITFIELD", "k", "get", "u8", "0")).isEqualTo(List.of(255L)); // saturated to the max
    assertThat(r.exec("BITFIELD", "k", "overflow", "wrap", "set", "u8", "0", "-2")).isEqualTo(List.of(255L));
    assertThat(r.exec("BITFIELD", "k", "get", "u8", "0")).isEqualTo(List.of(254L));
    // Redis's signed check computes max - value in wrapping arithmetic: SET i8 to Long.MIN_VALUE
    // counts as an overflow upwards, so SAT stores the maximum.
    assertThat(r.exec("BITFIELD", "k", "overflow", "sat", "set", "i8", "0", "-9223372036854775808",
        "get", "i8", "0")).isEqualTo(List.of(-2L, 127L));
  }

  @Test
  void bitfieldWidthsAndOffsets() {
    assertThat(r.exec("BITFIELD", "k", "set", "i64", "0", "-9223372036854775808", "get", "i64", "0", "get", "u63", "0",
        "get", "u63", "1", "get", "i1", "0", "get", "u1", "0"))
        .isEqualTo(List.of(0L, Long.MIN_VALUE, 1L << 62, 0L, -1L, 1L));
    assertThat(r.exec("STRLEN", "k")).isEqualTo(8L);
    assertThat(r.exec("BITFIELD", "k", "overflow", "wrap", "incrby", "i64", "0", "-1")).isEqualTo(List.of(Long.MAX_VALUE));
    assertThat(r.exec("BITFIELD", "k", "overflow", "fail", "incrby", "i64", "0", "1")).isEqualTo(Arrays.asList((Object) null));
    assertThat(r.exec("BITFIELD", "k", "overflow", "sat", "incrby", "i64", "0", "5")).isEqualTo(List.of(Long.MAX_VALUE));
    assertThat(r.exec("BITFIELD", "k", "set", "u63", "0", "9223372036854775807", "get", "u63", "0"))
        .isEqualTo(List.of(Long.MAX_VALUE >>> 1, Long.MAX_VALUE)); // u63 holds Long.MAX_VALUE
    // Unaligned fields across bytes; reads past the end are zeros; writes grow the string.
    r.exec("DEL", "k");
    assertThat(r.exec("BITFIELD", "k", "set", "u5", "7", "23")).isEqualTo(List.of(0L));
    assertThat(r.exec("GET", "k")).isEqualTo(bits("0000000101110000"));
    assertThat(r.exec("BITFIELD_RO", "k", "get", "u5", "7", "get", "i5", "7", "get", "u32", "100"))
        .isEqualTo(List.of(23L, -9L, 0L));
    assertThat(r.exec("BITFIELD", "k", "get", "u16", "12", "set", "i3", "#10", "-1")).isEqualTo(List.of(0L, 0L));
    assertThat(r.exec("STRLEN", "k")).isEqualTo(5L); // bits 30-32
    assertThat(r.exec("BITFIELD", "k", "get", "u3", "30", "get", "u3", "#10")).isEqualTo(List.of(7L, 7L));
    // #N with a huge N: the product wraps as in C, then the range check applies.
    assertThat(r.exec("BITFIELD", "k", "get", "u8", "#1152921504606846976")).isEqualTo(OFFSET);
    assertThat(r.exec("BITFIELD", "k", "get", "u8", "#536870911")).isEqualTo(List.of(0L));
    assertThat(r.exec("BITFIELD", "k", "get", "u8", "#536870912")).isEqualTo(OFFSET);
    assertThat(r.exec("BITFIELD", "k", "get", "u8", "4294967295")).isEqualTo(List.of(0L));
    assertThat(r.exec("BITFIELD", "k", "get", "u8", "4294967296")).isEqualTo(OFFSET);
  }

  @Test
  void bitfieldErrors() {
    r.exec("SET", "k", "abc");
    for (String type : new String[] {"u64", "i65", "i0", "u0", "I8", "U8", "x8", "i", "", "i08", "i+8", "i-1", "8"}) {
      assertThat(r.exec("BITFIELD", "k", "get", type, "0")).as(type).isEqualTo(BAD_TYPE);
    }
    assertThat(r.exec("BITFIELD".getBytes(), "k".getBytes(), "get".getBytes(), "i8\0junk".getBytes(), "0".getBytes()))
        .isEqualTo(List.of(97L)); // the width is read up to a NUL, as C's strlen does
    for (String offset : new String[] {"-1", "x", "#", "#-1", "##1", "", "#x", "1.5", " 1", "-9223372036854775808",
        "4294967296"}) {
      assertThat(r.exec("BITFIELD", "k", "get", "u8", offset)).as(offset).isEqualTo(OFFSET);
    }
    assertThat(r.exec("BITFIELD", "k", "set", "u8", "0", "x")).isEqualTo(NOT_INT);
    assertThat(r.exec("BITFIELD", "k", "incrby", "u8", "0", "9223372036854775808")).isEqualTo(NOT_INT);
    assertThat(r.exec("BITFIELD", "k", "overflow", "wraps", "get", "u8", "0"))
        .isEqualTo(new Err("ERR Invalid OVERFLOW type specified"));
    assertThat(r.exec("BITFIELD", "k", "get", "u8")).isEqualTo(SYNTAX); // too few arguments left
    assertThat(r.exec("BITFIELD", "k", "set", "u8", "0")).isEqualTo(SYNTAX);
    assertThat(r.exec("BITFIELD", "k", "incrby", "u8", "0")).isEqualTo(SYNTAX);
    assertThat(r.exec("BITFIELD", "k", "overflow")).isEqualTo(SYNTAX);
    assertThat(r.exec("BITFIELD", "k", "del", "u8", "0")).isEqualTo(SYNTAX);
    assertThat(r.exec("BITFIELD")).isEqualTo(new Err("ERR wrong number of arguments for 'bitfield' command"));
    // Everything is parsed before anything runs: a later error leaves the key as it was.
    assertThat(r.exec("BITFIELD", "k", "set", "u8", "0", "0", "get", "u65", "0")).isEqualTo(BAD_TYPE);
    assertThat(r.exec("GET", "k")).isEqualTo("abc");
    assertThat(r.exec("BITFIELD", "nokey", "set", "u8", "0", "1", "bogus")).isEqualTo(SYNTAX);
    assertThat(r.exec("EXISTS", "nokey")).isEqualTo(0L);
    // Argument errors come before the type check.
    r.exec("LPUSH", "list", "x");
    assertThat(r.exec("BITFIELD", "list", "get", "u99", "0")).isEqualTo(BAD_TYPE);
    assertThat(r.exec("BITFIELD", "list", "get", "u8", "0")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("BITFIELD", "list", "set", "u8", "0", "1")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("BITFIELD", "list")).isEqualTo(WRONGTYPE);
    assertThat(r.exec("BITFIELD_RO", "list", "get", "u8", "0")).isEqualTo(WRONGTYPE);
  }

  @Test
  void bitfieldRo() {
    assertThat(r.exec("BITFIELD_RO", "bits")).isEqualTo(List.of());
    r.exec("BITFIELD", "bits", "set", "u8", "0", "255");
    assertThat(r.exec("BITFIELD", "bits", "set", "u8", "0", "100")).isEqualTo(List.of(255L));
    assertThat(r.exec("BITFIELD_RO", "bits", "get", "u8", "0", "GET", "i4", "#1")).isEqualTo(List.of(100L, 4L));
    assertThat(r.exec("BITFIELD_RO", "bits", "overflow", "sat", "get", "u8", "0")).isEqualTo(List.of(100L));
    Err ro = new Err("ERR BITFIELD_RO only supports the GET subcommand");
    assertThat(r.exec("BITFIELD_RO", "bits", "set", "u8", "0", "100", "get", "u8", "0")).isEqualTo(ro);
    assertThat(r.exec("BITFIELD_RO", "bits", "incrby", "u8", "0", "1")).isEqualTo(ro);
    assertThat(r.exec("BITFIELD_RO", "bits", "set", "u64", "0", "1")).isEqualTo(BAD_TYPE); // parsed first
    assertThat(r.exec("BITFIELD_RO", "bits", "get", "u8")).isEqualTo(SYNTAX);
    assertThat(r.exec("BITFIELD_RO", "nokey", "set", "u8", "0", "1")).isEqualTo(ro);
    assertThat(r.exec("EXISTS", "nokey")).isEqualTo(0L);
    assertThat(r.exec("GET", "bits")).isEqualTo("d");
  }

  /**
   * bitops.tcl "SETBIT/BITFIELD only increase dirty when the value changed", as WATCH sees it: a
   * BITFIELD that writes the same bits and does not grow the string stores nothing.
   */
  @Test
  void bitfieldThatChangesNothingDoesNotDirtyAWatch() {
    r.exec("BITFIELD", "k", "set", "i5", "0", "0");
    assertThat(r.exec("GET", "k")).isEqualTo("\0");
    assertWatch("k", false, "BITFIELD", "k", "set", "i5", "0", "0");
    assertWatch("k", false, "BITFIELD", "k", "get", "i5", "0");
    assertWatch("k", false, "BITFIELD", "k", "overflow", "fail", "incrby", "u2", "0", "4");
    assertWatch("k", false, "BITFIELD", "k", "incrby", "u2", "0", "0");
    assertWatch("k", true, "BITFIELD", "k", "set", "i5", "0", "1");
    assertWatch("k", true, "BITFIELD", "k", "set", "i5", "90", "0"); // grows only
    assertThat(r.exec("STRLEN", "k")).isEqualTo(12L);
    assertWatch("k", true, "BITFIELD", "k", "incrby", "u2", "0", "1");
  }

  private void assertWatch(String key, boolean dirtied, String... command) {
    r.exec("WATCH", key);
    r.exec(command);
    r.exec("MULTI");
    r.exec("PING");
    Object exec = r.exec("EXEC");
    assertThat(exec == null).as("%s dirties the watch", Arrays.toString(command)).isEqualTo(dirtied);
  }

  @Test
  void bitfieldKeepsTheTtlLeavesARawStringAndCopiesTheValue() {
    r.exec("SET", "k", "12", "PX", "5000");
    assertThat(r.exec("OBJECT", "ENCODING", "k")).isEqualTo("int");
    r.exec("BITFIELD", "k", "get", "u8", "0");
    assertThat(r.exec("OBJECT", "ENCODING", "k")).isEqualTo("int"); // GET only: a read
    r.exec("BITFIELD", "k", "set", "u8", "0", "49"); // '1' again: no change, but unshared
    assertThat(r.exec("OBJECT", "ENCODING", "k")).isEqualTo("raw");
    r.exec("SET", "k", "12", "PX", "5000");
    r.exec("BITFIELD", "k", "incrby", "u8", "8", "1");
    assertThat(r.exec("GET", "k")).isEqualTo("13");
    assertThat(r.exec("OBJECT", "ENCODING", "k")).isEqualTo("raw");
    assertThat(r.exec("PTTL", "k")).isEqualTo(5000L);

    // A stored value is never written in place: a DUMP taken before still restores the old bytes.
    Object dump = r.exec("DUMP", "k");
    r.exec("BITFIELD", "k", "set", "u8", "0", "65");
    r.exec("RESTORE".getBytes(), "k2".getBytes(), "0".getBytes(), ((String) dump).getBytes(StandardCharsets.ISO_8859_1));
    assertThat(r.exec("GET", "k2")).isEqualTo("13");
    assertThat(r.exec("GET", "k")).isEqualTo("A3");

    // A key created by a write that FAIL then refuses stays, zero-filled to the farthest bit (as in Redis).
    assertThat(r.exec("BITFIELD", "new", "overflow", "fail", "set", "u8", "16", "256")).isEqualTo(Arrays.asList((Object) null));
    assertThat(r.exec("GET", "new")).isEqualTo("\0\0\0");
    assertThat(r.exec("OBJECT", "ENCODING", "new")).isEqualTo("raw");
  }

  /** bitfield.tcl's two fuzzers: overflow detection (FAIL) and WRAP, against big-integer arithmetic. */
  @Test
  void bitfieldOverflowFuzzAgainstBigIntegers() {
    Random random = new Random(3);
    BigInteger longMin = BigInteger.valueOf(Long.MIN_VALUE);
    BigInteger longMax = BigInteger.valueOf(Long.MAX_VALUE);
    for (int j = 0; j < 3000; j++) {
      int bits = random.nextInt(64) + 1;
      boolean signed = bits == 64 || random.nextBoolean();
      BigInteger range = BigInteger.ONE.shiftLeft(bits);
      BigInteger min = signed ? range.shiftRight(1).negate() : BigInteger.ZERO;
      BigInteger max = min.add(range).subtract(BigInteger.ONE);
      String type = (signed ? "i" : "u") + bits;
      BigInteger value = clamp(min.shiftLeft(1).add(new BigInteger(bits + 1, random)), longMin, longMax);
      BigInteger increment = clamp(min.shiftLeft(1).add(new BigInteger(bits + 1, random)), longMin, longMax);
      boolean overflow = value.compareTo(max) > 0 || value.compareTo(min) < 0
          || value.add(increment).compareTo(max) > 0 || value.add(increment).compareTo(min) < 0;

      r.exec("DEL", "bits");
      Object res1 = ((List<?>) r.exec("BITFIELD", "bits", "overflow", "fail", "set", type, "0", value.toString())).get(0);
      Object res2 = ((List<?>) r.exec("BITFIELD", "bits", "overflow", "fail", "incrby", type, "0", increment.toString())).get(0);
      if (overflow) {
        assertThat(res1 == null || res2 == null).as("overflow of %s %s+%s detected", type, value, increment).isTrue();
      } else {
        assertThat(res1 != null && res2 != null).as("no overflow of %s %s+%s", type, value, increment).isTrue();
      }

      r.exec("DEL", "bits");
      r.exec("BITFIELD", "bits", "overflow", "wrap", "set", type, "0", value.toString());
      r.exec("BITFIELD", "bits", "overflow", "wrap", "incrby", type, "0", increment.toString());
      Object res = ((List<?>) r.exec("BITFIELD", "bits", "get", type, "0")).get(0);
      BigInteger expected = value.add(increment).subtract(min).mod(range).add(min);
      assertThat(res).as("WRAP %s %s+%s", type, value, increment).isEqualTo(expected.longValueExact());

      // SAT: the sum clamped to the type's range (the SET value too, unless it is Redis's wrapping case).
      if (value.compareTo(min) >= 0 && value.compareTo(max) <= 0) {
        r.exec("DEL", "bits");
        r.exec("BITFIELD", "bits", "overflow", "sat", "set", type, "0", value.toString());
        BigInteger sum = value.add(increment);
        BigInteger sat = sum.compareTo(max) > 0 ? max : sum.compareTo(min) < 0 ? min : sum;
        assertThat(r.exec("BITFIELD", "bits", "overflow", "sat", "incrby", type, "0", increment.toString()))
            .as("SAT %s %s+%s", type, value, increment).isEqualTo(List.of(sat.longValueExact()));
      }
    }
  }

  private static BigInteger clamp(BigInteger v, BigInteger lo, BigInteger hi) {
    return v.max(lo).min(hi);
  }

  /** GET/SET at random widths and offsets against a bit-by-bit model of the string. */
  @Test
  void bitfieldGetSetFuzzAgainstABitSet() {
    Random random = new Random(5);
    BitSet model = new BitSet();
    long length = 0;
    for (int i = 0; i < 3000; i++) {
      int bits = random.nextInt(64) + 1;
      boolean signed = bits == 64 || random.nextBoolean();
      String type = (signed ? "i" : "u") + bits;
      int offset = random.nextInt(400);
      long expectedOld = 0;
      for (int b = 0; b < bits; b++) {
        expectedOld = (expectedOld << 1) | (model.get(offset + b) ? 1 : 0);
      }
      if (signed && bits < 64 && (expectedOld & (1L << (bits - 1))) != 0) {
        expectedOld |= -1L << bits;
      }
      if (random.nextBoolean()) {
        assertThat(r.exec("BITFIELD_RO", "k", "get", type, String.valueOf(offset))).isEqualTo(List.of(expectedOld));
        continue;
      }
      long value = random.nextLong();
      if (!signed) {
        value &= (1L << bits) - 1; // in range: no overflow handling involved
      } else if (bits < 64) {
        value = value >> (64 - bits);
      }
      assertThat(r.exec("BITFIELD", "k", "set", type, String.valueOf(offset), String.valueOf(value)))
          .isEqualTo(List.of(expectedOld));
      for (int b = 0; b < bits; b++) {
        model.set(offset + b, ((value >>> (bits - 1 - b)) & 1) != 0);
      }
      length = Math.max(length, (offset + bits - 1) / 8 + 1);
      assertThat(r.exec("STRLEN", "k")).isEqualTo(length);
    }
    byte[] expected = new byte[(int) length];
    for (int x = 0; x < length * 8; x++) {
      if (model.get(x)) {
        expected[x / 8] |= (byte) (0x80 >>> (x % 8));
      }
    }
    assertThat(r.exec("GET", "k")).isEqualTo(text(expected));
  }

  /**
   * proto-max-bulk-len bounds every offset; above 2 GB, where a Java array ends, a write that would
   * need a longer string answers the proto-max-bulk-len error instead of growing it, reads answer 0.
   */
  @Test
  void offsetsFollowProtoMaxBulkLen() {
    assertThat(r.exec("CONFIG", "SET", "proto-max-bulk-len", "1048576")).isEqualTo("OK");
    assertThat(r.exec("SETBIT", "k", String.valueOf(8L * 1048576), "1")).isEqualTo(OFFSET);
    assertThat(r.exec("BITFIELD", "k", "get", "u8", String.valueOf(8L * 1048576))).isEqualTo(OFFSET);
    assertThat(r.exec("BITFIELD", "k", "get", "u8", String.valueOf(8L * 1048576 - 1))).isEqualTo(List.of(0L));
    assertThat(r.exec("CONFIG", "SET", "proto-max-bulk-len", "17179869184")).isEqualTo("OK"); // 16 GB
    String far = String.valueOf(1L << 34);
    Err tooLong = new Err("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    assertThat(r.exec("SETBIT", "k", far, "1")).isEqualTo(tooLong);
    assertThat(r.exec("BITFIELD", "k", "set", "u8", far, "1")).isEqualTo(tooLong);
    assertThat(r.exec("BITFIELD", "k", "get", "u8", far)).isEqualTo(List.of(0L));
    assertThat(r.exec("GETBIT", "k", far)).isEqualTo(0L);
    assertThat(r.exec("EXISTS", "k")).isEqualTo(0L);
  }

  // ---------------------------------------------------------------- declarations

  @Test
  void commandInfoAndGetkeys() {
    assertThat(r.exec("COMMAND", "GETKEYS", "BITOP", "and", "dest", "a", "b", "c")).isEqualTo(List.of("dest", "a", "b", "c"));
    assertThat(r.exec("COMMAND", "GETKEYS", "BITOP", "not", "dest", "a")).isEqualTo(List.of("dest", "a"));
    assertThat(r.exec("COMMAND", "GETKEYS", "BITPOS", "k", "1", "0")).isEqualTo(List.of("k"));
    assertThat(r.exec("COMMAND", "GETKEYS", "BITFIELD", "k", "get", "u8", "0")).isEqualTo(List.of("k"));
    assertThat(r.exec("COMMAND", "GETKEYS", "BITFIELD_RO", "k")).isEqualTo(List.of("k"));
    Object[][] expected = {
        {"bitop", -4L, List.of("write", "denyoom"), 2L, -1L, 1L},
        {"bitpos", -3L, List.of("readonly"), 1L, 1L, 1L},
        {"bitfield", -2L, List.of("write", "denyoom"), 1L, 1L, 1L},
        {"bitfield_ro", -2L, List.of("readonly", "fast"), 1L, 1L, 1L}};
    for (Object[] e : expected) {
      List<?> info = (List<?>) ((List<?>) r.exec("COMMAND", "INFO", (String) e[0])).get(0);
      assertThat(info.subList(0, 6)).isEqualTo(Arrays.asList(e));
      assertThat(info.get(6).toString()).contains("@bitmap");
    }
    List<?> bitop = (List<?>) ((List<?>) r.exec("COMMAND", "INFO", "bitop")).get(0);
    List<?> specs = (List<?>) bitop.get(8);
    assertThat(specs).hasSize(2);
    assertThat(specs.toString()).contains("OW", "update", "RO", "access");
  }
}

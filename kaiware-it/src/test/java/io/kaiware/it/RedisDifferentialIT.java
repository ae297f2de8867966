package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kaiware against Debian's redis-server 7.0.15, reply for reply: seeded random sequences of the
 * strings, keys, expiry and transaction commands (issue 3's families, with edge-case arguments:
 * integers at and past 64 bits, {@code inf}/{@code nan}, bad options and option clashes, wrong
 * types, wrong arity, expiry times in the past and at overflow) go to both servers, and every
 * reply must be the same bytes, error texts included.
 *
 * <p>What is compared loosely, because the two servers run the same command a few milliseconds
 * apart: the integer replies of PTTL, EXPIRETIME and PEXPIRETIME may differ by up to
 * {@value #CLOCK_SLACK_MS} ms (or one second). Replies whose order Redis leaves undefined (KEYS)
 * are compared as sorted lists; SCAN is run to the end and compared as a sorted set of keys.
 *
 * <p>Both servers get one connection each in the same protocol (RESP2, or RESP3 after HELLO 3 for
 * odd seeds), plus a second connection each that writes between a WATCH and its EXEC. The run is
 * bounded: {@code -Ddifferential.seeds=N} (default {@value #DEFAULT_SEEDS}) seeds of
 * {@code -Ddifferential.steps=N} (default {@value #DEFAULT_STEPS}) commands; {@code
 * -Ddifferential.seed=S} runs one seed. A difference fails with the seed and the commands up to it.
 */
class RedisDifferentialIT {

  private static final int DEFAULT_SEEDS = 12;
  private static final int DEFAULT_STEPS = 400;
  private static final long DEFAULT_BASE = 20_261_207L;
  private static final long CLOCK_SLACK_MS = 2_000;
  /** 2100-01-01: absolute expiry times around it stay in the future and fit every unit. */
  private static final long FAR_FUTURE_MS = 4_102_444_800_000L;

  private static KaiwareProcess kaiware;
  private static Process redis;
  private static Path redisDir;
  private static int redisPort;

  @BeforeAll
  static void startServers() throws Exception {
    redisDir = Files.createTempDirectory("kaiware-differential");
    redisPort = RaftCluster.freePort();
    redis = RedisData.startRedisServer(redisDir, redisPort);
    kaiware = KaiwareProcess.start(Map.of());
  }

  @AfterAll
  static void stopServers() {
    if (kaiware != null) {
      kaiware.close();
    }
    if (redis != null) {
      redis.destroyForcibly();
    }
    KaiwareProcess.deleteTree(redisDir);
  }

  @Test
  void repliesAreRedisRepliesForRandomCommandSequences() throws Exception {
    String one = System.getProperty("differential.seed");
    int steps = Integer.getInteger("differential.steps", DEFAULT_STEPS);
    if (one != null) {
      runSeed(Long.parseLong(one), steps);
      return;
    }
    // Fixed seeds by default, so that a run of the suite is repeatable; -Ddifferential.base=<n> explores others.
    long base = Long.getLong("differential.base", DEFAULT_BASE);
    int seeds = Integer.getInteger("differential.seeds", DEFAULT_SEEDS);
    // Every seed runs; each stops at its first difference (the datasets may differ after it).
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < seeds; i++) {
      try {
        runSeed(base + i, steps);
      } catch (AssertionError e) {
        differences.add(e.getMessage());
      }
    }
    assertThat(differences).as("%d of %d seeds found a difference", differences.size(), seeds).isEmpty();
  }

  private static void runSeed(long seed, int steps) throws IOException {
    try (Conn r = new Conn(redisPort); Conn k = new Conn(kaiware.port());
        Conn r2 = new Conn(redisPort); Conn k2 = new Conn(kaiware.port())) {
      List<String> history = new ArrayList<>();
      Generator gen = new Generator(new SplittableRandom(seed), payloadsFromRedis(r));
      for (Conn c : List.of(r, k)) {
        c.call(List.of("FLUSHALL"));
      }
      if ((seed & 1) == 1) {
        r.call(List.of("HELLO", "3"));
        k.call(List.of("HELLO", "3"));
        history.add("HELLO 3");
      }
      Transactions main = new Transactions();
      Transactions second = new Transactions();
      for (int step = 0; step < steps; step++) {
        boolean other = gen.random.nextInt(12) == 0;
        List<String> command = gen.next();
        history.add((other ? "[other connection] " : "") + show(command));
        Conn redisConn = other ? r2 : r;
        Conn kaiwareConn = other ? k2 : k;
        Reply expected = redisConn.call(command);
        Reply actual = kaiwareConn.call(command);
        if (Boolean.getBoolean("differential.verbose")) {
          System.out.println(step + " " + history.get(history.size() - 1) + "\n    redis:   " + expected
              + "\n    kaiware: " + actual);
        }
        Transactions tx = other ? second : main;
        String execDifference = null;
        boolean same;
        if (tx.inExec(command) && expected.children != null && actual.children != null) {
          execDifference = execDifference(redisConn, tx.queued, expected, actual);
          same = execDifference == null;
        } else {
          same = same(redisConn, command, expected, actual);
        }
        tx.track(command, expected);
        if (!same) {
          int from = Math.max(0, history.size() - 40);
          throw new AssertionError("seed " + seed + ", step " + step + ": " + show(command)
              + (execDifference == null ? "" : "\n  " + execDifference)
              + (command.get(0).equals("DBSIZE") ? "\n  keys: redis " + sorted(redisConn.call(List.of("KEYS", "*")))
                  + ", kaiware " + sorted(kaiwareConn.call(List.of("KEYS", "*"))) : "")
              + "\n  redis:   " + expected + "\n  kaiware: " + actual
              + "\nlast commands (rerun with -Ddifferential.seed=" + seed + "):\n  "
              + String.join("\n  ", history.subList(from, history.size())));
        }
        if (command.get(0).equals("SCAN") && expected.type == '*' && expected.children.size() == 2) {
          List<String> options = command.subList(2, command.size());
          assertThat(scanAll(kaiwareConn, options)).as("seed %d step %d: every key by SCAN", seed, step)
              .isEqualTo(scanAll(redisConn, options));
        }
      }
      // Whatever happened, the two datasets end equal (DEBUG DIGEST-VALUE is Redis's; keys and dumps).
      for (Conn c : List.of(r, k)) {
        c.call(List.of("DISCARD"));
        c.call(List.of("SELECT", "0"));
      }
      assertThat(sorted(k.call(List.of("KEYS", "*")))).as("seed %d: keys at the end", seed)
          .isEqualTo(sorted(r.call(List.of("KEYS", "*"))));
    }
  }

  /**
   * DUMP payloads made by Redis of every type and the encodings it picks (int, embstr and
   * LZF-compressed strings, listpack and hashtable hashes, intset and hashtable sets, listpack and
   * skiplist sorted sets, quicklists, a stream), plus one with a broken checksum: RESTORE's inputs.
   */
  private static List<String> payloadsFromRedis(Conn r) throws IOException {
    String longText = "y".repeat(70);
    List<List<String>> makers = List.of(
        List.of("SET", "p", "12345"), List.of("SET", "p", "hello"), List.of("SET", "p", "x".repeat(60)),
        List.of("SET", "p", "9223372036854775807"), List.of("HSET", "p", "a", "1", "b", "2"),
        List.of("HSET", "p", "a", longText), List.of("RPUSH", "p", "1", "2", "three"), List.of("SADD", "p", "1", "2", "3"),
        List.of("SADD", "p", "a", "b"), List.of("ZADD", "p", "1", "a", "2.5", "b"), List.of("ZADD", "p", "1", longText),
        List.of("XADD", "p", "1-1", "f", "v"));
    List<String> payloads = new ArrayList<>();
    r.call(List.of("FLUSHALL"));
    for (List<String> maker : makers) {
      r.call(maker);
      payloads.add(r.call(List.of("DUMP", "p")).line);
      r.call(List.of("DEL", "p"));
    }
    String broken = payloads.get(1);
    payloads.add(broken.substring(0, broken.length() - 1) + (char) (broken.charAt(broken.length() - 1) ^ 1));
    return payloads;
  }

  /** What Redis makes of a DUMP payload: its type, encoding and content in a canonical order. */
  private static String restoredInRedis(Conn redis, String payload) throws IOException {
    String scratch = "differential:dump";
    Reply restored = redis.call(List.of("RESTORE", scratch, "0", payload, "REPLACE"));
    if (restored.type != '+') {
      return restored.toString();
    }
    String type = redis.call(List.of("TYPE", scratch)).line;
    String encoding = redis.call(List.of("OBJECT", "ENCODING", scratch)).toString();
    String content = switch (type) {
      case "string" -> redis.call(List.of("GET", scratch)).toString();
      case "list" -> redis.call(List.of("LRANGE", scratch, "0", "-1")).toString();
      case "set" -> sorted(redis.call(List.of("SMEMBERS", scratch)));
      case "hash" -> {
        List<Reply> flat = redis.call(List.of("HGETALL", scratch)).children;
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
          pairs.add(flat.get(i) + "=" + flat.get(i + 1));
        }
        pairs.sort(Comparator.naturalOrder());
        yield pairs.toString();
      }
      case "zset" -> redis.call(List.of("ZRANGE", scratch, "0", "-1", "WITHSCORES")).toString();
      default -> redis.call(List.of("XRANGE", scratch, "-", "+")).toString();
    };
    redis.call(List.of("DEL", scratch));
    return type + " " + encoding + " " + content;
  }

  private static String scanAll(Conn c, List<String> options) throws IOException {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      List<String> command = new ArrayList<>(List.of("SCAN", cursor));
      command.addAll(options);
      Reply reply = c.call(command);
      if (reply.children == null) {
        return command + " answered " + reply;
      }
      cursor = reply.children.get(0).text();
      for (Reply key : reply.children.get(1).children) {
        keys.add(key.text());
      }
    } while (!cursor.equals("0"));
    keys.sort(Comparator.naturalOrder());
    return keys.stream().distinct().toList().toString();
  }

  /** Which commands a connection has queued since MULTI (as Redis answered), to compare EXEC's replies. */
  private static final class Transactions {
    boolean active;
    final List<List<String>> queued = new ArrayList<>();

    boolean inExec(List<String> command) {
      return active && command.get(0).equals("EXEC");
    }

    void track(List<String> command, Reply redisReply) {
      String name = command.get(0);
      if (!active && name.equals("MULTI") && redisReply.type == '+') {
        active = true;
        queued.clear();
      } else if (active && (name.equals("EXEC") || name.equals("DISCARD"))) {
        active = false;
      } else if (active && redisReply.type == '+' && "QUEUED".equals(redisReply.line)) {
        queued.add(command);
      }
    }
  }

  private static Reply withoutNegativeZero(Reply reply) {
    if (reply.children != null) {
      List<Reply> children = new ArrayList<>(reply.children.size());
      for (Reply child : reply.children) {
        children.add(withoutNegativeZero(child));
      }
      return new Reply(reply.type, reply.line, children);
    }
    return "-0".equals(reply.line) && (reply.type == '$' || reply.type == ',') ? new Reply(reply.type, "0", null) : reply;
  }

  /** Null when EXEC's replies match command by command, else where they first differ. */
  private static String execDifference(Conn redis, List<List<String>> queued, Reply expected, Reply actual)
      throws IOException {
    if (expected.children.size() != actual.children.size() || expected.children.size() != queued.size()) {
      return "EXEC replies: redis " + expected.children.size() + ", kaiware " + actual.children.size()
          + ", commands queued " + queued.size();
    }
    for (int i = 0; i < queued.size(); i++) {
      List<String> command = queued.get(i);
      if (command.size() > 1 && command.get(0).equals("OBJECT") && command.get(1).equals("REFCOUNT")) {
        continue; // inside EXEC Redis also counts the references its queued commands' arguments hold
      }
      if (!same(redis, command, expected.children.get(i), actual.children.get(i))) {
        return "EXEC's reply " + i + " differs, to " + show(queued.get(i)) + ": redis " + expected.children.get(i)
            + ", kaiware " + actual.children.get(i);
      }
    }
    return null;
  }

  private static boolean same(Conn redis, List<String> command, Reply expected, Reply actual) throws IOException {
    String name = command.get(0);
    if (name.startsWith("Z") || name.startsWith("EVAL")) {
      // The known difference (docs/compatibility.md): a small sorted set in Redis holds -0 as 0.
      expected = withoutNegativeZero(expected);
      actual = withoutNegativeZero(actual);
    }
    if (name.equals("DUMP") && expected.type == '$' && actual.type == '$' && expected.line != null
        && actual.line != null && !expected.line.equals(actual.line)) {
      // Redis compresses long strings (LZF) and writes collections in their compact encodings;
      // Kaiware's payload must restore in Redis to the very value and encoding Redis dumped.
      // Hash tables may list their entries in another order: compare what each payload restores to.
      return restoredInRedis(redis, expected.line).equals(restoredInRedis(redis, actual.line));
    }
    if (name.startsWith("SORT") && expected.type == '-' && actual.children != null
        && expected.line.equals("ERR One or more scores can't be converted into double")) {
      // Redis's sort.c tests errno == ERANGE without clearing errno first: an ERANGE left by an
      // earlier command (a ZADD score of 5e-324) fails a later numeric SORT of plain integers.
      return true;
    }
    if (name.startsWith("SORT") && command.contains("BY") && command.contains("LIMIT")) {
      // A set's hash-table order (BY a constant, or weights that tie), then a LIMIT window of it
      return expected.type == actual.type
          && (expected.children == null ? expected.toString().equals(actual.toString())
              : actual.children != null && expected.children.size() == actual.children.size());
    }
    if (UNORDERED.contains(name) || (name.startsWith("SORT") && command.contains("BY"))) {
      // SORT ... BY a constant, or by weights that tie, gives a set's hash-table order
      return sorted(expected).equals(sorted(actual));
    }
    if (name.equals("SCAN") && expected.type == '*') {
      return expected.type == actual.type; // contents compared by scanAll
    }
    if ((name.equals("PTTL") || name.equals("PEXPIRETIME") || name.equals("EXPIRETIME") || name.equals("TTL"))
        && expected.type == ':' && actual.type == ':') {
      long e = Long.parseLong(expected.text());
      long a = Long.parseLong(actual.text());
      long slack = name.startsWith("P") ? CLOCK_SLACK_MS : CLOCK_SLACK_MS / 1000;
      return e < 0 || a < 0 ? e == a : Math.abs(e - a) <= slack;
    }
    return expected.toString().equals(actual.toString());
  }

  /** Commands whose reply order Redis leaves to its hash tables: compared as sorted lists. */
  private static final java.util.Set<String> UNORDERED = java.util.Set.of("KEYS", "HKEYS", "HVALS", "HGETALL",
      "SMEMBERS", "SINTER", "SUNION", "SDIFF");

  private static String sorted(Reply reply) {
    if (reply.children == null) {
      return reply.toString();
    }
    List<String> items = new ArrayList<>();
    for (Reply child : reply.children) {
      items.add(child.toString());
    }
    items.sort(Comparator.naturalOrder());
    return items.toString();
  }

  private static String show(List<String> command) {
    StringBuilder sb = new StringBuilder();
    for (String arg : command) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      boolean plain = !arg.isEmpty() && arg.chars().allMatch(ch -> ch > ' ' && ch < 127 && ch != '"');
      sb.append(plain ? arg : '"' + arg.replace("\n", "\\n").replace("\0", "\\0") + '"');
    }
    return sb.toString();
  }

  /** Random commands of issue 3's families over a handful of keys, biased towards edge cases. */
  private static final class Generator {
    final SplittableRandom random;
    final List<String> payloads;

    Generator(SplittableRandom random, List<String> payloads) {
      this.random = random;
      this.payloads = payloads;
    }

    private static final String[] KEYS = {"k1", "k2", "k3", "n1", "n2", "f1", "h", "l", "s", "z", "missing"};
    private static final String[] INTEGERS = {"0", "1", "-1", "7", "10", "-10", "100", "65535",
        "9223372036854775807", "-9223372036854775808", "9223372036854775806", "-9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "18446744073709551616", "007", "+1", " 1", "1 ",
        "1.0", "1e3", "0x10", "", "abc", "-0", "2147483648", "4611686018427387904"};
    private static final String[] FLOATS = {"0", "1.5", "-1.5", "0.1", "3.0e3", "1e308", "-1e308", "1e309",
        "inf", "-inf", "+inf", "nan", "1.7976931348623157e308", "5.0e-324", "10.5", "abc", "", " 1.5", "0x1p3",
        "1e-10", "100", "-0", "1.", ".5", "17.9"};
    private static final String[] VALUES = {"", "v", "hello", "0", "10", "-5", "3.5", "9223372036854775807",
        "abc\0def", "hello world", "12345678901234567890", "1e5", " 12", "\n", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"};

    String key() {
      return KEYS[random.nextInt(KEYS.length)];
    }

    String integer() {
      return random.nextInt(3) == 0 ? INTEGERS[random.nextInt(INTEGERS.length)]
          : Integer.toString(random.nextInt(-20, 40));
    }

    String value() {
      return random.nextInt(4) == 0 ? integer() : VALUES[random.nextInt(VALUES.length)];
    }

    /**
     * Relative expiry arguments besides the usual long ones: invalid, non-positive, or at the edge of
     * overflow once multiplied to milliseconds; never a short positive time, which would expire on
     * one server before the other has run the command.
     */
    private static final String[] EXPIRY_EDGES = {"0", "-1", "-5", "abc", "", "1.0", " 100", "+100",
        "9223372036854775807", "-9223372036854775808", "9223372036854775806", "9223372036854775808",
        "4611686018427387904", "9223372036854775", "9223372036854776", "-9223372036854775"};

    /** A relative expiry in seconds (EX) or milliseconds (PX): mostly long, sometimes invalid. */
    String relative(boolean ms) {
      return switch (random.nextInt(8)) {
        case 0 -> EXPIRY_EDGES[random.nextInt(EXPIRY_EDGES.length)];
        case 1 -> "0";
        case 2 -> "-5";
        default -> Long.toString((ms ? 1000L : 1L) * random.nextInt(1000, 100_000));
      };
    }

    /** An absolute expiry in seconds or milliseconds: in the far future, in the past, or absurd. */
    String absolute(boolean ms) {
      long t = FAR_FUTURE_MS + random.nextInt(0, 1_000_000) * 1000L;
      return switch (random.nextInt(8)) {
        case 0 -> random.nextBoolean() ? INTEGERS[random.nextInt(INTEGERS.length)] : EXPIRY_EDGES[random.nextInt(EXPIRY_EDGES.length)];
        case 1 -> "1";
        default -> Long.toString(ms ? t : t / 1000);
      };
    }

    List<String> next() {
      List<String> c = new ArrayList<>();
      int kind = random.nextInt(100);
      if (kind < 22) {
        set(c);
      } else if (kind < 30) {
        c.addAll(List.of("GET", key()));
      } else if (kind < 42) {
        arithmetic(c);
      } else if (kind < 52) {
        ranges(c);
      } else if (kind < 68) {
        expiry(c);
      } else if (kind < 80) {
        keys(c);
      } else if (kind < 88) {
        transaction(c);
      } else if (kind < 94) {
        otherTypes(c);
      } else {
        arity(c);
      }
      if (random.nextInt(3) == 0) {
        c.clear();
        collections(c);
      } else if (random.nextInt(12) == 0) {
        c.clear();
        script(c);
      }
      return c;
    }

    /**
     * Scripts whose replies exercise Lua 5.1's conversions as Redis 7.0 makes them: numbers to
     * integers, tables with holes, status and error tables, redis.call/pcall errors, string and
     * number formatting, cjson, bit. Every script is deterministic; KEYS[1] and ARGV[1] vary.
     */
    private static final String[] SCRIPTS = {
        "return 3.7", "return -3.7", "return {1, 2, 3.5, 'x', nil, 4}", "return {1, {2, {3}}, 'x', true, false}",
        "return true", "return false", "return nil", "return {err='E1 custom'}", "return {ok='fine'}",
        "return redis.status_reply('DONE')", "return redis.error_reply('MYERR bad')", "return redis.error_reply('plain')",
        "return redis.call('get', KEYS[1])", "return redis.call('set', KEYS[1], ARGV[1])", "return redis.call('incr', KEYS[1])",
        "return redis.pcall('incr', KEYS[1])", "return redis.call('incrbyfloat', KEYS[1], ARGV[1])",
        "return redis.pcall('nosuchcommand')", "return redis.call('set', KEYS[1])", "return redis.call('type', KEYS[1])",
        "return redis.call('exists', KEYS[1], 'k2', 'k3')", "return redis.call('mget', KEYS[1], 'k2')",
        "return redis.call('lrange', 'l', 0, -1)", "return redis.call('zrange', 'z', 0, -1, 'WITHSCORES')",
        "return redis.call('hget', 'h', 'f1')", "return redis.call('ttl', KEYS[1])",
        "return tostring(tonumber(ARGV[1]))", "return tonumber(ARGV[1])", "return string.format('%.2f|%5d|%s', 3.14159, 42, ARGV[1])",
        "return string.format('%g %e', tonumber(ARGV[1]) or 0, 1/3)", "return tostring(1/3)", "return tostring(2^53)",
        "return math.floor(-3.5) .. ',' .. math.ceil(-3.5) .. ',' .. math.abs(-2) .. ',' .. math.fmod(7, 3)",
        "return table.concat({1, 2, 'x'}, '-')", "return #ARGV", "return {KEYS[1], ARGV[1]}", "return string.rep('ab', 3)",
        "return string.sub('hello', -3)", "return string.upper(ARGV[1])", "return string.byte('A') + 1",
        "return cjson.encode({1, 2, 'x'})", "return cjson.decode('[1,2,{\"a\":3}]')[3].a", "return cjson.encode(cjson.decode(ARGV[1]))",
        "return bit.band(12, 10) .. bit.tohex(255)", "return redis.sha1hex(ARGV[1])", "return x.y", "error('boom')",
        "error({err='MYERR raised'})", "return 1 + {}", "return redis.call('incr')", "local t = {} t[1] = 1 t[3] = 3 return #t",
        "return select('#', 1, nil, 3)", "return math.huge", "return 1e300 * 10", "return 2^63", "return -0.5",
        "redis.setresp(3) return redis.call('hmget', 'h', 'f1', 'f2')", "redis.setresp(3) return redis.call('zscore', 'z', 'm1')",
        "return redis.call('del', KEYS[1]) + redis.call('exists', KEYS[1])"};

    private void script(List<String> c) {
      c.add(random.nextInt(8) == 0 ? "EVAL_RO" : "EVAL");
      c.add(SCRIPTS[random.nextInt(SCRIPTS.length)]);
      c.add("1");
      c.add(key());
      String arg = random.nextInt(4) == 0 ? "[1,2,{\"a\":null}]" : value();
      c.add(arg.equals("-0") ? "0" : arg); // LuaJ holds -0 as the integer 0 (docs/commands/scripting.md)
    }

    private String hashKey() {
      return random.nextInt(4) == 0 ? key() : "h";
    }

    private String listKey() {
      return random.nextInt(4) == 0 ? key() : (random.nextBoolean() ? "l" : "l2");
    }

    private String setKey() {
      return random.nextInt(4) == 0 ? key() : (random.nextBoolean() ? "s" : "s2");
    }

    private String zsetKey() {
      return random.nextInt(4) == 0 ? key() : (random.nextBoolean() ? "z" : "z2");
    }

    private String member() {
      return random.nextInt(5) == 0 ? value() : "m" + random.nextInt(6);
    }

    /**
     * A score. Never "-0": Redis 7.0.15 keeps a -0 score as 0 in a listpack sorted set (its d2string
     * prints -0 as "0" there) and as -0 in a skip list; Kaiware keeps -0, whatever the encoding
     * (docs/compatibility.md).
     */
    private String score() {
      String s = random.nextInt(3) == 0 ? FLOATS[random.nextInt(FLOATS.length)] : Integer.toString(random.nextInt(-5, 10));
      return s.equals("-0") ? "0" : s;
    }

    private String lexBound() {
      String[] bounds = {"-", "+", "[m1", "(m1", "[m4", "(m3", "m2", "[", "(", "[a", "(z"};
      return bounds[random.nextInt(bounds.length)];
    }

    private String scoreBound() {
      String[] bounds = {"-inf", "+inf", "(1", "1", "(-2", "5", "abc", "(", "nan", "2.5", "(inf"};
      return bounds[random.nextInt(bounds.length)];
    }

    private String index() {
      return random.nextInt(4) == 0 ? integer() : Integer.toString(random.nextInt(-6, 7));
    }

    /** Hashes, lists, sets, sorted sets, SORT, bitmaps, streams: their deterministic commands. */
    private void collections(List<String> c) {
      switch (random.nextInt(7)) {
        case 0 -> hash(c);
        case 1 -> list(c);
        case 2 -> set(c, random.nextInt(14));
        case 3 -> sort(c);
        case 4 -> bits(c);
        case 5 -> stream(c);
        default -> zset(c);
      }
    }

    private void sort(List<String> c) {
      c.addAll(List.of(random.nextBoolean() ? "SORT" : "SORT_RO", random.nextBoolean() ? listKey() : setKey()));
      String[][] options = {{"ALPHA"}, {"DESC"}, {"ASC"}, {"LIMIT", index(), index()}, {"BY", "nosort"},
          {"BY", "w_*"}, {"GET", "#"}, {"GET", "v_*"}, {"GET", "h->f1"}, {"STORE", "dst"}, {"BY", "h->f*"}};
      int n = random.nextInt(4);
      for (int i = 0; i < n; i++) {
        c.addAll(List.of(options[random.nextInt(options.length)]));
      }
    }

    private void bits(List<String> c) {
      String key = random.nextInt(4) == 0 ? key() : "b";
      switch (random.nextInt(7)) {
        case 0, 1 -> c.addAll(List.of("SETBIT", key, random.nextInt(4) == 0 ? integer() : Integer.toString(random.nextInt(64)),
            random.nextInt(5) == 0 ? value() : Integer.toString(random.nextInt(2))));
        case 2 -> c.addAll(List.of("GETBIT", key, index()));
        case 3 -> {
          c.addAll(List.of("BITCOUNT", key));
          if (random.nextBoolean()) {
            c.addAll(List.of(index(), index()));
            if (random.nextBoolean()) {
              c.add(random.nextBoolean() ? "BIT" : "BYTE");
            }
          }
        }
        case 4 -> {
          c.addAll(List.of("BITPOS", key, random.nextBoolean() ? "1" : "0"));
          if (random.nextBoolean()) {
            c.add(index());
          }
        }
        case 5 -> c.addAll(List.of("BITOP", new String[] {"AND", "OR", "XOR", "NOT", "BAD"}[random.nextInt(5)], "b2", key,
            random.nextBoolean() ? "b" : key()));
        default -> c.addAll(List.of("BITFIELD", key, "GET", new String[] {"u8", "i5", "u63", "i64", "x1"}[random.nextInt(5)],
            index(), "INCRBY", "i8", "0", integer()));
      }
    }

    private void stream(List<String> c) {
      String key = random.nextInt(4) == 0 ? key() : "x";
      String id = random.nextInt(5) == 0 ? value() : random.nextInt(1, 9) + "-" + random.nextInt(3);
      switch (random.nextInt(8)) {
        case 0, 1, 2 -> {
          c.addAll(List.of("XADD", key));
          if (random.nextInt(4) == 0) {
            c.addAll(List.of("MAXLEN", random.nextBoolean() ? "~" : "=", index()));
          }
          if (random.nextInt(5) == 0) {
            c.add("NOMKSTREAM");
          }
          c.addAll(List.of(id, "f", value()));
        }
        case 3 -> c.addAll(List.of(random.nextBoolean() ? "XRANGE" : "XREVRANGE", key, random.nextBoolean() ? "-" : id,
            random.nextBoolean() ? "+" : id));
        case 4 -> c.addAll(List.of("XLEN", key));
        case 5 -> c.addAll(List.of("XDEL", key, id));
        case 6 -> c.addAll(List.of("XTRIM", key, random.nextBoolean() ? "MAXLEN" : "MINID", id.contains("-") && random.nextBoolean() ? id : index()));
        default -> c.addAll(List.of("XRANGE", key, "-", "+", "COUNT", index()));
      }
    }

    private void hash(List<String> c) {
      String field = random.nextInt(5) == 0 ? value() : "f" + random.nextInt(5);
      switch (random.nextInt(14)) {
        case 0, 1 -> c.addAll(List.of("HSET", hashKey(), field, value(), "f" + random.nextInt(5), value()));
        case 2 -> c.addAll(List.of("HSETNX", hashKey(), field, value()));
        case 3 -> c.addAll(List.of("HGET", hashKey(), field));
        case 4 -> c.addAll(List.of("HMGET", hashKey(), field, "f1", "nofield"));
        case 5 -> c.addAll(List.of("HDEL", hashKey(), field, "f2"));
        case 6 -> c.addAll(List.of("HLEN", hashKey()));
        case 7 -> c.addAll(List.of("HSTRLEN", hashKey(), field));
        case 8 -> c.addAll(List.of("HEXISTS", hashKey(), field));
        case 9 -> c.addAll(List.of("HINCRBY", hashKey(), field, integer()));
        case 10 -> c.addAll(List.of("HINCRBYFLOAT", hashKey(), field, FLOATS[random.nextInt(FLOATS.length)]));
        case 11 -> c.addAll(List.of("HKEYS", hashKey()));
        case 12 -> c.addAll(List.of("HVALS", hashKey()));
        default -> c.addAll(List.of("HGETALL", hashKey()));
      }
    }

    private void list(List<String> c) {
      switch (random.nextInt(18)) {
        case 0, 1 -> c.addAll(List.of(random.nextBoolean() ? "LPUSH" : "RPUSH", listKey(), member(), member()));
        case 2 -> c.addAll(List.of(random.nextBoolean() ? "LPUSHX" : "RPUSHX", listKey(), member()));
        case 3 -> {
          c.addAll(List.of(random.nextBoolean() ? "LPOP" : "RPOP", listKey()));
          if (random.nextBoolean()) {
            c.add(index());
          }
        }
        case 4 -> c.addAll(List.of("LLEN", listKey()));
        case 5 -> c.addAll(List.of("LINDEX", listKey(), index()));
        case 6, 7 -> c.addAll(List.of("LRANGE", listKey(), index(), index()));
        case 8 -> c.addAll(List.of("LSET", listKey(), index(), member()));
        case 9 -> c.addAll(List.of("LINSERT", listKey(), random.nextBoolean() ? "BEFORE" : "AFTER", member(), member()));
        case 10 -> c.addAll(List.of("LREM", listKey(), index(), member()));
        case 11 -> c.addAll(List.of("LTRIM", listKey(), index(), index()));
        case 12 -> {
          c.addAll(List.of("LPOS", listKey(), member()));
          String[][] options = {{"RANK", index()}, {"COUNT", index()}, {"MAXLEN", index()}, {"RANK", "0"}};
          int n = random.nextInt(3);
          for (int i = 0; i < n; i++) {
            c.addAll(List.of(options[random.nextInt(options.length)]));
          }
        }
        case 13 -> c.addAll(List.of("LMOVE", listKey(), listKey(), random.nextBoolean() ? "LEFT" : "RIGHT",
            random.nextBoolean() ? "LEFT" : "RIGHT"));
        case 14 -> c.addAll(List.of("RPOPLPUSH", listKey(), listKey()));
        case 15 -> {
          c.addAll(List.of("LMPOP", random.nextInt(5) == 0 ? index() : "2", listKey(), listKey(), random.nextBoolean() ? "LEFT" : "RIGHT"));
          if (random.nextBoolean()) {
            c.addAll(List.of("COUNT", index()));
          }
        }
        default -> c.addAll(List.of("LRANGE", listKey(), "0", "-1"));
      }
    }

    private void set(List<String> c, int which) {
      switch (which) {
        case 0, 1 -> c.addAll(List.of("SADD", setKey(), member(), random.nextBoolean() ? integer() : member()));
        case 2 -> c.addAll(List.of("SREM", setKey(), member(), member()));
        case 3 -> c.addAll(List.of("SCARD", setKey()));
        case 4 -> c.addAll(List.of("SISMEMBER", setKey(), member()));
        case 5 -> c.addAll(List.of("SMISMEMBER", setKey(), member(), member()));
        case 6 -> c.addAll(List.of("SMEMBERS", setKey()));
        case 7 -> c.addAll(List.of(new String[] {"SINTER", "SUNION", "SDIFF"}[random.nextInt(3)], setKey(), setKey()));
        case 8 -> c.addAll(List.of(new String[] {"SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"}[random.nextInt(3)],
            setKey(), setKey(), setKey()));
        case 9 -> {
          c.addAll(List.of("SINTERCARD", random.nextInt(5) == 0 ? index() : "2", setKey(), setKey()));
          if (random.nextBoolean()) {
            c.addAll(List.of("LIMIT", index()));
          }
        }
        case 10 -> c.addAll(List.of("SMOVE", setKey(), setKey(), member()));
        case 11 -> c.addAll(List.of("OBJECT", "ENCODING", setKey()));
        default -> c.addAll(List.of("SMEMBERS", setKey()));
      }
    }

    private void zset(List<String> c) {
      switch (random.nextInt(22)) {
        case 0, 1, 2 -> {
          if (random.nextInt(3) == 0) {
            c.addAll(List.of("ZADD", "zl", "0", member(), "0", member()));
            return;
          }
          c.addAll(List.of("ZADD", zsetKey()));
          String[] flags = {"NX", "XX", "GT", "LT", "CH", "INCR"};
          int n = random.nextInt(3);
          for (int i = 0; i < n; i++) {
            c.add(flags[random.nextInt(flags.length)]);
          }
          c.addAll(List.of(score(), member()));
          if (random.nextBoolean()) {
            c.addAll(List.of(score(), member()));
          }
        }
        case 3 -> c.addAll(List.of("ZINCRBY", zsetKey(), score(), member()));
        case 4 -> c.addAll(List.of("ZSCORE", zsetKey(), member()));
        case 5 -> c.addAll(List.of("ZMSCORE", zsetKey(), member(), member()));
        case 6 -> c.addAll(List.of("ZCARD", zsetKey()));
        case 7 -> c.addAll(List.of("ZCOUNT", zsetKey(), scoreBound(), scoreBound()));
        case 8 -> c.addAll(List.of("ZLEXCOUNT", zsetKey(), lexBound(), lexBound()));
        case 9, 10 -> {
          int mode = random.nextInt(3);
          c.addAll(List.of("ZRANGE", zsetKey()));
          c.addAll(mode == 0 ? List.of(index(), index()) : mode == 1 ? List.of(scoreBound(), scoreBound(), "BYSCORE")
              : List.of(lexBound(), lexBound(), "BYLEX"));
          if (random.nextInt(3) == 0) {
            c.add("REV");
          }
          if (random.nextInt(3) == 0) {
            c.addAll(List.of("LIMIT", index(), index()));
          }
          if (random.nextBoolean()) {
            c.add("WITHSCORES");
          }
        }
        case 11 -> {
          c.addAll(List.of(random.nextBoolean() ? "ZRANGEBYSCORE" : "ZREVRANGEBYSCORE", zsetKey(), scoreBound(), scoreBound()));
          if (random.nextBoolean()) {
            c.add("WITHSCORES");
          }
          if (random.nextInt(3) == 0) {
            c.addAll(List.of("LIMIT", index(), index()));
          }
        }
        case 12 -> c.addAll(List.of(random.nextBoolean() ? "ZRANGEBYLEX" : "ZREVRANGEBYLEX", zsetKey(), lexBound(), lexBound()));
        case 13 -> {
          c.addAll(List.of(random.nextBoolean() ? "ZRANK" : "ZREVRANK", zsetKey(), member()));
        }
        case 14 -> c.addAll(List.of("ZREM", zsetKey(), member(), member()));
        case 15 -> {
          switch (random.nextInt(3)) {
            case 0 -> c.addAll(List.of("ZREMRANGEBYRANK", zsetKey(), index(), index()));
            case 1 -> c.addAll(List.of("ZREMRANGEBYSCORE", zsetKey(), scoreBound(), scoreBound()));
            // On "zl", whose members all score 0: with mixed scores, Redis's result depends on the
            // encoding (a listpack checks the range against its ends first, a skip list does not).
            default -> c.addAll(List.of("ZREMRANGEBYLEX", "zl", lexBound(), lexBound()));
          }
        }
        case 16 -> {
          c.addAll(List.of(random.nextBoolean() ? "ZPOPMIN" : "ZPOPMAX", zsetKey()));
          if (random.nextBoolean()) {
            c.add(index());
          }
        }
        case 17, 18 -> {
          String[] names = {"ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE", "ZUNION", "ZINTER", "ZDIFF"};
          String name = names[random.nextInt(names.length)];
          c.add(name);
          if (name.endsWith("STORE")) {
            c.add(zsetKey());
          }
          c.addAll(List.of(random.nextInt(6) == 0 ? index() : "2", zsetKey(), random.nextBoolean() ? setKey() : zsetKey()));
          if (!name.startsWith("ZDIFF") && random.nextBoolean()) {
            c.addAll(List.of("WEIGHTS", score(), score()));
          }
          if (!name.startsWith("ZDIFF") && random.nextBoolean()) {
            c.addAll(List.of("AGGREGATE", new String[] {"SUM", "MIN", "MAX", "BAD"}[random.nextInt(4)]));
          }
          if (!name.endsWith("STORE") && random.nextBoolean()) {
            c.add("WITHSCORES");
          }
        }
        case 19 -> c.addAll(List.of("ZRANGESTORE", zsetKey(), zsetKey(), index(), index()));
        case 20 -> {
          c.addAll(List.of("ZINTERCARD", "2", zsetKey(), zsetKey()));
          if (random.nextBoolean()) {
            c.addAll(List.of("LIMIT", index()));
          }
        }
        default -> c.addAll(List.of("OBJECT", "ENCODING", zsetKey()));
      }
    }

    private void set(List<String> c) {
      switch (random.nextInt(9)) {
        case 0 -> c.addAll(List.of("SETEX", key(), relative(false), value()));
        case 1 -> c.addAll(List.of("PSETEX", key(), relative(true), value()));
        case 2 -> c.addAll(List.of("SETNX", key(), value()));
        case 3 -> c.addAll(List.of("GETSET", key(), value()));
        case 4 -> c.addAll(List.of("MSET", key(), value(), key(), value()));
        case 5 -> c.addAll(List.of("MSETNX", key(), value(), key(), value()));
        default -> {
          c.addAll(List.of("SET", key(), value()));
          String[] options = {"NX", "XX", "GET", "KEEPTTL", "EX", "PX", "EXAT", "PXAT", "PERSIST", "ex"};
          int n = random.nextInt(4);
          for (int i = 0; i < n; i++) {
            String option = options[random.nextInt(options.length)];
            c.add(option);
            switch (option) {
              case "EX", "ex" -> c.add(relative(false));
              case "PX" -> c.add(relative(true));
              case "EXAT" -> c.add(futureOrInvalid(false));
              case "PXAT" -> c.add(futureOrInvalid(true));
              default -> { }
            }
          }
        }
      }
    }

    /**
     * SET's EXAT/PXAT: never a time in the past. Redis 7.0 stores such a key and lets expiry remove
     * it (GETEX, EXPIREAT and RESTORE delete at once), so DBSIZE would depend on when each
     * server's active expiry ran.
     */
    String futureOrInvalid(boolean ms) {
      if (random.nextInt(8) == 0) {
        return EXPIRY_EDGES[random.nextInt(EXPIRY_EDGES.length)];
      }
      long t = FAR_FUTURE_MS + random.nextInt(0, 1_000_000) * 1000L;
      return Long.toString(ms ? t : t / 1000);
    }

    private void arithmetic(List<String> c) {
      String key = random.nextInt(3) == 0 ? key() : (random.nextBoolean() ? "n1" : "f1");
      switch (random.nextInt(7)) {
        case 0 -> c.addAll(List.of("INCR", key));
        case 1 -> c.addAll(List.of("DECR", key));
        case 2 -> c.addAll(List.of("INCRBY", key, integer()));
        case 3 -> c.addAll(List.of("DECRBY", key, integer()));
        case 4, 5 -> c.addAll(List.of("INCRBYFLOAT", key, FLOATS[random.nextInt(FLOATS.length)]));
        default -> c.addAll(List.of("SET", key, random.nextBoolean() ? integer() : FLOATS[random.nextInt(FLOATS.length)]));
      }
    }

    private void ranges(List<String> c) {
      switch (random.nextInt(8)) {
        case 0 -> c.addAll(List.of("APPEND", key(), value()));
        case 1 -> c.addAll(List.of("STRLEN", key()));
        case 2 -> c.addAll(List.of("GETRANGE", key(), integer(), integer()));
        case 3 -> c.addAll(List.of("SUBSTR", key(), integer(), integer()));
        case 4 -> c.addAll(List.of("SETRANGE", key(), random.nextBoolean() ? Integer.toString(random.nextInt(0, 30)) : integer(), value()));
        case 5 -> c.addAll(List.of("MGET", key(), key(), key()));
        case 6 -> {
          c.addAll(List.of("LCS", key(), key()));
          String[] options = {"LEN", "IDX", "MINMATCHLEN", "WITHMATCHLEN"};
          int n = random.nextInt(3);
          for (int i = 0; i < n; i++) {
            String option = options[random.nextInt(options.length)];
            c.add(option);
            if (option.equals("MINMATCHLEN")) {
              c.add(integer());
            }
          }
        }
        default -> {
          c.addAll(List.of("GETDEL", key()));
        }
      }
    }

    private void expiry(List<String> c) {
      switch (random.nextInt(12)) {
        case 0 -> c.addAll(List.of("EXPIRE", key(), relative(false)));
        case 1 -> c.addAll(List.of("PEXPIRE", key(), relative(true)));
        case 2 -> c.addAll(List.of("EXPIREAT", key(), absolute(false)));
        case 3 -> c.addAll(List.of("PEXPIREAT", key(), absolute(true)));
        case 4 -> c.addAll(List.of("TTL", key()));
        case 5 -> c.addAll(List.of("PTTL", key()));
        case 6 -> c.addAll(List.of("EXPIRETIME", key()));
        case 7 -> c.addAll(List.of("PEXPIRETIME", key()));
        case 8 -> c.addAll(List.of("PERSIST", key()));
        case 9 -> {
          c.addAll(List.of("GETEX", key()));
          String[] options = {"EX", "PX", "EXAT", "PXAT", "PERSIST"};
          int n = random.nextInt(3);
          for (int i = 0; i < n; i++) {
            String option = options[random.nextInt(options.length)];
            c.add(option);
            switch (option) {
              case "EX" -> c.add(relative(false));
              case "PX" -> c.add(relative(true));
              case "EXAT" -> c.add(absolute(false));
              case "PXAT" -> c.add(absolute(true));
              default -> { }
            }
          }
        }
        default -> {
          String[] names = {"EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"};
          String name = names[random.nextInt(names.length)];
          c.addAll(List.of(name, key(), name.endsWith("AT") ? absolute(name.startsWith("P")) : relative(name.startsWith("P"))));
          String[] flags = {"NX", "XX", "GT", "LT", "nx", "BAD"};
          int n = random.nextInt(1, 3);
          for (int i = 0; i < n; i++) {
            c.add(flags[random.nextInt(flags.length)]);
          }
        }
      }
    }

    private void keys(List<String> c) {
      switch (random.nextInt(21)) {
        case 0 -> c.addAll(List.of("DEL", key(), key()));
        case 1 -> c.addAll(List.of("UNLINK", key()));
        case 2 -> c.addAll(List.of("EXISTS", key(), key(), key()));
        case 3 -> c.addAll(List.of("TYPE", key()));
        case 4 -> c.addAll(List.of("TOUCH", key(), key()));
        case 5 -> c.addAll(List.of("KEYS", new String[] {"*", "k*", "?1", "[kn]1", "*[^1]", "\\*", "k[1-2]", "[a-"}[random.nextInt(8)]));
        case 6 -> c.addAll(List.of("RENAME", key(), key()));
        case 7 -> c.addAll(List.of("RENAMENX", key(), key()));
        case 8 -> {
          c.addAll(List.of("COPY", key(), key()));
          if (random.nextBoolean()) {
            c.add("REPLACE");
          }
          if (random.nextInt(3) == 0) {
            c.addAll(List.of("DB", random.nextBoolean() ? "1" : integer()));
          }
        }
        case 9 -> c.addAll(List.of("MOVE", key(), random.nextBoolean() ? "1" : integer()));
        case 10 -> c.addAll(List.of("SELECT", random.nextInt(5) == 0 ? integer() : Integer.toString(random.nextInt(2))));
        case 11 -> c.addAll(List.of("DBSIZE"));
        case 12 -> {
          c.addAll(List.of("SCAN", "0"));
          String[][] options = {{"MATCH", "k*"}, {"MATCH", "[fh]*"}, {"COUNT", "1"}, {"COUNT", "0"}, {"COUNT", "-1"},
              {"TYPE", "string"}, {"TYPE", "hash"}, {"TYPE", "nosuchtype"}, {"MATCH"}, {"COUNT", "abc"}};
          int n = random.nextInt(3);
          for (int i = 0; i < n; i++) {
            c.addAll(List.of(options[random.nextInt(options.length)]));
          }
        }
        case 13 -> c.addAll(List.of("OBJECT", "ENCODING", key()));
        case 14 -> c.addAll(List.of("SWAPDB", "0", random.nextInt(4) == 0 ? integer() : "1"));
        case 15 -> c.addAll(List.of("DUMP", key()));
        case 16 -> c.addAll(List.of("FLUSHDB"));
        default -> {
          c.addAll(List.of("RESTORE", key()));
          boolean abs = random.nextInt(4) == 0;
          c.add(switch (random.nextInt(5)) {
            case 0 -> "-1";
            case 1 -> abs ? absolute(true) : relative(true);
            default -> "0";
          });
          c.add(payloads.get(random.nextInt(payloads.size())));
          String[] options = {"REPLACE", "REPLACE", "ABSTTL", "IDLETIME", "FREQ", "BAD"};
          int n = random.nextInt(3);
          for (int i = 0; i < n; i++) {
            String option = options[random.nextInt(options.length)];
            c.add(option);
            if (option.equals("IDLETIME") || option.equals("FREQ")) {
              c.add(random.nextBoolean() ? Integer.toString(random.nextInt(0, 300)) : integer());
            }
          }
          if (abs && !c.contains("ABSTTL")) {
            c.add("ABSTTL");
          }
        }
      }
    }

    private void transaction(List<String> c) {
      switch (random.nextInt(6)) {
        case 0, 1 -> c.add("MULTI");
        case 2 -> c.add("EXEC");
        case 3 -> c.add("DISCARD");
        case 4 -> c.addAll(List.of("WATCH", key(), key()));
        default -> c.add("UNWATCH");
      }
    }

    private void otherTypes(List<String> c) {
      switch (random.nextInt(7)) {
        case 0 -> c.addAll(List.of("HSET", random.nextBoolean() ? "h" : key(), "f", value(), "g" + random.nextInt(3), value()));
        case 1 -> c.addAll(List.of("RPUSH", random.nextBoolean() ? "l" : key(), value(), value()));
        case 2 -> c.addAll(List.of("SADD", random.nextBoolean() ? "s" : key(), value(), integer()));
        case 3 -> c.addAll(List.of("ZADD", random.nextBoolean() ? "z" : key(), integer(), value()));
        case 4 -> c.addAll(List.of("HINCRBY", random.nextBoolean() ? "h" : key(), "n", integer()));
        case 5 -> c.addAll(List.of("TYPE", key()));
        default -> c.addAll(List.of("OBJECT", random.nextBoolean() ? "ENCODING" : "REFCOUNT", random.nextBoolean() ? "h" : key()));
      }
    }

    private void arity(List<String> c) {
      String[] names = {"GET", "SET", "INCRBY", "GETEX", "EXPIREAT", "MSET", "MGET", "RENAME", "COPY", "GETRANGE",
          "SETRANGE", "LCS", "DEL", "TTL", "WATCH", "EXEC", "get", "NOSUCHCOMMAND"};
      c.add(names[random.nextInt(names.length)]);
      int n = random.nextInt(0, 5);
      for (int i = 0; i < n; i++) {
        c.add(random.nextBoolean() ? key() : value());
      }
    }
  }

  /** A RESP2/RESP3 reply, parsed far enough to compare and to print. */
  private record Reply(char type, String line, List<Reply> children) {
    String text() {
      return line;
    }

    @Override
    public String toString() {
      if (children == null) {
        return type + (line == null ? "(null)" : line.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0"));
      }
      StringBuilder sb = new StringBuilder().append(type).append('[');
      for (int i = 0; i < children.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(children.get(i));
      }
      return sb.append(']').toString();
    }
  }

  /** One connection speaking RESP, reading whole replies (including RESP3 aggregates and pushes). */
  private static final class Conn implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    Conn(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream());
    }

    Reply call(List<String> command) throws IOException {
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.writeBytes(("*" + command.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
      for (String arg : command) {
        byte[] bytes = arg.getBytes(StandardCharsets.ISO_8859_1);
        request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(bytes);
        request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.write(request.toByteArray());
      out.flush();
      return read();
    }

    private Reply read() throws IOException {
      int type = in.read();
      if (type < 0) {
        throw new IOException("connection closed");
      }
      String line = readLine();
      return switch (type) {
        case '$', '=', '!' -> {
          int length = Integer.parseInt(line);
          if (length < 0) {
            yield new Reply((char) type, null, null);
          }
          byte[] bytes = in.readNBytes(length + 2);
          yield new Reply((char) type, new String(bytes, 0, length, StandardCharsets.ISO_8859_1), null);
        }
        case '*', '~', '>', '%', '|' -> {
          int count = Integer.parseInt(line);
          if (count < 0) {
            yield new Reply((char) type, null, null);
          }
          int items = type == '%' || type == '|' ? count * 2 : count;
          List<Reply> children = new ArrayList<>(items);
          for (int i = 0; i < items; i++) {
            children.add(read());
          }
          yield new Reply((char) type, null, children);
        }
        default -> new Reply((char) type, line, null);
      };
    }

    private String readLine() throws IOException {
      StringBuilder sb = new StringBuilder();
      for (;;) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed mid-reply");
        }
        if (b == '\r') {
          in.read(); // '\n'
          return sb.toString();
        }
        sb.append((char) b);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}

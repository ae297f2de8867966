package io.kaiware.command.hash;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random hash programs (with strings and expiry mixed in, for WRONGTYPE and lazy expiry) run on an
 * engine and on a reference model built from TreeMaps; replies must match (unordered replies are
 * compared as sorted field maps) and the engine's DEBUG DIGEST must equal that of a fresh engine
 * loaded with the model's final content.
 */
class HashModelPropertyTest {

  private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
  private static final String[] KEYS = {"h0", "h1", "h2"};
  private static final String[] FIELDS = {"a", "b", "c", "d", ""};
  private static final String[] VALUES = {"1", "-3", "x", "9223372036854775807", "", "12"};

  @Provide
  Arbitrary<List<String[]>> programs() {
    Arbitrary<String> key = Arbitraries.of(KEYS);
    Arbitrary<String> field = Arbitraries.of(FIELDS);
    Arbitrary<String> value = Arbitraries.of(VALUES);
    Arbitrary<String[]> command = Arbitraries.oneOf(
        Combinators.combine(key, field, value).as((k, f, v) -> new String[] {"HSET", k, f, v}),
        Combinators.combine(key, field, value, field, value).as((k, f, v, g, w) -> new String[] {"HSET", k, f, v, g, w}),
        Combinators.combine(key, field, value).as((k, f, v) -> new String[] {"HSETNX", k, f, v}),
        Combinators.combine(key, field).as((k, f) -> new String[] {"HGET", k, f}),
        Combinators.combine(key, field, field).as((k, f, g) -> new String[] {"HMGET", k, f, g}),
        Combinators.combine(key, field, field).as((k, f, g) -> new String[] {"HDEL", k, f, g}),
        Combinators.combine(key, field).as((k, f) -> new String[] {"HEXISTS", k, f}),
        Combinators.combine(key, field).as((k, f) -> new String[] {"HSTRLEN", k, f}),
        key.map(k -> new String[] {"HLEN", k}),
        key.map(k -> new String[] {"HGETALL", k}),
        Combinators.combine(key, field, Arbitraries.of("1", "-2", "100", "x")).as((k, f, n) -> new String[] {"HINCRBY", k, f, n}),
        key.map(k -> new String[] {"DEL", k}),
        key.map(k -> new String[] {"SET", k, "str"}),
        Combinators.combine(key, Arbitraries.of("1", "2")).as((k, s) -> new String[] {"EXPIRE", k, s}),
        Arbitraries.of("500", "1500").map(ms -> new String[] {"advance", ms}));
    return command.list().ofMinSize(1).ofMaxSize(60);
  }

  @Property(tries = 200)
  void engineAgreesWithModel(@ForAll("programs") List<String[]> program) {
    CommandHarness engine = new CommandHarness();
    Model model = new Model();
    long now = 1_000_000L;
    engine.now(now);
    for (String[] argv : program) {
      if (argv[0].equals("advance")) {
        now += Long.parseLong(argv[1]);
        engine.now(now);
        engine.keyspace().activeExpireCycle(now, 16);
        continue;
      }
      Object actual = engine.exec(argv);
      Object expected = model.apply(argv, now);
      if (argv[0].equals("HGETALL") && actual instanceof List<?> list) {
        TreeMap<Object, Object> sorted = new TreeMap<>();
        for (int i = 0; i < list.size(); i += 2) {
          sorted.put(list.get(i), list.get(i + 1));
        }
        actual = sorted;
      }
      assertThat(actual).as("%s in %s", String.join(" ", argv), describe(program)).isEqualTo(expected);
    }
    assertThat(engine.exec("DEBUG", "DIGEST")).as(describe(program)).isEqualTo(model.digest(now));
  }

  private static String describe(List<String[]> program) {
    List<String> out = new ArrayList<>();
    for (String[] argv : program) {
      out.add(String.join(" ", argv));
    }
    return out.toString();
  }

  /** Redis's hash semantics, as plainly as possible. */
  static final class Model {
    /** Key -> a TreeMap (hash) or a String (string); expiry kept aside. */
    private final Map<String, Object> data = new TreeMap<>();
    private final Map<String, Long> expireAtMs = new TreeMap<>();

    private Object live(String key, long now) {
      Long at = expireAtMs.get(key);
      if (at != null && at < now) {
        data.remove(key);
        expireAtMs.remove(key);
      }
      return data.get(key);
    }

    @SuppressWarnings("unchecked")
    Object apply(String[] a, long now) {
      String k = a[1];
      Object v = live(k, now);
      String cmd = a[0];
      if (cmd.equals("DEL")) {
        expireAtMs.remove(k);
        return data.remove(k) != null ? 1L : 0L;
      }
      if (cmd.equals("SET")) {
        data.put(k, a[2]);
        expireAtMs.remove(k);
        return "OK";
      }
      if (cmd.equals("EXPIRE")) {
        if (v == null) {
          return 0L;
        }
        expireAtMs.put(k, now + Long.parseLong(a[2]) * 1000);
        return 1L;
      }
      if (cmd.equals("HINCRBY") && !a[3].matches("-?[1-9][0-9]*|0")) {
        return new Err("ERR value is not an integer or out of range"); // parsed before the lookup
      }
      if (v instanceof String) {
        return new Err(WRONGTYPE);
      }
      TreeMap<String, String> h = (TreeMap<String, String>) v;
      TreeMap<String, String> empty = new TreeMap<>();
      TreeMap<String, String> r = h == null ? empty : h;
      switch (cmd) {
        case "HSET" -> {
          TreeMap<String, String> w = h == null ? new TreeMap<>() : h;
          long created = 0;
          for (int i = 2; i < a.length; i += 2) {
            if (w.put(a[i], a[i + 1]) == null) {
              created++;
            }
          }
          data.put(k, w);
          return created;
        }
        case "HSETNX" -> {
          if (r.containsKey(a[2])) {
            return 0L;
          }
          TreeMap<String, String> w = h == null ? new TreeMap<>() : h;
          w.put(a[2], a[3]);
          data.put(k, w);
          return 1L;
        }
        case "HGET" -> {
          return r.get(a[2]);
        }
        case "HMGET" -> {
          return Arrays.asList(r.get(a[2]), r.get(a[3]));
        }
        case "HDEL" -> {
          long n = 0;
          for (int i = 2; i < a.length; i++) {
            if (r.remove(a[i]) != null) {
              n++;
            }
          }
          if (h != null && h.isEmpty()) {
            data.remove(k);
            expireAtMs.remove(k);
          }
          return n;
        }
        case "HEXISTS" -> {
          return r.containsKey(a[2]) ? 1L : 0L;
        }
        case "HSTRLEN" -> {
          String s = r.get(a[2]);
          return s == null ? 0L : (long) s.length();
        }
        case "HLEN" -> {
          return (long) r.size();
        }
        case "HGETALL" -> {
          return new TreeMap<Object, Object>(r);
        }
        case "HINCRBY" -> {
          long inc;
          try {
            inc = Long.parseLong(a[3]);
          } catch (NumberFormatException e) {
            return new Err("ERR value is not an integer or out of range");
          }
          String cur = r.get(a[2]);
          long val = 0;
          if (cur != null) {
            if (!cur.matches("-?[1-9][0-9]*|0")) {
              return new Err("ERR hash value is not an integer");
            }
            val = Long.parseLong(cur);
          }
          long sum;
          try {
            sum = Math.addExact(val, inc);
          } catch (ArithmeticException e) {
            return new Err("ERR increment or decrement would overflow");
          }
          TreeMap<String, String> w = h == null ? new TreeMap<>() : h;
          w.put(a[2], Long.toString(sum));
          data.put(k, w);
          return sum;
        }
        default -> throw new IllegalArgumentException(cmd);
      }
    }

    /** The digest of a fresh engine holding the model's live content. */
    @SuppressWarnings("unchecked")
    String digest(long now) {
      CommandHarness fresh = new CommandHarness();
      // One millisecond early: PEXPIREAT of exactly "now" would delete a key that is still live
      // at now (expiry is strictly-before), and nothing live at now is expired a moment earlier.
      fresh.now(now - 1);
      for (String k : new ArrayList<>(data.keySet())) {
        Object v = live(k, now);
        if (v instanceof String s) {
          fresh.exec("SET", k, s);
        } else if (v != null) {
          for (Map.Entry<String, String> e : ((TreeMap<String, String>) v).entrySet()) {
            fresh.exec("HSET", k, e.getKey(), e.getValue());
          }
        }
        if (v != null && expireAtMs.containsKey(k)) {
          fresh.exec("PEXPIREAT", k, Long.toString(expireAtMs.get(k)));
        }
      }
      return (String) fresh.exec("DEBUG", "DIGEST");
    }
  }
}

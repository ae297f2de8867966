package io.kaiware.command.zset;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import io.kaiware.engine.Scores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sorted-set programs on an engine and on a plain reference model (member -> score maps,
 * sorted on demand): every reply must match, and at the end the engine's DEBUG DIGEST must equal
 * that of a fresh engine loaded with the model's content.
 */
class ZSetModelPropertyTest {

  private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
  private static final String[] KEYS = {"z0", "z1", "z2"};
  private static final String[] MEMBERS = {"a", "b", "c", "d", "e", "f"};
  private static final String[] SCORES = {"0", "1", "2", "-1", "1.5", "3", "inf", "-inf"};
  private static final String[] BOUNDS = {"0", "1", "(1", "2", "(2", "-inf", "+inf", "1.5", "(-1", "x"};
  private static final String[] LEX = {"-", "+", "[a", "(b", "[c", "(d", "[f", "x"};
  private static final String[] INDEXES = {"0", "1", "-1", "2", "-2", "5", "-10"};

  @Provide
  Arbitrary<List<String[]>> programs() {
    Arbitrary<String> key = Arbitraries.of(KEYS);
    Arbitrary<String> member = Arbitraries.of(MEMBERS);
    Arbitrary<String> score = Arbitraries.of(SCORES);
    Arbitrary<String> bound = Arbitraries.of(BOUNDS);
    Arbitrary<String> lex = Arbitraries.of(LEX);
    Arbitrary<String> index = Arbitraries.of(INDEXES);
    Arbitrary<String[]> zaddFlags = Arbitraries.of(new String[0], new String[] {"NX"}, new String[] {"XX"}, new String[] {"GT"},
        new String[] {"LT", "CH"}, new String[] {"CH"}, new String[] {"XX", "GT", "CH"});
    Arbitrary<String[]> command = Arbitraries.oneOf(
        Combinators.combine(key, zaddFlags, score, member, score, member).as((k, f, s1, m1, s2, m2) ->
            concat(new String[] {"ZADD", k}, f, new String[] {s1, m1, s2, m2})),
        Combinators.combine(key, score, member).as((k, s, m) -> new String[] {"ZADD", k, s, m}),
        Combinators.combine(key, Arbitraries.of("1", "-2", "0.5", "inf"), member).as((k, s, m) -> new String[] {"ZINCRBY", k, s, m}),
        Combinators.combine(key, member, member).as((k, a, b) -> new String[] {"ZREM", k, a, b}),
        Combinators.combine(key, member).as((k, m) -> new String[] {"ZSCORE", k, m}),
        Combinators.combine(key, member, member).as((k, a, b) -> new String[] {"ZMSCORE", k, a, b}),
        key.map(k -> new String[] {"ZCARD", k}),
        Combinators.combine(key, member).as((k, m) -> new String[] {"ZRANK", k, m}),
        Combinators.combine(key, member).as((k, m) -> new String[] {"ZREVRANK", k, m}),
        Combinators.combine(key, index, index).as((k, a, b) -> new String[] {"ZRANGE", k, a, b, "WITHSCORES"}),
        Combinators.combine(key, index, index).as((k, a, b) -> new String[] {"ZREVRANGE", k, a, b}),
        Combinators.combine(key, bound, bound).as((k, a, b) -> new String[] {"ZRANGEBYSCORE", k, a, b, "WITHSCORES"}),
        Combinators.combine(key, bound, bound, Arbitraries.of("0", "1", "-1"), Arbitraries.of("1", "2", "-1", "0"))
            .as((k, a, b, o, c) -> new String[] {"ZREVRANGEBYSCORE", k, a, b, "LIMIT", o, c}),
        Combinators.combine(key, bound, bound).as((k, a, b) -> new String[] {"ZCOUNT", k, a, b}),
        Combinators.combine(key, lex, lex).as((k, a, b) -> new String[] {"ZRANGEBYLEX", k, a, b}),
        Combinators.combine(key, lex, lex).as((k, a, b) -> new String[] {"ZREVRANGEBYLEX", k, a, b}),
        Combinators.combine(key, lex, lex).as((k, a, b) -> new String[] {"ZLEXCOUNT", k, a, b}),
        Combinators.combine(key, index, index).as((k, a, b) -> new String[] {"ZREMRANGEBYRANK", k, a, b}),
        Combinators.combine(key, bound, bound).as((k, a, b) -> new String[] {"ZREMRANGEBYSCORE", k, a, b}),
        Combinators.combine(key, lex, lex).as((k, a, b) -> new String[] {"ZREMRANGEBYLEX", k, a, b}),
        Combinators.combine(key, Arbitraries.of("ZPOPMIN", "ZPOPMAX")).as((k, c) -> new String[] {c, k}),
        Combinators.combine(key, Arbitraries.of("ZPOPMIN", "ZPOPMAX"), Arbitraries.of("0", "2", "10"))
            .as((k, c, n) -> new String[] {c, k, n}),
        Combinators.combine(key, key, key, Arbitraries.of("ZUNIONSTORE", "ZINTERSTORE"), Arbitraries.of("SUM", "MIN", "MAX"))
            .as((d, a, b, c, agg) -> new String[] {c, d, "2", a, b, "WEIGHTS", "2", "-1", "AGGREGATE", agg}),
        Combinators.combine(key, key, key).as((d, a, b) -> new String[] {"ZDIFFSTORE", d, "2", a, b}),
        Combinators.combine(key, key, index, index).as((d, s, a, b) -> new String[] {"ZRANGESTORE", d, s, a, b}),
        Combinators.combine(key, key).as((a, b) -> new String[] {"ZINTERCARD", "2", a, b}),
        key.map(k -> new String[] {"DEL", k}),
        key.map(k -> new String[] {"SET", k, "str"}));
    return command.list().ofMinSize(1).ofMaxSize(60);
  }

  private static String[] concat(String[]... parts) {
    List<String> out = new ArrayList<>();
    for (String[] p : parts) {
      out.addAll(Arrays.asList(p));
    }
    return out.toArray(String[]::new);
  }

  @Property(tries = 250)
  void engineAgreesWithModel(@ForAll("programs") List<String[]> program) {
    CommandHarness engine = new CommandHarness();
    Model model = new Model();
    for (String[] argv : program) {
      Object actual = engine.exec(argv);
      Object expected = model.apply(argv);
      if (expected == Model.UNSPECIFIED) {
        // A lex range over members with different scores: Redis leaves the answer unspecified.
        // Take the engine's state for the key and carry on.
        model.resync(argv[1], engine);
        continue;
      }
      assertThat(actual).as("%s in %s", String.join(" ", argv), describe(program)).isEqualTo(expected);
    }
    assertThat(engine.exec("DEBUG", "DIGEST")).as(describe(program)).isEqualTo(model.digest());
  }

  private static String describe(List<String[]> program) {
    List<String> out = new ArrayList<>();
    for (String[] argv : program) {
      out.add(String.join(" ", argv));
    }
    return out.toString();
  }

  /** Redis's sorted-set semantics, computed the slow and obvious way. */
  static final class Model {
    private final Map<String, Object> data = new TreeMap<>();

    record E(String member, double score) {}

    static final Object UNSPECIFIED = new Object();

    void resync(String key, CommandHarness engine) {
      @SuppressWarnings("unchecked")
      List<Object> flat = (List<Object>) engine.exec("ZRANGE", key, "0", "-1", "WITHSCORES");
      TreeMap<String, Double> z = new TreeMap<>();
      for (int i = 0; i < flat.size(); i += 2) {
        z.put((String) flat.get(i), parseScore((String) flat.get(i + 1)));
      }
      store(key, z);
    }

    /**
     * Redis compares scores with C's {@code <} and {@code ==}, so -0 and 0 tie and the member decides
     * ({@code Double.compare} would put -0 first).
     */
    static final Comparator<E> ORDER = (x, y) -> x.score < y.score ? -1 : x.score > y.score ? 1 : x.member.compareTo(y.member);

    @SuppressWarnings("unchecked")
    private TreeMap<String, Double> zset(String key) {
      Object v = data.get(key);
      if (v instanceof String) {
        throw new WrongType();
      }
      return (TreeMap<String, Double>) v;
    }

    static final class WrongType extends RuntimeException {
      WrongType() {
        super(null, null, false, false);
      }
    }

    private List<E> sorted(String key) {
      TreeMap<String, Double> z = zset(key);
      List<E> out = new ArrayList<>();
      if (z != null) {
        z.forEach((m, s) -> out.add(new E(m, s)));
      }
      out.sort(ORDER);
      return out;
    }

    private void store(String key, TreeMap<String, Double> z) {
      if (z.isEmpty()) {
        data.remove(key);
      } else {
        data.put(key, z);
      }
    }

    private static double parseScore(String s) {
      return switch (s) {
        case "inf", "+inf" -> Double.POSITIVE_INFINITY;
        case "-inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(s);
      };
    }

    /** A score bound: [value, exclusive ? 1 : 0], or null when invalid. */
    private static double[] bound(String s) {
      boolean ex = s.startsWith("(");
      String v = ex ? s.substring(1) : s;
      try {
        return new double[] {parseScore(v), ex ? 1 : 0};
      } catch (NumberFormatException e) {
        return null;
      }
    }

    private static Predicate<E> scoreRange(String min, String max) {
      double[] lo = bound(min);
      double[] hi = bound(max);
      if (lo == null || hi == null) {
        return null;
      }
      return e -> (lo[1] == 1 ? e.score > lo[0] : e.score >= lo[0]) && (hi[1] == 1 ? e.score < hi[0] : e.score <= hi[0]);
    }

    private static Predicate<E> lexRange(String min, String max) {
      if (!validLex(min) || !validLex(max)) {
        return null;
      }
      return e -> aboveLex(e.member, min) && belowLex(e.member, max);
    }

    private static boolean validLex(String s) {
      return s.equals("-") || s.equals("+") || s.startsWith("(") || s.startsWith("[");
    }

    private static boolean aboveLex(String m, String min) {
      if (min.equals("-")) {
        return true;
      }
      if (min.equals("+")) {
        return false;
      }
      int c = m.compareTo(min.substring(1));
      return min.startsWith("(") ? c > 0 : c >= 0;
    }

    private static boolean belowLex(String m, String max) {
      if (max.equals("+")) {
        return true;
      }
      if (max.equals("-")) {
        return false;
      }
      int c = m.compareTo(max.substring(1));
      return max.startsWith("(") ? c < 0 : c <= 0;
    }

    private static List<Object> flat(List<E> es, boolean withScores) {
      List<Object> out = new ArrayList<>();
      for (E e : es) {
        out.add(e.member);
        if (withScores) {
          out.add(Scores.format(e.score));
        }
      }
      return out;
    }

    /** Clamps Redis rank indexes; null when the range is empty. */
    private static int[] ranks(long start, long end, int length) {
      if (start < 0) {
        start += length;
      }
      if (end < 0) {
        end += length;
      }
      if (start < 0) {
        start = 0;
      }
      if (start > end || start >= length) {
        return null;
      }
      if (end >= length) {
        end = length - 1;
      }
      return new int[] {(int) start, (int) end};
    }

    Object apply(String[] a) {
      try {
        return run(a);
      } catch (WrongType e) {
        return new Err(WRONGTYPE);
      }
    }

    private Object run(String[] a) {
      String cmd = a[0];
      switch (cmd) {
        case "DEL" -> {
          return data.remove(a[1]) != null ? 1L : 0L;
        }
        case "SET" -> {
          data.put(a[1], a[2]);
          return "OK";
        }
        case "ZADD", "ZINCRBY" -> {
          boolean incr = cmd.equals("ZINCRBY");
          List<String> opts = new ArrayList<>();
          int i = 2;
          if (!incr) {
            while (i < a.length && List.of("NX", "XX", "GT", "LT", "CH").contains(a[i])) {
              opts.add(a[i++]);
            }
          }
          if ((opts.contains("GT") || opts.contains("LT")) && opts.contains("NX")) {
            return new Err("ERR GT, LT, and/or NX options at the same time are not compatible");
          }
          TreeMap<String, Double> z = zset(a[1]);
          if (z == null && opts.contains("XX")) {
            return incr ? null : 0L;
          }
          TreeMap<String, Double> w = z == null ? new TreeMap<>() : z;
          long added = 0;
          long changed = 0;
          Double last = null;
          for (; i < a.length; i += 2) {
            double s = parseScore(a[i]);
            String m = a[i + 1];
            Double cur = w.get(m);
            if (cur != null) {
              if (opts.contains("NX")) {
                continue;
              }
              if (incr) {
                s += cur;
                if (Double.isNaN(s)) {
                  store(a[1], w);
                  return new Err("ERR resulting score is not a number (NaN)");
                }
              }
              if ((opts.contains("LT") && s >= cur) || (opts.contains("GT") && s <= cur)) {
                continue;
              }
              last = s;
              if (s != cur) {
                w.put(m, s);
                changed++;
              }
            } else if (!opts.contains("XX")) {
              w.put(m, s);
              last = s;
              added++;
            }
          }
          store(a[1], w);
          if (incr) {
            return last == null ? null : Scores.format(last);
          }
          return opts.contains("CH") ? added + changed : added;
        }
        case "ZREM" -> {
          TreeMap<String, Double> z = zset(a[1]);
          if (z == null) {
            return 0L;
          }
          long n = 0;
          for (int i = 2; i < a.length; i++) {
            if (z.remove(a[i]) != null) {
              n++;
            }
          }
          store(a[1], z);
          return n;
        }
        case "ZSCORE" -> {
          TreeMap<String, Double> z = zset(a[1]);
          Double s = z == null ? null : z.get(a[2]);
          return s == null ? null : Scores.format(s);
        }
        case "ZMSCORE" -> {
          TreeMap<String, Double> z = zset(a[1]);
          List<Object> out = new ArrayList<>();
          for (int i = 2; i < a.length; i++) {
            Double s = z == null ? null : z.get(a[i]);
            out.add(s == null ? null : Scores.format(s));
          }
          return out;
        }
        case "ZCARD" -> {
          TreeMap<String, Double> z = zset(a[1]);
          return z == null ? 0L : (long) z.size();
        }
        case "ZRANK", "ZREVRANK" -> {
          List<E> es = sorted(a[1]);
          for (int i = 0; i < es.size(); i++) {
            if (es.get(i).member.equals(a[2])) {
              return cmd.equals("ZRANK") ? (long) i : (long) (es.size() - 1 - i);
            }
          }
          return null;
        }
        case "ZRANGE", "ZREVRANGE" -> {
          List<E> es = sorted(a[1]);
          if (cmd.equals("ZREVRANGE")) {
            java.util.Collections.reverse(es);
          }
          int[] r = ranks(Long.parseLong(a[2]), Long.parseLong(a[3]), es.size());
          return r == null ? List.of() : flat(es.subList(r[0], r[1] + 1), a.length > 4);
        }
        case "ZRANGEBYSCORE", "ZREVRANGEBYSCORE", "ZCOUNT" -> {
          boolean rev = cmd.equals("ZREVRANGEBYSCORE");
          Predicate<E> p = rev ? scoreRange(a[3], a[2]) : scoreRange(a[2], a[3]);
          if (p == null) {
            return new Err("ERR min or max is not a float");
          }
          List<E> es = sorted(a[1]);
          if (rev) {
            java.util.Collections.reverse(es);
          }
          List<E> in = es.stream().filter(p).toList();
          if (cmd.equals("ZCOUNT")) {
            return (long) in.size();
          }
          if (a.length > 4 && a[4].equals("LIMIT")) {
            long offset = Long.parseLong(a[5]);
            long count = Long.parseLong(a[6]);
            if (offset < 0) {
              return List.of();
            }
            in = in.stream().skip(offset).limit(count < 0 ? Long.MAX_VALUE : count).toList();
          }
          return flat(in, a.length == 5 && a[4].equals("WITHSCORES"));
        }
        case "ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZLEXCOUNT" -> {
          boolean rev = cmd.equals("ZREVRANGEBYLEX");
          Predicate<E> p = rev ? lexRange(a[3], a[2]) : lexRange(a[2], a[3]);
          if (p == null) {
            return new Err("ERR min or max not valid string range item");
          }
          List<E> es = sorted(a[1]);
          if (es.stream().map(E::score).distinct().count() > 1) {
            return UNSPECIFIED;
          }
          if (rev) {
            java.util.Collections.reverse(es);
          }
          // BYLEX walks the skip list from the first member in range while members stay in range.
          List<E> in = new ArrayList<>();
          int i = 0;
          while (i < es.size() && !p.test(es.get(i))) {
            i++;
          }
          while (i < es.size() && p.test(es.get(i))) {
            in.add(es.get(i++));
          }
          if (cmd.equals("ZLEXCOUNT")) {
            return (long) in.size();
          }
          return flat(in, false);
        }
        case "ZREMRANGEBYRANK" -> {
          List<E> es = sorted(a[1]);
          TreeMap<String, Double> z = zset(a[1]);
          int[] r = ranks(Long.parseLong(a[2]), Long.parseLong(a[3]), es.size());
          if (r == null) {
            return 0L;
          }
          for (E e : es.subList(r[0], r[1] + 1)) {
            z.remove(e.member);
          }
          store(a[1], z);
          return (long) (r[1] - r[0] + 1);
        }
        case "ZREMRANGEBYSCORE", "ZREMRANGEBYLEX" -> {
          Predicate<E> p = cmd.endsWith("SCORE") ? scoreRange(a[2], a[3]) : lexRange(a[2], a[3]);
          if (p == null) {
            return new Err(cmd.endsWith("SCORE") ? "ERR min or max is not a float" : "ERR min or max not valid string range item");
          }
          List<E> es = sorted(a[1]);
          if (cmd.endsWith("LEX") && es.stream().map(E::score).distinct().count() > 1) {
            return UNSPECIFIED;
          }
          TreeMap<String, Double> z = zset(a[1]);
          long n = 0;
          int i = 0;
          while (i < es.size() && !p.test(es.get(i))) {
            i++;
          }
          while (i < es.size() && p.test(es.get(i))) {
            z.remove(es.get(i++).member);
            n++;
          }
          if (z != null) {
            store(a[1], z);
          }
          return n;
        }
        case "ZPOPMIN", "ZPOPMAX" -> {
          long count = a.length > 2 ? Long.parseLong(a[2]) : 1;
          List<E> es = sorted(a[1]); // the type is checked first, even for count 0 (Redis's genericZpopCommand)
          if (count == 0) {
            return List.of();
          }
          if (cmd.equals("ZPOPMAX")) {
            java.util.Collections.reverse(es);
          }
          TreeMap<String, Double> z = zset(a[1]);
          List<E> popped = es.subList(0, (int) Math.min(count, es.size()));
          for (E e : popped) {
            z.remove(e.member);
          }
          if (z != null) {
            store(a[1], z);
          }
          return flat(popped, true);
        }
        case "ZUNIONSTORE", "ZINTERSTORE" -> {
          TreeMap<String, Double> x = zset(a[3]);
          TreeMap<String, Double> y = zset(a[4]);
          double wx = 2;
          double wy = -1;
          String agg = a[9];
          TreeMap<String, Double> out = new TreeMap<>();
          TreeMap<String, Double> sx = x == null ? new TreeMap<>() : x;
          TreeMap<String, Double> sy = y == null ? new TreeMap<>() : y;
          // Redis folds the smaller input first (ties keep argument order).
          boolean xFirst = sx.size() <= sy.size();
          TreeMap<String, Double> first = xFirst ? sx : sy;
          TreeMap<String, Double> second = xFirst ? sy : sx;
          double wf = xFirst ? wx : wy;
          double ws = xFirst ? wy : wx;
          for (var e : first.entrySet()) {
            Double o = second.get(e.getKey());
            double v = weigh(wf, e.getValue());
            if (o != null) {
              out.put(e.getKey(), agg(agg, v, weigh(ws, o)));
            } else if (cmd.equals("ZUNIONSTORE")) {
              out.put(e.getKey(), v);
            }
          }
          if (cmd.equals("ZUNIONSTORE")) {
            for (var e : second.entrySet()) {
              out.putIfAbsent(e.getKey(), weigh(ws, e.getValue()));
            }
          }
          store(a[1], out);
          return (long) out.size();
        }
        case "ZDIFFSTORE" -> {
          TreeMap<String, Double> x = zset(a[3]);
          TreeMap<String, Double> y = zset(a[4]);
          TreeMap<String, Double> out = new TreeMap<>();
          if (x != null) {
            x.forEach((m, s) -> {
              if (y == null || !y.containsKey(m)) {
                out.put(m, s);
              }
            });
          }
          store(a[1], out);
          return (long) out.size();
        }
        case "ZRANGESTORE" -> {
          List<E> es = sorted(a[2]);
          int[] r = ranks(Long.parseLong(a[3]), Long.parseLong(a[4]), es.size());
          TreeMap<String, Double> out = new TreeMap<>();
          if (r != null) {
            for (E e : es.subList(r[0], r[1] + 1)) {
              out.put(e.member, e.score);
            }
          }
          store(a[1], out);
          return (long) out.size();
        }
        case "ZINTERCARD" -> {
          TreeMap<String, Double> x = zset(a[2]);
          TreeMap<String, Double> y = zset(a[3]);
          if (x == null || y == null) {
            return 0L;
          }
          return x.keySet().stream().filter(y::containsKey).count();
        }
        default -> throw new IllegalArgumentException(cmd);
      }
    }

    private static double weigh(double w, double s) {
      double v = w * s;
      return Double.isNaN(v) ? 0 : v;
    }

    private static double agg(String agg, double a, double b) {
      return switch (agg) {
        case "SUM" -> Double.isNaN(a + b) ? 0 : a + b;
        case "MIN" -> b < a ? b : a;
        default -> b > a ? b : a;
      };
    }

    @SuppressWarnings("unchecked")
    String digest() {
      CommandHarness fresh = new CommandHarness();
      for (var en : data.entrySet()) {
        if (en.getValue() instanceof String s) {
          fresh.exec("SET", en.getKey(), s);
        } else {
          for (var e : ((TreeMap<String, Double>) en.getValue()).entrySet()) {
            fresh.exec("ZADD", en.getKey(), Scores.format(e.getValue()), e.getKey());
          }
        }
      }
      return (String) fresh.exec("DEBUG", "DIGEST");
    }
  }
}

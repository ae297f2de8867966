package io.kaiware.command.list;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.ArrayList;
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
 * Random list programs on an engine and on a plain reference model (an ArrayList per key, edited
 * the slow and obvious way): every reply must match, and at the end the engine's DEBUG DIGEST must
 * equal that of a fresh engine loaded with the model's content. Strings are mixed in for WRONGTYPE,
 * and expiry with time jumps: lists that expire under LMOVE, RPOPLPUSH and LMPOP (a lookup that
 * reclaims an expired key shifts other keys' slots), writes that keep a list's TTL.
 */
class ListModelPropertyTest {

  private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");
  private static final Err NOT_INTEGER = new Err("ERR value is not an integer or out of range");
  private static final Err SYNTAX = new Err("ERR syntax error");
  private static final String[] KEYS = {"l0", "l1", "l2"};
  private static final String[] ELEMENTS = {"a", "b", "c", "d", ""};
  private static final String[] INDEXES = {"0", "1", "2", "-1", "-2", "3", "5", "-6", "-100", "x"};
  private static final String[] COUNTS = {"0", "1", "2", "5", "-1", "x"};

  @Provide
  Arbitrary<List<String[]>> programs() {
    Arbitrary<String> key = Arbitraries.of(KEYS);
    Arbitrary<String> element = Arbitraries.of(ELEMENTS);
    Arbitrary<String> index = Arbitraries.of(INDEXES);
    Arbitrary<String> count = Arbitraries.of(COUNTS);
    Arbitrary<String> side = Arbitraries.of("LEFT", "RIGHT", "left", "MIDDLE");
    Arbitrary<String[]> lposOptions = Arbitraries.of(new String[0], new String[] {"RANK", "2"}, new String[] {"RANK", "-1"},
        new String[] {"RANK", "-2", "COUNT", "0"}, new String[] {"COUNT", "2"}, new String[] {"COUNT", "0", "MAXLEN", "3"},
        new String[] {"MAXLEN", "2"}, new String[] {"RANK", "0"}, new String[] {"COUNT", "-1"}, new String[] {"RANK"});
    Arbitrary<String[]> command = Arbitraries.oneOf(
        Combinators.combine(Arbitraries.of("LPUSH", "RPUSH"), key, element, element, element)
            .as((c, k, a, b, d) -> new String[] {c, k, a, b, d}),
        Combinators.combine(Arbitraries.of("LPUSH", "RPUSH", "LPUSHX", "RPUSHX"), key, element)
            .as((c, k, a) -> new String[] {c, k, a}),
        Combinators.combine(Arbitraries.of("LPOP", "RPOP"), key).as((c, k) -> new String[] {c, k}),
        Combinators.combine(Arbitraries.of("LPOP", "RPOP"), key, count).as((c, k, n) -> new String[] {c, k, n}),
        key.map(k -> new String[] {"LLEN", k}),
        Combinators.combine(key, index, index).as((k, a, b) -> new String[] {"LRANGE", k, a, b}),
        Combinators.combine(key, index).as((k, i) -> new String[] {"LINDEX", k, i}),
        Combinators.combine(key, index, element).as((k, i, e) -> new String[] {"LSET", k, i, e}),
        Combinators.combine(key, count, element).as((k, n, e) -> new String[] {"LREM", k, n, e}),
        Combinators.combine(key, index, index).as((k, a, b) -> new String[] {"LTRIM", k, a, b}),
        Combinators.combine(key, Arbitraries.of("BEFORE", "AFTER", "between"), element, element)
            .as((k, w, p, e) -> new String[] {"LINSERT", k, w, p, e}),
        Combinators.combine(key, element, lposOptions).as((k, e, o) -> concat(new String[] {"LPOS", k, e}, o)),
        Combinators.combine(key, key, side, side).as((s, d, a, b) -> new String[] {"LMOVE", s, d, a, b}),
        Combinators.combine(key, key).as((s, d) -> new String[] {"RPOPLPUSH", s, d}),
        Combinators.combine(key, key, side, Arbitraries.of("1", "2", "10", "0"))
            .as((a, b, w, n) -> new String[] {"LMPOP", "2", a, b, w, "COUNT", n}),
        Combinators.combine(key, side).as((a, w) -> new String[] {"LMPOP", "1", a, w}),
        key.map(k -> new String[] {"DEL", k}),
        key.map(k -> new String[] {"SET", k, "str"}),
        Combinators.combine(key, Arbitraries.of("1", "2")).as((k, s) -> new String[] {"EXPIRE", k, s}),
        Arbitraries.of("500", "1500").map(ms -> new String[] {"advance", ms}));
    return command.list().ofMinSize(1).ofMaxSize(80);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Property(tries = 300)
  void engineAgreesWithModel(@ForAll("programs") List<String[]> program) {
    CommandHarness engine = new CommandHarness();
    Model model = new Model();
    long now = 1_000_000L;
    engine.now(now);
    for (String[] argv : program) {
      if (argv[0].equals("advance")) {
        // Time moves on; some expired keys are reclaimed by the sweep, others stay for lookups to find.
        now += Long.parseLong(argv[1]);
        engine.now(now);
        engine.keyspace().activeExpireCycle(now, 2);
        continue;
      }
      Object actual = engine.exec(argv);
      Object expected = model.apply(argv, now);
      assertThat(actual).as("%s in %s", String.join(" ", argv), describe(program)).isEqualTo(expected);
    }
    model.purge(now);
    for (String key : KEYS) {
      assertThat(engine.exec("EXISTS", key)).as("%s exists", key).isEqualTo(model.data.containsKey(key) ? 1L : 0L);
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

  /** Redis's list semantics on ArrayLists; an emptied list is removed from the map. */
  static final class Model {
    final Map<String, Object> data = new TreeMap<>();
    /** Expiry kept aside: writes to a list keep it, SET and deletion drop it. */
    private final Map<String, Long> expireAtMs = new TreeMap<>();

    /** Forgets every key expired at {@code now} (strictly before it, as Redis). */
    void purge(long now) {
      expireAtMs.entrySet().removeIf(e -> {
        if (e.getValue() < now) {
          data.remove(e.getKey());
          return true;
        }
        return false;
      });
    }

    static final class WrongType extends RuntimeException {
      WrongType() {
        super(null, null, false, false);
      }
    }

    static final class Error extends RuntimeException {
      final Err err;

      Error(Err err) {
        super(null, null, false, false);
        this.err = err;
      }
    }

    @SuppressWarnings("unchecked")
    private List<String> list(String key) {
      Object v = data.get(key);
      if (v instanceof String) {
        throw new WrongType();
      }
      return (List<String>) v;
    }

    private void storeOrDrop(String key, List<String> l) {
      if (l.isEmpty()) {
        data.remove(key);
        expireAtMs.remove(key);
      }
    }

    private static long number(String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new Error(NOT_INTEGER);
      }
    }

    private static boolean left(String s) {
      if (s.equalsIgnoreCase("LEFT")) {
        return true;
      }
      if (s.equalsIgnoreCase("RIGHT")) {
        return false;
      }
      throw new Error(SYNTAX);
    }

    /** Elements [start, end] after Redis's index rules, as a sublist (empty when the range is). */
    private static List<String> range(List<String> l, long start, long end) {
      int n = l.size();
      if (start < 0) {
        start = Math.max(0, n + start);
      }
      if (end < 0) {
        end = n + end;
      }
      end = Math.min(end, n - 1);
      if (start > end) {
        return new ArrayList<>();
      }
      return new ArrayList<>(l.subList((int) start, (int) end + 1));
    }

    Object apply(String[] a, long now) {
      purge(now);
      try {
        return run(a, now);
      } catch (WrongType e) {
        return WRONGTYPE;
      } catch (Error e) {
        return e.err;
      }
    }

    private Object run(String[] a, long now) {
      String cmd = a[0];
      switch (cmd) {
        case "DEL" -> {
          expireAtMs.remove(a[1]);
          return data.remove(a[1]) != null ? 1L : 0L;
        }
        case "SET" -> {
          data.put(a[1], a[2]);
          expireAtMs.remove(a[1]);
          return "OK";
        }
        case "EXPIRE" -> {
          if (!data.containsKey(a[1])) {
            return 0L;
          }
          expireAtMs.put(a[1], now + Long.parseLong(a[2]) * 1000);
          return 1L;
        }
        case "LPUSH", "RPUSH", "LPUSHX", "RPUSHX" -> {
          List<String> l = list(a[1]);
          if (l == null) {
            if (cmd.endsWith("X")) {
              return 0L;
            }
            l = new ArrayList<>();
            data.put(a[1], l);
          }
          for (int i = 2; i < a.length; i++) {
            if (cmd.startsWith("L")) {
              l.add(0, a[i]);
            } else {
              l.add(a[i]);
            }
          }
          return (long) l.size();
        }
        case "LPOP", "RPOP" -> {
          boolean head = cmd.equals("LPOP");
          long count = 0;
          if (a.length == 3) {
            try {
              count = Long.parseLong(a[2]);
            } catch (NumberFormatException e) {
              count = -1;
            }
            if (count < 0) {
              return new Err("ERR value is out of range, must be positive");
            }
          }
          List<String> l = list(a[1]);
          if (l == null) {
            return null;
          }
          if (a.length == 2) {
            String e = head ? l.remove(0) : l.remove(l.size() - 1);
            storeOrDrop(a[1], l);
            return e;
          }
          List<String> out = new ArrayList<>();
          for (long i = 0; i < count && !l.isEmpty(); i++) {
            out.add(head ? l.remove(0) : l.remove(l.size() - 1));
          }
          storeOrDrop(a[1], l);
          return out;
        }
        case "LLEN" -> {
          List<String> l = list(a[1]);
          return l == null ? 0L : (long) l.size();
        }
        case "LRANGE" -> {
          long start = number(a[2]);
          long end = number(a[3]);
          List<String> l = list(a[1]);
          return l == null ? List.of() : range(l, start, end);
        }
        case "LINDEX" -> {
          List<String> l = list(a[1]);
          if (l == null) {
            return null;
          }
          long i = number(a[2]);
          if (i < 0) {
            i += l.size();
          }
          return i < 0 || i >= l.size() ? null : l.get((int) i);
        }
        case "LSET" -> {
          List<String> l = list(a[1]);
          if (l == null) {
            return new Err("ERR no such key");
          }
          long i = number(a[2]);
          if (i < 0) {
            i += l.size();
          }
          if (i < 0 || i >= l.size()) {
            return new Err("ERR index out of range");
          }
          l.set((int) i, a[3]);
          return "OK";
        }
        case "LREM" -> {
          long count = number(a[2]);
          List<String> l = list(a[1]);
          if (l == null) {
            return 0L;
          }
          long removed = 0;
          if (count >= 0) {
            for (int i = 0; i < l.size() && (count == 0 || removed < count); ) {
              if (l.get(i).equals(a[3])) {
                l.remove(i);
                removed++;
              } else {
                i++;
              }
            }
          } else {
            for (int i = l.size() - 1; i >= 0 && removed < -count; i--) {
              if (l.get(i).equals(a[3])) {
                l.remove(i);
                removed++;
              }
            }
          }
          storeOrDrop(a[1], l);
          return removed;
        }
        case "LTRIM" -> {
          long start = number(a[2]);
          long end = number(a[3]);
          List<String> l = list(a[1]);
          if (l == null) {
            return "OK";
          }
          List<String> kept = range(l, start, end);
          l.clear();
          l.addAll(kept);
          storeOrDrop(a[1], l);
          return "OK";
        }
        case "LINSERT" -> {
          boolean after;
          if (a[2].equalsIgnoreCase("AFTER")) {
            after = true;
          } else if (a[2].equalsIgnoreCase("BEFORE")) {
            after = false;
          } else {
            return SYNTAX;
          }
          List<String> l = list(a[1]);
          if (l == null) {
            return 0L;
          }
          int pivot = l.indexOf(a[3]);
          if (pivot < 0) {
            return -1L;
          }
          l.add(after ? pivot + 1 : pivot, a[4]);
          return (long) l.size();
        }
        case "LPOS" -> {
          long rank = 1;
          long count = -1;
          long maxlen = 0;
          for (int j = 3; j < a.length; j++) {
            if (j == a.length - 1) {
              return SYNTAX;
            }
            long v = number(a[++j]);
            switch (a[j - 1]) {
              case "RANK" -> {
                if (v == 0) {
                  return new Err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                      + "or use negative to start from the end of the list");
                }
                rank = v;
              }
              case "COUNT" -> {
                if (v < 0) {
                  return new Err("ERR COUNT can't be negative");
                }
                count = v;
              }
              default -> {
                if (v < 0) {
                  return new Err("ERR MAXLEN can't be negative");
                }
                maxlen = v;
              }
            }
          }
          List<String> l = list(a[1]);
          List<Long> found = new ArrayList<>();
          if (l != null) {
            int n = l.size();
            long scan = maxlen == 0 ? n : Math.min(maxlen, n);
            long skip = Math.abs(rank) - 1;
            for (int step = 0; step < scan; step++) {
              int i = rank > 0 ? step : n - 1 - step;
              if (l.get(i).equals(a[2])) {
                if (skip > 0) {
                  skip--;
                } else {
                  found.add((long) i);
                }
              }
            }
          }
          if (count == -1) {
            return found.isEmpty() ? null : found.get(0);
          }
          return count == 0 || found.size() <= count ? found : found.subList(0, (int) count);
        }
        case "LMOVE", "RPOPLPUSH" -> {
          boolean fromHead = false;
          boolean toHead = true;
          if (cmd.equals("LMOVE")) {
            fromHead = left(a[3]);
            toHead = left(a[4]);
          }
          List<String> src = list(a[1]);
          if (src == null) {
            return null;
          }
          List<String> dst = list(a[2]);
          String e = fromHead ? src.remove(0) : src.remove(src.size() - 1);
          if (dst == null) {
            dst = new ArrayList<>();
            data.put(a[2], dst);
          }
          dst.add(toHead ? 0 : dst.size(), e);
          storeOrDrop(a[1], src);
          return e;
        }
        case "LMPOP" -> {
          int numkeys = Integer.parseInt(a[1]);
          boolean head = left(a[2 + numkeys]);
          long count = 1;
          if (a.length > 3 + numkeys) {
            count = Long.parseLong(a[4 + numkeys]);
            if (count < 1) {
              return new Err("ERR count should be greater than 0");
            }
          }
          for (int i = 2; i < 2 + numkeys; i++) {
            List<String> l = list(a[i]);
            if (l == null) {
              continue;
            }
            List<String> out = new ArrayList<>();
            for (long n = 0; n < count && !l.isEmpty(); n++) {
              out.add(head ? l.remove(0) : l.remove(l.size() - 1));
            }
            storeOrDrop(a[i], l);
            return List.of(a[i], out);
          }
          return null;
        }
        default -> throw new IllegalArgumentException(cmd);
      }
    }

    /** The digest of a fresh engine holding the model's live content at {@code now}. */
    @SuppressWarnings("unchecked")
    String digest(long now) {
      purge(now);
      CommandHarness fresh = new CommandHarness();
      // One millisecond early: PEXPIREAT of exactly "now" would delete a key that is still live at now.
      fresh.now(now - 1);
      for (var en : data.entrySet()) {
        if (en.getValue() instanceof String s) {
          fresh.exec("SET", en.getKey(), s);
        } else {
          List<String> l = (List<String>) en.getValue();
          String[] argv = new String[l.size() + 2];
          argv[0] = "RPUSH";
          argv[1] = en.getKey();
          for (int i = 0; i < l.size(); i++) {
            argv[i + 2] = l.get(i);
          }
          fresh.exec(argv);
        }
        Long at = expireAtMs.get(en.getKey());
        if (at != null) {
          fresh.exec("PEXPIREAT", en.getKey(), Long.toString(at));
        }
      }
      fresh.now(now);
      return (String) fresh.exec("DEBUG", "DIGEST");
    }
  }
}

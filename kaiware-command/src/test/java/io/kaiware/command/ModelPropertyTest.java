package io.kaiware.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness.Err;
import io.kaiware.engine.Keyspace;
import java.nio.charset.StandardCharsets;
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
 * Random command sequences applied to two engines and to a reference model (a TreeMap of strings
 * with absolute expiry times). Engine A runs active expiry between commands, engine B never does:
 * their replies must still agree with each other and with the model, and their DEBUG DIGESTs must
 * agree with each other and with a third engine loaded directly from the model's state.
 */
class ModelPropertyTest {

  private static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4"};
  private static final String[] VALUES = {"1", "-5", "abc", "9223372036854775807", "", "007", "42"};

  /** One step: a command, or a pause of {@code advanceMs}. */
  record Step(String[] argv, long advanceMs) {
    @Override
    public String toString() {
      return argv == null ? "advance " + advanceMs : String.join(" ", argv);
    }
  }

  @Provide
  Arbitrary<List<Step>> programs() {
    Arbitrary<String> key = Arbitraries.of(KEYS);
    Arbitrary<String> value = Arbitraries.of(VALUES);
    Arbitrary<Step> command = Arbitraries.oneOf(
        Combinators.combine(key, value).as((k, v) -> cmd("SET", k, v)),
        Combinators.combine(key, value, Arbitraries.longs().between(1, 3000)).as((k, v, ms) -> cmd("SET", k, v, "PX", "" + ms)),
        key.map(k -> cmd("GET", k)),
        key.map(k -> cmd("DEL", k)),
        key.map(k -> cmd("INCR", k)),
        Combinators.combine(key, value).as((k, v) -> cmd("APPEND", k, v)),
        Combinators.combine(key, Arbitraries.longs().between(-2, 4)).as((k, s) -> cmd("EXPIRE", k, "" + s)),
        key.map(k -> cmd("PERSIST", k)),
        key.map(k -> cmd("TTL", k)),
        key.map(k -> cmd("PTTL", k)),
        Combinators.combine(key, key).as((a, b) -> cmd("EXISTS", a, b)),
        key.map(k -> cmd("GETDEL", k)),
        Combinators.combine(key, value).as((k, v) -> cmd("SETNX", k, v)),
        key.map(k -> cmd("STRLEN", k)),
        Arbitraries.longs().between(0, 2500).map(ms -> new Step(null, ms)));
    return command.list().ofMinSize(1).ofMaxSize(80);
  }

  private static Step cmd(String... argv) {
    return new Step(argv, 0);
  }

  @Property(tries = 150)
  void enginesAgreeWithEachOtherAndTheModel(@ForAll("programs") List<Step> program) {
    CommandHarness a = new CommandHarness();
    CommandHarness b = new CommandHarness();
    b.keyspace().setActiveExpireEnabled(false);
    Model model = new Model();
    long now = 1_000_000L;
    a.now(now);
    b.now(now);
    for (Step step : program) {
      if (step.argv == null) {
        now += step.advanceMs;
        a.now(now);
        b.now(now);
        a.keyspace().activeExpireCycle(now, 64);
        continue;
      }
      Object ra = a.exec(step.argv);
      Object rb = b.exec(step.argv);
      Object expected = model.apply(step.argv, now);
      assertThat(ra).as("engine A: %s in %s", step, program).isEqualTo(expected);
      assertThat(rb).as("engine B: %s", step).isEqualTo(expected);
      String da = (String) a.exec("DEBUG", "DIGEST");
      assertThat(b.exec("DEBUG", "DIGEST")).as("digest after %s", step).isEqualTo(da);
    }
    assertThat(a.exec("DEBUG", "DIGEST")).isEqualTo(model.digest(now));
  }

  /** The case the random programs must be able to tell apart: a watched key expires before EXEC. */
  @net.jqwik.api.Example
  void watchedKeyExpiringBeforeExec() {
    activeExpiryIsInvisibleToTransactions(List.of(
        new ClientStep(0, new String[] {"SET", "k0", "v", "PX", "100"}, 0),
        new ClientStep(0, new String[] {"WATCH", "k0"}, 0),
        new ClientStep(0, null, 200),
        new ClientStep(0, new String[] {"MULTI"}, 0),
        new ClientStep(0, new String[] {"EXEC"}, 0)));
  }

  /** A command of one of two clients (0 or 1), or a pause. */
  record ClientStep(int client, String[] argv, long advanceMs) {
    @Override
    public String toString() {
      return argv == null ? "advance " + advanceMs : "c" + client + ": " + String.join(" ", argv);
    }
  }

  @Provide
  Arbitrary<List<ClientStep>> transactionPrograms() {
    Arbitrary<String> key = Arbitraries.of("k0", "k1", "k2");
    Arbitrary<String> value = Arbitraries.of(VALUES);
    Arbitrary<String[]> argv = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, Combinators.combine(key, value).as((k, v) -> new String[] {"SET", k, v})),
        net.jqwik.api.Tuple.of(4, Combinators.combine(key, value, Arbitraries.longs().between(1, 3000))
            .as((k, v, ms) -> new String[] {"SET", k, v, "PX", "" + ms})),
        net.jqwik.api.Tuple.of(1, key.map(k -> new String[] {"GET", k})),
        net.jqwik.api.Tuple.of(1, key.map(k -> new String[] {"DEL", k})),
        net.jqwik.api.Tuple.of(1, key.map(k -> new String[] {"INCR", k})),
        net.jqwik.api.Tuple.of(1, Combinators.combine(key, Arbitraries.longs().between(-1, 3))
            .as((k, sec) -> new String[] {"EXPIRE", k, "" + sec})),
        net.jqwik.api.Tuple.of(4, key.map(k -> new String[] {"WATCH", k})),
        net.jqwik.api.Tuple.of(1, Combinators.combine(key, key).as((a, b) -> new String[] {"WATCH", a, b})),
        net.jqwik.api.Tuple.of(3, Arbitraries.just(new String[] {"MULTI"})),
        net.jqwik.api.Tuple.of(4, Arbitraries.just(new String[] {"EXEC"})),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(new String[] {"DISCARD"})),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(new String[] {"UNWATCH"})),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(new String[] {"FLUSHDB"})),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(new String[] {"SWAPDB", "0", "1"})),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("0", "1").map(db -> new String[] {"SELECT", db})),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(new String[] {"GET"})));
    Arbitrary<ClientStep> step = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Combinators.combine(Arbitraries.integers().between(0, 1), argv)
            .as((c, a) -> new ClientStep(c, a, 0))),
        net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(0, 2500).map(ms -> new ClientStep(0, null, ms))));
    return step.list().ofMinSize(1).ofMaxSize(80);
  }

  /**
   * Two clients per engine using WATCH/MULTI/EXEC: engine A reclaims expired keys actively, engine
   * B never does, yet every reply (EXEC's null or array included) and every digest must match —
   * reclamation must be invisible to transactions too.
   */
  @Property(tries = 150)
  void activeExpiryIsInvisibleToTransactions(@ForAll("transactionPrograms") List<ClientStep> program) {
    CommandHarness a0 = new CommandHarness();
    CommandHarness a1 = a0.otherClient();
    CommandHarness b0 = new CommandHarness();
    CommandHarness b1 = b0.otherClient();
    b0.keyspace().setActiveExpireEnabled(false);
    long now = 1_000_000L;
    a0.now(now);
    b0.now(now);
    for (ClientStep step : program) {
      if (step.argv == null) {
        now += step.advanceMs;
        a0.now(now);
        b0.now(now);
        a0.keyspace().activeExpireCycle(now, 64);
        continue;
      }
      Object ra = (step.client == 0 ? a0 : a1).exec(step.argv);
      Object rb = (step.client == 0 ? b0 : b1).exec(step.argv);
      assertThat(ra).as("%s in %s", step, program).isEqualTo(rb);
      assertThat(a0.keyspace().digest(now)).as("digest after %s", step).isEqualTo(b0.keyspace().digest(now));
    }
  }

  /** The reference: what Redis does, written as plainly as possible. */
  static final class Model {
    record Entry(String value, long expireAtMs) {}

    private final Map<String, Entry> data = new TreeMap<>();

    private Entry live(String key, long now) {
      Entry e = data.get(key);
      if (e != null && e.expireAtMs != 0 && e.expireAtMs < now) {
        data.remove(key);
        return null;
      }
      return e;
    }

    Object apply(String[] argv, long now) {
      String k = argv[1];
      Entry e = live(k, now);
      switch (argv[0]) {
        case "SET" -> {
          data.put(k, new Entry(argv[2], argv.length > 3 ? now + Long.parseLong(argv[4]) : 0));
          return "OK";
        }
        case "GET" -> {
          return e == null ? null : e.value;
        }
        case "DEL" -> {
          return data.remove(k) != null && e != null ? 1L : 0L;
        }
        case "INCR" -> {
          long v = 0;
          if (e != null) {
            try {
              if (e.value.isEmpty() || e.value.startsWith("0") && e.value.length() > 1 || e.value.startsWith("+")) {
                throw new NumberFormatException();
              }
              v = Long.parseLong(e.value);
            } catch (NumberFormatException x) {
              return new Err("ERR value is not an integer or out of range");
            }
          }
          if (v == Long.MAX_VALUE) {
            return new Err("ERR increment or decrement would overflow");
          }
          data.put(k, new Entry(Long.toString(v + 1), e == null ? 0 : e.expireAtMs));
          return v + 1;
        }
        case "APPEND" -> {
          String nv = (e == null ? "" : e.value) + argv[2];
          data.put(k, new Entry(nv, e == null ? 0 : e.expireAtMs));
          return (long) nv.length();
        }
        case "EXPIRE" -> {
          if (e == null) {
            return 0L;
          }
          long when = now + Long.parseLong(argv[2]) * 1000;
          if (when <= now) {
            data.remove(k);
          } else {
            data.put(k, new Entry(e.value, when));
          }
          return 1L;
        }
        case "PERSIST" -> {
          if (e == null || e.expireAtMs == 0) {
            return 0L;
          }
          data.put(k, new Entry(e.value, 0));
          return 1L;
        }
        case "TTL", "PTTL" -> {
          if (e == null) {
            return -2L;
          }
          if (e.expireAtMs == 0) {
            return -1L;
          }
          long ms = Math.max(0, e.expireAtMs - now);
          return argv[0].equals("PTTL") ? ms : (ms + 500) / 1000;
        }
        case "EXISTS" -> {
          return (e != null ? 1L : 0L) + (live(argv[2], now) != null ? 1L : 0L);
        }
        case "GETDEL" -> {
          if (e == null) {
            return null;
          }
          data.remove(k);
          return e.value;
        }
        case "SETNX" -> {
          if (e != null) {
            return 0L;
          }
          data.put(k, new Entry(argv[2], 0));
          return 1L;
        }
        case "STRLEN" -> {
          return e == null ? 0L : (long) e.value.length();
        }
        default -> throw new IllegalArgumentException(argv[0]);
      }
    }

    /** The digest of a fresh engine holding exactly the model's live keys, inserted in sorted order. */
    String digest(long now) {
      Keyspace ks = new Keyspace();
      for (Map.Entry<String, Entry> en : new ArrayList<>(data.entrySet())) {
        if (live(en.getKey(), now) != null) {
          ks.db(0).put(en.getKey().getBytes(StandardCharsets.ISO_8859_1),
              en.getValue().value.getBytes(StandardCharsets.ISO_8859_1), en.getValue().expireAtMs);
        }
      }
      return ks.digest(now);
    }
  }
}

package io.kaiware.command.set;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random set programs on an engine and on a plain reference model ({@link TreeSet}s, plus the
 * encoding Redis 7.0 would report, computed from its rules): every reply must match — unordered
 * replies compared sorted, intset replies in ascending numeric order, random picks checked for
 * membership, count and (SPOP) removal — and at the end the engine's DEBUG DIGEST must equal that
 * of a fresh engine loaded with the model's content. A second property runs each program on two
 * engines, one of which also runs random reads in between and the other rebuilds its sets with
 * another layout: SPOP must pick the same members on both.
 */
class SetModelPropertyTest {

  private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");
  private static final String[] KEYS = {"s0", "s1", "s2"};
  /** Integers in string2ll form, and strings that are not (a leading zero, a plus, too big). */
  private static final String[] MEMBERS = {"1", "2", "3", "-5", "10", "a", "b", "c", "01", "+2", "99999999999999999999"};
  private static final String[] COUNTS = {"0", "1", "2", "3", "5", "20"};
  private static final int MAX_INTSET = 512;

  @Provide
  Arbitrary<List<String[]>> programs() {
    Arbitrary<String> key = Arbitraries.of(KEYS);
    Arbitrary<String> member = Arbitraries.of(MEMBERS);
    Arbitrary<String> intMember = Arbitraries.of("1", "2", "3", "-5", "10");
    Arbitrary<String> count = Arbitraries.of(COUNTS);
    Arbitrary<String[]> command = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Combinators.combine(key, member, member).as((k, a, b) -> new String[] {"SADD", k, a, b})),
        net.jqwik.api.Tuple.of(4, Combinators.combine(key, intMember, intMember).as((k, a, b) -> new String[] {"SADD", k, a, b})),
        net.jqwik.api.Tuple.of(1, Combinators.combine(key, Arbitraries.of(300, 520, 600)).as(SetModelPropertyTest::manyInts)),
        net.jqwik.api.Tuple.of(4, Combinators.combine(key, member, member).as((k, a, b) -> new String[] {"SREM", k, a, b})),
        net.jqwik.api.Tuple.of(2, Combinators.combine(key, member).as((k, m) -> new String[] {"SISMEMBER", k, m})),
        net.jqwik.api.Tuple.of(2, Combinators.combine(key, member, member).as((k, a, b) -> new String[] {"SMISMEMBER", k, a, b})),
        net.jqwik.api.Tuple.of(2, key.map(k -> new String[] {"SCARD", k})),
        net.jqwik.api.Tuple.of(3, key.map(k -> new String[] {"SMEMBERS", k})),
        net.jqwik.api.Tuple.of(3, key.map(k -> new String[] {"OBJECT", "ENCODING", k})),
        net.jqwik.api.Tuple.of(3, Combinators.combine(key, key, member).as((a, b, m) -> new String[] {"SMOVE", a, b, m})),
        net.jqwik.api.Tuple.of(3, key.map(k -> new String[] {"SPOP", k})),
        net.jqwik.api.Tuple.of(3, Combinators.combine(key, count).as((k, c) -> new String[] {"SPOP", k, c})),
        net.jqwik.api.Tuple.of(2, key.map(k -> new String[] {"SRANDMEMBER", k})),
        net.jqwik.api.Tuple.of(2, Combinators.combine(key, count, Arbitraries.of("", "-")).as((k, c, s) -> new String[] {"SRANDMEMBER", k, c.equals("0") ? c : s + c})), // "-0" is no integer
        net.jqwik.api.Tuple.of(3, Combinators.combine(Arbitraries.of("SINTER", "SUNION", "SDIFF"), key, key, key)
            .as((c, a, b, d) -> new String[] {c, a, b, d})),
        net.jqwik.api.Tuple.of(3, Combinators.combine(Arbitraries.of("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), key, key, key)
            .as((c, d, a, b) -> new String[] {c, d, a, b})),
        net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.of("SDIFFSTORE", "SDIFF"), key, key, key, key)
            .as((c, d, a, b, e) -> c.equals("SDIFF") ? new String[] {c, d, a, b, e} : new String[] {c, d, a, b, e, d})),
        net.jqwik.api.Tuple.of(2, Combinators.combine(key, key, Arbitraries.of("0", "1", "2"))
            .as((a, b, l) -> new String[] {"SINTERCARD", "2", a, b, "LIMIT", l})),
        net.jqwik.api.Tuple.of(2, key.map(k -> new String[] {"SSCAN", k, "0", "COUNT", "1000"})),
        net.jqwik.api.Tuple.of(1, Combinators.combine(key, key).as((a, b) -> new String[] {"COPY", a, b, "REPLACE"})),
        net.jqwik.api.Tuple.of(1, key.map(k -> new String[] {"DEL", k})),
        net.jqwik.api.Tuple.of(1, key.map(k -> new String[] {"SET", k, "str"})));
    return command.list().ofMinSize(1).ofMaxSize(60);
  }

  private static String[] manyInts(String key, int n) {
    String[] argv = new String[n + 2];
    argv[0] = "SADD";
    argv[1] = key;
    for (int i = 0; i < n; i++) {
      argv[i + 2] = Integer.toString(i * 3 - 100);
    }
    return argv;
  }

  @Property(tries = 300)
  void engineAgreesWithModel(@ForAll("programs") List<String[]> program) {
    CommandHarness engine = new CommandHarness();
    Model model = new Model();
    for (String[] argv : program) {
      Object actual = engine.exec(argv);
      model.check(argv, actual, describe(program));
    }
    assertThat(engine.exec("DEBUG", "DIGEST")).as(describe(program)).isEqualTo(model.digest());
  }

  /**
   * Each step runs on two engines; only the "leader" also runs random reads (plain reads run on the
   * leader alone), and the "follower" rebuilds its sets now and then with another layout (members
   * re-inserted in reverse order, as a snapshot install or DUMP/RESTORE would leave them). SPOP
   * must still pop the same members on both.
   */
  @Property(tries = 200)
  void spopPicksTheSameOnEveryReplicaWhateverReadsRanOnOneOrTheLayout(@ForAll("programs") List<String[]> program,
      @ForAll("relayouts") List<Boolean> relayout) {
    CommandHarness leader = new CommandHarness();
    CommandHarness follower = new CommandHarness();
    for (int i = 0; i < program.size(); i++) {
      String[] argv = program.get(i);
      leader.exec("SRANDMEMBER", argv.length > 1 ? argv[argv.length - 1] : "s0", "-2");
      leader.exec("SRANDMEMBER", "s1");
      if (relayout.get(i % relayout.size())) {
        relayout(follower);
      }
      Object a = leader.exec(argv);
      Object b = follower.exec(argv);
      String what = String.join(" ", argv) + " in " + describe(program);
      if (argv[0].equals("SPOP") && argv.length == 3 && a instanceof List) {
        // Which members are popped is replicated state; the reply's order may follow the layout.
        assertThat(Model.sorted(b)).as(what).isEqualTo(Model.sorted(a));
      } else if (argv[0].equals("SPOP")) {
        assertThat(b).as(what).isEqualTo(a);
      }
      leader.advance(argv.length % 2);
      follower.advance(argv.length % 2);
    }
    assertThat(follower.exec("DEBUG", "DIGEST")).as(describe(program)).isEqualTo(leader.exec("DEBUG", "DIGEST"));
  }

  @Provide
  Arbitrary<List<Boolean>> relayouts() {
    return Arbitraries.of(true, false, false).list().ofMinSize(1).ofMaxSize(10);
  }

  /** Replaces every set of database 0 with a copy built in another order (same members, TTL kept). */
  private static void relayout(CommandHarness h) {
    io.kaiware.engine.KeyTable t = h.keyspace().db(0).table();
    for (int slot = 0; slot < t.capacity(); slot++) {
      if (t.occupied(slot) && t.valueAt(slot) instanceof io.kaiware.engine.SetValue set) {
        List<byte[]> members = new ArrayList<>();
        for (int p = 0; p < set.capacity(); p++) {
          if (set.occupied(p)) {
            members.add(set.memberAt(p));
          }
        }
        io.kaiware.engine.SetValue rebuilt = new io.kaiware.engine.SetValue();
        for (int j = members.size() - 1; j >= 0; j--) {
          rebuilt.add(members.get(j));
        }
        if (!set.isIntset() && rebuilt.isIntset()) {
          rebuilt.add(new byte[] {'~'}); // keep the encoding: force a hashtable, then drop the marker
          rebuilt.remove(new byte[] {'~'});
        }
        t.setValueAt(slot, rebuilt);
      }
    }
  }

  private static String describe(List<String[]> program) {
    List<String> out = new ArrayList<>();
    for (String[] argv : program) {
      out.add(argv.length > 12 ? argv[0] + " " + argv[1] + " <" + (argv.length - 2) + " members>" : String.join(" ", argv));
    }
    return out.toString();
  }

  /** Redis's string2ll: the exact decimal form of some long. */
  static boolean isInteger(String s) {
    try {
      return Long.toString(Long.parseLong(s)).equals(s);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** What Redis 7.0 makes of a set built by adding these members to an empty set. */
  static boolean intsetFor(Set<String> members) {
    return members.size() <= MAX_INTSET && members.stream().allMatch(SetModelPropertyTest::isInteger);
  }

  private static final Comparator<String> NUMERIC = Comparator.comparingLong(Long::parseLong);

  /** A set in the model: its members and whether Redis would report it as an intset. */
  static final class MSet {
    final TreeSet<String> members = new TreeSet<>();
    boolean intset = true;

    void add(String m) {
      if (members.add(m) && (!isInteger(m) || members.size() > MAX_INTSET)) {
        intset = false;
      }
    }

    /** The members in the order an intset answers them. */
    List<String> ascending() {
      List<String> out = new ArrayList<>(members);
      out.sort(NUMERIC);
      return out;
    }

    static MSet of(Set<String> members) {
      MSet s = new MSet();
      members.forEach(s::add);
      return s;
    }
  }

  /** Redis's set semantics, computed the slow and obvious way. */
  static final class Model {
    private final Map<String, Object> data = new TreeMap<>();

    /** The set at key, null when missing, WRONGTYPE (thrown as a marker) for a string. */
    private MSet set(String key) {
      Object v = data.get(key);
      if (v instanceof String) {
        throw new WrongType();
      }
      return (MSet) v;
    }

    private static final class WrongType extends RuntimeException {
      WrongType() {
        super(null, null, false, false);
      }
    }

    @SuppressWarnings("unchecked")
    void check(String[] argv, Object actual, String program) {
      String what = String.join(" ", Arrays.asList(argv).subList(0, Math.min(argv.length, 8))) + " in " + program;
      Object expected;
      try {
        expected = apply(argv, actual, what);
      } catch (WrongType e) {
        expected = WRONGTYPE;
      }
      if (expected != CHECKED) {
        assertThat(actual).as(what).isEqualTo(expected);
      }
    }

    /** Marks a reply that {@link #apply} checked itself (random picks). */
    private static final Object CHECKED = new Object();

    private void put(String key, MSet s) {
      if (s.members.isEmpty()) {
        data.remove(key);
      } else {
        data.put(key, s);
      }
    }

    static List<Object> sorted(Object reply) {
      @SuppressWarnings("unchecked")
      List<Object> out = new ArrayList<>((List<Object>) reply);
      out.sort(Comparator.comparing(Object::toString));
      return out;
    }

    /** The expected reply of a set read: ascending for an intset, sorted-to-compare otherwise. */
    private static Object members(MSet s, Object actual, String what) {
      if (s.intset) {
        return new ArrayList<Object>(s.ascending());
      }
      assertThat(sorted(actual)).as(what).isEqualTo(new ArrayList<Object>(s.members));
      return CHECKED;
    }

    @SuppressWarnings("unchecked")
    Object apply(String[] argv, Object actual, String what) {
      switch (argv[0]) {
        case "SET" -> {
          data.put(argv[1], argv[2]);
          return "OK";
        }
        case "DEL" -> {
          return data.remove(argv[1]) != null ? 1L : 0L;
        }
        case "COPY" -> {
          Object v = data.get(argv[1]);
          if (v == null || argv[1].equals(argv[2])) {
            return argv[1].equals(argv[2]) ? new Err("ERR source and destination objects are the same") : 0L;
          }
          if (v instanceof MSet s) {
            MSet copy = MSet.of(s.members);
            copy.intset = s.intset;
            v = copy;
          }
          data.put(argv[2], v);
          return 1L;
        }
        case "SADD" -> {
          MSet s = set(argv[1]);
          if (s == null) {
            s = new MSet();
          }
          long added = 0;
          for (int i = 2; i < argv.length; i++) {
            if (!s.members.contains(argv[i])) {
              added++;
            }
            s.add(argv[i]);
          }
          put(argv[1], s);
          return added;
        }
        case "SREM" -> {
          MSet s = set(argv[1]);
          if (s == null) {
            return 0L;
          }
          long removed = 0;
          for (int i = 2; i < argv.length; i++) {
            if (s.members.remove(argv[i])) {
              removed++;
            }
          }
          put(argv[1], s);
          return removed;
        }
        case "SISMEMBER" -> {
          MSet s = set(argv[1]);
          return s != null && s.members.contains(argv[2]) ? 1L : 0L;
        }
        case "SMISMEMBER" -> {
          MSet s = set(argv[1]);
          List<Object> out = new ArrayList<>();
          for (int i = 2; i < argv.length; i++) {
            out.add(s != null && s.members.contains(argv[i]) ? 1L : 0L);
          }
          return out;
        }
        case "SCARD" -> {
          MSet s = set(argv[1]);
          return s == null ? 0L : (long) s.members.size();
        }
        case "SMEMBERS" -> {
          MSet s = set(argv[1]);
          return s == null ? List.of() : members(s, actual, what);
        }
        case "OBJECT" -> {
          Object v = data.get(argv[2]);
          if (v == null) {
            return null;
          }
          if (v instanceof String) {
            return CHECKED;
          }
          return ((MSet) v).intset ? "intset" : "hashtable";
        }
        case "SSCAN" -> {
          MSet s = set(argv[1]);
          if (s == null) {
            return List.of("0", List.of());
          }
          List<Object> reply = (List<Object>) actual;
          assertThat(reply.get(0)).as(what).isEqualTo("0"); // COUNT 1000 covers every set here in one call
          if (s.intset) {
            return List.of("0", new ArrayList<Object>(s.ascending()));
          }
          assertThat(sorted(reply.get(1))).as(what).isEqualTo(new ArrayList<Object>(s.members));
          return CHECKED;
        }
        case "SMOVE" -> {
          Object src = data.get(argv[1]);
          if (src == null) {
            return 0L;
          }
          MSet s = set(argv[1]);
          MSet d = set(argv[2]);
          if (argv[1].equals(argv[2])) {
            return s.members.contains(argv[3]) ? 1L : 0L;
          }
          if (!s.members.remove(argv[3])) {
            return 0L;
          }
          put(argv[1], s);
          if (d == null) {
            d = new MSet();
          }
          d.add(argv[3]);
          put(argv[2], d);
          return 1L;
        }
        case "SPOP" -> {
          return spop(argv, actual, what);
        }
        case "SRANDMEMBER" -> {
          MSet s = set(argv[1]);
          if (argv.length == 2) {
            if (s == null) {
              return null;
            }
            assertThat(s.members).as(what).contains((String) actual);
            return CHECKED;
          }
          long count = Long.parseLong(argv[2]);
          if (s == null || count == 0) {
            return List.of();
          }
          List<Object> reply = (List<Object>) actual;
          assertThat(s.members).as(what).containsAll((List<String>) (List<?>) reply);
          if (count < 0) {
            assertThat(reply).as(what).hasSize((int) -count);
          } else {
            assertThat(reply).as(what).hasSize((int) Math.min(count, s.members.size())).doesNotHaveDuplicates();
            if (count >= s.members.size() && s.intset) {
              assertThat(reply).as(what).isEqualTo(new ArrayList<Object>(s.ascending()));
            }
          }
          return CHECKED;
        }
        case "SINTER", "SUNION", "SDIFF" -> {
          MSet result = setOp(argv[0], Arrays.copyOfRange(argv, 1, argv.length));
          if (argv[0].equals("SINTER") && !result.members.isEmpty()) {
            // SINTER answers in the order of the smallest input set (SUNION and SDIFF in the
            // result's): ascending only when that set is an intset.
            int smallest = Integer.MAX_VALUE;
            boolean intsets = true;
            for (int i = 1; i < argv.length; i++) {
              smallest = Math.min(smallest, set(argv[i]).members.size());
            }
            for (int i = 1; i < argv.length; i++) {
              MSet s = set(argv[i]);
              intsets &= s.members.size() != smallest || s.intset;
            }
            result.intset = intsets;
          }
          return members(result, actual, what);
        }
        case "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE" -> {
          String op = argv[0].substring(0, argv[0].length() - "STORE".length());
          MSet result = setOp(op, Arrays.copyOfRange(argv, 2, argv.length));
          if (result.members.isEmpty()) {
            data.remove(argv[1]);
          } else {
            data.put(argv[1], result);
          }
          return (long) result.members.size();
        }
        case "SINTERCARD" -> {
          MSet result = setOp("SINTER", new String[] {argv[2], argv[3]});
          long limit = Long.parseLong(argv[5]);
          long n = result.members.size();
          return limit == 0 ? n : Math.min(n, limit);
        }
        default -> throw new IllegalArgumentException(argv[0]);
      }
    }

    /** The result set of SINTER/SUNION/SDIFF, with the encoding Redis's algorithm leaves it in. */
    private MSet setOp(String op, String[] keys) {
      List<MSet> sets = new ArrayList<>();
      for (String k : keys) {
        sets.add(set(k)); // every key is type-checked first
      }
      switch (op) {
        case "SINTER" -> {
          if (sets.contains(null)) {
            return new MSet();
          }
          Set<String> out = new TreeSet<>(sets.get(0).members);
          sets.forEach(s -> out.retainAll(s.members));
          return MSet.of(out);
        }
        case "SUNION" -> {
          Set<String> out = new TreeSet<>();
          sets.stream().filter(s -> s != null).forEach(s -> out.addAll(s.members));
          return MSet.of(out);
        }
        default -> {
          MSet head = sets.get(0);
          boolean sameSet = false;
          for (int j = 1; j < keys.length; j++) {
            sameSet |= head != null && keys[j].equals(keys[0]);
          }
          if (head == null || sameSet) {
            return new MSet();
          }
          Set<String> out = new TreeSet<>(head.members);
          sets.subList(1, sets.size()).stream().filter(s -> s != null).forEach(s -> out.removeAll(s.members));
          MSet result = MSet.of(out);
          long one = 0;
          long two = 0;
          for (MSet s : sets) {
            if (s != null) {
              one += head.members.size();
              two += s.members.size();
            }
          }
          if (one / 2 > two) {
            // Algorithm 2 first adds the whole first set: its encoding sticks.
            result.intset = intsetFor(head.members);
          }
          return result;
        }
      }
    }

    @SuppressWarnings("unchecked")
    private Object spop(String[] argv, Object actual, String what) {
      MSet s = set(argv[1]);
      if (argv.length == 2) {
        if (s == null) {
          return null;
        }
        assertThat(s.members).as(what).contains((String) actual);
        s.members.remove(actual);
        put(argv[1], s);
        return CHECKED;
      }
      long count = Long.parseLong(argv[2]);
      if (s == null || count == 0) {
        return List.of();
      }
      int size = s.members.size();
      List<Object> reply = (List<Object>) actual;
      if (count >= size) {
        // Case 1: everything, answered through a union into a fresh set.
        Object expected = members(MSet.of(s.members), actual, what);
        data.remove(argv[1]);
        return expected;
      }
      assertThat(reply).as(what).hasSize((int) count).doesNotHaveDuplicates();
      assertThat(s.members).as(what).containsAll((List<String>) (List<?>) reply);
      reply.forEach(s.members::remove);
      long remaining = size - count;
      if (remaining * 5 <= count) {
        // Case 3: the members that stay are moved into a new set.
        s.intset = intsetFor(s.members);
      }
      put(argv[1], s);
      return CHECKED;
    }

    String digest() {
      CommandHarness fresh = new CommandHarness();
      for (var en : data.entrySet()) {
        if (en.getValue() instanceof String str) {
          fresh.exec("SET", en.getKey(), str);
        } else {
          Set<String> members = new HashSet<>(((MSet) en.getValue()).members);
          List<String> argv = new ArrayList<>(List.of("SADD", en.getKey()));
          argv.addAll(members);
          fresh.exec(argv.toArray(String[]::new));
        }
      }
      return (String) fresh.exec("DEBUG", "DIGEST");
    }
  }
}

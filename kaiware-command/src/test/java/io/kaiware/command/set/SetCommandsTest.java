package io.kaiware.command.set;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Set replies, errors and encodings as Redis 7.0 gives them (after tests/unit/type/set.tcl). */
@SuppressWarnings("unchecked")
class SetCommandsTest {

  private static final Err SYNTAX = new Err("ERR syntax error");
  private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");
  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
  }

  private List<Object> list(String... args) {
    return (List<Object>) r.exec(args);
  }

  private void sadd(String key, int from, int to) {
    for (int i = from; i < to; i++) {
      r.exec("SADD", key, Integer.toString(i));
    }
  }

  @Test
  void basicsOfAHashtableSet() {
    assertThat(r.exec("SADD", "myset", "foo")).isEqualTo(1L);
    assertThat(r.exec("OBJECT", "ENCODING", "myset")).isEqualTo("hashtable");
    assertThat(r.exec("SADD", "myset", "bar")).isEqualTo(1L);
    assertThat(r.exec("SADD", "myset", "bar")).isEqualTo(0L);
    assertThat(r.exec("SCARD", "myset")).isEqualTo(2L);
    assertThat(r.exec("SISMEMBER", "myset", "foo")).isEqualTo(1L);
    assertThat(r.exec("SISMEMBER", "myset", "bla")).isEqualTo(0L);
    assertThat(r.exec("SMISMEMBER", "myset", "bla", "foo")).isEqualTo(List.of(0L, 1L));
    assertThat(r.exec("SMISMEMBER", "nokey", "foo", "bar")).isEqualTo(List.of(0L, 0L));
    assertThat(r.exec("SMISMEMBER", "myset")).isEqualTo(new Err("ERR wrong number of arguments for 'smismember' command"));
    assertThat(list("SMEMBERS", "myset")).containsExactlyInAnyOrder("foo", "bar");
    assertThat(r.exec("TYPE", "myset")).isEqualTo("set");
    assertThat(r.exec("SADD", "v", "A", "a", "b")).isEqualTo(3L);
    assertThat(r.exec("SADD", "v", "A", "a", "b", "c", "B")).isEqualTo(2L);
    assertThat(r.exec("SCARD", "nokey")).isEqualTo(0L);
    assertThat(r.exec("SISMEMBER", "nokey", "a")).isEqualTo(0L);
    assertThat(r.exec("SMEMBERS", "nokey")).isEqualTo(List.of());
  }

  @Test
  void intsetEncodingAndItsConversions() {
    r.exec("SADD", "s", "17", "-3", "16");
    assertThat(r.exec("OBJECT", "ENCODING", "s")).isEqualTo("intset");
    // An intset answers in ascending numeric order, as Redis's does.
    assertThat(r.exec("SMEMBERS", "s")).isEqualTo(List.of("-3", "16", "17"));
    assertThat(r.exec("SISMEMBER", "s", "16")).isEqualTo(1L);
    assertThat(r.exec("SISMEMBER", "s", "016")).isEqualTo(0L);
    assertThat(r.exec("SISMEMBER", "s", "x")).isEqualTo(0L);
    assertThat(r.exec("SADD", "s", "a")).isEqualTo(1L);
    assertThat(r.exec("OBJECT", "ENCODING", "s")).isEqualTo("hashtable");
    assertThat(r.exec("SREM", "s", "a")).isEqualTo(1L);
    assertThat(r.exec("OBJECT", "ENCODING", "s")).as("never converts back").isEqualTo("hashtable");

    // Not string2ll's canonical form: a hashtable from the start.
    for (String notInt : new String[] {"213244124402402314402033402", "+1", "01", "-0", " 1", "9223372036854775808", "1.0"}) {
      r.exec("DEL", "n");
      r.exec("SADD", "n", notInt);
      assertThat(r.exec("OBJECT", "ENCODING", "n")).as(notInt).isEqualTo("hashtable");
      assertThat(r.exec("SISMEMBER", "n", notInt)).isEqualTo(1L);
    }
    r.exec("SADD", "edges", "9223372036854775807", "-9223372036854775808", "0");
    assertThat(r.exec("OBJECT", "ENCODING", "edges")).isEqualTo("intset");
    assertThat(r.exec("SMEMBERS", "edges")).isEqualTo(List.of("-9223372036854775808", "0", "9223372036854775807"));

    sadd("big", 0, 512);
    assertThat(r.exec("OBJECT", "ENCODING", "big")).isEqualTo("intset");
    assertThat(r.exec("SADD", "big", "512")).isEqualTo(1L);
    assertThat(r.exec("OBJECT", "ENCODING", "big")).isEqualTo("hashtable");
    assertThat(r.exec("SCARD", "big")).isEqualTo(513L);
    assertThat(r.exec("SISMEMBER", "big", "0")).isEqualTo(1L);
    assertThat(r.exec("CONFIG", "GET", "set-max-intset-entries")).isEqualTo(List.of("set-max-intset-entries", "512"));
  }

  /** Replies checked against redis-server 7.0.15 by hand. */
  @Test
  void setMaxIntsetEntriesIsSettableAndDecidesWhenAnIntsetConverts() {
    assertThat(r.exec("CONFIG", "SET", "set-max-intset-entries", "4")).isEqualTo("OK");
    assertThat(r.exec("SADD", "s", "1", "2", "3", "4")).isEqualTo(4L);
    assertThat(r.exec("OBJECT", "ENCODING", "s")).isEqualTo("intset");
    r.exec("SADD", "s", "5");
    assertThat(r.exec("OBJECT", "ENCODING", "s")).isEqualTo("hashtable");
    r.exec("SREM", "s", "5", "4");
    r.exec("CONFIG", "SET", "set-max-intset-entries", "100");
    assertThat(r.exec("OBJECT", "ENCODING", "s")).as("a limit raised later converts nothing back").isEqualTo("hashtable");
    r.exec("SADD", "s", "7");
    assertThat(r.exec("OBJECT", "ENCODING", "s")).isEqualTo("hashtable");
    sadd("large", 0, 100);
    assertThat(r.exec("OBJECT", "ENCODING", "large")).isEqualTo("intset");
    assertThat(list("SMEMBERS", "large").get(99)).as("an intset of 100 answers in ascending order").isEqualTo("99");

    // The *STORE commands build a fresh set member by member under the limit.
    r.exec("CONFIG", "SET", "set-max-intset-entries", "3");
    r.exec("SADD", "a", "1", "2", "3", "4", "5");
    r.exec("SADD", "b", "3", "4", "5", "6");
    assertThat(r.exec("SINTERSTORE", "d", "a", "b")).isEqualTo(3L);
    assertThat(r.exec("OBJECT", "ENCODING", "d")).isEqualTo("intset");
    assertThat(r.exec("SUNIONSTORE", "u", "a", "b")).isEqualTo(6L);
    assertThat(r.exec("OBJECT", "ENCODING", "u")).isEqualTo("hashtable");
    assertThat(r.exec("SDIFFSTORE", "df", "a", "b")).isEqualTo(2L);
    assertThat(r.exec("OBJECT", "ENCODING", "df")).isEqualTo("intset");
    r.exec("SMOVE", "a", "m", "1");
    assertThat(r.exec("OBJECT", "ENCODING", "m")).isEqualTo("intset");
    // RESTORE decides as Redis loads a set: intset when it fits the limit in force.
    String payload = (String) r.exec("DUMP", "u");
    r.exec("CONFIG", "SET", "set-max-intset-entries", "6");
    r.exec("RESTORE", "u-back", "0", payload);
    assertThat(r.exec("OBJECT", "ENCODING", "u-back")).isEqualTo("intset");
    r.exec("CONFIG", "SET", "set-max-intset-entries", "5");
    r.exec("RESTORE", "u-back", "0", payload, "REPLACE");
    assertThat(r.exec("OBJECT", "ENCODING", "u-back")).isEqualTo("hashtable");

    // 0: Redis creates an intset for an integer, then converts it at once.
    r.exec("CONFIG", "SET", "set-max-intset-entries", "0");
    r.exec("SADD", "z", "5");
    assertThat(r.exec("OBJECT", "ENCODING", "z")).isEqualTo("hashtable");
    assertThat(r.exec("CONFIG", "SET", "set-max-intset-entries", "-1")).isEqualTo(new Err(
        "ERR CONFIG SET failed (possibly related to argument 'set-max-intset-entries') - argument must be between 0 and 9223372036854775807 inclusive"));
    assertThat(r.exec("CONFIG", "SET", "set-max-intset-entries", "99999999999999")).isEqualTo("OK");
    assertThat(r.exec("CONFIG", "GET", "set-max-intset-entries")).isEqualTo(List.of("set-max-intset-entries", "99999999999999"));
    sadd("huge", 0, 2000);
    assertThat(r.exec("OBJECT", "ENCODING", "huge")).isEqualTo("intset");
  }

  @Test
  void wrongTypeEverywhere() {
    r.exec("SET", "str", "v");
    r.exec("SADD", "set", "a");
    for (String[] cmd : new String[][] {
        {"SADD", "str", "a"}, {"SREM", "str", "a"}, {"SMEMBERS", "str"}, {"SISMEMBER", "str", "a"},
        {"SMISMEMBER", "str", "a"}, {"SCARD", "str"}, {"SPOP", "str"}, {"SPOP", "str", "2"}, {"SPOP", "str", "0"},
        {"SRANDMEMBER", "str"}, {"SRANDMEMBER", "str", "2"}, {"SINTER", "set", "str"}, {"SINTER", "nokey", "str"},
        {"SINTERCARD", "2", "nokey", "str"}, {"SINTERSTORE", "d", "nokey", "str"}, {"SUNION", "str", "nokey"},
        {"SUNIONSTORE", "d", "set", "str"}, {"SDIFF", "nokey", "str"}, {"SDIFFSTORE", "d", "set", "str"},
        {"SSCAN", "str", "0"}, {"SMOVE", "str", "set", "a"}, {"SMOVE", "set", "str", "a"},
        {"HSET", "set", "f", "v"}, {"ZADD", "set", "1", "m"}, {"GET", "set"}}) {
      assertThat(r.exec(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
    }
    assertThat(r.exec("SMOVE", "nokey", "str", "a")).as("a missing source answers 0 first").isEqualTo(0L);
    assertThat(r.exec("SINTERSTORE", "str", "set")).as("the destination may hold anything").isEqualTo(1L);
    assertThat(r.exec("TYPE", "str")).isEqualTo("set");
    assertThat(r.exec("SCARD", "set")).isEqualTo(1L);
  }

  @Test
  void sremDeletesTheEmptiedKey() {
    r.exec("SADD", "s", "a", "b", "c", "d");
    assertThat(r.exec("SREM", "s", "k", "k")).isEqualTo(0L);
    assertThat(r.exec("SREM", "s", "b", "d", "x", "y")).isEqualTo(2L);
    assertThat(r.exec("SMEMBERS", "s")).asList().containsExactlyInAnyOrder("a", "c");
    assertThat(r.exec("SREM", "s", "a", "c", "a")).isEqualTo(2L);
    assertThat(r.exec("EXISTS", "s")).isEqualTo(0L);
    assertThat(r.exec("SREM", "s", "a")).isEqualTo(0L);
    r.exec("SADD", "i", "3", "4", "5");
    assertThat(r.exec("SREM", "i", "6", "04")).isEqualTo(0L);
    assertThat(r.exec("SREM", "i", "4")).isEqualTo(1L);
    assertThat(r.exec("SMEMBERS", "i")).isEqualTo(List.of("3", "5"));
  }

  @Test
  void smoveRules() {
    r.exec("SADD", "src", "a", "b", "1");
    r.exec("SADD", "dst", "2", "3");
    assertThat(r.exec("SMOVE", "src", "dst", "x")).isEqualTo(0L);
    assertThat(r.exec("SMOVE", "src", "dst", "1")).isEqualTo(1L);
    assertThat(r.exec("SMEMBERS", "dst")).isEqualTo(List.of("1", "2", "3"));
    assertThat(r.exec("OBJECT", "ENCODING", "dst")).isEqualTo("intset");
    assertThat(r.exec("SMOVE", "src", "dst", "a")).isEqualTo(1L);
    assertThat(r.exec("OBJECT", "ENCODING", "dst")).isEqualTo("hashtable");
    assertThat(r.exec("SMOVE", "src", "src", "b")).isEqualTo(1L);
    assertThat(r.exec("SMOVE", "src", "src", "z")).isEqualTo(0L);
    assertThat(r.exec("SMOVE", "src", "new", "b")).isEqualTo(1L);
    assertThat(r.exec("EXISTS", "src")).as("emptied source deleted").isEqualTo(0L);
    assertThat(r.exec("SMEMBERS", "new")).isEqualTo(List.of("b"));
    assertThat(r.exec("OBJECT", "ENCODING", "new")).isEqualTo("hashtable");
    r.exec("SADD", "x", "5");
    assertThat(r.exec("SMOVE", "x", "y", "5")).isEqualTo(1L);
    assertThat(r.exec("OBJECT", "ENCODING", "y")).isEqualTo("intset");
    // Already in the destination: removed from the source all the same.
    r.exec("SADD", "p", "m", "n");
    r.exec("SADD", "q", "m");
    assertThat(r.exec("SMOVE", "p", "q", "m")).isEqualTo(1L);
    assertThat(r.exec("SMEMBERS", "p")).isEqualTo(List.of("n"));
    assertThat(r.exec("SMEMBERS", "q")).isEqualTo(List.of("m"));
  }

  @Test
  void smoveReclaimsAnExpiredDestinationThatShiftsTheSource() {
    // A source key in the same home bucket as the destination, stored after it: reclaiming the
    // expired destination shifts the source back into its slot.
    String dst = "dst";
    int mask = r.keyspace().db(0).table().capacity() - 1;
    String src = null;
    for (int i = 0; src == null; i++) {
      if ((io.kaiware.engine.KeyTable.hash(("src" + i).getBytes()) & mask) == (io.kaiware.engine.KeyTable.hash(dst.getBytes()) & mask)) {
        src = "src" + i;
      }
    }
    r.exec("SADD", dst, "old");
    r.exec("PEXPIRE", dst, "10");
    r.exec("SADD", src, "m");
    r.advance(20);
    assertThat(r.exec("SMOVE", src, dst, "m")).isEqualTo(1L);
    assertThat(r.exec("EXISTS", src)).isEqualTo(0L);
    assertThat(r.exec("SMEMBERS", dst)).isEqualTo(List.of("m"));
    assertThat(r.exec("TTL", dst)).isEqualTo(-1L);
  }

  @Test
  void spopAndSrandmemberCountRules() {
    assertThat(r.exec("SPOP", "nokey")).isNull();
    assertThat(r.exec("SPOP", "nokey", "3")).isEqualTo(List.of());
    assertThat(r.exec("SRANDMEMBER", "nokey")).isNull();
    assertThat(r.exec("SRANDMEMBER", "nokey", "3")).isEqualTo(List.of());
    assertThat(r.exec("SPOP", "s", "1", "2")).isEqualTo(SYNTAX);
    assertThat(r.exec("SRANDMEMBER", "s", "1", "2")).isEqualTo(SYNTAX);
    assertThat(r.exec("SPOP", "s", "-1")).isEqualTo(new Err("ERR value is out of range, must be positive"));
    assertThat(r.exec("SPOP", "s", "x")).isEqualTo(new Err("ERR value is out of range, must be positive"));
    assertThat(r.exec("SRANDMEMBER", "s", "x")).isEqualTo(new Err("ERR value is not an integer or out of range"));
    assertThat(r.exec("SRANDMEMBER", "s", "-9223372036854775808")).isEqualTo(
        new Err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));

    r.exec("SADD", "s", "a", "b", "c", "d", "e");
    assertThat(r.exec("SPOP", "s", "0")).isEqualTo(List.of());
    assertThat(r.exec("SRANDMEMBER", "s", "0")).isEqualTo(List.of());
    assertThat(list("SRANDMEMBER", "s", "3")).hasSize(3).doesNotHaveDuplicates().isSubsetOf("a", "b", "c", "d", "e");
    assertThat(list("SRANDMEMBER", "s", "10")).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
    assertThat(list("SRANDMEMBER", "s", "-20")).hasSize(20).isSubsetOf("a", "b", "c", "d", "e");
    assertThat(r.exec("SRANDMEMBER", "s")).isIn("a", "b", "c", "d", "e");
    assertThat(r.exec("SCARD", "s")).isEqualTo(5L);

    Set<Object> popped = new HashSet<>(list("SPOP", "s", "2"));
    assertThat(popped).hasSize(2).isSubsetOf("a", "b", "c", "d", "e");
    Object one = r.exec("SPOP", "s");
    assertThat(popped).doesNotContain(one);
    popped.add(one);
    assertThat(r.exec("SCARD", "s")).isEqualTo(2L);
    List<Object> rest = list("SPOP", "s", "5");
    assertThat(rest).hasSize(2);
    popped.addAll(rest);
    assertThat(popped).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
    assertThat(r.exec("EXISTS", "s")).isEqualTo(0L);
    r.exec("SADD", "one", "x");
    assertThat(r.exec("SPOP", "one")).isEqualTo("x");
    assertThat(r.exec("EXISTS", "one")).isEqualTo(0L);
  }

  /** set.tcl's chi_square_value: expected count = draws / distinct members seen. */
  private static double chiSquare(List<Object> draws) {
    java.util.Map<Object, Integer> counts = new java.util.HashMap<>();
    draws.forEach(d -> counts.merge(d, 1, Integer::sum));
    double p = draws.size() / counts.size();
    double x2 = 0;
    for (int c : counts.values()) {
      x2 += (c - p) * (c - p) / p;
    }
    return x2;
  }

  @Test
  void srandmemberHistogramDistribution() {
    // set.tcl "SRANDMEMBER histogram distribution - hashtable / intset": df = 9, 40 is the 0.00001 quantile.
    String[][] contents = {{"1", "5", "10", "50", "125", "MARY", "PATRICIA", "LINDA", "BARBARA", "ELIZABETH"},
        {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}};
    for (String[] content : contents) {
      r.exec("DEL", "myset");
      for (String m : content) {
        r.exec("SADD", "myset", m);
      }
      List<Object> res = list("SRANDMEMBER", "myset", "-1000");
      assertThat(res).hasSize(1000);
      assertThat(chiSquare(res)).as("%s -1000", r.exec("OBJECT", "ENCODING", "myset")).isLessThan(40);
      for (int size : new int[] {8, 2}) {
        List<Object> all = new ArrayList<>();
        for (int i = 0; i < 1000 / size; i++) {
          all.addAll(list("SRANDMEMBER", "myset", Integer.toString(size)));
        }
        assertThat(chiSquare(all)).as("%s %d", r.exec("OBJECT", "ENCODING", "myset"), size).isLessThan(40);
      }
    }
  }

  @Test
  void spopCaseThreeRebuildsTheRemainingSet() {
    // 600 integers: a hashtable. Popping 590 keeps 10 in a new set (Redis's case 3): an intset.
    sadd("s", 0, 600);
    assertThat(r.exec("OBJECT", "ENCODING", "s")).isEqualTo("hashtable");
    List<Object> popped = list("SPOP", "s", "590");
    assertThat(popped).hasSize(590).doesNotHaveDuplicates();
    List<Object> left = list("SMEMBERS", "s");
    assertThat(left).hasSize(10).doesNotContainAnyElementsOf(popped);
    assertThat(r.exec("OBJECT", "ENCODING", "s")).isEqualTo("intset");
    Set<Object> all = new HashSet<>(popped);
    all.addAll(left);
    assertThat(all).hasSize(600);
    // Case 2 (popping a few) keeps the set object.
    sadd("t", 0, 600);
    assertThat(list("SPOP", "t", "10")).hasSize(10);
    assertThat(r.exec("OBJECT", "ENCODING", "t")).isEqualTo("hashtable");
    // Popping everything of an integer hashtable answers through a union: ascending.
    r.exec("SADD", "u", "3", "x", "1", "2");
    r.exec("SREM", "u", "x");
    assertThat(r.exec("SPOP", "u", "3")).isEqualTo(List.of("1", "2", "3"));
  }

  @Test
  void spopIsAWriteSeededApartFromReads() {
    // Two engines given the same writes pop the same members even when only one of them also ran
    // reads that draw random numbers (reads run on the leader only).
    CommandHarness other = new CommandHarness();
    List<Object> mine = new ArrayList<>();
    List<Object> theirs = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      for (CommandHarness h : new CommandHarness[] {r, other}) {
        for (int i = 0; i < 30; i++) {
          h.exec("SADD", "s" + round, "m" + i);
        }
      }
      r.exec("SRANDMEMBER", "s" + round, "3");
      r.exec("SRANDMEMBER", "s" + round);
      r.exec("HRANDFIELD", "nokey");
      mine.add(r.exec("SPOP", "s" + round));
      mine.add(r.exec("SPOP", "s" + round, "4"));
      theirs.add(other.exec("SPOP", "s" + round));
      theirs.add(other.exec("SPOP", "s" + round, "4"));
    }
    assertThat(mine).isEqualTo(theirs);
    assertThat(r.exec("DEBUG", "DIGEST")).isEqualTo(other.exec("DEBUG", "DIGEST"));
  }

  @Test
  void intersections() {
    r.exec("SADD", "a", "1", "2", "3", "x");
    r.exec("SADD", "b", "2", "3", "4", "x");
    r.exec("SADD", "c", "3", "2", "5");
    assertThat(list("SINTER", "a", "b")).containsExactlyInAnyOrder("2", "3", "x");
    assertThat(r.exec("SINTER", "a", "b", "c")).isEqualTo(List.of("2", "3"));
    assertThat(r.exec("SINTER", "a", "b", "nokey")).isEqualTo(List.of());
    assertThat(list("SINTER", "a", "a")).containsExactlyInAnyOrder("1", "2", "3", "x");
    assertThat(r.exec("SINTERSTORE", "d", "a", "b", "c")).isEqualTo(2L);
    assertThat(r.exec("OBJECT", "ENCODING", "d")).as("an integer result is an intset").isEqualTo("intset");
    assertThat(r.exec("SMEMBERS", "d")).isEqualTo(List.of("2", "3"));
    assertThat(r.exec("SINTERSTORE", "d", "a", "b")).isEqualTo(3L);
    assertThat(r.exec("OBJECT", "ENCODING", "d")).isEqualTo("hashtable");
    r.exec("EXPIRE", "d", "100");
    assertThat(r.exec("SINTERSTORE", "d", "c", "b")).isEqualTo(2L);
    assertThat(r.exec("TTL", "d")).as("the stored result has no TTL").isEqualTo(-1L);
    assertThat(r.exec("SINTERSTORE", "d", "a", "nokey")).isEqualTo(0L);
    assertThat(r.exec("EXISTS", "d")).isEqualTo(0L);
    r.exec("SADD", "d", "z");
    assertThat(r.exec("SINTERSTORE", "d", "a", "c", "e")).isEqualTo(0L);
    assertThat(r.exec("EXISTS", "d")).isEqualTo(0L);
    r.exec("SADD", "d", "z");
    r.exec("SADD", "e", "9");
    assertThat(r.exec("SINTERSTORE", "d", "a", "e")).as("empty intersection of existing sets").isEqualTo(0L);
    assertThat(r.exec("EXISTS", "d")).isEqualTo(0L);

    assertThat(r.exec("SINTERCARD", "2", "a", "b")).isEqualTo(3L);
    assertThat(r.exec("SINTERCARD", "2", "a", "b", "LIMIT", "0")).isEqualTo(3L);
    assertThat(r.exec("SINTERCARD", "2", "a", "b", "LIMIT", "2")).isEqualTo(2L);
    assertThat(r.exec("SINTERCARD", "2", "a", "b", "LIMIT", "10")).isEqualTo(3L);
    assertThat(r.exec("SINTERCARD", "2", "a", "nokey")).isEqualTo(0L);
    assertThat(r.exec("SINTERCARD", "1", "a")).isEqualTo(4L);
    assertThat(r.exec("SINTERCARD")).isEqualTo(new Err("ERR wrong number of arguments for 'sintercard' command"));
    assertThat(r.exec("SINTERCARD", "1")).isEqualTo(new Err("ERR wrong number of arguments for 'sintercard' command"));
    assertThat(r.exec("SINTERCARD", "0", "a")).isEqualTo(new Err("ERR numkeys should be greater than 0"));
    assertThat(r.exec("SINTERCARD", "x", "a")).isEqualTo(new Err("ERR numkeys should be greater than 0"));
    assertThat(r.exec("SINTERCARD", "2", "a")).isEqualTo(new Err("ERR Number of keys can't be greater than number of args"));
    assertThat(r.exec("SINTERCARD", "1", "a", "b")).isEqualTo(SYNTAX);
    assertThat(r.exec("SINTERCARD", "1", "a", "LIMIT")).isEqualTo(SYNTAX);
    assertThat(r.exec("SINTERCARD", "1", "a", "LIMIT", "-1")).isEqualTo(new Err("ERR LIMIT can't be negative"));
    assertThat(r.exec("SINTERCARD", "1", "a", "LIMIT", "x")).isEqualTo(new Err("ERR LIMIT can't be negative"));
  }

  @Test
  void unionsAndDifferences() {
    r.exec("SADD", "a", "1", "2", "3", "x");
    r.exec("SADD", "b", "3", "4");
    r.exec("SADD", "c", "x");
    assertThat(list("SUNION", "a", "b", "nokey")).containsExactlyInAnyOrder("1", "2", "3", "4", "x");
    assertThat(r.exec("SUNION", "b", "nokey")).isEqualTo(List.of("3", "4"));
    assertThat(r.exec("SUNION", "nokey")).isEqualTo(List.of());
    assertThat(r.exec("SDIFF", "a", "b", "c")).isEqualTo(List.of("1", "2"));
    assertThat(r.exec("SDIFF", "a", "nokey")).asList().containsExactlyInAnyOrder("1", "2", "3", "x");
    assertThat(r.exec("SDIFF", "nokey", "a")).isEqualTo(List.of());
    assertThat(r.exec("SDIFF", "a", "b", "a")).as("the first set again: empty").isEqualTo(List.of());
    assertThat(r.exec("SUNIONSTORE", "u", "b", "c")).isEqualTo(3L);
    assertThat(r.exec("OBJECT", "ENCODING", "u")).isEqualTo("hashtable");
    assertThat(r.exec("SUNIONSTORE", "u", "b", "nokey")).isEqualTo(2L);
    assertThat(r.exec("OBJECT", "ENCODING", "u")).isEqualTo("intset");
    assertThat(r.exec("SDIFFSTORE", "u", "a", "c")).isEqualTo(3L);
    assertThat(r.exec("SMEMBERS", "u")).isEqualTo(List.of("1", "2", "3"));
    assertThat(r.exec("OBJECT", "ENCODING", "u")).isEqualTo("intset");
    assertThat(r.exec("SDIFFSTORE", "u", "c", "a")).isEqualTo(0L);
    assertThat(r.exec("EXISTS", "u")).isEqualTo(0L);
    r.exec("SET", "u", "str");
    assertThat(r.exec("SUNIONSTORE", "u", "nokey")).isEqualTo(0L);
    assertThat(r.exec("EXISTS", "u")).as("an empty result deletes the destination").isEqualTo(0L);
    // Storing into one of the sources.
    assertThat(r.exec("SUNIONSTORE", "b", "b", "c")).isEqualTo(3L);
    assertThat(r.exec("SMEMBERS", "b")).asList().containsExactlyInAnyOrder("3", "4", "x");
  }

  @Test
  void sdiffPicksRedisAlgorithmAndSoItsEncoding() {
    // Algorithm 2 (first set much bigger than the rest is cheaper to copy and subtract from):
    // copying "h" first makes a hashtable that stays one after "x" is removed again.
    r.exec("SADD", "h", "x", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    r.exec("SADD", "r", "x");
    r.exec("SADD", "r2", "1");
    r.exec("SADD", "r3", "2");
    // algo one: 10 * 4 / 2 = 20; algo two: 10 + 3 = 13 -> algorithm 2.
    assertThat(r.exec("SDIFFSTORE", "d", "h", "r", "r2", "r3")).isEqualTo(7L);
    assertThat(r.exec("OBJECT", "ENCODING", "d")).isEqualTo("hashtable");
    // Algorithm 1 (one other set): 10 * 2 / 2 = 10 <= 10 + 1; only the result is added: intset.
    assertThat(r.exec("SDIFFSTORE", "d", "h", "r")).isEqualTo(9L);
    assertThat(r.exec("OBJECT", "ENCODING", "d")).isEqualTo("intset");
  }

  @Test
  void resp3Shapes() {
    r.exec("SADD", "s", "1", "2");
    r.exec("HELLO", "3");
    assertThat(r.execRaw("SMEMBERS", "s")).isEqualTo("~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    assertThat(r.execRaw("SMEMBERS", "nokey")).isEqualTo("~0\r\n");
    assertThat(r.execRaw("SINTER", "s", "nokey")).isEqualTo("~0\r\n");
    assertThat(r.execRaw("SUNION", "s")).isEqualTo("~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    assertThat(r.execRaw("SDIFF", "s", "s")).isEqualTo("~0\r\n");
    assertThat(r.execRaw("SPOP", "nokey")).isEqualTo("_\r\n");
    assertThat(r.execRaw("SPOP", "nokey", "2")).isEqualTo("~0\r\n");
    assertThat(r.execRaw("SRANDMEMBER", "nokey")).isEqualTo("_\r\n");
    assertThat(r.execRaw("SRANDMEMBER", "nokey", "2")).isEqualTo("*0\r\n");
    assertThat(r.execRaw("SRANDMEMBER", "s", "5")).isEqualTo("*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    assertThat(r.execRaw("SMISMEMBER", "s", "1", "3")).isEqualTo("*2\r\n:1\r\n:0\r\n");
    assertThat(r.execRaw("SPOP", "s", "1")).startsWith("~1\r\n");
    assertThat(r.execRaw("SPOP", "s", "5")).startsWith("~1\r\n");
  }

  @Test
  void sscanCursorAndEncodings() {
    assertThat(r.exec("SSCAN", "nokey", "0")).isEqualTo(List.of("0", List.of()));
    assertThat(r.exec("SSCAN", "nokey", "x")).isEqualTo(new Err("ERR invalid cursor"));
    sadd("i", 0, 100);
    // An intset answers everything at once, whatever COUNT, with cursor 0.
    List<Object> all = list("SSCAN", "i", "0", "COUNT", "5");
    assertThat(all.get(0)).isEqualTo("0");
    assertThat((List<Object>) all.get(1)).hasSize(100);
    assertThat(r.exec("SSCAN", "i", "12345", "MATCH", "9*")).isEqualTo(List.of("0",
        List.of("9", "90", "91", "92", "93", "94", "95", "96", "97", "98", "99")));
    assertThat(r.exec("SSCAN", "i", "0", "COUNT", "0")).isEqualTo(SYNTAX);
    assertThat(r.exec("SSCAN", "i", "0", "MATCH")).isEqualTo(SYNTAX);
    // A hashtable iterates with a cursor until 0 and returns every member.
    for (int i = 0; i < 1000; i++) {
      r.exec("SADD", "h", "m" + i);
    }
    Set<Object> seen = new HashSet<>();
    String cursor = "0";
    int calls = 0;
    do {
      List<Object> reply = list("SSCAN", "h", cursor, "COUNT", "20");
      cursor = (String) reply.get(0);
      seen.addAll((List<Object>) reply.get(1));
      calls++;
    } while (!cursor.equals("0"));
    assertThat(seen).hasSize(1000);
    assertThat(calls).isGreaterThan(10);
    List<Object> matched = list("SSCAN", "h", "0", "MATCH", "m99*", "COUNT", "10000");
    assertThat((List<Object>) matched.get(1)).containsExactlyInAnyOrder("m99", "m990", "m991", "m992", "m993", "m994",
        "m995", "m996", "m997", "m998", "m999");
  }

  @Test
  void watchSeesSetWrites() {
    r.exec("SADD", "s", "a", "b", "c");
    CommandHarness other = r.otherClient();
    String[][] writes = {{"SADD", "s", "d"}, {"SREM", "s", "d"}, {"SPOP", "s"}, {"SMOVE", "s", "t", "b"},
        {"SINTERSTORE", "s", "t"}, {"SUNIONSTORE", "s", "t", "nokey"}, {"SDIFFSTORE", "s", "nokey"}};
    for (String[] w : writes) {
      r.exec("SADD", "s", "a", "b", "c");
      r.exec("WATCH", "s");
      other.exec(w);
      r.exec("MULTI");
      r.exec("SCARD", "s");
      assertThat(r.exec("EXEC")).as(String.join(" ", w)).isNull();
    }
    // Writes that change nothing do not touch the key.
    r.exec("SADD", "s", "a");
    for (String[] noop : new String[][] {{"SADD", "s", "a"}, {"SREM", "s", "zz"}, {"SMOVE", "s", "t", "zz"}}) {
      r.exec("WATCH", "s");
      other.exec(noop);
      r.exec("MULTI");
      r.exec("SCARD", "s");
      assertThat(r.exec("EXEC")).as(String.join(" ", noop)).isNotNull();
    }
  }

  @Test
  void copyDumpRestoreAndDigest() {
    r.exec("SADD", "ints", "1", "2", "3");
    r.exec("SADD", "strs", "a", "b", "1");
    // keyspace.tcl: COPY basic usage for intset set / hashtable set.
    assertThat(r.exec("COPY", "ints", "ints2")).isEqualTo(1L);
    assertThat(r.exec("OBJECT", "ENCODING", "ints2")).isEqualTo("intset");
    assertThat(r.exec("COPY", "strs", "strs2")).isEqualTo(1L);
    assertThat(r.exec("OBJECT", "ENCODING", "strs2")).isEqualTo("hashtable");
    r.exec("SADD", "strs2", "c");
    assertThat(r.exec("SCARD", "strs")).as("the copy is independent").isEqualTo(3L);
    assertThat(r.exec("DEBUG", "DIGEST-VALUE", "ints")).isEqualTo(r.exec("DEBUG", "DIGEST-VALUE", "ints2"));

    String before = (String) r.exec("DEBUG", "DIGEST");
    for (String key : new String[] {"ints", "strs"}) {
      String payload = (String) r.exec("DUMP", key);
      assertThat(r.exec("RESTORE", key + "-back", "0", payload)).isEqualTo("OK");
      assertThat(r.exec("DEBUG", "DIGEST-VALUE", key + "-back")).isEqualTo(r.exec("DEBUG", "DIGEST-VALUE", key));
      assertThat(r.exec("OBJECT", "ENCODING", key + "-back")).isEqualTo(r.exec("OBJECT", "ENCODING", key));
      r.exec("DEL", key + "-back");
    }
    assertThat(r.exec("DEBUG", "DIGEST")).isEqualTo(before);
    // A hashtable that only holds integers comes back an intset, as from Redis's RDB.
    r.exec("SADD", "mixed", "x", "7", "8");
    r.exec("SREM", "mixed", "x");
    assertThat(r.exec("RESTORE", "mixed-back", "0", (String) r.exec("DUMP", "mixed"))).isEqualTo("OK");
    assertThat(r.exec("OBJECT", "ENCODING", "mixed-back")).isEqualTo("intset");
    assertThat(r.exec("SMEMBERS", "mixed-back")).isEqualTo(List.of("7", "8"));

    // The digest depends on the content only: encoding and insertion order do not matter.
    CommandHarness a = new CommandHarness();
    CommandHarness b = new CommandHarness();
    a.exec("SADD", "s", "1", "2", "3");
    b.exec("SADD", "s", "x", "3", "2", "1");
    b.exec("SREM", "s", "x");
    assertThat(a.exec("OBJECT", "ENCODING", "s")).isNotEqualTo(b.exec("OBJECT", "ENCODING", "s"));
    assertThat(a.exec("DEBUG", "DIGEST")).isEqualTo(b.exec("DEBUG", "DIGEST"));
    b.exec("SADD", "s", "4");
    assertThat(a.exec("DEBUG", "DIGEST")).isNotEqualTo(b.exec("DEBUG", "DIGEST"));
    // A set and a hash with the same names digest differently.
    a.exec("DEL", "s");
    b.exec("DEL", "s");
    a.exec("SADD", "k", "f");
    b.exec("HSET", "k", "f", "");
    assertThat(a.exec("DEBUG", "DIGEST")).isNotEqualTo(b.exec("DEBUG", "DIGEST"));
  }

  @Test
  void genericKeyCommandsKnowSets() {
    r.exec("SADD", "s", "a");
    r.exec("SET", "str", "v");
    assertThat(r.exec("SCAN", "0", "TYPE", "set")).isEqualTo(List.of("0", List.of("s")));
    assertThat((Long) r.exec("MEMORY", "USAGE", "s")).isPositive();
    sadd("big", 0, 2000);
    assertThat((Long) r.exec("MEMORY", "USAGE", "big")).isGreaterThan((Long) r.exec("MEMORY", "USAGE", "s"));
    assertThat(r.exec("COMMAND", "INFO", "smove")).asList().first().asList().containsSubsequence("smove", 4L);
  }
}

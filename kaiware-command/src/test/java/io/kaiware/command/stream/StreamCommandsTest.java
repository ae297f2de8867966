package io.kaiware.command.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.Blocking;
import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import io.kaiware.engine.StreamValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream replies and errors as Redis 7.0.15 gives them, after the cases of
 * tests/unit/type/stream.tcl and stream-cgroups.tcl (texts from t_stream.c).
 */
@SuppressWarnings("unchecked")
class StreamCommandsTest {

  private static final Err INVALID_ID = new Err("ERR Invalid stream ID specified as stream command argument");
  private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");
  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness().now(1_700_000_000_000L);
  }

  private static List<Object> entry(String id, String... fieldsValues) {
    return List.of(id, List.of((Object[]) fieldsValues));
  }

  private List<Object> ids(Object reply) {
    List<Object> out = new ArrayList<>();
    for (Object e : (List<Object>) reply) {
      out.add(((List<Object>) e).get(0));
    }
    return out;
  }

  @Test
  void xaddIdsFromTheCommandTime() {
    assertThat(r.exec("XADD", "s", "*", "item", "1")).isEqualTo("1700000000000-0");
    assertThat(r.exec("XADD", "s", "*", "item", "2")).isEqualTo("1700000000000-1");
    r.advance(5);
    assertThat(r.exec("XADD", "s", "*", "item", "3")).isEqualTo("1700000000005-0");
    // The clock going back (a new leader with a slower clock) still gives increasing IDs.
    r.now(1_600_000_000_000L);
    assertThat(r.exec("XADD", "s", "*", "item", "4")).isEqualTo("1700000000005-1");
    assertThat(r.exec("XLEN", "s")).isEqualTo(4L);
    assertThat(r.exec("TYPE", "s")).isEqualTo("stream");
    assertThat(r.exec("OBJECT", "ENCODING", "s")).isEqualTo("stream");
    assertThat(r.exec("XADD", "s", "1-1", "a", "b")).isEqualTo(
        new Err("ERR The ID specified in XADD is equal or smaller than the target stream top item"));
  }

  @Test
  void xaddExplicitAndPartialIds() {
    assertThat(r.exec("XADD", "k", "0-0", "a", "b")).isEqualTo(new Err("ERR The ID specified in XADD must be greater than 0-0"));
    assertThat(r.exec("EXISTS", "k")).isEqualTo(0L);
    assertThat(r.exec("XADD", "k", "1-1", "a", "b")).isEqualTo("1-1");
    assertThat(r.exec("XADD", "k", "1-*", "a", "b")).isEqualTo("1-2");
    assertThat(r.exec("XADD", "k", "5-*", "a", "b")).isEqualTo("5-0");
    assertThat(r.exec("XADD", "k", "5", "a", "b")).isEqualTo(
        new Err("ERR The ID specified in XADD is equal or smaller than the target stream top item"));
    assertThat(r.exec("XADD", "k", "6", "a", "b")).isEqualTo("6-0");
    assertThat(r.exec("XADD", "k", "x-1", "a", "b")).isEqualTo(INVALID_ID);
    assertThat(r.exec("XADD", "k", "-", "a", "b")).isEqualTo(INVALID_ID);
    assertThat(r.exec("XADD", "k", "*", "a")).isEqualTo(new Err("ERR wrong number of arguments for 'xadd' command"));
    assertThat(r.exec("XADD", "k", "18446744073709551615-18446744073709551615", "a", "b"))
        .isEqualTo("18446744073709551615-18446744073709551615");
    assertThat(r.exec("XADD", "k", "*", "a", "b")).isEqualTo(
        new Err("ERR The stream has exhausted the last possible ID, unable to add more items"));
    assertThat(r.exec("XADD", "nomk", "NOMKSTREAM", "*", "a", "b")).isNull();
    assertThat(r.exec("EXISTS", "nomk")).isEqualTo(0L);
    r.exec("SET", "str", "v");
    assertThat(r.exec("XADD", "str", "*", "a", "b")).isEqualTo(WRONGTYPE);
  }

  @Test
  void trimmingExactAndApproximate() {
    for (int j = 0; j < 1000; j++) {
      r.exec("XADD", "s", "MAXLEN", "=", "5", "*", "xitem", Integer.toString(j));
    }
    assertThat(r.exec("XLEN", "s")).isEqualTo(5L);
    r.exec("DEL", "s");
    r.exec("CONFIG", "SET", "stream-node-max-entries", "100");
    for (int j = 0; j < 1000; j++) {
      r.exec("XADD", "s", "MAXLEN", "~", "555", "*", "xitem", Integer.toString(j));
    }
    assertThat(r.exec("XLEN", "s")).isEqualTo(600L);
    // "XADD with LIMIT consecutive calls"
    r.exec("DEL", "s");
    r.exec("CONFIG", "SET", "stream-node-max-entries", "10");
    for (int j = 0; j < 100; j++) {
      r.exec("XADD", "s", "*", "xitem", "v");
    }
    r.exec("XADD", "s", "MAXLEN", "~", "55", "LIMIT", "30", "*", "xitem", "v");
    assertThat(r.exec("XLEN", "s")).isEqualTo(71L);
    r.exec("XADD", "s", "MAXLEN", "~", "55", "LIMIT", "30", "*", "xitem", "v");
    assertThat(r.exec("XLEN", "s")).isEqualTo(62L);
    // "XTRIM with LIMIT delete entries no more than limit"
    r.exec("DEL", "s");
    r.exec("CONFIG", "SET", "stream-node-max-entries", "2");
    for (int j = 0; j < 3; j++) {
      r.exec("XADD", "s", "*", "xitem", "v");
    }
    assertThat(r.exec("XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "1")).isEqualTo(0L);
    assertThat(r.exec("XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "2")).isEqualTo(2L);
    assertThat(r.exec("XTRIM", "s", "MAXLEN", "1", "LIMIT", "30")).isEqualTo(
        new Err("ERR syntax error, LIMIT cannot be used without the special ~ option"));
    assertThat(r.exec("XTRIM", "s", "LIMIT", "0")).isEqualTo(new Err("ERR syntax error, XTRIM must be called with a trimming strategy"));
    assertThat(r.exec("XTRIM", "s", "LIMIT", "10")).isEqualTo(
        new Err("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"));
    assertThat(r.exec("XTRIM", "s", "MAXLEN", "1", "MINID", "1")).isEqualTo(
        new Err("ERR syntax error, MAXLEN and MINID options at the same time are not compatible"));
    assertThat(r.exec("XTRIM", "s", "MAXLEN", "-1")).isEqualTo(new Err("ERR The MAXLEN argument must be >= 0."));
    // MINID
    r.exec("DEL", "m");
    for (int j = 1; j <= 5; j++) {
      r.exec("XADD", "m", j + "-0", "f", "v");
    }
    assertThat(r.exec("XTRIM", "m", "MINID", "=", "3-0")).isEqualTo(2L);
    assertThat(ids(r.exec("XRANGE", "m", "-", "+"))).isEqualTo(List.of("3-0", "4-0", "5-0"));
  }

  @Test
  void rangesWithCountsAndExclusiveBounds() {
    for (int j = 1; j <= 5; j++) {
      r.exec("XADD", "s", j + "-0", "f", Integer.toString(j));
    }
    assertThat(r.exec("XRANGE", "s", "-", "+", "COUNT", "2")).isEqualTo(List.of(entry("1-0", "f", "1"), entry("2-0", "f", "2")));
    assertThat(ids(r.exec("XREVRANGE", "s", "+", "-", "COUNT", "2"))).isEqualTo(List.of("5-0", "4-0"));
    assertThat(ids(r.exec("XRANGE", "s", "(2-0", "(5-0"))).isEqualTo(List.of("3-0", "4-0"));
    // A bare end "5" is 5-18446744073709551615: excluding it still includes 5-0.
    assertThat(ids(r.exec("XRANGE", "s", "(2-0", "(5"))).isEqualTo(List.of("3-0", "4-0", "5-0"));
    assertThat(ids(r.exec("XREVRANGE", "s", "(5-0", "(2-0"))).isEqualTo(List.of("4-0", "3-0"));
    assertThat(ids(r.exec("XRANGE", "s", "3", "3"))).isEqualTo(List.of("3-0"));
    assertThat(r.exec("XRANGE", "s", "-", "+", "COUNT", "0")).isNull();
    assertThat(r.exec("XRANGE", "s", "(-", "+")).isEqualTo(INVALID_ID);
    assertThat(r.exec("XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"))
        .isEqualTo(new Err("ERR invalid start ID for the interval"));
    assertThat(r.exec("XRANGE", "s", "-", "(0-0")).isEqualTo(new Err("ERR invalid end ID for the interval"));
    assertThat(r.exec("XRANGE", "nokey", "-", "+")).isEqualTo(List.of());
    assertThat(r.exec("XRANGE", "s", "-", "+", "COUNT")).isEqualTo(new Err("ERR syntax error"));
    assertThat(r.exec("XDEL", "s", "2-0", "3-0", "9-9")).isEqualTo(2L);
    assertThat(ids(r.exec("XRANGE", "s", "-", "+"))).isEqualTo(List.of("1-0", "4-0", "5-0"));
    assertThat(r.exec("XDEL", "s", "1-0", "bad")).isEqualTo(INVALID_ID);
    assertThat(r.exec("XLEN", "s")).isEqualTo(3L);
  }

  @Test
  void xreadServesWhatIsNewerThanTheIds() {
    r.exec("XADD", "s1", "1-0", "a", "1");
    r.exec("XADD", "s1", "2-0", "a", "2");
    r.exec("XADD", "s2", "3-0", "b", "3");
    Object reply = r.exec("XREAD", "COUNT", "1", "STREAMS", "s1", "s2", "0", "0");
    assertThat(reply).isEqualTo(List.of(List.of("s1", List.of(entry("1-0", "a", "1"))),
        List.of("s2", List.of(entry("3-0", "b", "3")))));
    assertThat(r.exec("XREAD", "STREAMS", "s1", "$")).isNull();
    assertThat(r.exec("XREAD", "BLOCK", "0", "STREAMS", "s1", "2-0")).isNull();
    assertThat(r.exec("XREAD", "STREAMS", "s1", "s2", "0")).isEqualTo(new Err(
        "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."));
    assertThat(r.exec("XREAD", "STREAMS", "s1", ">")).isEqualTo(new Err(
        "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."));
    assertThat(r.exec("XREAD", "GROUP", "g", "c", "STREAMS", "s1", "0")).isEqualTo(new Err(
        "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."));
    assertThat(r.exec("XREAD", "BLOCK", "-1", "STREAMS", "s1", "0")).isEqualTo(new Err("ERR timeout is negative"));
    assertThat(r.exec("COMMAND", "GETKEYS", "XREAD", "COUNT", "1", "STREAMS", "a", "b", "0", "0")).isEqualTo(List.of("a", "b"));
    r.exec("HELLO", "3");
    assertThat(r.exec("XREAD", "STREAMS", "s2", "0")).isEqualTo(Map.of("s2", List.of(entry("3-0", "b", "3"))));
  }

  @Test
  void consumerGroupsDeliverAckAndClaim() {
    assertThat(r.exec("XGROUP", "CREATE", "s", "g", "$")).isEqualTo(new Err(StreamCommands.NOKEY_XGROUP));
    assertThat(r.exec("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")).isEqualTo("OK");
    assertThat(r.exec("XGROUP", "CREATE", "s", "g", "$")).isEqualTo(new Err("BUSYGROUP Consumer Group name already exists"));
    r.exec("XADD", "s", "1-0", "a", "1");
    r.exec("XADD", "s", "2-0", "b", "2");
    r.exec("XADD", "s", "3-0", "c", "3");
    assertThat(r.exec("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"))
        .isEqualTo(List.of(List.of("s", List.of(entry("1-0", "a", "1"), entry("2-0", "b", "2")))));
    r.advance(100);
    assertThat(r.exec("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"))
        .isEqualTo(List.of(List.of("s", List.of(entry("3-0", "c", "3")))));
    assertThat(r.exec("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">")).isNull();
    assertThat(r.exec("XPENDING", "s", "g")).isEqualTo(List.of(3L, "1-0", "3-0",
        List.of(List.of("alice", "2"), List.of("bob", "1"))));
    r.advance(50);
    assertThat(r.exec("XPENDING", "s", "g", "-", "+", "10")).isEqualTo(List.of(
        List.of("1-0", "alice", 150L, 1L), List.of("2-0", "alice", 150L, 1L), List.of("3-0", "bob", 50L, 1L)));
    assertThat(r.exec("XPENDING", "s", "g", "IDLE", "100", "-", "+", "10", "alice")).isEqualTo(List.of(
        List.of("1-0", "alice", 150L, 1L), List.of("2-0", "alice", 150L, 1L)));
    // History: alice's own pending entries, delivered again.
    assertThat(r.exec("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"))
        .isEqualTo(List.of(List.of("s", List.of(entry("1-0", "a", "1"), entry("2-0", "b", "2")))));
    assertThat(r.exec("XPENDING", "s", "g", "-", "+", "1")).isEqualTo(List.of(List.of("1-0", "alice", 0L, 2L)));
    assertThat(r.exec("XACK", "s", "g", "1-0", "9-0")).isEqualTo(1L);
    assertThat(r.exec("XACK", "s", "g", "bad")).isEqualTo(INVALID_ID);
    // XCLAIM: bob takes 2-0 once it has been idle 10 ms.
    assertThat(r.exec("XCLAIM", "s", "g", "bob", "10", "2-0")).isEqualTo(List.of());
    r.advance(20);
    assertThat(r.exec("XCLAIM", "s", "g", "bob", "10", "2-0")).isEqualTo(List.of(entry("2-0", "b", "2")));
    assertThat(r.exec("XPENDING", "s", "g", "-", "+", "10", "bob")).isEqualTo(List.of(
        List.of("2-0", "bob", 0L, 3L), List.of("3-0", "bob", 70L, 1L)));
    assertThat(r.exec("XCLAIM", "s", "g", "alice", "0", "2-0", "JUSTID", "RETRYCOUNT", "7", "IDLE", "5")).isEqualTo(List.of("2-0"));
    assertThat(r.exec("XPENDING", "s", "g", "-", "+", "10", "alice")).isEqualTo(List.of(List.of("2-0", "alice", 5L, 7L)));
    assertThat(r.exec("XCLAIM", "s", "g", "alice", "0", "2-0", "BOGUS")).isEqualTo(new Err("ERR Unrecognized XCLAIM option 'BOGUS'"));
    // A deleted entry leaves the PEL when claimed.
    r.exec("XDEL", "s", "3-0");
    assertThat(r.exec("XAUTOCLAIM", "s", "g", "carol", "0", "0-0")).isEqualTo(List.of("0-0",
        List.of(entry("2-0", "b", "2")), List.of("3-0")));
    assertThat(r.exec("XAUTOCLAIM", "s", "g", "carol", "0", "0-0", "COUNT", "0")).isEqualTo(new Err("ERR COUNT must be > 0"));
    assertThat(r.exec("XAUTOCLAIM", "s", "nogroup", "carol", "0", "0-0")).isEqualTo(new Err(
        "NOGROUP No such key 's' or consumer group 'nogroup'"));
    assertThat(r.exec("XREADGROUP", "GROUP", "nogroup", "c", "STREAMS", "s", ">")).isEqualTo(new Err(
        "NOGROUP No such key 's' or consumer group 'nogroup' in XREADGROUP with GROUP option"));
    assertThat(r.exec("XGROUP", "DELCONSUMER", "s", "g", "carol")).isEqualTo(1L);
    assertThat(r.exec("XGROUP", "CREATECONSUMER", "s", "g", "dave")).isEqualTo(1L);
    assertThat(r.exec("XGROUP", "CREATECONSUMER", "s", "g", "dave")).isEqualTo(0L);
    assertThat(r.exec("XGROUP", "SETID", "s", "nogroup", "0")).isEqualTo(new Err(
        "NOGROUP No such consumer group 'nogroup' for key name 's'"));
    assertThat(r.exec("XGROUP", "DESTROY", "s", "g")).isEqualTo(1L);
    assertThat(r.exec("XGROUP", "DESTROY", "s", "g")).isEqualTo(0L);
    assertThat(r.exec("XGROUP", "FOO", "s", "g")).isEqualTo(new Err(
        "ERR unknown subcommand 'FOO'. Try XGROUP HELP."));
  }

  @Test
  void noackAndLagAndEntriesRead() {
    for (int j = 1; j <= 5; j++) {
      r.exec("XADD", "x", j + "-0", "data", "a");
    }
    r.exec("XGROUP", "CREATE", "x", "g1", "0");
    r.exec("XREADGROUP", "GROUP", "g1", "c", "COUNT", "1", "NOACK", "STREAMS", "x", ">");
    List<Object> groups = (List<Object>) r.exec("XINFO", "GROUPS", "x");
    assertThat(groups).hasSize(1);
    assertThat(groups.get(0)).isEqualTo(List.of("name", "g1", "consumers", 1L, "pending", 0L, "last-delivered-id", "1-0",
        "entries-read", 1L, "lag", 4L));
    r.exec("XDEL", "x", "3-0");
    List<Object> g = (List<Object>) ((List<Object>) r.exec("XINFO", "GROUPS", "x")).get(0);
    assertThat(g.subList(8, 12)).isEqualTo(Arrays.asList("entries-read", 1L, "lag", null));
    r.exec("XREADGROUP", "GROUP", "g1", "c", "STREAMS", "x", ">");
    g = (List<Object>) ((List<Object>) r.exec("XINFO", "GROUPS", "x")).get(0);
    assertThat(g.subList(6, 12)).isEqualTo(List.of("last-delivered-id", "5-0", "entries-read", 5L, "lag", 0L));
    assertThat(r.exec("XGROUP", "CREATE", "x", "g2", "0", "ENTRIESREAD", "-3")).isEqualTo(
        new Err("ERR value for ENTRIESREAD must be positive or -1"));
  }

  @Test
  void xinfoStreamAndXsetid() {
    r.exec("XADD", "s", "1-0", "a", "1");
    r.exec("XADD", "s", "2-0", "b", "2");
    r.exec("XDEL", "s", "1-0");
    List<Object> info = (List<Object>) r.exec("XINFO", "STREAM", "s");
    assertThat(info.subList(0, 2)).isEqualTo(List.of("length", 1L));
    assertThat(info.subList(6, 20)).isEqualTo(List.of("last-generated-id", "2-0", "max-deleted-entry-id", "1-0",
        "entries-added", 2L, "recorded-first-entry-id", "2-0", "groups", 0L, "first-entry", entry("2-0", "b", "2"),
        "last-entry", entry("2-0", "b", "2")));
    assertThat(r.exec("XSETID", "s", "1-0")).isEqualTo(new Err(
        "ERR The ID specified in XSETID is smaller than the target stream top item"));
    assertThat(r.exec("XSETID", "s", "5-0", "ENTRIESADDED", "0")).isEqualTo(new Err(
        "ERR The entries_added specified in XSETID is smaller than the target stream length"));
    assertThat(r.exec("XSETID", "s", "5-0", "MAXDELETEDID", "6-0")).isEqualTo(new Err(
        "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"));
    assertThat(r.exec("XSETID", "s", "5-0", "ENTRIESADDED", "9", "MAXDELETEDID", "3-0")).isEqualTo("OK");
    assertThat(r.exec("XADD", "s", "*", "c", "3")).isEqualTo("1700000000000-0");
    assertThat(r.exec("XSETID", "nokey", "1-0")).isEqualTo(new Err("ERR no such key"));
    assertThat(r.exec("XINFO", "STREAM", "nokey")).isEqualTo(new Err("ERR no such key"));
    assertThat(r.exec("XINFO", "STREAM", "s", "FULL", "COUNT")).isEqualTo(new Err(
        "ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP."));
    r.exec("XGROUP", "CREATE", "s", "g", "0");
    r.exec("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">");
    List<Object> full = (List<Object>) r.exec("XINFO", "STREAM", "s", "FULL");
    assertThat(full.get(14)).isEqualTo("entries");
    assertThat(full.get(16)).isEqualTo("groups");
    List<Object> group = (List<Object>) ((List<Object>) full.get(17)).get(0);
    assertThat(group.get(11)).isEqualTo(List.of(List.of("2-0", "c", 1_700_000_000_000L, 1L),
        List.of("1700000000000-0", "c", 1_700_000_000_000L, 1L)));
  }

  @Test
  void copyDumpRestoreAndDigestKeepGroups() {
    r.exec("XADD", "s", "1-0", "a", "1");
    r.exec("XGROUP", "CREATE", "s", "g", "0");
    r.exec("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">");
    assertThat(r.exec("COPY", "s", "t")).isEqualTo(1L);
    assertThat(r.exec("DEBUG", "DIGEST-VALUE", "s")).isEqualTo(r.exec("DEBUG", "DIGEST-VALUE", "t"));
    r.exec("XACK", "t", "g", "1-0");
    assertThat(r.exec("XPENDING", "s", "g")).isEqualTo(List.of(1L, "1-0", "1-0", List.of(List.of("c", "1"))));
    assertThat(r.exec("DEBUG", "DIGEST-VALUE", "s")).isNotEqualTo(r.exec("DEBUG", "DIGEST-VALUE", "t"));
    Object dump = r.exec("DUMP", "s");
    r.exec("DEL", "u");
    assertThat(r.exec(new byte[][] {"RESTORE".getBytes(), "u".getBytes(), "0".getBytes(),
        ((String) dump).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)})).isEqualTo("OK");
    assertThat(r.exec("DEBUG", "DIGEST-VALUE", "u")).isEqualTo(r.exec("DEBUG", "DIGEST-VALUE", "s"));
    List<Object> scan = (List<Object>) r.exec("SCAN", "0", "TYPE", "stream");
    assertThat((List<Object>) scan.get(1)).containsExactlyInAnyOrder("s", "t", "u");
  }

  @Test
  void blockingReadsTellTheServerWhatTheyWaitFor() {
    byte[][] xread = CommandHarness.argv("XREAD", "COUNT", "2", "BLOCK", "1500", "STREAMS", "s", "t", "$", "0");
    assertThat(Blocking.isBlocking(xread)).isTrue();
    assertThat(Blocking.isBlocking(CommandHarness.argv("XREAD", "STREAMS", "s", "$"))).isFalse();
    assertThat(Blocking.isBlocking(CommandHarness.argv("XREADGROUP", "GROUP", "block", "c", "STREAMS", "s", ">"))).isFalse();
    assertThat(Blocking.timeoutMsOf(xread)).isEqualTo(1500);
    assertThat(Blocking.keys(xread)).extracting(String::new).containsExactly("s", "t");
    assertThat(Blocking.valueType(xread)).isEqualTo(StreamValue.class);
    r.exec("XADD", "s", "5-0", "f", "v");
    // "$" becomes the last ID at the time the client parks: entries added later are served.
    byte[][] retry = Blocking.forRetry(xread, r.keyspace(), 0);
    assertThat(new String(retry[8])).isEqualTo("5-0");
    assertThat(new String(retry[9])).isEqualTo("0");
    StreamValue s = (StreamValue) r.keyspace().db(0).table().valueAt(r.keyspace().db(0).table().find("s".getBytes()));
    assertThat(Blocking.serves(s, StreamValue.class, retry, 0)).isFalse();
    r.exec("XADD", "s", "6-0", "f", "v");
    assertThat(Blocking.serves(s, StreamValue.class, retry, 0)).isTrue();
    byte[][] group = CommandHarness.argv("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
    r.exec("XGROUP", "CREATE", "s", "g", "$");
    assertThat(Blocking.serves(s, StreamValue.class, group, 0)).isFalse();
    r.exec("XADD", "s", "7-0", "f", "v");
    assertThat(Blocking.serves(s, StreamValue.class, group, 0)).isTrue();
    r.exec("XGROUP", "DESTROY", "s", "g");
    assertThat(Blocking.serves(s, StreamValue.class, group, 0)).as("a destroyed group: the re-run answers NOGROUP").isTrue();
    assertThat(new String(Blocking.waitFailure(null, group))).isEqualTo("-UNBLOCKED the stream key no longer exists\r\n");
    assertThat(Blocking.waitFailure(null, xread)).isNull();
    // Inside MULTI a blocking read answers at once.
    r.exec("MULTI");
    r.exec("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    assertThat(r.exec("EXEC")).isEqualTo(java.util.Collections.singletonList(null));
  }

  /**
   * Replicas agree: two engines run the same random stream program (times from the "log"); one of
   * them reloads every stream from its DUMP now and then, as a member installing a snapshot does.
   * Replies and DEBUG DIGEST stay equal, approximate trims included (the nodes survive the codec).
   */
  @Test
  void twoEnginesWithSnapshotInstallsStayEqual() {
    java.util.Random random = new java.util.Random(7);
    CommandHarness a = new CommandHarness().now(1_000);
    CommandHarness b = new CommandHarness().now(1_000);
    for (CommandHarness h : List.of(a, b)) {
      h.exec("CONFIG", "SET", "stream-node-max-entries", "7");
      h.exec("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    }
    for (int step = 0; step < 3000; step++) {
      long now = 1_000 + step * (long) random.nextInt(3);
      a.now(now);
      b.now(now);
      String[] cmd = switch (random.nextInt(9)) {
        case 0, 1, 2 -> new String[] {"XADD", "s", "MAXLEN", "~", Integer.toString(20 + random.nextInt(30)), "*", "f", "v" + step};
        case 3 -> new String[] {"XREADGROUP", "GROUP", "g", "c" + random.nextInt(3), "COUNT", "3", "STREAMS", "s", ">"};
        case 4 -> new String[] {"XACK", "s", "g", (now - random.nextInt(50)) + "-0"};
        case 5 -> new String[] {"XAUTOCLAIM", "s", "g", "c" + random.nextInt(3), Integer.toString(random.nextInt(20)), "0", "COUNT", "2"};
        case 6 -> new String[] {"XDEL", "s", (now - random.nextInt(30)) + "-" + random.nextInt(2)};
        case 7 -> new String[] {"XTRIM", "s", "MINID", "~", Long.toString(now - 40)};
        default -> new String[] {"XREADGROUP", "GROUP", "g", "c" + random.nextInt(3), "STREAMS", "s", "0"};
      };
      assertThat(b.exec(cmd)).as("step %d: %s", step, String.join(" ", cmd)).isEqualTo(a.exec(cmd));
      if (step % 97 == 0) {
        Object dump = b.exec("DUMP", "s");
        b.exec("DEL", "s");
        b.exec(new byte[][] {"RESTORE".getBytes(), "s".getBytes(), "0".getBytes(),
            ((String) dump).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)});
      }
      if (step % 50 == 0) {
        assertThat(b.exec("DEBUG", "DIGEST")).as("step %d", step).isEqualTo(a.exec("DEBUG", "DIGEST"));
        assertThat(b.exec("XINFO", "STREAM", "s")).isEqualTo(a.exec("XINFO", "STREAM", "s"));
      }
    }
  }

  @Test
  void wrongTypeEverywhere() {
    r.exec("SET", "k", "v");
    for (String[] cmd : new String[][] {
        {"XADD", "k", "*", "a", "b"}, {"XLEN", "k"}, {"XRANGE", "k", "-", "+"}, {"XREVRANGE", "k", "+", "-"},
        {"XDEL", "k", "1-0"}, {"XTRIM", "k", "MAXLEN", "0"}, {"XREAD", "STREAMS", "k", "0"},
        {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "k", ">"}, {"XGROUP", "CREATE", "k", "g", "$"},
        {"XACK", "k", "g", "1-0"}, {"XPENDING", "k", "g"}, {"XCLAIM", "k", "g", "c", "0", "1-0"},
        {"XAUTOCLAIM", "k", "g", "c", "0", "0"}, {"XINFO", "STREAM", "k"}, {"XSETID", "k", "1-0"}}) {
      assertThat(r.exec(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
    }
  }
}

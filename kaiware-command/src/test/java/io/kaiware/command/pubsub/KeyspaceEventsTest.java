package io.kaiware.command.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import io.kaiware.command.KeyspaceEvents;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * notify-keyspace-events and the messages of every write, event for event against Redis 7.0.15
 * (notify.c, the notifyKeyspaceEvent calls in t_*.c, db.c, expire.c; tests/unit/pubsub.tcl).
 */
class KeyspaceEventsTest {

  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
  }

  /** Runs {@code command} (after {@link #on}: keyevent messages of every class but n and m), then runs {@code command}; the events it published. */
  private List<String> events(String... command) {
    r.takePublished();
    r.exec(command);
    List<String> out = new ArrayList<>();
    for (String m : r.takePublished()) {
      assertThat(m).startsWith("__keyevent@");
      // "__keyevent@0__:set k" -> "set k"
      out.add(m.substring(m.indexOf("__:") + 3));
    }
    return out;
  }

  private void on() {
    assertThat(r.exec("CONFIG", "SET", "notify-keyspace-events", "EA")).isEqualTo("OK");
  }

  // ------------------------------------------------------------------ config

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|''", "KEA|AKE", "AKE|AKE", "gKE|gKE", "Eg$lshzxetdn|AE", "g$lshzxetdKE|AKE", "xK|xK", "m|m",
      "Ex|xE", "A|A", "nK|nK", "KEAm|AKEm", "AAAA|A", "lsKg|glsK", "$E|$E", "hzE|hzE", "tE|tE", "eE|eE", "dE|dE"})
  void canonicalFlags(String set, String get) {
    assertThat(r.exec("CONFIG", "SET", "notify-keyspace-events", set)).isEqualTo("OK");
    assertThat(r.exec("CONFIG", "GET", "notify-keyspace-events")).isEqualTo(List.of("notify-keyspace-events", get));
  }

  @Test
  void invalidFlagIsRefusedAndKeepsTheOldValue() {
    r.exec("CONFIG", "SET", "notify-keyspace-events", "KEg");
    assertThat(r.exec("CONFIG", "SET", "notify-keyspace-events", "KEq")).isEqualTo(new Err(
        "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - "
            + "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."));
    assertThat(r.exec("CONFIG", "GET", "notify-keyspace-events")).isEqualTo(List.of("notify-keyspace-events", "gKE"));
    assertThat(KeyspaceEvents.parse("a")).isEqualTo(-1);
  }

  @Test
  void newWithAllIsKeptThoughCanonicalTextDropsIt() {
    // Redis's keyspaceEventsFlagsToString prints A and omits n; the n class stays on.
    r.exec("CONFIG", "SET", "notify-keyspace-events", "AnE");
    assertThat(r.exec("CONFIG", "GET", "notify-keyspace-events")).isEqualTo(List.of("notify-keyspace-events", "AE"));
    assertThat(r.hooks().config().notifyKeyspaceEvents() & KeyspaceEvents.NEW).isNotZero();
  }

  @Test
  void offByDefaultPublishesNothing() {
    assertThat(r.exec("CONFIG", "GET", "notify-keyspace-events")).isEqualTo(List.of("notify-keyspace-events", ""));
    r.exec("SET", "k", "v");
    r.exec("DEL", "k");
    assertThat(r.takePublished()).isEmpty();
  }

  @Test
  void keyspaceAndKeyeventChannels() {
    r.exec("CONFIG", "SET", "notify-keyspace-events", "KE$");
    r.exec("SET", "foo", "bar");
    assertThat(r.takePublished()).containsExactly("__keyspace@0__:foo set", "__keyevent@0__:set foo");
    r.exec("CONFIG", "SET", "notify-keyspace-events", "K$");
    r.exec("SELECT", "9");
    r.exec("SET", "foo", "bar");
    assertThat(r.takePublished()).containsExactly("__keyspace@9__:foo set");
    r.exec("CONFIG", "SET", "notify-keyspace-events", "E$");
    r.exec("SET", "foo", "bar");
    assertThat(r.takePublished()).containsExactly("__keyevent@9__:set foo");
    // The class is off: nothing. A alone names classes but no channel: nothing.
    r.exec("DEL", "foo");
    r.exec("CONFIG", "SET", "notify-keyspace-events", "A");
    r.exec("SET", "foo", "bar");
    assertThat(r.takePublished()).isEmpty();
  }

  // ------------------------------------------------------------------ generic

  @Test
  void genericEvents() {
    on();
    r.exec("SET", "a", "1");
    assertThat(events("DEL", "a", "missing")).containsExactly("del a");
    assertThat(events("DEL", "missing")).isEmpty();
    r.exec("SET", "a", "1");
    assertThat(events("RENAME", "a", "b")).containsExactly("rename_from a", "rename_to b");
    assertThat(events("RENAMENX", "b", "c")).containsExactly("rename_from b", "rename_to c");
    r.exec("SET", "d", "1");
    assertThat(events("RENAMENX", "c", "d")).isEmpty();
    assertThat(events("EXPIRE", "c", "100")).containsExactly("expire c");
    assertThat(events("EXPIRE", "c", "100", "NX")).isEmpty();
    assertThat(events("PERSIST", "c")).containsExactly("persist c");
    assertThat(events("PERSIST", "c")).isEmpty();
    assertThat(events("PEXPIREAT", "c", "1")).containsExactly("del c");
    assertThat(events("EXPIRE", "missing", "10")).isEmpty();
    assertThat(events("COPY", "d", "e")).containsExactly("copy_to e");
    r.takePublished();
    r.exec("COPY", "d", "e", "DB", "3");
    assertThat(r.takePublished()).containsExactly("__keyevent@3__:copy_to e");
    r.exec("MOVE", "d", "5");
    assertThat(r.takePublished()).containsExactly("__keyevent@0__:move_from d", "__keyevent@5__:move_to d");
    assertThat(events("MOVE", "missing", "5")).isEmpty();
    assertThat(events("UNLINK", "e")).containsExactly("del e");
  }

  @Test
  void restoreEvents() {
    on();
    r.exec("SET", "a", "1");
    Object dump = r.exec("DUMP", "a");
    assertThat(events("RESTORE", "b", "0", (String) dump)).containsExactly("restore b");
    assertThat(events("RESTORE", "b", "1", (String) dump, "REPLACE", "ABSTTL")).containsExactly("del b");
    assertThat(events("RESTORE", "b", "1", (String) dump, "REPLACE", "ABSTTL")).isEmpty();
  }

  @Test
  void expiredLazilyAndActively() {
    on();
    r.exec("SET", "a", "1", "PX", "100");
    r.exec("SET", "b", "1", "PX", "100");
    r.advance(200);
    assertThat(events("GET", "a")).containsExactly("expired a");
    r.takePublished();
    r.keyspace().activeExpireCycle(r.nowMs(), 1024);
    assertThat(r.takePublished()).containsExactly("__keyevent@0__:expired b");
    r.exec("CONFIG", "SET", "notify-keyspace-events", "KEx");
    r.exec("SELECT", "2");
    r.exec("SET", "c", "1", "PX", "100");
    r.advance(200);
    r.takePublished();
    r.exec("EXISTS", "c");
    assertThat(r.takePublished()).containsExactly("__keyspace@2__:c expired", "__keyevent@2__:expired c");
  }

  // ------------------------------------------------------------------ strings

  @Test
  void stringEvents() {
    on();
    assertThat(events("SET", "k", "v")).containsExactly("set k");
    assertThat(events("SET", "k", "v", "EX", "10")).containsExactly("set k", "expire k");
    assertThat(events("SET", "k", "v", "KEEPTTL")).containsExactly("set k");
    assertThat(events("SET", "k", "v", "NX")).isEmpty();
    assertThat(events("SET", "k", "v", "XX", "GET")).containsExactly("set k");
    assertThat(events("SETEX", "k", "10", "v")).containsExactly("set k", "expire k");
    assertThat(events("PSETEX", "k", "10", "v")).containsExactly("set k", "expire k");
    assertThat(events("SETNX", "k", "v")).isEmpty();
    assertThat(events("SETNX", "n", "v")).containsExactly("set n");
    assertThat(events("GETSET", "n", "w")).containsExactly("set n");
    assertThat(events("GETDEL", "n")).containsExactly("del n");
    assertThat(events("GETDEL", "n")).isEmpty();
    assertThat(events("MSET", "a", "1", "b", "2")).containsExactly("set a", "set b");
    assertThat(events("MSETNX", "a", "1", "c", "2")).isEmpty();
    assertThat(events("MSETNX", "c", "1", "d", "2")).containsExactly("set c", "set d");
    assertThat(events("INCR", "i")).containsExactly("incrby i");
    assertThat(events("DECR", "i")).containsExactly("incrby i");
    assertThat(events("INCRBY", "i", "5")).containsExactly("incrby i");
    assertThat(events("DECRBY", "i", "5")).containsExactly("incrby i");
    assertThat(events("INCR", "k")).isEmpty(); // not an integer
    assertThat(events("INCRBYFLOAT", "f", "1.5")).containsExactly("incrbyfloat f");
    assertThat(events("APPEND", "s", "x")).containsExactly("append s");
    assertThat(events("APPEND", "s", "y")).containsExactly("append s");
    assertThat(events("SETRANGE", "s", "1", "z")).containsExactly("setrange s");
    assertThat(events("SETRANGE", "s", "1", "")).isEmpty();
    assertThat(events("SETRANGE", "r", "1", "")).isEmpty();
    assertThat(events("SETRANGE", "r", "1", "a")).containsExactly("setrange r");
    assertThat(events("GETEX", "s", "EX", "10")).containsExactly("expire s");
    assertThat(events("GETEX", "s", "PERSIST")).containsExactly("persist s");
    assertThat(events("GETEX", "s", "PERSIST")).isEmpty();
    assertThat(events("GETEX", "s")).isEmpty();
    assertThat(events("GETEX", "s", "PXAT", "1")).containsExactly("del s");
    assertThat(events("GET", "missing")).isEmpty();
  }

  @Test
  void bitAndHllEvents() {
    on();
    assertThat(events("SETBIT", "b", "3", "1")).containsExactly("setbit b");
    assertThat(events("SETBIT", "b", "3", "1")).isEmpty();
    assertThat(events("SETBIT", "b", "3", "0")).containsExactly("setbit b");
    assertThat(events("BITFIELD", "f", "SET", "u8", "0", "1")).containsExactly("setbit f");
    assertThat(events("BITFIELD", "f", "SET", "u8", "0", "1")).containsExactly("setbit f");
    assertThat(events("BITFIELD", "f", "GET", "u8", "0")).isEmpty();
    assertThat(events("BITOP", "OR", "d", "b", "f")).containsExactly("set d");
    assertThat(events("BITOP", "OR", "d", "x", "y")).containsExactly("del d");
    assertThat(events("BITOP", "OR", "d", "x", "y")).isEmpty();
    assertThat(events("PFADD", "h", "a")).containsExactly("pfadd h");
    assertThat(events("PFADD", "h", "a")).isEmpty();
    assertThat(events("PFMERGE", "h2", "h")).containsExactly("pfadd h2");
  }

  // ------------------------------------------------------------------ lists

  @Test
  void listEvents() {
    on();
    assertThat(events("LPUSH", "l", "a", "b")).containsExactly("lpush l");
    assertThat(events("RPUSH", "l", "c")).containsExactly("rpush l");
    assertThat(events("LPUSHX", "nol", "a")).isEmpty();
    assertThat(events("RPUSHX", "l", "d")).containsExactly("rpush l");
    assertThat(events("LINSERT", "l", "BEFORE", "a", "x")).containsExactly("linsert l");
    assertThat(events("LINSERT", "l", "BEFORE", "zz", "x")).isEmpty();
    assertThat(events("LSET", "l", "0", "y")).containsExactly("lset l");
    assertThat(events("LREM", "l", "0", "x")).containsExactly("lrem l");
    assertThat(events("LREM", "l", "0", "x")).isEmpty();
    assertThat(events("LTRIM", "l", "0", "-1")).containsExactly("ltrim l");
    assertThat(events("LPOP", "l")).containsExactly("lpop l");
    assertThat(events("RPOP", "l", "1")).containsExactly("rpop l");
    assertThat(events("LPOP", "l", "0")).isEmpty();
    assertThat(events("LMOVE", "l", "m", "LEFT", "RIGHT")).containsExactly("rpush m", "lpop l");
    // l holds one element now: popping it deletes the key.
    assertThat(events("RPOPLPUSH", "l", "m")).containsExactly("lpush m", "rpop l", "del l");
    assertThat(events("LMOVE", "m", "m", "LEFT", "RIGHT")).containsExactly("rpush m", "lpop m");
    assertThat(events("LMPOP", "2", "nol", "m", "LEFT", "COUNT", "1")).containsExactly("lpop m");
    assertThat(events("BLPOP", "m", "0")).containsExactly("lpop m", "del m");
    r.exec("RPUSH", "t", "a", "b");
    assertThat(events("LTRIM", "t", "5", "6")).containsExactly("ltrim t", "del t");
    r.exec("RPUSH", "t", "a");
    assertThat(events("LREM", "t", "0", "a")).containsExactly("lrem t", "del t");
    r.exec("RPUSH", "t", "b", "a", "c");
    assertThat(events("SORT", "t", "ALPHA", "STORE", "s")).containsExactly("sortstore s");
    assertThat(events("SORT", "nol", "STORE", "s")).containsExactly("del s");
    assertThat(events("SORT", "nol", "STORE", "s")).isEmpty();
    assertThat(events("BRPOP", "nol", "t", "0")).containsExactly("rpop t");
  }

  // ------------------------------------------------------------------ sets

  @Test
  void setEvents() {
    on();
    assertThat(events("SADD", "s", "a", "b", "c")).containsExactly("sadd s");
    assertThat(events("SADD", "s", "a")).isEmpty();
    assertThat(events("SREM", "s", "a")).containsExactly("srem s");
    assertThat(events("SREM", "s", "zz")).isEmpty();
    assertThat(events("SMOVE", "s", "d", "b")).containsExactly("srem s", "sadd d");
    r.exec("SADD", "d", "c");
    assertThat(events("SMOVE", "s", "d", "c")).containsExactly("srem s", "del s");
    assertThat(events("SMOVE", "d", "d", "c")).isEmpty();
    r.exec("SADD", "s", "1", "2", "3");
    assertThat(events("SPOP", "s")).containsExactly("spop s");
    assertThat(events("SPOP", "s", "1")).containsExactly("spop s");
    assertThat(events("SPOP", "s", "5")).containsExactly("spop s", "del s");
    assertThat(events("SPOP", "s", "5")).isEmpty();
    r.exec("SADD", "s", "x");
    assertThat(events("SPOP", "s")).containsExactly("spop s", "del s");
    r.exec("SADD", "s", "b", "c");
    assertThat(events("SINTERSTORE", "i", "s", "d")).containsExactly("sinterstore i");
    assertThat(events("SINTERSTORE", "i", "s", "nos")).containsExactly("del i");
    assertThat(events("SUNIONSTORE", "u", "s", "d")).containsExactly("sunionstore u");
    assertThat(events("SDIFFSTORE", "u", "s", "d")).containsExactly("del u");
    assertThat(events("SDIFFSTORE", "u", "s", "nos")).containsExactly("sdiffstore u");
    r.exec("SADD", "e", "x");
    assertThat(events("SREM", "e", "x", "y")).containsExactly("srem e", "del e");
  }

  // ------------------------------------------------------------------ hashes

  @Test
  void hashEvents() {
    on();
    assertThat(events("HSET", "h", "a", "1", "b", "2")).containsExactly("hset h");
    assertThat(events("HMSET", "h", "a", "1")).containsExactly("hset h");
    assertThat(events("HSETNX", "h", "a", "1")).isEmpty();
    assertThat(events("HSETNX", "h", "c", "1")).containsExactly("hset h");
    assertThat(events("HINCRBY", "h", "a", "1")).containsExactly("hincrby h");
    assertThat(events("HINCRBYFLOAT", "h", "a", "1.5")).containsExactly("hincrbyfloat h");
    assertThat(events("HDEL", "h", "zz")).isEmpty();
    assertThat(events("HDEL", "h", "a")).containsExactly("hdel h");
    assertThat(events("HDEL", "h", "b", "c")).containsExactly("hdel h", "del h");
  }

  // ------------------------------------------------------------------ sorted sets

  /** geo.c: GEOADD publishes ZADD's event; the STORE forms theirs, or "del" for an empty result. */
  @Test
  void geoEvents() {
    on();
    assertThat(events("GEOADD", "g", "13.361389", "38.115556", "Palermo")).containsExactly("zadd g");
    assertThat(events("GEOADD", "g", "13.361389", "38.115556", "Palermo")).isEmpty();
    assertThat(events("GEOSEARCHSTORE", "dst", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"))
        .containsExactly("geosearchstore dst");
    assertThat(events("GEORADIUS", "g", "15", "37", "200", "km", "STORE", "dst2")).containsExactly("georadiusstore dst2");
    assertThat(events("GEOSEARCHSTORE", "dst", "g", "FROMLONLAT", "100", "0", "BYRADIUS", "1", "km"))
        .containsExactly("del dst");
    assertThat(events("GEOSEARCHSTORE", "dst", "nokey", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km")).isEmpty();
  }

  @Test
  void zsetEvents() {
    on();
    assertThat(events("ZADD", "z", "1", "a", "2", "b", "3", "c")).containsExactly("zadd z");
    assertThat(events("ZADD", "z", "1", "a")).isEmpty();
    assertThat(events("ZADD", "z", "5", "a")).containsExactly("zadd z");
    assertThat(events("ZADD", "z", "NX", "9", "a")).isEmpty();
    assertThat(events("ZINCRBY", "z", "1", "a")).containsExactly("zincr z");
    assertThat(events("ZADD", "z", "INCR", "1", "a")).containsExactly("zincr z");
    assertThat(events("ZREM", "z", "zz")).isEmpty();
    assertThat(events("ZREM", "z", "a")).containsExactly("zrem z");
    r.exec("ZADD", "z", "4", "d", "5", "e", "6", "f", "7", "g");
    assertThat(events("ZREMRANGEBYRANK", "z", "0", "0")).containsExactly("zremrangebyrank z");
    assertThat(events("ZREMRANGEBYSCORE", "z", "3", "3")).containsExactly("zremrangebyscore z");
    assertThat(events("ZREMRANGEBYSCORE", "z", "100", "200")).isEmpty();
    assertThat(events("ZREMRANGEBYLEX", "z", "[d", "[d")).containsExactly("zremrangebylex z");
    assertThat(events("ZPOPMIN", "z")).containsExactly("zpopmin z");
    assertThat(events("ZPOPMAX", "z", "1")).containsExactly("zpopmax z");
    assertThat(events("ZRANGESTORE", "r", "z", "0", "-1")).containsExactly("zrangestore r");
    assertThat(events("ZRANGESTORE", "r", "z", "5", "6")).containsExactly("del r");
    assertThat(events("ZUNIONSTORE", "u", "1", "z")).containsExactly("zunionstore u");
    assertThat(events("ZINTERSTORE", "u", "2", "z", "noz")).containsExactly("del u");
    assertThat(events("ZINTERSTORE", "u", "2", "z", "z")).containsExactly("zinterstore u");
    assertThat(events("ZDIFFSTORE", "u", "1", "z")).containsExactly("zdiffstore u");
    assertThat(events("ZMPOP", "1", "z", "MIN", "COUNT", "10")).containsExactly("zpopmin z", "del z");
    r.exec("ZADD", "z", "1", "a");
    assertThat(events("BZPOPMAX", "z", "0")).containsExactly("zpopmax z", "del z");
    r.exec("ZADD", "z", "1", "a", "2", "b");
    assertThat(events("ZREMRANGEBYRANK", "z", "0", "-1")).containsExactly("zremrangebyrank z", "del z");
    r.exec("ZADD", "z", "1", "a");
    assertThat(events("ZREM", "z", "a", "b")).containsExactly("zrem z", "del z");
  }

  // ------------------------------------------------------------------ streams

  @Test
  void streamEvents() {
    on();
    assertThat(events("XADD", "x", "1-1", "f", "v")).containsExactly("xadd x");
    assertThat(events("XADD", "x", "MAXLEN", "1", "2-1", "f", "v")).containsExactly("xadd x", "xtrim x");
    assertThat(events("XADD", "x", "MAXLEN", "1", "3-1", "f", "v")).containsExactly("xadd x", "xtrim x");
    assertThat(events("XADD", "nox", "NOMKSTREAM", "*", "f", "v")).isEmpty();
    r.exec("XADD", "x", "4-1", "f", "v");
    assertThat(events("XTRIM", "x", "MAXLEN", "1")).containsExactly("xtrim x");
    assertThat(events("XTRIM", "x", "MAXLEN", "1")).isEmpty();
    r.exec("XADD", "x", "5-1", "f", "v");
    assertThat(events("XDEL", "x", "5-1", "9-9")).containsExactly("xdel x");
    assertThat(events("XDEL", "x", "9-9")).isEmpty();
    assertThat(events("XSETID", "x", "10-0")).containsExactly("xsetid x");
    assertThat(events("XGROUP", "CREATE", "x", "g", "0")).containsExactly("xgroup-create x");
    assertThat(events("XGROUP", "CREATE", "x", "g", "0")).isEmpty();
    assertThat(events("XGROUP", "SETID", "x", "g", "0")).containsExactly("xgroup-setid x");
    assertThat(events("XGROUP", "CREATECONSUMER", "x", "g", "c1")).containsExactly("xgroup-createconsumer x");
    assertThat(events("XGROUP", "CREATECONSUMER", "x", "g", "c1")).isEmpty();
    assertThat(events("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "x", ">")).containsExactly("xgroup-createconsumer x");
    assertThat(events("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "x", ">")).isEmpty();
    assertThat(events("XCLAIM", "x", "g", "c3", "0", "4-1")).containsExactly("xgroup-createconsumer x");
    assertThat(events("XAUTOCLAIM", "x", "g", "c4", "0", "0")).containsExactly("xgroup-createconsumer x");
    assertThat(events("XGROUP", "DELCONSUMER", "x", "g", "c1")).containsExactly("xgroup-delconsumer x");
    assertThat(events("XGROUP", "DELCONSUMER", "x", "g", "nobody")).isEmpty();
    assertThat(events("XGROUP", "DESTROY", "x", "g")).containsExactly("xgroup-destroy x");
    assertThat(events("XGROUP", "DESTROY", "x", "g")).isEmpty();
  }

  // ------------------------------------------------------------------ new, keymiss

  @Test
  void newKeyEvents() {
    r.exec("CONFIG", "SET", "notify-keyspace-events", "En");
    r.exec("SET", "foo", "bar");
    r.exec("SET", "foo", "baz"); // no second "new"
    r.exec("SET", "bar", "bar");
    r.exec("LPUSH", "l", "a");
    r.exec("LPUSH", "l", "b");
    r.exec("SADD", "s", "a");
    r.exec("HSET", "h", "a", "1");
    r.exec("ZADD", "z", "1", "a");
    r.exec("XADD", "x", "1-1", "f", "v");
    assertThat(r.takePublished()).containsExactly("__keyevent@0__:new foo", "__keyevent@0__:new bar",
        "__keyevent@0__:new l", "__keyevent@0__:new s", "__keyevent@0__:new h", "__keyevent@0__:new z",
        "__keyevent@0__:new x");
    // RENAME and MOVE add the key they create (Redis's dbAdd), before their own events.
    r.exec("CONFIG", "SET", "notify-keyspace-events", "Eng");
    assertThat(events("RENAME", "foo", "foo2")).containsExactly("new foo2", "rename_from foo", "rename_to foo2");
    r.takePublished();
    r.exec("MOVE", "foo2", "1");
    assertThat(r.takePublished()).containsExactly("__keyevent@1__:new foo2", "__keyevent@0__:move_from foo2",
        "__keyevent@1__:move_to foo2");
    // An expired key set again: "expired" then "new".
    r.exec("CONFIG", "SET", "notify-keyspace-events", "Enx$");
    r.exec("SET", "e", "1", "PX", "10");
    r.advance(20);
    assertThat(events("SET", "e", "2")).containsExactly("expired e", "new e", "set e");
    // Off again: SWAPDB keeps the hook off, and on again it follows the databases.
    r.exec("CONFIG", "SET", "notify-keyspace-events", "E$");
    assertThat(events("SET", "q", "1")).containsExactly("set q");
    r.exec("CONFIG", "SET", "notify-keyspace-events", "En");
    r.exec("SWAPDB", "0", "1");
    assertThat(events("SET", "w", "1")).containsExactly("new w");
    r.exec("SWAPDB", "0", "1");
    assertThat(events("SET", "w2", "1")).containsExactly("new w2");
  }

  @Test
  void keymissEvents() {
    r.exec("CONFIG", "SET", "notify-keyspace-events", "Em");
    r.exec("SET", "k", "v");
    assertThat(events("GET", "nope")).containsExactly("keymiss nope");
    assertThat(events("GET", "k")).isEmpty();
    assertThat(events("MGET", "k", "a", "b")).containsExactly("keymiss a", "keymiss b");
    assertThat(events("LRANGE", "nol", "0", "-1")).containsExactly("keymiss nol");
    assertThat(events("HGET", "noh", "f")).containsExactly("keymiss noh");
    assertThat(events("LPUSH", "nol", "a")).isEmpty(); // a write lookup: no keymiss
    // m is not part of A.
    r.exec("CONFIG", "SET", "notify-keyspace-events", "EA");
    assertThat(events("GET", "nope")).isEmpty();
  }

  @Test
  void clientReplyOnAnswersEvenAfterOffOrSkip() {
    // Redis's introspection.tcl "CLIENT REPLY OFF/ON": the OK of ON is sent.
    assertThat(r.execRaw("CLIENT", "REPLY", "OFF")).isEmpty();
    assertThat(r.execRaw("PING", "pong")).isEmpty();
    assertThat(r.execRaw("CLIENT", "REPLY", "ON")).isEqualTo("+OK\r\n");
    assertThat(r.execRaw("PING", "pong3")).isEqualTo("$5\r\npong3\r\n");
    assertThat(r.execRaw("CLIENT", "REPLY", "SKIP")).isEmpty();
    assertThat(r.execRaw("CLIENT", "REPLY", "ON")).isEqualTo("+OK\r\n");
    assertThat(r.execRaw("CLIENT", "REPLY", "SKIP")).isEmpty();
    assertThat(r.execRaw("PING")).isEmpty();
    assertThat(r.execRaw("PING")).isEqualTo("+PONG\r\n");
  }

  @Test
  void clientListShowsTheRunningRequestAsTheQueryBuffer() {
    // Redis's introspection.tcl: "*2\r\n$6\r\nclient\r\n$4\r\nlist\r\n" is 26 bytes.
    assertThat(r.execRaw("client", "list")).contains(" qbuf=26 ");
    assertThat(r.execRaw("client", "info")).contains(" qbuf=26 ");
  }

  @Test
  void clientKillOfAnUnknownUserIsAnError() {
    assertThat(r.execRaw("CLIENT", "KILL", "USER", "wrong_user")).isEqualTo("-ERR No such user 'wrong_user'\r\n");
    assertThat(r.execRaw("CLIENT", "KILL", "USER", "default", "SKIPME", "yes")).isEqualTo(":0\r\n");
  }

  @Test
  void subscribeConfirmationsIgnoreClientReplyOff() {
    assertThat(r.execRaw("CLIENT", "REPLY", "OFF")).isEmpty();
    assertThat(r.execRaw("SUBSCRIBE", "ch")).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
    assertThat(r.execRaw("PING")).isEmpty();
  }

  @Test
  void pingInPubSubModeAnswersPongArrayInResp2() {
    r.exec("SUBSCRIBE", "ch");
    assertThat(r.exec("PING")).isEqualTo(List.of("pong", ""));
    assertThat(r.exec("PING", "foo")).isEqualTo(List.of("pong", "foo"));
    r.exec("UNSUBSCRIBE", "ch");
    assertThat(r.exec("PING")).isEqualTo("PONG");
  }
}

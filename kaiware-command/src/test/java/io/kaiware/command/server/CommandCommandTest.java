package io.kaiware.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import io.kaiware.command.GetKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * COMMAND GETKEYS and COMMAND INFO for the commands whose keys move with their arguments (Redis's
 * movablekeys). Every expected reply was taken from redis-server 7.0.15.
 */
@SuppressWarnings("unchecked")
class CommandCommandTest {

  private final CommandHarness r = new CommandHarness();

  private record Case(String[] args, Object reply) {}

  private static Case c(String[] args, Object reply) {
    return new Case(args, reply);
  }

  @Test
  void getKeysAnswersAsRedis70() {
    List<Case> cases = List.of(
      c(new String[] {"zunionstore", "dst", "2", "a", "b"}, List.of("dst", "a", "b")),
      c(new String[] {"zunionstore", "dst", "2", "a", "b", "WEIGHTS", "1", "2"}, List.of("dst", "a", "b")),
      c(new String[] {"zunionstore", "dst", "3", "a", "b"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"zunionstore", "dst", "0", "a"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"zunionstore", "dst", "-1", "a"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"zunionstore", "dst", "x", "a"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"zunionstore", "dst", "1", "a", "b", "c"}, List.of("dst", "a")),
      c(new String[] {"zunionstore", "dst", "1"}, new Err("ERR Invalid number of arguments specified for command")),
      c(new String[] {"zunionstore", "dst"}, new Err("ERR Invalid number of arguments specified for command")),
      c(new String[] {"zinterstore", "dst", "1", "a"}, List.of("dst", "a")),
      c(new String[] {"zdiffstore", "dst", "2", "a", "b"}, List.of("dst", "a", "b")),
      c(new String[] {"zunion", "2", "a", "b"}, List.of("a", "b")),
      c(new String[] {"zunion", "2", "a", "b", "WITHSCORES"}, List.of("a", "b")),
      c(new String[] {"zunion", "3", "a", "b"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"zunion", "0", "a"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"zunion", "x", "a"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"zunion", "-1", "a"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"zinter", "1", "a"}, List.of("a")),
      c(new String[] {"zdiff", "2", "a", "b"}, List.of("a", "b")),
      c(new String[] {"zintercard", "2", "a", "b"}, List.of("a", "b")),
      c(new String[] {"zintercard", "2", "a", "b", "LIMIT", "5"}, List.of("a", "b")),
      c(new String[] {"zintercard", "3", "a", "b"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"zintercard", "0", "a"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"sintercard", "2", "a", "b"}, List.of("a", "b")),
      c(new String[] {"sintercard", "1", "a", "LIMIT", "1"}, List.of("a")),
      c(new String[] {"sintercard", "3", "a", "b"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"sintercard", "0", "a"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"sintercard", "x", "a"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"lmpop", "2", "a", "b", "LEFT"}, List.of("a", "b")),
      c(new String[] {"lmpop", "1", "a", "RIGHT", "COUNT", "2"}, List.of("a")),
      c(new String[] {"lmpop", "3", "a", "b", "LEFT"}, List.of("a", "b", "LEFT")),
      c(new String[] {"lmpop", "0", "a", "LEFT"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"lmpop", "2", "a", "b"}, List.of("a", "b")),
      c(new String[] {"blmpop", "0", "2", "a", "b", "LEFT"}, List.of("a", "b")),
      c(new String[] {"blmpop", "0", "3", "a", "b", "LEFT"}, List.of("a", "b", "LEFT")),
      c(new String[] {"blmpop", "0", "0", "a", "LEFT"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"blmpop", "x", "1", "a", "LEFT"}, List.of("a")),
      c(new String[] {"zmpop", "2", "a", "b", "MIN"}, List.of("a", "b")),
      c(new String[] {"zmpop", "3", "a", "b", "MIN"}, List.of("a", "b", "MIN")),
      c(new String[] {"zmpop", "0", "a", "MIN"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"bzmpop", "0", "2", "a", "b", "MAX"}, List.of("a", "b")),
      c(new String[] {"bzmpop", "1.5", "1", "a", "MIN", "COUNT", "3"}, List.of("a")),
      c(new String[] {"bzmpop", "0", "5", "a", "b", "MIN"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"sort", "a"}, List.of("a")),
      c(new String[] {"sort", "a", "STORE", "b"}, List.of("a", "b")),
      c(new String[] {"sort", "a", "BY", "x", "GET", "y", "STORE", "b"}, List.of("a", "b")),
      c(new String[] {"sort", "a", "STORE", "b", "STORE", "c"}, List.of("a", "c")),
      c(new String[] {"sort", "a", "store"}, List.of("a")),
      c(new String[] {"sort", "a", "LIMIT", "0", "1", "STORE", "b"}, List.of("a", "b")),
      c(new String[] {"sort", "a", "STORE"}, List.of("a")),
      c(new String[] {"sort_ro", "a"}, List.of("a")),
      c(new String[] {"sort_ro", "a", "STORE", "b"}, List.of("a")),
      c(new String[] {"sort", "a", "by", "x", "store", "b", "get", "y"}, List.of("a", "b")),
      c(new String[] {"get", "a"}, List.of("a")),
      c(new String[] {"get"}, new Err("ERR wrong number of arguments for 'command|getkeys' command")),
      c(new String[] {"get", "a", "b"}, new Err("ERR Invalid number of arguments specified for command")),
      c(new String[] {"set", "a", "b"}, List.of("a")),
      c(new String[] {"mset", "a", "1", "b", "2"}, List.of("a", "b")),
      c(new String[] {"mset", "a", "1", "b"}, List.of("a", "b")),
      c(new String[] {"ping"}, new Err("ERR wrong number of arguments for 'command|getkeys' command")),
      c(new String[] {"echo"}, new Err("ERR wrong number of arguments for 'command|getkeys' command")),
      c(new String[] {"echo", "a"}, new Err("ERR The command has no key arguments")),
      c(new String[] {"nosuch", "a"}, new Err("ERR Invalid command specified")),
      c(new String[] {"del", "a", "b", "c"}, List.of("a", "b", "c")),
      c(new String[] {"memory", "usage", "a"}, List.of("a")),
      c(new String[] {"config", "get", "x"}, new Err("ERR The command has no key arguments")),
      c(new String[] {"object", "encoding", "a"}, List.of("a")),
      c(new String[] {"zunion", "2x", "a", "b"}, List.of("a", "b")),
      c(new String[] {"zunionstore", "dst", "2x", "a", "b"}, List.of("a", "b", "dst")),
      c(new String[] {"zunionstore", "dst", "02", "a", "b"}, List.of("a", "b", "dst")),
      c(new String[] {"zunionstore", "dst", "+2", "a", "b"}, List.of("a", "b", "dst")),
      c(new String[] {"zunion", "4294967297", "a"}, List.of("a")),
      c(new String[] {"zunion", "99999999999", "a"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"lmpop", "02", "a", "b", "LEFT"}, List.of("a", "b")),
      c(new String[] {"blmpop", "0", "02", "a", "b", "LEFT"}, List.of("a", "b")),
      c(new String[] {"sintercard", "02", "a", "b"}, List.of("a", "b")),
      c(new String[] {"sintercard", "2x", "a", "b"}, List.of("a", "b")),
      c(new String[] {"zintercard", "2x", "a", "b"}, List.of("a", "b")),
      c(new String[] {"zmpop", "1x", "a", "MIN"}, List.of("a")),
      c(new String[] {"zdiffstore", "dst", "1x", "a"}, List.of("a", "dst")),
      c(new String[] {"sort", "a", "STORE", "STORE", "b"}, List.of("a", "b")),
      c(new String[] {"sort", "a", "get", "store", "b"}, List.of("a")),
      c(new String[] {"sort", "a", "limit", "0", "store", "b"}, List.of("a")),
      c(new String[] {"sort", "a", "LIMIT", "STORE", "b"}, List.of("a")),
      c(new String[] {"sort", "a", "BY"}, List.of("a")),
      c(new String[] {"zunionstore", "dst", "1", "a", "WEIGHTS"}, List.of("dst", "a")),
      c(new String[] {"lmpop", "1", "a"}, new Err("ERR Invalid number of arguments specified for command")),
      c(new String[] {"sintercard", "1"}, new Err("ERR Invalid number of arguments specified for command")),
      c(new String[] {"zunion", "1"}, new Err("ERR Invalid number of arguments specified for command")),
      c(new String[] {"zunionstore", "a", "b", "c"}, new Err("ERR Invalid arguments specified for command")),
      c(new String[] {"lmpop", "2", "a"}, new Err("ERR Invalid number of arguments specified for command")),
      c(new String[] {"blmpop", "0", "2", "a", "b"}, List.of("a", "b")),
      c(new String[] {"blmpop", "0", "1", "a"}, new Err("ERR Invalid number of arguments specified for command")),
      c(new String[] {"bzmpop", "0", "1", "a"}, new Err("ERR Invalid number of arguments specified for command")),
      c(new String[] {"sort_ro", "a", "by", "x", "get", "y"}, List.of("a")),
      c(new String[] {"sort", "a", "STORE", "b", "c"}, List.of("a", "b")),
      c(new String[] {"sort", "a", "store", "b"}, List.of("a", "b")),
      c(new String[] {"echo", "a", "b"}, new Err("ERR The command has no key arguments")),
      c(new String[] {"memory", "nosuch", "a"}, new Err("ERR Invalid command specified")),
      c(new String[] {"memory"}, new Err("ERR wrong number of arguments for 'command|getkeys' command")),
      c(new String[] {"memory", "usage"}, new Err("ERR Invalid number of arguments specified for command")),
      c(new String[] {"memory", "usage", "a", "b"}, List.of("a")),
      c(new String[] {"object"}, new Err("ERR wrong number of arguments for 'command|getkeys' command")),
      c(new String[] {"object", "encoding"}, new Err("ERR Invalid number of arguments specified for command")),
      c(new String[] {"zunion", "4294967298", "a", "b"}, List.of("a", "b")),
      c(new String[] {"get", "a", "b", "c"}, new Err("ERR Invalid number of arguments specified for command")));
    List<String> wrong = new ArrayList<>();
    for (Case k : cases) {
      String[] argv = new String[k.args().length + 2];
      argv[0] = "COMMAND";
      argv[1] = "GETKEYS";
      System.arraycopy(k.args(), 0, argv, 2, k.args().length);
      Object reply = r.exec(argv);
      if (!reply.equals(k.reply())) {
        wrong.add(String.join(" ", k.args()) + " => " + reply + ", Redis: " + k.reply());
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void infoReportsMovableKeysAndTheKeySpecs() {
    List<Object> zunionstore = info("zunionstore");
    assertThat(zunionstore.subList(0, 6)).isEqualTo(List.of("zunionstore", -4L, List.of("write", "denyoom", "movablekeys"), 1L, 1L, 1L));
    assertThat(zunionstore.get(8)).isEqualTo(List.of(
        List.of("flags", List.of("OW", "update"), "begin_search", List.of("type", "index", "spec", List.of("index", 1L)),
            "find_keys", List.of("type", "range", "spec", List.of("lastkey", 0L, "keystep", 1L, "limit", 0L))),
        List.of("flags", List.of("RO", "access"), "begin_search", List.of("type", "index", "spec", List.of("index", 2L)),
            "find_keys", List.of("type", "keynum", "spec", List.of("keynumidx", 0L, "firstkey", 1L, "keystep", 1L)))));

    List<Object> blmpop = info("blmpop");
    assertThat(blmpop.subList(0, 6)).isEqualTo(List.of("blmpop", -5L, List.of("write", "blocking", "movablekeys"), 0L, 0L, 0L));
    assertThat(blmpop.get(8)).isEqualTo(List.of(
        List.of("flags", List.of("RW", "access", "delete"), "begin_search", List.of("type", "index", "spec", List.of("index", 2L)),
            "find_keys", List.of("type", "keynum", "spec", List.of("keynumidx", 0L, "firstkey", 1L, "keystep", 1L)))));

    List<Object> sortRo = info("sort_ro");
    assertThat(sortRo.subList(0, 6)).isEqualTo(List.of("sort_ro", -2L, List.of("readonly", "movablekeys"), 1L, 1L, 1L));
    assertThat(sortRo.get(8)).isEqualTo(List.of(
        List.of("flags", List.of("RO", "access"), "begin_search", List.of("type", "index", "spec", List.of("index", 1L)),
            "find_keys", List.of("type", "range", "spec", List.of("lastkey", 0L, "keystep", 1L, "limit", 0L))),
        List.of("notes", "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the "
            + "content of the key we sort", "flags", List.of("RO", "access"), "begin_search", List.of("type", "unknown", "spec",
            List.of()), "find_keys", List.of("type", "unknown", "spec", List.of()))));

    for (String name : new String[] {"zunion", "zinter", "zdiff", "zintercard", "zinterstore", "zdiffstore", "sintercard",
        "lmpop", "zmpop", "bzmpop", "sort"}) {
      assertThat((List<Object>) info(name).get(2)).as(name).contains("movablekeys");
    }
    assertThat((List<Object>) info("get").get(2)).doesNotContain("movablekeys");
    assertThat(info("command|getkeys").get(1)).isEqualTo(-4L);
  }

  @SuppressWarnings("unchecked")
  private List<Object> info(String name) {
    return (List<Object>) ((List<Object>) r.exec("COMMAND", "INFO", name)).get(0);
  }

  @Test
  void atoiIsGlibcs() {
    for (String[] io : new String[][] {{"12", "12"}, {" 7x", "7"}, {"+3", "3"}, {"-2", "-2"}, {"x", "0"}, {"", "0"},
        {"4294967297", "1"}, {"99999999999999999999", "-1"}, {"-99999999999999999999", "0"}}) {
      assertThat(GetKeys.atoi(io[0].getBytes(StandardCharsets.US_ASCII))).as(io[0]).isEqualTo(Integer.parseInt(io[1]));
    }
  }
}

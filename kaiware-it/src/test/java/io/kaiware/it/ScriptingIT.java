package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaiware.command.script.LuaEngine;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Lua scripting over real sockets with unmodified Jedis (RESP2) and Lettuce (RESP3), on the default
 * server: a durable one-member Raft group, so EVAL, SCRIPT LOAD and SCRIPT FLUSH go through the
 * log, EVALSHA is turned into EVAL before it, and read-only scripts run as reads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ScriptingIT {

  @RegisterExtension
  static final KaiwareServerExtension server = new KaiwareServerExtension();

  @Test
  void evalEvalshaAndTheScriptCacheThroughJedis() {
    try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      jedis.del("j:counter", "j:k");
      assertThat(jedis.eval("return redis.call('incrby', KEYS[1], ARGV[1])", 1, "j:counter", "5")).isEqualTo(5L);
      String sha = jedis.scriptLoad("return redis.call('incrby', KEYS[1], ARGV[1])");
      assertThat(sha).isEqualTo(LuaEngine.sha1hex("return redis.call('incrby', KEYS[1], ARGV[1])".getBytes(StandardCharsets.UTF_8)));
      assertThat(jedis.scriptExists(sha)).isTrue();
      assertThat(jedis.evalsha(sha, 1, "j:counter", "2")).isEqualTo(7L);
      assertThat(jedis.get("j:counter")).isEqualTo("7");
      assertThatThrownBy(() -> jedis.evalsha("ffd632c7d33e571e9f24556ebed26c3479a87130", 0))
          .isInstanceOf(JedisNoScriptException.class).hasMessage("NOSCRIPT No matching script. Please use EVAL.");
      assertThat(jedis.eval("return {1, 'two', {ok='OK'}, {3}}")).isEqualTo(List.of(1L, "two", "OK", List.of(3L)));
      assertThatThrownBy(() -> jedis.eval("return redis.call('nosuch')"))
          .isInstanceOf(JedisDataException.class)
          .hasMessageStartingWith("ERR Unknown Redis command called from script script: ")
          .hasMessageEndingWith(", on @user_script:1.");
      assertThatThrownBy(() -> jedis.eval("a = 1")).hasMessageContaining("Attempt to modify a readonly table");
      assertThatThrownBy(() -> jedis.eval("return 1", 2, "x")).hasMessage("ERR Number of keys can't be greater than number of args");

      // pipelined EVALs keep their order with the writes around them
      Pipeline p = jedis.pipelined();
      p.set("j:k", "1");
      p.eval("return redis.call('incr', KEYS[1])", 1, "j:k");
      p.get("j:k");
      p.evalsha(sha, 1, "j:k", "10");
      assertThat(p.syncAndReturnAll()).containsExactly("OK", 2L, "2", 12L);

      assertThat(jedis.scriptFlush()).isEqualTo("OK");
      assertThat(jedis.scriptExists(sha)).isFalse();
      assertThatThrownBy(() -> jedis.evalsha(sha, 1, "j:counter", "1")).isInstanceOf(JedisNoScriptException.class);
    }
  }

  @Test
  void evalInsideMultiRunsInTheExecBlock() {
    try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      jedis.del("m:a", "m:b");
      String sha = jedis.scriptLoad("return redis.call('rpush', KEYS[1], ARGV[1])");
      Transaction tx = jedis.multi();
      tx.eval("return redis.call('set', KEYS[1], ARGV[1])", 1, "m:a", "x");
      tx.evalsha(sha, 1, "m:b", "y");
      tx.get("m:a");
      assertThat(tx.exec()).containsExactly("OK", 1L, "x");

      // A script loaded inside the same block is known to the EVALSHA after it.
      String body = "return redis.call('rpush', KEYS[1], 'z')";
      String newSha = LuaEngine.sha1hex(body.getBytes(StandardCharsets.UTF_8));
      jedis.scriptFlush();
      tx = jedis.multi();
      tx.sendCommand(redis.clients.jedis.Protocol.Command.SCRIPT, "LOAD", body);
      tx.evalsha(newSha, 1, "m:b");
      List<Object> replies = tx.exec();
      assertThat(redis.clients.jedis.util.SafeEncoder.encode((byte[]) replies.get(0))).isEqualTo(newSha);
      assertThat(replies.get(1)).isEqualTo(2L);
      assertThat(jedis.lrange("m:b", 0, -1)).containsExactly("y", "z");
    }
  }

  @Test
  void readOnlyScripts() {
    try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      jedis.set("ro:k", "v");
      assertThat(jedis.evalReadonly("return redis.call('get', KEYS[1])", List.of("ro:k"), List.of())).isEqualTo("v");
      assertThatThrownBy(() -> jedis.evalReadonly("return redis.call('del', KEYS[1])", List.of("ro:k"), List.of()))
          .hasMessageStartingWith("ERR Write commands are not allowed from read-only scripts.");
      String sha = jedis.scriptLoad("#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])");
      assertThat(jedis.evalshaReadonly(sha, List.of("ro:k"), List.of())).isEqualTo("v");
      assertThat(jedis.evalsha(sha, 1, "ro:k")).isEqualTo("v");
      assertThat(jedis.eval("#!lua flags=no-writes\nreturn redis.call('strlen', KEYS[1])", 1, "ro:k")).isEqualTo(1L);
      assertThatThrownBy(() -> jedis.eval("#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], 'w')", 1, "ro:k"))
          .hasMessageStartingWith("ERR Write commands are not allowed from read-only scripts.");
      assertThat(jedis.get("ro:k")).isEqualTo("v");
    }
  }

  @Test
  void evalThroughLettuceOverResp3() {
    RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> sync = connection.sync();
      sync.del("l:h");
      sync.hset("l:h", "f", "v");
      Object map = sync.eval("redis.setresp(3) return redis.call('hgetall', KEYS[1])", ScriptOutputType.MULTI, "l:h");
      assertThat(map).isEqualTo(List.of("f", "v"));
      String sha = sync.scriptLoad("return redis.call('hget', KEYS[1], ARGV[1])");
      assertThat((String) sync.evalsha(sha, ScriptOutputType.VALUE, new String[] {"l:h"}, "f")).isEqualTo("v");
      assertThat((Long) sync.eval("return 42", ScriptOutputType.INTEGER)).isEqualTo(42L);
      assertThat((Boolean) sync.eval("redis.setresp(3) return true", ScriptOutputType.BOOLEAN)).isTrue();
      assertThat((String) sync.evalReadOnly("return redis.call('hget', KEYS[1], 'f')", ScriptOutputType.VALUE,
          new String[] {"l:h"})).isEqualTo("v");
      assertThat(sync.scriptExists(sha)).containsExactly(true);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void runawayScriptEndsWithAnErrorAndTheServerGoesOn() {
    try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      jedis.configSet("lua-max-instructions", "1000000");
      try {
        jedis.del("run:k");
        assertThatThrownBy(() -> jedis.eval("redis.call('set', KEYS[1], 'written') while true do end", 1, "run:k"))
            .hasMessageStartingWith("ERR Script exceeded lua-max-instructions (1000000 Lua instructions)");
        assertThat(jedis.get("run:k")).isEqualTo("written");
        assertThatThrownBy(jedis::scriptKill).hasMessage("NOTBUSY No scripts in execution right now.");
      } finally {
        jedis.configSet("lua-max-instructions", "200000000");
      }
      assertThat(jedis.ping()).isEqualTo("PONG");
      String info = jedis.info("commandstats");
      assertThat(info).contains("cmdstat_eval:").contains("cmdstat_set:");
    }
  }
}

package io.kaiware.command.script;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EVAL and friends against Redis 7.0 (cases from tests/unit/scripting.tcl and script_lua.c). */
class ScriptCommandsTest {

  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
  }

  private Object eval(String script, String... keysAndArgs) {
    String[] argv = new String[keysAndArgs.length + 2];
    argv[0] = "EVAL";
    argv[1] = script;
    System.arraycopy(keysAndArgs, 0, argv, 2, keysAndArgs.length);
    return r.exec(argv);
  }

  private static String sha(String script) {
    return LuaEngine.sha1hex(script.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  // ---------------------------------------------------------------- Lua -> reply

  @Test
  void luaValuesBecomeReplies() {
    assertThat(eval("return 'hello'", "0")).isEqualTo("hello");
    assertThat(eval("return 100.5", "0")).isEqualTo(100L);
    assertThat(eval("return -3.9", "0")).isEqualTo(-3L);
    assertThat(eval("return true", "0")).isEqualTo(1L);
    assertThat(eval("return false", "0")).isNull();
    assertThat(eval("return nil", "0")).isNull();
    assertThat(eval("return {ok='fine'}", "0")).isEqualTo("fine");
    assertThat(eval("return {err='ERR this is an error'}", "0")).isEqualTo(new Err("ERR this is an error"));
    assertThat(eval("return {1,2,3,'ciao',{1,2}}", "0")).isEqualTo(List.of(1L, 2L, 3L, "ciao", List.of(1L, 2L)));
    assertThat(eval("return {1,2,nil,4}", "0")).isEqualTo(List.of(1L, 2L)); // truncated at the first nil
    assertThat(eval("return _G", "0")).isEqualTo(List.of());
    assertThat(eval("local a = {}; setmetatable(a,{__index=function() foo() end}) return a", "0")).isEqualTo(List.of());
    assertThat(eval("return redis.status_reply('PONG')", "0")).isEqualTo("PONG");
    assertThat(eval("return redis.error_reply('My Error')", "0")).isEqualTo(new Err("My Error"));
    assertThat(eval("return redis.error_reply('-MY_ERR_CODE custom msg')", "0")).isEqualTo(new Err("MY_ERR_CODE custom msg"));
  }

  @Test
  void keysAndArgvArePopulated() {
    assertThat(eval("return {KEYS[1],KEYS[2],ARGV[1],ARGV[2]}", "2", "a", "b", "c", "d"))
        .isEqualTo(List.of("a", "b", "c", "d"));
    assertThat(eval("return #KEYS + #ARGV * 10", "0", "x", "y")).isEqualTo(20L);
  }

  @Test
  void resp3RepliesFromScripts() {
    r.exec("HELLO", "3");
    assertThat(eval("redis.setresp(3); return true", "0")).isEqualTo(true);
    assertThat(eval("redis.setresp(3); return false", "0")).isEqualTo(false);
    assertThat(eval("return false", "0")).isNull();
    assertThat(eval("return {double=3.5}", "0")).isEqualTo(3.5);
    assertThat(r.execRaw("EVAL", "return {big_number='123456789012345678901234567890'}", "0"))
        .isEqualTo("(123456789012345678901234567890\r\n");
    assertThat(r.execRaw("EVAL", "return {verbatim_string={format='txt', string='hi'}}", "0")).isEqualTo("=6\r\ntxt:hi\r\n");
    assertThat(eval("return {map={a=1}}", "0")).isEqualTo(Map.of("a", 1L));
    assertThat(eval("return {set={a=true}}", "0")).isEqualTo(List.of("a"));
    r.exec("HSET", "hash", "field", "value");
    assertThat(eval("redis.setresp(3); return redis.call('hgetall', KEYS[1])", "1", "hash")).isEqualTo(Map.of("field", "value"));
    assertThat(eval("redis.setresp(2); return redis.call('hgetall', KEYS[1])", "1", "hash")).isEqualTo(List.of("field", "value"));
    r.exec("HELLO", "2");
    assertThat(eval("redis.setresp(3); return redis.call('hgetall', KEYS[1])", "1", "hash")).isEqualTo(List.of("field", "value"));
    assertThat(eval("return {double=3.5}", "0")).isEqualTo("3.5");
  }

  // ---------------------------------------------------------------- reply -> Lua

  @Test
  void repliesBecomeLuaValues() {
    r.exec("SET", "x", "0");
    assertThat(eval("local foo = redis.pcall('incr',KEYS[1]) return {type(foo),foo}", "1", "x")).isEqualTo(List.of("number", 1L));
    r.exec("SET", "mykey", "myval");
    assertThat(eval("local foo = redis.pcall('get',KEYS[1]) return {type(foo),foo}", "1", "mykey")).isEqualTo(List.of("string", "myval"));
    r.exec("RPUSH", "mylist", "a", "b", "c");
    assertThat(eval("local foo = redis.pcall('lrange',KEYS[1],0,-1) return {type(foo),foo[1],foo[2],foo[3],#foo}", "1", "mylist"))
        .isEqualTo(List.of("table", "a", "b", "c", 3L));
    assertThat(eval("local foo = redis.pcall('set',KEYS[1],'myval') return {type(foo),foo['ok']}", "1", "mykey"))
        .isEqualTo(List.of("table", "OK"));
    assertThat(eval("local foo = redis.pcall('incr',KEYS[1]) return {type(foo),foo['err']}", "1", "mykey"))
        .isEqualTo(List.of("table", "ERR value is not an integer or out of range"));
    assertThat(eval("local foo = redis.pcall('get','nokey') return {type(foo),foo == false}", "0")).isEqualTo(List.of("boolean", 1L));
    r.exec("HELLO", "3");
    assertThat(eval("redis.setresp(3); local v = redis.call('get','nokey') return v == nil", "0")).isEqualTo(true);
    r.exec("ZADD", "z", "1.5", "m");
    assertThat(eval("redis.setresp(3); return redis.call('zscore','z','m')['double']", "0")).isEqualTo(1L);
  }

  @Test
  void numbersBecomeArgumentsWithSeventeenDigits() {
    assertThat(eval("redis.call('set','foo',9007199254740991) return redis.call('get','foo')", "0")).isEqualTo("9007199254740991");
    assertThat(eval("redis.call('set','foo',3.14) return redis.call('get','foo')", "0")).isEqualTo("3.1400000000000001");
    assertThat(eval("redis.call('set','foo','12039611435714932082') return redis.call('get','foo')", "0")).isEqualTo("12039611435714932082");
  }

  // ---------------------------------------------------------------- errors

  @Test
  void argumentErrors() {
    assertThat(eval("return 1", "-1")).isEqualTo(new Err("ERR Number of keys can't be negative"));
    assertThat(eval("return 1", "2", "a")).isEqualTo(new Err("ERR Number of keys can't be greater than number of args"));
    assertThat(eval("return 1", "x")).isEqualTo(new Err("ERR value is not an integer or out of range"));
    assertThat(r.exec("EVALSHA", "NotValidShaSUM", "0")).isEqualTo(new Err(LuaEngine.NOSCRIPT));
    assertThat(r.exec("EVALSHA", "ffd632c7d33e571e9f24556ebed26c3479a87130", "0")).isEqualTo(new Err(LuaEngine.NOSCRIPT));
  }

  @Test
  void errorsFromCommandsCalledByScripts() {
    assertThat(eval("return redis.call('nosuchcommand')", "0"))
        .isEqualTo(new Err("ERR Unknown Redis command called from script script: " + sha("return redis.call('nosuchcommand')")
            + ", on @user_script:1."));
    assertThat(eval("redis.call('set','invalid')", "0").toString())
        .startsWith("-ERR Wrong number of args calling Redis command from script script: ");
    assertThat(eval("return redis.pcall('blpop','x',0)", "0")).isEqualTo(new Err("ERR This Redis command is not allowed from script"));
    assertThat(eval("return redis.pcall('xread','BLOCK',0,'STREAMS','s','$')", "0"))
        .isEqualTo(new Err("ERR xread command is not allowed with BLOCK option from scripts"));
    assertThat(eval("redis.call()", "0").toString()).contains("Please specify at least one argument for this redis lib call");
    assertThat(eval("return redis.call('set', 'x', {})", "0").toString())
        .startsWith("-ERR Lua redis lib command arguments must be strings or integers script:");
    r.exec("SET", "foo", "bar");
    assertThat(eval("redis.call('lpush', 'foo', 'x')", "0").toString())
        .isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value script: "
            + sha("redis.call('lpush', 'foo', 'x')") + ", on @user_script:1.");
    assertThat(eval("return redis.pcall('config','get','x','y','z')", "0")).isNotNull();
  }

  @Test
  void luaRuntimeAndCompileErrors() {
    String s = "local a = nil\nreturn a.b";
    assertThat(eval(s, "0").toString()).startsWith("-ERR user_script:2: ").endsWith(" script: " + sha(s) + ", on @user_script:2.");
    assertThat(eval("error('boom')", "0").toString()).startsWith("-ERR user_script:1: boom script: ");
    assertThat(eval("error({err='MYERR custom'})", "0").toString()).startsWith("-MYERR custom script: ");
    assertThat(eval("return = 1", "0").toString()).startsWith("-ERR Error compiling script (new function): user_script:1:");
  }

  @Test
  void pcallCatchesErrorsAsRedis7Does() {
    assertThat(eval("local ok, e = pcall(function() redis.call('incr','nokey','x') end) return {tostring(ok), e}", "0"))
        .isEqualTo(List.of("false", "ERR Wrong number of args calling Redis command from script"));
    assertThat(eval("local ok, e = pcall(function() error('x') end) return {tostring(ok), e}", "0"))
        .isEqualTo(List.of("false", "user_script:1: x"));
  }

  // ---------------------------------------------------------------- sandbox

  @Test
  void globalsAreProtected() {
    assertThat(eval("return a", "0").toString()).contains("Script attempted to access nonexistent global variable 'a'");
    assertThat(eval("a = 10", "0").toString()).startsWith("-ERR ").contains("Attempt to modify a readonly table");
    assertThat(eval("setmetatable(_G, {})", "0").toString()).contains("Attempt to modify a readonly table");
    assertThat(eval("local g = getmetatable(_G) g.__index = {}", "0").toString()).contains("Attempt to modify a readonly table");
    assertThat(eval("redis = function() return 1 end", "0").toString()).contains("Attempt to modify a readonly table");
    assertThat(eval("_G = {}", "0").toString()).contains("Attempt to modify a readonly table");
    assertThat(eval("redis.call = function() return 1 end", "0").toString()).contains("Attempt to modify a readonly table");
    assertThat(eval("bit.lshift = function() return 1 end", "0").toString()).contains("Attempt to modify a readonly table");
    assertThat(eval("string.upper = nil", "0").toString()).contains("Attempt to modify a readonly table");
    assertThat(eval("table.insert(math, 1)", "0").toString()).contains("Attempt to modify a readonly table");
    assertThat(eval("getmetatable('').__index = {}", "0").toString()).contains("Attempt to modify a readonly table");
    for (String absent : new String[] {"loadfile", "dofile", "print", "os", "io", "require", "debug", "package"}) {
      assertThat(eval("return " + absent + " ~= nil", "0").toString()).as(absent)
          .contains("Script attempted to access nonexistent global variable '" + absent + "'");
    }
    assertThat(eval("return loadstring(string.dump(function() return 1 end))()", "0").toString()).contains("attempt to call");
    // Scripts still work after all that: nothing was left behind.
    assertThat(eval("return ('abc'):upper() .. unpack({'x'}) .. tostring(type(redis.call))", "0")).isEqualTo("ABCxfunction");
  }

  @Test
  void redisHelpers() {
    assertThat(eval("return redis.sha1hex('')", "0")).isEqualTo("da39a3ee5e6b4b0d3255bfef95601890afd80709");
    assertThat(eval("return redis.sha1hex('Pizza & Mandolino')", "0")).isEqualTo("74822d82031af7493c20eefa13bd07ec4fada82f");
    assertThat(eval("return redis.REDIS_VERSION", "0")).isEqualTo("7.0.15");
    assertThat(eval("return redis.REDIS_VERSION_NUM", "0")).isEqualTo(0x0007000fL);
    assertThat(eval("return {redis.replicate_commands(), redis.breakpoint()}", "0")).isEqualTo(java.util.Arrays.asList(1L, null));
    assertThat(eval("redis.set_repl(redis.REPL_ALL) redis.debug('x') redis.log(redis.LOG_WARNING, 'hi') return redis.LOG_NOTICE", "0"))
        .isEqualTo(2L);
    assertThat(eval("redis.set_repl(12)", "0").toString()).contains("Invalid replication flags");
    assertThat(eval("redis.setresp(4)", "0").toString()).contains("RESP version must be 2 or 3.");
    assertThat(eval("return bit.band(0xff, 0x0f) + bit.tobit(0xffffffff)", "0")).isEqualTo(14L);
    assertThat(eval("return bit.tohex(65535)", "0")).isEqualTo("0000ffff");
    assertThat(eval("return _VERSION", "0")).isEqualTo("Lua 5.1");
  }

  @Test
  void cjsonEncodesAndDecodesAsRedisBundlesIt() {
    assertThat(eval("local d = cjson.decode('{\"keya\": \"a\", \"keyb\": \"b\"}') return {d.keya, d.keyb}", "0"))
        .isEqualTo(List.of("a", "b"));
    assertThat(eval("return cjson.encode({1, 'two', true, {x=1.5}})", "0")).isEqualTo("[1,\"two\",true,{\"x\":1.5}]");
    assertThat(eval("return cjson.encode({})", "0")).isEqualTo("{}");
    assertThat(eval("return cjson.encode('a/b\\n')", "0")).isEqualTo("\"a\\/b\\n\""); // a newline written as \n, '/' as \/
    assertThat(eval("return cjson.decode('[1,null,3]')[2] == cjson.null", "0")).isEqualTo(1L);
    assertThat(eval("return table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')", "0"))
        .isEqualTo("0 -5000 -1 0.0003 1023.2 0");
    assertThat(eval("return table.concat({1, 'a', 2.5}, ',', 2)", "0")).isEqualTo("a,2.5");
    assertThat(eval("local t = {} t[false] = 1 return cjson.encode(t)", "0").toString())
        .contains("Cannot serialise boolean: table key must be a number or string");
    assertThat(eval("return cjson.encode({n=0/0})", "0").toString()).contains("Cannot serialise number: must not be NaN or Inf");
    assertThat(eval("cjson.encode_max_depth(1) return cjson.encode({{1}})", "0").toString()).contains("excessive nesting");
    // settings last for one call only: nothing carries over to the next script
    assertThat(eval("return cjson.encode({{1}})", "0")).isEqualTo("[[1]]");
    assertThat(eval("cjson.encode = nil", "0").toString()).contains("Attempt to modify a readonly table");
    assertThat(eval("return cjson.decode('{\"a\": [1, 2')", "0").toString()).contains("Expected");
  }

  @Test
  void randomIsRedisRand48AndSeedable() {
    Object a = eval("math.randomseed(ARGV[1]); return tostring(math.random())", "0", "10");
    Object b = eval("math.randomseed(ARGV[1]); return tostring(math.random())", "0", "10");
    Object c = eval("math.randomseed(ARGV[1]); return tostring(math.random())", "0", "20");
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
    Object first = eval("return tostring(math.random())", "0");
    Object second = eval("return tostring(math.random())", "0");
    assertThat(first).isNotEqualTo(second);
    assertThat(eval("local n = math.random(3, 5) return n >= 3 and n <= 5", "0")).isEqualTo(1L);
  }

  // ---------------------------------------------------------------- the cache and SCRIPT

  @Test
  void scriptLoadExistsFlushAndEvalsha() {
    r.exec("SET", "mykey", "myval");
    String sha = (String) r.exec("SCRIPT", "LOAD", "return redis.call('get',KEYS[1])");
    assertThat(sha).isEqualTo("fd758d1589d044dd850a6f05d52f2eefd27f033f");
    assertThat(r.exec("EVALSHA", sha, "1", "mykey")).isEqualTo("myval");
    assertThat(r.exec("EVALSHA", sha.toUpperCase(), "1", "mykey")).isEqualTo("myval");
    assertThat(r.exec("SCRIPT", "EXISTS", sha, "ffd632c7d33e571e9f24556ebed26c3479a87130")).isEqualTo(List.of(1L, 0L));
    assertThat(r.exec("SCRIPT", "FLUSH", "ASYNC")).isEqualTo("OK");
    assertThat(r.exec("SCRIPT", "EXISTS", sha)).isEqualTo(List.of(0L));
    assertThat(r.exec("SCRIPT", "FLUSH", "BAD")).isEqualTo(new Err("ERR SCRIPT FLUSH only support SYNC|ASYNC option"));
    assertThat(r.exec("SCRIPT", "KILL")).isEqualTo(new Err("NOTBUSY No scripts in execution right now."));
    assertThat(r.exec("SCRIPT", "LOAD", "return = ")).isInstanceOf(Err.class);
    assertThat(((List<?>) r.exec("SCRIPT", "HELP")).get(0)).isEqualTo("SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    eval("return 1", "0");
    assertThat(r.exec("SCRIPT", "EXISTS", sha("return 1"))).isEqualTo(List.of(1L));
  }

  @Test
  void evalshaFromTheLogIsNeverResolvedAgainstTheLocalCache() {
    String sha = (String) r.exec("SCRIPT", "LOAD", "return 1");
    r.session().markLogApplier();
    assertThat(r.exec("EVALSHA", sha, "0")).isEqualTo(new Err(LuaEngine.NOSCRIPT));
    assertThat(r.exec("EVAL", "return 1", "0")).isEqualTo(1L);
  }

  // ---------------------------------------------------------------- read-only scripts and shebangs

  @Test
  void readOnlyScripts() {
    r.exec("SET", "k", "v");
    assertThat(r.exec("EVAL_RO", "return redis.call('get', KEYS[1])", "1", "k")).isEqualTo("v");
    assertThat(r.exec("EVAL_RO", "redis.call('del', KEYS[1])", "1", "k").toString())
        .startsWith("-ERR Write commands are not allowed from read-only scripts. script:");
    assertThat(r.exec("EVAL", "#!lua flags=no-writes\nreturn redis.call('set','x','y')", "0").toString())
        .startsWith("-ERR Write commands are not allowed from read-only scripts. script:");
    assertThat(r.exec("EVAL_RO", "#!lua\nreturn 1", "0")).isEqualTo(new Err("ERR Can not execute a script with write flag using *_ro command."));
    assertThat(r.exec("EVAL", "#!lua flags=no-writes,allow-oom\nreturn redis.call('get','k')", "0")).isEqualTo("v");
    assertThat(r.exec("EVAL", "#!lua flags=bad-flag\nreturn 1", "0")).isEqualTo(new Err("ERR Unexpected flag in script shebang: bad-flag"));
    assertThat(r.exec("EVAL", "#!lua name=x\nreturn 1", "0")).isEqualTo(new Err("ERR Unknown lua shebang option: name=x"));
    assertThat(r.exec("EVAL", "#!python\nreturn 1", "0")).isEqualTo(new Err("ERR Unexpected engine in script shebang: #!python"));
    assertThat(r.exec("EVAL", "#!lua", "0")).isEqualTo(new Err("ERR Invalid script shebang"));
    assertThat(r.exec("EVAL", "#!lua\nreturn x", "0").toString()).endsWith("on @user_script:2.");
    String sha = (String) r.exec("SCRIPT", "LOAD", "return redis.call('get', KEYS[1])");
    assertThat(r.exec("EVALSHA_RO", sha, "1", "k")).isEqualTo("v");
  }

  // ---------------------------------------------------------------- semantics

  @Test
  void selectInsideAScriptDoesNotAffectTheCaller() {
    r.exec("SELECT", "10");
    r.exec("SET", "mykey", "this is DB 10");
    assertThat(eval("return redis.pcall('get',KEYS[1])", "1", "mykey")).isEqualTo("this is DB 10");
    assertThat(eval("return redis.pcall('select','9')", "0")).isEqualTo("OK");
    assertThat(r.exec("GET", "mykey")).isEqualTo("this is DB 10");
  }

  @Test
  void evalInsideMultiRunsInTheExecBlock() {
    r.exec("MULTI");
    assertThat(eval("return redis.call('incr', KEYS[1])", "1", "c")).isEqualTo("QUEUED");
    assertThat(eval("return redis.call('incr', KEYS[1])", "1", "c")).isEqualTo("QUEUED");
    assertThat(r.exec("EXEC")).isEqualTo(List.of(1L, 2L));
  }

  @Test
  void layoutDependentRepliesAreSortedAndNonDeterministicReadsAreRefusedInWritingScripts() {
    r.exec("SADD", "s", "c", "a", "b", "10", "2");
    assertThat(eval("return redis.call('smembers', KEYS[1])", "1", "s")).isEqualTo(List.of("10", "2", "a", "b", "c"));
    assertThat(eval("return redis.call('sort', KEYS[1], 'by', 'nosort')", "1", "s")).isEqualTo(List.of("10", "2", "a", "b", "c"));
    r.exec("HSET", "h", "z", "1", "y", "2", "x", "3");
    assertThat(eval("return redis.call('hgetall', KEYS[1])", "1", "h")).isEqualTo(List.of("x", "3", "y", "2", "z", "1"));
    assertThat(eval("return redis.call('hkeys', KEYS[1])", "1", "h")).isEqualTo(List.of("x", "y", "z"));
    r.exec("SET", "k2", "v");
    r.exec("SET", "k1", "v");
    assertThat(eval("return redis.call('keys', 'k*')", "0")).isEqualTo(List.of("k1", "k2"));
    assertThat(eval("return redis.call('srandmember', KEYS[1])", "1", "s").toString())
        .startsWith("-ERR SRANDMEMBER is not allowed from a script that may write");
    assertThat(eval("return redis.pcall('randomkey')", "0").toString()).startsWith("-ERR RANDOMKEY is not allowed");
    assertThat(r.exec("EVAL_RO", "return redis.call('srandmember', KEYS[1])", "1", "s")).isNotNull();
    assertThat(r.exec("EVAL", "#!lua flags=no-writes\nreturn redis.call('scan', '0')", "0")).isInstanceOf(List.class);
  }

  @Test
  void timeInsideAScriptIsTheCommandTime() {
    r.now(1_800_000_000_123L);
    assertThat(eval("return redis.call('time')", "0")).isEqualTo(List.of("1800000000", "123000"));
  }

  @Test
  void instructionLimitEndsARunawayScriptWithAnErrorAndKeepsItsWrites() {
    r.exec("CONFIG", "SET", "lua-max-instructions", "100000");
    String s = "redis.call('set','before','1') while true do end";
    assertThat(eval(s, "0").toString()).startsWith("-ERR Script exceeded lua-max-instructions (100000 Lua instructions) script: ");
    assertThat(r.exec("GET", "before")).isEqualTo("1");
    // pcall cannot swallow it
    assertThat(eval("local ok = pcall(function() while true do end end) redis.call('set','after','1') return 1", "0").toString())
        .contains("lua-max-instructions");
    assertThat(r.exec("GET", "after")).isNull();
    // nor can a chunk loaded with another environment escape the count
    assertThat(eval("local f = load('while true do end') f()", "0").toString()).contains("lua-max-instructions");
    assertThat(eval("return 1", "0")).isEqualTo(1L);
    assertThat(r.exec("CONFIG", "GET", "lua-time-limit")).isEqualTo(List.of("lua-time-limit", "5000"));
    assertThat(r.exec("CONFIG", "SET", "busy-reply-threshold", "100")).isEqualTo("OK");
  }

  // ---------------------------------------------------------------- busy scripts, SCRIPT KILL, probes

  private static final Err BUSY = new Err(LuaEngine.BUSY);

  /** multi.tcl's "MULTI and script timeout", and scripting.tcl's read-only kill, on one engine. */
  @Test
  void aTimedOutScriptAnswersOthersBusyAndScriptKillEndsIt() {
    r.exec("SET", "xx", "1");
    assertThat(r.exec("CONFIG", "SET", "lua-time-limit", "0")).isEqualTo("OK");
    CommandHarness inMulti = r.otherClient();
    CommandHarness killer = r.otherClient();
    List<Object> seen = new java.util.ArrayList<>();
    r.hooks().whileBusy = () -> {
      if (seen.isEmpty()) {
        seen.add(inMulti.exec("PING"));
        seen.add(inMulti.exec("MULTI")); // ALLOW_BUSY
        seen.add(inMulti.exec("INCR", "xx")); // refused: condemns the transaction
        seen.add(killer.exec("SCRIPT", "KILL"));
      }
    };
    Object reply = eval("local f = function() while true do end end while true do pcall(f) end", "0");
    assertThat(reply.toString()).startsWith("-ERR Script killed by user with SCRIPT KILL... script: ")
        .endsWith(", on @user_script:1.");
    assertThat(seen).containsExactly(BUSY, "OK", BUSY, "OK");
    r.hooks().whileBusy = null;
    assertThat(inMulti.exec("INCR", "xx")).isEqualTo("QUEUED");
    assertThat(inMulti.exec("EXEC")).isEqualTo(new Err("EXECABORT Transaction discarded because of previous errors."));
    assertThat(r.exec("GET", "xx")).isEqualTo("1");
    assertThat(inMulti.exec("PING")).isEqualTo("PONG");
    assertThat(killer.exec("SCRIPT", "KILL")).isEqualTo(new Err("NOTBUSY No scripts in execution right now."));
  }

  /** multi.tcl's "just EXEC and script timeout": a refused EXEC discards the transaction. */
  @Test
  void anExecRefusedByABusyScriptAbortsItsTransaction() {
    r.exec("SET", "xx", "1");
    r.exec("CONFIG", "SET", "busy-reply-threshold", "0");
    CommandHarness other = r.otherClient();
    assertThat(other.exec("MULTI")).isEqualTo("OK");
    assertThat(other.exec("INCR", "xx")).isEqualTo("QUEUED");
    List<Object> seen = new java.util.ArrayList<>();
    r.hooks().whileBusy = () -> {
      if (seen.isEmpty()) {
        seen.add(other.exec("EXEC"));
        seen.add(other.exec("SCRIPT", "KILL"));
      }
    };
    assertThat(eval("while true do end", "0").toString()).contains("killed by user");
    assertThat(seen.get(0)).isEqualTo(new Err("EXECABORT Transaction discarded because of: " + LuaEngine.BUSY));
    assertThat(seen.get(1)).isEqualTo("OK"); // no longer in MULTI
    assertThat(r.exec("GET", "xx")).isEqualTo("1");
  }

  @Test
  void aScriptThatWroteCannotBeKilled() {
    r.exec("CONFIG", "SET", "lua-time-limit", "0");
    r.exec("CONFIG", "SET", "lua-max-instructions", "2000000");
    CommandHarness other = r.otherClient();
    List<Object> seen = new java.util.ArrayList<>();
    r.hooks().whileBusy = () -> seen.add(other.exec("SCRIPT", "KILL"));
    assertThat(eval("redis.call('set','x','y') while true do end", "0").toString()).contains("lua-max-instructions");
    assertThat(seen).isNotEmpty().allSatisfy(e -> assertThat(e.toString()).startsWith(
        "-UNKILLABLE Sorry the script already executed write commands against the dataset."));
    assertThat(r.exec("GET", "x")).isEqualTo("y");
    // below the threshold nobody is served and nothing is BUSY
    r.exec("CONFIG", "SET", "lua-time-limit", "5000");
    seen.clear();
    assertThat(eval("for i = 1, 300000 do end return 1", "0")).isEqualTo(1L);
    assertThat(seen).isEmpty();
  }

  @Test
  void aScriptWhoseProbesStopAtAWriteAtOnceIsProbedOnlyNowAndThen() {
    LuaEngine engine = r.dispatcher().scripts();
    String script = "if ARGV[1] == 'w' then return redis.call('incr', KEYS[1]) end return 1";
    byte[][] eval = CommandHarness.argv("EVAL", script, "1", "k", "w");
    byte[][] evalsha = CommandHarness.argv("EVALSHA", sha(script).toUpperCase(), "1", "k", "w");
    r.session().scriptProbe(true);
    for (int i = 0; i < LuaEngine.QUICK_WRITES_BEFORE_SKIPPING; i++) {
      assertThat(engine.shouldProbe(eval, false)).isTrue();
      assertThat(r.execRaw("EVAL", script, "1", "k", "w")).isEmpty();
      assertThat(r.session().takeProbeEnd()).isEqualTo(io.kaiware.command.ClientSession.ProbeEnd.NEEDS_LOG);
    }
    int probed = 0;
    for (int i = 0; i < 2 * LuaEngine.PROBE_ONE_IN; i++) {
      probed += engine.shouldProbe(i % 2 == 0 ? eval : evalsha, i % 2 == 1) ? 1 : 0;
    }
    assertThat(probed).isEqualTo(2);
    // a probe that completes (the read branch) makes it probed every time again
    assertThat(eval(script, "1", "k", "r")).isEqualTo(1L);
    assertThat(engine.shouldProbe(eval, false)).isTrue();
    assertThat(engine.shouldProbe(eval, false)).isTrue();
  }

  /** scripting.tcl's "SHUTDOWN NOSAVE can kill a timedout script anyway": even one that wrote. */
  @Test
  void shutdownNosaveEndsABusyScriptThatWrote() {
    r.exec("CONFIG", "SET", "lua-time-limit", "0");
    CommandHarness other = r.otherClient();
    List<Object> seen = new java.util.ArrayList<>();
    r.hooks().whileBusy = () -> {
      if (seen.isEmpty()) {
        seen.add(other.exec("SHUTDOWN"));
        seen.add(other.execRaw("SHUTDOWN", "NOSAVE"));
      }
    };
    assertThat(eval("redis.call('set','x','y') while true do end", "0").toString()).contains("killed by user");
    assertThat(seen).containsExactly(BUSY, "");
    assertThat(other.session().closeAfterReply()).isTrue(); // every connection was closed
  }

  /** A probe (ADR 0006) stops with nothing changed at its first write, pcall or not; a read completes. */
  @Test
  void aProbeStopsAtItsFirstWriteAndCompletesAReadScript() {
    r.exec("SET", "x", "1");
    long writesBefore = r.keyspace().writes();
    for (String script : List.of("local v = redis.call('get','x') redis.call('set','x','2') return v",
        "pcall(redis.call, 'incr', 'x') return 1", "return redis.call('publish', 'ch', 'm')")) {
      r.session().scriptProbe(true);
      assertThat(r.execRaw("EVAL", script, "0")).as(script).isEmpty();
      assertThat(r.session().takeProbeEnd()).as(script).isEqualTo(io.kaiware.command.ClientSession.ProbeEnd.NEEDS_LOG);
    }
    assertThat(r.keyspace().writes()).isEqualTo(writesBefore);
    assertThat(r.takePublished()).isEmpty();
    r.session().scriptProbe(true);
    assertThat(eval("return redis.call('get','x')", "0")).isEqualTo("1");
    assertThat(r.session().takeProbeEnd()).isEqualTo(io.kaiware.command.ClientSession.ProbeEnd.COMPLETED);
    // run from the I/O pass, a probe that outlasts the first hook check stops, to run again from a task
    r.hooks().insideIoPass = true;
    assertThat(eval("return 7", "0")).isEqualTo(7L);
    assertThat(r.session().takeProbeEnd()).isEqualTo(io.kaiware.command.ClientSession.ProbeEnd.COMPLETED);
    assertThat(r.execRaw("EVAL", "for i = 1, 100000 do end return 1", "0")).isEmpty();
    assertThat(r.session().takeProbeEnd()).isEqualTo(io.kaiware.command.ClientSession.ProbeEnd.NEEDS_TASK);
    r.hooks().insideIoPass = false;
    assertThat(eval("for i = 1, 100000 do end return 1", "0")).isEqualTo(1L);
    assertThat(r.session().takeProbeEnd()).isEqualTo(io.kaiware.command.ClientSession.ProbeEnd.COMPLETED);
    r.session().scriptProbe(false);
    assertThat(eval("redis.call('set','x','2') return redis.call('get','x')", "0")).isEqualTo("2");
  }

  @Test
  void returningARecursiveTableStopsAtTheStackLimit() {
    String raw = r.execRaw("EVAL", "local a = {}; local b = {a}; a[1] = b; return a", "0");
    assertThat(raw).startsWith("*1\r\n*1\r\n").endsWith("-ERR reached lua stack limit\r\n");
  }

  @Test
  void commandstatsCountEvalAndTheCommandsItCalls() {
    r.exec("CONFIG", "RESETSTAT");
    eval("redis.call('set','a','1') return redis.call('get','a')", "0");
    String info = (String) r.exec("INFO", "commandstats");
    assertThat(info).contains("cmdstat_eval:calls=1").contains("cmdstat_set:calls=1").contains("cmdstat_get:calls=1");
    String memory = (String) r.exec("INFO", "memory");
    assertThat(memory).contains("number_of_cached_scripts:1");
  }

  @Test
  void commandInfoAndGetkeys() {
    assertThat(r.exec("COMMAND", "GETKEYS", "EVAL", "return 1", "2", "a", "b", "c")).isEqualTo(List.of("a", "b"));
    assertThat(r.exec("COMMAND", "GETKEYS", "EVALSHA_RO", "x", "1", "k")).isEqualTo(List.of("k"));
    List<?> info = (List<?>) ((List<?>) r.exec("COMMAND", "INFO", "eval")).get(0);
    assertThat(info.get(0)).isEqualTo("eval");
    assertThat(info.get(1)).isEqualTo(-3L);
    assertThat(((List<?>) info.get(2)).stream().map(Object::toString).toList()).contains("noscript", "skip_monitor", "may_replicate", "no_mandatory_keys", "stale", "movablekeys")
        .doesNotContain("write");
  }

  // ---------------------------------------------------------------- determinism

  @Test
  void twoEnginesRunningTheSameScriptsReachTheSameDigest() {
    CommandHarness a = new CommandHarness();
    CommandHarness b = new CommandHarness();
    String script = "local n = tonumber(ARGV[1]) for i = 1, n do redis.call('hset', KEYS[1], 'f' .. math.random(1000), i) end "
        + "redis.call('set', KEYS[2], tostring(math.random())) redis.call('pexpire', KEYS[2], 5000) return redis.call('hlen', KEYS[1])";
    for (int i = 0; i < 20; i++) {
      if (i % 7 == 3) {
        // b restarts (a fresh Lua state, its cache gone), as a replica that restarted from a snapshot
        b.dispatcher().scripts().flush();
      }
      for (CommandHarness h : List.of(a, b)) {
        h.now(1_700_000_000_000L + i * 7);
        h.exec("EVAL", "x = " + i, "0"); // fails on both, draws on both
      }
      Object ra = a.exec("EVAL", script, "2", "h" + (i % 3), "s" + i, Integer.toString(10 + i));
      Object rb = b.exec("EVAL", script, "2", "h" + (i % 3), "s" + i, Integer.toString(10 + i));
      assertThat(rb).isEqualTo(ra);
    }
    assertThat(b.exec("DEBUG", "DIGEST")).isEqualTo(a.exec("DEBUG", "DIGEST"));
    assertThat(a.exec("DBSIZE")).isEqualTo(23L);
    assertThat(a.exec("HGETALL", "h1")).isEqualTo(b.exec("HGETALL", "h1"));
  }

  @Test
  void stringFormatAndTostringWriteNumbersAsLua51AndRedisDo() {
    // Every expected value is redis-server 7.0.15's reply to the same script.
    String[][] cases = {
        {"%5.2f", " 3.14"}, {"%.2f", "3.14"}, {"%.3f", "3.142"}, {"%f", "3.141590"}, {"%10.4f", "    3.1416"},
        {"%-8.1f|", "3.1     |"}, {"%e", "3.141590e+00"}, {"%g", "3.14159"}, {"%.14g", "3.14159"}, {"%x", "3"},
        {"%5d", "    3"}, {"%05.1f", "003.1"}, {"%s", "3.14159"}, {"%+.1E", "+3.1E+00"}, {"%#.0f", "3."}};
    for (String[] c : cases) {
      assertThat(eval("return string.format('" + c[0] + "', 3.14159)", "0")).as(c[0]).isEqualTo(c[1]);
    }
    assertThat(eval("return string.format('%.2f', 0.125)", "0")).as("a true tie rounds to even").isEqualTo("0.12");
    assertThat(eval("return string.format('%d items, %.1f%%, %s', 7, 99.95, 'ok')", "0")).isEqualTo("7 items, 100.0%, ok");
    assertThat(eval("return string.format('%g|%g|%g', 100000, 1e20, 0.0001)", "0")).isEqualTo("100000|1e+20|0.0001");
    assertThat(eval("return string.format('%5.1f|%f', 1/0, -1/0)", "0")).isEqualTo("  inf|-inf");
    assertThat(eval("return string.format('%123d', 1)", "0").toString()).contains("invalid format (width or precision too long)");
    assertThat(eval("return tostring(2^53)", "0")).isEqualTo("9.007199254741e+15");
    assertThat(eval("return tostring(0/0)", "0")).isEqualTo("-nan");
    assertThat(eval("return tostring(12)", "0")).isEqualTo("12");
    assertThat(eval("return tostring(-2^63) .. ' ' .. cjson.encode(-2^63)", "0")).isEqualTo("-9.2233720368548e+18 -9.2233720368548e+18");
    assertThat(eval("return math.mod(7, 3)", "0")).isEqualTo(1L);
  }

  @Test
  void errorsAndNumberRepliesReadAsRedis70s() {
    // Each expected text is redis-server 7.0.15's reply to the same script.
    String global = "return nosuchglobal";
    assertThat(eval(global, "0")).isEqualTo(new CommandHarness.Err("ERR user_script:1: Script attempted to access nonexistent "
        + "global variable 'nosuchglobal' script: " + sha(global) + ", on @user_script:1."));
    String recursion = "local function f() return f() + 1 end return f()";
    assertThat(eval(recursion, "0"))
        .isEqualTo(new CommandHarness.Err("ERR user_script:1: stack overflow script: " + sha(recursion) + ", on @user_script:1."));
    assertThat(eval("return math.huge", "0")).isEqualTo(Long.MIN_VALUE);
    assertThat(eval("return 0/0", "0")).isEqualTo(Long.MIN_VALUE);
    assertThat(eval("return {1e19, -1e19, 3.99, -3.99}", "0"))
        .isEqualTo(java.util.List.of(Long.MIN_VALUE, Long.MIN_VALUE, 3L, -3L));
  }

  @Test
  void cjsonDecodeErrorsNameTheTokenFoundAsLuaCjsonDoes() {
    // Each expected text is redis-server 7.0.15's.
    String[][] cases = {
        {"hello", "Expected value but found invalid token at character 1"},
        {"", "Expected value but found T_END at character 1"},
        {"[1,2", "Expected comma or array end but found T_END at character 5"},
        {"{\"a\":1,}", "Expected object key string but found T_OBJ_END at character 8"},
        {"[1 2]", "Expected comma or array end but found T_NUMBER at character 4"},
        {"{\"a\" 1}", "Expected colon but found T_NUMBER at character 6"},
        {"1 2", "Expected the end but found T_NUMBER at character 3"},
        {"[1,]", "Expected value but found T_ARR_END at character 4"},
        {"nul", "Expected value but found invalid token at character 1"},
        {"0x", "Expected the end but found invalid token at character 2"},
        {"inf", "Cannot serialise number: must not be NaN or Inf"}};
    for (String[] c : cases) {
      assertThat(eval("return cjson.encode(cjson.decode(ARGV[1]))", "0", c[0]).toString()).as(c[0])
          .startsWith("-ERR user_script:1: " + c[1] + " script: ");
    }
    assertThat(eval("return cjson.encode(cjson.decode(ARGV[1]))", "0", "[0x10, -0x1F, 1.5e3]")).isEqualTo("[16,-31,1500]");
  }

  @Test
  void tonumberReadsStringsAsLua51sStrtodDoes() {
    // Each expected value is redis-server 7.0.15's reply to the same script and argument.
    String script = "local n = tonumber(ARGV[1]) if n == nil then return 'nil' end return tostring(n)";
    String[][] cases = {{"10", "10"}, {"1.5", "1.5"}, {" 12 ", "12"}, {"1e3", "1000"}, {"0x10", "16"}, {"-0x10", "-16"},
        {"0X1f", "31"}, {"abc", "nil"}, {"", "nil"}, {"inf", "inf"}, {"-inf", "-inf"}, {"1e400", "inf"},
        {"18446744073709551616", "1.844674407371e+19"}, {"99999999999999999999", "1e+20"}, {"  0x10  ", "16"},
        {"0x", "nil"}, {"1 2", "nil"}, {"5.", "5"}, {".5", "0.5"}, {"+5", "5"}, {"0x1p4", "16"}, {"1e", "nil"},
        {"infinity", "inf"}, {"9007199254740993", "9.007199254741e+15"}};
    for (String[] c : cases) {
      assertThat(eval(script, "0", c[0])).as(c[0]).isEqualTo(c[1]);
    }
    assertThat(eval("return tonumber('ff', 16)", "0")).isEqualTo(255L);
    assertThat(eval("return tonumber(ARGV[1])", "0", "18446744073709551616")).isEqualTo(Long.MIN_VALUE);
  }
}

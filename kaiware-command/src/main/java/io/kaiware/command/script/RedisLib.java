package io.kaiware.command.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/** The {@code redis} table of Redis 7.0 (script_lua.c's luaRegisterRedisAPI and eval.c's additions). */
final class RedisLib {
  private RedisLib() {}

  /** The Redis version scripts see: the one Kaiware's replies follow (INFO's redis_version). */
  static final String REDIS_VERSION = io.kaiware.command.connection.RedisCompat.REDIS_VERSION;

  /** {@link #REDIS_VERSION} as Redis encodes it: 0x00MMmmpp (7.0.15 is 0x0007000f). */
  static int versionNum(String version) {
    String[] parts = version.split("\\.");
    int num = 0;
    for (int i = 0; i < 3; i++) {
      num = (num << 8) | (i < parts.length ? Integer.parseInt(parts[i]) : 0);
    }
    return num;
  }

  static LuaTable create(LuaEngine engine) {
    LuaTable redis = new LuaTable();
    redis.rawset("call", fn(args -> engine.call(args, true)));
    redis.rawset("pcall", fn(args -> engine.call(args, false)));
    redis.rawset("sha1hex", fn(args -> {
      if (args.narg() != 1) {
        throw new LuaError(LuaReplies.errorTable("ERR wrong number of arguments"));
      }
      LuaString s = args.arg1().checkstring();
      byte[] b = new byte[s.m_length];
      System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
      return LuaValue.valueOf(LuaEngine.sha1hex(b));
    }));
    redis.rawset("error_reply", fn(args -> {
      if (args.narg() != 1 || args.arg1().type() != LuaValue.TSTRING) {
        return LuaReplies.errorTable("ERR wrong number or type of arguments");
      }
      String err = LuaReplies.latin1(args.arg1().checkstring());
      return LuaReplies.errorTable(err.startsWith("-") ? err : "-" + err);
    }));
    redis.rawset("status_reply", fn(args -> {
      if (args.narg() != 1 || args.arg1().type() != LuaValue.TSTRING) {
        return LuaReplies.errorTable("ERR wrong number or type of arguments");
      }
      LuaTable t = new LuaTable();
      t.rawset("ok", args.arg1());
      return t;
    }));
    redis.rawset("log", fn(args -> {
      int argc = args.narg();
      if (argc < 2) {
        throw new LuaError(LuaReplies.errorTable("ERR redis.log() requires two arguments or more."));
      }
      if (!args.arg1().isnumber()) {
        throw new LuaError(LuaReplies.errorTable("ERR First argument must be a number (log level)."));
      }
      int level = args.arg1().toint();
      if (level < 0 || level > 3) {
        throw new LuaError(LuaReplies.errorTable("ERR Invalid debug level."));
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 2; i <= argc; i++) {
        LuaValue v = args.arg(i);
        if (v.isstring()) {
          if (i != 2) {
            sb.append(' ');
          }
          sb.append(v.tojstring());
        }
      }
      LuaEngine.logFromScript(level, sb.toString());
      return LuaValue.NONE;
    }));
    redis.rawset("LOG_DEBUG", 0);
    redis.rawset("LOG_VERBOSE", 1);
    redis.rawset("LOG_NOTICE", 2);
    redis.rawset("LOG_WARNING", 3);
    redis.rawset("REDIS_VERSION_NUM", versionNum(REDIS_VERSION));
    redis.rawset("REDIS_VERSION", REDIS_VERSION);
    redis.rawset("setresp", fn(args -> {
      if (!engine.running()) {
        throw new LuaError(LuaReplies.errorTable("ERR redis.setresp can only be called inside a script invocation"));
      }
      if (args.narg() != 1) {
        throw new LuaError(LuaReplies.errorTable("ERR redis.setresp() requires one argument."));
      }
      int resp = (int) args.arg1().todouble();
      if (resp != 2 && resp != 3) {
        throw new LuaError(LuaReplies.errorTable("ERR RESP version must be 2 or 3."));
      }
      engine.setResp(resp);
      return LuaValue.NONE;
    }));
    // Replication flags: accepted; a script is replicated as a whole through the log (ADR 0006).
    redis.rawset("set_repl", fn(args -> {
      if (!engine.running()) {
        throw new LuaError(LuaReplies.errorTable("ERR redis.set_repl can only be called inside a script invocation"));
      }
      if (args.narg() != 1) {
        throw new LuaError(LuaReplies.errorTable("ERR redis.set_repl() requires two arguments."));
      }
      int flags = (int) args.arg1().todouble();
      if ((flags & ~3) != 0) {
        throw new LuaError(LuaReplies.errorTable("ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."));
      }
      return LuaValue.NONE;
    }));
    redis.rawset("REPL_NONE", 0);
    redis.rawset("REPL_AOF", 1);
    redis.rawset("REPL_SLAVE", 2);
    redis.rawset("REPL_REPLICA", 2);
    redis.rawset("REPL_ALL", 3);
    redis.rawset("replicate_commands", fn(args -> LuaValue.TRUE));
    redis.rawset("breakpoint", fn(args -> LuaValue.FALSE));
    redis.rawset("debug", fn(args -> LuaValue.NONE));
    return redis;
  }

  /** The body of a library function. */
  interface Body {
    Varargs apply(Varargs args);
  }

  /** A Lua function of the sandbox's libraries (redis, cjson) from its body. */
  static VarArgFunction fn(Body body) {
    return new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        return body.apply(args);
      }
    };
  }
}

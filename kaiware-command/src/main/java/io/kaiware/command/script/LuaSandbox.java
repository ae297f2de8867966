package io.kaiware.command.script;

import java.io.InputStream;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * One sandboxed Lua state: LuaJ 3.0.1 (Lua 5.2) dressed as the Lua 5.1 of Redis 7.0.
 *
 * <p>Libraries: base (without print, dofile, loadfile, require; {@code load} and
 * {@code loadstring} compile text only, always in the globals), table, string, math (Redis's
 * {@code random}/{@code randomseed}), bit (LuaBitOp), cjson ({@link CJsonLib}), the {@code redis}
 * API. Not there: os, io, package, debug, coroutine (LuaJ runs each coroutine on a Java thread),
 * cmsgpack, struct.
 * 5.1 names 5.2 dropped: {@code unpack}, {@code loadstring}, {@code math.log10}, {@code table.getn},
 * {@code table.maxn}; {@code _VERSION} is "Lua 5.1".
 *
 * <p>After set-up every table reachable from the globals is locked ({@link ReadOnlyTables}), the
 * globals raise Redis's error on a read of an undefined name, and the string metatable is locked
 * too, so scripts cannot leave state behind.
 *
 * <p>The instruction limit: LuaJ calls {@link DebugLib#onInstruction} before every instruction of
 * every closure whose environment is these globals (the reason {@code load} may not take another
 * environment); the count is reset per script call, and past the limit every further instruction
 * raises the error again, so pcall cannot swallow it. Every {@link #INTERRUPT_EVERY} instructions
 * the counter also calls {@link LuaEngine#interrupt} (Redis's count hook): past busy-reply-threshold
 * the other clients are served from there, and a script killed by SCRIPT KILL raises Redis's error
 * at every instruction from then on, for the same reason.
 */
final class LuaSandbox {

  private static final LuaValue KEYS = LuaValue.valueOf("KEYS");
  private static final LuaValue ARGV = LuaValue.valueOf("ARGV");

  /** Instructions between two calls of {@link LuaEngine#interrupt} (a power of two; Redis's hook runs every 100,000). */
  static final long INTERRUPT_EVERY = 1 << 16;

  private final LuaEngine engine;
  private final ReadOnlyTables.SandboxGlobals globals = new ReadOnlyTables.SandboxGlobals();
  private final InstructionCounter counter;
  private final CJsonLib cjson = new CJsonLib();

  /**
   * Counts instructions; past the limit every instruction throws. Also remembers the closure and
   * program counter of the last instruction executed: the line an error reply names (LuaJ runs a
   * tail call such as {@code return redis.call(...)} after its caller returned, so the error's own
   * position is lost there, while Lua 5.1 keeps the caller's frame for C functions).
   */
  private static final class InstructionCounter extends DebugLib {
    private final LuaEngine engine;
    long executed;
    long limit = Long.MAX_VALUE;
    /** SCRIPT KILL ended the script: every instruction raises the kill error. */
    boolean killed;

    InstructionCounter(LuaEngine engine) {
      this.engine = engine;
    }
    private LuaClosure[] frames = new LuaClosure[64];
    private int depth;
    private LuaClosure lastClosure;
    private int lastPc;

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
      lastClosure = depth > 0 ? frames[depth - 1] : null;
      lastPc = pc;
      if (++executed > limit) {
        throw new LuaError(LuaReplies.errorTable("ERR Script exceeded lua-max-instructions (" + limit + " Lua instructions)"));
      }
      if (killed || ((executed & (INTERRUPT_EVERY - 1)) == 0 && engine.interrupt())) {
        killed = true;
        throw new LuaError(LuaReplies.errorTable("ERR Script killed by user with SCRIPT KILL..."));
      }
    }

    @Override
    public void onCall(LuaFunction f) {
      push(null);
    }

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
      push(c);
    }

    private void push(LuaClosure c) {
      if (depth == frames.length) {
        frames = java.util.Arrays.copyOf(frames, depth * 2);
      }
      frames[depth++] = c;
    }

    @Override
    public void onReturn() {
      if (depth > 0) {
        frames[--depth] = null;
      }
    }

    @Override
    public String traceback(int level) {
      return "";
    }

    void reset(long limit) {
      this.executed = 0;
      this.limit = limit;
      this.killed = false;
      java.util.Arrays.fill(frames, 0, depth, null);
      depth = 0;
      lastClosure = null;
    }

    /** Where the last instruction executed, as Redis's error handler names it ("@user_script:3"), or null. */
    String lastPosition() {
      if (lastClosure == null || lastClosure.p.lineinfo == null || lastPc < 0 || lastPc >= lastClosure.p.lineinfo.length) {
        return null;
      }
      return lastClosure.p.source.tojstring() + ":" + lastClosure.p.lineinfo[lastPc];
    }
  }

  LuaSandbox(LuaEngine engine) {
    this.engine = engine;
    this.counter = new InstructionCounter(engine);
    ReadOnlyTables.SandboxGlobals g = globals;
    g.load(new BaseLib());
    g.load(new PackageLib()); // the other libraries register in package.loaded; removed below
    g.load(new TableLib());
    g.load(new StringLib());
    g.load(new JseMathLib());
    g.load(counter); // sets globals.debuglib, and a "debug" table removed below
    LoadState.install(g);
    LuaC.install(g);
    for (String name : new String[] {"debug", "print", "dofile", "loadfile", "require", "module", "package",
        "collectgarbage", "bit32", "rawlen"}) {
      g.rawset(name, LuaValue.NIL);
    }
    g.rawset("_VERSION", LuaValue.valueOf("Lua 5.1"));
    LuaTable table = (LuaTable) g.rawget("table");
    g.rawset("unpack", table.rawget("unpack"));
    // table.concat writes numbers as Lua 5.1 does (%.14g), not with LuaJ's float text ("3.0E-4").
    table.rawset("concat", new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        LuaTable t = args.checktable(1);
        LuaString sep = args.isnoneornil(2) ? LuaValue.EMPTYSTRING : args.checkstring(2);
        int i = args.optint(3, 1);
        int j = args.isnoneornil(4) ? t.length() : args.checkint(4);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int k = i; k <= j; k++) {
          LuaValue v = t.rawget(k);
          byte[] b;
          if (v.type() == LuaValue.TNUMBER) {
            b = CFormat.g14(v.todouble()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
          } else if (v.type() == LuaValue.TSTRING) {
            LuaString s = v.checkstring();
            b = java.util.Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
          } else {
            throw new LuaError("invalid value (at index " + k + ") in table for 'concat'");
          }
          out.write(b, 0, b.length);
          if (k < j) {
            out.write(sep.m_bytes, sep.m_offset, sep.m_length);
          }
        }
        return LuaString.valueUsing(out.toByteArray());
      }
    });
    table.rawset("getn", new OneArgFunction() {
      @Override
      public LuaValue call(LuaValue t) {
        return LuaValue.valueOf(t.checktable().length());
      }
    });
    table.rawset("maxn", new OneArgFunction() {
      @Override
      public LuaValue call(LuaValue t) {
        double max = 0;
        LuaTable tbl = t.checktable();
        for (Varargs n = tbl.next(LuaValue.NIL); !n.arg1().isnil(); n = tbl.next(n.arg1())) {
          if (n.arg1().type() == LuaValue.TNUMBER && n.arg1().todouble() > max) {
            max = n.arg1().todouble();
          }
        }
        return LuaValue.valueOf(max);
      }
    });
    g.rawset("collectgarbage", new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        return LuaValue.valueOf(0); // the JVM collects; a figure of it would differ between replicas
      }
    });
    g.rawset("gcinfo", new ZeroArgFunction() {
      @Override
      public LuaValue call() {
        return LuaValue.valueOf(0);
      }
    });
    LuaValue textLoader = new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        return loadText(args);
      }
    };
    g.rawset("loadstring", textLoader);
    g.rawset("load", textLoader);
    LuaTable math = (LuaTable) g.rawget("math");
    math.rawset("mod", math.rawget("fmod")); // Lua 5.1 keeps math.mod, fmod's old name; Redis scripts use it
    if (math.rawget("log10").isnil()) {
      math.rawset("log10", new OneArgFunction() {
        @Override
        public LuaValue call(LuaValue x) {
          return LuaValue.valueOf(Math.log10(x.checkdouble()));
        }
      });
    }
    math.rawset("random", new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        return random(args);
      }
    });
    math.rawset("randomseed", new OneArgFunction() {
      @Override
      public LuaValue call(LuaValue seed) {
        if (!engine.running()) {
          throw new LuaError("math.randomseed can only be called inside a script invocation");
        }
        engine.random().seed(seed.checkint());
        return LuaValue.NONE.arg1();
      }
    });
    LuaValue luajToString = g.rawget("tostring");
    g.rawset("tostring", new OneArgFunction() {
      @Override
      public LuaValue call(LuaValue v) {
        if (v.type() == LuaValue.TNUMBER) {
          // Lua 5.1's "%.14g", not LuaJ's text: 2^53 is 9.007199254741e+15, 0/0 is -nan. (LuaJ holds
          // -0 as the integer 0, so it prints 0 where Lua 5.1 prints -0.)
          double d = v.todouble();
          return LuaValue.valueOf(Double.isNaN(d) ? "-nan" : CFormat.g14(d));
        }
        return luajToString.call(v);
      }
    });
    LuaValue luajToNumber = g.rawget("tonumber");
    g.rawset("tonumber", new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        LuaValue base = args.arg(2);
        if (args.arg1().type() == LuaValue.TSTRING && (base.isnil() || (base.isnumber() && base.todouble() == 10))) {
          return LuaNumbers.str2d(args.arg1().checkstring()); // Lua 5.1's strtod rules, not LuaJ's
        }
        return luajToNumber.invoke(args);
      }
    });
    LuaTable string = (LuaTable) g.rawget("string");
    LuaValue luajFormat = string.rawget("format");
    string.rawset("format", new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        return LuaStringFormat.format(args, luajFormat);
      }
    });
    g.rawset("pcall", new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        LuaValue f = args.checkvalue(1);
        try {
          return LuaValue.varargsOf(LuaValue.TRUE, f.invoke(args.subargs(2)));
        } catch (LuaError e) {
          return LuaValue.varargsOf(LuaValue.FALSE, LuaErrors.forPcall(e));
        } catch (StackOverflowError e) {
          return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("stack overflow"));
        }
      }
    });
    g.rawset("xpcall", new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        LuaValue f = args.checkvalue(1);
        LuaValue handler = args.arg(2);
        try {
          return LuaValue.varargsOf(LuaValue.TRUE, f.invoke(args.subargs(3)));
        } catch (LuaError e) {
          return LuaValue.varargsOf(LuaValue.FALSE, handler.invoke(LuaErrors.value(e)));
        } catch (StackOverflowError e) {
          return LuaValue.varargsOf(LuaValue.FALSE, handler.invoke(LuaValue.valueOf("stack overflow")));
        }
      }
    });
    g.rawset("error", new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        LuaValue message = args.arg1();
        int level = args.optint(2, 1);
        if (message.type() == LuaValue.TSTRING && level > 0) {
          throw new LuaError(message.tojstring()); // positioned by the closure that catches it: "user_script:N: msg"
        }
        throw new LuaError(message); // a table (Redis's {err=...}) or level 0: as it is
      }
    });
    g.rawset("bit", BitLib.create());
    g.rawset("cjson", cjson.create());
    g.rawset("redis", RedisLib.create(engine));
    // Redis's luaSetErrorMetatable: reading an undefined global is an error.
    LuaTable meta = new LuaTable();
    meta.rawset("__index", new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        // Redis's message carries the script's position, as the readonly-table one does.
        throw new LuaError("Script attempted to access nonexistent global variable '" + args.arg(2).tojstring() + "'");
      }
    });
    g.setmetatable(meta);
    ReadOnlyTables.protectRecursively(g);
    // Strings' metatable is process-wide in LuaJ: lock it too, pointing at this state's (locked) string table.
    ReadOnlyTables.Table stringMeta = new ReadOnlyTables.Table();
    stringMeta.rawset(LuaValue.INDEX, g.rawget("string"));
    stringMeta.lock();
    LuaString.s_metatable = stringMeta;
  }

  /** Compiles a script body (its shebang line already skipped) as chunk {@code @user_script}. */
  LuaValue compile(InputStream body) {
    return globals.load(body, "@user_script", "t", globals);
  }

  /** Redis's compile error text from LuaJ's. */
  static String compileMessage(LuaError e) {
    String m = e.getMessage();
    return m == null ? "unknown error" : m.strip();
  }

  /** Runs {@code function} with KEYS and ARGV set, at most {@code maxInstructions} instructions. */
  Varargs call(LuaValue function, LuaTable keys, LuaTable argv, long maxInstructions) {
    globals.setUnlocked(KEYS, keys);
    globals.setUnlocked(ARGV, argv);
    counter.reset(maxInstructions);
    cjson.reset();
    return function.invoke();
  }

  /** Lua instructions the current (or last) script call executed. */
  long instructionsExecuted() {
    return counter.executed;
  }

  void afterCall() {
    counter.limit = Long.MAX_VALUE;
    counter.killed = false;
  }

  /** Lua 5.1's stack overflow, raised where the script was when the stack ran out. */
  String stackOverflowReply(String funcName) {
    String position = counter.lastPosition();
    if (position == null) {
      return "ERR stack overflow";
    }
    return "ERR " + chunkLine(position) + ": stack overflow script: " + funcName + ", on " + position + ".";
  }

  /**
   * The error reply of a script that raised {@code e} (Redis's luaCallFunction with its
   * {@code __redis__err__handler}): the error table's {@code err}, or "ERR " and the message of
   * any other error (with the script's position in front where Lua 5.1 puts one), then
   * " script: <sha>, on @user_script:<line>." where the line is known.
   */
  String errorReply(LuaError e, String funcName) {
    LuaValue object = LuaErrors.value(e);
    String position = counter.lastPosition();
    String message;
    if (object.istable() && ((LuaTable) object).rawget("err").type() == LuaValue.TSTRING) {
      message = LuaReplies.latin1(((LuaTable) object).rawget("err").checkstring());
    } else {
      String text = object.isstring() ? LuaReplies.latin1(object.checkstring()) : object.tojstring();
      if (position != null && !text.startsWith("user_script:") && LuaErrors.positionedByLua51(e)) {
        text = chunkLine(position) + ": " + text;
      }
      message = "ERR " + text;
    }
    if (position != null) {
      message = message + " script: " + funcName + ", on " + position + ".";
    }
    return message;
  }

  /** "user_script:3" of the position "@user_script:3", as Lua 5.1 prefixes a message with it. */
  private static String chunkLine(String position) {
    return position.startsWith("@") ? position.substring(1) : position;
  }

  /** {@code load}/{@code loadstring}: text chunks only, always with these globals (so the instruction limit holds). */
  private Varargs loadText(Varargs args) {
    LuaValue chunk = args.arg1();
    byte[] source;
    if (chunk.isstring()) {
      LuaString s = chunk.checkstring();
      source = new byte[s.m_length];
      System.arraycopy(s.m_bytes, s.m_offset, source, 0, s.m_length);
    } else if (chunk.isfunction()) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      for (;;) {
        LuaValue piece = chunk.call();
        if (piece.isnil() || (piece.isstring() && piece.checkstring().m_length == 0)) {
          break;
        }
        LuaString s = piece.checkstring();
        out.write(s.m_bytes, s.m_offset, s.m_length);
      }
      source = out.toByteArray();
    } else {
      throw new LuaError("bad argument #1 to 'loadstring' (string expected, got " + chunk.typename() + ")");
    }
    if (source.length > 0 && source[0] == 27) {
      return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("binary chunks are not allowed"));
    }
    String name = args.narg() >= 2 && args.arg(2).isstring() ? args.arg(2).tojstring() : "=(load)";
    try {
      return globals.load(new java.io.ByteArrayInputStream(source), name, "t", globals);
    } catch (LuaError e) {
      return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(compileMessage(e)));
    }
  }

  /** Redis's math.random: rand48, with Lua 5.1's argument rules. */
  private Varargs random(Varargs args) {
    if (!engine.running()) {
      throw new LuaError("math.random can only be called inside a script invocation");
    }
    double r = engine.random().nextDouble();
    switch (args.narg()) {
      case 0:
        return LuaValue.valueOf(r);
      case 1: {
        int u = args.checkint(1);
        if (u < 1) {
          throw new LuaError("bad argument #1 to 'random' (interval is empty)");
        }
        return LuaValue.valueOf(Math.floor(r * u) + 1);
      }
      case 2: {
        int l = args.checkint(1);
        int u = args.checkint(2);
        if (l > u) {
          throw new LuaError("bad argument #2 to 'random' (interval is empty)");
        }
        return LuaValue.valueOf(Math.floor(r * (u - l + 1)) + l);
      }
      default:
        throw new LuaError("wrong number of arguments");
    }
  }
}

package io.kaiware.command.script;

import java.lang.reflect.Field;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Lua 5.1's error values from LuaJ's errors. LuaJ appends a position as {@code "@user_script:3 msg"}
 * (and a traceback when a debug library is installed, as ours is for the instruction count);
 * Lua 5.1 and Redis say {@code "user_script:3: msg"}. The position is LuaJ's {@code fileline},
 * set by the closure the error passed through; it is read (and the traceback dropped) through the
 * fields of {@link LuaError}, which LuaJ keeps protected.
 */
final class LuaErrors {
  private LuaErrors() {}

  private static final Field FILELINE = field("fileline");
  private static final Field TRACEBACK = field("traceback");
  private static final Field OBJECT = field("object");
  private static final Field LEVEL = field("level");

  /**
   * Whether Lua 5.1 would have put the script's position in front of this error's message: it was
   * raised by the VM or a library function (luaL_error, level 1), not by {@code error(msg, 0)} or
   * with a table. LuaJ leaves the position out when no Lua frame was left to catch it: a library
   * function in a tail call ({@code return cjson.decode(x)}), for one.
   */
  static boolean positionedByLua51(LuaError e) {
    return get(OBJECT, e) == null && ((Integer) get(LEVEL, e)) == 1;
  }

  private static Field field(String name) {
    try {
      Field f = LuaError.class.getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("LuaJ's LuaError." + name + " is not accessible", e);
    }
  }

  private static Object get(Field f, LuaError e) {
    try {
      return f.get(e);
    } catch (IllegalAccessException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static void set(Field f, LuaError e, Object value) {
    try {
      f.set(e, value);
    } catch (IllegalAccessException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** The error value as Lua 5.1 has it: the raised value itself, or the message with its "chunk:line: " position. */
  static LuaValue value(LuaError e) {
    LuaValue object = (LuaValue) get(OBJECT, e);
    if (object != null) {
      return object;
    }
    String fileline = (String) get(FILELINE, e);
    String traceback = (String) get(TRACEBACK, e);
    set(FILELINE, e, null);
    set(TRACEBACK, e, null);
    String raw = e.getMessage();
    set(FILELINE, e, fileline);
    set(TRACEBACK, e, traceback);
    raw = raw == null ? "nil" : lua51(raw);
    if (fileline == null) {
      return LuaValue.valueOf(raw);
    }
    String where = fileline.startsWith("@") || fileline.startsWith("=") ? fileline.substring(1) : fileline;
    return LuaValue.valueOf(where + ": " + raw);
  }

  /** What pcall returns as the error: Redis 7's pcall gives the {@code err} string of an error table. */
  static LuaValue forPcall(LuaError e) {
    LuaValue v = value(e);
    if (v.istable()) {
      LuaValue err = ((LuaTable) v).rawget("err");
      if (err.isstring()) {
        return err;
      }
    }
    return v;
  }

  /** LuaJ's texts of the common runtime errors in Lua 5.1's words. */
  static String lua51(String m) {
    if (m.startsWith("attempt to call ") && !m.contains(" value")) {
      return "attempt to call a " + m.substring("attempt to call ".length()) + " value";
    }
    if (m.startsWith("attempt to index ? (a ")) {
      return "attempt to index a " + m.substring("attempt to index ? (a ".length(), m.length() - 1);
    }
    if (m.startsWith("attempt to perform arithmetic ")) {
      String[] words = m.split(" ");
      // "attempt to perform arithmetic __add on nil and number": name the operand that is not a number
      String a = words.length >= 3 ? words[words.length - 3] : "nil";
      String b = words[words.length - 1];
      String bad = a.equals("number") ? b : a;
      return "attempt to perform arithmetic on a " + bad + " value";
    }
    return m;
  }
}

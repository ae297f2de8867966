package io.kaiware.command.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * LuaBitOp ({@code bit}), which Redis bundles: 32-bit operations whose results are signed 32-bit
 * numbers. Arguments are normalised as LuaBitOp does for doubles: modulo 2^32 (by adding
 * 2^52 + 2^51 and keeping the low word).
 */
final class BitLib {
  private BitLib() {}

  private interface Op {
    int apply(Varargs args);
  }

  static LuaTable create() {
    LuaTable bit = new LuaTable();
    put(bit, "tobit", a -> tobit(a, 1));
    put(bit, "bnot", a -> ~tobit(a, 1));
    put(bit, "band", a -> {
      int r = tobit(a, 1);
      for (int i = 2; i <= a.narg(); i++) {
        r &= tobit(a, i);
      }
      return r;
    });
    put(bit, "bor", a -> {
      int r = tobit(a, 1);
      for (int i = 2; i <= a.narg(); i++) {
        r |= tobit(a, i);
      }
      return r;
    });
    put(bit, "bxor", a -> {
      int r = tobit(a, 1);
      for (int i = 2; i <= a.narg(); i++) {
        r ^= tobit(a, i);
      }
      return r;
    });
    put(bit, "lshift", a -> tobit(a, 1) << (tobit(a, 2) & 31));
    put(bit, "rshift", a -> tobit(a, 1) >>> (tobit(a, 2) & 31));
    put(bit, "arshift", a -> tobit(a, 1) >> (tobit(a, 2) & 31));
    put(bit, "rol", a -> Integer.rotateLeft(tobit(a, 1), tobit(a, 2) & 31));
    put(bit, "ror", a -> Integer.rotateRight(tobit(a, 1), tobit(a, 2) & 31));
    put(bit, "bswap", a -> Integer.reverseBytes(tobit(a, 1)));
    bit.rawset("tohex", new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        int b = tobit(args, 1);
        int n = args.isnoneornil(2) ? 8 : tobit(args, 2);
        boolean upper = false;
        if (n < 0) {
          n = -n;
          upper = true;
        }
        if (n > 8) {
          n = 8;
        }
        String hex = String.format(upper ? "%08X" : "%08x", b);
        return LuaValue.valueOf(hex.substring(8 - n));
      }
    });
    return bit;
  }

  private static void put(LuaTable bit, String name, Op op) {
    bit.rawset(name, new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        return LuaValue.valueOf(op.apply(args));
      }
    });
  }

  /** LuaBitOp's barg: a number normalised to a signed 32-bit integer. */
  static int tobit(Varargs args, int i) {
    LuaValue v = args.arg(i);
    if (!v.isnumber()) {
      throw new LuaError("bad argument #" + i + " (number expected, got " + v.typename() + ")");
    }
    double d = v.todouble() + 6755399441055744.0; // 2^52 + 2^51
    return (int) Double.doubleToRawLongBits(d);
  }
}

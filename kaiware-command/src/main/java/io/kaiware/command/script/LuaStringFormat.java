package io.kaiware.command.script;

import java.io.ByteArrayOutputStream;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Lua 5.1's {@code string.format} (lstrlib.c's str_format) over LuaJ's. LuaJ 3.0.1 prints every
 * float conversion as the number's plain text ({@code string.format("%.2f", 3.14159)} gave
 * {@code 3.14159}, Redis {@code 3.14}), so {@code e E f g G} are formatted here as C's printf does
 * ({@link CFormat#printf}); every other conversion is one call of LuaJ's format with that single
 * specification, which it handles as Lua 5.1 does. The specification syntax and its errors are
 * Lua 5.1's: at most five flags from {@code -+ #0}, then at most two digits of width and of
 * precision.
 */
final class LuaStringFormat {
  private LuaStringFormat() {}

  private static final String FLAGS = "-+ #0";

  static Varargs format(Varargs args, LuaValue luajFormat) {
    LuaString fmt = args.checkstring(1);
    byte[] f = new byte[fmt.rawlen()];
    fmt.copyInto(0, f, 0, f.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream(f.length + 16);
    int arg = 1;
    int i = 0;
    while (i < f.length) {
      byte c = f[i++];
      if (c != '%') {
        out.write(c);
        continue;
      }
      if (i < f.length && f[i] == '%') {
        out.write('%');
        i++;
        continue;
      }
      int start = i;
      while (i < f.length && FLAGS.indexOf(f[i]) >= 0) {
        i++;
      }
      if (i - start > FLAGS.length()) {
        throw new LuaError("invalid format (repeated flags)");
      }
      String flags = new String(f, start, i - start, java.nio.charset.StandardCharsets.ISO_8859_1);
      int width = -1;
      int digits = 0;
      while (i < f.length && Character.isDigit(f[i])) {
        width = (width < 0 ? 0 : width * 10) + (f[i++] - '0');
        digits++;
      }
      int precision = -1;
      int precisionDigits = 0;
      if (i < f.length && f[i] == '.') {
        i++;
        precision = 0;
        while (i < f.length && Character.isDigit(f[i])) {
          precision = precision * 10 + (f[i++] - '0');
          precisionDigits++;
        }
      }
      if (digits > 2 || precisionDigits > 2) {
        throw new LuaError("invalid format (width or precision too long)");
      }
      char conversion = i < f.length ? (char) (f[i++] & 0xff) : '\0';
      arg++;
      switch (conversion) {
        case 'e', 'E', 'f', 'g', 'G' -> {
          double value = args.checkdouble(arg);
          out.writeBytes(CFormat.printf(flags, width, precision, conversion, value)
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        case 'c', 'd', 'i', 'o', 'u', 'x', 'X', 'q', 's' -> {
          LuaString spec = LuaString.valueOf(java.util.Arrays.copyOfRange(f, start - 1, i));
          LuaString piece = luajFormat.invoke(LuaValue.varargsOf(spec, args.arg(arg))).arg1().checkstring();
          byte[] bytes = new byte[piece.rawlen()];
          piece.copyInto(0, bytes, 0, bytes.length);
          out.writeBytes(bytes);
        }
        default -> throw new LuaError("invalid option '%" + conversion + "' to 'format'");
      }
    }
    return LuaString.valueOf(out.toByteArray());
  }
}

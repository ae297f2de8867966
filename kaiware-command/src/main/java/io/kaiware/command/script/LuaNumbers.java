package io.kaiware.command.script;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * Lua 5.1's string-to-number conversion (lobject.c's luaO_str2d: C's strtod, then only trailing
 * white space), which {@code tonumber} uses. LuaJ's own overflows silently past 19 digits
 * ({@code tonumber("18446744073709551616")} gave 0), rejects what strtod reads ({@code -0x10},
 * {@code inf}, {@code nan}, {@code 0x1p4}) and threw an internal error on {@code "0x"}.
 */
final class LuaNumbers {
  private LuaNumbers() {}

  private static final Pattern HEX =
      Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?[0-9]+)?");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern INFINITY = Pattern.compile("[+-]?(?i:infinity|inf)");
  private static final Pattern NAN = Pattern.compile("[+-]?(?i:nan)(\\([0-9A-Za-z_]*\\))?");

  /** The number {@code s} reads as in Lua 5.1, or nil. */
  static LuaValue str2d(LuaString s) {
    String text = new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
    int start = 0;
    while (start < text.length() && isSpace(text.charAt(start))) {
      start++;
    }
    double value;
    int end;
    Matcher m;
    if ((m = HEX.matcher(text).region(start, text.length())).lookingAt()) {
      String t = m.group();
      value = Double.parseDouble(m.group(2) == null ? t + "p0" : t);
      end = m.end();
    } else if ((m = INFINITY.matcher(text).region(start, text.length())).lookingAt()) {
      value = text.charAt(start) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      end = m.end();
    } else if ((m = NAN.matcher(text).region(start, text.length())).lookingAt()) {
      value = Double.NaN;
      end = m.end();
    } else if ((m = DECIMAL.matcher(text).region(start, text.length())).lookingAt()) {
      value = Double.parseDouble(m.group());
      end = m.end();
    } else {
      return LuaValue.NIL; // strtod read nothing
    }
    // strtod stopping at an x ("0x" without digits) sends Lua 5.1 to strtoul, which stops there too.
    while (end < text.length() && isSpace(text.charAt(end))) {
      end++;
    }
    return end == text.length() ? LuaValue.valueOf(value) : LuaValue.NIL;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }
}

package io.kaiware.command.script;

import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code cjson} as Redis bundles it (lua-cjson 2.1): {@code encode}, {@code decode}, {@code null}
 * and the settings functions. Numbers are written with {@code %.14g} (cjson's default precision);
 * a table whose keys are all positive integers is an array (holes are null; an excessively sparse
 * one is an error, cjson's ratio 2 / safe 10), any other an object with string or number keys.
 *
 * <p>Unlike Redis, the settings ({@code encode_max_depth} ...) last for one script call: they are
 * reset before each, so no script can leave state behind for the next (ADR 0006).
 */
final class CJsonLib {

  private static final int DEFAULT_DEPTH = 1000;

  private int encodeMaxDepth = DEFAULT_DEPTH;
  private int decodeMaxDepth = DEFAULT_DEPTH;
  private boolean encodeInvalidNumbers;
  private boolean decodeInvalidNumbers = true;

  /** cjson.null: a unique light value, as cjson's NULL lightuserdata. */
  static final LuaValue NULL = new LuaUserdata(new Object());

  void reset() {
    encodeMaxDepth = DEFAULT_DEPTH;
    decodeMaxDepth = DEFAULT_DEPTH;
    encodeInvalidNumbers = false;
    decodeInvalidNumbers = true;
  }

  LuaTable create() {
    LuaTable cjson = new LuaTable();
    cjson.rawset("encode", RedisLib.fn(args -> LuaValue.valueOf(encode(args.arg1()))));
    cjson.rawset("decode", RedisLib.fn(args -> decode(args.checkstring(1))));
    cjson.rawset("null", NULL);
    cjson.rawset("encode_max_depth", RedisLib.fn(args -> {
      encodeMaxDepth = args.optint(1, encodeMaxDepth);
      return LuaValue.valueOf(encodeMaxDepth);
    }));
    cjson.rawset("decode_max_depth", RedisLib.fn(args -> {
      decodeMaxDepth = args.optint(1, decodeMaxDepth);
      return LuaValue.valueOf(decodeMaxDepth);
    }));
    cjson.rawset("encode_invalid_numbers", RedisLib.fn(args -> {
      if (!args.isnoneornil(1)) {
        encodeInvalidNumbers = args.arg1().toboolean();
      }
      return LuaValue.valueOf(encodeInvalidNumbers);
    }));
    cjson.rawset("decode_invalid_numbers", RedisLib.fn(args -> {
      if (!args.isnoneornil(1)) {
        decodeInvalidNumbers = args.arg1().toboolean();
      }
      return LuaValue.valueOf(decodeInvalidNumbers);
    }));
    cjson.rawset("encode_keep_buffer", RedisLib.fn(args -> LuaValue.TRUE));
    cjson.rawset("encode_sparse_array", RedisLib.fn(args -> LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf(2), LuaValue.valueOf(10))));
    cjson.rawset("encode_number_precision", RedisLib.fn(args -> LuaValue.valueOf(14)));
    cjson.rawset("_NAME", LuaValue.valueOf("cjson"));
    cjson.rawset("_VERSION", LuaValue.valueOf("2.1.0"));
    return cjson;
  }

  // ---------------------------------------------------------------- encode

  String encode(LuaValue value) {
    StringBuilder sb = new StringBuilder();
    encode(value, sb, 0);
    return sb.toString();
  }

  private void encode(LuaValue v, StringBuilder sb, int depth) {
    switch (v.type()) {
      case LuaValue.TNIL -> sb.append("null");
      case LuaValue.TBOOLEAN -> sb.append(v.toboolean() ? "true" : "false");
      case LuaValue.TNUMBER -> number(v.todouble(), sb);
      case LuaValue.TSTRING -> string(v.checkstring(), sb);
      case LuaValue.TTABLE -> table((LuaTable) v, sb, depth + 1);
      default -> {
        if (v == NULL) {
          sb.append("null");
        } else {
          throw new LuaError("Cannot serialise " + v.typename() + ": type not supported");
        }
      }
    }
  }

  private void number(double d, StringBuilder sb) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      if (!encodeInvalidNumbers) {
        throw new LuaError("Cannot serialise number: must not be NaN or Inf");
      }
      sb.append(Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf");
      return;
    }
    sb.append(CFormat.g14(d));
  }

  private static void string(LuaString s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.m_length; i++) {
      int c = s.m_bytes[s.m_offset + i] & 0xFF;
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '/' -> sb.append("\\/");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7F) {
            sb.append(String.format("\\u%04x", c));
          } else {
            sb.append((char) c); // bytes as Latin-1 chars: written back as the same bytes
          }
        }
      }
    }
    sb.append('"');
  }

  private void table(LuaTable t, StringBuilder sb, int depth) {
    if (depth > encodeMaxDepth) {
      throw new LuaError("Cannot serialise, excessive nesting (" + depth + ")");
    }
    int arrayLength = arrayLength(t);
    if (arrayLength > 0) {
      sb.append('[');
      for (int i = 1; i <= arrayLength; i++) {
        if (i > 1) {
          sb.append(',');
        }
        encode(t.rawget(i), sb, depth);
      }
      sb.append(']');
      return;
    }
    sb.append('{');
    boolean first = true;
    for (Varargs n = t.next(LuaValue.NIL); !n.arg1().isnil(); n = t.next(n.arg1())) {
      LuaValue k = n.arg1();
      if (!first) {
        sb.append(',');
      }
      first = false;
      if (k.type() == LuaValue.TSTRING) {
        string(k.checkstring(), sb);
      } else if (k.type() == LuaValue.TNUMBER) {
        sb.append('"');
        number(k.todouble(), sb);
        sb.append('"');
      } else {
        throw new LuaError("Cannot serialise " + k.typename() + ": table key must be a number or string");
      }
      sb.append(':');
      encode(n.arg(2), sb, depth);
    }
    sb.append('}');
  }

  /** cjson's lua_array_length: the array length when every key is a positive integer, else 0 (an object). */
  private static int arrayLength(LuaTable t) {
    int max = 0;
    int items = 0;
    for (Varargs n = t.next(LuaValue.NIL); !n.arg1().isnil(); n = t.next(n.arg1())) {
      LuaValue k = n.arg1();
      if (k.type() != LuaValue.TNUMBER) {
        return 0;
      }
      double d = k.todouble();
      if (d != Math.floor(d) || d < 1) {
        return 0;
      }
      max = (int) Math.max(max, d);
      items++;
    }
    if (max > 10 && max > items * 2) {
      throw new LuaError("Cannot serialise table: excessively sparse array");
    }
    return max;
  }

  // ---------------------------------------------------------------- decode

  LuaValue decode(LuaString json) {
    Parser p = new Parser(new String(json.m_bytes, json.m_offset, json.m_length, StandardCharsets.ISO_8859_1));
    p.skipSpace();
    LuaValue v = p.value(0);
    p.skipSpace();
    if (p.pos != p.s.length()) {
      throw p.error("the end");
    }
    return v;
  }

  private final class Parser {
    final String s;
    int pos;

    Parser(String s) {
      this.s = s;
    }

    /** lua_cjson's json_throw_parse_error: what was expected, and the type name of the token found there. */
    LuaError error(String expected) {
      return new LuaError("Expected " + expected + " but found " + tokenFound() + " at character " + (pos + 1));
    }

    /** json_token_type_name of the token starting at {@code pos}, or a T_ERROR token's message. */
    private String tokenFound() {
      if (pos >= s.length()) {
        return "T_END";
      }
      char c = s.charAt(pos);
      return switch (c) {
        case '{' -> "T_OBJ_BEGIN";
        case '}' -> "T_OBJ_END";
        case '[' -> "T_ARR_BEGIN";
        case ']' -> "T_ARR_END";
        case ':' -> "T_COLON";
        case ',' -> "T_COMMA";
        case '"' -> s.indexOf('"', pos + 1) < 0 ? "unexpected end of string" : "T_STRING";
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            yield "T_NUMBER";
          }
          if (s.startsWith("true", pos) || s.startsWith("false", pos)) {
            yield "T_BOOLEAN";
          }
          yield s.startsWith("null", pos) ? "T_NULL" : "invalid token";
        }
      };
    }

    void skipSpace() {
      while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\n' || s.charAt(pos) == '\r')) {
        pos++;
      }
    }

    LuaValue value(int depth) {
      if (pos >= s.length()) {
        throw error("value");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object(depth + 1);
        case '[':
          return array(depth + 1);
        case '"':
          return LuaString.valueOf(string().getBytes(StandardCharsets.ISO_8859_1));
        case 't':
          return literal("true", LuaValue.TRUE);
        case 'f':
          return literal("false", LuaValue.FALSE);
        case 'n':
          if (s.startsWith("nan", pos) && decodeInvalidNumbers) {
            pos += 3;
            return LuaValue.valueOf(Double.NaN);
          }
          return literal("null", NULL);
        default:
          return number();
      }
    }

    private LuaValue literal(String word, LuaValue v) {
      if (!s.startsWith(word, pos)) {
        throw error("value");
      }
      pos += word.length();
      return v;
    }

    private LuaValue number() {
      if (decodeInvalidNumbers) {
        LuaValue special = invalidNumber();
        if (special != null) {
          return special;
        }
      }
      int start = pos;
      while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
      if (start == pos) {
        throw error("value");
      }
      try {
        return LuaValue.valueOf(Double.parseDouble(s.substring(start, pos)));
      } catch (NumberFormatException e) {
        pos = start;
        throw error("value");
      }
    }

    /**
     * decode_invalid_numbers (Redis leaves it on): what strtod also reads, hexadecimal integers
     * ({@code 0x10} is 16) and infinities ({@code inf}, {@code -Infinity}); null when neither is here.
     */
    private LuaValue invalidNumber() {
      int i = pos;
      boolean negative = i < s.length() && s.charAt(i) == '-';
      if (negative) {
        i++;
      }
      if (s.regionMatches(true, i, "infinity", 0, 8) || s.regionMatches(true, i, "inf", 0, 3)) {
        pos = i + (s.regionMatches(true, i, "infinity", 0, 8) ? 8 : 3);
        return LuaValue.valueOf(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
      }
      if (i + 2 < s.length() && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
          && Character.digit(s.charAt(i + 2), 16) >= 0) {
        int end = i + 2;
        double value = 0;
        while (end < s.length() && Character.digit(s.charAt(end), 16) >= 0) {
          value = value * 16 + Character.digit(s.charAt(end), 16);
          end++;
        }
        pos = end;
        return LuaValue.valueOf(negative ? -value : value);
      }
      return null;
    }

    private void depth(int depth) {
      if (depth > decodeMaxDepth) {
        throw new LuaError("Found too many nested data structures (" + depth + ") at character " + (pos + 1));
      }
    }

    private LuaValue object(int depth) {
      depth(depth);
      pos++;
      LuaTable t = new LuaTable();
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        return t;
      }
      for (;;) {
        skipSpace();
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw error("object key string");
        }
        LuaValue key = LuaString.valueOf(string().getBytes(StandardCharsets.ISO_8859_1));
        skipSpace();
        if (pos >= s.length() || s.charAt(pos) != ':') {
          throw error("colon");
        }
        pos++;
        skipSpace();
        t.rawset(key, value(depth));
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        if (pos < s.length() && s.charAt(pos) == '}') {
          pos++;
          return t;
        }
        throw error("comma or object end");
      }
    }

    private LuaValue array(int depth) {
      depth(depth);
      pos++;
      LuaTable t = new LuaTable();
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == ']') {
        pos++;
        return t;
      }
      for (int i = 1;; i++) {
        skipSpace();
        t.rawset(i, value(depth));
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        if (pos < s.length() && s.charAt(pos) == ']') {
          pos++;
          return t;
        }
        throw error("comma or array end");
      }
    }

    /** A JSON string at pos (its quotes consumed): UTF-8 bytes as Latin-1 chars. */
    private String string() {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (pos < s.length()) {
        char c = s.charAt(pos++);
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (pos >= s.length()) {
          break;
        }
        char e = s.charAt(pos++);
        switch (e) {
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw error("unicode escape");
            }
            int cp = Integer.parseInt(s.substring(pos, pos + 4), 16);
            pos += 4;
            byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            for (byte b : utf8) {
              sb.append((char) (b & 0xFF));
            }
          }
          default -> sb.append(e);
        }
      }
      throw error("string end");
    }
  }
}

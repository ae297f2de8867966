package io.kaiware.command.script;

import io.kaiware.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Redis's conversions between replies and Lua values (script_lua.c), both ways.
 *
 * <p>Reply to Lua ({@link #parse}, what redis.call returns): integer -> number; bulk -> string;
 * null bulk and null array -> false; array -> table (RESP3 nulls inside leave holes); status ->
 * {@code {ok=...}}; error -> {@code {err=...}}; RESP3 (after {@code redis.setresp(3)}): map ->
 * {@code {map={...}}}, set -> {@code {set={member=true}}}, null -> nil, boolean -> boolean, double
 * -> {@code {double=n}}, big number -> {@code {big_number=s}}, verbatim -> {@code
 * {verbatim_string={string=s, format=f}}}, attributes skipped.
 *
 * <p>Lua to reply ({@link #write}, what the script returns): string -> bulk; number -> integer
 * (truncated); boolean -> 1 or null with RESP2 scripts, a RESP3 boolean after setresp(3); a table
 * with a string {@code err} -> error, {@code ok} -> status, {@code double}, {@code big_number},
 * {@code verbatim_string}, {@code map}, {@code set}; any other table -> array of its elements 1..n
 * up to the first nil (raw access: metatables are ignored); anything else -> null.
 */
final class LuaReplies {
  private LuaReplies() {}

  /** Nesting past which a returned table answers Redis's "reached lua stack limit" (a recursive table). */
  static final int MAX_DEPTH = 1000;

  private static final LuaString ERR = LuaString.valueOf("err");
  private static final LuaString OK = LuaString.valueOf("ok");
  private static final LuaString DOUBLE = LuaString.valueOf("double");
  private static final LuaString BIG_NUMBER = LuaString.valueOf("big_number");
  private static final LuaString VERBATIM = LuaString.valueOf("verbatim_string");
  private static final LuaString FORMAT = LuaString.valueOf("format");
  private static final LuaString STRING = LuaString.valueOf("string");
  private static final LuaString MAP = LuaString.valueOf("map");
  private static final LuaString SET = LuaString.valueOf("set");

  /**
   * Redis's luaPushError: {@code {err="CODE message"}}; a text without a leading '-' gets the code
   * ERR, one with it keeps its own; a trailing CR/LF is trimmed.
   */
  static LuaTable errorTable(String error) {
    String text;
    if (error.startsWith("-")) {
      int space = error.indexOf(' ');
      text = space < 0 ? "ERR " + error.substring(1) : error.substring(1, space) + " " + error.substring(space + 1);
    } else {
      text = error;
    }
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\r' || text.charAt(end - 1) == '\n')) {
      end--;
    }
    LuaTable t = new LuaTable();
    t.rawset(ERR, LuaString.valueOf(bytes(text.substring(0, end))));
    return t;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  // ---------------------------------------------------------------- reply -> Lua

  /**
   * The one reply in {@code buf} (from its reader index) as a Lua value; {@code sorted}: the
   * elements of a top-level array or set in byte order (pairs by their first element when {@code
   * pairs}), maps by key — for replies whose order is a table's layout.
   */
  static LuaValue parse(ByteBuf buf, boolean sorted, boolean pairs) {
    Cursor c = new Cursor(buf, buf.readerIndex());
    c.sortTopLevel = sorted;
    c.pairsReply = pairs;
    return c.value();
  }

  private static final java.util.Comparator<LuaValue> BYTE_ORDER = (a, b) -> {
    LuaString x = a.checkstring();
    LuaString y = b.checkstring();
    return java.util.Arrays.compareUnsigned(x.m_bytes, x.m_offset, x.m_offset + x.m_length,
        y.m_bytes, y.m_offset, y.m_offset + y.m_length);
  };

  /** Sorts {@code values} (strings) in byte order, or their pairs by the first of each when {@code pairs}. */
  private static LuaValue[] sorted(LuaValue[] values, boolean pairs) {
    if (!pairs) {
      LuaValue[] copy = values.clone();
      java.util.Arrays.sort(copy, (a, b) -> a.isstring() && b.isstring() ? BYTE_ORDER.compare(a, b) : 0);
      return copy;
    }
    Integer[] order = new Integer[values.length / 2];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (i, j) -> values[2 * i].isstring() && values[2 * j].isstring()
        ? BYTE_ORDER.compare(values[2 * i], values[2 * j]) : 0);
    LuaValue[] out = new LuaValue[values.length];
    for (int k = 0; k < order.length; k++) {
      out[2 * k] = values[2 * order[k]];
      out[2 * k + 1] = values[2 * order[k] + 1];
    }
    return out;
  }

  private static final class Cursor {
    final ByteBuf buf;
    int pos;
    /** Sort the next aggregate read (the top-level one), see {@link #parse}. */
    boolean sortTopLevel;

    Cursor(ByteBuf buf, int pos) {
      this.buf = buf;
      this.pos = pos;
    }

    /** The line after the type byte, as a string; moves past its CRLF. */
    private String line() {
      int start = pos + 1;
      int eol = start;
      while (buf.getByte(eol) != '\r') {
        eol++;
      }
      pos = eol + 2;
      return buf.toString(start, eol - start, StandardCharsets.ISO_8859_1);
    }

    private LuaString lineBytes() {
      int start = pos + 1;
      int eol = start;
      while (buf.getByte(eol) != '\r') {
        eol++;
      }
      pos = eol + 2;
      byte[] b = new byte[eol - start];
      buf.getBytes(start, b);
      return LuaString.valueUsing(b);
    }

    private LuaString bulkBody(int len) {
      byte[] b = new byte[len];
      buf.getBytes(pos, b);
      pos += len + 2;
      return LuaString.valueUsing(b);
    }

    /** The next {@code n} replies, sorted if this is the top-level aggregate to sort. */
    private LuaValue[] elements(int n) {
      boolean sort = sortTopLevel;
      sortTopLevel = false;
      LuaValue[] items = new LuaValue[n];
      for (int i = 0; i < n; i++) {
        items[i] = value();
      }
      // An even-length array from HGETALL (RESP2) holds field-value pairs: sorted by field.
      return sort ? sorted(items, pairsReply) : items;
    }

    /** The next {@code n} key-value pairs (a map), sorted by key if this is the top-level aggregate to sort. */
    private LuaValue[] pairs(int n) {
      boolean sort = sortTopLevel;
      sortTopLevel = false;
      LuaValue[] items = new LuaValue[2 * n];
      for (int i = 0; i < 2 * n; i++) {
        items[i] = value();
      }
      return sort ? sorted(items, true) : items;
    }

    /** Whether the sorted reply is made of pairs (HGETALL over RESP2). */
    boolean pairsReply;

    LuaValue value() {
      byte type = buf.getByte(pos);
      switch (type) {
        case '+': {
          LuaTable t = new LuaTable();
          t.rawset(OK, lineBytes());
          return t;
        }
        case '-': {
          LuaTable t = new LuaTable();
          t.rawset(ERR, lineBytes());
          return t;
        }
        case ':':
          return LuaValue.valueOf((double) Long.parseLong(line()));
        case '$': {
          int len = Integer.parseInt(line());
          return len < 0 ? LuaValue.FALSE : bulkBody(len);
        }
        case '*': {
          int n = Integer.parseInt(line());
          if (n < 0) {
            return LuaValue.FALSE;
          }
          LuaValue[] items = elements(n);
          LuaTable t = new LuaTable(n, 0);
          for (int i = 1; i <= n; i++) {
            if (!items[i - 1].isnil()) {
              t.rawset(i, items[i - 1]);
            }
          }
          return t;
        }
        case '%': {
          int n = Integer.parseInt(line());
          LuaValue[] items = pairs(n);
          LuaTable map = new LuaTable();
          for (int i = 0; i < n; i++) {
            if (!items[2 * i].isnil()) {
              map.rawset(items[2 * i], items[2 * i + 1]);
            }
          }
          LuaTable t = new LuaTable();
          t.rawset(MAP, map);
          return t;
        }
        case '~': {
          int n = Integer.parseInt(line());
          LuaValue[] items = elements(n);
          LuaTable set = new LuaTable();
          for (LuaValue k : items) {
            if (!k.isnil()) {
              set.rawset(k, LuaValue.TRUE);
            }
          }
          LuaTable t = new LuaTable();
          t.rawset(SET, set);
          return t;
        }
        case '_':
          line();
          return LuaValue.NIL;
        case '#':
          return LuaValue.valueOf(line().equals("t"));
        case ',': {
          String d = line();
          double v = switch (d) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan", "-nan" -> Double.NaN;
            default -> Double.parseDouble(d);
          };
          LuaTable t = new LuaTable();
          t.rawset(DOUBLE, LuaValue.valueOf(v));
          return t;
        }
        case '(': {
          LuaTable t = new LuaTable();
          t.rawset(BIG_NUMBER, lineBytes());
          return t;
        }
        case '=': {
          int len = Integer.parseInt(line());
          LuaString all = bulkBody(len);
          LuaTable v = new LuaTable();
          v.rawset(STRING, all.substring(4, len));
          v.rawset(FORMAT, all.substring(0, 3));
          LuaTable t = new LuaTable();
          t.rawset(VERBATIM, v);
          return t;
        }
        case '|': {
          int n = Integer.parseInt(line());
          for (int i = 0; i < 2 * n; i++) {
            value(); // attributes are not shown to scripts
          }
          return value();
        }
        default:
          throw new IllegalStateException("unexpected reply type '" + (char) type + "'");
      }
    }
  }

  // ---------------------------------------------------------------- Lua -> reply

  /**
   * Writes {@code value} as the script's reply (Redis's luaReplyToRedisReply). {@code scriptResp}
   * is the protocol the script chose with redis.setresp (it decides how booleans are answered);
   * the writer's protocol is the caller's.
   */
  static void write(LuaValue value, RespWriter out, int scriptResp) {
    write(value, out, scriptResp, 0);
  }

  private static void write(LuaValue value, RespWriter out, int scriptResp, int depth) {
    if (depth > MAX_DEPTH) {
      out.error("ERR reached lua stack limit");
      return;
    }
    switch (value.type()) {
      case LuaValue.TSTRING -> {
        LuaString s = value.checkstring();
        out.bulk(s.m_bytes, s.m_offset, s.m_length);
      }
      case LuaValue.TBOOLEAN -> {
        if (scriptResp == 2) {
          if (value.toboolean()) {
            out.integer(1);
          } else {
            out.nullBulk();
          }
        } else {
          out.bool(value.toboolean());
        }
      }
      case LuaValue.TNUMBER -> out.integer(toLong(value.todouble()));
      case LuaValue.TTABLE -> writeTable((LuaTable) value, out, scriptResp, depth);
      default -> out.nullBulk();
    }
  }

  /**
   * C's {@code (long long)} of a double on x86-64 (cvttsd2si): NaN and values out of range give the
   * "integer indefinite" value, Long.MIN_VALUE (Redis answers -9223372036854775808 to {@code return
   * math.huge}), where Java's cast would give 0 or saturate.
   */
  static long toLong(double d) {
    if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
      return Long.MIN_VALUE;
    }
    return (long) d;
  }

  private static void writeTable(LuaTable t, RespWriter out, int scriptResp, int depth) {
    LuaValue err = t.rawget(ERR);
    if (err.type() == LuaValue.TSTRING) {
      out.error(latin1(err.checkstring()));
      return;
    }
    LuaValue ok = t.rawget(OK);
    if (ok.type() == LuaValue.TSTRING) {
      out.simpleString(latin1(ok.checkstring()));
      return;
    }
    LuaValue dbl = t.rawget(DOUBLE);
    if (dbl.type() == LuaValue.TNUMBER) {
      double d = dbl.todouble();
      out.doubleValue(d, CFormat.g17(d));
      return;
    }
    LuaValue big = t.rawget(BIG_NUMBER);
    if (big.type() == LuaValue.TSTRING) {
      String text = latin1(big.checkstring()).replace('\r', ' ').replace('\n', ' ');
      if (out.isResp3()) {
        out.buffer().writeByte('(');
        out.buffer().writeCharSequence(text, StandardCharsets.ISO_8859_1);
        out.buffer().writeByte('\r').writeByte('\n');
      } else {
        out.bulk(text.getBytes(StandardCharsets.ISO_8859_1));
      }
      return;
    }
    LuaValue verbatim = t.rawget(VERBATIM);
    if (verbatim.istable()) {
      LuaValue format = ((LuaTable) verbatim).rawget(FORMAT);
      LuaValue string = ((LuaTable) verbatim).rawget(STRING);
      if (format.type() == LuaValue.TSTRING && string.type() == LuaValue.TSTRING) {
        LuaString f = format.checkstring();
        LuaString s = string.checkstring();
        if (out.isResp3()) {
          ByteBuf b = out.buffer();
          b.writeByte('=');
          b.writeCharSequence(Integer.toString(s.m_length + 4), StandardCharsets.US_ASCII);
          b.writeByte('\r').writeByte('\n');
          for (int i = 0; i < 3; i++) {
            b.writeByte(i < f.m_length ? f.m_bytes[f.m_offset + i] : ' ');
          }
          b.writeByte(':');
          b.writeBytes(s.m_bytes, s.m_offset, s.m_length);
          b.writeByte('\r').writeByte('\n');
        } else {
          out.bulk(s.m_bytes, s.m_offset, s.m_length);
        }
        return;
      }
    }
    LuaValue map = t.rawget(MAP);
    if (map.istable()) {
      LuaTable m = (LuaTable) map;
      int pairs = 0;
      for (Varargs n = m.next(LuaValue.NIL); !n.arg1().isnil(); n = m.next(n.arg1())) {
        pairs++;
      }
      out.mapHeader(pairs);
      for (Varargs n = m.next(LuaValue.NIL); !n.arg1().isnil(); n = m.next(n.arg1())) {
        write(n.arg1(), out, scriptResp, depth + 1);
        write(n.arg(2), out, scriptResp, depth + 1);
      }
      return;
    }
    LuaValue set = t.rawget(SET);
    if (set.istable()) {
      LuaTable s = (LuaTable) set;
      int members = 0;
      for (Varargs n = s.next(LuaValue.NIL); !n.arg1().isnil(); n = s.next(n.arg1())) {
        members++;
      }
      out.setHeader(members);
      for (Varargs n = s.next(LuaValue.NIL); !n.arg1().isnil(); n = s.next(n.arg1())) {
        write(n.arg1(), out, scriptResp, depth + 1);
      }
      return;
    }
    int length = 0;
    while (!t.rawget(length + 1).isnil()) {
      length++;
    }
    out.arrayHeader(length);
    for (int i = 1; i <= length; i++) {
      write(t.rawget(i), out, scriptResp, depth + 1);
    }
  }

  static String latin1(LuaString s) {
    return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
  }
}

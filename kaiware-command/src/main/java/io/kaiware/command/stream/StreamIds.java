package io.kaiware.command.stream;

import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.Numbers;
import io.kaiware.engine.StreamId;
import io.kaiware.resp.RespWriter;
import java.nio.charset.StandardCharsets;

/**
 * Stream IDs as the stream commands read and write them: Redis 7.0's streamGenericParseIDOrReply
 * ({@code ms-seq}, {@code ms} alone, {@code -} and {@code +}, {@code ms-*} for XADD, {@code (}
 * for exclusive interval bounds) with its error texts.
 */
final class StreamIds {
  private StreamIds() {}

  static final String INVALID = "ERR Invalid stream ID specified as stream command argument";

  /** What {@link #parse} found: the ID, and whether the sequence was given (false for {@code ms-*}). */
  record Parsed(StreamId id, boolean seqGiven) {}

  /**
   * Parses {@code arg}; {@code missingSeq} is the sequence of an ID given as {@code ms} alone;
   * {@code strict} refuses {@code -} and {@code +}; {@code autoSeq} accepts {@code ms-*}. Null
   * when the argument is not an ID.
   */
  static Parsed parse(byte[] arg, long missingSeq, boolean strict, boolean autoSeq) {
    int n = arg.length;
    if (n > 127) {
      return null;
    }
    if (n == 1 && (arg[0] == '-' || arg[0] == '+')) {
      if (strict) {
        return null;
      }
      return new Parsed(arg[0] == '-' ? StreamId.MIN : StreamId.MAX, true);
    }
    int dash = -1;
    for (int i = 0; i < n; i++) {
      if (arg[i] == '-') {
        dash = i;
        break;
      }
    }
    String text = new String(arg, StandardCharsets.ISO_8859_1);
    long[] ms = new long[1];
    if (!string2ull(dash < 0 ? text : text.substring(0, dash), ms)) {
      return null;
    }
    if (dash < 0) {
      return new Parsed(new StreamId(ms[0], missingSeq), true);
    }
    String seqText = text.substring(dash + 1);
    if (autoSeq && seqText.equals("*")) {
      return new Parsed(new StreamId(ms[0], 0), false);
    }
    long[] seq = new long[1];
    if (!string2ull(seqText, seq)) {
      return null;
    }
    return new Parsed(new StreamId(ms[0], seq[0]), true);
  }

  /** Redis's string2ull: a strict long ({@link Numbers#parseLong}) that is not negative, else what strtoull(s, 10) accepts whole. */
  static boolean string2ull(String s, long[] out) {
    byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
    long strict = Numbers.parseLong(bytes);
    if (strict != Numbers.NOT_A_LONG || Numbers.isMinLong(bytes)) {
      if (strict < 0) {
        return false;
      }
      out[0] = strict;
      return true;
    }
    int i = 0;
    int n = s.length();
    while (i < n && isSpace(s.charAt(i))) {
      i++;
    }
    boolean negative = false;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    if (i == n) {
      return false;
    }
    for (int j = i; j < n; j++) {
      if (s.charAt(j) < '0' || s.charAt(j) > '9') {
        return false;
      }
    }
    try {
      long v = Long.parseUnsignedLong(s.substring(i));
      out[0] = negative ? -v : v;
      return true;
    } catch (NumberFormatException e) {
      return false; // ERANGE
    }
  }

  private static boolean isSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  /** Argument {@code index} as an ID ({@code -} and {@code +} allowed), or the invalid-ID error. */
  static StreamId id(CommandContext ctx, int index, long missingSeq) {
    Parsed p = parse(ctx.arg(index), missingSeq, false, false);
    if (p == null) {
      throw new CommandError(INVALID);
    }
    return p.id();
  }

  /** Argument {@code index} as a strict ID (no {@code -} or {@code +}), or the invalid-ID error. */
  static StreamId strictId(CommandContext ctx, int index) {
    Parsed p = parse(ctx.arg(index), 0, true, false);
    if (p == null) {
      throw new CommandError(INVALID);
    }
    return p.id();
  }

  /**
   * A range bound (Redis's streamParseIntervalIDOrReply then streamIncrID/DecrID): {@code (id}
   * excludes the ID; {@code start} bounds round a bare {@code ms} to seq 0, end bounds to the
   * largest seq.
   */
  static StreamId bound(CommandContext ctx, int index, boolean start) {
    byte[] a = ctx.arg(index);
    long missingSeq = start ? 0 : -1L;
    if (a.length > 1 && a[0] == '(') {
      byte[] rest = java.util.Arrays.copyOfRange(a, 1, a.length);
      Parsed p = parse(rest, missingSeq, true, false);
      if (p == null) {
        throw new CommandError(INVALID);
      }
      StreamId id = start ? p.id().next() : p.id().previous();
      if (id == null) {
        throw new CommandError(start ? "ERR invalid start ID for the interval" : "ERR invalid end ID for the interval");
      }
      return id;
    }
    return id(ctx, index, missingSeq);
  }

  static void reply(RespWriter reply, StreamId id) {
    reply.bulk(id.toString());
  }

  static void reply(RespWriter reply, long ms, long seq) {
    reply.bulk(Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq));
  }
}

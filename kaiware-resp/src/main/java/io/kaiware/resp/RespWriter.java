package io.kaiware.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Writes replies straight into a {@link ByteBuf} in the connection's protocol version: RESP3 types
 * (map, set, double, boolean, null, verbatim, push) degrade to their RESP2 forms when the connection
 * speaks RESP2, so command handlers write one shape for both.
 *
 * <p>Allocation-free for integers, lengths and the common constant replies: numbers are written
 * digit by digit, small ones from a shared table. Not thread-safe; retarget it with {@link #target}.
 */
public final class RespWriter {

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL_RESP3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRUE_RESP3 = "#t\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE_RESP3 = "#f\r\n".getBytes(StandardCharsets.US_ASCII);

  /** Pre-encoded ":n\r\n" for 0..SMALL_INTS-1: the bulk of integer replies. */
  private static final int SMALL_INTS = 1024;
  private static final byte[][] SMALL_INT_REPLIES = new byte[SMALL_INTS][];
  /** Pre-encoded "$n\r\n" bulk headers for lengths 0..SMALL_INTS-1. */
  private static final byte[][] SMALL_BULK_HEADERS = new byte[SMALL_INTS][];
  /** Pre-encoded "*n\r\n" array headers for 0..SMALL_INTS-1. */
  private static final byte[][] SMALL_ARRAY_HEADERS = new byte[SMALL_INTS][];

  static {
    for (int i = 0; i < SMALL_INTS; i++) {
      SMALL_INT_REPLIES[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
      SMALL_BULK_HEADERS[i] = ("$" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
      SMALL_ARRAY_HEADERS[i] = ("*" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
  }

  private ByteBuf out;
  private int protocol = 2;

  public RespWriter() {}

  public RespWriter(ByteBuf out, int protocol) {
    this.out = out;
    this.protocol = protocol;
  }

  /** Points this writer at another buffer and protocol version (2 or 3). */
  public RespWriter target(ByteBuf out, int protocol) {
    this.out = out;
    this.protocol = protocol;
    return this;
  }

  public ByteBuf buffer() {
    return out;
  }

  public int protocol() {
    return protocol;
  }

  public boolean isResp3() {
    return protocol >= 3;
  }

  public void ok() {
    out.writeBytes(OK);
  }

  public void pong() {
    out.writeBytes(PONG);
  }

  /** {@code +text}; the text must not contain CR or LF. */
  public void simpleString(String text) {
    out.writeByte('+');
    writeAsciiLine(text);
  }

  /** {@code -text}; the text starts with the error code (ERR, WRONGTYPE, NOAUTH ...). */
  public void error(String text) {
    out.writeByte('-');
    writeAsciiLine(trimLineEnds(text));
  }

  /**
   * Redis's addReplyErrorFormat: CR and LF at either end of an error are trimmed (sdstrim), those
   * inside become spaces ("Unsupported option \n" ends in one space, not two).
   */
  private static String trimLineEnds(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isLineEnd(text.charAt(start))) {
      start++;
    }
    while (end > start && isLineEnd(text.charAt(end - 1))) {
      end--;
    }
    return start == 0 && end == text.length() ? text : text.substring(start, end);
  }

  private static boolean isLineEnd(char c) {
    return c == '\r' || c == '\n';
  }

  public void integer(long value) {
    if (value >= 0 && value < SMALL_INTS) {
      out.writeBytes(SMALL_INT_REPLIES[(int) value]);
      return;
    }
    out.writeByte(':');
    writeDecimal(value);
    out.writeBytes(CRLF);
  }

  public void bulk(byte[] value) {
    if (value == null) {
      nullBulk();
      return;
    }
    writeHeader(SMALL_BULK_HEADERS, '$', value.length);
    out.writeBytes(value);
    out.writeBytes(CRLF);
  }

  public void bulk(byte[] value, int offset, int length) {
    writeHeader(SMALL_BULK_HEADERS, '$', length);
    out.writeBytes(value, offset, length);
    out.writeBytes(CRLF);
  }

  public void bulk(String value) {
    if (value == null) {
      nullBulk();
      return;
    }
    bulk(value.getBytes(StandardCharsets.UTF_8));
  }

  /** A number as a bulk string (what Redis does for e.g. INCRBYFLOAT or CONFIG GET values). */
  public void bulkDecimal(long value) {
    bulk(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
  }

  /** RESP2 {@code $-1}, RESP3 {@code _}. */
  public void nullBulk() {
    out.writeBytes(protocol >= 3 ? NULL_RESP3 : NULL_BULK);
  }

  /** RESP2 {@code *-1}, RESP3 {@code _}. */
  public void nullArray() {
    out.writeBytes(protocol >= 3 ? NULL_RESP3 : NULL_ARRAY);
  }

  public void arrayHeader(int count) {
    writeHeader(SMALL_ARRAY_HEADERS, '*', count);
  }

  /** RESP3 {@code %n}; RESP2 an array of 2n elements (key, value, key, value ...). */
  public void mapHeader(int pairs) {
    if (protocol >= 3) {
      out.writeByte('%');
      writeDecimal(pairs);
      out.writeBytes(CRLF);
    } else {
      arrayHeader(pairs * 2);
    }
  }

  /** RESP3 {@code ~n}; RESP2 an array. */
  public void setHeader(int count) {
    if (protocol >= 3) {
      out.writeByte('~');
      writeDecimal(count);
      out.writeBytes(CRLF);
    } else {
      arrayHeader(count);
    }
  }

  /** RESP3 {@code >n} (out-of-band push); RESP2 an array. */
  public void pushHeader(int count) {
    if (protocol >= 3) {
      out.writeByte('>');
      writeDecimal(count);
      out.writeBytes(CRLF);
    } else {
      arrayHeader(count);
    }
  }

  /** RESP3 {@code #t}/{@code #f}; RESP2 {@code :1}/{@code :0}. */
  public void bool(boolean value) {
    if (protocol >= 3) {
      out.writeBytes(value ? TRUE_RESP3 : FALSE_RESP3);
    } else {
      integer(value ? 1 : 0);
    }
  }

  /** RESP3 {@code ,<double>}; RESP2 a bulk string, formatted by the caller's rules. */
  public void doubleValue(double value, String resp2Text) {
    if (protocol >= 3) {
      out.writeByte(',');
      String text;
      if (Double.isInfinite(value)) {
        text = value > 0 ? "inf" : "-inf";
      } else if (Double.isNaN(value)) {
        text = "nan";
      } else {
        text = resp2Text;
      }
      writeAsciiLine(text);
    } else {
      bulk(resp2Text);
    }
  }

  /** RESP3 big number {@code (digits}; RESP2 a bulk string of the digits. */
  public void bigNumber(String digits) {
    if (protocol >= 3) {
      out.writeByte('(');
      writeAsciiLine(digits);
    } else {
      bulk(digits);
    }
  }

  /**
   * RESP3 attribute {@code |n}: n key/value pairs that describe the reply following them. RESP2 has
   * no attributes: nothing is written, and the caller must write no pairs either.
   */
  public void attributeHeader(int pairs) {
    if (protocol >= 3) {
      out.writeByte('|');
      writeDecimal(pairs);
      out.writeBytes(CRLF);
    }
  }

  /** RESP3 verbatim string {@code =len\r\ntxt:...}; RESP2 a bulk string. */
  public void verbatim(String format, String text) {
    if (protocol >= 3) {
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      out.writeByte('=');
      writeDecimal(body.length + 4);
      out.writeBytes(CRLF);
      out.writeCharSequence(format, StandardCharsets.US_ASCII);
      out.writeByte(':');
      out.writeBytes(body);
      out.writeBytes(CRLF);
    } else {
      bulk(text);
    }
  }

  private void writeHeader(byte[][] table, char type, int n) {
    if (n < SMALL_INTS) {
      out.writeBytes(table[n]);
    } else {
      out.writeByte(type);
      writeDecimal(n);
      out.writeBytes(CRLF);
    }
  }

  private void writeAsciiLine(String text) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      // A CR or LF would end the line early and desynchronise the client: Redis replaces them with spaces.
      out.writeByte(c == '\r' || c == '\n' ? ' ' : c);
    }
    out.writeBytes(CRLF);
  }

  private void writeDecimal(long value) {
    if (value == Long.MIN_VALUE) {
      out.writeCharSequence("-9223372036854775808", StandardCharsets.US_ASCII);
      return;
    }
    if (value < 0) {
      out.writeByte('-');
      value = -value;
    }
    int digits = 1;
    for (long v = value; v >= 10; v /= 10) {
      digits++;
    }
    int end = out.writerIndex() + digits;
    out.ensureWritable(digits);
    for (int i = end - 1; i >= out.writerIndex(); i--) {
      out.setByte(i, (int) ('0' + value % 10));
      value /= 10;
    }
    out.writerIndex(end);
  }
}

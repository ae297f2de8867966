package io.kaiware.resp;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Decodes client requests, RESP multibulk ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) or inline
 * ({@code GET k\r\n}), into argument arrays.
 *
 * <h2>Design</h2>
 * An explicit state machine in the style of Netty's {@code RedisDecoder}: {@link #decode} loops over
 * the states and every step returns {@code null} for "need more bytes" without consuming a partial
 * token, so a request can arrive one byte at a time. It differs from Netty's codec in what a server
 * needs:
 * <ul>
 *   <li>Every length a client sends is checked before it is used, with Redis's limits and error texts
 *       (see {@link RespLimits}); an unauthenticated client is held to the small pre-AUTH limits.</li>
 *   <li>Nothing is pre-sized from a client-controlled length: the argument array grows as arguments
 *       arrive, and a bulk string is copied out only once all its bytes are buffered.</li>
 *   <li>One {@code byte[]} per argument and nothing else. The engine keeps a SET's value array as
 *       it is, so a stored value is copied exactly once, from the socket buffer.</li>
 *   <li>Except the command name: when it has the same bytes as the previous request's (a pipeline,
 *       or a client that repeats its command), that array is handed out again. Arguments are never
 *       written to after decoding (handlers and the replication stream copy what they change), so
 *       requests may share it; it saves one array per request on the hot path.</li>
 * </ul>
 * Like Redis, the two bytes after a bulk string are skipped, not checked, and an empty multibulk
 * ({@code *0} or {@code *-1}) or an empty inline line is no command at all.
 *
 * <p>Not thread-safe: one decoder per connection, used by its I/O thread.
 */
public final class RespRequestDecoder {

  private enum State { START, MULTIBULK_ARG_LENGTH, MULTIBULK_ARG_BODY }

  private static final byte[][] NO_ARGS = new byte[0][];

  private final RespLimits limits;
  private boolean authenticated = true;

  /** Command names longer than this are not kept for reuse (no command name is). */
  private static final int MAX_REUSED_NAME = 32;

  /** The last command name decoded (see the class comment). */
  private byte[] lastName = new byte[0];

  private State state = State.START;
  private byte[][] args = NO_ARGS;
  private int argCount;
  private int argsExpected;
  private int bulkLength;

  public RespRequestDecoder(RespLimits limits) {
    this.limits = limits;
  }

  /** Before AUTH the small pre-authentication limits apply (Redis: 10 arguments, 16 KB bulks). */
  public void setAuthenticated(boolean authenticated) {
    this.authenticated = authenticated;
  }

  /**
   * Decodes the next request from {@code in}.
   *
   * @return the arguments of one complete request (never empty), or {@code null} when {@code in}
   *     holds no complete request yet; bytes of a partial request stay unread except for complete
   *     arguments already taken
   * @throws RespProtocolException when the bytes break the protocol; the connection must be closed
   */
  public byte[][] decode(ByteBuf in) {
    for (;;) {
      switch (state) {
        case START -> {
          if (!in.isReadable()) {
            return null;
          }
          if (in.getByte(in.readerIndex()) == '*') {
            if (!decodeMultibulkLength(in)) {
              return null;
            }
            // *0 and *-1 are no command; look for the next one.
          } else {
            byte[][] inline = decodeInline(in);
            if (inline == null) {
              return null;
            }
            if (inline.length > 0) {
              return inline;
            }
          }
        }
        case MULTIBULK_ARG_LENGTH -> {
          if (!decodeBulkLength(in)) {
            return null;
          }
        }
        case MULTIBULK_ARG_BODY -> {
          if (in.readableBytes() < bulkLength + 2L) {
            return null;
          }
          byte[] arg;
          if (argCount == 0 && bulkLength == lastName.length && sameBytes(in, lastName)) {
            arg = lastName;
            in.skipBytes(bulkLength + 2);
          } else {
            arg = new byte[bulkLength];
            in.readBytes(arg);
            in.skipBytes(2);
            if (argCount == 0 && bulkLength <= MAX_REUSED_NAME) {
              lastName = arg;
            }
          }
          if (argCount == args.length) {
            args = Arrays.copyOf(args, Math.min(argsExpected, Math.max(8, args.length * 2)));
          }
          args[argCount++] = arg;
          if (argCount == argsExpected) {
            byte[][] request = args.length == argCount ? args : Arrays.copyOf(args, argCount);
            args = NO_ARGS;
            argCount = 0;
            state = State.START;
            return request;
          }
          state = State.MULTIBULK_ARG_LENGTH;
        }
      }
    }
  }

  /** Whether the next {@code name.length} readable bytes of {@code in} are {@code name}'s. */
  private static boolean sameBytes(ByteBuf in, byte[] name) {
    int at = in.readerIndex();
    for (int i = 0; i < name.length; i++) {
      if (in.getByte(at + i) != name[i]) {
        return false;
      }
    }
    return true;
  }

  /** {@code *<count>\r\n}. Returns false when the line is not complete yet. */
  private boolean decodeMultibulkLength(ByteBuf in) {
    int lineEnd = findLineEnd(in);
    if (lineEnd < 0) {
      if (in.readableBytes() > limits.maxInlineLengthBytes()) {
        throw new RespProtocolException("too big mbulk count string");
      }
      return false;
    }
    long count = parseLong(in, in.readerIndex() + 1, lineEnd);
    if (count == PARSE_FAILED || count > Integer.MAX_VALUE || count > limits.maxMultibulkLength()) {
      throw new RespProtocolException("invalid multibulk length");
    }
    if (!authenticated && count > limits.maxUnauthMultibulkLength()) {
      throw new RespProtocolException("unauthenticated multibulk length");
    }
    in.readerIndex(lineEnd + 2);
    if (count > 0) {
      argsExpected = (int) count;
      argCount = 0;
      args = new byte[(int) Math.min(count, 16)][];
      state = State.MULTIBULK_ARG_LENGTH;
    }
    return true;
  }

  /** {@code $<length>\r\n}. Returns false when the line is not complete yet. */
  private boolean decodeBulkLength(ByteBuf in) {
    int lineEnd = findLineEnd(in);
    if (lineEnd < 0) {
      if (in.readableBytes() > limits.maxInlineLengthBytes()) {
        throw new RespProtocolException("too big bulk count string");
      }
      return false;
    }
    byte first = in.getByte(in.readerIndex());
    if (first != '$') {
      throw new RespProtocolException("expected '$', got '" + (char) (first & 0xff) + "'");
    }
    long length = parseLong(in, in.readerIndex() + 1, lineEnd);
    if (length == PARSE_FAILED || length < 0 || length > limits.maxBulkLengthBytes() || length > Integer.MAX_VALUE - 2) {
      throw new RespProtocolException("invalid bulk length");
    }
    if (!authenticated && length > limits.maxUnauthBulkLengthBytes()) {
      throw new RespProtocolException("unauthenticated bulk length");
    }
    in.readerIndex(lineEnd + 2);
    bulkLength = (int) length;
    state = State.MULTIBULK_ARG_BODY;
    return true;
  }

  /** An inline line split like redis-cli / sdssplitargs; {@code null} when the line is incomplete. */
  private byte[][] decodeInline(ByteBuf in) {
    int newline = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
    if (newline < 0) {
      if (in.readableBytes() > limits.maxInlineLengthBytes()) {
        throw new RespProtocolException("too big inline request");
      }
      return null;
    }
    if (newline - in.readerIndex() > limits.maxInlineLengthBytes()) {
      throw new RespProtocolException("too big inline request");
    }
    int end = newline;
    if (end > in.readerIndex() && in.getByte(end - 1) == '\r') {
      end--;
    }
    byte[] line = new byte[end - in.readerIndex()];
    in.getBytes(in.readerIndex(), line);
    in.readerIndex(newline + 1);
    byte[][] split = InlineSplitter.split(line);
    if (split == null) {
      throw new RespProtocolException("unbalanced quotes in request");
    }
    if (!authenticated && split.length > limits.maxUnauthMultibulkLength()) {
      throw new RespProtocolException("unauthenticated multibulk length");
    }
    return split;
  }

  /** Index of the '\r' of the next "\r\n" at or after the reader index, or -1. */
  private static int findLineEnd(ByteBuf in) {
    int from = in.readerIndex();
    for (;;) {
      int cr = in.indexOf(from, in.writerIndex(), (byte) '\r');
      if (cr < 0 || cr + 1 >= in.writerIndex()) {
        return -1;
      }
      if (in.getByte(cr + 1) == '\n') {
        return cr;
      }
      from = cr + 1;
    }
  }

  private static final long PARSE_FAILED = Long.MIN_VALUE;

  /** Redis's string2ll: optional '-', digits, no leading zeros, no '+', no spaces, fits in a long. */
  static long parseLong(ByteBuf in, int from, int to) {
    int length = to - from;
    if (length <= 0 || length > 20) {
      return PARSE_FAILED;
    }
    int i = from;
    boolean negative = false;
    if (in.getByte(i) == '-') {
      negative = true;
      i++;
      if (i == to) {
        return PARSE_FAILED;
      }
    }
    if (in.getByte(i) == '0') {
      return (i + 1 == to && !negative) ? 0 : PARSE_FAILED;
    }
    long value = 0;
    for (; i < to; i++) {
      int digit = in.getByte(i) - '0';
      if (digit < 0 || digit > 9) {
        return PARSE_FAILED;
      }
      if (value > (Long.MAX_VALUE - digit) / 10) {
        return PARSE_FAILED;
      }
      value = value * 10 + digit;
    }
    return negative ? -value : value;
  }
}

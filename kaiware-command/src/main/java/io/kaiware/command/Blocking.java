package io.kaiware.command;

import io.kaiware.command.stream.StreamCommands;
import io.kaiware.command.string.LongDoubles;
import io.kaiware.engine.Keyspace;
import io.kaiware.engine.ListValue;
import io.kaiware.engine.SortedSet;
import io.kaiware.engine.StreamValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the blocking pops (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP) and the
 * blocking stream reads (XREAD and XREADGROUP with BLOCK) share.
 * Their handlers run with Redis's non-blocking semantics (what Redis does for them inside MULTI):
 * they pop if they can, else answer the timeout reply. Parking the client until a key has data is
 * the server's business; this class tells it where a command's timeout and keys are, which type of
 * value it waits for, and whether a reply was the timeout reply.
 */
public final class Blocking {
  private Blocking() {}

  public static final String NOT_A_FLOAT = "ERR timeout is not a float or out of range";
  public static final String NEGATIVE = "ERR timeout is negative";
  /** Timeouts are capped here (about 146 million years) so that now + timeout never overflows. */
  public static final long MAX_TIMEOUT_MS = Long.MAX_VALUE / 2;

  /**
   * Redis's getTimeoutFromObjectOrReply in seconds: the timeout in milliseconds (0 = forever),
   * rounded up as Redis does ({@code ceill(seconds * 1000)}); a {@link CommandError} when invalid.
   */
  public static long timeoutMs(byte[] arg) {
    BigDecimal seconds = LongDoubles.parse(arg);
    if (seconds == null) {
      throw new CommandError(NOT_A_FLOAT);
    }
    if (LongDoubles.isInfinite(seconds) || seconds.signum() < 0) {
      // Redis casts ceill(inf) to a long long: out of range, negative on x86.
      throw new CommandError(NEGATIVE);
    }
    BigDecimal ms = seconds.movePointRight(3).setScale(0, RoundingMode.CEILING);
    // Beyond a few million years: as good as forever, and a deadline that cannot overflow.
    return ms.min(BigDecimal.valueOf(MAX_TIMEOUT_MS)).longValue();
  }

  /** The timeout argument of {@code ctx}'s command, validated. */
  public static long timeoutMs(CommandContext ctx, int index) {
    return timeoutMs(ctx.arg(index));
  }

  private static String name(byte[][] command) {
    return new String(command[0], java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
  }

  /**
   * Whether {@code command} names a blocking pop. Asked for every command the server admits, so it
   * answers from the first byte for all the others: every blocking pop starts with 'b' (a CPU
   * profile of a GET/SET load had 2.8% in building the lower-case name here).
   */
  public static boolean isBlocking(byte[][] command) {
    byte[] name = command[0];
    if (name.length >= 5 && (name[0] | 0x20) == 'x') {
      return StreamCommands.blockTimeoutIndex(command) > 0;
    }
    if (name.length < 5 || (name[0] | 0x20) != 'b') {
      return false;
    }
    return switch (name(command)) {
      case "blpop", "brpop", "blmove", "brpoplpush", "blmpop", "bzpopmin", "bzpopmax", "bzmpop" -> true;
      default -> false;
    };
  }

  /** Index of the timeout argument of a blocking pop. */
  public static int timeoutIndex(byte[][] command) {
    return switch (name(command)) {
      case "blmove" -> 5;
      case "brpoplpush" -> 3;
      case "blmpop", "bzmpop" -> 1;
      case "xread", "xreadgroup" -> StreamCommands.blockTimeoutIndex(command);
      default -> command.length - 1;
    };
  }

  /** The timeout in milliseconds (0 = forever), or -1 when the command has none or it is invalid. */
  public static long timeoutMsOf(byte[][] command) {
    int index = timeoutIndex(command);
    if (index < 1 || index >= command.length) {
      return -1;
    }
    try {
      if ((command[0][0] | 0x20) == 'x') {
        long ms = Numbers.parseLong(command[index]); // XREAD's BLOCK: integer milliseconds
        return ms < 0 ? -1 : Math.min(ms, MAX_TIMEOUT_MS);
      }
      return timeoutMs(command[index]);
    } catch (CommandError e) {
      return -1;
    }
  }

  /** The value type a blocking pop waits for: {@link ListValue} or {@link SortedSet}. */
  public static Class<?> valueType(byte[][] command) {
    String name = name(command);
    return name.startsWith("bz") ? SortedSet.class : name.startsWith("x") ? StreamValue.class : ListValue.class;
  }

  /**
   * The command to run again when a parked client wakes: XREAD's {@code $} IDs become the last
   * IDs the streams had when it parked (as Redis remembers them), so entries added meanwhile are
   * served; any other command as it is.
   */
  public static byte[][] forRetry(byte[][] command, Keyspace keyspace, int db) {
    return (command[0][0] | 0x20) == 'x' ? StreamCommands.resolveLastIds(command, keyspace.db(db).table()) : command;
  }

  /** The keys a blocking pop waits on (the source keys; BLMOVE's destination is not one). */
  public static List<byte[]> keys(byte[][] command) {
    List<byte[]> keys = new ArrayList<>();
    switch (name(command)) {
      case "blmove", "brpoplpush" -> keys.add(command[1]);
      case "xread", "xreadgroup" -> {
        for (int i : StreamCommands.XREAD_KEYS.positions(command)) {
          keys.add(command[i]);
        }
      }
      case "blmpop", "bzmpop" -> {
        long n = command.length > 2 ? Numbers.parseLong(command[2]) : 0;
        for (int i = 3; n > 0 && i < command.length && i < 3 + n; i++) {
          keys.add(command[i]);
        }
      }
      default -> {
        for (int i = 1; i < command.length - 1; i++) {
          keys.add(command[i]);
        }
      }
    }
    return keys;
  }

  /** Whether {@code value} is what a waiter of {@code type} can pop from: a non-empty list or sorted set. */
  public static boolean serves(Object value, Class<?> type) {
    if (!type.isInstance(value)) {
      return false;
    }
    if (value instanceof StreamValue) {
      return false; // a stream read waits for entries above its IDs: see the overload with the command
    }
    return value instanceof ListValue l ? l.size() > 0 : ((SortedSet) value).size() > 0;
  }

  /**
   * Whether {@code value}, at the {@code keyIndex}-th key of {@code command}, can serve it now: a
   * list or sorted set that is not empty, or a stream with an entry above the ID the read waits
   * after (or whose group is gone, which the re-run answers with NOGROUP).
   */
  public static boolean serves(Object value, Class<?> type, byte[][] command, int keyIndex) {
    if (value instanceof StreamValue stream && type == StreamValue.class) {
      return StreamCommands.canServe(stream, command, keyIndex);
    }
    return serves(value, type);
  }

  /**
   * Why a parked client must be answered now with an error although nothing serves it, or null:
   * an XREADGROUP whose key no longer holds a stream ({@code value} null: gone) gets Redis's
   * "UNBLOCKED the stream key no longer exists" (its group is gone with it).
   */
  public static byte[] waitFailure(Object value, byte[][] command) {
    if (value instanceof StreamValue || !name(command).equals("xreadgroup")) {
      return null;
    }
    return "-UNBLOCKED the stream key no longer exists\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] NULL_BULK = "$-1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] NULL_RESP3 = "_\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Whether {@code reply} is exactly a timeout reply (RESP2 null array or bulk, RESP3 null). */
  public static boolean isTimeoutReply(byte[] reply) {
    return Arrays.equals(reply, NULL_ARRAY) || Arrays.equals(reply, NULL_BULK) || Arrays.equals(reply, NULL_RESP3);
  }

  /** The timeout reply of {@code command} in {@code protocol}. */
  public static byte[] timeoutReply(byte[][] command, int protocol) {
    if (protocol >= 3) {
      return NULL_RESP3.clone();
    }
    String n = name(command);
    return (n.equals("blmove") || n.equals("brpoplpush") ? NULL_BULK : NULL_ARRAY).clone();
  }
}

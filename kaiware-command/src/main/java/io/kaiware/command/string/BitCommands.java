package io.kaiware.command.string;

import static io.kaiware.command.CommandFlag.DENYOOM;
import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.KeyspaceEvents;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.KeySpec;
import io.kaiware.command.Numbers;
import io.kaiware.engine.KeyTable;
import java.util.Arrays;
import java.util.List;

/**
 * SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP on string values, after Redis 7.0's bitops.c: bit 0 is
 * the most significant bit of the first byte, a missing key is an endless run of zero bits, and
 * SETBIT grows the string with zero bytes. BITFIELD and BITFIELD_RO are in {@link BitfieldCommand}.
 *
 * <p>Stored strings are immutable (a snapshot cut and DUMP share the arrays), so SETBIT writes a
 * changed copy: O(length) where Redis flips the bit in place. It writes nothing when the bit already
 * has the value and the string need not grow, so WATCH is not dirtied (as in Redis).
 */
public final class BitCommands {
  private BitCommands() {}

  private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
  private static final String BAD_BIT = "ERR bit is not an integer or out of range";

  public static List<CommandSpec> specs() {
    return List.of(
        command("setbit").arity(4).flags(WRITE, DENYOOM).keys(1, 1, 1).group("bitmap").since("2.2.0").complexity("O(1)")
            .summary("Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.")
            .handler(BitCommands::setbit).build(),
        command("getbit").arity(3).flags(READONLY, FAST).keys(1, 1, 1).group("bitmap").since("2.2.0").complexity("O(1)")
            .summary("Returns a bit value by offset.").handler(BitCommands::getbit).build(),
        command("bitcount").arity(-2).flags(READONLY).keys(1, 1, 1).group("bitmap").since("2.6.0").complexity("O(N)")
            .summary("Counts the number of set bits (population counting) in a string.").handler(BitCommands::bitcount).build(),
        command("bitop").arity(-4).flags(WRITE, DENYOOM).keys(2, -1, 1).group("bitmap").since("2.6.0").complexity("O(N)")
            .keySpecs(KeySpec.range(2, 0, 1, "OW", "update"), KeySpec.range(3, -1, 1, "RO", "access"))
            .summary("Perform bitwise operations between strings").handler(BitCommands::bitop).build(),
        command("bitpos").arity(-3).flags(READONLY).keys(1, 1, 1).group("bitmap").since("2.8.7").complexity("O(N)")
            .keySpecs(KeySpec.range(1, 0, 1, "RO", "access"))
            .summary("Find first bit set or clear in a string").handler(BitCommands::bitpos).build());
  }

  /** A bit offset: a non-negative integer whose byte lies within proto-max-bulk-len. */
  private static long bitOffset(CommandContext ctx, int index) {
    long offset = Numbers.parseLong(ctx.arg(index));
    if ((offset == Numbers.NOT_A_LONG && !Numbers.isMinLong(ctx.arg(index))) || offset < 0
        || (offset >>> 3) >= StringCommands.protoMaxBulkLen(ctx)) {
      throw new CommandError(BAD_OFFSET);
    }
    return offset;
  }

  private static void setbit(CommandContext ctx) {
    long offset = bitOffset(ctx, 2);
    long on = Numbers.parseLong(ctx.arg(3));
    if ((on & ~1L) != 0) { // also rejects a non-integer (NOT_A_LONG is Long.MIN_VALUE)
      throw new CommandError(BAD_BIT);
    }
    byte[] key = ctx.arg(1);
    byte[] current = StringCommands.lookupStringForWrite(ctx, key);
    if ((offset >>> 3) >= Integer.MAX_VALUE - 16) { // a Java array's limit: only with proto-max-bulk-len above 2 GB
      throw new CommandError(StringCommands.TOO_LONG);
    }
    int byteIndex = (int) (offset >>> 3);
    int mask = 1 << (7 - (int) (offset & 7));
    boolean wasSet = current != null && byteIndex < current.length && (current[byteIndex] & mask) != 0;
    boolean grows = current == null || byteIndex >= current.length;
    if (grows || wasSet != (on == 1)) {
      byte[] updated = current == null ? new byte[byteIndex + 1]
          : Arrays.copyOf(current, Math.max(current.length, byteIndex + 1));
      updated[byteIndex] = (byte) (on == 1 ? updated[byteIndex] | mask : updated[byteIndex] & ~mask);
      if (current == null) {
        ctx.db().put(key, updated, KeyTable.NO_EXPIRY);
      } else {
        ctx.db().putKeepTtl(key, updated, ctx.nowMs());
      }
      ctx.keyspace().markRawString(updated);
      ctx.notify(KeyspaceEvents.STRING, "setbit", key);
    } else {
      ctx.keyspace().markRawString(current); // Redis unshares the value into a raw string either way
    }
    ctx.reply().integer(wasSet ? 1 : 0);
  }

  private static void getbit(CommandContext ctx) {
    long offset = bitOffset(ctx, 2);
    byte[] value = StringCommands.lookupString(ctx, ctx.arg(1));
    long byteIndex = offset >>> 3;
    boolean set = value != null && byteIndex < value.length && (value[(int) byteIndex] & (1 << (7 - (int) (offset & 7)))) != 0;
    ctx.reply().integer(set ? 1 : 0);
  }

  /** BITCOUNT key [start end [BYTE|BIT]]: Redis looks the key up before it parses the range. */
  private static void bitcount(CommandContext ctx) {
    byte[] value = StringCommands.lookupString(ctx, ctx.arg(1));
    if (value == null) {
      ctx.reply().integer(0);
      return;
    }
    long start;
    long end;
    int firstByteNegMask = 0;
    int lastByteNegMask = 0;
    if (ctx.argc() == 4 || ctx.argc() == 5) {
      start = ctx.longArg(2);
      end = ctx.longArg(3);
      if (start < 0 && end < 0 && start > end) {
        ctx.reply().integer(0);
        return;
      }
      boolean isBit = false;
      if (ctx.argc() == 5) {
        if (ctx.argIs(4, "BIT")) {
          isBit = true;
        } else if (!ctx.argIs(4, "BYTE")) {
          throw new CommandError(CommandError.SYNTAX);
        }
      }
      long total = isBit ? (long) value.length << 3 : value.length;
      start = start < 0 ? Math.max(0, total + start) : start;
      end = end < 0 ? Math.max(0, total + end) : end;
      end = Math.min(end, total - 1);
      if (isBit && start <= end) {
        firstByteNegMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xFF;
        lastByteNegMask = (1 << (7 - (int) (end & 7))) - 1;
        start >>= 3;
        end >>= 3;
      }
    } else if (ctx.argc() == 2) {
      start = 0;
      end = value.length - 1;
    } else {
      throw new CommandError(CommandError.SYNTAX);
    }
    if (start > end) {
      ctx.reply().integer(0);
      return;
    }
    long count = 0;
    for (int i = (int) start; i <= (int) end; i++) {
      count += Integer.bitCount(value[i] & 0xFF);
    }
    count -= Integer.bitCount(value[(int) start] & firstByteNegMask);
    count -= Integer.bitCount(value[(int) end] & lastByteNegMask);
    ctx.reply().integer(count);
  }

  // ---------------------------------------------------------------- BITOP

  private static final int AND = 0;
  private static final int OR = 1;
  private static final int XOR = 2;
  private static final int NOT = 3;

  /**
   * BITOP AND|OR|XOR|NOT destkey key [key ...]: missing keys are empty strings, shorter inputs are
   * zero-padded to the longest; the result replaces the destination (any type, its TTL dropped) as
   * a raw string, or deletes it when every input is empty. Replies the result's length.
   */
  private static void bitop(CommandContext ctx) {
    int op;
    if (ctx.argIs(1, "AND")) {
      op = AND;
    } else if (ctx.argIs(1, "OR")) {
      op = OR;
    } else if (ctx.argIs(1, "XOR")) {
      op = XOR;
    } else if (ctx.argIs(1, "NOT")) {
      op = NOT;
    } else {
      throw new CommandError(CommandError.SYNTAX);
    }
    if (op == NOT && ctx.argc() != 4) {
      throw new CommandError("ERR BITOP NOT must be called with a single source key.");
    }
    int numKeys = ctx.argc() - 3;
    byte[][] sources = new byte[numKeys][];
    int maxLen = 0;
    for (int j = 0; j < numKeys; j++) {
      byte[] value = StringCommands.lookupString(ctx, ctx.arg(j + 3)); // Redis's lookupKeyRead
      sources[j] = value == null ? EMPTY : value;
      maxLen = Math.max(maxLen, sources[j].length);
    }
    byte[] target = ctx.arg(2);
    if (maxLen == 0) {
      if (ctx.db().delete(target, ctx.nowMs())) {
        ctx.notify(KeyspaceEvents.GENERIC, "del", target);
      }
      ctx.reply().integer(0);
      return;
    }
    byte[] result = Arrays.copyOf(sources[0], maxLen); // zero-padded
    if (op == NOT) {
      for (int i = 0; i < maxLen; i++) {
        result[i] = (byte) ~result[i];
      }
    }
    for (int j = 1; j < numKeys; j++) {
      byte[] src = sources[j];
      int n = src.length;
      switch (op) {
        case AND -> {
          for (int i = 0; i < n; i++) {
            result[i] &= src[i];
          }
          Arrays.fill(result, n, maxLen, (byte) 0);
        }
        case OR -> {
          for (int i = 0; i < n; i++) {
            result[i] |= src[i];
          }
        }
        default -> {
          for (int i = 0; i < n; i++) {
            result[i] ^= src[i];
          }
        }
      }
    }
    ctx.db().put(target, result, KeyTable.NO_EXPIRY); // Redis's setKey: overwrites any type, drops the TTL
    ctx.keyspace().markRawString(result); // createObject(OBJ_STRING, sds): raw, however short
    ctx.notify(KeyspaceEvents.STRING, "set", target);
    ctx.reply().integer(maxLen);
  }

  private static final byte[] EMPTY = new byte[0];

  // ---------------------------------------------------------------- BITPOS

  /**
   * BITPOS key bit [start [end [BYTE|BIT]]], after Redis 7.0's bitposCommand: a missing key answers
   * 0 for a clear bit and -1 for a set one before the range is parsed; looking for a clear bit past
   * the string finds the first padding bit unless an end was given, then -1.
   */
  private static void bitpos(CommandContext ctx) {
    long bit = ctx.longArg(2);
    if (bit != 0 && bit != 1) {
      throw new CommandError("ERR The bit argument must be 1 or 0.");
    }
    byte[] p = StringCommands.lookupString(ctx, ctx.arg(1));
    if (p == null) {
      ctx.reply().integer(bit == 1 ? -1 : 0);
      return;
    }
    long start;
    long end;
    boolean endGiven = false;
    int firstByteNegMask = 0;
    int lastByteNegMask = 0;
    int argc = ctx.argc();
    if (argc == 4 || argc == 5 || argc == 6) {
      long totlen = p.length;
      start = ctx.longArg(3);
      boolean isBit = false;
      if (argc == 6) {
        if (ctx.argIs(5, "BIT")) {
          isBit = true;
        } else if (!ctx.argIs(5, "BYTE")) {
          throw new CommandError(CommandError.SYNTAX);
        }
      }
      if (argc >= 5) {
        end = ctx.longArg(4);
        endGiven = true;
      } else {
        end = totlen - 1;
      }
      if (isBit) {
        totlen <<= 3;
      }
      if (start < 0) {
        start = totlen + start;
      }
      if (end < 0) {
        end = totlen + end;
      }
      if (start < 0) {
        start = 0;
      }
      if (end < 0) {
        end = 0;
      }
      if (end >= totlen) {
        end = totlen - 1;
      }
      if (isBit && start <= end) {
        firstByteNegMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xFF;
        lastByteNegMask = (1 << (7 - (int) (end & 7))) - 1;
        start >>= 3;
        end >>= 3;
      }
    } else if (argc == 3) {
      start = 0;
      end = p.length - 1;
    } else {
      throw new CommandError(CommandError.SYNTAX);
    }
    if (start > end) {
      ctx.reply().integer(-1); // an empty range holds neither a 0 nor a 1
      return;
    }
    int b = (int) bit;
    long bytes = end - start + 1;
    long pos = -1;
    result: {
      if (firstByteNegMask != 0) {
        int tmp = b == 1 ? p[(int) start] & ~firstByteNegMask & 0xFF : (p[(int) start] | firstByteNegMask) & 0xFF;
        if (lastByteNegMask != 0 && bytes == 1) {
          tmp = b == 1 ? tmp & ~lastByteNegMask : (tmp | lastByteNegMask) & 0xFF;
        }
        pos = bitpos(new byte[] {(byte) tmp}, 0, 1, b);
        if (bytes == 1 || (pos != -1 && pos != 8)) {
          break result;
        }
        start++;
        bytes--;
      }
      long curBytes = bytes - (lastByteNegMask != 0 ? 1 : 0);
      if (curBytes > 0) {
        pos = bitpos(p, (int) start, (int) curBytes, b);
        if (bytes == curBytes || (pos != -1 && pos != curBytes << 3)) {
          break result;
        }
        start += curBytes;
        bytes -= curBytes;
      }
      int tmp = b == 1 ? p[(int) end] & ~lastByteNegMask & 0xFF : (p[(int) end] | lastByteNegMask) & 0xFF;
      pos = bitpos(new byte[] {(byte) tmp}, 0, 1, b);
    }
    if (endGiven && b == 0 && pos == bytes << 3) {
      ctx.reply().integer(-1); // no clear bit inside an explicit range
      return;
    }
    if (pos != -1) {
      pos += start << 3;
    }
    ctx.reply().integer(pos);
  }

  /**
   * Redis's redisBitpos: the position of the first {@code bit} in {@code count} bytes from
   * {@code from}; for a clear bit the bytes are taken as zero-padded on the right (so count * 8 when
   * every bit is set), for a set bit -1 when there is none.
   */
  static long bitpos(byte[] p, int from, int count, int bit) {
    int skip = bit == 1 ? 0 : 0xFF;
    for (int i = 0; i < count; i++) {
      int v = p[from + i] & 0xFF;
      if (v != skip) {
        int lead = Integer.numberOfLeadingZeros(bit == 1 ? v : ~v & 0xFF) - 24;
        return ((long) i << 3) + lead;
      }
    }
    return bit == 1 ? -1 : (long) count << 3;
  }
}

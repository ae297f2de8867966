package io.kaiware.command.string;

import static io.kaiware.command.CommandFlag.DENYOOM;
import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.Numbers;
import io.kaiware.engine.KeyTable;
import java.util.Arrays;
import java.util.List;

/**
 * SETBIT, GETBIT and BITCOUNT on string values, after Redis 7.0's bitops.c: bit 0 is the most
 * significant bit of the first byte, a missing key is an endless run of zero bits, and SETBIT grows
 * the string with zero bytes.
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
            .summary("Counts the number of set bits (population counting) in a string.").handler(BitCommands::bitcount).build());
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
}

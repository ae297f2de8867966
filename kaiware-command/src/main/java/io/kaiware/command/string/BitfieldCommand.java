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
 * BITFIELD and BITFIELD_RO, after Redis 7.0's bitops.c ({@code bitfieldGeneric}): signed (i1-i64)
 * and unsigned (u1-u63) integers at any bit offset ({@code #N}: N times the width), read with GET
 * and written with SET and INCRBY under OVERFLOW WRAP (default), SAT or FAIL.
 *
 * <p>Every operation is parsed before anything runs, so an argument error leaves the key untouched.
 * A command with a SET or INCRBY creates the key (zero bytes) or grows it with zeros to the farthest
 * bit written, even when FAIL then refuses every write, as Redis does. Stored strings are immutable,
 * so the operations run on one copy that is stored only if it differs from the value (or the key is
 * new or grew): a BITFIELD that changes nothing does not dirty WATCH, but leaves a {@code raw}
 * string, as Redis unshares the value either way.
 */
public final class BitfieldCommand {
  private BitfieldCommand() {}

  private static final String BAD_TYPE =
      "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
  private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
  private static final String BAD_OVERFLOW = "ERR Invalid OVERFLOW type specified";
  private static final String RO_WRITE = "ERR BITFIELD_RO only supports the GET subcommand";

  private static final int GET = 0;
  private static final int SET = 1;
  private static final int INCRBY = 2;

  static final int WRAP = 0;
  static final int SAT = 1;
  static final int FAIL = 2;

  public static List<CommandSpec> specs() {
    return List.of(
        command("bitfield").arity(-2).flags(WRITE, DENYOOM).keys(1, 1, 1).group("bitmap").since("3.2.0")
            .complexity("O(1) for each subcommand specified")
            .keySpecs(new KeySpec("This command allows both access and modification of the key",
                List.of("RW", "access", "update", "variable_flags"), 1, new KeySpec.Range(0, 1, 0)))
            .summary("Perform arbitrary bitfield integer operations on strings")
            .handler(ctx -> bitfield(ctx, false)).build(),
        command("bitfield_ro").arity(-2).flags(READONLY, FAST).keys(1, 1, 1).group("bitmap").since("6.0.0")
            .complexity("O(1) for each subcommand specified")
            .keySpecs(KeySpec.range(1, 0, 1, "RO", "access"))
            .summary("Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD")
            .handler(ctx -> bitfield(ctx, true)).build());
  }

  /** One parsed operation (Redis's struct bitfieldOp). */
  private record Op(int opcode, long offset, long value, int owtype, int bits, boolean signed) {}

  private static void bitfield(CommandContext ctx, boolean readonlyCommand) {
    Op[] ops = new Op[(ctx.argc() - 2) / 3 + 1];
    int numOps = 0;
    int owtype = WRAP;
    boolean readonly = true;
    long highestWriteOffset = 0;
    for (int j = 2; j < ctx.argc(); j++) {
      int remaining = ctx.argc() - j - 1;
      int opcode;
      if (ctx.argIs(j, "GET") && remaining >= 2) {
        opcode = GET;
      } else if (ctx.argIs(j, "SET") && remaining >= 3) {
        opcode = SET;
      } else if (ctx.argIs(j, "INCRBY") && remaining >= 3) {
        opcode = INCRBY;
      } else if (ctx.argIs(j, "OVERFLOW") && remaining >= 1) {
        j++;
        if (ctx.argIs(j, "WRAP")) {
          owtype = WRAP;
        } else if (ctx.argIs(j, "SAT")) {
          owtype = SAT;
        } else if (ctx.argIs(j, "FAIL")) {
          owtype = FAIL;
        } else {
          throw new CommandError(BAD_OVERFLOW);
        }
        continue;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
      byte[] type = ctx.arg(j + 1);
      boolean signed = type.length > 0 && type[0] == 'i';
      int bits = parseBits(type);
      long offset = parseOffset(ctx, ctx.arg(j + 2), bits);
      long value = 0;
      if (opcode != GET) {
        readonly = false;
        highestWriteOffset = Math.max(highestWriteOffset, offset + bits - 1);
        value = ctx.longArg(j + 3);
      }
      if (numOps == ops.length) {
        ops = Arrays.copyOf(ops, numOps * 2);
      }
      ops[numOps++] = new Op(opcode, offset, value, owtype, bits, signed);
      j += opcode == GET ? 2 : 3;
    }

    if (readonly) {
      byte[] value = StringCommands.lookupString(ctx, ctx.arg(1)); // lookupKeyRead: WRONGTYPE, hits/misses
      ctx.reply().arrayHeader(numOps);
      for (int i = 0; i < numOps; i++) {
        Op op = ops[i];
        ctx.reply().integer(op.signed ? getSigned(value, op.offset, op.bits) : getUnsigned(value, op.offset, op.bits));
      }
      return;
    }
    if (readonlyCommand) {
      throw new CommandError(RO_WRITE);
    }

    byte[] key = ctx.arg(1);
    byte[] current = StringCommands.lookupStringForWrite(ctx, key);
    long needed = (highestWriteOffset >>> 3) + 1;
    if (needed > Integer.MAX_VALUE - 16) { // a Java array's limit, only reachable with proto-max-bulk-len above 2 GB
      throw new CommandError(StringCommands.TOO_LONG);
    }
    boolean dirty = current == null || current.length < needed; // created or grown
    byte[] p = current == null ? new byte[(int) needed] : Arrays.copyOf(current, (int) Math.max(current.length, needed));
    ctx.reply().arrayHeader(numOps);
    boolean changed = dirty;
    int writes = 0; // Redis's "changes": SET/INCRBY ops applied, changed or not (the setbit event)
    for (int i = 0; i < numOps; i++) {
      Op op = ops[i];
      if (op.opcode == GET) {
        ctx.reply().integer(op.signed ? getSigned(p, op.offset, op.bits) : getUnsigned(p, op.offset, op.bits));
        continue;
      }
      long oldVal;
      long newVal;
      long retVal;
      int overflow;
      if (op.signed) {
        oldVal = getSigned(p, op.offset, op.bits);
        if (op.opcode == INCRBY) {
          long[] wrapped = new long[1];
          overflow = checkSignedOverflow(oldVal, op.value, op.bits, op.owtype, wrapped);
          newVal = overflow != 0 ? wrapped[0] : oldVal + op.value;
          retVal = newVal;
        } else {
          long[] wrapped = new long[1];
          newVal = op.value;
          overflow = checkSignedOverflow(newVal, 0, op.bits, op.owtype, wrapped);
          if (overflow != 0) {
            newVal = wrapped[0];
          }
          retVal = oldVal;
        }
      } else {
        oldVal = getUnsigned(p, op.offset, op.bits);
        long[] wrapped = new long[1];
        if (op.opcode == INCRBY) {
          newVal = oldVal + op.value;
          overflow = checkUnsignedOverflow(oldVal, op.value, op.bits, op.owtype, wrapped);
          if (overflow != 0) {
            newVal = wrapped[0];
          }
          retVal = newVal;
        } else {
          newVal = op.value;
          overflow = checkUnsignedOverflow(newVal, 0, op.bits, op.owtype, wrapped);
          if (overflow != 0) {
            newVal = wrapped[0];
          }
          retVal = oldVal;
        }
      }
      if (overflow != 0 && op.owtype == FAIL) {
        ctx.reply().nullBulk();
      } else {
        ctx.reply().integer(retVal);
        setBits(p, op.offset, op.bits, newVal);
        writes++;
        if (oldVal != newVal) {
          changed = true;
        }
      }
    }
    if (!changed) {
      ctx.keyspace().markRawString(current); // Redis unshares the value into a raw string either way
      if (writes > 0) {
        ctx.notify(KeyspaceEvents.STRING, "setbit", key);
      }
      return;
    }
    if (current == null) {
      ctx.db().put(key, p, KeyTable.NO_EXPIRY);
    } else {
      ctx.db().putKeepTtl(key, p, ctx.nowMs());
    }
    ctx.keyspace().markRawString(p);
    if (writes > 0) {
      ctx.notify(KeyspaceEvents.STRING, "setbit", key);
    }
  }

  /**
   * Redis's getBitfieldTypeFromArgument: 'i' or 'u' (lowercase only) then the width as string2ll
   * reads it up to the first NUL byte: i1-i64, u1-u63.
   */
  static int parseBits(byte[] type) {
    if (type.length == 0 || (type[0] != 'i' && type[0] != 'u')) {
      throw new CommandError(BAD_TYPE);
    }
    int end = 1;
    while (end < type.length && type[end] != 0) {
      end++;
    }
    long bits = Numbers.parseLong(Arrays.copyOfRange(type, 1, end));
    if (bits < 1 || (type[0] == 'i' && bits > 64) || (type[0] == 'u' && bits > 63)) {
      throw new CommandError(BAD_TYPE); // also a non-number (NOT_A_LONG is negative)
    }
    return (int) bits;
  }

  /** Redis's getBitOffsetFromArgument with the {@code #N} form (N times the width). */
  private static long parseOffset(CommandContext ctx, byte[] arg, int bits) {
    boolean hash = arg.length > 0 && arg[0] == '#';
    byte[] digits = hash ? Arrays.copyOfRange(arg, 1, arg.length) : arg;
    long offset = Numbers.parseLong(digits);
    if (offset == Numbers.NOT_A_LONG) { // not a number, or Long.MIN_VALUE: negative either way
      throw new CommandError(BAD_OFFSET);
    }
    if (hash) {
      offset *= bits; // wraps as C does
    }
    if (offset < 0 || (offset >> 3) >= StringCommands.protoMaxBulkLen(ctx)) {
      throw new CommandError(BAD_OFFSET);
    }
    return offset;
  }

  /** The bit at {@code offset} (bit 0: the top bit of byte 0); past the end, or no string: 0. */
  private static long bitAt(byte[] p, long offset) {
    long byteIndex = offset >>> 3;
    if (p == null || byteIndex >= p.length) {
      return 0;
    }
    return (p[(int) byteIndex] >>> (7 - (int) (offset & 7))) & 1;
  }

  /** Redis's getUnsignedBitfield: {@code bits} bits from {@code offset}, most significant first. */
  static long getUnsigned(byte[] p, long offset, int bits) {
    long value = 0;
    for (int j = 0; j < bits; j++) {
      value = (value << 1) | bitAt(p, offset + j);
    }
    return value;
  }

  /** Redis's getSignedBitfield: the unsigned field with its top bit propagated (two's complement). */
  static long getSigned(byte[] p, long offset, int bits) {
    long value = getUnsigned(p, offset, bits);
    if (bits < 64 && (value & (1L << (bits - 1))) != 0) {
      value |= -1L << bits;
    }
    return value;
  }

  /** Redis's setUnsignedBitfield: the low {@code bits} bits of {@code value}; the array holds them. */
  static void setBits(byte[] p, long offset, int bits, long value) {
    for (int j = 0; j < bits; j++) {
      long bitOffset = offset + j;
      int byteIndex = (int) (bitOffset >>> 3);
      int shift = 7 - (int) (bitOffset & 7);
      int bit = (int) (value >>> (bits - 1 - j)) & 1;
      p[byteIndex] = (byte) ((p[byteIndex] & ~(1 << shift)) | (bit << shift));
    }
  }

  /**
   * Redis's checkUnsignedBitfieldOverflow, {@code value} being a uint64: 1 on overflow, -1 on
   * underflow, else 0; {@code limit[0]} gets the wrapped (WRAP) or saturated (SAT) result.
   */
  static int checkUnsignedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
    long max = bits == 64 ? -1L : (1L << bits) - 1;
    long maxIncr = max - value;
    long minIncr = -value;
    if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxIncr)) {
      if (owtype == WRAP) {
        limit[0] = wrapUnsigned(value, incr, bits);
      } else if (owtype == SAT) {
        limit[0] = max;
      }
      return 1;
    } else if (incr < 0 && incr < minIncr) {
      if (owtype == WRAP) {
        limit[0] = wrapUnsigned(value, incr, bits);
      } else if (owtype == SAT) {
        limit[0] = 0;
      }
      return -1;
    }
    return 0;
  }

  private static long wrapUnsigned(long value, long incr, int bits) {
    long mask = bits == 64 ? 0 : -1L << bits;
    return (value + incr) & ~mask;
  }

  /**
   * Redis's checkSignedBitfieldOverflow, its wrapping arithmetic included (so SET i8 to
   * Long.MIN_VALUE counts as an overflow, as in Redis).
   */
  static int checkSignedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
    long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
    long min = -max - 1;
    long maxIncr = max - value;
    long minIncr = min - value;
    if (value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr)) {
      if (owtype == WRAP) {
        limit[0] = wrapSigned(value, incr, bits);
      } else if (owtype == SAT) {
        limit[0] = max;
      }
      return 1;
    } else if (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr)) {
      if (owtype == WRAP) {
        limit[0] = wrapSigned(value, incr, bits);
      } else if (owtype == SAT) {
        limit[0] = min;
      }
      return -1;
    }
    return 0;
  }

  private static long wrapSigned(long value, long incr, int bits) {
    long c = value + incr;
    if (bits < 64) {
      long mask = -1L << bits;
      if ((c & (1L << (bits - 1))) != 0) {
        c |= mask;
      } else {
        c &= ~mask;
      }
    }
    return c;
  }
}

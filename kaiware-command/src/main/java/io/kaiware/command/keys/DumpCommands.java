package io.kaiware.command.keys;

import static io.kaiware.command.CommandFlag.DENYOOM;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.KeyspaceEvents;
import io.kaiware.command.Propagation;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.engine.Database;
import io.kaiware.engine.KeyTable;
import io.kaiware.engine.RdbValueReader;
import io.kaiware.engine.RdbWriter;
import io.kaiware.engine.ValueCodec;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * DUMP and RESTORE with Redis 7.0's payload (docs/commands/dump-format.md), so values move between
 * Redis and Kaiware both ways (MIGRATE-style tools, replication of RESTORE, Redis's own tests).
 *
 * <p><b>DUMP</b> of a Redis type writes what Redis's createDumpPayload writes: the RDB type byte,
 * the value RDB-encoded ({@link RdbWriter}: the plain list, set, hash and zset_2 forms every Redis
 * loads, streams as listpacks), the RDB version (10, two bytes little-endian) and the CRC-64 of all
 * of it (eight bytes little-endian). Rankings and window counters have no RDB form and keep
 * Kaiware's own payload:
 * <pre>
 *   type (1 byte: 16 = ranking, 17 = window counter) | body (see ValueCodec)
 *   | format version (2 bytes, little-endian, currently 1) | CRC-32C of all preceding bytes (4 bytes, little-endian)
 * </pre>
 *
 * <p><b>RESTORE</b> accepts both. It tries Redis's footer first (an RDB version up to 10 and a
 * matching CRC-64, as verifyDumpPayload), then Kaiware's (version 1 and a matching CRC-32C), so
 * payloads DUMPed by earlier Kaiware builds, whatever their type, still restore; with two
 * checksums a payload of one kind taken for the other is practically impossible. A Redis payload
 * is read by {@link RdbValueReader} — every encoding Redis 7.0 DUMPs and every older one it loads
 * — and must end exactly at its footer. Neither footer: {@code ERR DUMP payload version or
 * checksum are wrong}; a value that does not decode: {@code ERR Bad data format}.
 */
final class DumpCommands {
  private DumpCommands() {}

  /** Kaiware's payload format version (rankings, window counters); RESTORE accepts versions up to it. */
  static final int FORMAT_VERSION = 1;
  private static final int TRAILER = 6;

  static List<CommandSpec> specs() {
    return List.of(
        command("dump").arity(2).flags(READONLY).keys(1, 1, 1).group("generic").since("2.6.0")
            .complexity("O(1) to access the key and additional O(N*M) to serialize it.")
            .summary("Returns a serialized representation of the value stored at a key.").handler(DumpCommands::dump).build(),
        command("restore").arity(-4).flags(WRITE, DENYOOM).keys(1, 1, 1).group("generic").since("2.6.0")
            .complexity("O(1) to create the new key and additional O(N*M) to reconstruct the serialized value.")
            .summary("Creates a key from the serialized representation of a value.").handler(DumpCommands::restore).build());
  }

  private static void dump(CommandContext ctx) {
    Object value = ctx.db().get(ctx.arg(1), ctx.nowMs());
    if (value == null) {
      ctx.reply().nullBulk();
      return;
    }
    ctx.reply().bulk(encode(value));
  }

  /** Redis's payload for a Redis type, else Kaiware's own. */
  static byte[] encode(Object value) {
    byte[] redis = RdbWriter.dumpPayload(value);
    return redis != null ? redis : encodeKaiware(value);
  }

  /** Kaiware's own payload: the ValueCodec body, the format version and the CRC-32C. */
  static byte[] encodeKaiware(Object value) {
    ValueCodec.Out body = new ValueCodec.Out();
    ValueCodec.encode(value, body);
    byte[] out = body.toArray(TRAILER);
    int p = out.length - TRAILER;
    out[p++] = (byte) FORMAT_VERSION;
    out[p++] = (byte) (FORMAT_VERSION >>> 8);
    CRC32C crc = new CRC32C();
    crc.update(out, 0, p);
    int c = (int) crc.getValue();
    out[p++] = (byte) c;
    out[p++] = (byte) (c >>> 8);
    out[p++] = (byte) (c >>> 16);
    out[p] = (byte) (c >>> 24);
    return out;
  }

  /** Kaiware's footer: the version is known and the CRC-32C matches. */
  static boolean verifyKaiware(byte[] p) {
    if (p.length < TRAILER + 1) {
      return false;
    }
    int versionAt = p.length - TRAILER;
    int version = (p[versionAt] & 0xff) | (p[versionAt + 1] & 0xff) << 8;
    if (version < 1 || version > FORMAT_VERSION) {
      return false;
    }
    CRC32C crc = new CRC32C();
    crc.update(p, 0, versionAt + 2);
    int c = (int) crc.getValue();
    int stored = (p[versionAt + 2] & 0xff) | (p[versionAt + 3] & 0xff) << 8 | (p[versionAt + 4] & 0xff) << 16
        | (p[versionAt + 5] & 0xff) << 24;
    return c == stored;
  }

  /** Thrown by {@link #decode} for a payload whose footer is neither Redis's nor Kaiware's. */
  static final CommandError WRONG_FOOTER = new CommandError("ERR DUMP payload version or checksum are wrong");

  /**
   * The value in a payload of either kind (Redis's footer tried first), or {@code null} for a bad
   * data format; throws {@link #WRONG_FOOTER} when neither footer matches.
   */
  static Object decode(byte[] p) {
    if (RdbValueReader.verifyPayload(p)) {
      return RdbValueReader.decodePayload(p);
    }
    if (verifyKaiware(p)) {
      return ValueCodec.decode(p, 0, p.length - TRAILER);
    }
    throw WRONG_FOOTER;
  }

  /** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]. */
  private static void restore(CommandContext ctx) {
    boolean replace = false;
    boolean absTtl = false;
    long idle = -1;
    long freq = -1;
    for (int j = 4; j < ctx.argc(); j++) {
      int additional = ctx.argc() - j - 1;
      if (ctx.argIs(j, "REPLACE")) {
        replace = true;
      } else if (ctx.argIs(j, "ABSTTL")) {
        absTtl = true;
      } else if (ctx.argIs(j, "IDLETIME") && additional >= 1 && freq == -1) {
        idle = ctx.longArg(j + 1);
        if (idle < 0) {
          throw new CommandError("ERR Invalid IDLETIME value, must be >= 0");
        }
        j++;
      } else if (ctx.argIs(j, "FREQ") && additional >= 1 && idle == -1) {
        freq = ctx.longArg(j + 1);
        if (freq < 0 || freq > 255) {
          throw new CommandError("ERR Invalid FREQ value, must be >= 0 and <= 255");
        }
        j++;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    Database db = ctx.db();
    byte[] key = ctx.arg(1);
    if (!replace && db.lookup(key, ctx.nowMs()) >= 0) {
      throw new CommandError("BUSYKEY Target key name already exists.");
    }
    long ttl = ctx.longArg(2);
    if (ttl < 0) {
      throw new CommandError("ERR Invalid TTL value, must be >= 0");
    }
    Object value = decode(ctx.arg(3));
    if (value == null) {
      throw new CommandError("ERR Bad data format");
    }
    ctx.dispatcher().compactEncodings().built(value);
    boolean deleted = replace && db.delete(key, ctx.nowMs());
    if (ttl != 0 && !absTtl) {
      ttl += ctx.nowMs();
    }
    if (ttl != 0 && ttl <= ctx.nowMs()) {
      if (deleted) {
        ctx.notify(KeyspaceEvents.GENERIC, "del", key);
        ctx.propagation().propagateAs(Propagation.DEL_WORD, key);
      }
      ctx.reply().ok(); // already expired: nothing is created (an old key was deleted by REPLACE)
      return;
    }
    // IDLETIME and FREQ are accepted and validated; Kaiware keeps no LRU/LFU data to set.
    db.put(key, value, ttl == 0 ? KeyTable.NO_EXPIRY : ttl);
    ctx.notify(KeyspaceEvents.GENERIC, "restore", key);
    if (ttl != 0 && !absTtl && ctx.propagation().wanted()) {
      // Replicated with the absolute expiry and ABSTTL appended, as Redis's restoreCommand does.
      byte[][] argv = java.util.Arrays.copyOf(ctx.args(), ctx.argc() + 1);
      argv[2] = io.kaiware.command.Numbers.toBytes(ttl);
      argv[ctx.argc()] = Propagation.bytes("ABSTTL");
      ctx.propagation().propagateAs(argv);
    }
    ctx.reply().ok();
  }
}

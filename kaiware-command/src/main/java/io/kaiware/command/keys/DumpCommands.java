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
import io.kaiware.engine.ValueCodec;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * DUMP and RESTORE in Kaiware's own payload format (docs/commands/dump-format.md):
 * <pre>
 *   type (1 byte: 0 = string, 1 = hash, 2 = zset, 4 = set, 16 = ranking, 17 = window counter) | body (see ValueCodec)
 *   | format version (2 bytes, little-endian, currently 1) | CRC-32C of all preceding bytes (4 bytes, little-endian)
 * </pre>
 * Like Redis's payload it ends with a version and a checksum that RESTORE verifies before anything
 * else is decoded, but it is not RDB: Redis cannot RESTORE it and Kaiware cannot RESTORE Redis's.
 */
final class DumpCommands {
  private DumpCommands() {}

  /** The payload format version written by DUMP; RESTORE accepts versions up to it. */
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

  static byte[] encode(Object value) {
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

  /** Redis's verifyDumpPayload: the version is known and the checksum matches. */
  static boolean verify(byte[] p) {
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

  /** The value in a verified payload, or {@code null} for a bad data format. */
  static Object decode(byte[] p) {
    return ValueCodec.decode(p, 0, p.length - TRAILER);
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
    byte[] payload = ctx.arg(3);
    if (!verify(payload)) {
      throw new CommandError("ERR DUMP payload version or checksum are wrong");
    }
    Object value = decode(payload);
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

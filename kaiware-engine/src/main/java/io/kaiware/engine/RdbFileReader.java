package io.kaiware.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a whole Redis RDB file — what a Redis master sends after {@code +FULLRESYNC}, or what
 * {@code SAVE} writes — and hands every key to a {@link Visitor}, its value built by
 * {@link RdbValueReader} exactly as RESTORE builds it (so {@link RdbWriter#dumpPayload} of it is a
 * payload RESTORE takes).
 *
 * <h2>Layout (rdb.c's {@code rdbLoadRioWithLoadingCtx})</h2>
 * {@code REDIS} and four ASCII digits of version (1 to 12: Redis 7.0 writes 10, 7.2 writes 11, 7.4
 * and 8.x write 12; the value types are what limit the files read), then opcodes until
 * {@code EOF}: {@code SELECTDB} (a length), {@code RESIZEDB} (two lengths, a hint), {@code AUX}
 * (two strings, handed to {@link Visitor#aux}), {@code EXPIRETIME} (4 bytes little-endian,
 * seconds), {@code EXPIRETIME_MS} (8 bytes little-endian), {@code FREQ} (1 byte), {@code IDLE} (a
 * length) — these four apply to the next key — {@code FUNCTION2} (a string: a library's code) and
 * 7.0-rc's {@code FUNCTION} (name, engine, optional description, code; turned into the
 * {@code #!engine name=...} form as Redis does), 7.4's {@code SLOT_INFO} (three lengths, a cluster
 * hint), and otherwise a value type, the key and the value. From version 5 the {@code EOF} is
 * followed by the CRC-64 of everything before the checksum, little-endian; zero means it was not
 * computed ({@code rdbchecksum no}) and is accepted, as Redis accepts it.
 *
 * <h2>Strictness</h2>
 * The file must end exactly at {@code to}, right after the checksum (or the {@code EOF} before
 * version 5). A checksum is verified before the first key is visited, so a corrupted file with a
 * checksum reaches the visitor not at all; without one the visitor may have seen keys before an
 * error is found, and a caller should then discard everything it was given. Everything malformed,
 * cut short, a module's value or auxiliary data, and a value type Kaiware does not read (modules'
 * 6 and 7, Redis 7.4's hashes with field expiries, 22-25, anything unknown) is refused with an
 * {@link RdbFormatException} naming the offset and the problem; nothing else is thrown for bad
 * input (a slip in a value's parsing is reported as a malformed value), and no declared length is
 * allocated before the input is known to hold it (see {@link RdbValueReader}). Empty collections
 * are refused (Redis 7.0 skips them with a warning; only old bugs wrote them). Keys are not checked
 * for duplicates (Redis panics on one): the caller's RESTORE ... REPLACE would keep the last.
 * Whatever the visitor throws passes through unchanged.
 */
public final class RdbFileReader {
  private RdbFileReader() {}

  /** The RDB versions read: 1 to Redis 7.4's and 8.x's 12. */
  public static final int MIN_VERSION = 1;
  public static final int MAX_VERSION = 12;
  /** From this version on, the file ends with a CRC-64. */
  private static final int FIRST_VERSION_WITH_CHECKSUM = 5;
  private static final int HEADER_BYTES = 9;
  private static final int CHECKSUM_BYTES = 8;

  // rdb.h's opcodes.
  static final int OPCODE_SLOT_INFO = 244; // Redis 7.4
  static final int OPCODE_FUNCTION2 = 245;
  static final int OPCODE_FUNCTION_PRE_GA = 246;
  static final int OPCODE_MODULE_AUX = 247;
  static final int OPCODE_IDLE = 248;
  static final int OPCODE_FREQ = 249;
  static final int OPCODE_AUX = 250;
  static final int OPCODE_RESIZEDB = 251;
  static final int OPCODE_EXPIRETIME_MS = 252;
  static final int OPCODE_EXPIRETIME = 253;
  static final int OPCODE_SELECTDB = 254;
  static final int OPCODE_EOF = 255;

  // Value types RdbValueReader does not read.
  private static final int TYPE_MODULE_PRE_GA = 6;
  private static final int TYPE_MODULE_2 = 7;
  private static final int TYPE_HASH_METADATA_PRE_GA = 22;
  private static final int TYPE_HASH_LISTPACK_EX = 25;

  /** What a file holds, as it is read. */
  public interface Visitor {
    /** An AUX field ({@code redis-ver}, {@code repl-id}, ...). */
    default void aux(byte[] name, byte[] value) {}

    /**
     * A key: its database, its bytes, its value as {@link RdbValueReader} builds it, and its
     * absolute expiry in unix ms or -1 for none. Expired keys are handed over too (the caller
     * decides). An {@code EXPIRETIME_MS} of exactly -1 means none, as in rdb.c (whose "no expiry"
     * it is); any other expiry before 1970 is given as 0.
     */
    void key(int db, byte[] key, Object value, long expireAtMs);

    /** A function library's code ({@code FUNCTION2}): Kaiware has no FUNCTION support; the caller logs it. */
    default void function(byte[] code) {}
  }

  /**
   * What was read: the file's RDB version, the keys handed over (and how many had an expiry), the
   * function libraries, and whether a checksum was verified (false before version 5, or when the
   * file says it was not computed).
   */
  public record Summary(int version, long keys, long keysWithExpiry, long functions, boolean checksumVerified) {}

  /** The no-expiry value of {@link Visitor#key}'s {@code expireAtMs}. */
  public static final long NO_EXPIRY = -1;

  /**
   * Reads {@code rdb[from, to)}: the header, every opcode, {@code EOF} and the checksum, handing
   * every key to {@code visitor} in file order.
   *
   * @throws RdbFormatException for anything malformed or that Kaiware cannot load (see the class comment)
   * @throws IndexOutOfBoundsException when {@code [from, to)} is not within {@code rdb}
   */
  public static Summary read(byte[] rdb, int from, int to, Visitor visitor) {
    java.util.Objects.checkFromToIndex(from, to, rdb.length);
    int version = header(rdb, from, to);
    boolean withChecksum = version >= FIRST_VERSION_WITH_CHECKSUM;
    int bodyEnd = withChecksum ? to - CHECKSUM_BYTES : to; // just past EOF
    if (bodyEnd - from < HEADER_BYTES + 1 || (rdb[bodyEnd - 1] & 0xff) != OPCODE_EOF) {
      throw new RdbFormatException(Math.max(0, bodyEnd - 1 - from), "no EOF opcode "
          + (withChecksum ? "before the 8-byte checksum at the end" : "at the end") + ": truncated, or not an RDB file");
    }
    boolean verified = false;
    if (withChecksum) {
      long stored = littleEndianAt(rdb, bodyEnd);
      if (stored != 0) {
        RdbWriter.Crc64 crc = new RdbWriter.Crc64();
        crc.update(rdb, from, bodyEnd - from);
        if (crc.getValue() != stored) {
          throw new RdbFormatException(bodyEnd - from, String.format(
              "wrong checksum: the file says %016x, its content's CRC-64 is %016x", stored, crc.getValue()));
        }
        verified = true;
      }
    }

    RdbValueReader.In in = new RdbValueReader.In(rdb, from + HEADER_BYTES, bodyEnd);
    int db = 0;
    long expireAtMs = NO_EXPIRY;
    long keys = 0;
    long keysWithExpiry = 0;
    long functions = 0;
    while (true) {
      int at = in.pos;
      if (in.remaining() == 0) { // the previous item took the EOF byte
        throw new RdbFormatException(at - from, "no EOF opcode after the last item: truncated or malformed");
      }
      int opcode = in.u8();
      switch (opcode) {
        case OPCODE_EOF -> {
          if (in.pos != bodyEnd) {
            throw new RdbFormatException(at - from, "an EOF opcode before the end ("
                + (bodyEnd - in.pos) + " more bytes before the checksum)");
          }
          return new Summary(version, keys, keysWithExpiry, functions, verified);
        }
        case OPCODE_SELECTDB -> {
          long index = length(in, from, "SELECTDB's database index");
          if (index < 0 || index > Integer.MAX_VALUE) {
            throw new RdbFormatException(at - from, "SELECTDB of database " + Long.toUnsignedString(index));
          }
          db = (int) index;
        }
        case OPCODE_RESIZEDB -> {
          length(in, from, "RESIZEDB's key count");
          length(in, from, "RESIZEDB's expiry count");
        }
        case OPCODE_AUX -> {
          byte[] name = string(in, from, "an AUX field's name");
          byte[] value = string(in, from, "the value of AUX field '" + printable(name) + "'");
          visitor.aux(name, value);
        }
        case OPCODE_EXPIRETIME -> expireAtMs = (int) littleEndian(in, from, 4, "EXPIRETIME's seconds") * 1000L;
        case OPCODE_EXPIRETIME_MS -> expireAtMs = littleEndian(in, from, 8, "EXPIRETIME_MS's milliseconds");
        case OPCODE_FREQ -> littleEndian(in, from, 1, "FREQ's LFU counter");
        case OPCODE_IDLE -> length(in, from, "IDLE's LRU idle time");
        case OPCODE_SLOT_INFO -> {
          length(in, from, "SLOT_INFO's slot");
          length(in, from, "SLOT_INFO's key count");
          length(in, from, "SLOT_INFO's expiry count");
        }
        case OPCODE_FUNCTION2 -> {
          visitor.function(string(in, from, "FUNCTION2's library code"));
          functions++;
        }
        case OPCODE_FUNCTION_PRE_GA -> {
          // rdbFunctionLoad: 7.0 rc1/rc2's name, engine, description, code, as the GA form.
          byte[] name = string(in, from, "FUNCTION's library name");
          byte[] engine = string(in, from, "FUNCTION's engine name");
          if (length(in, from, "FUNCTION's description flag") != 0) {
            string(in, from, "FUNCTION's description");
          }
          byte[] code = string(in, from, "FUNCTION's code");
          byte[] prefix = ("#!" + new String(engine, StandardCharsets.ISO_8859_1) + " name="
              + new String(name, StandardCharsets.ISO_8859_1) + "\n").getBytes(StandardCharsets.ISO_8859_1);
          byte[] whole = Arrays.copyOf(prefix, prefix.length + code.length);
          System.arraycopy(code, 0, whole, prefix.length, code.length);
          visitor.function(whole);
          functions++;
        }
        case OPCODE_MODULE_AUX ->
            throw new RdbFormatException(at - from, "module auxiliary data (MODULE_AUX): Kaiware loads no modules");
        default -> {
          int type = opcode;
          byte[] key = string(in, from, "a key (of value type " + type + ")");
          if (!RdbValueReader.readsType(type)) {
            throw new RdbFormatException(at - from, unsupported(type) + " for key '" + printable(key) + "'");
          }
          int valueAt = in.pos;
          Object value;
          try {
            value = RdbValueReader.readAt(type, in);
          } catch (RuntimeException malformed) { // Malformed, and any slip on hostile input
            value = null;
          }
          if (value == null) {
            throw new RdbFormatException(valueAt - from, "a malformed or truncated value of type " + type
                + " (" + typeName(type) + ") for key '" + printable(key) + "'");
          }
          keys++;
          if (expireAtMs != NO_EXPIRY) {
            keysWithExpiry++;
          }
          visitor.key(db, key, value, expireAtMs < 0 && expireAtMs != NO_EXPIRY ? 0 : expireAtMs);
          expireAtMs = NO_EXPIRY;
        }
      }
    }
  }

  /** The version in {@code REDIS0010}. */
  private static int header(byte[] rdb, int from, int to) {
    if (to - from < HEADER_BYTES) {
      throw new RdbFormatException(0, "only " + (to - from) + " bytes: shorter than the RDB header");
    }
    if (!Arrays.equals(rdb, from, from + 5, new byte[] {'R', 'E', 'D', 'I', 'S'}, 0, 5)) {
      throw new RdbFormatException(0, "no REDIS signature: not an RDB file");
    }
    int version = 0;
    for (int i = from + 5; i < from + HEADER_BYTES; i++) {
      int digit = rdb[i] - '0';
      if (digit < 0 || digit > 9) {
        throw new RdbFormatException(5, "the version is not 4 decimal digits: '"
            + printable(Arrays.copyOfRange(rdb, from + 5, from + HEADER_BYTES)) + "'");
      }
      version = version * 10 + digit;
    }
    if (version < MIN_VERSION || version > MAX_VERSION) {
      throw new RdbFormatException(5, "RDB version " + version + " is not supported (Kaiware reads "
          + MIN_VERSION + " to " + MAX_VERSION + ")");
    }
    return version;
  }

  private static String unsupported(int type) {
    if (type == TYPE_MODULE_PRE_GA || type == TYPE_MODULE_2) {
      return "a module's value (type " + type + "): Kaiware loads no modules";
    }
    if (type >= TYPE_HASH_METADATA_PRE_GA && type <= TYPE_HASH_LISTPACK_EX) {
      return "a hash with field expiries (type " + type + ", Redis 7.4+): Kaiware cannot read it";
    }
    return "unknown value type " + type;
  }

  private static String typeName(int type) {
    return switch (type) {
      case RdbValueReader.TYPE_STRING -> "string";
      case RdbValueReader.TYPE_LIST, RdbValueReader.TYPE_LIST_ZIPLIST, RdbValueReader.TYPE_LIST_QUICKLIST,
          RdbValueReader.TYPE_LIST_QUICKLIST_2 -> "list";
      case RdbValueReader.TYPE_SET, RdbValueReader.TYPE_SET_INTSET, RdbValueReader.TYPE_SET_LISTPACK -> "set";
      case RdbValueReader.TYPE_ZSET, RdbValueReader.TYPE_ZSET_2, RdbValueReader.TYPE_ZSET_ZIPLIST,
          RdbValueReader.TYPE_ZSET_LISTPACK -> "zset";
      case RdbValueReader.TYPE_HASH, RdbValueReader.TYPE_HASH_ZIPMAP, RdbValueReader.TYPE_HASH_ZIPLIST,
          RdbValueReader.TYPE_HASH_LISTPACK -> "hash";
      default -> "stream";
    };
  }

  // ---------------------------------------------------------------- primitives, refused with context

  private static long length(RdbValueReader.In in, int from, String what) {
    int at = in.pos;
    try {
      return in.length();
    } catch (RuntimeException e) {
      throw malformed(at - from, what);
    }
  }

  private static byte[] string(RdbValueReader.In in, int from, String what) {
    int at = in.pos;
    try {
      return in.string();
    } catch (RuntimeException e) {
      throw malformed(at - from, what);
    }
  }

  private static long littleEndian(RdbValueReader.In in, int from, int bytes, String what) {
    int at = in.pos;
    try {
      return in.littleEndian(bytes);
    } catch (RuntimeException e) {
      throw malformed(at - from, what);
    }
  }

  private static RdbFormatException malformed(long offset, String what) {
    return new RdbFormatException(offset, "malformed or truncated: " + what);
  }

  private static long littleEndianAt(byte[] b, int at) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (b[at + i] & 0xff);
    }
    return v;
  }

  /** A key or name for a message: printable ASCII as is, other bytes as \xNN, at most 64 bytes. */
  static String printable(byte[] b) {
    StringBuilder s = new StringBuilder();
    int n = Math.min(b.length, 64);
    for (int i = 0; i < n; i++) {
      int c = b[i] & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
        s.append((char) c);
      } else {
        s.append(String.format("\\x%02x", c));
      }
    }
    if (b.length > n) {
      s.append("... (").append(b.length).append(" bytes)");
    }
    return s.toString();
  }
}

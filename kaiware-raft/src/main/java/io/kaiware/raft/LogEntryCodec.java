package io.kaiware.raft;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The binary format of Kaiware's Raft log entries, and of the replies the leader returns for them.
 *
 * <h2>Entry, version 1</h2>
 * <pre>
 *   u8      version            = 1
 *   i64     stampMs            the leader's clock when it cut the batch (big-endian)
 *   varint  requestCount       0 for a tick (an entry that only moves log time forward)
 *   request * requestCount:
 *     varint  db               the database the request starts in
 *     u8      protocol         2 or 3: the RESP version its replies are encoded in, plus
 *                              {@link #RERUN_FLAG} (0x10) for the re-run of a parked blocking
 *                              command (it adds no call to INFO commandstats)
 *     varint  commandCount     1, or the whole MULTI ... EXEC block of one client
 *     command * commandCount:
 *       varint  argc           at least 1
 *       arg * argc:  varint length, then the bytes
 *   u32     crc32c             of every byte before it (big-endian)
 * </pre>
 * Varints are unsigned LEB128 (7 bits a byte, least significant first), at most 5 bytes, values up
 * to {@link Integer#MAX_VALUE}. The version byte comes first so that a later format can be read
 * next to this one; a replica that meets a version it does not know treats the entry as corrupt
 * (and so would every other replica of the same build — upgrade rules are in ADR 0004).
 *
 * <h2>Replies</h2>
 * <pre>
 *   varint  replyCount         = requestCount of the entry
 *   reply * replyCount: varint length, then the RESP bytes of every command of the request
 * </pre>
 *
 * <p>Decoding never trusts a length: every count and size is checked against the bytes that
 * remain, so a corrupt entry fails with {@link CorruptEntryException} instead of allocating
 * gigabytes or reading out of bounds. Stateless and thread-safe.
 */
public final class LogEntryCodec {

  /** The format written by this build. */
  public static final byte VERSION_1 = 1;

  private LogEntryCodec() {}

  /** In a request's protocol byte: the request re-runs a parked blocking command. */
  static final int RERUN_FLAG = 0x10;

  /** In a request's protocol byte: the receiving node was over maxmemory (its scripts start in the OOM state). */
  static final int SCRIPTS_OVER_MAXMEMORY_FLAG = 0x20;

  /**
   * One client's request in a batch: the commands to run for it, in order, in one session.
   * {@code rerun}: the re-run of a parked blocking command, woken because a key may have data.
   * {@code scriptsOverMaxmemory}: the node that received it was over maxmemory, so its scripts run
   * as Redis runs scripts that started in the OOM state, on every replica (ADR 0006).
   */
  public record Request(int db, int protocol, List<byte[][]> commands, boolean rerun, boolean scriptsOverMaxmemory) {
    public Request(int db, int protocol, List<byte[][]> commands) {
      this(db, protocol, commands, false, false);
    }

    public Request {
      if (db < 0) {
        throw new IllegalArgumentException("db < 0: " + db);
      }
      if (protocol != 2 && protocol != 3) {
        throw new IllegalArgumentException("protocol must be 2 or 3: " + protocol);
      }
      for (byte[][] c : commands) {
        if (c.length == 0) {
          throw new IllegalArgumentException("empty command");
        }
      }
    }

    /** A request of one command. */
    public static Request of(int db, int protocol, byte[][] command) {
      return new Request(db, protocol, List.<byte[][]>of(command));
    }

    /** The re-run of a parked blocking command. */
    public static Request rerunOf(int db, int protocol, byte[][] command) {
      return new Request(db, protocol, List.<byte[][]>of(command), true, false);
    }

    /** This request, marked as received by a node over maxmemory. */
    public Request overMaxmemory() {
      return new Request(db, protocol, commands, rerun, true);
    }

    /** The encoded size of this request, for batch byte limits. */
    public int encodedSize() {
      int n = varintSize(db) + 1 + varintSize(commands.size());
      for (byte[][] c : commands) {
        n += varintSize(c.length);
        for (byte[] a : c) {
          n += varintSize(a.length) + a.length;
        }
      }
      return n;
    }
  }

  /** A decoded entry: the leader's time stamp and the requests of the batch. */
  public record Entry(long stampMs, List<Request> requests) {}

  /** Thrown when bytes are not a valid entry; apply turns it into a deterministic skip. */
  public static final class CorruptEntryException extends Exception {
    CorruptEntryException(String message) {
      super(message);
    }
  }

  /** Bytes of the fixed header (version + stamp) and trailer (CRC). */
  static final int FIXED_OVERHEAD = 1 + 8 + 4;

  public static byte[] encode(long stampMs, List<Request> requests) {
    int size = FIXED_OVERHEAD + varintSize(requests.size());
    for (Request r : requests) {
      size += r.encodedSize();
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(VERSION_1);
    b.putLong(stampMs);
    putVarint(b, requests.size());
    for (Request r : requests) {
      putVarint(b, r.db());
      b.put((byte) (r.protocol() | (r.rerun() ? RERUN_FLAG : 0) | (r.scriptsOverMaxmemory() ? SCRIPTS_OVER_MAXMEMORY_FLAG : 0)));
      putVarint(b, r.commands().size());
      for (byte[][] c : r.commands()) {
        putVarint(b, c.length);
        for (byte[] a : c) {
          putVarint(b, a.length);
          b.put(a);
        }
      }
    }
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  public static Entry decode(ByteBuffer in) throws CorruptEntryException {
    ByteBuffer b = in.slice();
    if (b.remaining() < FIXED_OVERHEAD) {
      throw new CorruptEntryException("entry too short: " + b.remaining() + " bytes");
    }
    int end = b.limit() - 4;
    CRC32C crc = new CRC32C();
    crc.update(b.duplicate().limit(end));
    int stored = b.getInt(end);
    if (stored != (int) crc.getValue()) {
      throw new CorruptEntryException("checksum mismatch");
    }
    b.limit(end);
    byte version = b.get();
    if (version != VERSION_1) {
      throw new CorruptEntryException("unknown entry version " + version);
    }
    long stampMs = b.getLong();
    int requestCount = getCount(b, 1);
    List<Request> requests = new ArrayList<>(requestCount);
    for (int i = 0; i < requestCount; i++) {
      int db = getVarint(b);
      if (!b.hasRemaining()) {
        throw new CorruptEntryException("truncated request");
      }
      int protocolByte = b.get();
      int protocol = protocolByte & ~(RERUN_FLAG | SCRIPTS_OVER_MAXMEMORY_FLAG);
      if (protocol != 2 && protocol != 3) {
        throw new CorruptEntryException("bad protocol " + protocolByte);
      }
      int commandCount = getCount(b, 2);
      List<byte[][]> commands = new ArrayList<>(commandCount);
      for (int c = 0; c < commandCount; c++) {
        int argc = getCount(b, 1);
        if (argc == 0) {
          throw new CorruptEntryException("empty command");
        }
        byte[][] args = new byte[argc][];
        for (int a = 0; a < argc; a++) {
          int len = getCount(b, 1);
          args[a] = new byte[len];
          b.get(args[a]);
        }
        commands.add(args);
      }
      requests.add(new Request(db, protocol, commands, (protocolByte & RERUN_FLAG) != 0,
          (protocolByte & SCRIPTS_OVER_MAXMEMORY_FLAG) != 0));
    }
    if (b.hasRemaining()) {
      throw new CorruptEntryException(b.remaining() + " trailing bytes");
    }
    return new Entry(stampMs, requests);
  }

  /** Encodes the replies of an entry's requests, in request order. */
  public static byte[] encodeReplies(List<byte[]> replies) {
    int size = varintSize(replies.size());
    for (byte[] r : replies) {
      size += varintSize(r.length) + r.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    putVarint(b, replies.size());
    for (byte[] r : replies) {
      putVarint(b, r.length);
      b.put(r);
    }
    return b.array();
  }

  public static List<byte[]> decodeReplies(ByteBuffer in) throws CorruptEntryException {
    ByteBuffer b = in.slice();
    int n = getCount(b, 1);
    List<byte[]> replies = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] r = new byte[getCount(b, 1)];
      b.get(r);
      replies.add(r);
    }
    return replies;
  }

  // ---------------------------------------------------------------- varints

  static int varintSize(int v) {
    int n = 1;
    while ((v & ~0x7f) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  static void putVarint(ByteBuffer b, int v) {
    while ((v & ~0x7f) != 0) {
      b.put((byte) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    b.put((byte) v);
  }

  static int getVarint(ByteBuffer b) throws CorruptEntryException {
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (!b.hasRemaining()) {
        throw new CorruptEntryException("truncated varint");
      }
      int x = b.get();
      result |= (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        if (result < 0) {
          throw new CorruptEntryException("varint out of range");
        }
        return result;
      }
    }
    throw new CorruptEntryException("varint too long");
  }

  /** A count or length whose items need at least {@code minBytesEach} of the remaining bytes. */
  private static int getCount(ByteBuffer b, int minBytesEach) throws CorruptEntryException {
    int n = getVarint(b);
    if ((long) n * minBytesEach > b.remaining()) {
      throw new CorruptEntryException("count " + n + " exceeds the " + b.remaining() + " remaining bytes");
    }
    return n;
  }
}

package io.kaiware.engine;

import java.util.Arrays;

/**
 * The body of a DUMP payload (docs/commands/dump-format.md): a type tag, then the type's encoding.
 * Lengths and counts are unsigned LEB128 varints; doubles are their IEEE-754 bits, 8 bytes
 * little-endian; longs likewise 8 bytes little-endian. The caller adds the version and checksum.
 */
public final class ValueCodec {
  private ValueCodec() {}

  public static final int TYPE_STRING = 0;
  public static final int TYPE_HASH = 1;
  public static final int TYPE_ZSET = 2;
  public static final int TYPE_LIST = 3;
  /** A set as written before set encodings were kept (still read; the encoding is re-decided). */
  public static final int TYPE_SET = 4;
  /** A set with its encoding byte (0 = intset, 1 = hashtable), so a snapshot install keeps it. */
  public static final int TYPE_SET_ENCODED = 5;
  /** A stream: its nodes as they are (trimming with ~ depends on them), IDs, counters and consumer groups. */
  public static final int TYPE_STREAM = 6;
  public static final int TYPE_RANKING = 16;
  public static final int TYPE_WINDOW_COUNTER = 17;

  /**
   * Redis's default hash-/zset-max-listpack-entries and -value: a decoded hash or sorted set reports
   * "listpack" when it fits them (RESTORE re-decides with the server's configured limits).
   */
  public static final int REDIS_MAX_COMPACT_ENTRIES = 128;
  public static final int REDIS_MAX_COMPACT_VALUE_BYTES = 64;

  /** A growable byte buffer with the varint and fixed-width writers the format needs. */
  public static final class Out {
    private byte[] buf = new byte[64];
    private int size;

    private void ensure(int extra) {
      if (size + extra > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
      }
    }

    public void writeByte(int b) {
      ensure(1);
      buf[size++] = (byte) b;
    }

    public void writeVarint(long n) {
      ensure(10);
      while ((n & ~0x7fL) != 0) {
        buf[size++] = (byte) ((n & 0x7f) | 0x80);
        n >>>= 7;
      }
      buf[size++] = (byte) n;
    }

    public void writeBytes(byte[] b) {
      writeVarint(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, size, b.length);
      size += b.length;
    }

    public void writeLong(long v) {
      ensure(8);
      for (int i = 0; i < 8; i++) {
        buf[size++] = (byte) (v >>> (8 * i));
      }
    }

    public void writeDouble(double d) {
      writeLong(Double.doubleToRawLongBits(d));
    }

    /** The bytes written, with {@code spare} extra zero bytes at the end (for the trailer). */
    public byte[] toArray(int spare) {
      return Arrays.copyOf(buf, size + spare);
    }
  }

  /** A reader over {@code [pos, end)}; every read of malformed input throws {@link Malformed}. */
  public static final class In {
    private final byte[] p;
    private int pos;
    private final int end;

    public In(byte[] p, int pos, int end) {
      this.p = p;
      this.pos = pos;
      this.end = end;
    }

    public int readByte() {
      if (pos >= end) {
        throw Malformed.INSTANCE;
      }
      return p[pos++] & 0xff;
    }

    public long readVarint() {
      long n = 0;
      for (int shift = 0; ; shift += 7) {
        if (shift > 56) {
          throw Malformed.INSTANCE;
        }
        int b = readByte();
        n |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return n;
        }
      }
    }

    /** A count or length that must fit in what is left of the input. */
    public int readLength() {
      long n = readVarint();
      if (n < 0 || n > end - pos) {
        throw Malformed.INSTANCE;
      }
      return (int) n;
    }

    public byte[] readBytes() {
      int n = readLength();
      byte[] b = Arrays.copyOfRange(p, pos, pos + n);
      pos += n;
      return b;
    }

    public long readLong() {
      if (end - pos < 8) {
        throw Malformed.INSTANCE;
      }
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v |= (long) (p[pos++] & 0xff) << (8 * i);
      }
      return v;
    }

    public double readDouble() {
      return Double.longBitsToDouble(readLong());
    }

    public boolean atEnd() {
      return pos == end;
    }
  }

  /** Thrown (stackless) on a malformed body; {@link #decode} turns it into {@code null}. */
  public static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Malformed INSTANCE = new Malformed();

    private Malformed() {
      super("malformed value", null, false, false);
    }
  }

  /** Writes the type tag and body of {@code value}. */
  public static void encode(Object value, Out out) {
    if (value instanceof byte[] bytes) {
      out.writeByte(TYPE_STRING);
      out.writeBytes(bytes);
    } else if (value instanceof HashValue hash) {
      out.writeByte(TYPE_HASH);
      out.writeVarint(hash.size());
      hash.forEach((field, v) -> {
        out.writeBytes(field);
        out.writeBytes(v);
      });
    } else if (value instanceof SortedSet zset) {
      out.writeByte(TYPE_ZSET);
      out.writeVarint(zset.size());
      for (SortedSet.Node n = zset.first(); n != null; n = n.next()) {
        out.writeBytes(n.member());
        out.writeDouble(n.score());
      }
    } else if (value instanceof ListValue list) {
      out.writeByte(TYPE_LIST);
      out.writeVarint(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.writeBytes(list.get(i));
      }
    } else if (value instanceof SetValue set) {
      out.writeByte(TYPE_SET_ENCODED);
      out.writeByte(set.isIntset() ? 0 : 1);
      out.writeVarint(set.size());
      for (int p = 0; p < set.capacity(); p++) {
        if (set.occupied(p)) {
          out.writeBytes(set.memberAt(p));
        }
      }
    } else if (value instanceof StreamValue stream) {
      out.writeByte(TYPE_STREAM);
      stream.encode(out);
    } else if (value instanceof Ranking ranking) {
      out.writeByte(TYPE_RANKING);
      ranking.encode(out);
    } else if (value instanceof WindowCounter counter) {
      out.writeByte(TYPE_WINDOW_COUNTER);
      counter.encode(out);
    } else {
      throw new IllegalArgumentException("no encoding for " + value.getClass());
    }
  }

  /** The value encoded in {@code [from, to)}, or {@code null} when it is malformed. */
  public static Object decode(byte[] p, int from, int to) {
    In in = new In(p, from, to);
    try {
      Object value;
      switch (in.readByte()) {
        case TYPE_STRING -> value = in.readBytes();
        case TYPE_HASH -> {
          HashValue hash = new HashValue();
          int n = in.readLength();
          for (int i = 0; i < n; i++) {
            if (!hash.put(in.readBytes(), in.readBytes())) {
              return null;
            }
          }
          hash.compactIfFits(REDIS_MAX_COMPACT_ENTRIES, REDIS_MAX_COMPACT_VALUE_BYTES);
          value = n == 0 ? null : hash;
        }
        case TYPE_ZSET -> {
          SortedSet zset = new SortedSet();
          int n = in.readLength();
          for (int i = 0; i < n; i++) {
            byte[] member = in.readBytes();
            double score = in.readDouble();
            if (Double.isNaN(score) || !zset.put(member, score)) {
              return null;
            }
          }
          zset.compactIfFits(REDIS_MAX_COMPACT_ENTRIES, REDIS_MAX_COMPACT_VALUE_BYTES);
          value = n == 0 ? null : zset;
        }
        case TYPE_LIST -> {
          ListValue list = new ListValue();
          int n = in.readLength();
          for (int i = 0; i < n; i++) {
            list.pushTail(in.readBytes());
          }
          value = n == 0 ? null : list;
        }
        case TYPE_SET -> {
          // Members re-added one by one: the encoding is what Redis 7.0 gives a set loaded from
          // RDB under the default limit (intset when every member is an integer and there are at
          // most 512).
          SetValue set = new SetValue();
          int n = in.readLength();
          for (int i = 0; i < n; i++) {
            if (!set.add(in.readBytes())) {
              return null;
            }
          }
          value = n == 0 ? null : set;
        }
        case TYPE_SET_ENCODED -> {
          // The encoding as it was: SPOP's pick depends on it, so a replica that installs a
          // snapshot must have the leader's (RESTORE re-decides it with the server's limit).
          int encoding = in.readByte();
          if (encoding != 0 && encoding != 1) {
            return null;
          }
          SetValue set = new SetValue();
          if (encoding == 1) {
            set.leaveIntset();
          }
          int n = in.readLength();
          for (int i = 0; i < n; i++) {
            if (!set.add(in.readBytes(), SetValue.INTSET_ENTRIES_CAP) || set.isIntset() != (encoding == 0)) {
              return null;
            }
          }
          value = n == 0 ? null : set;
        }
        case TYPE_STREAM -> value = StreamValue.decode(in); // an empty stream is a value of its own
        case TYPE_RANKING -> value = Ranking.decode(in);
        case TYPE_WINDOW_COUNTER -> value = WindowCounter.decode(in);
        default -> value = null;
      }
      return in.atEnd() ? value : null;
    } catch (Malformed e) {
      return null;
    }
  }
}

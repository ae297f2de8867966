package io.kaiware.command.hll;

import java.util.Arrays;

/**
 * Redis 7.0's HyperLogLog (src/hyperloglog.c), byte for byte: a port, not a re-design.
 *
 * <h2>The representation</h2>
 *
 * An HLL is an ordinary string value. Its first 16 bytes are a header: the magic {@code "HYLL"},
 * one encoding byte (0 dense, 1 sparse), three zero bytes, and eight bytes of cached cardinality,
 * little endian, whose top bit set means "stale". After the header come 16384 registers, each the
 * longest run of zero bits (plus one) seen in the 50 high bits of the MurmurHash64A (seed
 * 0xadc83b19) of an element whose 14 low bits pick that register.
 *
 * <p>Dense: 16384 registers of 6 bits packed from the least significant bit of each byte, 12288
 * bytes, 12304 with the header; a register may straddle two bytes. Sparse: a run-length code of
 * opcodes, ZERO (00xxxxxx: 1-64 zero registers), XZERO (01xxxxxx yyyyyyyy: 1-16384 zero registers)
 * and VAL (1vvvvvxx: 1-4 registers of value 1-32). A new HLL is two XZERO opcodes of 8192 (20
 * bytes). Sparse becomes dense, never back, when a register needs a value above 32 or when an
 * update would grow the string beyond {@code hll-sparse-max-bytes} (header included).
 *
 * <h2>Why a port must be exact</h2>
 *
 * GET, DUMP and replication see these bytes, so Kaiware must produce Redis's bytes for the same
 * commands, and every Raft replica must produce the same bytes as every other. The subtle parts are
 * all in {@link #sparseSet}: which opcode is split, how a split is encoded (a ZERO run longer than 64
 * becomes XZERO), that the size check is made only when the split grows the string, and the little
 * merge pass afterwards that fuses adjacent equal VALs, scanning at most five opcodes from the one
 * before the change. A cleverer encoder would produce smaller, different bytes: that is the bug to
 * avoid. Redis edits the string in place inside spare room; here a {@link Hll} is a private working
 * copy whose buffer keeps a zero byte after its length, because the C code relies on the sds
 * terminator when it reads one byte past the end (the last dense register, a truncated XZERO). The
 * stored value is a fresh array: stored strings are never mutated.
 *
 * <p>Corrupt sparse strings are judged as Redis judges them after the CVE-2025-32023 fix (in every
 * maintained Redis and in Debian's 7.0.15, the reference used for the tests): converting to dense
 * and merging reject any opcode that runs past register 16383, where plain 7.0.15 accepted a
 * trailing VAL after a complete run. Well-formed HLLs are unaffected.
 *
 * <h2>The estimator</h2>
 *
 * Redis 7.0 uses Otmar Ertl's "improved raw estimator" (arXiv:1702.01284) over the register
 * histogram: {@code z = m*tau((m - C[q+1])/m)}, then for j = q down to 1 {@code z = (z + C[j]) / 2},
 * then {@code z += m*sigma(C[0]/m)}, and the estimate is {@code round(alpha_inf*m^2/z)}. The
 * sigma and tau series and the rounding are done in doubles exactly as Redis does (Java's
 * {@code Math.round} equals {@code llroundl} for non-negative values), so counts match too.
 */
public final class HyperLogLog {
  private HyperLogLog() {}

  static final int HDR = 16;
  static final int P = 14;
  static final int Q = 64 - P;
  static final int REGISTERS = 1 << P;
  static final int P_MASK = REGISTERS - 1;
  static final int BITS = 6;
  static final int REGISTER_MAX = (1 << BITS) - 1;
  static final int DENSE_SIZE = HDR + (REGISTERS * BITS + 7) / 8;
  static final int DENSE = 0;
  static final int SPARSE = 1;
  static final int SPARSE_VAL_MAX_VALUE = 32;
  static final int SPARSE_VAL_MAX_LEN = 4;
  static final int SPARSE_ZERO_MAX_LEN = 64;
  static final int SPARSE_XZERO_MAX_LEN = 16384;
  static final double ALPHA_INF = 0.721347520444481703680;

  public static final String WRONGTYPE = "WRONGTYPE Key is not a valid HyperLogLog string value.";
  public static final String INVALIDOBJ = "INVALIDOBJ Corrupted HLL object detected";

  // ------------------------------------------------------------------ hashing

  /** MurmurHash2, 64-bit (MurmurHash64A), endian neutral as Redis has it. */
  static long murmurHash64A(byte[] key, int seed) {
    final long m = 0xc6a4a7935bd1e995L;
    final int r = 47;
    int len = key.length;
    long h = (seed & 0xFFFFFFFFL) ^ (len * m);
    int end = len - (len & 7);
    int i = 0;
    for (; i < end; i += 8) {
      long k = (key[i] & 0xFFL) | (key[i + 1] & 0xFFL) << 8 | (key[i + 2] & 0xFFL) << 16 | (key[i + 3] & 0xFFL) << 24
          | (key[i + 4] & 0xFFL) << 32 | (key[i + 5] & 0xFFL) << 40 | (key[i + 6] & 0xFFL) << 48 | (key[i + 7] & 0xFFL) << 56;
      k *= m;
      k ^= k >>> r;
      k *= m;
      h ^= k;
      h *= m;
    }
    switch (len & 7) {
      case 7: h ^= (key[i + 6] & 0xFFL) << 48; // fall through
      case 6: h ^= (key[i + 5] & 0xFFL) << 40; // fall through
      case 5: h ^= (key[i + 4] & 0xFFL) << 32; // fall through
      case 4: h ^= (key[i + 3] & 0xFFL) << 24; // fall through
      case 3: h ^= (key[i + 2] & 0xFFL) << 16; // fall through
      case 2: h ^= (key[i + 1] & 0xFFL) << 8; // fall through
      case 1:
        h ^= key[i] & 0xFFL;
        h *= m;
        break;
      default:
        break;
    }
    h ^= h >>> r;
    h *= m;
    h ^= h >>> r;
    return h;
  }

  /** hllPatLen: the register (low 32 bits) and the run length of "000..1" (high 32 bits). */
  static long patLen(byte[] element) {
    long hash = murmurHash64A(element, 0xadc83b19);
    int index = (int) (hash & P_MASK);
    hash >>>= P;
    hash |= 1L << Q;
    int count = Long.numberOfTrailingZeros(hash) + 1;
    return ((long) count << 32) | index;
  }

  // ------------------------------------------------------------------ the working copy

  /** A mutable HLL being built or updated: {@code b[len]} is always 0 (the sds terminator). */
  static final class Hll {
    byte[] b;
    int len;

    Hll(byte[] value) {
      b = Arrays.copyOf(value, value.length + 8);
      len = value.length;
    }

    int encoding() {
      return b[4] & 0xFF;
    }

    int at(int i) {
      return i < len ? b[i] & 0xFF : 0;
    }

    void ensureRoom(int extra) {
      if (len + extra + 1 > b.length) {
        b = Arrays.copyOf(b, Math.max(b.length * 2, len + extra + 8));
      }
    }

    void incrLen(int delta) {
      len += delta;
      b[len] = 0;
    }

    void invalidateCache() {
      b[15] |= (byte) 0x80;
    }

    byte[] toBytes() {
      return Arrays.copyOf(b, len);
    }
  }

  /** createHLLObject: a sparse HLL of all zero registers (XZERO 8192 twice), cache valid at 0. */
  static Hll create() {
    byte[] s = new byte[HDR + ((REGISTERS + SPARSE_XZERO_MAX_LEN - 1) / SPARSE_XZERO_MAX_LEN) * 2];
    s[0] = 'H';
    s[1] = 'Y';
    s[2] = 'L';
    s[3] = 'L';
    s[4] = SPARSE;
    int p = HDR;
    int aux = REGISTERS;
    while (aux > 0) {
      int xzero = Math.min(SPARSE_XZERO_MAX_LEN, aux);
      s[p] = (byte) (((xzero - 1) >> 8) | 0x40);
      s[p + 1] = (byte) ((xzero - 1) & 0xFF);
      p += 2;
      aux -= xzero;
    }
    return new Hll(s);
  }

  /** isHLLObjectOrReply's checks on a string value. */
  static boolean isValid(byte[] v) {
    return v.length >= HDR && v[0] == 'H' && v[1] == 'Y' && v[2] == 'L' && v[3] == 'L'
        && (v[4] & 0xFF) <= SPARSE && ((v[4] & 0xFF) != DENSE || v.length == DENSE_SIZE);
  }

  static boolean cacheValid(byte[] v) {
    return (v[15] & 0x80) == 0;
  }

  static long cachedCard(byte[] v) {
    long card = 0;
    for (int i = 7; i >= 0; i--) {
      card = card << 8 | (v[8 + i] & 0xFF);
    }
    return card;
  }

  static void storeCard(byte[] v, long card) {
    for (int i = 0; i < 8; i++) {
      v[8 + i] = (byte) (card >>> (8 * i));
    }
  }

  // ------------------------------------------------------------------ dense

  /** HLL_DENSE_GET_REGISTER on {@code b} whose registers start at {@code off}, {@code limit} its length. */
  static int denseGet(byte[] b, int off, int limit, int regnum) {
    int bytePos = off + regnum * BITS / 8;
    int fb = regnum * BITS & 7;
    int b0 = b[bytePos] & 0xFF;
    int b1 = bytePos + 1 < limit ? b[bytePos + 1] & 0xFF : 0;
    return ((b0 >> fb) | (b1 << (8 - fb))) & REGISTER_MAX;
  }

  static void denseSet(byte[] b, int off, int limit, int regnum, int val) {
    int bytePos = off + regnum * BITS / 8;
    int fb = regnum * BITS & 7;
    int fb8 = 8 - fb;
    b[bytePos] = (byte) ((b[bytePos] & ~(REGISTER_MAX << fb)) | (val << fb));
    if (bytePos + 1 < limit) {
      b[bytePos + 1] = (byte) ((b[bytePos + 1] & ~(REGISTER_MAX >> fb8)) | (val >> fb8));
    }
  }

  /** hllDenseSet: 1 if the register grew. */
  static int denseSetIfGreater(Hll o, int index, int count) {
    int old = denseGet(o.b, HDR, DENSE_SIZE, index);
    if (count > old) {
      denseSet(o.b, HDR, DENSE_SIZE, index, count);
      return 1;
    }
    return 0;
  }

  static void denseRegHisto(byte[] b, int[] reghisto) {
    for (int j = 0; j < REGISTERS; j++) {
      reghisto[denseGet(b, HDR, DENSE_SIZE, j)]++;
    }
  }

  // ------------------------------------------------------------------ sparse

  private static boolean isZero(int op) {
    return (op & 0xC0) == 0;
  }

  private static boolean isXZero(int op) {
    return (op & 0xC0) == 0x40;
  }

  private static boolean isVal(int op) {
    return (op & 0x80) != 0;
  }

  private static int valValue(int op) {
    return ((op >> 2) & 0x1F) + 1;
  }

  private static int valLen(int op) {
    return (op & 0x3) + 1;
  }

  private static byte valOp(int val, int len) {
    return (byte) (((val - 1) << 2 | (len - 1)) | 0x80);
  }

  /** hllSparseToDense: false if the sparse representation is corrupt (then {@code o} is unchanged). */
  static boolean sparseToDense(Hll o) {
    if (o.encoding() == DENSE) {
      return true;
    }
    byte[] dense = new byte[DENSE_SIZE + 8];
    System.arraycopy(o.b, 0, dense, 0, HDR);
    dense[4] = DENSE;
    int idx = 0;
    int p = HDR;
    int end = o.len;
    boolean valid = true;
    while (p < end) {
      int op = o.b[p] & 0xFF;
      int runlen = isZero(op) ? (op & 0x3F) + 1 : isXZero(op) ? (((op & 0x3F) << 8) | o.at(p + 1)) + 1 : valLen(op);
      if (runlen + idx > REGISTERS) { // every opcode checked: the CVE-2025-32023 fix
        valid = false;
        break;
      }
      if (isZero(op)) {
        idx += runlen;
        p++;
      } else if (isXZero(op)) {
        idx += runlen;
        p += 2;
      } else {
        int regval = valValue(op);
        while (runlen-- > 0) {
          denseSet(dense, HDR, DENSE_SIZE, idx, regval);
          idx++;
        }
        p++;
      }
    }
    if (!valid || idx != REGISTERS) {
      return false;
    }
    o.b = dense;
    o.len = DENSE_SIZE;
    return true;
  }

  /**
   * hllSparseSet: sets register {@code index} to {@code count} if that is greater, promoting to
   * dense when needed. 1 if changed, 0 if not, -1 if the representation is corrupt.
   */
  static int sparseSet(Hll o, int index, int count, long sparseMaxBytes) {
    if (count > SPARSE_VAL_MAX_VALUE) {
      return promote(o, index, count);
    }
    o.ensureRoom(3);
    byte[] b = o.b;
    final int sparse = HDR;
    int p = sparse;
    int end = o.len;
    long first = 0;
    int prev = -1;
    int span = 0;
    while (p < end) {
      int oplen = 1;
      int op = b[p] & 0xFF;
      if (isZero(op)) {
        span = (op & 0x3F) + 1;
      } else if (isVal(op)) {
        span = valLen(op);
      } else {
        span = (((op & 0x3F) << 8) | o.at(p + 1)) + 1;
        oplen = 2;
      }
      if (index <= first + span - 1) {
        break;
      }
      prev = p;
      p += oplen;
      first += span;
    }
    if (span == 0 || p >= end) {
      return -1;
    }
    int op = b[p] & 0xFF;
    int next = isXZero(op) ? p + 2 : p + 1;
    if (next >= end) {
      next = -1;
    }
    boolean isZero = false;
    boolean isXZero = false;
    boolean isVal = false;
    int runlen;
    if (isZero(op)) {
      isZero = true;
      runlen = (op & 0x3F) + 1;
    } else if (isXZero(op)) {
      isXZero = true;
      runlen = (((op & 0x3F) << 8) | o.at(p + 1)) + 1;
    } else {
      isVal = true;
      runlen = valLen(op);
    }

    boolean simple = false;
    if (isVal) {
      if (valValue(op) >= count) {
        return 0; // case A
      }
      if (runlen == 1) { // case B
        b[p] = valOp(count, 1);
        simple = true;
      }
    }
    if (!simple && isZero && runlen == 1) { // case C
      b[p] = valOp(count, 1);
      simple = true;
    }
    if (!simple) { // case D: split the opcode
      byte[] seq = new byte[5];
      int n = 0;
      int last = (int) (first + span - 1);
      if (isZero || isXZero) {
        if (index != first) {
          n = putZeros(seq, n, (int) (index - first));
        }
        seq[n++] = valOp(count, 1);
        if (index != last) {
          n = putZeros(seq, n, last - index);
        }
      } else {
        int curval = valValue(op);
        if (index != first) {
          seq[n++] = valOp(curval, (int) (index - first));
        }
        seq[n++] = valOp(count, 1);
        if (index != last) {
          seq[n++] = valOp(curval, last - index);
        }
      }
      int seqlen = n;
      int oldlen = isXZero ? 2 : 1;
      int deltalen = seqlen - oldlen;
      if (deltalen > 0 && (long) o.len + deltalen > sparseMaxBytes) {
        return promote(o, index, count);
      }
      if (deltalen != 0 && next != -1) {
        System.arraycopy(b, next, b, next + deltalen, end - next);
      }
      o.incrLen(deltalen);
      System.arraycopy(seq, 0, b, p, seqlen);
      end += deltalen;
    }

    // updated: merge adjacent VALs of the same value, scanning up to 5 opcodes from prev.
    p = prev != -1 ? prev : sparse;
    int scanlen = 5;
    while (p < end && scanlen-- > 0) {
      int cur = b[p] & 0xFF;
      if (isXZero(cur)) {
        p += 2;
        continue;
      } else if (isZero(cur)) {
        p++;
        continue;
      }
      if (p + 1 < end && isVal(b[p + 1] & 0xFF)) {
        int v1 = valValue(cur);
        int v2 = valValue(b[p + 1] & 0xFF);
        if (v1 == v2) {
          int len = valLen(cur) + valLen(b[p + 1] & 0xFF);
          if (len <= SPARSE_VAL_MAX_LEN) {
            b[p + 1] = valOp(v1, len);
            System.arraycopy(b, p + 1, b, p, end - p); // includes the terminator, as memmove(p,p+1,end-p)
            o.incrLen(-1);
            end--;
            continue;
          }
        }
      }
      p++;
    }
    o.invalidateCache();
    return 1;
  }

  private static int putZeros(byte[] seq, int n, int len) {
    if (len > SPARSE_ZERO_MAX_LEN) {
      seq[n] = (byte) (((len - 1) >> 8) | 0x40);
      seq[n + 1] = (byte) ((len - 1) & 0xFF);
      return n + 2;
    }
    seq[n] = (byte) (len - 1);
    return n + 1;
  }

  private static int promote(Hll o, int index, int count) {
    if (!sparseToDense(o)) {
      return -1;
    }
    int changed = denseSetIfGreater(o, index, count);
    if (changed != 1) {
      throw new IllegalStateException("HLL promotion did not change the register"); // Redis's serverAssert
    }
    return 1;
  }

  /** hllSparseRegHisto: false if the registers do not add up to 16384. */
  static boolean sparseRegHisto(byte[] b, int len, int[] reghisto) {
    long idx = 0; // Redis's int could wrap on a crafted string of 2^31 registers; a long cannot
    int p = HDR;
    while (p < len) {
      int op = b[p] & 0xFF;
      if (isZero(op)) {
        int runlen = (op & 0x3F) + 1;
        idx += runlen;
        reghisto[0] += runlen;
        p++;
      } else if (isXZero(op)) {
        int runlen = (((op & 0x3F) << 8) | (p + 1 < len ? b[p + 1] & 0xFF : 0)) + 1;
        idx += runlen;
        reghisto[0] += runlen;
        p += 2;
      } else {
        int runlen = valLen(op);
        idx += runlen;
        reghisto[valValue(op)] += runlen;
        p++;
      }
    }
    return idx == REGISTERS;
  }

  // ------------------------------------------------------------------ adding, merging, counting

  /** hllAdd: 1 if a register changed, 0 if not, -1 if corrupt. */
  static int add(Hll o, byte[] element, long sparseMaxBytes) {
    long pl = patLen(element);
    int index = (int) pl;
    int count = (int) (pl >>> 32);
    return switch (o.encoding()) {
      case DENSE -> denseSetIfGreater(o, index, count);
      case SPARSE -> sparseSet(o, index, count, sparseMaxBytes);
      default -> -1;
    };
  }

  /** hllMerge: max[i] = MAX(max[i], registers[i]); false if a sparse HLL is corrupt. */
  static boolean merge(byte[] max, byte[] v) {
    if ((v[4] & 0xFF) == DENSE) {
      for (int i = 0; i < REGISTERS; i++) {
        int val = denseGet(v, HDR, v.length, i);
        if (val > max[i]) {
          max[i] = (byte) val;
        }
      }
      return true;
    }
    int p = HDR;
    int end = v.length;
    int i = 0;
    while (p < end) {
      int op = v[p] & 0xFF;
      int runlen = isZero(op) ? (op & 0x3F) + 1
          : isXZero(op) ? (((op & 0x3F) << 8) | (p + 1 < end ? v[p + 1] & 0xFF : 0)) + 1 : valLen(op);
      if (runlen + i > REGISTERS) { // every opcode checked: the CVE-2025-32023 fix
        return false;
      }
      if (isZero(op)) {
        i += runlen;
        p++;
      } else if (isXZero(op)) {
        i += runlen;
        p += 2;
      } else {
        int regval = valValue(op);
        while (runlen-- > 0) {
          if (regval > max[i]) {
            max[i] = (byte) regval;
          }
          i++;
        }
        p++;
      }
    }
    return i == REGISTERS;
  }

  /** The cardinality estimate of a valid HLL value, or -1 if its sparse form is corrupt. */
  static long count(byte[] v) {
    int[] reghisto = new int[64];
    if ((v[4] & 0xFF) == DENSE) {
      denseRegHisto(v, reghisto);
    } else if (!sparseRegHisto(v, v.length, reghisto)) {
      return -1;
    }
    return estimate(reghisto);
  }

  /** The estimate over raw 8-bit registers (PFCOUNT of several keys). */
  static long countRaw(byte[] registers) {
    int[] reghisto = new int[64];
    for (byte r : registers) {
      reghisto[r & 0x3F]++;
    }
    return estimate(reghisto);
  }

  static double sigma(double x) {
    if (x == 1.) {
      return Double.POSITIVE_INFINITY;
    }
    double zPrime;
    double y = 1;
    double z = x;
    do {
      x *= x;
      zPrime = z;
      z += x * y;
      y += y;
    } while (zPrime != z);
    return z;
  }

  static double tau(double x) {
    if (x == 0. || x == 1.) {
      return 0.;
    }
    double zPrime;
    double y = 1.0;
    double z = 1 - x;
    do {
      x = Math.sqrt(x);
      zPrime = z;
      y *= 0.5;
      double d = 1 - x;
      z -= d * d * y;
    } while (zPrime != z);
    return z / 3;
  }

  static long estimate(int[] reghisto) {
    double m = REGISTERS;
    double z = m * tau((m - reghisto[Q + 1]) / m);
    for (int j = Q; j >= 1; --j) {
      z += reghisto[j];
      z *= 0.5;
    }
    z += m * sigma(reghisto[0] / m);
    return Math.round(ALPHA_INF * m * m / z);
  }
}

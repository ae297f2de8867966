package io.kaiware.command;

/** Redis's number parsing and formatting rules (string2ll, ld2string), shared by command families. */
public final class Numbers {
  private Numbers() {}

  /** Returned by {@link #parseLong} for input that is not a long (also the value of Long.MIN_VALUE). */
  public static final long NOT_A_LONG = Long.MIN_VALUE;

  private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes();

  /**
   * Redis's string2ll: optional '-', decimal digits, no leading zeros or '+', no spaces, in range.
   * Returns {@link #NOT_A_LONG} when the bytes are not such a number; use {@link #isMinLong} to tell
   * that apart from a real Long.MIN_VALUE.
   */
  public static long parseLong(byte[] s) {
    int n = s.length;
    if (n == 0 || n > 20) {
      return NOT_A_LONG;
    }
    int i = 0;
    boolean negative = false;
    if (s[0] == '-') {
      negative = true;
      i = 1;
      if (n == 1) {
        return NOT_A_LONG;
      }
    }
    if (s[i] == '0') {
      return (n == 1) ? 0 : NOT_A_LONG;
    }
    long value = 0;
    for (; i < n; i++) {
      int d = s[i] - '0';
      if (d < 0 || d > 9) {
        return NOT_A_LONG;
      }
      if (value > (Long.MAX_VALUE - d) / 10) {
        return negative && isMinLong(s) ? Long.MIN_VALUE : NOT_A_LONG;
      }
      value = value * 10 + d;
    }
    return negative ? -value : value;
  }

  public static boolean isMinLong(byte[] s) {
    return java.util.Arrays.equals(s, MIN_LONG);
  }

  /**
   * ASCII bytes of a long, as Redis stores INCR results. Written straight into one array of the
   * right size: INCR's hot path allocated three objects here (a String, its bytes and their copy).
   */
  public static byte[] toBytes(long value) {
    if (value == Long.MIN_VALUE) {
      return MIN_LONG.clone();
    }
    long magnitude = Math.abs(value);
    int digits = 1;
    for (long bound = 10; digits < 19 && magnitude >= bound; bound *= 10) {
      digits++;
    }
    int length = value < 0 ? digits + 1 : digits;
    byte[] out = new byte[length];
    for (int i = length - 1; i >= length - digits; i--) {
      out[i] = (byte) ('0' + magnitude % 10);
      magnitude /= 10;
    }
    if (value < 0) {
      out[0] = '-';
    }
    return out;
  }
}

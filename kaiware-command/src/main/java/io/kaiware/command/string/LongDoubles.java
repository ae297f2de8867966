package io.kaiware.command.string;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * INCRBYFLOAT's arithmetic: Redis computes in C {@code long double}, which on x86-64 is the x87
 * 80-bit format (64-bit significand, 15-bit exponent), parses with {@code strtold} and prints with
 * {@code "%.17Lf"} minus trailing zeros ({@code ld2string(LD_STR_HUMAN)}). Java has no such type,
 * and doing the sum in {@code double} would print {@code 10.5 + 0.1} as {@code 10.59999999999999964}
 * instead of Redis's {@code 10.6}. So values are held exactly as {@link BigDecimal}s and every
 * operation is rounded (half-even) to 64 significant bits, which is exactly what the x87 does.
 *
 * <p>Known gaps: subnormal long doubles (below 2^-16382) keep 64 bits instead of losing precision.
 */
public final class LongDoubles {
  private LongDoubles() {}

  /** Redis's MAX_LONG_DOUBLE_CHARS: longer input is rejected before parsing. */
  private static final int MAX_CHARS = 5 * 1024;
  /** Infinity, as a sentinel (never a finite result). */
  static final BigDecimal POSITIVE_INFINITY = new BigDecimal("1e100000");
  static final BigDecimal NEGATIVE_INFINITY = POSITIVE_INFINITY.negate();

  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern HEX = Pattern.compile("([+-]?)0[xX]([0-9a-fA-F]*)(?:\\.([0-9a-fA-F]*))?(?:[pP]([+-]?\\d+))?");
  private static final Pattern INF = Pattern.compile("[+-]?(?i:inf|infinity)");
  /** 2^16384: the first magnitude that no longer fits the 15-bit exponent. */
  private static final int MAX_EXPONENT = 16383;
  private static final int MIN_EXPONENT = -16445;

  public static boolean isInfinite(BigDecimal v) {
    return v == POSITIVE_INFINITY || v == NEGATIVE_INFINITY;
  }

  /**
   * Redis's {@code string2ld}: the value of {@code s} rounded to a long double, an infinity sentinel
   * for "inf"/"infinity", or {@code null} when Redis would reject it (empty, too long, leading
   * space, trailing garbage, NaN, overflow, or underflow to zero).
   */
  public static BigDecimal parse(byte[] bytes) {
    if (bytes.length == 0 || bytes.length >= MAX_CHARS) {
      return null;
    }
    String s = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    if (INF.matcher(s).matches()) {
      return s.charAt(0) == '-' ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
    }
    BigDecimal exact;
    if (DECIMAL.matcher(s).matches()) {
      try {
        exact = new BigDecimal(s);
      } catch (NumberFormatException | ArithmeticException e) {
        return null; // an exponent beyond int: overflow or underflow
      }
      int adjusted = exact.signum() == 0 ? 0 : exact.precision() - exact.scale() - 1;
      if (adjusted > 4940) {
        return null;
      }
      if (adjusted < -4960) {
        return null;
      }
    } else {
      var m = HEX.matcher(s);
      if (!m.matches() || (m.group(2).isEmpty() && (m.group(3) == null || m.group(3).isEmpty()))) {
        return null;
      }
      String frac = m.group(3) == null ? "" : m.group(3);
      BigInteger mant = new BigInteger(m.group(2) + frac + "0", 16).shiftRight(4);
      long exp;
      try {
        exp = (m.group(4) == null ? 0 : Long.parseLong(m.group(4))) - 4L * frac.length();
      } catch (NumberFormatException e) {
        return null;
      }
      if (mant.signum() != 0 && (exp > MAX_EXPONENT + 64 || exp < MIN_EXPONENT - 64 - mant.bitLength())) {
        return null;
      }
      exact = mant.signum() == 0 ? BigDecimal.ZERO : times2pow(new BigDecimal(mant), (int) exp);
      if ("-".equals(m.group(1))) {
        exact = exact.negate();
      }
    }
    BigDecimal rounded = round(exact);
    if (rounded == null || isInfinite(rounded) || (rounded.signum() == 0 && exact.signum() != 0)) {
      return null;
    }
    return rounded;
  }

  /** The sum as the x87 computes it, or an infinity sentinel / {@code null} (NaN) for non-finite results. */
  public static BigDecimal add(BigDecimal a, BigDecimal b) {
    if (isInfinite(a) || isInfinite(b)) {
      if (isInfinite(a) && isInfinite(b) && a != b) {
        return null;
      }
      return isInfinite(a) ? a : b;
    }
    return round(a.add(b));
  }

  /**
   * {@code x} rounded half-even to 64 significant bits, an infinity sentinel on overflow, zero on
   * underflow below the smallest subnormal.
   */
  static BigDecimal round(BigDecimal x) {
    int sign = x.signum();
    if (sign == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal abs = x.abs();
    BigInteger n;
    BigInteger d;
    if (abs.scale() >= 0) {
      n = abs.unscaledValue();
      d = BigInteger.TEN.pow(abs.scale());
    } else {
      n = abs.unscaledValue().multiply(BigInteger.TEN.pow(-abs.scale()));
      d = BigInteger.ONE;
    }
    // e = floor(log2(n / d))
    int e = n.bitLength() - d.bitLength();
    if (e >= 0 ? n.compareTo(d.shiftLeft(e)) < 0 : n.shiftLeft(-e).compareTo(d) < 0) {
      e--;
    }
    if (e > MAX_EXPONENT) {
      return sign > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
    }
    if (e < MIN_EXPONENT - 1) {
      return BigDecimal.ZERO;
    }
    int shift = 63 - e; // mantissa m = round(x * 2^shift), 2^63 <= m < 2^64
    BigInteger num = shift >= 0 ? n.shiftLeft(shift) : n;
    BigInteger den = shift >= 0 ? d : d.shiftLeft(-shift);
    BigInteger[] qr = num.divideAndRemainder(den);
    BigInteger m = qr[0];
    int cmp = qr[1].shiftLeft(1).compareTo(den);
    if (cmp > 0 || (cmp == 0 && m.testBit(0))) {
      m = m.add(BigInteger.ONE);
    }
    if (m.bitLength() > 64 && e + 1 > MAX_EXPONENT) {
      return sign > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
    }
    BigDecimal result = times2pow(new BigDecimal(m), -shift);
    return sign > 0 ? result : result.negate();
  }

  /** Exactly {@code v * 2^exp}. */
  private static BigDecimal times2pow(BigDecimal v, int exp) {
    if (exp >= 0) {
      return new BigDecimal(v.unscaledValue().shiftLeft(exp), v.scale());
    }
    // v / 2^k = v * 5^k / 10^k
    int k = -exp;
    return new BigDecimal(v.unscaledValue().multiply(BigInteger.valueOf(5).pow(k)), v.scale() + k);
  }

  /** {@code ld2string(LD_STR_HUMAN)}: "%.17Lf", trailing zeros and point removed, "-0" as "0". */
  public static String format(BigDecimal v) {
    String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
    int end = s.length();
    while (s.charAt(end - 1) == '0') {
      end--;
    }
    if (s.charAt(end - 1) == '.') {
      end--;
    }
    s = s.substring(0, end);
    return s.equals("-0") ? "0" : s;
  }
}

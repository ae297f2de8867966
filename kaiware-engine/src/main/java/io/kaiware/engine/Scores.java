package io.kaiware.engine;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Sorted-set scores as Redis 7.0 reads and writes them: parsed with C's {@code strtod} rules
 * (no leading or trailing space, "inf"/"infinity" in any case, hex floats, NaN rejected) and
 * printed with {@code "%.17g"} (so 1.1 prints as {@code 1.1000000000000001}, as in Redis 7.0).
 */
public final class Scores {
  private Scores() {}

  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern HEX = Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?\\d+)?");
  private static final Pattern INF = Pattern.compile("[+-]?(?i:inf|infinity)");
  private static final MathContext SEVENTEEN = new MathContext(17, RoundingMode.HALF_EVEN);

  /** The double in {@code s} by strtod's rules, or NaN when Redis would reject it. */
  public static double parse(byte[] s) {
    if (s.length == 0 || s.length > 5 * 1024) {
      return Double.NaN;
    }
    String text = new String(s, StandardCharsets.ISO_8859_1);
    if (DECIMAL.matcher(text).matches()) {
      return Double.parseDouble(text);
    }
    if (INF.matcher(text).matches()) {
      return text.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (HEX.matcher(text).matches()) {
      String t = text.contains("p") || text.contains("P") ? text : text + "p0";
      return Double.parseDouble(t);
    }
    return Double.NaN;
  }

  /**
   * Redis's string2d (getDoubleFromObject: ZADD and ZINCRBY scores, WEIGHTS, GEO coordinates and
   * distances): {@link #parse}, but a number strtod can only answer with ERANGE is rejected too:
   * one that overflows to infinity ({@code 1e309}; the word {@code inf} itself is fine) or
   * underflows to zero ({@code 1e-400}). NaN when rejected.
   */
  public static double parseStrict(byte[] s) {
    double d = parse(s);
    if (Double.isInfinite(d) && !INF.matcher(new String(s, StandardCharsets.ISO_8859_1)).matches()) {
      return Double.NaN;
    }
    if (d == 0 && hasNonZeroMantissa(s)) {
      return Double.NaN;
    }
    return d;
  }

  /**
   * Whether a number's digits before its exponent include a non-zero one (hex digits after 0x too):
   * a zero result from such a text is strtod's underflow (ERANGE).
   */
  public static boolean hasNonZeroMantissa(byte[] s) {
    int i = 0;
    if (i < s.length && (s[i] == '+' || s[i] == '-')) {
      i++;
    }
    boolean hex = i + 1 < s.length && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
    if (hex) {
      i += 2;
    }
    for (; i < s.length; i++) {
      byte b = s[i];
      if (hex ? (b == 'p' || b == 'P') : (b == 'e' || b == 'E')) {
        return false;
      }
      if (b != '0' && b != '.') {
        return true;
      }
    }
    return false;
  }

  /** C's {@code printf("%.17g", value)}; "inf"/"-inf"/"nan" for the special values. */
  public static String format(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return (1 / value) < 0 ? "-0" : "0";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    BigDecimal rounded = new BigDecimal(value).round(SEVENTEEN);
    int exponent = rounded.precision() - rounded.scale() - 1;
    if (exponent < -4 || exponent >= 17) {
      BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
      String m = mantissa.toPlainString();
      String e = (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
      return m + "e" + e;
    }
    String plain = rounded.toPlainString();
    if (plain.indexOf('.') >= 0) {
      plain = plain.replaceAll("0+$", "");
      if (plain.endsWith(".")) {
        plain = plain.substring(0, plain.length() - 1);
      }
    }
    return plain;
  }

  public static byte[] formatBytes(double value) {
    return format(value).getBytes(StandardCharsets.US_ASCII);
  }
}

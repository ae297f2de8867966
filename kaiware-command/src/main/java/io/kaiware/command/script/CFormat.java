package io.kaiware.command.script;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's {@code printf("%.<n>g")} of a double: Redis turns Lua numbers into command arguments and
 * doubles into replies with {@code %.17g}, and Lua 5.1 writes numbers with {@code %.14g}.
 */
final class CFormat {
  private CFormat() {}

  /** {@code %.17g}. */
  static String g17(double d) {
    return g(d, 17);
  }

  /** {@code %.14g}: Lua 5.1's tostring of a number. */
  static String g14(double d) {
    return g(d, 14);
  }

  static String g(double d, int significant) {
    if (Double.isNaN(d)) {
      return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0" : "0";
    }
    long asLong = (long) d;
    if (asLong == d && Math.abs(asLong) < 100_000_000_000_000L) {
      return Long.toString(asLong); // the common case: an integer of at most 14 digits prints as itself
    }
    BigDecimal rounded = new BigDecimal(d).round(new MathContext(significant, RoundingMode.HALF_EVEN));
    int exponent = rounded.precision() - rounded.scale() - 1;
    BigDecimal stripped = rounded.stripTrailingZeros();
    if (exponent >= -4 && exponent < significant) {
      return stripped.toPlainString();
    }
    String digits = stripped.unscaledValue().abs().toString();
    StringBuilder sb = new StringBuilder();
    if (stripped.signum() < 0) {
      sb.append('-');
    }
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    sb.append('e').append(exponent < 0 ? '-' : '+');
    int abs = Math.abs(exponent);
    if (abs < 10) {
      sb.append('0');
    }
    return sb.append(abs).toString();
  }
}

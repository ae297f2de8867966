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
    // (Not Math.abs: -2^63 casts to Long.MIN_VALUE, whose absolute value is negative.)
    if (asLong == d && asLong > -100_000_000_000_000L && asLong < 100_000_000_000_000L) {
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

  /**
   * C's {@code printf} of one double conversion ({@code e E f g G}) with its flags ({@code -+ #0}),
   * width and precision (-1: none, 6 by default), as Lua 5.1's string.format hands it to sprintf.
   * Rounding is the exact binary value's, half to even on a true tie, as glibc does. NaN prints as
   * {@code -nan}: the x86 NaN of 0/0 and inf-inf carries the sign bit, and the JVM's does not.
   */
  static String printf(String flags, int width, int precision, char conversion, double value) {
    boolean upper = Character.isUpperCase(conversion);
    char kind = Character.toLowerCase(conversion);
    boolean negative = value < 0 || (value == 0 && 1 / value < 0);
    boolean alternate = flags.indexOf('#') >= 0;
    String body;
    if (Double.isNaN(value)) {
      body = "nan";
      negative = true;
    } else if (Double.isInfinite(value)) {
      body = "inf";
    } else {
      BigDecimal abs = new BigDecimal(value).abs();
      int p = precision < 0 ? 6 : precision;
      body = switch (kind) {
        case 'f' -> fixed(abs, p, alternate);
        case 'e' -> exponential(abs, p, alternate);
        default -> general(abs, p == 0 ? 1 : p, alternate);
      };
    }
    if (upper) {
      body = body.toUpperCase(java.util.Locale.ROOT);
    }
    String sign = negative ? "-" : flags.indexOf('+') >= 0 ? "+" : flags.indexOf(' ') >= 0 ? " " : "";
    int pad = width - sign.length() - body.length();
    if (pad <= 0) {
      return sign + body;
    }
    if (flags.indexOf('-') >= 0) {
      return sign + body + " ".repeat(pad);
    }
    if (flags.indexOf('0') >= 0 && Double.isFinite(value)) {
      return sign + "0".repeat(pad) + body;
    }
    return " ".repeat(pad) + sign + body;
  }

  private static String fixed(BigDecimal abs, int precision, boolean alternate) {
    String text = abs.setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
    return alternate && precision == 0 ? text + "." : text;
  }

  private static String exponential(BigDecimal abs, int precision, boolean alternate) {
    int exponent = 0;
    String digits;
    if (abs.signum() == 0) {
      digits = "0".repeat(precision + 1);
    } else {
      BigDecimal rounded = abs.round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
      exponent = rounded.precision() - rounded.scale() - 1;
      digits = rounded.unscaledValue().toString();
      digits = digits.length() > precision + 1 ? digits.substring(0, precision + 1)
          : digits + "0".repeat(precision + 1 - digits.length());
    }
    StringBuilder sb = new StringBuilder().append(digits.charAt(0));
    if (precision > 0 || alternate) {
      sb.append('.');
    }
    sb.append(digits, 1, digits.length());
    sb.append('e').append(exponent < 0 ? '-' : '+');
    int e = Math.abs(exponent);
    if (e < 10) {
      sb.append('0');
    }
    return sb.append(e).toString();
  }

  private static String general(BigDecimal abs, int precision, boolean alternate) {
    int exponent = 0;
    if (abs.signum() != 0) {
      BigDecimal rounded = abs.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      exponent = rounded.precision() - rounded.scale() - 1;
    }
    String text = exponent >= -4 && exponent < precision
        ? fixed(abs, precision - 1 - exponent, alternate)
        : exponential(abs, precision - 1, alternate);
    if (alternate) {
      return text;
    }
    int e = text.indexOf('e');
    String mantissa = e < 0 ? text : text.substring(0, e);
    String rest = e < 0 ? "" : text.substring(e);
    if (mantissa.indexOf('.') >= 0) {
      mantissa = mantissa.replaceAll("0+$", "");
      if (mantissa.endsWith(".")) {
        mantissa = mantissa.substring(0, mantissa.length() - 1);
      }
    }
    return mantissa + rest;
  }
}

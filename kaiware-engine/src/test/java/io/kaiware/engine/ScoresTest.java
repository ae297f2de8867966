package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScoresTest {

  @Test
  void formatsLikeCPercent17g() {
    // Expected strings produced by C printf("%.17g") (via CPython's % operator).
    assertThat(Scores.format(1.1)).isEqualTo("1.1000000000000001");
    assertThat(Scores.format(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(Scores.format(1e20)).isEqualTo("1e+20");
    assertThat(Scores.format(1.5e-5)).isEqualTo("1.5e-05");
    assertThat(Scores.format(123456789012345678.0)).isEqualTo("1.2345678901234568e+17");
    assertThat(Scores.format(3.0)).isEqualTo("3");
    assertThat(Scores.format(-2.5)).isEqualTo("-2.5");
    assertThat(Scores.format(1e15)).isEqualTo("1000000000000000");
    assertThat(Scores.format(1e16)).isEqualTo("10000000000000000");
    assertThat(Scores.format(1e17)).isEqualTo("1e+17");
    assertThat(Scores.format(0.0001)).isEqualTo("0.0001");
    assertThat(Scores.format(0.00001)).isEqualTo("1.0000000000000001e-05");
    assertThat(Scores.format(Math.pow(2, 70))).isEqualTo("1.1805916207174113e+21");
    assertThat(Scores.format(1.0 / 3)).isEqualTo("0.33333333333333331");
    assertThat(Scores.format(Double.MIN_VALUE)).isEqualTo("4.9406564584124654e-324");
    assertThat(Scores.format(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
    assertThat(Scores.format(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    assertThat(Scores.format(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    assertThat(Scores.format(-0.0)).isEqualTo("-0");
  }

  private static double parse(String s) {
    return Scores.parse(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void parsesLikeStrtodWithRedisChecks() {
    assertThat(parse("1.5")).isEqualTo(1.5);
    assertThat(parse("-.5e1")).isEqualTo(-5.0);
    assertThat(parse("+inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(parse("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(parse("0x10")).isEqualTo(16.0);
    assertThat(parse("nan")).isNaN();
    assertThat(parse(" 1")).isNaN();
    assertThat(parse("1 ")).isNaN();
    assertThat(parse("1d")).isNaN();
    assertThat(parse("")).isNaN();
    assertThat(parse("abc")).isNaN();
  }
}

package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Redis's stringmatchlen, quirks included. */
class GlobMatcherTest {

  private static boolean m(String pattern, String s) {
    return GlobMatcher.matches(pattern.getBytes(StandardCharsets.ISO_8859_1), s.getBytes(StandardCharsets.ISO_8859_1), false);
  }

  @ParameterizedTest(name = "''{0}'' ~ ''{1}'' = {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "*|abc|true",
      "*|\"\"|false",          // Redis: only an empty pattern matches the empty string
      "\"\"|\"\"|true",
      "a*|a|true",
      "a**|a|true",
      "**|\"\"|false",
      "a*c|abbbc|true",
      "a*c|abbb|false",
      "?|a|true",
      "?|\"\"|false",
      "??|a|false",
      "h?llo|hello|true",
      "h[ae]llo|hallo|true",
      "h[ae]llo|hillo|false",
      "h[^e]llo|hallo|true",
      "h[^e]llo|hello|false",
      "h[a-b]llo|hbllo|true",
      "h[b-a]llo|hallo|true",   // reversed ranges are swapped
      "h[a-b]llo|hcllo|false",
      "h\\*llo|h*llo|true",
      "h\\*llo|hello|false",
      "[\\]]|]|true",
      "[\\-]|-|true",
      "[a-]|-|false",           // Redis reads "a-]" as the range a..] and then finds no closing bracket
      "[abc|a|true",            // unterminated class ends the pattern
      "[abc|ab|false",
      "a\\|a\\|true",           // a trailing backslash matches itself
      "*a*a*a*a*a*a*a*a*a*b|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|false",
      "a*b*|ab|true",
      "[]|x|false",
  })
  void matchesLikeRedis(String pattern, String string, boolean expected) {
    assertThat(m(pattern, string)).isEqualTo(expected);
  }

  @Test
  void noCaseIsAsciiOnly() {
    assertThat(GlobMatcher.matches("HELLO".getBytes(), "hello".getBytes(), true)).isTrue();
    assertThat(GlobMatcher.matches("[A-C]".getBytes(), "b".getBytes(), true)).isTrue();
    byte[] upperAGrave = {(byte) 0xC0};
    byte[] lowerAGrave = {(byte) 0xE0};
    assertThat(GlobMatcher.matches(upperAGrave, lowerAGrave, true)).isFalse();
  }

  @Test
  void rangesCompareSignedBytesLikeC() {
    // [a-\xff] is [-1, 'a'] with C's signed char: \x80 (-128) is outside, '0' inside.
    byte[] pattern = {'[', 'a', '-', (byte) 0xff, ']'};
    assertThat(GlobMatcher.matches(pattern, new byte[] {'0'}, false)).isTrue();
    assertThat(GlobMatcher.matches(pattern, new byte[] {'b'}, false)).isFalse();
    assertThat(GlobMatcher.matches(pattern, new byte[] {(byte) 0xff}, false)).isTrue();
    assertThat(GlobMatcher.matches(pattern, new byte[] {(byte) 0x80}, false)).isFalse();
  }

  @Test
  void pathologicalPatternIsFast() {
    String p = "a*".repeat(30) + "b";
    String s = "a".repeat(5000);
    long start = System.nanoTime();
    assertThat(m(p, s)).isFalse();
    assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L); // exponential would take ages
  }
}

package io.kaiware.engine;

/**
 * Redis's glob matching ({@code stringmatchlen} in util.c) for KEYS, SCAN MATCH and CONFIG GET:
 * {@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]}, and {@code \} to escape the next byte. Works on
 * bytes, like Redis, so binary keys match too.
 *
 * <p>Deliberately faithful to Redis's quirks:
 * <ul>
 *   <li>a pattern never matches the empty string unless it is empty itself ({@code "*"} does not
 *       match {@code ""}; KEYS and SCAN special-case the lone {@code "*"} before matching);</li>
 *   <li>range bounds compare bytes as C's signed {@code char} ({@code [a-\xff]} is the range
 *       {@code [-1, 'a']});</li>
 *   <li>case folding is ASCII only (the C locale's {@code tolower});</li>
 *   <li>an unterminated {@code [} class ends the pattern; a trailing {@code \} matches itself;</li>
 *   <li>after a {@code *} fails to match the rest anywhere, no longer match is tried for earlier
 *       stars (Redis's {@code skipLongerMatches}), which bounds the work on patterns like
 *       {@code a*a*a*a*b}; recursion stops at 1000 nested stars.</li>
 * </ul>
 */
public final class GlobMatcher {
  private GlobMatcher() {}

  /** Redis caps recursion at 1000 nested stars to stop pathological patterns. */
  private static final int MAX_NESTING = 1000;

  public static boolean matches(byte[] pattern, byte[] string, boolean noCase) {
    return match(pattern, 0, string, 0, noCase, new boolean[1], 0);
  }

  private static boolean match(byte[] p, int pi, byte[] s, int si, boolean noCase, boolean[] skipLonger,
      int nesting) {
    if (nesting > MAX_NESTING) {
      return false;
    }
    while (pi < p.length && si < s.length) {
      switch (p[pi]) {
        case '*' -> {
          while (pi + 1 < p.length && p[pi + 1] == '*') {
            pi++;
          }
          if (pi + 1 == p.length) {
            return true;
          }
          while (si < s.length) {
            if (match(p, pi + 1, s, si, noCase, skipLonger, nesting + 1)) {
              return true;
            }
            if (skipLonger[0]) {
              return false;
            }
            si++;
          }
          skipLonger[0] = true;
          return false;
        }
        case '?' -> si++;
        case '[' -> {
          pi++;
          boolean not = pi < p.length && p[pi] == '^';
          if (not) {
            pi++;
          }
          boolean matched = false;
          for (;;) {
            if (pi < p.length && p[pi] == '\\' && p.length - pi >= 2) {
              pi++;
              if (p[pi] == s[si]) {
                matched = true;
              }
            } else if (pi < p.length && p[pi] == ']') {
              break;
            } else if (pi >= p.length) {
              pi--; // unterminated class: the pattern ends here
              break;
            } else if (p.length - pi >= 3 && p[pi + 1] == '-') {
              int start = p[pi]; // signed, like C's char
              int end = p[pi + 2];
              int c = s[si];
              if (start > end) {
                int t = start;
                start = end;
                end = t;
              }
              if (noCase) {
                start = lower(start);
                end = lower(end);
                c = lower(c);
              }
              pi += 2;
              if (c >= start && c <= end) {
                matched = true;
              }
            } else if (noCase ? lower(p[pi]) == lower(s[si]) : p[pi] == s[si]) {
              matched = true;
            }
            pi++;
          }
          if (not) {
            matched = !matched;
          }
          if (!matched) {
            return false;
          }
          si++;
        }
        default -> {
          if (p[pi] == '\\' && p.length - pi >= 2) {
            pi++;
          }
          if (noCase ? lower(p[pi]) != lower(s[si]) : p[pi] != s[si]) {
            return false;
          }
          si++;
        }
      }
      pi++;
      if (si == s.length) {
        while (pi < p.length && p[pi] == '*') {
          pi++;
        }
        break;
      }
    }
    return pi == p.length && si == s.length;
  }

  /** The C locale's tolower: ASCII letters only. */
  private static int lower(int c) {
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
  }
}

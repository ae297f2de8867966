package io.kaiware.engine;

/**
 * Redis's glob matching ({@code stringmatchlen}) for KEYS, SCAN MATCH and CONFIG GET: {@code *},
 * {@code ?}, {@code [abc]}, {@code [^a-z]}, and {@code \} to escape the next byte. Works on bytes,
 * like Redis, so binary keys match too.
 */
public final class GlobMatcher {
  private GlobMatcher() {}

  public static boolean matches(byte[] pattern, byte[] string, boolean noCase) {
    return match(pattern, 0, string, 0, noCase, 0);
  }

  /** Redis caps recursion at 1000 nested stars to stop pathological patterns. */
  private static final int MAX_NESTING = 1000;

  private static boolean match(byte[] p, int pi, byte[] s, int si, boolean noCase, int nesting) {
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
          for (int k = si; k < s.length; k++) {
            if (match(p, pi + 1, s, k, noCase, nesting + 1)) {
              return true;
            }
          }
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
            if (pi >= p.length) {
              pi--; // unterminated class: treat like the end of the pattern
              break;
            }
            if (p[pi] == '\\' && pi + 1 < p.length) {
              pi++;
              if (p[pi] == s[si]) {
                matched = true;
              }
            } else if (p[pi] == ']') {
              break;
            } else if (pi + 2 < p.length && p[pi + 1] == '-') {
              int start = p[pi] & 0xff;
              int end = p[pi + 2] & 0xff;
              int c = s[si] & 0xff;
              if (start > end) {
                int t = start;
                start = end;
                end = t;
              }
              if (noCase) {
                start = Character.toLowerCase(start);
                end = Character.toLowerCase(end);
                c = Character.toLowerCase(c);
              }
              pi += 2;
              if (c >= start && c <= end) {
                matched = true;
              }
            } else if (equal(p[pi], s[si], noCase)) {
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
        case '\\' -> {
          if (pi + 1 < p.length) {
            pi++;
          }
          if (!equal(p[pi], s[si], noCase)) {
            return false;
          }
          si++;
        }
        default -> {
          if (!equal(p[pi], s[si], noCase)) {
            return false;
          }
          si++;
        }
      }
      pi++;
    }
    if (si == s.length) {
      while (pi < p.length && p[pi] == '*') {
        pi++;
      }
    }
    return pi == p.length && si == s.length;
  }

  private static boolean equal(byte a, byte b, boolean noCase) {
    if (a == b) {
      return true;
    }
    return noCase && Character.toLowerCase(a & 0xff) == Character.toLowerCase(b & 0xff);
  }
}

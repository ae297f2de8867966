package io.kaiware.resp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline command line into arguments with the rules of Redis's {@code sdssplitargs}:
 * whitespace separates; "double quotes" allow \n \r \t \b \a \\ \" and \xHH escapes; 'single quotes'
 * allow only \'; a closing quote must be followed by whitespace or the end of the line.
 */
public final class InlineSplitter {
  private InlineSplitter() {}

  /** The arguments, an empty array for a blank line, or {@code null} for unbalanced quotes. */
  public static byte[][] split(byte[] line) {
    byte[][] simple = splitWithoutQuotes(line);
    if (simple != null) {
      return simple;
    }
    List<byte[]> args = new ArrayList<>();
    int i = 0;
    int n = line.length;
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    for (;;) {
      while (i < n && isSpace(line[i])) {
        i++;
      }
      if (i >= n) {
        return args.toArray(new byte[0][]);
      }
      boolean inDouble = false;
      boolean inSingle = false;
      boolean done = false;
      current.reset();
      while (!done) {
        if (inDouble) {
          if (i >= n) {
            return null;
          }
          byte c = line[i];
          if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
            current.write(hex(line[i + 2]) * 16 + hex(line[i + 3]));
            i += 3;
          } else if (c == '\\' && i + 1 < n) {
            i++;
            current.write(switch (line[i]) {
              case 'n' -> '\n';
              case 'r' -> '\r';
              case 't' -> '\t';
              case 'b' -> '\b';
              case 'a' -> 7;
              default -> line[i];
            });
          } else if (c == '"') {
            if (i + 1 < n && !isSpace(line[i + 1])) {
              return null;
            }
            done = true;
          } else {
            current.write(c);
          }
        } else if (inSingle) {
          if (i >= n) {
            return null;
          }
          byte c = line[i];
          if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
            i++;
            current.write('\'');
          } else if (c == '\'') {
            if (i + 1 < n && !isSpace(line[i + 1])) {
              return null;
            }
            done = true;
          } else {
            current.write(c);
          }
        } else {
          if (i >= n) {
            done = true;
            continue;
          }
          byte c = line[i];
          switch (c) {
            case ' ', '\n', '\r', '\t', 0 -> done = true;
            case '"' -> inDouble = true;
            case '\'' -> inSingle = true;
            default -> current.write(c);
          }
        }
        if (i < n) {
          i++;
        }
      }
      args.add(current.toByteArray());
    }
  }

  /**
   * The common case (PING, GET key): no quotes, so arguments are plain runs of non-space bytes,
   * copied straight out of the line. Returns {@code null} when the line has quotes.
   */
  private static byte[][] splitWithoutQuotes(byte[] line) {
    int count = 0;
    boolean inWord = false;
    for (byte c : line) {
      if (c == '"' || c == '\'' || c == 0 || c == 0x0b || c == '\f') {
        return null;
      }
      boolean space = isSpace(c);
      if (!space && !inWord) {
        count++;
      }
      inWord = !space;
    }
    byte[][] args = new byte[count][];
    int arg = 0;
    int i = 0;
    while (arg < count) {
      while (isSpace(line[i])) {
        i++;
      }
      int start = i;
      while (i < line.length && !isSpace(line[i])) {
        i++;
      }
      args[arg++] = java.util.Arrays.copyOfRange(line, start, i);
    }
    return args;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x0b || c == '\f';
  }

  private static boolean isHex(byte c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int hex(byte c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
  }
}

package io.kaiware.command.script;

import io.kaiware.command.CommandError;
import java.nio.charset.StandardCharsets;

/**
 * The {@code #!lua flags=...} first line of a script (Redis 7.0's {@code evalExtractShebangFlags}):
 * which flags it declares, and how many bytes to skip before compiling (the line, not its newline,
 * so line numbers stay the user's). Without a shebang a script runs in Redis's compatibility mode.
 */
final class Shebang {
  private Shebang() {}

  /** The script may not write (implies allow-oom); runs like a read. */
  static final int NO_WRITES = 1;
  static final int ALLOW_OOM = 1 << 1;
  static final int ALLOW_STALE = 1 << 2;
  static final int NO_CLUSTER = 1 << 3;
  static final int ALLOW_CROSS_SLOT = 1 << 4;
  /** No shebang: Redis's backwards-compatible mode (flags come from the commands the script calls). */
  static final int EVAL_COMPAT_MODE = 1 << 5;

  private static final String[] NAMES = {"no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"};

  /** A parsed shebang: the flags and the length of the shebang line (0 without one). */
  record Parsed(int flags, int length) {}

  /** Parses the shebang of {@code body}; a {@link CommandError} with Redis's text when it is invalid. */
  static Parsed parse(byte[] body) {
    if (body.length < 2 || body[0] != '#' || body[1] != '!') {
      return new Parsed(EVAL_COMPAT_MODE, 0);
    }
    int end = 0;
    while (end < body.length && body[end] != '\n') {
      end++;
    }
    if (end == body.length) {
      throw new CommandError("ERR Invalid script shebang");
    }
    String line = new String(body, 0, end, StandardCharsets.ISO_8859_1);
    String[] parts = line.trim().split("[ \t\r\f\u000B]+");
    if (parts.length == 0 || parts[0].isEmpty()) {
      throw new CommandError("ERR Invalid engine in script shebang");
    }
    if (!parts[0].equals("#!lua")) {
      throw new CommandError("ERR Unexpected engine in script shebang: " + parts[0]);
    }
    int flags = 0;
    for (int i = 1; i < parts.length; i++) {
      if (!parts[i].startsWith("flags=")) {
        throw new CommandError("ERR Unknown lua shebang option: " + parts[i]);
      }
      String list = parts[i].substring(6);
      if (list.isEmpty()) {
        continue; // sdssplitlen of an empty string: no flags
      }
      for (String flag : list.split(",", -1)) {
        int bit = bitOf(flag);
        if (bit == 0) {
          throw new CommandError("ERR Unexpected flag in script shebang: " + flag);
        }
        flags |= bit;
      }
    }
    return new Parsed(flags, end);
  }

  private static int bitOf(String name) {
    for (int i = 0; i < NAMES.length; i++) {
      if (NAMES[i].equals(name)) {
        return 1 << i;
      }
    }
    return 0;
  }

  /** Whether a script with {@code flags} must not write: no-writes declared in a shebang. */
  static boolean readOnly(int flags) {
    return (flags & EVAL_COMPAT_MODE) == 0 && (flags & NO_WRITES) != 0;
  }
}

package io.kaiware.command;

/**
 * A command's own key finder, Redis's {@code getkeys_proc}: COMMAND GETKEYS uses it when the key
 * specs give up ({@link KeySpec#find}), and declaring one marks the command {@code movablekeys}.
 * Returns the key positions in {@code argv} (the command name at 0); none means "Invalid arguments".
 */
@FunctionalInterface
public interface GetKeys {

  int[] positions(byte[][] argv);

  /**
   * Redis's {@code genericGetKeys}: {@code argv[countAt]} keys (read with C's {@code atoi}) from
   * {@code firstAt}, every {@code step}, then the destination at {@code storeAt} (0: none); none at
   * all when the count is below 1 or more than the arguments hold.
   */
  static GetKeys numKeys(int storeAt, int countAt, int firstAt, int step) {
    return argv -> {
      int num = atoi(argv[countAt]);
      if (num < 1 || num > (argv.length - firstAt) / step) {
        return new int[0];
      }
      int[] keys = new int[storeAt > 0 ? num + 1 : num];
      for (int i = 0; i < num; i++) {
        keys[i] = firstAt + i * step;
      }
      if (storeAt > 0) {
        keys[num] = storeAt;
      }
      return keys;
    };
  }

  /**
   * Redis's {@code sortGetKeys}: the sorted key, and the argument after the last STORE. LIMIT, GET
   * and BY skip their arguments; a STORE does not skip its own, so {@code STORE STORE k} stores in k.
   */
  GetKeys SORT = argv -> {
    int store = 0;
    for (int i = 2; i < argv.length; i++) {
      String arg = new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1);
      if (arg.equalsIgnoreCase("limit")) {
        i += 2;
      } else if (arg.equalsIgnoreCase("get") || arg.equalsIgnoreCase("by")) {
        i += 1;
      } else if (arg.equalsIgnoreCase("store") && i + 1 < argv.length) {
        store = i + 1;
      }
    }
    return store > 0 ? new int[] {1, store} : new int[] {1};
  };

  /** Redis's {@code sortROGetKeys}: the sorted key only (SORT_RO has no STORE). */
  GetKeys SORT_RO = argv -> new int[] {1};

  /** C's {@code atoi} as glibc has it: {@code (int) strtol(s, NULL, 10)}, which saturates at the long range. */
  static int atoi(byte[] s) {
    int i = 0;
    while (i < s.length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) {
      i++;
    }
    boolean negative = false;
    if (i < s.length && (s[i] == '+' || s[i] == '-')) {
      negative = s[i] == '-';
      i++;
    }
    long value = 0;
    boolean overflow = false;
    for (; i < s.length && s[i] >= '0' && s[i] <= '9'; i++) {
      int digit = s[i] - '0';
      if (!overflow && value > (Long.MAX_VALUE - digit) / 10) {
        overflow = true;
      }
      value = overflow ? 0 : value * 10 + digit;
    }
    long result = overflow ? (negative ? Long.MIN_VALUE : Long.MAX_VALUE) : (negative ? -value : value);
    return (int) result;
  }
}

package io.kaiware.command;

import java.util.List;

/**
 * One Redis 7 key specification (src/commands/*.json "key_specs"): where a command's keys start
 * ({@code begin_search}) and how many follow ({@code find_keys}), with the flags COMMAND INFO shows.
 * Declared for the commands whose keys move (numkeys, SORT's STORE); the others derive theirs from
 * the legacy (first, last, step) range. {@link #find} is Redis's {@code getKeysUsingKeySpecs}.
 *
 * @param notes      Redis's note, or {@code null}
 * @param flags      "RO", "RW", "OW" then the access flags ("access", "update", "delete" ...)
 * @param beginIndex the argument the search begins at; 0 for Redis's "unknown" begin_search; with a
 *                   keyword, where the keyword search starts (Redis's "startfrom")
 * @param keyword    Redis's "keyword" begin_search (the key follows it, e.g. GEORADIUS's STORE), or
 *                   {@code null} for an "index" one
 * @param find       how the keys are found from there
 */
public record KeySpec(String notes, List<String> flags, int beginIndex, String keyword, FindKeys find) {

  public KeySpec(String notes, List<String> flags, int beginIndex, FindKeys find) {
    this(notes, flags, beginIndex, null, find);
  }

  /** Redis's find_keys: a range, a count argument, or unknown. */
  public sealed interface FindKeys {}

  /** Keys from the begin index to {@code lastKey} past it (negative: from the end), every {@code keyStep}. */
  public record Range(int lastKey, int keyStep, int limit) implements FindKeys {}

  /** The argument {@code keyNumIdx} past the begin index counts the keys, which start {@code firstKey} past it. */
  public record KeyNum(int keyNumIdx, int firstKey, int keyStep) implements FindKeys {}

  /** Keys Redis cannot locate from the arguments' positions alone (SORT's BY, GET and STORE). */
  public record Unknown() implements FindKeys {}

  public static KeySpec range(int index, int lastKey, int keyStep, String... flags) {
    return new KeySpec(null, List.of(flags), index, new Range(lastKey, keyStep, 0));
  }

  /** A key right after {@code keyword}, searched from argument {@code startFrom} (negative: from the end, backwards). */
  public static KeySpec keyword(String keyword, int startFrom, int lastKey, int keyStep, String... flags) {
    return new KeySpec(null, List.of(flags), startFrom, keyword, new Range(lastKey, keyStep, 0));
  }

  public static KeySpec keyNum(int index, int keyNumIdx, int firstKey, int keyStep, String... flags) {
    return new KeySpec(null, List.of(flags), index, new KeyNum(keyNumIdx, firstKey, keyStep));
  }

  public static KeySpec unknown(String notes, String... flags) {
    return new KeySpec(notes, List.of(flags), 0, new Unknown());
  }

  /**
   * The key positions in {@code argv} (the command name at 0) by Redis 7.0's
   * {@code getKeysUsingKeySpecs}, or {@code null} where it gives up (an unknown spec, a count that
   * does not parse as string2ll or is negative, positions out of the arguments) and Redis falls back
   * to the command's own getkeys function.
   */
  static int[] find(List<KeySpec> specs, byte[][] argv) {
    int argc = argv.length;
    int[] keys = new int[0];
    for (KeySpec spec : specs) {
      int first = spec.beginIndex();
      if (first == 0) {
        return null;
      }
      if (spec.keyword() != null) {
        // Redis's KSPEC_BS_KEYWORD: the first match from startfrom, the key right after it.
        int start = first > 0 ? first : argc + first;
        int end = first > 0 ? argc - 1 : 0;
        first = 0;
        for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
          if (i >= argc || i < 1) {
            break;
          }
          if (new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1).equalsIgnoreCase(spec.keyword())) {
            first = i + 1;
            break;
          }
        }
        if (first == 0) {
          continue;
        }
      }
      int last;
      int step;
      switch (spec.find()) {
        case Range r -> {
          step = r.keyStep();
          if (r.lastKey() >= 0) {
            last = first + r.lastKey();
          } else if (r.limit() == 0) {
            last = argc + r.lastKey();
          } else {
            last = first + ((argc - first) / r.limit() + r.lastKey());
          }
        }
        case KeyNum k -> {
          step = k.keyStep();
          if (k.keyNumIdx() >= argc) {
            return null;
          }
          byte[] count = argv[first + k.keyNumIdx()];
          long numKeys = Numbers.parseLong(count);
          if ((numKeys == Numbers.NOT_A_LONG && !Numbers.isMinLong(count)) || numKeys < 0) {
            return null;
          }
          first += k.firstKey();
          last = first + (int) numKeys - 1; // Redis casts to int: 4294967297 counts 1
        }
        case Unknown u -> {
          return null;
        }
      }
      if (last >= argc || last < first || first >= argc) {
        return null;
      }
      int n = keys.length;
      keys = java.util.Arrays.copyOf(keys, n + (last - first) / step + 1);
      for (int i = first; i <= last; i += step) {
        keys[n++] = i;
      }
      keys = java.util.Arrays.copyOf(keys, n);
    }
    return keys;
  }
}

package io.kaiware.command.config;

import java.util.List;
import java.util.Locale;

/**
 * One configuration parameter, declared once: its name, type, default, bounds and whether CONFIG SET
 * may change it at runtime. Values are kept in their canonical text form (what CONFIG GET prints:
 * memory sizes in bytes, booleans as yes/no).
 */
public final class ConfigParam {

  /** How a value is parsed and validated. */
  public enum Kind { BOOL, INT, MEMORY, STRING, ENUM, PASSWORD, KEYSPACE_EVENTS }

  private final String name;
  private final Kind kind;
  private final String defaultValue;
  private final boolean mutable;
  private final long min;
  private final long max;
  private final List<String> choices;
  private final String doc;
  /** Known to Redis tools but not acted on by Kaiware: CONFIG GET answers, CONFIG SET accepts only the default. */
  private final boolean compatOnly;
  private volatile String value;

  ConfigParam(String name, Kind kind, String defaultValue, boolean mutable, long min, long max, List<String> choices,
      String doc, boolean compatOnly) {
    this.name = name;
    this.kind = kind;
    this.mutable = mutable;
    this.min = min;
    this.max = max;
    this.choices = choices;
    this.doc = doc;
    this.compatOnly = compatOnly;
    this.defaultValue = canonical(defaultValue);
    this.value = this.defaultValue;
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public boolean mutable() {
    return mutable;
  }

  long min() {
    return min;
  }

  long max() {
    return max;
  }

  List<String> choices() {
    return choices;
  }

  public String doc() {
    return doc;
  }

  public boolean compatOnly() {
    return compatOnly;
  }

  public String value() {
    return value;
  }

  public boolean isDefault() {
    return value.equals(defaultValue);
  }

  /** Validates and stores a new value. */
  void set(String raw) {
    this.value = canonical(raw);
  }

  /**
   * The canonical text of {@code raw}, or an {@link IllegalArgumentException} whose message says
   * what is wrong in Redis's words ("argument couldn't be parsed into an integer").
   */
  String canonical(String raw) {
    return switch (kind) {
      case BOOL -> switch (raw.toLowerCase(Locale.ROOT)) {
        case "yes" -> "yes";
        case "no" -> "no";
        default -> throw new IllegalArgumentException("argument must be 'yes' or 'no'");
      };
      case INT -> {
        long parsed;
        try {
          parsed = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("argument couldn't be parsed into an integer");
        }
        checkBounds(parsed);
        yield Long.toString(parsed);
      }
      case MEMORY -> {
        long bytes = parseMemory(raw);
        checkBounds(bytes);
        yield Long.toString(bytes);
      }
      case ENUM -> {
        String lower = raw.toLowerCase(Locale.ROOT);
        if (!choices.contains(lower)) {
          throw new IllegalArgumentException("argument(s) must be one of the following: " + String.join(", ", choices));
        }
        yield lower;
      }
      case KEYSPACE_EVENTS -> {
        int flags = io.kaiware.command.KeyspaceEvents.parse(raw);
        if (flags == -1) {
          throw new IllegalArgumentException(io.kaiware.command.KeyspaceEvents.INVALID);
        }
        yield io.kaiware.command.KeyspaceEvents.format(flags);
      }
      case STRING, PASSWORD -> raw;
    };
  }

  private void checkBounds(long parsed) {
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException("argument must be between " + min + " and " + max + " inclusive");
    }
  }

  /** Redis memory units: 1k = 1000, 1kb = 1024, 1m = 1000000, 1mb = 1048576, g and gb alike. */
  public static long parseMemory(String raw) {
    String s = raw.trim().toLowerCase(Locale.ROOT);
    long multiplier = 1;
    String[][] units = {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"g", "1000000000"}, {"m", "1000000"},
        {"k", "1000"}, {"b", "1"}};
    for (String[] unit : units) {
      if (s.endsWith(unit[0])) {
        multiplier = Long.parseLong(unit[1]);
        s = s.substring(0, s.length() - unit[0].length());
        break;
      }
    }
    try {
      return Math.multiplyExact(Long.parseLong(s), multiplier);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("argument must be a memory value");
    }
  }
}

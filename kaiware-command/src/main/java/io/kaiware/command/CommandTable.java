package io.kaiware.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every command the server knows, looked up case-insensitively straight from the request's name
 * bytes: no String is made per command. Built once from the per-family declarations and immutable.
 */
public final class CommandTable {

  private final Map<String, CommandSpec> byName;
  private final byte[][] slotNames;
  private final CommandSpec[] slotSpecs;
  private final int mask;

  public CommandTable(Collection<CommandSpec> specs) {
    Map<String, CommandSpec> map = new LinkedHashMap<>();
    for (CommandSpec spec : specs) {
      if (map.put(spec.name(), spec) != null) {
        throw new IllegalArgumentException("command declared twice: " + spec.name());
      }
    }
    byName = Collections.unmodifiableMap(map);
    int capacity = Integer.highestOneBit(Math.max(16, map.size() * 4) - 1) << 1;
    slotNames = new byte[capacity][];
    slotSpecs = new CommandSpec[capacity];
    mask = capacity - 1;
    for (CommandSpec spec : map.values()) {
      byte[] name = spec.name().getBytes(StandardCharsets.US_ASCII);
      int i = hashLower(name, 0, name.length) & mask;
      while (slotNames[i] != null) {
        i = (i + 1) & mask;
      }
      slotNames[i] = name;
      slotSpecs[i] = spec;
    }
  }

  /** The command named by {@code name} in any letter case, or {@code null}. */
  public CommandSpec lookup(byte[] name) {
    int i = hashLower(name, 0, name.length) & mask;
    for (;;) {
      byte[] candidate = slotNames[i];
      if (candidate == null) {
        return null;
      }
      if (equalsIgnoreCase(candidate, name)) {
        return slotSpecs[i];
      }
      i = (i + 1) & mask;
    }
  }

  /** A top-level command by lowercase name, or {@code null}. */
  public CommandSpec get(String name) {
    return byName.get(name.toLowerCase(Locale.ROOT));
  }

  /** Top-level commands in declaration order. */
  public Collection<CommandSpec> all() {
    return byName.values();
  }

  public int size() {
    return byName.size();
  }

  /** Finds a subcommand of {@code container} by the bytes of its name, or {@code null}. */
  public static CommandSpec subcommand(CommandSpec container, byte[] name) {
    for (CommandSpec sub : container.subcommands()) {
      String shortName = sub.shortName();
      if (shortName.length() == name.length && shortName.equalsIgnoreCase(new String(name, StandardCharsets.ISO_8859_1))) {
        return sub;
      }
    }
    return null;
  }

  /** Top-level commands and all their subcommands. */
  public List<CommandSpec> allWithSubcommands() {
    List<CommandSpec> all = new ArrayList<>();
    for (CommandSpec spec : byName.values()) {
      all.add(spec);
      all.addAll(spec.subcommands());
    }
    return all;
  }

  private static int hashLower(byte[] bytes, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + lower(bytes[i]);
    }
    return h ^ (h >>> 16);
  }

  private static int lower(byte b) {
    return (b >= 'A' && b <= 'Z') ? b + 32 : b;
  }

  /** Whether {@code name} is {@code lowerName} ignoring ASCII case; {@code lowerName} is already lowercase ASCII. */
  public static boolean equalsIgnoreCase(byte[] lowerName, byte[] name) {
    if (lowerName.length != name.length) {
      return false;
    }
    for (int i = 0; i < name.length; i++) {
      if (lowerName[i] != lower(name[i])) {
        return false;
      }
    }
    return true;
  }
}

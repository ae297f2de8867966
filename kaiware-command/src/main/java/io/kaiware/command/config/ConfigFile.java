package io.kaiware.command.config;

import io.kaiware.resp.InlineSplitter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads and rewrites redis.conf-style files: one {@code key value...} per line, {@code #} comments,
 * values quoted like redis-cli arguments. An unknown key or a bad value is an error naming the file,
 * the line and the key.
 */
public final class ConfigFile {
  private ConfigFile() {}

  /** Applies every line of {@code file} to {@code config}. */
  public static void load(Path file, ServerConfig config) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String[] kv = parseLine(lines.get(i));
      if (kv == null) {
        continue;
      }
      try {
        config.setAtStartup(kv[0], kv[1]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage()
            + (e.getMessage().startsWith("unknown") ? "" : " (key '" + kv[0] + "')"));
      }
    }
  }

  /** {key, value} of a config line, or {@code null} for a blank or comment line. */
  static String[] parseLine(String line) {
    String trimmed = line.strip();
    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
      return null;
    }
    byte[][] words = InlineSplitter.split(trimmed.getBytes(StandardCharsets.UTF_8));
    if (words == null) {
      throw new IllegalArgumentException("unbalanced quotes in: " + trimmed);
    }
    if (words.length == 0) {
      return null;
    }
    StringBuilder value = new StringBuilder();
    for (int w = 1; w < words.length; w++) {
      if (w > 1) {
        value.append(' ');
      }
      value.append(new String(words[w], StandardCharsets.UTF_8));
    }
    return new String[] {new String(words[0], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT), value.toString()};
  }

  /**
   * CONFIG REWRITE: keeps the file's comments and order, updates the lines of parameters whose value
   * changed, appends parameters that differ from their default, and replaces the file atomically.
   */
  public static void rewrite(Path file, ServerConfig config) throws IOException {
    List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    List<String> out = new ArrayList<>();
    Set<String> written = new HashSet<>();
    for (String line : lines) {
      String[] kv;
      try {
        kv = parseLine(line);
      } catch (IllegalArgumentException e) {
        kv = null;
      }
      ConfigParam p = kv == null ? null : config.param(kv[0]);
      if (p == null) {
        out.add(line);
      } else if (written.add(p.name())) {
        out.add(p.name() + " " + quote(p.value()));
      }
    }
    for (ConfigParam p : config.all()) {
      if (!p.isDefault() && !written.contains(p.name())) {
        out.add(p.name() + " " + quote(p.value()));
      }
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, out, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static String quote(String value) {
    if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\'' || c == '\\' || c < 32)) {
      return value;
    }
    StringBuilder sb = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}

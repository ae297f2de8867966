package io.kaiware.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One command, declared once: this record drives dispatch, the arity and flag checks, COMMAND
 * INFO/DOCS/COUNT/LIST and the generated docs. Modelled on Redis 7's {@code src/commands/*.json}.
 *
 * @param name       lowercase name ("get"), or "container|sub" for a subcommand ("config|get")
 * @param arity      Redis arity: N means exactly N arguments including the name, -N at least N
 * @param flags      behaviour flags, see {@link CommandFlag}
 * @param firstKey   index of the first key argument, 0 for none
 * @param lastKey    index of the last key argument; negative counts from the end (-1 = last)
 * @param keyStep    distance between keys (2 for MSET's key value pairs)
 * @param group      Redis's doc group: string, generic, connection, server ...
 * @param since      the Redis version that introduced it, or the Kaiware version for our own commands
 * @param summary    one line for COMMAND DOCS
 * @param complexity the time complexity for COMMAND DOCS
 * @param handler    the body; {@code null} for a container whose subcommands do the work
 * @param subcommands for containers (CONFIG, CLIENT ...): their subcommands, keyed by lowercase name
 * @param keySpecs   Redis 7 key specifications, declared where the keys move; empty: derived from
 *                   the (first, last, step) range
 * @param getKeys    the command's own key finder (Redis's getkeys_proc), or {@code null}; declaring
 *                   one makes the command {@code movablekeys}
 */
public record CommandSpec(
    String name,
    int arity,
    Set<CommandFlag> flags,
    int firstKey,
    int lastKey,
    int keyStep,
    String group,
    String since,
    String summary,
    String complexity,
    CommandHandler handler,
    List<CommandSpec> subcommands,
    List<KeySpec> keySpecs,
    GetKeys getKeys) {

  public boolean has(CommandFlag flag) {
    return flags.contains(flag);
  }

  /** Redis's movablekeys: the key positions depend on the arguments (numkeys, STORE). */
  public boolean movableKeys() {
    return getKeys != null;
  }

  /** Redis's doesCommandHaveKeys: whether COMMAND GETKEYS may find keys in it. */
  public boolean hasKeys() {
    return getKeys != null || firstKey > 0 || !keySpecs.isEmpty();
  }

  /**
   * The positions of the keys in {@code argv} (the name at 0; arity already checked), as Redis
   * 7.0's getKeysFromCommandWithSpecs finds them: the key specs, else {@link #getKeys} when the
   * specs give up; empty when there are none (COMMAND GETKEYS: "Invalid arguments").
   */
  public int[] keyPositions(byte[][] argv) {
    if (!keySpecs.isEmpty()) {
      int[] found = KeySpec.find(keySpecs, argv);
      if (found != null) {
        return found;
      }
      return getKeys == null ? new int[0] : getKeys.positions(argv);
    }
    if (getKeys != null) {
      return getKeys.positions(argv);
    }
    if (firstKey == 0) {
      return new int[0];
    }
    int last = lastKey < 0 ? argv.length + lastKey : lastKey;
    List<Integer> keys = new ArrayList<>();
    for (int i = firstKey; i <= last && i < argv.length; i += keyStep) {
      keys.add(i);
    }
    return keys.stream().mapToInt(Integer::intValue).toArray();
  }

  public boolean isContainer() {
    return !subcommands.isEmpty();
  }

  /** The subcommand name after the '|' ("get" for "config|get"), or the name itself. */
  public String shortName() {
    int bar = name.indexOf('|');
    return bar < 0 ? name : name.substring(bar + 1);
  }

  /** Whether {@code argc} arguments (including the name) satisfy the arity. */
  public boolean arityAccepts(int argc) {
    return arity > 0 ? argc == arity : argc >= -arity;
  }

  /** ACL categories derived from the group and flags, as COMMAND INFO shows them. */
  public List<String> aclCategories() {
    List<String> categories = new ArrayList<>();
    if (has(CommandFlag.WRITE)) {
      categories.add("@write");
    }
    if (has(CommandFlag.READONLY)) {
      categories.add("@read");
    }
    switch (group) {
      case "string" -> categories.add("@string");
      case "hash" -> categories.add("@hash");
      case "set" -> categories.add("@set");
      case "sorted-set" -> categories.add("@sortedset");
      case "list" -> categories.add("@list");
      case "stream" -> categories.add("@stream");
      case "bitmap" -> categories.add("@bitmap");
      case "hyperloglog" -> categories.add("@hyperloglog");
      case "geo" -> categories.add("@geo");
      case "scripting" -> categories.add("@scripting");
      case "generic" -> categories.add("@keyspace");
      case "connection" -> categories.add("@connection");
      case "transactions" -> categories.add("@transaction");
      default -> { }
    }
    if (has(CommandFlag.ADMIN)) {
      categories.add("@admin");
      categories.add("@dangerous");
    }
    categories.add(has(CommandFlag.FAST) ? "@fast" : "@slow");
    if (has(CommandFlag.BLOCKING)) {
      categories.add("@blocking");
    }
    return categories;
  }

  public static Builder command(String name) {
    return new Builder(name.toLowerCase(Locale.ROOT));
  }

  /** Fluent declaration: {@code command("get").arity(2).flags(READONLY, FAST).keys(1, 1, 1)...}. */
  public static final class Builder {
    private final String name;
    private int arity;
    private final EnumSet<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
    private int firstKey;
    private int lastKey;
    private int keyStep;
    private String group = "server";
    private String since = "1.0.0";
    private String summary = "";
    private String complexity = "O(1)";
    private CommandHandler handler;
    private final List<CommandSpec> subcommands = new ArrayList<>();
    private final List<KeySpec> keySpecs = new ArrayList<>();
    private GetKeys getKeys;

    private Builder(String name) {
      this.name = name;
    }

    public Builder arity(int arity) {
      this.arity = arity;
      return this;
    }

    public Builder flags(CommandFlag... flags) {
      Collections.addAll(this.flags, flags);
      return this;
    }

    public Builder keys(int first, int last, int step) {
      this.firstKey = first;
      this.lastKey = last;
      this.keyStep = step;
      return this;
    }

    /** Redis 7 key specifications, in Redis's order (see {@link KeySpec}). */
    public Builder keySpecs(KeySpec... specs) {
      Collections.addAll(keySpecs, specs);
      return this;
    }

    /** The command's own key finder: the keys move with the arguments (see {@link GetKeys}). */
    public Builder getKeys(GetKeys getKeys) {
      this.getKeys = getKeys;
      return this;
    }

    public Builder group(String group) {
      this.group = group;
      return this;
    }

    public Builder since(String since) {
      this.since = since;
      return this;
    }

    public Builder summary(String summary) {
      this.summary = summary;
      return this;
    }

    public Builder complexity(String complexity) {
      this.complexity = complexity;
      return this;
    }

    public Builder handler(CommandHandler handler) {
      this.handler = handler;
      return this;
    }

    /** Adds a subcommand; its name is prefixed with "container|" and it inherits the group. */
    public Builder subcommand(Builder sub) {
      sub.group = group;
      CommandSpec spec = sub.build();
      subcommands.add(new CommandSpec(name + "|" + spec.name(), spec.arity(), spec.flags(), spec.firstKey(),
          spec.lastKey(), spec.keyStep(), group, spec.since(), spec.summary(), spec.complexity(), spec.handler(),
          List.of(), spec.keySpecs(), spec.getKeys()));
      return this;
    }

    public CommandSpec build() {
      if (arity == 0) {
        throw new IllegalStateException("command " + name + " declares no arity");
      }
      if (handler == null && subcommands.isEmpty()) {
        throw new IllegalStateException("command " + name + " has no handler and no subcommands");
      }
      return new CommandSpec(name, arity, Collections.unmodifiableSet(EnumSet.copyOf(flags.isEmpty()
          ? EnumSet.noneOf(CommandFlag.class) : flags)), firstKey, lastKey, keyStep, group, since, summary, complexity,
          handler, List.copyOf(subcommands), List.copyOf(keySpecs), getKeys);
    }
  }
}

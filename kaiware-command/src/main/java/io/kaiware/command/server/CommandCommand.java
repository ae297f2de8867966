package io.kaiware.command.server;

import static io.kaiware.command.CommandFlag.LOADING;
import static io.kaiware.command.CommandFlag.STALE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandFlag;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.CommandTable;
import io.kaiware.command.Help;
import io.kaiware.command.KeySpec;
import io.kaiware.engine.GlobMatcher;
import io.kaiware.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** COMMAND, COUNT, INFO, DOCS, LIST, GETKEYS: all answered from the {@link CommandSpec} declarations. */
final class CommandCommand {
  private CommandCommand() {}

  static CommandSpec spec() {
    return command("command").arity(-1).flags(LOADING, STALE).group("server").since("2.8.13")
        .summary("Returns detailed information about all commands.").complexity("O(N) where N is the total number of Redis commands")
        .handler(ctx -> {
          List<CommandSpec> all = new ArrayList<>(ctx.commands().all());
          ctx.reply().arrayHeader(all.size());
          all.forEach(spec -> writeInfo(ctx.reply(), spec));
        })
        .subcommand(command("count").arity(2).flags(LOADING, STALE).since("2.8.13")
            .summary("Returns a count of commands.").handler(ctx -> ctx.reply().integer(ctx.commands().size())))
        .subcommand(command("info").arity(-2).flags(LOADING, STALE).since("2.8.13")
            .complexity("O(N) where N is the number of commands to look up")
            .summary("Returns information about one, multiple or all commands.").handler(CommandCommand::info))
        .subcommand(command("docs").arity(-2).flags(LOADING, STALE).since("7.0.0")
            .complexity("O(N) where N is the number of commands to look up")
            .summary("Returns documentary information about one, multiple or all commands.").handler(CommandCommand::docs))
        .subcommand(command("list").arity(-2).flags(LOADING, STALE).since("7.0.0")
            .complexity("O(N) where N is the total number of Redis commands")
            .summary("Returns a list of command names.").handler(CommandCommand::list))
        .subcommand(command("getkeys").arity(-4).flags(LOADING, STALE).since("2.8.13")
            .complexity("O(N) where N is the number of arguments to the command")
            .summary("Extracts the key names from an arbitrary command.").handler(CommandCommand::getKeys))
        .subcommand(command("help").arity(2).flags(LOADING, STALE).since("5.0.0")
            .summary("Returns helpful text about the different subcommands.").handler(ctx -> Help.reply(ctx, "COMMAND",
                "(no subcommand)", "    Return details about all Redis commands.",
                "COUNT", "    Return the total number of commands in this Redis server.",
                "LIST", "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]", "    Return details about multiple Redis commands.",
                "DOCS [<command-name> ...]", "    Return documentation details about multiple Redis commands.",
                "GETKEYS <full-command>", "    Return the keys from a full Redis command.")))
        .build();
  }

  private static CommandSpec find(CommandContext ctx, String name) {
    int bar = name.indexOf('|');
    if (bar < 0) {
      return ctx.commands().get(name);
    }
    CommandSpec container = ctx.commands().get(name.substring(0, bar));
    return container == null ? null
        : CommandTable.subcommand(container, name.substring(bar + 1).getBytes(StandardCharsets.ISO_8859_1));
  }

  private static void info(CommandContext ctx) {
    if (ctx.argc() == 2) {
      List<CommandSpec> all = new ArrayList<>(ctx.commands().all());
      ctx.reply().arrayHeader(all.size());
      all.forEach(spec -> writeInfo(ctx.reply(), spec));
      return;
    }
    ctx.reply().arrayHeader(ctx.argc() - 2);
    for (int i = 2; i < ctx.argc(); i++) {
      CommandSpec spec = find(ctx, ctx.argString(i));
      if (spec == null) {
        ctx.reply().nullArray();
      } else {
        writeInfo(ctx.reply(), spec);
      }
    }
  }

  /** Redis 7's ten-element command info reply. */
  static void writeInfo(RespWriter out, CommandSpec spec) {
    out.arrayHeader(10);
    out.bulk(spec.name());
    out.integer(spec.arity());
    out.setHeader(spec.flags().size() + (spec.movableKeys() ? 1 : 0));
    for (CommandFlag flag : spec.flags()) {
      out.simpleString(flag.redisName());
    }
    if (spec.movableKeys()) {
      out.simpleString("movablekeys"); // Redis's last flag, derived from the declaration
    }
    out.integer(spec.firstKey());
    out.integer(spec.lastKey());
    out.integer(spec.keyStep());
    List<String> categories = spec.aclCategories();
    out.setHeader(categories.size());
    categories.forEach(out::simpleString);
    out.arrayHeader(0); // tips
    if (!spec.keySpecs().isEmpty()) {
      out.arrayHeader(spec.keySpecs().size());
      spec.keySpecs().forEach(keySpec -> writeKeySpec(out, keySpec));
    } else if (spec.firstKey() > 0) {
      out.arrayHeader(1);
      writeKeySpec(out, spec);
    } else {
      out.arrayHeader(0);
    }
    out.arrayHeader(spec.subcommands().size());
    spec.subcommands().forEach(sub -> writeInfo(out, sub));
  }

  /** The legacy range (first, last, step) as a Redis 7 key specification. */
  private static void writeKeySpec(RespWriter out, CommandSpec spec) {
    out.mapHeader(3);
    out.bulk("flags");
    out.arrayHeader(1);
    out.simpleString(spec.has(CommandFlag.WRITE) ? "RW" : "RO");
    out.bulk("begin_search");
    out.mapHeader(2);
    out.bulk("type");
    out.bulk("index");
    out.bulk("spec");
    out.mapHeader(1);
    out.bulk("index");
    out.integer(spec.firstKey());
    out.bulk("find_keys");
    out.mapHeader(2);
    out.bulk("type");
    out.bulk("range");
    out.bulk("spec");
    out.mapHeader(3);
    out.bulk("lastkey");
    out.integer(spec.lastKey() < 0 ? spec.lastKey() : spec.lastKey() - spec.firstKey());
    out.bulk("keystep");
    out.integer(spec.keyStep());
    out.bulk("limit");
    out.integer(0);
  }

  /** A declared key specification, as Redis 7.0 prints it. */
  private static void writeKeySpec(RespWriter out, KeySpec spec) {
    out.mapHeader(spec.notes() == null ? 3 : 4);
    if (spec.notes() != null) {
      out.bulk("notes");
      out.bulk(spec.notes());
    }
    out.bulk("flags");
    out.setHeader(spec.flags().size());
    spec.flags().forEach(out::simpleString);
    out.bulk("begin_search");
    out.mapHeader(2);
    out.bulk("type");
    if (spec.beginIndex() == 0) {
      out.bulk("unknown");
      out.bulk("spec");
      out.mapHeader(0);
    } else if (spec.keyword() != null) {
      out.bulk("keyword");
      out.bulk("spec");
      out.mapHeader(2);
      out.bulk("keyword");
      out.bulk(spec.keyword());
      out.bulk("startfrom");
      out.integer(spec.beginIndex());
    } else {
      out.bulk("index");
      out.bulk("spec");
      out.mapHeader(1);
      out.bulk("index");
      out.integer(spec.beginIndex());
    }
    out.bulk("find_keys");
    out.mapHeader(2);
    out.bulk("type");
    switch (spec.find()) {
      case KeySpec.Range r -> {
        out.bulk("range");
        out.bulk("spec");
        out.mapHeader(3);
        out.bulk("lastkey");
        out.integer(r.lastKey());
        out.bulk("keystep");
        out.integer(r.keyStep());
        out.bulk("limit");
        out.integer(r.limit());
      }
      case KeySpec.KeyNum k -> {
        out.bulk("keynum");
        out.bulk("spec");
        out.mapHeader(3);
        out.bulk("keynumidx");
        out.integer(k.keyNumIdx());
        out.bulk("firstkey");
        out.integer(k.firstKey());
        out.bulk("keystep");
        out.integer(k.keyStep());
      }
      case KeySpec.Unknown u -> {
        out.bulk("unknown");
        out.bulk("spec");
        out.mapHeader(0);
      }
    }
  }

  private static void docs(CommandContext ctx) {
    List<CommandSpec> specs = new ArrayList<>();
    if (ctx.argc() == 2) {
      specs.addAll(ctx.commands().all());
    } else {
      for (int i = 2; i < ctx.argc(); i++) {
        CommandSpec spec = find(ctx, ctx.argString(i));
        if (spec != null) {
          specs.add(spec);
        }
      }
    }
    ctx.reply().mapHeader(specs.size());
    specs.forEach(spec -> {
      ctx.reply().bulk(spec.name());
      writeDoc(ctx.reply(), spec);
    });
  }

  private static void writeDoc(RespWriter out, CommandSpec spec) {
    boolean hasSubs = !spec.subcommands().isEmpty();
    out.mapHeader(hasSubs ? 5 : 4);
    out.bulk("summary");
    out.bulk(spec.summary());
    out.bulk("since");
    out.bulk(spec.since());
    out.bulk("group");
    out.bulk(spec.group());
    out.bulk("complexity");
    out.bulk(spec.complexity());
    if (hasSubs) {
      out.bulk("subcommands");
      out.mapHeader(spec.subcommands().size());
      for (CommandSpec sub : spec.subcommands()) {
        out.bulk(sub.name());
        writeDoc(out, sub);
      }
    }
  }

  private static void list(CommandContext ctx) {
    byte[] pattern = null;
    String aclCategory = null;
    if (ctx.argc() == 5 && ctx.argIs(2, "FILTERBY")) {
      if (ctx.argIs(3, "PATTERN")) {
        pattern = ctx.arg(4);
      } else if (ctx.argIs(3, "ACLCAT")) {
        aclCategory = "@" + ctx.argString(4).toLowerCase(java.util.Locale.ROOT);
      } else if (ctx.argIs(3, "MODULE")) {
        ctx.reply().arrayHeader(0);
        return;
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    } else if (ctx.argc() != 2) {
      throw new CommandError(CommandError.SYNTAX);
    }
    List<String> names = new ArrayList<>();
    for (CommandSpec spec : ctx.commands().allWithSubcommands()) {
      if (pattern != null && !GlobMatcher.matches(pattern, spec.name().getBytes(StandardCharsets.US_ASCII), true)) {
        continue;
      }
      if (aclCategory != null && !spec.aclCategories().contains(aclCategory)) {
        continue;
      }
      names.add(spec.name());
    }
    ctx.reply().arrayHeader(names.size());
    names.forEach(ctx.reply()::bulk);
  }

  /** Redis 7.0's getKeysSubcommandImpl: its checks in its order, then the declared key finder. */
  private static void getKeys(CommandContext ctx) {
    CommandSpec spec = ctx.commands().lookup(ctx.arg(2));
    if (spec != null && spec.isContainer() && ctx.argc() > 3) {
      spec = CommandTable.subcommand(spec, ctx.arg(3)); // Redis's lookupCommand: "memory usage k"
    }
    int argc = ctx.argc() - 2;
    if (spec == null) {
      ctx.reply().error("ERR Invalid command specified");
      return;
    }
    if (!spec.hasKeys()) {
      ctx.reply().error("ERR The command has no key arguments");
      return;
    }
    if (!spec.arityAccepts(argc)) {
      ctx.reply().error("ERR Invalid number of arguments specified for command");
      return;
    }
    byte[][] argv = new byte[argc][];
    for (int i = 0; i < argc; i++) {
      argv[i] = ctx.arg(i + 2);
    }
    int[] keys = spec.keyPositions(argv);
    if (keys.length == 0) {
      ctx.reply().error("ERR Invalid arguments specified for command");
      return;
    }
    ctx.reply().arrayHeader(keys.length);
    for (int position : keys) {
      ctx.reply().bulk(argv[position]);
    }
  }
}

package io.kaiware.command.keys;

import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandSpec;
import io.kaiware.engine.Database;
import java.util.List;

/** The generic key family (Redis's db.c and expire.c). */
public final class KeyCommands {
  private KeyCommands() {}

  public static List<CommandSpec> specs() {
    return List.of(
        command("del").arity(-2).flags(WRITE).keys(1, -1, 1).group("generic").summary("Deletes one or more keys.")
            .complexity("O(N) where N is the number of keys that will be removed.").handler(KeyCommands::del).build(),
        command("exists").arity(-2).flags(READONLY, FAST).keys(1, -1, 1).group("generic").since("1.0.0")
            .complexity("O(N) where N is the number of keys to check.")
            .summary("Determines whether one or more keys exist.").handler(KeyCommands::exists).build());
  }

  private static void del(CommandContext ctx) {
    Database db = ctx.db();
    long removed = 0;
    for (int i = 1; i < ctx.argc(); i++) {
      if (db.delete(ctx.arg(i), ctx.nowMs())) {
        removed++;
      }
    }
    ctx.reply().integer(removed);
  }

  private static void exists(CommandContext ctx) {
    Database db = ctx.db();
    long count = 0;
    for (int i = 1; i < ctx.argc(); i++) {
      if (db.lookup(ctx.arg(i), ctx.nowMs()) >= 0) {
        count++;
      }
    }
    ctx.reply().integer(count);
  }
}

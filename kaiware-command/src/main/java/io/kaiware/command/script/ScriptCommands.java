package io.kaiware.command.script;

import static io.kaiware.command.CommandFlag.ALLOW_BUSY;
import static io.kaiware.command.CommandFlag.LOADING;
import static io.kaiware.command.CommandFlag.MAY_REPLICATE;
import static io.kaiware.command.CommandFlag.NOSCRIPT;
import static io.kaiware.command.CommandFlag.NO_MANDATORY_KEYS;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.SKIP_MONITOR;
import static io.kaiware.command.CommandFlag.STALE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.GetKeys;
import io.kaiware.command.Help;
import io.kaiware.command.KeySpec;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (Redis 7.0's eval.c), declared as data with Redis's
 * arity, flags and key specs. The engine is {@link LuaEngine}; ADR 0006 tells how scripts are
 * replicated.
 */
public final class ScriptCommands {
  private ScriptCommands() {}

  /** Redis's evalGetKeys: numkeys at argument 2, the keys from argument 3. */
  static final GetKeys EVAL_KEYS = GetKeys.numKeys(0, 2, 3, 1);

  public static List<CommandSpec> specs() {
    String complexity = "Depends on the script that is executed.";
    return List.of(
        command("eval").arity(-3).flags(NOSCRIPT, SKIP_MONITOR, MAY_REPLICATE, NO_MANDATORY_KEYS, STALE)
            .group("scripting").since("2.6.0").complexity(complexity)
            .keySpecs(new KeySpec("We cannot tell how the keys will be used so we assume the worst, RW and UPDATE",
                List.of("RW", "access", "update"), 2, new KeySpec.KeyNum(0, 1, 1)))
            .getKeys(EVAL_KEYS)
            .summary("Execute a Lua script server side").handler(ctx -> engine(ctx).eval(ctx, false, false)).build(),
        command("evalsha").arity(-3).flags(NOSCRIPT, SKIP_MONITOR, MAY_REPLICATE, NO_MANDATORY_KEYS, STALE)
            .group("scripting").since("2.6.0").complexity(complexity)
            .keySpecs(KeySpec.keyNum(2, 0, 1, 1, "RW", "access", "update"))
            .getKeys(EVAL_KEYS)
            .summary("Execute a Lua script server side").handler(ctx -> engine(ctx).eval(ctx, true, false)).build(),
        command("eval_ro").arity(-3).flags(NOSCRIPT, SKIP_MONITOR, NO_MANDATORY_KEYS, STALE, READONLY)
            .group("scripting").since("7.0.0").complexity(complexity)
            .keySpecs(new KeySpec("We cannot tell how the keys will be used so we assume the worst, RO and ACCESS",
                List.of("RO", "access"), 2, new KeySpec.KeyNum(0, 1, 1)))
            .getKeys(EVAL_KEYS)
            .summary("Execute a read-only Lua script server side").handler(ctx -> engine(ctx).eval(ctx, false, true)).build(),
        command("evalsha_ro").arity(-3).flags(NOSCRIPT, SKIP_MONITOR, NO_MANDATORY_KEYS, STALE, READONLY)
            .group("scripting").since("7.0.0").complexity(complexity)
            .keySpecs(KeySpec.keyNum(2, 0, 1, 1, "RO", "access"))
            .getKeys(EVAL_KEYS)
            .summary("Execute a read-only Lua script server side").handler(ctx -> engine(ctx).eval(ctx, true, true)).build(),
        command("script").arity(-2).group("scripting").since("2.6.0").complexity("Depends on subcommand.")
            .summary("A container for Lua scripts management commands")
            .subcommand(command("load").arity(3).flags(NOSCRIPT, STALE).since("2.6.0")
                .complexity("O(N) with N being the length in bytes of the script body.")
                .summary("Load the specified Lua script into the script cache.").handler(ScriptCommands::load))
            .subcommand(command("exists").arity(-3).flags(NOSCRIPT).since("2.6.0")
                .complexity("O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).")
                .summary("Check existence of scripts in the script cache.").handler(ScriptCommands::exists))
            .subcommand(command("flush").arity(-2).flags(NOSCRIPT).since("2.6.0")
                .complexity("O(N) with N being the number of scripts in cache")
                .summary("Remove all the scripts from the script cache.").handler(ScriptCommands::flush))
            .subcommand(command("kill").arity(2).flags(NOSCRIPT, ALLOW_BUSY).since("2.6.0")
                .summary("Kill the script currently in execution.")
                .handler(ctx -> engine(ctx).kill(ctx)))
            .subcommand(command("debug").arity(3).flags(NOSCRIPT).since("3.2.0")
                .summary("Set the debug mode for executed scripts.")
                .handler(ctx -> {
                  throw new CommandError("ERR SCRIPT DEBUG is not supported by Kaiware (scripts run on every replica of the log)");
                }))
            .subcommand(command("help").arity(2).flags(LOADING, STALE).since("5.0.0")
                .summary("Show helpful text about the different subcommands").handler(ScriptCommands::help))
            .build());
  }

  static LuaEngine engine(CommandContext ctx) {
    return ctx.dispatcher().scripts();
  }

  private static void load(CommandContext ctx) {
    LuaEngine.Script s = engine(ctx).load(ctx.arg(2));
    ctx.reply().bulk(s.sha().getBytes(StandardCharsets.US_ASCII));
  }

  private static void exists(CommandContext ctx) {
    LuaEngine engine = engine(ctx);
    ctx.reply().arrayHeader(ctx.argc() - 2);
    for (int i = 2; i < ctx.argc(); i++) {
      ctx.reply().integer(engine.cached(ctx.arg(i)) != null ? 1 : 0);
    }
  }

  private static void flush(CommandContext ctx) {
    if (ctx.argc() > 3 || (ctx.argc() == 3 && !ctx.argIs(2, "SYNC") && !ctx.argIs(2, "ASYNC"))) {
      throw new CommandError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
    }
    engine(ctx).flush();
    ctx.reply().ok();
  }

  private static void help(CommandContext ctx) {
    Help.reply(ctx, "SCRIPT",
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed (not supported by Kaiware).",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.");
  }
}

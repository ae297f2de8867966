package io.kaiware.command.server;

import static io.kaiware.command.CommandFlag.ADMIN;
import static io.kaiware.command.CommandFlag.ALLOW_BUSY;
import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.LOADING;
import static io.kaiware.command.CommandFlag.NOSCRIPT;
import static io.kaiware.command.CommandFlag.NO_MULTI;
import static io.kaiware.command.CommandFlag.READONLY;
import static io.kaiware.command.CommandFlag.STALE;
import static io.kaiware.command.CommandFlag.WRITE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.ClientSession;
import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.Help;
import io.kaiware.command.config.ConfigFile;
import io.kaiware.command.config.ConfigParam;
import io.kaiware.command.replication.RaftStatus;
import io.kaiware.command.replication.ReplicationView;
import io.kaiware.engine.Database;
import io.kaiware.engine.GlobMatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** DBSIZE, FLUSHDB, FLUSHALL, TIME, SAVE, BGSAVE, LASTSAVE, CONFIG, FUNCTION, DEBUG, MEMORY, OBJECT, SHUTDOWN, INFO, COMMAND. */
public final class ServerCommands {
  private ServerCommands() {}

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ServerCommands.class);

  public static List<CommandSpec> specs() {
    return List.of(
        InfoCommand.spec(),
        CommandCommand.spec(),
        command("dbsize").arity(1).flags(READONLY, FAST).group("server").summary("Returns the number of keys in the database.")
            .handler(ctx -> ctx.reply().integer(ctx.db().size())).build(),
        command("flushdb").arity(-1).flags(WRITE).group("server").summary("Removes all keys from the current database.")
            .complexity("O(N) where N is the number of keys in the selected database").handler(ctx -> {
              checkFlushMode(ctx);
              ctx.db().clear();
              ctx.propagation().force(); // replicated even when the database was already empty
              ctx.reply().ok();
            }).build(),
        command("flushall").arity(-1).flags(WRITE).group("server").summary("Removes all keys from all databases.")
            .complexity("O(N) where N is the total number of keys in all databases").handler(ctx -> {
              checkFlushMode(ctx);
              ctx.keyspace().flushAll();
              ctx.propagation().force();
              ctx.reply().ok();
            }).build(),
        command("time").arity(1).flags(LOADING, STALE, FAST).group("server").since("2.6.0")
            .summary("Returns the server time.").handler(ServerCommands::time).build(),
        command("lastsave").arity(1).flags(LOADING, STALE, FAST).group("server")
            .summary("Returns the Unix timestamp of the last successful save to disk.")
            .handler(ctx -> ctx.reply().integer(lastSaveTimeMs(ctx) / 1000)).build(),
        command("save").arity(1).flags(ADMIN, NOSCRIPT, NO_MULTI).group("server").since("1.0.0")
            .complexity("O(N) where N is the total number of keys in all databases")
            .summary("Synchronously saves the database(s) to disk (a Raft snapshot: the log is truncated behind it).")
            .handler(ctx -> {
              ReplicationView view = persistent(ctx);
              ctx.session().deferReply(view.snapshot().thenApply(index -> w -> w.ok()));
            }).build(),
        command("bgsave").arity(-1).flags(ADMIN, NOSCRIPT).group("server").since("1.0.0")
            .complexity("O(N) where N is the total number of keys in all databases")
            .summary("Asynchronously saves the database(s) to disk (a Raft snapshot).").handler(ServerCommands::bgsave).build(),
        command("bgrewriteaof").arity(1).flags(ADMIN, NOSCRIPT).group("server").since("1.0.0")
            .complexity("O(N) where N is the total number of keys in all databases")
            .summary("Asynchronously rewrites the append-only file to disk (the Raft log is compacted by a snapshot).")
            .handler(ServerCommands::bgrewriteaof).build(),
        command("shutdown").arity(-1).flags(ADMIN, NOSCRIPT, LOADING, STALE, NO_MULTI, ALLOW_BUSY).group("server")
            .summary("Synchronously saves the database(s) to disk and shuts down the Redis server.")
            .complexity("O(N) when saving, where N is the total number of keys in all databases")
            .handler(ServerCommands::shutdown).build(),
        configSpec(),
        functionSpec(),
        debugSpec(),
        memorySpec(),
        objectSpec());
  }

  private static void checkFlushMode(CommandContext ctx) {
    if (ctx.argc() > 2 || (ctx.argc() == 2 && !ctx.argIs(1, "ASYNC") && !ctx.argIs(1, "SYNC"))) {
      throw new CommandError(CommandError.SYNTAX);
    }
  }

  private static void time(CommandContext ctx) {
    long nowMs = ctx.nowMs();
    ctx.reply().arrayHeader(2);
    ctx.reply().bulk(Long.toString(nowMs / 1000));
    ctx.reply().bulk(Long.toString((nowMs % 1000) * 1000));
  }

  private static void shutdown(CommandContext ctx) {
    boolean nosave = false;
    for (int i = 1; i < ctx.argc(); i++) {
      nosave |= ctx.argIs(i, "NOSAVE");
      if (!(ctx.argIs(i, "NOSAVE") || ctx.argIs(i, "SAVE") || ctx.argIs(i, "NOW") || ctx.argIs(i, "FORCE")
          || ctx.argIs(i, "ABORT"))) {
        throw new CommandError(CommandError.SYNTAX);
      }
      if (ctx.argIs(i, "ABORT")) {
        ctx.reply().error("ERR No shutdown in progress.");
        return;
      }
    }
    if (ctx.dispatcher().scriptBusy()) {
      if (!nosave) {
        throw new CommandError(io.kaiware.command.script.LuaEngine.BUSY); // Redis: only NOSAVE ends a busy script
      }
      // Even a script that wrote, or came through the log, ends. Every connection closes first, so
      // that no client takes the killed script's error for the outcome of its write: the log may
      // hold that write, and every member applying it runs the script to its end.
      for (ClientSession client : List.copyOf(ctx.server().clients())) {
        ctx.server().kill(client);
      }
      if (ctx.dispatcher().scripts().killForShutdown()) {
        ctx.server().discardStateOnExit(); // a log entry half applied: no snapshot of it
      }
    }
    // Like Redis, a successful SHUTDOWN sends no reply: the connection just closes.
    ctx.session().setCloseAfterReply();
    ctx.server().shutdown();
  }

  // ---------------------------------------------------------------- SAVE, BGSAVE, LASTSAVE

  /**
   * What Redis's RDB save is here: a Raft snapshot of the engine, written beside the log, which the
   * log is then truncated behind (ADR 0004). A server in non-durable-cache mode keeps nothing.
   */
  private static ReplicationView persistent(CommandContext ctx) {
    ReplicationView view = ctx.server() == null ? null : ctx.server().replication();
    if (view == null) {
      throw new CommandError("ERR this server keeps no data on disk (non-durable-cache mode): nothing to save");
    }
    return view;
  }

  private static void bgsave(CommandContext ctx) {
    if (ctx.argc() > 2 || (ctx.argc() == 2 && !ctx.argIs(1, "SCHEDULE"))) {
      throw new CommandError(CommandError.SYNTAX);
    }
    startSnapshot(ctx, "BGSAVE");
    ctx.reply().simpleString("Background saving started");
  }

  /** BGREWRITEAOF: Kaiware's append-only file is the Raft log, which a snapshot compacts (as BGSAVE). */
  private static void bgrewriteaof(CommandContext ctx) {
    startSnapshot(ctx, "BGREWRITEAOF");
    ctx.reply().simpleString("Background append only file rewriting started");
  }

  /** Starts a Raft snapshot in the background; a failure is logged under {@code command}. */
  private static void startSnapshot(CommandContext ctx, String command) {
    persistent(ctx).snapshot().whenComplete((index, error) -> {
      if (error != null) {
        log.warn("{}: the snapshot failed: {}", command, error.toString());
      }
    });
  }

  /** The time of the latest snapshot on disk, else the start time (LASTSAVE, INFO rdb_last_save_time). */
  static long lastSaveTimeMs(CommandContext ctx) {
    ReplicationView view = ctx.server().replication();
    RaftStatus status = view == null ? null : view.raftStatus();
    if (status != null && status.snapshot().fileTimeMs() > 0) {
      return status.snapshot().fileTimeMs();
    }
    return ctx.server().startTimeMs();
  }

  // ---------------------------------------------------------------- CONFIG

  private static CommandSpec configSpec() {
    return command("config").arity(-2).group("server").since("2.0.0").summary("A container for server configuration commands.")
        .subcommand(command("get").arity(-3).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .complexity("O(N) when N is the number of configuration parameters provided")
            .summary("Returns the effective values of configuration parameters.").handler(ServerCommands::configGet))
        .subcommand(command("set").arity(-4).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .complexity("O(N) when N is the number of configuration parameters provided")
            .summary("Sets configuration parameters in-flight.").handler(ServerCommands::configSet))
        .subcommand(command("resetstat").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .summary("Resets the server's statistics.").handler(ctx -> {
              ctx.keyspace().resetStats();
              ctx.dispatcher().resetStats();
              ctx.server().stats().reset();
              ctx.reply().ok();
            }))
        .subcommand(command("rewrite").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .summary("Persists the effective configuration to file.").handler(ServerCommands::configRewrite))
        .subcommand(command("help").arity(2).flags(LOADING, STALE).summary("Returns helpful text about the different subcommands.")
            .handler(ctx -> Help.reply(ctx, "CONFIG",
                "GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>", "    Set the configuration <directive> to <value>.",
                "RESETSTAT", "    Reset statistics reported by the INFO command.",
                "REWRITE", "    Rewrite the configuration file.")))
        .build();
  }

  private static void configGet(CommandContext ctx) {
    Map<String, String> matches = new LinkedHashMap<>();
    for (int i = 2; i < ctx.argc(); i++) {
      byte[] pattern = ctx.arg(i);
      for (ConfigParam p : ctx.server().config().all()) {
        if (GlobMatcher.matches(pattern, p.name().getBytes(StandardCharsets.US_ASCII), true)) {
          matches.putIfAbsent(p.name(), p.value());
        }
      }
    }
    ctx.reply().mapHeader(matches.size());
    matches.forEach((name, value) -> {
      ctx.reply().bulk(name);
      ctx.reply().bulk(value);
    });
  }

  private static void configSet(CommandContext ctx) {
    if (ctx.argc() % 2 != 0) {
      ctx.reply().error("ERR wrong number of arguments for 'config|set' command");
      return;
    }
    List<String[]> pairs = new ArrayList<>();
    for (int i = 2; i < ctx.argc(); i += 2) {
      pairs.add(new String[] {ctx.argString(i), new String(ctx.arg(i + 1), StandardCharsets.UTF_8)});
    }
    String error = ctx.server().config().setAtRuntime(pairs);
    if (error != null) {
      ctx.reply().error(error);
    } else {
      ctx.reply().ok();
    }
  }

  private static void configRewrite(CommandContext ctx) {
    String file = ctx.server().configFile();
    if (file == null) {
      ctx.reply().error("ERR The server is running without a config file");
      return;
    }
    try {
      ConfigFile.rewrite(Path.of(file), ctx.server().config());
      ctx.reply().ok();
    } catch (IOException e) {
      ctx.reply().error("ERR Rewriting config file: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- FUNCTION

  /**
   * FUNCTION without a scripting engine: Kaiware runs no Lua, so no library can ever be loaded and
   * the subcommands that only read or clear the (always empty) library registry answer as Redis does
   * with none loaded. LOAD, RESTORE and DUMP are not registered: they answer Redis's
   * unknown-subcommand error instead of pretending. Redis's test suite flushes functions before
   * every test file, so FLUSH must work.
   */
  private static CommandSpec functionSpec() {
    return command("function").arity(-2).group("scripting").since("7.0.0").summary("A container for function commands.")
        .subcommand(command("flush").arity(-2).flags(WRITE, NOSCRIPT).complexity("O(N) where N is the number of functions deleted")
            .summary("Deletes all libraries and functions.").handler(ctx -> {
              if (ctx.argc() > 3 || (ctx.argc() == 3 && !ctx.argIs(2, "ASYNC") && !ctx.argIs(2, "SYNC"))) {
                throw new CommandError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
              }
              ctx.reply().ok();
            }))
        .subcommand(command("list").arity(-2).flags(NOSCRIPT).complexity("O(N) where N is the number of functions")
            .summary("Returns information about all libraries.").handler(ServerCommands::functionList))
        .subcommand(command("delete").arity(3).flags(WRITE, NOSCRIPT).complexity("O(1)")
            .summary("Deletes a library and its functions.").handler(ctx -> ctx.reply().error("ERR Library not found")))
        .subcommand(command("kill").arity(2).flags(NOSCRIPT).complexity("O(1)")
            .summary("Terminates a function during execution.")
            .handler(ctx -> ctx.reply().error("NOTBUSY No scripts in execution right now.")))
        .subcommand(command("stats").arity(2).flags(NOSCRIPT).complexity("O(1)")
            .summary("Returns information about a function during execution.").handler(ctx -> {
              ctx.reply().mapHeader(2);
              ctx.reply().bulk("running_script");
              ctx.reply().nullBulk();
              ctx.reply().bulk("engines");
              ctx.reply().mapHeader(0);
            }))
        .subcommand(command("help").arity(2).flags(LOADING, STALE).summary("Returns helpful text about the different subcommands.")
            .handler(ctx -> Help.reply(ctx, "FUNCTION",
                "LIST [LIBRARYNAME <pattern>] [WITHCODE]", "    Return general information on all the libraries (Kaiware has no scripting engine: none).",
                "DELETE <library-name>", "    Delete the given library.",
                "FLUSH [ASYNC|SYNC]", "    Delete all the libraries.",
                "KILL", "    Kill the function currently in execution.",
                "STATS", "    Return information about the function currently running.")))
        .build();
  }

  private static void functionList(CommandContext ctx) {
    for (int i = 2; i < ctx.argc(); i++) {
      if (ctx.argIs(i, "WITHCODE")) {
        continue;
      }
      if (ctx.argIs(i, "LIBRARYNAME") && i + 1 < ctx.argc()) {
        i++;
        continue;
      }
      throw new CommandError("ERR Unknown argument " + ctx.argCString(i));
    }
    ctx.reply().arrayHeader(0);
  }

  // ---------------------------------------------------------------- DEBUG

  private static CommandSpec debugSpec() {
    return command("debug").arity(-2).flags(ADMIN, NOSCRIPT, LOADING, STALE).group("server")
        .summary("A container for debugging commands.").complexity("Depends on subcommand.")
        .handler(ServerCommands::debug).build();
  }

  /** DEBUG PROTOCOL type: one reply of each RESP type, as Redis's debug.c writes them (RESP2 forms included). */
  private static void debugProtocol(CommandContext ctx, String type) {
    io.kaiware.resp.RespWriter out = ctx.reply();
    switch (type) {
      case "string" -> out.bulk("Hello World");
      case "integer" -> out.integer(12345);
      case "double" -> out.doubleValue(3.141, "3.141");
      case "bignum" -> out.bigNumber("1234567999999999999999999999999999999");
      case "null" -> out.nullBulk();
      case "array", "set" -> {
        if (type.equals("array")) {
          out.arrayHeader(3);
        } else {
          out.setHeader(3);
        }
        for (int j = 0; j < 3; j++) {
          out.integer(j);
        }
      }
      case "map" -> {
        out.mapHeader(3);
        for (int j = 0; j < 3; j++) {
          out.integer(j);
          out.bool(j == 1);
        }
      }
      case "attrib" -> {
        if (out.isResp3()) {
          out.attributeHeader(1);
          out.bulk("key-popularity");
          out.arrayHeader(2);
          out.bulk("key:123");
          out.integer(90);
        }
        out.bulk("Some real reply following the attribute"); // an attribute is not a reply
      }
      case "push" -> {
        if (!out.isResp3()) {
          throw new CommandError("ERR RESP2 is not supported by this command");
        }
        out.pushHeader(2);
        out.bulk("server-cpu-usage");
        out.integer(42);
        out.bulk("Some real reply following the push reply");
      }
      case "true" -> out.bool(true);
      case "false" -> out.bool(false);
      case "verbatim" -> out.verbatim("txt", "This is a verbatim\nstring");
      default -> throw new CommandError("ERR Wrong protocol type name. Please use one of the following: "
          + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
    }
  }

  private static void debug(CommandContext ctx) {
    if (ctx.argIs(1, "HELP")) {
      Help.reply(ctx, "DEBUG",
          "OBJECT <key>", "    Show low level info about the key and associated value.",
          "SET-ACTIVE-EXPIRE <0|1>", "    Setting it to 0 disables expiring keys in background when they are not accessed.",
          "PROTOCOL <type>", "    Reply with a sample of a RESP type: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false.",
          "QUICKLIST-PACKED-THRESHOLD <size>", "    Accepted (Redis's plain list nodes): every Kaiware list element is its own array.",
          "SLEEP <seconds>", "    Stop the server for <seconds>. Decimals allowed.",
          "CHANGE-REPL-ID", "    Accepted for compatibility; Kaiware's replication id is its run id.",
          "RELOAD", "    Pass the dataset through the persistence format (the Raft snapshot codec) and load it back.",
          "LOADAOF", "    The same as RELOAD: Kaiware's log and snapshots are one format.",
          "DIGEST", "    Output a hex signature representing the current DB content.",
          "DIGEST-VALUE <key> [<key> ...]", "    Output a hex signature of the values of all the specified keys.",
          "LEAK-DRILL <count>|RESET", "    Leak <count> objects on purpose, to rehearse finding a leak with /debug/heap?diff",
          "    (only with -D" + LeakDrill.ENABLE_PROPERTY + "=true).");
    } else if ((ctx.argIs(1, "RELOAD") || ctx.argIs(1, "LOADAOF")) && ctx.argc() == 2) {
      // Keys alive at the log time (the reclaim horizon) go through the codec: a key only this
      // reader's clock sees expired is still alive for the entries to come.
      long cutTimeMs = Math.min(ctx.nowMs(), ctx.keyspace().reclaimHorizonMs());
      try {
        ctx.server().reloadDataset(ctx.keyspace(), cutTimeMs);
        // As Redis's RDB load: each hash, sorted set and set takes the encoding today's
        // configuration gives it (zset-max-listpack-entries 0 loads a skiplist).
        io.kaiware.command.CompactEncodings encodings = ctx.dispatcher().compactEncodings();
        for (int d = 0; d < ctx.keyspace().databaseCount(); d++) {
          io.kaiware.engine.KeyTable table = ctx.keyspace().db(d).table();
          for (int slot = 0; slot < table.capacity(); slot++) {
            if (table.occupied(slot)) {
              encodings.built(table.valueAt(slot));
            }
          }
        }
        ctx.reply().ok();
      } catch (UnsupportedOperationException | java.io.IOException e) {
        ctx.reply().error("ERR Error trying to reload the dataset: " + e.getMessage());
      }
    } else if (ctx.argIs(1, "DIGEST") && ctx.argc() == 2) {
      ctx.reply().simpleString(ctx.keyspace().digest(ctx.nowMs()));
    } else if (ctx.argIs(1, "DIGEST-VALUE") && ctx.argc() >= 2) {
      ctx.reply().arrayHeader(ctx.argc() - 2);
      for (int i = 2; i < ctx.argc(); i++) {
        ctx.reply().simpleString(ctx.keyspace().digestValue(ctx.session().db(), ctx.arg(i), ctx.nowMs()));
      }
    } else if (ctx.argIs(1, "SLEEP") && ctx.argc() == 3) {
      double seconds;
      try {
        seconds = Double.parseDouble(ctx.argString(2));
      } catch (NumberFormatException e) {
        throw new CommandError(CommandError.NOT_A_FLOAT);
      }
      try {
        Thread.sleep((long) (seconds * 1000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ctx.reply().ok();
    } else if (ctx.argIs(1, "PROTOCOL") && ctx.argc() == 3) {
      debugProtocol(ctx, ctx.argString(2).toLowerCase(java.util.Locale.ROOT));
    } else if (ctx.argIs(1, "QUICKLIST-PACKED-THRESHOLD") && ctx.argc() == 3) {
      // Redis keeps a list element above this size in a quicklist node of its own (a "plain" node).
      // A Kaiware list holds every element as its own array already, so no reply depends on the
      // threshold: it is checked as Redis checks it, and answered.
      long size;
      try {
        size = io.kaiware.command.config.ConfigParam.parseMemory(ctx.argString(2));
      } catch (IllegalArgumentException e) {
        size = -1;
      }
      if (size < 0 || size > (1L << 32) - (1 << 20)) {
        throw new CommandError("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
      }
      ctx.reply().ok();
    } else if (ctx.argIs(1, "SET-ACTIVE-EXPIRE") && ctx.argc() == 3) {
      ctx.keyspace().setActiveExpireEnabled(ctx.longArg(2) != 0);
      ctx.reply().ok();
    } else if (ctx.argIs(1, "LEAK-DRILL") && ctx.argc() == 3) {
      if (!LeakDrill.enabled()) {
        throw new CommandError("ERR DEBUG LEAK-DRILL is disabled; it runs only in a JVM started with -D"
            + LeakDrill.ENABLE_PROPERTY + "=true");
      }
      if (ctx.argIs(2, "RESET")) {
        LeakDrill.reset();
        ctx.reply().ok();
      } else {
        long count = ctx.longArg(2);
        if (count < 0 || count > 10_000_000) {
          throw new CommandError("ERR count must be between 0 and 10000000");
        }
        ctx.reply().integer(LeakDrill.leak(count));
      }
    } else if (ctx.argIs(1, "CHANGE-REPL-ID") && ctx.argc() == 2) {
      ctx.reply().ok();
    } else if (ctx.argIs(1, "OBJECT") && ctx.argc() == 3) {
      Database db = ctx.db();
      int slot = db.lookup(ctx.arg(2), ctx.nowMs());
      if (slot < 0) {
        ctx.reply().error("ERR no such key");
        return;
      }
      Object value = db.table().valueAt(slot);
      ctx.reply().simpleString("Value at:" + Values.identity(db.table().keyAt(slot), ctx.keyspace(), value)
          + " refcount:" + Values.refcount(ctx.keyspace(), value) + " encoding:"
          + Values.encoding(ctx.keyspace(), value) + " serializedlength:" + Values.serializedLength(value) + " lru:0 lru_seconds_idle:0");
    } else {
      ctx.reply().error("ERR unknown subcommand or wrong number of arguments for '" + ctx.argCString(1)
          + "'. Try DEBUG HELP.");
    }
  }

  // ---------------------------------------------------------------- MEMORY, OBJECT

  private static CommandSpec memorySpec() {
    return command("memory").arity(-2).group("server").since("4.0.0").summary("A container for memory diagnostics commands.")
        .subcommand(command("usage").arity(-3).flags(READONLY).keys(2, 2, 1)
            .complexity("O(N) where N is the number of samples.").summary("Estimates the memory usage of a key.")
            .handler(ctx -> {
              if (ctx.argc() != 3 && !(ctx.argc() == 5 && ctx.argIs(3, "SAMPLES"))) {
                throw new CommandError(CommandError.SYNTAX);
              }
              if (ctx.argc() == 5 && ctx.longArg(4) < 0) {
                throw new CommandError(CommandError.NOT_AN_INTEGER);
              }
              Database db = ctx.db();
              int slot = db.lookup(ctx.arg(2), ctx.nowMs());
              if (slot < 0) {
                ctx.reply().nullBulk();
              } else {
                ctx.reply().integer(Values.estimateBytes(db.table().keyAt(slot), db.table().valueAt(slot)));
              }
            }))
        .subcommand(command("help").arity(2).flags(LOADING, STALE).summary("Returns helpful text about the different subcommands.")
            .handler(ctx -> Help.reply(ctx, "MEMORY",
                "USAGE <key> [SAMPLES <count>]", "    Return memory in bytes used by <key> and its value (an estimate).")))
        .build();
  }

  private static CommandSpec objectSpec() {
    return command("object").arity(-2).group("generic").since("2.2.3").summary("A container for object introspection commands.")
        .subcommand(command("encoding").arity(3).flags(READONLY).keys(2, 2, 1)
            .summary("Returns the internal encoding of a Redis object.").handler(ctx -> withValue(ctx, value ->
                ctx.reply().bulk(Values.encoding(ctx.keyspace(), value)))))
        .subcommand(command("refcount").arity(3).flags(READONLY).keys(2, 2, 1)
            .summary("Returns the reference count of a value of a key.").handler(ctx -> withValue(ctx, value ->
                ctx.reply().integer(Values.refcount(ctx.keyspace(), value)))))
        .subcommand(command("idletime").arity(3).flags(READONLY).keys(2, 2, 1)
            .summary("Returns the time since the last access to a Redis object (Kaiware does not track access time: 0).")
            .handler(ctx -> withValue(ctx, value -> ctx.reply().integer(0))))
        .subcommand(command("freq").arity(3).flags(READONLY).keys(2, 2, 1)
            .summary("Returns the logarithmic access frequency counter of a Redis object.").handler(ctx -> withValue(ctx, value ->
                ctx.reply().error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that "
                    + "when switching between policies at runtime LRU and LFU data will take some time to adjust."))))
        .subcommand(command("help").arity(2).flags(LOADING, STALE).summary("Returns helpful text about the different subcommands.")
            .handler(ctx -> Help.reply(ctx, "OBJECT",
                "ENCODING <key>", "    Return the kind of internal representation used in order to store the value associated with a <key>.",
                "FREQ <key>", "    Return the access frequency index of the <key>.",
                "IDLETIME <key>", "    Return the idle time of the <key>.",
                "REFCOUNT <key>", "    Return the number of references of the value associated with the specified <key>.")))
        .build();
  }

  private static void withValue(CommandContext ctx, java.util.function.Consumer<Object> body) {
    Database db = ctx.db();
    int slot = db.lookup(ctx.arg(2), ctx.nowMs());
    if (slot < 0) {
      ctx.reply().nullBulk();
    } else {
      body.accept(db.table().valueAt(slot));
    }
  }
}

package io.kaiware.cli;

import ch.qos.logback.classic.Level;
import io.kaiware.command.config.ConfigFile;
import io.kaiware.command.config.ServerConfig;
import io.kaiware.server.KaiwareServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kaiware server [config-file] [--name value ...]}: like {@code redis-server}, any configuration
 * key is also an option ({@code --port 6380 --requirepass s3cret}), applied after the file.
 */
@Command(name = "server", customSynopsis = "kaiware server [CONFIG_FILE] [--<config-key> <value> ...]", description = {
    "Start a Kaiware server (default 127.0.0.1:6379).",
    "Any configuration key is an option: --port 6380 --dir /var/lib/kaiware --bind 127.0.0.1 --requirepass s3cret.",
    "See kaiware.conf for every key and its default."},
    mixinStandardHelpOptions = true, versionProvider = Main.Version.class)
final class ServerCommand implements Callable<Integer> {

  /** The optional config file first, then {@code --name value} overrides (parsed here, not by picocli). */
  @CommandLine.Unmatched
  List<String> args = new ArrayList<>();

  private Path configFile;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ServerConfig config = ServerConfig.defaults();
    List<String> overrides = args;
    if (!args.isEmpty() && !args.get(0).startsWith("--")) {
      configFile = Path.of(args.get(0));
      overrides = args.subList(1, args.size());
    }
    try {
      if (configFile != null) {
        ConfigFile.load(configFile, config);
      }
      applyOverrides(config, overrides);
    } catch (IllegalArgumentException | java.io.IOException e) {
      spec.commandLine().getErr().println("kaiware: " + e.getMessage());
      return 2;
    }
    setLogLevel(config.get("loglevel"));
    Path dir = Path.of(config.get("dir"));
    Files.createDirectories(dir);
    KaiwareServer server;
    try {
      server = KaiwareServer.start(config, configFile == null ? null : configFile.toAbsolutePath().toString());
    } catch (KaiwareServer.StartupException e) {
      spec.commandLine().getErr().println("kaiware: " + e.getMessage());
      return 1;
    }
    Thread hook = new Thread(server::close, "kaiware-sigterm");
    Runtime.getRuntime().addShutdownHook(hook);
    server.awaitTermination();
    return server.exitStatus();
  }

  /** {@code --name value [value ...]} pairs: words up to the next {@code --} belong to one key. */
  static void applyOverrides(ServerConfig config, List<String> args) {
    String name = null;
    List<String> values = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--")) {
        if (name != null) {
          set(config, name, values);
        }
        name = arg.substring(2);
        values = new ArrayList<>();
      } else if (name == null) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "' (options look like --port 6380)");
      } else {
        values.add(arg);
      }
    }
    if (name != null) {
      set(config, name, values);
    }
  }

  private static void set(ServerConfig config, String name, List<String> values) {
    try {
      config.setAtStartup(name, String.join(" ", values));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("option --" + name + ": " + e.getMessage());
    }
  }

  private static void setLogLevel(String loglevel) {
    if (LoggerFactory.getLogger("io.kaiware") instanceof ch.qos.logback.classic.Logger logger) {
      logger.setLevel(switch (loglevel.toLowerCase(Locale.ROOT)) {
        case "debug" -> Level.DEBUG;
        case "verbose" -> Level.DEBUG;
        case "warning" -> Level.WARN;
        case "nothing" -> Level.OFF;
        default -> Level.INFO;
      });
    }
  }
}

package io.kaiware.command.connection;

import static io.kaiware.command.CommandFlag.ALLOW_BUSY;
import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.LOADING;
import static io.kaiware.command.CommandFlag.NO_AUTH;
import static io.kaiware.command.CommandFlag.NOSCRIPT;
import static io.kaiware.command.CommandFlag.STALE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.BuildInfo;
import io.kaiware.command.ClientSession;
import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.Numbers;
import io.kaiware.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** PING, ECHO, QUIT, RESET, HELLO, AUTH, SELECT, READONLY, READWRITE. CLIENT is in {@link ClientCommand}. */
public final class ConnectionCommands {
  private ConnectionCommands() {}

  public static List<CommandSpec> specs() {
    return List.of(
        command("ping").arity(-1).flags(FAST).group("connection").summary("Returns the server's liveliness response.")
            .handler(ConnectionCommands::ping).build(),
        command("echo").arity(2).flags(FAST, LOADING, STALE).group("connection").summary("Returns the given string.")
            .handler(ctx -> ctx.reply().bulk(ctx.arg(1))).build(),
        command("quit").arity(-1).flags(ALLOW_BUSY, NOSCRIPT, LOADING, STALE, FAST, NO_AUTH).group("connection")
            .summary("Closes the connection.").handler(ConnectionCommands::quit).build(),
        command("reset").arity(1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).group("connection")
            .since("6.2.0").summary("Resets the connection.").handler(ConnectionCommands::reset).build(),
        command("hello").arity(-1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).group("connection")
            .since("6.0.0").summary("Handshakes with the server: protocol version, authentication, client name.")
            .complexity("O(1)").handler(ConnectionCommands::hello).build(),
        command("auth").arity(-2).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).group("connection")
            .summary("Authenticates the connection.").complexity("O(N) where N is the number of passwords defined for the user")
            .handler(ConnectionCommands::auth).build(),
        command("select").arity(2).flags(LOADING, STALE, FAST).group("connection")
            .summary("Changes the selected database.").handler(ConnectionCommands::select).build(),
        command("readonly").arity(1).flags(LOADING, STALE, FAST).group("cluster").since("3.0.0")
            .summary("Enables read-only queries for a connection to a replica.").handler(ctx -> {
              ctx.session().setReadOnlyMode(true);
              ctx.reply().ok();
            }).build(),
        command("readwrite").arity(1).flags(LOADING, STALE, FAST).group("cluster").since("3.0.0")
            .summary("Enables read-write queries for a connection to a replica.").handler(ctx -> {
              ctx.session().setReadOnlyMode(false);
              ctx.reply().ok();
            }).build(),
        ClientCommand.spec());
  }

  private static void ping(CommandContext ctx) {
    if (ctx.argc() > 2) {
      // PING's arity is -1 so that this error names it the way Redis does.
      ctx.reply().error("ERR wrong number of arguments for 'ping' command");
    } else if (ctx.session().subscribed() && ctx.reply().protocol() == 2) {
      // Redis's pingCommand in Pub/Sub mode (RESP2): ["pong", message or ""].
      ctx.reply().arrayHeader(2);
      ctx.reply().bulk("pong".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      ctx.reply().bulk(ctx.argc() == 2 ? ctx.arg(1) : new byte[0]);
    } else if (ctx.argc() == 2) {
      ctx.reply().bulk(ctx.arg(1));
    } else {
      ctx.reply().pong();
    }
  }

  private static void quit(CommandContext ctx) {
    ctx.reply().ok();
    ctx.session().setCloseAfterReply();
  }

  private static void reset(CommandContext ctx) {
    ctx.session().reset(!passwordRequired(ctx));
    ctx.reply().simpleString("RESET");
  }

  private static void select(CommandContext ctx) {
    int index = ctx.intArg(1);
    if (index < 0 || index >= ctx.keyspace().databaseCount()) {
      ctx.reply().error("ERR DB index is out of range");
      return;
    }
    ctx.session().setDb(index);
    ctx.reply().ok();
  }

  static boolean passwordRequired(CommandContext ctx) {
    return !ctx.server().config().get("requirepass").isEmpty();
  }

  /** Constant-time check of a username/password pair against the single 'default' user. */
  static boolean checkCredentials(CommandContext ctx, String user, byte[] password) {
    String required = ctx.server().config().get("requirepass");
    if (!"default".equals(user)) {
      return false;
    }
    if (required.isEmpty()) {
      return true; // the default user is 'nopass' when no password is configured
    }
    return MessageDigest.isEqual(required.getBytes(StandardCharsets.UTF_8), password);
  }

  private static void auth(CommandContext ctx) {
    if (ctx.argc() > 3) {
      throw new CommandError(CommandError.SYNTAX);
    }
    String user = ctx.argc() == 3 ? ctx.argString(1) : "default";
    byte[] password = ctx.arg(ctx.argc() - 1);
    if (ctx.argc() == 2 && !passwordRequired(ctx)) {
      ctx.reply().error("ERR AUTH <password> called without any password configured for the default user. "
          + "Are you sure your client is configured correctly?");
      return;
    }
    if (checkCredentials(ctx, user, password)) {
      ctx.session().setAuthenticated(true);
      ctx.session().setUser(user);
      ctx.reply().ok();
    } else {
      ctx.reply().error("WRONGPASS invalid username-password pair or user is disabled.");
    }
  }

  private static void hello(CommandContext ctx) {
    ClientSession session = ctx.session();
    int protocol = session.protocol();
    int next = 1;
    if (ctx.argc() >= 2) {
      long version = Numbers.parseLong(ctx.arg(1));
      if (version == Numbers.NOT_A_LONG) {
        ctx.reply().error("ERR Protocol version is not an integer or out of range");
        return;
      }
      if (version < 2 || version > 3) {
        ctx.reply().error("NOPROTO unsupported protocol version");
        return;
      }
      protocol = (int) version;
      next = 2;
    }
    String authUser = null;
    byte[] authPassword = null;
    String setName = null;
    for (int i = next; i < ctx.argc(); i++) {
      int more = ctx.argc() - i - 1;
      if (ctx.argIs(i, "AUTH") && more >= 2) {
        authUser = ctx.argString(i + 1);
        authPassword = ctx.arg(i + 2);
        i += 2;
      } else if (ctx.argIs(i, "SETNAME") && more >= 1) {
        setName = ctx.argString(i + 1);
        if (!ClientCommand.validName(setName)) {
          ctx.reply().error("ERR Client names cannot contain spaces, newlines or special characters.");
          return;
        }
        i += 1;
      } else {
        ctx.reply().error("ERR Syntax error in HELLO option '" + ctx.argCString(i) + "'");
        return;
      }
    }
    if (authUser != null) {
      if (!checkCredentials(ctx, authUser, authPassword)) {
        ctx.reply().error("WRONGPASS invalid username-password pair or user is disabled.");
        return;
      }
      session.setAuthenticated(true);
      session.setUser(authUser);
    }
    if (!session.authenticated()) {
      ctx.reply().error("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
          + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
          + "protocol version at the same time");
      return;
    }
    if (setName != null) {
      session.setName(setName);
    }
    session.setProtocol(protocol);
    // The reply goes out in the new protocol: retarget the writer.
    RespWriter out = ctx.reply().target(ctx.reply().buffer(), protocol);
    BuildInfo build = ctx.server().build();
    out.mapHeader(8);
    out.bulk("server");
    out.bulk("redis");
    out.bulk("version");
    out.bulk(RedisCompat.REDIS_VERSION);
    out.bulk("proto");
    out.integer(protocol);
    out.bulk("id");
    out.integer(session.id());
    out.bulk("mode");
    out.bulk("standalone");
    out.bulk("role");
    out.bulk("master");
    out.bulk("modules");
    out.arrayHeader(0);
    out.bulk("kaiware_version");
    out.bulk(build.version());
  }
}

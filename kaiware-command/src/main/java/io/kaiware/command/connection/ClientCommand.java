package io.kaiware.command.connection;

import static io.kaiware.command.CommandFlag.ADMIN;
import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.LOADING;
import static io.kaiware.command.CommandFlag.NOSCRIPT;
import static io.kaiware.command.CommandFlag.STALE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.ClientSession;
import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.Propagation;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.Help;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** CLIENT and its subcommands. */
public final class ClientCommand {
  private ClientCommand() {}

  static CommandSpec spec() {
    return command("client").arity(-2).group("connection").since("2.4.0").summary("A container for client connection commands.")
        .subcommand(command("id").arity(2).flags(NOSCRIPT, LOADING, STALE).since("5.0.0")
            .summary("Returns the unique client ID of the connection.").handler(ctx -> ctx.reply().integer(ctx.session().id())))
        .subcommand(command("setname").arity(3).flags(NOSCRIPT, LOADING, STALE).since("2.6.9")
            .summary("Sets the connection name.").handler(ClientCommand::setName))
        .subcommand(command("getname").arity(2).flags(NOSCRIPT, LOADING, STALE).since("2.6.9")
            .summary("Returns the name of the connection.").handler(ctx -> {
              String name = ctx.session().name();
              if (name.isEmpty()) {
                ctx.reply().nullBulk();
              } else {
                ctx.reply().bulk(name);
              }
            }))
        .subcommand(command("setinfo").arity(4).flags(NOSCRIPT, LOADING, STALE).since("7.2.0")
            .summary("Sets information specific to the client or connection.").handler(ClientCommand::setInfo))
        .subcommand(command("list").arity(-2).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.4.0")
            .complexity("O(N) where N is the number of client connections")
            .summary("Lists open connections.").handler(ClientCommand::list))
        .subcommand(command("info").arity(2).flags(NOSCRIPT, LOADING, STALE).since("6.2.0")
            .summary("Returns information about the connection.").handler(ctx -> ctx.reply().verbatim("txt",
                describe(ctx, ctx.session()) + "\n")))
        .subcommand(command("kill").arity(-3).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.4.0")
            .complexity("O(N) where N is the number of client connections")
            .summary("Terminates open connections.").handler(ClientCommand::kill))
        .subcommand(command("unblock").arity(-3).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("5.0.0")
            .complexity("O(log N) where N is the number of client connections")
            .summary("Unblocks a client blocked by a blocking command from a different connection.")
            .handler(ClientCommand::unblock))
        .subcommand(command("no-evict").arity(3).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("7.0.0")
            .summary("Sets the client eviction mode of the connection.").handler(ctx -> ctx.session().setNoEvict(onOff(ctx))))
        .subcommand(command("no-touch").arity(3).flags(NOSCRIPT, LOADING, STALE).since("7.2.0")
            .summary("Controls whether commands sent by the client affect the LRU/LFU of accessed keys.")
            .handler(ctx -> ctx.session().setNoTouch(onOff(ctx))))
        .subcommand(command("reply").arity(3).flags(NOSCRIPT, LOADING, STALE).since("3.2.0")
            .summary("Instructs the server whether to reply to commands.").handler(ClientCommand::reply))
        .subcommand(command("help").arity(2).flags(LOADING, STALE).since("5.0.0")
            .summary("Returns helpful text about the different subcommands.").handler(ctx -> Help.reply(ctx, "CLIENT",
                "ID", "    Return the ID of the current connection.",
                "SETNAME <name>", "    Assign the name <name> to the current connection.",
                "GETNAME", "    Return the name of the current connection.",
                "SETINFO <LIB-NAME|LIB-VER> <value>", "    Set client library name or version.",
                "LIST [TYPE <normal|master|replica|pubsub>] [ID <id> [<id> ...]]", "    Return information about client connections.",
                "INFO", "    Return information about the current client connection.",
                "KILL <ip:port>", "    Kill connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]", "    Kill connections. Options: ID, ADDR, LADDR, USER, SKIPME, TYPE.",
                "UNBLOCK <clientid> [TIMEOUT|ERROR]", "    Unblock the specified blocked client.",
                "NO-EVICT (ON|OFF)", "    Protect the current client connection from eviction.",
                "NO-TOUCH (ON|OFF)", "    Do not touch LRU/LFU stats of accessed keys.",
                "REPLY (ON|OFF|SKIP)", "    Control the replies sent to the current connection.")))
        .build();
  }

  /** CLIENT UNBLOCK client-id [TIMEOUT|ERROR]: 1 when the client was parked on a blocking pop. */
  private static void unblock(CommandContext ctx) {
    if (ctx.argc() > 4) {
      throw new CommandError(CommandError.SYNTAX);
    }
    boolean error = false;
    if (ctx.argc() == 4) {
      if (ctx.argIs(3, "ERROR")) {
        error = true;
      } else if (!ctx.argIs(3, "TIMEOUT")) {
        throw new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
      }
    }
    long id = ctx.longArg(2);
    ctx.reply().integer(ctx.server().unblock(id, error) ? 1 : 0);
  }

  /** Redis allows printable ASCII other than space in client and library names. */
  static boolean validName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '!' || c > '~') {
        return false;
      }
    }
    return true;
  }

  private static void setName(CommandContext ctx) {
    String name = ctx.argString(2);
    if (!validName(name)) {
      ctx.reply().error("ERR Client names cannot contain spaces, newlines or special characters.");
      return;
    }
    ctx.session().setName(name);
    ctx.reply().ok();
  }

  private static void setInfo(CommandContext ctx) {
    String value = ctx.argString(3);
    boolean libName = ctx.argIs(2, "LIB-NAME");
    if (!libName && !ctx.argIs(2, "LIB-VER")) {
      ctx.reply().error("ERR Unrecognized option '" + ctx.argCString(2) + "'");
      return;
    }
    if (!validName(value) && !value.isEmpty()) {
      ctx.reply().error("ERR " + (libName ? "lib-name" : "lib-ver") + " cannot contain spaces, newlines or special characters.");
      return;
    }
    if (libName) {
      ctx.session().setLibName(value);
    } else {
      ctx.session().setLibVersion(value);
    }
    ctx.reply().ok();
  }

  private static boolean onOff(CommandContext ctx) {
    if (ctx.argIs(2, "ON")) {
      ctx.reply().ok();
      return true;
    }
    if (ctx.argIs(2, "OFF")) {
      ctx.reply().ok();
      return false;
    }
    throw new CommandError(CommandError.SYNTAX);
  }

  private static void reply(CommandContext ctx) {
    ClientSession session = ctx.session();
    if (ctx.argIs(2, "ON")) {
      session.setReplyMode(ClientSession.ReplyMode.ON);
      ctx.reply().ok();
    } else if (ctx.argIs(2, "OFF")) {
      session.setReplyMode(ClientSession.ReplyMode.OFF);
    } else if (ctx.argIs(2, "SKIP")) {
      session.skipNextReply();
    } else {
      throw new CommandError(CommandError.SYNTAX);
    }
  }

  /**
   * One CLIENT LIST line, with Redis's field names and order (memory fields are not tracked: 0).
   * qbuf is the running command's own request for the client asking (what Redis's query buffer
   * holds while it runs), 0 for the others: requests are decoded as they arrive.
   */
  static String describe(CommandContext ctx, ClientSession s) {
    long nowMs = ctx.nowMs();
    String addr = s.remoteAddress();
    return "id=" + s.id() + " addr=" + addr + " laddr=" + s.localAddress() + " fd=-1 name=" + s.name()
        + " age=" + Math.max(0, (nowMs - s.createdAtMs()) / 1000) + " idle=" + Math.max(0, (nowMs - s.lastInteractionMs()) / 1000)
        + " flags=" + flags(ctx, s) + " db=" + s.db() + " sub=" + s.subscriptions().size()
        + " psub=" + s.patterns().size() + " ssub=" + s.shardSubscriptions().size() + " multi=-1 qbuf=" + (s == ctx.session() ? Propagation.encode(ctx.args()).length : 0) + " qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0"
        + " obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=" + s.lastCommand() + " user=" + s.user() + " redir=-1 resp="
        + s.protocol() + " lib-name=" + s.libName() + " lib-ver=" + s.libVersion();
  }

  /** Redis's flags field, in its order: O (monitor) or S (replica), P (Pub/Sub), x (in MULTI), b (blocked); N for none. */
  private static String flags(CommandContext ctx, ClientSession s) {
    StringBuilder f = new StringBuilder(4);
    if (s.monitor()) {
      f.append('O');
    } else if (s.replica()) {
      f.append('S');
    }
    if (s.subscribed()) {
      f.append('P');
    }
    if (s.transaction().active()) {
      f.append('x');
    }
    if (ctx.server() != null && ctx.server().isBlocked(s.id())) {
      f.append('b');
    }
    return f.isEmpty() ? "N" : f.toString();
  }

  private static void list(CommandContext ctx) {
    Set<Long> ids = null;
    for (int i = 2; i < ctx.argc(); i++) {
      if (ctx.argIs(i, "TYPE") && i + 1 < ctx.argc()) {
        String type = ctx.argString(++i).toLowerCase(java.util.Locale.ROOT);
        if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
          ctx.reply().error("ERR Unknown client type '" + ctx.argCString(i) + "'");
          return;
        }
        if (!type.equals("normal")) {
          ids = ids == null ? new HashSet<>() : ids; // no replicas or subscribers are listed: an empty filter
          ids.add(-1L);
        }
      } else if (ctx.argIs(i, "ID") && i + 1 < ctx.argc()) {
        ids = ids == null ? new HashSet<>() : ids;
        while (++i < ctx.argc()) {
          long id = io.kaiware.command.Numbers.parseLong(ctx.arg(i));
          if (id <= 0) {
            ctx.reply().error("ERR Invalid client ID");
            return;
          }
          ids.add(id);
        }
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (ClientSession s : ctx.server().clients()) {
      if (ids == null || ids.contains(s.id())) {
        sb.append(describe(ctx, s)).append('\n');
      }
    }
    ctx.reply().verbatim("txt", sb.toString());
  }

  private static void kill(CommandContext ctx) {
    if (ctx.argc() == 3) {
      // Old form: CLIENT KILL ip:port
      String addr = ctx.argString(2);
      for (ClientSession s : ctx.server().clients()) {
        if (s.remoteAddress().equals(addr)) {
          killSession(ctx, s);
          ctx.reply().ok();
          return;
        }
      }
      ctx.reply().error("ERR No such client");
      return;
    }
    if (ctx.argc() % 2 != 0) {
      throw new CommandError(CommandError.SYNTAX);
    }
    Long id = null;
    String addr = null;
    String laddr = null;
    String user = null;
    String type = null;
    boolean skipMe = true;
    for (int i = 2; i < ctx.argc(); i += 2) {
      String value = ctx.argString(i + 1);
      if (ctx.argIs(i, "ID")) {
        long parsed = io.kaiware.command.Numbers.parseLong(ctx.arg(i + 1));
        if (parsed <= 0) {
          ctx.reply().error("ERR client-id should be greater than 0");
          return;
        }
        id = parsed;
      } else if (ctx.argIs(i, "ADDR")) {
        addr = value;
      } else if (ctx.argIs(i, "LADDR")) {
        laddr = value;
      } else if (ctx.argIs(i, "USER")) {
        if (!value.equals("default")) {
          ctx.reply().error("ERR No such user '" + value + "'"); // the only user Kaiware has (no ACL)
          return;
        }
        user = value;
      } else if (ctx.argIs(i, "TYPE")) {
        type = value.toLowerCase(java.util.Locale.ROOT);
        if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
          ctx.reply().error("ERR Unknown client type '" + value + "'");
          return;
        }
      } else if (ctx.argIs(i, "SKIPME")) {
        if (value.equalsIgnoreCase("yes")) {
          skipMe = true;
        } else if (value.equalsIgnoreCase("no")) {
          skipMe = false;
        } else {
          throw new CommandError(CommandError.SYNTAX);
        }
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    List<ClientSession> victims = new ArrayList<>();
    for (ClientSession s : ctx.server().clients()) {
      if ((id != null && s.id() != id) || (addr != null && !s.remoteAddress().equals(addr))
          || (laddr != null && !s.localAddress().equals(laddr)) || (user != null && !s.user().equals(user))
          || (type != null && !type.equals("normal")) || (skipMe && s == ctx.session())) {
        continue;
      }
      victims.add(s);
    }
    victims.forEach(s -> killSession(ctx, s));
    ctx.reply().integer(victims.size());
  }

  private static void killSession(CommandContext ctx, ClientSession s) {
    if (s == ctx.session()) {
      s.setCloseAfterReply(); // Redis answers the killer before closing it
    } else {
      ctx.server().kill(s);
    }
  }
}

package io.kaiware.command.replication;

import static io.kaiware.command.CommandFlag.ADMIN;
import static io.kaiware.command.CommandFlag.LOADING;
import static io.kaiware.command.CommandFlag.NOSCRIPT;
import static io.kaiware.command.CommandFlag.STALE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.Help;
import io.kaiware.command.replication.ReplicationCommands.Node;
import io.kaiware.resp.RespWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Sentinel facade: every member answers the Sentinel commands clients use to find the master of
 * one named group ({@code sentinel-master-name}, default "kaiware"), and the master is the Raft
 * leader at its client address. On a leadership change every member publishes
 * {@code +switch-master <name> <old-ip> <old-port> <new-ip> <new-port>} to its SUBSCRIBErs (the server
 * side, {@code Replication}), which is how JedisSentinelPool and Lettuce's Sentinel support follow a
 * failover. There is no separate Sentinel process, no quorum of sentinels and no failover decision
 * here: Raft makes it.
 */
public final class SentinelCommands {
  private SentinelCommands() {}

  public static List<CommandSpec> specs() {
    return List.of(command("sentinel").arity(-2).group("sentinel").since("2.8.4")
        .summary("Sentinel facade: the Raft leader is the master of the group named by sentinel-master-name.")
        .subcommand(command("get-master-addr-by-name").arity(3).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.8.4")
            .summary("Returns the leader's client address (host, port), or nil when the name is unknown or there is no leader.")
            .handler(SentinelCommands::masterAddress))
        .subcommand(command("masters").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.8.4")
            .summary("Returns the one monitored master (the leader) and its state.")
            .handler(ctx -> {
              Node master = master(ctx);
              if (master == null) {
                ctx.reply().arrayHeader(0);
                return;
              }
              ctx.reply().arrayHeader(1);
              writeMap(ctx.reply(), masterFields(ctx, master));
            }))
        .subcommand(command("master").arity(3).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.8.4")
            .summary("Returns the state of the named master (the leader).")
            .handler(ctx -> {
              Node master = named(ctx) ? master(ctx) : null;
              if (master == null) {
                ctx.reply().error("ERR No such master with that name");
                return;
              }
              writeMap(ctx.reply(), masterFields(ctx, master));
            }))
        .subcommand(command("replicas").arity(3).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("5.0.0")
            .summary("Returns the followers as replicas of the named master.")
            .handler(SentinelCommands::replicas))
        .subcommand(command("slaves").arity(3).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.8.0")
            .summary("Returns the followers as replicas of the named master (old name of REPLICAS).")
            .handler(SentinelCommands::replicas))
        .subcommand(command("sentinels").arity(3).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.8.4")
            .summary("Returns the other members: each one also answers as a sentinel.")
            .handler(SentinelCommands::sentinels))
        .subcommand(command("myid").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("6.2.0")
            .summary("Returns this member's id as a sentinel.")
            .handler(ctx -> ctx.reply().bulk(ReplicationCommands.clusterId(myId(ctx)))))
        .subcommand(command("help").arity(2).flags(LOADING, STALE).since("6.2.0")
            .summary("Shows helpful text about the different subcommands.")
            .handler(ctx -> Help.reply(ctx, "SENTINEL",
                "GET-MASTER-ADDR-BY-NAME <name>", "    The Raft leader's client address.",
                "MASTERS | MASTER <name>", "    The leader as the monitored master.",
                "REPLICAS <name>", "    The followers.",
                "SENTINELS <name>", "    The other members (each answers as a sentinel).",
                "MYID", "    This member's id.")))
        .build());
  }

  static String masterName(CommandContext ctx) {
    return ctx.server() == null ? "kaiware" : ctx.server().config().get("sentinel-master-name");
  }

  private static boolean named(CommandContext ctx) {
    return ctx.argString(2).equals(masterName(ctx));
  }

  private static String myId(CommandContext ctx) {
    ReplicationView view = ctx.server() == null ? null : ctx.server().replication();
    return view == null ? "self" : view.nodeId();
  }

  /** The leader with its address, or null while there is none. */
  private static Node master(CommandContext ctx) {
    List<Node> nodes = ReplicationCommands.nodes(ctx);
    return !nodes.isEmpty() && nodes.get(0).master() ? nodes.get(0) : null;
  }

  private static void masterAddress(CommandContext ctx) {
    Node master = named(ctx) ? master(ctx) : null;
    if (master == null) {
      ctx.reply().nullArray();
      return;
    }
    ctx.reply().arrayHeader(2);
    ctx.reply().bulk(master.host());
    ctx.reply().bulk(Integer.toString(master.port()));
  }

  private static Map<String, String> masterFields(CommandContext ctx, Node master) {
    List<Node> nodes = ReplicationCommands.nodes(ctx);
    Map<String, String> m = new LinkedHashMap<>();
    m.put("name", masterName(ctx));
    m.put("ip", master.host());
    m.put("port", Integer.toString(master.port()));
    m.put("runid", ReplicationCommands.clusterId(master.memberId()));
    m.put("flags", "master");
    m.put("link-pending-commands", "0");
    m.put("link-refcount", "1");
    m.put("last-ping-sent", "0");
    m.put("last-ok-ping-reply", "0");
    m.put("last-ping-reply", "0");
    m.put("down-after-milliseconds", "0");
    m.put("role-reported", "master");
    m.put("num-slaves", Integer.toString(nodes.size() - 1));
    m.put("num-other-sentinels", Integer.toString(Math.max(0, nodes.size() - 1)));
    m.put("quorum", Integer.toString(nodes.size() / 2 + 1));
    m.put("failover-timeout", "0");
    m.put("parallel-syncs", "1");
    return m;
  }

  private static void replicas(CommandContext ctx) {
    if (!named(ctx)) {
      ctx.reply().error("ERR No such master with that name");
      return;
    }
    Node master = master(ctx);
    List<Node> replicas = new ArrayList<>();
    for (Node n : ReplicationCommands.nodes(ctx)) {
      if (!n.master()) {
        replicas.add(n);
      }
    }
    ctx.reply().arrayHeader(replicas.size());
    for (Node n : replicas) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("name", n.host() + ":" + n.port());
      m.put("ip", n.host());
      m.put("port", Integer.toString(n.port()));
      m.put("runid", ReplicationCommands.clusterId(n.memberId()));
      m.put("flags", "slave");
      m.put("role-reported", "slave");
      m.put("master-link-status", master == null ? "err" : "ok");
      m.put("master-host", master == null ? "?" : master.host());
      m.put("master-port", master == null ? "0" : Integer.toString(master.port()));
      m.put("slave-repl-offset", Long.toString(n.offset()));
      writeMap(ctx.reply(), m);
    }
  }

  private static void sentinels(CommandContext ctx) {
    if (!named(ctx)) {
      ctx.reply().error("ERR No such master with that name");
      return;
    }
    List<Node> others = new ArrayList<>();
    for (Node n : ReplicationCommands.nodes(ctx)) {
      if (!n.myself()) {
        others.add(n);
      }
    }
    ctx.reply().arrayHeader(others.size());
    for (Node n : others) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("name", ReplicationCommands.clusterId(n.memberId()));
      m.put("ip", n.host());
      m.put("port", Integer.toString(n.port()));
      m.put("runid", ReplicationCommands.clusterId(n.memberId()));
      m.put("flags", "sentinel");
      writeMap(ctx.reply(), m);
    }
  }

  private static void writeMap(RespWriter out, Map<String, String> m) {
    out.mapHeader(m.size());
    m.forEach((k, v) -> {
      out.bulk(k);
      out.bulk(v);
    });
  }
}

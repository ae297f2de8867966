package io.kaiware.command.replication;

import static io.kaiware.command.CommandFlag.ADMIN;
import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.LOADING;
import static io.kaiware.command.CommandFlag.NOSCRIPT;
import static io.kaiware.command.CommandFlag.NO_MULTI;
import static io.kaiware.command.CommandFlag.STALE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.Help;
import io.kaiware.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * ROLE, CLUSTER (a one-shard cluster emulation) and RAFT: how clients and operators see the Raft
 * group.
 *
 * <h2>Why emulate a cluster</h2>
 * Stock cluster clients (redis-cli -c, JedisCluster, Lettuce's RedisClusterClient) already know how
 * to follow a master that moves: they read the topology from CLUSTER SLOTS / SHARDS / NODES and obey
 * {@code -MOVED slot host:port}. Kaiware presents its group as one shard owning all 16384 slots,
 * whose master is the Raft leader (at its client address) and whose replicas are the followers;
 * followers answer writes with {@code -MOVED 0 leader}. Node ids are the SHA-1 of the Raft member
 * id, so every member names every other the same way.
 *
 * <p>A server that is not replicated (non-durable cache mode) answers as a one-node shard whose
 * only member is itself.
 */
public final class ReplicationCommands {
  private ReplicationCommands() {}

  /** Redis Cluster's slot count: every slot belongs to the one shard. */
  public static final int SLOTS = 16384;

  public static List<CommandSpec> specs() {
    return List.of(
        WaitCommand.spec(),
        command("role").arity(1).flags(NOSCRIPT, LOADING, STALE, FAST).group("server").since("2.8.12")
            .summary("Returns the replication role: master (the Raft leader) or slave.")
            .handler(ReplicationCommands::role).build(),
        command("cluster").arity(-2).group("cluster").since("3.0.0")
            .summary("A container for Redis Cluster commands: Kaiware emulates one shard whose master is the Raft leader.")
            .subcommand(command("info").arity(2).flags(LOADING, STALE).since("3.0.0")
                .summary("Returns information about the state of the (emulated) cluster.")
                .handler(ReplicationCommands::clusterInfo))
            .subcommand(command("myid").arity(2).flags(LOADING, STALE).since("3.0.0")
                .summary("Returns this node's id: the SHA-1 of its Raft member id.")
                .handler(ctx -> ctx.reply().bulk(clusterId(nodeId(ctx)))))
            .subcommand(command("slots").arity(2).flags(LOADING, STALE).since("3.0.0").complexity("O(N) where N is the number of members")
                .summary("Returns the mapping of slots to nodes: every slot to the leader, with the followers as replicas.")
                .handler(ReplicationCommands::clusterSlots))
            .subcommand(command("shards").arity(2).flags(LOADING, STALE).since("7.0.0").complexity("O(N) where N is the number of members")
                .summary("Returns the one shard: all slots, the leader and the followers.")
                .handler(ReplicationCommands::clusterShards))
            .subcommand(command("nodes").arity(2).flags(LOADING, STALE).since("3.0.0").complexity("O(N) where N is the number of members")
                .summary("Returns the cluster configuration in Redis's CLUSTER NODES format.")
                .handler(ctx -> ctx.reply().bulk(clusterNodes(ctx))))
            .subcommand(command("keyslot").arity(3).flags(STALE).since("3.0.0").complexity("O(N) where N is the number of bytes in the key")
                .summary("Returns the hash slot of a key (CRC16 like Redis Cluster; every slot is on the same shard).")
                .handler(ctx -> ctx.reply().integer(keySlot(ctx.arg(2)))))
            .subcommand(command("help").arity(2).flags(LOADING, STALE).since("5.0.0")
                .summary("Shows helpful text about the different subcommands.")
                .handler(ctx -> Help.reply(ctx, "CLUSTER",
                    "INFO", "    State of the emulated cluster (ok while a leader is known).",
                    "MYID", "    This node's id.",
                    "SLOTS | SHARDS | NODES", "    One shard with all slots: the Raft leader as master, followers as replicas.",
                    "KEYSLOT <key>", "    The hash slot of <key>.")))
            .build(),
        command("raft").arity(-2).group("server").since("0.1.0")
            .summary("Inspects and changes the Raft group: INFO, ADD, REMOVE, TRANSFER, SNAPSHOT.")
            .subcommand(command("info").arity(2).flags(LOADING, STALE).since("0.1.0")
                .summary("Returns this member's Raft state: id, role, term, leader, indexes and members.")
                .handler(ReplicationCommands::raftInfo))
            .subcommand(command("add").arity(-4).flags(ADMIN, NO_MULTI, NOSCRIPT).since("0.1.0").complexity("One configuration change")
                .summary("RAFT ADD <id> <raft-host:port> [LISTENER]: adds a member (started with --raft-join yes); "
                    + "LISTENER adds it as a non-voting listener, to promote later with RAFT ADD without LISTENER.")
                .handler(ReplicationCommands::raftAdd))
            .subcommand(command("remove").arity(3).flags(ADMIN, NO_MULTI, NOSCRIPT).since("0.1.0").complexity("One configuration change")
                .summary("RAFT REMOVE <id>: removes a member from the group.")
                .handler(ctx -> defer(ctx, view(ctx).removeMember(ctx.argString(2)).thenApply(v -> RespWriter::ok))))
            .subcommand(command("transfer").arity(3).flags(ADMIN, NO_MULTI, NOSCRIPT).since("0.1.0")
                .summary("RAFT TRANSFER <id>: hands leadership to member <id> (on the leader).")
                .handler(ctx -> defer(ctx, view(ctx).transferLeadership(ctx.argString(2)).thenApply(v -> RespWriter::ok))))
            .subcommand(command("snapshot").arity(2).flags(ADMIN, NO_MULTI, NOSCRIPT).since("0.1.0").complexity("O(N) where N is the number of keys")
                .summary("Takes a snapshot now and truncates the log behind it; replies with its log index.")
                .handler(ctx -> defer(ctx, view(ctx).snapshot().thenApply(index -> w -> w.integer(index)))))
            .subcommand(command("help").arity(2).flags(LOADING, STALE).since("0.1.0")
                .summary("Shows helpful text about the different subcommands.")
                .handler(ctx -> Help.reply(ctx, "RAFT",
                    "INFO", "    This member's role, term, leader, commit and applied indexes, members.",
                    "ADD <id> <raft-host:port> [LISTENER]", "    Add a member (LISTENER: non-voting until added again without it).",
                    "REMOVE <id>", "    Remove a member.",
                    "TRANSFER <id>", "    Hand leadership to <id>.",
                    "SNAPSHOT", "    Take a snapshot now.")))
            .build());
  }

  // ---------------------------------------------------------------- helpers

  private static ReplicationView view(CommandContext ctx) {
    ReplicationView view = ctx.server() == null ? null : ctx.server().replication();
    if (view == null) {
      throw new CommandError("ERR this server is not replicated (non-durable-cache mode)");
    }
    return view;
  }

  private static void defer(CommandContext ctx, CompletableFuture<Consumer<RespWriter>> reply) {
    ctx.session().deferReply(reply);
  }

  /** The Raft member id, or "self" on a server that is not replicated. */
  private static String nodeId(CommandContext ctx) {
    ReplicationView view = ctx.server() == null ? null : ctx.server().replication();
    return view == null ? "self" : view.nodeId();
  }

  /** Redis Cluster's 40-hex-digit node id of a Raft member id. */
  public static String clusterId(String memberId) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-1").digest(("kaiware-node:" + memberId).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One member as the cluster commands show it. */
  record Node(String memberId, String host, int port, boolean master, boolean myself, long offset) {}

  /** The members with a known client address: the leader first (when known), then the others by id. */
  static List<Node> nodes(CommandContext ctx) {
    ReplicationView view = ctx.server() == null ? null : ctx.server().replication();
    List<Node> nodes = new ArrayList<>();
    if (view == null) {
      int port = ctx.server() == null ? 0 : ctx.server().boundPort();
      nodes.add(new Node("self", localHost(ctx), port, true, true, 0));
      return nodes;
    }
    String leader = view.leaderId();
    Map<String, Long> match = view.followerMatchIndexes();
    List<String> ids = new ArrayList<>(view.members().keySet());
    ids.sort(null);
    if (leader != null && ids.remove(leader)) {
      ids.add(0, leader);
    }
    for (String id : ids) {
      String address = view.clientAddressOf(id);
      if (address == null) {
        continue;
      }
      int colon = address.lastIndexOf(':');
      boolean myself = id.equals(view.nodeId());
      long offset = myself ? view.appliedIndex() : match.getOrDefault(id, id.equals(leader) ? view.commitIndex() : 0L);
      nodes.add(new Node(id, address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), id.equals(leader),
          myself, offset));
    }
    return nodes;
  }

  private static String localHost(CommandContext ctx) {
    String local = ctx.session().localAddress();
    int colon = local.lastIndexOf(':');
    return colon > 0 ? local.substring(0, colon) : "127.0.0.1";
  }

  private static boolean hasMaster(List<Node> nodes) {
    return !nodes.isEmpty() && nodes.get(0).master();
  }

  // ---------------------------------------------------------------- ROLE

  private static void role(CommandContext ctx) {
    RespWriter out = ctx.reply();
    ReplicaRole following = ctx.dispatcher().replicaRole();
    ReplicaRole.Master master = following.master();
    if (master != null) {
      // A replica of a Redis master, as Redis answers: host, port, link state, offset (-1 before the copy).
      out.arrayHeader(5);
      out.bulk("slave");
      out.bulk(master.host());
      out.integer(master.port());
      out.bulk(following.linkState().redisName());
      out.integer(following.linkUp() ? following.offset() : -1);
      return;
    }
    ReplicationView view = ctx.server() == null ? null : ctx.server().replication();
    if (view == null || view.isReadyLeader()) {
      List<Node> replicas = view == null ? List.of() : nodes(ctx).stream().filter(n -> !n.master()).toList();
      out.arrayHeader(3);
      out.bulk("master");
      out.integer(view == null ? 0 : view.appliedIndex());
      out.arrayHeader(replicas.size());
      for (Node n : replicas) {
        out.arrayHeader(3);
        out.bulk(n.host());
        out.bulk(Integer.toString(n.port()));
        out.bulk(Long.toString(n.offset()));
      }
      return;
    }
    String leaderAddress = view.clientAddressOf(view.leaderId());
    out.arrayHeader(5);
    out.bulk("slave");
    if (leaderAddress == null || view.leaderId().equals(view.nodeId())) {
      out.bulk("?");
      out.integer(0);
      out.bulk("connect");
    } else {
      int colon = leaderAddress.lastIndexOf(':');
      out.bulk(leaderAddress.substring(0, colon));
      out.integer(Integer.parseInt(leaderAddress.substring(colon + 1)));
      out.bulk("connected");
    }
    out.integer(view.appliedIndex());
  }

  // ---------------------------------------------------------------- CLUSTER

  private static void clusterInfo(CommandContext ctx) {
    List<Node> nodes = nodes(ctx);
    ReplicationView view = ctx.server() == null ? null : ctx.server().replication();
    boolean ok = hasMaster(nodes);
    long epoch = view == null ? 0 : Math.max(0, view.term());
    StringBuilder sb = new StringBuilder();
    line(sb, "cluster_state", ok ? "ok" : "fail");
    line(sb, "cluster_slots_assigned", ok ? SLOTS : 0);
    line(sb, "cluster_slots_ok", ok ? SLOTS : 0);
    line(sb, "cluster_slots_pfail", 0);
    line(sb, "cluster_slots_fail", 0);
    line(sb, "cluster_known_nodes", view == null ? 1 : view.members().size());
    line(sb, "cluster_size", ok ? 1 : 0);
    line(sb, "cluster_current_epoch", epoch);
    line(sb, "cluster_my_epoch", epoch);
    line(sb, "cluster_stats_messages_sent", 0);
    line(sb, "cluster_stats_messages_received", 0);
    line(sb, "total_cluster_links_buffer_limit_exceeded", 0);
    ctx.reply().verbatim("txt", sb.toString());
  }

  private static void line(StringBuilder sb, String key, Object value) {
    sb.append(key).append(':').append(value).append("\r\n");
  }

  private static void clusterSlots(CommandContext ctx) {
    List<Node> nodes = nodes(ctx);
    RespWriter out = ctx.reply();
    if (!hasMaster(nodes)) {
      out.arrayHeader(0);
      return;
    }
    out.arrayHeader(1);
    out.arrayHeader(2 + nodes.size());
    out.integer(0);
    out.integer(SLOTS - 1);
    for (Node n : nodes) {
      out.arrayHeader(4);
      out.bulk(n.host());
      out.integer(n.port());
      out.bulk(clusterId(n.memberId()));
      out.arrayHeader(0);
    }
  }

  private static void clusterShards(CommandContext ctx) {
    List<Node> nodes = nodes(ctx);
    RespWriter out = ctx.reply();
    out.arrayHeader(1);
    out.mapHeader(2);
    out.bulk("slots");
    if (hasMaster(nodes)) {
      out.arrayHeader(2);
      out.integer(0);
      out.integer(SLOTS - 1);
    } else {
      out.arrayHeader(0);
    }
    out.bulk("nodes");
    out.arrayHeader(nodes.size());
    for (Node n : nodes) {
      out.mapHeader(7);
      out.bulk("id");
      out.bulk(clusterId(n.memberId()));
      out.bulk("port");
      out.integer(n.port());
      out.bulk("ip");
      out.bulk(n.host());
      out.bulk("endpoint");
      out.bulk(n.host());
      out.bulk("role");
      out.bulk(n.master() ? "master" : "replica");
      out.bulk("replication-offset");
      out.integer(n.offset());
      out.bulk("health");
      out.bulk("online");
    }
  }

  static String clusterNodes(CommandContext ctx) {
    List<Node> nodes = nodes(ctx);
    ReplicationView view = ctx.server() == null ? null : ctx.server().replication();
    long epoch = view == null ? 0 : Math.max(0, view.term());
    String masterId = hasMaster(nodes) ? clusterId(nodes.get(0).memberId()) : null;
    StringBuilder sb = new StringBuilder();
    for (Node n : nodes) {
      sb.append(clusterId(n.memberId())).append(' ')
          .append(n.host()).append(':').append(n.port()).append('@').append(n.port() + 10000).append(' ')
          .append(n.myself() ? "myself," : "").append(n.master() ? "master" : "slave").append(' ')
          .append(n.master() || masterId == null ? "-" : masterId).append(" 0 0 ").append(epoch).append(" connected");
      if (n.master()) {
        sb.append(" 0-").append(SLOTS - 1);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Redis Cluster's key slot: CRC16 (XMODEM) of the key or its {hash tag}, mod 16384. */
  public static int keySlot(byte[] key) {
    int start = 0;
    int end = key.length;
    for (int i = 0; i < key.length; i++) {
      if (key[i] == '{') {
        for (int j = i + 1; j < key.length; j++) {
          if (key[j] == '}') {
            if (j > i + 1) {
              start = i + 1;
              end = j;
            }
            break;
          }
        }
        break;
      }
    }
    int crc = 0;
    for (int i = start; i < end; i++) {
      crc ^= (key[i] & 0xff) << 8;
      for (int b = 0; b < 8; b++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      crc &= 0xffff;
    }
    return crc & (SLOTS - 1);
  }

  // ---------------------------------------------------------------- RAFT

  private static void raftInfo(CommandContext ctx) {
    ReplicationView view = view(ctx);
    StringBuilder sb = new StringBuilder();
    line(sb, "raft_node", view.nodeId());
    line(sb, "raft_role", view.role().toLowerCase(java.util.Locale.ROOT));
    line(sb, "raft_leader_ready", view.isReadyLeader() ? 1 : 0);
    line(sb, "raft_term", view.term());
    String leader = view.leaderId();
    line(sb, "raft_leader", leader == null ? "" : leader);
    String leaderAddress = view.clientAddressOf(leader);
    line(sb, "raft_leader_client_address", leaderAddress == null ? "" : leaderAddress);
    line(sb, "raft_commit_index", view.commitIndex());
    line(sb, "raft_applied_index", view.appliedIndex());
    line(sb, "raft_log_time_ms", view.logTimeMs());
    line(sb, "raft_read_consistency", view.readConsistency());
    Map<String, Long> match = view.followerMatchIndexes();
    int i = 0;
    for (Map.Entry<String, String> m : view.members().entrySet()) {
      String client = view.clientAddressOf(m.getKey());
      sb.append("member").append(i++).append(":id=").append(m.getKey())
          .append(",raft=").append(m.getValue())
          .append(",client=").append(client == null ? "" : client)
          .append(",voting=").append(view.isListener(m.getKey()) ? 0 : 1);
      if (match.containsKey(m.getKey())) {
        sb.append(",match_index=").append(match.get(m.getKey()));
      }
      sb.append("\r\n");
    }
    ctx.reply().verbatim("txt", sb.toString());
  }

  private static void raftAdd(CommandContext ctx) {
    boolean listener = false;
    if (ctx.argc() == 5) {
      if (!ctx.argIs(4, "LISTENER")) {
        throw new CommandError("ERR syntax error");
      }
      listener = true;
    } else if (ctx.argc() > 5) {
      throw new CommandError("ERR syntax error");
    }
    String address = ctx.argString(3);
    if (address.lastIndexOf(':') <= 0) {
      throw new CommandError("ERR the Raft address must be host:port");
    }
    defer(ctx, view(ctx).addMember(ctx.argString(2), address, listener).thenApply(v -> RespWriter::ok));
  }
}

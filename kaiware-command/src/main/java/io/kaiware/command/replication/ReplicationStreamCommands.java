package io.kaiware.command.replication;

import static io.kaiware.command.CommandFlag.ADMIN;
import static io.kaiware.command.CommandFlag.ALLOW_BUSY;
import static io.kaiware.command.CommandFlag.LOADING;
import static io.kaiware.command.CommandFlag.NOSCRIPT;
import static io.kaiware.command.CommandFlag.NO_MULTI;
import static io.kaiware.command.CommandFlag.STALE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.ClientSession;
import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.Propagation;
import io.kaiware.command.ServerHooks;
import io.kaiware.engine.RdbWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SYNC, PSYNC and REPLCONF: Redis's replica handshake, answered with a full copy and then the
 * member's replication stream ({@link Propagation}).
 *
 * <p>The copy is an RDB of the dataset as this member holds it when the command runs
 * ({@link RdbWriter}): cut on the engine thread, written on another, so the stream that follows
 * starts exactly after it and the engine pays only for the cut. PSYNC always answers
 * {@code +FULLRESYNC}: there is no backlog to continue from. The client is then a replica: nothing
 * it sends is answered (REPLCONF ACK, PING), and the member sends PING every
 * {@code repl-ping-replica-period} seconds. This member's own replication is Raft and does not
 * change: a SYNC client is an observer, never a member.
 */
public final class ReplicationStreamCommands {
  private ReplicationStreamCommands() {}

  private static final Logger log = LoggerFactory.getLogger(ReplicationStreamCommands.class);

  public static List<CommandSpec> specs() {
    return List.of(
        command("sync").arity(1).flags(ADMIN, NOSCRIPT, NO_MULTI).group("server").since("1.0.0")
            .summary("Sends an RDB copy of the dataset, then every write this member applies (Redis's replication stream).")
            .handler(ctx -> attach(ctx, false)).build(),
        command("psync").arity(-3).flags(ADMIN, NOSCRIPT, NO_MULTI).group("server").since("2.8.0")
            .summary("As SYNC, after +FULLRESYNC <replid> <offset>: a partial resynchronisation is never possible here.")
            .handler(ctx -> attach(ctx, true)).build(),
        command("replicaof").arity(3).flags(ADMIN, NOSCRIPT, STALE).group("server").since("5.0.0")
            .summary("Follows a Redis master (loads its copy, applies its stream, refuses clients' writes) or, with NO ONE, stops.")
            .handler(ReplicationStreamCommands::replicaof).build(),
        command("slaveof").arity(3).flags(ADMIN, NOSCRIPT, STALE).group("server").since("1.0.0")
            .summary("The old name of REPLICAOF.").handler(ReplicationStreamCommands::replicaof).build(),
        command("monitor").arity(1).flags(ADMIN, NOSCRIPT, LOADING, STALE).group("server").since("1.0.0")
            .summary("Streams a line for every command the server runs, as Redis writes them (ADMIN commands excepted).")
            .handler(ReplicationStreamCommands::monitor).build(),
        command("replconf").arity(-1).flags(ADMIN, NOSCRIPT, LOADING, STALE, ALLOW_BUSY).group("server").since("3.0.0")
            .summary("Replica handshake options (listening-port, capa, ip-address, ACK): accepted, OK.")
            .handler(ReplicationStreamCommands::replconf).build());
  }

  /** Writes replicas' copies off the engine thread, one at a time. */
  private static final ExecutorService COPY_WRITER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kaiware-replica-copy");
    t.setDaemon(true);
    return t;
  });

  /**
   * Attaches the client: the cut is taken now, on the engine thread, and the client is attached to
   * the stream at the same instant, so the stream starts exactly after the copy. The copy is written
   * on another thread; until it has been sent, the stream is held back ({@link CopyFirst}).
   */
  private static void attach(CommandContext ctx, boolean psync) {
    Propagation.Sink sink = ctx.server() == null ? null : ctx.server().replicaSink(ctx.session());
    if (sink == null) {
      throw new CommandError("ERR SYNC needs a network connection");
    }
    ClientSession session = ctx.session();
    if (session.replica()) {
      return; // Redis ignores SYNC from a client that is already a replica
    }
    ServerHooks server = ctx.server();
    long startNs = System.nanoTime();
    RdbWriter.Cut cut = RdbWriter.cut(ctx.keyspace(), ctx.nowMs());
    long cutUs = (System.nanoTime() - startNs) / 1000;
    Propagation propagation = ctx.propagation();
    String fullResync = psync ? "+FULLRESYNC " + server.runId() + " " + propagation.offset() + "\r\n" : "";
    CopyFirst held = new CopyFirst(sink);
    session.markReplica();
    session.replicaAck(System.currentTimeMillis());
    propagation.attach(held);
    COPY_WRITER.execute(() -> {
      ByteArrayOutputStream rdb = new ByteArrayOutputStream(1 << 16);
      RdbWriter.Result written;
      try {
        written = RdbWriter.write(cut, rdb);
      } catch (IOException | RuntimeException e) {
        log.error("replica {}: could not write its copy", session.remoteAddress(), e);
        server.onEngineThread(() -> server.kill(session));
        return;
      }
      byte[] header = (fullResync + "$" + rdb.size() + "\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] copy = rdb.toByteArray();
      server.onEngineThread(() -> held.release(header, copy));
      if (written.keysSkipped() > 0) {
        log.warn("replica {}: {} keys of types RDB cannot hold ({}) are not in its copy",
            session.remoteAddress(), written.keysSkipped(), written.skippedTypes());
      }
      log.info("replica {} attached: {} keys in its copy ({} bytes; the engine spent {} us on the cut)",
          session.remoteAddress(), written.keysWritten(), copy.length, cutUs);
    });
  }

  /**
   * A replica's sink while its copy is being written: stream bytes wait here, then go out after
   * the copy, in order. Engine thread only.
   */
  private static final class CopyFirst implements Propagation.Sink {
    private final Propagation.Sink target;
    private List<byte[]> waiting = new ArrayList<>();

    CopyFirst(Propagation.Sink target) {
      this.target = target;
    }

    void release(byte[] header, byte[] copy) {
      target.sendCopy(header);
      target.sendCopy(copy);
      List<byte[]> stream = waiting;
      waiting = null;
      for (byte[] bytes : stream) {
        target.send(bytes);
      }
    }

    @Override
    public void send(byte[] bytes) {
      if (waiting != null) {
        waiting.add(bytes);
      } else {
        target.send(bytes);
      }
    }

    @Override
    public boolean open() {
      return target.open();
    }
  }

  /**
   * MONITOR: from now on the client receives {@link io.kaiware.command.Monitors}' lines on its
   * connection (the replicas' sink, so replica-output-buffer-limit bounds a monitor that does not
   * read, as Redis's replica class limits its monitors). Ignored from a replica or a monitor.
   */
  private static void monitor(CommandContext ctx) {
    ClientSession session = ctx.session();
    if (session.executingQueued()) {
      throw new CommandError("ERR MONITOR isn't allowed for DENY BLOCKING client");
    }
    if (session.replica() || session.monitor()) {
      return;
    }
    Propagation.Sink sink = ctx.server() == null ? null : ctx.server().replicaSink(session);
    if (sink == null) {
      throw new CommandError("ERR MONITOR needs a network connection");
    }
    session.markMonitor();
    ctx.dispatcher().monitors().attach(session, sink);
    ctx.reply().ok();
  }

  /**
   * REPLICAOF host port: this server follows that Redis master — the host's link loads its copy and
   * applies its stream, and clients' writes are refused (READONLY) meanwhile; REPLICAOF NO ONE: a
   * master again, keeping the data. Redis's replies, including {@code +OK Already connected to
   * specified master}. On a Raft group only the leader follows (the host refuses elsewhere): the
   * master's writes reach the other members through the log. The role is this server's own state
   * ({@link ReplicaRole}), never the dataset's; on a member applying the log it changes nothing.
   */
  private static void replicaof(CommandContext ctx) {
    ReplicaRole role = ctx.dispatcher().replicaRole();
    ServerHooks server = ctx.server();
    if (ctx.argIs(1, "NO") && ctx.argIs(2, "ONE")) {
      if (role.following()) {
        ReplicaRole.Master was = role.master();
        role.unfollow();
        ctx.propagation().following(false);
        if (server != null) {
          server.unfollowMaster();
        }
        log.info("MASTER MODE enabled (user request from '{}'), was following {}:{}", ctx.session().remoteAddress(),
            was.host(), was.port());
      }
      ctx.reply().ok();
      return;
    }
    if (ctx.session().replica()) {
      throw new CommandError("ERR Command is not valid when client is a replica.");
    }
    long port;
    try {
      port = Long.parseLong(ctx.argString(2));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new CommandError("ERR Invalid master port");
    }
    String host = ctx.argString(1);
    ReplicaRole.Master current = role.master();
    if (current != null && current.host().equalsIgnoreCase(host) && current.port() == port) {
      ctx.reply().simpleString("OK Already connected to specified master");
      return;
    }
    if (server == null) {
      throw new CommandError("ERR this server cannot connect to a master");
    }
    role.follow(host, (int) port, System.currentTimeMillis());
    String refusal = server.followMaster(role);
    if (refusal != null) {
      role.restore(current);
      throw new CommandError(refusal);
    }
    ctx.propagation().following(true);
    log.info("REPLICAOF {}:{} enabled (user request from '{}')", host, port, ctx.session().remoteAddress());
    ctx.reply().ok();
  }

  /** REPLCONF option value ...: the handshake's options are accepted; ACK (from a replica) is not answered. */
  private static void replconf(CommandContext ctx) {
    if (ctx.argc() % 2 == 0) {
      throw new CommandError(io.kaiware.command.CommandError.SYNTAX);
    }
    if (ctx.argIs(1, "ACK")) {
      ctx.session().replicaAck(System.currentTimeMillis()); // min-replicas-max-lag counts from here
    }
    ctx.reply().ok();
  }
}

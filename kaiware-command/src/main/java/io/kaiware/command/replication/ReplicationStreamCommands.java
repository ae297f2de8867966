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
            .summary("REPLICAOF NO ONE: OK (a member follows no Redis master); REPLICAOF host port is refused: members replicate with Raft.")
            .handler(ReplicationStreamCommands::replicaof).build(),
        command("slaveof").arity(3).flags(ADMIN, NOSCRIPT, STALE).group("server").since("1.0.0")
            .summary("The old name of REPLICAOF.").handler(ReplicationStreamCommands::replicaof).build(),
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
   * REPLICAOF NO ONE is true of every member (none follows a Redis master); following one is not
   * possible: the group's members replicate each other with Raft (RAFT ADD), and a Redis replica
   * can follow a member instead (its own REPLICAOF, answered by PSYNC here).
   */
  private static void replicaof(CommandContext ctx) {
    if (ctx.argIs(1, "NO") && ctx.argIs(2, "ONE")) {
      ctx.reply().simpleString("OK");
      return;
    }
    throw new CommandError("ERR REPLICAOF is not supported: Kaiware members replicate with Raft (RAFT ADD); "
        + "a Redis replica can follow a Kaiware member with REPLICAOF on its side");
  }

  /** REPLCONF option value ...: the handshake's options are accepted; ACK (from a replica) is not answered. */
  private static void replconf(CommandContext ctx) {
    if (ctx.argc() % 2 == 0) {
      throw new CommandError(io.kaiware.command.CommandError.SYNTAX);
    }
    ctx.reply().ok();
  }
}

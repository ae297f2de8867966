package io.kaiware.server;

import io.kaiware.command.Blocking;
import io.kaiware.command.ClientSession;
import io.kaiware.command.CommandFlag;
import io.kaiware.command.CommandSpec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One connection's commands in non-durable cache mode, where they run directly on the engine: at
 * once, except behind a blocking pop that parked the connection ({@link BlockedClients}); requests
 * that arrive meanwhile wait in a backlog and run, in order, after the pop's reply.
 *
 * <p>Engine-thread confined.
 */
final class DirectQueue {

  private final ServerState server;
  private final ClientSession session;
  private final Channel channel;
  private final ArrayDeque<byte[][]> backlog = new ArrayDeque<>();
  /** The parked blocking command, or null. */
  private byte[][] blocked;
  private BlockedClients.Parked parked;
  private boolean released;

  DirectQueue(ServerState server, ClientSession session, Channel channel) {
    this.server = server;
    this.session = session;
    this.channel = channel;
  }

  /** Runs a batch, or queues it behind a parked pop. */
  void offer(List<byte[][]> batch, ByteBuf out, long nowMs) {
    boolean plain = blocked == null && !scriptPending && server.blockedClients().count() == 0;
    for (int i = 0; plain && i < batch.size(); i++) {
      plain = !Blocking.isBlocking(batch.get(i));
    }
    if (plain) {
      server.engine().execute(session, batch, out, nowMs);
      return;
    }
    for (byte[][] request : batch) {
      offer(request, out, nowMs);
      if (session.closeAfterReply()) {
        return;
      }
    }
  }

  /**
   * Runs one request (its reply appended to {@code out}), or queues it behind a parked pop or a
   * script that waits for its task. A script (outside MULTI) runs from a task of its own when the
   * engine thread can poll its channels (io-threads 1): from there, past busy-reply-threshold, it
   * serves the other clients and can be killed (PollableIoHandler); the requests behind it wait in
   * the backlog, and its reply and theirs are written when it ends.
   */
  void offer(byte[][] request, ByteBuf out, long nowMs) {
    if (blocked != null || scriptPending) {
      backlog.addLast(request);
      return;
    }
    if (server.servesClientsWhileBusy() && isScriptRun(request) && !session.transaction().active()) {
      scriptPending = true;
      server.engineLoop().execute(() -> {
        // Still pending while it runs: what a busy script reads from this connection meanwhile
        // (it polls the sockets) queues behind it, and runs after it in wake's drain.
        wake(request, -1, -1, null);
        scriptPending = false;
      });
      return;
    }
    run(request, out, nowMs, -1, -1);
  }

  /** A script posted to its own task is pending: requests behind it wait in the backlog. */
  private boolean scriptPending;

  /** EVAL, EVALSHA, EVAL_RO, EVALSHA_RO (one byte compare for any other command). */
  private boolean isScriptRun(byte[][] request) {
    byte[] name = request[0];
    if (name.length < 4 || name.length > 10 || (name[0] | 0x20) != 'e') {
      return false;
    }
    CommandSpec spec = server.engine().dispatcher().table().lookup(name);
    return spec != null && io.kaiware.command.script.LuaEngine.isScriptRun(spec);
  }

  /** Whether a blocking pop holds this connection. */
  boolean parked() {
    return blocked != null;
  }

  /**
   * Executes {@code request}; a blocking pop that got the timeout reply before its deadline parks
   * instead (its reply removed from {@code out}). {@code deadlineMs} -1 and {@code seq} -1: a
   * first execution.
   */
  private void run(byte[][] request, ByteBuf out, long nowMs, long deadlineMs, long seq) {
    if (!Blocking.isBlocking(request)) {
      server.engine().execute(session, request, out, nowMs);
      if (server.blockedClients().count() > 0 && writes(request)) {
        server.blockedClients().poke();
      }
      return;
    }
    int mark = out.writerIndex();
    session.rerunOfParkedCommand(seq >= 0); // a woken pop's re-run: its call was counted when it parked
    try {
      server.engine().execute(session, request, out, nowMs);
    } finally {
      session.rerunOfParkedCommand(false);
    }
    int length = out.writerIndex() - mark;
    if (length > 5) {
      server.blockedClients().poke(); // it popped: a BLMOVE may have fed a waiter
      return; // not a timeout reply
    }
    byte[] reply = new byte[length];
    out.getBytes(mark, reply);
    if (!Blocking.isTimeoutReply(reply)) {
      return;
    }
    if (deadlineMs < 0) {
      long timeout = Blocking.timeoutMsOf(request);
      if (timeout < 0) {
        return;
      }
      deadlineMs = timeout == 0 ? 0 : nowMs + timeout;
    }
    if (deadlineMs != 0 && nowMs >= deadlineMs) {
      return;
    }
    out.writerIndex(mark);
    BlockedClients clients = server.blockedClients();
    byte[][] retried = seq < 0 ? Blocking.forRetry(request, server.engine().keyspace(), session.db()) : request;
    blocked = retried;
    long deadline = deadlineMs;
    long s = seq < 0 ? clients.nextSeq() : seq;
    parked = new BlockedClients.Parked(s, session.db(), retried, session.protocol(), deadline, session.id(),
        () -> wake(retried, deadline, s, null), answer -> wake(retried, deadline, s, answer));
    clients.park(parked);
  }

  /**
   * Unparks: re-runs the pop ({@code answer} null) or answers it with {@code answer} (timeout,
   * CLIENT UNBLOCK), then runs the backlog until it is empty or parks again, and writes. Also runs
   * a script posted to its task, the same way.
   */
  void wake(byte[][] request, long deadlineMs, long seq, byte[] answer) {
    blocked = null;
    parked = null;
    if (released) {
      return;
    }
    long now = server.clock().millis();
    ByteBuf out = channel.alloc().ioBuffer(256);
    if (answer != null) {
      out.writeBytes(answer);
    } else {
      run(request, out, now, deadlineMs, seq);
    }
    while (blocked == null && !backlog.isEmpty() && !session.closeAfterReply()) {
      run(backlog.pollFirst(), out, now, -1, -1);
    }
    boolean close = session.closeAfterReply();
    if (!out.isReadable()) {
      out.release();
      if (close) {
        channel.close();
      }
      return;
    }
    server.stats().addOutput(out.readableBytes());
    if (close) {
      channel.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.writeAndFlush(out, channel.voidPromise());
    }
  }

  /** Whether {@code request} may change data (a WRITE command, or EXEC): only then may a waiter be served. */
  private boolean writes(byte[][] request) {
    CommandSpec spec = server.engine().dispatcher().table().lookup(request[0]);
    return spec == null || spec.has(CommandFlag.WRITE) || spec.name().equals("exec") || spec.isContainer();
  }

  /** The connection closed: forget the parked pop and the backlog. */
  void release() {
    released = true;
    server.blockedClients().cancel(parked);
    parked = null;
    blocked = null;
    backlog.clear();
  }
}

package io.kaiware.server;

import io.kaiware.command.Blocking;
import io.kaiware.command.ClientSession;
import io.kaiware.command.CommandFlag;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.CommandTable;
import io.kaiware.command.transaction.Transaction;
import io.kaiware.raft.LogEntryCodec.Request;
import io.kaiware.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One connection's commands on a replicated server, in order: some answer at once, some after the
 * log commits them, some after a read barrier — and the replies still leave in request order.
 *
 * <h2>The rule</h2>
 * Each request becomes a slot in a queue. A slot is started only when doing so cannot reorder what
 * the client observes:
 * <ul>
 *   <li>a <b>write</b> (a command flagged WRITE, outside MULTI) may start as soon as every slot
 *       before it is a started write: consecutive writes of a pipeline go to the group-commit
 *       batcher together, and the log keeps their order;</li>
 *   <li>anything else — reads, MULTI/EXEC, SELECT, CLIENT, CONFIG ... — starts only at the head of
 *       the queue, when everything before it has completed, so it sees the effects of this
 *       connection's earlier writes and its session changes apply to later commands only.</li>
 * </ul>
 * Completed slots at the head are appended to the output in order. A pipeline of SETs therefore
 * costs one batch; a SET followed by a GET waits for the SET, as it must.
 *
 * <h2>Kinds of request</h2>
 * <ul>
 *   <li>LOCAL: runs on the engine at once (connection and server commands, queueing inside MULTI,
 *       anything the dispatcher will refuse: unknown command, wrong arity, NOAUTH);</li>
 *   <li>READ: runs on the engine when {@link Replication#read} allows (local, after a barrier, or
 *       redirected);</li>
 *   <li>WRITE: one command through {@code RaftNode.submit};</li>
 *   <li>BLOCK: EXEC of a transaction holding a write: {@code MULTI, queued..., EXEC} as one request,
 *       so the block is atomic in one log entry. A WATCHed transaction is checked against the local
 *       state when EXEC arrives (and aborts if a watched key changed); see ADR 0004 for the window
 *       between that check and the apply.</li>
 *   <li>SCRIPT: EVAL and friends outside MULTI. At the head, on the leader, a script first runs here
 *       as a <em>probe</em> ({@link #probe}, ADR 0006): like a read, until it completes or reaches
 *       its first write — then, nothing changed, it goes to the log like a WRITE. A read-only script
 *       thus costs no entry, and one that runs long before writing can be killed. Behind started
 *       writes a script that may write goes to the log with them, unprobed.</li>
 * </ul>
 *
 * <h2>While a script is busy</h2>
 * A script past busy-reply-threshold serves the other connections from inside its hook
 * ({@link PollableIoHandler}): every request that can start then is LOCAL, so the dispatcher answers
 * BUSY or runs an ALLOW_BUSY command (MULTI, SCRIPT KILL ...) at once; requests behind unfinished
 * slots wait, as always, and start after the script.
 *
 * <h2>Blocking pops</h2>
 * A blocking pop (BLPOP ...) is a write whose slot, once submitted, holds back every slot behind
 * it: nothing after it is submitted until its reply is final. When the log answers it with the
 * timeout reply before its deadline, the slot parks in {@link BlockedClients} instead of
 * completing, and is submitted again when one of its keys may have data (or completes with the
 * timeout reply at its deadline). See {@link BlockedClients} for the design.
 *
 * <h2>Outcomes of a write</h2>
 * Not leader when the write starts: {@code -MOVED 0 leader-host:port} (or {@code -CLUSTERDOWN}); the
 * write was not submitted. A failure after submission — the leader lost leadership or stopped before
 * the reply — is {@code -INDETERMINATE}: the write may or may not commit (a new leader can still
 * commit the entry); a client must not assume either.
 *
 * <h2>Backpressure</h2>
 * Requests are decoded as fast as they arrive, but a write leaves the queue only when the log
 * commits it. So that a client pipelining faster than the log commits (or a leader that has lost
 * its majority and cannot commit at all) cannot grow the queue without bound, the connection stops
 * reading when {@link #PAUSE_READING_AT} requests are unanswered and reads again once they drain to
 * {@link #RESUME_READING_AT}; the client's bytes wait in the socket buffers meanwhile, as they do
 * for a client that does not read its replies.
 *
 * <p>Engine-thread confined. Replies that complete on Ratis threads hop to the engine loop first.
 */
final class ConnectionPipeline {

  /** Error text of a write whose outcome is unknown. */
  static final String INDETERMINATE = "INDETERMINATE the write may or may not have been applied: ";

  private enum Kind { LOCAL, READ, WRITE, BLOCK, SCRIPT }

  private static final class Slot {
    final byte[][] command;
    final long readMark;
    /** {@link Replication#wakeRunMark()} when the request was offered: a read waits for those re-runs. */
    final long wakeMark;
    Kind kind;
    boolean started;
    boolean done;
    /** The reply of a slot that completed while it was not at the head; null when written directly. */
    byte[] reply;
    /** A blocking pop: nothing behind it starts before its reply is final. */
    boolean blocking;
    /** A blocking pop's wall-clock deadline (0 = forever), -1 before its first reply. */
    long deadlineMs = -1;
    /** A blocking pop's reply is suppressed (CLIENT REPLY OFF/SKIP when it was submitted). */
    boolean suppressed;
    /** The command its retries run ({@link Blocking#forRetry}), set when it first parks. */
    byte[][] retryCommand;
    /** While parked: its entry in {@link BlockedClients}. */
    BlockedClients.Parked parked;
    /** A LOCAL command's reply still to come (RAFT ADD, WAIT): cancelled when the connection closes. */
    CompletableFuture<Consumer<RespWriter>> deferred;
    /** While a re-run of this parked pop is unanswered: its number ({@link Replication#wakeRunSubmitted}), else 0. */
    long wakeRun;
    /**
     * A logged transaction block that SELECTs: the database its session is in once EXEC has run
     * (Redis keeps the last SELECT of a transaction), else -1. Nothing behind a block starts before
     * its reply, so the next command already sees it.
     */
    int dbAfterBlock = -1;

    Slot(byte[][] command, long readMark, long wakeMark) {
      this.command = command;
      this.readMark = readMark;
      this.wakeMark = wakeMark;
    }
  }

  private static final byte[] MULTI = "MULTI".getBytes(StandardCharsets.US_ASCII);

  /** Unanswered requests at which the connection stops reading. */
  static final int PAUSE_READING_AT = 4096;
  /** Unanswered requests at which a paused connection reads again. */
  static final int RESUME_READING_AT = 1024;

  /** Told when the connection should stop ({@code true}) or resume ({@code false}) reading. */
  @FunctionalInterface
  interface ReadPause {
    void paused(boolean paused);
  }

  private final ServerState server;
  private final Replication replication;
  private final ClientSession session;
  private final Channel channel;
  private final CommandTable table;
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private final RespWriter errors = new RespWriter();
  /** Replies ready to send, in order. */
  private ByteBuf ready;
  /** A command asked to close the connection (QUIT, CLIENT KILL of itself, a protocol error). */
  private boolean closing;
  /** The client sent EOF: close after the last reply ({@link #answerThenClose}). */
  private boolean inputShut;
  private String protocolError;
  /** The connection is gone: late completions are dropped. */
  private boolean released;
  /** follower-proxy: this connection's link to the leader, opened on first use. */
  private LeaderProxy proxy;
  private final ReadPause readPause;
  private boolean readingPaused;

  ConnectionPipeline(ServerState server, Replication replication, ClientSession session, Channel channel,
      ReadPause readPause) {
    this.server = server;
    this.replication = replication;
    this.session = session;
    this.channel = channel;
    this.readPause = readPause;
    this.table = server.engine().dispatcher().table();
    replication.register(this);
  }

  /** Whether nothing is waiting: every reply so far has been produced. */
  boolean idle() {
    return slots.isEmpty();
  }

  boolean closing() {
    return closing;
  }

  /** Whether the connection closes once every request is answered (after a protocol error, QUIT, or EOF). */
  boolean closesWhenIdle() {
    return closing || inputShut;
  }

  /**
   * The client shut its side down (EOF) after sending its requests: they are still answered, in
   * order, and the connection closes after the last reply, as Redis answers everything it read
   * before the EOF (a write's reply waits for the log). A blocking pop in the queue could wait for
   * ever for a client that can send nothing more; then the connection closes at once instead.
   *
   * @return false when the connection should close now
   */
  boolean answerThenClose() {
    for (Slot s : slots) {
      if (Blocking.isBlocking(s.command)) {
        return false;
      }
    }
    inputShut = true;
    return true;
  }

  /**
   * Takes one decoded request. {@code readMark} is {@link Replication#readMark()} when the bytes
   * of this request arrived (one value for every request of a read).
   */
  void offer(byte[][] command, long readMark) {
    if (closing) {
      return;
    }
    if (slots.isEmpty()) {
      // Fast path: nothing pending, so a request that can answer now writes straight to the output.
      Kind kind = classify(command);
      if (kind == Kind.LOCAL) {
        runLocal(command, null);
        return;
      }
      if (kind == Kind.READ && replication.readableNow(session.readOnlyMode(), readMark)
          && replication.wakeRunsAnsweredThrough(replication.wakeRunMark())) {
        execute(command);
        return;
      }
    }
    slots.addLast(new Slot(command, readMark, replication.wakeRunMark()));
    advance();
  }

  /** A protocol error ends the connection after the replies to everything before it. */
  void offerProtocolError(String error) {
    protocolError = error;
    if (slots.isEmpty()) {
      endWithProtocolError();
    }
  }

  private void endWithProtocolError() {
    errors.target(out(), session.protocol()).error(protocolError);
    protocolError = null;
    closing = true;
  }

  /** The replies produced so far (null when none); the caller writes them. */
  ByteBuf takeReady() {
    ByteBuf b = ready;
    ready = null;
    return b;
  }

  /** Writes what is ready now (after an asynchronous completion), closing when asked to. */
  void flushNow() {
    ByteBuf b = takeReady();
    boolean close = closesWhenIdle() && slots.isEmpty();
    if (b == null) {
      if (close) {
        ClientHandler.closeAfterWrites(channel); // after what an earlier read wrote
      }
      return;
    }
    server.stats().addOutput(b.readableBytes());
    if (close) {
      channel.writeAndFlush(b).addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.writeAndFlush(b, channel.voidPromise());
    }
  }

  /**
   * Leadership was lost: requests not started yet are dropped (they were never executed), the
   * replies of started ones — a write's outcome, RAFT TRANSFER's +OK — are still written, then the
   * connection closes.
   */
  void closeWhenIdle() {
    if (released) {
      return;
    }
    closing = true;
    slots.removeIf(s -> !s.started);
    for (Slot s : slots) {
      if (s.parked != null) {
        // A parked pop answers its timeout reply now: it was never going to be applied here.
        server.blockedClients().cancel(s.parked);
        s.parked = null;
        s.reply = s.suppressed ? null : Blocking.timeoutReply(s.command, session.protocol());
        s.done = true;
      }
    }
    advance();
    if (slots.isEmpty()) {
      flushNow();
    }
  }

  /** Drops everything (the connection closed). */
  void release() {
    if (ready != null) {
      ready.release();
      ready = null;
    }
    for (Slot s : slots) {
      server.blockedClients().cancel(s.parked);
      if (s.deferred != null) {
        s.deferred.cancel(false); // whoever completes it (a WAIT's poller) stops
      }
    }
    slots.clear();
    closing = true;
    released = true;
    replication.unregister(this);
    if (proxy != null) {
      proxy.close();
      proxy = null;
    }
  }

  private ByteBuf out() {
    if (ready == null) {
      ready = channel.alloc().ioBuffer(256);
    }
    return ready;
  }

  // ---------------------------------------------------------------- the queue

  private void advance() {
    advanceQueue();
    int unanswered = slots.size();
    if (!readingPaused && unanswered >= PAUSE_READING_AT) {
      readingPaused = true;
      readPause.paused(true);
    } else if (readingPaused && unanswered <= RESUME_READING_AT) {
      readingPaused = false;
      readPause.paused(false);
    }
  }

  private void advanceQueue() {
    while (!slots.isEmpty()) {
      Slot head = slots.peekFirst();
      if (head.done) {
        slots.pollFirst();
        if (head.reply != null) {
          out().writeBytes(head.reply);
        }
        continue;
      }
      if (!head.started) {
        start(head);
        continue;
      }
      break;
    }
    if (slots.isEmpty()) {
      if (protocolError != null) {
        endWithProtocolError();
      }
      return;
    }
    // Writes behind a pending write go to the batcher now, in order.
    for (Slot s : slots) {
      if (s.started) {
        if (s.kind != Kind.WRITE || (s.blocking && !s.done)) {
          return;
        }
        continue;
      }
      Kind kind = classify(s.command);
      if (kind == Kind.SCRIPT && scriptKind(resolve(s.command), s.command) == Kind.WRITE) {
        kind = Kind.WRITE; // pipelined behind writes: straight to the log with them, no probe
      }
      if (closing || kind != Kind.WRITE) {
        return;
      }
      s.kind = Kind.WRITE;
      s.started = true;
      s.blocking = Blocking.isBlocking(s.command);
      if (!refused(s)) {
        feedMonitors(s.command);
        submit(s, writeRequest(s.command), 0);
      }
      if (s.blocking) {
        return;
      }
    }
  }

  /** Starts the head slot. */
  private void start(Slot slot) {
    slot.started = true;
    if (closing) {
      slot.done = true;
      return;
    }
    slot.kind = classify(slot.command);
    switch (slot.kind) {
      case LOCAL -> runLocal(slot.command, slot);
      case READ -> startRead(slot, false);
      case WRITE -> startWrite(slot);
      case BLOCK -> {
        if (!refused(slot)) {
          submitBlock(slot);
        }
      }
      case SCRIPT -> {
        CommandSpec spec = resolve(slot.command);
        boolean mayWrite = scriptKind(spec, slot.command) == Kind.WRITE;
        if (!replication.node().isLeader()) {
          // Not the leader: a script that may write goes where writes go; a read-only one is a read.
          slot.kind = mayWrite ? Kind.WRITE : Kind.READ;
          if (mayWrite) {
            startWrite(slot);
          } else {
            startRead(slot, false);
          }
          return;
        }
        if (mayWrite && !server.engine().dispatcher().scripts().shouldProbe(slot.command, spec.name().equals("evalsha"))) {
          slot.kind = Kind.WRITE; // its probes keep stopping at a write at once: straight to the log
          startWrite(slot);
          return;
        }
        startRead(slot, true);
      }
    }
  }

  /**
   * A read at the head: now, after a read barrier, or through the follower proxy. {@code script}:
   * the head is a script, run as a probe once the read may run ({@link #probe}).
   */
  private void startRead(Slot slot, boolean script) {
    if (!script && !replication.node().isLeader() && !replication.readableNow(session.readOnlyMode(), slot.readMark)
        && proxyReady()) {
      forward(slot, List.<byte[][]>of(slot.command), false, false);
      return;
    }
    boolean[] synchronous = {true};
    replication.read(session.readOnlyMode(), slot.readMark, slot.wakeMark, new Replication.ReadTicket() {
      @Override
      public void run() {
        if (script) {
          if (probe(slot)) {
            resumeIfAsync();
          } else {
            // It outlasted a moment inside the I/O pass: again from a task, where it can serve others.
            server.engineLoop().execute(() -> {
              if (!released && probe(slot) && !released) {
                advance();
                flushNow();
              }
            });
          }
          return;
        }
        execute(slot.command);
        slot.done = true;
        resumeIfAsync();
      }

      @Override
      public void fail(Throwable error) {
        errors.target(out(), session.protocol()).error(error.getMessage());
        slot.done = true;
        resumeIfAsync();
      }

      private void resumeIfAsync() {
        if (!synchronous[0] && !released) {
          advance();
          flushNow();
        }
      }
    });
    synchronous[0] = false;
  }

  private void startWrite(Slot slot) {
    slot.blocking = Blocking.isBlocking(slot.command);
    if (!refused(slot)) {
      feedMonitors(slot.command);
      submit(slot, writeRequest(slot.command), 0);
    }
  }

  /**
   * Runs a script that reached the head of the queue as a probe (ADR 0006): here, outside the log.
   * It ends one of three ways: it completed (it read, or failed, or was killed, and changed
   * nothing: its reply is final); it stopped at its first write with nothing changed, and goes to
   * the log, which runs it from the start on every member; or, run in line from the I/O pass, it
   * outlasted the first check of its count hook — then nothing happened and this returns false:
   * the caller runs it again from a task, where past busy-reply-threshold it can serve the other
   * clients and be killed (PollableIoHandler). Short scripts, nearly all, never pay that hop.
   */
  private boolean probe(Slot slot) {
    boolean suppressed = session.consumeReplySuppressed();
    ByteBuf buf = channel.alloc().heapBuffer(64);
    ClientSession.ProbeEnd end;
    try {
      session.scriptProbe(true);
      try {
        server.engine().execute(session, slot.command, buf, replication.commandTimeMs());
      } finally {
        session.scriptProbe(false);
      }
      end = session.takeProbeEnd();
      if (end == ClientSession.ProbeEnd.COMPLETED && !suppressed) {
        slot.reply = new byte[buf.readableBytes()];
        buf.readBytes(slot.reply);
      }
    } finally {
      buf.release();
    }
    switch (end) {
      case COMPLETED -> slot.done = true;
      case NEEDS_LOG -> {
        slot.kind = Kind.WRITE; // MONITOR saw it when the probe ran
        if (!refused(slot)) {
          send(slot, writeRequest(slot.command), 0, suppressed);
        }
      }
      case NEEDS_TASK -> {
        if (suppressed) {
          session.skipNextReply(); // consumed for nothing: the run from the task consumes it again
        }
        return false;
      }
    }
    return true;
  }

  /** Runs a LOCAL command now (at the head); a deferred reply (RAFT ADD) keeps its slot pending. */
  private void runLocal(byte[][] command, Slot slot) {
    execute(command);
    CompletableFuture<Consumer<RespWriter>> deferred = session.takeDeferredReply();
    if (deferred != null) {
      Slot s = slot;
      if (s == null) {
        s = new Slot(command, 0, 0);
        s.started = true;
        s.kind = Kind.LOCAL;
        slots.addLast(s);
      }
      Slot pending = s;
      pending.deferred = deferred;
      int protocol = session.protocol();
      deferred.whenComplete((writer, error) -> server.engineLoop().execute(() -> {
        ByteBuf buf = channel.alloc().heapBuffer(64);
        try {
          RespWriter w = new RespWriter(buf, protocol);
          if (error != null) {
            w.error("ERR " + Replication.describe(error));
          } else {
            writer.accept(w);
          }
          pending.reply = new byte[buf.readableBytes()];
          buf.readBytes(pending.reply);
        } finally {
          buf.release();
        }
        pending.done = true;
        if (!released) {
          advance();
          flushNow();
        }
      }));
      return;
    }
    if (slot != null) {
      slot.done = true;
    }
    if (session.closeAfterReply()) {
      closing = true;
    }
  }

  private void execute(byte[][] command) {
    server.engine().execute(session, command, out(), replication.commandTimeMs());
  }

  /**
   * Submits a write. {@code skipLines}: single-line replies to drop before the one the client
   * expects (MULTI's +OK and each +QUEUED of a block).
   */
  private void submit(Slot slot, Request request, int skipLines) {
    boolean suppressed = session.consumeReplySuppressed();
    slot.suppressed = suppressed;
    send(slot, request, skipLines, suppressed);
  }

  private void send(Slot slot, Request request, int skipLines, boolean suppressed) {
    if (!replication.node().isLeader()) {
      if (proxyReady()) {
        forward(slot, request.commands(), true, suppressed);
        return;
      }
      wakeRunAnswered(slot);
      slot.reply = errorBytes(replication.redirect().getMessage());
      slot.done = true;
      return;
    }
    CompletableFuture<byte[]> f = replication.node().submit(request);
    f.whenComplete((bytes, error) -> replication.completeOnEngine(() -> {
      wakeRunAnswered(slot);
      if (error != null) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause() : error;
        slot.reply = errorBytes(INDETERMINATE + Replication.describe(cause));
      } else if (slot.blocking && park(slot, bytes)) {
        return;
      } else {
        // A block's reply starts with MULTI's +OK unless its WATCH guard failed (then it is EXEC's nil).
        boolean ran = skipLines > 0 && bytes.length > 0 && bytes[0] == '+';
        if (ran && slot.dbAfterBlock >= 0) {
          session.setDb(slot.dbAfterBlock);
        }
        if (!suppressed) {
          slot.reply = ran ? stripLines(bytes, skipLines) : bytes;
        }
      }
      slot.done = true;
      replication.touched(this);
    }));
  }

  /**
   * follower-proxy: whether requests can go to the leader through {@link LeaderProxy} now (the
   * setting is on and the leader's client address is known); (re)opens the link when the leader
   * moved. Closing the old link answers its outstanding requests INDETERMINATE: never re-sent.
   */
  private boolean proxyReady() {
    if (!server.config().getBool("follower-proxy")) {
      return false;
    }
    String leader = replication.node().leaderId();
    String address = leader == null || leader.equals(replication.node().id()) ? null : replication.node().clientAddressOf(leader);
    if (address == null) {
      return false;
    }
    if (proxy != null && (!proxy.usable() || !proxy.leaderAddress().equals(address))) {
      proxy.close();
      proxy = null;
    }
    if (proxy == null) {
      proxy = LeaderProxy.open(address, channel.eventLoop(), server.config().get("requirepass"));
    }
    return true;
  }

  /**
   * A new leader is known: a follower-proxy link to another member is closed now, so the requests
   * outstanding on it are answered at once (writes INDETERMINATE, reads CLUSTERDOWN) rather than
   * when that member notices it lost leadership — a frozen one (a stopped process, a stalled VM)
   * holds them until it runs again. The next request opens a link to the new leader.
   */
  void leaderMoved() {
    if (proxy == null) {
      return;
    }
    String leader = replication.node().leaderId();
    if (leader == null) {
      return; // an election: the old leader may win again
    }
    String address = leader.equals(replication.node().id()) ? null : replication.node().clientAddressOf(leader);
    if (!proxy.leaderAddress().equals(address)) {
      proxy.close();
      proxy = null;
    }
  }

  /** Sends a request through the follower proxy; its reply completes {@code slot}. */
  private void forward(Slot slot, List<byte[][]> commands, boolean write, boolean suppressed) {
    proxy.forward(session.db(), session.protocol(), commands, (reply, error, maybeSent) -> replication.completeOnEngine(() -> {
      wakeRunAnswered(slot);
      if (error != null) {
        // Unknown outcome only for a write that may have reached the leader; an unsent one was not applied.
        slot.reply = errorBytes(write && maybeSent ? INDETERMINATE + error
            : "CLUSTERDOWN The cluster is down: " + error);
      } else if (slot.blocking && park(slot, reply)) {
        return;
      } else if (!suppressed) {
        slot.reply = reply;
      }
      slot.done = true;
      replication.touched(this);
    }));
  }

  /**
   * A blocking pop's reply came back: parks the slot when it is the timeout reply and the deadline
   * has not passed (the client sees nothing yet); false when the reply is final.
   */
  private boolean park(Slot slot, byte[] reply) {
    if (released || closing || !Blocking.isTimeoutReply(reply)) {
      return false;
    }
    long now = server.clock().millis();
    if (slot.deadlineMs < 0) {
      long timeout = Blocking.timeoutMsOf(slot.command);
      if (timeout < 0) {
        return false;
      }
      slot.deadlineMs = timeout == 0 ? 0 : now + timeout;
    }
    if (slot.deadlineMs != 0 && now >= slot.deadlineMs) {
      return false;
    }
    BlockedClients clients = server.blockedClients();
    long seq = slot.parked == null ? clients.nextSeq() : slot.parked.seq;
    int db = session.db();
    int protocol = session.protocol();
    if (slot.retryCommand == null) {
      slot.retryCommand = Blocking.forRetry(slot.command, server.engine().keyspace(), db);
    }
    byte[][] command = slot.retryCommand;
    slot.parked = new BlockedClients.Parked(seq, db, command, protocol, slot.deadlineMs, session.id(),
        () -> retry(slot, Request.rerunOf(db, protocol, command)), answer -> unpark(slot, answer));
    clients.park(slot.parked);
    return true;
  }

  /** Submits a parked pop again; an answer that is known at once (not leader) is written now. */
  private void retry(Slot slot, Request request) {
    if (released) {
      return;
    }
    slot.wakeRun = replication.wakeRunSubmitted();
    send(slot, request, 0, slot.suppressed);
    if (slot.done) {
      slot.parked = null;
      advance();
      flushNow();
    }
  }

  /** A re-run of {@code slot} (if one was unanswered) has its answer: reads waiting for it may go on. */
  private void wakeRunAnswered(Slot slot) {
    if (slot.wakeRun != 0) {
      long run = slot.wakeRun;
      slot.wakeRun = 0;
      replication.wakeRunAnswered(run);
    }
  }

  /** Completes a parked slot with {@code reply} (its timeout, or CLIENT UNBLOCK's answer). */
  private void unpark(Slot slot, byte[] reply) {
    slot.parked = null;
    if (released) {
      return;
    }
    slot.reply = slot.suppressed ? null : reply;
    slot.done = true;
    advance();
    flushNow();
  }

  private boolean touched;

  /** Engine loop: true the first time this pipeline is touched in a drain. */
  boolean markTouched() {
    if (touched) {
      return false;
    }
    touched = true;
    return true;
  }

  /** Engine loop: after a drain of completions, writes what became ready. */
  void resume() {
    touched = false;
    // Writes completed: wake waiters now, so their re-runs enter the log before this reply leaves.
    server.blockedClients().poke();
    if (!released) {
      advance();
      flushNow();
    }
  }

  private byte[] errorBytes(String text) {
    ByteBuf buf = channel.alloc().heapBuffer(text.length() + 3);
    try {
      new RespWriter(buf, session.protocol()).error(text);
      byte[] b = new byte[buf.readableBytes()];
      buf.readBytes(b);
      return b;
    } finally {
      buf.release();
    }
  }

  /**
   * Admission (maxmemory, min-replicas-to-write, a read-only replica of a Redis master ...) for what
   * goes to the log without passing the dispatcher here: a write, or EXEC of a block (the
   * dispatcher checks everything else, queueing included).
   */
  private boolean refused(Slot slot) {
    io.kaiware.command.Dispatcher dispatcher = server.engine().dispatcher();
    if (!dispatcher.admissionMayRefuse()) {
      return false; // the usual case: no second command-table lookup per write
    }
    CommandSpec spec = table.lookup(slot.command[0]);
    String error = spec == null ? null : dispatcher.admission(session, spec, slot.command, session.transaction());
    if (error == null) {
      return false;
    }
    slot.reply = errorBytes(error);
    slot.done = true;
    return true;
  }

  /**
   * MONITOR: a write (or a block's commands) is fed where a client sent it, as it goes to the log;
   * the member applying the log does not feed it again ({@link io.kaiware.command.Monitors}).
   */
  private void feedMonitors(byte[][] command) {
    io.kaiware.command.Monitors monitors = server.engine().dispatcher().monitors();
    if (!monitors.active()) {
      return;
    }
    CommandSpec spec = table.lookup(command[0]);
    if (spec != null && !spec.has(CommandFlag.ADMIN)) {
      monitors.feed(session, false, session.db(), command);
    }
  }

  /** EXEC of a transaction with writes: MULTI, the queued commands and EXEC as one request. */
  private void submitBlock(Slot slot) {
    Transaction tx = session.transaction();
    if (!replication.node().isLeader() && tx.watchCount() > 0) {
      // Watches live on this follower; the leader could not check them. Redirect instead.
      tx.discard();
      slot.reply = errorBytes(replication.redirect().getMessage());
      slot.done = true;
      return;
    }
    List<byte[][]> commands = new ArrayList<>(tx.queued().size() + 3);
    if (tx.watchCount() > 0) {
      // The watches held until now (classify checked them); the guard re-checks them at apply time.
      io.kaiware.engine.Keyspace keyspace = server.engine().keyspace();
      long nowMs = replication.commandTimeMs();
      List<byte[]> guard = new ArrayList<>();
      guard.add(io.kaiware.raft.KaiwareStateMachine.WATCH_GUARD);
      for (io.kaiware.engine.Watch w : tx.watches()) {
        int db = 0;
        while (db < keyspace.databaseCount() && keyspace.db(db) != w.db()) {
          db++;
        }
        guard.add(Integer.toString(db).getBytes(StandardCharsets.US_ASCII));
        guard.add(w.key());
        guard.add(io.kaiware.raft.KaiwareStateMachine.watchDigest(keyspace, db, w.key(), nowMs));
      }
      commands.add(guard.toArray(new byte[0][]));
    }
    List<Transaction.Queued> queued = tx.queued();
    for (Transaction.Queued q : queued) {
      feedMonitors(q.args()); // as EXEC runs them, then EXEC itself
    }
    feedMonitors(slot.command);
    io.kaiware.raft.KaiwareStateMachine machine = replication.node().stateMachine();
    for (Transaction.Queued q : queued) {
      if (machine.isNodeLocal(q.args())) {
        // REPLICAOF or CONFIG in the block: they run on this member only, where the block applies.
        commands.add(0, new byte[][] {io.kaiware.raft.KaiwareStateMachine.ORIGIN, machine.originToken()});
        break;
      }
    }
    commands.add(new byte[][] {MULTI});
    for (int i = 0; i < queued.size(); i++) {
      commands.add(forLog(queued.get(i).args(), queued.subList(0, i)));
    }
    commands.add(slot.command);
    int skip = 1 + tx.queued().size();
    int db = session.db();
    int dbAfter = db;
    for (Transaction.Queued q : queued) {
      if (q.spec().name().equals("select")) {
        long index = io.kaiware.command.Numbers.parseLong(q.args()[1]);
        if (index >= 0 && index < server.engine().keyspace().databaseCount()) {
          dbAfter = (int) index; // SELECT's outcome depends on its argument alone
        }
      }
    }
    slot.dbAfterBlock = dbAfter == db ? -1 : dbAfter;
    tx.discard(); // the transaction now lives in the request; this session leaves MULTI as EXEC would
    Request block = new Request(db, session.protocol(), commands);
    submit(slot, scriptsOverMaxmemory(queued) ? block.overMaxmemory() : block, skip);
  }

  /** Drops the first {@code lines} CRLF-terminated single-line replies (+OK, +QUEUED, -ERR ...). */
  static byte[] stripLines(byte[] reply, int lines) {
    int i = 0;
    for (int n = 0; n < lines && i < reply.length; n++) {
      while (i < reply.length - 1 && !(reply[i] == '\r' && reply[i + 1] == '\n')) {
        i++;
      }
      i += 2;
    }
    return java.util.Arrays.copyOfRange(reply, Math.min(i, reply.length), reply.length);
  }

  // ---------------------------------------------------------------- classification

  /** The command's spec (its subcommand's for a container), or null when unknown. */
  private CommandSpec resolve(byte[][] command) {
    CommandSpec spec = table.lookup(command[0]);
    if (spec != null && spec.isContainer() && command.length >= 2) {
      spec = CommandTable.subcommand(spec, command[1]);
    }
    return spec;
  }

  /** What kind of request {@code command} is, given this session's state now. */
  private Kind classify(byte[][] command) {
    if (server.engine().dispatcher().scriptBusy()) {
      return Kind.LOCAL; // served from inside a busy script: BUSY, or an ALLOW_BUSY command, at once
    }
    CommandSpec spec = resolve(command);
    if (spec == null) {
      return Kind.LOCAL;
    }
    if (!spec.arityAccepts(command.length) || (!session.authenticated() && !spec.has(CommandFlag.NO_AUTH))) {
      return Kind.LOCAL; // the dispatcher answers with the error
    }
    Transaction tx = session.transaction();
    if (tx.active()) {
      if (!spec.name().equals("exec") || tx.aborted()) {
        return Kind.LOCAL; // queued (+QUEUED), or DISCARD/MULTI/WATCH errors, or EXECABORT
      }
      boolean writes = false;
      for (Transaction.Queued q : tx.queued()) {
        if (q.spec().has(CommandFlag.WRITE) || scriptKind(q.spec(), q.args()) == Kind.WRITE
            || q.spec().name().equals("evalsha")) {
          writes = true; // an EVALSHA this node cannot resolve still goes to the log, which answers NOSCRIPT
          break;
        }
      }
      if (!writes) {
        return Kind.READ; // a read-only transaction runs locally like any read
      }
      if (tx.watchCount() > 0 && tx.watchedKeyChanged(replication.commandTimeMs())) {
        return Kind.LOCAL; // EXEC aborts locally (nil), exactly as without replication
      }
      return Kind.BLOCK;
    }
    if (spec.has(CommandFlag.WRITE) || Blocking.isBlocking(command)) {
      return Kind.WRITE; // XREAD with BLOCK too: through the log, so that it parks like a blocking pop
    }
    if (io.kaiware.command.script.LuaEngine.isScriptRun(spec)) {
      // Any script that runs: at the head of the queue it runs as a probe first (start).
      return scriptKind(spec, command) == Kind.LOCAL ? Kind.LOCAL : Kind.SCRIPT;
    }
    if (spec.has(CommandFlag.READONLY) || spec.name().equals("watch")) {
      return Kind.READ;
    }
    return scriptKind(spec, command);
  }

  // ---------------------------------------------------------------- scripts (ADR 0006)

  private static final byte[] EVAL = "EVAL".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVALSHA = "evalsha".getBytes(StandardCharsets.US_ASCII);

  /**
   * How a command neither WRITE nor READONLY travels if it is a scripting one (LOCAL otherwise):
   * EVAL and EVALSHA through the log like writes (every replica runs the script) — unless the
   * script declares {@code #!lua flags=no-writes}: then it runs here like a read; SCRIPT LOAD and
   * SCRIPT FLUSH through the log too, so every replica's cache follows. An EVALSHA whose script
   * this node does not know is answered NOSCRIPT here (LOCAL).
   */
  private Kind scriptKind(CommandSpec spec, byte[][] command) {
    if (!"scripting".equals(spec.group())) {
      return Kind.LOCAL;
    }
    switch (spec.name()) {
      case "eval":
        return io.kaiware.command.script.LuaEngine.declaresNoWrites(command[1]) ? Kind.READ : Kind.WRITE;
      case "eval_ro":
        return Kind.READ; // they run here, refusing writes
      case "evalsha", "evalsha_ro": {
        io.kaiware.command.script.LuaEngine.Script script = server.engine().dispatcher().scripts().cached(command[1]);
        return script == null ? Kind.LOCAL : script.readOnly() || spec.name().equals("evalsha_ro") ? Kind.READ : Kind.WRITE;
      }
      case "script|load", "script|flush":
        return Kind.WRITE;
      default:
        return Kind.LOCAL;
    }
  }

  /** The request of a write: the command as {@link #forLog} has it, with the maxmemory mark a script needs. */
  private Request writeRequest(byte[][] command) {
    byte[][] forLog = forLog(command, List.of());
    if (server.engine().dispatcher().memoryLimit().enabled() && isScript(command) && server.engine().dispatcher().memoryLimit().exceeded()) {
      return Request.of(session.db(), session.protocol(), forLog).overMaxmemory();
    }
    return Request.of(session.db(), session.protocol(), forLog);
  }

  /**
   * Whether a block holding {@code queued} needs the maxmemory mark: the server is over maxmemory
   * and the block runs a script. The node that receives a script decides Redis's "OOM when the
   * script started" for it, and the mark carries the decision to every replica (which never looks
   * at its own memory: ADR 0003), so a script refuses its first write that may grow memory, or a
   * shebang script without allow-oom refuses to start, identically everywhere.
   */
  private boolean scriptsOverMaxmemory(List<Transaction.Queued> queued) {
    io.kaiware.command.MemoryLimit limit = server.engine().dispatcher().memoryLimit();
    if (!limit.enabled()) {
      return false;
    }
    for (Transaction.Queued q : queued) {
      if (isScript(q.args())) {
        return limit.exceeded();
      }
    }
    return false;
  }

  private boolean isScript(byte[][] command) {
    CommandSpec spec = table.lookup(command[0]);
    return spec != null && "scripting".equals(spec.group()) && (spec.name().equals("eval") || spec.name().equals("evalsha"));
  }

  /**
   * What goes to the log for {@code command}: an EVALSHA becomes the EVAL of its script body, so
   * that no entry depends on a replica's script cache; {@code before} are the commands queued
   * before it in the same MULTI block (a SCRIPT LOAD there defines it too). Any other command, or
   * an EVALSHA nobody here knows (the log answers NOSCRIPT), as it is. One byte compare for a
   * write that is not an EVALSHA.
   */
  private byte[][] forLog(byte[][] command, List<Transaction.Queued> before) {
    byte[] name = command[0];
    if (name.length != EVALSHA.length || (name[0] | 0x20) != 'e' || !CommandTable.equalsIgnoreCase(EVALSHA, name)
        || command.length < 2) {
      return command;
    }
    io.kaiware.command.script.LuaEngine.Script script = server.engine().dispatcher().scripts().cached(command[1]);
    byte[] body = script == null ? null : script.body();
    if (body == null) {
      String sha = new String(command[1], StandardCharsets.ISO_8859_1);
      for (Transaction.Queued q : before) {
        if (q.spec().name().equals("script|load") && q.args().length == 3
            && io.kaiware.command.script.LuaEngine.sha1hex(q.args()[2]).equalsIgnoreCase(sha)) {
          body = q.args()[2];
        }
      }
    }
    if (body == null) {
      return command;
    }
    byte[][] eval = command.clone();
    eval[0] = EVAL;
    eval[1] = body;
    return eval;
  }
}

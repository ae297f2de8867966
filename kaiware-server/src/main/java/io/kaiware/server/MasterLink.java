package io.kaiware.server;

import io.kaiware.command.ClientSession;
import io.kaiware.command.CommandFlag;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.CommandTable;
import io.kaiware.command.config.ServerConfig;
import io.kaiware.command.replication.ReplicaRole;
import io.kaiware.command.replication.ReplicaRole.LinkState;
import io.kaiware.engine.RdbFileReader;
import io.kaiware.engine.RdbWriter;
import io.kaiware.raft.KaiwareStateMachine;
import io.kaiware.raft.LogEntryCodec.Request;
import io.kaiware.raft.NotLeaderException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Following a Redis master (REPLICAOF host port): the way a dataset moves from Redis into Kaiware
 * with the service up — follow, let clients read, then REPLICAOF NO ONE and point the writers here.
 *
 * <h2>The link</h2>
 * Redis's replica handshake, from the replica's side (replication.c, syncWithMaster): AUTH when
 * {@code masterauth} is set, PING, REPLCONF listening-port and capa psync2, then {@code PSYNC ? -1}
 * the first time. The master answers {@code +FULLRESYNC <replid> <offset>} and sends its RDB as one bulk
 * ({@code $<length>}, then the bytes; bare newlines before it are its keep-alives — EOF-marked
 * diskless copies are not announced, so never sent). Then its stream: every write it applies, as
 * commands, with a PING every {@code repl-ping-replica-period} and {@code REPLCONF GETACK} when a
 * client WAITs. The offset (INFO's slave_repl_offset) counts the stream's bytes applied; it is sent
 * back as {@code REPLCONF ACK} every second and on GETACK.
 *
 * <h2>Applying</h2>
 * What the master sends is applied as this server applies clients' writes: through the Raft log on
 * a replicated group (requests marked {@link KaiwareStateMachine#FROM_MASTER}, so every member
 * applies them, they pass no admission check, and this member relays them to its own SYNC
 * replicas), on the engine thread otherwise, with a session marked as the master's. The copy
 * becomes {@code FLUSHALL}, then {@code RESTORE key <expiry> <payload> REPLACE ABSTTL} per key — the
 * values decoded by {@link RdbFileReader} and written back in DUMP's format —, in requests of at
 * most ~1 MB applied as the copy is read: clients see the copy arrive (Redis answers -LOADING
 * instead), and a copy found malformed half-way leaves what was loaded until the retry. The stream goes in
 * batches of what arrived together, a MULTI ... EXEC never split, each batch applied before the
 * next is read, so the order is the master's. Commands that change no data (PING, PUBLISH) are not
 * applied.
 *
 * <h2>Failures</h2>
 * An error, the master closing the link, or {@code repl-timeout} seconds without a byte from it,
 * closes the link; it is retried every second for as long as this server follows the same
 * master: with {@code PSYNC <replid> <offset+1>} when the link broke while reading — everything
 * read before was applied, so the master's backlog can resume the stream ({@code +CONTINUE}) — and
 * with a full copy after an apply failed (what it submitted may still commit, so the offset is no
 * longer exact) or when the master cannot continue. On a replicated group only the leader follows: when this member stops
 * leading (noticed within a second, or at its next append), it stops following (the new leader is
 * a master; REPLICAOF there follows again).
 *
 * <p>One thread per link, blocking I/O: the link is one connection and its throughput is bounded
 * by applying, not by reading.
 */
final class MasterLink {

  private static final Logger log = LoggerFactory.getLogger(MasterLink.class);

  /** A request of the copy or of the stream stops growing past this many bytes of arguments. */
  static final int BATCH_BYTES = 1 << 20;
  /** ... or this many commands. */
  static final int BATCH_COMMANDS = 1000;
  /** The largest copy held: one Java array. */
  static final long MAX_COPY_BYTES = Integer.MAX_VALUE - 64;
  private static final long RETRY_MS = 1000;
  private static final long ACK_PERIOD_MS = 1000;
  private static final int CONNECT_TIMEOUT_MS = 5000;

  /** Commands of the master's stream that are applied besides writes. */
  private static final Set<String> APPLIED_CONTROL = Set.of("select", "multi", "exec", "eval", "script|load", "script|flush");

  private static final byte[] FLUSHALL = ascii("FLUSHALL");
  private static final byte[] SELECT = ascii("SELECT");
  private static final byte[] RESTORE = ascii("RESTORE");
  private static final byte[] REPLACE = ascii("REPLACE");
  private static final byte[] ABSTTL = ascii("ABSTTL");

  private final ServerState server;
  private final ReplicaRole role;
  private final ReplicaRole.Master master;
  private final CommandTable table;
  /** The master's session on the engine when not replicated; each batch sets its starting database. */
  private final ClientSession masterSession;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile Socket socket;
  private final Object writeLock = new Object();
  private volatile OutputStream out;
  /** The master's offset that the applied bytes count from (its +FULLRESYNC, or ours at +CONTINUE). */
  private long baseOffset;
  /**
   * The master's replication id (+FULLRESYNC, +CONTINUE), for a partial resynchronisation after the
   * link breaks; null before the first copy.
   */
  private String replId;
  /**
   * Whether an apply failed (timed out, lost leadership ...) since the last copy: whatever it
   * submitted may still be applied, so the offset no longer says exactly what was, and only a
   * full copy is safe. A link that broke while reading may continue (PSYNC replid offset).
   */
  private boolean applyFailed;
  /** The database the next request starts in (the master's last SELECT). */
  private int db;
  private int errorsLogged;
  private String lastFailure;

  MasterLink(ServerState server, ReplicaRole role) {
    this.server = server;
    this.role = role;
    this.master = role.master();
    this.table = server.engine().dispatcher().table();
    this.masterSession = new ClientSession(master.host() + ":" + master.port(), "master-link", System.currentTimeMillis(), true);
    masterSession.fromMaster(true);
    this.thread = new Thread(this::run, "kaiware-master-link");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Closes the link; its thread ends without applying anything more. Any thread. */
  void stop() {
    stopped = true;
    closeSocket();
    thread.interrupt();
  }

  private boolean current() {
    return !stopped && role.master() == master;
  }

  /** Whether this server may append the master's commands: not replicated, or the Raft leader. */
  private boolean leading() {
    Replication replication = server.replicationOrNull();
    return replication == null || replication.node().isLeader();
  }

  private void run() {
    log.info("Connecting to MASTER {}:{}", master.host(), master.port());
    while (current()) {
      try {
        follow();
      } catch (LeadershipLost e) {
        log.warn("following {}:{} ends: this member is no longer the Raft leader", master.host(), master.port());
        server.onEngineThread(() -> {
          if (role.master() == master) {
            role.unfollow();
            server.engine().dispatcher().propagation().following(false);
          }
        });
        return;
      } catch (IOException | RuntimeException e) {
        if (current()) {
          // Retried every second: the same failure again is logged at debug only.
          String failure = e.toString();
          if (failure.equals(lastFailure)) {
            log.debug("link with MASTER {}:{} lost again: {}", master.host(), master.port(), failure);
          } else {
            log.warn("link with MASTER {}:{} lost: {} (retrying every second)", master.host(), master.port(), failure);
          }
          lastFailure = failure;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        closeSocket();
        role.linkState(LinkState.CONNECT, System.currentTimeMillis());
      }
      try {
        Thread.sleep(RETRY_MS);
      } catch (InterruptedException e) {
        break;
      }
    }
  }

  /** One connection: handshake, copy, stream — until something fails or the link is stopped. */
  private void follow() throws IOException, InterruptedException, LeadershipLost {
    if (!leading()) {
      throw new LeadershipLost();
    }
    ServerConfig config = server.config();
    long timeoutMs = config.getLong("repl-timeout") * 1000;
    role.linkState(LinkState.CONNECTING, System.currentTimeMillis());
    Socket s = new Socket();
    socket = s;
    if (stopped) {
      closeSocket();
      return;
    }
    s.connect(new InetSocketAddress(master.host(), master.port()), CONNECT_TIMEOUT_MS);
    s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs));
    s.setTcpNoDelay(true);
    out = new BufferedOutputStream(s.getOutputStream());
    Reader in = new Reader(new BufferedInputStream(s.getInputStream(), 1 << 16));

    String user = config.get("masteruser");
    String password = config.get("masterauth");
    if (!password.isEmpty()) {
      if (user.isEmpty()) {
        send("AUTH", password);
      } else {
        send("AUTH", user, password);
      }
      String auth = in.reply();
      if (!auth.startsWith("+")) {
        throw new IOException("master refused AUTH: " + auth.substring(1));
      }
    }
    send("PING");
    String pong = in.reply();
    if (pong.startsWith("-")) {
      throw new IOException("master refused PING: " + pong.substring(1)); // NOAUTH: masterauth needed
    }
    send("REPLCONF", "listening-port", Integer.toString(server.boundPort()));
    in.reply(); // errors ignored, as Redis ignores them
    send("REPLCONF", "capa", "psync2");
    in.reply();
    boolean mayContinue = replId != null && !applyFailed;
    if (mayContinue) {
      send("PSYNC", replId, Long.toString(role.offset() + 1)); // the next byte wanted
    } else {
      send("PSYNC", "?", "-1");
    }
    String answer = in.reply();
    if (mayContinue && answer.startsWith("+CONTINUE")) {
      // The master still holds what came after our offset in its backlog: no copy, the stream resumes.
      String[] words = answer.trim().split(" ");
      if (words.length >= 2) {
        replId = words[1]; // the master's new replication id, after a failover on its side
      }
      baseOffset = role.offset();
      log.info("MASTER <-> REPLICA sync: partial resynchronisation accepted at offset {}", baseOffset);
    } else {
      if (!answer.startsWith("+FULLRESYNC ")) {
        throw new IOException("master answered PSYNC with " + answer);
      }
      String[] words = answer.trim().split(" ");
      replId = words.length >= 3 ? words[1] : null;
      baseOffset = words.length >= 3 ? Long.parseLong(words[2]) : 0;
      fullCopy(in);
    }
    role.offset(baseOffset);
    role.linkState(LinkState.CONNECTED, System.currentTimeMillis());
    lastFailure = null;
    in.consumed = 0;
    Thread acker = Thread.ofVirtual().name("kaiware-master-ack").start(this::ackEverySecond);
    try {
      stream(in);
    } finally {
      acker.interrupt();
    }
  }

  /** After +FULLRESYNC: the master's RDB, loaded in place of this server's data. */
  private void fullCopy(Reader in) throws IOException, InterruptedException, LeadershipLost {
    role.linkState(LinkState.SYNC, System.currentTimeMillis());
    role.lastIoMs(System.currentTimeMillis());
    long copyBytes = in.bulkLength();
    if (copyBytes > MAX_COPY_BYTES) {
      throw new IOException("the master's copy is " + copyBytes + " bytes, more than one array holds");
    }
    long startMs = System.currentTimeMillis();
    log.info("MASTER <-> REPLICA sync: receiving {} bytes from master", copyBytes);
    byte[] rdb = in.bytes((int) copyBytes);
    role.lastIoMs(System.currentTimeMillis());
    applyFailed = false;
    long keys = load(rdb);
    log.info("MASTER <-> REPLICA sync: loaded {} keys ({} bytes) in {} ms", keys, copyBytes, System.currentTimeMillis() - startMs);
  }

  // ---------------------------------------------------------------- the copy

  /**
   * The copy: FLUSHALL, then a RESTORE per key, each request applied as soon as it is full (so at
   * most one request's worth of commands waits); the number of keys.
   */
  private long load(byte[] rdb) throws IOException, InterruptedException, LeadershipLost {
    CopyLoader loader = new CopyLoader();
    try {
      RdbFileReader.read(rdb, 0, rdb.length, loader);
      apply(loader.batch);
    } catch (ApplyFailed e) {
      Throwable cause = e.getCause();
      if (cause instanceof LeadershipLost l) {
        throw l;
      }
      if (cause instanceof InterruptedException i) {
        throw i;
      }
      throw (IOException) cause;
    } catch (io.kaiware.engine.RdbFormatException e) {
      throw new IOException("the master's copy cannot be read: " + e.getMessage(), e);
    }
    db = loader.selected;
    return loader.keys;
  }

  /** Turns the copy's keys into RESTOREs and applies them request by request. */
  private final class CopyLoader implements RdbFileReader.Visitor {
    Batch batch = new Batch(0);
    int selected;
    long keys;

    CopyLoader() {
      batch.add(new byte[][] {FLUSHALL});
    }

    @Override
    public void key(int keyDb, byte[] key, Object value, long expireAtMs) {
      if (keyDb != selected) {
        batch.add(new byte[][] {SELECT, ascii(Integer.toString(keyDb))});
        selected = keyDb;
      }
      byte[] payload = RdbWriter.dumpPayload(value);
      batch.add(new byte[][] {RESTORE, key, ascii(Long.toString(expireAtMs < 0 ? 0 : Math.max(1, expireAtMs))) /* 0 would mean none */, payload, REPLACE, ABSTTL});
      keys++;
      if (batch.full()) {
        try {
          apply(batch);
        } catch (IOException | InterruptedException | LeadershipLost e) {
          throw new ApplyFailed(e);
        }
        batch = new Batch(selected);
      }
    }

    @Override
    public void function(byte[] code) {
      log.warn("the master's copy holds a function library; Kaiware has no FUNCTION support: not loaded");
    }
  }

  /** Carries an apply failure out of the RDB visitor. */
  private static final class ApplyFailed extends RuntimeException {
    ApplyFailed(Throwable cause) {
      super(cause);
    }
  }

  // ---------------------------------------------------------------- the stream

  private void stream(Reader in) throws IOException, InterruptedException, LeadershipLost {
    while (current()) {
      Batch batch = new Batch(db);
      boolean inMulti = false;
      do {
        long commandStart = in.consumed;
        byte[][] command = in.command();
        role.lastIoMs(System.currentTimeMillis());
        if (isGetAck(command)) {
          // The ACK reports what was applied before the GETACK (Redis updates its offset after the command).
          apply(batch);
          role.offset(baseOffset + commandStart);
          batch = new Batch(db);
          sendAck();
          continue;
        }
        String name = commandName(command);
        if (name == null) {
          continue; // PING, REPLCONF, PUBLISH ...: changes no data
        }
        if (name.equals("select") && command.length == 2) {
          db = parseDb(command[1]);
        } else if (name.equals("multi")) {
          inMulti = true;
        } else if (name.equals("exec")) {
          inMulti = false;
        }
        batch.add(command);
      } while (current() && (inMulti || (in.available() > 0 && !batch.full())));
      apply(batch);
      role.offset(baseOffset + in.consumed);
    }
  }

  private static boolean isGetAck(byte[][] command) {
    return command.length >= 2 && equalsIgnoreCase(command[0], "replconf") && equalsIgnoreCase(command[1], "getack");
  }

  /** The command's table name when it is applied (a write, SELECT, MULTI/EXEC, scripts), else null. */
  private String commandName(byte[][] command) {
    CommandSpec spec = table.lookup(command[0]);
    if (spec == null) {
      return null;
    }
    if (spec.isContainer() && command.length >= 2) {
      CommandSpec sub = CommandTable.subcommand(spec, command[1]);
      spec = sub == null ? spec : sub;
    }
    return spec.has(CommandFlag.WRITE) || APPLIED_CONTROL.contains(spec.name()) ? spec.name() : null;
  }

  private static int parseDb(byte[] arg) {
    try {
      return Integer.parseInt(new String(arg, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ---------------------------------------------------------------- applying

  /** Commands in order, starting in one database: one log request, or one engine task. */
  private static final class Batch {
    final int startDb;
    final List<byte[][]> commands = new ArrayList<>();
    int bytes;

    Batch(int startDb) {
      this.startDb = startDb;
    }

    void add(byte[][] command) {
      commands.add(command);
      for (byte[] arg : command) {
        bytes += arg.length + 16;
      }
    }

    boolean full() {
      return bytes >= BATCH_BYTES || commands.size() >= BATCH_COMMANDS;
    }
  }

  /** Applies {@code batch} and waits until it has been: through the log, or on the engine thread. */
  private void apply(Batch batch) throws IOException, InterruptedException, LeadershipLost {
    if (batch.commands.isEmpty()) {
      return;
    }
    if (!current()) {
      throw new IOException("link stopped");
    }
    long timeoutMs = server.config().getLong("repl-timeout") * 1000;
    byte[] replies;
    Replication replication = server.replicationOrNull();
    try {
      if (replication != null) {
        List<byte[][]> commands = new ArrayList<>(batch.commands.size() + 1);
        commands.add(new byte[][] {KaiwareStateMachine.FROM_MASTER});
        commands.addAll(batch.commands);
        replies = replication.node().submit(new Request(batch.startDb, 2, commands)).get(timeoutMs, TimeUnit.MILLISECONDS);
        server.onEngineThread(() -> server.blockedClients().poke());
      } else {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        server.onEngineThread(() -> {
          ByteBuf buf = Unpooled.buffer(256);
          try {
            masterSession.setDb(batch.startDb);
            server.engine().execute(masterSession, batch.commands, buf, server.clock().millis());
            server.blockedClients().poke();
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            done.complete(b);
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
          } finally {
            buf.release();
          }
        });
        replies = done.get(timeoutMs, TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException e) {
      applyFailed = true;
      if (e.getCause() instanceof NotLeaderException) {
        throw new LeadershipLost();
      }
      throw new IOException("applying the master's commands failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      applyFailed = true;
      throw new IOException("applying the master's commands took over repl-timeout");
    }
    logErrors(replies);
  }

  /** The first few error replies to the master's commands, so a difference is not silent. */
  private void logErrors(byte[] replies) {
    if (errorsLogged >= 10) {
      return;
    }
    for (int i = 0; i < replies.length && errorsLogged < 10; i++) {
      if (replies[i] == '-' && (i == 0 || replies[i - 1] == '\n')) {
        int end = i;
        while (end < replies.length && replies[end] != '\r') {
          end++;
        }
        log.warn("a command from MASTER {}:{} failed here: {}", master.host(), master.port(),
            new String(replies, i + 1, end - i - 1, StandardCharsets.UTF_8));
        errorsLogged++;
      }
    }
  }

  /** Thrown when this member can no longer submit to the log. */
  private static final class LeadershipLost extends Exception {
    LeadershipLost() {
      super(null, null, false, false);
    }
  }

  // ---------------------------------------------------------------- writing to the master

  private void ackEverySecond() {
    try {
      while (current() && role.linkUp()) {
        Thread.sleep(ACK_PERIOD_MS);
        if (!leading()) {
          closeSocket(); // the link thread then finds it no longer leads, and stops following
          return;
        }
        sendAck();
      }
    } catch (InterruptedException | IOException e) {
      // the link is closing
    }
  }

  private void sendAck() throws IOException {
    send("REPLCONF", "ACK", Long.toString(role.offset()));
  }

  /** Sends one command as a RESP array. */
  private void send(String... words) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append('*').append(words.length).append("\r\n");
    for (String w : words) {
      byte[] b = w.getBytes(StandardCharsets.UTF_8);
      sb.append('$').append(b.length).append("\r\n").append(w).append("\r\n");
    }
    synchronized (writeLock) {
      OutputStream o = out;
      if (o == null) {
        throw new IOException("not connected");
      }
      o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
      o.flush();
    }
  }

  private void closeSocket() {
    Socket s = socket;
    out = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  // ---------------------------------------------------------------- reading RESP

  /** The master's bytes: handshake replies, the copy's bulk, then commands; counts what it consumed. */
  static final class Reader {
    private final InputStream in;
    long consumed;

    Reader(InputStream in) {
      this.in = in;
    }

    int available() throws IOException {
      return in.available();
    }

    private int read() throws IOException {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the master closed the link");
      }
      consumed++;
      return b;
    }

    /** A line without its CRLF (at most 64 KB). */
    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      for (;;) {
        int b = read();
        if (b == '\r') {
          if (read() != '\n') {
            throw new IOException("protocol error: CR without LF");
          }
          return sb.toString();
        }
        if (sb.length() > 65536) {
          throw new IOException("protocol error: line too long");
        }
        sb.append((char) b);
      }
    }

    /** A one-line reply (+..., -..., :...), after any bare newlines (the master's keep-alives). */
    String reply() throws IOException {
      int b;
      while ((b = read()) == '\n') {
        // keep-alive
      }
      return (char) b + line();
    }

    /** The length of the copy's bulk ({@code $<length>}), after keep-alive newlines. */
    long bulkLength() throws IOException {
      String header = reply();
      if (!header.startsWith("$") || header.startsWith("$EOF:")) {
        throw new IOException("protocol error: expected the copy's length, got " + header);
      }
      try {
        return Long.parseLong(header.substring(1));
      } catch (NumberFormatException e) {
        throw new IOException("protocol error: bad copy length " + header);
      }
    }

    byte[] bytes(int n) throws IOException {
      byte[] b = in.readNBytes(n);
      consumed += b.length;
      if (b.length < n) {
        throw new EOFException("the master closed the link after " + b.length + " of " + n + " bytes");
      }
      return b;
    }

    /** One command of the stream: a RESP array of bulk strings. */
    byte[][] command() throws IOException {
      int b = read();
      if (b != '*') {
        throw new IOException("protocol error: expected a command, got byte " + b);
      }
      int n = count(line(), 1 << 20);
      byte[][] argv = new byte[n][];
      for (int i = 0; i < n; i++) {
        if (read() != '$') {
          throw new IOException("protocol error: expected a bulk string");
        }
        int len = count(line(), 512 << 20);
        argv[i] = bytes(len);
        if (read() != '\r' || read() != '\n') {
          throw new IOException("protocol error: bulk string not ended by CRLF");
        }
      }
      if (n == 0) {
        throw new IOException("protocol error: empty command");
      }
      return argv;
    }

    private static int count(String text, int max) throws IOException {
      try {
        int n = Integer.parseInt(text);
        if (n < 0 || n > max) {
          throw new IOException("protocol error: count " + n + " out of range");
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IOException("protocol error: bad count " + text);
      }
    }
  }

  private static boolean equalsIgnoreCase(byte[] arg, String word) {
    return new String(arg, StandardCharsets.ISO_8859_1).equalsIgnoreCase(word);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}

package io.kaiware.server;

import io.kaiware.command.Blocking;
import io.kaiware.engine.KeyTable;
import io.kaiware.engine.Keyspace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The clients parked on a blocking pop (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN,
 * BZPOPMAX, BZMPOP) or a blocking stream read (XREAD/XREADGROUP BLOCK), and the timer that wakes them.
 *
 * <h2>The design: the engine never blocks, the server parks</h2>
 * Kaiware's engine is a deterministic state machine replayed from the Raft log on every node, so a
 * command cannot wait inside it. The blocking pops therefore execute with Redis's non-blocking
 * semantics — what Redis does for them inside MULTI: pop from the first key that has data, else
 * answer the timeout reply (a null array, or a null bulk for BLMOVE/BRPOPLPUSH). The log only ever
 * sees such executions, and replays them identically.
 *
 * <p>Blocking is the serving node's business. When a blocking command outside MULTI comes back with
 * the timeout reply while its deadline (wall clock on this node, from the command's timeout;
 * 0 = forever) has not passed, the client does not get that reply: its connection is parked here,
 * like a Redis blocked client — the commands it pipelined behind the pop wait behind it, in order.
 * Every {@link #TICK_MS} ms — and right after writes: a drain of log completions, a command in
 * non-durable cache mode ({@link #poke}) — the engine loop visits the parked clients in arrival
 * order:
 * <ul>
 *   <li>one whose keys now hold a non-empty value of the type it waits for (a list, or a sorted set
 *       for the BZ* pops; for XREAD/XREADGROUP a stream with an entry above the ID it reads after, or
 *       whose group is gone), as this node sees them, is unparked and its command is run again — on a
 *       replicated server a new submission to the log ({@link ConnectionPipeline}), in non-durable
 *       cache mode directly on the engine ({@link DirectQueue}). If another client won the race the
 *       re-run answers the timeout reply again and the client is parked again, keeping its place in
 *       the arrival order;</li>
 *   <li>one whose deadline has passed is answered with the timeout reply.</li>
 * </ul>
 * A key that holds another type does not wake its waiters (Redis keeps them blocked too). A client
 * that disconnects is cancelled. Redis serves a blocked client the moment a push makes its key
 * ready; here the wake-up comes at the latest within one tick, which keeps the write path free of any knowledge
 * of waiters (a poke after writes usually serves it before the writer's next command: in
 * non-durable cache mode always, chained waiters included; on the replicated path the re-run is
 * submitted before the writer's reply is flushed, and a read that arrives after it waits for it
 * — {@link Replication#wakeRunMark} — so whoever reads after the push's reply finds the waiter
 * served, as in Redis). An XREAD parked on {@code $} is re-run with the
 * last IDs its streams had when it parked ({@link Blocking#forRetry}), as Redis remembers them; on
 * the replicated path an XREAD with BLOCK goes through the log like a write, so that the same
 * parking applies (its execution changes nothing). Inside MULTI a blocking pop never parks: its reply is the EXEC array's element.
 *
 * <p>Engine-thread confined.
 */
final class BlockedClients {

  /** The period of the wake-up timer. */
  static final long TICK_MS = 10;

  /** CLIENT UNBLOCK ... ERROR's answer to the unblocked client. */
  static final byte[] UNBLOCKED = "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * One parked client: what it waits for, what to do when it may proceed ({@code retry}), and how
   * to answer it instead ({@code answer}: its timeout reply, or CLIENT UNBLOCK's).
   */
  static final class Parked {
    final long seq;
    final int db;
    final List<byte[]> keys;
    final Class<?> type;
    /** Wall-clock deadline in ms; 0 waits forever. */
    final long deadlineMs;
    final Runnable retry;
    final Consumer<byte[]> answer;
    final byte[] timeoutReply;
    final long clientId;
    final byte[][] command;

    Parked(long seq, int db, byte[][] command, int protocol, long deadlineMs, long clientId, Runnable retry,
        Consumer<byte[]> answer) {
      this.seq = seq;
      this.db = db;
      this.command = command;
      this.keys = Blocking.keys(command);
      this.type = Blocking.valueType(command);
      this.deadlineMs = deadlineMs;
      this.clientId = clientId;
      this.retry = retry;
      this.answer = answer;
      this.timeoutReply = Blocking.timeoutReply(command, protocol);
    }
  }

  private final ServerState server;
  /** Parked clients by arrival number: the order in which they are served. */
  private final TreeMap<Long, Parked> parked = new TreeMap<>();
  private long nextSeq;
  private ScheduledFuture<?> timer;
  /** A tick is running; a {@link #poke} meanwhile asks it to go round once more. */
  private boolean ticking;
  private boolean again;

  BlockedClients(ServerState server) {
    this.server = server;
  }

  /** A new arrival number (a client keeps its number when it parks again after losing a race). */
  long nextSeq() {
    return nextSeq++;
  }

  void park(Parked p) {
    parked.put(p.seq, p);
    if (timer == null) {
      timer = server.engineLoop().scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }
  }

  /** Forgets {@code p} (its connection closed); no callback runs. */
  void cancel(Parked p) {
    if (p != null) {
      parked.remove(p.seq, p);
    }
  }

  /** Whether client {@code clientId} is parked (CLIENT LIST's flag b). Engine thread. */
  boolean isParked(long clientId) {
    for (Parked p : parked.values()) {
      if (p.clientId == clientId) {
        return true;
      }
    }
    return false;
  }

  /** How many clients are parked (INFO's blocked_clients). */
  int count() {
    return parked.size();
  }

  /**
   * CLIENT UNBLOCK: unparks client {@code clientId} and answers it — on a later turn of the engine
   * loop, not inside the caller's command — with its timeout reply, or with the UNBLOCKED error;
   * false when it is not parked.
   */
  boolean unblock(long clientId, boolean error) {
    for (Parked p : parked.values()) {
      if (p.clientId == clientId) {
        parked.remove(p.seq);
        byte[] reply = error ? UNBLOCKED.clone() : p.timeoutReply;
        server.engineLoop().execute(() -> p.answer.accept(reply));
        return true;
      }
    }
    return false;
  }

  /**
   * After writes (a drain of log completions, a command in non-durable cache mode): a tick now
   * rather than at the timer, so that a waiter is served before the writer's next command when it
   * can be. Cheap when nobody is parked; a poke from inside a tick makes it go round again.
   */
  void poke() {
    if (parked.isEmpty()) {
      return;
    }
    if (ticking) {
      again = true;
      return;
    }
    tick();
  }

  /** One timer tick: wakes the clients whose keys have data, answers the ones whose deadline passed. */
  void tick() {
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    try {
      do {
        again = false;
        sweep();
      } while (again && !parked.isEmpty());
    } finally {
      ticking = false;
    }
    if (parked.isEmpty() && timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void sweep() {
    long now = server.clock().millis();
    Keyspace keyspace = server.engine().keyspace();
    for (Parked p : new ArrayList<>(parked.values())) {
      if (parked.get(p.seq) != p) {
        continue; // cancelled by an earlier callback of this tick
      }
      byte[] failure;
      if (ready(keyspace, p, now)) {
        parked.remove(p.seq);
        p.retry.run();
      } else if ((failure = failure(keyspace, p, now)) != null) {
        parked.remove(p.seq);
        p.answer.accept(failure);
      } else if (p.deadlineMs != 0 && now >= p.deadlineMs) {
        parked.remove(p.seq);
        p.answer.accept(p.timeoutReply);
      }
    }
  }

  /** The error {@code p} must get now (an XREADGROUP whose stream is gone: {@link Blocking#waitFailure}), or null. */
  private static byte[] failure(Keyspace keyspace, Parked p, long now) {
    if (p.type != io.kaiware.engine.StreamValue.class || p.db < 0 || p.db >= keyspace.databaseCount()) {
      return null;
    }
    KeyTable table = keyspace.db(p.db).table();
    for (byte[] key : p.keys) {
      int slot = table.find(key);
      long expireAt = slot < 0 ? KeyTable.NO_EXPIRY : table.expireAtMs(slot);
      boolean live = slot >= 0 && (expireAt == KeyTable.NO_EXPIRY || expireAt > now);
      byte[] failure = Blocking.waitFailure(live ? table.valueAt(slot) : null, p.command);
      if (failure != null) {
        return failure;
      }
    }
    return null;
  }

  /** Whether one of {@code p}'s keys holds, unexpired, a non-empty value of the type it waits for. */
  private static boolean ready(Keyspace keyspace, Parked p, long now) {
    if (p.db < 0 || p.db >= keyspace.databaseCount()) {
      return false;
    }
    KeyTable table = keyspace.db(p.db).table();
    for (int k = 0; k < p.keys.size(); k++) {
      byte[] key = p.keys.get(k);
      int slot = table.find(key);
      if (slot < 0) {
        continue;
      }
      long expireAt = table.expireAtMs(slot);
      if (expireAt != KeyTable.NO_EXPIRY && expireAt <= now) {
        // Redis's wake-up looks the key up, which deletes an expired key (a DEL on the replication
        // stream): a lookup here does the same, within the reclaim horizon every lookup keeps to.
        keyspace.db(p.db).lookup(key, now);
        continue;
      }
      if (Blocking.serves(table.valueAt(slot), p.type, p.command, k)) {
        return true;
      }
    }
    return false;
  }
}

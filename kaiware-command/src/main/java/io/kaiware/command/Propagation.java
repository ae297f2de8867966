package io.kaiware.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Redis's command propagation, for the clients attached with SYNC or PSYNC: every change this
 * member applies, written as the commands Redis 7.0 would send its replicas.
 *
 * <h2>Why Kaiware has a replication stream at all</h2>
 * Kaiware's members replicate with Raft (ADR 0004): they never need Redis's stream. But tools read
 * it — a Redis replica following a Kaiware member as a read-only mirror, change-data-capture
 * readers, and Redis's own test suite, which checks how commands propagate by attaching to it. The
 * stream is per member, like keyspace notifications: each member describes the writes it applies,
 * in the order it applies them, so a member's stream is exactly its own history.
 *
 * <h2>What is propagated</h2>
 * Redis's {@code call()} rule: a command that changed the dataset ({@link
 * io.kaiware.engine.Keyspace#writes} moved, Redis's {@code server.dirty}) is propagated with its
 * arguments, unless its handler rewrote them ({@link #propagateAs}: SET EX becomes SET PXAT, EXPIRE
 * becomes PEXPIREAT, INCRBYFLOAT becomes SET KEEPTTL ... so that a replica reaches the same state
 * whatever its clock), added commands of its own ({@link #also}: SPOP's SREMs), forced propagation
 * without a change ({@link #force}: PUBLISH, FLUSHALL) or prevented it ({@link #prevent}: EXEC and
 * scripts, whose inner commands propagate instead). A key found expired and removed is propagated
 * as DEL, before the command that found it.
 *
 * <p>Commands collect into the outermost call (a command, EXEC, a script): when it ends, what it
 * collected is sent, wrapped in MULTI/EXEC when there is more than one — except for SCAN and
 * RANDOMKEY, whose lazy expiry deletions are not a transaction (Redis's
 * CMD_TOUCHES_ARBITRARY_KEYS) — and a SELECT goes before a command for another database than the
 * attached client last saw. Deletions by active expiry go out one by one, as they happen.
 *
 * <p>While no client is attached, {@link #active()} is false and the dispatcher does nothing more
 * than that one test per command. Engine thread only.
 */
public final class Propagation {

  /** An attached client: where the stream's bytes go. */
  public interface Sink {
    /** Sends stream bytes to the client; called on the engine thread, in stream order. */
    void send(byte[] bytes);

    /** Sends part of the copy that precedes the stream (not bounded like the stream itself). */
    default void sendCopy(byte[] bytes) {
      send(bytes);
    }

    /** Whether the client is still there (a closed one is dropped at the next send). */
    boolean open();
  }

  private static final class Feed {
    final Sink sink;
    /** The database of the last command sent; -1 until the first one (Redis's slaveseldb). */
    int db = -1;

    Feed(Sink sink) {
      this.sink = sink;
    }
  }

  /** What one call of a handler asked for (see the class essay). */
  private static final class Frame {
    byte[][] replacement;
    boolean prevented;
    boolean forced;

    void clear() {
      replacement = null;
      prevented = false;
      forced = false;
    }
  }

  /**
   * A command to send, encoded when it is collected: a value a later command of the same unit
   * changes in place (SETRANGE, SETBIT) must go out as it was when this command ran.
   */
  private record Op(int db, byte[] command) {}

  /** Redis's CMD_TOUCHES_ARBITRARY_KEYS commands: their lazy-expiry deletions are not wrapped. */
  private static final Set<String> TOUCHES_ARBITRARY_KEYS = Set.of("scan", "randomkey");

  /** Words of rewritten commands, spelled as Redis's shared objects spell them. Never modified. */
  public static final byte[] DEL_WORD = bytes("DEL");
  public static final byte[] SET_WORD = bytes("SET");
  public static final byte[] PXAT_WORD = bytes("PXAT");
  public static final byte[] KEEPTTL_WORD = bytes("KEEPTTL");
  public static final byte[] PEXPIREAT_WORD = bytes("PEXPIREAT");
  public static final byte[] PERSIST_WORD = bytes("PERSIST");
  private static final byte[] MULTI = encode(new byte[][] {bytes("MULTI")});
  private static final byte[] EXEC = encode(new byte[][] {bytes("EXEC")});

  private final List<Feed> feeds = new ArrayList<>();
  private final List<Frame> frames = new ArrayList<>();
  private int depth;
  private final List<Op> pending = new ArrayList<>();

  private boolean following;

  /**
   * Whether this server follows a Redis master: then, as in Redis, its replicas receive what the
   * master sent and nothing else (a unit that did not come from the master is dropped).
   */
  public void following(boolean following) {
    this.following = following;
  }

  /** Whether units of {@code session} reach the replicas: always, unless following and not the master's. */
  boolean relays(ClientSession session) {
    return !following || session.fromMaster();
  }

  /** Whether any client is attached: when not, commands propagate nothing and cost one test. */
  public boolean active() {
    return !feeds.isEmpty();
  }

  /** Attaches a client: from now on it receives every change, starting with a SELECT. */
  public void attach(Sink sink) {
    feeds.add(new Feed(sink));
  }

  /** The number of attached clients (INFO replication's connected_slaves). */
  public int attachedCount() {
    return feeds.size();
  }

  // ---------------------------------------------------------------- the dispatcher's side

  /** Opens the frame of a call that is about to run; returns the value {@link #leave} needs. */
  int enter() {
    if (frames.size() == depth) {
      frames.add(new Frame());
    }
    frames.get(depth).clear();
    return depth++;
  }

  /**
   * Closes the frame {@code frame} of a call that ran {@code spec} with {@code argv} in database
   * {@code db}, which changed the dataset if {@code wrote}; the outermost call sends what was
   * collected.
   */
  void leave(int frame, CommandSpec spec, byte[][] argv, int db, boolean wrote, boolean relayed) {
    Frame f = frames.get(frame);
    if (!f.prevented && (wrote || f.forced)) {
      pending.add(new Op(db, encode(f.replacement != null ? f.replacement : argv)));
    }
    f.clear();
    depth = frame;
    if (depth == 0) {
      if (!relayed) {
        pending.clear(); // a replica of a Redis master sends its replicas only what the master sent
      }
      flush(!TOUCHES_ARBITRARY_KEYS.contains(spec.name()));
    }
  }

  // ---------------------------------------------------------------- the handlers' side

  /** The running command propagates as {@code argv} instead of its own arguments (if it wrote). */
  public void propagateAs(byte[]... argv) {
    if (depth > 0) {
      frames.get(depth - 1).replacement = argv;
    }
  }

  /** The running command propagates even though it changed nothing (PUBLISH, FLUSHALL). */
  public void force() {
    if (depth > 0) {
      frames.get(depth - 1).forced = true;
    }
  }

  /** The running command does not propagate itself (EXEC, scripts, or what {@link #also} replaced). */
  public void prevent() {
    if (depth > 0) {
      frames.get(depth - 1).prevented = true;
    }
  }

  /** Propagates {@code argv} for database {@code db} now, within the running command's unit. */
  public void also(int db, byte[]... argv) {
    if (feeds.isEmpty() || (depth == 0 && following)) {
      return; // while following, a key's expiry reaches the replicas as the master's DEL
    }
    pending.add(new Op(db, encode(argv)));
    if (depth == 0) {
      flush(false);
    }
  }

  /** A key found expired and removed: a DEL, within the running command's unit or on its own. */
  public void expired(int db, byte[] key) {
    also(db, DEL_WORD, key);
  }

  /** Whether handlers should build propagation arguments at all (a client is attached). */
  public boolean wanted() {
    return !feeds.isEmpty() && depth > 0;
  }

  // ---------------------------------------------------------------- sending

  private void flush(boolean wrapMany) {
    if (pending.isEmpty()) {
      return;
    }
    if (feeds.isEmpty()) {
      pending.clear();
      return;
    }
    boolean transaction = wrapMany && pending.size() > 1;
    if (transaction) {
      send(pending.get(0).db, MULTI);
    }
    for (Op op : pending) {
      send(op.db, op.command);
    }
    if (transaction) {
      send(pending.get(pending.size() - 1).db, EXEC);
    }
    pending.clear();
  }

  private static final byte[] PING = encode(new byte[][] {bytes("PING")});

  /** Redis's replication ping: keeps idle replicas' links alive (repl-ping-replica-period). */
  public void ping() {
    if (!feeds.isEmpty()) {
      send(-1, PING);
    }
  }

  private long offset;

  /** Bytes of commands sent since start: the offset PSYNC's +FULLRESYNC reports. */
  public long offset() {
    return offset;
  }

  /** Sends to every attached client; {@code db} -1: no database (PING), no SELECT before it. */
  private void send(int db, byte[] command) {
    offset += command.length;
    for (int i = 0; i < feeds.size(); i++) {
      Feed f = feeds.get(i);
      if (!f.sink.open()) {
        feeds.remove(i--);
        continue;
      }
      if (db >= 0 && f.db != db) {
        f.sink.send(encode(new byte[][] {bytes("SELECT"), bytes(Integer.toString(db))}));
        f.db = db;
      }
      f.sink.send(command);
    }
  }

  /** A command as a RESP array of bulk strings, as Redis writes it to its replicas. */
  public static byte[] encode(byte[][] argv) {
    int size = 16;
    for (byte[] a : argv) {
      size += a.length + 16;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(size);
    header(out, '*', argv.length);
    for (byte[] a : argv) {
      header(out, '$', a.length);
      out.writeBytes(a);
      out.write('\r');
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static void header(java.io.ByteArrayOutputStream out, char kind, int n) {
    out.write(kind);
    out.writeBytes(bytes(Integer.toString(n)));
    out.write('\r');
    out.write('\n');
  }

  /** ASCII bytes of a word or number. */
  public static byte[] bytes(String ascii) {
    return ascii.getBytes(StandardCharsets.US_ASCII);
  }
}

package io.kaiware.command.transaction;

import io.kaiware.command.CommandSpec;
import io.kaiware.engine.Database;
import io.kaiware.engine.Watch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One client's MULTI/EXEC and WATCH state (Redis's {@code multiState} plus the
 * {@code CLIENT_MULTI}, {@code CLIENT_DIRTY_EXEC} flags and the watched-keys list).
 *
 * <h2>How MULTI/EXEC/WATCH work</h2>
 * <ul>
 *   <li><b>Queueing.</b> After MULTI the {@code Dispatcher} still looks up every command and checks
 *       its arity, authentication and the NO_MULTI flag, exactly when Redis does; a command that
 *       fails these checks gets its error at once and {@linkplain #flagError() flags} the
 *       transaction, so EXEC answers {@code EXECABORT}. Every other command except EXEC, DISCARD,
 *       MULTI, WATCH, QUIT and RESET is {@linkplain #queue queued} (+QUEUED) with its arguments.
 *       Runtime errors of queued commands (WRONGTYPE, overflow ...) only show up inside EXEC's reply
 *       array and do not stop the others.</li>
 *   <li><b>Watching.</b> WATCH registers a {@link Watch} per key with the key's {@link Database}.
 *       The database listens to its key table, which reports every put, removal, value or expiry
 *       change of a key — so every write path (any command, lazy or active expiry, FLUSHDB,
 *       FLUSHALL, SWAPDB) dirties the watches on the key without any handler having to remember
 *       to. No per-key version is stored in the table: the cost is one null check per write while
 *       nobody watches, and one hash lookup per write while somebody does (as Redis's
 *       {@code touchWatchedKey}).</li>
 *   <li><b>Expiry.</b> Following Redis 7.0, a watched key that expires before EXEC fails the
 *       transaction even if nothing deleted it yet ({@link Watch#changed}); a key that was already
 *       expired when watched is stale, and its deletion is no change.</li>
 *   <li><b>EXEC.</b> Aborted by a queueing error: {@code EXECABORT}; a watched key changed: a null
 *       array. Otherwise the watches are dropped and the queued commands run back to back with
 *       the EXEC's command time, so nothing expires midway. EXEC, DISCARD, RESET and QUIT (or a
 *       killed connection) all end the transaction and unwatch everything.</li>
 *   <li><b>Leaving clients.</b> A client that disconnects without UNWATCH leaves its watches
 *       registered (kaiware-server tells the engine nothing on disconnect). Watches hold their
 *       client weakly; WATCH purges those whose client was garbage-collected once the registry
 *       has doubled since the last purge, so it stays bounded. A live client never loses a watch:
 *       GC timing affects memory only, never a reply.</li>
 * </ul>
 * Owned by the engine thread, like the session holding it.
 */
public final class Transaction {

  /** A command queued between MULTI and EXEC. */
  public record Queued(CommandSpec spec, byte[][] args) {}

  private boolean active;
  private boolean aborted;
  private final List<Queued> queue = new ArrayList<>();
  private final List<Watch> watches = new ArrayList<>();

  /** Whether MULTI was called and neither EXEC nor DISCARD yet. */
  public boolean active() {
    return active;
  }

  /** Whether a queueing error condemned the transaction to EXECABORT. */
  public boolean aborted() {
    return aborted;
  }

  void begin() {
    active = true;
  }

  /** Queues a command for EXEC. */
  public void queue(CommandSpec spec, byte[][] args) {
    queue.add(new Queued(spec, args));
  }

  /** Redis's flagTransaction: a command was rejected while queueing. */
  public void flagError() {
    if (active) {
      aborted = true;
    }
  }

  /** Takes the queued commands and leaves the MULTI state (the watches are dropped too). */
  List<Queued> takeQueue() {
    List<Queued> taken = List.copyOf(queue);
    queue.clear();
    active = false;
    aborted = false;
    unwatchAll();
    return taken;
  }

  /** Redis's discardTransaction: drops the queue, the flags and every watch. */
  public void discard() {
    queue.clear();
    active = false;
    aborted = false;
    unwatchAll();
  }

  /** The commands queued since MULTI, in order (a read-only view). */
  public List<Queued> queued() {
    return java.util.Collections.unmodifiableList(queue);
  }

  /** The watched keys, in WATCH order (a read-only view). */
  public List<Watch> watches() {
    return java.util.Collections.unmodifiableList(watches);
  }

  /** How many keys this client watches. */
  public int watchCount() {
    return watches.size();
  }

  /** Watches {@code key} of {@code db} unless already watched. */
  void watch(Database db, byte[] key, Object owner, long nowMs) {
    for (Watch w : watches) {
      if (w.db() == db && Arrays.equals(w.key(), key)) {
        return;
      }
    }
    watches.add(db.watch(key, owner, nowMs));
  }

  /** UNWATCH: forgets every watched key. */
  public void unwatchAll() {
    for (Watch w : watches) {
      w.db().unwatch(w);
    }
    watches.clear();
  }

  /** Whether a watched key was touched, or expired, since WATCH (EXEC must fail). */
  public boolean watchedKeyChanged(long nowMs) {
    for (Watch w : watches) {
      if (w.changed(nowMs)) {
        return true;
      }
    }
    return false;
  }
}

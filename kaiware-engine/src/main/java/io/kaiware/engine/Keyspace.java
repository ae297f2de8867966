package io.kaiware.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * All numbered databases of one server, plus the counters Redis reports about them.
 *
 * <p>The deterministic core of Kaiware: everything that changes it takes the command time as an
 * argument. Single-threaded (ADR 0003).
 */
public final class Keyspace {

  /** Redis's default database count. */
  public static final int DEFAULT_DATABASES = 16;

  private final Database[] databases;
  /**
   * Short strings last written in place (APPEND, SETRANGE, SETBIT), which Redis reports as
   * {@code raw} although their bytes alone would say {@code int} or {@code embstr}: Redis unshares
   * such a value into a raw object, and only a new SET or a reload re-encodes it. Kaiware's strings
   * are plain arrays with no encoding of their own, so the mark lives here, keyed by the array's
   * identity ({@code byte[]} hashes and compares by identity) and held weakly: a value replaced or
   * deleted drops out with its array. Not part of the dataset (digest, snapshots, DUMP), exactly as
   * Redis forgets it on reload. The same map marks short strings Redis keeps as {@code embstr}
   * although they read as integers: INCRBYFLOAT's results, which Redis creates from a long double
   * and never int-encodes ("3000" after INCRBYFLOAT is embstr, after SET int); and small integers
   * Redis holds in an object of their own rather than one of its shared integers (COPY's copy).
   */
  private final java.util.WeakHashMap<byte[], StringMark> stringMarks = new java.util.WeakHashMap<>();

  /** What a mark in {@link #stringMarks} says about a string Redis would encode otherwise. */
  private enum StringMark { RAW, NOT_INT, UNSHARED }
  private boolean activeExpireEnabled = true;
  private long keyspaceHits;
  private long keyspaceMisses;

  public Keyspace() {
    this(DEFAULT_DATABASES);
  }

  public Keyspace(int databaseCount) {
    databases = new Database[databaseCount];
    for (int i = 0; i < databaseCount; i++) {
      databases[i] = new Database(i);
    }
  }

  /** Longest string Redis stores as {@code embstr}; longer ones are {@code raw} whatever wrote them. */
  public static final int EMBSTR_MAX_BYTES = 44;

  /** Marks {@code value}, just stored by an in-place string write, as Redis's {@code raw} encoding. */
  public void markRawString(byte[] value) {
    if (value.length <= EMBSTR_MAX_BYTES) {
      stringMarks.put(value, StringMark.RAW);
    }
  }

  /** Whether {@code value} was stored by an in-place string write (see {@link #markRawString}). */
  public boolean isRawString(byte[] value) {
    return value.length > EMBSTR_MAX_BYTES || stringMarks.get(value) == StringMark.RAW;
  }

  /** Marks {@code value}, just stored, as a string Redis does not int-encode (see {@link #stringMarks}). */
  public void markNotIntEncoded(byte[] value) {
    if (value.length <= EMBSTR_MAX_BYTES) {
      stringMarks.putIfAbsent(value, StringMark.NOT_INT);
    }
  }

  /** Whether {@code value} is marked raw or not int-encoded: Redis would not report it as {@code int}. */
  public boolean isNotIntEncoded(byte[] value) {
    if (value.length > EMBSTR_MAX_BYTES) {
      return true;
    }
    StringMark mark = stringMarks.get(value);
    return mark == StringMark.RAW || mark == StringMark.NOT_INT;
  }

  /** Marks {@code value}, a fresh array just stored, as an object of its own: never a shared integer. */
  public void markUnshared(byte[] value) {
    if (value.length <= EMBSTR_MAX_BYTES) {
      stringMarks.putIfAbsent(value, StringMark.UNSHARED);
    }
  }

  /** Whether {@code value} carries any mark: Redis would not answer it with one of its shared integers. */
  public boolean isUnshared(byte[] value) {
    return value.length > EMBSTR_MAX_BYTES || stringMarks.containsKey(value);
  }

  /** Told of every key removed because it expired (lazily or actively), after its removal. */
  @FunctionalInterface
  public interface ExpiredListener {
    void expired(int db, byte[] key);
  }

  /** Sets (or with {@code null} clears) the listener of expired-key removals: Redis's "expired" event. */
  public void expiredListener(ExpiredListener listener) {
    for (Database db : databases) {
      db.expiredListener(listener);
    }
  }

  /**
   * Told of a key a lookup found expired at its command time but could not remove, because the
   * reclaim horizon (log time) has not passed its expiry: a read on a replicated server, ahead of
   * the log. The server may then reclaim it through the log.
   */
  @FunctionalInterface
  public interface DeferredExpiryListener {
    void deferred(int db, byte[] key);
  }

  /** Sets (or with {@code null} clears) the listener of expired keys a lookup could not remove yet. */
  public void deferredExpiryListener(DeferredExpiryListener listener) {
    for (Database db : databases) {
      db.deferredExpiryListener(listener);
    }
  }

  /** Told of every key added to a database (not replaced): Redis's "new" event. */
  @FunctionalInterface
  public interface NewKeyListener {
    void added(int db, byte[] key);
  }

  private NewKeyListener newKeyListener;

  /**
   * Sets (or with {@code null} clears) the listener of keys added to any database. Loading a
   * snapshot clears it for the load, as Redis's RDB load publishes nothing.
   */
  public void newKeyListener(NewKeyListener listener) {
    this.newKeyListener = listener;
    for (Database db : databases) {
      db.newKeyListener(listener);
    }
  }

  public NewKeyListener newKeyListener() {
    return newKeyListener;
  }

  public int databaseCount() {
    return databases.length;
  }

  public Database db(int index) {
    return databases[index];
  }

  /**
   * The latest time up to which expired keys may be removed by lookups: a replicated server sets
   * it to the log time after every entry, so that reads running at a later clock (which see those
   * keys as gone) never remove what a later entry, at its own log time, may still find alive.
   * {@code Long.MAX_VALUE} (the default) lets lookups reclaim at whatever time they run.
   */
  public void reclaimHorizonMs(long horizonMs) {
    reclaimHorizonMs = horizonMs;
    for (Database db : databases) {
      db.reclaimHorizonMs(horizonMs);
    }
  }

  private long reclaimHorizonMs = Long.MAX_VALUE;

  /** The reclaim horizon last set (see {@link #reclaimHorizonMs(long)}). */
  public long reclaimHorizonMs() {
    return reclaimHorizonMs;
  }

  /** SWAPDB: exchanges the contents of two databases, dirtying the watches Redis 7.0 would. */
  public void swapDatabases(int a, int b, long nowMs) {
    if (a == b) {
      return;
    }
    Database.swap(databases[a], databases[b], nowMs);
  }

  /** Watches registered in all databases (including those of clients that left without UNWATCH). */
  public int watchCount() {
    int total = 0;
    for (Database db : databases) {
      total += db.watchCount();
    }
    return total;
  }

  /** Drops watches whose owner was garbage-collected (see {@link Database#purgeWatches}); returns how many. */
  public int purgeWatches() {
    int purged = 0;
    for (Database db : databases) {
      purged += db.purgeWatches();
    }
    return purged;
  }

  private int watchPurgeThreshold;

  /** The watch count at which WATCH next purges the watches of departed clients. */
  public int watchPurgeThreshold() {
    return watchPurgeThreshold;
  }

  public void watchPurgeThreshold(int threshold) {
    this.watchPurgeThreshold = threshold;
  }

  /** The all-zero digest of an empty dataset. */
  public static final String EMPTY_DIGEST = "0".repeat(40);

  /**
   * DEBUG DIGEST: a 40-hex-digit SHA-1 based digest of every live key, its value and its expiry,
   * independent of insertion order and of table layout (as Redis's {@code computeDatasetDigest}):
   * for each database holding live keys, the database number is mixed into the result, then the
   * per-key digests of {@link #digestKey} are XOR-ed in. Keys expired at {@code nowMs} are ignored,
   * so two engines that differ only in how much they have reclaimed agree. All zeros when empty.
   */
  public String digest(long nowMs) {
    byte[] result = new byte[20];
    byte[] keyDigest = new byte[20];
    MessageDigest sha1 = sha1();
    boolean any = false;
    for (Database db : databases) {
      KeyTable t = db.table();
      boolean mixedDb = false;
      for (int slot = 0; slot < t.capacity(); slot++) {
        if (!t.occupied(slot) || db.expiredAt(slot, nowMs)) {
          continue;
        }
        if (!mixedDb) {
          byte[] id = {(byte) (db.index() >>> 24), (byte) (db.index() >>> 16), (byte) (db.index() >>> 8), (byte) db.index()};
          mixDigest(sha1, result, id);
          mixedDb = true;
          any = true;
        }
        java.util.Arrays.fill(keyDigest, (byte) 0);
        mixDigest(sha1, keyDigest, t.keyAt(slot));
        valueDigest(sha1, keyDigest, t.valueAt(slot), t.expireAtMs(slot), nowMs);
        xorDigest(sha1, result, keyDigest);
      }
    }
    return any ? hex(result) : EMPTY_DIGEST;
  }

  /**
   * DEBUG DIGEST-VALUE: the digest of one key's value and expiry (the key name is not part of it,
   * as in Redis), all zeros for a missing key.
   */
  public String digestValue(int dbIndex, byte[] key, long nowMs) {
    Database db = databases[dbIndex];
    int slot = db.lookup(key, nowMs);
    byte[] d = new byte[20];
    if (slot >= 0) {
      valueDigest(sha1(), d, db.table().valueAt(slot), db.table().expireAtMs(slot), nowMs);
    }
    return hex(d);
  }

  private static final byte[] EXPIRE_MARK = "!!expire!!".getBytes(StandardCharsets.US_ASCII);

  private static void valueDigest(MessageDigest sha1, byte[] digest, Object value, long expireAtMs, long nowMs) {
    if (value instanceof byte[] bytes) {
      mixDigest(sha1, digest, bytes);
    } else if (value instanceof CollectionValue collection) {
      // As Redis's xorObjectDigest: the type, then every element digested on its own (name, then
      // content) and XOR-ed in, so the result depends on the content and never on the layout.
      mixDigest(sha1, digest, collection.typeName().getBytes(StandardCharsets.US_ASCII));
      byte[] element = new byte[20];
      collection.digestElements((name, content) -> {
        java.util.Arrays.fill(element, (byte) 0);
        mixDigest(sha1, element, name);
        if (content != null) { // a set member has a name only, as in Redis
          mixDigest(sha1, element, content);
        }
        for (int i = 0; i < 20; i++) {
          digest[i] ^= element[i];
        }
      }, nowMs);
    } else {
      mixDigest(sha1, digest, value.getClass().getName().getBytes(StandardCharsets.US_ASCII));
    }
    if (expireAtMs != KeyTable.NO_EXPIRY) {
      // Redis mixes only the marker; Kaiware also mixes the absolute expiry so TTLs are compared.
      xorDigest(sha1, digest, EXPIRE_MARK);
      xorDigest(sha1, digest, Long.toString(expireAtMs).getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** digest ^= SHA1(data). */
  private static void xorDigest(MessageDigest sha1, byte[] digest, byte[] data) {
    byte[] h = sha1.digest(data);
    for (int i = 0; i < 20; i++) {
      digest[i] ^= h[i];
    }
  }

  /** digest = SHA1(digest ^ SHA1(data)): order-dependent mixing. */
  private static void mixDigest(MessageDigest sha1, byte[] digest, byte[] data) {
    xorDigest(sha1, digest, data);
    byte[] h = sha1.digest(digest);
    System.arraycopy(h, 0, digest, 0, 20);
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is mandatory in every JDK", e);
    }
  }

  private static String hex(byte[] d) {
    return java.util.HexFormat.of().formatHex(d);
  }

  public void flushAll() {
    for (Database db : databases) {
      db.clear();
    }
  }

  /** Total keys in all databases. */
  public long keyCount() {
    long total = 0;
    for (Database db : databases) {
      total += db.size();
    }
    return total;
  }

  /**
   * One round of active expiry over every database, visiting at most {@code maxSlotsPerDb} slots
   * in each. Returns the number of keys removed.
   */
  public int activeExpireCycle(long nowMs, int maxSlotsPerDb) {
    if (!activeExpireEnabled) {
      return 0;
    }
    int removed = 0;
    for (Database db : databases) {
      removed += db.activeExpire(nowMs, maxSlotsPerDb);
    }
    return removed;
  }

  /**
   * Redis's {@code server.dirty}: the writes of every database ({@link KeyTable#writes}), only ever
   * compared with an earlier reading. Removals of expired keys are not writes.
   */
  public long writes() {
    long total = 0;
    for (Database db : databases) {
      total += db.table().writes();
    }
    return total;
  }

  private long writesAtLastSave;

  /** Notes that a snapshot now holds everything written so far (INFO rdb_changes_since_last_save). */
  public void markSaved() {
    writesAtLastSave = writes();
  }

  /** Writes since the last {@link #markSaved} (or since start): INFO's rdb_changes_since_last_save. */
  public long writesSinceLastSave() {
    return writes() - writesAtLastSave;
  }

  /** DEBUG SET-ACTIVE-EXPIRE: tests turn background expiry off to observe lazy expiry alone. */
  public void setActiveExpireEnabled(boolean enabled) {
    this.activeExpireEnabled = enabled;
  }

  public boolean activeExpireEnabled() {
    return activeExpireEnabled;
  }

  public void recordHit() {
    keyspaceHits++;
  }

  public void recordMiss() {
    keyspaceMisses++;
  }

  /** Keys removed because they expired, lazily or actively, in all databases. */
  public long expiredKeys() {
    long total = 0;
    for (Database db : databases) {
      total += db.expiredKeys();
    }
    return total;
  }

  public long keyspaceHits() {
    return keyspaceHits;
  }

  public long keyspaceMisses() {
    return keyspaceMisses;
  }

  public void resetStats() {
    for (Database db : databases) {
      db.resetStats();
    }
    keyspaceHits = 0;
    keyspaceMisses = 0;
  }
}
